"""The Excel workbook: forecast, summary, KPIs, aging and the scenario comparison, one sheet per table.

Cells hold real numbers and dates with number formats (amounts `#,##0`, percentages, days), the header row is
styled and frozen, columns are sized to their content. Figures come from the same JSON payloads as
`cashpilot forecast --format json` (amounts to the cent), so the workbook and the CLI agree to the cent.
Text is always written as text: a cell starting with `=`, `+`, `-` or `@` (a scenario or client name) is
typed as a string with Excel's quote prefix, never stored as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from forecasting.i18n.formats import fmt_date
from forecasting.i18n.translate import localise, tr
from forecasting.i18n.weeks import week_header
from forecasting.reports.charts import theme
from forecasting.reports.payload import WeekJson, plain
from forecasting.reports.source import ExportSource
from forecasting.reports.tables import (
    AMOUNT,
    AMOUNT_SIGNED,
    DAYS,
    EFFECT_ROWS,
    INTEGER,
    PERCENT,
    SCENARIO_ROWS,
    kpi_rows,
)
from forecasting.reports.waterfall import BFR, BFR_ALONE, NET_CASH, NET_CASH_ALONE, STEP, waterfall_frame
from forecasting.reports.xlsx_bank import bank_sheets

DATE_FORMATS = {"fr": "dd/mm/yyyy", "en": "yyyy-mm-dd"}
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_SHEET_NAME = 31  # Excel's limit
SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

Row = Sequence[Any]
CellValue = str | float | date | None  # what a sheet holds: text, numbers (ints too), dates


def _text(cell: Cell | MergedCell, value: str) -> None:
    """Write `value` as a text cell, never a formula (openpyxl reads a leading '=' as one)."""
    cell.value = value
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True  # Excel keeps it as text when the cell is edited


def _as_date(value: object) -> date | None:
    """Return an ISO text or a date as a date (None when missing)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _sheet_name(text: str, taken: set[str]) -> str:
    """Return a valid, unused sheet name: no []:*?/\\, at most 31 characters."""
    base = text.translate(SHEET_FORBIDDEN).strip().strip("'")[:MAX_SHEET_NAME] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


class _Book:
    """A workbook being written in one language with the theme's header colour."""

    def __init__(self, lang: str) -> None:
        """Start an empty workbook."""
        self.lang = lang
        self.wb = Workbook()
        first = self.wb.active
        if isinstance(first, Worksheet):  # a new workbook opens with one empty sheet: every sheet is added here
            self.wb.remove(first)
        self.taken: set[str] = set()
        primary = theme.palette().primary.lstrip("#").upper()
        self.header_fill = PatternFill("solid", fgColor=primary)
        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_border = Border(bottom=Side(style="thin", color="9AA1AB"))

    def sheet(self, title: str, headers: Sequence[str], rows: Sequence[Row], formats: Sequence[str | None],
              freeze: str = "A2") -> Worksheet:
        """Add a sheet: a styled, frozen header row, then rows typed by column format."""
        ws: Worksheet = self.wb.create_sheet(_sheet_name(title, self.taken))
        for col, header in enumerate(headers, 1):
            cell = ws.cell(row=1, column=col)
            _text(cell, header)
            cell.fill, cell.font, cell.border = self.header_fill, self.header_font, self.header_border
            cell.alignment = Alignment(horizontal="left" if formats[col - 1] in (None, "date") else "right",
                                       vertical="center", wrap_text=True)
        for r, row in enumerate(rows, 2):
            for col, value in enumerate(row, 1):
                self._write(ws.cell(row=r, column=col), value, formats[col - 1])
        ws.freeze_panes = freeze
        self._widths(ws, headers, rows, formats)
        return ws

    def _write(self, cell: Cell | MergedCell, value: CellValue, fmt: str | None) -> None:
        """Write one value: text as text, dates as dates, numbers with their number format."""
        if value is None:
            return
        if isinstance(value, str) and fmt != "date":
            _text(cell, value)
            return
        if fmt == "date":
            cell.value = _as_date(value)
            cell.number_format = DATE_FORMATS.get(self.lang, DATE_FORMATS["en"])
            return
        cell.value = value
        if fmt:
            cell.number_format = fmt

    def _widths(self, ws: Worksheet, headers: Sequence[str], rows: Sequence[Row],
                formats: Sequence[str | None]) -> None:
        """Size each column to its longest text (numbers as they will show, about 1.3 characters per digit group)."""
        for col, header in enumerate(headers, 1):
            longest = max(len(word) for word in str(header).split()) if str(header).strip() else 4
            for row in rows:
                value = row[col - 1] if col - 1 < len(row) else None
                if value is None:
                    continue
                if formats[col - 1] == "date":
                    size = 10
                elif isinstance(value, (int, float)):
                    size = len(f"{value:,.0f}") + 2
                else:
                    size = len(str(value))
                longest = max(longest, size)
            ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 10), 60)


