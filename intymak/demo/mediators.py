"""Synthetic mediators, who speak the region's languages and mentor one another, with the languages and
specialisations they need (reference data, made when missing, never removed)."""

from datetime import timedelta

from mediators.models import Language, Mediator, Specialisation

from .base import BATCH_SIZE, FIRST_DAY, demo, fake_phone, fill, next_number, read_texts, translated, two_scripts

UZBEK_SPEAKING = {"osh", "jalal-abad", "batken", "osh-city"}


def make(world):
    rng = world.rng
    texts = read_texts("mediators")
    languages, specialisations = _make_reference_rows(world, texts)
    number = next_number(Mediator, "slug", "demo-mediator-")
    locations = world.all_locations()
    regions = {region.pk: region.slug for region in world.regions}
    feminine_ending, feminine_ending_latin = texts["feminine_ending"]
    mediators, spoken, skills = [], [], []
    for _i in range(max(5, world.size // 20)):
        location = rng.choice(locations)
        first_name, first_latin, female = rng.choice(texts["first_names"])
        surname, surname_latin = rng.choice(texts["surnames"])
        if female:
            surname, surname_latin = surname + feminine_ending, surname_latin + feminine_ending_latin
        certification = rng.choices(
            [Mediator.Certification.CERTIFIED, Mediator.Certification.IN_TRAINING, Mediator.Certification.NONE],
            weights=[50, 30, 20],
        )[0]
        consent = rng.random() < 0.7
        certified_on = None
        if certification == Mediator.Certification.CERTIFIED:
            certified_on = FIRST_DAY + timedelta(days=rng.randrange(3 * 365))
        consent_date = FIRST_DAY + timedelta(days=rng.randrange(3 * 365)) if consent else None
        name = fill(texts["name"], first_name=two_scripts(first_name, first_latin),
                    surname=two_scripts(surname, surname_latin))  # fmt: skip
        mediators.append(
            Mediator(
                slug=f"demo-mediator-{number:06d}",
                location=location,
                certification=certification,
                certified_on=certified_on,
                phone=fake_phone(number),
                email=f"demo{number}@example.invalid",
                address=f"Demo address {number}",
                public_consent=consent,
                consent_date=consent_date,
                synthetic=True,
                **translated("name", demo(name)),
                **translated("biography", texts["biography"]),
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
    world.mediators = mediators
    world.count("mediators", len(mediators))
    world.count("mediators with a mentor", len(mentored))


def clear(delete):
    delete(Mediator.objects.filter(synthetic=True))


def _make_reference_rows(world, texts):
    languages = {}
    for code, names in texts["languages"].items():
        languages[code], created = Language.objects.get_or_create(code=code, defaults=translated("name", names))
        world.count("languages", int(created))
    specialisations = []
    for slug, names in texts["specialisations"].items():
        specialisation, created = Specialisation.objects.get_or_create(slug=slug, defaults=translated("name", names))
        specialisations.append(specialisation)
        world.count("specialisations", int(created))
    return languages, specialisations
