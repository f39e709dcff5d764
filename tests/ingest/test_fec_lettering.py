"""FEC lettering: payments dated by the lettered bank lines (one each), oldest invoice first, credit notes (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from forecasting.core import columns as C
from forecasting.model.behaviour import delay_observations
from forecasting.model.settings import BehaviourSettings
from forecasting.model.settlement import CASH_DATE, OPEN_AMOUNT, PAID_DATE, settle
from forecasting.store.database import Store
from tests.fixtures.ingest import invoices_by_id, new_store, rows, run_import, write_text
from tests.ingest.test_fec import HEADER, fec_line


def _import(tmp_path: Path, lines: list[str], store: Store | None = None) -> Store:
    """Import the FEC lines into a new store (or `store`); return it."""
    store = store or new_store(tmp_path / "db.duckdb")
    run_import(store, write_text(tmp_path / "FEC.txt", "\r\n".join([HEADER, *lines]) + "\r\n", "cp1252"), kind="fec")
    return store


def _payments(store: Store, side: str = "receivable") -> list[tuple[str, str, float]]:
    """Return the side's payments as (invoice, date, amount), sorted."""
    found = rows(store.read_ledger().payments, "payment_id").values()
    return sorted((p["invoice_id"], p["payment_date"], p["amount"]) for p in found if p["side"] == side)


def _sale(num: str, day: str, piece: str, amount: str, letter: str = "", date_let: str = "") -> list[str]:
    """Return a sale to Martin SARL: the 411 line (TTC) and its revenue line."""
    return [fec_line("VE", num, day, "41100000", "Clients", "C010", "Martin SARL", piece, amount, "0,00", letter,
                     date_let),
            fec_line("VE", num, day, "70600000", "Prestations", "", "", piece, "0,00", amount)]


def _credit_note(num: str, day: str, piece: str, amount: str, letter: str = "", date_let: str = "") -> list[str]:
    """Return a credit note to Martin SARL: the 411 line credited and the revenue line reversed."""
    return [fec_line("VE", num, day, "41100000", "Clients", "C010", "Martin SARL", piece, "0,00", amount, letter,
                     date_let),
            fec_line("VE", num, day, "70600000", "Prestations", "", "", piece, amount, "0,00")]


def _transfer(num: str, day: str, amount: str, letter: str, date_let: str = "",
              account: str = "41100000") -> list[str]:
    """Return a transfer received from Martin SARL: bank debited, its client `account` (411) credited and lettered."""
    return [fec_line("BQ", num, day, "51200000", "Banque", "", "", f"VIR-{num}", amount, "0,00"),
            fec_line("BQ", num, day, account, "Clients", "C010", "Martin SARL", f"VIR-{num}", "0,00", amount,
                     letter, date_let)]


def test_an_invoice_paid_by_two_transfers_has_two_payments_on_the_bank_dates(tmp_path: Path) -> None:
    """The issue's reproducer: FA26-102 (3,600) lettered AB on 01/12 with 1,600 on 16/11 and 2,000 on 01/12.

    It used to be one payment of 3,600 on DateLet (01/12): the delay learnt was 15 days too long for 1,600.
    """
    lines = [*_sale("1", "20261020", "FA26-102", "3600,00", "AB", "20261201"),
             *_transfer("7", "20261116", "1600,00", "AB", "20261201"),
             *_transfer("9", "20261201", "2000,00", "AB", "20261201")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("FA26-102", "2026-11-16", 1600.0), ("FA26-102", "2026-12-01", 2000.0)]
    assert invoices_by_id(store)["FA26-102"]["status"] == "paid"


def test_partial_lettering_pays_part_and_leaves_the_rest_open(tmp_path: Path) -> None:
    """1,000 invoiced, one transfer of 400 lettered with it: paid 400 on the transfer's date, still open."""
    lines = [*_sale("1", "20261001", "FA-1", "1000,00", "C", "20261105"),
             *_transfer("2", "20261030", "400,00", "C", "20261105")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("FA-1", "2026-10-30", 400.0)]
    assert invoices_by_id(store)["FA-1"]["status"] == "open"


