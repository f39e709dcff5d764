"""Workbooks checked in the zip before they are read, then streamed: bombs and damaged sheets refused (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.ingest.xlsx import read_sheet
from tests.fixtures.ingest import XLSX_HEADER, invoices_by_id, new_store, xlsx_row, xlsx_with_sheet_data

GOOD = xlsx_row(1, *XLSX_HEADER) + xlsx_row(2, "F1", "Dupont", "2026-01-02", "2026-02-01", "100")


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], path: Path) -> str:
    """Import the workbook by the CLI in-process; assert exit 2, no traceback, the database unchanged."""
    store = new_store(tmp_path / "db.duckdb")
    before = store.table_checksums()

    code = main(["--db", str(store.path), "import", "receivables", str(path)])

    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "Traceback" not in err and "internal error" not in err
    assert store.table_checksums() == before
    return err.removeprefix("cashpilot: ").strip()


def test_a_sheet_declaring_more_rows_than_excel_holds_is_refused_unread(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """<dimension ref="A1:E2000000"/> in a 5 KB file: refused from the declaration, before any row is read."""
    path = xlsx_with_sheet_data(tmp_path / "bomb.xlsx", GOOD, dimension="A1:E2000000")
    assert refused(tmp_path, capsys, path) == ("bomb.xlsx: a sheet declares 2,000,000 rows, over the 1,048,576 an "
                                               "import accepts (setting CASHPILOT_MAX_SHEET_ROWS)")


def test_a_sheet_declaring_16384_columns_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A1:XFD2 (the widest sheet Excel has): the pandas reader padded every row to it."""
    path = xlsx_with_sheet_data(tmp_path / "wide.xlsx", GOOD, dimension="A1:XFD2")
    assert "a sheet declares 16,384 columns (up to XFD), over the 1,000" in refused(tmp_path, capsys, path)


