"""The home page's map of regions: shapes, labels and colours for templates/intymak/_region_map.html.

Two drawings of the same map. By default a schematic tile map: one rounded rectangle per region, laid out in
the regions' rough geographic places. When every region has an outline made by load_boundaries, the real shapes,
each label at the point load_boundaries found for it; a region too small for its label (the cities) gets a
marker and a label beside it on a badge of its own colour. Either way, text colours are chosen by their WCAG
contrast with the fill they stand on, so the map reads without relying on colour, and the regions come in the
order the eye reads their labels (row by row, left to right), which is the order the keyboard takes them in.
"""

import math
import textwrap
from dataclasses import dataclass, field

from locations.boundaries import LABEL_STRETCH, VIEWBOX, VIEWBOX_HEIGHT, VIEWBOX_WIDTH

# A sequential scale: a light neutral for regions without initiatives, then four steps from light to dark.
FILLS = ("#eceff1", "#c6e3eb", "#7dbccc", "#287690", "#0b4b61")
DARK_TEXT = "#212529"
LIGHT_TEXT = "#ffffff"

# The schematic map: cells of a grid in the regions' rough places, (column, row, columns wide).
TILE_LAYOUT = {
    "talas": (0, 0, 1),
    "chui": (1, 0, 1),
    "bishkek": (2, 0, 1),
    "issyk-kul": (3, 0, 1),
    "jalal-abad": (0, 1, 2),
    "naryn": (2, 1, 2),
    "batken": (0, 2, 1),
    "osh-city": (1, 2, 1),
    "osh": (2, 2, 2),
}
TILE_COLUMNS = 4  # for regions the layout does not know: plain rows in the regions' order
TILE_CELL = 100  # a tile with its gap, in SVG units; the tile map is 400 units wide, so text stays readable on phones
TILE_GAP = 4
TILE_PADDING = 5

# Font sizes in SVG units. The schematic map is drawn at about 0.84 px per unit on a 360 px phone,
# the boundary map (800 units wide) at about 0.42.
TILE_FONT = (15, 22)  # name, count
SHAPE_FONT = (24, 28)
LINE_HEIGHT = 1.15
CHAR_WIDTH = 0.62  # an average letter's width, in ems: generous, so that wrapped lines fit
BADGE_WIDTH = 130  # the most a small region's label may take, beside it
BADGE_PADDING = 8
MARKER_RADIUS = 5
CUT_MARGIN = 2  # around markers and badges, for their outlines (see RegionMap.cut)
SMALL_REGION = 10  # a region whose label point has less room than this (map_label_room) is labelled beside it


@dataclass
class Line:
    text: str
    y: float
    kind: str  # "name" or "count", a CSS class
    size: int
    # A space before the line, so that the text reads "Чүй облусу 4", not "Чүйоблусу4", to screen readers and
    # speech input (WCAG 2.5.3: the visible label is part of the link's name); none after a hyphen.
    gap: str = " "


@dataclass
class Area:
    region: object
    name: str
    count: int
    fill: str
    text_colour: str
    label_x: float = 0
    lines: list = field(default_factory=list)
    box: tuple = None  # (x0, y0, x1, y1) of what the eye reads as the region's label: its tile, label or badge
    path: str = ""  # the region's outline, on the boundary map
    tile: tuple = None  # (x, y, width, height), on the schematic map
    marker: tuple = None  # (x, y, radius) of a small region's marker
    leader: tuple = None  # (x1, y1, x2, y2) from the marker to its label
    badge: tuple = None  # (x, y, width, height) behind a small region's label


@dataclass
class LegendStep:
    label: str
    fill: str
    text_colour: str


@dataclass
class RegionMap:
    viewbox: str
    boundaries: bool  # real shapes are drawn: the template shows their attribution
    areas: list  # in reading order
    legend: list
    # Path data of the map less the small regions' markers and badges: the larger regions are clipped to it, so
    # that a marker or badge stays in sight and takes the pointer whatever comes after it in reading order.
    cut: str = ""


def region_map(regions):
    """What _region_map.html draws, for regions annotated with initiative_count. Queries nothing further."""
    regions = list(regions)
    counts = [region.initiative_count or 0 for region in regions]
    scale = _scale(max(counts, default=0))
    areas = []
    for region, count in zip(regions, counts, strict=True):
        fill = next(colour for upper, colour, _ in scale if count <= upper)
        areas.append(Area(region, str(region.name), count, fill, text_colour(fill)))
    legend = [LegendStep(label, fill, text_colour(fill)) for _, fill, label in scale]
    if regions and all(region.map_path and region.map_label_room is not None for region in regions):
        cut = _place_shapes(areas)
        return RegionMap(VIEWBOX, True, reading_order(areas), legend, cut)
    width, height = _place_tiles(areas)
    return RegionMap(f"0 0 {width} {height}", False, reading_order(areas), legend)


