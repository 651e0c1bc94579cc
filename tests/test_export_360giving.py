"""The 360Giving JSON export: valid against the 1.4.3 schema (newsletter and demo data), in agreement with the
reports page's figures; no file, and the reason why, when no grant can be described."""

import functools
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Grant, Organization, Program
from grants.reports import report_grants, report_totals
from intymak.demo import generate_demo_data
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
    assert len(data["grants"]) == totals.in_360giving == totals.grants - totals.left_out_of_360giving

    sums = {}
    for item in data["grants"]:
        sums[item["currency"]] = sums.get(item["currency"], 0) + Decimal(item["amountAwarded"])
    included = grants.filter(award_date__isnull=False)
    expected = {currency: row["amount"] for currency, row in report_totals(included).by_currency.items()}
    assert sums == expected


def test_grants_the_standard_cannot_describe_are_left_out(donor_client, money):
    data = _file(donor_client.get("/ru/reports/360giving.json"))
    assert set(_by_id(data)) == {f"360G-intymak-LIP-CSO-{n}" for n in ("01", "02", "05", "06")}
    assert data["grants"][0]["amountAwarded"] == 150000


def test_grants_that_were_not_awarded_are_left_out(donor_client, donor, money, validator):
    Grant.objects.filter(reference="LIP-CSO-02").update(status=Grant.Status.CANCELLED)
    Grant.objects.filter(reference="LIP-CSO-05").update(status=Grant.Status.PLANNED)
    data = _file(donor_client.get("/en/reports/360giving.json"))
    assert _errors(validator, data) == []
    assert set(_by_id(data)) == {"360G-intymak-LIP-CSO-01", "360G-intymak-LIP-CSO-06"}
    html = donor_client.get("/en/reports/").content.decode()
    assert "22 grants are left out of the 360Giving file" in html
    assert "<li>not awarded (planned or cancelled): 2</li>" in html
    assert "<li>no amount or currency: 19</li>" in html and "<li>no award date: 1</li>" in html


NO_FILE = {
    "en": "There is no 360Giving file for these filters: the standard describes awarded grants with an amount, a "
    "currency, an award date and a funder, and none of the 25 grants selected can be described "
    "(no amount or currency: 25).",
    "ru": "Файла 360Giving для этих фильтров нет",
    "ky": "Бул чыпкалар үчүн 360Giving файлы жок",
}


@pytest.mark.parametrize("language", ["en", "ru", "ky"])
def test_without_a_grant_to_describe_there_is_no_file_and_everyone_is_told_why(
    donor_client, staff_client, newsletter, language, tmp_path
):
    # The newsletter names no amount: none of its grants can be described, and an empty list is not a valid file.
    page = donor_client.get(f"/{language}/reports/")
    html = page.content.decode()
    assert "360giving.json" not in html  # not offered ...
    assert NO_FILE[language] in html  # ... and the page says why
    download = staff_client.get(f"/{language}/reports/360giving.json")
    assert download.status_code == 404
    assert download["Content-Type"].startswith("text/html")
    assert NO_FILE[language] in download.content.decode()
    target = tmp_path / "360giving.json"
    with pytest.raises(CommandError) as error:
        call_command("export_grants", format="360giving", output=str(target), language=language)
    assert str(error.value) == page.context["giving360_unavailable"]
    assert NO_FILE[language] in str(error.value)
    assert not target.exists()  # not even an empty file


def test_the_command_exits_non_zero(newsletter, tmp_path):
    # call_command raises CommandError; run from the shell, that is an exit status of 1 and the message on stderr.
    from django.core.management import ManagementUtility

    argv = ["manage.py", "export_grants", "--format", "360giving", "-o", str(tmp_path / "x.json"), "--language", "en"]
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(argv).execute()
    assert exit_.value.code == 1
    assert not (tmp_path / "x.json").exists()


