"""CSV (the grants table, streamed) and XLSX (grants, totals by region and by theme, organisations)."""

from django.utils import translation

from .base import csv_stream, file_chunks, xlsx_file
from .tables import grants_table, organizations_table, regions_table, themes_table


def render_csv(grants, context):
    with translation.override(context.language):
        yield from csv_stream(grants_table(grants))


def render_xlsx(grants, context):
    with translation.override(context.language):
        workbook = xlsx_file(
            [
                grants_table(grants),
                regions_table(context.totals),
                themes_table(context.totals),
                organizations_table(grants),
            ]
        )
    yield from file_chunks(workbook)
