"""What every kind of file shares: the `parsed` table built in SQL from the raw cells, and the row checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypedDict

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.terms import parse_terms
from forecasting.ingest import sqlexpr as X
from forecasting.ingest.fields import BOOL, DATE, MONEY, NUMBER, TERMS, fields_of
from forecasting.ingest.options import ImportOptions as Options
from forecasting.store.transaction import Tx

_TYPE_REASON = {
    DATE: "not a date (expected {fmt})",
    MONEY: "not an amount (expected e.g. 1234.56, 1 234,56 or -12,50)",
    NUMBER: "not a number",
    BOOL: "expected Yes/No, Oui/Non, True/False or 1/0",
    TERMS: 'unknown payment terms (expected e.g. "net 30", "45 days end of month", "on receipt")',
}
_FORMAT_HINT = {"%Y-%m-%d": "YYYY-MM-DD", "%d/%m/%Y": "DD/MM/YYYY", "%d/%m/%y": "DD/MM/YY", "%m/%d/%Y": "MM/DD/YYYY"}
NO_SUCH_DAY = "that month has no such day (expected {fmt})"  # 31/11/2026: written right, but not a day
# A date's parts as a format writes them, each within its range (a day 1-31, a month 1-12).
_DATE_PARTS = {"%d": "(0?[1-9]|[12][0-9]|3[01])", "%m": "(0?[1-9]|1[0-2])", "%Y": "[0-9]{4}", "%y": "[0-9]{2}"}


def _date_shape(fmt: str) -> str:
    """Return a regular expression matching what `fmt` writes with a day of 1-31 and a month of 1-12."""
    parts = re.split(r"(%[dmYy])", fmt)
    return "".join(_DATE_PARTS.get(p, re.escape(p)) for p in parts if p)


def _written_like_a_date(cell_sql: str, fmt: str) -> str:
    """Return SQL true when a cell is written as a date of `fmt` (or ISO), whether or not that day exists."""
    shapes = {_date_shape(fmt), _date_shape("%Y-%m-%d")}
    return " OR ".join(f"regexp_full_match({cell_sql}, {X.quote_literal(shape)})" for shape in sorted(shapes))


def case_map(cell_sql: str, words: dict[str, tuple[str, ...]]) -> str:
    """Return a CASE mapping the lowercase words of a trimmed cell to canonical values (NULL when unknown),
    accents ignored."""
    v = f"lower(strip_accents({cell_sql}))"  # the word lists are unaccented: 'Impôts' is 'impots'
    whens = " ".join(f"WHEN {v} IN {_lit(ws)} THEN {X.quote_literal(k)}" for k, ws in words.items())
    return f"CASE {whens} END"


def _lit(values: tuple[str, ...] | list[str]) -> str:
    """Return a SQL tuple of string literals."""
    return "(" + ", ".join(X.quote_literal(v) for v in values) + ")"


@dataclass(frozen=True)
class Check:
    """One row check over `parsed`: the rows matching `where` are errors in `column` (a header of the file)."""

    column: str
    value_sql: str
    reason: str
    where: str

    def rows_sql(self) -> str:
        """Return one SELECT producing the error rows (row, column, value, reason)."""
        return (
            f"SELECT _row AS row, {X.quote_literal(self.column)} AS \"column\", CAST({self.value_sql} AS VARCHAR) "
            f"AS value, {X.quote_literal(self.reason)} AS reason FROM parsed WHERE {self.where}"
        )

    def found_sql(self) -> str:
        """Return an aggregate over `parsed` that is non-zero when some row fails the check."""
        return f"count_if({self.where})"


@dataclass(frozen=True)
class DuplicateCheck:
    """A check flagging every row whose key (SQL over `parsed`) appears more than once in the file."""

    column: str
    key_sql: str
    what: str

    def rows_sql(self) -> str:
        """Return one SELECT producing the error rows, each naming all the rows of its key."""
        keyed = f"SELECT _row, CAST({self.key_sql} AS VARCHAR) AS k FROM parsed WHERE {self.key_sql} IS NOT NULL"
        # List the rows of the repeated keys only: an ordered string_agg over every key of a million-row
        # file costs seconds, while finding the repeated keys first is a plain count.
        repeated = f"SELECT k FROM ({keyed}) GROUP BY k HAVING count(*) > 1"
        return (
            f"SELECT p._row AS row, {X.quote_literal(self.column)} AS \"column\", p.k AS value, "
            f"'{self.what} appears more than once in the file (rows ' || d.rows || ')' AS reason "
            f"FROM ({keyed}) p JOIN (SELECT k, string_agg(CAST(_row AS VARCHAR), ', ' ORDER BY _row) AS rows "
            f"FROM ({keyed}) WHERE k IN ({repeated}) GROUP BY k) d ON d.k = p.k"
        )

    def found_sql(self) -> str:
        """Return an aggregate over `parsed` that is non-zero when some key is repeated."""
        key = f"CAST({self.key_sql} AS VARCHAR)"
        return f"count({key}) - count(DISTINCT {key})"


AnyCheck = Check | DuplicateCheck


class Conventions(TypedDict):
    """How a file writes its values: the date format, and per amount field whether it uses a decimal comma."""

    date_format: str
    decimal_comma: dict[str, bool]


class ParseStep(Protocol):
    """A kind's parse step: create `parsed` from `source` (the staged rows unless a view of the file is given)."""

    def __call__(self, tx: Tx, mapping: dict[str, str], conv: Conventions, opts: Options,
                 source: str = "raw_rows") -> None:
        """Create the `parsed` table from the rows of `source`."""


