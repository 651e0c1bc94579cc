"""The map's outlines (SVG path data written by locations.boundaries.path_data) read back in tests."""

import re
from functools import reduce

from shapely import Polygon

_COMMAND = re.compile(r"([Mmlz])([^Mmlz]*)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def rings(data):
    """The rings of the path data (M, then relative m and l, each ring closed with z), as lists of (x, y)."""
    found = []
    pen = (0.0, 0.0)
    for command, numbers in _COMMAND.findall(data):
        values = [float(v) for v in _NUMBER.findall(numbers)]
        if command == "z":
            pen = found[-1][0]
        elif command in "Mm":
            pen = (values[0], values[1]) if command == "M" else (pen[0] + values[0], pen[1] + values[1])
            found.append([pen])
        else:
            for dx, dy in zip(values[::2], values[1::2], strict=True):
                pen = (pen[0] + dx, pen[1] + dy)
                found[-1].append(pen)
    return found


def points(data):
    return [point for ring in rings(data) for point in ring]


def shape(data):
    """What the path fills under the even-odd rule, as a shapely geometry."""
    return reduce(lambda filled, ring: filled.symmetric_difference(Polygon(ring)), rings(data), Polygon())