def test_a_letter_over_several_invoices_pays_the_oldest_first_splitting_a_transfer(tmp_path: Path) -> None:
    """FA-1 (1,000, 1 Sept) and FA-2 (500, 15 Sept) lettered D with 600 on 10 Oct and 900 on 20 Oct.

    Oldest first, earliest money first: FA-1 gets 600 (10 Oct) + 400 (20 Oct); FA-2 gets the last 500 (20 Oct).
    """
    lines = [*_sale("1", "20260915", "FA-2", "500,00", "D"), *_sale("2", "20260901", "FA-1", "1000,00", "D"),
             *_transfer("3", "20261020", "900,00", "D"), *_transfer("4", "20261010", "600,00", "D")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("FA-1", "2026-10-10", 600.0), ("FA-1", "2026-10-20", 400.0),
                                ("FA-2", "2026-10-20", 500.0)]
    assert {k: v["status"] for k, v in invoices_by_id(store).items()} == {"FA-1": "paid", "FA-2": "paid"}


def test_an_invoice_lettered_with_a_credit_note_only_is_settled_without_cash(tmp_path: Path) -> None:
    """FA-1 (1,200, 1 Oct) cancelled by AV-1 (1,200, 5 Oct), lettered E, no bank line: both settled on 5 Oct.

    The two settlements add up to zero cash; nothing is paid on a bank date and nothing stays open.
    """
    lines = [*_sale("1", "20261001", "FA-1", "1200,00", "E"), *_credit_note("2", "20261005", "AV-1", "1200,00", "E")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("AV-1", "2026-10-05", -1200.0), ("FA-1", "2026-10-05", 1200.0)]
    assert {k: v["status"] for k, v in invoices_by_id(store).items()} == {"AV-1": "paid", "FA-1": "paid"}


def test_a_credit_note_and_a_transfer_settle_an_invoice_together(tmp_path: Path) -> None:
    """FA-1 1,000 (1 Oct), AV-1 200 (5 Oct) and a transfer of 800 (30 Oct) lettered F: 200 on 5 Oct, 800 on 30 Oct."""
    lines = [*_sale("1", "20261001", "FA-1", "1000,00", "F"), *_credit_note("2", "20261005", "AV-1", "200,00", "F"),
             *_transfer("3", "20261030", "800,00", "F")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("AV-1", "2026-10-05", -200.0), ("FA-1", "2026-10-05", 200.0),
                                ("FA-1", "2026-10-30", 800.0)]


def test_a_letter_with_no_bank_line_and_no_credit_note_pays_nothing(tmp_path: Path) -> None:
    """FA-1 lettered G against an entry of another journal only (no cash, no credit note): it stays open."""
    lines = [*_sale("1", "20261001", "FA-1", "500,00", "G")]

    store = _import(tmp_path, lines)

    assert _payments(store) == []
    assert invoices_by_id(store)["FA-1"]["status"] == "open"


def test_a_corrected_lettering_replaces_the_payments_of_the_earlier_import(tmp_path: Path) -> None:
    """A FEC re-exported after the transfer of 10 Oct was lettered to FA-2 instead of FA-1: no payment twice."""
    first = [*_sale("1", "20260901", "FA-1", "600,00", "H"), *_sale("2", "20260915", "FA-2", "600,00"),
             *_transfer("3", "20261010", "600,00", "H")]
    corrected = [*_sale("1", "20260901", "FA-1", "600,00"), *_sale("2", "20260915", "FA-2", "600,00", "H"),
                 *_transfer("3", "20261010", "600,00", "H")]
    store = _import(tmp_path, first)

    _import(tmp_path, corrected, store)

    assert _payments(store) == [("FA-2", "2026-10-10", 600.0)]
    assert {k: v["status"] for k, v in invoices_by_id(store).items()} == {"FA-1": "open", "FA-2": "paid"}


