"""The Store: the demo's writer checks keys, checksums prove what changed, the status figures."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from forecasting.core.errors import KeyRepeated
from forecasting.store.database import Store
from tests.fixtures.handmade import invoice, make_ledger
from tests.fixtures.ingest import INVOICE_HEADER as HEADER
from tests.fixtures.ingest import run_import, write_text


def test_replace_all_refuses_a_repeated_key_and_changes_nothing(store: Store) -> None:
    """The demo writer checks the keys too: a ledger repeating an invoice id or a payment id is refused."""
    before = store.table_checksums()
    twice = [invoice("X-1", "acme", "2026-01-05", "2026-02-04", 100.0, paid="2026-02-04")] * 2

    with pytest.raises(KeyRepeated, match="receivables: 2 rows would share the key source = 'test', invoice_id = 'X-1'"):
        store.replace_all(make_ledger(receivables=twice))
    ledger = make_ledger(receivables=twice[:1])
    ledger = dataclasses.replace(ledger, payments=pd.concat([ledger.payments] * 2, ignore_index=True))
    with pytest.raises(KeyRepeated, match="payments: 2 rows would share the key"):
        store.replace_all(ledger)

    assert store.table_checksums() == before



def test_checksums_change_with_any_data_change(store: Store, tmp_path: Path) -> None:
    """The checksum of a table changes when one amount changes, and only that table's data checksum."""
    before = store.table_checksums()

    run_import(store, write_text(tmp_path / "fix.csv", HEADER + "B-2,Base Co,2026-01-06,2026-02-05,81.00,\n"))

    after = store.table_checksums()
    assert after["receivables"][0] == before["receivables"][0] == 2
    assert after["receivables"][1] != before["receivables"][1]
    assert after["payments"] == before["payments"]
    assert after["import_log"][0] == before["import_log"][0] + 1


def test_status_counts_rows_open_invoices_ranges_and_last_imports(store: Store) -> None:
    """After one import of two invoices (one paid): the numbers the status command prints."""
    status = store.status()

    assert status["counts"]["receivables"] == 2 and status["counts"]["payments"] == 1
    assert status["open_invoices"] == {"receivables": 1, "payables": 0}
    assert status["date_ranges"]["receivables"] == {"from": "2026-01-05", "to": "2026-01-06"}
    last = status["last_imports"][0]
    assert (last["file_name"], last["kind"], last["rows_read"], last["rows_inserted"]) == ("base.csv", "receivables",
                                                                                          2, 2)

