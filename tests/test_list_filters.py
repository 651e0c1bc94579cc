"""The filters of the three lists (initiatives, mediators, reports), used as a visitor uses them: the form read from
the page, an option picked by the text it shows or a value typed in, the form sent. What the visitor then sees: the
list, the choices kept in the form, the address to share, and a clear message for a filter that cannot be used."""

import csv
import io
from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.contrib.auth.models import Group

from locations.models import RegionCoordinator
from tests.factories import (
    GrantFactory,
    LanguageFactory,
    LocationFactory,
    MediatorFactory,
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    SpecialisationFactory,
    ThemeFactory,
)
from tests.forms import form_fields, send

pytestmark = pytest.mark.django_db


def _grant(region, **fields):
    return GrantFactory(recipient=OrganizationFactory(location=LocationFactory(region=region)), **fields)


def _titles(response):
    """The initiatives' titles on the page, as shown."""
    document = lxml.html.document_fromstring(response.content.decode())
    return sorted(link.text_content().strip() for link in document.xpath("//article//h3/a"))


def _alert(response):
    document = lxml.html.document_fromstring(response.content.decode())
    return " ".join(element.text_content().strip() for element in document.xpath("//*[@role='alert']"))


def _selected(response, name):
    """The text of the option a <select> of the filters shows, as a browser would: the first when none is selected."""
    document = lxml.html.document_fromstring(response.content.decode())
    options = document.xpath("//form[@id='filters']//select[@name=$name]//option", name=name)
    chosen = [option for option in options if option.get("selected") is not None] or options[:1]
    return chosen[0].text_content().strip()


@pytest.fixture
def regions():
    return (
        RegionFactory(slug="talas", name_en="Talas region", name_ru="Таласская область", name_ky="Талас облусу"),
        RegionFactory(slug="naryn", name_en="Naryn region", name_ru="Нарынская область", name_ky="Нарын облусу"),
    )


@pytest.fixture
def initiatives(regions):
    talas, naryn = regions
    youth = ThemeFactory(slug="youth", name_en="Youth", name_ru="Молодежь", name_ky="Жаштар")
    water = ThemeFactory(slug="water", name_en="Water and irrigation", name_ru="Вода", name_ky="Суу")
    _grant(talas, title_en="Youth forum in Talas", themes=[youth])
    _grant(talas, title_en="Canals of Talas", themes=[water], status="completed")
    _grant(naryn, title_en="Youth of Naryn", themes=[youth], kind="lsg")
    _grant(naryn, title_en="Nookat dialogue", title_ky="Ноокаттагы диалог", title_ru="Диалог в Ноокате")
    GrantFactory(title_en="Unpublished in Talas", published=False, region=talas)


def test_initiatives_by_region_theme_kind_and_status_as_the_form_sends_them(client, initiatives):
    by_region = send(client, "/en/initiatives/", {"region": "Talas region"})
    assert _titles(by_region) == ["Canals of Talas", "Youth forum in Talas"]
    assert "2 initiatives" in by_region.content.decode()
    assert by_region.request["QUERY_STRING"] == "q=&region=talas&theme=&kind=&status="
    assert _selected(by_region, "region") == "Talas region"

    youth = send(client, "/en/initiatives/", {"theme": "Youth"})
    assert _titles(youth) == ["Youth forum in Talas", "Youth of Naryn"]
    both = send(client, youth.request["PATH_INFO"] + "?" + youth.request["QUERY_STRING"], {"region": "Naryn region"})
    assert _titles(both) == ["Youth of Naryn"]
    assert _selected(both, "theme") == "Youth" and _selected(both, "region") == "Naryn region"

    small_grants = send(client, "/en/initiatives/", {"kind": "small grant for local self-government"})
    assert _titles(small_grants) == ["Youth of Naryn"]
    assert _titles(send(client, "/en/initiatives/", {"status": "completed"})) == ["Canals of Talas"]


