"""The reports page's chart: initiatives and money per region, as bars the server draws in SVG.

Each currency gets its own bars on its own scale: money is never added up across currencies.
"""

from dataclasses import dataclass

LABEL_WIDTH = 170
BAR_WIDTH = 300
ROW_HEIGHT = 18
GAP = 10
# Bar colours with at least 3:1 contrast on white (WCAG 2.1 non-text contrast).
COLOURS = ["#0b5e7a", "#8a4b00", "#5b3b8c", "#2f6b2f"]


@dataclass
class Bar:
    y: int
    width: float
    colour: str
    label: str


def region_chart(totals):
    """Rows of bars: for each region, one bar for its number of initiatives and one for each currency."""
    series = [("initiatives", None)] + [("money", currency) for currency in totals.currencies]
    most = {
        key: max(
            [(item.grants if kind == "initiatives" else item.money.get(key, 0)) or 0 for item in totals.by_region],
            default=0,
        )
        for kind, key in ((kind, currency or "initiatives") for kind, currency in series)
    }
    rows, y = [], 0
    for item in totals.by_region:
        bars = []
        for index, (kind, currency) in enumerate(series):
            value = item.grants if kind == "initiatives" else item.money.get(currency)
            scale = most[currency or "initiatives"]
            width = (value or 0) / scale * BAR_WIDTH if scale else 0
            label = str(value) if kind == "initiatives" else (f"{value:,.0f} {currency}" if value is not None else "—")
            bars.append(Bar(y + index * ROW_HEIGHT, round(width, 1), COLOURS[index % len(COLOURS)], label))
        rows.append({"region": item.region, "y": y, "bars": bars})
        y += len(series) * ROW_HEIGHT + GAP
    legend = [("initiatives", None, COLOURS[0])] + [
        ("money", currency, COLOURS[(index + 1) % len(COLOURS)]) for index, currency in enumerate(totals.currencies)
    ]
    return {
        "rows": rows,
        "legend": legend,
        "height": max(y, 1),
        "width": LABEL_WIDTH + BAR_WIDTH + 130,
        "label_width": LABEL_WIDTH,
        "row_height": ROW_HEIGHT,
    }
