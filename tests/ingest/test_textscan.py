"""Damaged text files refused with their row and column, exit 2, database unchanged (issue 16).

Each used to end as "internal error, please report it" (exit 1) or, for NUL bytes past the first 4 KB, to be
accepted into names that then broke the debtors chart.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.ingest.textscan import COPY_PREFIX, remove_stale_copies, scan_text
from tests.fixtures.demo import ROOT
from tests.fixtures.ingest import new_store, write_text
from tests.ingest.test_fec import FEC_LINES
from tests.ingest.test_fec import HEADER as FEC_HEADER

HEADER = "invoice_id,client,issue_date,due_date,amount\n"
ROW = "F{n},Martin SARL,2026-01-02,2026-02-01,100.00\n"


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, name: str = "ar.csv",
            kind: str = "receivables") -> str:
    """Import `content` by the CLI in-process into a store; assert exit 2, no traceback, nothing changed."""
    store = new_store(tmp_path / "db.duckdb")
    before = store.table_checksums()
    path = tmp_path / name
    path.write_bytes(content)

    code = main(["--db", str(store.path), "import", kind, str(path)])

    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "Traceback" not in err and "internal error" not in err
    assert store.table_checksums() == before
    return err.removeprefix("cashpilot: ").strip()


def test_a_carriage_return_inside_an_unquoted_cell_names_row_and_column(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """'Dup\\ront' on line 3 (CR LF line endings elsewhere): refused at row 3, column 'client'."""
    text = (HEADER + ROW.format(n=1) + "F2,Dup\ront,2026-01-02,2026-02-01,100.00\n").replace("\n", "\r\n")
    err = refused(tmp_path, capsys, text.encode())
    assert err == ("ar.csv: row 3, column 'client': a line break (carriage return) inside a cell that is not in "
                   "double quotes; put the cell in quotes or remove the line break")


def test_a_carriage_return_inside_a_quoted_cell_is_part_of_the_cell(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A multi-line quoted cell (an address) with a lone CR is valid: the file imports."""
    store = new_store(tmp_path / "db.duckdb")
    path = write_text(tmp_path / "ar.csv", HEADER + '"F1","Martin\rSARL",2026-01-02,2026-02-01,100.00\n')

    assert main(["--db", str(store.path), "import", "receivables", str(path)]) == 0
    assert "1 inserted" in capsys.readouterr().out