def test_a_cell_far_right_without_a_declared_dimension_is_refused(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """No dimension, one value in XFD3: refused at row 3 while streaming."""
    path = xlsx_with_sheet_data(tmp_path / "far.xlsx", GOOD + '<row r="3"><c r="XFD3"><v>1</v></c></row>', None)
    assert "row 3 has a value in column 16,384, over the 1,000 columns" in refused(tmp_path, capsys, path)


def test_a_sheet_that_unzips_to_hundreds_of_mb_of_blanks_is_refused_from_the_zip(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """40 MB of spaces stored in ~40 KB: refused by the growth ratio, nothing unzipped."""
    path = xlsx_with_sheet_data(tmp_path / "blank.xlsx", GOOD, padding=" " * (40 << 20))
    err = refused(tmp_path, capsys, path)
    assert err.startswith("blank.xlsx: the part xl/worksheets/sheet1.xml unzips ")
    assert "over the 200 times an import accepts (setting CASHPILOT_MAX_XLSX_RATIO)" in err


def test_a_workbook_over_the_uncompressed_limit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """CASHPILOT_MAX_XLSX_UNCOMPRESSED=2000 bytes: a normal small workbook is over it."""
    monkeypatch.setenv("CASHPILOT_MAX_XLSX_UNCOMPRESSED", "2000")
    path = xlsx_with_sheet_data(tmp_path / "ar.xlsx", GOOD)
    assert "over the 0.0 MB an import accepts (setting CASHPILOT_MAX_XLSX_UNCOMPRESSED)" in refused(
        tmp_path, capsys, path)


def test_broken_sheet_xml_is_a_damaged_workbook_not_an_internal_error(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A mismatched tag in row 3: refused as damaged near row 3."""
    path = xlsx_with_sheet_data(tmp_path / "broken.xlsx", GOOD + '<row r="3"><c r="A3"><v>1</c></row>')
    err = refused(tmp_path, capsys, path)
    assert err.startswith("broken.xlsx: the sheet is damaged near row 3 and cannot be read (mismatched tag")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV renamed .xlsx."""
    path = tmp_path / "fake.xlsx"
    path.write_text("invoice_id,amount\nF1,1\n")
    assert refused(tmp_path, capsys, path).startswith("fake.xlsx: cannot open as an Excel workbook")


def test_rows_past_a_stale_dimension_are_read_with_their_excel_row_numbers(tmp_path: Path) -> None:
    """Declared A1:E2 but a row 9 follows: streaming read keeps it, as row 9 (read-only mode stopped at row 2)."""
    path = xlsx_with_sheet_data(tmp_path / "ar.xlsx",
                                GOOD + xlsx_row(9, "F2", "Martin", "2026-01-03", "2026-02-02", "50.5"))

    frame = read_sheet(path, "ar.xlsx", None)

    assert frame["invoice_id"].tolist() == ["F1", "F2"] and (frame.index + 2).tolist() == [2, 9]
    assert frame["amount"].tolist() == ["100", "50.5"]


def test_a_good_streamed_workbook_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The hand-built workbook imports its two invoices."""
    store = new_store(tmp_path / "db.duckdb")
    path = xlsx_with_sheet_data(tmp_path / "ar.xlsx",
                                GOOD + xlsx_row(3, "F2", "Martin", "2026-01-03", "2026-02-02", "50.5"), "A1:E3")

    assert main(["--db", str(store.path), "import", "receivables", str(path)]) == 0
    assert {k: v["amount_ttc"] for k, v in invoices_by_id(store).items()} == {"F1": 100.0, "F2": 50.5}


def test_a_nul_character_in_a_parquet_cell_names_row_and_column(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Parquet strings may hold NUL: refused at the row a spreadsheet would show (it broke the debtors chart)."""
    import pandas as pd

    path = tmp_path / "ar.parquet"
    pd.DataFrame({"invoice_id": ["F1", "F2"], "client": ["Dupont", "Mar\x00tin"], "issue_date": ["2026-01-02"] * 2,
                  "due_date": ["2026-02-01"] * 2, "amount": [1.0, 2.0]}).to_parquet(path)
    assert refused(tmp_path, capsys, path) == ("ar.parquet: row 3, column 'client': a NUL character (binary zero) in "
                                               "the cell; expected text")


def test_text_that_is_not_utf8_in_a_parquet_cell_names_row_and_column(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A flipped bit in a Parquet string (bench/fuzz.py, seed 42, file 7262) reads without complaint and used to end
    as "internal error" from Arrow when the cell was turned into text: refused at the row a spreadsheet shows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = pa.array([b"Dupont", b"Mar\xe9tin"], pa.binary())  # \xe9 alone: Latin-1, not UTF-8
    unchecked = pa.Array.from_buffers(pa.string(), len(names), names.buffers())  # Arrow does not validate here
    path = tmp_path / "ar.parquet"
    pq.write_table(pa.table({"invoice_id": ["F1", "F2"], "client": unchecked, "issue_date": ["2026-01-02"] * 2,
                             "due_date": ["2026-02-01"] * 2, "amount": [1.0, 2.0]}), path)
    assert refused(tmp_path, capsys, path) == ("ar.parquet: row 3, column 'client': text that is not valid UTF-8 (a "
                                               "damaged file, or one written with another encoding); expected UTF-8 "
                                               "text")


def test_the_preview_reads_only_the_first_rows_of_a_workbook(tmp_path: Path) -> None:
    """preview() of a 3,000-row sheet: the sample's first rows are read, not the whole sheet."""
    from forecasting.ingest.pipeline import preview
    from forecasting.ingest.readers import SAMPLE_ROWS, open_raw

    rows = "".join(xlsx_row(n, f"F{n}", "Dupont", "2026-01-02", "2026-02-01", "1") for n in range(2, 3002))
    path = xlsx_with_sheet_data(tmp_path / "ar.xlsx", xlsx_row(1, *XLSX_HEADER) + rows, "A1:E3001")

    sampled = open_raw(path, sample_only=True)
    assert sampled.frame is not None and len(sampled.frame) == SAMPLE_ROWS
    assert preview(path, "receivables").sample["invoice_id"].tolist()[:2] == ["F2", "F3"]


def test_a_workbook_whose_sheet_will_not_unzip_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bits flipped inside the deflated sheet (fuzz: 'invalid distance too far back', an internal error)."""
    import zipfile

    path = xlsx_with_sheet_data(tmp_path / "flip.xlsx", GOOD * 50)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + info.compress_size - 5, 7):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    assert refused(tmp_path, capsys, path).startswith("flip.xlsx: cannot open as an Excel workbook")
