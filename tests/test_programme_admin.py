"""The programme's admin page warns when the programme names no funder: 360Giving files would leave its grants out."""

import pytest

from grants.models import Organization, Program
from tests.factories import OrganizationFactory, ProgramFactory
from tests.forms import submit

pytestmark = pytest.mark.django_db

WARNING = {
    "en": "This programme names neither a funder nor an implementer",
    "ru": "У этой программы не указаны ни донор, ни исполнитель",
    "ky": "Бул программада каржылоочу да, ишке ашыруучу да көрсөтүлгөн эмес",
}


@pytest.mark.parametrize("language", ["en", "ru", "ky"])
def test_a_programme_without_a_funder_is_warned_about_in_the_staff_members_language(admin_client, language):
    programme = ProgramFactory(funder=None, implementer=None)
    page = admin_client.get(f"/{language}/admin/grants/program/{programme.pk}/change/")
    assert page.status_code == 200
    assert WARNING[language] in page.content.decode()


def test_a_programme_with_a_funder_or_an_implementer_is_not(admin_client):
    funded = ProgramFactory()
    implemented = ProgramFactory(funder=None, implementer=OrganizationFactory(kind=Organization.Kind.PARTNER))
    for programme in (funded, implemented):
        page = admin_client.get(f"/en/admin/grants/program/{programme.pk}/change/")
        assert WARNING["en"] not in page.content.decode()


def test_saving_a_programme_without_a_funder_says_so_and_naming_one_ends_the_warning(admin_client):
    programme = ProgramFactory(funder=None, implementer=None)
    url = f"/en/admin/grants/program/{programme.pk}/change/"
    response = submit(admin_client, url, {"summary_en": "Changed"})
    assert response.status_code == 302
    assert WARNING["en"] in admin_client.get(response["Location"]).content.decode()
    donor = OrganizationFactory(kind=Organization.Kind.DONOR)
    response = submit(admin_client, url, {"funder": str(donor.pk)})
    assert response.status_code == 302
    assert Program.objects.get(pk=programme.pk).funder == donor
    assert WARNING["en"] not in admin_client.get(response["Location"]).content.decode()
