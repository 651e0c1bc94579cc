"""The keyboard on the public pages: a focus ring one can see everywhere, and the map's regions in reading order."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from locations.boundaries import load_boundaries

pytestmark = pytest.mark.browser

DATA_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "kg-adm1-regions.geojson"
PAGES = ["", "regions/", "regions/jalal-abad/", "initiatives/", "initiatives/?q=Nookat",
         "initiatives/in-the-name-of-unity/", "organizations/cornelius-society/", "about/", "mediators/",
         "mediators/network/", "mediators/coverage/", "accounts/login/", "nowhere/"]  # fmt: skip
TILE_ORDER = ["talas", "chui", "bishkek", "issyk-kul", "jalal-abad", "naryn", "batken", "osh-city", "osh"]
# North to south as the labels lie on the real outlines: Osh oblast's label sits above Batken's and Osh city's.
SHAPE_ORDER = ["talas", "chui", "bishkek", "issyk-kul", "jalal-abad", "naryn", "osh", "batken", "osh-city"]

# What the focused element shows: its outline and what lies behind it (the first ancestor with a background, as
# the outline is drawn outside the element); on the map, its shape's highlight and the fill it had.
FOCUSED = """() => {
  const element = document.activeElement;
  if (element === document.body) return null;
  const style = getComputedStyle(element);
  let background = "rgb(255, 255, 255)";
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "transparent" && !/, 0\\)$/.test(colour)) { background = colour; break; }
  }
  const shape = element.querySelector(".region-map-shape");
  const shapeStyle = shape && getComputedStyle(shape);
  return {
    name: element.getAttribute("href") || element.getAttribute("name") || element.tagName,
    inHeader: !!element.closest("header"),
    inLanguages: !!element.closest(".language-switcher"),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColour: style.outlineColor,
    background,
    shape: shape && {fill: shapeStyle.fill, stroke: shapeStyle.stroke, strokeWidth: parseFloat(shapeStyle.strokeWidth),
                     ownFill: shape.getAttribute("fill")},
  };
}"""


def rgb(colour):
    """(r, g, b) of a computed colour, "rgb(...)", "rgba(...)" (over white) or "#rrggbb"."""
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    values = [float(v) for v in re.findall(r"[\d.]+", colour)]
    alpha = values[3] if len(values) > 3 else 1
    return tuple(v * alpha + 255 * (1 - alpha) for v in values[:3])


def contrast(first, second):
    """WCAG 2 contrast ratio of two colours."""

    def luminance(colour):
        r, g, b = (c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_problem(focused):
    """Why the focused element's focus indicator is hard to see, or None (WCAG 2.2: 2px or more, 3:1 or more)."""
    if focused["shape"]:
        # A map region: it lights up and gets a dark edge; one or the other stands out from the fill it had.
        shape = focused["shape"]
        change = max(contrast(shape["fill"], shape["ownFill"]), contrast(shape["stroke"], shape["ownFill"]))
        if shape["strokeWidth"] < 2 or change < 3:
            return f"highlight {shape} changes by {change:.2f}:1"
        return None
    if focused["outlineStyle"] in ("none", "hidden") or focused["outlineWidth"] < 2:
        return f"outline {focused['outlineStyle']} {focused['outlineWidth']}px"
    ratio = contrast(focused["outlineColour"], focused["background"])
    if ratio < 3:
        return f"outline {focused['outlineColour']} on {focused['background']}: {ratio:.2f}:1"
    return None


def tab_through(page, limit=300):
    """What each element the Tab key reaches shows, in order, once round the page."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused == seen[0]):
            break
        seen.append(focused)
    return seen


def test_every_focus_ring_on_the_public_pages_is_clearly_visible(portal, page):
    """Tab once round every public page (in Kyrgyz: the stylesheet is the same in every language)."""
    problems = {}
    header_links = 0
    for path in PAGES:
        page.goto(f"{portal}/ky/{path}")
        reached = tab_through(page)
        assert reached, path
        header_links += sum(1 for focused in reached if focused["inHeader"])
        assert sum(1 for focused in reached if focused["inLanguages"]) == 2, path  # the two other languages
        found = {focused["name"]: problem for focused in reached if (problem := focus_problem(focused))}
        if found:
            problems[path] = found
    assert problems == {}
    assert header_links == len(PAGES) * 7  # the name, four sections, two languages


def map_order(page, address):
    """The regions the Tab key reaches on the map of the home page at address, from its first link."""
    page.goto(address)
    page.locator(".region-map a").first.focus()
    page.keyboard.press("Shift+Tab")
    order = []
    for _ in range(9):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href')")
        order.append(href.split("/")[3])
    return order


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_tab_takes_the_schematic_map_row_by_row(portal, page, language):
    assert map_order(page, f"{portal}/{language}/") == TILE_ORDER


@pytest.fixture
def with_boundaries(portal):
    if not DATA_FILE.exists():
        pytest.skip(f"{DATA_FILE} is not here")
    load_boundaries(DATA_FILE)
    return portal


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_tab_takes_the_real_outlines_row_by_row_and_axe_finds_nothing(with_boundaries, page, language):
    from axe_playwright_python.sync_playwright import Axe

    assert map_order(page, f"{with_boundaries}/{language}/") == SHAPE_ORDER
    assert page.locator(".region-map-shapes").count() == 1
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []


def test_the_cities_badges_take_the_pointer_whatever_follows_them(with_boundaries, page):
    """A click on a city's badge or marker goes to the city, though larger regions come after it in the page."""
    page.goto(f"{with_boundaries}/en/")
    for slug in ("bishkek", "osh-city"):
        link = page.locator(f'.region-map a[href="/en/regions/{slug}/"]')
        for part in (".region-map-badge", ".region-map-marker"):
            link.locator(part).scroll_into_view_if_needed()
            box = link.locator(part).bounding_box()
            target = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y).closest('a')?.getAttribute('href')",
                [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
            )
            assert target == f"/en/regions/{slug}/", (slug, part)
    badge = page.locator('.region-map a[href="/en/regions/bishkek/"] .region-map-badge')
    badge.scroll_into_view_if_needed()
    box = badge.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"{with_boundaries}/en/regions/bishkek/")
