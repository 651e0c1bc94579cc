"""What every tabular export shares: rows become streamed CSV or an XLSX workbook.

An export is a list of `Table`s (a title, column headers, an iterator of rows). CSV writes the first table, handed
on as the rows come; XLSX writes each as a sheet (XlsxWriter), into a temporary file that is then handed on.
Neither holds all rows in memory.
"""

import datetime
import io
import math
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from defusedcsv import csv as defusedcsv

CHUNK = 64 * 1024
CSV_BATCH = 1000  # rows per writerows() call and per chunk handed on
# defusedcsv puts an apostrophe before text a spreadsheet would run as a formula: text that starts with = + - @ | %,
# but not a number such as "-5" or "-1,000.50", so negative amounts stay numbers; in text it neutralises, "|" is
# written "\|". OWASP's list of such first characters also has the tab and the carriage return, which defusedcsv
# leaves alone: those two get the same apostrophe here, before defusedcsv sees the cell.
_ALSO_FORMULA_FIRST = frozenset("\t\r")


@dataclass
class Table:
    title: str
    headers: list
    rows: object  # an iterable of lists, consumed once
    widths: tuple = ()  # column widths in characters, for XLSX


def _csv_value(value):
    """A cell that is not a plain str: None is empty, amounts have two decimals, dates are ISO, the rest is text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(str(value))


def _text(value):
    return "'" + value if value and value[0] in _ALSO_FORMULA_FIRST else value


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

    Cells are typed by _csv_value, text is neutralised by defusedcsv's writer.
    """
    buffer = _Buffer()
    writer = defusedcsv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(header) for header in table.headers])
    also, other = _ALSO_FORMULA_FIRST, _csv_value
    batch = []
    for row in table.rows:
        batch.append(
            [
                ("'" + value if value and value[0] in also else value) if value.__class__ is str else other(value)
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
# XLSX: XlsxWriter in constant_memory mode (each row goes to disk as soon as the next one starts), into a temporary
# file that is then handed on in chunks.

# A sheet's name: at most 31 characters, none of these, not empty, unique regardless of case (XlsxWriter refuses
# others; a table's title is translated text, so it is made acceptable rather than refused).
_SHEET_NAME_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # Text is text: never a formula, a number or a link, whatever it starts with.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "remove_timezone": True,
}


def _sheet_name(title, taken):
    name = _SHEET_NAME_FORBIDDEN.sub("_", str(title)).strip("'")[:31] or "Sheet"
    base, number = name, 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


class _Formats:
    def __init__(self, workbook):
        self.bold = workbook.add_format({"bold": True})
        self.money = workbook.add_format({"num_format": "#,##0.00"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})


def _write_sheet(worksheet, table, formats):
    """One table as a sheet: a bold header row, frozen, filters over the rows, typed cells."""
    for column, width in enumerate(table.widths):
        worksheet.set_column(column, column, width)
    worksheet.freeze_panes(1, 0)
    for column, header in enumerate(table.headers):
        worksheet.write_string(0, column, str(header), formats.bold)
    write_string, write_number = worksheet.write_string, worksheet.write_number
    row, last_column = 0, max(len(table.headers), 1) - 1
    for row, values in enumerate(table.rows, start=1):
        last_column = max(last_column, len(values) - 1)
        for column, value in enumerate(values):
            kind = value.__class__
            if kind is str:
                if value:
                    write_string(row, column, value)
            elif value is None:
                continue
            elif kind is Decimal:
                if value.is_finite():
                    write_number(row, column, value, formats.money)
            elif kind is int or kind is float:
                if math.isfinite(value):
                    write_number(row, column, value)
            elif kind is bool:
                worksheet.write_boolean(row, column, value)
            elif isinstance(value, datetime.datetime):
                worksheet.write_datetime(row, column, value, formats.datetime)
            elif isinstance(value, datetime.date):
                worksheet.write_datetime(row, column, value, formats.date)
            elif text := str(value):
                write_string(row, column, text)
    worksheet.autofilter(0, 0, row, last_column)


def write_workbook(tables, output):
    """The tables as the sheets of one workbook, written to the binary file `output`.

    Amounts as numbers with #,##0.00, dates with yyyy-mm-dd, text as text (never formulas), the column widths of
    each table. `tables` may be any iterable: each table is asked for when the sheet before it is written, so a
    table that needs a query of its own makes it then.
    """
    workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
    formats, taken = _Formats(workbook), set()
    for table in tables:
        _write_sheet(workbook.add_worksheet(_sheet_name(table.title, taken)), table, formats)
    workbook.close()  # a workbook without tables gets XlsxWriter's one empty sheet


def xlsx_file(tables):
    """The workbook in a temporary file (in memory up to 8 MB), at its start."""
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    try:
        write_workbook(tables, output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def xlsx_stream(tables):
    """The workbook's bytes in chunks: built in full first (a zip archive's parts cannot be sent as they are
    written by XlsxWriter), then read from its temporary file."""
    yield from file_chunks(xlsx_file(tables))


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
