"""The PDF summary: the programme, the filters, the totals, initiatives and money per region, the list of grants.

Text is set in DejaVu Sans, loaded from static/fonts and embedded as a subset, so Kyrgyz (ң ө ү) and Russian read
the same on any machine. The figures come from the export's ReportTotals, like the page and the other formats;
money is only ever shown per currency.
"""

import functools
import itertools
import tempfile
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.translated import translated_value

from ..models import Grant
from ..report_chart import BAR_WIDTH, region_chart
from .base import file_chunks
from .tables import BATCH, CODES, _in_language

FONT = "IntymakSans"
BOLD = "IntymakSans-Bold"
FONT_DIR = settings.BASE_DIR / "static" / "fonts"
MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN - 12  # inside the frame, which pads its content by 6 points on each side
GRID = colors.HexColor("#adb5bd")
HEADER_FILL = colors.HexColor("#e9ecef")
TEXT = colors.HexColor("#212529")
# The list's columns: reference, title, organisation, region, status, amount (points; they add up to WIDTH).
LIST_WIDTHS = (64, WIDTH - 64 - 104 - 72 - 58 - 80, 104, 72, 58, 80)
PADDING = (3, 2)  # horizontal, vertical
LIST_INNER = [width - 2 * PADDING[0] for width in LIST_WIDTHS]
LIST_LEADING = 10  # the leading of the "cell" paragraph style, for rows of plain text


@functools.cache
def register_fonts():
    """Register DejaVu Sans (regular and bold) with reportlab once per process, from the project's own files."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles():
    # embeddedHyphenation: a long word with a hyphen ("Джалал-Абадская") breaks after the hyphen, not anywhere.
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=TEXT, spaceAfter=3, embeddedHyphenation=1
    )
    return {
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=17, leading=21, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11, leading=14, spaceAfter=2),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4),
        "body": body,
        "body_bold": ParagraphStyle("body_bold", parent=body, fontName=BOLD),
        "notice": ParagraphStyle("notice", parent=body, fontName=BOLD, textColor=colors.HexColor("#8a4b00")),
        # Cells: no space around the paragraph, so a row is as tall as its tallest cell plus the padding.
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
        "number": ParagraphStyle("number", parent=body, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "number_bold": ParagraphStyle(
            "number_bold", parent=body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT
        ),
    }


def _p(text, style):
    """A paragraph of plain text: names and titles may hold <, & or quotes, which reportlab would read as markup."""
    return Paragraph(escape(str(text)), style)


class _Cell(Paragraph):
    """A table cell's paragraph that breaks its lines once: measuring a row and drawing it would do it twice."""

    _wrapped = None

    def wrap(self, availWidth, availHeight):
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]


def _money(amount):
    return floatformat(amount, "2g")  # as the reports page writes it


def _table_style():
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING[0]),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING[0]),
            ("TOPPADDING", (0, 0), (-1, -1), PADDING[1]),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING[1]),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ]
    )


def _programme_name(context):
    return translated_value(context.programme, "name", context.language)[0] if context.programme else ""


def _intro(context, styles):
    programme = _programme_name(context)
    generated = formats.date_format(timezone.localtime(context.generated), "DATETIME_FORMAT")
    summary = _("Grants report: summary")
    story = (
        [_p(programme, styles["title"]), _p(summary, styles["subtitle"])]
        if programme
        else [_p(summary, styles["title"])]
    )
    story += [
        _p(_("Generated on %(date)s") % {"date": generated}, styles["body"]),
        _p(_("Report filters"), styles["h2"]),
    ]
    if context.filters:
        story += [_p(f"{label}: {value}", styles["body"]) for label, value in context.filters]
    else:
        story.append(_p(_("No filters: all grants"), styles["body"]))
    return story


def _totals(totals, styles):
    count = ngettext("%(counter)s grant", "%(counter)s grants", totals.grants) % {"counter": totals.grants}
    count += " · " + ngettext("%(counter)s awarded", "%(counter)s awarded", totals.awarded) % {
        "counter": totals.awarded
    }
    note = _("Grants awarded, active or completed; planned and cancelled grants are not counted.")
    if totals.without_amount:
        note += " " + ngettext(
            "The sums are for %(known)s of %(counter)s awarded grant: the other amounts are not known.",
            "The sums are for %(known)s of %(counter)s awarded grants: the other amounts are not known.",
            totals.awarded,
        ) % {"known": totals.with_amount, "counter": totals.awarded}
    story = [_p(_("Totals"), styles["h2"]), _p(count, styles["body"]), _p(_("Money awarded"), styles["body_bold"])]
    story.append(_p(note, styles["body"]))
    # One line per currency: sums in different currencies are never added together.
    for currency, item in totals.by_currency.items():
        grants = ngettext("%(counter)s grant", "%(counter)s grants", item["grants"]) % {"counter": item["grants"]}
        story.append(_p(f"{_money(item['amount'])} {currency} ({grants})", styles["body"]))
    if not totals.by_currency:
        story.append(_p(_("No amount of an awarded grant is known."), styles["body"]))
    return story


