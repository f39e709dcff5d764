"""One pass over a delimited text file in chunks: its fingerprint, encoding, and the damage DuckDB would choke on.

The file is never held in memory whole (a 10 M-row export is 600 MB): it is read in chunks of CHUNK_BYTES for
its SHA-256, its UTF-8 validity, NUL bytes, carriage returns inside unquoted cells and over-long cells, each
refused with its line and column. A file that is not UTF-8 (cp1252, latin-1: what French accounting software
writes) is copied as UTF-8, chunk by chunk, for DuckDB; the copy is named after the process that made it, and
copies left by a process that no longer runs (killed mid-import) are removed by the next import.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from forecasting.core.errors import InputError
from forecasting.ingest.detect import detect_delimiter
from forecasting.ingest.limits import ImportLimits, import_limits, megabytes

CHUNK_BYTES = 16 << 20
HEAD_BYTES = 1 << 20
COPY_PREFIX = "cashpilot-utf8-"
_LONE_CR = re.compile(rb"\r(?!\n)")


@dataclass(frozen=True)
class ScannedText:
    """What the scan found: enough to sample the file and to hand DuckDB a UTF-8 file."""

    sha256: str
    encoding: str  # 'utf-8', 'utf-8-sig', 'cp1252' or 'latin-1'
    delimiter: str
    head: str  # the first HEAD_BYTES decoded: the sample, the header and the delimiter come from it
    quoted: bool  # a double quote occurs somewhere
    utf8_path: Path  # the file itself, or a UTF-8 copy the caller removes (is_copy)
    is_copy: bool


def scan_text(path: Path, name: str, limits: ImportLimits | None = None) -> ScannedText:
    """Return the scan of a delimited text file; raise InputError naming the line and column of any damage."""
    lim = limits or import_limits()
    size = path.stat().st_size
    if size > lim.file_bytes:
        raise InputError(f"{name}: the file is {megabytes(size)}, over the {megabytes(lim.file_bytes)} an import "
                         "accepts (setting CASHPILOT_MAX_FILE_BYTES); split it, or raise the setting")
    with path.open("rb") as fh:
        head_bytes = fh.read(HEAD_BYTES)
    if b"\x00" in head_bytes[:4096]:
        raise InputError(f"{name}: this is not a text file (binary content); expected CSV, xlsx or Parquet")
    encoding = _head_encoding(head_bytes)
    head = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head_bytes, final=len(head_bytes) == size)
    if "\r" in head and "\n" not in head:
        raise InputError(f"{name}: its lines end with a carriage return alone (old Mac format); save it again as "
                         "CSV with Windows or Unix line endings")
    delimiter = detect_delimiter(head[:65536].splitlines())
    headers = _header_cells(head.split("\n", 1)[0], delimiter, name)
    if len(headers) > lim.columns:
        raise InputError(f"{name}: {len(headers):,} columns, over the {lim.columns:,} an import accepts (setting "
                         "CASHPILOT_MAX_COLUMNS); is it the right file?")
    scan = _Scan(path, name, delimiter, headers, encoding, lim)
    scan.run()
    if scan.encoding == "utf-8":
        return ScannedText(scan.sha256, scan.encoding, delimiter, head, scan.quoted, path, False)
    copy, used = utf8_copy(path, scan.encoding)
    if used != encoding:  # the guess from the head failed further on: the head is decoded again
        head = head_bytes.decode(used, errors="replace")
    return ScannedText(scan.sha256, used, delimiter, head, scan.quoted, copy, True)


def _header_cells(line: str, delimiter: str, name: str) -> list[str]:
    """Return the header line's cells; raise InputError when the line cannot be read as delimited text."""
    try:
        return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    except csv.Error as exc:
        cr = line.rstrip("\r").find("\r")
        if cr >= 0:  # a lone CR before the end of the line: the header's cell number counts the delimiters
            raise InputError(f"{name}: row 1, column {line.count(delimiter, 0, cr) + 1}: a line break (carriage "
                             "return) inside a header cell that is not in double quotes; put the cell in quotes "
                             "or remove the line break") from exc
        raise InputError(f"{name}: row 1 (the column names) cannot be read as text separated by "
                         f"'{delimiter}' ({exc})") from exc


