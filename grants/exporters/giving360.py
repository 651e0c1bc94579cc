"""360Giving Data Standard 1.4 JSON: `{"grants": [...]}`, streamed one grant at a time.

A 360Giving grant was awarded, has an amount, a currency and an award date, and names its funder; the file
describes only the grants that do (grants.reports.in_360giving) and leaves the others out, each for the first of
the reasons of grants.reports.not_in_360giving(): not awarded (planned or cancelled), no amount or currency, no
award date, a programme without a funder. The reports page and `export_grants` say how many and why. When no grant
is left to describe there is no file: the standard's package schema asks for at least one grant, so an empty
`{"grants": []}` would be refused by 360Giving's own tools; `unavailable()` gives the message said instead.

Title and description are in the language of the page the file was asked from (missing text falls back
ky -> ru -> en). The schema allows additional fields, so `translations` carries the title and description in every
language that has them.

Identifiers: the grant is `{prefix}-{reference}`, where the prefix is the publisher's 360Giving prefix
(setting INTYMAK_360GIVING_PREFIX; the default "360G-intymak" must be replaced by the prefix 360Giving registers
for the publisher). Organisations use their org-id (KG-INN-…, KG-OKPO-…, XM-DAC-…) where one is recorded, else
`{prefix}-org-{slug}`.

The beneficiary location is the grant's region with its ISO 3166-2 code as geoCode; the recipient's location, where
the portal knows it, is its place (addressLocality, and a location with the place's coordinates where known) in its
region (addressRegion, the region's ISO code as geoCode). geoCodeType is left out: 360Giving's list of code types has
only United Kingdom (ONS) codes. The funder is the programme's funder (without one, its implementer). dataSource, as
360Giving's data-quality tool asks, is the initiative's page on the portal; an unpublished grant (in staff's
exports only) has no page, and its dataSource is the portal itself.
"""

import json
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from locations.models import Region

from ..models import Organization, Program
from ..reports import in_360giving, not_in_360giving
from .base import text_stream

BATCH = 1000
REFERENCES = 10  # references of left-out grants named per reason
LANGUAGES = [code for code, _name in settings.LANGUAGES]
FALLBACK = list(settings.MODELTRANSLATION_FALLBACK_LANGUAGES)
DEFAULT_PREFIX = "360G-intymak"
COUNTRY = "KG"


def prefix():
    value = (getattr(settings, "INTYMAK_360GIVING_PREFIX", "") or DEFAULT_PREFIX).strip().rstrip("-")
    # 360Giving issues prefixes that start with "360G-"; accept the bare name too.
    return value if value.startswith("360G-") else f"360G-{value}"


def describable(grants):
    """The grants the file describes (grants.reports.in_360giving)."""
    return in_360giving(grants)


def left_out(grants):
    """[(reason, n, first references)]: the grants left out of the file and why, reasons with none omitted."""
    found = []
    for reason, grants_left_out in not_in_360giving(grants):
        if n := grants_left_out.count():
            references = list(grants_left_out.order_by("reference").values_list("reference", flat=True)[:REFERENCES])
            found.append((reason, n, references))
    return found


def left_out_text(left):
    """The reasons of left_out() in one line: "not awarded (planned or cancelled): 3; no award date: 2"."""
    return "; ".join(f"{reason}: {n}" for reason, n, _references in left)


def unavailable(grants):
    """Why no 360Giving file can be made of these grants, in the active language; None when one can."""
    if describable(grants).exists():
        return None
    left = left_out(grants)
    if not left:
        return _("There is no 360Giving file for these filters: they select no grants.")
    total = sum(n for _reason, n, _references in left)
    return ngettext(
        "There is no 360Giving file for these filters: the standard describes awarded grants with an amount, a "
        "currency, an award date and a funder, and the %(count)s grant selected cannot be described (%(reasons)s).",
        "There is no 360Giving file for these filters: the standard describes awarded grants with an amount, a "
        "currency, an award date and a funder, and none of the %(count)s grants selected can be described "
        "(%(reasons)s).",
        total,
    ) % {"count": total, "reasons": left_out_text(left)}


def render(grants, context):
    yield from text_stream(_document(grants, context))


def _document(grants, context):
    grants = describable(grants)
    builder = _GrantBuilder(context, grants)
    separator = "\n"
    yield '{"grants": ['
    for row in grants.values(*GRANT_FIELDS).iterator(chunk_size=BATCH):
        yield separator + json.dumps(builder.grant(row), ensure_ascii=False)
        context.written += 1
        separator = ",\n"
    yield "\n]}\n"


NAMES = [f"name_{code}" for code in LANGUAGES]
ORG_FIELDS = ["slug", "org_identifier", "inn", "okpo", "website", *NAMES]
# One flat row per grant (model instances would cost more than the JSON); programmes and regions are few and
# are read once, before the grants.
GRANT_FIELDS = [
    "reference", "slug", "published", "amount", "currency", "award_date", "start_date", "end_date", "updated_at",
    "program_id", "region_id",
    *(f"{field}_{code}" for field in ("title", "summary", "description") for code in LANGUAGES),
    *(f"recipient__{field}" for field in ORG_FIELDS),
    *(f"recipient__location__{field}" for field in ("latitude", "longitude", "region__iso_code")),
    *(f"recipient__location__{field}_{code}" for field in ("name", "region__name") for code in LANGUAGES),
]  # fmt: skip


