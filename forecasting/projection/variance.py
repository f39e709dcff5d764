"""A frozen forecast against the bank's movements, week by week and category by category, each variance split
into timing, amount and unforecast so that timing + amount + unforecast = actual − forecast exactly.

The split works on category totals (the bank movements are not linked to forecast lines here), for receipts and
disbursements apart, on the weeks compared:
1. on time: in each week, the smaller of forecast and actual is money that came as forecast;
2. timing: what a week got beyond its forecast is matched with what other weeks missed of theirs, nearest weeks
   first (an earlier week before a later one at equal distance: money late rather than early); each matched euro
   is −1 in the week that missed it and +1 in the week it came, so timing sums to zero over the weeks compared;
3. amount: what a week missed and no other week made up (came smaller, or not at all), and what a forecast week
   got beyond all the forecast (came larger);
4. unforecast: what came in a week with no forecast of that category and matched no missed forecast.
Steps 1-4 share out each week's forecast and actual to the euro, hence the identity. Money that came in another
week of the same category is timing even when it is not the same invoice: only a link between movements and
invoices would tell them apart.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.model.invoicing import week_start
from forecasting.projection.breakdown import is_receipt, known_category

PARTS = ("timing", "amount", "unforecast")
VARIANCE_COLUMNS = [C.WEEK_START, C.CATEGORY, "forecast", "actual", "variance", *PARTS]
ACTUAL_COLUMNS = [C.WEEK_START, C.CATEGORY, "receipts", "disbursements"]


def horizon_weeks_of(as_of: pd.Timestamp, horizon_weeks: int) -> pd.DatetimeIndex:
    """Return the Mondays of a forecast's weeks: the first holds the day after as-of."""
    first = pd.Timestamp(week_start(np.datetime64((as_of + pd.Timedelta(days=1)).date(), "D"))[0])
    return pd.date_range(first, periods=int(horizon_weeks), freq="7D")


def weekly_actuals(movements: pd.DataFrame, amounts_eur: npt.NDArray[np.float64], as_of: pd.Timestamp,
                   through: pd.Timestamp) -> pd.DataFrame:
    """Return the movements booked after as-of and up to `through` by week and category (ACTUAL_COLUMNS)."""
    dates = pd.to_datetime(movements[C.BOOKING_DATE])
    keep = ((dates > as_of) & (dates <= through)).to_numpy()
    if not keep.any():
        return pd.DataFrame(columns=ACTUAL_COLUMNS)
    category = known_category(movements.loc[keep, C.CATEGORY]).reset_index(drop=True)
    amount = np.asarray(amounts_eur, dtype=float)[keep]
    receipt = is_receipt(category, amount)
    frame = pd.DataFrame({C.WEEK_START: pd.to_datetime(week_start(dates[keep])), C.CATEGORY: category.to_numpy(),
                          "receipts": np.where(receipt, amount, 0.0), "disbursements": np.where(receipt, 0.0, -amount)})
    return frame.groupby([C.WEEK_START, C.CATEGORY], as_index=False, sort=True)[["receipts", "disbursements"]].sum()


