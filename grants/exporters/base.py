"""What every tabular export shares: rows become streamed CSV or a streamed XLSX workbook.

An export is a list of `Table`s (a title, column headers, an iterator of rows). CSV writes the first table;
XLSX writes each as a sheet. Nothing holds all rows in memory: both formats hand on their bytes as the rows come.
"""

import csv
import datetime
import io
import math
import re
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal

# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
CHUNK = 64 * 1024
CSV_BATCH = 1000  # rows per csv.writer.writerows() call and per chunk handed on


@dataclass
class Table:
    title: str
    headers: list
    rows: object  # an iterable of lists, consumed once
    widths: tuple = ()  # column widths in characters, for XLSX


def neutralise(value):
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe, which shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value):
    """A cell that is not a plain str: None is empty, amounts have two decimals, dates are ISO, the rest is text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


class _Buffer:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def take(self):
        text, self.parts = "".join(self.parts), []
        return text.encode("utf-8")


def csv_stream(table):
    """The table as UTF-8 CSV with a byte-order mark (so spreadsheet programs read Cyrillic right), in chunks.

    Text (most cells) is only checked for a formula's first character; other values go through _csv_value.
    """
    buffer = _Buffer()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(header) for header in table.headers])
    first, other = _FORMULA_FIRST, _csv_value
    batch = []
    for row in table.rows:
        batch.append(
            [
                ("'" + value if value and value[0] in first else value) if value.__class__ is str else other(value)
                for value in row
            ]
        )
        if len(batch) == CSV_BATCH:
            writer.writerows(batch)
            batch = []
            yield buffer.take()
    writer.writerows(batch)
    yield buffer.take()


# ---------------------------------------------------------------------------------------------------------------
# XLSX: SpreadsheetML written as text, zipped as it is written, handed on in chunks.

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml."

# Characters XML 1.0 does not allow (Excel refuses the file, openpyxl raises IllegalCharacterError): dropped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of the 1900 date system, as Excel counts from 1900-03-01
_EPOCH_ORDINAL = _EPOCH.toordinal()
# Cell styles (cellXfs in styles.xml): 0 plain, then these.
BOLD, DATE, NUMBER, DATETIME = 1, 2, 3, 4
STYLES = (
    f'{_XML}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
# A sheet's name: at most 31 characters, none of these, not empty, unique regardless of case.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
ROWS_PER_WRITE = 200


def column_letter(index):
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text):
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text):
    return _escape(text).replace('"', "&quot;")


def _text(reference, value, style=""):
    """A text cell: an inline string, never a formula whatever it starts with; None if nothing is left to write."""
    if not value:
        return None
    if not value.isprintable():  # control characters, line breaks, tabs, unusual spaces: the rare slow path
        value = _ILLEGAL.sub("", value)
        if not value:
            return None
        value = _escape(value).replace("\r", "&#13;")  # a bare CR would be read back as LF
    else:
        value = _escape(value)
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'<c r="{reference}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _serial(value):
    """A date or datetime as Excel's serial number (days since 1899-12-30, the time as the fraction of a day)."""
    if isinstance(value, datetime.datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return repr(delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000)
    return str(value.toordinal() - _EPOCH_ORDINAL)


def _cell(reference, value):
    """Any cell but a non-empty str: numbers and dates typed and formatted, anything else as its text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        if value.is_finite():
            return f'<c r="{reference}" s="{NUMBER}"><v>{value:f}</v></c>'
    elif isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    elif isinstance(value, float):
        if math.isfinite(value):
            return f'<c r="{reference}"><v>{value!r}</v></c>'
    elif isinstance(value, datetime.datetime):
        return f'<c r="{reference}" s="{DATETIME}"><v>{_serial(value)}</v></c>'
    elif isinstance(value, datetime.date):
        return f'<c r="{reference}" s="{DATE}"><v>{_serial(value)}</v></c>'
    return _text(reference, str(value))


def _row(number, letters, values):
    cells = []
    for letter, value in zip(letters, values):  # noqa: B905 (letters are at least as many as values)
        if value.__class__ is str:
            cell = _text(f"{letter}{number}", value)
        else:
            cell = _cell(f"{letter}{number}", value)
        if cell is not None:
            cells.append(cell)
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Sink:
    """What zipfile writes to, until the generator hands the bytes on. It cannot seek, so zipfile streams."""

    def __init__(self):
        self.parts, self.size, self.position = [], 0, 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.size += len(data)
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def take(self):
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


def _sheet_name(title, taken):
    name = _SHEET_NAME_FORBIDDEN.sub("_", str(title)).strip("'")[:31] or "Sheet"
    base, number = name, 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _write_sheet(part, table, sink, chunk):
    """Writes one worksheet part; yields whenever the zipped bytes reach a chunk. Returns the filtered range."""
    width = max(len(table.headers), 1)
    letters = [column_letter(index) for index in range(1, width + 1)]
    cols = "".join(
        f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
        for index, width in enumerate(table.widths, start=1)
    )
    bold = f' s="{BOLD}"'
    header = "".join(
        cell
        for letter, value in zip(letters, table.headers)  # noqa: B905 (as many letters as headers)
        if (cell := _text(f"{letter}1", str(value), bold)) is not None
    )
    part.write(
        f'{_XML}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
        f'<sheetData><row r="1">{header}</row>'.encode()
    )
    number, rows = 1, []
    for values in table.rows:
        number += 1
        if len(values) > len(letters):
            letters += [column_letter(index) for index in range(len(letters) + 1, len(values) + 1)]
        rows.append(_row(number, letters, values))
        if len(rows) == ROWS_PER_WRITE:
            part.write("".join(rows).encode())
            rows = []
            if sink.size >= chunk:
                yield sink.take()
    reference = f"A1:{letters[width - 1]}{number}"
    part.write(f'{"".join(rows)}</sheetData><autoFilter ref="{reference}"/></worksheet>'.encode())
    return reference


def _absolute(reference):
    start, end = (re.fullmatch(r"([A-Z]+)(\d+)", cell).groups() for cell in reference.split(":"))
    return f"${start[0]}${start[1]}:${end[0]}${end[1]}"


def _package_parts(sheets):
    """The parts around the worksheets: content types, relationships, the workbook (sheets, filters), styles."""
    count = len(sheets)
    yield (
        "[Content_Types].xml",
        f'{_XML}<Types xmlns="{CONTENT_TYPES}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="{_TYPE}worksheet+xml"/>'
            for number in range(1, count + 1)
        )
        + "</Types>",
    )
    yield (
        "_rels/.rels",
        f'{_XML}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    names = "".join(
        # The hidden name Excel keeps for a sheet's filter range; localSheetId counts from 0.
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
        f"{_escape(chr(39) + name.replace(chr(39), chr(39) * 2) + chr(39))}!{_absolute(reference)}</definedName>"
        for index, (name, reference) in enumerate(sheets)
    )
    yield (
        "xl/workbook.xml",
        f'{_XML}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView activeTab="0"/>'
        "</bookViews><sheets>"
        + "".join(
            f'<sheet name="{_attribute(name)}" sheetId="{number}" r:id="rId{number}"/>'
            for number, (name, _reference) in enumerate(sheets, start=1)
        )
        + f"</sheets>{f'<definedNames>{names}</definedNames>' if names else ''}</workbook>",
    )
    yield (
        "xl/_rels/workbook.xml.rels",
        f'{_XML}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        + "".join(
            f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>',
    )
    yield "xl/styles.xml", STYLES


def xlsx_stream(tables, chunk=CHUNK):
    """The tables as the sheets of one workbook, in bytes of about `chunk` each, as the rows come.

    Typed cells (text as inline strings, never formulas; amounts as numbers with #,##0.00; dates with yyyy-mm-dd),
    a bold header row, frozen, with filters over the rows, and the column widths of each table. `tables` may be any
    iterable: each table is asked for when the sheet before it is written, so a table that needs a query of its own
    can make it then. The zip archive is written with data descriptors (its parts' sizes after their data), never
    seeking; a worksheet is limited to zip's 2 GiB without the ZIP64 extensions, millions of rows.
    """
    sink = _Sink()
    sheets, taken = [], set()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for number, table in enumerate(tables, start=1):
            name = _sheet_name(table.title, taken)
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                reference = yield from _write_sheet(part, table, sink, chunk)
            sheets.append((name, reference))
            if sink.size >= chunk:
                yield sink.take()
        if not sheets:  # a workbook has at least one sheet
            with archive.open("xl/worksheets/sheet1.xml", "w") as part:
                reference = yield from _write_sheet(part, Table("Sheet", [], ()), sink, chunk)
            sheets.append(("Sheet", reference))
        for name, text in _package_parts(sheets):
            archive.writestr(name, text)
    yield sink.take()


def xlsx_file(tables):
    """The workbook of xlsx_stream() in a temporary file (in memory up to 8 MB), at its start."""
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    for data in xlsx_stream(tables):
        output.write(data)
    output.seek(0)
    return output


def file_chunks(fileobj):
    with fileobj:
        while chunk := fileobj.read(CHUNK):
            yield chunk


def text_stream(text_chunks):
    """UTF-8 bytes of an iterator of strings, in chunks of about 64 KB."""
    buffer = io.StringIO()
    for text in text_chunks:
        buffer.write(text)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer = io.StringIO()
    yield buffer.getvalue().encode("utf-8")
