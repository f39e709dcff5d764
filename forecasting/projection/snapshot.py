"""What a snapshot freezes of a forecast: weekly expected flows by account and category, weekly closing ranges.

The total closing range is the projection's own (the outlook's figures, to the cent); each account's comes
from its simulated paths (projection.breakdown). Weeks start on Monday; the first one starts the day after as-of.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from forecasting.core import columns as C
from forecasting.model.invoicing import week_start
from forecasting.projection.breakdown import Breakdown, breakdown
from forecasting.projection.frames import daily_and_weekly
from forecasting.projection.types import CashItems, Projection

WEEK_FLOW_COLUMNS = [C.WEEK_START, C.ACCOUNT_ID, C.CATEGORY, "receipts", "disbursements"]
WEEK_CLOSING_COLUMNS = [C.WEEK_START, C.ACCOUNT_ID, "closing_expected", "closing_p10", "closing_p50", "closing_p90"]
CLOSINGS = ["closing_expected", "closing_p10", "closing_p50", "closing_p90"]


@dataclass(frozen=True, eq=False)
class SnapshotFrames:
    """The weekly figures a snapshot keeps, rounded to the cent as the database stores them."""

    flows: pd.DataFrame  # WEEK_FLOW_COLUMNS
    closings: pd.DataFrame  # WEEK_CLOSING_COLUMNS, C.TOTAL_ACCOUNT rows for all accounts together


def snapshot_frames(projection: Projection, parts: Breakdown) -> SnapshotFrames:
    """Return the weekly flows by account and category and the weekly closings of a forecast."""
    flows = parts.flows.assign(**{C.WEEK_START: pd.to_datetime(week_start(parts.flows["date"]))
                                  if len(parts.flows) else pd.Series(dtype="datetime64[ns]")})
    flows = flows.groupby([C.WEEK_START, C.ACCOUNT_ID, C.CATEGORY], as_index=False, sort=True)[
        ["receipts", "disbursements"]].sum()
    total = projection.weekly[[C.WEEK_START, *CLOSINGS]].assign(**{C.ACCOUNT_ID: C.TOTAL_ACCOUNT})
    closings = parts.closings
    if len(closings):  # each account's closing on the last projected day of each week
        closings = closings.assign(**{C.WEEK_START: pd.to_datetime(week_start(closings["date"]))})
        closings = closings.sort_values("date").groupby([C.WEEK_START, C.ACCOUNT_ID], as_index=False).last()
    rows = pd.concat([closings[WEEK_CLOSING_COLUMNS], total[WEEK_CLOSING_COLUMNS]], ignore_index=True) if len(
        closings) else total[WEEK_CLOSING_COLUMNS]
    return SnapshotFrames(flows=_cents(flows[WEEK_FLOW_COLUMNS], ["receipts", "disbursements"]),
                          closings=_cents(rows.reset_index(drop=True), CLOSINGS))


def snapshot_of(cash: CashItems, data_version: int | None) -> tuple[SnapshotFrames, dict[str, Any]]:
    """Return what a snapshot of the (baseline) forecast of `cash` keeps, and the settings it records."""
    projection = Projection(*daily_and_weekly(cash))
    settings: dict[str, Any] = {
        "as_of": cash.as_of.date().isoformat(), "horizon_weeks": cash.horizon_weeks, "scenario": None,
        "data_version": data_version, "n_sims": int(cash.pay_day_offsets.shape[1]), "seed": cash.settings.seed,
        "opening_balance": round(float(cash.opening_balance), 2),
    }
    return snapshot_frames(projection, breakdown(cash)), settings


def _cents(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return the frame with its money columns rounded to the cent (the database's DECIMAL(18,2))."""
    return frame.assign(**{c: frame[c].astype(float).round(2) for c in columns})
