"""How disputes end (issue 14, cause 2): the extra delay given what is known at as-of, and the share they bring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.model.behaviour import fit_behaviour
from forecasting.model.disputes import PSEUDO_DISPUTES, learn_disputes
from forecasting.model.payment_days import InvoiceDays, draw_unsettled
from forecasting.projection.forecast import prepare
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import invoice, make_ledger, monthly_history

AS_OF = pd.Timestamp("2026-11-23")  # a Monday
NO_FUTURE = ProjectionSettings(future_invoicing=False)


def _disputed_history(client: str, extras: list[int], share: float = 1.0, amount: float = 1000.0) -> list[dict]:
    """Return disputed invoices of a client paying on its due date otherwise, each paid `share` of it `extra` late."""
    rows = []
    for i, extra in enumerate(extras):
        issue = pd.Timestamp("2024-06-03") + pd.Timedelta(days=11 * i)
        due = issue + pd.Timedelta(days=30)
        paid = str((due + pd.Timedelta(days=extra)).date())
        rows.append(invoice(f"{client}-x{i}", client, str(issue.date()), str(due.date()), amount, disputed=True,
                            **({"paid": paid} if share == 1.0 else {"parts": [(paid, round(share * amount, 2))]})))
    return rows


def test_a_dispute_open_60_days_past_its_usual_date_never_gets_an_extra_delay_below_that():
    # Extras 30, 60, 90, 120 days, 8 of each: a quarter of disputes settle 30 days late. One still open 60 days past
    # its due date (the client's usual delay is 0) is known to need more than 60: 90 or 120, half and half.
    extras = learn_disputes(np.repeat([30, 60, 90, 120], 8), np.ones(32, bool), np.ones(32), 365, 60)
    drawn, never = extras.draw(np.linspace(0.0, 0.999, 1000), np.full(1000, 60))
    assert not never.any() and drawn.min() == 90 and (drawn == 90).mean() == pytest.approx(0.5, abs=0.01)
    # Through the sampler: the open invoice is paid 90 or 120 days after its due date, not 30 + the usual delay's tail.
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01") + _disputed_history("D", [30, 60, 90, 120] * 8)
    model = fit_behaviour(make_ledger(rows), AS_OF)
    days = InvoiceDays(np.array(["D"], object), np.array([None], object), np.array([True]), np.array([False]),
                       np.array([[-60]]), np.array([[0]]))  # due 60 days before as-of, unpaid through as-of
    draws = draw_unsettled(model, days, np.random.default_rng(3).random((1, 2000)))
    since_due = draws.pay_offsets[~draws.never] + 60
    assert (since_due < 85).mean() < 0.02  # an extra of 30 or 60 days is already ruled out


def test_a_side_whose_disputes_end_with_70_percent_paid_forecasts_70_percent_of_a_disputed_invoice():
    many = learn_disputes(np.full(1000, 30), np.ones(1000, bool), np.ones(1000), 365, 60, np.full(1000, 0.7))
    assert many.mean_share() == pytest.approx((700 + PSEUDO_DISPUTES) / (1000 + PSEUDO_DISPUTES))  # 0.7015
    # A ledger: 40 disputes each paid 70 % of it 30 days late, long ago (its payments stopped: settled short).
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01") + _disputed_history("D", [30] * 40, share=0.7)
    rows.append(invoice("D-open", "D", "2026-11-16", "2026-12-16", 1000.0, disputed=True))
    cash = prepare(make_ledger(rows), AS_OF, 26, NO_FUTURE)
    model = cash.models[C.RECEIVABLE]
    n = model.dispute_extra.n_disputes  # about 40 (recency weights; the open one, not settled yet, brings no share)
    assert 0.7 < model.dispute_extra.mean_share() == pytest.approx((0.7 * n + PSEUDO_DISPUTES) / (n + PSEUDO_DISPUTES),
                                                                   abs=0.005)
    assert model.dispute_extra.mean_share() < 0.78
    row = np.flatnonzero(cash.items[C.INVOICE_ID].to_numpy() == "D-open")[0]
    paid = (cash.pay_day_offsets[row] >= 1) & (cash.pay_day_offsets[row] <= cash.n_days)
    expected = (1000.0 * cash.amount_scales[cash.items["scale_row"].iloc[row]] * paid).mean()
    assert paid.mean() > 0.95
    assert expected == pytest.approx(1000.0 * model.dispute_extra.mean_share() * paid.mean(), rel=0.03)


def test_fewer_disputes_than_the_pooling_weight_fall_back_toward_paid_in_full_60_days_late():
    # Two disputes, each settled for half, 10 days late; 5 pseudo-disputes paid in full 60 days late.
    few = learn_disputes(np.array([10, 10]), np.ones(2, bool), np.ones(2), 365, 60, np.array([0.5, 0.5]))
    assert few.mean_share() == pytest.approx((2 * 0.5 + 5 * 1.0) / 7)  # 0.857, not 0.5
    assert few.cdf[few.grid_days == 10][0] == pytest.approx(2 / 7)  # 10 days late: 2 of 7
    assert few.median_days() == 60


def test_a_dispute_whose_payments_stopped_short_is_settled_on_its_last_payment_and_brings_nothing_more():
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01")
    rows.append(invoice("D-old", "D", "2026-03-02", "2026-04-01", 1000.0, disputed=True,
                        parts=[("2026-05-01", 600.0)]))  # 30 days late, quiet since 206 days: settled at 60 %
    rows.append(invoice("D-recent", "D", "2026-09-28", "2026-10-28", 1000.0, disputed=True,
                        parts=[("2026-11-02", 600.0)]))  # 21 days quiet: maybe more to come, still open
    cash = prepare(make_ledger(rows), AS_OF, 13, ProjectionSettings(future_invoicing=False, n_sims=2000))
    extras = cash.models[C.RECEIVABLE].dispute_extra
    assert extras.n_disputes > 1.0 and extras.cdf[extras.grid_days == 30][0] > 0  # D-old: an event 30 days late
    assert extras.share_levels[0] == pytest.approx(0.6)
    ids = cash.items[C.INVOICE_ID].to_numpy()
    scales = cash.amount_scales[cash.items["scale_row"].to_numpy()]
    never = cash.never_paid_share()
    assert never[ids == "D-old"][0] == 1.0  # its 400 still open will not come: expected bad debt
    # D-recent, 26 days past due, of its 400 still open: brings (share - 0.6) / 0.4 of it where more comes after a
    # partial payment (5 pseudo-disputes against D-old's stop, weighing ~0.8: 5 / 5.8 = 0.87) and where the dispute
    # brings its whole amount (same odds), else nothing; every dispute of the history got paid (D-recent, censored
    # at 26 days, ends before D-old's 30): 0.87 x 0.87 = 0.75 of the draws bring it.
    paid = extras.cdf[-1] * extras.more_after_part * (1.0 - extras.share_cdf[0])
    assert extras.cdf[-1] == 1.0 and paid == pytest.approx(0.75, abs=0.02)
    assert 1.0 - never[ids == "D-recent"][0] == pytest.approx(paid, abs=0.03)
    assert set(np.unique(scales[ids == "D-recent"][0])) == {1.0}  # share 1 or nothing: (1 - 0.6) / 0.4
