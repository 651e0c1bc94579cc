"""The admin and the third-party apps must be fully usable in Kyrgyz (and the apps in Russian).

Django's own "ky" catalogues are incomplete, some apps ship no Kyrgyz at all, and some have no Russian
under the code "ru". locale/upstream/ (a second entry of settings.LOCALE_PATHS) completes them. These tests
read every msgid of each covered package from its installed source catalogue (and, for the third-party
apps, from the gettext calls in their Python code and {% translate %} tags) and check that, with the
project's settings, each one comes out translated.
"""

import ast
import importlib.util
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation.trans_real import DjangoTranslation

UPSTREAM_MO = [
    ("ky", "django"),
    ("ky", "djangojs"),
    ("ru", "django"),
]

# Strings whose correct translation is the English text itself. Keep this list short.
IDENTICAL_OK = {
    "ky": {
        "URL",  # technical name, written the same in Kyrgyz
        "IPv4",  # technical name
        "IPv6",  # technical name
        ":?.!",  # punctuation that ends a sentence in a truncated text
        ":",  # label suffix
        ", ",  # list separator (timesince "1 жыл, 2 ай")
        "%(truncated_text)s…",  # format only
        "%(class_name)s %(instance)s",  # format only
    },
    "ru": {
        "User Agent",  # axes' own ru catalogue keeps the HTTP header name in Latin
        "HTTP Accept",  # idem
    },
}

# Django packages: (import path of the package holding locale/, the app that must be installed or None)
DJANGO_PACKAGES = [
    ("django.conf", None),
    ("django.contrib.admin", "django.contrib.admin"),
    ("django.contrib.auth", "django.contrib.auth"),
    ("django.contrib.contenttypes", "django.contrib.contenttypes"),
    ("django.contrib.sessions", "django.contrib.sessions"),
    ("django.contrib.sites", "django.contrib.sites"),
    ("django.contrib.humanize", "django.contrib.humanize"),
]
# Third-party apps seen in the admin: (package, app label module, languages to check)
THIRD_PARTY = [
    ("simple_history", "simple_history", ("ky", "ru")),
    ("axes", "axes", ("ky", "ru")),
    ("django_otp", "django_otp", ("ky", "ru")),
    ("modeltranslation", "modeltranslation", ("ky", "ru")),
    ("crispy_forms", "crispy_forms", ("ky", "ru")),
    ("crispy_bootstrap5", "crispy_bootstrap5", ("ky", "ru")),
]


# --------------------------------------------------------------------------- a small .po reader
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')


