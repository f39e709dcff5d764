"""CFONB 120 read from a hand-made file (files/two_accounts.cfonb, written from the CFONB layout): two accounts,
three statements, 05 complements, signed amounts; and the records it refuses, by line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.ingest.bank.cfonb import SIGN_DIGIT, parse_cfonb

FILES = Path(__file__).resolve().parent / "files"
TEXT = (FILES / "two_accounts.cfonb").read_text(encoding="cp1252")
ACCOUNT_A = "FR7630006000011234567890189"  # RIB 30006 00001 12345678901, key 89
ACCOUNT_B = "FR7610278060300002012340194"  # RIB 10278 06030 00020123401, key 94


def _lines() -> list[str]:
    """Return the file's records."""
    return TEXT.splitlines()


def _file(lines: list[str]) -> str:
    """Return records as a file's text."""
    return "\r\n".join(lines) + "\r\n"


def test_the_sign_character_gives_the_last_digit_and_the_sign() -> None:
    """'{' 'A'…'I' are +0…+9, '}' 'J'…'R' are −0…−9 (the CFONB overpunch)."""
    assert SIGN_DIGIT["{"] == (0, 1) and SIGN_DIGIT["A"] == (1, 1) and SIGN_DIGIT["I"] == (9, 1)
    assert SIGN_DIGIT["}"] == (0, -1) and SIGN_DIGIT["J"] == (1, -1) and SIGN_DIGIT["R"] == (9, -1)
    assert len(SIGN_DIGIT) == 20


def test_statements_per_account_and_day_with_their_balances() -> None:
    """01 old balances and 07 new balances, by hand: 10,000.00 → 11,179.55 → 11,167.55; −250.00 → 150.00."""
    st = parse_cfonb(TEXT, "two_accounts.cfonb").statements
    assert st[C.IBAN].tolist() == [ACCOUNT_A, ACCOUNT_A, ACCOUNT_B]
    assert st[C.CURRENCY].tolist() == ["EUR"] * 3
    assert st[C.OPENING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-01", "2026-03-02", "2026-02-28"]
    assert st[C.CLOSING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-03", "2026-03-02"]
    assert st[C.OPENING_BALANCE].tolist() == [10000.00, 11179.55, -250.00]
    assert st[C.CLOSING_BALANCE].tolist() == [11179.55, 11167.55, 150.00]
    assert st[C.LINE].tolist() == [7, 10, 13]  # each statement's 07 record


def test_movements_signs_dates_labels_and_complements() -> None:
    """04 amounts signed ('N' = −5 last digit: 320.45 debit), 05 NPY/NBE as the other party, LIB as remittance."""
    mv = parse_cfonb(TEXT, "two_accounts.cfonb").movements
    assert mv[C.AMOUNT].tolist() == [1500.00, -320.45, -12.00, 400.00]
    assert mv[C.STATEMENT].tolist() == [0, 0, 1, 2]
    assert mv[C.LINE].tolist() == [2, 5, 9, 12]
    assert mv[C.BOOKING_DATE].dt.strftime("%d/%m/%Y").tolist() == ["02/03/2026", "02/03/2026", "03/03/2026",
                                                                  "02/03/2026"]
    assert mv[C.VALUE_DATE].dt.strftime("%d/%m/%Y").tolist() == ["02/03/2026", "03/03/2026", "03/03/2026",
                                                                "04/03/2026"]
    assert mv[C.LABEL].tolist() == ["VIR SEPA ACME", "PRLV URSSAF", "FRAIS TENUE COMPTE", "REMISE CB 28/02"]
    assert mv[C.REMITTANCE].tolist() == ["FACTURE F-2026-001", None, None, None]
    assert mv[C.COUNTERPARTY_NAME].tolist() == ["ACME SA", "URSSAF ILE DE FRANCE", None, None]
    # the reference (105-120), else the entry number (82-88), else nothing
    assert mv[C.BANK_REFERENCE].tolist() == ["REF0001", "0000123", None, "CB280226"]
    assert mv[C.OPERATION_CODE].tolist() == ["05", "01", "17", "05"]


def test_records_back_to_back_without_line_breaks_are_read_alike() -> None:
    """Some banks send the 120-character records with no line break."""
    glued = parse_cfonb("".join(_lines()), "glued.cfonb")
    assert glued.movements[C.AMOUNT].tolist() == [1500.00, -320.45, -12.00, 400.00]


def test_three_decimals_are_scaled_by_the_decimals_field() -> None:
    """Position 20 gives the number of decimals: 0000000015000{ with 3 decimals is 150.000."""
    lines = _lines()
    fixed = [line[:19] + "3" + line[20:] for line in lines[10:13]]
    st = parse_cfonb(_file(fixed), "three.cfonb").statements
    assert st[C.OPENING_BALANCE].tolist() == [-25.0] and st[C.CLOSING_BALANCE].tolist() == [15.0]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda ls: ls[:3] + [ls[3][:118]] + ls[4:], "line 4: a record of 118 characters, expected 120"),
    (lambda ls: ls[:4] + ["06" + ls[4][2:]] + ls[5:], "line 5: unknown record code '06'"),
    (lambda ls: ls[:1] + [ls[1][:90] + "00000000150X0{" + ls[1][104:]] + ls[2:],
     "line 2: amount '00000000150X0{' (positions 91-104): expected 13 digits then one of"),
    (lambda ls: ls[:1] + [ls[1][:103] + "S" + ls[1][104:]] + ls[2:], "line 2: amount '0000000015000S'"),
    (lambda ls: ls[:1] + [ls[1][:34] + "310226" + ls[1][40:]] + ls[2:], "line 2: date '310226' is not a date"),
    (lambda ls: ls[:6], "the file ends inside a statement (no 07 new balance record)"),
    (lambda ls: ls[1:], "line 1: record 04 cannot follow record 07"),
    (lambda ls: ls[:6] + ls[7:], "line 7: record 01 cannot follow record 05"),
    (lambda ls: ls[:1] + [ls[1][:2] + "3000X" + ls[1][7:]] + ls[2:], "line 2: bank code '3000X'"),
])
def test_bad_records_are_refused_by_line(change, expected: str) -> None:  # noqa: ANN001
    """Wrong length, unknown code, bad amount or date, a cut file, records out of order: refused, line named."""
    with pytest.raises(InputError) as error:
        parse_cfonb(_file(change(_lines())), "bad.cfonb")
    assert str(error.value).startswith("bad.cfonb: ")
    assert "nothing was imported" in str(error.value)
    assert expected in str(error.value)


def test_many_records_are_read_column_wise() -> None:
    """A statement of 20,000 movements of 0.01 each: the closing is the opening + 200.00 (vectorised, no loop)."""
    lines = _lines()
    opening, move, closing = lines[10], lines[11], lines[12]
    cent = move[:90] + "0000000000000A" + move[104:120]
    close = closing[:90] + "0000000002000{" + closing[104:]  # −250.00 + 200.00 = −50.00
    close = close[:90] + "0000000000500}" + close[104:]
    parsed = parse_cfonb(_file([opening, *[cent] * 20000, close]), "many.cfonb")
    assert len(parsed.movements) == 20000
    assert np.isclose(parsed.movements[C.AMOUNT].sum(), 200.0)
    assert pd.Series(parsed.movements[C.LINE]).is_monotonic_increasing
