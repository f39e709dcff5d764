"""Bad input: each kind of mistake gets a clear message (file, row, column, value, reason) and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.core.errors import InputError
from forecasting.ingest.staging import ImportRejected
from forecasting.store.database import Store
from tests.fixtures.ingest import invoices_by_id, new_store, run_import, write_text

HEADER = "invoice_id,customer,issue_date,due_date,amount,currency\n"
GOOD = "G-1,Acme,2026-03-02,2026-04-01,100.00,EUR\n"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Return a store that already holds one invoice, so that 'unchanged' means something."""
    return new_store(tmp_path / "cashpilot.duckdb",
                     ("base.csv", "receivables", HEADER + "B-1,Base Co,2026-01-05,2026-02-04,500.00,EUR\n"))


def rejected(store: Store, path: Path, kind: str = "receivables", **options: object) -> str:
    """Import a file that must be refused; check every table is unchanged and return the message."""
    before = store.table_checksums()
    with pytest.raises(InputError) as err:
        run_import(store, path, kind=kind, **options)
    assert store.table_checksums() == before
    return str(err.value)


@pytest.mark.parametrize(("body", "expected"), [
    (GOOD + ",Acme,2026-03-02,2026-04-01,10.00,EUR\n",
     "row 3, column 'invoice_id': missing invoice number"),
    (GOOD + "G-2,Acme,2026-02-30,2026-04-01,10.00,EUR\n",
     "row 3, column 'issue_date', value '2026-02-30': that month has no such day (expected YYYY-MM-DD)"),
    (GOOD + "G-2,Acme,March 2nd,2026-04-01,10.00,EUR\n",
     "row 3, column 'issue_date', value 'March 2nd': not a date (expected YYYY-MM-DD)"),
    (GOOD + "G-2,Acme,2026-03-02,2026-04-01,10.OO,EUR\n",
     "row 3, column 'amount', value '10.OO': not an amount"),
    (GOOD + "G-2,Acme,2026-03-20,2026-03-01,10.00,EUR\n",
     "row 3, column 'due_date', value '2026-03-01': due date is before the invoice date"),
    (GOOD + "G-2,Acme,2026-03-02,2026-04-01,10.00,USD\n",
     "row 3, column 'currency', value 'USD': no exchange rate for this currency: import fx-rates first"),
    (GOOD + "G-2,Acme,2026-03-02,2026-04-01,10.00,EUR\nG-1,Acme,2026-03-03,2026-04-02,20.00,EUR\n",
     "row 4, column 'invoice_id', value 'G-1': this invoice number appears more than once in the file (rows 2, 4)"),
], ids=["missing-id", "day-not-in-month", "not-a-date", "bad-amount", "due-before-issue", "currency-without-rate", "duplicate-id"])
def test_bad_invoice_row_is_named_and_nothing_is_imported(store: Store, tmp_path: Path, body: str,
                                                          expected: str) -> None:
    """The message names the file, the line, the column, the value and the reason."""
    message = rejected(store, write_text(tmp_path / "bad.csv", HEADER + body))

    assert message.splitlines()[0].startswith("bad.csv: ") and message.splitlines()[0].endswith("nothing was imported.")
    assert expected in message
    assert "--skip-invalid --rejects FILE" in message


def test_duplicate_invoice_id_lists_both_rows_on_each(store: Store, tmp_path: Path) -> None:
    """Both lines of a repeated invoice number are reported, each naming the two rows."""
    path = write_text(tmp_path / "dup.csv", HEADER + GOOD + GOOD.replace("100.00", "200.00"))

    with pytest.raises(ImportRejected) as err:
        run_import(store, path)

    assert err.value.errors[["row", "value"]].values.tolist() == [[2, "G-1"], [3, "G-1"]]
    assert set(err.value.errors["reason"]) == {"this invoice number appears more than once in the file (rows 2, 3)"}


def test_usd_invoices_pass_once_fx_rates_are_imported(store: Store, tmp_path: Path) -> None:
    """Refused while USD has no rate; accepted, same file, after importing an fx-rates file."""
    path = write_text(tmp_path / "usd.csv", HEADER + "U-1,Acme Inc,2026-03-02,2026-04-01,1000.00,usd\n")
    assert "no exchange rate" in rejected(store, path)

    run_import(store, write_text(tmp_path / "fx.csv", "currency,date,rate\nUSD,2026-03-02,0.92\n"), kind="fx-rates")
    report = run_import(store, path)

    assert report.inserted == 1
    assert invoices_by_id(store)["U-1"]["currency"] == "USD"