def test_supplier_payments_are_dated_by_the_bank_line_too(tmp_path: Path) -> None:
    """A 401 invoice of 360 paid by two debits (100 on 10 Oct, 260 on 20 Oct) lettered J on 2 Nov: two payments."""
    def debit(num: str, day: str, amount: str) -> list[str]:
        return [fec_line("BQ", num, day, "40100000", "Fournisseurs", "F001", "Fournil SARL", f"PRLV-{num}", amount,
                         "0,00", "J", "20261102"),
                fec_line("BQ", num, day, "51200000", "Banque", "", "", f"PRLV-{num}", "0,00", amount)]
    lines = [fec_line("AC", "1", "20261001", "40100000", "Fournisseurs", "F001", "Fournil SARL", "FF-1", "0,00",
                      "360,00", "J", "20261102"),
             fec_line("AC", "1", "20261001", "60700000", "Achats", "", "", "FF-1", "360,00", "0,00"),
             *debit("2", "20261010", "100,00"), *debit("3", "20261020", "260,00")]

    store = _import(tmp_path, lines)

    assert _payments(store, "payable") == [("FF-1", "2026-10-10", 100.0), ("FF-1", "2026-10-20", 260.0)]


# --- bank lines not lettered yet: the money is in the bank, so the invoices they paid are not open ----------------
def test_an_unlettered_transfer_of_an_invoices_amount_pays_that_invoice(tmp_path: Path) -> None:
    """FA-1 (1,000, 1 Sept) and FA-2 (600, 15 Sept), no lettering; 600 received on 10 Oct: it paid FA-2.

    Left aside, FA-2 looked open and 45 days overdue, and the forecast expected its 600 a second time.
    """
    lines = [*_sale("1", "20260901", "FA-1", "1000,00"), *_sale("2", "20260915", "FA-2", "600,00"),
             *_transfer("3", "20261010", "600,00", "")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("FA-2", "2026-10-10", 600.0)]
    assert {k: v["status"] for k, v in invoices_by_id(store).items()} == {"FA-1": "open", "FA-2": "paid"}


def test_an_unlettered_transfer_of_no_invoices_amount_pays_the_oldest_first(tmp_path: Path) -> None:
    """FA-1 1,000 (1 Sept), FA-2 600 (15 Sept), FA-3 400 (20 Oct); 1,300 received on 10 Oct, unlettered.

    Oldest first among the invoices issued by 10 Oct: FA-1 1,000, then FA-2 300; FA-3, issued after, is untouched.
    """
    lines = [*_sale("1", "20260901", "FA-1", "1000,00"), *_sale("2", "20260915", "FA-2", "600,00"),
             *_sale("4", "20261020", "FA-3", "400,00"), *_transfer("3", "20261010", "1300,00", "")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("FA-1", "2026-10-10", 1000.0), ("FA-2", "2026-10-10", 300.0)]
    assert {k: v["status"] for k, v in invoices_by_id(store).items()} == {"FA-1": "paid", "FA-2": "open",
                                                                           "FA-3": "open"}


def test_unlettered_money_pays_only_what_the_lettering_left_open(tmp_path: Path) -> None:
    """FA-1 (500) lettered K with its transfer; FA-2 (500) unlettered; a second 500 unlettered pays FA-2 only."""
    lines = [*_sale("1", "20260901", "FA-1", "500,00", "K"), *_sale("2", "20260905", "FA-2", "500,00"),
             *_transfer("3", "20261001", "500,00", "K"), *_transfer("4", "20261002", "500,00", "")]

    store = _import(tmp_path, lines)

    assert _payments(store) == [("FA-1", "2026-10-01", 500.0), ("FA-2", "2026-10-02", 500.0)]


def test_the_import_says_how_many_unlettered_bank_lines_paid_and_how_many_found_nothing(tmp_path: Path) -> None:
    """Two unlettered receipts: 300 pays FA-1; 200 on 1 Aug, before any invoice, is money on account: it pays nothing."""
    lines = [*_sale("1", "20260901", "FA-1", "1000,00"), *_transfer("3", "20261010", "300,00", ""),
             *_transfer("4", "20260801", "200,00", "")]
    store = new_store(tmp_path / "db.duckdb")

    report = run_import(store, write_text(tmp_path / "FEC.txt", "\r\n".join([HEADER, *lines]) + "\r\n", "cp1252"),
                        kind="fec")

    assert _payments(store) == [("FA-1", "2026-10-10", 300.0)]
    assert report.extra["unlettered bank lines imputed"] == 1 and report.extra["unlettered bank lines unused"] == 1
    assert "1 unlettered bank line paid open invoices (oldest first)" in report.line("en")
    assert "1 ligne de banque non lettrée n'a trouvé aucune facture ouverte à régler" in report.line("fr")


