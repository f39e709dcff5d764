"""SQL expressions that parse raw text cells inside DuckDB, so a million rows never go through Python."""

from __future__ import annotations

from forecasting.ingest.detect import ISO_DATE
from forecasting.ingest.fields import BOOL_FALSE, BOOL_TRUE


def quote_ident(name: str) -> str:
    """Return a column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """Return a string literal for SQL."""
    return "'" + text.replace("'", "''") + "'"


def clean_text(raw: str) -> str:
    """Return trimmed text, NULL when empty."""
    return f"NULLIF(trim({raw}), '')"


def parse_money(raw: str, decimal_comma: bool) -> str:
    """Return a DECIMAL(18,2) from '1 234,56', '1.234,56', '1,234.56', '(12.50)' or '12.50-'; NULL if unreadable."""
    # Drop spaces (incl. French non-breaking ones) and currency signs; accounting negatives become '-'.
    v = f"regexp_replace(trim({raw}), '[\\s\u00a0\u202f€$£]', '', 'g')"
    v = f"regexp_replace({v}, '^\\((.*)\\)$', '-\\1')"
    v = f"regexp_replace({v}, '^(.*)-$', '-\\1')"
    v = f"replace(replace({v}, '.', ''), ',', '.')" if decimal_comma else f"replace({v}, ',', '')"
    return f"TRY_CAST(NULLIF({v}, '') AS DECIMAL(18,2))"


def parse_number(raw: str, decimal_comma: bool) -> str:
    """Return a DOUBLE from text written with a decimal comma or dot; NULL if unreadable."""
    v = f"replace(trim({raw}), ' ', '')"
    v = f"replace({v}, ',', '.')" if decimal_comma else f"replace({v}, ',', '')"
    return f"TRY_CAST(NULLIF({v}, '') AS DOUBLE)"


def parse_date(raw: str, fmt: str) -> str:
    """Return a DATE read with `fmt` (ISO is always accepted too); NULL if unreadable."""
    v = f"trim({raw})"
    iso = f"TRY_CAST(TRY_STRPTIME(left({v}, 10), {quote_literal(ISO_DATE)}) AS DATE)"
    if fmt == ISO_DATE:
        return iso
    return f"COALESCE(TRY_CAST(TRY_STRPTIME({v}, {quote_literal(fmt)}) AS DATE), {iso})"


def parse_bool(raw: str) -> str:
    """Return a BOOLEAN from Yes/No, Oui/Non, True/False, 1/0 (empty is false); NULL if unreadable."""
    v = f"lower(trim(COALESCE({raw}, '')))"
    true = ", ".join(quote_literal(t) for t in BOOL_TRUE)
    false = ", ".join(quote_literal(f) for f in (*BOOL_FALSE, ""))
    return f"CASE WHEN {v} IN ({true}) THEN true WHEN {v} IN ({false}) THEN false END"
