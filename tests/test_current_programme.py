"""The programme being shown (Program.objects.current()) is the same on every page that shows one: the one that
started last, undated ones after dated ones."""

import datetime

import pytest

from grants.models import Program
from tests.factories import GrantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _programmes():
    older = ProgramFactory(name_en="Older programme", start_date=datetime.date(2019, 1, 1))
    newer = ProgramFactory(name_en="Newer programme", start_date=datetime.date(2023, 1, 1))
    undated = ProgramFactory(name_en="Undated programme", start_date=None)
    return older, newer, undated


def test_the_current_programme_started_last_and_undated_ones_come_after():
    assert Program.objects.current() is None
    older, newer, undated = _programmes()
    assert Program.objects.current() == newer
    assert Program.objects.exclude(pk=newer.pk).current() == older
    assert Program.objects.filter(pk=undated.pk).current() == undated


def test_home_and_about_show_the_current_programme(client):
    _programmes()
    for path in ("/en/", "/en/about/"):
        html = client.get(path).content.decode()
        assert "Newer programme" in html, path
        assert "Older programme" not in html and "Undated programme" not in html, path


def test_the_coverage_table_is_of_the_current_programme(client):
    older, newer, _undated = _programmes()
    GrantFactory(program=older, locations=[])
    current_grant = GrantFactory(program=newer)
    current_grant.locations.add(current_grant.recipient.location)
    elsewhere = GrantFactory(program=older)
    elsewhere.locations.add(elsewhere.recipient.location)
    html = client.get("/en/mediators/coverage/").content.decode()
    assert current_grant.recipient.location.name_en in html
    assert elsewhere.recipient.location.name_en not in html
