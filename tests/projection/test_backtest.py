"""Tests of forecasting.projection.backtest: honest cut at the as-of date, per-invoice and weekly errors."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.projection.backtest import BacktestMetrics, InvoiceErrors, backtest
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import invoice, make_ledger

T = pd.Timestamp("2026-07-06")  # a Monday; the 13-week horizon ends Sunday 4 October
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
    assert m.as_of == T.date()
    # Paid 38 days after issue. Open at T: issued 1 June..6 July (6 Mondays). Later, paid by 4 October:
    # issued 13 July..24 August (7 Mondays).
    assert m.n_open_invoices == 6 and m.n_later_invoices == 7
    assert m.baseline_due_date_mae_days == pytest.approx(10.0)
    assert m.payment_date_mae_days <= 0.5  # holidays may move a Thursday payment by a day
    assert m.baseline_client_median_mae_days <= 0.5 and m.late_accuracy == 1.0
    assert (m.open_at_as_of.n_invoices, m.issued_after_as_of.n_invoices) == (6, 7)
    assert m.issued_after_as_of.baseline_due_date_mae_days == pytest.approx(10.0)
    weekly = result.weekly
    assert list(weekly.columns[:5]) == ["week_start", "forecast_p10", "forecast_p50", "forecast_p90", "forecast_expected"]
    payments = ledger.payments[(ledger.payments[C.PAYMENT_DATE] > T)
                               & (ledger.payments[C.PAYMENT_DATE] <= pd.Timestamp("2026-10-04"))]
    assert weekly["actual"].sum() == pytest.approx(payments[C.AMOUNT].sum())
    assert 0.0 <= m.interval_coverage_p10_p90 <= 1.0 and np.isfinite(m.weekly_receipts_wape)


def test_the_model_fitted_at_as_of_does_not_see_what_happened_later():
    # H paid on its due date until T, then 30 days late: a forecast made at T cannot know it.
    result = backtest(make_ledger(_weekly_client("H", 0, delay_after=30)), T, 13, SETTINGS)
    later = result.invoices[result.invoices["group"] == "issued_after_as_of"]
    assert len(later) > 0
    assert (later["predicted_offset"] == later["due_date_offset"]).all()
    assert result.metrics.issued_after_as_of.payment_date_mae_days == pytest.approx(30.0, abs=1.0)


def test_demo_backtest_smoke(demo_ledger):
    result = backtest(demo_ledger, date(2026, 8, 24), 13)
    m = result.metrics
    assert len(result.weekly) == 13
    assert m.n_open_invoices > 100 and m.n_later_invoices > 100
    assert m.payment_date_mae_days < m.baseline_client_median_mae_days < m.baseline_due_date_mae_days
    assert m.weekly_receipts_wape < 0.3 and abs(m.weekly_receipts_bias) < 0.2


def test_overall_errors_gather_both_groups_and_the_json_keeps_its_layout():
    group = InvoiceErrors(2, 1.5, 0.5, 3.0, 0.5, 2.0, 1.0)
    later = InvoiceErrors(0, float("nan"), float("nan"), float("nan"), float("nan"), float("nan"), float("nan"))
    m = BacktestMetrics(as_of=date(2026, 7, 6), horizon_weeks=13, n_open_invoices=2, n_later_invoices=0,
                        n_open_at_as_of_unpaid_in_horizon=1, payment_date_mae_days=1.5, late_accuracy=0.5,
                        baseline_due_date_mae_days=3.0, baseline_client_median_mae_days=2.0,
                        baseline_due_date_late_accuracy=0.5, baseline_client_median_late_accuracy=1.0,
                        weekly_receipts_wape=0.25, weekly_receipts_bias=-0.125, interval_coverage_p10_p90=0.75,
                        open_at_as_of=group, issued_after_as_of=later)
    # every evaluated invoice is in one group: 2 + 0, with the overall (flat) errors
    assert m.overall == group
    out = m.to_dict()
    assert out["as_of"] == "2026-07-06" and out["weekly_receipts_bias"] == -0.125
    # a group without invoices has no error: None, not NaN (JSON has no NaN)
    assert out["issued_after_as_of"] == {"n_invoices": 0, **dict.fromkeys(list(later.__dataclass_fields__)[1:])}
    assert list(out) == BACKTEST_KEYS
    assert list(out["open_at_as_of"]) == GROUP_KEYS


BACKTEST_KEYS = [
    "as_of", "horizon_weeks", "n_open_invoices", "n_later_invoices", "n_open_at_as_of_unpaid_in_horizon",
    "payment_date_mae_days", "late_accuracy", "baseline_due_date_mae_days", "baseline_client_median_mae_days",
    "baseline_due_date_late_accuracy", "baseline_client_median_late_accuracy", "weekly_receipts_wape",
    "weekly_receipts_bias", "interval_coverage_p10_p90", "open_at_as_of", "issued_after_as_of",
]
GROUP_KEYS = [
    "n_invoices", "payment_date_mae_days", "late_accuracy", "baseline_due_date_mae_days",
    "baseline_due_date_late_accuracy", "baseline_client_median_mae_days", "baseline_client_median_late_accuracy",
]
