"""Signing in: lock-out after repeated failures, password rules, idle staff sessions, the staff's second step."""

import logging
import runpy
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from intymak.security import client_ip_address
from intymak.signin import LAST_ACTIVITY_KEY
from tests.forms import rendered_form, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Signing in dozens of times with the production hasher would take minutes; the rules under test are the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PASSWORD = "a-long-test-password-42"
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "intymak" / "settings.py"

# What the lock-out page says, in each language (the start of the message).
LOCKED = {
    "ky": "Бул аккаунтка сиздин дарегиңизден кирүү аракеттери өтө көп жолу ийгиликсиз болду",
    "ru": "Слишком много неудачных попыток входа в эту учётную запись с вашего адреса",
    "en": "Too many failed sign-in attempts for this account from your address",
}


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("aigul", "aigul@example.org", PASSWORD, is_staff=True)


@pytest.fixture
def donor(django_user_model):
    user = django_user_model.objects.create_user("donor", "donor@example.org", PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return user


def _sign_in(client, password, language="ky", username="aigul", address="203.0.113.7", admin=False, **request):
    """The sign-in page as a person uses it, from `address`: opened, filled in, sent."""
    url = f"/{language}/admin/login/" if admin else f"/{language}/accounts/login/"
    changes = {"username": username, "password": password}
    return submit(client, url, changes, button=None, REMOTE_ADDR=address, **request)


def _fail(client, times, **kwargs):
    for _ in range(times):
        response = _sign_in(client, "wrong-password", **kwargs)
    return response


def _signed_in(client):
    return "_auth_user_id" in client.session


# Lock-out ---------------------------------------------------------------------------------------------------


def test_a_wrong_password_shows_the_form_again(client, staff):
    response = _fail(client, 1)
    assert response.status_code == 200
    assert LOCKED["ky"] not in response.content.decode()


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_five_failures_lock_the_account_for_that_address_with_a_message_in_the_page_language(client, staff, language):
    _fail(client, 4, language=language)
    response = _fail(client, 1, language=language)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED[language] in page
    assert f'<html lang="{language}"' in page  # the portal's own page, not a bare English 403
    assert 'name="username"' in page  # still the sign-in page
    # Now even the right password is refused, with the same message.
    response = _sign_in(client, PASSWORD, language=language)
    assert response.status_code == 429 and LOCKED[language] in response.content.decode()
    assert not _signed_in(client)


def test_the_lock_out_names_the_cool_off_in_minutes(client, staff, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    page = _fail(client, 5, language="en").content.decode()
    assert "blocked for 15 minutes" in page


def test_the_lock_out_is_for_that_account_from_that_address_only(client, staff, django_user_model):
    django_user_model.objects.create_user("bakyt", password=PASSWORD)
    _fail(client, 5)
    assert _sign_in(client, PASSWORD).status_code == 429
    # The same account from another address, and another account from the same address, can still sign in.
    elsewhere = Client()
    assert _sign_in(elsewhere, PASSWORD, address="198.51.100.20").status_code == 302
    assert _signed_in(elsewhere)
    colleague = Client()
    assert _sign_in(colleague, PASSWORD, username="bakyt").status_code == 302
    assert _signed_in(colleague)


def test_the_admin_sign_in_is_protected_too(client, staff):
    _fail(client, 5, language="ru", admin=True)
    response = _sign_in(client, PASSWORD, language="ru", admin=True)
    assert response.status_code == 429
    assert LOCKED["ru"] in response.content.decode()
    assert not _signed_in(client)


def test_failures_on_both_sign_in_pages_add_up(client, staff):
    _fail(client, 3, admin=True)
    _fail(client, 2)
    assert _sign_in(client, PASSWORD, admin=True).status_code == 429


def test_after_the_cool_off_the_account_can_sign_in_again(client, staff):
    _fail(client, 5)
    assert _sign_in(client, PASSWORD).status_code == 429
    # Sixteen minutes pass.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _sign_in(client, PASSWORD)
    assert response.status_code == 302 and _signed_in(client)
    # A successful sign-in wipes the slate clean.
    assert not AccessAttempt.objects.exists()


def test_attempts_are_kept_in_the_database(client, staff):
    _fail(client, 2)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("aigul", "203.0.113.7", 2)


def _settings_with(monkeypatch, **environment):
    for name in ("REDIS_URL", "INTYMAK_SIGNIN_ATTEMPTS_STORE", "INTYMAK_SIGNIN_FAILURE_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_attempts_go_to_the_shared_cache_when_there_is_redis(monkeypatch):
    assert _settings_with(monkeypatch)["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    with_redis = _settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert with_redis["AXES_HANDLER"] == "axes.handlers.cache.AxesCacheHandler"
    assert with_redis["AXES_CACHE"] == "default"
    assert with_redis["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    chosen = _settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0", INTYMAK_SIGNIN_ATTEMPTS_STORE="database")
    assert chosen["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    assert _settings_with(monkeypatch, INTYMAK_SIGNIN_FAILURE_LIMIT="8")["AXES_FAILURE_LIMIT"] == 8


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded_for", "expected"),
    [
        (False, "198.51.100.1", "10.0.0.2"),  # no proxy: the header is anyone's to forge, so it is ignored
        (True, "198.51.100.1", "198.51.100.1"),
        (True, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # what the client wrote itself comes first: not trusted
        (True, "", "10.0.0.2"),
        (True, "not-an-address", "10.0.0.2"),
        (True, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_comes_from_the_proxy_only_behind_one(settings, behind_proxy, forwarded_for, expected):
    settings.BEHIND_PROXY = behind_proxy
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip_address(request) == expected


def test_behind_a_proxy_the_lock_out_follows_the_forwarded_address(client, staff, settings):
    settings.BEHIND_PROXY = True
    # Two visitors behind the same proxy (10.0.0.2), which names each one's own address.
    _fail(client, 5, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert _sign_in(client, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    other = _sign_in(Client(), PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert other.status_code == 302


def test_a_failed_sign_in_logs_no_password_or_session_key(client, staff, caplog):
    client.cookies["sessionid"] = "k3yofasessionthatmustneverbelogged"
    with caplog.at_level(logging.DEBUG):
        _fail(client, 5)
    assert "wrong-password" not in caplog.text
    assert "k3yofasessionthatmustneverbelogged" not in caplog.text
    assert caplog.records  # axes does log the failures and the lock-out


# Password rules ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kg-2024-xy", "Бул сырсөз өтө кыска. Ал жок дегенде 12 символ камтышы керек."),
        ("password1234", "Бул сырсөз өтө эле жалпы"),
        ("aigerim.toktogulova", "Сырсөз жана колдонуучу аты өтө эле окшош."),
    ],
    ids=["short", "common", "like-the-username"],
)
def test_the_admin_refuses_a_weak_password_in_kyrgyz(admin_client, password, message):
    changes = {"username": "aigerim.toktogulova", "password1": password, "password2": password}
    response = submit(admin_client, "/ky/admin/auth/user/add/", changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="aigerim.toktogulova").exists()


def test_the_admin_accepts_a_long_uncommon_password():
    add_form = admin.site._registry[User].add_form
    password = "Ынтымак-Баткен-2022-суу"
    form = add_form(
        {"username": "aigerim.toktogulova", "usable_password": "true", "password1": password, "password2": password}
    )
    assert form.is_valid(), form.errors
    assert form.save().check_password(password)


# Idle staff sessions ----------------------------------------------------------------------------------------


def _last_active(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_staff_are_signed_out_after_thirty_idle_minutes(client, staff, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(staff)
    assert client.get("/ky/admin/").status_code == 200
    _last_active(client, 31 * 60)
    response = client.get("/ky/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/ky/accounts/login/?next=/ky/admin/"
    assert not _signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "30 мүнөт аракетсиз болгондон кийин системадан чыгарылдыңыз" in page


def test_activity_keeps_a_staff_session_alive(client, staff, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(staff)
    _last_active(client, 29 * 60)
    assert client.get("/ky/admin/").status_code == 200
    # The request renewed the clock: 29 more minutes are fine too.
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 60
    _last_active(client, 29 * 60)
    assert client.get("/ky/admin/").status_code == 200
    assert _signed_in(client)


def test_donors_keep_the_normal_session_age(client, donor, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(donor)
    _last_active(client, 3 * 60 * 60)
    assert client.get("/ky/reports/").status_code == 200
    assert _signed_in(client)


def test_no_idle_limit_when_it_is_set_to_zero(client, staff, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 0
    client.force_login(staff)
    _last_active(client, 24 * 60 * 60)
    assert client.get("/ky/admin/").status_code == 200


# Two-factor sign-in for staff -------------------------------------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True
    # No waiting between a wrong and a right code within a test (the throttle itself is django-otp's).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _wrong_code(device):
    right = {_code(device, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def test_without_the_setting_staff_open_the_admin_with_a_password_only(client, staff, settings):
    settings.REQUIRE_2FA = False
    client.force_login(staff)
    assert client.get("/ky/admin/").status_code == 200


def test_staff_without_a_verified_device_cannot_open_the_admin(client, staff, require_2fa):
    client.force_login(staff)
    response = client.get("/ky/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/ky/accounts/verify/?next=/ky/admin/"
    # Nor any other page of the admin, nor the reports.
    assert client.get("/ky/admin/grants/grant/").status_code == 302
    assert client.get("/ky/reports/")["Location"].startswith("/ky/accounts/verify/")


def test_a_signed_in_staff_member_sets_up_the_app_and_then_opens_the_admin(client, staff, require_2fa):
    signed_in = submit(client, "/ky/accounts/login/?next=/ky/admin/", {"username": "aigul", "password": PASSWORD},
                       button=None)  # fmt: skip
    assert signed_in["Location"] == "/ky/admin/"
    response = client.get(client.get(signed_in["Location"])["Location"])  # the admin sends them to the code page
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert "otpauth://totp/Intymak%3Aaigul?secret=" in page  # the set-up address, escaped in the page
    assert "<svg" in page  # a QR code drawn by the server
    response = submit(client, "/ky/accounts/verify/?next=/ky/admin/", {"otp_token": _code(device)}, button=None)
    assert response.status_code == 302 and response["Location"] == "/ky/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/ky/admin/").status_code == 200


def test_a_correct_code_opens_the_admin(client, staff, require_2fa):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    page = client.get("/ky/accounts/verify/?next=/ky/admin/").content.decode()
    assert "<svg" not in page and "otpauth" not in page  # a confirmed device's secret is never shown again
    response = submit(client, "/ky/accounts/verify/?next=/ky/admin/", {"otp_token": _code(device)}, button=None)
    assert response["Location"] == "/ky/admin/"
    assert client.get("/ky/admin/").status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ky", "Бул код туура эмес же анын мөөнөтү өтүп кеткен."),
        ("ru", "Этот код неверен или уже устарел."),
        ("en", "This code is not correct or has expired."),
    ],
)
def test_a_wrong_code_is_refused_with_a_translated_message(client, staff, require_2fa, language, message):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    response = submit(client, f"/{language}/accounts/verify/?next=/ky/admin/", {"otp_token": _wrong_code(device)},
                      button=None)  # fmt: skip
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.get(f"/{language}/admin/").status_code == 302


def test_a_code_from_someone_elses_device_is_refused(client, staff, require_2fa, django_user_model):
    other = django_user_model.objects.create_user("bakyt", password=PASSWORD, is_staff=True)
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    others_device = TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    client.force_login(staff)
    submit(client, "/en/accounts/verify/", {"otp_token": _code(others_device)}, button=None)
    assert client.get("/en/admin/").status_code == 302


def test_donors_are_not_asked_for_a_code(client, donor, require_2fa):
    client.force_login(donor)
    assert client.get("/ky/reports/").status_code == 200


def test_the_code_page_sends_only_to_this_site(client, staff, require_2fa):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    # A link that would send the staff member elsewhere once the code is accepted.
    url = "/ky/accounts/verify/?next=https://evil.example/"
    assert rendered_form(client.get(url))["next"] == ["/ky/admin/"]
    response = submit(client, url, {"otp_token": _code(device)}, button=None)
    assert response["Location"] == "/ky/admin/"