def test_once_lettered_the_reimported_fec_replaces_the_guess(tmp_path: Path) -> None:
    """600 received unlettered went to FA-1 (oldest first); the accountant then lettered it with FA-2: no double pay."""
    before = [*_sale("1", "20260901", "FA-1", "600,00"), *_sale("2", "20260915", "FA-2", "600,00"),
              *_transfer("3", "20261010", "600,00", "")]
    after = [*_sale("1", "20260901", "FA-1", "600,00"), *_sale("2", "20260915", "FA-2", "600,00", "L"),
             *_transfer("3", "20261010", "600,00", "L")]
    store = _import(tmp_path, before)
    assert _payments(store) == [("FA-1", "2026-10-10", 600.0)]  # the oldest of the two of exactly that amount

    _import(tmp_path, after, store)

    assert _payments(store) == [("FA-2", "2026-10-10", 600.0)]
    assert {k: v["status"] for k, v in invoices_by_id(store).items()} == {"FA-1": "open", "FA-2": "paid"}


def test_a_supplier_debit_not_lettered_pays_the_supplier_invoice(tmp_path: Path) -> None:
    """A 401 invoice of 360 (1 Oct) and an unlettered debit of 360 on 20 Oct: the invoice is paid that day."""
    lines = [fec_line("AC", "1", "20261001", "40100000", "Fournisseurs", "F001", "Fournil SARL", "FF-1", "0,00",
                      "360,00"),
             fec_line("AC", "1", "20261001", "60100000", "Achats", "", "", "FF-1", "360,00", "0,00"),
             fec_line("BQ", "2", "20261020", "40100000", "Fournisseurs", "F001", "Fournil SARL", "PRLV-2", "360,00",
                      "0,00"),
             fec_line("BQ", "2", "20261020", "51200000", "Banque", "", "", "PRLV-2", "0,00", "360,00")]

    store = _import(tmp_path, lines)

    assert _payments(store, "payable") == [("FF-1", "2026-10-20", 360.0)]
    assert invoices_by_id(store, "payables")["FF-1"]["status"] == "paid"


def test_credit_settlements_are_marked_credit_notes_and_the_model_learns_the_bank_date(tmp_path: Path) -> None:
    """FA-1 1,000 (1 Oct, due 31 Oct, net 30) is paid 700 by transfer on 30 Oct (B) and settled for its disputed
    300 by AV-1 on 20 Nov (A), lettered H; AV-2 (50, unlettered) is held by nobody.

    The bank share is cash; the three credit settlements are credit notes. Settled at 1 Dec, FA-1 is closed on A
    but paid in cash on B: its delay is learned from B (-1 day), not from A (20 days).
    """
    lines = [*_sale("1", "20261001", "FA-1", "1000,00", "H"), *_transfer("2", "20261030", "700,00", "H"),
             *_credit_note("3", "20261120", "AV-1", "300,00", "H"), *_credit_note("4", "20261121", "AV-2", "50,00")]

    store = _import(tmp_path, lines)

    ledger = store.read_ledger()
    found = ledger.payments[["payment_id", "invoice_id", "payment_date", "amount", "settled_by"]]
    assert {p: (i, str(d.date()), a, s) for p, i, d, a, s in found.itertuples(index=False)} == {
        "fec:BQ:2:FA-1": ("FA-1", "2026-10-30", 700.0, "cash"),
        "fec:credit:AV-1:FA-1": ("FA-1", "2026-11-20", 300.0, "credit_note"),
        "fec:applied:AV-1:FA-1": ("AV-1", "2026-11-20", -300.0, "credit_note"),
        "fec:credit-note:AV-2": ("AV-2", "2026-11-21", -50.0, "credit_note"),
    }
    as_of = pd.Timestamp("2026-12-01")
    settled = settle(ledger.receivables, ledger.payments_of(C.RECEIVABLE), as_of)
    fa1 = settled.set_index(C.INVOICE_ID).loc["FA-1"]
    assert (fa1[C.STATUS], fa1[PAID_DATE], fa1[CASH_DATE]) == ("paid", pd.Timestamp("2026-11-20"),
                                                                 pd.Timestamp("2026-10-30"))
    assert settled[OPEN_AMOUNT].abs().max() == 0.0  # the credit notes still close what is open
    obs = delay_observations(settled, as_of, BehaviourSettings())
    assert obs["delay_days"].tolist() == [-1] and obs["is_paid"].tolist() == [True]  # FA-1 alone: positive


