"""Load the programme's newsletter (grants/data/newsletter.toml) into the database.

The data file is curated by hand from the newsletter in three languages (see grants/data/NOTES.md).
Loading is idempotent: records are found by slug or reference, written only when something differs,
and the whole load is one transaction, so a bad file leaves the database as it was.
Records that already exist are left as staff edited them unless the load is asked to update them.
"""

import tomllib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from locations.models import Location, Region

from .models import Grant, GrantUpdate, Organization, Program, ProgramComponent, Theme
from .search import reindex_once

DATA_FILE = Path(__file__).resolve().parent / "data" / "newsletter.toml"


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)  # differs from the file, left as staff edited it

    def count(self, outcome, model):
        bucket = getattr(self, outcome)
        name = model._meta.model_name
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def summary(self):
        def fmt(bucket):
            return ", ".join(f"{name} {n}" for name, n in sorted(bucket.items())) or "none"

        return (
            f"created: {fmt(self.created)}; updated: {fmt(self.updated)}; unchanged: {fmt(self.unchanged)}; "
            f"kept as edited: {fmt(self.kept)}"
        )


class NewsletterError(Exception):
    """The data file is unreadable or describes something the models refuse."""


def _translations(field_name, texts):
    texts = texts or {}
    unknown = set(texts) - {code for code, _name in settings.LANGUAGES}
    if unknown:
        raise NewsletterError(f"{field_name}: unknown language(s) {sorted(unknown)}")
    return {f"{field_name}_{code}": (texts.get(code) or "").strip() or None for code, _name in settings.LANGUAGES}


def _same(obj, name, value):
    field = obj._meta.get_field(name)
    if field.many_to_one:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def _differs(obj, values, m2m):
    return any(not _same(obj, name, value) for name, value in values.items()) or any(
        {t.pk for t in getattr(obj, name).all()} != {t.pk for t in targets} for name, targets in m2m.items()
    )


def _sync(report, model, lookup, values, m2m=None, update=False):
    """Create or update one record; save only when a value differs, so a second run changes nothing."""
    m2m = m2m or {}
    obj = model.objects.filter(**lookup).first()
    if obj is not None and not update:
        report.count("kept" if _differs(obj, values, m2m) else "unchanged", model)
        return obj
    outcome = "unchanged"
    if obj is None:
        obj = model(**lookup)
        outcome = "created"
    for name, value in values.items():
        if not _same(obj, name, value):
            setattr(obj, name, value)
            if outcome == "unchanged":
                outcome = "updated"
    if outcome != "unchanged":
        try:
            # The database enforces the check constraints itself (IntegrityError below); asking it twice is slow.
            obj.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise NewsletterError(f"{model._meta.model_name} {lookup}: {error.message_dict}") from error
        obj.save()
    for name, targets in m2m.items():
        manager = getattr(obj, name)
        if {t.pk for t in manager.all()} != {t.pk for t in targets}:
            manager.set(targets)
            if outcome == "unchanged":
                outcome = "updated"
    report.count(outcome, model)
    return obj


def _lookup(objects, slug, what):
    try:
        return objects[slug]
    except KeyError:
        raise NewsletterError(f"unknown {what} {slug!r}") from None


def read_data(path=DATA_FILE):
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise NewsletterError(f"{path}: {error}") from error


def load_newsletter(path=DATA_FILE, update=False):
    """Load the file; with update=True, records that differ from the file are brought back in line with it."""
    data = read_data(path)
    report = LoadReport()
    try:
        with transaction.atomic(), reindex_once():
            _load(data, partial(_sync, report, update=update))
    except (KeyError, TypeError) as error:
        raise NewsletterError(f"the data file lacks or misshapes a field: {error}") from error
    except IntegrityError as error:
        raise NewsletterError(f"the data breaks a rule of the database: {error}") from error
    return report


def _load(data, sync):
    regions = {}
    for item in data["regions"]:
        regions[item["slug"]] = sync(
            Region,
            {"slug": item["slug"]},
            {
                "kind": item["kind"],
                "coate": item["coate"],
                "iso_code": item["iso_code"],
                "order": item["order"],
                **_translations("name", item["name"]),
            },
        )

    locations = {}
    # Parents first: a location may only name a parent that is already loaded.
    pending = list(data.get("locations", []))
    while pending:
        ready = [item for item in pending if not item.get("parent") or item["parent"] in locations]
        if not ready:
            raise NewsletterError(f"locations with unknown parents: {[item['slug'] for item in pending]}")
        for item in ready:
            pending.remove(item)
            locations[item["slug"]] = sync(
                Location,
                {"slug": item["slug"]},
                {
                    "kind": item["kind"],
                    "region": _lookup(regions, item["region"], "region"),
                    "parent": locations[item["parent"]] if item.get("parent") else None,
                    **_translations("name", item["name"]),
                },
            )

    organizations = {}
    for item in data["organizations"]:
        organizations[item["slug"]] = sync(
            Organization,
            {"slug": item["slug"]},
            {
                "kind": item["kind"],
                "legal_form": item.get("legal_form", ""),
                "location": _lookup(locations, item["location"], "location") if item.get("location") else None,
                "website": item.get("website", ""),
                "email": item.get("email", ""),
                **_translations("name", item["name"]),
            },
        )

    themes = {
        item["slug"]: sync(
            Theme,
            {"slug": item["slug"]},
            {"order": item.get("order", 0), **_translations("name", item["name"])},
        )
        for item in data["themes"]
    }

    item = data["programme"]
    programme = sync(
        Program,
        {"slug": item["slug"]},
        {
            "start_date": item.get("start_date"),
            "end_date": item.get("end_date"),
            "funder": _lookup(organizations, item["funder"], "organisation"),
            "implementer": _lookup(organizations, item["implementer"], "organisation"),
            **_translations("name", item["name"]),
            **_translations("summary", item.get("summary")),
            **_translations("description", item.get("description")),
        },
        m2m={"partners": [_lookup(organizations, slug, "organisation") for slug in item.get("partners", [])]},
    )
    for component in item.get("components", []):
        sync(
            ProgramComponent,
            {"program": programme, "order": component["order"]},
            {
                "measure": component["measure"],
                "target": component.get("target"),
                **_translations("title", component["title"]),
            },
        )

    for item in data["grants"]:
        grant = sync(
            Grant,
            {"reference": item["reference"]},
            {
                "program": programme,
                "slug": item["slug"],
                "kind": item["kind"],
                "status": item["status"],
                "region": _lookup(regions, item["region"], "region"),
                "recipient": _lookup(organizations, item["recipient"], "organisation"),
                "published": True,
                **_translations("title", item["title"]),
                **_translations("summary", item.get("summary")),
                **_translations("description", item.get("description")),
                **_translations("targets", item.get("targets")),
            },
            m2m={
                "locations": [_lookup(locations, slug, "location") for slug in item.get("locations", [])],
                "themes": [_lookup(themes, slug, "theme") for slug in item.get("themes", [])],
            },
        )
        for update in item.get("updates", []):
            title = _translations("title", update["title"])
            # Updates have no key of their own: the newsletter's are found by grant, kind and title.
            key = {"grant": grant, "kind": update["kind"], **{k: v for k, v in title.items() if v}}
            sync(GrantUpdate, key, {**title, **_translations("text", update.get("text"))})
