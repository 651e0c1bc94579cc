"""The terms a review of the Kyrgyz and Russian catalogues settled on, held everywhere they occur.

Each rule reads every message of the project's catalogue and checks what Django gives for it in the language, so a
new message that says "filter" or "private" in English has to follow the same term.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.test_upstream_catalogues import read_msgids

pytestmark = pytest.mark.django_db

MESSAGES = sorted(
    read_msgids(Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"),
    key=lambda entry: (entry[0] or "", entry[1]),
)


def _in(language, entry):
    context, msgid, plural = entry
    with translation.override(language):
        if plural:
            return (
                translation.npgettext(context, msgid, plural, 5) if context else translation.ngettext(msgid, plural, 5)
            )
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def _where(language, english, pattern=None):
    """{English message: its translation} for the messages whose English matches `english` (and whose translation
    matches `pattern`, if given)."""
    found = {}
    for entry in MESSAGES:
        text = _in(language, entry)
        if re.search(english, entry[1]) and (pattern is None or re.search(pattern, text)):
            found[entry[1]] = text
    return found


def test_the_catalogue_is_read():
    assert len(MESSAGES) > 300


@pytest.mark.parametrize(
    ("language", "english", "must", "must_not"),
    [
        # "filter" is чыпкалоо in Kyrgyz, never тандоо ("select").
        ("ky", r"(?i)\bfilter", r"(?i)чыпка", r"(?i)\bтанда"),  # (not "стандарт")
        # What is not published says so: not "closed".
        ("ky", r"\(private\)", r"\(жарыяланбайт\)", r"жабык"),
        ("ru", r"\(private\)", r"\(не для публикации\)", r"закрыт"),
        # The programme's own name, in the admin's header too. (Authenticator apps show the Latin "Intymak".)
        ("ru", r"^Intymak", r"Ынтымак", r"Интымак"),
        # People who visit the site, not "the public".
        ("ru", r"(?i)\bpublic (view|sees)|are public", r"(?i)посетител", r"(?i)\bпублик[аеиуо]\b"),
    ],
)
def test_one_term_everywhere(language, english, must, must_not):
    found = _where(language, english)
    assert found, english
    assert {m: t for m, t in found.items() if not re.search(must, t) or re.search(must_not, t)} == {}


@pytest.mark.parametrize(
    ("language", "pattern"),
    [
        ("ky", r"(?i)администрациялык|жүктөй алат|окутулган локация|көрүнгөн эч нерсе|Жумушчу китеп|Навигация жолу"),
        ("ru", r"(?i)мини-грант|Мероприятия IATI|обученные локации|Интымак|\bпублик[аеиуо]\b"),
    ],
)
def test_the_words_the_review_replaced_are_gone(language, pattern):
    assert _where(language, r".", pattern) == {}


@pytest.mark.parametrize(
    ("msgid", "ky", "ru"),
    [
        ("State classifier of administrative units (СОАТЕ), e.g. 41702000000000.", "Административдик-аймактык", None),
        ("Can see the reports and download the exports", "жүктөп ала алат", None),
        ("Awarded from", "Грант берилген мөөнөттүн башы", None),
        ("Awarded until", "Грант берилген мөөнөттүн аягы", None),
        ("locations trained", "окутуу өткөрүлгөн локациялар", "локации, где проведено обучение"),
        ("nothing visible", "көрүнгөн өзгөртүү жок", None),
        ("Public contact", "Ачык байланыш маалыматтары", None),
        ("Workbook (XLSX): grants, totals, organisations", "Excel файлы (XLSX)", "Книга Excel (XLSX)"),
        ("progress", "иштин жүрүшү", None),
        ("order", "иреттик номери", None),
        ("engagement with youth", "жаштар менен иштөө", None),
        ("Breadcrumb", "Навигация чынжыры", None),
        ("IATI activities (XML 2.03)", None, "Проекты IATI"),
        ("small grant for local self-government", None, "небольшой грант"),
        ("small grants to local self-government bodies", None, "небольшие гранты"),
    ],
)
def test_the_reviewed_messages_read_as_agreed(msgid, ky, ru):
    for language, expected in (("ky", ky), ("ru", ru)):
        if expected:
            with translation.override(language):
                assert expected in translation.gettext(msgid)


def test_their_change_is_one_persons(admin_client):
    with translation.override("ky"):
        message = translation.gettext(
            "%(user)s saved this record at %(time)s, after you opened it, and changed: %(fields)s. Their changes are "
            "now in the form below, beside yours; nothing has been saved yet. Check and save again."
        )
    assert "Анын өзгөртүүсү" in message


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_synthetic_data_help_names_the_command(admin_client, language):
    with translation.override(language):
        url = reverse("admin:grants_grant_add")
    assert "generate_demo_data" in admin_client.get(url).content.decode()
    with translation.override(language):
        assert "generate_demo_data" in translation.gettext("Made up by generate_demo_data, not real.")


def test_the_public_search_field_and_the_admins_search_button_are_named_apart(client, admin_client):
    page = client.get("/ru/initiatives/").content.decode()
    assert re.search(r'<label[^>]*for="id_q"[^>]*>\s*Поиск', page), "the public field is named Поиск"
    admin = admin_client.get("/ru/admin/grants/grant/").content.decode()
    assert '<input type="submit" value="Найти">' in admin
