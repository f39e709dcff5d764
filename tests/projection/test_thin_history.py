"""Ledgers too thin to learn from still give a forecast, with a note on what could not be learned (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.projection.forecast import aggregate, prepare
from tests.fixtures.handmade import invoice, make_ledger, monthly_history

AS_OF = pd.Timestamp("2026-11-23")


def _open(n: int) -> list[dict]:
    """Return n open invoices, one a month, the last issued three weeks before as-of."""
    return [invoice(f"A-{i}", "A", str((AS_OF - pd.Timedelta(days=21 + 30 * i)).date()),
                    str((AS_OF + pd.Timedelta(days=9 - 30 * i)).date()), 1000.0) for i in range(n)]


LEDGERS = {
    "one open invoice": [invoice("A-1", "A", "2026-11-02", "2026-12-02", 1000.0)],
    "one paid invoice": [invoice("A-1", "A", "2026-10-02", "2026-11-01", 1000.0, paid="2026-11-03")],
    "all open": _open(11),
    "all paid": monthly_history("A", 3, 24, first_issue="2024-10-01"),
    "one week": [invoice(f"A-{i}", "A", f"2026-11-1{i}", f"2026-12-1{i}", 1000.0,
                         paid="2026-11-20" if i < 2 else None) for i in range(6)],
    "one client": monthly_history("A", [0, 5, 10, -3], 30, first_issue="2024-04-01")
    + [invoice("A-o", "A", "2026-11-10", "2026-12-10", 500.0)],
}
NOTE = {"no_paid": "invoice paid yet", "too_little": "too little"}


@pytest.mark.parametrize("side", [C.RECEIVABLE, C.PAYABLE])
@pytest.mark.parametrize("name", list(LEDGERS))
def test_a_thin_ledger_gives_a_forecast_and_says_what_it_could_not_learn(name: str, side: str):
    rows = [{**row, C.SIDE: side} for row in LEDGERS[name]]
    ledger = make_ledger(rows) if side == C.RECEIVABLE else make_ledger(payables=rows)
    cash = prepare(ledger, AS_OF, 13)
    weekly = aggregate(cash).weekly
    assert np.isfinite(weekly["closing_p50"].to_numpy()).all()
    learning = [n for n in cash.notes if NOTE["no_paid"] in n or NOTE["too_little"] in n]
    word = "client" if side == C.RECEIVABLE else "supplier"
    if name in ("one open invoice", "all open"):
        assert learning and f"no {word} invoice paid yet" in learning[0]
    else:  # a few paid invoices: too little to test the model at past dates
        assert learning and f"too little {word} payment history" in learning[0]


def test_a_side_without_history_is_left_out_with_a_note_and_the_other_is_forecast():
    ledger = make_ledger(monthly_history("A", 2, 30, first_issue="2024-04-01")
                         + [invoice("A-o", "A", "2026-11-10", "2026-12-10", 500.0)])
    cash = prepare(ledger, AS_OF, 13)
    assert "no supplier invoices: supplier payments are not included" in cash.notes
    assert (cash.items[C.SIDE] == C.RECEIVABLE).any() and not (cash.items[C.SIDE] == C.PAYABLE).any()