def test_a_payments_file_names_its_credit_notes_in_its_settlement_column(tmp_path: Path) -> None:
    """A payments file's "Mode de règlement" column: "Avoir" (any case) is a credit note, anything else cash."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, write_text(tmp_path / "inv.csv", "invoice_id,counterparty,issue_date,due_date,amount\n"
                                 "F-1,Acme,2026-10-01,2026-10-31,1000.00\n"))
    run_import(store, write_text(tmp_path / "pay.csv", "Facture;Date de règlement;Montant réglé;Mode de règlement\n"
                                 "F-1;30/10/2026;700,00;Virement\nF-1;20/11/2026;300,00;AVOIR\n"
                                 "F-1;21/11/2026;1,00;\n", "utf-8"), kind="payments")

    payments = store.read_ledger().payments.sort_values("payment_date")
    assert payments["settled_by"].tolist() == ["cash", "credit_note", "cash"]


def _settlements(store: Store) -> list[tuple[str, str, float, str]]:
    """Return the receivable payments as (invoice, date, amount, settled_by), sorted."""
    found = store.read_ledger().payments
    found = found[found["side"] == "receivable"]
    return sorted(zip(found["invoice_id"], found["payment_date"].astype(str), found["amount"].astype(float),
                      found["settled_by"], strict=True))


def test_an_unlettered_credit_note_lowers_the_oldest_open_invoice_without_cash(tmp_path: Path) -> None:
    """FA-1 1,000 (1 Sept), AV-1 300 (5 Oct), 700 received 20 Oct, nothing lettered.

    The credit note settles 300 of FA-1 on 5 Oct without cash; the 700 is then exactly what FA-1 still owes: paid.
    Before, AV-1 was settled alone and FA-1 stayed 300 open, forecast to bring cash it never will.
    """
    lines = [*_sale("1", "20260901", "FA-1", "1000,00"), *_credit_note("2", "20261005", "AV-1", "300,00"),
             *_transfer("3", "20261020", "700,00", "")]

    store = _import(tmp_path, lines)

    assert _settlements(store) == [("AV-1", "2026-10-05", -300.0, "credit_note"),
                                   ("FA-1", "2026-10-05", 300.0, "credit_note"),
                                   ("FA-1", "2026-10-20", 700.0, "cash")]
    assert {k: v["status"] for k, v in invoices_by_id(store).items()} == {"AV-1": "paid", "FA-1": "paid"}


def test_an_unlettered_credit_note_of_an_invoices_amount_cancels_that_invoice(tmp_path: Path) -> None:
    """FA-1 1,000 (1 Sept) and FA-2 250 (10 Sept) open; AV-1 of 250 (5 Oct) cancels FA-2, FA-1 stays whole."""
    lines = [*_sale("1", "20260901", "FA-1", "1000,00"), *_sale("2", "20260910", "FA-2", "250,00"),
             *_credit_note("3", "20261005", "AV-1", "250,00")]

    store = _import(tmp_path, lines)

    assert _settlements(store) == [("AV-1", "2026-10-05", -250.0, "credit_note"),
                                   ("FA-2", "2026-10-05", 250.0, "credit_note")]
    assert invoices_by_id(store)["FA-1"]["status"] == "open"


def test_an_unlettered_credit_note_with_no_open_invoice_is_settled_on_its_date(tmp_path: Path) -> None:
    """AV-1 (300, 5 Oct) of a client whose only invoice is issued later: settled alone, on its date, as before."""
    lines = [*_credit_note("1", "20261005", "AV-1", "300,00"), *_sale("2", "20261101", "FA-1", "1000,00")]

    store = _import(tmp_path, lines)

    assert _settlements(store) == [("AV-1", "2026-10-05", -300.0, "credit_note")]
    assert invoices_by_id(store)["FA-1"]["status"] == "open"


# --- transfers between a client's own accounts: a bill of exchange (413), a doubtful client (416) ----------------
def _moved(num: str, day: str, to: str, amount: str, letter_411: str, letter_to: str) -> list[str]:
    """Return an entry moving Martin SARL's balance from 411 to `to` (413 bills, 416 doubtful), each side lettered."""
    return [fec_line("OD", num, day, "41100000", "Clients", "C010", "Martin SARL", f"OD-{num}", "0,00", amount,
                     letter_411),
            fec_line("OD", num, day, to, "Clients", "C010", "Martin SARL", f"OD-{num}", amount, "0,00", letter_to)]


