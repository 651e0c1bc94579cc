"""The IATI activity XML 2.03 export: valid against the official schema, real codes, three languages, same filters."""

import datetime
import functools
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from grants.models import Grant, Organization
from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db

STANDARDS = Path(settings.BASE_DIR).parent / "shared" / "standards"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = {"ky", "ru", "en"}

# The codes this export may use, with their names, from the IATI 2.03 codelists
# (https://iatistandard.org/en/iati-standard/203/codelists/). The schema does not check codes: this does.
CODELISTS = {
    "ActivityStatus": {"1": "Pipeline/identification", "2": "Implementation", "3": "Finalisation", "4": "Closed",
                       "5": "Cancelled", "6": "Suspended"},
    "ActivityDateType": {"1": "Planned start", "2": "Actual start", "3": "Planned End", "4": "Actual end"},
    "OrganisationRole": {"1": "Funding", "2": "Accountable", "3": "Extending", "4": "Implementing"},
    "OrganisationType": {"10": "Government", "11": "Local Government", "15": "Other Public Sector",
                         "21": "International NGO", "22": "National NGO", "23": "Regional NGO",
                         "24": "Partner Country based NGO", "30": "Public Private Partnership", "40": "Multilateral",
                         "60": "Foundation", "70": "Private Sector", "80": "Academic, Training and Research",
                         "90": "Other"},
    "DescriptionType": {"1": "General", "2": "Objectives", "3": "Target Groups", "4": "Other"},
    "TransactionType": {"1": "Incoming Funds", "2": "Outgoing Commitment", "3": "Disbursement", "4": "Expenditure"},
    "BudgetType": {"1": "Original", "2": "Revised"},
    "BudgetStatus": {"1": "Indicative", "2": "Committed"},
    "SectorVocabulary": {"1": "OECD DAC CRS Purpose Codes (5 digit)"},
    "Sector": {"15220": "Civilian peace-building, conflict prevention and resolution"},
    "Country": {"KG": "Kyrgyzstan"},
    "Currency": {"KGS": "Kyrgyzstan Som", "USD": "US Dollar", "EUR": "Euro"},
    "FinanceType": {"110": "Standard grant"},
    "AidTypeVocabulary": {"1": "OECD DAC"},
    "AidType": {"C01": "Project-type interventions"},
    "DocumentCategory": {"A12": "Activity web page"},
    "Language": {"ky": "Kirghiz", "ru": "Russian", "en": "English"},
}  # fmt: skip
# Where each codelist's codes sit in the file.
CODE_PATHS = {
    "ActivityStatus": "//activity-status/@code",
    "ActivityDateType": "//activity-date/@type",
    "OrganisationRole": "//participating-org/@role",
    "OrganisationType": "//reporting-org/@type | //participating-org/@type | //provider-org/@type"
    " | //receiver-org/@type",
    "DescriptionType": "//iati-activity/description/@type",
    "TransactionType": "//transaction-type/@code",
    "BudgetType": "//budget/@type",
    "BudgetStatus": "//budget/@status",
    "SectorVocabulary": "//sector/@vocabulary",
    "Sector": "//sector/@code",
    "Country": "//recipient-country/@code",
    "Currency": "//iati-activity/@default-currency | //value/@currency",
    "FinanceType": "//default-finance-type/@code",
    "AidTypeVocabulary": "//default-aid-type/@vocabulary",
    "AidType": "//default-aid-type/@code",
    "DocumentCategory": "//document-link/category/@code",
    "Language": "//@xml:lang | //document-link/language/@code",
}


@functools.cache
def _schema():
    return etree.XMLSchema(etree.parse(str(STANDARDS / "iati-2.03" / "iati-activities-schema.xsd")))


@pytest.fixture
def schema():
    if not (STANDARDS / "iati-2.03" / "iati-activities-schema.xsd").exists():
        pytest.skip(f"the IATI 2.03 schema is not at {STANDARDS / 'iati-2.03'} (shared/standards beside the checkout)")
    return _schema()


@pytest.fixture
def money(newsletter):
    """Amounts in KGS and USD, dates, an organisation with an INN, and one unpublished grant."""
    grants = {
        # amount, currency, award date, start, end, status
        "LIP-CSO-01": ("150000.00", "KGS", "2021-06-15", "2021-07-01", "2022-06-30", "completed"),
        "LIP-CSO-02": ("2500.50", "KGS", "2021-06-20", None, None, "active"),  # the programme's 18 months
        "LIP-CSO-03": ("1000.00", "KGS", None, "2021-08-01", "2022-03-31", "planned"),  # not awarded yet
        "LIP-CSO-05": ("3000.00", "USD", "2021-07-01", "2021-08-01", "2022-03-31", "active"),
    }
    for reference, (amount, currency, award, start, end, status) in grants.items():
        Grant.objects.filter(reference=reference).update(
            amount=Decimal(amount), currency=currency, award_date=award, start_date=start, end_date=end, status=status
        )
    Organization.objects.filter(grants__reference="LIP-CSO-01").update(inn="01234567890123")
    Grant.objects.filter(reference="LIP-CSO-25").update(published=False)


