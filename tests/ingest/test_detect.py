"""Sniffing conventions (encoding, delimiter, decimal mark, date order), header matching, and amount parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.core.errors import InputError
from forecasting.ingest.detect import detect_date_format, detect_decimal, detect_delimiter, detect_encoding
from forecasting.ingest.fields import guess_mapping, normalise_header
from tests.fixtures.ingest import invoices_by_id, new_store, run_import, write_text


@pytest.mark.parametrize(("data", "encoding"), [
    ("Société;Montant\n".encode(), "utf-8"),
    ("\ufeffSociété;Montant\n".encode(), "utf-8-sig"),
    ("Société;Montant 12 €\n".encode("cp1252"), "cp1252"),
    (b"Soci\xe9t\xe9;\x81\n", "latin-1"),  # 0x81 is undefined in cp1252
])
def test_detect_encoding(data: bytes, encoding: str) -> None:
    """UTF-8 with or without BOM, else cp1252, else latin-1."""
    assert detect_encoding(data) == encoding


@pytest.mark.parametrize(("lines", "delimiter"), [
    (["a;b;c", "1,5;2;3"], ";"),
    (["a,b,c", '"x;y",2,3'], ","),
    (["a\tb\tc", "1\t2\t3"], "\t"),
    (["a|b|c", "1|2|3"], "|"),
])
def test_detect_delimiter(lines: list[str], delimiter: str) -> None:
    """The delimiter splitting every line into the same number of columns, quotes respected."""
    assert detect_delimiter(lines) == delimiter


@pytest.mark.parametrize(("values", "default_comma", "comma"), [
    (["1 234,56", "12,50"], False, True),
    (["1.234,56"], False, True),
    (["1,234.56", "99.90"], True, False),
    (["1,234", "2,500"], True, True),  # thousands only: undecided, the file's convention decides
    (["1,234", "2,500"], False, False),
])
def test_detect_decimal(values: list[str], default_comma: bool, comma: bool) -> None:
    """Decimal comma or dot from the amounts themselves; ambiguous '1,234' falls back on the file's convention."""
    assert detect_decimal(values, default_comma=default_comma) is comma


def test_detect_date_format_day_first_when_a_day_exceeds_12() -> None:
    """25/03/2026 settles day/month for the whole file, ambiguous 03/04/2026 included."""
    assert detect_date_format({"d": ["03/04/2026", "25/03/2026"]}, "f.csv", french=False) == "%d/%m/%Y"


def test_detect_date_format_french_file_reads_ambiguous_dates_day_first() -> None:
    """In a ';' file, 03/04/2026 is 3 April."""
    assert detect_date_format({"d": ["03/04/2026"]}, "f.csv", french=True) == "%d/%m/%Y"


def test_detect_date_format_refuses_mixed_orders() -> None:
    """25/03/2026 and 03/25/2026 in one file cannot both be right."""
    with pytest.raises(InputError, match="mix day/month and month/day"):
        detect_date_format({"d": ["25/03/2026", "03/25/2026"]}, "f.csv", french=False)


def test_detect_date_format_refuses_unknown_shapes_naming_column_and_value() -> None:
    """'March 3rd' is no date format we know: the message names column and value and --date-format."""
    with pytest.raises(InputError, match=r"column 'Date': cannot read the date 'March 3rd'.*--date-format"):
        detect_date_format({"Date": ["March 3rd"]}, "f.csv", french=False)


@pytest.mark.parametrize(("header", "normalised"), [
    ("Date d'échéance", "date d echeance"),
    ("N° facture", "n facture"),
    ("  Montant TTC (€) ", "montant ttc"),
    ("Invoice #", "invoice #"),
    ("InvoiceDate", "invoice date"),
    ("customerID", "customer id"),
    ("DueDateUTC", "due date utc"),
    ("N°Facture", "n facture"),
    ("MONTANT TTC", "montant ttc"),
])
def test_normalise_header(header: str, normalised: str) -> None:
    """Case, accents and punctuation are ignored when matching headers."""
    assert normalise_header(header) == normalised


def test_guess_mapping_of_a_french_export() -> None:
    """The French headers of an accounting export map to every invoice field they carry."""
    headers = ["N° facture", "Code client", "Raison sociale", "Date facture", "Date d'échéance", "Montant TTC",
               "Devise", "En litige", "Date de règlement", "Conditions de paiement", "Commentaire"]

    assert guess_mapping("receivables", headers) == {
        "invoice_id": "N° facture", "counterparty_id": "Code client", "counterparty_name": "Raison sociale",
        "issue_date": "Date facture", "due_date": "Date d'échéance", "amount": "Montant TTC", "currency": "Devise",
        "disputed": "En litige", "paid_date": "Date de règlement", "terms": "Conditions de paiement",
    }


def test_guess_mapping_of_an_erp_export_with_joined_words() -> None:
    """Headers written as one word by case (an ERP or database export) map as their spaced forms do."""
    headers = ["countryCode", "customerID", "invoiceNumber", "InvoiceDate", "DueDate", "InvoiceAmount", "Disputed",
               "SettledDate", "DaysToSettle"]

    assert guess_mapping("receivables", headers) == {
        "invoice_id": "invoiceNumber", "counterparty_id": "customerID", "issue_date": "InvoiceDate",
        "due_date": "DueDate", "amount": "InvoiceAmount", "disputed": "Disputed", "paid_date": "SettledDate",
    }


AMOUNTS = [
    # (cell as written, amount stored) in a ';' file with decimal comma
    ("1 234,56", 1234.56), ("1.234,56", 1234.56), ("1\u00a0234,56", 1234.56), ("-12,50", -12.50),
    ("(12,50)", -12.50), ("12,50-", -12.50), ("12,5 €", 12.50), ("1234", 1234.00), ("0,004", 0.00),
]


def test_amounts_written_the_french_way(tmp_path: Path) -> None:
    """Spaces, non-breaking spaces, dots as thousands, accounting negatives and the € sign."""
    body = "".join(f"A-{n};Durand;02/03/2026;01/04/2026;{cell}\n" for n, (cell, _) in enumerate(AMOUNTS))
    store = new_store(tmp_path / "db.duckdb")

    run_import(store, write_text(tmp_path / "fr.csv", "Facture;Client;Date;Echeance;Montant\n" + body, "cp1252"))

    stored = {k: v["amount_ttc"] for k, v in invoices_by_id(store).items()}
    assert stored == {f"A-{n}": amount for n, (_, amount) in enumerate(AMOUNTS)}


def test_amounts_written_the_english_way(tmp_path: Path) -> None:
    """Commas as thousands, '$' sign, accounting negatives, a leading '+'."""
    body = ('E-1,Acme,2026-03-02,"1,234.56"\nE-2,Acme,2026-03-02,"$1,234,567.89"\nE-3,Acme,2026-03-02,(45.10)\n'
            "E-4,Acme,2026-03-02,+7.5\n")
    store = new_store(tmp_path / "db.duckdb")

    run_import(store, write_text(tmp_path / "en.csv", "invoice,customer,date,amount\n" + body), default_terms="net 30")

    stored = {k: v["amount_ttc"] for k, v in invoices_by_id(store).items()}
    assert stored == {"E-1": 1234.56, "E-2": 1234567.89, "E-3": -45.10, "E-4": 7.50}