@dataclass(frozen=True)
class KindSpec:
    """The three steps that differ between kinds."""

    parse: ParseStep
    checks: Callable[[dict[str, str], Options, str], list[AnyCheck]]
    upsert: Callable[[Tx, Options], tuple[tuple[int, int, int], dict[str, int]]]
    upsert_reads_row: bool = False  # the upsert orders by `_row`: line numbers are needed even without errors


# --- generic parsing and checks ----------------------------------------------------------------
def _raw(mapping: dict[str, str], name: str) -> str:
    """Return the SQL for a field's raw text cell (NULL when the field is not mapped)."""
    return f"r.{X.quote_ident(mapping[name])}" if name in mapping else "CAST(NULL AS VARCHAR)"


def cell(mapping: dict[str, str], name: str) -> str:
    """Return the SQL for a field's trimmed cell, inside `create_parsed` (NULL when the field is not mapped)."""
    return f"r.{X.quote_ident(_CELL + name)}" if name in mapping else "CAST(NULL AS VARCHAR)"


_CELL = " cell:"  # prefix of the trimmed copies of the mapped cells: headers never start with a space


def _typed_exprs(kind: str, mapping: dict[str, str], conv: Conventions) -> dict[str, str]:
    """Return field -> SQL expression of its parsed value."""
    out: dict[str, str] = {}
    decimal_comma = conv["decimal_comma"]
    for f in fields_of(kind):
        raw = cell(mapping, f.name)
        if f.type == DATE:
            out[f.name] = X.parse_date(raw, conv["date_format"])
        elif f.type == MONEY:
            out[f.name] = X.parse_money(raw, decimal_comma.get(f.name, False))
        elif f.type == NUMBER:
            out[f.name] = X.parse_number(raw, decimal_comma.get(f.name, False))
        elif f.type == BOOL:
            out[f.name] = X.parse_bool(raw)
        elif f.type == TERMS:
            out[f.name] = "CAST(tm.label AS VARCHAR)"
        else:
            out[f.name] = X.clean_text(raw)
    return out