def _document(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    body = b"".join(response.streaming_content)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(body, parser).getroottree()


def _by_reference(document):
    activities = document.getroot().findall("iati-activity")
    ref = activities[0].find("reporting-org").get("ref")
    return {activity.findtext("iati-identifier").removeprefix(f"{ref}-"): activity for activity in activities}


def test_the_newsletter_is_valid_iati_with_one_activity_per_grant(donor_client, newsletter, schema):
    document = _document(donor_client.get("/en/reports/iati.xml"))
    assert schema.validate(document), schema.error_log
    root = document.getroot()
    assert root.tag == "iati-activities"
    assert root.get("version") == "2.03"
    datetime.datetime.fromisoformat(root.get("generated-datetime"))
    assert len(root.findall("iati-activity")) == 25
    assert set(_by_reference(document)) == {f"LIP-CSO-{n:02d}" for n in range(1, 26)}


def test_grants_with_amounts_and_dates_are_valid_too(donor_client, money, schema):
    for path in ("/en/reports/iati.xml", "/ky/reports/iati.xml", "/en/reports/iati.xml?region=chui"):
        document = _document(donor_client.get(path))
        assert schema.validate(document), (path, schema.error_log)


def test_every_code_is_a_real_code_of_its_codelist(staff_client, money, schema):
    Grant.objects.filter(reference="LIP-CSO-06").update(status="cancelled")
    Grant.objects.filter(reference="LIP-CSO-07").update(status="awarded")
    document = _document(staff_client.get("/en/reports/iati.xml"))
    assert schema.validate(document), schema.error_log
    for codelist, path in CODE_PATHS.items():
        used = set(document.xpath(path))
        assert used, f"no {codelist} code in the file"
        assert used <= set(CODELISTS[codelist]), f"{codelist}: {used - set(CODELISTS[codelist])} are not codes"


def test_activity_status_follows_the_grant_status(staff_client, money):
    Grant.objects.filter(reference="LIP-CSO-06").update(status="cancelled")
    Grant.objects.filter(reference="LIP-CSO-07").update(status="awarded")
    activities = _by_reference(_document(staff_client.get("/en/reports/iati.xml")))
    status = {reference: activity.find("activity-status").get("code") for reference, activity in activities.items()}
    assert status["LIP-CSO-03"] == "1"  # planned: pipeline
    assert status["LIP-CSO-07"] == "2"  # awarded: implementation
    assert status["LIP-CSO-02"] == "2"  # active: implementation
    assert status["LIP-CSO-01"] == "3"  # completed: finalisation
    assert status["LIP-CSO-06"] == "5"  # cancelled


def test_texts_are_narratives_in_kyrgyz_russian_and_english(donor_client, newsletter):
    for language in ("ru", "en"):
        document = _document(donor_client.get(f"/{language}/reports/iati.xml"))
        for activity in document.getroot().iter("iati-activity"):
            assert activity.get(XML_LANG) == language
            for path in ("title", "description", "participating-org[@role='4']", "participating-org[@role='1']"):
                narratives = activity.findall(f"{path}/narrative")
                assert {narrative.get(XML_LANG) for narrative in narratives} == LANGUAGES, path
                assert all(narrative.text.strip() for narrative in narratives)
    activity = _by_reference(document)["LIP-CSO-01"]
    titles = {narrative.get(XML_LANG): narrative.text for narrative in activity.findall("title/narrative")}
    grant = Grant.objects.get(reference="LIP-CSO-01")
    assert titles == {"ky": grant.title_ky, "ru": grant.title_ru, "en": grant.title_en}
    assert activity.find("description").get("type") == "1"
    funder = {
        narrative.get(XML_LANG): narrative.text for narrative in activity.findall("participating-org[@role='1']/")
    }
    assert funder == {"ky": "Европа Биримдиги", "ru": "Европейский Союз", "en": "European Union"}


def test_a_missing_language_is_left_out_not_left_empty(donor_client, newsletter, schema):
    Grant.objects.filter(reference="LIP-CSO-04").update(title_ru="", description_ru="", summary_ru="")
    document = _document(donor_client.get("/en/reports/iati.xml"))
    assert schema.validate(document), schema.error_log
    activity = _by_reference(document)["LIP-CSO-04"]
    assert {narrative.get(XML_LANG) for narrative in activity.findall("title/narrative")} == {"ky", "en"}
    assert {narrative.get(XML_LANG) for narrative in activity.findall("description/narrative")} == {"ky", "en"}


def test_identifiers_organisations_and_roles(donor_client, money, settings):
    settings.INTYMAK_IATI_REPORTING_ORG_REF = "XM-EXAMPLE-1"
    settings.INTYMAK_IATI_REPORTING_ORG_TYPE = "21"
    settings.INTYMAK_IATI_REPORTING_ORG_NAME = "Example publisher"
    document = _document(donor_client.get("/en/reports/iati.xml"))
    for activity in document.getroot().iter("iati-activity"):
        reporting = activity.find("reporting-org")
        assert (reporting.get("ref"), reporting.get("type")) == ("XM-EXAMPLE-1", "21")
        assert reporting.findtext("narrative") == "Example publisher"
        assert activity.findtext("iati-identifier").startswith("XM-EXAMPLE-1-LIP-CSO-")
        roles = [org.get("role") for org in activity.findall("participating-org")]
        assert roles == ["1", "3", "4"]  # funding (EU), extending (International Alert), implementing (the CSO)
        recipient = activity.find("participating-org[@role='4']")
        assert recipient.get("type") == "24"  # a Kyrgyz civil-society organisation
    activities = _by_reference(document)
    assert activities["LIP-CSO-01"].find("participating-org[@role='4']").get("ref") == "KG-INN-01234567890123"
    # No identifier is recorded for the others: no ref rather than a made-up one.
    assert activities["LIP-CSO-02"].find("participating-org[@role='4']").get("ref") is None
    assert activities["LIP-CSO-02"].find("participating-org[@role='1']").get("ref") is None


def test_the_default_publisher_says_it_is_not_configured(donor_client, newsletter, settings):
    for name in (
        "INTYMAK_IATI_REPORTING_ORG_REF",
        "INTYMAK_IATI_REPORTING_ORG_TYPE",
        "INTYMAK_IATI_REPORTING_ORG_NAME",
    ):
        if hasattr(settings, name):
            delattr(settings, name)
    activity = _document(donor_client.get("/en/reports/iati.xml")).getroot().find("iati-activity")
    assert activity.find("reporting-org").get("ref") == "XX-INTYMAK-UNCONFIGURED"
    assert activity.findtext("iati-identifier") == "XX-INTYMAK-UNCONFIGURED-LIP-CSO-01"
    assert "not configured" in activity.findtext("reporting-org/narrative")


def test_budget_and_commitment_only_where_the_amount_is_known(donor_client, money):
    activities = _by_reference(_document(donor_client.get("/en/reports/iati.xml")))
    with_money = {"LIP-CSO-01", "LIP-CSO-02", "LIP-CSO-03", "LIP-CSO-05"}
    for reference, activity in activities.items():
        if reference not in with_money:
            assert activity.find("budget") is None and activity.find("transaction") is None, reference
            assert activity.get("default-currency") is None

    first = activities["LIP-CSO-01"]
    assert first.get("default-currency") == "KGS"
    budget = first.find("budget")
    assert (budget.get("type"), budget.get("status")) == ("1", "2")  # original, committed
    assert budget.find("period-start").get("iso-date") == "2021-07-01"
    assert budget.find("period-end").get("iso-date") == "2022-06-30"
    assert budget.find("value").text == "150000.00"
    assert (budget.find("value").get("currency"), budget.find("value").get("value-date")) == ("KGS", "2021-06-15")
    transaction = first.find("transaction")
    assert transaction.find("transaction-type").get("code") == "2"  # outgoing commitment
    assert transaction.find("transaction-date").get("iso-date") == "2021-06-15"
    assert transaction.findtext("value") == "150000.00"
    assert transaction.find("receiver-org").get("ref") == "KG-INN-01234567890123"

    # The programme's 18 months are longer than the year a budget may cover: the commitment carries the amount.
    second = activities["LIP-CSO-02"]
    assert second.find("budget") is None
    assert second.find("transaction/value").text == "2500.50"
    # Not awarded yet: an indicative budget and no commitment.
    third = activities["LIP-CSO-03"]
    assert third.find("budget").get("status") == "1"
    assert third.find("transaction") is None
    usd = activities["LIP-CSO-05"]
    assert usd.get("default-currency") == "USD"
    assert {value.get("currency") for value in usd.iter("value")} == {"USD"}


def test_activity_dates_are_the_grants_else_the_programmes(donor_client, money):
    activities = _by_reference(_document(donor_client.get("/en/reports/iati.xml")))

    def dates(reference):
        return [(date.get("type"), date.get("iso-date")) for date in activities[reference].findall("activity-date")]

    assert dates("LIP-CSO-01") == [("2", "2021-07-01"), ("4", "2022-06-30")]  # completed: actual dates
    assert dates("LIP-CSO-05") == [("2", "2021-08-01"), ("3", "2022-03-31")]  # active: started, end planned
    assert dates("LIP-CSO-03") == [("1", "2021-08-01"), ("3", "2022-03-31")]  # planned
    assert dates("LIP-CSO-10") == [("1", "2021-04-01"), ("3", "2022-09-30")]  # no dates: the programme's, planned


def test_future_dates_are_never_actual(donor_client, newsletter, schema):
    today = datetime.date.today()
    Grant.objects.filter(reference="LIP-CSO-09").update(
        status="active", start_date=today + datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=200)
    )
    document = _document(donor_client.get("/en/reports/iati.xml"))
    assert schema.validate(document), schema.error_log
    activity = _by_reference(document)["LIP-CSO-09"]
    assert [date.get("type") for date in activity.findall("activity-date")] == ["1", "3"]


