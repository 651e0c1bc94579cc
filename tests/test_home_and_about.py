"""Home: the programme, key figures (money per currency, never summed across), regions, latest updates.
About: partners and the action plan with its progress."""

from decimal import Decimal

import pytest

from grants.models import Grant, ProgramComponent
from tests.factories import GrantFactory, GrantUpdateFactory, MediatorFactory, ProgramComponentFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def test_key_figures_of_the_newsletter(client, newsletter):
    figures = client.get("/en/").context["figures"]
    assert figures["initiatives"] == 25
    assert figures["organizations"] == 25
    assert figures["regions"] == 7
    # Places named by at least one published grant, counted the plain way.
    places = {location.pk for grant in Grant.objects.filter(published=True) for location in grant.locations.all()}
    assert figures["locations"] == len(places) > 20
    assert figures["mediators"] == 0
    assert figures["money"] == []
    assert "amounts not published yet" in client.get("/en/").content.decode()


def test_money_is_summed_per_currency_only(client, newsletter):
    grants = list(Grant.objects.all()[:3])
    for grant, (amount, currency) in zip(
        grants, [("1000.00", "KGS"), ("2500.00", "KGS"), ("300.00", "USD")], strict=True
    ):
        grant.amount, grant.currency = Decimal(amount), currency
        grant.save()
    html = client.get("/en/").content.decode()
    assert "3,500 KGS" in html and "300 USD" in html
    assert "3,800" not in html
    assert "for 3 of 25 awarded initiatives" in html  # what the figure covers


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


def test_unpublished_grants_and_non_consenting_mediators_are_not_counted(client, newsletter):
    places_before = client.get("/en/").context["figures"]["locations"]
    only_here = GrantFactory(published=False)  # a place whose only grant is unpublished
    assert client.get("/en/").context["figures"]["locations"] == places_before
    assert only_here.locations.exists()
    GrantFactory(published=True)  # a new place with a published grant
    assert client.get("/en/").context["figures"]["locations"] == places_before + 1
    Grant.objects.filter(reference="LIP-CSO-01").update(published=False)
    MediatorFactory(public_consent=False)
    MediatorFactory(public_consent=True)
    figures = client.get("/en/").context["figures"]
    assert figures["initiatives"] == 25  # 24 of the newsletter's and the new published one
    assert figures["mediators"] == 1


def test_latest_updates_are_shown_newest_first(client, db):
    old = GrantUpdateFactory(date="2022-01-10", title_en="Older update")
    new = GrantUpdateFactory(date="2022-02-20", title_en="Newer update")
    GrantUpdateFactory(date="2022-03-01", title_en="Hidden update", grant=GrantFactory(published=False))
    html = client.get("/en/").content.decode()
    assert html.index("Newer update") < html.index("Older update")
    assert "Hidden update" not in html
    assert new.get_absolute_url() in html and old.get_absolute_url() in html


def test_about_shows_partners_and_progress_of_the_action_plan(client, newsletter):
    TrainingFactory(kind="working_group")
    html = client.get("/en/about/").content.decode()
    assert "International Alert" in html and "National Mediation Center" in html
    assert "Development Policy Institute" in html
    assert "Progress so far: 25 of 25" in html  # the 25 civil-society grants
    assert "Progress so far: 0 of 25" in html  # no small grants to local self-government are recorded
    assert "So far: 1" in html  # one working-group meeting
    assert html.count('<li class="mb-3">') == 7


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
