"""The sign-in pages' forms, filled in as the pages render them: the password, then a staff member's code."""

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.forms import rendered_form, submit

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def donor(django_user_model):
    user = django_user_model.objects.create_user("donor", "donor@example.org", PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return user


@pytest.fixture
def staff(django_user_model, settings):
    settings.REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return django_user_model.objects.create_user("aigul", "aigul@example.org", PASSWORD, is_staff=True)


def _field(response, name):
    document = lxml.html.document_fromstring(response.content.decode())
    return document.xpath("//form[starts-with(@id, 'sign-in')]//input[@name=$name]", name=name)[0]


def _label(response, field):
    document = lxml.html.document_fromstring(response.content.decode())
    return document.xpath("//label[@for=$id]", id=field.get("id"))[0].text_content().strip()


def _alerts(response):
    document = lxml.html.document_fromstring(response.content.decode())
    return [" ".join(element.text_content().split()) for element in document.xpath("//*[@role='alert']")]


def test_the_sign_in_form_asks_for_a_name_and_password_with_labels_in_the_page_language(client, db):
    page = client.get("/ru/accounts/login/?next=/ru/reports/")
    username, password = _field(page, "username"), _field(page, "password")
    assert _label(page, username) == "Имя пользователя*" and _label(page, password) == "Пароль*"
    assert username.get("autocomplete") == "username" and password.get("autocomplete") == "current-password"
    assert password.get("type") == "password"
    assert "required" in username.attrib and "required" in password.attrib
    assert rendered_form(page, "sign-in")["next"] == ["/ru/reports/"]


def test_a_donor_signs_in_with_the_form_and_reaches_the_page_asked_for(client, donor):
    response = submit(
        client, "/en/accounts/login/?next=/en/reports/", {"username": "donor", "password": PASSWORD},
        form_id="sign-in", button=None,
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/en/reports/"
    assert client.get("/en/reports/").status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ky", "Туура колдонуучу аты жана сырсөз киргизиңиз"),
        ("ru", "Пожалуйста, введите правильные имя пользователя и пароль"),
        ("en", "Please enter a correct username and password"),
    ],
)
def test_a_wrong_password_is_announced_and_the_name_kept(client, donor, language, message):
    response = submit(
        client, f"/{language}/accounts/login/", {"username": "donor", "password": "not-the-password"},
        form_id="sign-in", button=None,
    )  # fmt: skip
    assert response.status_code == 200
    assert any(alert.startswith(message) for alert in _alerts(response)), _alerts(response)
    assert rendered_form(response, "sign-in")["username"] == ["donor"]
    assert rendered_form(response, "sign-in")["password"] == [""]  # never sent back


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_staff_sign_in_then_give_the_code_their_app_shows(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    signed_in = submit(
        client, "/ky/accounts/login/?next=/ky/admin/", {"username": "aigul", "password": PASSWORD},
        form_id="sign-in", button=None,
    )  # fmt: skip
    assert signed_in["Location"] == "/ky/admin/"
    code_page = client.get("/ky/admin/", follow=True)
    assert code_page.request["PATH_INFO"] == "/ky/accounts/verify/"
    token = _field(code_page, "otp_token")
    assert token.get("autocomplete") == "one-time-code" and token.get("inputmode") == "numeric"
    assert "autofocus" in token.attrib and "required" in token.attrib
    verified = submit(client, "/ky/accounts/verify/?next=/ky/admin/", {"otp_token": _code(device)},
                      form_id="sign-in-code", button=None)  # fmt: skip
    assert verified.status_code == 302 and verified["Location"] == "/ky/admin/"
    assert client.get("/ky/admin/").status_code == 200


def test_a_wrong_code_is_shown_beside_the_field_and_read_with_it(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    right = {_code(device, offset) for offset in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in right)
    response = submit(client, "/ru/accounts/verify/?next=/ru/admin/", {"otp_token": wrong},
                      form_id="sign-in-code", button=None)  # fmt: skip
    assert response.status_code == 200
    token = _field(response, "otp_token")
    assert token.get("aria-invalid") == "true"
    document = lxml.html.document_fromstring(response.content.decode())
    described = document.xpath("//*[@id=$id]", id=token.get("aria-describedby"))[0].text_content().strip()
    assert described.startswith("Этот код неверен или уже устарел.")


def test_the_sign_in_pages_need_no_inline_scripts_or_styles(client, staff):
    from tests.test_security_headers import _inline_code

    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    wrong = submit(client, "/ky/accounts/login/", {"username": "aigul", "password": "wrong"}, form_id="sign-in",
                   button=None)  # fmt: skip
    assert _inline_code(wrong.content.decode()) == []
    client.force_login(staff)
    assert _inline_code(client.get("/ky/accounts/verify/").content.decode()) == []
