"""Readers: turn a CSV, Excel or Parquet file into raw text columns plus a sample for detection."""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from forecasting.core.errors import InputError
from forecasting.ingest.detect import TextFormat
from forecasting.ingest.limits import import_limits, megabytes
from forecasting.ingest.textscan import scan_text
from forecasting.ingest.xlsx import read_sheet

SAMPLE_ROWS = 2000
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
# Cells longer than the limit are refused line by line before any CSV is parsed (textscan); a quoted cell
# spanning lines is not seen there, and Python's default (131,072) made it an internal error.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
PARQUET_SUFFIXES = {".parquet", ".pq"}


@dataclass
class RawFile:
    """A file ready to stage: either a UTF-8 CSV path DuckDB reads itself, or a frame of text cells."""

    path: Path
    display_name: str
    sha256: str
    headers: list[str]
    sample: pd.DataFrame  # first rows, every cell as text
    csv_path: Path | None = None  # UTF-8 copy or the original file
    delimiter: str = ","
    quoted: bool = True  # CSV: the file holds a double quote somewhere, so a cell may span lines
    frame: pd.DataFrame | None = None  # Excel / Parquet / FEC content as text, indexed by row number in the file
    french: bool = False  # French conventions: ';' separated or comma decimals
    cleanup: list[Path] = field(default_factory=list)

    def close(self) -> None:
        """Remove temporary files made while reading."""
        for p in self.cleanup:
            p.unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_raw(path: str | Path, sheet: str | None = None, display_name: str | None = None,
             sample_only: bool = False) -> RawFile:
    """Return the file as raw text columns, whatever its format (by extension: csv/txt, xlsx, parquet).

    `sample_only`: a workbook is read up to the sample's rows only (a preview needs no more).
    """
    p = Path(path)
    name = display_name or p.name
    if not p.exists():
        raise InputError(f"{name}: file not found")
    if p.stat().st_size == 0:
        raise InputError(f"{name}: the file is empty")
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _open_excel(p, name, sheet, SAMPLE_ROWS + 1 if sample_only else None)
    if suffix == ".xls":
        raise InputError(f"{name}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    if suffix in PARQUET_SUFFIXES:
        limit = import_limits().file_bytes
        if p.stat().st_size > limit:
            raise InputError(f"{name}: the file is {megabytes(p.stat().st_size)}, over the {megabytes(limit)} an "
                             "import accepts (setting CASHPILOT_MAX_FILE_BYTES)")
        return _open_frame(p, name, _read_parquet(p, name))
    return _open_csv(p, name)


def decode_text(path: Path, name: str) -> tuple[str, TextFormat]:
    """Return a text file's content and its format (encoding and delimiter), checked by scan_text first."""
    scan = scan_text(path, name)
    try:
        text = scan.utf8_path.read_text(encoding="utf-8-sig" if scan.encoding == "utf-8" else "utf-8")
    finally:
        if scan.is_copy:
            scan.utf8_path.unlink(missing_ok=True)
    return text, TextFormat(encoding=scan.encoding, delimiter=scan.delimiter)


def _open_csv(p: Path, name: str) -> RawFile:
    """Read a delimited text file: scan it in chunks, sample its first rows, keep a UTF-8 copy for DuckDB if need be."""
    scan = scan_text(p, name)
    reader = csv.reader(io.StringIO(scan.head), delimiter=scan.delimiter)
    try:
        rows = [r for _, r in zip(range(SAMPLE_ROWS + 1), reader, strict=False)]
    except csv.Error as exc:  # an unclosed quote swallowing the head, a damaged record
        if scan.is_copy:
            scan.utf8_path.unlink(missing_ok=True)
        raise InputError(f"{name}: row {reader.line_num}: cannot read the row as CSV ({exc}); "
                         "is a double quote left open?") from exc
    if not rows or not any(h.strip() for h in rows[0]):
        if scan.is_copy:
            scan.utf8_path.unlink(missing_ok=True)
        raise InputError(f"{name}: no header row found")
    headers = _unique_headers(rows[0])
    width = len(headers)
    body = [(r + [""] * width)[:width] for r in rows[1:] if any(c.strip() for c in r)]
    sample = pd.DataFrame(body, columns=headers, dtype=object)
    return RawFile(
        path=p, display_name=name, sha256=scan.sha256, headers=headers, sample=sample,
        csv_path=scan.utf8_path, delimiter=scan.delimiter, quoted=scan.quoted, french=scan.delimiter == ";",
        cleanup=[scan.utf8_path] if scan.is_copy else [],
    )


def count_lines(path: Path) -> int:
    """Return the number of lines of a text file (a last line without a line break counts)."""
    count, last = 0, b"\n"
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def record_lines(path: Path, delimiter: str) -> list[int]:
    """Return the line where each data record of a UTF-8 CSV starts (header = line 1), blank lines skipped."""
    starts: list[int] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader, None)
        start = reader.line_num + 1
        for record in reader:
            if record:  # DuckDB skips empty lines too
                starts.append(start)
            start = reader.line_num + 1
    return starts


