"""export_grants takes the reports page's filters, under the same names, and refuses those it cannot use."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from grants.filters import ReportFilter
from tests.factories import (
    GrantFactory,
    LocationFactory,
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants():
    talas, naryn = RegionFactory(slug="talas"), RegionFactory(slug="naryn")
    youth = ThemeFactory(slug="youth")
    programme, other = ProgramFactory(slug="living-in-peace"), ProgramFactory(slug="other")

    def grant(region, reference, **fields):
        place = LocationFactory(region=region)
        return GrantFactory(recipient=OrganizationFactory(location=place), reference=reference, **fields)

    grant(talas, "R-1", program=programme, themes=[youth], award_date=date(2021, 12, 1), amount=Decimal(10),
          currency="KGS")  # fmt: skip
    grant(talas, "R-2", program=programme, kind="lsg", status="completed", award_date=date(2022, 3, 1))
    grant(naryn, "R-3", program=other, themes=[youth], award_date=date(2022, 1, 15))
    grant(naryn, "R-4", program=programme, published=False)


def _references(path):
    with open(path, encoding="utf-8-sig") as file:
        return [row[0] for row in csv.reader(file)][1:]


@pytest.mark.parametrize(
    ("options", "references"),
    [
        ({}, ["R-1", "R-2", "R-3"]),
        ({"program": "living-in-peace"}, ["R-1", "R-2"]),
        ({"region": "naryn"}, ["R-3"]),
        ({"kind": "lsg"}, ["R-2"]),
        ({"status": "completed"}, ["R-2"]),
        ({"theme": "youth"}, ["R-1", "R-3"]),
        ({"award_from": "2022-01-01"}, ["R-2", "R-3"]),
        ({"award_to": "2022-01-31"}, ["R-1", "R-3"]),
        ({"award_from": "2021-12-01", "award_to": "2022-01-31", "theme": "youth"}, ["R-1", "R-3"]),
        ({"region": "naryn", "include_unpublished": True}, ["R-3", "R-4"]),
    ],
)
def test_each_filter_selects_what_the_reports_page_would(grants, tmp_path, options, references):
    target = tmp_path / "grants.csv"
    call_command("export_grants", format="csv", output=str(target), language="en", **options)
    assert _references(target) == references


def test_the_options_are_written_as_on_a_command_line(grants, tmp_path):
    target = tmp_path / "grants.csv"
    call_command("export_grants", "--format=csv", f"--output={target}", "--award-from", "2022-01-01", "--region=talas")
    assert _references(target) == ["R-2"]


def test_every_filter_of_the_reports_is_an_option_with_its_values_named(capsys):
    with pytest.raises(SystemExit):
        call_command("export_grants", "--help")
    help_text = " ".join(capsys.readouterr().out.split())
    for name in ReportFilter.base_filters:
        assert f"--{name.replace('_', '-')}" in help_text
    assert "Kind (cso, lsg)." in help_text
    assert "Region (slug)." in help_text
    assert "Awarded from (YYYY-MM-DD)." in help_text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"region": "atlantis"}, "These filters cannot be used: Region: Select a valid choice."),
        ({"award_from": "someday"}, "These filters cannot be used: Awarded from: Enter a valid date."),
        ({"award_from": "2022-02-01", "award_to": "2022-01-01"},
         "These filters cannot be used: Awarded until: The end of the award-date range is before its start."),
        ({"kind": "big"}, "These filters cannot be used: Kind: Select a valid choice. big is not one of"),
    ],
)  # fmt: skip
def test_filters_it_cannot_use_are_refused_by_name_and_nothing_is_written(grants, tmp_path, options, message):
    target = tmp_path / "grants.csv"
    with pytest.raises(CommandError) as refused:
        call_command("export_grants", format="csv", output=str(target), language="en", **options)
    assert str(refused.value).startswith(message)
    assert not target.exists()


def test_the_message_is_in_the_language_asked_for(grants, tmp_path):
    with pytest.raises(CommandError, match="Регион: Выберите корректный вариант"):
        call_command("export_grants", format="csv", output=str(tmp_path / "x.csv"), language="ru", region="x")


def test_output_to_standard_output(grants, capsysbinary):
    call_command("export_grants", format="csv", output="-", language="en", region="talas")
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["R-1", "R-2"]
