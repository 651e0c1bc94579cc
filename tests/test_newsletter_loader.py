"""load_newsletter: the newsletter's 25 grants, in the right regions, in three languages, idempotent."""

import pytest
from django.core.management import CommandError, call_command

from grants.models import Grant, GrantUpdate, Organization, Program, ProgramComponent, Theme
from grants.newsletter import load_newsletter
from locations.models import Location, Region

pytestmark = pytest.mark.django_db

GRANTS_PER_REGION = {
    "chui": 4,
    "issyk-kul": 2,
    "osh": 5,
    "naryn": 2,
    "jalal-abad": 7,
    "batken": 3,
    "talas": 2,
    "bishkek": 0,
    "osh-city": 0,
}
MODELS = (Region, Location, Organization, Theme, Program, ProgramComponent, Grant, GrantUpdate)


def _snapshot():
    return {
        model._meta.label: sorted(tuple(str(value) for value in row) for row in model.objects.values_list())
        for model in MODELS
    }


def test_loads_25_grants_in_the_regions_the_newsletter_lists_them(newsletter):
    assert Grant.objects.count() == 25
    assert Grant.objects.filter(published=True, kind="cso").count() == 25
    for slug, count in GRANTS_PER_REGION.items():
        assert Grant.objects.filter(region__slug=slug).count() == count, slug


def test_nine_regions_with_coate_and_iso_codes(newsletter):
    regions = {region.slug: region for region in Region.objects.all()}
    assert set(regions) == set(GRANTS_PER_REGION)
    assert regions["issyk-kul"].coate == "41702000000000" and regions["issyk-kul"].iso_code == "KG-Y"
    assert regions["bishkek"].iso_code == "KG-GB" and regions["osh-city"].iso_code == "KG-GO"
    assert regions["chui"].name_ky == "Чүй облусу"
    assert regions["chui"].name_ru == "Чуйская область"
    assert regions["chui"].name_en == "Chui region"


def test_every_grant_has_its_organisation_and_title_in_three_languages(newsletter):
    for grant in Grant.objects.select_related("recipient"):
        for code in ("ky", "ru", "en"):
            assert getattr(grant, f"title_{code}"), (grant.reference, code)
            assert getattr(grant.recipient, f"name_{code}"), (grant.recipient.slug, code)
            assert getattr(grant, f"description_{code}"), (grant.reference, code)


def test_grants_are_where_and_what_the_newsletter_says(newsletter):
    unity = Grant.objects.get(title_en="In the name of unity")
    assert unity.region.slug == "chui"
    assert unity.recipient.name_ru == "Общество Корнелиуса"
    assert unity.recipient.legal_form == Organization.LegalForm.PUBLIC_FOUNDATION
    assert [loc.name_en for loc in unity.locations.all()] == ["Tokmok"]
    tyup = Grant.objects.get(targets_en__contains="150 activists")
    assert tyup.region.slug == "issyk-kul"
    assert "150 активист" in tyup.targets_ru


def test_amounts_and_dates_the_newsletter_does_not_give_stay_empty(newsletter):
    assert not Grant.objects.filter(amount__isnull=False).exists()
    assert not Grant.objects.exclude(currency="").exists()
    assert not Grant.objects.filter(award_date__isnull=False).exists()
    assert not Grant.objects.filter(start_date__isnull=False).exists()
    assert not Organization.objects.exclude(inn="").exists()


def test_programme_with_funder_implementer_partners_and_seven_components(newsletter):
    programme = Program.objects.get()
    assert programme.name_en == "Living in Peace"
    assert str(programme.start_date) == "2021-04-01" and str(programme.end_date) == "2022-09-30"
    assert programme.funder.name_en == "European Union"
    assert programme.implementer.name_en == "International Alert"
    assert {p.slug for p in programme.partners.all()} == {"development-policy-institute", "national-mediation-center"}
    components = list(programme.components.all())
    assert len(components) == 7
    assert [c.target for c in components if c.measure in ("cso_grants", "lsg_grants", "trained_locations")] == [
        25,
        25,
        25,
    ]
    assert all(c.title_ky and c.title_ru and c.title_en for c in components)


def test_kyrgyz_letters_are_kept(newsletter):
    titles = " ".join(Grant.objects.values_list("title_ky", flat=True))
    assert "ү" in titles and "ө" in titles and "ң" in titles


def test_second_run_changes_nothing(newsletter):
    before = _snapshot()
    report = load_newsletter()
    assert not report.changed
    assert _snapshot() == before


def test_second_run_keeps_what_staff_edited_unless_asked_to_update(newsletter):
    grant = Grant.objects.get(reference="LIP-CSO-01")
    grant.title_en = "Edited by staff"
    grant.save()
    report = load_newsletter()
    assert report.kept == {"grant": 1}
    grant.refresh_from_db()
    assert grant.title_en == "Edited by staff"
    load_newsletter(update=True)
    grant.refresh_from_db()
    assert grant.title_en == "In the name of unity"


def test_command_reports_and_a_broken_file_loads_nothing(db, tmp_path, capsys):
    call_command("load_newsletter")
    assert "created:" in capsys.readouterr().out
    broken = tmp_path / "broken.toml"
    broken.write_text('[programme]\nslug = "x"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_newsletter", file=broken)
    assert Grant.objects.count() == 25


def test_a_file_that_breaks_a_rule_halfway_leaves_the_database_as_it_was(db, tmp_path):
    from grants.newsletter import DATA_FILE, NewsletterError

    text = DATA_FILE.read_text(encoding="utf-8")
    # The last grant points to an organisation that does not exist: everything before it is rolled back.
    broken = (
        text[: text.rindex('recipient = "')]
        + 'recipient = "nobody-at-all"\n'
        + text[text.rindex('recipient = "') :].split("\n", 1)[1]
    )
    path = tmp_path / "halfway.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(NewsletterError, match="nobody-at-all"):
        load_newsletter(path)
    assert Grant.objects.count() == 0 and Region.objects.count() == 0
