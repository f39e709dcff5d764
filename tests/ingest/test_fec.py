"""FEC import: 411 client invoices with VAT lines, 401 supplier invoices, bank entries lettered to invoices."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.core.errors import InputError
from tests.fixtures.ingest import data_checksums, invoices_by_id, new_store, rows, run_import, write_text

HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
          "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise")


def fec_line(journal: str, num: str, day: str, account: str, label: str, aux: str, aux_name: str, piece: str,
             debit: str, credit: str, letter: str = "", date_let: str = "") -> str:
    """Return one FEC line (18 tab-separated columns)."""
    journal_name = {"VE": "Ventes", "AC": "Achats", "BQ": "Banque", "OD": "Opérations diverses"}[journal]
    return "\t".join([journal, journal_name, num, day, account, label, aux, aux_name, piece, day,
                      f"{piece} {aux_name}".strip(), debit, credit, letter, date_let, day, "", ""])


FEC_LINES = [
    # Sale FA-001 to Dupont SA: 1 000,00 HT + 200,00 VAT = 1 200,00 TTC, lettered A with the bank entry below.
    fec_line("VE", "1", "20260110", "41100000", "Clients", "C001", "Dupont SA", "FA-001", "1200,00", "0,00", "A",
             "20260215"),
    fec_line("VE", "1", "20260110", "70600000", "Prestations", "", "", "FA-001", "0,00", "1000,00"),
    fec_line("VE", "1", "20260110", "44571000", "TVA collectée", "", "", "FA-001", "0,00", "200,00"),
    # Sale FA-002 to Société Générale Bâtiment: 500,00 HT + 100,00 VAT, not paid.
    fec_line("VE", "2", "20260120", "41100000", "Clients", "C002", "Société Générale Bâtiment", "FA-002", "600,00",
             "0,00"),
    fec_line("VE", "2", "20260120", "70600000", "Prestations", "", "", "FA-002", "0,00", "500,00"),
    fec_line("VE", "2", "20260120", "44571000", "TVA collectée", "", "", "FA-002", "0,00", "100,00"),
    # Dupont pays FA-001 by transfer on 14 Feb; lettered on 15 Feb.
    fec_line("BQ", "1", "20260214", "51200000", "Banque", "", "", "VIR-0214", "1200,00", "0,00"),
    fec_line("BQ", "1", "20260214", "41100000", "Clients", "C001", "Dupont SA", "VIR-0214", "0,00", "1200,00", "A",
             "20260215"),
    # Purchase FF-100 from Fournil SARL: 300,00 HT + 60,00 VAT = 360,00 TTC, paid on 31 Jan, lettered B on 1 Feb.
    fec_line("AC", "1", "20260105", "40100000", "Fournisseurs", "F001", "Fournil SARL", "FF-100", "0,00", "360,00",
             "B", "20260201"),
    fec_line("AC", "1", "20260105", "60700000", "Achats", "", "", "FF-100", "300,00", "0,00"),
    fec_line("AC", "1", "20260105", "44566000", "TVA déductible", "", "", "FF-100", "60,00", "0,00"),
    fec_line("BQ", "2", "20260131", "40100000", "Fournisseurs", "F001", "Fournil SARL", "PRLV-0131", "360,00", "0,00",
             "B", "20260201"),
    fec_line("BQ", "2", "20260131", "51200000", "Banque", "", "", "PRLV-0131", "0,00", "360,00"),
]


@pytest.fixture
def fec_path(tmp_path: Path) -> Path:
    """Return a small FEC extract written in cp1252 like most accounting exports."""
    return write_text(tmp_path / "123456789FEC20261231.txt", "\r\n".join([HEADER, *FEC_LINES]) + "\r\n", "cp1252")


def test_fec_receivables_are_ttc_invoices_of_411_with_default_net_30_due_dates(tmp_path: Path, fec_path: Path) -> None:
    """Two client invoices, amounts TTC (VAT lines ignored), due 30 days after the invoice date."""
    store = new_store(tmp_path / "db.duckdb")

    report = run_import(store, fec_path, kind="fec")

    assert report.extra["receivables inserted"] == 2 and report.extra["payables inserted"] == 1
    inv = invoices_by_id(store, "receivables")
    assert set(inv) == {"FA-001", "FA-002"}
    assert (inv["FA-001"]["amount_ttc"], inv["FA-001"]["issue_date"], inv["FA-001"]["due_date"]) == (
        1200.0, "2026-01-10", "2026-02-09")
    assert (inv["FA-002"]["amount_ttc"], inv["FA-002"]["due_date"]) == (600.0, "2026-02-19")
    assert (inv["FA-002"]["counterparty_id"], inv["FA-002"]["terms"]) == ("C002", "net 30")
    names = rows(store.read_ledger().counterparties, "counterparty_id")
    assert names["C002"]["name"] == "Société Générale Bâtiment"


def test_fec_lettering_pays_the_invoice_on_the_bank_lines_date(tmp_path: Path, fec_path: Path) -> None:
    """The bank entry lettered A pays FA-001 in full on its EcritureDate (not DateLet); FA-002 stays open."""
    store = new_store(tmp_path / "db.duckdb")

    run_import(store, fec_path, kind="fec")

    receivables, payables = invoices_by_id(store, "receivables"), invoices_by_id(store, "payables")
    assert {k: v["status"] for k, v in receivables.items()} == {"FA-001": "paid", "FA-002": "open"}
    assert (payables["FF-100"]["amount_ttc"], payables["FF-100"]["status"], payables["FF-100"]["counterparty_id"]) == (
        360.0, "paid", "F001")
    payments = store.read_ledger().payments
    paid = {(p["side"], p["invoice_id"]): (p["payment_date"], p["amount"])
            for p in rows(payments, "payment_id").values()}
    assert paid == {("receivable", "FA-001"): ("2026-02-14", 1200.0), ("payable", "FF-100"): ("2026-01-31", 360.0)}


def test_fec_with_terms_option_sets_due_dates(tmp_path: Path, fec_path: Path) -> None:
    """--terms "45 days end of month": 10 Jan + 45 days = 24 Feb, end of that month = 28 Feb 2026."""
    store = new_store(tmp_path / "db.duckdb")

    run_import(store, fec_path, kind="fec", default_terms="45 jours fin de mois")

    assert invoices_by_id(store, "receivables")["FA-001"]["due_date"] == "2026-02-28"


def test_fec_reimport_changes_nothing(tmp_path: Path, fec_path: Path) -> None:
    """The same FEC twice: nothing inserted or updated the second time, data tables identical."""
    store = new_store(tmp_path / "db.duckdb")
    run_import(store, fec_path, kind="fec")
    before = data_checksums(store)

    report = run_import(store, fec_path, kind="fec")

    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 3)
    assert data_checksums(store) == before


def test_fec_with_a_bad_amount_names_the_line_and_imports_nothing(tmp_path: Path) -> None:
    """A FEC amount that is not a number: error on its line, nothing written."""
    lines = list(FEC_LINES)
    lines[3] = lines[3].replace("600,00", "6OO,00")  # letter O instead of zero, line 5 of the file
    path = write_text(tmp_path / "bad_fec.txt", "\n".join([HEADER, *lines]) + "\n")
    store = new_store(tmp_path / "db.duckdb")
    before = store.table_checksums()

    with pytest.raises(InputError, match=r"row 5, column 'Debit', value '6OO,00': not an amount"):
        run_import(store, path, kind="fec")
    assert store.table_checksums() == before


def test_a_semicolon_file_is_not_taken_for_a_fec(tmp_path: Path) -> None:
    """A FEC is tab or pipe separated: a ';' file is refused with that reason."""
    path = write_text(tmp_path / "fec.csv", HEADER.replace("\t", ";") + "\n" + FEC_LINES[0].replace("\t", ";") + "\n")

    with pytest.raises(InputError, match="a FEC is tab or pipe separated"):
        run_import(store=new_store(tmp_path / "db.duckdb"), path=path, kind="fec")


def test_a_fec_with_client_invoices_only_imports_them(tmp_path: Path) -> None:
    """No 401 line: the receivables are imported, the payables part is simply empty (not an empty-file error)."""
    clients_only = [line for line in FEC_LINES if "40100000" not in line and not line.startswith("AC")]
    path = write_text(tmp_path / "FEC.txt", "\r\n".join([HEADER, *clients_only]) + "\r\n", "cp1252")

    report = run_import(new_store(tmp_path / "db.duckdb"), path, kind="fec")

    assert report.extra["receivables inserted"] == 2 and report.extra["payables inserted"] == 0


def test_a_fec_without_client_or_supplier_lines_says_so(tmp_path: Path) -> None:
    """Only bank and sales lines, no 411/401 account: a clear message, not an internal error."""
    neither = [line for line in FEC_LINES if "41100000" not in line and "40100000" not in line]
    path = write_text(tmp_path / "FEC.txt", "\r\n".join([HEADER, *neither]) + "\r\n", "cp1252")

    with pytest.raises(InputError, match=r"FEC.txt: no client \(411\) or supplier \(401\) invoice line found"):
        run_import(new_store(tmp_path / "db.duckdb"), path, kind="fec")
