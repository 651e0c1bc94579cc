"""Hardening that applies to every request: security headers, the client's address, and logs without secrets."""

import ipaddress
import logging
import re

from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy (Django 5.2 has none of its own) and makes sure of X-Frame-Options.

    It is the outermost middleware, so that it also covers what other middleware answers by itself: static
    files, redirects to a language, cached pages, error pages. A view that sets its own policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django's debug pages (DEBUG only, never in production) are made of inline styles and scripts.
        if not (settings.DEBUG and response.status_code >= 400):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


def client_ip_address(request):
    """The address that sign-in lock-outs are counted by (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind the portal's own proxies (DJANGO_BEHIND_PROXY=1), each of the DJANGO_PROXY_COUNT proxies appends the
    address it was reached from to X-Forwarded-For, so the client is that many entries from the end; entries
    further left were written by the client and may be forged. Without a proxy the header is ignored, for
    anyone can send it.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote
    candidate = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


MASK = "********"
# Names of fields, cookies and parameters whose values never belong in a log.
_SECRET_NAME = r"[\w-]*(?:password|passwd|secret|token|session|csrf|otp)[\w-]*"
_SECRET_PATTERNS = [
    # sessionid=abc; password=xyz&... (cookies, query strings, form bodies)
    (re.compile(rf"(?i)\b({_SECRET_NAME})=([^;&\s'\"<>,]+)"), rf"\1={MASK}"),
    # 'password': ['xyz'] or "sessionid": "abc" (the repr of a QueryDict, a dict of cookies or of META)
    (
        re.compile(rf"(?i)(['\"])({_SECRET_NAME})\1(\s*:\s*)(\[[^\]]*\]|'[^']*'|\"[^\"]*\")"),
        rf"\1\2\1\3'{MASK}'",
    ),
]


def scrub(text):
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubSecretsFilter(logging.Filter):
    """Masks passwords, session keys and CSRF tokens in a log record's message and traceback.

    Django's error reports already hide sensitive settings and the POST parameters that views mark with
    `sensitive_post_parameters` (its sign-in views do); this also covers a message or an exception that quotes
    a request's cookies or form data. It changes the record itself, so handlers called after this one (and
    anything that captures records) see the masked text too.
    """

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's business to report, not ours
            return True
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