def test_public_pages_are_linked_in_each_language(donor_client, newsletter):
    activity = _by_reference(_document(donor_client.get("/en/reports/iati.xml")))["LIP-CSO-01"]
    slug = Grant.objects.get(reference="LIP-CSO-01").slug
    urls = [link.get("url") for link in activity.findall("document-link")]
    assert urls == [f"{settings.SITE_URL}/{code}/initiatives/{slug}/" for code in ("ky", "ru", "en")]


def test_unpublished_grants_are_for_staff_only(donor_client, staff_client, money, schema):
    donor = _document(donor_client.get("/en/reports/iati.xml"))
    staff = _document(staff_client.get("/en/reports/iati.xml"))
    assert "LIP-CSO-25" not in _by_reference(donor)
    assert len(donor.getroot().findall("iati-activity")) == 24
    assert "LIP-CSO-25" in _by_reference(staff)
    assert len(staff.getroot().findall("iati-activity")) == 25
    assert schema.validate(staff), schema.error_log
    # Unpublished grants have no public page to link to.
    assert _by_reference(staff)["LIP-CSO-25"].find("document-link") is None


def test_filters_select_the_same_grants_as_the_reports(donor_client, money, schema):
    document = _document(donor_client.get("/en/reports/iati.xml?region=chui"))
    assert schema.validate(document), schema.error_log
    assert set(_by_reference(document)) == {"LIP-CSO-01", "LIP-CSO-02", "LIP-CSO-03", "LIP-CSO-04"}
    assert "Region: Chui region" in str(document.getroot().xpath("comment()")[0])


