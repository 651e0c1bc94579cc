"""Intymak settings: every value comes from the environment, with safe defaults for a first run.

Production sets at least DJANGO_SECRET_KEY, DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS and DATABASE_URL
(see README.md, "Settings").
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", True)
# The fallback key only exists so that a fresh clone runs; production refuses to start without a real one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-a-local-first-run"
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # django-axes and django-otp's TOTP, under names translated for the admin (intymak/security_apps.py).
    "intymak.security_apps.AxesConfig",
    "django_otp",
    "intymak.security_apps.TOTPConfig",
    "core",
    "locations",
    "grants",
    "mediators",
    "intymak",
]

MIDDLEWARE = [
    # First, so that every response gets the headers: redirects, static files, cached pages, errors.
    "intymak.security.SecurityHeadersMiddleware",
    # A database that cannot be reached: the translated 503 page, wherever it shows (intymak/unavailable.py).
    "intymak.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages for visitors without a session, before the middleware such a page does not need
    # (sessions, language, CSRF, authentication, messages): intymak/page_cache.py.
    "intymak.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so that "you were signed out" reaches the sign-in page. (The page cache above only
    # serves visitors without a session, whom these two leave alone.)
    "intymak.signin.StaffSessionIdleMiddleware",
    "intymak.signin.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Form widgets render with the project's templates, so that templates/django/forms/ can override Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "intymak.urls"
WSGI_APPLICATION = "intymak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "intymak.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite ignores the covering columns of indexes made for PostgreSQL; nothing to do about it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Portals (or staging and production) sharing one Redis database keep apart by their prefixes.
            "KEY_PREFIX": os.environ.get("INTYMAK_CACHE_KEY_PREFIX", ""),
        }
    }
else:
    # A file cache is shared by every worker process of one machine, unlike the in-process default.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }

# Anonymous visitors' public pages are kept this long in the cache above; 0 turns the page cache off.
PAGE_CACHE_SECONDS = envint("INTYMAK_PAGE_CACHE_SECONDS", 600)

# django-axes watches every sign-in (the public page and the admin's) before Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kyrgyz first. Missing translated text falls back ky -> ru -> en.
LANGUAGE_CODE = "ky"
LANGUAGES = [
    ("ky", _("Kyrgyz")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "upstream"]
# Date formats where Django's own are not how the language writes dates (Kyrgyz: intymak/formats/ky).
FORMAT_MODULE_PATH = ["intymak.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ky"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ky", "ru", "en")
# Staff work in the language they know: no single language is required by modeltranslation;
# each model's clean() asks for the name or title in at least one language.
MODELTRANSLATION_REQUIRED_LANGUAGES = ()
TIME_ZONE = "Asia/Bishkek"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The public forms are drawn by crispy-forms with its Bootstrap 5 pack (core/filters.py, templates/registration/).
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter's "any value" choice, first in each of its lists.
FILTERS_EMPTY_CHOICE_LABEL = _("All")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "grants:reports"
LOGOUT_REDIRECT_URL = "intymak:home"

# Sign-in lock-out (django-axes): after this many failed sign-ins for one account from one address, that
# account is locked for that address during the cool-off. Other people behind the same address are not.
AXES_FAILURE_LIMIT = envint("INTYMAK_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("INTYMAK_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "intymak.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "intymak.security.client_ip_address"
# Attempts are kept in the database (and listed in the admin); with REDIS_URL, in the shared cache, so that every
# app server sees them. INTYMAK_SIGNIN_ATTEMPTS_STORE=database|cache chooses explicitly.
_attempts_store = os.environ.get("INTYMAK_SIGNIN_ATTEMPTS_STORE", "cache" if REDIS_URL else "database")
AXES_HANDLER = {
    "database": "axes.handlers.database.AxesDatabaseHandler",
    "cache": "axes.handlers.cache.AxesCacheHandler",
}[_attempts_store]
AXES_CACHE = "default"

# Staff are signed out after this long without a request; everyone else keeps Django's session age.
STAFF_SESSION_IDLE_SECONDS = envint("INTYMAK_STAFF_SESSION_IDLE_SECONDS", 30 * 60)

# Two-factor sign-in (TOTP, django-otp): when on, staff must enter a code from their authenticator app
# before they reach the admin or any other page.
REQUIRE_2FA = envbool("INTYMAK_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Intymak"

# Behind a reverse proxy (nginx, a load balancer) that sets X-Forwarded-Proto and X-Forwarded-For.
BEHIND_PROXY = envbool("DJANGO_BEHIND_PROXY", False)
# How many proxies append to X-Forwarded-For in front of the portal; the client is that many entries from the end.
PROXY_COUNT = envint("DJANGO_PROXY_COUNT", 1)

SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", False)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
# Preloading is a promise to browsers that is slow to take back: only on request.
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Every page, the admin included, runs only the portal's own scripts and styles (intymak/security.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Whatever a log line says (a request, an error's message), it never carries passwords or session keys.
    "filters": {"scrub_secrets": {"()": "intymak.security.ScrubSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The public site's own address, used in exports and the sitemap when no request is at hand.
SITE_URL = os.environ.get("INTYMAK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The tabbed translation fields in the admin need jQuery UI: served from the project, not a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# Open-data exports. The newsletter names no identifiers: the publisher sets its own (README, "Exports").
INTYMAK_IATI_REPORTING_ORG_REF = os.environ.get("INTYMAK_IATI_REPORTING_ORG_REF", "XX-INTYMAK-UNCONFIGURED")
INTYMAK_IATI_REPORTING_ORG_TYPE = os.environ.get("INTYMAK_IATI_REPORTING_ORG_TYPE", "90")
INTYMAK_IATI_REPORTING_ORG_NAME = os.environ.get(
    "INTYMAK_IATI_REPORTING_ORG_NAME", "Intymak portal (publisher not configured)"
)
INTYMAK_360GIVING_PREFIX = os.environ.get("INTYMAK_360GIVING_PREFIX", "360G-intymak")
