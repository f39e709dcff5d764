"""Sniffing a text file's conventions: encoding, delimiter, decimal mark and date format."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from forecasting.core.errors import DatesUnclear

DELIMITERS = (";", ",", "\t", "|")
ISO_DATE = "%Y-%m-%d"
DAY_FIRST = "%d/%m/%Y"

_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SLASH_RE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")


@dataclass(frozen=True)
class TextFormat:
    """How a delimited text file is written."""

    encoding: str  # 'utf-8', 'utf-8-sig', 'cp1252' or 'latin-1'
    delimiter: str

    @property
    def french(self) -> bool:
        """True when the file follows French conventions (';' separated, hence decimal comma)."""
        return self.delimiter == ";"


def detect_encoding(data: bytes) -> str:
    """Return the encoding of a file's bytes: UTF-8 (with or without BOM), else cp1252, else latin-1."""
    return decode_bytes(data)[1]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return a file's bytes as text and the encoding found (see detect_encoding), decoding them once."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"  # every byte is valid latin-1


def detect_delimiter(lines: list[str]) -> str:
    """Return the delimiter that splits the first lines into the same, largest number of columns."""
    best, best_score = ",", (0, 0)
    sample = [line for line in lines[:50] if line.strip()]
    for delim in DELIMITERS:
        counts = [_count_outside_quotes(line, delim) for line in sample]
        if not counts or counts[0] == 0:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def _count_outside_quotes(line: str, delim: str) -> int:
    """Return how many times `delim` occurs outside double quotes."""
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


def detect_decimal(values: Iterable[str], default_comma: bool) -> bool:
    """Return True when the amounts use a decimal comma (1 234,56 or 1.234,56), False for a dot."""
    comma = dot = 0
    for raw in values:
        v = re.sub(r"[\s\u00a0\u202f€$£()+-]", "", str(raw))
        if not v:
            continue
        if "," in v and "." in v:
            if v.rfind(",") > v.rfind("."):
                comma += 1
            else:
                dot += 1
        elif re.search(r",\d{1,2}$", v) or re.search(r",\d{3}\d+$", v):
            comma += 1
        elif re.search(r"\.\d{1,2}$", v) or re.search(r"\.\d{3}\d+$", v):
            dot += 1
        # "1,234" or "1.234" alone is ambiguous and counts for neither.
    if comma and dot:
        return comma > dot
    if comma:
        return True
    if dot:
        return False
    return default_comma


def detect_date_format(values_by_column: dict[str, list[str]], file_name: str, french: bool) -> str:
    """Return one strptime format for all date columns of a file, or raise InputError when it cannot tell."""
    day_first = month_first = 0
    separator, year_digits, iso, other = "/", 4, 0, []
    example_ambiguous: tuple[str, str] | None = None
    for column, values in values_by_column.items():
        for raw in values:
            v = str(raw).strip()
            if not v:
                continue
            if _ISO_RE.match(v):
                iso += 1
                continue
            m = _SLASH_RE.match(v)
            if not m:
                other.append((column, v))
                continue
            first, second = int(m.group(1)), int(m.group(3))
            separator, year_digits = m.group(2), len(m.group(4))
            if first > 12:
                day_first += 1
            elif second > 12:
                month_first += 1
            elif first != second and example_ambiguous is None:
                example_ambiguous = (column, v)
    slash_total = day_first + month_first + (1 if example_ambiguous else 0)
    if other and not iso and not slash_total:
        column, v = other[0]
        raise DatesUnclear(
            f"{file_name}: column '{column}': cannot read the date '{v}'. Expected 2026-12-31 or 31/12/2026; "
            "for another format pass --date-format (e.g. --date-format %m/%d/%Y or %d-%b-%y).",
            file_name, DatesUnclear.UNREADABLE, column, v,
        )
    if iso and not slash_total:
        return ISO_DATE
    if month_first and not day_first:
        raise DatesUnclear(
            f"{file_name}: the dates look like month/day/year (US style). "
            "Pass --date-format %m/%d/%Y to import them as such.",
            file_name, DatesUnclear.MONTH_FIRST,
        )
    if month_first and day_first:
        raise DatesUnclear(
            f"{file_name}: the dates mix day/month and month/day orders; fix the file or pass --date-format.",
            file_name, DatesUnclear.MIXED,
        )
    if not day_first and example_ambiguous and not french:
        column, v = example_ambiguous
        raise DatesUnclear(
            f"{file_name}: column '{column}': the date '{v}' is ambiguous (day/month or month/day?) and no date in "
            "the file settles it. Pass --date-format %d/%m/%Y or --date-format %m/%d/%Y.",
            file_name, DatesUnclear.AMBIGUOUS, column, v,
        )
    year = "%Y" if year_digits == 4 else "%y"
    return f"%d{separator}%m{separator}{year}"