def test_an_empty_selection_is_a_well_formed_file_without_activities(donor_client, newsletter, schema):
    document = _document(donor_client.get("/en/reports/iati.xml?region=bishkek"))
    root = document.getroot()
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    assert root.findall("iati-activity") == []
    assert "No grants match these filters." in [str(comment.text).strip() for comment in root.xpath("comment()")]
    # The 2.03 schema asks for at least one activity: the only thing it finds wrong is that there is none.
    assert not schema.validate(document)
    assert [error.message for error in schema.error_log] == [
        "Element 'iati-activities': Missing child element(s). Expected is ( iati-activity )."
    ]


def test_malformed_filters_are_refused_with_a_message(donor_client, newsletter):
    response = donor_client.get("/en/reports/iati.xml?award_from=nope")
    assert response.status_code == 400
    assert "Awarded from" in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_grants(donor_client, newsletter):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(donor_client.get("/en/reports/iati.xml").streaming_content)
        return len(captured)

    before = queries()
    GrantFactory.create_batch(15)
    assert queries() == before


def test_the_shared_command_line_validator_accepts_the_file(donor_client, money, schema, tmp_path):
    import importlib.util

    tool = STANDARDS.parent / "tools" / "validate_iati.py"
    if not tool.exists():
        pytest.skip(f"the shared validator is not at {tool}")
    spec = importlib.util.spec_from_file_location("validate_iati", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "iati.xml"
    path.write_bytes(b"".join(donor_client.get("/en/reports/iati.xml").streaming_content))
    assert module.main([str(path)]) == 0
