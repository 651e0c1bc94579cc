"""The home page's map of regions: a link per region with its name and count, coloured by count, readable."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import translation

from intymak.region_map import FILLS, TILE_FONT, Area, _scale, contrast_ratio, reading_order, region_map
from locations.boundaries import load_boundaries
from locations.models import Region

from .factories import GrantFactory, LocationFactory, OrganizationFactory, RegionFactory
from .svg_paths import points

pytestmark = pytest.mark.django_db

DATA_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "kg-adm1-regions.geojson"
COUNTS = {"chui": 4, "issyk-kul": 2, "osh": 5, "naryn": 2, "jalal-abad": 7, "batken": 3, "talas": 2}
COUNTS.update({"bishkek": 0, "osh-city": 0})


def regions_with_counts():
    return list(Region.objects.annotate(initiative_count=Count("grants", filter=Q(grants__published=True))))


class Links(HTMLParser):
    """The map's links: their attributes and the text inside them, and the text of the label layer."""

    def __init__(self):
        super().__init__()
        self.links, self.labels, self.shapes = [], [], []
        self._link = self._label = None
        self._in_labels = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._link = {**attrs, "names": [], "counts": [], "parts": []}
            self.links.append(self._link)
        elif tag == "g" and "region-map-labels" in attrs.get("class", ""):
            self._in_labels = True
        elif tag == "text" and self._in_labels:
            self._label = {"fill": attrs.get("fill"), "names": [], "counts": []}
            self.labels.append(self._label)
        elif tag == "text":
            self._label = self._link
            self._link["text_fill"] = attrs.get("fill")
        elif tag == "tspan":
            self._kind = attrs["class"].removeprefix("region-map-") + "s"
        elif tag in ("rect", "path") and "region-map-shape" in attrs.get("class", ""):
            self.shapes.append((tag, attrs))
            self._link["fill"] = attrs["fill"]
        if self._link is not None and tag in ("rect", "path", "circle", "line"):
            self._link["parts"].append(attrs.get("class"))

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        elif tag == "g":
            self._in_labels = False
        elif tag == "text":
            self._label = None

    def handle_data(self, data):
        if self._label is not None and data.strip():
            self._label[self._kind].append(data)


def render(regions, language):
    with translation.override(language):
        context = region_map(regions)
        html = render_to_string("intymak/_region_map.html", {"map": context})
    parser = Links()
    parser.feed(html)
    return context, html, parser


def expected_name(region, count, language):
    with translation.override(language):
        return translation.ngettext(
            "%(region)s: %(counter)s initiative", "%(region)s: %(counter)s initiatives", count
        ) % {"region": region.name, "counter": count}


def joined(lines):
    """Name lines as one name again: "Иссык-" + "Кульская" + "область" -> "Иссык-Кульская область"."""
    return " ".join(lines).replace("- ", "-")


@pytest.fixture
def with_outlines(newsletter):
    """All nine regions with outlines: the shared official file when it is here, squares otherwise."""
    if DATA_FILE.exists():
        load_boundaries(DATA_FILE)
    else:
        for index, region in enumerate(Region.objects.all()):
            x, y = 20 + 85 * index, 150 + 20 * (index % 3)
            Region.objects.filter(pk=region.pk).update(
                map_path=f"M{x} {y}l80 0 0 80-80 0z", map_label_x=x + 40, map_label_y=y + 40, map_label_room=18
            )
    return newsletter


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_schematic_map_has_a_link_per_region_with_name_and_count(newsletter, language):
    regions = {region.slug: region for region in regions_with_counts()}

    context, html, page = render(regions.values(), language)

    assert not context.boundaries
    assert len(page.links) == 9
    for link in page.links:
        region = regions[link["href"].split("/")[3]]
        with translation.override(language):
            assert link["href"] == f"/{language}/regions/{region.slug}/"
            name = str(region.name)
        assert joined(link["names"]) == name
        assert link["counts"] == [str(COUNTS[region.slug])]
        assert link["aria-label"] == expected_name(region, COUNTS[region.slug], language)
    assert [tag for tag, _ in page.shapes] == ["rect"] * 9
    assert "<path" not in html and "CC BY-IGO" not in html


def test_names_are_in_each_language(newsletter):
    for language, chui in (("ky", "Чүй облусу"), ("ru", "Чуйская область"), ("en", "Chui region")):
        _, _, page = render(regions_with_counts(), language)
        assert chui in [joined(link["names"]) for link in page.links]