def _open_excel(p: Path, name: str, sheet: str | None, max_rows: int | None = None) -> RawFile:
    """Read one sheet of an xlsx workbook (the first unless named) as text cells, streamed (see xlsx.py)."""
    return _open_frame(p, name, read_sheet(p, name, sheet, max_rows=max_rows))


def _read_parquet(p: Path, name: str) -> pd.DataFrame:
    """Return a Parquet file's content."""
    try:
        frame = pd.read_parquet(p)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise InputError(f"{name}: cannot read as Parquet ({exc})") from exc
    _check_utf8(frame, name)
    return frame


def _check_utf8(frame: pd.DataFrame, name: str) -> None:
    """Raise InputError at the first text cell that is not valid UTF-8 (Parquet readers do not check it)."""
    for column in frame.columns:
        to_arrow = getattr(frame[column].array, "__arrow_array__", None)
        if to_arrow is None:  # not Arrow-backed text: nothing read unchecked
            continue
        chunked = to_arrow()
        try:
            chunked.validate(full=True)
        except pa.ArrowException:
            cells = chunked.cast(pa.binary()).to_pylist()  # the bytes as stored, to find the bad one
            bad = next(i for i, b in enumerate(cells) if b is not None and not _is_utf8(b))
            raise InputError(f"{name}: row {frame.index[bad] + 2}, column '{column}': text that is not valid UTF-8 "
                             "(a damaged file, or one written with another encoding); expected UTF-8 text") from None


def _is_utf8(raw: bytes) -> bool:
    """Return True when `raw` decodes as UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _open_frame(p: Path, name: str, frame: pd.DataFrame) -> RawFile:
    """Wrap an already-read table, every cell turned into text (dates as ISO, numbers with a dot)."""
    frame = frame.dropna(how="all")
    frame.columns = _unique_headers([str(c) for c in frame.columns])
    # Indexed by the row number a spreadsheet shows (header = row 1), kept across the empty rows dropped.
    text = pd.DataFrame({c: _as_text(frame[c]) for c in frame.columns}, index=frame.index)
    text.index = frame.index + 2
    _check_cells(text, name)
    return RawFile(
        path=p, display_name=name, sha256=file_sha256(p), headers=list(text.columns),
        sample=text.head(SAMPLE_ROWS), frame=text,
    )


def _check_cells(text: pd.DataFrame, name: str) -> None:
    """Raise InputError at the first cell holding a NUL character or longer than the limit, and for too many columns."""
    lim = import_limits()
    if len(text.columns) > lim.columns:
        raise InputError(f"{name}: {len(text.columns):,} columns, over the {lim.columns:,} an import accepts "
                         "(setting CASHPILOT_MAX_COLUMNS); is it the right file?")
    for column in text.columns:
        cells = text[column].dropna().astype(str)
        nul = cells[cells.str.contains("\x00", regex=False)]
        if len(nul):
            raise InputError(f"{name}: row {nul.index[0]}, column '{column}': a NUL character (binary zero) in the "
                             "cell; expected text")
        long = cells[cells.str.len() > lim.cell_chars]
        if len(long):
            raise InputError(f"{name}: row {long.index[0]}, column '{column}': a cell of {len(long.iloc[0]):,} "
                             f"characters, over the {lim.cell_chars:,} an import accepts (setting "
                             "CASHPILOT_MAX_CELL_CHARS)")


def _as_text(series: pd.Series) -> pd.Series:
    """Return a column as text cells the parsers understand; empty cells become None."""
    if pd.api.types.is_datetime64_any_dtype(series):
        dates: pd.Series = series.dt.strftime("%Y-%m-%d").astype(object).where(series.notna(), None)
        return dates

    def cell(v: object) -> str | None:
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
            return None
        if isinstance(v, (datetime, pd.Timestamp)):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return series.map(cell).astype(object)


def _unique_headers(headers: list[str]) -> list[str]:
    """Return headers made unique and non-empty (a blank header becomes column_N; a repeat gets _2, _3 …).

    Linear in the number of columns: a set of the names taken and, per repeated name, the next suffix to try
    (a list scanned for every repeat took hours on 20,000 copies of one name).
    """
    out: list[str] = []
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    for i, h in enumerate(headers, start=1):
        h = h.strip().lstrip("\ufeff") or f"column_{i}"
        if h in taken:
            base, n = h, next_suffix.get(h, 2)
            while f"{base}_{n}" in taken:
                n += 1
            h, next_suffix[base] = f"{base}_{n}", n + 1
        taken.add(h)
        out.append(h)
    return out