def _region_table(totals, styles):
    currencies = totals.currencies
    header = [_p(_("Region"), styles["cell_bold"]), _p(_("Initiatives"), styles["number_bold"])]
    header += [_p(currency, styles["number_bold"]) for currency in currencies]
    rows = [header]
    for item in totals.by_region:
        amounts = [_money(amount) if amount is not None else "—" for amount in item.amounts]
        rows.append(
            [_p(item.region, styles["cell"]), _p(item.grants, styles["number"])]
            + [_p(amount, styles["number"]) for amount in amounts]
        )
    money_width = 90 if currencies else 0
    region_width = min(200, WIDTH - 70 - money_width * len(currencies))
    table = Table(rows, colWidths=[region_width, 70, *([money_width] * len(currencies))], repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style())
    return table


def _region_chart(totals):
    """The reports page's chart (grants.report_chart) drawn for print: a legend, then one drawing per region.

    Each currency's bars keep their own scale; a drawing per region lets the chart run on to the next page.
    """
    chart = region_chart(totals)
    label_width, row_height, scale = 150, 11, 250 / BAR_WIDTH
    legend = Drawing(WIDTH, 14, initialFontName=FONT, initialFontSize=8)
    x = 0
    for kind, currency, colour in chart["legend"]:
        label = _("Initiatives") if kind == "initiatives" else _("Money, %(currency)s") % {"currency": currency}
        legend.add(Rect(x, 3, 8, 8, fillColor=colors.HexColor(colour), strokeColor=None))
        legend.add(String(x + 11, 4, label, fontName=FONT, fontSize=8))
        x += 11 + pdfmetrics.stringWidth(label, FONT, 8) + 14
    drawings = [legend]
    for row in chart["rows"]:
        height = len(row["bars"]) * row_height + 6
        # The font is set on the drawing too, or reportlab would add an unembedded Helvetica to the file.
        drawing = Drawing(WIDTH, height, initialFontName=FONT, initialFontSize=8)
        name = str(row["region"])
        drawing.add(String(0, height - 9, name if len(name) <= 34 else name[:33] + "…", fontName=FONT, fontSize=8))
        y = height
        for bar in row["bars"]:
            width = float(bar.width) * scale  # a Decimal for money bars
            drawing.add(
                Rect(label_width, y - row_height + 1.5, width, row_height - 3,
                     fillColor=colors.HexColor(bar.colour), strokeColor=None)
            )  # fmt: skip
            drawing.add(String(label_width + width + 3, y - 8.5, bar.label, fontName=FONT, fontSize=7.5))
            y -= row_height
        drawings.append(drawing)
    return drawings


def _counts(totals, styles):
    """Counts by theme, kind and status side by side, in one table that can run on to the next page."""
    statuses = [(item.label, item.grants) for item in totals.by_status]
    groups = [(_("By theme"), totals.by_theme), (_("By kind"), totals.by_kind), (_("By status"), statuses)]
    header = []
    for title, _pairs in groups:
        header += [_p(title, styles["cell_bold"]), ""]
    rows = [header]
    for line in itertools.zip_longest(*(pairs for _title, pairs in groups)):
        row = []
        for pair in line:
            row += [_p(pair[0], styles["cell"]), _p(pair[1], styles["number"])] if pair else ["", ""]
        rows.append(row)
    number_width = 34
    label_width = WIDTH / 3 - number_width
    table = Table(rows, colWidths=[label_width, number_width] * 3, repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style())
    table.setStyle([("SPAN", (column, 0), (column + 1, 0)) for column in (0, 2, 4)])
    return [_p(_("Counts"), styles["h2"]), table]


def initiative_rows(grants):
    """(reference, title, organisation, region, status, amount, currency) per grant in the active language, read in
    batches."""
    language = translation.get_language()
    statuses = dict(Grant.Status.choices)
    fields = ["reference", "status", "amount", "currency"]
    fields += [f"{prefix}_{code}" for prefix in ("title", "recipient__name", "region__name") for code in CODES]
    for row in grants.values(*fields).iterator(chunk_size=BATCH):
        yield (
            row["reference"],
            _in_language(row, "title", language),
            _in_language(row, "recipient__name", language),
            _in_language(row, "region__name", language),
            str(statuses.get(row["status"], row["status"])),
            row["amount"],
            row["currency"],
        )


def _list_cell(text, style, width):
    """The cell's text broken into lines, as plain text: a table draws it many times faster than a paragraph.

    A word too long for the column (a long reference, a web address) becomes a paragraph, which can break it.
    """
    lines = simpleSplit(text, style.fontName, style.fontSize, width)
    if any(" " not in line and pdfmetrics.stringWidth(line, style.fontName, style.fontSize) > width for line in lines):
        return _Cell(escape(text), style)
    return "\n".join(lines)


