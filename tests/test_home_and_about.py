"""Home: the programme, key figures (money per currency, never summed across), regions, latest updates.
About: partners and the action plan with its progress."""

from decimal import Decimal

import lxml.html
import pytest

from tests.factories import (
    GrantFactory,
    GrantUpdateFactory,
    LocationFactory,
    MediatorFactory,
    OrganizationFactory,
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
