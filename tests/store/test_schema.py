"""The schema: a file made by an older schema is migrated on open, its rows kept."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from forecasting.core import columns as C
from forecasting.store.database import Store
from forecasting.store.schema import CODE_KEYS, MIGRATIONS, SCHEMA_VERSION
from tests.fixtures.ingest import INVOICE_HEADER as HEADER
from tests.fixtures.ingest import run_import, write_text


def test_a_schema_1_database_migrates_keeping_every_row(tmp_path: Path) -> None:
    """A file made by the first schema (big tables with a primary key) is migrated on open: rows kept, keys
    moved to the code, and imports work as before."""
    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute(MIGRATIONS[0])
    con.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('data_version', '7')")
    con.execute("INSERT INTO receivables VALUES ('default', 'B-1', 'Base Co', NULL, DATE '2026-01-05', "
                "DATE '2026-02-04', 500.00, 'EUR', false, NULL, 'open'), ('erp', 'B-1', 'Other', 'FR', "
                "DATE '2026-01-07', DATE '2026-02-06', -20.50, 'USD', true, 'net 30', 'written_off')")
    con.execute("INSERT INTO payables (source, invoice_id, counterparty_id, issue_date, due_date, amount_ttc) "
                "VALUES ('default', 'F-1', 'Supplier', DATE '2026-01-02', DATE '2026-03-02', 1200.00)")
    con.execute("INSERT INTO payments VALUES ('default', 'receivable', 'inv:B-1:2026-02-03', 'B-1', "
                "DATE '2026-02-03', 200.00), ('default', 'payable', 'p-1', 'F-1', DATE '2026-03-01', 1200.00)")
    con.execute("INSERT INTO counterparties (counterparty_id, kind, name) VALUES ('Base Co', 'client', 'Base Co')")
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    v1 = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in CODE_KEYS}
    con.close()
    store = Store(path)

    status = store.status()  # opening it migrates it

    assert status["schema_version"] == SCHEMA_VERSION and status["data_version"] == 7
    with store.reading() as tx:
        # The payments gain what settled them (schema 7): these are cash; the invoices whether they are balances
        # carried forward from an earlier year (schema 8): these are not.
        v8 = v1 | {"payments": [(*row, "cash") for row in v1["payments"]],
                   "receivables": [(*row, False) for row in v1["receivables"]],
                   "payables": [(*row, False) for row in v1["payables"]]}
        assert {t: tx.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in CODE_KEYS} == v8
        assert tx.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == str(SCHEMA_VERSION)
        assert tx.df("SELECT table_name, constraint_type FROM duckdb_constraints() WHERE constraint_type = "
                     "'PRIMARY KEY' AND table_name IN ('receivables', 'payables', 'payments')").empty
        nullable = tx.df("SELECT table_name, column_name FROM information_schema.columns WHERE is_nullable = 'YES' "
                         "AND table_name IN ('receivables', 'payables', 'payments') ORDER BY ALL")
        assert nullable.values.tolist() == [["payables", "entity"], ["payables", "terms"],
                                            ["receivables", "entity"], ["receivables", "terms"]]
    with pytest.raises(duckdb.ConstraintException), store.transaction("import.test") as tx:  # CHECKs and defaults kept
        tx.execute("INSERT INTO payments (source, side, payment_id, invoice_id, payment_date, amount) "
                   "VALUES ('x', 'neither', 'p', 'i', DATE '2026-01-01', 1)")
    with store.transaction("import.test") as tx:
        tx.execute("INSERT INTO payables (source, invoice_id, counterparty_id, issue_date, due_date, amount_ttc) "
                   "VALUES ('x', 'F-9', 'S', DATE '2026-01-02', DATE '2026-03-02', 1)")
        assert tx.row("SELECT currency, disputed, status FROM payables WHERE source = 'x'") == ("EUR", False, "open")
        tx.execute("DELETE FROM payables WHERE source = 'x'")
    report = run_import(store, write_text(tmp_path / "more.csv", HEADER + (
        "B-1,Base Co,2026-01-05,2026-02-04,500.00,2026-02-10\nB-3,Base Co,2026-01-08,2026-02-07,90.00,\n")))
    assert (report.inserted, report.updated, report.unchanged) == (1, 0, 1)
    receivables = store.read_ledger().receivables.set_index([C.SOURCE, C.INVOICE_ID])
    assert receivables.loc[("default", "B-1"), C.STATUS] == "paid"  # 200 paid before, 500 on 2026-02-10
    assert receivables.loc[("erp", "B-1"), C.STATUS] == "written_off"


def test_a_schema_6_database_marks_the_fec_credit_settlements_it_holds(tmp_path: Path) -> None:
    """Schema 7 says what settled each payment: the rows of a schema 6 file are cash, except the credit settlements
    of an earlier FEC import (fec:credit:, fec:applied:, fec:credit-note:), marked credit notes by their ids; a new
    payment without the column is cash."""
    path = tmp_path / "v6.duckdb"
    con = duckdb.connect(str(path))
    for number in range(6):
        con.execute(MIGRATIONS[number])
    con.execute("INSERT INTO meta VALUES ('schema_version', '6'), ('data_version', '3')")
    con.execute("INSERT INTO payments VALUES "
                "('fec', 'receivable', 'fec:VT12:F1', 'F1', DATE '2026-03-10', 700.00), "
                "('fec', 'receivable', 'fec:credit:AV1:F1', 'F1', DATE '2026-03-01', 300.00), "
                "('fec', 'receivable', 'fec:applied:AV1:F1', 'AV1', DATE '2026-03-01', -300.00), "
                "('fec', 'receivable', 'fec:credit-note:AV2', 'AV2', DATE '2026-03-02', -50.00), "
                "('default', 'receivable', 'pay:credit:1', 'B-1', DATE '2026-02-03', 200.00)")
    con.close()

    Store(path).status()  # opening it migrates it

    con = duckdb.connect(str(path), read_only=True)
    kinds = dict(con.execute("SELECT payment_id, settled_by FROM payments").fetchall())
    con.close()
    assert kinds == {"fec:VT12:F1": "cash", "fec:credit:AV1:F1": "credit_note", "fec:applied:AV1:F1": "credit_note",
                     "fec:credit-note:AV2": "credit_note", "pay:credit:1": "cash"}
    store = Store(path)
    with store.transaction("import.test") as tx:
        tx.execute("INSERT INTO payments (source, side, payment_id, invoice_id, payment_date, amount) "
                   "VALUES ('x', 'receivable', 'p', 'i', DATE '2026-01-01', 1)")
        assert tx.scalar("SELECT settled_by FROM payments WHERE source = 'x'") == "cash"
        tx.execute("DELETE FROM payments WHERE source = 'x'")
    assert store.read_ledger().payments.set_index(C.PAYMENT_ID)[C.SETTLED_BY].to_dict() == kinds
