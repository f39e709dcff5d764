"""File formats the import reads: French CSV in cp1252, English CSV variants, xlsx, Parquet, date conventions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from forecasting.core.errors import InputError
from forecasting.ingest.staging import ImportRejected
from forecasting.store.database import Store
from tests.fixtures.ingest import invoices_by_id, new_store, rows, run_import, write_text


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Return an empty store in a fresh file."""
    return new_store(tmp_path / "cashpilot.duckdb")


FRENCH_CSV = (
    "N° facture;Client;Date facture;Date d'échéance;Montant TTC;En litige;Date de règlement;Commentaire\r\n"
    "F-001;Société Générale Bâtiment;15/01/2026;14/02/2026;1 234,56;Non;20/02/2026;payé 1 234,56 € par virement\r\n"
    "F-002;Dupont & Fils;31/01/2026;02/03/2026;1.234,56;Oui;;litige qualité\r\n"
    "F-003;Dupont & Fils;01/02/2026;03/03/2026;-100,00;Non;;avoir n°12\r\n"
    "F-004;Société Générale Bâtiment;05/02/2026;31/03/2026;12\u00a0000,50 €;oui;;\r\n"
)


def test_french_cp1252_semicolon_csv_keeps_amounts_dates_flags_and_accents(store: Store, tmp_path: Path) -> None:
    """A French export (cp1252, ';', decimal comma, French headers) is read exactly."""
    path = write_text(tmp_path / "factures.csv", FRENCH_CSV, encoding="cp1252")

    report = run_import(store, path)

    assert (report.rows_read, report.inserted, report.rejected) == (4, 4, 0)
    inv = invoices_by_id(store)
    assert {k: v["amount_ttc"] for k, v in inv.items()} == {
        "F-001": 1234.56, "F-002": 1234.56, "F-003": -100.00, "F-004": 12000.50,
    }
    assert (inv["F-001"]["issue_date"], inv["F-001"]["due_date"]) == ("2026-01-15", "2026-02-14")
    assert (inv["F-002"]["issue_date"], inv["F-002"]["due_date"]) == ("2026-01-31", "2026-03-02")
    assert {k: v["disputed"] for k, v in inv.items()} == {"F-001": False, "F-002": True, "F-003": False, "F-004": True}
    assert inv["F-001"]["counterparty_id"] == "Société Générale Bâtiment"
    assert {k: v["status"] for k, v in inv.items()} == {"F-001": "paid", "F-002": "open", "F-003": "open",
                                                         "F-004": "open"}
    ledger = store.read_ledger()
    assert rows(ledger.counterparties, "counterparty_id")["Société Générale Bâtiment"]["name"] == (
        "Société Générale Bâtiment")
    payment = rows(ledger.payments, "invoice_id")["F-001"]
    assert (payment["payment_date"], payment["amount"]) == ("2026-02-20", 1234.56)


