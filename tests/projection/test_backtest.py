"""Tests of forecasting.projection.backtest: honest cut at as-of, every invoice scored, both sides, closing cash."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.model.behaviour import BehaviourSettings
from forecasting.projection.backtest import backtest
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import invoice, make_ledger

T = pd.Timestamp("2026-07-06")  # a Monday; the 13-week horizon ends Sunday 4 October
SETTINGS = ProjectionSettings(n_sims=100)


def _weekly_client(client: str, delay_before: int, delay_after: int | None = None, amount: float = 1000.0,
                   side: str = C.RECEIVABLE) -> list:
    """Return a client invoiced every Monday of 2026 on 28-day terms, paid delay days after the (Monday) due date."""
    rows = []
    for week in range(40):
        issue = pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=week)
        due = issue + pd.Timedelta(days=28)
        delay = delay_before if delay_after is None or due + pd.Timedelta(days=delay_before) <= T else delay_after
        rows.append(invoice(f"{client}{week}", client, str(issue.date()), str(due.date()), amount,
                            paid=str((due + pd.Timedelta(days=delay)).date()), terms="net 28", side=side))
    return rows


def test_client_always_10_days_late_every_invoice_scored_even_paid_after_the_horizon() -> None:
    ledger = make_ledger(_weekly_client("K", 10))
    result = backtest(ledger, T, 13, SETTINGS)
    m = result.metrics
    assert m.as_of == T.date() and set(m.sides) == {C.RECEIVABLE}
    k = m.sides[C.RECEIVABLE]
    # Paid 38 days after issue. Open at T: issued 1 June..6 July (6 Mondays). Issued within the horizon: 13 July..
    # 28 September (12 Mondays), of which those issued from 31 August (5) are paid after Sunday 4 October: scored.
    assert (k.open_at_as_of.n_invoices, k.issued_after_as_of.n_invoices) == (6, 12)
    assert k.n_scored == k.n_invoices == 18 and k.n_paid_after_horizon == 5
    assert k.unpaid_at_data_end.n_invoices == 0
    assert k.invoices.baselines["due_date"].mae_days == pytest.approx(10.0)
    assert k.invoices.baselines["due_date"].late_accuracy == 0.0  # every one paid after its (Monday) due date
    assert k.invoices.model.mae_days <= 0.5  # holidays may move a Thursday payment by a day
    assert k.invoices.baselines["client_median"].mae_days <= 0.5 and k.invoices.model.late_accuracy == 1.0
    # the historical flat keys are the receivables side's
    out = m.to_dict()
    assert (out["n_open_invoices"], out["n_later_invoices"]) == (6, 12)
    assert out["baseline_due_date_mae_days"] == pytest.approx(10.0)
    weekly = result.weekly_of(C.RECEIVABLE)
    assert len(weekly) == 13 and weekly["side"].eq(C.RECEIVABLE).all()
    payments = ledger.payments[(ledger.payments[C.PAYMENT_DATE] > T)
                               & (ledger.payments[C.PAYMENT_DATE] <= pd.Timestamp("2026-10-04"))]
    assert weekly["actual"].sum() == pytest.approx(payments[C.AMOUNT].sum())
    # run-rate: the 13 weeks to T held 13 payments of 1000; week 1 runs Tuesday to Sunday (6 days of 7)
    assert weekly["baseline_run_rate"].iloc[1:].eq(1000.0).all()
    assert weekly["baseline_run_rate"].iloc[0] == pytest.approx(6000.0 / 7)
    assert 0.0 <= k.weekly.coverage_p10_p90 <= 1.0 and np.isfinite(k.weekly.wape)


def test_the_model_fitted_at_as_of_does_not_see_what_happened_later() -> None:
    # H paid on its due date until T, then 30 days late: a forecast made at T cannot know it.
    result = backtest(make_ledger(_weekly_client("H", 0, delay_after=30)), T, 13, SETTINGS)
    later = result.invoices[result.invoices["group"] == "issued_after_as_of"]
    assert len(later) > 0
    assert (later["predicted_offset"] == later["due_date_offset"]).all()
    assert result.metrics.sides[C.RECEIVABLE].issued_after_as_of.model.mae_days == pytest.approx(30.0, abs=1.0)


def test_a_right_skewed_client_median_runs_early_on_average_its_mean_does_not() -> None:
    # S pays on its (Monday) due date 4 times in 5 and 21 days later (a Monday) the 5th: the median delay is 0, the
    # mean 21 / 5 = 4.2 days. A calibrated forecast's median runs about 4 days early on average (bias_days), the mean
    # of its draws about 0 days (mean_bias_days).
    rows = []
    for week in range(40):
        issue = pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=week)
        due = issue + pd.Timedelta(days=28)
        paid = due + pd.Timedelta(days=21 if week % 5 == 4 else 0)
        rows.append(invoice(f"S{week}", "S", str(issue.date()), str(due.date()), 1000.0, paid=str(paid.date()),
                            terms="net 28"))
    result = backtest(make_ledger(rows), T, 13, ProjectionSettings(n_sims=400))
    table = result.invoices
    late = (table["actual_offset"] - table["due_offset"]).to_numpy(float)
    assert set(np.unique(late)) == {0.0, 21.0}  # the scored invoices: some of each
    assert (table["predicted_offset"] == table["due_offset"]).all()  # the median: on the due date
    model = result.metrics.sides[C.RECEIVABLE].invoices.model
    assert model.bias_days == pytest.approx(-late.mean())  # minus the scored invoices' mean delay
    assert model.bias_days < -2.0
    # the mean draw: due + about 4.2 days (the history's share of late payments, recency-weighted)
    assert (table["mean_offset"] - table["due_offset"]).to_numpy() == pytest.approx(np.full(len(table), 4.2), abs=1.5)
    assert model.mean_bias_days == pytest.approx(float((table["mean_offset"] - table["actual_offset"]).mean()))
    assert abs(model.mean_bias_days) < abs(model.bias_days) - 2.0


def _three_invoices() -> list:
    """Return the history of clients A and B, and the three invoices scored at T (plus one never paid)."""
    history = [
        invoice("A-h1", "A", "2026-03-02", "2026-04-01", 1000.0, paid="2026-04-03"),  # delay 2
        invoice("A-h2", "A", "2026-04-01", "2026-05-01", 1000.0, paid="2026-05-05"),  # 4
        invoice("A-h3", "A", "2026-05-01", "2026-05-31", 1000.0, paid="2026-06-12"),  # 12
        invoice("B-h1", "B", "2026-03-02", "2026-04-01", 1000.0, paid="2026-04-03"),  # 2
        invoice("B-h2", "B", "2026-04-01", "2026-05-01", 1000.0, paid="2026-05-31", disputed=True),  # 30
    ]
    scored = [
        invoice("A1", "A", "2026-06-15", "2026-07-13", 800.0, paid="2026-07-17"),  # open at T: due day 7, paid 11
        invoice("B1", "B", "2026-06-19", "2026-07-20", 800.0, paid="2026-08-19", disputed=True),  # due 14, paid 44
        invoice("C1", "C", "2026-07-07", "2026-08-03", 800.0, paid="2026-08-10"),  # issued after: due 28, paid 35
    ]
    return history + scored + [invoice("D1", "A", "2026-06-20", "2026-07-20", 500.0)]  # never paid


def test_baselines_on_three_invoices_give_the_hand_mae() -> None:
    m = backtest(make_ledger(_three_invoices()), T, 13, SETTINGS).metrics
    side = m.sides[C.RECEIVABLE]
    assert (side.n_invoices, side.n_scored) == (4, 3)
    base = side.invoices.baselines
    # Paid delays at T: A 2 4 12 (median 4, mean 6), B 2 and 30 disputed (median 16, undisputed mean 2); the side:
    # median 4, mean 10, disputed 30 - undisputed 5 = 25 days more. Offsets from T, rolled to business days:
    # due date: 7, 14, 28 against 11, 44, 35 -> errors 4 30 7
    assert base["due_date"].mae_days == pytest.approx(41 / 3) and base["due_date"].bias_days == pytest.approx(-41 / 3)
    # client median: 7+4 = 11, 14+16 = 30, 28+4 (C has no history: the side's) = 32 -> errors 0 14 3
    assert base["client_median"].mae_days == pytest.approx(17 / 3)
    # client mean + dispute: 7+6 = 13 (Sunday -> 14), 14+2+25 = 41 (Sunday -> 42), 28+10 = 38 -> errors 3 2 3
    assert base["client_mean_dispute"].mae_days == pytest.approx(8 / 3)
    # side median: 11, 18, 32 -> errors 0 26 3
    assert base["side_median"].mae_days == pytest.approx(29 / 3)
    # all three were paid after their due date: the due date calls none late, the others call all three
    assert base["due_date"].late_accuracy == 0.0 and base["client_median"].late_accuracy == 1.0
    assert np.isfinite(side.invoices.model.crps_days) and np.isfinite(side.invoices.model.mae_days)


def test_invoices_never_paid_are_reported_apart_with_their_amount() -> None:
    result = backtest(make_ledger(_three_invoices()), T, 13, SETTINGS)
    unpaid = result.metrics.sides[C.RECEIVABLE].unpaid_at_data_end
    assert (unpaid.n_invoices, unpaid.amount_eur, unpaid.n_open_at_as_of, unpaid.n_issued_after_as_of) == (1, 500.0, 1, 0)
    assert unpaid.n_not_due_at_data_end == 0  # due 20 July, the data run to 19 August
    row = result.invoices.set_index(C.INVOICE_ID).loc["D1"]
    assert np.isnan(row["actual_offset"]) and np.isnan(row["crps_days"])
    assert result.metrics.to_dict()["sides"]["receivables"]["unpaid_at_data_end"]["amount_eur"] == 500.0


def test_a_payables_only_ledger_backtests_its_disbursements() -> None:
    ledger = make_ledger(payables=_weekly_client("S", 3, side=C.PAYABLE))
    result = backtest(ledger, T, 13, SETTINGS)
    m = result.metrics
    assert set(m.sides) == {C.PAYABLE}
    s = m.sides[C.PAYABLE]
    # paid 31 days after issue: open at T, issued 8 June..6 July (5); issued within the horizon, 12
    assert s.n_scored == 17 and s.invoices.baselines["due_date"].mae_days == pytest.approx(3.0)
    assert s.invoices.model.mae_days <= 0.5
    weekly = result.weekly_of(C.PAYABLE)
    assert (weekly["actual"] >= 0).all() and weekly["actual"].sum() > 0  # disbursements counted as positive cash out
    assert s.weekly.wape < 0.5
    out = m.to_dict()
    assert out["payment_date_mae_days"] is None and out["n_open_invoices"] is None  # the receivables keys
    assert out["open_at_as_of"]["n_invoices"] is None and list(out["sides"]) == ["payables"]


def test_sides_asked_for_are_backtested_and_an_absent_side_is_refused() -> None:
    ledger = make_ledger(_weekly_client("K", 10), _weekly_client("S", 3, side=C.PAYABLE))
    assert set(backtest(ledger, T, 13, SETTINGS).metrics.sides) == {C.RECEIVABLE, C.PAYABLE}
    only = backtest(ledger, T, 13, SETTINGS, sides=(C.PAYABLE,))
    assert set(only.metrics.sides) == {C.PAYABLE} and set(only.weekly["side"]) == {C.PAYABLE}
    with pytest.raises(InputError, match="nothing to backtest"):
        backtest(make_ledger(_weekly_client("K", 10)), T, 13, SETTINGS, sides=(C.PAYABLE,))


def test_closing_cash_is_compared_with_the_last_balance_of_the_horizon() -> None:
    exact = ProjectionSettings(n_sims=100, future_invoicing=False, behaviour=BehaviourSettings(shrinkage_k=0.0))
    balances = [{C.ACCOUNT_ID: "BANK", C.BALANCE_DATE: pd.Timestamp(day), C.BALANCE: amount}
                for day, amount in (("2026-07-06", 10_000.0), ("2026-08-14", 14_000.0), ("2026-10-02", 20_000.0),
                                    ("2026-10-20", 99_000.0))]  # the last one is after the horizon: not used
    ledger = make_ledger(_weekly_client("K", 10), bank_balances=balances)
    m = backtest(ledger, T, 13, exact).metrics
    cash = m.closing_cash
    assert cash is not None and cash.balance_date == date(2026, 10, 2)
    # Without future invoicing the forecast holds the 6 invoices open at T (1000 each, paid 9 July..13 August)
    assert cash.actual_eur == 20_000.0 and cash.forecast_expected_eur == pytest.approx(16_000.0)
    assert cash.error_eur == pytest.approx(-4_000.0) and not cash.inside_p10_p90
    assert cash.n_weeks == 2  # the weeks of 14 August and 2 October
    assert cash.weekly_mean_abs_error_eur == pytest.approx(3_000.0)  # 14 August: 16 000 forecast, 14 000 real
    assert m.to_dict()["closing_cash"]["balance_date"] == "2026-10-02"
    no_later = make_ledger(_weekly_client("K", 10), bank_balances=balances[:1])
    assert backtest(no_later, T, 13, exact).metrics.closing_cash is None


@pytest.mark.parametrize("weeks", [26, 52])
def test_wide_horizons_backtest(weeks: int) -> None:
    ledger = make_ledger(_weekly_client("K", 10), _weekly_client("S", 3, side=C.PAYABLE))
    result = backtest(ledger, pd.Timestamp("2026-03-01"), weeks, SETTINGS)
    assert len(result.weekly_of(C.RECEIVABLE)) == weeks  # a Sunday as-of: every week of the horizon is whole
    assert result.metrics.sides[C.PAYABLE].weekly.n_weeks == weeks
    assert result.metrics.sides[C.RECEIVABLE].n_scored == result.metrics.sides[C.RECEIVABLE].n_invoices


def test_demo_backtest_smoke(demo_ledger) -> None:
    result = backtest(demo_ledger, date(2026, 8, 24), 13)
    m = result.metrics
    receipts = m.sides[C.RECEIVABLE]
    assert len(result.weekly_of(C.RECEIVABLE)) == 13 and len(result.weekly_of(C.PAYABLE)) == 13
    assert receipts.open_at_as_of.n_invoices > 100 and receipts.issued_after_as_of.n_invoices > 100
    model, base = receipts.invoices.model, receipts.invoices.baselines
    assert model.mae_days < base["client_median"].mae_days < base["due_date"].mae_days
    assert receipts.weekly.wape < 0.3 and abs(receipts.weekly.bias) < 0.2
    assert 0.7 <= model.coverage_p10_p90 <= 0.95
    assert m.closing_cash is not None and m.closing_cash.n_weeks == 13


def test_a_credit_note_is_no_actual_payment_date_nor_actual_cash() -> None:
    """X (1,000, due 29 June, open at T) is paid 700 on Monday 20 July (B) and credited 300 on 10 August (A): its
    actual day is B, 14 days after T, not A. Y (600, due 29 June) is credited in full on 3 August: it never brought
    cash, so it is unpaid where the data ends (600 never came), not scored. The weeks' actual cash holds the cash
    payments alone: 700 more than K's, not 1,600."""
    credit = C.CREDIT_NOTE
    ledger = make_ledger([
        *_weekly_client("K", 10),
        invoice("X", "K", "2026-06-01", "2026-06-29", 1000.0, terms="net 28",
                parts=[("2026-07-20", 700.0), ("2026-08-10", 300.0, credit)]),
        invoice("Y", "K", "2026-06-01", "2026-06-29", 600.0, terms="net 28", parts=[("2026-08-03", 600.0, credit)]),
    ])

    result = backtest(ledger, T, 13, SETTINGS)

    rows = result.invoices.set_index(C.INVOICE_ID)
    assert rows.loc["X", "actual_offset"] == 14.0
    assert np.isnan(rows.loc["Y", "actual_offset"]) and rows.loc["Y", "unpaid_eur"] == 600.0
    unpaid = result.metrics.sides[C.RECEIVABLE].unpaid_at_data_end
    assert (unpaid.n_invoices, unpaid.amount_eur) == (1, 600.0)
    pay = ledger.payments
    in_horizon = (pay[C.PAYMENT_DATE] > T) & (pay[C.PAYMENT_DATE] <= pd.Timestamp("2026-10-04"))
    k_cash = pay.loc[in_horizon & pay[C.INVOICE_ID].str.startswith("K"), C.AMOUNT].sum()
    assert result.weekly_of(C.RECEIVABLE)["actual"].sum() == pytest.approx(k_cash + 700.0)
