"""Home: the programme, key figures (money per currency, never summed across), regions, latest updates.
About: partners and the action plan with its progress."""

from decimal import Decimal

import lxml.html
import pytest

from grants.models import ProgramComponent
from tests.factories import (
    GrantFactory,
    GrantUpdateFactory,
    LocationFactory,
    MediatorFactory,
    OrganizationFactory,
    ProgramComponentFactory,
    RegionFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db


def _key_figures(client):
    """The key figures as the home page shows them: {label: figure}."""
    page = lxml.html.document_fromstring(client.get("/en/").content.decode())
    [figures] = page.xpath("//dl[contains(@class, 'key-figures')]")
    return {dt.text_content().strip(): dt.getnext().text_content().strip() for dt in figures.iter("dt")}


def test_key_figures_count_what_is_published(client, programme):
    north, south, quiet = RegionFactory.create_batch(3)
    village, town = LocationFactory.create_batch(2, region=north)
    valley = LocationFactory(region=south)
    busy = OrganizationFactory(location=village)
    GrantFactory(program=programme, recipient=busy, locations=[village, town])
    GrantFactory(program=programme, recipient=busy, locations=[village])
    GrantFactory(program=programme, recipient=OrganizationFactory(location=valley))
    # A draft and an archived grant count nowhere: not their organisations, places or regions.
    GrantFactory(program=programme, recipient__location__region=quiet, published=False)
    GrantFactory(program=programme, recipient__location__region=quiet, archived=True)
    assert _key_figures(client) == {
        "Initiatives": "3",
        "Organisations": "2",
        "Locations": "3",
        "Regions": "2",
        "Mediators": "0",
        "Awarded": "amounts not published yet",
    }


def test_money_is_summed_per_currency_only(client, programme):
    for amount, currency in (("1000.00", "KGS"), ("2500.00", "KGS"), ("300.00", "USD")):
        GrantFactory(program=programme, amount=Decimal(amount), currency=currency)
    GrantFactory(program=programme)  # no amount yet
    html = client.get("/en/").content.decode()
    assert "3,500 KGS" in html and "300 USD" in html
    assert "3,800" not in html
    assert "for 3 of 4 awarded initiatives" in html  # what the figure covers


def test_money_awarded_counts_awarded_active_and_completed_grants_only(client, db):
    for status, amount in [("awarded", "100.00"), ("active", "20.00"), ("completed", "3.00"), ("planned", "4000.00"),
                           ("cancelled", "50000.00")]:  # fmt: skip
        GrantFactory(status=status, amount=Decimal(amount), currency="EUR")
    GrantFactory(status="active", amount=None, currency="")  # awarded, amount not known
    GrantFactory(status="active", amount=Decimal("7.00"), currency="EUR", published=False)  # not public
    page = client.get("/ru/")
    assert [(row["currency"], row["total"]) for row in page.context["figures"]["money"]] == [("EUR", Decimal("123"))]
    html = page.content.decode()
    assert "123 EUR" in html.split('id="figures-title"')[1].split("</section>")[0]
    assert "по 3 из 4 поддержанных инициатив" in html


def test_unpublished_grants_and_non_consenting_mediators_are_not_counted(client, programme):
    shown = GrantFactory(program=programme)
    assert _key_figures(client)["Locations"] == "1"
    only_here = GrantFactory(program=programme, published=False)  # a place whose only grant is unpublished
    assert only_here.locations.exists()
    assert _key_figures(client)["Locations"] == "1"
    GrantFactory(program=programme)  # a new place with a published grant
    assert _key_figures(client)["Locations"] == "2"
    shown.published = False
    shown.save()
    MediatorFactory(public_consent=False)
    MediatorFactory(public_consent=True)
    figures = _key_figures(client)
    assert figures["Initiatives"] == "1" and figures["Locations"] == "1"
    assert figures["Mediators"] == "1"


def test_latest_updates_are_shown_newest_first(client, db):
    old = GrantUpdateFactory(date="2022-01-10", title_en="Older update")
    new = GrantUpdateFactory(date="2022-02-20", title_en="Newer update")
    GrantUpdateFactory(date="2022-03-01", title_en="Hidden update", grant=GrantFactory(published=False))
    html = client.get("/en/").content.decode()
    assert html.index("Newer update") < html.index("Older update")
    assert "Hidden update" not in html
    assert new.get_absolute_url() in html and old.get_absolute_url() in html


def test_about_shows_funder_partners_and_progress_of_the_action_plan(client, programme):
    GrantFactory.create_batch(3, program=programme)  # civil-society grants
    GrantFactory(program=programme, published=False)  # a draft is no progress
    TrainingFactory(kind="working_group")
    html = client.get("/en/about/").content.decode()
    assert "Peace and Harmony" in html and "Preventing conflicts in communities." in html
    assert "Peace Fund" in html and "Harmony Union" in html
    assert "Mediation Centre" in html and "Policy Institute" in html
    assert "Progress so far: 3 of 4" in html  # civil-society grants
    assert "Progress so far: 0 of 2" in html  # no small grants to local self-government are recorded
    assert "So far: 1" in html  # one working-group meeting
    assert html.count('<li class="mb-3">') == 7
    ky = client.get("/ky/about/").content.decode()
    assert "Тынчтык жана ынтымак" in ky and "Тынчтык фонду" in ky and "Жарандык коомго төрт грант" in ky


@pytest.mark.parametrize(
    ("language", "so_far", "definition"),
    [
        ("ky", "Азырынча: 2", "бул сайттагы тизмеде турган, башкача айтканда ачык көрсөтүлүүгө макул болгон"),
        ("ru", "На сегодня: 2", "медиаторы из списка на этом сайте, то есть согласившиеся на публикацию"),
        ("en", "So far: 2", "the mediators listed on this site, that is those who agreed to be shown publicly"),
    ],
)
def test_the_network_of_mediators_counts_the_listed_mediators_as_the_home_page_does(
    client, db, language, so_far, definition
):
    ProgramComponentFactory(measure=ProgramComponent.Measure.MEDIATOR_NETWORK, target=None)
    MediatorFactory.create_batch(2, public_consent=True)
    MediatorFactory(public_consent=False)  # never counted on a public page, not even as a number
    MediatorFactory(public_consent=True, archived=True)  # has left the network
    about = " ".join(client.get(f"/{language}/about/").content.decode().split())
    assert client.get(f"/{language}/").context["figures"]["mediators"] == 2
    assert so_far in about
    assert definition in about  # the page says what it counts
    assert f'href="/{language}/mediators/"' in about