def test_grants_of_a_programme_without_a_funder_are_left_out_and_named(staff_client, money, tmp_path, capsys):
    Program.objects.update(funder=None, implementer=None)
    html = staff_client.get("/en/reports/").content.decode()
    # Staff see the unpublished LIP-CSO-25 too: five grants would be in the file if their programme named a funder.
    assert "the programme names no funder: 5" in html and "360giving.json" not in html
    assert staff_client.get("/en/reports/360giving.json").status_code == 404
    with pytest.raises(CommandError, match="the programme names no funder: 4"):
        call_command("export_grants", format="360giving", output=str(tmp_path / "x.json"), language="en")
    # A programme that names its funder: its grant is written, the others are named as left out, and why.
    funded = GrantFactory(amount=Decimal("10.00"), currency="USD", award_date="2021-08-01", reference="LIP-ZZ-09")
    call_command(
        "export_grants", format="360giving", output=str(tmp_path / "y.json"), language="en", include_unpublished=True
    )
    assert [item["id"] for item in json.loads((tmp_path / "y.json").read_text())["grants"]] == [
        f"360G-intymak-{funded.reference}"
    ]
    err = capsys.readouterr().err
    assert "360giving.json: 1 grant written to" in err
    assert "25 grants left out:" in err
    assert "the programme names no funder: 5 (LIP-CSO-01, LIP-CSO-02, LIP-CSO-05, LIP-CSO-06, LIP-CSO-25)\n" in err


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
    unpublished = _by_id(staff_data)["360G-intymak-LIP-CSO-25"]
    assert "url" not in unpublished  # no public page
    assert unpublished["dataSource"] == f"{settings.SITE_URL}/en/"  # the portal itself
    _grants, totals = _selected(staff, {})
    assert len(staff_data["grants"]) + totals.left_out_of_360giving == totals.grants == 25


def test_each_grant_names_its_source_and_the_recipients_location(donor_client, money, validator):
    grant = Grant.objects.select_related("recipient__location__region").get(reference="LIP-CSO-01")
    place = grant.recipient.location
    place.latitude, place.longitude = Decimal("42.842"), Decimal("75.301")
    place.save()
    data = _file(donor_client.get("/ru/reports/360giving.json"))
    assert _errors(validator, data) == []
    item = _by_id(data)["360G-intymak-LIP-CSO-01"]
    assert item["dataSource"] == item["url"] == f"{settings.SITE_URL}/ru/initiatives/{grant.slug}/"
    recipient = item["recipientOrganization"][0]
    assert recipient["addressLocality"] == place.name_ru
    assert recipient["addressRegion"] == place.region.name_ru == "Чуйская область"
    assert recipient["addressCountry"] == "Кыргызстан"
    assert recipient["location"] == [
        {
            "name": place.name_ru,
            "countryCode": "KG",
            "geoCode": "KG-C",
            "latitude": Decimal("42.842"),
            "longitude": Decimal("75.301"),
        }
    ]


def test_an_empty_selection_gives_no_file(donor_client, money):
    response = donor_client.get("/en/reports/360giving.json?region=bishkek")
    assert response.status_code == 404
    assert "There is no 360Giving file for these filters: they select no grants." in response.content.decode()


def test_the_file_of_demo_data_is_valid(staff_client, newsletter, validator, tmp_path, capsys):
    generate_demo_data(grants=60, seed=3)
    demo = Grant.objects.filter(program__slug="synthetic-demo-programme")
    # Demo data has every status, grants without amounts and without award dates: the file leaves those out.
    assert demo.exclude(status__in=["awarded", "active", "completed"]).exists()
    assert demo.filter(amount__isnull=True).exists()
    data = _file(staff_client.get("/en/reports/360giving.json?program=synthetic-demo-programme"))
    assert _errors(validator, data) == []
    expected = demo.awarded().filter(amount__isnull=False, award_date__isnull=False).exclude(currency="")
    references = expected.values_list("reference", flat=True)
    assert set(_by_id(data)) == {f"360G-intymak-{reference}" for reference in references}
    assert len(data["grants"]) > 10
    for item in data["grants"]:
        assert item["fundingOrganization"] == [{"id": "360G-intymak-org-demo-funder", "name": "[Demo] Funder"}]
        assert item["dataSource"].startswith(settings.SITE_URL)
        assert item["recipientOrganization"][0]["location"][0]["countryCode"] == "KG"
    # The command writes the same file and says what it wrote and what it left out.
    target = tmp_path / "demo.json"
    call_command(
        "export_grants", format="360giving", output=str(target), language="en", program="synthetic-demo-programme",
        include_unpublished=True,
    )  # fmt: skip
    assert json.loads(target.read_text()) == data
    err = capsys.readouterr().err
    left = demo.count() - len(data["grants"])
    assert f"360giving.json: {len(data['grants'])} grants written to {target}" in err
    assert f"{left} grants left out:" in err and "not awarded (planned or cancelled):" in err


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
