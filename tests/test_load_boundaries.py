"""load_boundaries stores official region boundaries and their outlines for the home map; bad files change nothing."""

import importlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models.signals import post_save
from shapely import Point, Polygon, affinity

from core.signals import data_changed
from locations.boundaries import (
    LABEL_STRETCH,
    VIEWBOX_HEIGHT,
    VIEWBOX_WIDTH,
    BoundaryError,
    load_boundaries,
    path_data,
)
from locations.models import Region

from .factories import RegionFactory
from .svg_paths import points, rings, shape

pytestmark = pytest.mark.django_db

DATA_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "kg-adm1-regions.geojson"
COATE = {
    "chui": "41708000000000",
    "issyk-kul": "41702000000000",
    "osh": "41706000000000",
    "naryn": "41704000000000",
    "jalal-abad": "41703000000000",
    "batken": "41705000000000",
    "talas": "41707000000000",
    "bishkek": "41711000000000",
    "osh-city": "41721000000000",
}
SLUGS = set(COATE)


@pytest.fixture
def regions(db):
    """The nine regions with their real codes, as load_newsletter makes them (without the grants, not needed here)."""
    return [RegionFactory(slug=slug, coate=coate, order=order) for order, (slug, coate) in enumerate(COATE.items())]


@pytest.fixture
def geojson():
    if not DATA_FILE.exists():
        pytest.skip(f"{DATA_FILE} is not here: the shared test data sits beside the project, not in it")
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def write(tmp_path, data, name="regions.geojson"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def square(lon, lat, size=0.5):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def stored():
    return {
        r.slug: (r.boundary, r.map_path, r.map_label_x, r.map_label_y, r.map_label_room) for r in Region.objects.all()
    }


def run(path, *options):
    out = StringIO()
    call_command("load_boundaries", str(path), *options, stdout=out)
    return out.getvalue()


def test_loads_all_nine_regions_of_the_shared_file_into_the_newsletters(newsletter, geojson):
    output = run(DATA_FILE)

    assert "Matched 9 regions" in output
    regions = Region.objects.all()
    assert {r.slug for r in regions} == SLUGS
    by_pcode = {f["properties"]["pcode"]: f["geometry"] for f in geojson["features"]}
    total = 0
    for region in regions:
        assert region.boundary == by_pcode[region.pcode], region.slug  # the original geometry, as it came
        assert region.map_path.startswith("M"), region.slug
        outline = points(region.map_path)
        assert len(outline) >= 3
        assert all(0 <= x <= VIEWBOX_WIDTH and 0 <= y <= VIEWBOX_HEIGHT for x, y in outline), region.slug
        # The label's point is inside the outline, as far from its border as the stored room says.
        drawn = shape(region.map_path)
        label = Point(region.map_label_x, region.map_label_y)
        assert drawn.contains(label), region.slug
        squeezed = affinity.scale(drawn, 1 / LABEL_STRETCH, 1, origin=(0, 0))
        room = squeezed.boundary.distance(Point(region.map_label_x / LABEL_STRETCH, region.map_label_y))
        assert room == pytest.approx(region.map_label_room, abs=0.2), region.slug
        total += len(region.map_path)
    # The outlines go into the home page as they are: small enough for a page under 250 KB.
    assert total < 25_000, f"{total} bytes of path data"
    assert f"{total} bytes" in output


def test_regions_are_projected_together_in_their_geographic_places(regions, geojson):
    load_boundaries(DATA_FILE)

    def centre(slug):
        outline = points(Region.objects.get(slug=slug).map_path)
        return sum(x for x, _ in outline) / len(outline), sum(y for _, y in outline) / len(outline)

    # North is up, west is left.
    assert centre("talas")[0] < centre("chui")[0] < centre("issyk-kul")[0]
    assert centre("chui")[1] < centre("naryn")[1] and centre("jalal-abad")[1] < centre("osh")[1]
    assert centre("batken")[0] < centre("osh")[0]
    # Bishkek lies within Chüy oblast's outline's box.
    chui = points(Region.objects.get(slug="chui").map_path)
    x, y = centre("bishkek")
    assert min(p[0] for p in chui) < x < max(p[0] for p in chui) and min(p[1] for p in chui) < y < max(
        p[1] for p in chui
    )
    # The whole country fills the map's width.
    everything = [p for r in Region.objects.all() for p in points(r.map_path)]
    assert max(x for x, _ in everything) - min(x for x, _ in everything) > VIEWBOX_WIDTH * 0.9


@pytest.fixture
def announced():
    """The senders of data_changed, the signal that tells the page cache about bulk writes."""
    senders = []

    def receiver(sender, **kwargs):
        senders.append(sender)

    data_changed.connect(receiver)
    yield senders
    data_changed.disconnect(receiver)


def test_a_load_tells_the_page_cache_and_a_failed_one_does_not(
    regions, tmp_path, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        load_boundaries(write(tmp_path, collection(feature(square(71, 42), coate="41707"))))
    assert announced == [Region]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BoundaryError):
        load_boundaries(write(tmp_path, collection(feature(square(71, 42), coate="41799"))))
    assert announced == [Region]


def test_loading_twice_changes_nothing_and_saves_no_region(regions, geojson):
    load_boundaries(DATA_FILE)
    before = stored()
    saved = []

    def receiver(sender, instance, **kwargs):
        saved.append(instance)

    # Saving a region would re-index its grants for search: the loader updates rows instead.
    post_save.connect(receiver, sender=Region)
    try:
        report = load_boundaries(DATA_FILE)
    finally:
        post_save.disconnect(receiver, sender=Region)

    assert stored() == before
    assert saved == []
    assert set(report.matched) == SLUGS and report.unmatched == [] and report.without_boundary == []


def test_codes_match_in_any_form(regions, tmp_path):
    path = write(
        tmp_path,
        collection(
            feature(square(71, 42), coate="41707"),  # Talas, COATE prefix
            feature(square(74, 42), COATE="41708000000000"),  # Chüy, all 14 digits, upper-case key
            feature(square(76, 41), pcode="KG04000000000"),  # Naryn, P-code
            feature(square(78, 42), ADM1_PCODE="KG02"),  # Issyk-Kul, OCHA's column name, short P-code
        ),
    )

    report = load_boundaries(path)

    assert sorted(report.matched) == ["chui", "issyk-kul", "naryn", "talas"]
    assert sorted(report.without_boundary) == ["batken", "bishkek", "jalal-abad", "osh", "osh-city"]
    assert Region.objects.get(slug="talas").boundary == square(71, 42)
    assert Region.objects.get(slug="osh").map_path == ""


def test_a_region_left_out_keeps_its_boundary_in_the_same_projection(regions, tmp_path):
    load_boundaries(
        write(tmp_path, collection(feature(square(71, 42), coate="41707"), feature(square(78, 42), coate="41702")))
    )
    load_boundaries(write(tmp_path, collection(feature(square(74, 40), coate="41708")), "chui.geojson"))

    talas = Region.objects.get(slug="talas")
    assert talas.boundary == square(71, 42)
    # Re-projected with Chüy's new square: three squares now span the map, Talas on the left.
    xs = [x for x, _ in points(talas.map_path)]
    assert min(xs) < VIEWBOX_WIDTH / 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not a JSON file"),
        ("", "is not a JSON file"),
        (json.dumps([1, 2]), "is not a GeoJSON FeatureCollection"),
        (json.dumps({"type": "Feature", "geometry": square(74, 42), "properties": {}}), "its type is 'Feature'"),
        (json.dumps(collection()), "has no features"),
        (json.dumps(collection(feature({"type": "Point", "coordinates": [74.6, 42.9]}, coate="41711"))), "'Point'"),
        (json.dumps(collection(feature(None, coate="41711"))), "its geometry is None"),
        (json.dumps(collection(feature(square(74, 42), coate="41799", name_en="Atlantis"))), "Atlantis"),
        (
            json.dumps(collection(feature({"type": "Polygon", "coordinates": [[[74, 42], [75]]]}, coate="41711"))),
            "rings",
        ),
        (json.dumps(collection(feature(square(74, 95), coate="41711"))), "rings"),
        (
            json.dumps(collection(feature(square(74, 42), coate="41711"), feature(square(75, 42), pcode="KG11"))),
            "earlier",
        ),
        (json.dumps(collection(feature(square(74, 42), coate="41711", pcode="KG08"))), "different regions"),
        (
            json.dumps(
                collection(feature(square(71, 42), coate="41707"), feature(square(78, 42, 1e-5), coate="41702"))
            ),
            "too small",
        ),
    ],
)
def test_bad_input_gives_a_clear_error_and_stores_nothing(regions, tmp_path, content, message):
    load_boundaries(write(tmp_path, collection(feature(square(71, 42), coate="41707")), "good.geojson"))
    before = stored()

    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, content))

    assert stored() == before


