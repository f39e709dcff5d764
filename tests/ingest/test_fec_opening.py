"""A FEC's opening entries ("à-nouveaux"): the year before's balances are not new invoices (issue 14).

Martin SARL (C010) is invoiced FA25-900, 3,000 on 15/11/2025 (due 15/12), in the 2025 FEC. The 2026 FEC opens with
it carried forward (journal AN, dated 01/01/2026, against 890) and Martin pays it by transfer on 20/01/2026.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from forecasting.core import columns as C
from forecasting.model.behaviour import delay_observations
from forecasting.model.settings import BehaviourSettings
from forecasting.model.settlement import OPEN_AMOUNT, settle
from forecasting.store.database import Store
from tests.fixtures.ingest import data_checksums, invoices_by_id, new_store, rows, run_import, write_text
from tests.ingest.test_fec import HEADER, fec_line
from tests.ingest.test_fec_lettering import _sale, _transfer


def _opening(num: str, day: str, piece: str, amount: str, letter: str = "", aux: str = "C010",
             aux_name: str = "Martin SARL", journal: tuple[str, str] = ("AN", "A nouveaux")) -> list[str]:
    """Return a client's balance carried forward: its 411 line debited and the opening balance account 890 credited."""
    lines = [fec_line("OD", num, day, "41100000", "Clients", aux, aux_name, piece, amount, "0,00", letter),
             fec_line("OD", num, day, "89000000", "Bilan d'ouverture", "", "", piece, "0,00", amount)]
    return ["\t".join([*journal, *line.split("\t")[2:]]) for line in lines]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    """Return a FEC file of those lines."""
    return write_text(tmp_path / name, "\r\n".join([HEADER, *lines]) + "\r\n", "cp1252")


FEC_2025 = [*_sale("1", "20251115", "FA25-900", "3000,00")]


def _payments(store: Store) -> list[tuple[str, str, float]]:
    """Return the receivable payments as (invoice, date, amount), sorted."""
    found = rows(store.read_ledger().payments, "payment_id").values()
    return sorted((p["invoice_id"], p["payment_date"], p["amount"]) for p in found if p["side"] == C.RECEIVABLE)


def _open_eur(store: Store, as_of: str) -> float:
    """Return what clients owe at as-of, as the forecast reads it."""
    ledger = store.read_ledger()
    return float(settle(ledger.receivables, ledger.payments_of(C.RECEIVABLE), pd.Timestamp(as_of))[OPEN_AMOUNT].sum())


def test_a_carried_line_with_the_invoices_piece_is_that_invoice_not_a_new_one(tmp_path: Path) -> None:
    """Detailed opening entry: FA25-900 keeps its date (15/11/2025) and amount; it used to be re-dated 01/01/2026."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2025.txt", FEC_2025), kind="fec")
    fec_2026 = [*_opening("1", "20260101", "FA25-900", "3000,00", "AA"),
                *_transfer("5", "20260120", "3000,00", "AA", "20260120")]

    report = run_import(store, _write(tmp_path, "FEC2026.txt", fec_2026), kind="fec")

    invoice = invoices_by_id(store)["FA25-900"]
    assert (invoice["issue_date"], invoice["amount_ttc"], invoice["carried_forward"]) == ("2025-11-15", 3000.0, False)
    assert _payments(store) == [("FA25-900", "2026-01-20", 3000.0)]
    assert report.extra["opening balances already known"] == 1
    assert "1 opening balance was an invoice already imported" in report.line("en")


def test_an_invoice_paid_in_part_the_year_before_keeps_its_amount_and_both_payments(tmp_path: Path) -> None:
    """1,000 paid on 10/12/2025, 2,000 carried and paid on 20/01/2026: 3,000 invoiced, paid in full, nothing open."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2025.txt", [*_sale("1", "20251115", "FA25-900", "3000,00", "A"),
                                                       *_transfer("2", "20251210", "1000,00", "A")]), kind="fec")
    run_import(store, _write(tmp_path, "FEC2026.txt", [*_opening("1", "20260101", "FA25-900", "2000,00", "AA"),
                                                       *_transfer("5", "20260120", "2000,00", "AA")]), kind="fec")

    assert invoices_by_id(store)["FA25-900"]["amount_ttc"] == 3000.0
    assert _payments(store) == [("FA25-900", "2025-12-10", 1000.0), ("FA25-900", "2026-01-20", 2000.0)]
    assert _open_eur(store, "2026-02-01") == 0.0


