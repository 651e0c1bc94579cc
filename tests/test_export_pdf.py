"""The PDF summary: what a donor reads in it, in each language, with the same totals as the reports page."""

import io
import re
import time
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from pypdf import PdfReader

from grants.models import Grant, Program
from grants.reports import report_grants, report_totals
from intymak.demo import generate_demo_data

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"\b(?:LIP-CSO|DEMO)-\d+\b")


@pytest.fixture
def money(newsletter):
    """Amounts in two currencies on four of the newsletter's grants; the others stay unknown."""
    amounts = {
        "LIP-CSO-01": ("1500000.00", "KGS"),
        "LIP-CSO-07": ("250000.50", "KGS"),
        "LIP-CSO-05": ("12000.00", "USD"),
        "LIP-CSO-21": ("8500.25", "USD"),
    }
    for reference, (amount, currency) in amounts.items():
        Grant.objects.filter(reference=reference).update(amount=Decimal(amount), currency=currency)


class Summary:
    def __init__(self, response):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="summary.pdf"'
        self.body = b"".join(response.streaming_content)
        assert self.body.startswith(b"%PDF-")
        self.reader = PdfReader(io.BytesIO(self.body))
        self.pages = [page.extract_text() for page in self.reader.pages]
        # Words as a reader sees them, whatever line they were wrapped onto (a no-break space is a space too).
        self.text = " ".join(" ".join(self.pages).split())

    def references(self):
        return REFERENCE.findall(self.text)


def _summary(client, language, **filters):
    return Summary(client.get(f"/{language}/reports/summary.pdf", filters))


def _words(text):
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("language", "programme", "initiatives", "region"),
    [
        ("ky", "Ынтымактуу Жашоо", "Демилгелер", "Жалал-Абад облусу"),
        ("ru", "Ынтымактуу Жашоо", "Инициативы", "Джалал-Абадская область"),
        ("en", "Living in Peace", "Initiatives", "Jalal-Abad region"),
    ],
)
def test_the_summary_is_in_the_language_of_the_page(donor_client, newsletter, language, programme, initiatives, region):
    summary = _summary(donor_client, language)
    assert summary.text.startswith(programme)
    assert initiatives in summary.text
    assert region in summary.text
    assert len(set(summary.references())) == 25
    metadata = summary.reader.metadata
    assert metadata.title.startswith(programme)
    assert metadata.author == "Intymak"
    assert summary.reader.trailer["/Root"]["/Lang"] == language


def test_kyrgyz_letters_come_back_out_of_the_kyrgyz_summary(donor_client, newsletter):
    text = _summary(donor_client, "ky").text
    # LIP-CSO-18's Kyrgyz title has all three letters of Kyrgyz that Russian does not have.
    assert "Жаңы-Жол айыл өкмөтү алдында" in text
    assert "өнөктөштүгү" in text
    assert "Чүй облусу" in text
    assert {"ң", "ө", "ү"} <= set(text)
    assert "Жаны-Жол" not in text


def test_the_fonts_are_embedded_subsets_of_dejavu_sans(donor_client, newsletter):
    reader = _summary(donor_client, "ky").reader
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts, "the summary has no fonts"
    for name, font in fonts.items():
        # Every font is a TrueType subset (the "ABCDEF+" tag) carried inside the file: no system font is needed.
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold)?", name), name
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"]
        assert "/ToUnicode" in font  # so that text can be searched and copied
    assert {name.split("+")[1] for name in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}


def test_the_filters_used_are_named_and_only_their_grants_are_listed(donor_client, newsletter):
    summary = _summary(donor_client, "en", region="chui")
    assert "Region: Chui region" in summary.text
    assert sorted(set(summary.references())) == ["LIP-CSO-01", "LIP-CSO-02", "LIP-CSO-03", "LIP-CSO-04"]
    assert "4 grants" in summary.text
    assert "Аймак: Чүй облусу" in _summary(donor_client, "ky", region="chui").text
    assert "No filters: all grants" in _summary(donor_client, "en").text


