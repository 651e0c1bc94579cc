"""The synthetic programme: every synthetic grant belongs to it, and it goes when the demo data is cleared."""

from datetime import date

from grants.models import Program

from .base import read_texts, translated

PROGRAM_SLUG = "synthetic-demo-programme"


def make(world):
    texts = read_texts("program")
    defaults = {
        **translated("name", texts["name"]),
        **translated("summary", texts["summary"]),
        # Before the newsletter's programme (2021-04-01), so that pages showing the newest programme keep showing it.
        "start_date": date(2021, 1, 1),
        "end_date": date(2024, 12, 31),
    }
    world.program, _created = Program.objects.get_or_create(slug=PROGRAM_SLUG, defaults=defaults)


def clear(delete):
    delete(Program.objects.filter(slug=PROGRAM_SLUG))
