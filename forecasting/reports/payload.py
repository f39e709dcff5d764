"""Plain, JSON-ready views of a projection: what the CLI prints and exports share.

The JSON of `cashpilot forecast --format json` is a contract with scripts, so its layout is spelled here as
TypedDicts (WeekJson, SummaryJson, ForecastPayload, ScenarioPayload): amounts to the cent, dates as ISO text,
None for a missing value.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict, final

import numpy as np
import pandas as pd

from forecasting.projection.types import ProjectionSummary
from forecasting.reports.figures import FigureJson, LedgerFigures, cash_figures, figures_json
from forecasting.scenarios.results import ScenarioResult

WEEK_COLUMNS = ["week_start", "receipts", "disbursements", "net", "closing_p10", "closing_p50", "closing_p90",
                "closing_expected"]  # the last added for issue 17: opening + the cumulated net flows


class WeekJson(TypedDict):
    """One week of the forecast: expected flows and closing cash (P10, median, P90, expected) in EUR, to the cent."""

    week_start: str
    receipts: float | None
    disbursements: float | None
    net: float | None
    closing_p10: float | None
    closing_p50: float | None
    closing_p90: float | None
    closing_expected: float | None


class SummaryJson(TypedDict):
    """The forecast's headline figures as scripts read them (a ProjectionSummary less its internal fields)."""

    as_of: str
    horizon_weeks: int
    opening_balance: float | None
    opening_balance_date: str | None
    min_cash: float | None
    min_cash_date: str
    first_shortfall_date: str | None
    first_overdraft_breach_date: str | None
    overdraft_limit: float | None
    expected_bad_debt: float | None
    covers: list[str]
    notes: list[str]
    net_cash_at_horizon: float | None  # issue 17: the expected closing on the last day, with its range
    net_cash_at_horizon_p10: float | None
    net_cash_at_horizon_p90: float | None


@final  # final: a reader tells the two payloads apart by the "delta" key
class ForecastPayload(TypedDict):
    """What `cashpilot forecast --format json` prints: weeks, summary, and the headline figures as every output
    names them (reports/figures.py)."""

    weeks: list[WeekJson]
    summary: SummaryJson
    figures: dict[str, FigureJson]


@final
class ScenarioPayload(TypedDict):
    """What `cashpilot forecast --scenario NAME --format json` prints: the scenario's forecast, then the comparison."""

    weeks: list[WeekJson]
    summary: SummaryJson
    scenario: str
    baseline: SummaryJson
    delta: dict[str, Any]  # ScenarioDelta.as_dict() (scenario − baseline, the financial effect nested), plain()
    warnings: list[str]


def plain(value: Any) -> Any:
    """Return a value JSON can hold: dates as ISO text, numpy numbers as floats (cents), NaN as None."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else round(float(value), 2)
    return value


def _cents(value: float) -> float | None:
    """Return an amount rounded to the cent, None when it is NaN (as plain() writes it)."""
    return None if np.isnan(value) else round(float(value), 2)


def _iso(value: date) -> str:
    """Return a date or a Timestamp as ISO text (the day only, as plain() writes it)."""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


def _day(value: date | None) -> str | None:
    """Return a date or a Timestamp as ISO text, None when missing (None or NaT)."""
    return None if value is None or pd.isna(value) else _iso(value)


def summary_json(summary: ProjectionSummary) -> SummaryJson:
    """Return the documented keys of a projection summary, in order, amounts to the cent and dates as ISO text."""
    return {
        "as_of": _iso(summary.as_of),
        "horizon_weeks": summary.horizon_weeks,
        "opening_balance": _cents(summary.opening_balance),
        "opening_balance_date": _day(summary.opening_balance_date),
        "min_cash": _cents(summary.min_cash),
        "min_cash_date": _iso(summary.min_cash_date),
        "first_shortfall_date": _day(summary.first_shortfall_date),
        "first_overdraft_breach_date": _day(summary.first_overdraft_breach_date),
        "overdraft_limit": _cents(summary.overdraft_limit),
        "expected_bad_debt": _cents(summary.expected_bad_debt),
        "covers": list(summary.covers),
        "notes": list(summary.notes),
        "net_cash_at_horizon": _cents(summary.net_cash_at_horizon),
        "net_cash_at_horizon_p10": _cents(summary.net_cash_at_horizon_p10),
        "net_cash_at_horizon_p90": _cents(summary.net_cash_at_horizon_p90),
    }


def weeks_json(weekly: pd.DataFrame) -> list[WeekJson]:
    """Return each week of a weekly frame with the documented keys, amounts to the cent."""
    return [{"week_start": _iso(start), "receipts": _cents(receipts), "disbursements": _cents(disbursements),
             "net": _cents(net), "closing_p10": _cents(p10), "closing_p50": _cents(p50), "closing_p90": _cents(p90),
             "closing_expected": _cents(expected)}
            for start, receipts, disbursements, net, p10, p50, p90, expected
            in zip(*(weekly[c].tolist() for c in WEEK_COLUMNS), strict=True)]


def forecast_payload(weekly: pd.DataFrame, summary: ProjectionSummary,
                     ledger: LedgerFigures | None = None) -> ForecastPayload:
    """Return {weeks: [...], summary: {...}, figures: {...}} with the documented keys (ledger figures when given)."""
    groups = (cash_figures(summary),) if ledger is None else (cash_figures(summary), ledger)
    return {"weeks": weeks_json(weekly), "summary": summary_json(summary), "figures": figures_json(*groups)}


def weekly_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """Return the weekly outlook with readable column names, amounts rounded to the euro."""
    table = weekly[WEEK_COLUMNS].copy()
    table["week_start"] = table["week_start"].dt.date
    for c in WEEK_COLUMNS[1:]:
        table[c] = table[c].round(0)
    return table


def scenario_payload(result: ScenarioResult) -> ScenarioPayload:
    """Return the scenario's forecast payload plus `delta` (scenario − baseline), `warnings` and its name."""
    return {"weeks": weeks_json(result.scenario.weekly), "summary": summary_json(result.scenario.summary),
            "scenario": result.scenario_name,
            "baseline": summary_json(result.baseline.summary), "delta": plain(result.delta.as_dict()),
            "warnings": list(result.warnings)}
