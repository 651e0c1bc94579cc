"""Nothing is lost: history of every change, restore by a manager, no silent overwrite, archive not delete."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from core.roles import MANAGERS, TRANSLATORS
from grants.models import Grant
from mediators.models import Mediator
from tests import factories

pytestmark = pytest.mark.django_db


def _grant_form(client, grant, **changes):
    form = client.get(f"/en/admin/grants/grant/{grant.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data.update({"updates-TOTAL_FORMS": "0", "updates-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def _person(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="a-long-test-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


def test_history_shows_who_changed_which_field_in_which_language(admin_client, superuser):
    grant = factories.GrantFactory(title_ky="Эски аталыш", title_en="Old title")
    response = admin_client.post(
        f"/en/admin/grants/grant/{grant.pk}/change/",
        _grant_form(admin_client, grant, title_ky="Жаңы аталыш", title_en="New title"),
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
    assert translator.post(url, {"_save": "1"}).status_code == 403
    _manager, manager = _person(django_user_model, "manager", MANAGERS)
    page = manager.get(url)
    assert page.status_code == 200
    data = _grant_form(manager, grant)
    data["title_en"] = "First"
    manager.post(url, {**data, "_save": "1"})
    grant.refresh_from_db()
    assert grant.title_en == "First"


def test_a_second_save_over_someone_elses_change_is_refused_and_keeps_what_was_typed(admin_client, django_user_model):
    grant = factories.GrantFactory(title_en="Original", summary_en="Original summary")
    mine = _grant_form(admin_client, grant, summary_en="My careful summary")
    # Someone else saves first.
    _other, other = _person(django_user_model, "other-manager", MANAGERS)
    other.post(f"/en/admin/grants/grant/{grant.pk}/change/", _grant_form(other, grant, title_en="Their title"))
    response = admin_client.post(f"/en/admin/grants/grant/{grant.pk}/change/", mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "other-manager saved this record at" in html and "title [en]" in html.lower()
    assert "My careful summary" in html  # what I typed is still in the form
    grant.refresh_from_db()
    assert grant.title_en == "Their title" and grant.summary_en == "Original summary"
    # Having read the message, saving again goes through.
    again = {**mine, "edited_version": response.context["adminform"].form.data["edited_version"]}
    again["title_en"] = "Their title"
    assert admin_client.post(f"/en/admin/grants/grant/{grant.pk}/change/", again).status_code == 302
    grant.refresh_from_db()
    assert grant.summary_en == "My careful summary" and grant.title_en == "Their title"


def test_the_refusal_speaks_the_staff_members_language(admin_client, django_user_model):
    grant = factories.GrantFactory()
    mine = _grant_form(admin_client, grant, title_ru="Моё")
    _other, other = _person(django_user_model, "kuratorka", MANAGERS)
    other.post(f"/en/admin/grants/grant/{grant.pk}/change/", _grant_form(other, grant, title_en="Theirs"))
    html = admin_client.post(f"/ru/admin/grants/grant/{grant.pk}/change/", mine).content.decode()
    assert "kuratorka сохранил(а) её в" in html


def test_an_organisation_with_grants_cannot_be_deleted_and_the_admin_says_why(admin_client):
    grant = factories.GrantFactory()
    organization = grant.recipient
    page = admin_client.get(f"/en/admin/grants/organization/{organization.pk}/delete/").content.decode()
    assert "would require deleting the following protected related objects" in page
    admin_client.post(f"/en/admin/grants/organization/{organization.pk}/delete/", {"post": "yes"})
    assert type(organization).objects.filter(pk=organization.pk).exists()
    ky = admin_client.get(f"/ky/admin/grants/organization/{organization.pk}/delete/").content.decode()
    assert "protected" not in ky


def test_grants_and_mediators_are_archived_not_deleted_and_leave_public_view(admin_client, client):
    grant = factories.GrantFactory(title_en="To be archived")
    mediator = factories.MediatorFactory(name_en="Archived Mediator", public_consent=True)
    assert admin_client.get(f"/en/admin/grants/grant/{grant.pk}/delete/").status_code == 403
    admin_client.post("/en/admin/grants/grant/", {"action": "archive", "_selected_action": [grant.pk]})
    admin_client.post("/en/admin/mediators/mediator/", {"action": "archive", "_selected_action": [mediator.pk]})
    grant.refresh_from_db()
    assert grant.archived and Grant.objects.filter(pk=grant.pk).exists()
    assert Mediator.objects.get(pk=mediator.pk).archived
    assert client.get(f"/en/initiatives/{grant.slug}/").status_code == 404
    assert "To be archived" not in client.get("/en/initiatives/").content.decode()
    assert client.get(f"/en/mediators/{mediator.slug}/").status_code == 404
    assert grant.history.filter(archived=True).exists()  # who archived it is on record
    admin_client.post("/en/admin/grants/grant/", {"action": "restore", "_selected_action": [grant.pk]})
    assert client.get(f"/en/initiatives/{grant.slug}/").status_code == 200