# --- the sheets ------------------------------------------------------------------------------------
def _weekly_rows(weeks: list[WeekJson]) -> list[Row]:
    """Return the rows of a weekly table from a forecast payload's weeks."""
    return [[w["week_start"], w["receipts"], w["disbursements"], w["net"], w["closing_expected"], w["closing_p10"],
             w["closing_p90"]] for w in weeks]


def _weekly_sheet(book: _Book, title: str, weeks: list[WeekJson]) -> None:
    """Add a weekly forecast table."""
    lang = book.lang
    headers = [week_header(lang), tr("Receipts", lang), tr("Disbursements", lang), tr("Net flow", lang),
               tr("Closing cash (expected)", lang), tr("Closing cash P10", lang), tr("Closing cash P90", lang)]
    book.sheet(title, headers, _weekly_rows(weeks), ["date", AMOUNT, AMOUNT, AMOUNT_SIGNED, AMOUNT, AMOUNT, AMOUNT],
               freeze="B2")


def _figure_rows(src: ExportSource, lang: str) -> list[tuple[str, Any, str | None]]:
    """Return the headline figures as every page names them (reports/figures.py), to the cent, with their dates."""
    cash, ledger, s = src.cash_figures, src.ledger_figures, src.forecast["summary"]
    horizon, low = cash.net_cash_at_horizon, cash.lowest_point
    return [(label, plain(value), fmt) for label, value, fmt in [
        (localise(cash.opening_cash.label, lang), cash.opening_cash.value, AMOUNT),
        (tr("Opening balance date", lang), s["opening_balance_date"], "date"),
        (localise(horizon.label, lang), horizon.value, AMOUNT),
        (tr("Net cash at horizon P10", lang), horizon.p10, AMOUNT),
        (tr("Net cash at horizon P90", lang), horizon.p90, AMOUNT),
        (localise(low.label, lang), low.value, AMOUNT),
        (tr("Lowest point on", lang), plain(low.day), "date"),
        (localise(cash.first_day_below_zero.label, lang), plain(cash.first_day_below_zero.day), "date"),
        (localise(cash.first_day_beyond_overdraft.label, lang), plain(cash.first_day_beyond_overdraft.day), "date"),
        (tr("Authorised overdraft", lang), s["overdraft_limit"], AMOUNT),
        (localise(cash.expected_bad_debt.label, lang), cash.expected_bad_debt.value, AMOUNT),
        *[(localise(f.label, lang), f.value, DAYS if f.key == "dso" else AMOUNT) for f in ledger.items()],
    ]]


def _summary_sheet(book: _Book, src: ExportSource) -> None:
    """Add the forecast summary: one labelled figure a row."""
    lang = book.lang
    s = src.forecast["summary"]
    fresh = src.freshness
    rows: list[tuple[str, Any, str | None]] = [
        (tr("Company", lang), src.company or "—", None),
        (tr("As-of date", lang), s["as_of"], "date"),
        (tr("Horizon (weeks)", lang), s["horizon_weeks"], INTEGER),
        *_figure_rows(src, lang),
        (tr("Latest bank balance", lang), plain(fresh["bank_balances"]), "date"),
        (tr("Latest client invoice", lang), plain(fresh["receivables"]), "date"),
        (tr("Latest payment", lang), plain(fresh["payments"]), "date"),
        (tr("Currency", lang), "EUR", None),
    ]
    rows += [(tr("Note", lang), localise(note, lang), None) for note in s["notes"]]
    ws = book.sheet(tr("Summary", lang), [tr("Item", lang), tr("Value", lang)], [(a, b) for a, b, _ in rows],
                    [None, None], freeze="A2")
    # Each value row has its own format: the table is a list of labelled figures, not a column of one kind.
    for r, (_, value, fmt) in enumerate(rows, 2):
        cell = ws.cell(row=r, column=2)
        cell.value = None
        if isinstance(value, str) and fmt != "date":
            _text(cell, value)
        else:
            book._write(cell, value, fmt)
        cell.alignment = Alignment(horizontal="right" if fmt else "left")
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width, 16)






def _kpi_sheet(book: _Book, src: ExportSource) -> None:
    """Add the KPIs: label, value (its own number format), unit."""
    lang = book.lang
    rows = kpi_rows(src.kpis, lang)
    ws = book.sheet(tr("KPIs", lang), [tr("Indicator", lang), tr("Value", lang), tr("Unit", lang)],
                    [(label, value, unit) for label, value, _, unit in rows], [None, None, None])
    for r, (_, value, fmt, _) in enumerate(rows, 2):
        cell = ws.cell(row=r, column=2)
        if value is not None:
            cell.value = value
            cell.number_format = fmt
        cell.alignment = Alignment(horizontal="right")


