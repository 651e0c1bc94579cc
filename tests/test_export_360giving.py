"""The 360Giving JSON export: valid against the 1.4.3 schema, and in agreement with the reports page's figures."""

import functools
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Grant, Organization
from grants.reports import report_grants, report_totals
from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db

STANDARDS = Path(settings.BASE_DIR).parent / "shared" / "standards"
TOOL = STANDARDS.parent / "tools" / "validate_360giving.py"


@functools.cache
def _validator():
    # The shared command-line validator knows how to resolve the package schema's reference offline: reuse it.
    spec = importlib.util.spec_from_file_location("validate_360giving", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.validator()


@pytest.fixture
def validator():
    if not (STANDARDS / "360giving-1.4.3" / "360-giving-package-schema.json").exists() or not TOOL.exists():
        pytest.skip(f"the 360Giving 1.4.3 schema or its validator is not in {STANDARDS.parent} (beside the checkout)")
    return _validator()


def _selected(user, data):
    """The grants the reports page shows this user for these filters, and its totals."""
    grants, _form = report_grants(data, include_unpublished=user.is_staff)
    return grants, report_totals(grants)


def _errors(validator, data):
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(data)]


@pytest.fixture
def money(newsletter):
    """Amounts in KGS and USD; some grants lack an award date or an amount; an organisation has an INN."""
    grants = {
        # amount, currency, award date, start, end
        "LIP-CSO-01": ("150000.00", "KGS", "2021-06-15", "2021-07-01", "2022-06-30"),
        "LIP-CSO-02": ("2500.50", "KGS", "2021-06-20", None, None),
        "LIP-CSO-03": ("1000.00", "KGS", None, "2021-08-01", "2022-03-31"),  # no award date: left out
        "LIP-CSO-05": ("3000.00", "USD", "2021-07-01", "2021-08-01", None),
        "LIP-CSO-06": ("1250.75", "USD", "2021-07-02", None, None),
        "LIP-CSO-25": ("9999.00", "KGS", "2021-07-03", None, None),  # unpublished
    }
    for reference, (amount, currency, award, start, end) in grants.items():
        Grant.objects.filter(reference=reference).update(
            amount=Decimal(amount), currency=currency, award_date=award, start_date=start, end_date=end
        )
    Grant.objects.filter(reference="LIP-CSO-07").update(award_date="2021-07-04")  # no amount: left out
    Organization.objects.filter(grants__reference="LIP-CSO-01").update(inn="01234567890123")
    Grant.objects.filter(reference="LIP-CSO-25").update(published=False)


def _file(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content), parse_float=Decimal)


def _by_id(data):
    return {item["id"]: item for item in data["grants"]}


@pytest.mark.parametrize("query", ["", "?region=chui", "?kind=cso&status=active"])
def test_the_counts_and_sums_agree_with_the_reports_page(donor_client, donor, money, validator, query):
    data = _file(donor_client.get(f"/ru/reports/360giving.json{query}"))
    assert _errors(validator, data) == []
    grants, totals = _selected(donor, dict(item.split("=") for item in query.lstrip("?").split("&") if item))
    assert len(data["grants"]) + totals.not_in_360giving == totals.grants

    sums = {}
    for item in data["grants"]:
        sums[item["currency"]] = sums.get(item["currency"], 0) + Decimal(item["amountAwarded"])
    included = grants.filter(amount__isnull=False, award_date__isnull=False).exclude(currency="")
    expected = {currency: row["amount"] for currency, row in report_totals(included).by_currency.items()}
    assert sums == expected


def test_grants_the_standard_cannot_describe_are_left_out(donor_client, money):
    data = _file(donor_client.get("/ru/reports/360giving.json"))
    assert set(_by_id(data)) == {f"360G-intymak-LIP-CSO-{n}" for n in ("01", "02", "05", "06")}
    assert data["grants"][0]["amountAwarded"] == 150000


def test_without_any_amount_the_file_is_empty_and_the_page_counts_every_grant(donor_client, donor, newsletter):
    assert _file(donor_client.get("/en/reports/360giving.json")) == {"grants": []}
    assert _selected(donor, {})[1].not_in_360giving == 25


def test_a_grant_in_the_language_of_the_page(donor_client, money):
    grant = Grant.objects.get(reference="LIP-CSO-01")
    for language in ("ru", "en", "ky"):
        item = _by_id(_file(donor_client.get(f"/{language}/reports/360giving.json")))["360G-intymak-LIP-CSO-01"]
        assert item["title"] == getattr(grant, f"title_{language}")
        assert item["description"] == getattr(grant, f"summary_{language}")
        assert item["url"] == f"{settings.SITE_URL}/{language}/initiatives/{grant.slug}/"
        # The other languages travel along, in a field the schema allows.
        assert item["translations"]["ky"]["title"] == grant.title_ky
        assert item["translations"]["en"]["title"] == grant.title_en
        assert set(item["translations"]) == {"ky", "ru", "en"}


