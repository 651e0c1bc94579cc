"""Nothing is lost: history of every change, restore by a manager, no silent overwrite, archive not delete."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from core.roles import MANAGERS, TRANSLATORS
from grants.models import Grant
from mediators.models import Mediator
from tests import factories
from tests.forms import admin_action, rendered_form, submit, with_changes

pytestmark = pytest.mark.django_db


def _person(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="a-long-test-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


def test_history_shows_who_changed_which_field_in_which_language(admin_client, superuser):
    grant = factories.GrantFactory(title_ky="Эски аталыш", title_en="Old title")
    response = submit(
        admin_client, f"/en/admin/grants/grant/{grant.pk}/change/", {"title_ky": "Жаңы аталыш", "title_en": "New title"}
    )
    assert response.status_code == 302
    html = admin_client.get(f"/en/admin/grants/grant/{grant.pk}/history/").content.decode()
    assert "admin" in html  # who
    assert "Эски аталыш" in html and "Жаңы аталыш" in html  # old and new, in Kyrgyz
    assert "Old title" in html and "New title" in html  # and in English
    assert "Title [ky]" in html and "Title [en]" in html  # which fields, in which language
    ky = admin_client.get(f"/ky/admin/grants/grant/{grant.pk}/history/").content.decode()
    assert "Жаңы аталыш" in ky


def test_a_manager_restores_an_earlier_version_others_cannot(django_user_model):
    grant = factories.GrantFactory(title_en="First")
    grant.title_en = "Second"
    grant.save()
    first = grant.history.order_by("history_id").first()
    _translator, translator = _person(django_user_model, "translator", TRANSLATORS)
    url = f"/en/admin/grants/grant/{grant.pk}/history/{first.history_id}/"
    # Only managers restore: a translator who sends the restore anyway (a request built by hand) is refused.
    assert translator.post(url, {"_save": "1"}).status_code == 403
    # Nor is the version page theirs (it is a restore form); the history list shows them the old values.
    assert translator.get(url).status_code == 403
    assert "First" in translator.get(f"/en/admin/grants/grant/{grant.pk}/history/").content.decode()
    _manager, manager = _person(django_user_model, "manager", MANAGERS)
    response = submit(manager, url)  # the restore page, sent as it shows the earlier version
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.title_en == "First"
    # The restore is named as such in the history, with the version it brought back, in the reader's language.
    latest = grant.history.order_by("-history_id").first()
    assert latest.version == grant.version == 3
    html = manager.get(f"/en/admin/grants/grant/{grant.pk}/history/").content.decode()
    assert f"Restored version {first.version}, saved at" in html
    assert "Калыбына келтирилди" in manager.get(f"/ky/admin/grants/grant/{grant.pk}/history/").content.decode()


def test_one_save_in_the_admin_is_one_history_row_with_its_places_and_themes(admin_client):
    places = factories.LocationFactory.create_batch(2)
    theme = factories.ThemeFactory()
    program, recipient = factories.ProgramFactory(), factories.OrganizationFactory()
    response = submit(
        admin_client,
        "/en/admin/grants/grant/add/",
        {
            "program": program.pk, "kind": "cso", "reference": "ONE-ROW-1", "slug": "one-row", "title_en": "One row",
            "recipient": recipient.pk, "status": "awarded", "region": places[0].region.pk,
            "locations": [place.pk for place in places], "themes": [theme.pk],
        },
    )  # fmt: skip
    assert response.status_code == 302
    grant = Grant.objects.get(reference="ONE-ROW-1")
    [created] = grant.history.all()
    assert created.history_type == "+"
    assert {row.location_id for row in created.locations.all()} == {place.pk for place in places}
    assert [row.theme_id for row in created.themes.all()] == [theme.pk]

    submit(admin_client, f"/en/admin/grants/grant/{grant.pk}/change/", {"locations": [places[0].pk]})
    rows = list(grant.history.order_by("history_id"))
    assert [row.version for row in rows] == [1, 2]
    assert [row.location_id for row in rows[1].locations.all()] == [places[0].pk]
    assert "Locations" in admin_client.get(f"/en/admin/grants/grant/{grant.pk}/history/").content.decode()


def test_the_refusal_speaks_the_staff_members_language(admin_client, django_user_model):
    grant = factories.GrantFactory()
    url = f"/ru/admin/grants/grant/{grant.pk}/change/"
    mine = rendered_form(admin_client.get(url))
    _other, other = _person(django_user_model, "kuratorka", MANAGERS)
    submit(other, f"/en/admin/grants/grant/{grant.pk}/change/", {"title_en": "Theirs"})
    html = admin_client.post(url, {**with_changes(mine, {"title_ru": "Моё"}), "_save": ["1"]}).content.decode()
    assert "kuratorka сохранил(а) её в" in html


def test_an_organisation_with_grants_cannot_be_deleted_and_the_admin_says_why(admin_client):
    grant = factories.GrantFactory()
    organization = grant.recipient
    page = admin_client.get(f"/en/admin/grants/organization/{organization.pk}/delete/").content.decode()
    assert "would require deleting the following protected related objects" in page
    assert 'name="post"' not in page  # no button to confirm: a request that confirms anyway deletes nothing
    admin_client.post(f"/en/admin/grants/organization/{organization.pk}/delete/", {"post": "yes"})
    assert type(organization).objects.filter(pk=organization.pk).exists()
    ky = admin_client.get(f"/ky/admin/grants/organization/{organization.pk}/delete/").content.decode()
    assert "protected" not in ky


def test_grants_and_mediators_are_archived_not_deleted_and_leave_public_view(admin_client, client):
    grant = factories.GrantFactory(title_en="To be archived")
    mediator = factories.MediatorFactory(name_en="Archived Mediator", public_consent=True)
    assert admin_client.get(f"/en/admin/grants/grant/{grant.pk}/delete/").status_code == 403
    admin_action(admin_client, "/en/admin/grants/grant/", "archive", [grant])
    admin_action(admin_client, "/en/admin/mediators/mediator/", "archive", [mediator])
    grant.refresh_from_db()
    assert grant.archived and Grant.objects.filter(pk=grant.pk).exists()
    assert Mediator.objects.get(pk=mediator.pk).archived
    assert client.get(f"/en/initiatives/{grant.slug}/").status_code == 404
    assert "To be archived" not in client.get("/en/initiatives/").content.decode()
    assert client.get(f"/en/mediators/{mediator.slug}/").status_code == 404
    assert grant.history.filter(archived=True).exists()  # who archived it is on record
    # Archived grants are listed for staff to bring back (the list's filter shows them).
    admin_action(admin_client, "/en/admin/grants/grant/?archived__exact=1", "restore", [grant])
    assert client.get(f"/en/initiatives/{grant.slug}/").status_code == 200