class InitiativeList(Flowable):
    """The list of initiatives as one table per page, made as the pages fill.

    Platypus would otherwise hold a Paragraph for every cell of every grant and re-measure the rest of one long
    table on each page; here only the rows of the page being set exist, and each page's table starts with the
    header row.
    """

    def __init__(self, rows, styles, header=None):
        super().__init__()
        self.rows = rows  # an iterator of initiative_rows()
        self.styles = styles
        self.header = header or [
            _p(_("Ref. no."), styles["cell_bold"]),  # "Reference" is too long a word for the column in Russian
            _p(_("Title"), styles["cell_bold"]),
            _p(_("Organisation"), styles["cell_bold"]),
            _p(_("Region"), styles["cell_bold"]),
            _p(_("Status"), styles["cell_bold"]),
            _p(_("Amount"), styles["number_bold"]),
        ]
        self.waiting = None  # a row taken from the iterator that did not fit on the last page

    def _cells(self, row):
        reference, title, organisation, region, status, amount, currency = row
        money = f"{_money(amount)} {currency}".strip() if amount is not None else "—"
        styles = [self.styles["cell"]] * 5 + [self.styles["number"]]
        texts = (reference, title, organisation, region, status, money)
        return [_list_cell(text, style, width) for text, style, width in zip(texts, styles, LIST_INNER, strict=True)]

    @staticmethod
    def _height(cells):
        heights = (
            LIST_LEADING * (cell.count("\n") + 1) if isinstance(cell, str) else cell.wrap(width, 10_000)[1]
            for cell, width in zip(cells, LIST_INNER, strict=True)
        )
        return max(heights) + 2 * PADDING[1]

    def _next(self):
        if self.waiting is not None:
            cells, self.waiting = self.waiting, None
            return cells
        row = next(self.rows, None)
        return None if row is None else self._cells(row)

    def wrap(self, availWidth, availHeight):
        # Never fits as a whole: the frame always asks split() for the part that fills the rest of the page.
        return availWidth, availHeight + 1

    def split(self, availWidth, availHeight):
        header_height = self._height(self.header)
        rows, heights, room = [], [], availHeight - header_height
        while (cells := self._next()) is not None:
            height = self._height(cells)
            if height > room:
                self.waiting = cells
                break
            rows.append(cells)
            heights.append(height)
            room -= height
        if not rows:
            return []  # no room for a row here: the list goes on on the next page
        table = Table([self.header, *rows], colWidths=LIST_WIDTHS, rowHeights=[header_height, *heights], repeatRows=1)
        table.setStyle(_table_style())
        table.setStyle([("FONT", (0, 1), (-1, -1), FONT, 8, LIST_LEADING), ("ALIGN", (-1, 1), (-1, -1), "RIGHT")])
        if self.waiting is None:
            return [table]
        rest = InitiativeList(self.rows, self.styles, self.header)
        rest.waiting = self.waiting
        return [table, rest]

    def draw(self):
        pass  # never drawn: split() always puts tables in its place


def _story(grants, context):
    styles = _styles()
    totals = context.totals
    story = _intro(context, styles)
    if grants.filter(synthetic=True).exists():
        story.append(_p(_("Synthetic demo data"), styles["notice"]))
    story += _totals(totals, styles)
    if not totals.grants:
        story.append(_p(_("No grants match these filters."), styles["body"]))
        return story
    story += [
        CondPageBreak(80 * mm),
        _p(_("Initiatives and money per region"), styles["h2"]),
        _region_table(totals, styles),
        Spacer(1, 8),
        *_region_chart(totals),
        CondPageBreak(50 * mm),
        *_counts(totals, styles),
        CondPageBreak(40 * mm),
        _p(_("Initiatives"), styles["h2"]),
        InitiativeList(context.counted(initiative_rows(grants)), styles),
    ]
    return story


def _footer(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(colors.HexColor("#6c757d"))
    canvas.drawString(MARGIN, MARGIN / 2, doc.title)
    canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _("Page %(number)s") % {"number": doc.page})
    canvas.restoreState()


def render(grants, context):
    """The summary as PDF bytes, built once into a temporary file and then streamed in chunks."""
    register_fonts()
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with translation.override(context.language):
        title = " — ".join(part for part in (_programme_name(context), _("Grants report: summary")) if part)
        document = SimpleDocTemplate(
            output,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author="Intymak",
            creator="Intymak",
            subject=_("Grants report: summary"),
            lang=context.language,
            pageCompression=1,
            initialFontName=FONT,
        )
        document.build(_story(grants, context), onFirstPage=_footer, onLaterPages=_footer)
    output.seek(0)
    yield from file_chunks(output)
