"""A record typed in Kyrgyz or Russian only gets its address (slug) from the server, in Latin letters.

The admin's own prepopulation fills the slug from the English name alone, and only with JavaScript. Forms are sent
as the admin renders them (no JavaScript), with the fields a staff member would fill.
"""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from grants.models import Grant, Organization
from tests import factories
from tests.forms import rendered_form, submit

pytestmark = pytest.mark.django_db

SLUG_MODELS = sorted(
    (model for model in admin.site._registry if any(field.name == "slug" for field in model._meta.fields)),
    key=lambda model: model._meta.label,
)


def _url(model, view, *args, language="ky"):
    with translation.override(language):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _required(model):
    """What else an add form needs before it saves: the choices a staff member would pick."""
    name = model._meta.model_name
    if name == "grant":
        organization = factories.OrganizationFactory()
        return {
            "program": factories.ProgramFactory().pk,
            "reference": "LIP-TEST-1",
            "recipient": organization.pk,
            "region": organization.location.region.pk,
        }
    if name == "location":
        return {"region": factories.RegionFactory().pk, "kind": "village"}
    if name == "region":
        return {"coate": "41799000000001", "iso_code": "KG-ZZ"}
    return {}


def _source(model):
    return "title" if any(field.name == "title_ky" for field in model._meta.fields) else "name"


def test_every_record_with_an_address_is_covered():
    assert {model._meta.model_name for model in SLUG_MODELS} == {
        "region", "location", "program", "organization", "theme", "grant", "mediator", "specialisation",
    }  # fmt: skip


@pytest.mark.parametrize("model", SLUG_MODELS, ids=lambda model: model._meta.label)
def test_a_record_named_in_kyrgyz_only_gets_a_latin_address(admin_client, model):
    page = admin_client.get(_url(model, "add")).content.decode()
    # The form says what happens to an empty address, in the staff member's language.
    assert "Бош калтырсаңыз, аталышынан түзүлөт" in page
    changes = {f"{_source(model)}_ky": "Биримдик үчүн Ысык-Көлдө", "slug": "", **_required(model)}
    response = submit(admin_client, _url(model, "add"), changes)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert model.objects.get(**{f"{_source(model)}_ky": "Биримдик үчүн Ысык-Көлдө"}).slug == "birimdik-uchun-ysyk-koldo"


def test_the_address_comes_from_english_first_then_kyrgyz_then_russian(admin_client):
    changes = {"name_ky": "Жаштар", "name_ru": "Молодёжь", "name_en": "Youth", "slug": ""}
    assert submit(admin_client, _url(Organization, "add"), changes).status_code == 302
    changes = {"name_ky": "Жаштар уюму", "name_ru": "Молодёжная организация", "slug": ""}
    assert submit(admin_client, _url(Organization, "add"), changes).status_code == 302
    changes = {"name_ru": "Женщины Нарына", "slug": ""}
    assert submit(admin_client, _url(Organization, "add"), changes).status_code == 302
    assert set(Organization.objects.values_list("slug", flat=True)) == {"youth", "jashtar-uyumu", "jenshiny-naryna"}


def test_a_second_record_of_the_same_name_gets_an_address_of_its_own(admin_client):
    for _ in range(3):
        changes = {"name_ky": "Ынтымак", "slug": ""}
        assert submit(admin_client, _url(Organization, "add"), changes).status_code == 302
    assert sorted(Organization.objects.values_list("slug", flat=True)) == ["yntymak", "yntymak-2", "yntymak-3"]


def test_an_address_typed_in_cyrillic_is_written_in_latin_letters(admin_client):
    changes = {"title_ru": "Во имя единства", "slug": "Во имя единства", **_required(Grant)}
    assert submit(admin_client, _url(Grant, "add"), changes).status_code == 302
    assert Grant.objects.get().slug == "vo-imya-edinstva"


def test_an_address_with_nothing_latin_in_it_is_refused_in_the_staff_members_language(admin_client):
    for language, expected in (
        ("ky", "Дарек латын тамгаларынан, сандардан жана дефистерден турат"),
        ("ru", "Адрес состоит из латинских букв, цифр и дефисов"),
        ("en", "An address is made of Latin letters, digits and hyphens"),
    ):
        changes = {"name_ky": "Аял", "slug": "«—»"}
        response = submit(admin_client, _url(Organization, "add", language=language), changes)
        assert response.status_code == 200
        assert expected in response.content.decode()
        # Nothing is lost: what was typed is in the form again.
        assert rendered_form(response)["name_ky"] == ["Аял"]
    assert not Organization.objects.exists()


def test_an_address_that_is_too_long_once_written_in_latin_is_refused(admin_client):
    changes = {"name_ky": "Аял", "slug": "щ" * 40}  # 40 letters, 80 in Latin: Theme allows 60
    response = submit(admin_client, _url(factories.ThemeFactory._meta.model, "add"), changes)
    assert response.status_code == 200
    assert "60 белгиден узун" in response.content.decode()


def test_saving_a_record_never_moves_its_address(admin_client):
    organization = factories.OrganizationFactory(slug="Old_Address-1")
    url = _url(Organization, "change", organization.pk)
    assert submit(admin_client, url, {"name_ky": "Жаңы аталыш"}).status_code == 302
    organization.refresh_from_db()
    assert organization.slug == "Old_Address-1"


def test_an_address_emptied_by_hand_is_made_again_from_the_name(admin_client):
    organization = factories.OrganizationFactory(name_en="", name_ky="Токтогул аялдары")
    url = _url(Organization, "change", organization.pk)
    assert submit(admin_client, url, {"slug": ""}).status_code == 302
    organization.refresh_from_db()
    assert organization.slug == "toktogul-ayaldary"
