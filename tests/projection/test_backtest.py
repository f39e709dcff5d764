"""Tests of forecasting.projection.backtest: honest cut at the as-of date, per-invoice and weekly errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.projection.backtest import backtest
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import invoice, make_ledger

T = pd.Timestamp("2026-07-06")  # a Monday; the 13-week horizon ends Sunday 4 October
METRIC_KEYS = {
    "as_of", "n_open_invoices", "n_later_invoices", "payment_date_mae_days", "late_accuracy",
    "baseline_due_date_mae_days", "baseline_client_median_mae_days", "weekly_receipts_wape",
    "weekly_receipts_bias", "interval_coverage_p10_p90", "open_at_as_of", "issued_after_as_of",
}
SETTINGS = ProjectionSettings(n_sims=100)


def _weekly_client(client: str, delay_before: int, delay_after: int | None = None, amount: float = 1000.0) -> list:
    """Return a client invoiced every Monday of 2026 on 28-day terms, paid delay days after the (Monday) due date."""
    rows = []
    for week in range(40):
        issue = pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=week)
        due = issue + pd.Timedelta(days=28)
        delay = delay_before if delay_after is None or due + pd.Timedelta(days=delay_before) <= T else delay_after
        rows.append(invoice(f"{client}{week}", client, str(issue.date()), str(due.date()), amount,
                            paid=str((due + pd.Timedelta(days=delay)).date()), terms="net 28"))
    return rows


def test_client_always_10_days_late_is_forecast_much_better_than_the_due_date():
    ledger = make_ledger(_weekly_client("K", 10))
    result = backtest(ledger, T, 13, SETTINGS)
    m = result.metrics
    assert set(m) >= METRIC_KEYS
    assert m["as_of"] == T.date()
    # Paid 38 days after issue. Open at T: issued 1 June..6 July (6 Mondays). Later, paid by 4 October:
    # issued 13 July..24 August (7 Mondays).
    assert m["n_open_invoices"] == 6 and m["n_later_invoices"] == 7
    assert m["baseline_due_date_mae_days"] == pytest.approx(10.0)
    assert m["payment_date_mae_days"] <= 0.5  # holidays may move a Thursday payment by a day
    assert m["baseline_client_median_mae_days"] <= 0.5 and m["late_accuracy"] == 1.0
    for group in ("open_at_as_of", "issued_after_as_of"):
        assert {"payment_date_mae_days", "baseline_due_date_mae_days", "late_accuracy"} <= set(m[group])
    weekly = result.weekly
    assert list(weekly.columns[:5]) == ["week_start", "forecast_p10", "forecast_p50", "forecast_p90", "forecast_expected"]
    payments = ledger.payments[(ledger.payments[C.PAYMENT_DATE] > T)
                               & (ledger.payments[C.PAYMENT_DATE] <= pd.Timestamp("2026-10-04"))]
    assert weekly["actual"].sum() == pytest.approx(payments[C.AMOUNT].sum())
    assert 0.0 <= m["interval_coverage_p10_p90"] <= 1.0 and np.isfinite(m["weekly_receipts_wape"])


def test_the_model_fitted_at_as_of_does_not_see_what_happened_later():
    # H paid on its due date until T, then 30 days late: a forecast made at T cannot know it.
    result = backtest(make_ledger(_weekly_client("H", 0, delay_after=30)), T, 13, SETTINGS)
    later = result.invoices[result.invoices["group"] == "issued_after_as_of"]
    assert len(later) > 0
    assert (later["predicted_offset"] == later["due_date_offset"]).all()
    assert result.metrics["issued_after_as_of"]["payment_date_mae_days"] == pytest.approx(30.0, abs=1.0)


def test_demo_backtest_smoke(demo_ledger):
    result = backtest(demo_ledger, "2026-08-24", 13)
    m = result.metrics
    assert set(m) >= METRIC_KEYS and len(result.weekly) == 13
    assert m["n_open_invoices"] > 100 and m["n_later_invoices"] > 100
    assert m["payment_date_mae_days"] < m["baseline_client_median_mae_days"] < m["baseline_due_date_mae_days"]
    assert m["weekly_receipts_wape"] < 0.3 and abs(m["weekly_receipts_bias"]) < 0.2
