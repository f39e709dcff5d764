"""The format told from the content, and the balance check every format shares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forecasting.core.errors import InputError
from forecasting.ingest.bank.detect import detect_format, read_statement_file
from forecasting.ingest.bank.types import CAMT053, CFONB120, MT940

FILES = Path(__file__).resolve().parent / "files"


@pytest.mark.parametrize(("name", "kind"), [
    ("two_accounts.cfonb", CFONB120), ("two_days.camt053.001.02.xml", CAMT053),
    ("overdrawn.camt053.001.08.xml", CAMT053), ("two_days.mt940", MT940),
])
def test_each_hand_made_file_is_told_by_its_content(tmp_path: Path, name: str, kind: str) -> None:
    """Whatever the extension (banks name them .txt, .dat, .sta)."""
    copy = tmp_path / "statement.txt"
    shutil.copy(FILES / name, copy)
    assert detect_format(copy.read_bytes()) == kind
    assert read_statement_file(copy, name).format == kind


def test_an_mt940_with_swift_blocks_is_told() -> None:
    """{1:…}{2:…}{4: before :20:."""
    assert detect_format(b"{1:F01BNPAFRPPXXX0000000000}{2:O9401200260302BNPAFRPPXXXX}{4:\r\n:20:X\r\n:25:Y") == MT940


def test_a_csv_is_not_a_statement(tmp_path: Path) -> None:
    """Refused with the formats expected."""
    path = tmp_path / "balances.csv"
    path.write_text("account,date,balance\nA,2026-03-02,10\n", encoding="utf-8")
    with pytest.raises(InputError, match="balances.csv: not a bank statement this import reads: expected CFONB 120"):
        read_statement_file(path)


@pytest.mark.parametrize(("name", "old", "new", "where"), [
    ("two_accounts.cfonb", "0000000111675E", "0000000112675E", "line 10"),
    ("two_days.camt053.001.02.xml", "<Amt Ccy=\"EUR\">11167.55</Amt>", "<Amt Ccy=\"EUR\">11267.55</Amt>", "statement 2"),
    ("two_days.mt940", ":62F:C260303EUR11167,55", ":62F:C260303EUR11267,55", "line 18"),
])
def test_a_statement_that_does_not_balance_is_refused_naming_account_and_date(
        tmp_path: Path, name: str, old: str, new: str, where: str) -> None:
    """11,179.55 − 12.00 = 11,167.55, not 11,267.55: refused with the account, the date and the gap."""
    text = (FILES / name).read_text(encoding="cp1252")
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="cp1252")
    with pytest.raises(InputError) as error:
        read_statement_file(path)
    assert (f"{where}: the statement of account FR7630006000011234567890189 on 2026-03-03 does not balance: "
            "opening balance 11,179.55 + movements -12.00 = 11,167.55, but the closing balance is 11,267.55 "
            "(a difference of 100.00)") in str(error.value)