def test_a_summarised_opening_balance_pays_the_year_befores_invoices_oldest_first(tmp_path: Path) -> None:
    """Two open invoices (1,000 on 05/11, 3,000 on 15/11) carried as one balance of 4,000 (piece AN2026, shared with
    Durand's 500): Martin's 2,500 on 20/01 pays FA25-800 1,000 then FA25-900 1,500. It used to leave both open for
    ever (4,000 owed twice) and pay an invoice AN2026 instead."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2025.txt", [*_sale("1", "20251105", "FA25-800", "1000,00"), *FEC_2025]),
               kind="fec")
    fec_2026 = [*_opening("1", "20260101", "AN2026", "4000,00", "AA"),
                *_opening("1", "20260101", "AN2026", "500,00", "", "C020", "Durand SA"),
                *_transfer("5", "20260120", "2500,00", "AA")]

    report = run_import(store, _write(tmp_path, "FEC2026.txt", fec_2026), kind="fec")

    assert _payments(store) == [("FA25-800", "2026-01-20", 1000.0), ("FA25-900", "2026-01-20", 1500.0)]
    invoices = invoices_by_id(store)
    # Durand has no invoice from 2025 here: its balance is imported, marked carried forward, under its own id.
    assert sorted(invoices) == ["AN2026/C020", "FA25-800", "FA25-900"]
    assert (invoices["AN2026/C020"]["amount_ttc"], invoices["AN2026/C020"]["carried_forward"]) == (500.0, True)
    assert _open_eur(store, "2026-02-01") == 1500.0 + 500.0
    assert report.extra["opening balances already known"] == 1
    assert report.extra["opening balances carried forward"] == 1


def test_without_the_year_before_a_carried_balance_is_owed_but_teaches_no_delay(tmp_path: Path) -> None:
    """The 2026 FEC alone: FA25-900 is owed from 01/01/2026 (due 31/01 by net 30) and forecast, but its payment on
    20/01, 11 days "early" from a date that is not its own, is no observation of Martin's delay."""
    store = new_store(tmp_path / "db.duckdb")
    fec_2026 = [*_opening("1", "20260101", "FA25-900", "3000,00"),
                *_sale("2", "20260110", "FA26-001", "1200,00", "AB"), *_transfer("5", "20260120", "3000,00", ""),
                *_transfer("6", "20260215", "1200,00", "AB")]

    run_import(store, _write(tmp_path, "FEC2026.txt", fec_2026), kind="fec")

    invoices = invoices_by_id(store)
    assert (invoices["FA25-900"]["issue_date"], invoices["FA25-900"]["carried_forward"]) == ("2026-01-01", True)
    assert _payments(store) == [("FA25-900", "2026-01-20", 3000.0), ("FA26-001", "2026-02-15", 1200.0)]
    ledger = store.read_ledger()
    settled = settle(ledger.receivables, ledger.payments_of(C.RECEIVABLE), pd.Timestamp("2026-03-01"))
    observed = delay_observations(settled, pd.Timestamp("2026-03-01"), BehaviourSettings())
    assert observed["delay_days"].tolist() == [6]  # FA26-001 alone: due 09/02, paid 15/02


def test_an_opening_entry_that_opens_the_bank_too_is_no_payment(tmp_path: Path) -> None:
    """One opening entry for the whole balance sheet: the bank's 12,000 and Martin's 3,000 against 890. The 411 line
    used to be read as money received (an entry touching 512): now it is the balance owed, open until paid."""
    opening = _opening("1", "20260101", "FA25-900", "3000,00")
    bank = "\t".join(["AN", "A nouveaux", *fec_line("OD", "1", "20260101", "51200000", "Banque", "", "", "FA25-900",
                                                     "12000,00", "0,00").split("\t")[2:]])
    store = new_store(tmp_path / "db.duckdb")

    run_import(store, _write(tmp_path, "FEC2026.txt", [*opening, bank]), kind="fec")

    assert _payments(store) == []
    assert _open_eur(store, "2026-02-01") == 3000.0


