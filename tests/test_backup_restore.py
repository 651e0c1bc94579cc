"""`make backup` and `make restore FILE=...` on PostgreSQL: a dump of the test database, restored into a fresh one,
gives every table back with the same rows, and the sequences where they were. A restore never touches a database
that holds anything, and bad input gets a clear message."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from grants.models import Grant
from locations.models import Location
from tests import factories
from tests.databases import database_url

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("backups are for PostgreSQL (DATABASE_URL=postgres://...); SQLite's is a copy of its file")
    for program in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(program) is None:
            pytest.skip(f"needs PostgreSQL's client program {program}")


def _connect(database):
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=database,
        user=settings["USER"] or None,
        password=settings.get("PASSWORD") or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )


@pytest.fixture
def empty_database():
    """A new, empty database on the same server, dropped afterwards."""
    name = f"intymak_restore_{uuid.uuid4().hex[:10]}"
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _make(*arguments, **environment):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "RESTORE_DATABASE_URL")}
    env.update(environment)
    return subprocess.run(
        ["make", "--no-print-directory", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _contents(database):
    """Every table's row count and a digest of its rows (in a fixed order), and every sequence's position."""
    with _connect(database) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [name for (name,) in cursor.fetchall()]
        contents = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            contents[table] = cursor.fetchone()
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        sequences = dict(cursor.fetchall())
    db.close()
    return contents, sequences


@pytest.fixture
def portal_data(newsletter, superuser):
    """The newsletter's data, a mediator network and some change history: every kind of row the portal keeps."""
    mentor = factories.MediatorFactory(public_consent=True)
    mentee = factories.MediatorFactory(mentor=mentor, public_consent=False)
    training = factories.TrainingFactory()
    training.participants.set([mentor, mentee])
    location = Location.objects.order_by("pk").first()
    location.name_ky = f"{location.name_ky} (өзгөртүлдү)"
    location.save()


def test_a_backup_restored_into_an_empty_database_has_every_table_and_row(portal_data, empty_database, tmp_path):
    source = connection.settings_dict["NAME"]
    backup = _make("backup", DATABASE_URL=database_url(source), BACKUP_DIR=str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("intymak-*.dump")
    assert backup.stdout.startswith(str(dump))
    assert dump.stat().st_mode & 0o077 == 0  # personal details: readable by the owner only
    assert not list(tmp_path.glob("*.partial"))

    restore = _make(
        "restore", f"FILE={dump}", DATABASE_URL=database_url(source), RESTORE_DATABASE_URL=database_url(empty_database)
    )
    assert restore.returncode == 0, restore.stderr
    assert f"into the database {empty_database}" in restore.stdout

    original, original_sequences = _contents(source)
    restored, restored_sequences = _contents(empty_database)
    assert set(restored) == set(original)
    assert original["grants_grant"][0] == Grant.objects.count() > 0 and original["mediators_mediator"][0] == 2
    assert original["locations_historicallocation"][0] == Location.objects.count() + 1  # created, then changed
    differing = [table for table in original if original[table] != restored[table]]
    assert differing == []
    assert restored_sequences == original_sequences


def test_a_restore_never_writes_into_a_database_that_holds_data(portal_data, tmp_path):
    source = connection.settings_dict["NAME"]
    assert _make("backup", DATABASE_URL=database_url(source), BACKUP_DIR=str(tmp_path)).returncode == 0
    (dump,) = tmp_path.glob("intymak-*.dump")
    before = _contents(source)

    refused = _make("restore", f"FILE={dump}", DATABASE_URL=database_url(source))
    assert refused.returncode != 0
    assert f"the database {source} is not empty" in refused.stderr
    assert "nothing was changed" in refused.stderr
    assert _contents(source) == before


def test_bad_input_gets_a_clear_message(empty_database, tmp_path):
    target = {"DATABASE_URL": database_url(empty_database)}
    no_file = _make("restore", **target)
    assert no_file.returncode != 0 and "which dump?" in no_file.stderr

    missing = _make("restore", f"FILE={tmp_path / 'nowhere.dump'}", **target)
    assert missing.returncode != 0 and "no such file" in missing.stderr

    not_a_dump = tmp_path / "notes.dump"
    not_a_dump.write_text("not a dump")
    wrong = _make("restore", f"FILE={not_a_dump}", **target)
    assert wrong.returncode != 0 and "is not a dump made by make backup" in wrong.stderr
    assert _contents(empty_database) == ({}, {})

    sqlite = _make("backup", DATABASE_URL="sqlite:///db.sqlite3", BACKUP_DIR=str(tmp_path))
    assert sqlite.returncode != 0 and "backups and restores are for PostgreSQL" in sqlite.stderr
    unset = _make("backup", BACKUP_DIR=str(tmp_path))
    assert unset.returncode != 0 and "DATABASE_URL is not set" in unset.stderr
