"""MT940 read through `mt-940` from a hand-made file (files/two_days.mt940): balances, signs, dates, lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.ingest.bank.mt940 import account_iban, parse_mt940

FILES = Path(__file__).resolve().parent / "files"
TEXT = (FILES / "two_days.mt940").read_text(encoding="utf-8")


def test_statements_balances_and_dates() -> None:
    """:60F: C 10,000.00 on 1 March → :62F: 11,179.55 on 2 March → 11,167.55 on 3 March."""
    st = parse_mt940(TEXT, "two_days.mt940").statements
    assert st[C.IBAN].tolist() == ["FR7630006000011234567890189"] * 2
    assert st[C.OPENING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-01", "2026-03-02"]
    assert st[C.OPENING_BALANCE].tolist() == [10000.00, 11179.55]
    assert st[C.CLOSING_BALANCE].tolist() == [11179.55, 11167.55]
    assert st[C.LINE].tolist() == [10, 18]  # each :62F:


def test_movements_signs_entry_dates_details_and_lines() -> None:
    """:61: C/D signs; the entry date (MMDD) is the booking date, the first date the value date; :86: as text."""
    mv = parse_mt940(TEXT, "two_days.mt940").movements
    assert mv[C.AMOUNT].tolist() == [1500.00, -320.45, -12.00]
    assert mv[C.LINE].tolist() == [5, 8, 16]
    assert mv[C.BOOKING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-02", "2026-03-03"]
    assert mv[C.VALUE_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-03", "2026-03-03"]
    assert mv[C.LABEL].tolist() == ["VIR SEPA ACME", "PRLV URSSAF", "FRAIS TENUE COMPTE"]
    assert mv[C.REMITTANCE].tolist() == ["VIR SEPA ACME FACTURE F-2026-001", "PRLV URSSAF", "FRAIS TENUE COMPTE"]
    assert mv[C.BANK_REFERENCE].tolist() == ["REF0001", None, None]
    assert mv[C.OPERATION_CODE].tolist() == ["NTRF", "NDDT", "NCHG"]


@pytest.mark.parametrize(("account", "iban"), [
    ("FR7630006000011234567890189", "FR7630006000011234567890189"),
    ("BNPAFRPP/FR7630006000011234567890189", "FR7630006000011234567890189"),
    ("30006/00001/12345678901", "FR7630006000011234567890189"),
    ("12345678", None),
])
def test_the_account_is_an_iban_a_bic_and_iban_or_a_french_rib(account: str, iban: str | None) -> None:
    """:25: as banks write it."""
    assert account_iban(account) == iban


def test_an_account_that_is_no_iban_is_refused_with_its_line() -> None:
    """The statement's :20: line is named."""
    bad = TEXT.replace(":25:FR7630006000011234567890189", ":25:12345678", 1)
    with pytest.raises(InputError, match=r"line 1: account :25: '12345678' is not an IBAN"):
        parse_mt940(bad, "bad.mt940")


def test_a_swift_envelope_and_crlf_lines_read_alike() -> None:
    """{1:…}{2:…}{4: before :20: and -} after, CRLF line ends: the same statement, lines counted from the file."""
    text = ("{1:F01BNPAFRPPAXXX0000000000}{2:O9401200260302BNPAFRPPXXXX0000000000002603021200N}{4:\r\n"
            ":20:STMT-20260302\r\n:25:FR7630006000011234567890189\r\n:28C:00001/001\r\n:60F:C260301EUR10000,00\r\n"
            ":61:2603020302C1500,00NTRFNONREF//REF0001\r\n:86:VIR SEPA ACME\r\n:62F:C260302EUR11500,00\r\n-}\r\n")
    parsed = parse_mt940(text, "swift.sta")
    assert parsed.statements[C.CLOSING_BALANCE].tolist() == [11500.0]
    assert parsed.statements[C.LINE].tolist() == [8]
    assert parsed.movements[[C.LINE, C.AMOUNT, C.BANK_REFERENCE]].values.tolist() == [[6, 1500.0, "REF0001"]]
