"""factory-boy factories for every model. Translated fields get text in all three languages."""

import string

import factory
from factory.django import DjangoModelFactory

from grants.models import Grant, GrantUpdate, Organization, Program, ProgramComponent, Theme
from locations.models import Location, Region
from mediators.models import Language, Mediator, Specialisation, Training


def _iso_code(n):
    """KG-AA, KG-AB, ...: two letters, never starting with G, so never a real code (KG-GB Bishkek, KG-GO Osh)."""
    letters = string.ascii_uppercase
    first = letters.replace("G", "")
    return f"KG-{first[n // 26 % len(first)]}{letters[n % 26]}"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name_ky = factory.Sequence(lambda n: f"Аймак {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    # 4179x...: no real region has these codes, so factories never clash with the newsletter's regions.
    coate = factory.Sequence(lambda n: f"4179{n % 10}{n // 10:09d}")
    iso_code = factory.Sequence(_iso_code)
    order = factory.Sequence(int)


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    name_ky = factory.Sequence(lambda n: f"Айыл {n}")
    name_ru = factory.Sequence(lambda n: f"Село {n}")
    name_en = factory.Sequence(lambda n: f"Village {n}")
    slug = factory.Sequence(lambda n: f"location-{n}")
    kind = Location.Kind.VILLAGE
    region = factory.SubFactory(RegionFactory)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name_ky = factory.Sequence(lambda n: f"Уюм {n}")
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organization.Kind.CSO
    legal_form = Organization.LegalForm.PUBLIC_FOUNDATION
    location = factory.SubFactory(LocationFactory)


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    name_ky = factory.Sequence(lambda n: f"Программа {n}")
    name_ru = factory.Sequence(lambda n: f"Программа {n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    funder = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.DONOR, location=None)
    implementer = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.PARTNER, location=None)


class ProgramComponentFactory(DjangoModelFactory):
    class Meta:
        model = ProgramComponent

    program = factory.SubFactory(ProgramFactory)
    order = factory.Sequence(int)
    measure = ProgramComponent.Measure.CSO_GRANTS
    target = 25
    title_ky = "Жарандык коом уюмдарына 25 грант"
    title_ru = "25 грантов организациям гражданского общества"
    title_en = "25 grants for civil society organisations"


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name_ky = factory.Sequence(lambda n: f"Тема {n}")
    name_ru = factory.Sequence(lambda n: f"Тема {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class GrantFactory(DjangoModelFactory):
    class Meta:
        model = Grant
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    kind = Grant.Kind.CSO
    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    slug = factory.Sequence(lambda n: f"grant-{n}")
    title_ky = factory.Sequence(lambda n: f"Тынчтык демилгеси {n}")
    title_ru = factory.Sequence(lambda n: f"Мирная инициатива {n}")
    title_en = factory.Sequence(lambda n: f"Peace initiative {n}")
    summary_ky = "Жаштар менен диалог."
    summary_ru = "Диалог с молодежью."
    summary_en = "Dialogue with youth."
    recipient = factory.SubFactory(OrganizationFactory)
    region = factory.LazyAttribute(lambda grant: grant.recipient.location.region)
    status = Grant.Status.ACTIVE
    published = True

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create:
            self.locations.set(extracted if extracted is not None else [self.recipient.location])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class GrantUpdateFactory(DjangoModelFactory):
    class Meta:
        model = GrantUpdate

    grant = factory.SubFactory(GrantFactory)
    kind = GrantUpdate.Kind.PROGRESS
    date = factory.Faker("date_between", start_date="-1y", end_date="today")
    title_ky = "Окутуу өттү"
    title_ru = "Прошло обучение"
    title_en = "Training held"


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = factory.Iterator(["ky", "ru", "uz", "tg", "en"])
    name_ky = factory.LazyAttribute(lambda o: {"ky": "кыргыз тили", "ru": "орус тили"}.get(o.code, o.code))
    name_ru = factory.LazyAttribute(lambda o: {"ky": "кыргызский", "ru": "русский"}.get(o.code, o.code))
    name_en = factory.LazyAttribute(lambda o: {"ky": "Kyrgyz", "ru": "Russian"}.get(o.code, o.code))


class SpecialisationFactory(DjangoModelFactory):
    class Meta:
        model = Specialisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"specialisation-{n}")
    name_ky = factory.Sequence(lambda n: f"Адистик {n}")
    name_ru = factory.Sequence(lambda n: f"Специализация {n}")
    name_en = factory.Sequence(lambda n: f"Specialisation {n}")


class MediatorFactory(DjangoModelFactory):
    class Meta:
        model = Mediator

    name_ky = factory.Sequence(lambda n: f"Медиатор {n}")
    name_ru = factory.Sequence(lambda n: f"Медиатор {n}")
    name_en = factory.Sequence(lambda n: f"Mediator {n}")
    slug = factory.Sequence(lambda n: f"mediator-{n}")
    location = factory.SubFactory(LocationFactory)
    certification = Mediator.Certification.CERTIFIED
    public_consent = True


class TrainingFactory(DjangoModelFactory):
    class Meta:
        model = Training

    title_ky = "Медиация боюнча окутуу"
    title_ru = "Обучение медиации"
    title_en = "Mediation training"
    kind = Training.Kind.MEDIATION
    date = factory.Faker("date_between", start_date="-2y", end_date="today")
    location = factory.SubFactory(LocationFactory)
