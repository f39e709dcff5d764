"""The workbook's bank-side sheets: the 13-week treasury table (by week, by month, per account) and, when a
snapshot exists, the latest snapshot against the bank's movements and the accuracy of successive snapshots.

Each sheet is returned as (title, headers, rows, formats) for xlsx.py to write like its own sheets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from forecasting.core import columns as C
from forecasting.i18n.formats import fmt_date
from forecasting.i18n.translate import tr
from forecasting.i18n.weeks import week_header
from forecasting.reports.bank_labels import category_label, line_label, status_label
from forecasting.reports.source import ExportSource
from forecasting.reports.tables import AMOUNT, AMOUNT_SIGNED, INTEGER
from forecasting.reports.treasury_table import LINES, TreasuryTable

Table = tuple[str, list[str], list[Sequence[Any]], list[str | None]]


def period_heading(start: pd.Timestamp, period: str, lang: str) -> str:
    """Return a period's column heading: its Monday (week) or MM/YYYY (month)."""
    return fmt_date(start.date(), lang) if period == "week" else f"{start.month:02d}/{start.year}"


def treasury_rows(table: TreasuryTable, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Return the headings and rows of a 13-week table: a status row, then one row per line (NaN as empty)."""
    periods = list(pd.DatetimeIndex(table.table.columns))
    headers = [tr("Line", lang), *(period_heading(p, table.period, lang) for p in periods)]
    rows: list[list[Any]] = [[tr("Status", lang), *(status_label(table.status[p], lang) for p in periods)]]
    for line in LINES:
        values = table.table.loc[line].to_numpy(dtype=float)
        rows.append([line_label(line, lang), *(None if math.isnan(v) else round(float(v), 2) for v in values)])
    return headers, rows


def bank_sheets(src: ExportSource) -> list[Table]:
    """Return the bank side's sheets of the workbook, in the source's language."""
    lang = src.lang
    sheets: list[Table] = []
    tables = [(tr("Treasury table by week", lang), src.treasury("week")),
              (tr("Treasury table by month", lang), src.treasury("month"))]
    tables += [(tr("Weekly table {account}", lang, account=account), src.treasury("week", str(account)))
               for account in src.breakdown.openings.index]
    for title, table in tables:
        headers, rows = treasury_rows(table, lang)
        sheets.append((title, headers, list(rows), [None] + [AMOUNT_SIGNED] * (len(headers) - 1)))
    result = src.forecast_vs_actual
    if result is not None:
        headers = [week_header(lang), tr("Category", lang), tr("Forecast", lang), tr("Actual", lang),
                   tr("Variance", lang), tr("Timing", lang), tr("Amount", lang), tr("Unforecast", lang)]
        rows = [[pd.Timestamp(r[C.WEEK_START]).date(), category_label(str(r[C.CATEGORY]), lang),
                 *(round(float(r[c]), 2) for c in ("forecast", "actual", "variance", "timing", "amount",
                                                     "unforecast"))]
                for r in result.variance.to_dict("records")]
        sheets.append((tr("Forecast vs actual No. {id}", lang, id=result.snapshot_id), headers, list(rows),
                       ["date", None] + [AMOUNT_SIGNED] * 6))
    scores = src.accuracy
    if scores is not None:
        headers = [tr("Weeks ahead", lang), tr("Weeks scored", lang), tr("Mean absolute error", lang),
                   tr("Bias (actual − forecast)", lang), tr("Mean absolute net flow", lang)]
        rows = [[int(r["lead_weeks"]), int(r["weeks"]), *(None if r[c] is None or pd.isna(r[c]) else float(r[c])
                                                          for c in ("mean_abs_error", "bias", "mean_abs_actual"))]
                for r in scores.summary.to_dict("records")]
        sheets.append((tr("Snapshot accuracy", lang), headers, list(rows), [INTEGER, INTEGER, AMOUNT, AMOUNT_SIGNED,
                                                                          AMOUNT]))
    return sheets
