"""Official region boundaries: read a GeoJSON file, match its features to regions, project them for the home map.

The home page draws the regions as an inline SVG, so the shapes are prepared once, here, when they are loaded
(with shapely): an equirectangular projection with longitude scaled by the cosine of the country's mean latitude
(plenty for a country of Kyrgyzstan's size) fitted into one fixed viewBox, simplified and rounded so the whole map
stays small, and a point for each region's label. All regions are projected together, so their shapes share one
coordinate system. intymak/region_map.py only draws what is stored.
"""

import json
import math
from dataclasses import dataclass, field

import shapely
from django.db import transaction
from shapely import affinity

from core.signals import data_changed

from .models import Region

VIEWBOX_WIDTH = 800
VIEWBOX_HEIGHT = 400
VIEWBOX = f"0 0 {VIEWBOX_WIDTH} {VIEWBOX_HEIGHT}"
# Room at the edges for the outline and for labels of regions on the border.
MARGIN = 8
# Simplification tolerance in SVG units: at most about half a pixel on a desktop screen.
TOLERANCE = 0.75
# Coordinates are stored in tenths of a unit (path_data writes tenths): finer than any screen shows the map.
PRECISION = 0.1
# Labels are about twice as wide as tall: looking for the deepest point in a shape squeezed sideways by this
# factor finds room for a wide label rather than for a round one.
LABEL_STRETCH = 2.2

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


class BoundaryError(Exception):
    """The file cannot be loaded; the message says why, for the operator."""


@dataclass
class BoundaryReport:
    matched: list = field(default_factory=list)  # region slugs
    unmatched: list = field(default_factory=list)  # descriptions of features that match no region
    without_boundary: list = field(default_factory=list)  # slugs of regions that still have no boundary
    path_bytes: int = 0  # the size of all regions' SVG path data

    def lines(self):
        yield f"Matched {len(self.matched)} regions: {', '.join(self.matched) or '-'}."
        for description in self.unmatched:
            yield f"Skipped {description}: it matches no region."
        if self.without_boundary:
            slugs = ", ".join(self.without_boundary)
            yield f"Regions without a boundary (the home page keeps its schematic map): {slugs}."
        yield f"Map outlines: {self.path_bytes} bytes of SVG path data."


def load_boundaries(path, skip_unmatched=False):
    """Store the boundaries in the GeoJSON file at path; any error raises BoundaryError and writes nothing.

    A feature that matches no region is an error, unless skip_unmatched: then it is left out and reported.
    """
    features = read_features(path)
    regions = list(Region.objects.order_by("order", "slug"))
    report = BoundaryReport()
    geometries = {}  # region pk -> geometry
    for number, feature in enumerate(features, start=1):
        description = _describe(number, feature)
        region = _match(feature, regions, description)
        if region is None:
            report.unmatched.append(description)
            continue
        if region.pk in geometries:
            raise BoundaryError(f"{description} matches region {region.slug!r}, which an earlier feature matched too.")
        geometries[region.pk] = feature["geometry"]
    if report.unmatched and not skip_unmatched:
        raise BoundaryError(
            "Features that match no region by COATE code or P-code (nothing was stored): "
            + "; ".join(report.unmatched)
            + ". Use --skip-unmatched to load the others."
        )
    if not geometries:
        raise BoundaryError("No feature matches a region: nothing was stored.")

    from_file = set(geometries)
    # Regions this file leaves out keep their boundary, re-projected with the others.
    for region in regions:
        if region.pk not in geometries and region.boundary:
            geometries[region.pk] = region.boundary
    drawn = outlines(geometries)
    for region in regions:
        if region.pk in from_file and drawn[region.pk] is None:
            raise BoundaryError(
                f"The boundary of region {region.slug!r} is too small to draw on the map: nothing was stored."
            )
    with transaction.atomic():
        for region in regions:
            if region.pk in geometries:
                # update(), not save(): saving a region re-indexes all its grants for search, needlessly here.
                outline = drawn[region.pk]
                Region.objects.filter(pk=region.pk).update(
                    boundary=geometries[region.pk], **(outline.fields() if outline else NO_OUTLINE)
                )
        # update() sends no post_save: tell whatever keeps derived data (the page cache) once, at commit.
        transaction.on_commit(lambda: data_changed.send(sender=Region))
    report.matched = [r.slug for r in regions if r.pk in from_file]
    report.without_boundary = [r.slug for r in regions if r.pk not in geometries]
    report.path_bytes = sum(len(outline.path) for outline in drawn.values() if outline)
    return report


