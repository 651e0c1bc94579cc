"""What the kinds of demo record share: the world they are made into, the report, the texts, small helpers."""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.db.models.functions import Length

LANGUAGES = ("ky", "ru", "en")
BATCH_SIZE = 2000
FIRST_DAY = date(2021, 1, 1)
TEXTS = Path(__file__).resolve().parent / "texts"


class DemoDataError(Exception):
    """The demo data cannot be made or removed; the message tells the operator what to do."""


@dataclass
class DemoReport:
    created: dict = field(default_factory=dict)
    deleted: dict = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self):
        def fmt(bucket):
            return ", ".join(f"{name} {n:,}" for name, n in bucket.items() if n) or "nothing"

        lines = [f"created: {fmt(self.created)}"]
        if self.deleted:
            lines.insert(0, f"removed: {fmt(self.deleted)}")
        lines.append(f"in {self.seconds:.1f} s")
        return "\n".join(lines)


@dataclass
class World:
    """One run: what every kind of record is made from, and what each kind leaves for the kinds made after it.

    `size` is the number of published grants asked for; every kind scales with it. Draw every random choice from
    `rng`, in a fixed order: the same seed then makes the same data.
    """

    size: int
    rng: object
    regions: list
    report: DemoReport
    progress: object = None  # called with a line of text after each batch, when given
    program: object = None
    # region pk -> {"aimaks": [...], "villages": [...], "all": [...]}: the synthetic locations of each region.
    locations: dict = field(default_factory=dict)
    # location pk -> {"ky": ..., "ru": ..., "en": ...}: its name without the demo mark, for names made from it.
    location_names: dict = field(default_factory=dict)
    organizations: list = field(default_factory=list)
    mediators: list = field(default_factory=list)

    def count(self, name, n):
        self.report.created[name] = self.report.created.get(name, 0) + n

    def all_locations(self):
        return [location for bucket in self.locations.values() for location in bucket["all"]]


@cache
def read_texts(name):
    """The words and sentences of one kind of record: texts/<name>.toml."""
    with open(TEXTS / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def fill(templates, **values):
    """{ky, ru, en} of templates with the values put in: a value is the same in every language, or a {ky, ru, en}."""
    return {
        code: templates[code].format(**{k: v[code] if isinstance(v, dict) else v for k, v in values.items()})
        for code in LANGUAGES
    }


def demo(texts):
    """The texts marked as made up ("[Demo] ..."), as every synthetic name and title is."""
    return fill(read_texts("common")["mark"], text=texts)


def translated(name, texts):
    """{ky, ru, en} as a model's translated fields: name_ky, name_ru, name_en."""
    return {f"{name}_{code}": text for code, text in texts.items()}


def two_scripts(cyrillic, latin):
    """A Kyrgyz name as Kyrgyz and Russian texts write it, and in Latin letters in English."""
    return {"ky": cyrillic, "ru": cyrillic, "en": latin}


def fake_phone(n):
    return f"+996 000 {n // 1000 % 1000:03d} {n % 1000:03d}"


def next_number(model, field, prefix):
    """One more than the highest number in `field` written as prefix + digits, or 1."""
    last = (
        model.objects.filter(**{f"{field}__regex": rf"^{prefix}[0-9]+$"})
        .annotate(_length=Length(field))
        .order_by("-_length", f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return int(last[len(prefix) :]) + 1 if last else 1
