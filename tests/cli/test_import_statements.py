"""`cashpilot import bank-statement FILE...`: the summary, exit 2 with file, line and reason, database unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.store.database import Store
from tests.fixtures.ingest import new_store, write_text

FILES = Path(__file__).resolve().parents[1] / "ingest" / "bank" / "files"
CFONB = FILES / "two_accounts.cfonb"
CAMT = FILES / "two_days.camt053.001.02.xml"
MT940 = FILES / "two_days.mt940"
A, B = "FR7630006000011234567890189", "FR7610278060300002012340194"
ACCOUNTS = ("accounts.csv", "bank-balances", f"account_id,iban,date,balance\nMain,{A},2026-02-27,1\nCards,{B},"
                                             "2026-02-27,1\n")


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """Run `cashpilot --db db args...` in-process; return (exit code, stdout, stderr)."""
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_one_line_per_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Several files, each summarised; re-importing adds nothing."""
    store = new_store(tmp_path / "db.duckdb", ACCOUNTS)
    code, out, err = cli(capsys, store.path, "import", "bank-statement", str(CFONB), str(MT940))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "two_accounts.cfonb: 4 rows read, 4 inserted, 0 updated, 0 unchanged, 0 rejected; 3 statements read; "
        "5 balances inserted",
        # The same days in MT940: REF0001 is found by its reference (its longer :86: text updates the remittance),
        # the fee by its derived id (its operation code, NCHG, updates CFONB's 17); the URSSAF debit had the
        # entry number 0000123 as reference in CFONB and has none in MT940: a new movement (see the README)
        "two_days.mt940: 3 rows read, 1 inserted, 2 updated, 0 unchanged, 0 rejected; 2 statements read",
    ]
    code, out, _ = cli(capsys, store.path, "--lang", "fr", "import", "bank-statement", str(MT940))
    assert code == 0
    # each count agrees with its word: French takes the singular for 0 (issue 17 item 7)
    assert out.strip() == ("two_days.mt940 : 3 lignes lues, 0 ajoutée, 0 mise à jour, 3 inchangées, 0 rejetée; "
                           "2 relevés lus")


def test_create_accounts_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown account: refused with the option to use, created with it."""
    db = tmp_path / "db.duckdb"
    code, out, err = cli(capsys, db, "import", "bank-statement", str(CAMT))
    assert (code, out) == (2, "")
    assert f"statement 1: no account with IBAN {A} in the database" in err and "--create-accounts" in err
    code, out, err = cli(capsys, db, "import", "bank-statement", str(CAMT), "--create-accounts")
    assert (code, err) == (0, "")
    assert "1 account created" in out  # its words agree with its number (issue 17)


def _cfonb(change: Callable[[list[str]], list[str]]) -> Callable[[Path], Path]:
    """Return a maker of a CFONB file changed by `change` (on its records)."""
    def make(folder: Path) -> Path:
        return write_text(folder / "bad.cfonb", "\r\n".join(change(CFONB.read_text().splitlines())) + "\r\n")
    return make


def _camt(old: str, new: str) -> Callable[[Path], Path]:
    """Return a maker of a camt.053 file with one text replaced."""
    def make(folder: Path) -> Path:
        return write_text(folder / "bad.xml", CAMT.read_text().replace(old, new, 1))
    return make


def _truncated(folder: Path) -> Path:
    """Return the camt.053 file cut in the middle of an entry."""
    path = folder / "bad.xml"
    path.write_bytes(CAMT.read_bytes()[:1500])
    return path


@pytest.mark.parametrize(("make", "expected"), [
    (_cfonb(lambda ls: [*ls[:3], ls[3][:119], *ls[4:]]), "bad.cfonb: 1 problem found, nothing was imported.\n"
     "  line 4: a record of 119 characters, expected 120"),
    (_cfonb(lambda ls: [*ls[:2], "08" + ls[2][2:], *ls[3:]]), "line 3: unknown record code '08'"),
    (_cfonb(lambda ls: [*ls[:1], ls[1][:90] + "00000000150 0{" + ls[1][104:], *ls[2:]]),
     "line 2: amount '00000000150 0{' (positions 91-104)"),
    (_cfonb(lambda ls: [*ls[:6], ls[6][:90] + "0000000111796E" + ls[6][104:], *ls[7:]]),
     f"line 7: the statement of account {A} on 2026-03-02 does not balance: opening balance 10,000.00 + "
     "movements 1,179.55 = 11,179.55, but the closing balance is 11,179.65"),
    (_truncated, "bad.xml: 1 problem found, nothing was imported.\n  line 34, column 7: the XML is cut short"),
    (_camt(f"<IBAN>{A}</IBAN>", "<IBAN>FR7630006000011234567890198</IBAN>"),
     "statement 1 (Id STMT-20260302): 'FR7630006000011234567890198' is not a valid IBAN"),
    (_cfonb(lambda ls: [ls[0][:21] + "12345678902" + ls[0][32:], *ls[1:]]),
     "line 7: the new balance is for account FR7630006000011234567890189 EUR, but the old balance on line 1 was "
     "for FR7630006000011234567890286 EUR"),
])
def test_bad_input_exits_2_naming_file_line_and_reason_and_changes_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, make: Callable[[Path], Path], expected: str) -> None:
    """Wrong record length, unknown record code, bad amount, not balancing, truncated XML, invalid IBAN."""
    store = new_store(tmp_path / "db.duckdb", ACCOUNTS)
    before = store.table_checksums()
    code, out, err = cli(capsys, store.path, "import", "bank-statement", str(make(tmp_path)))
    assert (code, out) == (2, "")
    assert err.startswith("cashpilot: bad.")
    assert expected in err
    assert "Traceback" not in err
    assert Store(store.path).table_checksums() == before


def test_options_of_the_csv_imports_are_refused_for_statements(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    """--map and friends mean nothing to a fixed layout: said, exit 2."""
    code, _, err = cli(capsys, tmp_path / "db.duckdb", "import", "bank-statement", str(CAMT), "--map", "a=b")
    assert code == 2 and "--map: not used for bank statements" in err


def test_other_kinds_take_one_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Two receivables files at once: refused (each is its own import)."""
    code, _, err = cli(capsys, tmp_path / "db.duckdb", "import", "receivables", "a.csv", "b.csv")
    assert code == 2 and "one file at a time for receivables" in err