def _unescape(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def read_msgids(po_path):
    """Return the set of (msgctxt, msgid, msgid_plural) of the live (non-obsolete) entries of a .po file."""
    entries = set()
    with open(po_path, encoding="utf-8") as f:
        blocks = re.split(r"\n\s*\n", f.read())
    for block in blocks:
        fields, current = {}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#"):
                continue  # comments, flags and obsolete (#~) entries
            match = _KEYWORD.match(line)
            if match:
                current = match.group(1)
                fields[current] = _unescape(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unescape(line[1:-1])
        if fields.get("msgid"):
            entries.add((fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural")))
    return entries


# --------------------------------------------------------------------------- msgids found in source code
_GETTEXT_FUNCS = {
    "_": "s",
    "gettext": "s",
    "gettext_lazy": "s",
    "gettext_noop": "s",
    "ngettext": "n",
    "ngettext_lazy": "n",
    "pgettext": "p",
    "pgettext_lazy": "p",
    "npgettext": "np",
    "npgettext_lazy": "np",
}
_ARGS_NEEDED = {"s": 1, "n": 2, "p": 2, "np": 3}
_TRANS_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(["'])(.*?)\1""")


def source_msgids(root):
    """gettext calls with literal arguments in the package's Python code, and {% translate "..." %} tags."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("tests", "migrations", "__pycache__")]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name.endswith((".html", ".txt")):
                with open(path, encoding="utf-8") as f:
                    found.update((None, m.group(2), None) for m in _TRANS_TAG.finditer(f.read()))
            if not name.endswith(".py"):
                continue
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read())
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                kind = _GETTEXT_FUNCS.get(fname)
                if kind is None:
                    continue
                args = [
                    a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
                ]
                if len(args) < _ARGS_NEEDED[kind] or None in args[: _ARGS_NEEDED[kind]]:
                    continue  # not a literal (e.g. axes' _(f"...")): nothing a catalogue can match
                if kind == "s":
                    found.add((None, args[0], None))
                elif kind == "n":
                    found.add((None, args[0], args[1]))
                elif kind == "p":
                    found.add((args[0], args[1], None))
                else:
                    found.add((args[0], args[1], args[2]))
    return found


def package_dir(module):
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def third_party_msgids(module):
    root = package_dir(module)
    msgids = source_msgids(root)
    for po in sorted(root.glob("locale/*/LC_MESSAGES/django.po")):
        msgids |= read_msgids(po)
    return msgids


# --------------------------------------------------------------------------- set-up checks
def upstream_dir():
    for path in settings.LOCALE_PATHS:
        if Path(path).name == "upstream":
            return Path(path)
    return None


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    upstream = upstream_dir()
    assert upstream is not None, 'settings.LOCALE_PATHS must carry BASE_DIR / "locale" / "upstream"'
    missing = [
        f"{lang}/LC_MESSAGES/{domain}.mo"
        for lang, domain in UPSTREAM_MO
        if not (upstream / lang / "LC_MESSAGES" / f"{domain}.mo").exists()
    ]
    if missing:
        pytest.skip(
            f"compiled catalogues absent in {upstream} ({', '.join(missing)}): "
            "run `python manage.py compilemessages` first"
        )


def test_locale_paths_order():
    """The project's own catalogues (locale/) win over these completions, which win over the apps'."""
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    upstream = upstream_dir()
    assert upstream.parent in paths
    assert paths.index(upstream.parent) < paths.index(upstream)


# --------------------------------------------------------------------------- the checks
def untranslated(msgids, lang, trans=None):
    """Return the msgids that come out as English in `lang` (through Django, or through `trans`)."""
    out = []
    with translation.override(lang):
        for ctx, msgid, plural in sorted(msgids, key=lambda e: (e[0] or "", e[1])):
            if trans is not None:
                if plural:
                    got = (
                        [trans.ngettext(msgid, plural, n) for n in (1, 5)]
                        if ctx is None
                        else [trans.npgettext(ctx, msgid, plural, n) for n in (1, 5)]
                    )
                else:
                    got = [trans.gettext(msgid) if ctx is None else trans.pgettext(ctx, msgid)]
            elif plural:
                if ctx is None:
                    got = [translation.ngettext(msgid, plural, n) for n in (1, 5)]
                else:
                    got = [translation.npgettext(ctx, msgid, plural, n) for n in (1, 5)]
            else:
                got = [translation.gettext(msgid) if ctx is None else translation.pgettext(ctx, msgid)]
            english = {msgid, plural}
            if msgid in IDENTICAL_OK[lang]:
                continue
            if any(g in english for g in got):
                out.append(msgid if ctx is None else f"{ctx}|{msgid}")
    return out


@pytest.mark.parametrize("module, app", DJANGO_PACKAGES, ids=[m for m, _ in DJANGO_PACKAGES])
def test_django_fully_kyrgyz(module, app):
    if app and not apps.is_installed(app):
        pytest.skip(f"{app} is not in INSTALLED_APPS")
    msgids = read_msgids(package_dir(module) / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert msgids, f"no msgids read for {module}"
    missing = untranslated(msgids, "ky")
    assert not missing, f"{len(missing)} {module} strings still English in ky: {missing}"


def test_admin_javascript_fully_kyrgyz():
    if not apps.is_installed("django.contrib.admin"):
        pytest.skip("django.contrib.admin is not in INSTALLED_APPS")
    admin_locale = package_dir("django.contrib.admin") / "locale"
    msgids = read_msgids(admin_locale / "en" / "LC_MESSAGES" / "djangojs.po")
    # what JavaScriptCatalog(packages=["django.contrib.admin"]) serves: the admin's djangojs + LOCALE_PATHS
    js = DjangoTranslation("ky", domain="djangojs", localedirs=[str(admin_locale)])
    missing = untranslated(msgids, "ky", trans=js)
    assert not missing, f"{len(missing)} admin JavaScript strings still English in ky: {missing}"


@pytest.mark.parametrize(
    "module, app, lang",
    [(m, a, lang) for m, a, langs in THIRD_PARTY for lang in langs],
    ids=[f"{m}-{lang}" for m, _, langs in THIRD_PARTY for lang in langs],
)
def test_third_party_translated(module, app, lang):
    if package_dir(module) is None:
        pytest.skip(f"{module} is not installed")
    if not apps.is_installed(app):
        pytest.skip(f"{app} is not in INSTALLED_APPS")
    missing = untranslated(third_party_msgids(module), lang)
    assert not missing, f"{len(missing)} {module} strings still English in {lang}: {missing}"


def test_naturaltime_kyrgyz():
    from django.contrib.humanize.templatetags.humanize import naturaltime

    now = timezone.now()
    with translation.override("ky"):
        past = str(naturaltime(now - timedelta(minutes=5)))
        future = str(naturaltime(now + timedelta(minutes=5, seconds=30)))
        past_days = str(naturaltime(now - timedelta(days=3, hours=1)))
        future_days = str(naturaltime(now + timedelta(days=3, hours=1)))
    assert "мүнөт мурун" in past, past
    assert re.search(r"\d[\s\u00a0]мүнөт мурун", past), f"no space between the number and the unit: {past!r}"
    assert "мурун" not in future and "мурда" not in future, future
    assert "мүнөттөн кийин" in future, future
    assert "мурун" in past_days and "кийин" not in past_days, past_days
    assert "кийин" in future_days and "мурун" not in future_days, future_days
    if apps.is_installed("django.contrib.humanize"):  # the units ("3 күн") come from humanize's own catalogue
        assert "күн" in past_days and "күн" in future_days, (past_days, future_days)
