"""Search across the three languages at once, whatever the script: "Nookat" finds "Ноокат"."""

import pytest
from django.db import connection

from grants.models import Grant
from grants.search import fold, query_terms, reindex_once, search
from tests.factories import GrantFactory, LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ноокат", "nookat"),
        ("Nookat", "nookat"),
        ("Баткен облусу", "batken oblusu"),
        ("Жалал-Абад", "jalal abad"),
        ("Джалал-Абад", "jalal abad"),
        ("Dzhalal-Abad", "jalal abad"),
        ("деңиз", "deniz"),
        ("дениз", "deniz"),
        ("Өзгөн", "ozgon"),
        ("Özgön", "ozgon"),
        ("Түп", "tup"),
        ("Chui", "chui"),
        ("Чүй", "chuy"),
        ("<script>alert(1)</script> ' OR 1=1 --", "script alert 1 script or 1 1"),
    ],
)
def test_fold_makes_every_script_and_spelling_alike(text, folded):
    assert fold(text) == folded


def test_query_terms_are_bounded():
    assert len(query_terms("word " * 2000)) == 8
    assert query_terms("\x00") == []


def _titles(query):
    return set(search(Grant.objects.published(), query).values_list("title_en", flat=True))


@pytest.mark.parametrize(
    "query",
    ["Nookat", "ноокат", "НООКАТ", "Ноокат", "nook"],
)
def test_latin_or_cyrillic_finds_the_nookat_initiative(newsletter, query):
    titles = _titles(query)
    assert "Increasing the level of public confidence in LG bodies in Nookat" in titles
    # The Nookat Irrigator's initiative is found too (its organisation's name); nothing from elsewhere.
    assert all(Grant.objects.get(title_en=title).region.slug == "osh" for title in titles), titles


def test_batken_in_latin_finds_the_initiatives_of_batken_region(newsletter):
    assert {g.region.slug for g in search(Grant.objects.all(), "Batken")} == {"batken"}
    assert search(Grant.objects.all(), "Batken").count() == 3
    assert search(Grant.objects.all(), "Баткен").count() == 3


@pytest.mark.parametrize("query", ["деңиз", "дениз", "deniz"])
def test_kyrgyz_letters_match_typed_with_or_without_their_marks(newsletter, query):
    assert Grant.objects.get(reference="LIP-CSO-21") in search(Grant.objects.all(), query)


def test_search_reaches_russian_and_english_titles(newsletter):
    assert "LIP-CSO-01" in search(Grant.objects.all(), "единства").values_list("reference", flat=True)
    assert "LIP-CSO-01" in search(Grant.objects.all(), "unity").values_list("reference", flat=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL full-text search")
def test_postgresql_stems_russian_and_english(newsletter):
    # "конфликтам" and "prevented" are not in any text; their stems are.
    assert search(Grant.objects.all(), "конфликтам").exists()
    assert search(Grant.objects.all(), "prevented").exists()


def test_search_index_follows_renamed_places_and_organisations(db):
    location = LocationFactory(name_ky="Эски ат", name_ru="Старое", name_en="Old name")
    grant = GrantFactory(locations=[location])
    assert not search(Grant.objects.all(), "Kochkor").exists()
    location.name_ky = "Кочкор"
    location.save()
    assert list(search(Grant.objects.all(), "Kochkor")) == [grant]
    grant.recipient.name_ru = "Тилектеш Эл"
    grant.recipient.save()
    assert list(search(Grant.objects.all(), "tilektesh")) == [grant]


def test_a_grant_saved_through_its_links_is_found(db):
    grant = GrantFactory()
    other = OrganizationFactory(name_en="Aikan")
    grant.recipient = other
    grant.save()
    assert list(search(Grant.objects.all(), "aikan")) == [grant]


def test_changes_inside_reindex_once_are_indexed_once_at_its_end(db):
    location = LocationFactory(name_ky="Эски ат", name_ru="Старое", name_en="Old name")
    grant = GrantFactory(locations=[location])
    with reindex_once():
        location.name_ky = "Кочкор"
        location.save()
        grant.recipient.name_en = "Aikan"
        grant.recipient.save()
        # Not yet: the grants touched are noted, not reindexed.
        assert not search(Grant.objects.all(), "Kochkor").exists()
    assert list(search(Grant.objects.all(), "Kochkor aikan")) == [grant]


def test_an_error_inside_reindex_once_reindexes_nothing_and_ends_the_deferral(db):
    location = LocationFactory(name_ky="Эски ат", name_ru="Старое", name_en="Old name")
    grant = GrantFactory(locations=[location])
    with pytest.raises(RuntimeError), reindex_once():
        location.name_ky = "Кочкор"
        location.save()
        raise RuntimeError("the loader failed")
    assert not search(Grant.objects.all(), "Kochkor").exists()
    location.save()  # outside the block: indexed at once again
    assert list(search(Grant.objects.all(), "Kochkor")) == [grant]
