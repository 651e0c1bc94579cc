"""Every admin address of every model, for every role, against the written matrix of what each role may do."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from core.roles import COORDINATORS, DONORS, MANAGERS, TRANSLATORS
from locations.models import Region, RegionCoordinator
from tests import factories
from tests.forms import form_fields, offered, rendered_form, with_changes

pytestmark = pytest.mark.django_db

MODELS = ["locations.region", "locations.location", "grants.program", "grants.organization", "grants.theme",
          "grants.grant", "mediators.language", "mediators.specialisation", "mediators.mediator",
          "mediators.training"]  # fmt: skip
REGIONAL = {"locations.location", "grants.organization", "grants.grant", "mediators.mediator", "mediators.training"}
ARCHIVED_NOT_DELETED = {"grants.grant", "mediators.mediator"}
VIEWS = ("changelist", "add", "change", "history", "delete")


def expected(role, model, view, own_region):
    """The matrix: 200 allowed, 403 refused, 404 not theirs to see, 302 sent to sign in."""
    if role == "donor":
        return 302
    scoped = model in REGIONAL or model == "locations.region"
    if role == "coordinator" and scoped and not own_region and view in ("change", "history", "delete"):
        return 404  # another region's record: as if it did not exist
    if view == "delete" and model in ARCHIVED_NOT_DELETED:
        return 403  # archived, never deleted: nobody deletes them
    if role == "manager":
        return 200
    if role == "coordinator":
        if view == "delete":
            return 403
        if view == "add":
            return 200 if model in REGIONAL else 403
        return 200  # lists, and records they may view (themes, programmes) or edit (their region's)
    if role == "translator":
        return 403 if view in ("add", "delete") else 200
    raise AssertionError(role)


def _record(model, region):
    location = factories.LocationFactory(region=region)
    if model == "locations.region":
        return region
    if model == "locations.location":
        return location
    if model == "grants.organization":
        return factories.OrganizationFactory(location=location)
    if model == "grants.grant":
        return factories.GrantFactory(recipient=factories.OrganizationFactory(location=location))
    if model in ("mediators.mediator", "mediators.training"):
        factory = factories.MediatorFactory if model.endswith("mediator") else factories.TrainingFactory
        return factory(location=location)
    factory = {"grants.program": factories.ProgramFactory, "grants.theme": factories.ThemeFactory,
               "mediators.language": factories.LanguageFactory,
               "mediators.specialisation": factories.SpecialisationFactory}[model]  # fmt: skip
    return factory()


@pytest.fixture
def people(django_user_model):
    own, other = factories.RegionFactory(slug="own-region"), factories.RegionFactory(slug="other-region")

    def person(name, group, staff=True):
        user = django_user_model.objects.create_user(name, password="a-long-test-password-42", is_staff=staff)
        user.groups.add(Group.objects.get(name=group))
        client = Client()
        client.force_login(user)
        return user, client

    coordinator, coordinator_client = person("coordinator", COORDINATORS)
    RegionCoordinator.objects.create(user=coordinator, region=own)
    return {
        "manager": person("manager", MANAGERS)[1],
        "coordinator": coordinator_client,
        "translator": person("translator", TRANSLATORS)[1],
        "donor": person("donor", DONORS, staff=False)[1],
        "regions": (own, other),
    }


@pytest.mark.parametrize("model", MODELS)
def test_every_admin_address_for_every_role_follows_the_matrix(people, model):
    own, other = people["regions"]
    records = {True: _record(model, own), False: _record(model, other)}
    app, name = model.split(".")
    wrong = []
    for role in ("manager", "coordinator", "translator", "donor"):
        client = people[role]
        for view in VIEWS:
            for own_region in (True, False):
                if view in ("changelist", "add") and not own_region:
                    continue
                url = f"/en/admin/{app}/{name}/"
                if view == "add":
                    url += "add/"
                elif view != "changelist":
                    url += f"{records[own_region].pk}/{view}/"
                status = client.get(url).status_code
                want = expected(role, model, view, own_region)
                if status != want:
                    wrong.append((role, view, "own" if own_region else "other", status, want))
    assert wrong == [], wrong


def test_a_coordinator_lists_and_picks_only_their_regions_records(people):
    own, other = people["regions"]
    mine = factories.GrantFactory(
        recipient=factories.OrganizationFactory(location=factories.LocationFactory(region=own))
    )
    theirs = factories.GrantFactory(
        recipient=factories.OrganizationFactory(location=factories.LocationFactory(region=other))
    )
    client = people["coordinator"]
    listed = client.get("/en/admin/grants/grant/").context["cl"].result_list
    assert list(listed) == [mine]
    form = client.get(f"/en/admin/grants/grant/{mine.pk}/change/").context["adminform"].form
    assert set(form.fields["region"].queryset) == {own}
    assert theirs.recipient not in form.fields["recipient"].queryset
    # Autocomplete offers only their region's places.
    response = client.get(
        "/en/admin/autocomplete/",
        {"app_label": "grants", "model_name": "grant", "field_name": "locations", "term": ""},
    )
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert ids and all(factories.Location.objects.get(pk=pk).region == own for pk in ids)
    # Bulk actions reach only their records. Their list offers only their grant; a request that adds the other
    # region's grant by its id (forged: the page has no box for it) archives only their own.
    page = client.get("/en/admin/grants/grant/").content.decode()
    assert offered(page, "_selected_action", "changelist-form") == [str(mine.pk)]
    forged = with_changes(
        form_fields(page, "changelist-form"),
        {"action": "archive", "_selected_action": [theirs.pk, mine.pk], "index": "0"},
    )
    client.post("/en/admin/grants/grant/", forged)
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert mine.archived and not theirs.archived


def test_a_coordinator_exports_only_their_regions(people):
    own, other = people["regions"]
    factories.GrantFactory(recipient=factories.OrganizationFactory(location=factories.LocationFactory(region=own)))
    factories.GrantFactory(recipient=factories.OrganizationFactory(location=factories.LocationFactory(region=other)))
    body = b"".join(people["coordinator"].get("/en/reports/grants.csv").streaming_content).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == 2
    assert own.name_en in body and other.name_en not in body


def test_a_translator_changes_text_and_nothing_else(people):
    grant = factories.GrantFactory(title_en="Old title", status="active")
    client = people["translator"]
    url = f"/en/admin/grants/grant/{grant.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    assert {"title_ky", "title_ru", "title_en", "summary_en", "description_ru"} <= set(form.fields)
    assert not {"status", "amount", "published", "region", "recipient", "reference"} & set(form.fields)
    # What the page renders, with the title changed and, as a forged addition, fields they may not change.
    data = with_changes(rendered_form(page), {"title_en": "New title", "status": "cancelled", "published": None})
    response = client.post(url, {**data, "_save": ["1"]})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    grant.refresh_from_db()
    assert grant.title_en == "New title"
    assert grant.status == "active" and grant.published  # what they may not change did not change


def test_roles_are_groups_that_staff_can_assign(people):
    assert set(Group.objects.values_list("name", flat=True)) >= {MANAGERS, COORDINATORS, TRANSLATORS, DONORS}
    assert Region.objects.filter(coordinators__user__username="coordinator").count() == 1
