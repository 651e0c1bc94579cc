"""The synthetic programme: every synthetic grant belongs to it, and it goes when the demo data is cleared."""

from datetime import date

from grants.models import Organization, Program

from .base import read_texts, translated

PROGRAM_SLUG = "synthetic-demo-programme"
FUNDER_SLUG = "demo-funder"


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
    if world.program.funder_id is None:
        # Every 360Giving grant names its funder: the synthetic programme has a synthetic one.
        world.program.funder, created = Organization.objects.get_or_create(
            slug=FUNDER_SLUG,
            defaults={"kind": Organization.Kind.DONOR, "synthetic": True, **translated("name", texts["funder"])},
        )
        world.program.save(update_fields=["funder"])
        world.count("organisations", int(created))


def clear(delete):
    delete(Program.objects.filter(slug=PROGRAM_SLUG))