def _number(amount):
    """A JSON number, not a string: whole amounts as integers, others as the shortest float that reads back the same
    (amounts have at most 14 digits, which a float carries exactly)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _text(values, fields, language):
    """The first text found, trying each field in the language asked for, then ky -> ru -> en."""
    for code in dict.fromkeys([language, *FALLBACK]):
        if text := _text_in(values, fields, code):
            return text
    return ""


def _text_in(values, fields, code):
    """The first of the fields that has text in this one language, without falling back to another."""
    for field in fields:
        if text := (values.get(f"{field}_{code}") or "").strip():
            return text
    return ""


def _fields(obj, names):
    return {name: getattr(obj, name) for name in names}


class _GrantBuilder:
    def __init__(self, context, grants):
        self.language = context.language
        self.prefix = prefix()
        with translation.override(self.language):
            self.page = settings.SITE_URL + reverse("grants:initiative", kwargs={"slug": "__slug__"})
            self.portal = settings.SITE_URL + reverse("intymak:home")
            self.country = _("Kyrgyzstan")
        grants = grants.order_by()
        self.programmes = {}
        programmes = (
            Program.objects.filter(pk__in=grants.values("program"))
            .select_related("funder", "implementer")
            .only(
                "slug",
                *NAMES,
                *(f"{role}__{field}" for role in ("funder", "implementer") for field in ORG_FIELDS),
            )
        )
        for programme in programmes:
            # 360Giving's funder is the programme's funder; without one, the organisation that runs the programme.
            funder = programme.funder or programme.implementer
            title = _text(_fields(programme, NAMES), ["name"], self.language) or programme.slug
            self.programmes[programme.pk] = {
                "funder": [self._organization(_fields(funder, ORG_FIELDS))] if funder is not None else None,
                "programme": [{"code": programme.slug, "title": title}],
            }
        self.regions = {}
        for region in Region.objects.filter(pk__in=grants.values("region")).only("slug", "iso_code", *NAMES):
            name = _text(_fields(region, NAMES), ["name"], self.language) or region.slug
            location = {"name": name, "countryCode": COUNTRY}
            if region.iso_code:
                location["geoCode"] = region.iso_code
            self.regions[region.pk] = [location]

    def grant(self, row):
        programme = self.programmes[row["program_id"]]
        item = {
            "id": f"{self.prefix}-{row['reference']}",
            "title": _text(row, ["title"], self.language) or row["reference"],
            "description": _text(row, ["summary", "description"], self.language)
            or _text(row, ["title"], self.language)
            or row["reference"],
            "currency": row["currency"],
            "amountAwarded": _number(row["amount"]),
            "awardDate": row["award_date"].isoformat(),
        }
        planned = {}
        if row["start_date"]:
            planned["startDate"] = row["start_date"].isoformat()
        if row["end_date"]:
            planned["endDate"] = row["end_date"].isoformat()
        if planned:
            item["plannedDates"] = [planned]
        recipient = self._organization({field: row[f"recipient__{field}"] for field in ORG_FIELDS})
        recipient.update(self._address(row))
        item["recipientOrganization"] = [recipient]
        if programme["funder"] is not None:
            item["fundingOrganization"] = programme["funder"]
        item["beneficiaryLocation"] = self.regions[row["region_id"]]
        item["grantProgramme"] = programme["programme"]
        if row["published"]:
            item["url"] = item["dataSource"] = self.page.replace("__slug__", row["slug"])
        else:
            item["dataSource"] = self.portal
        if row["updated_at"]:
            item["dateModified"] = row["updated_at"].isoformat()
        translations = {}
        for code in LANGUAGES:
            texts = {
                field: text
                for field, names in (("title", ["title"]), ("description", ["summary", "description"]))
                if (text := _text_in(row, names, code))
            }
            if texts:
                translations[code] = texts
        item["translations"] = translations
        return item

    def _address(self, row):
        """The recipient's place, region and country, and its location as 360Giving describes one; {} if unknown."""
        place = _text(row, ["recipient__location__name"], self.language)
        if not place:
            return {}
        address = {"addressLocality": place}
        location = {"name": place, "countryCode": COUNTRY}
        if region := _text(row, ["recipient__location__region__name"], self.language):
            address["addressRegion"] = region
        address["addressCountry"] = self.country
        if row["recipient__location__region__iso_code"]:
            location["geoCode"] = row["recipient__location__region__iso_code"]
        if row["recipient__location__latitude"] is not None and row["recipient__location__longitude"] is not None:
            location["latitude"] = float(row["recipient__location__latitude"])
            location["longitude"] = float(row["recipient__location__longitude"])
        address["location"] = [location]
        return address

    def _organization(self, values):
        """{id, name, url} of an organisation's values (ORG_FIELDS), with Organization's own rule for its org-id."""
        org_id = Organization.org_id.fget(SimpleNamespace(**values))
        item = {
            "id": org_id or f"{self.prefix}-org-{values['slug']}",
            "name": _text(values, ["name"], self.language) or values["slug"],
        }
        if values["website"]:
            item["url"] = values["website"]
        return item
