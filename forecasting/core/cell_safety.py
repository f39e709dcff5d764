"""Text cells made safe for spreadsheets: a CSV cell that Excel or LibreOffice would run as a formula is written
as text, as OWASP recommends for CSV injection ('=cmd|...', '@SUM(...)', a tab or carriage return first).

Numbers are never changed: a number, even written as text with a sign ('-12,50', '+3.5e2'), is left as it is,
so files still sum to the same totals and a rejects file still imports once corrected.
"""

from __future__ import annotations

import pandas as pd

TRIGGER_PATTERN = r"^[=+\-@\t\r]"  # a text cell starting with = + - @ tab or carriage return
# A number as accounting exports write one: sign, digits with group separators, decimals, exponent, percent.
NUMBER_PATTERN = r"^[+-]?[0-9][0-9 .,\u00a0\u202f']*(?:[eE][+-]?[0-9]+)?%?$"
# The same for DuckDB's regular expressions (RE2 writes a code point \x{00a0}; SQL doubles a quote).
_SQL_NUMBER_PATTERN = (NUMBER_PATTERN.replace("\\u00a0", "\\x{00a0}").replace("\\u202f", "\\x{202f}")
                       .replace("'", "''"))
QUOTE = "'"  # spreadsheets show a cell starting with ' as the text after it


def safe_text(text: str) -> str:
    """Return `text` prefixed with ' when a spreadsheet would read it as a formula (numbers unchanged)."""
    series = safe_series(pd.Series([text], dtype="string"))
    return str(series.iloc[0])


def safe_series(values: pd.Series) -> pd.Series:
    """Return the text values with every formula-like cell prefixed with ' (missing values stay missing)."""
    text = values.astype("string")
    risky = text.str.match(TRIGGER_PATTERN).fillna(False) & ~text.str.match(NUMBER_PATTERN).fillna(False)
    if not risky.any():
        return values
    return values.astype(object).where(~risky.to_numpy(), QUOTE + text.astype(object))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with its text columns made safe; numeric, date and boolean columns are untouched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            is_text = series.map(lambda v: isinstance(v, str))
            if is_text.any():
                out[column] = series.where(~is_text, safe_series(series.where(is_text)))
    return out


def safe_sql(expression: str) -> str:
    """Return SQL (DuckDB) giving the text of `expression` made safe the same way."""
    return (f"CASE WHEN regexp_matches({expression}, '{TRIGGER_PATTERN}') "
            f"AND NOT regexp_matches({expression}, '{_SQL_NUMBER_PATTERN}') "
            f"THEN '''' || {expression} ELSE {expression} END")