def test_an_unreadable_file_gives_a_clear_error(regions, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.geojson"):
        run(tmp_path / "missing.geojson")


def test_an_unmatched_feature_is_named_and_stops_the_load(regions, geojson, tmp_path):
    geojson["features"].append(feature(square(70, 40), coate="41799", name_en="Nowhere"))
    path = write(tmp_path, geojson)

    with pytest.raises(CommandError) as error:
        run(path)

    assert "feature 10 (Nowhere; coate 41799)" in str(error.value)
    assert "--skip-unmatched" in str(error.value)
    assert all(not r.map_path and r.boundary is None for r in Region.objects.all())


def test_skip_unmatched_loads_the_others_and_reports_the_rest(regions, geojson, tmp_path):
    geojson["features"].append(feature(square(70, 40), coate="41799", name_en="Nowhere"))

    output = run(write(tmp_path, geojson), "--skip-unmatched")

    assert "Matched 9 regions" in output
    assert "Skipped feature 10 (Nowhere; coate 41799): it matches no region." in output
    assert all(r.map_path for r in Region.objects.all())


def test_path_data_is_compact_and_reads_back():
    outline = Polygon([(10, 10), (20, 10), (20, 20.5), (10, 20)], [[(12, 12), (14, 12), (13, 14)]])

    data = path_data(outline)

    assert data == "M10 10l10 0 0 10.5-10-.5zm2 2l2 0-1 2z"
    assert rings(data) == [[(10, 10), (20, 10), (20, 20.5), (10, 20)], [(12, 12), (14, 12), (13, 14)]]


def test_outlines_are_simplified_and_keep_their_holes(regions, tmp_path):
    """A square whose sides wobble by less than the map shows, with a square hole: four corners out, four in."""
    wobbly = [[70 + i / 100, 41 + (i % 2) * 1e-4] for i in range(101)] + [[71, 42], [70, 42], [70, 41]]
    hole = [[70.4, 41.4], [70.6, 41.4], [70.6, 41.6], [70.4, 41.6], [70.4, 41.4]]
    load_boundaries(
        write(tmp_path, collection(feature({"type": "Polygon", "coordinates": [wobbly, hole]}, coate="41707")))
    )

    outline = rings(Region.objects.get(slug="talas").map_path)
    assert [len(ring) for ring in outline] == [4, 4]


def test_a_label_goes_where_there_is_most_room(regions, tmp_path):
    """A wide block with a long thin arm: the name goes into the block, not onto the arm's middle."""
    block = [[70, 41], [75, 41], [75, 42], [70, 42]]
    arm = [[75, 41.45], [80, 41.45], [80, 41.55], [75, 41.55]]
    ring = [block[0], block[1], *arm, block[2], block[3], block[0]]
    load_boundaries(write(tmp_path, collection(feature({"type": "Polygon", "coordinates": [ring]}, coate="41707"))))

    talas = Region.objects.get(slug="talas")
    drawn = shape(talas.map_path)
    left, top, right, bottom = drawn.bounds
    # The block is the left half of the outline, wide enough for a label as high as it: the label is in its
    # middle, with half its height as room.
    assert left < talas.map_label_x < left + (right - left) / 2
    assert talas.map_label_y == pytest.approx((top + bottom) / 2, abs=2)
    assert talas.map_label_room == pytest.approx((bottom - top) / 2, abs=2)


def test_a_self_intersecting_outline_is_drawn_repaired_and_stored_as_it_came(regions, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[70, 41], [72, 42], [72, 41], [70, 42], [70, 41]]]}

    load_boundaries(write(tmp_path, collection(feature(bowtie, coate="41707"))))

    talas = Region.objects.get(slug="talas")
    assert talas.boundary == bowtie
    assert len(rings(talas.map_path)) == 2  # its two triangles
    assert shape(talas.map_path).contains(Point(talas.map_label_x, talas.map_label_y))


def test_the_migration_adds_label_points_to_outlines_loaded_before(regions, geojson):
    load_boundaries(DATA_FILE)
    before = stored()
    Region.objects.update(map_label_x=None, map_label_y=None, map_label_room=None)
    migration = importlib.import_module("locations.migrations.0005_region_map_label_point")

    migration.outlines_with_label_points(apps, None)

    assert stored() == before
