"""Signing in safely: the lock-out page, staff sessions that end when idle, and the staff's second step (TOTP)."""

import math
import time
from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LogoutView, redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

# The session remembers when a staff member last made a request (seconds since the epoch).
LAST_ACTIVITY_KEY = "intymak_last_activity"
# Pages an unverified staff member may still open: the code page itself and the ways out.
TWO_FACTOR_EXEMPT_VIEWS = {"verify-code", "login", "logout", "admin:logout"}


def _minutes(seconds):
    return max(1, math.ceil(seconds / 60))


class SignInForm(AuthenticationForm):
    """Django's sign-in form without its autofocus: a keyboard or screen-reader user starts at the top of the page
    (the skip link, the header, the language links) like on every other page, not inside the first field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page with a clear message, for someone locked out by django-axes (AXES_LOCKOUT_CALLABLE)."""
    minutes = _minutes(settings.AXES_COOLOFF_TIME.total_seconds())
    message = ngettext(
        "Too many failed sign-in attempts for this account from your address. For your security, signing in "
        "is blocked for %(minutes)s minute. Please try again later; if you have forgotten your password, ask "
        "the programme's administrator.",
        "Too many failed sign-in attempts for this account from your address. For your security, signing in "
        "is blocked for %(minutes)s minutes. Please try again later; if you have forgotten your password, ask "
        "the programme's administrator.",
        minutes,
    ) % {"minutes": minutes}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "form": SignInForm(request, initial={"username": username}),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "locked_out_message": message,
    }
    return render(request, "registration/login.html", context, status=429)


class StaffSessionIdleMiddleware:
    """Signs staff out after INTYMAK_STAFF_SESSION_IDLE_SECONDS without a request; others keep Django's session age.

    Staff can change every record of the programme, so a computer left signed in at a shared office should not
    stay open to the next person for the two weeks a session otherwise lasts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.STAFF_SESSION_IDLE_SECONDS
        user = request.user
        if limit and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > limit:
                logout(request)
                messages.warning(request, self._message(limit))
                return redirect_to_login(request.get_full_path())
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _message(limit):
        minutes = _minutes(limit)
        return ngettext(
            "You were signed out after %(minutes)s minute without activity. Please sign in again.",
            "You were signed out after %(minutes)s minutes without activity. Please sign in again.",
            minutes,
        ) % {"minutes": minutes}


class StaffTwoFactorMiddleware:
    """With INTYMAK_REQUIRE_2FA on, staff who signed in with their password still need a code from their
    authenticator app before they reach the admin or any other page: they are sent to the code page first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_2FA:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        if request.resolver_match.view_name in TWO_FACTOR_EXEMPT_VIEWS:
            return None
        return redirect_to_login(request.get_full_path(), reverse("verify-code"))


class CodeForm(forms.Form):
    """The second step's form, drawn by crispy-forms like the password's (templates/registration/)."""

    otp_token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=16,
        # Phones offer the code from a text message or the authenticator, and a keypad of digits.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else reverse("admin:index")


def _setup_device(user):
    """The device a staff member without a confirmed one is setting up: kept until its first code confirms it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def _qr_code_svg(data, title):
    """The QR code as inline SVG, drawn here (no image service, no script); None if segno is not installed."""
    try:
        import segno
    except ImportError:
        return None
    return mark_safe(segno.make(data, error="m").svg_inline(scale=4, light="#fff", title=title))  # noqa: S308


def _check_code(user, devices, token):
    """The device that accepts the code, or the reason none did (a wrong code, or too many wrong codes)."""
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if not allowed:
        return None, _("Too many wrong codes. Wait a minute, then enter the current code.")
    for device in allowed:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified, None
    return None, _("This code is not correct or has expired. Enter the code your authenticator app shows now.")


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def verify_code(request):
    """The second step of a staff member's sign-in; the first time, it also sets up their authenticator app."""
    user = request.user
    next_url = _next_url(request)
    if not user.is_staff or user.is_verified():
        return redirect(next_url)
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    setting_up = not devices
    if setting_up:
        devices = [_setup_device(user)]
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device, error = _check_code(user, devices, form.cleaned_data["otp_token"].strip().replace(" ", ""))
        if device is not None:
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("otp_token", error)
    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        device = devices[0]
        secret = b32encode(device.bin_key).decode()
        context |= {
            "config_url": device.config_url,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_code": _qr_code_svg(device.config_url, _("QR code for your authenticator app")),
        }
    return render(request, "registration/verify_code.html", context)


class SignOutView(LogoutView):
    """Django signs out on POST only, and answers a GET (a link followed, an address typed) with an empty 405. Here
    a GET gets a page in the visitor's language with the button that signs out; POST signs out as before."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout_confirm.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())
