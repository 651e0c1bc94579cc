"""Synthetic demo data at any size, for benchmarks and load tests (`manage.py generate_demo_data`).

Everything made here is marked three ways: `synthetic=True` on every record that has the flag, "[Demo]"/"[Демо]"
in front of every name and title, and grants of their own programme (`synthetic-demo-programme`) with references
DEMO-000001, DEMO-000002, ... Clearing removes exactly that, never the newsletter's or the staff's records.

Speed: rows are written with bulk_create in batches, many-to-many links straight into the through tables, all in one
transaction. bulk_create does not send post_save, so the search index (grants.search) is refreshed here, per batch.
The same seed on the same database gives the same data.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, reset_queries, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.functions import Length

from core.signals import data_changed
from grants import search
from grants.models import Grant, GrantUpdate, Organization, Program, Theme
from locations.models import Location, Region
from mediators.models import Language, Mediator, Specialisation, Training

DEFAULT_SEED = 2021
BATCH_SIZE = 2000
PROGRAMME_SLUG = "synthetic-demo-programme"
REFERENCE_PREFIX = "DEMO-"
UNPUBLISHED_SHARE = 0.05
FIRST_DAY = date(2021, 1, 1)
FUNDER_SLUG = "demo-funder"
FUNDER = {
    "kind": Organization.Kind.DONOR,
    "synthetic": True,
    "name_ky": "[Демо] Каржылоочу",
    "name_ru": "[Демо] Донор",
    "name_en": "[Demo] Funder",
}

PROGRAMME = {
    "name_ky": "Синтетикалык демо программа",
    "name_ru": "Синтетическая демо-программа",
    "name_en": "Synthetic demo programme",
    "summary_ky": "Өндүрүмдүүлүктү жана жүктөмдү сыноо үчүн ойдон чыгарылган маалымат: чыныгы программа эмес.",
    "summary_ru": "Выдуманные данные для тестов производительности и нагрузки: не настоящая программа.",
    "summary_en": "Made-up data for benchmarks and load tests: not a real programme.",
    # Before the newsletter's programme (2021-04-01), so that pages showing the newest programme keep showing it.
    "start_date": date(2021, 1, 1),
    "end_date": date(2024, 12, 31),
}

# Place names are made of two parts, as many real ones are (Кара-Булак, Көк-Жар): (Kyrgyz/Russian, Latin).
PLACE_FIRST = (
    ("Кара", "Kara"), ("Ак", "Ak"), ("Көк", "Kok"), ("Сары", "Sary"), ("Кызыл", "Kyzyl"), ("Жаңы", "Jany"),
    ("Үч", "Uch"), ("Бел", "Bel"), ("Таш", "Tash"), ("Алтын", "Altyn"), ("Күмүш", "Kumush"), ("Орто", "Orto"),
    ("Чоң", "Chong"), ("Кичи", "Kichi"), ("Эски", "Eski"), ("Жашыл", "Jashyl"),
)  # fmt: skip
PLACE_SECOND = (
    ("Булак", "Bulak"), ("Суу", "Suu"), ("Жар", "Jar"), ("Төбө", "Tobo"), ("Кыя", "Kyya"), ("Арык", "Aryk"),
    ("Таш", "Tash"), ("Коргон", "Korgon"), ("Өзөн", "Ozon"), ("Көл", "Kol"), ("Дөбө", "Dobo"), ("Сай", "Sai"),
    ("Тал", "Tal"), ("Кайың", "Kaiyng"),
)  # fmt: skip
PLACE_NAMES = tuple((f"{a}-{b}", f"{la}-{lb}") for a, la in PLACE_FIRST for b, lb in PLACE_SECOND if a != b)

ORGANISATION_WORDS = (
    ("Жаңы Таң", "Jany Tang"), ("Ак-Нур", "Ak-Nur"), ("Ынтымак", "Yntymak"), ("Келечек", "Kelechek"),
    ("Мурас", "Muras"), ("Үмүт", "Umut"), ("Биримдик", "Birimdik"), ("Ала-Тоо", "Ala-Too"), ("Айкөл", "Aikol"),
    ("Нур-Шоола", "Nur-Shoola"), ("Көпүрө", "Kopuro"), ("Тилектеш", "Tilektesh"), ("Эл-Журт", "El-Jurt"),
    ("Мээрим", "Meerim"), ("Өрнөк", "Ornok"), ("Жаштар күчү", "Jashtar Kuchu"),
)  # fmt: skip

# (Kyrgyz, Russian, English, theme slug): what a synthetic initiative is about.
TOPICS = (
    ("Жаштар диалогу", "Молодёжный диалог", "Youth dialogue", "youth"),
    ("Сугат суусун бөлүштүрүү", "Распределение поливной воды", "Sharing irrigation water", "water-irrigation"),
    ("Жайыттарды биргелешип башкаруу", "Совместное управление пастбищами", "Joint pasture management",
     "pastures-environment"),
    ("Аялдардын жергиликтүү демилгеси", "Местная инициатива женщин", "Women's local initiative", "women"),
    ("Укуктук жардам борбору", "Центр правовой помощи", "Legal aid centre", "legal-aid"),
    ("Этностор аралык ынтымак фестивалы", "Фестиваль межэтнического согласия", "Interethnic harmony festival",
     "interethnic-relations"),
    ("Шайлоочулардын маалымдуулугу", "Информированность избирателей", "Voter awareness", "elections"),
    ("Чек ара айылдарынын кызматташтыгы", "Сотрудничество приграничных сёл", "Cross-border village cooperation",
     "cross-border"),
    ("Жергиликтүү бюджетке катышуу", "Участие в местном бюджете", "Taking part in the local budget",
     "local-governance"),
    ("Жарандык активисттер мектеби", "Школа гражданских активистов", "School of civic activists",
     "civic-participation"),
    ("Чыр-чатактын алдын алуу борбору", "Центр профилактики конфликтов", "Conflict prevention centre",
     "prevention-centres"),
    ("Айылдык медиация кызматы", "Сельская служба медиации", "Village mediation service", "local-governance"),
)  # fmt: skip

DESCRIPTION = {
    "description_ky": "Бул жазуу generate_demo_data буйругу менен өндүрүмдүүлүктү жана жүктөмдү сыноо үчүн "
    "түзүлгөн. Андагы уюмдар, жерлер жана сандар ойдон чыгарылган.",
    "description_ru": "Эта запись создана командой generate_demo_data для тестов производительности и нагрузки. "
    "Организации, места и цифры в ней выдуманы.",
    "description_en": "This record was made by the generate_demo_data command for benchmarks and load tests. "
    "Its organisations, places and figures are made up.",
}

UPDATES = {
    GrantUpdate.Kind.PROGRESS: ("Долбоордун жүрүшү", "Ход проекта", "Project progress"),
    GrantUpdate.Kind.TRAINING: ("Окутуу өттү", "Прошло обучение", "Training held"),
    GrantUpdate.Kind.EVENT: ("Коомдук иш-чара", "Общественное мероприятие", "Community event"),
    GrantUpdate.Kind.MEDIA: ("Маалымат каражаттарында", "В СМИ", "In the media"),
}
UPDATE_TEXT = ("Синтетикалык демо жаңылык.", "Синтетическая демо-новость.", "Synthetic demo news item.")

TRAININGS = {
    Training.Kind.MEDIATION: ("Медиация боюнча окутуу", "Обучение медиации", "Mediation training"),
    Training.Kind.CONFLICT_PREVENTION: (
        "Чыр-чатактын алдын алуу боюнча окутуу",
        "Обучение профилактике конфликтов",
        "Conflict-prevention training",
    ),
    Training.Kind.WORKING_GROUP: ("Жумушчу топтун жыйыны", "Заседание рабочей группы", "Working group meeting"),
    Training.Kind.OTHER: ("Коомдук иш-чара", "Общественное мероприятие", "Community event"),
}
TRAINING_TEXT = ("Синтетикалык демо маалымат.", "Синтетические демо-данные.", "Synthetic demo data.")

# code: (Kyrgyz, Russian, English); created when missing, never changed or removed.
LANGUAGES = {
    "ky": ("кыргыз тили", "кыргызский", "Kyrgyz"),
    "ru": ("орус тили", "русский", "Russian"),
    "uz": ("өзбек тили", "узбекский", "Uzbek"),
    "tg": ("тажик тили", "таджикский", "Tajik"),
}
SPECIALISATIONS = {
    "family": ("Үй-бүлөлүк талаш-тартыштар", "Семейные споры", "Family disputes"),
    "land-and-water": ("Жер жана суу", "Земля и вода", "Land and water"),
    "pastures": ("Жайыттар", "Пастбища", "Pastures"),
    "interethnic": ("Этностор аралык мамилелер", "Межэтнические отношения", "Interethnic relations"),
    "community": ("Жамааттагы чыр-чатактар", "Конфликты в местном сообществе", "Community conflicts"),
}

# (Kyrgyz/Russian, Latin, female): synthetic people, "[Демо] Айгүл Асанова".
FIRST_NAMES = (
    ("Айгүл", "Aigul", True), ("Бакыт", "Bakyt", False), ("Гүлнара", "Gulnara", True), ("Нурлан", "Nurlan", False),
    ("Жылдыз", "Jyldyz", True), ("Эрмек", "Ermek", False), ("Чолпон", "Cholpon", True), ("Азамат", "Azamat", False),
    ("Динара", "Dinara", True), ("Талант", "Talant", False), ("Мээрим", "Meerim", True), ("Улан", "Ulan", False),
    ("Айпери", "Aiperi", True), ("Нурбек", "Nurbek", False), ("Зарина", "Zarina", True), ("Бекзат", "Bekzat", False),
)  # fmt: skip
SURNAMES = (
    ("Асанов", "Asanov"), ("Осмонов", "Osmonov"), ("Сыдыков", "Sydykov"), ("Токтогулов", "Toktogulov"),
    ("Мамытов", "Mamytov"), ("Бакиров", "Bakirov"), ("Исаков", "Isakov"), ("Алымов", "Alymov"),
    ("Кадыров", "Kadyrov"), ("Абдыкадыров", "Abdykadyrov"), ("Эшимов", "Eshimov"), ("Жолдошов", "Joldoshov"),
)  # fmt: skip

# Roughly where people live: more initiatives in the populous south and the capital.
REGION_WEIGHTS = {"osh": 1.3, "jalal-abad": 1.3, "chui": 1.0, "bishkek": 1.2, "batken": 0.6, "issyk-kul": 0.6}
UZBEK_SPEAKING = {"osh", "jalal-abad", "batken", "osh-city"}


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


def generate_demo_data(grants, seed=DEFAULT_SEED, clear=False, progress=None):
    """Make `grants` published synthetic grants (and 5% more unpublished) with everything around them.

    With clear=True the earlier synthetic records go first. `progress`, if given, is called with a line of text
    after each batch of grants. Returns a DemoReport with the counts.
    """
    if grants < 0:
        raise DemoDataError("The number of grants cannot be negative.")
    started = time.monotonic()
    regions = list(Region.objects.order_by("order", "slug"))
    if not regions:
        raise DemoDataError(
            "There are no regions: run `python manage.py load_newsletter` first; the demo data goes into its regions."
        )
    report = DemoReport()
    with transaction.atomic():
        if clear:
            report.deleted = clear_demo_data()
        if grants:
            _Generator(random.Random(seed), regions, report, progress).run(grants)
            # bulk_create sends no post_save: tell whatever keeps derived data (the page cache) once, at commit.
            transaction.on_commit(lambda: data_changed.send(sender=Grant))
    if connection.vendor == "postgresql":
        # What autovacuum would do after a bulk load, now: it may be off or come much later. ANALYZE gives the
        # planner statistics for what was just written (without them it plans for empty tables: 3x slower plans);
        # VACUUM marks the new pages all-visible, so that counts per region are index-only scans instead of
        # reading every grant's row (the home page: 87 ms -> 33 ms at 10,000 grants). VACUUM cannot run inside a
        # transaction: only when the caller has none open (the command, the benchmarks), else ANALYZE alone.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    report.seconds = time.monotonic() - started
    return report


def clear_demo_data():
    """Remove every synthetic record and the synthetic programme; return the counts of removed rows by model."""
    deleted = {}

    def delete(queryset):
        _total, per_model = queryset.delete()
        for label, n in per_model.items():
            name = label.split(".")[-1].lower()
            deleted[name] = deleted.get(name, 0) + n

    try:
        with transaction.atomic():
            delete(Grant.objects.filter(synthetic=True))
            delete(Training.objects.filter(synthetic=True))
            delete(Mediator.objects.filter(synthetic=True))
            delete(Program.objects.filter(slug=PROGRAMME_SLUG))
            delete(Organization.objects.filter(synthetic=True))
            # A location is part of another (village in aiyl aimak): the parts go before the whole.
            while Location.objects.filter(synthetic=True).exists():
                leaves = Location.objects.filter(synthetic=True, children__isnull=True)
                if not leaves.exists():
                    raise DemoDataError("synthetic locations are parts of each other in a loop")
                delete(leaves)
    except (ProtectedError, RestrictedError) as error:
        used = sorted({str(obj._meta.verbose_name) for obj in error.args[1]})
        raise DemoDataError(
            f"Nothing was removed: records that are not synthetic ({', '.join(used)}) use the demo data. "
            "Change or delete them in the admin first."
        ) from error
    return deleted


def _next_number(model, field, prefix):
    """One more than the highest number in `field` written as prefix + digits, or 1."""
    last = (
        model.objects.filter(**{f"{field}__regex": rf"^{prefix}[0-9]+$"})
        .annotate(_length=Length(field))
        .order_by("-_length", f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return int(last[len(prefix) :]) + 1 if last else 1


def _demo(ky, ru, en):
    return {"ky": f"[Демо] {ky}", "ru": f"[Демо] {ru}", "en": f"[Demo] {en}"}


def _translated(name, texts):
    return {f"{name}_{code}": text for code, text in texts.items()}


def _fake_phone(n):
    return f"+996 000 {n // 1000 % 1000:03d} {n % 1000:03d}"


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
    """A grant about to be inserted, as grant_search_text() reads it: its places and themes are at hand.

    Computing the search text before the insert saves reading every new grant back and writing it again.
    """

    def __init__(self, grant, locations, themes):
        self.grant = grant
        self.locations = _Links(locations)
        self.themes = _Links(themes)

    def __getattr__(self, name):
        return getattr(self.grant, name)


class _Generator:
    def __init__(self, rng, regions, report, progress):
        self.rng = rng
        self.regions = regions
        self.report = report
        self.progress = progress or (lambda line: None)
        self.places = {}  # location pk -> (Kyrgyz/Russian name, Latin name) without the "[Demo]" mark
        self.locations = {}  # region pk -> {"aimaks": [...], "villages": [...], "all": [...]}

    def count(self, name, n):
        self.report.created[name] = self.report.created.get(name, 0) + n

    def run(self, grants):
        self.programme = self.make_programme()
        self.make_locations(grants)
        organizations = self.make_organizations(max(1, grants // 4))
        self.make_grants(grants, organizations)
        mediators = self.make_mediators(max(5, grants // 20))
        # At least one training of each kind, whatever the size.
        self.make_trainings(max(len(TRAININGS), grants // 50), mediators)

    def make_programme(self):
        programme, _created = Program.objects.get_or_create(slug=PROGRAMME_SLUG, defaults=PROGRAMME)
        if programme.funder_id is None:
            # Every 360Giving grant names its funder: the synthetic programme has a synthetic one.
            programme.funder, created = Organization.objects.get_or_create(slug=FUNDER_SLUG, defaults=FUNDER)
            programme.save(update_fields=["funder"])
            self.count("organisations", int(created))
        return programme

    # Locations: per oblast, aiyl aimaks with their villages; per city, districts.
    def make_locations(self, grants):
        per_region = min(40, max(3, grants // 250))
        number = _next_number(Location, "slug", "demo-place-")
        wholes, parts = [], []
        for region in self.regions:
            names = self.rng.sample(PLACE_NAMES, per_region)
            if region.kind == Region.Kind.CITY:
                wholes += [(region, name, Location.Kind.DISTRICT) for name in names]
            else:
                aimaks = max(1, per_region // 4)
                wholes += [(region, name, Location.Kind.AIYL_AIMAK) for name in names[:aimaks]]
                parts += [(region, name, Location.Kind.VILLAGE) for name in names[aimaks:]]

        def build(region, name, kind, parent=None):
            nonlocal number
            cyrillic, latin = name
            if kind == Location.Kind.AIYL_AIMAK:
                texts = _demo(f"{cyrillic} айыл аймагы", f"айыльный аймак {cyrillic}", f"{latin} aiyl aimak")
            elif kind == Location.Kind.DISTRICT:
                texts = _demo(f"{cyrillic} микрорайону", f"микрорайон {cyrillic}", f"{latin} microdistrict")
            else:
                texts = _demo(cyrillic, cyrillic, latin)
            location = Location(
                slug=f"demo-place-{number:06d}",
                kind=kind,
                region=region,
                parent=parent,
                synthetic=True,
                **_translated("name", texts),
            )
            number += 1
            return location

        created = Location.objects.bulk_create([build(*item) for item in wholes], batch_size=BATCH_SIZE)
        aimaks_by_region = {}
        for location in created:
            aimaks_by_region.setdefault(location.region_id, []).append(location)
        villages = [
            build(region, name, kind, parent=self.rng.choice(aimaks_by_region[region.pk]))
            for region, name, kind in parts
        ]
        created += Location.objects.bulk_create(villages, batch_size=BATCH_SIZE)
        for (_region, name, _kind), location in zip([*wholes, *parts], created, strict=True):
            self.places[location.pk] = name
        for region in self.regions:
            self.locations[region.pk] = {"aimaks": [], "villages": [], "all": []}
        for location in created:
            bucket = self.locations[location.region_id]
            bucket["all"].append(location)
            if location.kind == Location.Kind.AIYL_AIMAK:
                bucket["aimaks"].append(location)
            else:
                bucket["villages"].append(location)
        self.count("locations", len(created))

    def make_organizations(self, n):
        number = _next_number(Organization, "slug", "demo-org-")
        weights = [REGION_WEIGHTS.get(region.slug, 0.4) for region in self.regions]
        organizations = []
        for region in self.rng.choices(self.regions, weights=weights, k=n):
            places = self.locations[region.pk]
            if places["aimaks"] and self.rng.random() < 0.2:
                location = self.rng.choice(places["aimaks"])
                cyrillic, latin = self.places[location.pk]
                kind, legal_form = Organization.Kind.LSG, Organization.LegalForm.LOCAL_SELF_GOVERNMENT
                texts = _demo(
                    f"{cyrillic} айыл өкмөтү #{number}",
                    f"Айыл окмоту {cyrillic} #{number}",
                    f"{latin} aiyl okmotu #{number}",
                )
            else:
                location = self.rng.choice(places["villages"])
                cyrillic, latin = self.rng.choice(ORGANISATION_WORDS)
                kind = Organization.Kind.CSO
                if self.rng.random() < 0.6:
                    legal_form = Organization.LegalForm.PUBLIC_FOUNDATION
                    texts = _demo(
                        f"«{cyrillic}» коомдук фонду #{number}",
                        f"Общественный фонд «{cyrillic}» #{number}",
                        f"{latin} Public Foundation #{number}",
                    )
                else:
                    legal_form = Organization.LegalForm.PUBLIC_ASSOCIATION
                    texts = _demo(
                        f"«{cyrillic}» коомдук бирикмеси #{number}",
                        f"Общественное объединение «{cyrillic}» #{number}",
                        f"{latin} Public Association #{number}",
                    )
            organizations.append(
                Organization(
                    slug=f"demo-org-{number:06d}",
                    kind=kind,
                    legal_form=legal_form,
                    location=location,
                    email=f"demo-org-{number}@example.invalid",
                    phone=_fake_phone(number),
                    synthetic=True,
                    **_translated("name", texts),
                )
            )
            number += 1
        organizations = Organization.objects.bulk_create(organizations, batch_size=BATCH_SIZE)
        self.count("organisations", len(organizations))
        return organizations

    def make_grants(self, n, organizations):
        rng = self.rng
        total = n + round(n * UNPUBLISHED_SHARE)
        unpublished = set(rng.sample(range(total), total - n))
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        all_themes = list(themes.values())
        regions = {region.pk: region for region in self.regions}
        first = _next_number(Grant, "reference", REFERENCE_PREFIX)
        # Every organisation gets a grant before any gets a second one.
        recipients = rng.sample(organizations, len(organizations))

        for start in range(0, total, BATCH_SIZE):
            batch, links = [], []
            for i in range(start, min(start + BATCH_SIZE, total)):
                recipient = recipients[i] if i < len(recipients) else rng.choice(organizations)
                grant, places, topic_themes = self.build_grant(
                    first + i, recipient, regions[recipient.location.region_id], themes, all_themes
                )
                grant.published = i not in unpublished
                grant.search_text = search.grant_search_text(_Unsaved(grant, places, topic_themes))
                batch.append(grant)
                links.append((places, topic_themes))
            batch = Grant.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            location_links, theme_links, updates = [], [], []
            for grant, (places, topic_themes) in zip(batch, links, strict=True):
                location_links += [Grant.locations.through(grant_id=grant.pk, location_id=p.pk) for p in places]
                theme_links += [Grant.themes.through(grant_id=grant.pk, theme_id=t.pk) for t in topic_themes]
                if rng.random() < 0.1:
                    updates += self.build_updates(grant)
            Grant.locations.through.objects.bulk_create(location_links, batch_size=BATCH_SIZE * 2)
            Grant.themes.through.objects.bulk_create(theme_links, batch_size=BATCH_SIZE * 2)
            GrantUpdate.objects.bulk_create(updates, batch_size=BATCH_SIZE)
            if connection.vendor == "postgresql":
                _refresh_search_vectors(Grant.objects.filter(pk__in=[grant.pk for grant in batch]))
            self.count("grants (published)", sum(1 for grant in batch if grant.published))
            self.count("grants (unpublished)", sum(1 for grant in batch if not grant.published))
            self.count("grant locations", len(location_links))
            self.count("grant themes", len(theme_links))
            self.count("grant updates", len(updates))
            self.progress(f"grants: {min(start + BATCH_SIZE, total):,} of {total:,}")
            reset_queries()  # with DEBUG on, Django would keep every batch's SQL text until the end

    def build_grant(self, number, recipient, region, themes, all_themes):
        rng = self.rng
        place = recipient.location
        places = [place]
        if recipient.kind == Organization.Kind.LSG:
            villages = [v for v in self.locations[region.pk]["villages"] if v.parent_id == place.pk]
            if villages and rng.random() < 0.5:
                places.append(rng.choice(villages))
        elif rng.random() < 0.3:
            other = rng.choice(self.locations[region.pk]["all"])
            if other.pk != place.pk:
                places.append(other)
        cyrillic, latin = self.places[place.pk]
        topic_ky, topic_ru, topic_en, theme_slug = rng.choice(TOPICS)
        topic_themes = [themes[theme_slug]] if theme_slug in themes else []
        if all_themes and rng.random() < 0.3:
            extra = rng.choice(all_themes)
            if extra not in topic_themes:
                topic_themes.append(extra)
        people = rng.randrange(2, 31) * 10
        events = rng.randrange(5, 21)
        region_names = [getattr(region, f"name_{code}") or region.slug for code in ("ky", "ru", "en")]

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
            currency = rng.choices([Grant.Currency.KGS, Grant.Currency.USD, Grant.Currency.EUR], weights=[60, 25, 15])[
                0
            ]
            if currency == Grant.Currency.KGS:
                amount = Decimal(rng.randrange(200, 3001) * 1000)
            else:
                amount = Decimal(rng.randrange(20, 401) * 100)
            award_date = start_date - timedelta(days=rng.randrange(0, 61))

        texts = {
            "title": _demo(f"{topic_ky}: {cyrillic} #{number}", f"{topic_ru}: {cyrillic} #{number}",
                           f"{topic_en} in {latin} #{number}"),
            "summary": {
                "ky": f"Синтетикалык демо маалымат, чыныгы долбоор эмес. {cyrillic} ({region_names[0]}): "
                f"{topic_ky.lower()}, {people} катышуучу.",
                "ru": f"Синтетические демо-данные, не настоящий проект. {cyrillic} ({region_names[1]}): "
                f"{topic_ru.lower()}, {people} участников.",
                "en": f"Synthetic demo data, not a real project. {latin} ({region_names[2]}): "
                f"{topic_en.lower()}, {people} participants.",
            },
            "targets": {
                "ky": f"{people} катышуучу\n{events} иш-чара",
                "ru": f"{people} участников\n{events} мероприятий",
                "en": f"{people} participants\n{events} events",
            },
        }  # fmt: skip
        grant = Grant(
            program=self.programme,
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
            **DESCRIPTION,
            **{key: value for name, t in texts.items() for key, value in _translated(name, t).items()},
        )
        return grant, places, topic_themes

    def build_updates(self, grant):
        rng = self.rng
        updates = []
        for j in range(rng.randrange(1, 4)):
            kind = rng.choice(list(UPDATES))
            on = None
            if grant.start_date:
                on = grant.start_date + timedelta(days=rng.randrange((grant.end_date - grant.start_date).days + 1))
            updates.append(
                GrantUpdate(
                    grant=grant,
                    date=on,
                    kind=kind,
                    link=f"https://example.invalid/demo/{grant.slug}/{j + 1}" if kind == GrantUpdate.Kind.MEDIA else "",
                    **_translated("title", _demo(*UPDATES[kind])),
                    **_translated("text", dict(zip(("ky", "ru", "en"), UPDATE_TEXT, strict=True))),
                )
            )
        return updates

    def make_reference_rows(self):
        languages = {}
        for code, (ky, ru, en) in LANGUAGES.items():
            languages[code], created = Language.objects.get_or_create(
                code=code, defaults={"name_ky": ky, "name_ru": ru, "name_en": en}
            )
            self.count("languages", int(created))
        specialisations = []
        for slug, (ky, ru, en) in SPECIALISATIONS.items():
            specialisation, created = Specialisation.objects.get_or_create(
                slug=slug, defaults={"name_ky": ky, "name_ru": ru, "name_en": en}
            )
            specialisations.append(specialisation)
            self.count("specialisations", int(created))
        return languages, specialisations

    def make_mediators(self, n):
        rng = self.rng
        languages, specialisations = self.make_reference_rows()
        number = _next_number(Mediator, "slug", "demo-mediator-")
        places = [location for bucket in self.locations.values() for location in bucket["all"]]
        regions = {region.pk: region.slug for region in self.regions}
        mediators, spoken, skills = [], [], []
        for _i in range(n):
            location = rng.choice(places)
            first_name, first_latin, female = rng.choice(FIRST_NAMES)
            surname, surname_latin = rng.choice(SURNAMES)
            if female:
                surname, surname_latin = surname + "а", surname_latin + "a"
            certification = rng.choices(
                [Mediator.Certification.CERTIFIED, Mediator.Certification.IN_TRAINING, Mediator.Certification.NONE],
                weights=[50, 30, 20],
            )[0]
            consent = rng.random() < 0.7
            mediators.append(
                Mediator(
                    slug=f"demo-mediator-{number:06d}",
                    location=location,
                    certification=certification,
                    certified_on=FIRST_DAY + timedelta(days=rng.randrange(3 * 365))
                    if certification == Mediator.Certification.CERTIFIED
                    else None,
                    phone=_fake_phone(number),
                    email=f"demo{number}@example.invalid",
                    address=f"Demo address {number}",
                    public_consent=consent,
                    consent_date=FIRST_DAY + timedelta(days=rng.randrange(3 * 365)) if consent else None,
                    synthetic=True,
                    **_translated(
                        "name",
                        _demo(f"{first_name} {surname}", f"{first_name} {surname}", f"{first_latin} {surname_latin}"),
                    ),
                    **_translated(
                        "biography",
                        {
                            "ky": "Синтетикалык демо медиатор: чыныгы адам эмес.",
                            "ru": "Синтетический демо-медиатор: не реальный человек.",
                            "en": "Synthetic demo mediator: not a real person.",
                        },
                    ),
                )
            )
            region = regions[location.region_id]
            codes = [
                code
                for code, chance in (
                    ("ky", 0.9),
                    ("ru", 0.7),
                    ("uz", 0.4 if region in UZBEK_SPEAKING else 0.05),
                    ("tg", 0.2 if region == "batken" else 0.01),
                )
                if rng.random() < chance
            ] or ["ky"]
            spoken.append([languages[code] for code in codes])
            skills.append(rng.sample(specialisations, rng.randrange(1, 4)))
            number += 1
        mediators = Mediator.objects.bulk_create(mediators, batch_size=BATCH_SIZE)

        # Mentors form trees: a mediator's mentor is always one made before them, so no chain comes back round.
        mentored = []
        for i, mediator in enumerate(mediators):
            if i >= 3 and rng.random() < 0.6:
                mediator.mentor = mediators[rng.randrange(i)]
                mentored.append(mediator)
        Mediator.objects.bulk_update(mentored, ["mentor"], batch_size=BATCH_SIZE)

        Mediator.languages.through.objects.bulk_create(
            [
                Mediator.languages.through(mediator_id=mediator.pk, language_id=language.pk)
                for mediator, chosen in zip(mediators, spoken, strict=True)
                for language in chosen
            ],
            batch_size=BATCH_SIZE * 2,
        )
        Mediator.specialisations.through.objects.bulk_create(
            [
                Mediator.specialisations.through(mediator_id=mediator.pk, specialisation_id=specialisation.pk)
                for mediator, chosen in zip(mediators, skills, strict=True)
                for specialisation in chosen
            ],
            batch_size=BATCH_SIZE * 2,
        )
        self.count("mediators", len(mediators))
        self.count("mediators with a mentor", len(mentored))
        return mediators

    def make_trainings(self, n, mediators):
        rng = self.rng
        number = Training.objects.filter(synthetic=True).count() + 1
        places = [location for bucket in self.locations.values() for location in bucket["all"]]
        kinds = list(TRAININGS)
        trainings, attended = [], []
        for i in range(n):
            kind = kinds[i % len(kinds)]
            ky, ru, en = TRAININGS[kind]
            day = FIRST_DAY + timedelta(days=rng.randrange(3 * 365))
            trainings.append(
                Training(
                    kind=kind,
                    date=day,
                    end_date=day + timedelta(days=rng.randrange(3)),
                    location=rng.choice(places),
                    participant_count=rng.randrange(10, 41),
                    synthetic=True,
                    **_translated("title", _demo(f"{ky} #{number}", f"{ru} #{number}", f"{en} #{number}")),
                    **_translated("description", dict(zip(("ky", "ru", "en"), TRAINING_TEXT, strict=True))),
                )
            )
            attended.append(rng.sample(mediators, min(len(mediators), rng.randrange(5, 21))))
            number += 1
        trainings = Training.objects.bulk_create(trainings, batch_size=BATCH_SIZE)
        participants = [
            Training.participants.through(training_id=training.pk, mediator_id=mediator.pk)
            for training, chosen in zip(trainings, attended, strict=True)
            for mediator in chosen
        ]
        Training.participants.through.objects.bulk_create(participants, batch_size=BATCH_SIZE * 2)
        self.count("trainings", len(trainings))
        self.count("training participants", len(participants))