def _head_encoding(head: bytes) -> str:
    """Return the encoding the first bytes suggest: UTF-8 (with or without BOM), else cp1252, else latin-1."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


class _Scan:
    """The chunked pass: counts lines, checks UTF-8, finds the first damage and says where."""

    def __init__(self, path: Path, name: str, delimiter: str, headers: list[str], encoding: str,
                 limits: ImportLimits) -> None:
        self.path, self.name, self.delimiter, self.headers, self.encoding = path, name, delimiter, headers, encoding
        self.limits = limits
        self.sha256 = ""
        self.quoted = False

    def run(self) -> None:
        """Read the file once; raise InputError at the first damaged cell."""
        digest = hashlib.sha256()
        utf8 = codecs.getincrementaldecoder("utf-8")() if self.encoding == "utf-8" else None
        offset = 0  # of the chunk in the file
        line = 1  # the line the chunk starts in
        line_start = 0  # offset of that line's start in the file
        quotes = 0  # double quotes seen before the chunk (odd: inside a quoted cell)
        with self.path.open("rb") as fh:
            while chunk := fh.read(CHUNK_BYTES):
                if chunk.endswith(b"\r"):
                    chunk += fh.read(1)  # whether this CR ends a line (CR LF) is told by the next byte
                digest.update(chunk)
                if utf8 is not None and not (chunk.isascii() and not utf8.getstate()[0]):  # ASCII: valid
                    try:
                        utf8.decode(chunk)
                    except UnicodeDecodeError:
                        utf8, self.encoding = None, "cp1252"  # utf8_copy falls back on latin-1
                if b'"' in chunk:
                    self.quoted = True
                newlines = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
                self._check_chunk(chunk, offset, line, line_start, quotes, newlines)
                if len(newlines):
                    line += len(newlines)
                    line_start = offset + int(newlines[-1]) + 1
                quotes += chunk.count(b'"')
                offset += len(chunk)
        if offset - line_start > self.limits.cell_chars:  # the last line, without a line break after it
            self._check_cells(line_start, offset, line)
        self.sha256 = digest.hexdigest()

    def _check_chunk(self, chunk: bytes, offset: int, line: int, line_start: int, quotes: int,
                     newlines: np.ndarray) -> None:
        """Raise InputError for a NUL, a lone CR outside quotes or an over-long line's cell in this chunk."""
        nul = chunk.find(b"\x00")
        if nul >= 0:
            at_line, start = _line_at(chunk, nul, offset, line, line_start)
            column = self._column_at(start, offset + nul)
            raise InputError(f"{self.name}: row {at_line}, column '{column}': a NUL character (binary zero) in the "
                             "cell; expected text. Export the file again, or remove the character")
        for m in (_LONE_CR.finditer(chunk) if b"\r" in chunk else ()):
            if (quotes + chunk.count(b'"', 0, m.start())) % 2:
                continue  # inside a quoted cell: a line break the cell holds
            if m.start() == len(chunk) - 1:
                continue  # the file's last byte (a chunk is extended past a final CR otherwise): a line's end
            at_line, start = _line_at(chunk, m.start(), offset, line, line_start)
            column = self._column_at(start, offset + m.start())
            raise InputError(f"{self.name}: row {at_line}, column '{column}': a line break (carriage return) inside a "
                             "cell that is not in double quotes; put the cell in quotes or remove the line break")
        limit = self.limits.cell_chars
        ends = newlines + offset
        starts = np.concatenate(([line_start], ends[:-1] + 1)) if len(ends) else np.array([line_start])
        long = np.flatnonzero(ends - starts[: len(ends)] > limit)
        for i in long[:20]:  # a line longer than a cell may be: look at its cells
            self._check_cells(int(starts[i]), int(ends[i]), line + int(i))

    def _check_cells(self, start: int, end: int, line: int) -> None:
        """Raise InputError when a cell of the line between the offsets is longer than the limit."""
        text = self._read(start, end)
        for record in csv.reader(io.StringIO(text), delimiter=self.delimiter):
            for i, cell in enumerate(record):
                if len(cell) > self.limits.cell_chars:
                    raise InputError(
                        f"{self.name}: row {line}, column '{self._header(i)}': a cell of {len(cell):,} characters, "
                        f"over the {self.limits.cell_chars:,} an import accepts (setting CASHPILOT_MAX_CELL_CHARS; "
                        "Excel's own limit is 32,767); is a quote left open, or a column of the wrong file?")
            break

    def _column_at(self, line_start: int, at: int) -> str:
        """Return the header of the column where the byte at offset `at` of the line starting at `line_start` lies."""
        prefix = self._read(line_start, at)
        return self._header(prefix.count(self.delimiter))

    def _header(self, index: int) -> str:
        """Return the header of column `index` (column_N past the header's end)."""
        return self.headers[index].strip() if index < len(self.headers) else f"column_{index + 1}"

    def _read(self, start: int, end: int) -> str:
        """Return the file's bytes between two offsets, decoded (at most 1 MB: enough to name a cell)."""
        with self.path.open("rb") as fh:
            fh.seek(start)
            data = fh.read(min(end - start, 1 << 20) if end > start else 0)
        return data.decode("utf-8" if self.encoding.startswith("utf-8") else self.encoding, errors="replace")


def _line_at(chunk: bytes, pos: int, offset: int, line: int, line_start: int) -> tuple[int, int]:
    """Return the line number and the line's start offset of position `pos` of a chunk."""
    before = chunk.count(b"\n", 0, pos)
    if before:
        return line + before, offset + chunk.rfind(b"\n", 0, pos) + 1
    return line, line_start


def utf8_copy(path: Path, encoding: str) -> tuple[Path, str]:
    """Return a UTF-8 copy of a text file and the encoding read, written chunk by chunk (see module doc).

    A byte cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d) makes the copy start again as latin-1.
    """
    remove_stale_copies()
    target = Path(tempfile.gettempdir()) / f"{COPY_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.csv"
    for tried in dict.fromkeys((encoding, "latin-1")):
        decoder = codecs.getincrementaldecoder(tried)(errors="strict" if tried != "utf-8-sig" else "replace")
        try:
            with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
                while chunk := src.read(CHUNK_BYTES):
                    dst.write(decoder.decode(chunk))
                dst.write(decoder.decode(b"", final=True))
            return target, tried
        except UnicodeDecodeError:
            continue
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    target.unlink(missing_ok=True)  # latin-1 decodes any byte: not reached
    raise InputError(f"{path.name}: cannot read the file's characters")


def remove_stale_copies() -> int:
    """Remove the UTF-8 copies whose process no longer runs (an import killed midway); return how many."""
    removed = 0
    for copy in Path(tempfile.gettempdir()).glob(f"{COPY_PREFIX}*.csv"):
        try:
            pid = int(copy.name[len(COPY_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid == os.getpid() or _alive(pid):
            continue
        with contextlib.suppress(OSError):
            copy.unlink()
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    """Return True when a process of that id runs (or cannot be signalled: someone else's, left alone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
