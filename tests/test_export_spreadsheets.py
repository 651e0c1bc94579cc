"""The tabular exports' machinery: the grants' rows in one query, typed CSV cells, the streamed XLSX workbook."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from grants.exporters import ExportContext, export_context, tables
from grants.exporters.base import Table, csv_stream, xlsx_file, xlsx_stream
from grants.models import Grant, Organization
from grants.reports import report_grants
from locations.models import Region
from tests.factories import GrantFactory, LocationFactory, MediatorFactory, OrganizationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("ky", "ru", "en")


# ---------------------------------------------------------------------------------------------------------------
# The grants' rows


@pytest.fixture
def mixed(newsletter):
    """A grant whose locations and themes sort differently in each language, with gaps the fallbacks fill."""
    region = Region.objects.get(slug="chui")
    places = [
        LocationFactory(region=region, name_ky="Өрнөк", name_ru="Орнок", name_en="Ornok"),
        LocationFactory(region=region, name_ky="Ак-Суу", name_ru="Ак-Суу", name_en=""),  # en falls back to ky
        LocationFactory(region=region, name_ky="Ленин", name_ru="Ленинское", name_en="Lenin"),
        LocationFactory(region=region, name_ky="Ленин", name_ru="Ленинское", name_en="Lenin"),  # same name: by id
        LocationFactory(region=region, name_ky="", name_ru="", name_en="Zeta"),  # ky and ru fall back to en
    ]
    themes = [
        ThemeFactory(slug="t-unity", name_ky="Үй-бүлө", name_ru="Семья", name_en="Family"),
        ThemeFactory(slug="t-dialogue", name_ky="Диалог", name_ru="Диалог", name_en="Dialogue"),
    ]
    recipient = OrganizationFactory(location=places[0], legal_form="", name_ky="Уюм ң", name_ru="", name_en="")
    return GrantFactory(
        reference="LIP-ZZ-01",
        region=region,
        recipient=recipient,
        locations=[places[0], places[3], places[1], places[4], places[2]],
        themes=themes,
        title_ky="Биримдик",
        title_ru="",
        title_en="",
        targets_en="  150 activists \n\n\r\n 3 villages\u2028  =1+1  ",
        amount=Decimal("1234567.5"),
        currency="KGS",
        award_date=datetime.date(2024, 2, 29),
        published=False,
    )


def _reference_rows(grants, language):
    """What the export should say, computed grant by grant from the models, in the plainest way."""

    def shown(item, field):
        for code in [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]:
            if value := getattr(item, f"{field}_{code}"):
                return value
        return ""

    def listed(items):
        return ", ".join(shown(item, "name") for item in sorted(items, key=lambda item: (shown(item, "name"), item.pk)))

    rows = []
    for grant in grants.select_related("recipient", "region").prefetch_related("locations", "themes"):
        targets = shown(grant, "targets")
        rows.append(
            [
                grant.reference,
                shown(grant, "title"),
                str(grant.get_kind_display()),
                str(grant.get_status_display()),
                shown(grant.recipient, "name"),
                str(grant.recipient.get_legal_form_display()),
                shown(grant.region, "name"),
                listed(grant.locations.all()),
                listed(grant.themes.all()),
                grant.amount,
                grant.currency,
                grant.award_date,
                grant.start_date,
                grant.end_date,
                " / ".join(line.strip() for line in targets.splitlines() if line.strip()),
                f"{settings.SITE_URL}/{language}/initiatives/{grant.slug}/" if grant.published else "",
            ]
        )
    return rows


@pytest.mark.parametrize("language", LANGUAGES)
def test_grant_rows_are_what_each_grant_says(mixed, language, monkeypatch):
    grants, _form = report_grants({}, include_unpublished=True)
    with translation.override(language):
        expected = _reference_rows(grants, language)
        rows = list(tables.grant_rows(grants))
        # The portable path (locations and themes read per batch) gives the same rows as PostgreSQL's aggregates.
        monkeypatch.setattr(tables, "aggregates_in_sql", lambda connection: False)
        portable = list(tables.grant_rows(grants))
    assert len(rows) == Grant.objects.filter(archived=False).count() == 26
    assert rows == expected
    assert portable == expected


def test_locations_and_themes_follow_the_name_shown_then_the_id(mixed):
    grants, _form = report_grants({}, include_unpublished=True)
    by_language = {}
    for language in LANGUAGES:
        with translation.override(language):
            by_language[language] = next(row for row in tables.grant_rows(grants) if row[0] == "LIP-ZZ-01")
    assert by_language["en"][7] == "Lenin, Lenin, Ornok, Zeta, Ак-Суу"
    assert by_language["ky"][7] == "Zeta, Ак-Суу, Ленин, Ленин, Өрнөк"
    assert by_language["ru"][7] == "Zeta, Ак-Суу, Ленинское, Ленинское, Орнок"
    assert by_language["en"][8] == "Dialogue, Family" and by_language["ky"][8] == "Диалог, Үй-бүлө"
    english = by_language["en"]
    assert english[1] == "Биримдик" and english[4] == "Уюм ң" and english[5] == ""
    assert english[14] == "150 activists / 3 villages / =1+1"
    assert english[9] == Decimal("1234567.50") and english[11] == datetime.date(2024, 2, 29)
    assert english[15] == ""  # unpublished: no public address


def test_the_csv_download_does_not_wait_for_the_totals(donor_client, mixed, monkeypatch):
    def no_totals(context):
        raise AssertionError("the CSV needs no totals")

    monkeypatch.setattr(ExportContext, "totals", property(no_totals))
    body = b"".join(donor_client.get("/en/reports/grants.csv").streaming_content)
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) == 1 + 25


def test_the_context_computes_totals_and_programme_once_when_read(newsletter):
    grants, form = report_grants({})
    with CaptureQueriesContext(connection) as queries:
        context = export_context(grants, form, "en")
    assert len(queries) == 0
    assert context.totals.grants == 25 and context.totals is context.totals
    assert context.programme is not None and context.programme is context.programme


# ---------------------------------------------------------------------------------------------------------------
# CSV


def test_csv_cells_are_typed_and_text_a_spreadsheet_would_run_is_neutralised():
    row = ["=1+1", "+7", "-x", "@A1", "\tx", "\rx", "|x", "%x", "", None, "ң ө ү", Decimal("-5"), Decimal("3.5"),
           datetime.date(2021, 12, 1), datetime.datetime(2021, 12, 1, 8, 30), -5, 12, True,
           gettext_lazy("Grants"), "a,b\"c\nd", "-1,000.50", "x=1"]  # fmt: skip
    body = b"".join(csv_stream(Table("t", [f"h{index}" for index in range(len(row))], [row] * 2500)))
    assert body.startswith("\ufeff".encode())
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2500 and all(item == rows[0] for item in rows)
    assert rows[0] == [
        # Text that starts as a formula would gets an apostrophe, shown as text by spreadsheet programs.
        "'=1+1", "'+7", "'-x", "'@A1", "'\tx", "'\rx", "'\\|x", "'%x",
        "", "", "ң ө ү",
        # Numbers stay numbers, negative ones too: a number is never run as a formula.
        "-5.00", "3.50", "2021-12-01", "2021-12-01T08:30:00", "-5", "12", "True",
        str(gettext_lazy("Grants")), "a,b\"c\nd", "-1,000.50", "x=1",
    ]  # fmt: skip


def test_csv_comes_in_chunks_as_the_rows_come():
    consumed = []

    def rows():
        for number in range(3000):
            consumed.append(number)
            yield [f"row {number}", number]

    stream = csv_stream(Table("t", ["a", "b"], rows()))
    next(stream)  # the header and the first thousand rows
    assert len(consumed) == 1000


# ---------------------------------------------------------------------------------------------------------------
# XLSX


def _sheets():
    """Three tables with unicode, control characters, formula-like text and typed values."""
    grants = Table(
        "Гранттар",
        ["Аталышы", "Сумма", "Күнү", "Саны", "Эскертүү"],
        iter(
            [
                ["Биримдик үчүн ң ө ү", Decimal("1000.00"), datetime.date(2021, 12, 1), 3, None],
                ['=HYPERLINK("http://evil.example","x")', Decimal("2500.5"), None, 0, "+1+1"],
                ["bell\x07 and nul\x00", None, datetime.date(1900, 3, 1), -2, "  spaces kept  "],
                ['<b>&amp; "quotes"</b>', Decimal("0"), datetime.date(2099, 12, 31), 1, "line\nbreak\ttab"],
                ["", "", datetime.datetime(2024, 2, 29, 12, 0), True, "@SUM(A1)"],
            ]
        ),
        widths=(40, 14, 12),
    )
    regions = Table("Аймактар: боюнча/жыйынтык", ["Аймак", "Демилгелер", "KGS"], [["Чүй облусу", 4, Decimal("3500")]])
    empty = Table("Бош", ["Биринчи", "Экинчи"], [])
    return [grants, regions, empty]


def test_the_workbook_reads_back_with_openpyxl():
    data = b"".join(xlsx_stream(_sheets()))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Гранттар", "Аймактар_ боюнча_жыйынтык", "Бош"]
    sheet = workbook["Гранттар"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E6"
    assert [cell.value for cell in sheet[1]] == ["Аталышы", "Сумма", "Күнү", "Саны", "Эскертүү"]
    assert all(cell.font.b for cell in sheet[1])
    # XlsxWriter's widths are Excel's: the characters asked for plus the cell's padding.
    assert round(sheet.column_dimensions["A"].width) == 41 and round(sheet.column_dimensions["C"].width) == 13
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == ["Биримдик үчүн ң ө ү", 1000, datetime.datetime(2021, 12, 1), 3, None]
    assert values[1] == ['=HYPERLINK("http://evil.example","x")', 2500.5, None, 0, "+1+1"]
    # Characters XML cannot hold are written as Office Open XML's escapes (_xHHHH_), which Excel reads back as
    # the characters; openpyxl shows the escapes.
    assert values[2] == ["bell_x0007_ and nul_x0000_", None, datetime.datetime(1900, 3, 1), -2, "  spaces kept  "]
    assert values[3] == ['<b>&amp; "quotes"</b>', 0, datetime.datetime(2099, 12, 31), 1, "line\nbreak\ttab"]
    assert values[4] == [None, None, datetime.datetime(2024, 2, 29, 12, 0), True, "@SUM(A1)"]
    assert [sheet.cell(row=row, column=1).data_type for row in (2, 3, 4)] == ["s", "s", "s"]  # text, never formulas
    assert sheet.cell(row=3, column=5).data_type == "s"  # "+1+1" is text
    assert sheet["B2"].data_type == "n" and sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["A2"].number_format == "General"
    assert sheet["C6"].number_format == "yyyy-mm-dd hh:mm:ss"
    regions = workbook["Аймактар_ боюнча_жыйынтык"]
    assert list(regions.iter_rows(values_only=True)) == [("Аймак", "Демилгелер", "KGS"), ("Чүй облусу", 4, 3500)]
    assert regions.auto_filter.ref == "A1:C2" and regions.freeze_panes == "A2"
    empty = workbook["Бош"]
    assert empty.max_row == 1 and empty.auto_filter.ref == "A1:B1"


def test_no_cell_of_the_workbook_is_a_formula():
    archive = zipfile.ZipFile(io.BytesIO(b"".join(xlsx_stream(_sheets()))))
    assert archive.testzip() is None
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in archive.read(name).decode()


def test_a_large_workbook_is_handed_on_in_chunks_and_reads_back_completely():
    def rows():
        for number in range(1, 3001):
            yield [f"ref-{number:05d}", f"Аталыш ң ө ү {number} " * 3, Decimal(number) / 4,
                   datetime.date(2020, 1, 1) + datetime.timedelta(days=number), number]  # fmt: skip

    chunks = list(xlsx_stream([Table("Big", ["Reference", "Title", "Amount", "Date", "N"], rows())]))
    assert len(chunks) > 1 and all(len(chunk) <= 64 * 1024 for chunk in chunks)
    data = b"".join(chunks)
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows_read = list(workbook["Big"].iter_rows(min_row=2, values_only=True))
    workbook.close()
    assert len(rows_read) == 3000
    assert rows_read[0] == ("ref-00001", "Аталыш ң ө ү 1 " * 3, 0.25, datetime.datetime(2020, 1, 2), 1)
    assert rows_read[-1][0] == "ref-03000" and rows_read[-1][2] == 750 and rows_read[-1][4] == 3000
    full = load_workbook(io.BytesIO(data))["Big"]
    assert full.max_row == 3001 and full.auto_filter.ref == "A1:E3001"


def test_a_failed_workbook_leaves_no_file_open():
    def rows():
        yield ["first row"]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        b"".join(xlsx_stream([Table("t", ["a"], rows())]))


def test_xlsx_file_keeps_the_workbook_for_file_chunks():
    output = xlsx_file(_sheets())
    assert load_workbook(output).sheetnames[0] == "Гранттар"


def test_the_grants_workbook_has_the_grants_in_the_order_of_the_csv(donor_client, mixed):
    workbook = load_workbook(io.BytesIO(b"".join(donor_client.get("/ky/reports/grants.xlsx").streaming_content)))
    body = b"".join(donor_client.get("/ky/reports/grants.csv").streaming_content)
    csv_rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = workbook.worksheets[0]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [row[0] for row in csv_rows]
    assert [cell.value for cell in sheet[1]] == csv_rows[0]


def test_the_mediator_registry_workbook_still_opens(admin_client, newsletter):
    MediatorFactory(name_en="Aigul", name_ky="Айгүл", phone="+996 555 00 00 00")
    response = admin_client.get("/en/mediators/registry.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Mediators", "Trainings and meetings"]
    sheet = workbook["Mediators"]
    assert sheet.freeze_panes == "A2" and sheet.max_row >= 2
    assert "+996 555 00 00 00" in [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]


def test_organisations_sheet_lists_each_recipient_once(donor_client, newsletter):
    workbook = load_workbook(io.BytesIO(b"".join(donor_client.get("/en/reports/grants.xlsx").streaming_content)))
    organisations = workbook["Organisations"]
    names = [row[0] for row in organisations.iter_rows(min_row=2, values_only=True)]
    assert len(names) == len(set(names)) == Organization.objects.filter(grants__published=True).distinct().count()
