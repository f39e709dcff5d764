"""Tests of forecasting.model.sampling: delays drawn by inverse CDF, with survival tables built once or per call."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.model.behaviour import fit_behaviour
from forecasting.model.sampling import NEVER, sample_delay_days, survival_tables
from forecasting.model.settings import BehaviourSettings
from tests.fixtures.handmade import invoice, make_ledger, monthly_history

AS_OF = pd.Timestamp("2026-11-23")
FLAT = BehaviourSettings(shrinkage_k=0.0, segment_shrinkage_k=0.0, half_life_days=1e12)


def _model():
    """Return a model of two clients: A always pays 10 days late, B always 20 (eight paid invoices each)."""
    rows = monthly_history("A", [10] * 8, 8, first_issue="2025-06-05")
    rows += monthly_history("B", [20] * 8, 8, first_issue="2025-06-05")
    rows += [invoice("A-open", "A", "2026-11-01", "2026-12-01", 100.0)]
    return fit_behaviour(make_ledger(rows), AS_OF, C.RECEIVABLE, FLAT)


def test_every_draw_of_a_client_that_always_pays_ten_days_late_is_ten_days():
    model = _model()
    a, b = model.counterparty_rows["A"], model.counterparty_rows["B"]
    uniforms = np.random.default_rng(0).random((2, 50))
    delays = sample_delay_days(model, np.array([a, b]), np.full((2, 1), -30), uniforms)
    assert (delays[0] == 10).all() and (delays[1] == 20).all()


def test_a_delay_already_passed_is_never_drawn_again():
    model = _model()
    a = model.counterparty_rows["A"]
    # Known unpaid 15 days after the due date: A's history holds no later payment, so its segment's tail decides:
    # B's 20 days, the only later delay on the side, where everyone still unpaid pays (hazard 1).
    delays = sample_delay_days(model, np.array([a]), np.full((1, 1), 15), np.random.default_rng(3).random((1, 200)))
    assert (delays == 20).all()
    assert not (delays == NEVER).any()


def test_tables_built_once_for_more_rows_give_the_same_draws_as_tables_built_per_call():
    model = _model()
    rows = np.array([model.counterparty_rows["B"], model.global_row, model.counterparty_rows["A"]] * 3)
    through = np.random.default_rng(1).integers(-40, 30, (len(rows), 1))
    uniforms = np.random.default_rng(2).random((len(rows), 64))
    every_row = survival_tables(model, np.arange(len(model.cum_hazard)))  # a superset of the rows sampled
    alone = sample_delay_days(model, rows, through, uniforms)
    shared = sample_delay_days(model, rows, through, uniforms, every_row)
    assert np.array_equal(alone, shared)
    assert alone.dtype == shared.dtype == np.int32
    assert every_row.used.tolist() == list(range(len(model.cum_hazard)))
