"""Excel workbooks read safely: sizes checked in the zip before anything is unpacked, the sheet streamed row by row.

An .xlsx is a zip of XML parts. A few hundred KB can declare a million rows, or unzip to gigabytes of blanks
(a "row bomb"): the pandas reader padded every row to the declared width and took 8 GB. Here, before any XML
is parsed, the members' unzipped sizes and growth ratios and the sheet's declared dimension are checked against
the import limits; then the sheet is read by openpyxl in read-only (streaming) mode, keeping non-empty rows only.
"""

from __future__ import annotations

import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from forecasting.core.errors import InputError
from forecasting.ingest.limits import ImportLimits, import_limits, megabytes

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_BOMB_FLOOR_BYTES = 10 << 20  # a member smaller than this unzipped is not worth a ratio check


def check_xlsx(path: Path, name: str, limits: ImportLimits) -> None:
    """Raise InputError when the workbook is not a zip, unzips too big or too fast, or declares too large a sheet."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            total = sum(m.file_size for m in members)
            if total > limits.xlsx_uncompressed_bytes:
                raise InputError(
                    f"{name}: the workbook unzips to {megabytes(total)}, over the "
                    f"{megabytes(limits.xlsx_uncompressed_bytes)} an import accepts (setting "
                    "CASHPILOT_MAX_XLSX_UNCOMPRESSED); save the sheet as CSV, or raise the setting")
            for m in members:
                ratio = m.file_size / max(m.compress_size, 1)
                if m.file_size > _BOMB_FLOOR_BYTES and ratio > limits.xlsx_ratio:
                    raise InputError(
                        f"{name}: the part {m.filename} unzips {ratio:,.0f} times larger than it is stored "
                        f"({megabytes(m.file_size)}), over the {limits.xlsx_ratio} times an import accepts (setting "
                        "CASHPILOT_MAX_XLSX_RATIO): mostly empty rows or cells. Save the sheet as CSV")
            for m in members:
                if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                    with zf.open(m) as fh:
                        _check_dimension(fh.read(8192), name, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:  # a damaged zip, or a part that will not unzip
        raise InputError(f"{name}: cannot open as an Excel workbook (not a valid .xlsx: {_short(exc)})") from exc


def _check_dimension(head: bytes, name: str, limits: ImportLimits) -> None:
    """Raise InputError when a sheet's declared dimension (<dimension ref="A1:Z99"/>) exceeds the limits."""
    m = _DIMENSION.search(head)
    if not m:
        return
    found = [g.decode("ascii") if g else "" for g in m.groups()]
    last_col, last_row = (found[2], found[3]) if found[2] else (found[0], found[1])
    rows = int(last_row) if last_row else 0
    columns = _column_number(last_col) if last_col else 0
    if rows > limits.sheet_rows:
        raise InputError(f"{name}: a sheet declares {rows:,} rows, over the {limits.sheet_rows:,} an import accepts "
                         "(setting CASHPILOT_MAX_SHEET_ROWS)")
    if columns > limits.columns:
        raise InputError(f"{name}: a sheet declares {columns:,} columns (up to {last_col}), over the "
                         f"{limits.columns:,} an import accepts (setting CASHPILOT_MAX_COLUMNS)")


def _column_number(letters: str) -> int:
    """Return the number of a column written in letters (A = 1, Z = 26, AA = 27)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_sheet(path: Path, name: str, sheet: str | None, limits: ImportLimits | None = None,
               max_rows: int | None = None) -> pd.DataFrame:
    """Return a sheet as text cells under its first row's headers, indexed by the row number Excel shows.

    `max_rows` stops after that many non-empty rows (header included): the Data page's preview.
    """
    lim = limits or import_limits()
    size = path.stat().st_size
    if size > lim.file_bytes:
        raise InputError(f"{name}: the file is {megabytes(size)}, over the {megabytes(lim.file_bytes)} an import "
                         "accepts (setting CASHPILOT_MAX_FILE_BYTES)")
    check_xlsx(path, name, lim)
    import openpyxl  # only for workbooks: its import costs ~0.2 s

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputError(f"{name}: cannot open as an Excel workbook ({_short(exc)})") from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"{name}: no sheet named '{sheet}'; the sheets are: {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # The declared dimension was checked above; read-only mode would stop at its last row (rows written
        # past a stale dimension were lost) and pad every row to its width: read what the sheet holds instead.
        ws.reset_dimensions()
        rows = list(itertools.islice(_rows(ws, name, lim), max_rows))
    finally:
        book.close()
    if not rows:
        return pd.DataFrame()
    header = rows[0][1]
    width = max(len(header), *(len(r) for _, r in rows[1:])) if len(rows) > 1 else len(header)
    headers = [h or "" for h in header] + [""] * (width - len(header))
    body = [(r + [None] * width)[:width] for _, r in rows[1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    frame.columns = pd.Index(headers)
    frame.index = pd.Index([n - 2 for n, _ in rows[1:]], dtype="int64")  # the reader adds 2: the row Excel shows
    return frame


def _rows(ws: object, name: str, limits: ImportLimits) -> Iterator[tuple[int, list[str | None]]]:
    """Yield (Excel row number, cells as text) for each non-empty row, refusing rows over the limits."""
    number = 0
    try:
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
            if number > limits.sheet_rows:
                raise InputError(f"{name}: the sheet has more than {limits.sheet_rows:,} rows (setting "
                                 "CASHPILOT_MAX_SHEET_ROWS)")
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            if not cells:
                continue
            if len(cells) > limits.columns:
                raise InputError(f"{name}: row {number} has a value in column {len(cells):,}, over the "
                                 f"{limits.columns:,} columns an import accepts (setting CASHPILOT_MAX_COLUMNS)")
            long = next((i for i, c in enumerate(cells) if c is not None and len(c) > limits.cell_chars), None)
            if long is not None:
                raise InputError(f"{name}: row {number}, column {long + 1}: a cell of {len(cells[long] or ''):,} "
                                 f"characters, over the {limits.cell_chars:,} an import accepts (setting "
                                 "CASHPILOT_MAX_CELL_CHARS)")
            nul = next((i for i, c in enumerate(cells) if c is not None and "\x00" in c), None)
            if nul is not None:
                raise InputError(f"{name}: row {number}, column {nul + 1}: a NUL character (binary zero) in the "
                                 "cell; expected text")
            yield number, cells
    except InputError:
        raise
    except Exception as exc:  # broken sheet XML: lxml / ElementTree parse errors, bad cell values
        raise InputError(f"{name}: the sheet is damaged near row {number + 1} and cannot be read "
                         f"({_short(exc)}); open it in Excel and save it again, or export it as CSV") from exc


def _cell_text(v: object) -> str | None:
    """Return a cell as text the parsers understand (dates ISO, whole numbers without '.0'); None when empty."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v != v:  # NaN
            return None
        return str(int(v)) if v.is_integer() else str(v)
    return str(v)


def _short(exc: Exception) -> str:
    """Return an exception's first line, at most 200 characters."""
    return (str(exc).split("\n")[0] or type(exc).__name__)[:200]
