"""Forecast vs actual: a snapshot against the bank's movements (variance split), and the accuracy of successive
snapshots (the error of the forecast made 1, 4 and 13 weeks before each week).

Only complete weeks are compared: weeks whose Sunday is on or before the last booking date of the movements
(`through`), so a week the bank has not finished is never called short. Movements are converted to EUR at the
snapshot's as-of rates, as its forecast was; an uncategorised movement (category NULL) counts as 'other'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.snapshots import StoredSnapshot
from forecasting.model.invoicing import to_reporting
from forecasting.projection.variance import (
    PARTS,
    horizon_weeks_of,
    split_variance,
    variance_totals,
    weekly_actuals,
)

LEADS = (1, 4, 13)  # weeks ahead whose forecast error is tracked
ACCURACY_COLUMNS = [C.WEEK_START, "lead_weeks", C.SNAPSHOT_ID, "forecast_net", "actual_net", "error"]
ACCURACY_SUMMARY_COLUMNS = ["lead_weeks", "weeks", "mean_abs_error", "bias", "mean_abs_actual"]


@dataclass(frozen=True, eq=False)
class ForecastVsActual:
    """One snapshot against the movements: the weeks compared and the variance split by week and category."""

    snapshot_id: int
    as_of: pd.Timestamp
    label: str
    account: str | None  # None: all accounts
    through: pd.Timestamp | None  # the last booking date of the movements (None: no movement)
    weeks: pd.DatetimeIndex  # the snapshot's weeks compared (complete by `through`)
    variance: pd.DataFrame  # projection.variance.VARIANCE_COLUMNS
    by_week: pd.DataFrame
    by_category: pd.DataFrame


@dataclass(frozen=True, eq=False)
class Accuracy:
    """The error of successive snapshots' weekly net flow, by how many weeks ahead each was made."""

    errors: pd.DataFrame  # ACCURACY_COLUMNS: one row per week and lead (the latest snapshot of that lead)
    summary: pd.DataFrame  # ACCURACY_SUMMARY_COLUMNS, one row per lead of LEADS


def movements_eur(movements: pd.DataFrame, fx_rates: pd.DataFrame, as_of: pd.Timestamp) -> npt.NDArray[np.float64]:
    """Return each movement's signed amount in EUR at the rate of `as_of` (the forecast's)."""
    if not len(movements):
        return np.zeros(0)
    return to_reporting(movements[C.AMOUNT].astype(float), movements[C.CURRENCY].fillna(C.REPORTING_CURRENCY),
                        fx_rates, as_of)


def last_booking(movements: pd.DataFrame) -> pd.Timestamp | None:
    """Return the latest booking date of the movements (None when there is none)."""
    if not len(movements):
        return None
    return pd.Timestamp(pd.to_datetime(movements[C.BOOKING_DATE]).max())


def compared_weeks(snapshot: StoredSnapshot, through: pd.Timestamp | None) -> pd.DatetimeIndex:
    """Return the snapshot's weeks that are complete by `through`."""
    weeks = horizon_weeks_of(snapshot.as_of, snapshot.horizon_weeks)
    if through is None:
        return weeks[:0]
    return weeks[weeks + pd.Timedelta(days=6) <= through]


def forecast_vs_actual(snapshot: StoredSnapshot, movements: pd.DataFrame, fx_rates: pd.DataFrame,
                       account: str | None = None) -> ForecastVsActual:
    """Return the snapshot's forecast against the movements, by week and category, with the variance split."""
    through = last_booking(movements)
    weeks = compared_weeks(snapshot, through)
    flows = snapshot.flows
    if account is not None:
        flows = flows[flows[C.ACCOUNT_ID] == account]
        movements = movements[movements[C.ACCOUNT_ID].astype(str) == account]
    actual = weekly_actuals(movements, movements_eur(movements, fx_rates, snapshot.as_of), snapshot.as_of,
                            through) if through is not None else weekly_actuals(movements, np.zeros(0),
                                                                                snapshot.as_of, snapshot.as_of)
    forecast = flows.groupby([C.WEEK_START, C.CATEGORY], as_index=False)[["receipts", "disbursements"]].sum()
    variance = split_variance(forecast, actual, weeks)
    by_week = variance_totals(variance, C.WEEK_START).set_index(C.WEEK_START).reindex(weeks, fill_value=0.0)
    return ForecastVsActual(
        snapshot_id=snapshot.snapshot_id, as_of=snapshot.as_of, label=snapshot.label, account=account,
        through=through, weeks=weeks, variance=variance,
        by_week=by_week.rename_axis(C.WEEK_START).reset_index(),
        by_category=variance_totals(variance, C.CATEGORY))


