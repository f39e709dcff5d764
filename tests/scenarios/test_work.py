"""Tests of forecasting.scenarios.work's primitives on a hand-made ledger: rolling days, due dates under new terms,
settling rows of several sides, and amounts on paths block by block."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from forecasting.core.terms import EOM, NET, Terms, due_dates
from forecasting.model.sampling import NEVER
from forecasting.projection.forecast import prepare
from forecasting.scenarios.compare import context_from_ledger
from forecasting.scenarios.work import Work
from tests.fixtures.handmade import AS_OF, EXACT, invoice, make_ledger, monthly_history


@pytest.fixture(scope="module")
def work() -> Work:
    """Return a working copy of client A (pays on its due dates, holidays too) with one open invoice."""
    ledger = make_ledger(monthly_history("A", 0, 12, first_issue="2025-10-01")
                         + [invoice("A-open", "A", "2026-10-26", "2026-11-25", 1000.0)])
    return Work(prepare(ledger, AS_OF, 13, EXACT), context_from_ledger(ledger, AS_OF))


def test_roll_moves_days_inside_the_table_to_business_days_and_leaves_the_others(work: Work):
    # As-of Mon 23 Nov 2026: +5 Sat 28 and +6 Sun 29 roll to Mon 30 (+7); +32 Fri 25 Dec (holiday) to Mon 28 (+35).
    # Before as-of (−2) and past the table (its 91 entries: +91, +500) nothing moves; NEVER and beyond are NEVER.
    assert len(work.cash.roll_table) == 91
    offsets = np.array([[-2, 0, 5, 6, 7, 32], [91, 500, NEVER, NEVER + 3, 1, 2]])
    rolled = work.roll(offsets)
    assert rolled.dtype == np.int32
    assert rolled.tolist() == [[-2, 0, 7, 7, 7, 35], [91, 500, NEVER, NEVER, 1, 2]]


def test_due_under_new_terms_by_hand_and_as_due_dates_computes_them(work: Work):
    # 45 days end of month: issued as-of (23 Nov) -> 7 Jan -> 31 Jan 2027 (+69); 30 days before (24 Oct) -> 8 Dec
    # -> 31 Dec (+38). Net 30 from +5 (Sat 28 Nov) is +35, a Monday; due dates are not rolled.
    assert work.due_under(Terms(EOM, 45), np.array([[0, -30], [0, 0]])).tolist() == [[69, 38], [69, 69]]
    assert work.due_under(Terms(NET, 30), np.array([[5]])).tolist() == [[35]]
    # Issue days spread wider than the draws are computed one by one: the same dates.
    spread = np.array([[0, 500]])
    as_of = np.datetime64(AS_OF.date(), "D")
    direct = (due_dates(as_of + spread.ravel(), Terms(EOM, 45)) - as_of).astype(int)
    assert work.due_under(Terms(EOM, 45), spread).ravel().tolist() == direct.tolist() == [69, 555]


def test_settle_rows_of_a_learned_side_and_rows_without_a_model_each_their_way():
    ledger = make_ledger(monthly_history("A", 0, 12, first_issue="2025-10-01")
                         + [invoice("A-open", "A", "2026-10-26", "2026-11-25", 1000.0)])
    work = Work(prepare(ledger, AS_OF, 13, EXACT), context_from_ledger(ledger, AS_OF))
    assert work.add_planned(AS_OF.date() + timedelta(days=10), -50.0, "rent", "rent")  # row 1: no model
    # Client A settles on any day (its history pays on weekends too): Sat 28 Nov (+5) stays; the planned
    # flow rolls to Mon 30 Nov (+7). Together or one at a time, the same days.
    offsets = np.full((2, work.n_sims), 5)
    both = work.settle(np.array([0, 1]), offsets, 1)
    assert both[:, 0].tolist() == [5, 7]
    assert (both == both[:, :1]).all()
    assert work.settle(np.array([0]), offsets[:1], 1).tolist() == both[:1].tolist()
    assert work.settle(np.array([1]), offsets[1:], 1).tolist() == both[1:].tolist()


def test_path_amount_blocks_are_path_amounts_cut_into_blocks(work: Work, monkeypatch: pytest.MonkeyPatch):
    from forecasting.core import blocks

    # Two rows: the open invoice (fixed amount) and a copy whose amount varies by path (scale row 1: 0, 1, 2, ...).
    base = work.cash
    items = base.items.iloc[[0, 0]].reset_index(drop=True).assign(scale_row=[0, 1])
    scales = np.vstack([np.ones(work.n_sims), np.arange(work.n_sims, dtype=float)])
    cash = replace(base, items=items, pay_day_offsets=np.vstack([base.pay_day_offsets] * 2), amount_scales=scales)
    monkeypatch.setattr(blocks, "BLOCK_CELLS", 1)  # one row per block
    parts = list(cash.path_amount_blocks(np.array([2.5, 4.0])))
    assert [part for part, _ in parts] == [slice(0, 1), slice(1, 2)]
    assert parts[0][1].tolist() == [[2.5] * work.n_sims]
    assert parts[1][1].tolist() == [[4.0 * k for k in range(work.n_sims)]]
    assert np.vstack([amounts for _, amounts in parts]).tolist() == cash.path_amounts(np.array([2.5, 4.0])).tolist()