def test_a_cell_over_the_limit_names_its_row_column_and_length(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A client name of 140,000 characters (over 32,767, and over Python's csv limit that crashed)."""
    err = refused(tmp_path, capsys, (HEADER + ROW.format(n=1).replace("Martin SARL", "x" * 140_000)).encode())
    assert err.startswith("ar.csv: row 2, column 'client': a cell of 140,000 characters, over the 32,767 an import "
                          "accepts (setting CASHPILOT_MAX_CELL_CHARS")


def test_a_long_last_line_without_a_line_break_is_checked_too(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The over-long cell on the last line, which has no line break after it."""
    err = refused(tmp_path, capsys, (HEADER + ROW.format(n=1) + "F2," + "y" * 40_000).encode())
    assert "row 3, column 'client': a cell of 40,000 characters" in err


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_nul_byte_far_into_the_file_names_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           encoding: str) -> None:
    """A NUL in a name on line 502 (past the 4 KB once checked): refused where it is, in any encoding."""
    rows = "".join(ROW.format(n=n) for n in range(1, 501)) + "F501,Dupont\x00 SA é,2026-01-02,2026-02-01,1.00\n"
    err = refused(tmp_path, capsys, (HEADER + rows).encode(encoding))
    assert err == ("ar.csv: row 502, column 'client': a NUL character (binary zero) in the cell; expected text. "
                   "Export the file again, or remove the character")


def test_old_mac_line_endings_are_refused_with_the_way_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Lines ended by CR alone: asks to save with Windows or Unix line endings."""
    err = refused(tmp_path, capsys, (HEADER + ROW.format(n=1)).replace("\n", "\r").encode())
    assert "carriage return alone (old Mac format)" in err


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """CASHPILOT_MAX_FILE_BYTES=1000 and a 4 KB file: refused with both sizes."""
    monkeypatch.setenv("CASHPILOT_MAX_FILE_BYTES", "1000")
    err = refused(tmp_path, capsys, (HEADER + "".join(ROW.format(n=n) for n in range(100))).encode())
    assert err.startswith("ar.csv: the file is 4.3 MB"[:18]) and "over the 0.0 MB an import accepts" in err


def test_a_fec_line_with_an_extra_field_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tab inside a label gives line 3 a 19th field: refused at that line (columns used to shift silently)."""
    lines = list(FEC_LINES)
    lines[1] = lines[1].replace("Prestations", "Presta\ttions")
    err = refused(tmp_path, capsys, "\n".join([FEC_HEADER, *lines]).encode(), "FEC.txt", "fec")
    assert err == ("FEC.txt: 1 error(s) found, nothing was imported.\n"
                   "  row 3: 19 fields where the header has 18 columns (a 'tab' inside a label?)")


def test_a_fec_with_an_unclosed_quote_reads_the_quote_as_text(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The FEC norm has no quoting: a lone '"' in a name is text (it swallowed the file: an internal error)."""
    store = new_store(tmp_path / "db.duckdb")
    lines = [line.replace("Dupont SA", '"Dupont SA') for line in FEC_LINES]
    path = write_text(tmp_path / "FEC.txt", "\n".join([FEC_HEADER, *lines]) + "\n")

    assert main(["--db", str(store.path), "import", "fec", str(path)]) == 0
    names = store.read_ledger().counterparties.set_index("counterparty_id")["name"]
    assert names["C001"] == '"Dupont SA'


def test_a_cp1252_file_is_copied_as_utf8_and_the_copy_removed(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The UTF-8 copy of a cp1252 file lives during the import only."""
    store = new_store(tmp_path / "db.duckdb")
    path = write_text(tmp_path / "ar.csv", HEADER + ROW.format(n=1).replace("Martin", "Société"), "cp1252")
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"{COPY_PREFIX}{os.getpid()}-*"))

    assert main(["--db", str(store.path), "import", "receivables", str(path)]) == 0
    assert store.read_ledger().counterparties["name"].tolist() == ["Société SARL"]
    assert set(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"{COPY_PREFIX}{os.getpid()}-*")) == before


def test_a_copy_left_by_a_killed_import_is_removed_by_the_next(tmp_path: Path) -> None:
    """The copy of a process that no longer runs goes; a running process's copy stays."""
    path = write_text(tmp_path / "ar.csv", HEADER + ROW.format(n=1).replace("Martin", "Société"), "cp1252")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    own = scan_text(path, "ar.csv").utf8_path  # this process's own copy
    left = own.with_name(f"{COPY_PREFIX}{int(dead.stdout)}-000000000000.csv")
    left.write_bytes(own.read_bytes())

    assert remove_stale_copies() == 1
    assert not left.exists() and own.exists()
    own.unlink()


def test_the_cli_reports_a_damaged_file_as_exit_2_in_a_real_process(tmp_path: Path) -> None:
    """The same refusal through `python -m forecasting.cli.main`: exit 2, one line, no traceback."""
    path = tmp_path / "ar.csv"
    path.write_bytes((HEADER + "F2,Dup\ront,2026-01-02,2026-02-01,100.00\n").encode())
    done = subprocess.run([sys.executable, "-m", "forecasting.cli.main", "--db", str(tmp_path / "db.duckdb"),
                           "import", "receivables", str(path)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 2 and "row 2, column 'client'" in done.stderr and "Traceback" not in done.stderr


def test_a_carriage_return_ending_the_file_is_a_line_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CR LF lines, the last one closed by CR alone: not a line break inside a cell; the file imports."""
    store = new_store(tmp_path / "db.duckdb")
    path = write_text(tmp_path / "ar.csv", (HEADER + ROW.format(n=1)).replace("\n", "\r\n") + ROW.format(n=2)[:-1]
                      + "\r")

    assert main(["--db", str(store.path), "import", "receivables", str(path)]) == 0
    assert "2 inserted" in capsys.readouterr().out


def test_a_carriage_return_inside_the_header_line_names_row_1_and_the_cell(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A bit flip turned the header's LF into \\x02 after its CR (bench/fuzz.py, seed 42, file 6632): the CR is
    then inside the line, in the third cell; it used to end as "internal error" from Python's csv reader."""
    text = "invoice_id;client;issue\r\x02date;due_date;amount\r\nF1;Martin;02/01/2026;01/02/2026;100,00\r\n"
    err = refused(tmp_path, capsys, text.encode())
    assert err == ("ar.csv: row 1, column 3: a line break (carriage return) inside a header cell that is not in "
                   "double quotes; put the cell in quotes or remove the line break")
