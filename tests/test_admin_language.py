"""Every admin page a superuser can open speaks the page's language: no English is left in the interface.

The pages are found as a staff member finds them: a crawl from the admin's index that follows every link within
the admin (change lists, add and change forms, history and its versions, delete confirmations, password forms,
the authenticator's set-up page), plus what only a form leads to: an add form sent empty (its error messages) and
the "delete selected" action's confirmation, each sent as the page rendered it.

English is told from data by what is stored: every text the database holds (names, slugs, user names, what a
browser sent to the sign-in) is removed from the page's text as a whole, and whatever Latin-script word is left
is interface — unless it is a name or code that every language writes alike (ALLOWED). Stored text that the
interface labels (choice codes, Django's English permission names, the log's change messages) is not data: the
admin must show it translated.
"""

import html
import re
from collections import deque
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.forms import rendered_form, submit, with_changes

pytestmark = pytest.mark.django_db

# Latin words that are names, codes or standards, written alike in every language.
ALLOWED = {
    "KGS", "USD", "EUR", "ISO", "IATI", "INN", "KG", "XM", "DAC", "GeoJSON", "COATE", "OKPO", "URL", "IP", "HTTP",
    "GET", "POST", "Accept",  # HTTP's names: a request's parts, the header "Accept"
    "TOTP", "QR", "Unix", "LDAP", "Intymak",  # the name authenticator apps show
    "CTRL", "Ctrl", "Cmd", "Command", "Control", "Mac",  # keys, as the keyboard writes them
    "ky", "ru", "en",  # the language of each translation tab
}  # fmt: skip
# Names written with other signs than letters: a standard, a register of identifiers, a header, a kind of sign-in.
NAMES = ("360Giving", "org-id.guide", "User-Agent", "Single Sign-On")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Stored text that the interface itself puts into words: shown as stored, it would be English.
NOT_DATA = {(Permission, "name"), (Permission, "codename"), (ContentType, "app_label"), (ContentType, "model"),
            (LogEntry, "change_message")}  # fmt: skip


def visible_text(page):
    """What a person reads (or a screen reader says): text, button labels, titles, alternative texts."""
    page = re.sub(r"<(script|style|svg|textarea)\b.*?</\1>", " ", page, flags=re.S)
    # A password's stored hash is shown as its algorithm, salt and masked hash: code, not words.
    page = re.sub(r"<bdi>[^<]*</bdi>", " ", page)
    attributes = re.findall(r'\s(?:title|placeholder|aria-label|alt)="([^"]*)"', page)
    buttons = re.findall(r'<input\b[^>]*\btype="(?:submit|button|reset)"[^>]*\bvalue="([^"]*)"', page)
    buttons += re.findall(r'<input\b[^>]*\bvalue="([^"]*)"[^>]*\btype="(?:submit|button|reset)"', page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + " ".join(attributes + buttons))
    # Code: addresses (an authenticator app's otpauth://, a link written out) and command names (generate_demo_data).
    text = re.sub(r"\b[a-z]+://\S+|\b[a-z0-9]+(?:_[a-z0-9]+)+\b", " ", text)
    for name in NAMES:
        text = text.replace(name, " ")
    return " ".join(text.split())


def stored_texts():
    """Every text the database holds, longest first: the data the pages show."""
    texts = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and (model, field.name) not in NOT_DATA
        ]
        for row in model._default_manager.values_list(*fields) if fields else ():
            texts |= {" ".join(str(value).split()) for value in row if value and LATIN_WORD.search(str(value))}
    return sorted(texts, key=len, reverse=True)


def english_words(page, data):
    """{word: the words around it} for each Latin-script word of the page that is neither data nor allowed."""
    text = visible_text(page)
    for value in data:
        text = re.sub(rf"(?<![\w@.]){re.escape(value)}(?![\w@])", " · ", text)
    return {
        match[0]: text[max(0, match.start() - 50) : match.end() + 50]
        for match in LATIN_WORD.finditer(text)
        if match[0] not in ALLOWED
    }