def test_the_search_box_finds_a_name_typed_in_another_script(client, initiatives):
    found = send(client, "/ky/initiatives/", {"q": "  Nookat  "})
    assert _titles(found) == ["Ноокаттагы диалог"]
    assert found.context["form"].cleaned_data["q"] == "Nookat"
    assert _titles(send(client, "/en/initiatives/", {"q": "Ноокат"})) == ["Nookat dialogue"]


def test_clear_filters_comes_back_to_the_whole_list(client, initiatives):
    plain = client.get("/en/initiatives/")
    assert "Clear filters" not in plain.content.decode()
    filtered = send(client, "/en/initiatives/", {"region": "Naryn region"})
    link = lxml.html.document_fromstring(filtered.content.decode()).xpath("//a[text()='Clear filters']")[0]
    assert link.get("href") == "."
    # "." from /en/initiatives/?region=... is /en/initiatives/ without the query, as a browser resolves it.
    assert len(_titles(client.get("/en/initiatives/"))) == 4


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "These filters cannot be used: Region. Correct them and try again."),
        ("ru", "Эти фильтры нельзя применить: Регион. Исправьте их и попробуйте снова."),
        ("ky", "Бул чыпкаларды колдонууга болбойт: Аймак. Оңдоп, кайра аракет кылыңыз."),
    ],
)
def test_a_shared_address_with_an_unknown_region_says_so_in_the_visitors_language(
    client, initiatives, language, message
):
    response = client.get(f"/{language}/initiatives/", {"region": "atlantis", "theme": "youth"})
    assert response.status_code == 200
    assert _alert(response) == message
    assert _titles(response) == []  # a list of every region would show more than was asked for
    assert _selected(response, "region") != "Talas region"
    # The visitor picks a region from the list and is shown its initiatives.
    fixed = send(client, f"/{language}/initiatives/?region=atlantis&theme=youth", {"region": _region_name(language)})
    assert _alert(fixed) == ""
    assert len(_titles(fixed)) == 1


def _region_name(language):
    return {"en": "Talas region", "ru": "Таласская область", "ky": "Талас облусу"}[language]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"region": "nowhere"}, "Region"),
        ({"region": "talas\x00"}, "Region"),
        ({"theme": "\x00"}, "Theme"),
        ({"kind": "grant"}, "Kind"),
        ({"status": "done", "kind": "lsg"}, "Status"),
        ({"q": "Naryn\x00"}, "Search"),
        ({"region": "x", "status": "y"}, "Region, Status"),
    ],
)
def test_every_value_the_list_cannot_use_is_named(client, initiatives, params, names):
    response = client.get("/en/initiatives/", params)
    assert response.status_code == 200
    assert _alert(response) == f"These filters cannot be used: {names}. Correct them and try again."
    assert _titles(response) == []


@pytest.fixture
def directory(regions):
    talas, naryn = regions
    kyrgyz, russian = LanguageFactory(code="ky"), LanguageFactory(code="ru")
    land = SpecialisationFactory(slug="land", name_en="Land and water", name_ru="Земля и вода", name_ky="Жер жана суу")
    family = SpecialisationFactory(slug="family", name_en="Family", name_ru="Семья", name_ky="Үй-бүлө")
    village = LocationFactory(region=talas, slug="kopuro-bazar", name_en="Kopuro-Bazar", name_ky="Көпүрө-Базар")
    town = LocationFactory(region=naryn, slug="at-bashy", name_en="At-Bashy", name_ky="Ат-Башы")
    aigul = MediatorFactory(name_en="Aigul", location=village)
    aigul.languages.set([kyrgyz, russian])
    aigul.specialisations.set([land, family])
    bakyt = MediatorFactory(name_en="Bakyt", location=town)
    bakyt.languages.set([kyrgyz])
    bakyt.specialisations.set([family])
    MediatorFactory(name_en="Unlisted", location=LocationFactory(region=talas, name_en="Hidden Place"),
                    public_consent=False)  # fmt: skip


