"""Arbitrary text thrown at the admin's forms: always a page or a form error, never a 500, never half a record."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.models import Grant, GrantUpdate
from tests import factories
from tests.forms import rendered_form, submit, with_changes

pytestmark = pytest.mark.django_db

NASTY = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="ңөүҢӨҮабвгдеёжзийклмнопрстуфхцчшщъыьэюя", max_size=40),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "x" * 10_000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "-1",
            "1e309",
            "١٢٣",
            "NaN",
            "2022-13-45",
            "",
            " ",
            "=cmd|'/C calc'!A0",
        ]
    ),  # fmt: skip
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def world(db):
    grant = factories.GrantFactory()
    return {"grant": grant, "program": grant.program, "recipient": grant.recipient, "region": grant.region}


@SETTINGS
@given(title=NASTY, reference=NASTY, amount=NASTY, targets=NASTY, date=NASTY, update_title=NASTY)
def test_grant_add_form_answers_with_a_page_or_an_error(admin_client, world, title, reference, amount, targets, date,
                                                        update_title):  # fmt: skip
    before = (Grant.objects.count(), GrantUpdate.objects.count())
    # The add page as rendered, filled in as a person would (one inline update added, as its button does).
    page = rendered_form(admin_client.get("/en/admin/grants/grant/add/"))
    data = with_changes(page, {
        "program": world["program"].pk, "kind": "cso", "reference": reference, "slug": "fuzz-grant",
        "title_ky": title, "title_en": title, "recipient": world["recipient"].pk, "status": "active",
        "region": world["region"].pk, "amount": amount, "currency": "KGS", "start_date": date, "targets_en": targets,
        "updates-TOTAL_FORMS": "1", "updates-0-kind": "progress", "updates-0-title_en": update_title,
        "updates-0-date": date,
    })  # fmt: skip
    response = admin_client.post("/en/admin/grants/grant/add/", {**data, "_save": ["1"]})
    assert response.status_code in (200, 302)
    after = (Grant.objects.count(), GrantUpdate.objects.count())
    if response.status_code == 200:
        assert after == before  # a form error saves nothing, not even the inline update
        assert response.context["adminform"].form.errors or response.context["errors"]
    else:
        created = Grant.objects.get(slug="fuzz-grant")
        assert created.title_en == title.strip() or created.title_en == title
        created.delete()


@SETTINGS
@given(name=NASTY, biography=NASTY, phone=NASTY, email=NASTY)
def test_mediator_change_form_answers_with_a_page_or_an_error(admin_client, world, name, biography, phone, email):
    mediator = factories.MediatorFactory()
    version = mediator.version
    url = f"/en/admin/mediators/mediator/{mediator.pk}/change/"
    changes = {"name_ky": name, "name_en": name, "biography_ru": biography, "phone": phone, "email": email,
               "certification": "certified"}  # fmt: skip
    response = submit(admin_client, url, changes)
    assert response.status_code in (200, 302)
    mediator.refresh_from_db()
    if response.status_code == 200:
        assert mediator.version == version  # nothing half-saved
    else:
        assert mediator.version == version + 1
