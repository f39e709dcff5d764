"""Tests of forecasting.model.explain: the profile behind a counterparty's forecast, in figures."""

from __future__ import annotations

import pytest

from forecasting.model.behaviour import fit_behaviour
from forecasting.model.explain import OWN, SEGMENT, explain
from tests.fixtures.handmade import AS_OF, MID_MONTH, MONTH_ENDS, make_ledger, monthly_history, paid_on


def test_a_client_with_history_is_forecast_on_its_own_delay_and_a_new_one_on_everyone_s():
    ledger = make_ledger(monthly_history("A", 0, 12, first_issue="2025-10-01")
                         + monthly_history("B", 10, 12, first_issue="2025-10-01"))
    model = fit_behaviour(ledger, AS_OF)
    a, b = explain(model, "A"), explain(model, "B")
    assert (a.rests_on, a.n_paid, a.median_delay_days) == (OWN, 12, 0)  # pays on the due date
    assert b.median_delay_days == 10
    assert a.own_weight == pytest.approx(12 / (12 + model.settings.shrinkage_k))  # 12 / 17 with k = 5
    assert a.settle_weekdays == tuple(range(7))  # this hand-made history pays on every day of the week
    new = explain(model, "NEVER-SEEN")
    # Unknown, without a segment: the clients without a segment teach it (here A and B).
    assert (new.rests_on, new.n_paid, new.own_weight) == (SEGMENT, 0, 0.0)
    assert 0 <= new.median_delay_days <= 10  # between its two teachers


def test_a_month_end_batch_payer_is_said_to_pay_in_batches():
    model = fit_behaviour(make_ledger(paid_on("BATCH", MONTH_ENDS) + paid_on("DAILY", MID_MONTH)), AS_OF)
    assert explain(model, "BATCH").month_end_batches  # ten payments, all on month ends
    assert not explain(model, "DAILY").month_end_batches