def test_importing_the_year_before_again_keeps_the_payments_the_year_after_made(tmp_path: Path) -> None:
    """The 2025 FEC speaks for payments dated in 2025 alone: imported again after 2026's, FA25-900's 20/01/2026
    payment stays (it used to be removed as stale, and FA25-900 forecast to come in again)."""
    store = new_store(tmp_path / "db.duckdb")
    path_2025 = _write(tmp_path, "FEC2025.txt", FEC_2025)
    run_import(store, path_2025, kind="fec")
    run_import(store, _write(tmp_path, "FEC2026.txt", [*_opening("1", "20260101", "FA25-900", "3000,00", "AA"),
                                                       *_transfer("5", "20260120", "3000,00", "AA")]), kind="fec")
    before = data_checksums(store)

    run_import(store, path_2025, kind="fec")

    assert data_checksums(store) == before
    assert _payments(store) == [("FA25-900", "2026-01-20", 3000.0)]


def test_importing_the_year_after_again_changes_nothing(tmp_path: Path) -> None:
    """The summarised case imported twice: the moved payments keep their ids, nothing is added or removed."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2025.txt", [*_sale("1", "20251105", "FA25-800", "1000,00"), *FEC_2025]),
               kind="fec")
    path_2026 = _write(tmp_path, "FEC2026.txt", [*_opening("1", "20260101", "AN2026", "4000,00", "AA"),
                                                 *_transfer("5", "20260120", "2500,00", "AA")])
    run_import(store, path_2026, kind="fec")
    before = data_checksums(store)

    report = run_import(store, path_2026, kind="fec")

    assert data_checksums(store) == before
    assert report.extra["payments removed"] == 0


def test_opening_journals_are_known_by_their_name_or_their_890_line(tmp_path: Path) -> None:
    """A journal "RAN - Reports à nouveau" with no 890 line is an opening entry too: FA25-900 stays dated 15/11/2025."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2025.txt", FEC_2025), kind="fec")
    carried = _opening("1", "20260101", "FA25-900", "3000,00", journal=("RAN", "Reports à nouveau"))[:1]
    other = fec_line("OD", "1", "20260101", "10100000", "Capital", "", "", "FA25-900", "0,00", "3000,00")
    run_import(store, _write(tmp_path, "FEC2026.txt", [*carried, "\t".join(["RAN", "Reports à nouveau",
                                                                            *other.split("\t")[2:]])]), kind="fec")

    assert invoices_by_id(store)["FA25-900"]["issue_date"] == "2025-11-15"


def test_the_year_before_imported_after_the_year_after_takes_the_place_of_its_carried_balance(tmp_path: Path) -> None:
    """2026 first: AN2026 (4,000 carried, 2,500 paid on 20/01) is all the database knows. Then 2025 brings FA25-800
    (1,000) and FA25-900 (3,000): AN2026 is dissolved into them as if imported in order (1,000 + 1,500 paid, 1,500
    open), not owed a second time beside them; importing 2026 again then changes nothing."""
    store = new_store(tmp_path / "db.duckdb")
    path_2026 = _write(tmp_path, "FEC2026.txt", [*_opening("1", "20260101", "AN2026", "4000,00", "AA"),
                                                 *_transfer("5", "20260120", "2500,00", "AA")])
    run_import(store, path_2026, kind="fec")
    assert _open_eur(store, "2026-02-01") == 1500.0

    report = run_import(store, _write(tmp_path, "FEC2025.txt", [*_sale("1", "20251105", "FA25-800", "1000,00"),
                                                                *FEC_2025]), kind="fec")

    assert sorted(invoices_by_id(store)) == ["FA25-800", "FA25-900"]
    assert _payments(store) == [("FA25-800", "2026-01-20", 1000.0), ("FA25-900", "2026-01-20", 1500.0)]
    assert _open_eur(store, "2026-02-01") == 1500.0
    assert report.extra["opening balances already known"] == 1
    before = data_checksums(store)
    run_import(store, path_2026, kind="fec")
    assert data_checksums(store) == before


