"""The sizes an import refuses: far beyond any real export, so that a damaged or hostile file cannot exhaust the machine.

Each limit is a setting: its default below, overridden by the environment variable named beside it (a plain
number). The README's "How imports behave" lists them with the message each refusal gives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    """Return the integer in $name, else `default` (a value that is not a positive number is ignored)."""
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ImportLimits:
    """What one import may hold at most."""

    file_bytes: int  # CASHPILOT_MAX_FILE_BYTES: any file (CSV, FEC, xlsx, Parquet) on disk
    columns: int  # CASHPILOT_MAX_COLUMNS: columns of a sheet or a CSV header
    cell_chars: int  # CASHPILOT_MAX_CELL_CHARS: one cell (Excel itself stops at 32,767)
    sheet_rows: int  # CASHPILOT_MAX_SHEET_ROWS: rows of an xlsx sheet (Excel itself stops at 1,048,576)
    xlsx_uncompressed_bytes: int  # CASHPILOT_MAX_XLSX_UNCOMPRESSED: an xlsx's members once unzipped, in all
    xlsx_ratio: int  # CASHPILOT_MAX_XLSX_RATIO: how many times a member may grow when unzipped


def import_limits() -> ImportLimits:
    """Return the limits in force (defaults, or the environment's values)."""
    return ImportLimits(
        file_bytes=_env_int("CASHPILOT_MAX_FILE_BYTES", 8 * 1024**3),
        columns=_env_int("CASHPILOT_MAX_COLUMNS", 1_000),
        cell_chars=_env_int("CASHPILOT_MAX_CELL_CHARS", 32_767),
        sheet_rows=_env_int("CASHPILOT_MAX_SHEET_ROWS", 1_048_576),
        xlsx_uncompressed_bytes=_env_int("CASHPILOT_MAX_XLSX_UNCOMPRESSED", 1024**3),
        xlsx_ratio=_env_int("CASHPILOT_MAX_XLSX_RATIO", 200),
    )


def megabytes(n: int) -> str:
    """Return a byte count as the MB a treasurer reads (1 decimal under 10 MB)."""
    mb = n / 1e6
    return f"{mb:,.1f} MB" if mb < 10 else f"{mb:,.0f} MB"
