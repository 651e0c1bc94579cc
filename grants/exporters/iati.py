"""IATI activity XML 2.03: one `iati-activity` per grant, streamed.

The file is written piece by piece: the opening `iati-activities` tag, then each activity as soon as it is built
(lxml, one element at a time), then the closing tag. Grants are read as flat rows with one query, in chunks, and
their programmes once beforehand, so memory and the number of queries stay flat however many grants there are.

Texts (titles, descriptions, organisation names) are narratives in every language that has them, each with its
`xml:lang`; the activity's own `xml:lang` is the language of the page the file was asked from.

Codes come from the IATI 2.03 codelists (https://iatistandard.org/en/iati-standard/203/codelists/); the schema
does not check them, tests/test_export_iati.py does. The choices, and why:

- activity-status: planned -> 1 Pipeline/identification; awarded and active -> 2 Implementation (once a grant is
  awarded its money is committed, which IATI reports as implementation); completed -> 3 Finalisation (the work is
  done, but the portal does not record that the accounts are closed, which 4 Closed would say); cancelled -> 5.
- participating-org roles: the programme's funder -> 1 Funding; its implementer, which manages the budget and
  awards the grants -> 3 Extending; the recipient -> 4 Implementing.
- organisation types: civil-society organisations and Kyrgyz public foundations/associations -> 24 Partner
  Country based NGO; local self-government bodies -> 11 Local Government. Donors and partners are left without a
  type: the portal does not record whether a donor is a government, a multilateral or a public body.
- activity-date: the grant's own dates, actual (2, 4) only when the grant has started or finished and the date is
  not in the future, planned (1, 3) otherwise. The schema requires at least one date, so a grant without a start
  or end date takes the programme's as planned dates.
- budget: type 1 Original; status 2 Committed once the grant is awarded (it has an award date), else 1 Indicative.
  IATI allows a budget period of at most one year and the portal never splits an amount into years, so a grant
  whose period (its dates, else the programme's) is longer has no budget; its commitment still carries the amount.
- transaction: 2 Outgoing Commitment on the award date, when the amount, currency and award date are known.
- sector: vocabulary 1 (OECD DAC 5-digit) code 15220 "Civilian peace-building, conflict prevention and
  resolution"; recipient-country KG; default-finance-type 110 Standard grant; default-aid-type C01 Project-type
  interventions; document-link category A12 Activity web page (published grants only).

The publisher (reporting-org) comes from settings: INTYMAK_IATI_REPORTING_ORG_REF (its IATI organisation
identifier, which also prefixes every iati-identifier), INTYMAK_IATI_REPORTING_ORG_TYPE (OrganisationType code)
and INTYMAK_IATI_REPORTING_ORG_NAME (in English). The defaults only mark the file as not yet configured.
"""

import copy
import datetime
import re
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from ..models import Grant, Organization, Program
from .base import text_stream

BATCH = 1000
LANGUAGES = [code for code, _name in settings.LANGUAGES]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# "XX" is ISO 3166's code for "unknown": no registration agency uses it, so this can never be a real identifier.
DEFAULT_REPORTING_ORG_REF = "XX-INTYMAK-UNCONFIGURED"
DEFAULT_REPORTING_ORG_TYPE = "90"  # Other
DEFAULT_REPORTING_ORG_NAME = "Intymak portal (publisher not configured)"

ACTIVITY_STATUS = {
    Grant.Status.PLANNED: "1",  # Pipeline/identification
    Grant.Status.AWARDED: "2",  # Implementation
    Grant.Status.ACTIVE: "2",  # Implementation
    Grant.Status.COMPLETED: "3",  # Finalisation
    Grant.Status.CANCELLED: "5",  # Cancelled
}
ROLE_FUNDING, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "3", "4"
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
DESCRIPTION_GENERAL = "1"
BUDGET_ORIGINAL = "1"
BUDGET_INDICATIVE, BUDGET_COMMITTED = "1", "2"
OUTGOING_COMMITMENT = "2"
SECTOR_VOCABULARY_DAC, SECTOR_PEACEBUILDING = "1", "15220"
COUNTRY = "KG"
FINANCE_STANDARD_GRANT = "110"
AID_TYPE_VOCABULARY_DAC, AID_TYPE_PROJECT = "1", "C01"
DOCUMENT_ACTIVITY_WEB_PAGE = "A12"
TYPE_LOCAL_GOVERNMENT, TYPE_PARTNER_COUNTRY_NGO = "11", "24"