def reading_order(areas):
    """The areas row by row from the top, left to right within a row, by the boxes of their labels: a label
    joins a row when its middle is above the bottom of the row so far."""
    rows = []
    for area in sorted(areas, key=lambda area: area.box[1]):
        if rows and (area.box[1] + area.box[3]) / 2 < max(other.box[3] for other in rows[-1]):
            rows[-1].append(area)
        else:
            rows.append([area])
    return [area for row in rows for area in sorted(row, key=lambda area: (area.box[0] + area.box[2]) / 2)]


# ---------------------------------------------------------------- colours


def _scale(most):
    """[(upper bound, fill, legend label)]: 0 on its own, then up to four equal steps up to the largest count."""
    uppers = sorted({math.ceil(most * k / 4) for k in range(1, 5)} - {0})
    steps = [(0, FILLS[0], "0")]
    lower = 1
    for index, upper in enumerate(uppers):
        # With fewer than four steps, spread them over the scale so the largest count is always the darkest.
        colour = FILLS[1 + round(index * 3 / max(len(uppers) - 1, 1))] if len(uppers) > 1 else FILLS[-1]
        steps.append((upper, colour, str(upper) if upper == lower else f"{lower}–{upper}"))
        lower = upper + 1
    return steps


def relative_luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour(fill):
    """Dark or light text, whichever contrasts more with the fill (every fill in FILLS reaches 4.5:1)."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda colour: contrast_ratio(colour, fill))


# ---------------------------------------------------------------- labels


def _wrap(name, width, size):
    """The name in lines that fit width; a long word breaks after a hyphen ("Иссык-" / "Кульская")."""
    chars = max(int(width / (size * CHAR_WIDTH)), 4)
    words = name.replace("-", "- ").split() if max(map(len, name.split() or [""])) > chars else name.split()
    lines = textwrap.wrap(" ".join(words), chars, break_long_words=False, break_on_hyphens=False) or [name]
    return [line.replace("- ", "-") for line in lines]


def _measure(area, width, fonts):
    """The name wrapped to width, and the (width, height) of the name and count below it."""
    name_size, count_size = fonts
    names = _wrap(area.name, width, name_size)
    longest = max(max(len(line) for line in names) * name_size, len(str(area.count)) * count_size)
    return names, longest * CHAR_WIDTH, (len(names) * name_size + count_size) * LINE_HEIGHT


def _label(area, x, y, width, fonts, bounds=None):
    """Name lines and the count below them, centred on (x, y), moved into bounds (x0, y0, x1, y1) if need be;
    returns the label's box."""
    name_size, count_size = fonts
    names, width, height = _measure(area, width, fonts)
    if bounds:
        x = min(max(x, bounds[0] + width / 2), bounds[2] - width / 2)
        y = min(max(y, bounds[1] + height / 2), bounds[3] - height / 2)
    top = y - height / 2
    area.label_x = round(x, 1)
    # A baseline sits about 0.8 em below the top of its line.
    gaps = [""] + ["" if line.endswith("-") else " " for line in names[:-1]]
    area.lines = [
        Line(text, round(top + (i + 0.8) * name_size * LINE_HEIGHT, 1), "name", name_size, gap)
        for i, (text, gap) in enumerate(zip(names, gaps, strict=True))
    ]
    count_top = top + len(names) * name_size * LINE_HEIGHT
    area.lines.append(Line(str(area.count), round(count_top + 0.8 * count_size * LINE_HEIGHT, 1), "count", count_size))
    area.box = (x - width / 2, top, x + width / 2, top + height)
    return area.box


# ---------------------------------------------------------------- the schematic map


