"""Official region boundaries: read a GeoJSON file, match its features to regions, project them for the home map.

The home page draws the regions as an inline SVG, so the shapes are projected once, here, when they are loaded:
an equirectangular projection with longitude scaled by the cosine of the country's mean latitude (plenty for a
country of Kyrgyzstan's size), fitted into one fixed viewBox, simplified and rounded so the whole map stays small.
All regions are projected together, so their shapes share one coordinate system.
"""

import json
import math
import re
from dataclasses import dataclass, field

from django.db import transaction

from core.signals import data_changed

from .models import Region

VIEWBOX_WIDTH = 800
VIEWBOX_HEIGHT = 400
VIEWBOX = f"0 0 {VIEWBOX_WIDTH} {VIEWBOX_HEIGHT}"
# Room at the edges for the outline and for labels of regions on the border.
MARGIN = 8
# Douglas–Peucker tolerance in SVG units: at most about half a pixel on a desktop screen.
TOLERANCE = 0.75

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
    paths = project(geometries)
    for region in regions:
        if region.pk in from_file and not paths[region.pk]:
            raise BoundaryError(
                f"The boundary of region {region.slug!r} is too small to draw on the map: nothing was stored."
            )
    with transaction.atomic():
        for region in regions:
            if region.pk in geometries:
                # update(), not save(): saving a region re-indexes all its grants for search, needlessly here.
                Region.objects.filter(pk=region.pk).update(boundary=geometries[region.pk], map_path=paths[region.pk])
        # update() sends no post_save: tell whatever keeps derived data (the page cache) once, at commit.
        transaction.on_commit(lambda: data_changed.send(sender=Region))
    report.matched = [r.slug for r in regions if r.pk in from_file]
    report.without_boundary = [r.slug for r in regions if r.pk not in geometries]
    report.path_bytes = sum(len(p) for p in paths.values())
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


# ---------------------------------------------------------------- projection


def _polygons(geometry):
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def project(geometries):
    """{key: GeoJSON geometry} -> {key: SVG path data}, all in one coordinate system fitted into VIEWBOX."""
    positions = [
        position
        for geometry in geometries.values()
        for polygon in _polygons(geometry)
        for ring in polygon
        for position in ring
    ]
    west = min(p[0] for p in positions)
    east = max(p[0] for p in positions)
    south = min(p[1] for p in positions)
    north = max(p[1] for p in positions)
    x_scale = math.cos(math.radians((south + north) / 2))
    width = max((east - west) * x_scale, 1e-9)
    height = max(north - south, 1e-9)
    scale = min((VIEWBOX_WIDTH - 2 * MARGIN) / width, (VIEWBOX_HEIGHT - 2 * MARGIN) / height)
    left = (VIEWBOX_WIDTH - width * scale) / 2
    top = (VIEWBOX_HEIGHT - height * scale) / 2

    def to_svg(position):
        return (left + (position[0] - west) * x_scale * scale, top + (north - position[1]) * scale)

    return {
        key: path_data(
            [[to_svg(p) for p in ring] for polygon in _polygons(geometry) for ring in polygon],
        )
        for key, geometry in geometries.items()
    }


def path_data(rings, tolerance=TOLERANCE):
    """Rings of SVG points -> compact path data: simplified, rounded to 0.1, relative after the first point."""
    parts = []
    start = (0, 0)
    for ring in rings:
        points = _rounded(simplify(ring[:-1] if ring[0] == ring[-1] else ring, tolerance))
        if len(points) < 3:
            continue  # too small to see at this scale
        numbers = [n for a, b in zip(points, points[1:], strict=False) for n in (b[0] - a[0], b[1] - a[1])]
        if parts:
            move = "m" + _join((points[0][0] - start[0], points[0][1] - start[1]))
        else:
            move = "M" + _join(points[0])
        parts.append(move + "l" + _join(numbers) + "z")
        start = points[0]  # after "z" the pen is back at the ring's first point
    return "".join(parts)


def rings_from_path(data):
    """The rings of path data written by path_data, as lists of (x, y): for finding a place for a label."""
    rings = []
    pen = (0.0, 0.0)
    for command, numbers in re.findall(r"([MmLlz])([^MmLlz]*)", data):
        values = [float(v) for v in _NUMBER.findall(numbers)]
        pairs = list(zip(values[::2], values[1::2], strict=False))
        if command in "Mm":
            pen = pairs[0] if command == "M" else (pen[0] + pairs[0][0], pen[1] + pairs[0][1])
            rings.append([pen])
            pairs = pairs[1:]
        elif command == "z":
            pen = rings[-1][0]
            continue
        for dx, dy in pairs:
            pen = (dx, dy) if command == "L" else (pen[0] + dx, pen[1] + dy)
            rings[-1].append(pen)
    return rings


_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def _rounded(points):
    """Points in tenths of a unit, as integers so that relative steps add up exactly; without repeats."""
    out = []
    for x, y in points:
        point = (round(x * 10), round(y * 10))
        if not out or out[-1] != point:
            out.append(point)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


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


def simplify(points, tolerance):
    """Douglas–Peucker on an open sequence of points (a closed ring is split at its farthest point)."""
    if len(points) < 4:
        return list(points)
    far = max(range(len(points)), key=lambda i: _squared(points[i], points[0]))
    first = _douglas_peucker(points[: far + 1], tolerance)
    second = _douglas_peucker(points[far:] + points[:1], tolerance)
    return first[:-1] + second[:-1]


def _douglas_peucker(points, tolerance):
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        worst, index = 0.0, None
        for i in range(start + 1, end):
            distance = _segment_distance(points[i], points[start], points[end])
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.extend(((start, index), (index, end)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _squared(a, b):
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _segment_distance(p, a, b):
    length = _squared(a, b)
    if length == 0:
        return math.sqrt(_squared(p, a))
    t = max(0.0, min(1.0, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / length))
    return math.sqrt(_squared(p, (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))))
