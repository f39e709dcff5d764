"""Credit notes set against invoices settle them without cash: the model learns delays and dispute shares from cash.

An invoice of 1,000 paid 700 by transfer on day B and settled for the other 300 by a credit note on day A (later:
the dispute's end) is settled on A (it is no longer open) but was paid on B, and brought 0.7 of its amount in cash.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.model.behaviour import delay_observations, fit_behaviour
from forecasting.model.payment_days import UnsettledDraws
from forecasting.model.settings import BehaviourSettings
from forecasting.model.settlement import (
    CASH_DATE,
    CREDITED_AMOUNT,
    LAST_PAYMENT_DATE,
    OPEN_AMOUNT,
    PAID_AMOUNT,
    PAID_DATE,
    settle,
    settle_with_gaps,
)
from forecasting.projection.dispute_shares import OpenPaid, open_scales
from forecasting.projection.forecast import prepare
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import AS_OF, invoice, make_ledger

CREDIT = C.CREDIT_NOTE
SETTINGS = BehaviourSettings()


def _settled(rows: list[dict], as_of: pd.Timestamp = AS_OF) -> pd.DataFrame:
    """Return the receivables of `rows` settled at as_of, by invoice id."""
    ledger = make_ledger(rows)
    return settle(ledger.receivables, ledger.payments_of(C.RECEIVABLE), as_of).set_index(C.INVOICE_ID)


def test_a_credit_note_settles_but_pays_nothing() -> None:
    """X: 700 cash on 21 April, 300 credit note on 11 May. Y: 1,000 credited on 11 May. Z: 400 credited, still open.

    X and Y are settled on 11 May (nothing open); X was paid in cash on 21 April, Y never was. Z keeps 600 open.
    """
    settled = _settled([
        invoice("X", "acme", "2026-03-02", "2026-04-01", 1000.0, parts=[("2026-04-21", 700.0),
                                                                      ("2026-05-11", 300.0, CREDIT)]),
        invoice("Y", "acme", "2026-03-02", "2026-04-01", 1000.0, parts=[("2026-05-11", 1000.0, CREDIT)]),
        invoice("Z", "acme", "2026-10-01", "2026-10-31", 1000.0, parts=[("2026-11-02", 400.0, CREDIT)]),
    ])

    x, y, z = (settled.loc[k] for k in "XYZ")
    assert (x[PAID_AMOUNT], x[CREDITED_AMOUNT], x[OPEN_AMOUNT], x[C.STATUS]) == (700.0, 300.0, 0.0, "paid")
    assert (x[PAID_DATE], x[CASH_DATE]) == (pd.Timestamp("2026-05-11"), pd.Timestamp("2026-04-21"))
    assert (y[PAID_AMOUNT], y[CREDITED_AMOUNT], y[C.STATUS], y[PAID_DATE]) == (0.0, 1000.0, "paid",
                                                                                pd.Timestamp("2026-05-11"))
    assert pd.isna(y[CASH_DATE])  # settled by a credit note alone: never paid in cash
    assert (z[PAID_AMOUNT], z[CREDITED_AMOUNT], z[OPEN_AMOUNT], z[C.STATUS]) == (0.0, 400.0, 600.0, "open")


def test_the_delay_is_learned_from_the_cash_and_a_credit_note_alone_is_never_paid() -> None:
    """Due 1 April: X paid 700 on 21 April (delay 20) then credited 300 on 11 May (it used to read 40); Y credited
    in full is censored at as-of like an invoice never paid; W paid in cash on 6 April keeps its 5 days."""
    settled = _settled([
        invoice("W", "acme", "2026-03-02", "2026-04-01", 500.0, paid="2026-04-06"),
        invoice("X", "acme", "2026-03-02", "2026-04-01", 1000.0, parts=[("2026-04-21", 700.0),
                                                                      ("2026-05-11", 300.0, CREDIT)]),
        invoice("Y", "acme", "2026-03-02", "2026-04-01", 1000.0, parts=[("2026-05-11", 1000.0, CREDIT)]),
    ]).reset_index()

    obs = delay_observations(settled, AS_OF, SETTINGS)

    assert obs["delay_days"].tolist() == [5, 20, (AS_OF - pd.Timestamp("2026-04-01")).days]
    assert obs["is_paid"].tolist() == [True, True, False]


def _dispute_ledger() -> list[dict]:
    """Return 4 clients' histories: 6 invoices paid 5 days late, 5 disputed ones ended by a credit note of 30 %.

    Each dispute of 1,000 (issued 2 March, due 1 April) is paid 700 on 21 April and credited 300 on 11 May.
    """
    rows = []
    for c in "ABCD":
        for k in range(6):
            issue = pd.Timestamp("2026-01-05") + pd.DateOffset(months=k)
            due = issue + pd.Timedelta(days=30)
            rows.append(invoice(f"{c}-N{k}", c, str(issue.date()), str(due.date()), 800.0,
                                paid=str((due + pd.Timedelta(days=5)).date())))
        rows += [invoice(f"{c}-D{k}", c, "2026-03-02", "2026-04-01", 1000.0, disputed=True,
                         parts=[("2026-04-21", 700.0), ("2026-05-11", 300.0, CREDIT)]) for k in range(5)]
    return rows


def test_disputes_ended_by_a_credit_note_of_30_percent_bring_0_7_in_cash() -> None:
    """20 disputes each bringing 0.7 in cash (equal weights, 1 each within their client), pooled with 5 pseudo-
    disputes paid in full: the mean share is (20 x 0.7 + 5 x 1) / 25 = 0.76 (it used to be 1: credit counted as
    cash)."""
    model = fit_behaviour(make_ledger(_dispute_ledger()), AS_OF.date(), C.RECEIVABLE, SETTINGS)

    disputes = model.dispute_extra
    assert disputes.n_disputes == pytest.approx(20.0)
    assert disputes.mean_share() == pytest.approx(0.76)
    assert dict(zip(disputes.share_levels.round(2), np.diff(disputes.share_cdf, prepend=0.0) * 25, strict=True)) \
        == pytest.approx({0.7: 20.0, 1.0: 5.0})


def test_the_forecast_learns_the_same_cash_share_from_the_ledger() -> None:
    """`prepare` reads the side's payments its own way (side_jobs.payments_of): the credit notes are still told
    apart from cash there, whatever half-life the tuning chooses (each dispute weighs 1 within its client)."""
    cash = prepare(make_ledger(_dispute_ledger()), AS_OF.date(), 13, ProjectionSettings(n_sims=50))

    assert cash.models[C.RECEIVABLE].dispute_extra.mean_share() == pytest.approx(0.76)


def test_a_dispute_paid_in_part_then_credited_ended_with_no_more_cash() -> None:
    """A dispute paid 700 first, then credited 300: its first payment was short and no more cash came after it."""
    ledger = make_ledger(_dispute_ledger())
    settled, gaps = settle_with_gaps(ledger.receivables, ledger.payments_of(C.RECEIVABLE), AS_OF)
    row = settled.set_index(C.INVOICE_ID).loc["A-D0"]

    assert row[LAST_PAYMENT_DATE] == pd.Timestamp("2026-04-21")  # the last cash, not the credit note
    assert not gaps.days.size  # the credit note is no payment after a silence: no gap between two payments
    model = fit_behaviour(ledger, AS_OF.date(), C.RECEIVABLE, SETTINGS)
    # (more + 5) / (more + ended + 5) with no dispute getting more cash and 20 ending: 5 / 25
    assert model.dispute_extra.more_after_part == pytest.approx(5 / 25)


def test_an_open_dispute_already_credited_in_part_can_still_bring_all_that_is_open() -> None:
    """1,000 disputed, 300 credited at as-of, 700 open. A draw settling the dispute for 0.7 in cash brings the whole
    700 still open ((0.7 - 0) / (1 - 0 - 0.3) = 1); one for 0.35, half of it. Counting the credit note as paid (0.3)
    used to give (0.7 - 0.3) / 0.7 = 0.57."""
    settled = _settled([invoice("D", "acme", "2026-10-01", "2026-10-31", 1000.0, disputed=True,
                                parts=[("2026-11-02", 300.0, CREDIT)])])
    paid = OpenPaid.of(settled.reset_index(), AS_OF)
    draws = UnsettledDraws(pay_offsets=np.ones((1, 2), np.int64), never=np.zeros((1, 2), bool),
                           rows=np.zeros(1, np.int64), unpaid_through=np.zeros((1, 1), np.int64),
                           share_rows=np.array([0, 0], np.intp), share_sims=np.array([0, 1], np.intp),
                           shares=np.array([0.7, 0.35]))

    rows, scale = open_scales(draws, np.array([True]), paid, 2, 1.0, np.random.default_rng(0))

    assert rows.tolist() == [0] and scale[0] == pytest.approx([1.0, 0.5])