def admin_world(superuser):
    """One record of every kind the admin lists, a second user, and a history with a change in it."""
    for factory in (factories.GrantUpdateFactory, factories.ProgramComponentFactory, factories.TrainingFactory):
        factory()
    mediator = factories.MediatorFactory(mentor=factories.MediatorFactory())
    mediator.languages.set([factories.LanguageFactory(code="ky")])
    mediator.specialisations.set([factories.SpecialisationFactory()])
    factories.ThemeFactory()
    factories.OrganizationFactory()  # one without grants, that can be deleted
    translator = User.objects.create_user("translator", password="a-long-test-password-42", first_name="Aida")
    Group.objects.get(name="Translators").user_set.add(translator)
    TOTPDevice.objects.create(user=superuser, name="Aegis", confirmed=True)
    now = timezone.now()
    browser = {"ip_address": "192.0.2.7", "user_agent": "Mozilla/5.0 (Android 13) Firefox/120.0",
               "http_accept": "text/html", "path_info": "/ky/admin/login/"}  # fmt: skip
    AccessAttempt.objects.create(username="someone", attempt_time=now, failures_since_start=2,
                                 get_data="", post_data="username=someone", **browser)  # fmt: skip
    AccessLog.objects.create(username="admin", attempt_time=now - timedelta(hours=1), logout_time=now, **browser)
    AccessFailureLog.objects.create(username="someone", attempt_time=now, locked_out=False, **browser)


SKIPPED_PATHS = re.compile(r"/(logout|jsi18n|r/\d+/\d+|autocomplete)/|/qrcode/$")


def crawl(client, start):
    """{url: response} of every admin page reachable from `start` by links (query strings aside)."""
    seen, pages, queue = {start}, {}, deque([start])
    while queue:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        document = lxml.html.document_fromstring(response.content.decode())
        for href in document.xpath("//a/@href"):
            target = urlsplit(urljoin(url, href))
            path = target.path
            if target.netloc or not path.startswith(start) or SKIPPED_PATHS.search(path) or path in seen:
                continue
            seen.add(path)
            queue.append(path)
    return pages


def form_pages(client, pages):
    """The pages behind forms: each add form sent empty, and the "delete selected" confirmation of each list."""
    more = {}
    for url, response in pages.items():
        if response.status_code != 200:
            continue
        page = response.content.decode()
        if url.endswith("/add/") and 'id="' in page and "_save" in page:
            more[f"POST {url} (empty)"] = submit(client, url)
        if 'value="delete_selected"' in page and 'name="_selected_action"' in page:
            data = rendered_form(response, "changelist-form")
            choice = lxml.html.document_fromstring(page).xpath("//input[@name='_selected_action']/@value")[0]
            data = with_changes(data, {"action": "delete_selected", "_selected_action": choice, "index": "0"})
            more[f"POST {url} (delete selected)"] = client.post(url, data)
    return more


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_no_english_is_left_on_any_admin_page(admin_client, superuser, language):
    admin_world(superuser)
    with translation.override(language):
        start = reverse("admin:index")
    # Changes saved through the admin: the index's recent actions, and histories with changes to show (the
    # project's own, and Django's change log with a field, a translated field and an inline's field).
    grant = factories.GrantFactory()
    component = factories.ProgramComponentFactory()
    theme = factories.ThemeFactory()
    with translation.override(language):
        changes = {
            reverse("admin:grants_grant_change", args=[grant.pk]): {"targets_en": "150 activists"},
            reverse("admin:grants_program_change", args=[component.program.pk]): {
                "components-0-title_en": "Grants for youth",
                "start_date": "01.04.2021",
            },
            reverse("admin:grants_theme_change", args=[theme.pk]): {"name_en": "Pastures", "order": "7"},
        }
    for url, change in changes.items():
        assert submit(admin_client, url, change).status_code == 302, url

    pages = crawl(admin_client, start)
    pages |= form_pages(admin_client, pages)
    data = stored_texts()
    english, broken = {}, []
    for url, response in pages.items():
        if response.status_code >= 500 or response.status_code == 404:
            broken.append((url, response.status_code))
        if "html" not in response.get("Content-Type", ""):
            continue
        for word, context in english_words(response.content.decode(), data).items():
            english.setdefault(word, f"{url}: …{context}…")
    # The crawl reaches every kind of page of every model the admin lists.
    reached = " ".join(pages)
    for model in admin.site._registry:
        prefix = re.escape(f"{start}{model._meta.app_label}/{model._meta.model_name}/")
        for page in ("", r"\d+/change/", r"\d+/history/"):
            assert re.search(prefix + page, reached), prefix + page
    assert re.search(r"/history/\d+/", reached), "no version of a history was opened"
    assert "/delete/" in reached and "(delete selected)" in reached and "(empty)" in reached
    assert broken == []
    assert english == {}


def test_the_login_page_speaks_kyrgyz(client):
    text = visible_text(client.get("/ky/admin/login/").content.decode())
    assert "Колдонуучу" in text and "Сырсөз" in text
    assert not set(LATIN_WORD.findall(text)) - ALLOWED