def test_tiles_sit_in_rough_geographic_places_within_the_map(newsletter):
    context, _, _ = render(regions_with_counts(), "en")

    tiles = {area.region.slug: area.tile for area in context.areas}
    _, _, width, height = map(float, context.viewbox.split())
    for x, y, w, h in tiles.values():
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
    assert tiles["talas"][0] < tiles["chui"][0] < tiles["issyk-kul"][0]
    assert tiles["chui"][1] < tiles["naryn"][1] < tiles["osh"][1]
    assert tiles["batken"][0] < tiles["osh"][0]
    # No two tiles overlap.
    boxes = list(tiles.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


def test_tile_text_is_readable_on_a_360_px_phone(newsletter):
    context, _, _ = render(regions_with_counts(), "ru")

    # The map fills a 360 px screen less the container's padding; names must not shrink below 12 px.
    width = float(context.viewbox.split()[2])
    assert TILE_FONT[0] * (360 - 24) / width >= 12
    for area in context.areas:
        x, y, w, h = area.tile
        assert all(y < line.y < y + h for line in area.lines), area.region.slug
        assert len(area.lines) <= 4


def test_fills_follow_counts_and_every_text_reaches_aa_contrast(newsletter):
    context, _, page = render(regions_with_counts(), "en")

    by_count = sorted(context.areas, key=lambda area: area.count)
    assert by_count[0].fill == FILLS[0]  # no initiatives: the light neutral
    assert by_count[-1].fill == FILLS[-1]  # the most: the darkest
    # More initiatives never get a lighter colour.
    order = [FILLS.index(area.fill) for area in by_count]
    assert order == sorted(order)
    for link in page.links:
        assert contrast_ratio(link["text_fill"], link["fill"]) >= 4.5, link["aria-label"]
    for step in context.legend:
        assert contrast_ratio(step.text_colour, step.fill) >= 4.5
    assert [step.label for step in context.legend] == ["0", "1–2", "3–4", "5–6", "7"]


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("most", "labels"),
    [
        (0, ["0"]),
        (1, ["0", "1"]),
        (2, ["0", "1", "2"]),
        (4, ["0", "1", "2", "3", "4"]),
        (100, ["0", "1–25", "26–50", "51–75", "76–100"]),
    ],
)
def test_legend_steps_cover_all_counts(most, labels):
    steps = _scale(most)
    assert [label for _, _, label in steps] == labels
    assert steps[-1][1] == (FILLS[-1] if most else FILLS[0])


def test_boundary_map_draws_the_shapes_with_attribution(with_outlines):
    regions = regions_with_counts()

    context, html, page = render(regions, "ru")

    assert context.boundaries
    assert [tag for tag, _ in page.shapes] == ["path"] * 9
    assert {attrs["d"] for _, attrs in page.shapes} == {r.map_path for r in regions}
    assert "COD-AB" in html and "CC BY-IGO 3.0" in html  # the attribution, in the page's language
    # Still one link per region, each with its count's name; every label is on the map.
    assert sorted(link["href"] for link in page.links) == sorted(f"/ru/regions/{slug}/" for slug in COUNTS)
    by_href = {link["href"]: link for link in page.links}
    for region in regions:
        assert by_href[f"/ru/regions/{region.slug}/"]["aria-label"] == expected_name(region, COUNTS[region.slug], "ru")
    with translation.override("ru"):
        names = {str(region.name) for region in regions}
    assert {joined(label["names"]) for label in page.labels} == names
    assert sorted(int(label["counts"][0]) for label in page.labels) == sorted(COUNTS.values())
    for area in context.areas:
        assert all(0 < line.y < 400 for line in area.lines) and 0 < area.label_x < 800
        assert contrast_ratio(area.text_colour, area.fill) >= 4.5


def test_boundary_map_marks_the_small_cities_beside_them(with_outlines):
    if not DATA_FILE.exists():
        pytest.skip(f"{DATA_FILE} is not here")

    context, _, _ = render(regions_with_counts(), "en")

    small = {area.region.slug: area for area in context.areas if area.badge}
    assert set(small) == {"bishkek", "osh-city"}
    for area in small.values():
        x, y, _ = area.marker
        # The marker is inside the city's outline's box; the label is on its badge, off the city.
        outline = points(area.path)
        assert min(p[0] for p in outline) <= x <= max(p[0] for p in outline)
        assert min(p[1] for p in outline) <= y <= max(p[1] for p in outline)
        bx, by, bw, bh = area.badge
        assert bx <= area.label_x <= bx + bw and all(by < line.y < by + bh for line in area.lines)
        assert 0 <= bx and bx + bw <= 800 and 0 <= by and by + bh <= 400


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_schematic_maps_links_come_row_by_row(newsletter, language):
    """The keyboard takes the tiles as the eye reads them: the top row left to right, then the next."""
    context, _, page = render(regions_with_counts(), language)

    slugs = [link["href"].split("/")[3] for link in page.links]
    assert slugs == ["talas", "chui", "bishkek", "issyk-kul", "jalal-abad", "naryn", "batken", "osh-city", "osh"]
    tops = [area.tile[1] for area in context.areas]
    assert tops == sorted(tops)


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_boundary_maps_links_come_row_by_row(with_outlines, language):
    if not DATA_FILE.exists():
        pytest.skip(f"{DATA_FILE} is not here")

    _, _, page = render(regions_with_counts(), language)

    slugs = [link["href"].split("/")[3] for link in page.links]
    # North to south: Talas, Chüy with Bishkek, Issyk-Kul; Jalal-Abad and Naryn; Osh; Batken and Osh city (their
    # labels lie lower than Osh's).
    assert slugs == ["talas", "chui", "bishkek", "issyk-kul", "jalal-abad", "naryn", "osh", "batken", "osh-city"]


