"""The tuning's sample of a large ledger (model.tuning_sample): whole counterparties, capped, fixed seed."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.model import tuning
from forecasting.model.tuning_sample import sampled_counterparties
from tests.fixtures.handmade import make_ledger, monthly_history

# Invoices per counterparty: 15 in all.
COUNTS = pd.Series([3, 5, 2, 4, 1], index=["A", "B", "C", "D", "E"])


def test_at_or_below_the_cap_every_counterparty_is_kept_in_order() -> None:
    for cap in (15, 100):
        assert sampled_counterparties(COUNTS, cap, seed=0).tolist() == ["A", "B", "C", "D", "E"]


def test_above_the_cap_a_random_order_is_taken_while_its_running_total_fits() -> None:
    # seed 0 orders the rows 2, 4, 3, 0, 1: C (2), E (1), D (4), A (3), B (5); running totals 2, 3, 7, 10, 15
    assert sampled_counterparties(COUNTS, 8, seed=0).tolist() == ["C", "E", "D"]  # 7 invoices <= 8
    # seed 1 orders them 4, 0, 1, 2, 3: E (1), A (3), B (5), ...; running totals 1, 4, 9: B passes 8, the rest stop
    assert sampled_counterparties(COUNTS, 8, seed=1).tolist() == ["E", "A"]


def test_the_sample_is_the_same_on_every_call() -> None:
    first = sampled_counterparties(COUNTS, 8, seed=0)
    assert all(sampled_counterparties(COUNTS, 8, seed=0).equals(first) for _ in range(3))


def test_tuning_keeps_each_sampled_counterparty_whole_with_its_payments(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = []
    for k, n in enumerate([3, 5, 2, 4, 1]):  # the counts above, as monthly paid invoices of clients K0..K4
        rows += monthly_history(f"K{k}", 2, n)
    ledger = make_ledger(rows)
    invoices, payments = ledger.receivables, ledger.payments_of(C.RECEIVABLE)
    assert tuning._sampled(invoices, payments, ledger.counterparties)[0] is invoices  # 15 <= 25,000: untouched

    monkeypatch.setattr(tuning, "MAX_TUNING_INVOICES", 8)
    sample, sample_payments, _ = tuning._sampled(invoices, payments, ledger.counterparties)
    kept = set(sample[C.COUNTERPARTY_ID])
    assert len(sample) <= 8 and kept
    for client in kept:  # every invoice of a sampled client, none of the others
        assert (sample[C.COUNTERPARTY_ID] == client).sum() == (invoices[C.COUNTERPARTY_ID] == client).sum()
    assert sorted(sample_payments[C.INVOICE_ID]) == sorted(sample[C.INVOICE_ID])  # one payment per invoice here
    again = tuning._sampled(invoices, payments, ledger.counterparties)[0]
    assert again[C.INVOICE_ID].tolist() == sample[C.INVOICE_ID].tolist()  # deterministic
