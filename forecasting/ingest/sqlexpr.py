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


def trimmed(raw: str) -> str:
    """Return `trim(raw)`, skipping the call for the usual cell that has nothing to trim.

    DuckDB's trim also removes Unicode spaces (no-break spaces included), which makes it the most costly step
    of parsing (~0.15 s per million cells). An ASCII-only cell (as many bytes as characters) that neither
    starts nor ends with a space is left unchanged by trim, and those checks cost a fraction of it.
    """
    return (f"CASE WHEN strlen({raw}) = length({raw}) AND NOT prefix({raw}, ' ') AND NOT suffix({raw}, ' ') "
            f"THEN {raw} ELSE trim({raw}) END")


# The parsers below take `cell`: the SQL of a cell's text already trimmed (see `trimmed`), computed once per
# cell even when a parser uses it several times.
def clean_text(cell: str) -> str:
    """Return the text, NULL when empty."""
    return f"NULLIF({cell}, '')"


def parse_money(cell: str, decimal_comma: bool) -> str:
    """Return a DECIMAL(18,2) from '1 234,56', '1.234,56', '1,234.56', '(12.50)' or '12.50-'; NULL if unreadable."""
    # Drop spaces (incl. French non-breaking ones) and currency signs; accounting negatives become '-'.
    v = f"regexp_replace({cell}, '[\\s\u00a0\u202f€$£]', '', 'g')"
    v = f"regexp_replace({v}, '^\\((.*)\\)$', '-\\1')"
    v = f"regexp_replace({v}, '^(.*)-$', '-\\1')"
    # The thousands separator must group digits by three: with a decimal dot, '12,50' is an error rather
    # than 1250 (and '12.5' with a decimal comma rather than 125), so a misread column never scales silently.
    sep, grouped = ("'.'", "'[+-]?\\d{1,3}(\\.\\d{3})+(,\\d*)?'") if decimal_comma else (
        "','", "'[+-]?\\d{1,3}(,\\d{3})+(\\.\\d*)?'")
    number = f"replace(replace({v}, '.', ''), ',', '.')" if decimal_comma else f"replace({v}, ',', '')"
    general = (f"CASE WHEN contains({v}, {sep}) AND NOT regexp_full_match({v}, {grouped}) THEN NULL "
               f"ELSE TRY_CAST(NULLIF({number}, '') AS DECIMAL(18,2)) END")
    # Fast path for plain numbers ("1234.56", or "1234,56" with a decimal comma), which are most cells:
    # the regular expressions above cost ~1 s per million rows. It gives the general path's result
    # whenever it succeeds (a plain number has nothing for the replacements to remove).
    plain = f"replace({cell}, ',', '.')" if decimal_comma else cell
    fast = f"TRY_CAST({plain} AS DECIMAL(18,2))"
    if decimal_comma:
        fast = f"CASE WHEN NOT contains({cell}, '.') THEN {fast} END"  # '1.234' is a thousand here
    # Not COALESCE: DuckDB would hoist the general path's repeated subexpressions and run them on every cell.
    return f"CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE {general} END"


def parse_number(cell: str, decimal_comma: bool) -> str:
    """Return a DOUBLE from text written with a decimal comma or dot; NULL if unreadable or not finite.

    DuckDB reads 'inf', 'infinity' and 'nan' as doubles: none is a number a user means, and one infinite exchange
    rate made every forecast's JSON hold Infinity, so they read as unreadable (the row is refused, named).
    """
    v = f"replace({cell}, ' ', '')"
    v = f"replace({v}, ',', '.')" if decimal_comma else f"replace({v}, ',', '')"
    number = f"TRY_CAST(NULLIF({v}, '') AS DOUBLE)"
    return f"CASE WHEN isfinite({number}) THEN {number} END"


def parse_date(cell: str, fmt: str) -> str:
    """Return a DATE read with `fmt` (ISO is always accepted too); NULL if unreadable."""
    v = cell
    iso = f"TRY_CAST(TRY_STRPTIME(left({v}, 10), {quote_literal(ISO_DATE)}) AS DATE)"
    if fmt == ISO_DATE:
        # Fast path for "2026-03-04" (most cells): a plain cast is ~4x cheaper than strptime; limited to
        # 10 characters with '-' after the year, where it accepts exactly what strptime accepts.
        fast = f"CASE WHEN length({v}) = 10 AND substr({v}, 5, 1) = '-' THEN TRY_CAST({v} AS DATE) END"
        return f"CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE {iso} END"
    return f"COALESCE(TRY_CAST(TRY_STRPTIME({v}, {quote_literal(fmt)}) AS DATE), {iso})"


def iso_date_text(date_sql: str) -> str:
    """Return the SQL of a DATE as the text strftime(date, '%Y-%m-%d') gives, at about a third of its cost.

    A cast gives that text for every date from year 1 on (checked for each day of years 1 to 9999 and a sample up
    to year 283787); before year 1 it writes '0001-01-01 (BC)' where strftime writes '0000-01-01', so those dates
    keep strftime: the ids built from dates must not change, or a re-import would duplicate what it matched.
    """
    return (f"CASE WHEN {date_sql} >= DATE '0001-01-01' THEN CAST({date_sql} AS VARCHAR) "
            f"ELSE strftime({date_sql}, '%Y-%m-%d') END")


def parse_bool(cell: str) -> str:
    """Return a BOOLEAN from Yes/No, Oui/Non, True/False, 1/0 (empty is false); NULL if unreadable."""
    v = f"lower(COALESCE({cell}, ''))"
    true = ", ".join(quote_literal(t) for t in BOOL_TRUE)
    false = ", ".join(quote_literal(f) for f in (*BOOL_FALSE, ""))
    return f"CASE WHEN {v} IN ({true}) THEN true WHEN {v} IN ({false}) THEN false END"