# Kyrgyz legal forms of non-commercial organisations: registered in the recipient country.
KYRGYZ_NGO_FORMS = {Organization.LegalForm.PUBLIC_FOUNDATION, Organization.LegalForm.PUBLIC_ASSOCIATION}
# Characters XML 1.0 cannot carry; text typed or pasted into the admin may hold them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def reporting_org():
    """(ref, type, name) of the publisher, from settings."""
    return (
        getattr(settings, "INTYMAK_IATI_REPORTING_ORG_REF", "") or DEFAULT_REPORTING_ORG_REF,
        getattr(settings, "INTYMAK_IATI_REPORTING_ORG_TYPE", "") or DEFAULT_REPORTING_ORG_TYPE,
        getattr(settings, "INTYMAK_IATI_REPORTING_ORG_NAME", "") or DEFAULT_REPORTING_ORG_NAME,
    )


def render(grants, context):
    yield from text_stream(_document(grants, context))


def _document(grants, context):
    generated = context.generated.replace(microsecond=0).isoformat()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="2.03" generated-datetime="{generated}">\n'
    with translation.override(context.language):
        filters = "; ".join(f"{label}: {value}" for label, value in context.filters)
        filters = _comment(_("Filters: %(filters)s") % {"filters": filters}) if filters else ""
        empty = _comment(_("No grants match these filters."))
    yield filters
    builder = _ActivityBuilder(context, _programmes(grants))
    for row in grants.values(*GRANT_FIELDS).iterator(chunk_size=BATCH):
        yield etree.tostring(builder.activity(row), encoding="unicode", pretty_print=True)
        context.written += 1
    if not context.written:
        # The schema wants at least one activity; an empty selection is still a well-formed file that says so.
        yield empty
    yield "</iati-activities>\n"


ORG_FIELDS = ["slug", "kind", "legal_form", "org_identifier", "inn", "okpo", *(f"name_{code}" for code in LANGUAGES)]
# One flat row per grant: model instances (six per grant with their relations) would cost more than the XML.
GRANT_FIELDS = [
    "reference", "slug", "status", "published", "amount", "currency", "award_date", "start_date", "end_date",
    "updated_at", "program_id",
    *(f"{field}_{code}" for field in ("title", "summary", "description") for code in LANGUAGES),
    *(f"recipient__{field}" for field in ORG_FIELDS),
]  # fmt: skip


class _Party(NamedTuple):
    """What IATI says of an organisation: its identifier and type where known, its names."""

    ref: str
    type: str | None
    names: list


class _Programme(NamedTuple):
    start_date: datetime.date | None
    end_date: datetime.date | None
    funder: _Party | None
    implementer: _Party | None


def _party(values):
    """The party of an organisation's values (ORG_FIELDS), with Organization's own rules for its identifier."""
    record = SimpleNamespace(**values)
    return _Party(Organization.org_id.fget(record), organisation_type(record), _texts(values, "name"))


def _programmes(grants):
    """{pk: _Programme} of the selected grants' programmes: one query, whatever the number of grants."""
    programmes = (
        Program.objects.filter(pk__in=grants.order_by().values("program"))
        .select_related("funder", "implementer")
        .only(
            "start_date",
            "end_date",
            *(f"{role}__{field}" for role in ("funder", "implementer") for field in ORG_FIELDS),
        )
    )
    result = {}
    for programme in programmes:
        funder, implementer = (
            _party({field: getattr(org, field) for field in ORG_FIELDS}) if org is not None else None
            for org in (programme.funder, programme.implementer)
        )
        result[programme.pk] = _Programme(programme.start_date, programme.end_date, funder, implementer)
    return result


