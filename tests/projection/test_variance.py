"""Tests of forecasting.projection.variance: the variance split worked out by hand, and its identity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.projection.variance import (
    horizon_weeks_of,
    split_one,
    split_variance,
    variance_totals,
    weekly_actuals,
)

WEEKS = pd.DatetimeIndex(pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19"]))


def _frame(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    """Return week_start, category, receipts, disbursements rows."""
    return pd.DataFrame([{C.WEEK_START: pd.Timestamp(w), C.CATEGORY: c, "receipts": r, "disbursements": d}
                         for w, c, r, d in rows], columns=[C.WEEK_START, C.CATEGORY, "receipts", "disbursements"])


def _row(variance: pd.DataFrame, week: str, category: str) -> dict[str, float]:
    """Return one week and category of the variance as a dict."""
    found = variance[(variance[C.WEEK_START] == pd.Timestamp(week)) & (variance[C.CATEGORY] == category)]
    assert len(found) == 1
    return {k: float(v) for k, v in found.iloc[0].drop([C.WEEK_START, C.CATEGORY]).items()}


def test_split_by_hand_late_smaller_and_unforecast() -> None:
    # Clients: 500 forecast in week 1 came in at 400; 1,000 forecast in week 2 came in week 3.
    # Suppliers: 800 forecast and paid in week 1. A bank fee of 30 in week 3 nobody forecast.
    forecast = _frame([("2026-01-05", "clients", 500.0, 0.0), ("2026-01-12", "clients", 1000.0, 0.0),
                       ("2026-01-05", "suppliers", 0.0, 800.0)])
    actual = _frame([("2026-01-05", "clients", 400.0, 0.0), ("2026-01-19", "clients", 1000.0, 0.0),
                     ("2026-01-05", "suppliers", 0.0, 800.0), ("2026-01-19", "bank_fees", 0.0, 30.0)])
    variance = split_variance(forecast, actual, WEEKS)
    assert _row(variance, "2026-01-05", "clients") == {"forecast": 500.0, "actual": 400.0, "variance": -100.0,
                                                       "timing": 0.0, "amount": -100.0, "unforecast": 0.0}
    assert _row(variance, "2026-01-12", "clients") == {"forecast": 1000.0, "actual": 0.0, "variance": -1000.0,
                                                       "timing": -1000.0, "amount": 0.0, "unforecast": 0.0}
    assert _row(variance, "2026-01-19", "clients") == {"forecast": 0.0, "actual": 1000.0, "variance": 1000.0,
                                                       "timing": 1000.0, "amount": 0.0, "unforecast": 0.0}
    assert _row(variance, "2026-01-19", "bank_fees") == {"forecast": 0.0, "actual": -30.0, "variance": -30.0,
                                                         "timing": 0.0, "amount": 0.0, "unforecast": -30.0}
    assert _row(variance, "2026-01-05", "suppliers") == {"forecast": -800.0, "actual": -800.0, "variance": 0.0,
                                                         "timing": 0.0, "amount": 0.0, "unforecast": 0.0}
    # By week: week 3 got the late 1,000 (timing) and the fee (unforecast); over the three weeks the timing nets out.
    weekly = variance_totals(variance, C.WEEK_START).set_index(C.WEEK_START)
    assert weekly.loc[pd.Timestamp("2026-01-19"), "variance"] == 970.0
    assert weekly["timing"].sum() == 0.0
    by_category = variance_totals(variance, C.CATEGORY).set_index(C.CATEGORY)
    assert list(by_category.index) == ["clients", "suppliers", "bank_fees"]
    assert by_category.loc["clients", "amount"] == -100.0


def test_a_larger_payment_and_a_partial_late_one() -> None:
    # 1,000 forecast in week 1: 600 came then, 400 the week after (timing); 200 forecast in week 3 came at 250.
    timing, amount, unforecast = split_one(np.array([1000.0, 0.0, 200.0]), np.array([600.0, 400.0, 250.0]))
    assert timing.tolist() == [-400.0, 400.0, 0.0]
    assert amount.tolist() == [0.0, 0.0, 50.0]
    assert unforecast.tolist() == [0.0, 0.0, 0.0]


def test_the_identity_holds_on_every_week_and_category() -> None:
    rng = np.random.default_rng(7)
    categories = ["clients", "suppliers", "payroll", "other", "bank_fees"]
    weeks = pd.date_range("2026-01-05", periods=13, freq="7D")

    def random_frame(share: float) -> pd.DataFrame:
        rows = [(str(w.date()), c, float(rng.integers(-50, 2000)) * (rng.random() < share),
                 float(rng.integers(0, 2000)) * (rng.random() < share)) for w in weeks for c in categories]
        return _frame(rows)

    variance = split_variance(random_frame(0.6), random_frame(0.7), weeks)
    parts = variance["timing"] + variance["amount"] + variance["unforecast"]
    assert len(variance) > 30
    np.testing.assert_allclose(parts, variance["actual"] - variance["forecast"], atol=1e-9)


def test_weekly_actuals_from_movements() -> None:
    movements = pd.DataFrame({C.BOOKING_DATE: pd.to_datetime(["2026-01-04", "2026-01-05", "2026-01-07", "2026-01-08",
                                                              "2026-01-12"]),
                              C.CATEGORY: ["clients", "clients", None, "clients", "suppliers"]})
    amounts = np.array([9999.0, 100.0, -20.0, -10.0, -300.0])  # the first is on as-of: before the forecast
    actual = weekly_actuals(movements, amounts, pd.Timestamp("2026-01-04"), pd.Timestamp("2026-01-11"))
    # A client's refund (-10) nets its receipts; the uncategorised debit counts as 'other'; 12 Jan is after `through`.
    assert actual.to_dict("records") == [
        {C.WEEK_START: pd.Timestamp("2026-01-05"), C.CATEGORY: "clients", "receipts": 90.0, "disbursements": 0.0},
        {C.WEEK_START: pd.Timestamp("2026-01-05"), C.CATEGORY: "other", "receipts": 0.0, "disbursements": 20.0},
    ]


def test_horizon_weeks_start_with_the_week_after_as_of() -> None:
    assert list(horizon_weeks_of(pd.Timestamp("2026-01-04"), 2)) == [pd.Timestamp("2026-01-05"),
                                                                      pd.Timestamp("2026-01-12")]
    assert horizon_weeks_of(pd.Timestamp("2026-01-07"), 1)[0] == pd.Timestamp("2026-01-05")  # a Wednesday