def split_one(forecast: npt.NDArray[np.float64], actual: npt.NDArray[np.float64]
              ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return (timing, amount, unforecast) by week of one category and direction (amounts in one sense, e.g. in)."""
    on_time = np.minimum(forecast, actual)
    missed, extra = forecast - on_time, actual - on_time
    timing = np.zeros(len(forecast))
    n = len(forecast)
    # Nearest weeks first; at equal distance the missed week before the extra one (money late), then by week.
    pairs = sorted((abs(i - j), 0 if i < j else 1, i, j) for i in range(n) for j in range(n) if i != j)
    for _, _, i, j in pairs:
        if missed[i] <= 0 or extra[j] <= 0:
            continue
        moved = min(missed[i], extra[j])
        missed[i] -= moved
        extra[j] -= moved
        timing[i] -= moved
        timing[j] += moved
    forecast_week = np.abs(forecast) > 0
    amount = np.where(forecast_week, extra, 0.0) - missed
    unforecast = np.where(forecast_week, 0.0, extra)
    return timing, amount, unforecast


def split_variance(forecast: pd.DataFrame, actual: pd.DataFrame, weeks: pd.DatetimeIndex) -> pd.DataFrame:
    """Return forecast, actual and the variance split by week and category (VARIANCE_COLUMNS) over `weeks`.

    `forecast` and `actual` have ACTUAL_COLUMNS (receipts and disbursements positive); amounts are net signed in
    the result (receipts − disbursements), and timing + amount + unforecast = actual − forecast on every row.
    """
    if not len(weeks):
        return pd.DataFrame(columns=VARIANCE_COLUMNS)
    categories = sorted(set(forecast[C.CATEGORY]) | set(actual[C.CATEGORY]), key=_category_order)
    rows = []
    for category in categories:
        parts = {name: np.zeros(len(weeks)) for name in ("forecast", "actual", *PARTS)}
        for direction, sign in (("receipts", 1.0), ("disbursements", -1.0)):
            f = _by_week(forecast, category, direction, weeks)
            a = _by_week(actual, category, direction, weeks)
            if not (f.any() or a.any()):
                continue
            split = _signed_split(f, a)
            parts["forecast"] += sign * f
            parts["actual"] += sign * a
            for name, values in zip(PARTS, split, strict=True):
                parts[name] += sign * values
        if not (parts["forecast"].any() or parts["actual"].any()):
            continue
        rows.append(pd.DataFrame({C.WEEK_START: weeks, C.CATEGORY: category, **parts}))
    if not rows:
        return pd.DataFrame(columns=VARIANCE_COLUMNS)
    out = pd.concat(rows, ignore_index=True)
    out = out[(out["forecast"] != 0) | (out["actual"] != 0)]  # a week without either has nothing to split
    out["variance"] = out["actual"] - out["forecast"]
    return out.sort_values([C.WEEK_START, C.CATEGORY], key=_sort_key, kind="stable")[VARIANCE_COLUMNS].reset_index(
        drop=True)


def _signed_split(forecast: npt.NDArray[np.float64], actual: npt.NDArray[np.float64]
                  ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return split_one of one direction whose weekly totals may be negative (a credit note larger than sales).

    The positive and negative parts are split apart (each with amounts of one sign), then added.
    """
    pos = split_one(np.maximum(forecast, 0.0), np.maximum(actual, 0.0))
    neg = split_one(np.maximum(-forecast, 0.0), np.maximum(-actual, 0.0))
    return pos[0] - neg[0], pos[1] - neg[1], pos[2] - neg[2]


def _by_week(frame: pd.DataFrame, category: str, column: str, weeks: pd.DatetimeIndex) -> npt.NDArray[np.float64]:
    """Return one category's column summed by week, over `weeks` (0 where nothing)."""
    rows = frame[frame[C.CATEGORY] == category]
    sums = rows.groupby(pd.to_datetime(rows[C.WEEK_START]))[column].sum() if len(rows) else pd.Series(dtype=float)
    return np.asarray(sums.reindex(weeks, fill_value=0.0), dtype=np.float64)


def _category_order(category: str) -> tuple[int, str]:
    """Return the position of a category in C.MOVEMENT_CATEGORIES (unknown ones last, by name)."""
    order = C.MOVEMENT_CATEGORIES
    return (order.index(category) if category in order else len(order), category)


def _sort_key(column: pd.Series) -> pd.Series:
    """Return the sort key of a column of the variance frame: categories in the usual order."""
    if column.name == C.CATEGORY:
        return column.map(lambda c: _category_order(str(c))[0])
    return column


def variance_totals(variance: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return the variance frame summed by week or by category (`by` = C.WEEK_START or C.CATEGORY)."""
    numbers = ["forecast", "actual", "variance", *PARTS]
    if not len(variance):
        return pd.DataFrame(columns=[by, *numbers])
    total = variance.groupby(by, as_index=False, sort=False)[numbers].sum()
    return total.sort_values(by, key=_sort_key, kind="stable").reset_index(drop=True) if by == C.CATEGORY else (
        total.sort_values(by).reset_index(drop=True))