def _comment(text):
    text = NOT_XML.sub("", text).replace("--", "- -").rstrip("-")
    return f"  <!-- {text} -->\n"


def _clean(text):
    return NOT_XML.sub("", text or "").strip()


def _texts(values, field):
    """[(language, text)] of a translated field in a row, in the languages that have it."""
    return [(code, text) for code in LANGUAGES if (text := _clean(values.get(f"{field}_{code}")))]


def _narratives(parent, texts):
    for code, text in texts:
        etree.SubElement(parent, "narrative", {XML_LANG: code} if code else {}).text = text


def organisation_type(org):
    """The IATI OrganisationType code where the portal knows it, else None."""
    if org.kind == Organization.Kind.LSG or org.legal_form == Organization.LegalForm.LOCAL_SELF_GOVERNMENT:
        return TYPE_LOCAL_GOVERNMENT
    if org.kind == Organization.Kind.CSO or org.legal_form in KYRGYZ_NGO_FORMS:
        return TYPE_PARTNER_COUNTRY_NGO
    return None


def _one_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _organisation(parent, tag, party, slug="", **attributes):
    if party.ref:
        attributes["ref"] = party.ref
    if party.type:
        attributes["type"] = party.type
    element = etree.SubElement(parent, tag, attributes)
    # Without a ref the name is all that says who this is: at least the slug (in no language in particular).
    _narratives(element, party.names or [(None, slug)])
    return element