def _mediators(response):
    document = lxml.html.document_fromstring(response.content.decode())
    return [link.text_content().strip() for link in document.xpath("//article//h3/a")]


def test_mediators_by_region_place_language_and_specialisation(client, directory):
    assert _mediators(send(client, "/en/mediators/", {"region": "Talas region"})) == ["Aigul"]
    assert _mediators(send(client, "/en/mediators/", {"location": "At-Bashy"})) == ["Bakyt"]
    assert _mediators(send(client, "/en/mediators/", {"language": "Russian"})) == ["Aigul"]
    # A mediator with two languages and two specialisations is listed once.
    family = send(client, "/en/mediators/", {"specialisation": "Family", "language": "Kyrgyz"})
    assert _mediators(family) == ["Aigul", "Bakyt"]
    assert "2 mediators" in family.content.decode()


def test_the_places_offered_are_those_of_listed_mediators_by_their_name_in_the_page_language(client, directory):
    html = client.get("/ky/mediators/").content.decode()
    places = lxml.html.document_fromstring(html).xpath("//select[@name='location']/option")
    assert [option.text_content() for option in places][1:] == ["Ат-Башы", "Көпүрө-Базар"]
    assert "Hidden Place" not in html


def test_an_unknown_language_in_the_address_names_the_filter(client, directory):
    response = client.get("/ru/mediators/", {"language": "xx", "region": "talas"})
    assert response.status_code == 200
    assert _alert(response) == "Эти фильтры нельзя применить: Язык. Исправьте их и попробуйте снова."
    assert _mediators(response) == []


@pytest.fixture
def money(regions):
    talas, naryn = regions
    programme = ProgramFactory(
        slug="living-in-peace", name_en="Living in Peace", name_ru="Ынтымактуу Жашоо", name_ky="Ынтымактуу Жашоо"
    )
    grants = [
        _grant(talas, program=programme, reference="R-1", title_en="Talas, December", amount=Decimal("1000"),
               currency="KGS", award_date=date(2021, 12, 1)),
        _grant(talas, program=programme, reference="R-2", title_en="Talas, March", amount=Decimal("2500"),
               currency="KGS", award_date=date(2022, 3, 1)),
        _grant(naryn, program=programme, reference="R-3", title_en="Naryn, January", amount=Decimal("300"),
               currency="USD", award_date=date(2022, 1, 15)),
        _grant(naryn, program=ProgramFactory(), reference="R-4", title_en="Other programme"),
    ]  # fmt: skip
    _grant(talas, program=programme, reference="R-5", title_en="Staff only", published=False)
    return grants


def _downloads(response):
    """The download links of the reports page, by file name."""
    document = lxml.html.document_fromstring(response.content.decode())
    links = document.xpath("//a[@download]")
    return {link.get("href").split("/")[-1].split("?")[0]: link.get("href") for link in links}


def _csv_references(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(body))][1:]


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_report_filters_narrow_the_totals_and_every_download(donor_client, money, language):
    filters = {"program": "Living in Peace" if language == "en" else "Ынтымактуу Жашоо",
               "award_from": "2021-12-01", "award_to": "2022-01-31"}  # fmt: skip
    page = send(donor_client, f"/{language}/reports/", filters)
    assert page.status_code == 200
    assert page.context["totals"].grants == 2
    # The dates come back as the browser's date picker reads them, whatever the page's language.
    fields = form_fields(page.content.decode(), "filters")
    assert fields["award_from"] == ["2021-12-01"] and fields["award_to"] == ["2022-01-31"]
    links = _downloads(page)
    assert set(links) == {"grants.csv", "grants.xlsx", "summary.pdf", "iati.xml", "360giving.json"}
    assert _csv_references(donor_client.get(links["grants.csv"])) == ["R-1", "R-3"]
    for href in links.values():
        response = donor_client.get(href)
        assert response.status_code == 200, href
        assert b"".join(response.streaming_content)


