"""When the database cannot be reached: a translated 503 page instead of an error, and recovery by itself.

If PostgreSQL stops or the connection to it breaks, Django raises OperationalError or InterfaceError wherever the
database is first touched: in a view, or already in a middleware (the session, the signed-in user). The visitor
then gets templates/503.html in the page's language with `Retry-After`, and the log gets one line that says why.
Nothing else is needed to recover: with CONN_HEALTH_CHECKS, the next request opens a new connection.

Django turns an exception into a response at the middleware where it is raised (each middleware is wrapped in
convert_exception_to_response), so no middleware further out ever sees it. Hence three places:

- DatabaseUnavailableMiddleware.process_exception: raised by a view (or while rendering its template response);
- the 500 handler (intymak.views.server_error) asks `response_for_current_exception`: raised by a middleware,
  for which Django calls the 500 handler while handling the exception;
- DatabaseUnavailableMiddleware.__call__: whatever still escapes, e.g. from the 500 handler itself.

The page is rendered without the request, so no context processor runs and nothing on it can touch the database
(`user`, `messages`). With DJANGO_DEBUG on, developers get Django's debug page as for any other error.
"""

import logging
import re
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .context_processors import site
from .security import MASK, scrub

logger = logging.getLogger("intymak.unavailable")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
# user:password@ in a connection address, should a driver ever quote one.
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")


def is_database_error(exc):
    return isinstance(exc, DATABASE_ERRORS)


def _describe(exc):
    """The error's type and the first line of its message, without anything secret."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return scrub(_URL_CREDENTIALS.sub(rf"\1{MASK}@", f"{type(exc).__name__}: {message}"))


def _language(request):
    """The page's language from its address, else the one LocaleMiddleware chose, else the browser's."""
    codes = {code for code, _name in settings.LANGUAGES}
    for language in (
        translation.get_language_from_path(request.path_info),
        getattr(request, "LANGUAGE_CODE", None),
    ):
        if language in codes:
            return language
    try:
        return translation.get_language_from_request(request)
    except Exception:  # noqa: BLE001 - a malformed header must not stop the error page
        return settings.LANGUAGE_CODE


def unavailable_response(request, exc):
    """The 503 page in the request's language; logs the reason (without credentials)."""
    logger.error("The database is unavailable; %s %s answered 503. %s", request.method, request.path, _describe(exc))
    with translation.override(_language(request)):
        try:
            context = site(request)  # the language switcher's links: no database involved
        except Exception:  # noqa: BLE001 - the page works without them
            context = {}
        context["retry_url"] = request.get_full_path()
        content = render_to_string("503.html", context)  # no request: no context processors, no database
        response = HttpResponse(content, status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def response_for_current_exception(request):
    """For the 500 handler: the 503 page if the exception being handled is a database error, else None."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_error(exc):
        return unavailable_response(request, exc)
    return None


class DatabaseUnavailableMiddleware:
    """Answers 503 with the translated page when the database cannot be reached (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS as exc:
            if settings.DEBUG:
                raise
            return unavailable_response(request, exc)

    def process_exception(self, request, exception):
        if settings.DEBUG or not is_database_error(exception):
            return None
        return unavailable_response(request, exception)
