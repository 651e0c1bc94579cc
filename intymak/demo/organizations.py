"""Synthetic organisations: civil-society organisations in villages and districts, and aiyl okmotus (local
self-government bodies) in aiyl aimaks, more of them where more people live."""

from grants.models import Organization

from .base import BATCH_SIZE, demo, fake_phone, fill, next_number, read_texts, translated, two_scripts

# Roughly where people live: more initiatives in the populous south and the capital.
REGION_WEIGHTS = {"osh": 1.3, "jalal-abad": 1.3, "chui": 1.0, "bishkek": 1.2, "batken": 0.6, "issyk-kul": 0.6}
OTHER_REGIONS_WEIGHT = 0.4


def make(world):
    rng = world.rng
    texts = read_texts("organizations")
    words = [two_scripts(cyrillic, latin) for cyrillic, latin in texts["words"]]
    number = next_number(Organization, "slug", "demo-org-")
    weights = [REGION_WEIGHTS.get(region.slug, OTHER_REGIONS_WEIGHT) for region in world.regions]
    organizations = []
    for region in rng.choices(world.regions, weights=weights, k=max(1, world.size // 4)):
        locations = world.locations[region.pk]
        if locations["aimaks"] and rng.random() < 0.2:
            location = rng.choice(locations["aimaks"])
            name = world.location_names[location.pk]
            kind, legal_form = Organization.Kind.LSG, Organization.LegalForm.LOCAL_SELF_GOVERNMENT
        else:
            location = rng.choice(locations["villages"])
            name = rng.choice(words)
            kind = Organization.Kind.CSO
            if rng.random() < 0.6:
                legal_form = Organization.LegalForm.PUBLIC_FOUNDATION
            else:
                legal_form = Organization.LegalForm.PUBLIC_ASSOCIATION
        organizations.append(
            Organization(
                slug=f"demo-org-{number:06d}",
                kind=kind,
                legal_form=legal_form,
                location=location,
                email=f"demo-org-{number}@example.invalid",
                phone=fake_phone(number),
                synthetic=True,
                **translated("name", demo(fill(texts["names"][legal_form], name=name, number=number))),
            )
        )
        number += 1
    world.organizations = Organization.objects.bulk_create(organizations, batch_size=BATCH_SIZE)
    world.count("organisations", len(world.organizations))


def clear(delete):
    delete(Organization.objects.filter(synthetic=True))