def test_the_report_page_read_back_selects_the_same_grants(donor_client, money):
    first = send(donor_client, "/en/reports/", {"region": "Naryn region", "kind": "civil society organisation grant"})
    again = send(donor_client, first.request["PATH_INFO"] + "?" + first.request["QUERY_STRING"])
    assert first.context["totals"].grants == again.context["totals"].grants == 2
    assert _csv_references(donor_client.get(_downloads(again)["grants.csv"])) == ["R-3", "R-4"]


@pytest.mark.parametrize(
    ("filters", "named", "field_error"),
    [
        ({"award_from": "2022-02-01", "award_to": "2022-01-01"}, "Awarded until",
         "The end of the award-date range is before its start."),
        ({"award_from": "1 December"}, "Awarded from", "Enter a valid date."),
        ({"award_to": "2022-13-01"}, "Awarded until", "Enter a valid date."),
    ],
)  # fmt: skip
def test_report_dates_that_cannot_be_used_are_named_on_the_page_and_refused_by_the_downloads(
    donor_client, money, filters, named, field_error
):
    page = send(donor_client, "/en/reports/", filters)
    assert page.status_code == 400
    assert _alert(page) == f"These filters cannot be used: {named}. Correct them and try again."
    errors = lxml.html.document_fromstring(page.content.decode()).xpath("//*[contains(@class, 'invalid-feedback')]")
    assert [error.text_content().strip() for error in errors] == [field_error]
    assert "Download" not in page.content.decode()
    query = page.request["QUERY_STRING"]
    for filename in ("grants.csv", "summary.pdf", "iati.xml"):
        download = donor_client.get(f"/en/reports/{filename}?{query}")
        assert download.status_code == 400
        assert download.content.decode() == f"These filters cannot be used: {named}: {field_error}"


@pytest.mark.parametrize("params", [{"region": "talas\x00"}, {"program": "\x00"}, {"theme": "x" * 5000}])
def test_nul_bytes_and_long_values_in_report_filters_get_the_page_with_a_message(donor_client, money, params):
    page = donor_client.get("/ru/reports/", params)
    assert page.status_code == 400
    assert _alert(page).startswith("Эти фильтры нельзя применить: ")


def test_a_regional_coordinator_filters_within_their_regions_only(client, django_user_model, money, regions):
    talas, naryn = regions
    user = django_user_model.objects.create_user("coordinator", password="a-long-test-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name="Regional coordinators"))
    RegionCoordinator.objects.create(user=user, region=talas)
    client.force_login(user)
    everything = client.get("/en/reports/")
    assert everything.context["totals"].grants == 3  # Talas's, the unpublished one included
    other_region = send(client, "/en/reports/", {"region": "Naryn region"})
    assert other_region.context["totals"].grants == 0
    assert _csv_references(client.get(_downloads(other_region)["grants.csv"])) == []
    december = send(client, "/en/reports/", {"award_to": "2021-12-31"})
    assert _csv_references(client.get(_downloads(december)["grants.csv"])) == ["R-1"]


def test_the_filter_forms_and_their_messages_need_no_inline_scripts_or_styles(donor_client, initiatives, directory):
    from tests.test_security_headers import _inline_code

    urls = [
        "/ky/initiatives/?region=talas&q=Nookat",
        "/ky/initiatives/?region=atlantis&kind=x",
        "/ky/mediators/?language=ru",
        "/ky/mediators/?language=xx",
        "/ky/reports/?region=talas&award_from=2021-01-01",
        "/ky/reports/?award_from=2022-02-01&award_to=2022-01-01",
    ]
    found = {url: inline for url in urls if (inline := _inline_code(donor_client.get(url).content.decode()))}
    assert found == {}
