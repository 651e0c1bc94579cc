"""generate_demo_data: synthetic data on top of the newsletter, marked as such, removable without touching the rest."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from grants.models import Grant, GrantUpdate, Organization, Program, ProgramComponent, Theme
from grants.search import grant_search_text, search
from intymak.demo import PROGRAM_SLUG, generate_demo_data
from locations.models import Location, Region
from mediators.models import Language, Mediator, Specialisation, Training

pytestmark = pytest.mark.django_db

NEWSLETTER_MODELS = (Region, Location, Organization, Theme, Program, ProgramComponent, Grant, GrantUpdate)
SYNTHETIC_MODELS = (Location, Organization, Grant, Mediator, Training)


def _newsletter_snapshot():
    """Every row that is not synthetic, as it is stored."""
    snapshot = {}
    for model in NEWSLETTER_MODELS:
        rows = model.objects.all()
        if any(field.name == "synthetic" for field in model._meta.fields):
            rows = rows.filter(synthetic=False)
        if model is Program:
            rows = rows.exclude(slug=PROGRAM_SLUG)
        if model is GrantUpdate:
            rows = rows.filter(grant__synthetic=False)
        snapshot[model._meta.label] = sorted(tuple(str(value) for value in row) for row in rows.values_list())
    return snapshot


@pytest.fixture
def before(newsletter):
    # The real data, not factories: the demo data goes into the newsletter's regions (the command asks for
    # load_newsletter first), and the point of these tests is that the real records stay as they were.
    return _newsletter_snapshot()


@pytest.fixture
def demo(before):
    return generate_demo_data(200, seed=7)


def test_makes_the_asked_number_of_grants_and_the_world_around_them(demo):
    synthetic = Grant.objects.filter(synthetic=True)
    assert synthetic.filter(published=True).count() == 200
    assert synthetic.filter(published=False).count() == 10
    # 50 recipients and the synthetic programme's funder, which 360Giving files name for each of its grants.
    assert Organization.objects.filter(synthetic=True).count() == 50 + 1
    assert Program.objects.get(slug="synthetic-demo-programme").funder.synthetic
    assert Mediator.objects.filter(synthetic=True).count() == 10
    assert 27 <= Location.objects.filter(synthetic=True).count() <= 100
    assert {training.kind for training in Training.objects.filter(synthetic=True)} == set(Training.Kind)
    assert Training.participants.through.objects.filter(training__synthetic=True).exists()
    assert GrantUpdate.objects.filter(grant__synthetic=True).exists()
    assert set(Language.objects.values_list("code", flat=True)) >= {"ky", "ru", "uz", "tg"}
    assert Specialisation.objects.count() == 5
    assert demo.created["grants (published)"] == 200
    assert demo.created["organisations"] == 50 + 1


def test_grants_spread_over_the_regions_with_a_mix_of_kinds_statuses_and_amounts(demo):
    grants = list(Grant.objects.filter(synthetic=True))
    assert len({grant.region_id for grant in grants}) == Region.objects.count()
    assert {grant.kind for grant in grants} == set(Grant.Kind)
    assert len({grant.status for grant in grants}) >= 4
    with_amount = [grant for grant in grants if grant.amount is not None]
    assert 0.55 < len(with_amount) / len(grants) < 0.85
    assert {grant.currency for grant in with_amount} == {"KGS", "USD", "EUR"}
    assert all(grant.award_date for grant in with_amount)
    assert all(grant.currency == "" and grant.award_date is None for grant in grants if grant.amount is None)
    assert all(grant.end_date >= grant.start_date for grant in grants if grant.start_date)
    for grant in grants:
        assert grant.locations.exists()
        assert all(location.region_id == grant.region_id for location in grant.locations.all())


def test_every_generated_record_is_marked_synthetic(demo):
    programme = Program.objects.get(slug=PROGRAM_SLUG)
    assert programme.name_en == "Synthetic demo programme"
    assert "Синтет" in programme.name_ky and "Синтет" in programme.name_ru
    for grant in Grant.objects.filter(program=programme):
        assert grant.synthetic
        assert re.fullmatch(r"DEMO-\d{6}", grant.reference) and grant.slug == grant.reference.lower()
        assert grant.title_ky.startswith("[Демо] ") and grant.title_ru.startswith("[Демо] ")
        assert grant.title_en.startswith("[Demo] ")
    for model in SYNTHETIC_MODELS:
        for obj in model.objects.filter(synthetic=True):
            text = obj.name_en if hasattr(obj, "name_en") else obj.title_en
            assert text.startswith("[Demo] "), obj
    # Kyrgyz text uses Kyrgyz letters.
    kyrgyz = " ".join(Grant.objects.filter(synthetic=True).values_list("title_ky", flat=True))
    assert {"ң", "ө", "ү"} <= set(kyrgyz)


def test_every_text_is_filled_in_all_three_languages(demo):
    fields = {Location: "name", Organization: "name", Grant: "title", Mediator: "name", Training: "title"}
    for model, name in fields.items():
        for texts in model.objects.filter(synthetic=True).values_list(f"{name}_ky", f"{name}_ru", f"{name}_en"):
            assert all(texts) and not any("{" in text or "}" in text for text in texts), (model, texts)
    grant = Grant.objects.filter(synthetic=True).first()
    for field in ("summary", "targets", "description"):
        assert all(getattr(grant, f"{field}_{code}") for code in ("ky", "ru", "en")), field
    assert "{" not in grant.summary_en + grant.targets_ky + grant.description_ru


def test_private_contact_details_are_obviously_fake(demo):
    mediators = list(Mediator.objects.filter(synthetic=True))
    assert all(m.phone.startswith("+996 000 ") and m.email.endswith("@example.invalid") for m in mediators)
    assert any(m.public_consent for m in mediators) and not all(m.public_consent for m in mediators)
    assert all(m.languages.exists() and m.specialisations.exists() for m in mediators)


def test_mentors_form_trees(demo):
    mediators = {m.pk: m for m in Mediator.objects.all()}
    assert any(m.mentor_id for m in mediators.values())
    for mediator in mediators.values():
        seen = {mediator.pk}
        mentor_id = mediator.mentor_id
        while mentor_id is not None:
            assert mentor_id not in seen, f"cycle through {mediator}"
            seen.add(mentor_id)
            mentor_id = mediators[mentor_id].mentor_id


def test_newsletter_data_is_untouched(before, demo):
    assert _newsletter_snapshot() == before
    assert Grant.objects.filter(synthetic=False).count() == 25
    assert not Grant.objects.filter(synthetic=False, program__slug=PROGRAM_SLUG).exists()


def test_a_second_run_adds_more_with_fresh_references(demo):
    generate_demo_data(20, seed=8)
    references = sorted(Grant.objects.filter(synthetic=True).values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 210 + 21
    assert references[0] == "DEMO-000001" and references[-1] == "DEMO-000231"


def test_clear_removes_only_the_synthetic_records(before, demo):
    report = generate_demo_data(0, clear=True)
    assert report.deleted["grant"] == 210
    for model in SYNTHETIC_MODELS:
        assert not model.objects.filter(synthetic=True).exists(), model
    assert not Program.objects.filter(slug=PROGRAM_SLUG).exists()
    assert _newsletter_snapshot() == before
    # Languages and specialisations are reference data, not demo data: they stay.
    assert Specialisation.objects.count() == 5


def test_the_same_seed_makes_the_same_data(demo):
    titles = list(Grant.objects.filter(synthetic=True).order_by("reference").values_list("title_en", "amount"))
    generate_demo_data(200, seed=7, clear=True)
    assert list(Grant.objects.filter(synthetic=True).order_by("reference").values_list("title_en", "amount")) == titles


def test_search_finds_a_generated_grant_by_a_word_of_its_kyrgyz_title(demo):
    grant = next(g for g in Grant.objects.filter(synthetic=True, published=True) if re.search("[ңөү]", g.title_ky))
    word = next(w for w in re.findall(r"\w+", grant.title_ky) if re.search("[ңөү]", w))
    assert grant in search(Grant.objects.all(), word)


def test_search_text_is_what_the_search_module_makes_of_the_grant(demo):
    # The same words; the order of the places and themes may differ, which no search depends on.
    for grant in Grant.objects.filter(synthetic=True).with_public_related()[:30]:
        assert sorted(grant.search_text.split()) == sorted(grant_search_text(grant).split())
    if connection.vendor == "postgresql":
        assert not Grant.objects.filter(search_vector__isnull=True).exists()


def test_initiative_page_says_it_is_synthetic(client, demo):
    grant = Grant.objects.filter(synthetic=True, published=True).first()
    html = client.get(f"/en/initiatives/{grant.slug}/").content.decode()
    assert "Synthetic demo data" in html
    assert "[Demo]" in html


def test_command_prints_what_it_made(newsletter):
    out = StringIO()
    call_command("generate_demo_data", "--grants", "20", stdout=out)
    output = out.getvalue()
    assert "grants (published) 20" in output
    assert "mediators 5" in output
    assert Grant.objects.filter(synthetic=True, published=True).count() == 20


def test_command_refuses_without_regions():
    with pytest.raises(CommandError, match="load_newsletter"):
        call_command("generate_demo_data", "--grants", "20")
    assert not Grant.objects.exists()
