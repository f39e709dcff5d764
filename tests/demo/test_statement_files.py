"""The statement writers: CFONB 120 and camt.053 written from movements, read back by the parsers unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.demo.statement_files import camt053_xml, cfonb120_text, cfonb_amount
from forecasting.ingest.bank.camt import parse_camt
from forecasting.ingest.bank.cfonb import parse_cfonb
from forecasting.ingest.bank.importer import import_statement_files
from forecasting.store.database import Store

A, B = "FR7630006000011234567890189", "FR7610278060300002012340194"
ACCOUNTS = pd.DataFrame({
    C.ACCOUNT_ID: ["MAIN", "CARDS"], C.IBAN: [A, B], C.CURRENCY: ["EUR", "EUR"],
    C.OPENING_DATE: pd.to_datetime(["2026-03-01", "2026-02-28"]), C.OPENING_BALANCE: [10000.00, -250.00],
})


def _movements() -> pd.DataFrame:
    """Return five movements on two accounts and two days, with every field a bank statement carries."""
    rows = [
        ("MAIN", "2026-03-02", "2026-03-02", 1500.00, "VIR SEPA ACME", "FACTURE F-2026-001 ET F-2026-007 "
         "REGLEMENT PARTIEL DU SOLDE RESTANT DU MOIS DE FEVRIER SELON VOTRE RELANCE", "ACME SA",
         "FR1420041010050500013M02606", "REF0001", "05"),
        ("MAIN", "2026-03-02", "2026-03-03", -320.45, "PRLV URSSAF", None, "URSSAF ILE DE FRANCE", None,
         "REF0002", "01"),
        ("MAIN", "2026-03-03", "2026-03-03", -12.00, "FRAIS TENUE COMPTE", None, None, None, None, "17"),
        ("MAIN", "2026-03-03", "2026-03-03", -12.00, "FRAIS TENUE COMPTE", None, None, None, None, "17"),
        ("CARDS", "2026-03-02", "2026-03-04", 400.00, "REMISE CB 28/02", "TERMINAL 0042", None, None,
         "CB280226", "05"),
    ]
    frame = pd.DataFrame(rows, columns=[C.ACCOUNT_ID, C.BOOKING_DATE, C.VALUE_DATE, C.AMOUNT, C.LABEL, C.REMITTANCE,
                                        C.COUNTERPARTY_NAME, C.COUNTERPARTY_IBAN, C.BANK_REFERENCE, C.OPERATION_CODE])
    for column in (C.BOOKING_DATE, C.VALUE_DATE):
        frame[column] = pd.to_datetime(frame[column])
    return frame.assign(**{C.MOVEMENT_ID: None, C.CURRENCY: "EUR", C.CATEGORY: None, C.IMPORT_ID: None})[
        C.BANK_MOVEMENT_COLUMNS]


COMPARED = [C.BOOKING_DATE, C.VALUE_DATE, C.AMOUNT, C.LABEL, C.REMITTANCE, C.COUNTERPARTY_NAME, C.BANK_REFERENCE,
            C.OPERATION_CODE]


def _plain(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Return rows as dicts, dates as ISO text, missing values as None, easy to compare."""
    out = frame.astype(object).where(frame.notna(), None)
    for column in (C.BOOKING_DATE, C.VALUE_DATE):
        if column in out:
            out[column] = [None if v is None else pd.Timestamp(v).date().isoformat() for v in out[column]]
    return out.to_dict("records")


