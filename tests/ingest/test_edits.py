"""Tests of forecasting.ingest.edits: planned flows edited in the dashboard, checked as an import, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.ingest.edits import replace_planned_flows
from forecasting.ingest.staging import ImportRejected
from forecasting.store.database import Store


def _flows(**changes: list) -> pd.DataFrame:
    """Return two edited rows as the page's table gives them (dates as dates, blanks as None)."""
    rows = {C.FLOW_ID: [None, "RENT"], C.LABEL: ["Salaires", "Loyer"], C.CATEGORY: ["payroll", "rent"],
            C.ACCOUNT_ID: [None, None], C.AMOUNT: [-20_000.0, -3_000.5], C.CURRENCY: ["EUR", None],
            C.FIRST_DATE: [pd.Timestamp("2026-12-28").date(), pd.Timestamp("2027-01-01").date()],
            C.RECURRENCE: ["monthly", "quarterly"], C.END_DATE: [None, pd.Timestamp("2027-12-31").date()]}
    return pd.DataFrame(rows | changes)


def test_the_edited_table_replaces_every_planned_flow(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")
    replace_planned_flows(store, _flows())
    report = replace_planned_flows(store, _flows().iloc[[1]])  # the payroll row deleted in the table
    flows = store.read_ledger().planned_flows
    assert report.inserted == 1
    assert flows[[C.FLOW_ID, C.AMOUNT, C.CURRENCY, C.RECURRENCE]].values.tolist() == [
        ["RENT", -3000.5, "EUR", "quarterly"]]  # currency defaults to EUR
    assert flows[C.END_DATE].iloc[0] == pd.Timestamp("2027-12-31")
    replace_planned_flows(store, _flows().iloc[0:0])  # every row deleted
    assert store.read_ledger().planned_flows.empty


def test_a_wrong_row_is_named_and_nothing_changes(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")
    replace_planned_flows(store, _flows())
    before = store.table_checksums()
    with pytest.raises(ImportRejected) as caught:
        replace_planned_flows(store, _flows(**{C.CATEGORY: ["payroll", "bonus"],
                                               C.FIRST_DATE: [None, pd.Timestamp("2027-01-01").date()]}))
    errors = caught.value.errors[["row", "column", "reason"]].values.tolist()
    assert errors == [[1, "first_date", "missing first date"],
                      [2, "category", "unknown category (expected payroll, social, vat, tax, rent, loan, capex, "
                                      "financing, other)"]]
    assert store.table_checksums() == before  # the deletion of the old flows was rolled back too