def accuracy(snapshots: Sequence[StoredSnapshot], movements: pd.DataFrame, fx_rates: pd.DataFrame,
             leads: Sequence[int] = LEADS) -> Accuracy:
    """Return the error (actual − forecast net flow) of the forecast made `lead` weeks before each week.

    A week's lead in a snapshot is its place in the snapshot's weeks (1 = the week holding the day after as-of);
    when several snapshots give a week the same lead, the one taken last counts.
    """
    through = last_booking(movements)
    rows = []
    for snapshot in snapshots:
        weeks = compared_weeks(snapshot, through)
        if not len(weeks) or through is None:
            continue
        eur = movements_eur(movements, fx_rates, snapshot.as_of)
        actual = weekly_actuals(movements, eur, snapshot.as_of, through)
        actual_net = _net_by_week(actual, weeks)
        forecast_net = _net_by_week(snapshot.flows, weeks)
        lead = np.arange(1, len(weeks) + 1)
        rows.append(pd.DataFrame({C.WEEK_START: weeks, "lead_weeks": lead, C.SNAPSHOT_ID: snapshot.snapshot_id,
                                  "forecast_net": forecast_net, "actual_net": actual_net,
                                  "error": actual_net - forecast_net, "_taken": snapshot.created_at}))
    if not rows:
        errors = pd.DataFrame(columns=ACCURACY_COLUMNS)
    else:
        errors = pd.concat(rows, ignore_index=True)
        errors = errors[errors["lead_weeks"].isin(list(leads))].sort_values(["_taken", C.SNAPSHOT_ID])
        errors = errors.groupby([C.WEEK_START, "lead_weeks"], as_index=False).last()[ACCURACY_COLUMNS]
        errors = errors.sort_values([C.WEEK_START, "lead_weeks"]).reset_index(drop=True)
    summary = pd.DataFrame([_lead_summary(errors[errors["lead_weeks"] == lead], lead) for lead in leads],
                           columns=ACCURACY_SUMMARY_COLUMNS)
    return Accuracy(errors=errors, summary=summary)


def _net_by_week(frame: pd.DataFrame, weeks: pd.DatetimeIndex) -> npt.NDArray[np.float64]:
    """Return receipts − disbursements by week over `weeks` (0 where nothing)."""
    if not len(frame):
        return np.zeros(len(weeks))
    net = (frame["receipts"] - frame["disbursements"]).groupby(pd.to_datetime(frame[C.WEEK_START])).sum()
    return np.asarray(net.reindex(weeks, fill_value=0.0), dtype=np.float64)


def _lead_summary(errors: pd.DataFrame, lead: int) -> dict[str, float | int | None]:
    """Return one lead's number of weeks, mean absolute error, bias and mean absolute actual net flow."""
    if not len(errors):
        return {"lead_weeks": lead, "weeks": 0, "mean_abs_error": None, "bias": None, "mean_abs_actual": None}
    return {"lead_weeks": lead, "weeks": len(errors), "mean_abs_error": float(errors["error"].abs().mean()),
            "bias": float(errors["error"].mean()), "mean_abs_actual": float(errors["actual_net"].abs().mean())}


__all__ = ["LEADS", "PARTS", "Accuracy", "ForecastVsActual", "accuracy", "forecast_vs_actual"]