def test_an_invoice_paid_by_a_bill_of_exchange_is_paid_when_the_bill_is(tmp_path: Path) -> None:
    """FA-1 1,200 (1 Sept); the client accepts an LCR on 15 Sept (411 -> 413); the bank collects it on 30 Nov.

    The money came on 30 Nov. Before, the move to 413 (lettered with FA-1) read as a credit note: FA-1 settled on
    15 Sept without cash, the bill's payment on 413 unseen, the client learned as one who never pays.
    """
    lines = [*_sale("1", "20260901", "FA-1", "1200,00", "A"), *_moved("2", "20260915", "41300000", "1200,00", "A", "B"),
             *_transfer("3", "20261130", "1200,00", "B", account="41300000")]

    store = _import(tmp_path, lines)

    assert _settlements(store) == [("FA-1", "2026-11-30", 1200.0, "cash")]
    assert list(invoices_by_id(store)) == ["FA-1"]  # the move is no document


def test_a_doubtful_invoice_written_off_is_settled_without_cash(tmp_path: Path) -> None:
    """FA-1 800 (1 Sept) moved to 416 on 1 Oct, written off on 1 Dec (654 / 416): never paid in cash."""
    loss = [fec_line("OD", "3", "20261201", "65400000", "Pertes sur créances", "", "", "PERTE-1", "800,00", "0,00"),
            fec_line("OD", "3", "20261201", "41600000", "Clients douteux", "C010", "Martin SARL", "PERTE-1", "0,00",
                     "800,00", "D")]
    lines = [*_sale("1", "20260901", "FA-1", "800,00", "C"), *_moved("2", "20261001", "41600000", "800,00", "C", "D"),
             *loss]

    store = _import(tmp_path, lines)

    assert ("FA-1", "2026-12-01", 800.0, "credit_note") in _settlements(store)
    assert sum(a for _, _, a, kind in _settlements(store) if kind == "cash") == 0.0


def test_a_doubtful_client_paying_later_pays_its_invoice_in_cash(tmp_path: Path) -> None:
    """FA-1 800 moved to 416 on 1 Oct, then 800 received on 416 on 10 Dec: paid in cash on 10 Dec."""
    lines = [*_sale("1", "20260901", "FA-1", "800,00", "C"), *_moved("2", "20261001", "41600000", "800,00", "C", "D"),
             *_transfer("3", "20261210", "800,00", "D", account="41600000")]

    store = _import(tmp_path, lines)

    assert _settlements(store) == [("FA-1", "2026-12-10", 800.0, "cash")]


def test_a_supplier_invoice_paid_by_a_bill_we_accepted_is_paid_when_the_bill_is(tmp_path: Path) -> None:
    """FF-1 500 (1 Oct) on 401; our accepted bill moves it to 403 on 10 Oct; the bank pays the bill on 30 Nov."""
    def line(journal: str, num: str, day: str, account: str, piece: str, debit: str, credit: str,
             letter: str = "", aux: bool = True) -> str:
        return fec_line(journal, num, day, account, "Fournisseurs", "F001" if aux else "",
                        "Fournil SARL" if aux else "", piece, debit, credit, letter)
    lines = [line("AC", "1", "20261001", "40100000", "FF-1", "0,00", "500,00", "E"),
             line("AC", "1", "20261001", "60100000", "FF-1", "500,00", "0,00", aux=False),
             line("OD", "2", "20261010", "40100000", "LCR-2", "500,00", "0,00", "E"),
             line("OD", "2", "20261010", "40300000", "LCR-2", "0,00", "500,00", "F"),
             line("BQ", "3", "20261130", "40300000", "LCR-2", "500,00", "0,00", "F"),
             line("BQ", "3", "20261130", "51200000", "LCR-2", "0,00", "500,00", aux=False)]

    store = _import(tmp_path, lines)

    assert _payments(store, "payable") == [("FF-1", "2026-11-30", 500.0)]