def read_features(path):
    """The features of a GeoJSON FeatureCollection, each checked to carry a Polygon or MultiPolygon."""
    try:
        with open(path, "rb") as fh:
            data = json.load(fh)
    except OSError as error:
        raise BoundaryError(f"Cannot read {path}: {error.strerror or error}.") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BoundaryError(f"{path} is not a JSON file: {error}.") from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise BoundaryError(f"{path} is not a GeoJSON FeatureCollection (its type is {found!r}).")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(f"{path} has no features.")
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundaryError(f"Feature {number} is not a GeoJSON Feature.")
        description = _describe(number, feature)
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in GEOMETRY_TYPES:
            raise BoundaryError(
                f"{description}: its geometry is {kind!r}, but a region needs a Polygon or MultiPolygon."
            )
        _check_coordinates(geometry, description)
    return features


def _check_coordinates(geometry, description):
    polygons = [geometry.get("coordinates")] if geometry["type"] == "Polygon" else geometry.get("coordinates")
    try:
        rings = [ring for polygon in polygons for ring in polygon]
        valid = bool(rings) and all(
            len(ring) >= 4
            and all(
                len(position) >= 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
                and -180 <= position[0] <= 180
                and -90 <= position[1] <= 90
                for position in ring
            )
            for ring in rings
        )
    except TypeError:
        valid = False
    if not valid:
        raise BoundaryError(
            f"{description}: its coordinates are not rings of [longitude, latitude] positions (4 or more per ring)."
        )


def _properties(feature):
    properties = feature.get("properties")
    return {str(k).lower(): v for k, v in properties.items()} if isinstance(properties, dict) else {}


def _describe(number, feature):
    properties = _properties(feature)
    name = next((properties[k] for k in ("name_en", "name", "adm1_en", "name_ru", "name_ky") if properties.get(k)), "")
    codes = ", ".join(f"{k} {properties[k]}" for k in ("coate", "pcode", "adm1_pcode") if properties.get(k))
    details = "; ".join(str(part) for part in (name, codes) if part)
    return f"feature {number}" + (f" ({details})" if details else "")


def _match(feature, regions, description):
    """The region whose COATE code or P-code the feature carries, or None.

    A COATE code may come in any prefix form ("41702" or "41702000000000"), a P-code with or without its
    trailing zeros ("KG02" or "KG02000000000").
    """
    properties = _properties(feature)
    found = set()
    coate = str(properties.get("coate") or "").strip()
    if coate.isdigit() and 5 <= len(coate) <= 14:
        found.update(r for r in regions if r.coate == coate.ljust(14, "0"))
    for key in ("pcode", "adm1_pcode", "admin1pcode"):
        pcode = str(properties.get(key) or "").strip().upper()
        if len(pcode) >= 4 and pcode.startswith("KG") and pcode[2:].isdigit():
            found.update(r for r in regions if r.pcode == pcode.ljust(13, "0"))
    if len(found) > 1:
        slugs = ", ".join(sorted(r.slug for r in found))
        raise BoundaryError(f"{description}: its codes point to different regions ({slugs}).")
    return found.pop() if found else None


# ---------------------------------------------------------------- the map's outlines


