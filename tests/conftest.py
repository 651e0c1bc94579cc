import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from grants.newsletter import load_newsletter

LANGUAGES = ("ky", "ru", "en")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Every test gets an empty in-process cache of its own, never the developer's file cache.

    The public page cache is off, so tests see each response's context; tests of the cache turn it on.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    # Tests read static files where they are, without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PAGE_CACHE_SECONDS = 0
    # Users are made in many tests: a fast hasher (the password rules are tested on their own).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def newsletter(db, django_capture_on_commit_callbacks):
    """The programme's first real data: the newsletter's 25 grants in 9 regions, as if committed."""
    with django_capture_on_commit_callbacks(execute=True):
        return load_newsletter()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password-42")


@pytest.fixture
def admin_client(superuser):
    """A client of its own, signed in as a superuser (tests may also use `client` for someone else)."""
    client = Client()
    client.force_login(superuser)
    return client