def _aging_sheet(book: _Book, src: ExportSource) -> None:
    """Add the receivables aged balance."""
    from forecasting.reports.charts.kpis import bucket_label

    lang = book.lang
    aging = src.aging
    rows = [(bucket_label(str(bucket), lang), int(count), round(float(amount), 2), float(share))
            for bucket, count, amount, share in zip(aging["bucket"], aging["count"], aging["amount_eur"],
                                                    aging["share"], strict=True)]
    book.sheet(tr("Aging", lang), [tr("Days overdue", lang), tr("Invoices", lang), tr("Open amount", lang),
                                   tr("Share", lang)], rows, [None, INTEGER, AMOUNT, PERCENT])




def scenario_table(src: ExportSource) -> tuple[list[str], list[list[Any]], list[str | None]]:
    """Return headers, rows and formats of the comparison: indicator, baseline, then each scenario and its delta."""
    lang = src.lang
    headers = [tr("Indicator", lang), tr("Baseline", lang)]
    for result in src.results:
        headers += [result.scenario_name, tr("Δ {name}", lang, name=result.scenario_name)]
    rows: list[list[Any]] = []
    formats: list[str | None] = [None] * (2 + 2 * len(src.results))
    base = plain(src.results[0].kpis_baseline) if src.results else {}
    for key, label, fmt in SCENARIO_ROWS:
        row: list[Any] = [tr(label, lang), (fmt, base.get(key))]
        for result, payload in zip(src.results, src.scenario_payloads, strict=True):
            scen = plain(result.kpis_scenario)
            delta = payload["delta"].get(key) if fmt != "date" else None
            row += [(fmt, scen.get(key)), (AMOUNT_SIGNED if fmt == AMOUNT else fmt, delta)]
        rows.append(row)
    for key, label in EFFECT_ROWS:
        row = [tr(label, lang), (AMOUNT, None)]
        for payload in src.scenario_payloads:
            row += [(AMOUNT, None), (AMOUNT_SIGNED, payload["delta"]["financial_effect"][key])]
        rows.append(row)
    return headers, rows, formats


def _scenario_sheet(book: _Book, src: ExportSource) -> None:
    """Add the comparison: a row per indicator; baseline, then each scenario's value and its difference."""
    headers, rows, formats = scenario_table(src)
    values = [[cell[1] if isinstance(cell, tuple) else cell for cell in row] for row in rows]
    ws = book.sheet(tr("Scenarios", book.lang), headers, values, formats, freeze="B2")
    for r, row in enumerate(rows, 2):
        for c, cell in enumerate(row, 1):
            if isinstance(cell, tuple):
                fmt, value = cell
                target = ws.cell(row=r, column=c)
                target.value = None
                book._write(target, value, fmt)
                target.alignment = Alignment(horizontal="right")
    for c in range(2, len(headers) + 1):
        ws.column_dimensions[get_column_letter(c)].width = max(ws.column_dimensions[get_column_letter(c)].width, 14)


def _waterfall_sheet(book: _Book, src: ExportSource) -> None:
    """Add what each lever brings, for every scenario of several levers: baseline, levers in order, scenario."""
    lang = book.lang
    rows: list[Row] = []
    for fall in src.waterfalls:
        frame = waterfall_frame(fall, lang)
        for row in frame.to_dict("records"):
            rows.append([fall.scenario_name, row[STEP], row[NET_CASH], _missing(row[NET_CASH_ALONE]), row[BFR],
                         _missing(row[BFR_ALONE])])
    headers = [tr("Scenario", lang), tr("Step", lang), tr("Net cash at horizon (expected)", lang),
               tr("Lever alone", lang), tr("BFR at horizon", lang), tr("Lever alone", lang)]
    book.sheet(tr("Effect of each lever", lang), headers, rows,
               [None, None, AMOUNT_SIGNED, AMOUNT_SIGNED, AMOUNT_SIGNED, AMOUNT_SIGNED], freeze="C2")


def _missing(value: Any) -> Any:
    """Return None for a missing number (an empty cell), the value otherwise."""
    return None if pd.isna(value) else value


def workbook_bytes(src: ExportSource) -> bytes:
    """Return the .xlsx workbook of the source in its language: forecast, summary, KPIs, aging, scenarios."""
    book = _Book(src.lang)
    lang = src.lang
    _weekly_sheet(book, tr("Forecast", lang), src.forecast["weeks"])
    _summary_sheet(book, src)
    _kpi_sheet(book, src)
    _aging_sheet(book, src)
    if src.results:
        _scenario_sheet(book, src)
        if src.waterfalls:
            _waterfall_sheet(book, src)
        for payload in src.scenario_payloads:
            _weekly_sheet(book, tr("Scenario {name}", lang, name=payload["scenario"]), payload["weeks"])
    for title, headers, rows, formats in bank_sheets(src):  # the treasury table, forecast vs actual (issue 18)
        book.sheet(title, headers, rows, formats, freeze="B2")
    book.wb.properties.title = tr("Cash forecast as of {date}", lang, date=fmt_date(src.as_of, lang))
    book.wb.properties.creator = "cashpilot"
    out = io.BytesIO()
    book.wb.save(out)
    return out.getvalue()
