"""Synthetic grants with their locations, themes and updates, and their search index.

Speed: grants are written with bulk_create in batches and their many-to-many links straight into the through
tables. bulk_create does not send post_save, so the search index (grants.search) is written here, per batch.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import connection, reset_queries

from grants import search
from grants.models import Grant, GrantUpdate, Organization, Theme

from .base import BATCH_SIZE, FIRST_DAY, LANGUAGES, demo, fill, next_number, read_texts, translated

REFERENCE_PREFIX = "DEMO-"
UNPUBLISHED_SHARE = 0.05


def make(world):
    rng = world.rng
    n = world.size
    total = n + round(n * UNPUBLISHED_SHARE)
    unpublished = set(rng.sample(range(total), total - n))
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    regions = {region.pk: region for region in world.regions}
    first = next_number(Grant, "reference", REFERENCE_PREFIX)
    organizations = world.organizations
    # Every organisation gets a grant before any gets a second one.
    recipients = rng.sample(organizations, len(organizations))

    for start in range(0, total, BATCH_SIZE):
        batch, links = [], []
        for i in range(start, min(start + BATCH_SIZE, total)):
            recipient = recipients[i] if i < len(recipients) else rng.choice(organizations)
            grant, locations, grant_themes = _build_grant(
                world, first + i, recipient, regions[recipient.location.region_id], themes
            )
            grant.published = i not in unpublished
            grant.search_text = search.grant_search_text(_Unsaved(grant, locations, grant_themes))
            batch.append(grant)
            links.append((locations, grant_themes))
        batch = Grant.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        location_links, theme_links, updates = [], [], []
        for grant, (locations, grant_themes) in zip(batch, links, strict=True):
            location_links += [Grant.locations.through(grant_id=grant.pk, location_id=p.pk) for p in locations]
            theme_links += [Grant.themes.through(grant_id=grant.pk, theme_id=t.pk) for t in grant_themes]
            if rng.random() < 0.1:
                updates += _build_updates(rng, grant)
        Grant.locations.through.objects.bulk_create(location_links, batch_size=BATCH_SIZE * 2)
        Grant.themes.through.objects.bulk_create(theme_links, batch_size=BATCH_SIZE * 2)
        GrantUpdate.objects.bulk_create(updates, batch_size=BATCH_SIZE)
        if connection.vendor == "postgresql":
            _refresh_search_vectors(Grant.objects.filter(pk__in=[grant.pk for grant in batch]))
        world.count("grants (published)", sum(1 for grant in batch if grant.published))
        world.count("grants (unpublished)", sum(1 for grant in batch if not grant.published))
        world.count("grant locations", len(location_links))
        world.count("grant themes", len(theme_links))
        world.count("grant updates", len(updates))
        if world.progress:
            world.progress(f"grants: {min(start + BATCH_SIZE, total):,} of {total:,}")
        reset_queries()  # with DEBUG on, Django would keep every batch's SQL text until the end


def clear(delete):
    delete(Grant.objects.filter(synthetic=True))


def _build_grant(world, number, recipient, region, themes):
    rng = world.rng
    texts = read_texts("grants")
    location = recipient.location
    locations = [location]
    if recipient.kind == Organization.Kind.LSG:
        villages = [v for v in world.locations[region.pk]["villages"] if v.parent_id == location.pk]
        if villages and rng.random() < 0.5:
            locations.append(rng.choice(villages))
    elif rng.random() < 0.3:
        other = rng.choice(world.locations[region.pk]["all"])
        if other.pk != location.pk:
            locations.append(other)
    topic = rng.choice(texts["topics"])
    grant_themes = [themes[topic["theme"]]] if topic["theme"] in themes else []
    if themes and rng.random() < 0.3:
        extra = rng.choice(list(themes.values()))
        if extra not in grant_themes:
            grant_themes.append(extra)
    people = rng.randrange(2, 31) * 10
    events = rng.randrange(5, 21)

    status = rng.choices(
        [Grant.Status.PLANNED, Grant.Status.AWARDED, Grant.Status.ACTIVE, Grant.Status.COMPLETED,
         Grant.Status.CANCELLED],
        weights=[10, 15, 35, 35, 5],
    )[0]  # fmt: skip
    start_date = end_date = award_date = amount = None
    currency = ""
    if status != Grant.Status.PLANNED or rng.random() < 0.5:
        start_date = FIRST_DAY + timedelta(days=rng.randrange(3 * 365))
        end_date = start_date + timedelta(days=rng.randrange(90, 541))
    # About 70% of all grants: none while planned, most of the others.
    if status != Grant.Status.PLANNED and rng.random() < 0.78:
        currency = rng.choices([Grant.Currency.KGS, Grant.Currency.USD, Grant.Currency.EUR], weights=[60, 25, 15])[0]
        if currency == Grant.Currency.KGS:
            amount = Decimal(rng.randrange(200, 3001) * 1000)
        else:
            amount = Decimal(rng.randrange(20, 401) * 100)
        award_date = start_date - timedelta(days=rng.randrange(0, 61))

    values = {
        "topic": topic,
        "topic_lower": {code: topic[code].lower() for code in LANGUAGES},
        "name": world.location_names[location.pk],
        "region": {code: getattr(region, f"name_{code}") or region.slug for code in LANGUAGES},
        "number": number,
        "people": people,
        "events": events,
    }
    grant = Grant(
        program=world.program,
        kind=Grant.Kind.LSG if recipient.kind == Organization.Kind.LSG else Grant.Kind.CSO,
        reference=f"{REFERENCE_PREFIX}{number:06d}",
        slug=f"demo-{number:06d}",
        recipient=recipient,
        region=region,
        amount=amount,
        currency=currency,
        award_date=award_date,
        start_date=start_date,
        end_date=end_date,
        status=status,
        synthetic=True,
        **translated("title", demo(fill(texts["title"], **values))),
        **translated("summary", fill(texts["summary"], **values)),
        **translated("targets", fill(texts["targets"], **values)),
        **translated("description", texts["description"]),
    )
    return grant, locations, grant_themes


def _build_updates(rng, grant):
    texts = read_texts("grants")["updates"]
    updates = []
    for j in range(rng.randrange(1, 4)):
        kind = GrantUpdate.Kind(rng.choice(list(texts["titles"])))
        on = None
        if grant.start_date:
            on = grant.start_date + timedelta(days=rng.randrange((grant.end_date - grant.start_date).days + 1))
        updates.append(
            GrantUpdate(
                grant=grant,
                date=on,
                kind=kind,
                link=f"https://example.invalid/demo/{grant.slug}/{j + 1}" if kind == GrantUpdate.Kind.MEDIA else "",
                **translated("title", demo(texts["titles"][kind])),
                **translated("text", texts["text"]),
            )
        )
    return updates


def _refresh_search_vectors(grants):
    """PostgreSQL's full-text vectors of these grants, made from the search_text they were inserted with.

    grants.search.grants_reindex() would do it too, after reading the grants back and computing and writing their
    search_text a second time: twice as slow. The vector expression is the search module's own, so both stay in step.
    """
    grants.update(search_vector=search.search_vector())


class _Links:
    """What grant_search_text() asks of a many-to-many manager."""

    def __init__(self, items):
        self.items = items

    def all(self):
        return self.items


class _Unsaved:
    """A grant about to be inserted, as grant_search_text() reads it: its locations and themes are at hand.

    Computing the search text before the insert saves reading every new grant back and writing it again.
    """

    def __init__(self, grant, locations, themes):
        self.grant = grant
        self.locations = _Links(locations)
        self.themes = _Links(themes)

    def __getattr__(self, name):
        return getattr(self.grant, name)
