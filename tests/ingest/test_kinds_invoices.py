"""Invoice and payments files: due dates from terms, payments that settle invoices, the ids of their payments."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.core.errors import InputError
from forecasting.store.database import Store
from tests.fixtures.ingest import invoices_by_id, new_store, run_import, write_text


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Return an empty store."""
    return new_store(tmp_path / "cashpilot.duckdb")


def test_invoice_without_due_date_takes_its_client_terms(store: Store, tmp_path: Path) -> None:
    """Client on 45 days end of month, invoice of 10 Jan 2026: due 28 Feb 2026 (10 Jan + 45 = 24 Feb, month end)."""
    run_import(store, write_text(tmp_path / "tiers.csv", "code;type;terms\nC001;client;45 jours fin de mois\n"),
               kind="counterparties")

    run_import(store, write_text(tmp_path / "ar.csv", "invoice;client code;date;amount\nI-1;C001;10/01/2026;100\n"))

    inv = invoices_by_id(store)["I-1"]
    assert (inv["due_date"], inv["terms"]) == ("2026-02-28", "45 days end of month")


def test_a_blank_due_date_is_computed_from_the_rows_terms(store: Store, tmp_path: Path) -> None:
    """A due date of spaces with 'net 30' on 1 Sep 2026: due 1 Oct 2026 (the import crashed on NOT NULL)."""
    run_import(store, write_text(tmp_path / "ar.csv", "invoice_id,client,issue_date,due_date,amount,terms\n"
                                 "F-1,Durand,2026-09-01, ,1200.00,net 30\n"))
    assert invoices_by_id(store)["F-1"]["due_date"] == "2026-10-01"


def test_an_empty_due_date_in_parquet_is_computed_from_the_rows_terms(store: Store, tmp_path: Path) -> None:
    """The same with '' in a Parquet text column."""
    path = tmp_path / "ar.parquet"
    pd.DataFrame({"invoice_id": ["F-1"], "client": ["Durand"], "issue_date": ["2026-09-01"], "due_date": [""],
                  "amount": ["1200.00"], "terms": ["net 30"]}).to_parquet(path)
    run_import(store, path)
    assert invoices_by_id(store)["F-1"]["due_date"] == "2026-10-01"


def test_a_blank_due_date_without_terms_is_refused_with_the_row_and_column(store: Store, tmp_path: Path) -> None:
    path = write_text(tmp_path / "ar.csv", "invoice_id,client,issue_date,due_date,amount\nF-3,Martin,2026-09-01, ,50\n")
    with pytest.raises(InputError, match=r"row 2, column 'due_date'.*no due date, and no payment terms"):
        run_import(store, path)
    assert invoices_by_id(store) == {}


def test_payments_file_pays_an_invoice_when_covered_and_leaves_a_partial_one_open(store: Store,
                                                                                  tmp_path: Path) -> None:
    """I-1 (1 000) paid 400 + 600: paid; I-2 (500) paid 200: open; same date and amount twice are two payments."""
    run_import(store, write_text(tmp_path / "ar.csv", (
        "invoice_id,customer,issue_date,due_date,amount\n"
        "I-1,Acme,2026-03-02,2026-04-01,1000.00\nI-2,Acme,2026-03-02,2026-04-01,500.00\n"
    )))

    report = run_import(store, write_text(tmp_path / "pay.csv", (
        "invoice_id,payment date,paid amount\n"
        "I-1,2026-04-01,400.00\nI-1,2026-04-15,600.00\nI-2,2026-04-20,100.00\nI-2,2026-04-20,100.00\n"
    )), kind="payments")

    assert report.inserted == 4
    inv = invoices_by_id(store)
    assert {k: v["status"] for k, v in inv.items()} == {"I-1": "paid", "I-2": "open"}
    paid = store.read_ledger().payments.groupby("invoice_id")["amount"].sum().to_dict()
    assert paid == {"I-1": 1000.0, "I-2": 200.0}


def test_payments_file_reimported_adds_nothing(store: Store, tmp_path: Path) -> None:
    """Payments without ids are keyed by invoice, date, amount and occurrence: a re-import is all unchanged."""
    run_import(store, write_text(tmp_path / "ar.csv", "invoice_id,customer,issue_date,amount,due_date\n"
                                                      "I-2,Acme,2026-03-02,500.00,2026-04-01\n"))
    pay = write_text(tmp_path / "pay.csv", "invoice_id,payment date,paid amount\n"
                                           "I-2,2026-04-20,100.00\nI-2,2026-04-20,100.00\n")
    run_import(store, pay, kind="payments")

    report = run_import(store, pay, kind="payments")

    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 2)


def test_supplier_payments_settle_payables(store: Store, tmp_path: Path) -> None:
    """A payment with side 'fournisseur' pays the supplier invoice of that number."""
    run_import(store, write_text(tmp_path / "ap.csv", "facture;fournisseur;date facture;echeance;montant\n"
                                                      "A-7;Fournil;05/01/2026;04/02/2026;360,00\n"), kind="payables")

    run_import(store, write_text(tmp_path / "pay.csv", "facture;date reglement;montant;sens\nA-7;31/01/2026;360,00;fournisseur\n"),
               kind="payments")

    assert invoices_by_id(store, "payables")["A-7"]["status"] == "paid"


def test_an_invoice_file_names_its_payments_by_invoice_and_date(store: Store, tmp_path: Path) -> None:
    """The id of a payment given on an invoice row: 'inv:' + invoice id + ':' + ISO date (stable across versions)."""
    run_import(store, write_text(tmp_path / "paid.csv", "invoice_id,customer,issue_date,due_date,amount,paid_date\n"
                                                        "P-7,Acme,2026-01-05,2026-02-04,10.00,2026-02-10\n"))

    payments = store.read_ledger().payments
    assert payments.loc[payments["invoice_id"] == "P-7", "payment_id"].tolist() == ["inv:P-7:2026-02-10"]