def test_unknown_counterparty_kind_is_refused(store: Store, tmp_path: Path) -> None:
    """A counterparty of kind 'partner' is neither client nor supplier."""
    path = write_text(tmp_path / "cp.csv", "code,kind,name\nC1,client,Acme\nP1,partner,Globex\n")

    message = rejected(store, path, kind="counterparties")

    assert "row 3, column 'kind', value 'partner': unknown counterparty kind (expected client or supplier)" in message


def test_unknown_payment_terms_are_refused(store: Store, tmp_path: Path) -> None:
    """Terms that say nothing about a delay ('selon accord') are refused, with examples of valid terms."""
    path = write_text(tmp_path / "cp.csv", "code,kind,name,terms\nC1,client,Acme,net 30\nC2,client,Globex,selon accord\n")

    message = rejected(store, path, kind="counterparties")

    assert "row 3, column 'terms', value 'selon accord': unknown payment terms" in message
    assert '"net 30"' in message


def test_payment_for_an_unknown_invoice_is_refused(store: Store, tmp_path: Path) -> None:
    """A payment must match an imported invoice: B-1 exists, B-9 does not."""
    path = write_text(tmp_path / "pay.csv", "invoice_id,payment date,amount\nB-1,2026-02-01,100\nB-9,2026-02-01,50\n")

    message = rejected(store, path, kind="payments")

    assert "row 3, column 'invoice_id', value 'B-9': unknown invoice (import the invoices first)" in message


def test_missing_required_column_lists_the_columns_and_suggests_map(store: Store, tmp_path: Path) -> None:
    """No amount column: the message lists the file's columns and how to name one."""
    path = write_text(tmp_path / "nocol.csv", "invoice_id,customer,issue_date,Valeur\nG-1,Acme,2026-03-02,10\n")

    message = rejected(store, path)

    assert message == ("nocol.csv: no column found for amount. Columns in the file: invoice_id, customer, issue_date, "
                       "Valeur. Name them with --map FIELD=COLUMN (fields are listed in the README).")


def test_empty_file_is_refused(store: Store, tmp_path: Path) -> None:
    """A file of 0 bytes."""
    assert rejected(store, write_text(tmp_path / "empty.csv", "")) == "empty.csv: the file is empty"


def test_missing_file_is_refused(store: Store, tmp_path: Path) -> None:
    """A path that does not exist."""
    assert rejected(store, tmp_path / "nowhere.csv") == "nowhere.csv: file not found"


def test_binary_file_is_refused(store: Store, tmp_path: Path) -> None:
    """A PDF renamed .csv is binary content, not text."""
    path = tmp_path / "invoices.csv"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary \x00\x00 stream")

    assert "invoices.csv: this is not a text file (binary content)" in rejected(store, path)


def test_old_xls_workbook_is_refused(store: Store, tmp_path: Path) -> None:
    """An .xls (pre-2007 Excel) file asks to be saved as .xlsx or CSV."""
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))

    assert rejected(store, path) == "old.xls: old .xls workbooks are not supported; save it as .xlsx or CSV"


def test_row_with_too_many_values_names_its_line(store: Store, tmp_path: Path) -> None:
    """An unquoted comma in a name makes a line longer than the header."""
    path = write_text(tmp_path / "long.csv", HEADER + GOOD + "G-2,Acme, Inc,2026-03-02,2026-04-01,10.00,EUR\n")

    message = rejected(store, path)

    assert message.startswith("long.csv: cannot read the file as CSV: line 3 has 7 values where the header has 6")


def test_more_than_50_errors_shows_the_first_50_and_the_total(store: Store, tmp_path: Path) -> None:
    """120 bad amounts: 50 are listed (rows 2 to 51), then how many more."""
    body = "".join(f"E-{n},Acme,2026-03-02,2026-04-01,n/a,EUR\n" for n in range(120))

    message = rejected(store, write_text(tmp_path / "many.csv", HEADER + body))

    assert message.startswith("many.csv: 120 errors found, nothing was imported.")
    assert "row 51, column 'amount'" in message and "row 52," not in message
    assert "... and 70 more (the first 50 are shown)." in message
    assert message.count("not an amount") == 50
