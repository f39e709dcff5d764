"""Plain, JSON-ready views of a projection: what the CLI prints and exports share."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

WEEK_COLUMNS = ["week_start", "receipts", "disbursements", "net", "closing_p10", "closing_p50", "closing_p90"]
SUMMARY_KEYS = ["as_of", "horizon_weeks", "opening_balance", "opening_balance_date", "min_cash", "min_cash_date",
                "first_shortfall_date", "first_overdraft_breach_date", "overdraft_limit", "expected_bad_debt",
                "covers", "notes"]


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


def forecast_payload(weekly: pd.DataFrame, summary: dict[str, Any]) -> dict[str, Any]:
    """Return {weeks: [...], summary: {...}} with the documented keys."""
    weeks = [plain(row) for row in weekly[WEEK_COLUMNS].to_dict("records")]
    return {"weeks": weeks, "summary": plain({k: summary.get(k) for k in SUMMARY_KEYS})}


def weekly_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """Return the weekly outlook with readable column names, amounts rounded to the euro."""
    table = weekly[WEEK_COLUMNS].copy()
    table["week_start"] = table["week_start"].dt.date
    for c in WEEK_COLUMNS[1:]:
        table[c] = table[c].round(0)
    return table


def scenario_payload(result: Any) -> dict[str, Any]:
    """Return the scenario's forecast payload plus `delta` (scenario − baseline), `warnings` and its name."""
    payload = forecast_payload(result.scenario.weekly, result.scenario.summary)
    payload["scenario"] = result.scenario_name
    payload["baseline"] = forecast_payload(result.baseline.weekly, result.baseline.summary)["summary"]
    payload["delta"] = plain(result.delta)
    payload["warnings"] = list(result.warnings)
    return payload