def test_xlsx_with_real_date_cells_is_read_from_the_first_sheet(store: Store, tmp_path: Path) -> None:
    """An xlsx whose dates are date cells and amounts numbers imports without any option."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Invoice No", "Customer", "Invoice Date", "Due Date", "Amount", "Disputed"])
    sheet.append(["X-1", "Acme Ltd", datetime(2026, 3, 2), datetime(2026, 4, 1), 1500.25, "No"])
    sheet.append(["X-2", "Acme Ltd", date(2026, 3, 9), date(2026, 5, 8), 80, "Yes"])
    book.save(tmp_path / "ar.xlsx")

    run_import(store, tmp_path / "ar.xlsx")

    inv = invoices_by_id(store)
    assert (inv["X-1"]["issue_date"], inv["X-1"]["due_date"], inv["X-1"]["amount_ttc"]) == (
        "2026-03-02", "2026-04-01", 1500.25)
    assert (inv["X-2"]["due_date"], inv["X-2"]["amount_ttc"], inv["X-2"]["disputed"]) == ("2026-05-08", 80.0, True)


def _two_sheet_book(path: Path) -> Path:
    """Write a workbook whose first sheet is a cover page and whose invoices are on 'Factures 2026'."""
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Export du 2026-03-31"])
    sheet = book.create_sheet("Factures 2026")
    sheet.append(["Facture", "Client", "Date facture", "Echeance", "Montant"])
    sheet.append(["S-1", "Martin SAS", date(2026, 3, 31), date(2026, 4, 30), 999.99])
    sheet.append([None, None, None, None, None])  # an empty row inside the table
    sheet.append(["S-2", "Martin SAS", date(2026, 3, 31), "pas de date", 10])
    book.save(path)
    return path


def test_xlsx_named_sheet_is_imported_with_sheet_option(store: Store, tmp_path: Path) -> None:
    """`sheet=` picks the sheet by name; an error names the row as the spreadsheet numbers it."""
    path = _two_sheet_book(tmp_path / "export.xlsx")

    with pytest.raises(ImportRejected) as err:
        run_import(store, path, sheet="Factures 2026")

    # Header on row 1, S-1 on row 2, the empty row 3, S-2 on row 4.
    assert "row 4, column 'Echeance', value 'pas de date': not a date" in str(err.value)
    assert "1 error found" in str(err.value)


def test_xlsx_unknown_sheet_lists_the_sheets(store: Store, tmp_path: Path) -> None:
    """Naming a sheet that does not exist says which sheets there are."""
    path = _two_sheet_book(tmp_path / "export.xlsx")

    with pytest.raises(InputError, match=r"no sheet named 'Feuil1'; the sheets are: Notes, Factures 2026"):
        run_import(store, path, sheet="Feuil1")


def test_parquet_with_typed_columns_is_imported(store: Store, tmp_path: Path) -> None:
    """A Parquet file with datetime, float and boolean columns gives the same values back."""
    frame = pd.DataFrame({
        "invoice_id": ["P-1", "P-2"],
        "client_code": ["C1", "C2"],
        "issue_date": pd.to_datetime(["2026-01-10", "2026-01-20"]),
        "due_date": pd.to_datetime(["2026-02-09", "2026-03-21"]),
        "amount": [2400.10, 360.0],
        "disputed": [False, True],
        "paid_date": pd.to_datetime(["2026-02-12", None]),
    })
    frame.to_parquet(tmp_path / "ar.parquet")

    report = run_import(store, tmp_path / "ar.parquet")

    assert (report.inserted, report.extra["payments inserted"]) == (2, 1)
    inv = invoices_by_id(store)
    assert (inv["P-1"]["amount_ttc"], inv["P-1"]["status"], inv["P-1"]["counterparty_id"]) == (2400.10, "paid", "C1")
    assert (inv["P-2"]["due_date"], inv["P-2"]["disputed"], inv["P-2"]["status"]) == ("2026-03-21", True, "open")


US_CSV = "invoice_id,customer,invoice date,due date,amount\nU-1,Acme,12/25/2026,01/24/2027,100.00\n"


def test_us_dates_are_refused_without_date_format(store: Store, tmp_path: Path) -> None:
    """12/25/2026 cannot be day/month: the import stops and names --date-format."""
    path = write_text(tmp_path / "us.csv", US_CSV)

    with pytest.raises(InputError, match=r"month/day/year.*--date-format %m/%d/%Y"):
        run_import(store, path)
    assert store.status()["counts"]["receivables"] == 0


def test_us_dates_are_accepted_with_date_format(store: Store, tmp_path: Path) -> None:
    """With date_format %m/%d/%Y the same file imports Christmas 2026."""
    path = write_text(tmp_path / "us.csv", US_CSV)

    run_import(store, path, date_format="%m/%d/%Y")

    inv = invoices_by_id(store)["U-1"]
    assert (inv["issue_date"], inv["due_date"]) == ("2026-12-25", "2027-01-24")


def test_only_ambiguous_dates_in_an_english_csv_are_refused(store: Store, tmp_path: Path) -> None:
    """03/04/2026 could be March 4 or April 3: a comma-separated file with only such dates is refused."""
    path = write_text(tmp_path / "amb.csv", "invoice_id,customer,invoice date,due date,amount\n"
                                            "A-1,Acme,03/04/2026,05/04/2026,10.00\nA-2,Acme,01/02/2026,02/03/2026,5\n")

    with pytest.raises(InputError, match=r"the date '0\d/0\d/2026' is ambiguous.*--date-format %d/%m/%Y or --date-format %m/%d/%Y"):
        run_import(store, path)


def test_utf8_bom_iso_dates_and_english_amounts(store: Store, tmp_path: Path) -> None:
    """A UTF-8 file with BOM, ISO dates and 1,234.56 amounts: the first header is not spoiled by the BOM."""
    path = write_text(tmp_path / "bom.csv", "\ufeffinvoice_id,customer,issue_date,due_date,amount\n"
                                            'B-1,Zoë Ltd,2026-03-04,2026-04-03,"1,234.56"\n'
                                            "B-2,Zoë Ltd,2026-03-05,2026-04-04,12.5\n")

    run_import(store, path)

    inv = invoices_by_id(store)
    assert {k: v["amount_ttc"] for k, v in inv.items()} == {"B-1": 1234.56, "B-2": 12.50}
    assert inv["B-1"]["counterparty_id"] == "Zoë Ltd"
    assert (inv["B-2"]["issue_date"], inv["B-2"]["due_date"]) == ("2026-03-05", "2026-04-04")


def test_tab_delimited_file_with_yes_no_true_false_and_1_0_booleans(store: Store, tmp_path: Path) -> None:
    """A tab-separated file; disputed written Yes/No, True/False, 1/0 and empty."""
    lines = ["invoice_id\tclient_code\tissue_date\tdue_date\tamount\tdisputed"]
    for n, flag in enumerate(["Yes", "No", "True", "False", "1", "0", ""], start=1):
        lines.append(f"T-{n}\tC1\t2026-05-0{n}\t2026-06-0{n}\t{n}00.00\t{flag}")
    path = write_text(tmp_path / "tab.txt", "\n".join(lines) + "\n")

    run_import(store, path)

    inv = invoices_by_id(store)
    assert {k: v["disputed"] for k, v in inv.items()} == {
        "T-1": True, "T-2": False, "T-3": True, "T-4": False, "T-5": True, "T-6": False, "T-7": False,
    }
    assert inv["T-7"]["amount_ttc"] == 700.0


def test_amount_with_wrong_thousands_grouping_is_an_error_not_a_silent_factor(store: Store, tmp_path: Path) -> None:
    """In a decimal-dot file, '12,50' is not read as 1250: the row is rejected."""
    path = write_text(tmp_path / "mixed.csv", "invoice_id,customer,issue_date,due_date,amount\n"
                                              'M-1,Acme,2026-03-04,2026-04-03,"1,234.56"\n'
                                              "M-2,Acme,2026-03-04,2026-04-03,99.90\n"
                                              'M-3,Acme,2026-03-04,2026-04-03,"12,50"\n')

    with pytest.raises(ImportRejected, match=r"row 4, column 'amount', value '12,50': not an amount"):
        run_import(store, path)


def test_row_numbers_are_file_lines_across_blank_lines_and_multiline_cells(store: Store, tmp_path: Path) -> None:
    """A blank line and a quoted address over two lines do not shift the line an error names."""
    path = write_text(tmp_path / "lines.csv", (
        "invoice_id,customer,issue_date,due_date,amount\n"          # line 1
        'L-1,"Acme\nBuilding B",2026-03-04,2026-04-03,10\n'         # lines 2-3
        "\n"                                                        # line 4
        "L-2,Acme,2026-03-04,2026-04-03,ten\n"                      # line 5
    ))

    with pytest.raises(ImportRejected) as err:
        run_import(store, path)

    assert err.value.errors["row"].tolist() == [5]


def test_delimiter_only_rows_of_spreadsheet_exports_are_skipped(store: Store, tmp_path: Path) -> None:
    """Trailing ';;;;' lines hold no value: they are not rows, and not errors."""
    path = write_text(tmp_path / "export.csv", "Facture;Client;Date facture;Echeance;Montant\n"
                                               "E-1;Durand;02/03/2026;01/04/2026;50,00\n;;;;\n;;;;\n")

    report = run_import(store, path)

    assert (report.rows_read, report.inserted) == (1, 1)