def test_reading_order_is_row_by_row_whatever_the_order_given():
    """Labels of a 3 × 3 grid, their heights and places a little uneven, given in a shuffled order."""
    boxes = {
        "a": (0, 0, 90, 60), "b": (110, 20, 200, 70), "c": (220, 5, 300, 80),
        "d": (10, 100, 80, 170), "e": (100, 130, 190, 180), "f": (230, 95, 290, 150),
        "g": (0, 210, 80, 260), "h": (120, 190, 180, 270), "i": (210, 230, 300, 280),
    }  # fmt: skip
    areas = []
    for name in "iecagbhdf":
        areas.append(Area(None, name, 0, FILLS[0], "#000000", box=boxes[name]))

    assert "".join(area.name for area in reading_order(areas)) == "abcdefghi"


def test_small_regions_stay_in_sight_whatever_follows_them(with_outlines):
    """Links come in reading order, so a larger region may be painted after a city's marker and badge: every larger
    region is clipped around them, and the cities' links hold their markers and badges."""
    if not DATA_FILE.exists():
        pytest.skip(f"{DATA_FILE} is not here")

    context, html, page = render(regions_with_counts(), "en")

    assert '<clipPath id="region-map-cut">' in html and context.cut.count("z") == 1 + 2 * 2  # the map, 2 × 2 holes
    for link in page.links:
        city = link["href"] in ("/en/regions/bishkek/", "/en/regions/osh-city/")
        assert link.get("clip-path") == (None if city else "url(#region-map-cut)"), link["href"]
        assert link["parts"] == (
            ["region-map-shape", "region-map-marker", "region-map-badge"] if city else ["region-map-shape"]
        )


@pytest.mark.parametrize("missing", [{"map_path": ""}, {"map_label_room": None}])
def test_one_region_without_an_outline_keeps_the_schematic_map(with_outlines, missing):
    Region.objects.filter(slug="batken").update(**missing)

    context, html, page = render(regions_with_counts(), "en")

    assert not context.boundaries
    assert [tag for tag, _ in page.shapes] == ["rect"] * 9
    assert "CC BY-IGO" not in html


@pytest.mark.parametrize("boundaries", [False, True])
def test_coordinates_are_not_localised(with_outlines, boundaries):
    if not boundaries:
        Region.objects.update(map_path="")

    _, html, _ = render(regions_with_counts(), "ru")  # Russian writes 12,5 for 12.5

    assert not re.search(r'(x|y|width|height|d|x1|y1|cx|cy)="[^"]*\d,\d', html)


def test_rendering_queries_nothing_beyond_the_regions(newsletter, django_assert_num_queries):
    regions = regions_with_counts()

    with django_assert_num_queries(0):
        render(regions, "ky")


def test_regions_the_layout_does_not_know_get_a_plain_grid(db):
    regions = RegionFactory.create_batch(5)
    for region, count in zip(regions, (0, 1, 3, 0, 2), strict=True):
        for _ in range(count):
            GrantFactory(recipient=OrganizationFactory(location=LocationFactory(region=region)))

    context, _, page = render(regions_with_counts(), "en")

    assert len(page.links) == 5
    assert [area.count for area in context.areas] == [0, 1, 3, 0, 2]
    assert len({area.tile for area in context.areas}) == 5
    assert context.areas[2].fill == FILLS[-1] and context.areas[0].fill == FILLS[0]


def test_map_without_regions_renders_empty(db):
    context, html, page = render([], "en")
    assert page.links == [] and not context.boundaries


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_visible_text_of_a_tile_is_the_start_of_its_links_name(newsletter, language):
    """WCAG 2.5.3 (label in name): who says what they see, "Чүй облусу 4", finds the link."""
    _, html, _ = render(regions_with_counts(), language)

    for attrs, content in re.findall(r"<a ([^>]*)>(.*?)</a>", html, re.S):
        visible = " ".join(re.sub(r"<[^>]+>", "", content).split())
        name = re.search(r'aria-label="([^"]*)"', attrs).group(1).replace(":", "")
        assert name.startswith(visible), (visible, name)
