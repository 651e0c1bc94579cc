"""What every tabular export shares: rows become streamed CSV or a constant-memory XLSX workbook.

An export is a list of `Table`s (a title, column headers, an iterator of rows). CSV writes the first table;
XLSX writes each as a sheet. Nothing holds all rows in memory.
"""

import csv
import datetime
import io
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024


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
    """The table as UTF-8 CSV with a byte-order mark (so spreadsheet programs read Cyrillic right), in chunks."""
    buffer = _Buffer()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(header) for header in table.headers])
    size = 0
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
        size += 1
        if size == 500:
            yield buffer.take()
            size = 0
    yield buffer.take()


def _cell(sheet, value, bold=False):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text is text: never a formula, whatever it starts with
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, Decimal):
            cell.number_format = "#,##0.00"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_file(tables):
    """The tables as sheets of one workbook: typed cells, a frozen header row with filters on.

    openpyxl's write-only mode keeps one row in memory at a time; the workbook goes to a temporary file.
    """
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=str(table.title)[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_cell(sheet, str(header), bold=True) for header in table.headers])
        rows = 0
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
            rows += 1
        last = get_column_letter(max(len(table.headers), 1))
        sheet.auto_filter.ref = f"A1:{last}{rows + 1}"
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(output)
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