def create_parsed(tx: Tx, kind: str, mapping: dict[str, str], conv: Conventions, source: str,
                   derived: dict[str, str] | None = None) -> None:
    """Create the `parsed` table from `source` (`raw_rows` or a view of the file): `_row`, each field's raw text
    (`raw_<field>`) and parsed value."""
    typed = _typed_exprs(kind, mapping, conv) | (derived or {})
    has_terms = any(f.type == TERMS for f in fields_of(kind))
    join = ""
    if has_terms:
        _register_terms(tx, mapping, source)
        join = f" LEFT JOIN terms_map tm ON tm.raw = lower({cell(mapping, 'terms')})"
    raws = [f"{_raw(mapping, f.name)} AS {X.quote_ident('raw_' + f.name)}" for f in fields_of(kind)]
    values = [f"{expr} AS {X.quote_ident(name)}" for name, expr in typed.items()]
    # Each mapped cell is trimmed once, in a subquery, however many expressions read it.
    cells = [f"{X.trimmed(_raw(mapping, name))} AS {X.quote_ident(_CELL + name)}" for name in mapping]
    tx.execute(
        f"CREATE OR REPLACE TEMP TABLE parsed AS SELECT r._row, {', '.join(raws)}, {', '.join(values)} "
        f"FROM (SELECT r.*, {', '.join(cells)} FROM {source} r) r{join}"
    )


def _register_terms(tx: Tx, mapping: dict[str, str], source: str) -> None:
    """Parse each distinct terms text once in Python and expose raw -> canonical label as `terms_map`."""
    raws: list[str] = []
    if "terms" in mapping:
        raws = [v for v in tx.df(
            f"SELECT DISTINCT lower(trim({_raw(mapping, 'terms')})) AS v FROM {source} r"
        )["v"].dropna().tolist() if v]
    labels: list[str | None] = []
    for v in raws:
        try:
            labels.append(parse_terms(v).label())
        except InputError:
            labels.append(None)
    tx.register("terms_map", pd.DataFrame({"raw": pd.Series(raws, dtype=object), "label": pd.Series(labels, dtype=object)}))


def row_check(column: str, value_sql: str, reason: str, where: str) -> Check:
    """Return one row check (see Check)."""
    return Check(column, value_sql, reason, where)


def generic_checks(kind: str, mapping: dict[str, str], opts: Options, date_format: str) -> list[AnyCheck]:
    """Return the checks every kind shares: required fields present, typed cells readable."""
    checks: list[AnyCheck] = []
    hint = _FORMAT_HINT.get(date_format, date_format)
    for f in fields_of(kind):
        if f.name not in mapping:
            continue
        header, raw, val = mapping[f.name], X.quote_ident("raw_" + f.name), X.quote_ident(f.name)
        if f.required:
            checks.append(row_check(header, raw, f"missing {f.help or f.name.replace('_', ' ')}",
                                 f"{raw} IS NULL OR {X.trimmed(raw)} = ''"))
        if f.type in _TYPE_REASON:
            unread = f"{val} IS NULL AND {raw} IS NOT NULL AND {X.trimmed(raw)} <> ''"
            if f.type == DATE:  # a day that does not exist is told apart from a text that is no date at all
                shaped = _written_like_a_date(X.trimmed(raw), date_format)
                checks.append(row_check(header, raw, NO_SUCH_DAY.format(fmt=hint), f"{unread} AND ({shaped})"))
                unread = f"{unread} AND NOT ({shaped})"
            checks.append(row_check(header, raw, _TYPE_REASON[f.type].format(fmt=hint), unread))
    return checks


def duplicate_check(header: str, key_sql: str, what: str) -> DuplicateCheck:
    """Return a check flagging every row whose key appears more than once in the file."""
    return DuplicateCheck(header, key_sql, what)


def currency_checks(header: str) -> list[AnyCheck]:
    """Return checks that a currency is an ISO code with a known exchange rate."""
    return [
        # The reporting currency, most rows' own, is a valid code: testing it first spares them the pattern.
        row_check(header, "raw_currency", "not a currency code (expected 3 letters such as EUR, USD)",
               f"currency IS NOT NULL AND currency <> '{C.REPORTING_CURRENCY}' "
               "AND NOT regexp_matches(currency, '^[A-Z]{3}$')"),
        row_check(header, "raw_currency", "no exchange rate for this currency: import fx-rates first",
               f"currency <> '{C.REPORTING_CURRENCY}' AND regexp_matches(currency, '^[A-Z]{{3}}$') "
               "AND currency NOT IN (SELECT currency FROM fx_rates)"),
    ]

