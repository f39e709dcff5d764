"""Acceptance on the demo, whose truth is known: precision of what is applied, recall of what is shown, no double count.

How it is measured: the movements of the last 4 and 8 weeks are matched against the demo ledger as exported just
before them (the payments dated from the cut-off on removed, so their invoices are open again). A movement counts
when the truth says it pays invoices open at the cut-off; a match is right when its invoices are exactly those.
Precision = right automatic matches / automatic matches; recall = movements one of whose automatic or proposed
matches is right / movements to find.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.demo.movements import EXPORT_LAG_BDAYS
from forecasting.model.settlement import known_at
from forecasting.projection.forecast import project
from forecasting.reconcile.run import auto_match
from forecasting.store.database import Store
from forecasting.store.reconciliation import read_matches
from tests.fixtures.bank import add_movements, movement
from tests.fixtures.demo import DEMO_TODAY
from tests.fixtures.handmade import AS_OF, EXACT, invoice, make_ledger, monthly_history
from tests.fixtures.reconcile import evaluate


@pytest.fixture(scope="module")
def lagged() -> demo.DemoData:
    """Return the demo with its ledger exported EXPORT_LAG_BDAYS business days behind the bank."""
    return demo.generate(seed=42, scale=1.0, today=DEMO_TODAY, export_lag_bdays=EXPORT_LAG_BDAYS)


@pytest.mark.parametrize("weeks", [4, 8])
def test_automatic_matches_are_right_and_proposals_find_the_rest(lagged: demo.DemoData, weeks: int) -> None:
    score, run = evaluate(lagged, weeks)

    assert score.to_find > 100 * weeks  # hundreds of receipts and payments to find
    assert score.precision >= 0.99
    assert score.recall >= 0.90
    assert score.auto > 0.75 * score.to_find  # most need no look


def test_receipts_the_ledger_has_not_seen_are_no_longer_forecast(lagged: demo.DemoData, tmp_path: Path) -> None:
    store = Store(tmp_path / "demo.duckdb")
    store.replace_all(Ledger.from_object(lagged), lagged.bank_movements, lagged.account_ibans)
    as_of = pd.Timestamp(DEMO_TODAY)

    def open_ids(ledger: Ledger) -> set[str]:
        known = known_at(ledger, as_of.date()).receivables
        return set(known.loc[known[C.STATUS] == "open", C.INVOICE_ID])

    before = open_ids(store.read_ledger())
    auto_match(store)
    after = open_ids(store.read_ledger())

    # the invoices the bank saw paid in full in the last days, that the lagged export shows open
    plain = demo.generate(seed=42, scale=1.0, today=DEMO_TODAY).receivables.set_index(C.INVOICE_ID)[C.STATUS]
    paid_at_bank = {i for i in before if plain.get(i) == "paid"}
    assert len(paid_at_bank) > 50
    # most are applied automatically; those left are proposed on the Reconciliation page
    left = paid_at_bank & after
    assert len(left) <= 0.25 * len(paid_at_bank)
    matches, allocations = read_matches(store)
    proposed = set(allocations[allocations["match_id"].isin(matches.loc[matches["status"] == "proposed", "match_id"])]
                   [C.INVOICE_ID])
    assert len(left - proposed) <= 0.05 * len(paid_at_bank)
    assert after <= before

def test_an_invoice_paid_in_a_statement_is_not_in_the_next_forecast(tmp_path: Path) -> None:
    rows = monthly_history("acme", 0, 12, first_issue="2025-10-01", prefix="FA-1")
    rows.append(invoice("FA-3001", "acme", "2026-10-26", "2026-11-25", 1000.0))  # would be received Wed 25 Nov
    rows.append(invoice("FA-3002", "acme", "2026-11-02", "2026-12-02", 2000.0))
    store = Store(tmp_path / "forecast.duckdb")
    store.replace_all(make_ledger(rows))
    weekly = project(store.read_ledger(), AS_OF, 13, EXACT).weekly
    assert (weekly["receipts"].iloc[0], weekly["receipts"].sum()) == (pytest.approx(1000.0), pytest.approx(3000.0))

    add_movements(store, movement("M1", "2026-11-20", 1000.0, "VIR SEPA RECU /DE ACME", "FACTURE FA-3001"))
    auto_match(store)

    projection = project(store.read_ledger(), AS_OF, 13, EXACT)
    # received on the 20th: not expected again; FA-3002 still is (perhaps a little earlier: acme paid early once)
    assert projection.weekly["receipts"].sum() == pytest.approx(2000.0)
    assert projection.weekly["receipts"].iloc[0] < 1000.0