class _ActivityBuilder:
    def __init__(self, context, programmes):
        self.language = context.language
        self.today = context.generated.date()
        self.programmes = programmes
        ref, kind, name = reporting_org()
        self.identifier_prefix = f"{ref}-"
        self.reporting = etree.Element("reporting-org", ref=ref, type=kind)
        _narratives(self.reporting, [("en", name)])
        # The programme's participating organisations are the same for each of its grants: built once, copied.
        self.participants = {}
        for pk, programme in programmes.items():
            holder = etree.Element("holder")
            for party, role in ((programme.funder, ROLE_FUNDING), (programme.implementer, ROLE_EXTENDING)):
                if party is not None:
                    _organisation(holder, "participating-org", party, role=role)
            self.participants[pk] = list(holder)
        self.pages = {}
        for code in LANGUAGES:
            with translation.override(code):
                self.pages[code] = settings.SITE_URL + reverse("grants:initiative", kwargs={"slug": "__slug__"})

    def activity(self, row):
        attributes = {XML_LANG: self.language}
        if row["updated_at"]:
            attributes["last-updated-datetime"] = row["updated_at"].replace(microsecond=0).isoformat()
        if row["currency"]:
            attributes["default-currency"] = row["currency"]
        programme = self.programmes[row["program_id"]]
        recipient = _party({field: row[f"recipient__{field}"] for field in ORG_FIELDS})
        reference = row["reference"]
        activity = etree.Element("iati-activity", attributes)
        # The order of the elements is the schema's.
        etree.SubElement(activity, "iati-identifier").text = self.identifier_prefix + reference
        activity.append(copy.deepcopy(self.reporting))
        _narratives(etree.SubElement(activity, "title"), _texts(row, "title") or [(None, reference)])
        _narratives(etree.SubElement(activity, "description", type=DESCRIPTION_GENERAL), self._description(row))
        activity.extend(copy.deepcopy(element) for element in self.participants[row["program_id"]])
        slug = row["recipient__slug"]
        _organisation(activity, "participating-org", recipient, slug, role=ROLE_IMPLEMENTING)
        etree.SubElement(activity, "activity-status", code=ACTIVITY_STATUS[row["status"]])
        for kind, day in self._dates(row, programme):
            etree.SubElement(activity, "activity-date", {"type": kind, "iso-date": day.isoformat()})
        etree.SubElement(activity, "recipient-country", code=COUNTRY, percentage="100")
        etree.SubElement(
            activity, "sector", vocabulary=SECTOR_VOCABULARY_DAC, code=SECTOR_PEACEBUILDING, percentage="100"
        )
        etree.SubElement(activity, "default-finance-type", code=FINANCE_STANDARD_GRANT)
        etree.SubElement(activity, "default-aid-type", code=AID_TYPE_PROJECT, vocabulary=AID_TYPE_VOCABULARY_DAC)
        if row["amount"] is not None and row["currency"]:
            self._budget(activity, row, programme)
            self._commitment(activity, row, programme, recipient)
        if row["published"]:
            self._pages(activity, row)
        return activity

    @staticmethod
    def _description(row):
        """The description in each language, else the summary; at least one narrative, whatever is missing."""
        texts = [
            (code, text)
            for code in LANGUAGES
            if (text := _clean(row[f"description_{code}"]) or _clean(row[f"summary_{code}"]))
        ]
        return texts or _texts(row, "title") or [(None, row["reference"])]

    def _dates(self, row, programme):
        """(type, date) pairs in type order. Actual dates are never in the future; planned ones may be."""
        start, end = row["start_date"], row["end_date"]
        dates = {}
        if start:
            started = row["status"] in (Grant.Status.ACTIVE, Grant.Status.COMPLETED) and start <= self.today
            dates[ACTUAL_START if started else PLANNED_START] = start
        elif programme.start_date and (end is None or programme.start_date <= end):
            dates[PLANNED_START] = programme.start_date
        if end:
            ended = row["status"] == Grant.Status.COMPLETED and end <= self.today
            dates[ACTUAL_END if ended else PLANNED_END] = end
        elif programme.end_date and (start is None or programme.end_date >= start):
            dates[PLANNED_END] = programme.end_date
        return sorted(dates.items())

    def _budget(self, activity, row, programme):
        start = row["start_date"] or programme.start_date
        end = row["end_date"] or programme.end_date
        if not (start and end and start <= end <= _one_year_after(start)):
            return
        status = BUDGET_COMMITTED if row["award_date"] else BUDGET_INDICATIVE
        budget = etree.SubElement(activity, "budget", type=BUDGET_ORIGINAL, status=status)
        etree.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
        etree.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
        _value(budget, row, row["award_date"] or start)

    def _commitment(self, activity, row, programme, recipient):
        if not row["award_date"] or row["award_date"] > self.today:
            return
        transaction = etree.SubElement(activity, "transaction")
        etree.SubElement(transaction, "transaction-type", code=OUTGOING_COMMITMENT)
        etree.SubElement(transaction, "transaction-date", {"iso-date": row["award_date"].isoformat()})
        _value(transaction, row, row["award_date"])
        if programme.implementer is not None:
            _organisation(transaction, "provider-org", programme.implementer)
        _organisation(transaction, "receiver-org", recipient, row["recipient__slug"])

    def _pages(self, activity, row):
        titles = _texts(row, "title") or [(None, row["reference"])]
        for code in LANGUAGES:
            url = self.pages[code].replace("__slug__", row["slug"])
            link = etree.SubElement(activity, "document-link", url=url, format="text/html")
            # The page's title in the page's language, else the first there is (with its own language).
            title = next(((lang, text) for lang, text in titles if lang == code), titles[0])
            _narratives(etree.SubElement(link, "title"), [title])
            etree.SubElement(link, "category", code=DOCUMENT_ACTIVITY_WEB_PAGE)
            etree.SubElement(link, "language", code=code)


def _value(parent, row, day):
    value = etree.SubElement(parent, "value", {"currency": row["currency"], "value-date": day.isoformat()})
    value.text = f"{row['amount']:.2f}"
