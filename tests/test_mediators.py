"""The mediator network: the public directory and its filters, mentors and trees, coverage, staff registry."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from tests.factories import (
    GrantFactory,
    LanguageFactory,
    LocationFactory,
    MediatorFactory,
    RegionFactory,
    SpecialisationFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(programme):
    """Listed and unlisted mediators in the places of the programme's grants, with mentors and trainings.

    The north has two places with initiatives, Ak-Jol (two mediators and a training) and Jany-Jer (none); the
    highlands one, Kok-Tash (a mediator who is not listed and one who is)."""
    north = RegionFactory(slug="north", name_en="North region", order=1)
    highlands = RegionFactory(slug="highlands", name_en="Highland region", order=2)
    ak_jol = LocationFactory(region=north, slug="ak-jol", name_en="Ak-Jol", kind="town")
    kok_tash = LocationFactory(region=highlands, slug="kok-tash", name_en="Kok-Tash", kind="town")
    jany_jer = LocationFactory(region=north, slug="jany-jer", name_en="Jany-Jer")
    for place in (ak_jol, kok_tash, jany_jer):
        GrantFactory(program=programme, recipient__location=place)
    kyrgyz, russian = LanguageFactory(code="ky"), LanguageFactory(code="ru")
    land = SpecialisationFactory(slug="land-and-water", name_en="Land and water")
    mentor = MediatorFactory(slug="aigul", name_en="Aigul Mentor", location=ak_jol)
    mentor.languages.set([kyrgyz, russian])
    mentee = MediatorFactory(slug="bakyt", name_en="Bakyt Mentee", location=ak_jol, mentor=mentor)
    mentee.languages.set([kyrgyz])
    mentee.specialisations.set([land])
    hidden = MediatorFactory(slug="hidden", name_en="Hidden Person", location=kok_tash, public_consent=False,
                             mentor=mentor)  # fmt: skip
    listed_under_hidden = MediatorFactory(slug="chynara", name_en="Chynara Listed", location=kok_tash, mentor=hidden,
                                          certification="in_training")  # fmt: skip
    training = TrainingFactory(title_en="Mediation in Ak-Jol", location=ak_jol, kind="mediation")
    training.participants.set([mentor, mentee, hidden])
    return {"mentor": mentor, "mentee": mentee, "hidden": hidden, "listed": listed_under_hidden, "training": training}


def _names(response):
    return sorted(str(m.name_en) for m in response.context["mediators"])


def test_directory_lists_only_consenting_mediators(client, network):
    assert _names(client.get("/en/mediators/")) == ["Aigul Mentor", "Bakyt Mentee", "Chynara Listed"]
    assert client.get("/en/mediators/hidden/").status_code == 404


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"region": "north"}, ["Aigul Mentor", "Bakyt Mentee"]),
        ({"region": "highlands"}, ["Chynara Listed"]),
        ({"location": "ak-jol"}, ["Aigul Mentor", "Bakyt Mentee"]),
        ({"language": "ru"}, ["Aigul Mentor"]),
        ({"specialisation": "land-and-water"}, ["Bakyt Mentee"]),
        ({"region": "nowhere"}, []),
        ({"language": "xx"}, []),
        ({"location": "<script>"}, []),
    ],
)
def test_directory_filters(client, network, params, names):
    response = client.get("/en/mediators/", params)
    assert response.status_code == 200
    assert _names(response) == names


def test_mediator_page_shows_place_languages_trainings_and_mentees_but_never_contacts(client, network):
    mentor = network["mentor"]
    mentor.phone, mentor.email, mentor.address = "+996 555 123 456", "aigul@example.org", "Ak-Jol, Lenin st. 1"
    mentor.save()
    html = client.get("/en/mediators/aigul/").content.decode()
    assert "Ak-Jol" in html and "Mediation in Ak-Jol" in html
    assert "Bakyt Mentee" in html  # a listed mentee
    assert "Hidden Person" not in html  # an unlisted mentee
    for private in ("+996 555 123 456", "aigul@example.org", "Lenin st. 1"):
        assert private not in html


def test_a_mentor_who_is_not_listed_is_never_named(client, network):
    html = client.get("/en/mediators/chynara/").content.decode()
    assert "Mentor" not in html.split("<main", 1)[1].split("</main>")[0].replace("Mentors", "")
    assert "Hidden Person" not in html


def test_network_tree_per_region(client, network):
    html = client.get("/en/mediators/network/", {"region": "north"}).content.decode()
    # Bakyt's item is nested in Aigul's.
    nested = '>Aigul Mentor</a> <span class="text-body-secondary">(Ak-Jol)</span><ul><li><a href="/en/mediators/bakyt/"'
    assert nested in html
    everyone = client.get("/en/mediators/network/").content.decode()
    assert "Chynara Listed" in everyone and "Hidden Person" not in everyone
    assert client.get("/en/mediators/network/", {"region": "nowhere"}).status_code == 200


def test_coverage_counts_for_the_public_and_names_for_staff(client, admin_client, network):
    public = client.get("/en/mediators/coverage/")
    rows = {row.location.slug: row for row in public.context["rows"]}
    assert set(rows) == {"ak-jol", "kok-tash", "jany-jer"}  # the places of the programme's grants
    assert rows["ak-jol"].certified == 2 and rows["ak-jol"].trained == 2 and rows["ak-jol"].mentors == 1
    assert rows["ak-jol"].trainings == 1
    assert rows["kok-tash"].certified == 1  # the unlisted one counts, unnamed
    assert not rows["jany-jer"].has_certified
    html = public.content.decode()
    assert "Aigul Mentor" not in html and "Hidden Person" not in html
    assert "no certified mediator" in html
    staff = admin_client.get("/en/mediators/coverage/").content.decode()
    assert "Hidden Person" in staff and "Aigul Mentor" in staff


def test_coverage_uses_recorded_target_locations(client, network, programme):
    extra = LocationFactory(slug="far-village")
    programme.target_locations.set([extra])
    rows = client.get("/en/mediators/coverage/").context["rows"]
    assert [row.location.slug for row in rows] == ["far-village"]


def test_coverage_targets_the_places_of_public_grants_only_and_follows_the_region(client, network, programme):
    draft, archived, public = (
        LocationFactory(slug=slug) for slug in ("draft-village", "archived-village", "new-village")
    )
    GrantFactory(program=programme, published=False).locations.set([draft])
    GrantFactory(program=programme, archived=True).locations.set([archived])
    GrantFactory(program=programme).locations.set([public])
    slugs = [row.location.slug for row in client.get("/en/mediators/coverage/").context["rows"]]
    assert "new-village" in slugs and "ak-jol" in slugs
    assert "draft-village" not in slugs and "archived-village" not in slugs
    # Sorted by region, then by name; each row knows its region (the whole country's table shows it).
    regions = [row.location.region for row in client.get("/en/mediators/coverage/").context["rows"]]
    assert [region.order for region in regions] == sorted(region.order for region in regions)
    north = client.get("/en/mediators/coverage/", {"region": "north"}).context["rows"]
    assert {row.location.slug for row in north} == {"ak-jol", "jany-jer"}


def test_region_page_shows_its_coverage_trainings_and_listed_mediators(client, network):
    html = client.get("/en/regions/north/").content.decode()
    assert "Coverage of the target locations" in html and "Mediation in Ak-Jol" in html
    assert "Aigul Mentor" in html and "Hidden Person" not in html


def test_about_page_counts_trainings_and_the_network(client, network):
    TrainingFactory(kind="working_group")
    html = client.get("/en/about/").content.decode()
    assert "Progress so far: 1 of 3" in html  # one trained location: Ak-Jol
    assert "So far: 3" in html  # the three listed mediators of the network (the fourth did not agree to be shown)


def test_registry_export_with_private_fields_is_for_staff_only(client, admin_client, network, django_user_model):
    network["hidden"].phone = "+996 700 000 001"
    network["hidden"].save()
    response = admin_client.get("/en/mediators/registry.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Slug", "Location"]
    # The phone starts with "+": written so that a spreadsheet shows it as text, not as a formula.
    assert any(row[0] == "Hidden Person" and "'+996 700 000 001" in row for row in rows)
    assert admin_client.get("/en/mediators/registry.xlsx").status_code == 200
    donor = django_user_model.objects.create_user("donor", password="a-long-test-password-42")
    donor.groups.add(Group.objects.get(name="Donors"))
    client.force_login(donor)
    for path in ("/en/mediators/registry.csv", "/en/mediators/registry.xlsx"):
        assert client.get(path).status_code == 302  # sent to the admin's sign-in