def _in_file_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the movements as the writers order them: by account (accounts' order), then booking date."""
    order = {a: i for i, a in enumerate(ACCOUNTS[C.ACCOUNT_ID])}
    return (frame.assign(_a=frame[C.ACCOUNT_ID].map(order)).sort_values(["_a", C.BOOKING_DATE], kind="stable")
            .drop(columns="_a").reset_index(drop=True))


@pytest.mark.parametrize(("value", "text"), [
    (1500.00, "0000000015000{"), (-320.45, "0000000003204N"), (-12.00, "0000000000120}"), (0.01, "0000000000000A"),
    (-0.09, "0000000000000R"), (0.0, "0000000000000{"),
])
def test_cfonb_amounts_carry_the_sign_in_the_last_character(value: float, text: str) -> None:
    """The overpunch, checked by hand against the CFONB table."""
    assert cfonb_amount(value) == text


def test_cfonb_round_trip_gives_back_the_movements_and_balances() -> None:
    """Write → parse: same dates, amounts, labels, remittance (wrapped over 05 records), names, references."""
    moves = _movements()
    text = cfonb120_text(moves, ACCOUNTS)
    assert all(len(line) == 120 for line in text.splitlines())
    parsed = parse_cfonb(text, "demo.cfonb")
    got = parsed.movements
    expected = _in_file_order(moves)
    assert _plain(got[COMPARED]) == _plain(expected[COMPARED])
    st = parsed.statements
    assert st[C.IBAN].tolist() == [A, A, B]
    assert st[C.OPENING_DATE].dt.date.tolist() == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 2, 28)]
    assert st[C.CLOSING_DATE].dt.date.tolist() == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 2)]
    assert st[C.OPENING_BALANCE].tolist() == [10000.00, 11179.55, -250.00]
    assert st[C.CLOSING_BALANCE].tolist() == [11179.55, 11155.55, 150.00]


def test_camt_round_trip_gives_back_the_movements_balances_and_ibans(tmp_path: Path) -> None:
    """Write → parse: everything, the other party's IBAN too; OPBD dated the day opens it (previous day's close)."""
    moves = _movements()
    path = tmp_path / "demo.xml"
    path.write_text(camt053_xml(moves, ACCOUNTS), encoding="utf-8")
    parsed = parse_camt(path, path.name)
    expected = _in_file_order(moves)
    assert _plain(parsed.movements[[*COMPARED, C.COUNTERPARTY_IBAN]]) == \
        _plain(expected[[*COMPARED, C.COUNTERPARTY_IBAN]])
    st = parsed.statements
    assert st[C.OPENING_DATE].dt.date.tolist() == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 1)]
    assert st[C.CLOSING_BALANCE].tolist() == [11179.55, 11155.55, 150.00]


def test_both_files_of_the_same_movements_import_once(tmp_path: Path) -> None:
    """The camt.053 after the CFONB 120 of the same days adds nothing: same references, same derived ids."""
    moves = _movements()
    (tmp_path / "s.cfonb").write_text(cfonb120_text(moves, ACCOUNTS), encoding="cp1252")
    (tmp_path / "s.xml").write_text(camt053_xml(moves, ACCOUNTS), encoding="utf-8")
    store = Store(tmp_path / "db.duckdb")
    first = import_statement_files(store, [tmp_path / "s.cfonb"], create_accounts=True)[0]
    second = import_statement_files(store, [tmp_path / "s.xml"])[0]
    assert (first.inserted, second.inserted, second.unchanged + second.updated) == (5, 0, 5)
    assert second.updated == 1  # camt.053 adds ACME's IBAN, which CFONB 120 cannot carry
    with store.reading() as tx:
        balances = tx.con.execute("SELECT account_id, CAST(balance_date AS VARCHAR), CAST(balance AS DOUBLE) "
                                  "FROM bank_balances ORDER BY ALL").fetchall()
    # camt.053 dates CARDS' opening the day before its statement (1 March), CFONB 120 the day of the account's
    # previous statement (28 February): both days are filled, with the same balance
    assert balances == [(B, "2026-02-28", -250.0), (B, "2026-03-01", -250.0), (B, "2026-03-02", 150.0),
                        (A, "2026-03-01", 10000.0), (A, "2026-03-02", 11179.55), (A, "2026-03-03", 11155.55)]
