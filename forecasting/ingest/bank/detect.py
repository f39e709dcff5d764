"""Which statement format a file is, told from its content (banks name these files .txt, .dat, .sta, .xml alike)."""

from __future__ import annotations

import re
from pathlib import Path

from forecasting.core.errors import InputError
from forecasting.ingest.bank.camt import parse_camt
from forecasting.ingest.bank.cfonb import RECORD_CODES, RECORD_LENGTH, parse_cfonb
from forecasting.ingest.bank.mt940 import parse_mt940
from forecasting.ingest.bank.types import CAMT053, CFONB120, MT940, StatementFile, refuse, unbalanced

_MT940_START = re.compile(r"^(\{1:[^}]*\})?(\{2:[^}]*\})?(\{3:.*?\})?\{?4?:?\s*:20:", re.DOTALL)
_CFONB_START = re.compile(r"^0[1457]\d{5}")


def decode(data: bytes) -> str:
    """Return a text file's content: UTF-8 when it is, else Windows-1252 (French banks' usual encoding)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def detect_format(data: bytes) -> str | None:
    """Return CFONB120, CAMT053 or MT940 as the file's first bytes show, None when it is none of them."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return CAMT053
    text = decode(head)
    first = text.splitlines()[0] if text else ""
    if _CFONB_START.match(first) and first[:2] in RECORD_CODES and len(first) % RECORD_LENGTH == 0:
        return CFONB120
    if _MT940_START.match(text) or text.startswith(":20:") or "\n:20:" in text and ":25:" in text:
        return MT940
    return None


def read_statement_file(path: str | Path, display_name: str | None = None) -> StatementFile:
    """Return a statement file's statements and movements, format detected; raise InputError on any problem.

    A statement that does not balance (opening + movements ≠ closing) is refused here, whatever its format.
    """
    p = Path(path)
    name = display_name or p.name
    if not p.exists():
        raise InputError(f"{name}: file not found")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    kind = detect_format(data)
    if kind is None:
        raise InputError(f"{name}: not a bank statement this import reads: expected CFONB 120 (120-character "
                         "records starting 01, 04, 05, 07), camt.053 (ISO 20022 XML) or MT940 (:20:, :25:, :60F: …)")
    if kind == CAMT053:
        parsed = parse_camt(p, name)
    elif kind == CFONB120:
        parsed = parse_cfonb(decode(data), name)
    else:
        parsed = parse_mt940(decode(data), name)
    problems = unbalanced(parsed)
    if problems:
        raise refuse(name, problems)
    return parsed
