"""Public pages are cached per language for anonymous visitors; a change shows on the next request."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client

from grants.models import Grant
from intymak import page_cache
from intymak.page_cache import VERSION_KEY
from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_file_cache(settings, tmp_path):
    """The default cache as in production without Redis: files that every worker process reads."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    settings.PAGE_CACHE_SECONDS = 600
    return tmp_path


def test_second_anonymous_request_is_served_from_the_cache(client, shared_file_cache):
    grant = GrantFactory(title_en="First title")
    first = client.get(f"/en/initiatives/{grant.slug}/")
    second = client.get(f"/en/initiatives/{grant.slug}/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_each_language_has_its_own_cached_page(client, shared_file_cache):
    grant = GrantFactory(title_ky="Кыргызча аталыш", title_en="English title")
    assert "English title" in client.get(f"/en/initiatives/{grant.slug}/").content.decode()
    ky = client.get(f"/ky/initiatives/{grant.slug}/")
    assert ky["X-Page-Cache"] == "miss"
    assert "Кыргызча аталыш" in ky.content.decode()


def test_a_change_is_visible_on_the_next_request_of_another_worker(
    client, shared_file_cache, django_capture_on_commit_callbacks
):
    # The cache is invalidated when a change is committed; the test's transaction never commits by itself.
    with django_capture_on_commit_callbacks(execute=True):
        grant = GrantFactory(title_en="Before")
    url = f"/en/initiatives/{grant.slug}/"
    assert "Before" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    # Another worker process has its own cache object on the same files; it sees the version change.
    other_worker = caches.create_connection("default")
    version_before = other_worker.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        grant.title_en = "After"
        grant.save()
    assert other_worker.get(VERSION_KEY) not in (None, version_before)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "After" in response.content.decode()


def test_bulk_changes_invalidate_too(client, shared_file_cache):
    from core.signals import data_changed

    grant = GrantFactory(title_en="Before")
    url = f"/en/initiatives/{grant.slug}/"
    client.get(url)
    Grant.objects.filter(pk=grant.pk).update(title_en="After")  # no model signal
    data_changed.send(sender=Grant)
    assert "After" in client.get(url).content.decode()


def test_a_cached_page_answers_the_headers_of_the_page_it_copies(client, shared_file_cache):
    grant = GrantFactory()
    url = f"/ru/initiatives/{grant.slug}/"
    first, second = client.get(url), client.get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert first["Content-Language"] == "ru" and "Content-Security-Policy" in first
    assert {k: v for k, v in second.items() if k != "X-Page-Cache"} == {
        k: v for k, v in first.items() if k != "X-Page-Cache"
    }


@pytest.mark.parametrize("cookie", [settings.SESSION_COOKIE_NAME, "messages"])
def test_a_visitor_with_a_session_or_messages_neither_gets_nor_leaves_a_cached_page(cookie, client, shared_file_cache):
    grant = GrantFactory()
    url, other_url = f"/en/initiatives/{grant.slug}/", f"/en/organizations/{grant.recipient.slug}/"
    client.get(url)
    with_cookie = Client()
    with_cookie.cookies[cookie] = "something of their own"
    assert "X-Page-Cache" not in with_cookie.get(url)
    assert "X-Page-Cache" not in with_cookie.get(other_url)
    assert client.get(other_url)["X-Page-Cache"] == "miss"


def test_staff_always_see_fresh_pages(admin_client, client, shared_file_cache):
    grant = GrantFactory(title_en="Visible")
    url = f"/en/initiatives/{grant.slug}/"
    client.get(url)
    assert "X-Page-Cache" not in admin_client.get(url)
    assert "X-Page-Cache" not in admin_client.get(url)


def test_not_found_and_redirects_are_not_stored(client, shared_file_cache):
    assert client.get("/en/initiatives/none/").status_code == 404
    assert "X-Page-Cache" not in client.get("/en/initiatives/none/")


def test_the_cache_can_be_switched_off(client, shared_file_cache, settings):
    settings.PAGE_CACHE_SECONDS = 0
    grant = GrantFactory()
    client.get(f"/en/initiatives/{grant.slug}/")
    assert "X-Page-Cache" not in client.get(f"/en/initiatives/{grant.slug}/")


@pytest.fixture
def invalidations(monkeypatch):
    """How many times the data version was renewed."""
    calls = []
    original = page_cache.invalidate
    monkeypatch.setattr(page_cache, "invalidate", lambda **kwargs: (calls.append(1), original(**kwargs)))
    return calls


def test_one_invalidation_per_transaction_however_many_rows(db, django_capture_on_commit_callbacks, invalidations):
    with django_capture_on_commit_callbacks(execute=True):
        grants = GrantFactory.create_batch(5)
        Grant.objects.filter(pk__in=[g.pk for g in grants]).delete()
    assert len(invalidations) == 1
    with django_capture_on_commit_callbacks(execute=True):
        GrantFactory()
    assert len(invalidations) == 2


def test_a_change_rolled_back_does_not_stop_the_next_commit_invalidating(
    db, django_capture_on_commit_callbacks, invalidations
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            GrantFactory()
            raise RuntimeError("rolled back")
        assert not Grant.objects.exists()
        GrantFactory()
    assert len(invalidations) == 1
    assert Grant.objects.count() == 1


def test_a_transaction_rolled_back_invalidates_nothing(db, django_capture_on_commit_callbacks, invalidations):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            GrantFactory()
            raise RuntimeError("rolled back")
    assert invalidations == []
