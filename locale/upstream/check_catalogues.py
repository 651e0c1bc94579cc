#!/usr/bin/env python
"""List the strings of Django and of the admin's third-party apps that still show in English in Kyrgyz (ky),
and the third-party strings still English in Russian (ru), taking these completions into account.

    .venv/bin/python locale/upstream/check_catalogues.py          # summary + missing strings, exit 1 if any
    .venv/bin/python locale/upstream/check_catalogues.py --quiet  # summary only

Needs no settings and no compiled .mo: it reads the .po files of the installed packages and of this folder,
merged the way Django merges them (LOCALE_PATHS first, then the apps, then django/conf). It also runs
`msgfmt --check` on this folder's catalogues when msgfmt is installed.
"""

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

DJANGO = [  # (package, domain)
    ("django.conf", "django"),
    ("django.contrib.admin", "django"),
    ("django.contrib.admin", "djangojs"),
    ("django.contrib.auth", "django"),
    ("django.contrib.contenttypes", "django"),
    ("django.contrib.sessions", "django"),
    ("django.contrib.sites", "django"),
    ("django.contrib.humanize", "django"),
]
THIRD_PARTY = ["modeltranslation", "crispy_forms", "crispy_bootstrap5", "simple_history", "axes", "django_otp"]
LANGS = {"ky": "Django and third-party apps", "ru": "third-party apps only"}
IDENTICAL_OK = {  # translations that are rightly the English text itself (same list as the tests)
    "ky": {"URL", "IPv4", "IPv6", ":?.!", ":", ", ", "%(truncated_text)s…", "%(class_name)s %(instance)s"},
    "ru": {"User Agent", "HTTP Accept"},
}

_ESC = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KW = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdr]|%[sdr]|\{[a-z_0-9]*\}|</?[a-z]+[^>]*>")


def parse_po(path):
    """{(ctx, msgid, plural): [msgstr, ...] or None when untranslated/fuzzy} for the live entries."""
    out = {}
    if not Path(path).exists():
        return out
    for block in re.split(r"\n\s*\n", Path(path).read_text(encoding="utf-8")):
        fields, cur, fuzzy = {}, None, False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#"):
                continue
            m = _KW.match(line)
            if m:
                cur = m.group(1)
                fields[cur] = re.sub(r"\\(.)", lambda x: _ESC.get(x.group(1), x.group(0)), m.group(2))
            elif line.startswith('"') and cur:
                fields[cur] += re.sub(r"\\(.)", lambda x: _ESC.get(x.group(1), x.group(0)), line[1:-1])
        if not fields.get("msgid"):
            continue
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        ok = strs and all(strs) and not fuzzy
        out[(fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))] = strs if ok else None
    return out


def package_dir(name):
    spec = importlib.util.find_spec(name)
    return Path(list(spec.submodule_search_locations)[0]) if spec and spec.submodule_search_locations else None


_FUNCS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": -2,
    "pgettext_lazy": -2,
    "npgettext": -3,
    "npgettext_lazy": -3,
}
_TRANS_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(["'])(.*?)\1""")


def source_msgids(root):
    """Literal gettext calls in the Python code and {% translate "..." %} tags of a package."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("tests", "migrations", "__pycache__")]
        for name in filenames:
            path = Path(dirpath, name)
            if name.endswith((".html", ".txt")):
                found.update((None, m.group(2), None) for m in _TRANS_TAG.finditer(path.read_text("utf-8")))
            elif name.endswith(".py"):
                for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                    if not isinstance(node, ast.Call):
                        continue
                    fname = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    n = _FUNCS.get(fname)
                    args = [
                        a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
                    ]
                    if n is None or len(args) < abs(n) or None in args[: abs(n)]:
                        continue
                    if n == 1:
                        found.add((None, args[0], None))
                    elif n == 2:
                        found.add((None, args[0], args[1]))
                    elif n == -2:
                        found.add((args[0], args[1], None))
                    else:
                        found.add((args[0], args[1], args[2]))
    return found


def catalogue(root, lang, domain="django"):
    return parse_po(Path(root) / "locale" / lang / "LC_MESSAGES" / f"{domain}.po") if root else {}


def main(quiet=False):
    problems = 0
    msgfmt = shutil.which("msgfmt")
    for po in sorted(HERE.glob("*/LC_MESSAGES/*.po")):
        if msgfmt:
            r = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(po)], capture_output=True, text=True)
            if r.returncode:
                problems += 1
                print(f"msgfmt --check failed for {po}:\n{r.stderr}")
        for (_ctx, msgid, plural), strs in parse_po(po).items():
            want = sorted(_PLACEHOLDER.findall(msgid))
            for s in strs or []:
                if sorted(_PLACEHOLDER.findall(s)) not in (want, sorted(_PLACEHOLDER.findall(plural or ""))):
                    problems += 1
                    print(f"placeholders differ in {po.parent.parent.name}: {msgid!r} -> {s!r}")

    for lang, scope in LANGS.items():
        print(f"== {lang} ({scope})")
        merged = {}  # lowest priority first, as Django merges: django/conf, apps, LOCALE_PATHS
        for domain in ("django", "djangojs"):
            layers = [catalogue(package_dir("django.conf"), lang, domain)] if domain == "django" else []
            layers += [catalogue(package_dir(p), lang, d) for p, d in DJANGO[1:] if d == domain]
            layers += [catalogue(package_dir(p), lang, domain) for p in THIRD_PARTY]
            layers.append(parse_po(HERE / lang / "LC_MESSAGES" / f"{domain}.po"))
            merged[domain] = {}
            for layer in layers:
                merged[domain].update({k: v for k, v in layer.items() if v})
        packages = []
        if lang == "ky":
            for p, d in DJANGO:
                packages.append((f"{p} ({d})", d, set(catalogue(package_dir(p), "en", d))))
        for p in THIRD_PARTY:
            root = package_dir(p)
            if root is None:
                print(f"  {p}: not installed")
                continue
            ids = source_msgids(root)
            for po in root.glob("locale/*/LC_MESSAGES/django.po"):
                ids |= set(parse_po(po))
            packages.append((p, "django", ids))
        for label, domain, ids in packages:
            missing = sorted(
                (k for k in ids if k[1] not in IDENTICAL_OK[lang] and not merged[domain].get(k)),
                key=lambda k: (k[0] or "", k[1]),
            )
            problems += len(missing)
            print(f"  {label}: {len(ids)} strings, {len(missing)} untranslated")
            if not quiet:
                for ctx, msgid, _plural in missing:
                    print(f"      {ctx + ' | ' if ctx else ''}{msgid!r}")
    print("OK" if not problems else f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(quiet="--quiet" in sys.argv))
