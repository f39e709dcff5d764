"""Re-importing is safe, a corrected file updates only what changed, and --skip-invalid keeps every rejected row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from forecasting.core.errors import InputError
from forecasting.store.database import Store
from tests.fixtures.ingest import data_checksums, invoices_by_id, new_store, run_import, write_text

FILE = (
    "Facture;Client;Date facture;Echeance;Montant TTC;Date de reglement\n"
    "R-1;Durand;02/03/2026;01/04/2026;1 000,00;03/04/2026\n"
    "R-2;Durand;09/03/2026;08/04/2026;250,50;\n"
    "R-3;Martin;16/03/2026;15/04/2026;75,25;\n"
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Return an empty store."""
    return new_store(tmp_path / "cashpilot.duckdb")


def test_same_file_twice_reports_all_unchanged_and_leaves_data_identical(store: Store, tmp_path: Path) -> None:
    """Second import: 0 inserted, 0 updated, 3 unchanged; only the import log grows."""
    path = write_text(tmp_path / "ar.csv", FILE)
    first = run_import(store, path)
    before = data_checksums(store)
    version = store.data_version()

    second = run_import(store, path)

    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    assert second.extra["payments inserted"] == 0 and second.extra["counterparties added"] == 0
    assert data_checksums(store) == before
    assert store.data_version() == version  # cached forecasts stay valid
    assert store.import_log()["rows_unchanged"].tolist() == [3, 0]


def test_one_amount_changed_reports_one_update(store: Store, tmp_path: Path) -> None:
    """R-2 corrected from 250,50 to 260,50: 1 updated, 2 unchanged, and the new amount is stored."""
    run_import(store, write_text(tmp_path / "ar.csv", FILE))

    report = run_import(store, write_text(tmp_path / "ar_v2.csv", FILE.replace("250,50", "260,50")))

    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 2)
    assert invoices_by_id(store)["R-2"]["amount_ttc"] == 260.50


def test_paid_date_added_later_pays_the_invoice(store: Store, tmp_path: Path) -> None:
    """The next export carries R-2's payment: one payment inserted and R-2 turns paid."""
    run_import(store, write_text(tmp_path / "ar.csv", FILE))

    report = run_import(store, write_text(tmp_path / "ar_v2.csv", FILE.replace("250,50;", "250,50;10/04/2026")))

    assert report.extra["payments inserted"] == 1
    assert invoices_by_id(store)["R-2"]["status"] == "paid"


def _payments(store: Store, side: str = "receivable") -> list[tuple[str, str, float]]:
    """Return the payments of one side as (invoice, ISO date, amount), in that order."""
    frame = store.read_ledger().payments
    frame = frame[frame["side"] == side].sort_values(["invoice_id", "payment_date"])
    return [(r.invoice_id, r.payment_date.strftime("%Y-%m-%d"), float(r.amount)) for r in frame.itertuples()]


def test_a_corrected_paid_date_moves_the_payment_instead_of_paying_the_invoice_twice(
        store: Store, tmp_path: Path) -> None:
    """R-1 paid on 03/04, then the export corrects it to 06/04: one payment of 1 000 on 06/04, not 2 000."""
    run_import(store, write_text(tmp_path / "ar.csv", FILE))

    report = run_import(store, write_text(tmp_path / "ar_v2.csv", FILE.replace("03/04/2026", "06/04/2026")))

    assert _payments(store) == [("R-1", "2026-04-06", 1000.0)]
    assert (report.extra["payments inserted"], report.extra["payments removed"]) == (1, 1)
    assert invoices_by_id(store)["R-1"]["status"] == "paid"


@pytest.mark.parametrize("kind", ["receivables", "payables"])
def test_an_emptied_paid_date_reopens_the_invoice(store: Store, tmp_path: Path, kind: str) -> None:
    """The next export no longer says R-1 is paid (a payment reversed): its payment goes and it is open again."""
    text = FILE.replace("Client", "Fournisseur") if kind == "payables" else FILE
    run_import(store, write_text(tmp_path / "v1.csv", text), kind)

    report = run_import(store, write_text(tmp_path / "v2.csv", text.replace("03/04/2026", "")), kind)

    assert _payments(store, "payable" if kind == "payables" else "receivable") == []
    assert report.extra["payments removed"] == 1
    assert invoices_by_id(store, kind)["R-1"]["status"] == "open"


def test_a_payment_from_a_payments_file_is_kept_when_the_invoice_row_is_imported_again(
        store: Store, tmp_path: Path) -> None:
    """Only the payment an invoice row itself carries is that row's: a part-payment imported on its own stays."""
    run_import(store, write_text(tmp_path / "ar.csv", FILE))
    run_import(store, write_text(tmp_path / "pay.csv", "invoice_id;paid_date;paid_amount\nR-2;05/04/2026;100,00\n"),
               "payments")

    run_import(store, write_text(tmp_path / "ar_v2.csv", FILE.replace("03/04/2026", "06/04/2026")))

    assert _payments(store) == [("R-1", "2026-04-06", 1000.0), ("R-2", "2026-04-05", 100.0)]
    assert invoices_by_id(store)["R-2"]["status"] == "open"


def test_skip_invalid_imports_good_rows_and_writes_rejected_rows_with_reasons(store: Store, tmp_path: Path) -> None:
    """Two bad rows of four: the two good ones are imported, the bad ones land in the rejects file as they were."""
    path = write_text(tmp_path / "ar.csv", FILE.replace("250,50", "deux cents") + "R-4;Martin;31/02/2026;;10,00;\n")
    rejects = tmp_path / "out" / "rejects.csv"

    report = run_import(store, path, skip_invalid=True, rejects_path=str(rejects))

    assert (report.rows_read, report.inserted, report.rejected) == (4, 2, 2)
    assert set(invoices_by_id(store)) == {"R-1", "R-3"}
    with rejects.open(encoding="utf-8", newline="") as fh:
        written = list(csv.DictReader(fh, delimiter=";"))
    assert [(r["row_number"], r["Facture"], r["Montant TTC"]) for r in written] == [
        ("3", "R-2", "deux cents"), ("5", "R-4", "10,00")]
    assert written[0]["rejection_reason"].startswith("Montant TTC: not an amount")
    assert "Date facture: that month has no such day (expected DD/MM/YYYY)" in written[1]["rejection_reason"]
    assert store.import_log()["rows_rejected"].tolist() == [2]


def test_the_rejects_file_writes_a_formula_as_text_and_keeps_numbers(store: Store, tmp_path: Path) -> None:
    """A rejected row whose client is a formula goes to the rejects file as text, its amount as it was."""
    bad = "R-9;=HYPERLINK(A1)+cmd;31/02/2026;;-10,00;\n"
    rejects = tmp_path / "rejects.csv"
    run_import(store, write_text(tmp_path / "ar.csv", FILE + bad), skip_invalid=True, rejects_path=str(rejects))
    with rejects.open(encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh, delimiter=";"))
    assert row["Client"].startswith("'=HYPERLINK(") and row["Montant TTC"] == "-10,00"


def test_skip_invalid_without_rejects_file_is_refused(store: Store, tmp_path: Path) -> None:
    """Rows may not be dropped silently: --skip-invalid needs --rejects."""
    path = write_text(tmp_path / "ar.csv", FILE)

    with pytest.raises(InputError, match="--skip-invalid needs --rejects FILE"):
        run_import(store, path, skip_invalid=True)
    assert store.status()["counts"]["receivables"] == 0