@dataclass
class Outline:
    """What the home map draws of a region: its outline and where its name goes, in the map's SVG units."""

    path: str  # SVG path data
    label_x: float
    label_y: float
    # The label point's distance to the outline, measured in the shape squeezed sideways by LABEL_STRETCH: the
    # height of the room for a label there (and LABEL_STRETCH times as much across).
    label_room: float

    def fields(self):
        return {
            "map_path": self.path,
            "map_label_x": self.label_x,
            "map_label_y": self.label_y,
            "map_label_room": self.label_room,
        }


NO_OUTLINE = {"map_path": "", "map_label_x": None, "map_label_y": None, "map_label_room": None}


def outlines(geometries):
    """{key: GeoJSON geometry} -> {key: Outline, or None if too small to draw}, projected together into VIEWBOX."""
    shapes = {key: _polygonal(shapely.geometry.shape(geometry)) for key, geometry in geometries.items()}
    west, south, east, north = shapely.total_bounds(list(shapes.values()))
    x_scale = math.cos(math.radians((south + north) / 2))
    width = max((east - west) * x_scale, 1e-9)
    height = max(north - south, 1e-9)
    scale = min((VIEWBOX_WIDTH - 2 * MARGIN) / width, (VIEWBOX_HEIGHT - 2 * MARGIN) / height)
    left = (VIEWBOX_WIDTH - width * scale) / 2
    top = (VIEWBOX_HEIGHT - height * scale) / 2
    # x = left + (longitude - west) * x_scale * scale, y = top + (north - latitude) * scale: north is up.
    matrix = (x_scale * scale, 0, 0, -scale, left - west * x_scale * scale, top + north * scale)
    return {key: _outline(affinity.affine_transform(shape, matrix)) for key, shape in shapes.items()}


def _polygonal(geometry):
    """A drawing needs a valid outline: a self-intersecting one is repaired (the stored boundary stays as it came)."""
    return geometry if geometry.is_valid else shapely.make_valid(geometry, method="structure", keep_collapsed=False)


def _outline(projected):
    drawn = shapely.set_precision(projected.simplify(TOLERANCE, preserve_topology=True), PRECISION)
    if drawn.is_empty:
        return None
    squeezed = affinity.scale(drawn, 1 / LABEL_STRETCH, 1, origin=(0, 0))
    centre, edge = shapely.maximum_inscribed_circle(squeezed, PRECISION).coords
    return Outline(
        path=path_data(drawn),
        label_x=round(centre[0] * LABEL_STRETCH, 1),
        label_y=round(centre[1], 1),
        label_room=round(math.dist(centre, edge), 1),
    )


def path_data(geometry):
    """A polygonal geometry on the PRECISION grid -> compact SVG path data: relative steps after the first point.

    Relative steps are shorter than coordinates, and a minus sign or a second decimal point separates numbers by
    itself: together they keep the real boundaries' outlines a fraction of the size shapely's svg() writes.
    """
    parts = []
    pen = (0, 0)
    for polygon in shapely.get_parts(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            # Whole tenths, so that relative steps add up exactly; the closing point repeats the first.
            points = [(round(x / PRECISION), round(y / PRECISION)) for x, y in ring.coords[:-1]]
            steps = [n for a, b in zip(points, points[1:], strict=False) for n in (b[0] - a[0], b[1] - a[1])]
            start = points[0]
            move = "m" + _join((start[0] - pen[0], start[1] - pen[1])) if parts else "M" + _join(start)
            parts.append(move + "l" + _join(steps) + "z")
            pen = start  # after "z" the pen is back at the ring's first point
    return "".join(parts)


def _number(tenths):
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def _join(tenths):
    """Numbers as SVG path data wants them shortest: "-" or a second "." separates numbers by itself."""
    out = ""
    previous = None
    for value in tenths:
        number = _number(value)
        if previous is not None and not (number.startswith("-") or (number.startswith(".") and "." in previous)):
            out += " "
        out += number
        previous = number
    return out