def test_totals_are_per_currency_as_on_the_reports_page(donor_client, donor, money):
    totals = report_totals(report_grants({})[0])
    assert set(totals.by_currency) == {"KGS", "USD"}
    for language in ("en", "ru"):
        text = _summary(donor_client, language).text
        with translation.override(language):
            for currency, item in totals.by_currency.items():
                assert _words(f"{floatformat(item['amount'], '2g')} {currency}") in text
            # Som and dollars are never added up.
            mixed = sum(item["amount"] for item in totals.by_currency.values())
            assert _words(floatformat(mixed, "2g")) not in text
        # The grants' own amounts are in the list.
        assert _words(f"{floatformat(Decimal('250000.50'), '2g')} KGS") in text
    english = _summary(donor_client, "en").text
    assert "1,750,000.50 KGS (2 grants)" in english
    assert "20,500.25 USD (2 grants)" in english
    assert "25 grants · 25 awarded" in english
    assert "The sums are for 4 of 25 awarded grants: the other amounts are not known." in english
    assert totals.without_amount == 21
    # The per-region table has one column per currency (Chüy has som only); the chart a bar series per currency.
    assert "Chui region 4 1,500,000.00 —" in english
    assert "Initiatives Money, KGS Money, USD" in english


def test_text_that_looks_like_markup_is_printed_as_written(donor_client, newsletter):
    Program.objects.update(name_en="Living in Peace & <Unity>")
    title = 'Water & "peace" <b>for</b> all: a title long enough to be wrapped over lines in the list'
    Grant.objects.filter(reference="LIP-CSO-02").update(title_en=title)
    Grant.objects.filter(reference="LIP-CSO-03").update(reference="LIP-CSO-03/A-VERY-LONG-REFERENCE-0001")
    summary = _summary(donor_client, "en")
    assert summary.text.startswith("Living in Peace & <Unity>")
    assert title in summary.text
    # A word too long for its column is broken, not cut off.
    assert "LIP-CSO-03/A-VERY-LONG-REFERENCE-0001" in summary.text.replace(" ", "")


def test_an_empty_selection_gives_a_valid_summary_that_says_so(donor_client, newsletter):
    summary = _summary(donor_client, "en", region="bishkek")
    assert len(summary.reader.pages) == 1
    assert "Region: Bishkek city" in summary.text
    assert "0 grants" in summary.text
    assert "No grants match these filters." in summary.text
    assert summary.references() == []


@pytest.mark.parametrize("filters", [{"region": "atlantis"}, {"award_from": "yesterday"}, {"status": "lost"}])
def test_malformed_filters_are_refused_with_400(donor_client, filters):
    response = donor_client.get("/en/reports/summary.pdf", filters)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "These filters cannot be used" in response.content.decode()


def test_hundreds_of_grants_make_a_long_list_with_its_header_on_every_page(donor_client, donor, newsletter):
    generate_demo_data(grants=300)
    expected = report_totals(report_grants({})[0]).grants
    started = time.monotonic()
    summary = _summary(donor_client, "en")
    seconds = time.monotonic() - started
    assert len(summary.reader.pages) > 5
    assert seconds < 30
    assert "Synthetic demo data" in summary.text
    references = summary.references()
    assert len(references) == len(set(references)) == expected
    list_pages = [page for page in summary.pages if REFERENCE.search(page)]
    assert len(list_pages) > 1
    assert all("Ref. no. Title Organisation Region Status Amount" in _words(page) for page in list_pages)


def test_money_awarded_leaves_out_planned_and_cancelled_grants_and_the_list_shows_each_status(donor_client, money):
    Grant.objects.filter(reference="LIP-CSO-07").update(status=Grant.Status.CANCELLED)
    Grant.objects.filter(reference="LIP-CSO-21").update(status=Grant.Status.PLANNED)
    english = _summary(donor_client, "en").text
    assert "1,500,000.00 KGS (1 grant)" in english and "12,000.00 USD (1 grant)" in english
    assert "1,750,000.50" not in english  # the cancelled grant's money is not counted as awarded
    assert "25 grants · 23 awarded" in english
    assert "The sums are for 2 of 23 awarded grants" in english
    # The list of grants says each grant's status, beside its amount.
    assert "cancelled 250,000.50 KGS" in english and "planned 8,500.25 USD" in english
    russian = _summary(donor_client, "ru").text
    assert "отменён 250 000,50 KGS" in russian
