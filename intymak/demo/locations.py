"""Synthetic locations: in each oblast aiyl aimaks with their villages, in each city districts."""

from locations.models import Location, Region

from .base import BATCH_SIZE, DemoDataError, demo, fill, next_number, read_texts, translated, two_scripts


def place_names():
    """Every two-part place name, ({ky, ru, en} of the name), in a fixed order."""
    texts = read_texts("locations")
    return [
        two_scripts(f"{first}-{second}", f"{first_latin}-{second_latin}")
        for first, first_latin in texts["first_parts"]
        for second, second_latin in texts["second_parts"]
        if first != second
    ]


def make(world):
    per_region = min(40, max(3, world.size // 250))
    number = next_number(Location, "slug", "demo-place-")
    names = place_names()
    wholes, parts = [], []
    for region in world.regions:
        chosen = world.rng.sample(names, per_region)
        if region.kind == Region.Kind.CITY:
            wholes += [(region, name, Location.Kind.DISTRICT) for name in chosen]
        else:
            aimaks = max(1, per_region // 4)
            wholes += [(region, name, Location.Kind.AIYL_AIMAK) for name in chosen[:aimaks]]
            parts += [(region, name, Location.Kind.VILLAGE) for name in chosen[aimaks:]]

    templates = read_texts("locations")["names"]

    def build(region, name, kind, parent=None):
        nonlocal number
        location = Location(
            slug=f"demo-place-{number:06d}",
            kind=kind,
            region=region,
            parent=parent,
            synthetic=True,
            **translated("name", demo(fill(templates[kind], name=name))),
        )
        number += 1
        return location

    created = Location.objects.bulk_create([build(*item) for item in wholes], batch_size=BATCH_SIZE)
    aimaks_by_region = {}
    for location in created:
        aimaks_by_region.setdefault(location.region_id, []).append(location)
    villages = [
        build(region, name, kind, parent=world.rng.choice(aimaks_by_region[region.pk])) for region, name, kind in parts
    ]
    created += Location.objects.bulk_create(villages, batch_size=BATCH_SIZE)
    for (_region, name, _kind), location in zip([*wholes, *parts], created, strict=True):
        world.location_names[location.pk] = name
    for region in world.regions:
        world.locations[region.pk] = {"aimaks": [], "villages": [], "all": []}
    for location in created:
        bucket = world.locations[location.region_id]
        bucket["all"].append(location)
        if location.kind == Location.Kind.AIYL_AIMAK:
            bucket["aimaks"].append(location)
        else:
            bucket["villages"].append(location)
    world.count("locations", len(created))


def clear(delete):
    # A location is part of another (village in aiyl aimak): the parts go before the whole.
    while Location.objects.filter(synthetic=True).exists():
        leaves = Location.objects.filter(synthetic=True, children__isnull=True)
        if not leaves.exists():
            raise DemoDataError("synthetic locations are parts of each other in a loop")
        delete(leaves)