def test_missing_text_falls_back_kyrgyz_russian_english(donor_client, money):
    Grant.objects.filter(reference="LIP-CSO-02").update(title_en="", summary_en="", description_en="")
    grant = Grant.objects.get(reference="LIP-CSO-02")
    item = _by_id(_file(donor_client.get("/en/reports/360giving.json")))["360G-intymak-LIP-CSO-02"]
    assert item["title"] == grant.title_ky
    assert item["description"] == grant.summary_ky
    assert "en" not in item["translations"]


def test_money_dates_organisations_place_and_programme(donor_client, money):
    items = _by_id(_file(donor_client.get("/ru/reports/360giving.json")))
    first = items["360G-intymak-LIP-CSO-01"]
    assert (first["currency"], first["amountAwarded"], first["awardDate"]) == ("KGS", 150000, "2021-06-15")
    assert first["plannedDates"] == [{"startDate": "2021-07-01", "endDate": "2022-06-30"}]
    assert first["recipientOrganization"][0]["id"] == "KG-INN-01234567890123"
    assert first["fundingOrganization"] == [{"id": "360G-intymak-org-european-union", "name": "Европейский Союз"}]
    assert first["beneficiaryLocation"] == [{"name": "Чуйская область", "countryCode": "KG", "geoCode": "KG-C"}]
    assert first["grantProgramme"] == [{"code": "living-in-peace", "title": "Ынтымактуу Жашоо"}]
    assert first["dateModified"].startswith("20")

    second = items["360G-intymak-LIP-CSO-02"]
    assert second["amountAwarded"] == Decimal("2500.5")  # a number in the file, read back exactly
    assert "plannedDates" not in second  # no dates known: none invented
    recipient = Grant.objects.select_related("recipient").get(reference="LIP-CSO-02").recipient
    assert second["recipientOrganization"][0]["id"] == f"360G-intymak-org-{recipient.slug}"
    assert items["360G-intymak-LIP-CSO-05"]["plannedDates"] == [{"startDate": "2021-08-01"}]
    assert items["360G-intymak-LIP-CSO-06"]["beneficiaryLocation"][0]["geoCode"] == "KG-Y"


def test_amounts_are_json_numbers(donor_client, money):
    body = b"".join(donor_client.get("/en/reports/360giving.json").streaming_content).decode()
    assert '"amountAwarded": 2500.5' in body
    assert '"amountAwarded": 150000,' in body
    assert all(isinstance(item["amountAwarded"], int | float) for item in json.loads(body)["grants"])


def test_the_prefix_comes_from_the_settings(donor_client, money, settings, validator):
    settings.INTYMAK_360GIVING_PREFIX = "360G-example"
    data = _file(donor_client.get("/en/reports/360giving.json"))
    assert _errors(validator, data) == []
    assert "360G-example-LIP-CSO-02" in _by_id(data)
    settings.INTYMAK_360GIVING_PREFIX = "example"  # the bare name gets 360Giving's "360G-"
    data = _file(donor_client.get("/en/reports/360giving.json"))
    assert "360G-example-LIP-CSO-02" in _by_id(data)
    assert data["grants"][1]["recipientOrganization"][0]["id"].startswith("360G-example-org-")


def test_unpublished_grants_are_for_staff_only(donor_client, staff_client, donor, staff, money, validator):
    donor_ids = set(_by_id(_file(donor_client.get("/en/reports/360giving.json"))))
    staff_data = _file(staff_client.get("/en/reports/360giving.json"))
    assert _errors(validator, staff_data) == []
    assert "360G-intymak-LIP-CSO-25" not in donor_ids
    assert set(_by_id(staff_data)) == donor_ids | {"360G-intymak-LIP-CSO-25"}
    assert "url" not in _by_id(staff_data)["360G-intymak-LIP-CSO-25"]  # no public page
    _grants, totals = _selected(staff, {})
    assert len(staff_data["grants"]) + totals.not_in_360giving == totals.grants == 25


def test_an_empty_selection_is_an_empty_list(donor_client, money, validator):
    data = _file(donor_client.get("/en/reports/360giving.json?region=bishkek"))
    assert data == {"grants": []}
    # The package schema asks for at least one grant: that is all it finds wrong with an empty selection.
    assert _errors(validator, data) == ["grants: [] should be non-empty"]


def test_malformed_filters_are_refused_with_a_message(donor_client, newsletter):
    response = donor_client.get("/ru/reports/360giving.json?award_from=nope")
    assert response.status_code == 400
    assert response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_grants(donor_client, money):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(donor_client.get("/en/reports/360giving.json").streaming_content)
        return len(captured)

    before = queries()
    GrantFactory.create_batch(15, amount=Decimal("10.00"), currency="USD", award_date="2021-08-01")
    assert queries() == before