def _place_tiles(areas):
    """Lay the tiles out; returns the map's (width, height)."""
    known = all(area.region.slug in TILE_LAYOUT for area in areas)
    for index, area in enumerate(areas):
        column, row, span = TILE_LAYOUT[area.region.slug] if known else (index % TILE_COLUMNS, index // TILE_COLUMNS, 1)
        x = column * TILE_CELL + TILE_GAP / 2
        y = row * TILE_CELL + TILE_GAP / 2
        width = span * TILE_CELL - TILE_GAP
        height = TILE_CELL - TILE_GAP
        area.tile = (x, y, width, height)
        _label(area, x + width / 2, y + height / 2, width - 2 * TILE_PADDING, TILE_FONT)
        area.box = (x, y, x + width, y + height)
    columns = max((a.tile[0] + a.tile[2] + TILE_GAP / 2 for a in areas), default=TILE_CELL)
    rows = max((a.tile[1] + a.tile[3] + TILE_GAP / 2 for a in areas), default=TILE_CELL)
    return round(columns), round(rows)


# ---------------------------------------------------------------- the boundary map


def _place_shapes(areas):
    """Labels, markers and badges on the outlines; returns the cut for RegionMap.cut."""
    labelled = []
    small = []
    for area in areas:
        region = area.region
        area.path = region.map_path
        x, y, room = region.map_label_x, region.map_label_y, region.map_label_room
        if room < SMALL_REGION:
            small.append((area, x, y))
            continue
        # Wrap to the width of the room there is, and a third more: where a name reaches over a border, its halo
        # in the region's colour keeps it readable.
        labelled.append((area, x, y, room * 2 * LABEL_STRETCH * 1.3))
    boxes = [_label(area, x, y, width, SHAPE_FONT, _INSIDE) for area, x, y, width in labelled]
    # Small regions' badges go where they hide least, then the other labels make way for them and their markers.
    obstacles = [(x - 8, y - 8, x + 8, y + 8) for _, x, y in small]
    for area, x, y in small:
        obstacles.append(_place_beside(area, x, y, boxes + obstacles))
    boxes = _spread(boxes, obstacles)
    for (area, _, _, width), box in zip(labelled, boxes, strict=True):
        _label(area, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, width, SHAPE_FONT)
    if not small:
        return ""
    # The whole map and its surroundings (outlines reach past the viewBox), less each marker and badge with a
    # margin for their strokes: with the even-odd rule, what lies inside a hole is cut away.
    holes = []
    for area, _, _ in small:
        x, y, radius = area.marker
        r = radius + CUT_MARGIN
        holes.append(f"M{x - r:g} {y:g}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0z")
        x, y, width, height = area.badge
        holes.append(
            f"M{x - CUT_MARGIN:g} {y - CUT_MARGIN:g}h{width + 2 * CUT_MARGIN:g}v{height + 2 * CUT_MARGIN:g}"
            f"h{-width - 2 * CUT_MARGIN:g}z"
        )
    return f"M-50-50H{VIEWBOX_WIDTH + 50}V{VIEWBOX_HEIGHT + 50}H-50z" + "".join(holes)


def _place_beside(area, x, y, taken):
    """A small region: a marker at its label point and its label on a badge nearby, where it hides least of
    the boxes taken; returns the badge's box."""
    area.marker = (round(x, 1), round(y, 1), MARKER_RADIUS)
    _, width, height = _measure(area, BADGE_WIDTH, SHAPE_FONT)
    width, height = width + 2 * BADGE_PADDING, height + BADGE_PADDING
    best = None
    for distance in (24, 50, 90):
        for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, -1), (-1, 1), (1, 1)):
            # Centred in that direction, then moved back inside the map if need be.
            cx = min(max(x + dx * (distance + width / 2), _INSIDE[0] + width / 2), _INSIDE[2] - width / 2)
            cy = min(max(y + dy * (distance + height / 2), _INSIDE[1] + height / 2), _INSIDE[3] - height / 2)
            box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            score = sum(_overlap(box, other) for other in taken) * 10 + distance
            if best is None or score < best[0]:
                best = (score, box)
    x0, y0, x1, y1 = best[1]
    area.badge = (round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1))
    # The leader runs from the marker's edge to the badge's nearest point (it is drawn over both).
    end_x, end_y = min(max(x, x0), x1), min(max(y, y0), y1)
    length = math.hypot(end_x - x, end_y - y) or 1
    start_x, start_y = x + (end_x - x) * MARKER_RADIUS / length, y + (end_y - y) * MARKER_RADIUS / length
    area.leader = (round(start_x, 1), round(start_y, 1), round(end_x, 1), round(end_y, 1))
    _label(area, (x0 + x1) / 2, (y0 + y1) / 2, BADGE_WIDTH, SHAPE_FONT)
    area.box = best[1]
    return best[1]


_INSIDE = (4, 4, VIEWBOX_WIDTH - 4, VIEWBOX_HEIGHT - 4)


def _overlap(a, b):
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _spread(boxes, obstacles=(), rounds=20):
    """Move overlapping labels apart, each pair along the axis where they overlap least, staying inside the map;
    obstacles (the small regions' markers) stay where they are and push labels off."""
    boxes = [list(box) for box in boxes]
    fixed = [list(box) for box in obstacles]
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(boxes):
            for b, movable in [(box, True) for box in boxes[i + 1 :]] + [(box, False) for box in fixed]:
                dx = min(a[2], b[2]) - max(a[0], b[0])
                dy = min(a[3], b[3]) - max(a[1], b[1])
                if dx <= 0 or dy <= 0:
                    continue
                moved = True
                axis, step = (0, dx) if dx < dy else (1, dy)
                sign = 1 if (a[axis] + a[axis + 2]) <= (b[axis] + b[axis + 2]) else -1
                pushes = ((a, -sign, step / 2 + 1), (b, sign, step / 2 + 1)) if movable else ((a, -sign, step + 1),)
                for box, direction, distance in pushes:
                    low, high = _INSIDE[axis] - box[axis], _INSIDE[axis + 2] - box[axis + 2]
                    shift = min(max(direction * distance, low), high)
                    box[axis] += shift
                    box[axis + 2] += shift
        if not moved:
            break
    return [tuple(box) for box in boxes]