def test_a_detailed_carried_line_imported_first_is_replaced_by_the_invoice_itself(tmp_path: Path) -> None:
    """2026 first: FA25-900 carried (2,000 left, dated 01/01/2026), paid 20/01. Then 2025: FA25-900 is 3,000 of
    15/11/2025 paid 1,000 on 10/12: the invoice's own date and amount, both payments, nothing open."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2026.txt", [*_opening("1", "20260101", "FA25-900", "2000,00", "AA"),
                                                       *_transfer("5", "20260120", "2000,00", "AA")]), kind="fec")

    run_import(store, _write(tmp_path, "FEC2025.txt", [*_sale("1", "20251115", "FA25-900", "3000,00", "A"),
                                                       *_transfer("2", "20251210", "1000,00", "A")]), kind="fec")

    invoice = invoices_by_id(store)["FA25-900"]
    assert (invoice["issue_date"], invoice["amount_ttc"], invoice["carried_forward"]) == ("2025-11-15", 3000.0, False)
    assert _payments(store) == [("FA25-900", "2025-12-10", 1000.0), ("FA25-900", "2026-01-20", 2000.0)]
    assert _open_eur(store, "2026-02-01") == 0.0


def test_the_same_entry_number_in_two_years_keeps_both_payments(tmp_path: Path) -> None:
    """Entry numbers start again each year: FA25-900 paid 1,000 by BQ 5 on 10/12/2025 and 2,000 by BQ 5 on
    20/01/2026. Both payments stay, in either import order (the second used to replace the first: 2,000 or 1,000
    open for nothing)."""
    fec_2025 = [*_sale("1", "20251115", "FA25-900", "3000,00", "A"), *_transfer("5", "20251210", "1000,00", "A")]
    fec_2026 = [*_opening("1", "20260101", "FA25-900", "2000,00", "AA"), *_transfer("5", "20260120", "2000,00", "AA")]
    for order in ((fec_2025, fec_2026), (fec_2026, fec_2025)):
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        store = new_store(folder / "db.duckdb")
        for k, lines in enumerate(order):
            run_import(store, _write(folder, f"FEC{k}.txt", lines), kind="fec")

        assert _payments(store) == [("FA25-900", "2025-12-10", 1000.0), ("FA25-900", "2026-01-20", 2000.0)]
        assert _open_eur(store, "2026-02-01") == 0.0


def test_a_carried_balance_is_not_laid_on_invoices_older_than_the_year_before(tmp_path: Path) -> None:
    """Only the 2024 FEC and the 2026 one: Martin's 4,000 carried into 2026 is what 2025 left open, and 2025 was never
    imported. FA24-100 (2024, still open in the data) is not taken for it: the carried balance is imported as such."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2024.txt", _sale("1", "20240610", "FA24-100", "4000,00")), kind="fec")

    run_import(store, _write(tmp_path, "FEC2026.txt", [*_opening("1", "20260101", "AN2026", "4000,00", "AA"),
                                                       *_transfer("5", "20260120", "4000,00", "AA")]), kind="fec")

    assert _payments(store) == [("AN2026", "2026-01-20", 4000.0)]
    assert invoices_by_id(store)["AN2026"]["carried_forward"] is True


def test_a_suppliers_summarised_opening_balance_pays_its_invoices_of_the_year_before(tmp_path: Path) -> None:
    """Supplier side: FF-1 (360, 01/10/2025) open at the year end, carried as Fournil's balance (401 credited 360,
    piece AN2026, shared with another supplier's 90), paid by a debit of 360 on 15/01/2026: FF-1 is paid then."""
    def supplier(piece: str, day: str, account: str, aux: str, debit: str, credit: str, letter: str = "",
                 journal: tuple[str, str] = ("AC", "Achats")) -> str:
        line = fec_line("AC", "1", day, account, "Fournisseurs", aux, aux, piece, debit, credit, letter)
        return "\t".join([*journal, *line.split("\t")[2:]])
    opening = ("AN", "A nouveaux")
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, _write(tmp_path, "FEC2025.txt", [supplier("FF-1", "20251001", "40100000", "F001", "0,00", "360,00"),
                                                       supplier("FF-1", "20251001", "60700000", "", "360,00", "0,00")]),
               kind="fec")
    fec_2026 = [supplier("AN2026", "20260101", "40100000", "F001", "0,00", "360,00", "K", opening),
                supplier("AN2026", "20260101", "40100000", "F002", "0,00", "90,00", "", opening),
                supplier("AN2026", "20260101", "89000000", "", "450,00", "0,00", "", opening),
                supplier("PRLV-7", "20260115", "40100000", "F001", "360,00", "0,00", "K", ("BQ", "Banque")),
                supplier("PRLV-7", "20260115", "51200000", "", "0,00", "360,00", "", ("BQ", "Banque"))]

    run_import(store, _write(tmp_path, "FEC2026.txt", fec_2026), kind="fec")

    paid = [(p["invoice_id"], p["payment_date"], p["amount"])
            for p in rows(store.read_ledger().payments, "payment_id").values() if p["side"] == C.PAYABLE]
    assert paid == [("FF-1", "2026-01-15", 360.0)]
    assert sorted(invoices_by_id(store, "payables")) == ["AN2026/F002", "FF-1"]
