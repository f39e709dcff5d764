"""The board pack's bank-side pages: the treasury table by month, and the latest snapshot against the bank.

Drawn on pdf.py's BoardPack through the few building blocks named by `Pages` (pdf.py imports this module, not the
reverse). The weekly table is in the workbook: thirteen weeks and more do not fit an A4 page's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import plotly.graph_objects as go

from forecasting.core import columns as C
from forecasting.i18n.formats import fmt_date, fmt_number
from forecasting.i18n.translate import tr
from forecasting.i18n.weeks import week_header
from forecasting.reports.bank_labels import category_label
from forecasting.reports.charts.variance import variance_figure
from forecasting.reports.source import ExportSource
from forecasting.reports.xlsx_bank import treasury_rows

TEXT_WIDTH_MM = 180.0  # pdf.TEXT_W: an A4 page less its margins
PARTS = ("forecast", "actual", "variance", "timing", "amount", "unforecast")


class Pages(Protocol):
    """What these pages draw with (pdf.BoardPack)."""

    def add_page(self) -> None:
        """Start a page."""

    def heading(self, text: str) -> None:
        """Write a page heading."""

    def subheading(self, text: str) -> None:
        """Write a section title."""

    def paragraph(self, text: str, size: float = 9.0) -> None:
        """Write a paragraph."""

    def caption(self, text: str) -> None:
        """Write a small caption."""

    def chart(self, fig: go.Figure, height_px: int | None = None) -> None:
        """Draw a figure."""

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             align: Sequence[str], size: float = 8.0) -> None:
        """Draw a table."""


def treasury_page(pdf: Pages, src: ExportSource) -> None:
    """Draw the treasury table of all accounts by month: actual months from the bank, later ones forecast."""
    lang = src.lang
    pdf.add_page()
    pdf.heading(tr("Treasury table by month", lang))
    headers, rows = treasury_rows(src.treasury("month"), lang)
    label_mm = 46.0
    width = (TEXT_WIDTH_MM - label_mm) / max(len(headers) - 1, 1)
    cells = [[str(row[0]), *(v if isinstance(v, str) else fmt_number(v, lang) for v in row[1:])] for row in rows]
    pdf.grid(headers, cells, (label_mm, *([width] * (len(headers) - 1))), ("LEFT",) + ("RIGHT",) * (len(headers) - 1),
             size=7.2)
    pdf.caption(tr("Months up to as-of are the bank's movements; later days are forecast (the last month ends with "
                   "the horizon). Closing balance (expected) = opening + net flow; P10–P90 is its likely range. The "
                   "weekly table, in total and per account, is in the workbook. Amounts in euros.", lang))


def variance_page(pdf: Pages, src: ExportSource) -> None:
    """Draw the latest snapshot against the bank's movements: by week (chart and table) and by category."""
    result = src.forecast_vs_actual
    if result is None:
        return
    lang = src.lang
    pdf.add_page()
    pdf.heading(tr("Forecast vs actual", lang))
    if not len(result.weeks):
        pdf.paragraph(tr("Snapshot No. {id} of {day}: no complete week of bank movements after it yet.", lang,
                         id=result.snapshot_id, day=fmt_date(result.as_of, lang)))
        return
    pdf.paragraph(tr("Snapshot No. {id} of {day} against the bank's movements up to {through}: actual − forecast "
                     "= timing (money that came in another week) + amount (came in different) + unforecast "
                     "(nobody expected it).", lang, id=result.snapshot_id, day=fmt_date(result.as_of, lang),
                     through=fmt_date(result.through, lang) if result.through is not None else "—"))
    pdf.chart(variance_figure(result.by_week, lang=lang), 300)
    heads = [tr("Forecast", lang), tr("Actual", lang), tr("Variance", lang), tr("Timing", lang), tr("Amount", lang),
             tr("Unforecast", lang)]
    widths = (30.0, *([25.0] * 6))
    align = ("LEFT",) + ("RIGHT",) * 6
    rows = [[fmt_date(r[C.WEEK_START], lang), *(fmt_number(r[c], lang) for c in PARTS)]
            for r in result.by_week.to_dict("records")]
    pdf.grid([week_header(lang), *heads], rows, widths, align, size=7.5)
    rows = [[category_label(str(r[C.CATEGORY]), lang), *(fmt_number(r[c], lang) for c in PARTS)]
            for r in result.by_category.to_dict("records")]
    pdf.grid([tr("Category", lang), *heads], rows, widths, align, size=7.5)
    pdf.caption(tr("Compared by category totals: a receipt of another invoice arriving in the same category counts "
                   "as timing. Uncategorised movements count as 'Other'. Amounts in euros.", lang))
