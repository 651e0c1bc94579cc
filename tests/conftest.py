import copy
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from grants.models import Organization, ProgramComponent
from grants.newsletter import load_newsletter
from intymak.apps import DATA_APPS
from intymak.page_cache import invalidate
from tests.factories import OrganizationFactory, ProgramComponentFactory, ProgramFactory

LANGUAGES = ("ky", "ru", "en")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Every test gets an empty in-process cache of its own, never the developer's file cache.

    The public page cache is off, so tests see each response's context; tests of the cache turn it on.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    # Tests read static files where they are, without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PAGE_CACHE_SECONDS = 0
    # Users are made in many tests: a fast hasher (the password rules are tested on their own).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


# What load_newsletter wrote into an empty database, per test process: {table: (columns, rows)}, and its report.
_newsletter_rows = {}
_newsletter_report = []


def _data_tables():
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in DATA_APPS]
    return models, sorted({m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy})


def _is_empty(tables):
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT 1 FROM (SELECT 1 FROM {t} LIMIT 1) AS x{i}" for i, t in
                                          enumerate(connection.ops.quote_name(t) for t in tables)))  # fmt: skip
        return cursor.fetchone() is None


@pytest.fixture
def newsletter(db, django_capture_on_commit_callbacks):
    """The programme's first real data: the newsletter's 25 grants in 9 regions, as if committed.

    The first test of a process runs load_newsletter; later ones, into the same empty tables, get the very rows it
    wrote (history and search index included) copied back in a few queries, which is many times faster. A test that
    has made data of its own first gets a real load_newsletter, which merges with it as it would in the portal.
    """
    models, tables = _data_tables()
    empty = _is_empty(tables)
    if not (empty and _newsletter_rows):
        with django_capture_on_commit_callbacks(execute=True):
            report = load_newsletter()
        if empty:
            _newsletter_rows.update(_read_tables(tables))
            _newsletter_report.append(copy.deepcopy(report))
        return report
    # One transaction (also for transactional tests), so that foreign keys are checked once all rows are in.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in _newsletter_rows.items():
            if not rows:
                continue
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})", rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    with django_capture_on_commit_callbacks(execute=True):
        invalidate()
    return copy.deepcopy(_newsletter_report[0])


def _read_tables(tables):
    contents = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            contents[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return contents


# The action plan of the `programme` fixture: (measure, target, title in ky, ru, en), one line per measure.
ACTION_PLAN = (
    (ProgramComponent.Measure.TRAINED_LOCATIONS, 3, "Үч локацияда окутуу", "Обучение в трёх локациях",
     "Training in three locations"),
    (ProgramComponent.Measure.CSO_GRANTS, 4, "Жарандык коомго төрт грант", "Четыре гранта гражданскому обществу",
     "Four grants to civil society"),
    (ProgramComponent.Measure.LSG_GRANTS, 2, "Айыл өкмөттөрүнө эки грант", "Два гранта айыл окмоту",
     "Two grants to aiyl okmotus"),
    (ProgramComponent.Measure.MEDIATOR_NETWORK, None, "Медиаторлор тармагы", "Сеть медиаторов", "Mediator network"),
    (ProgramComponent.Measure.WORKING_GROUP_MEETINGS, None, "Жумушчу топтор", "Рабочие группы", "Working groups"),
    (ProgramComponent.Measure.YOUTH_ENGAGEMENT, None, "Жаштар менен иштөө", "Работа с молодёжью",
     "Work with youth"),
    (ProgramComponent.Measure.COMMUNICATION_CAMPAIGN, None, "Маалымат кампаниясы", "Информационная кампания",
     "Information campaign"),
)  # fmt: skip


@pytest.fixture
def programme(db):
    """The programme the portal shows, made with factories: its funder, implementer, two partners and an action
    plan of seven lines (ACTION_PLAN). It is the only programme when tests give it their grants
    (`GrantFactory(program=programme)`), so every page that shows "the programme" shows this one."""
    organization = {"kind": Organization.Kind.PARTNER, "location": None}
    programme = ProgramFactory(
        name_ky="Тынчтык жана ынтымак", name_ru="Мир и согласие", name_en="Peace and Harmony",
        summary_ky="Жамааттардагы чыр-чатактарды алдын алуу.", summary_ru="Предупреждение конфликтов в сообществах.",
        summary_en="Preventing conflicts in communities.",
        start_date=date(2021, 4, 1), end_date=date(2022, 9, 30),
        funder__name_ky="Тынчтык фонду", funder__name_ru="Фонд мира", funder__name_en="Peace Fund",
        implementer__name_ky="Ынтымак бирикмеси", implementer__name_ru="Союз согласия",
        implementer__name_en="Harmony Union",
    )  # fmt: skip
    programme.partners.set(
        [
            OrganizationFactory(name_ky="Медиация борбору", name_ru="Центр медиации", name_en="Mediation Centre",
                                **organization),
            OrganizationFactory(name_ky="Саясат институту", name_ru="Институт политики", name_en="Policy Institute",
                                **organization),
        ]
    )  # fmt: skip
    for order, (measure, target, ky, ru, en) in enumerate(ACTION_PLAN, start=1):
        ProgramComponentFactory(program=programme, order=order, measure=measure, target=target, title_ky=ky,
                                title_ru=ru, title_en=en)  # fmt: skip
    return programme


@pytest.fixture
def donor(django_user_model):
    """A member of the Donors group: the reports and their exports, nothing to change."""
    user = django_user_model.objects.create_user("donor", password="a-long-test-password-42")
    user.groups.add(Group.objects.get(name="Donors"))
    return user


@pytest.fixture
def donor_client(client, donor):
    client.force_login(donor)
    return client


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", password="a-long-test-password-42", is_staff=True)


@pytest.fixture
def staff_client(staff):
    client = Client()  # a browser of its own, beside the donor's
    client.force_login(staff)
    return client


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password-42")


@pytest.fixture
def admin_client(superuser):
    """A client of its own, signed in as a superuser (tests may also use `client` for someone else)."""
    client = Client()
    client.force_login(superuser)
    return client
