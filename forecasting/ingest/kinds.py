"""Per kind of file: how rows are parsed, which checks apply, and how they are written (upsert)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError, KeyRepeated
from forecasting.core.terms import due_dates_for, parse_terms
from forecasting.ingest import sqlexpr as X
from forecasting.ingest.fields import BOOL, DATE, MONEY, NUMBER, TERMS, TEXT, fields_of
from forecasting.ingest.options import ImportOptions as Options
from forecasting.store.schema import CODE_KEYS
from forecasting.store.transaction import Tx

_TYPE_REASON = {
    DATE: "not a date (expected {fmt})",
    MONEY: "not an amount (expected e.g. 1234.56, 1 234,56 or -12,50)",
    NUMBER: "not a number",
    BOOL: "expected Yes/No, Oui/Non, True/False or 1/0",
    TERMS: 'unknown payment terms (expected e.g. "net 30", "45 days end of month", "on receipt")',
}
_FORMAT_HINT = {"%Y-%m-%d": "YYYY-MM-DD", "%d/%m/%Y": "DD/MM/YYYY", "%d/%m/%y": "DD/MM/YY", "%m/%d/%Y": "MM/DD/YYYY"}

SIDE_WORDS = {
    C.RECEIVABLE: ("receivable", "receivables", "client", "customer", "c", "r", "vente", "ventes", "encaissement", "ar"),
    C.PAYABLE: ("payable", "payables", "supplier", "vendor", "fournisseur", "f", "p", "s", "achat", "achats",
                "decaissement", "ap"),
}
KIND_WORDS = {
    C.CLIENT: ("client", "customer", "c", "clients", "customers"),
    C.SUPPLIER: ("supplier", "fournisseur", "vendor", "f", "s", "suppliers", "fournisseurs"),
}
CATEGORY_WORDS = {
    "payroll": ("payroll", "salaries", "salaires", "paie", "wages"),
    "social": ("social", "social charges", "charges sociales", "urssaf", "cotisations"),
    "vat": ("vat", "tva"),
    "tax": ("tax", "taxes", "impots", "impot", "is", "corporate tax", "cfe"),
    "rent": ("rent", "loyer", "loyers"),
    "loan": ("loan", "emprunt", "remboursement emprunt", "debt", "loan repayment"),
    "capex": ("capex", "investissement", "investissements", "investment"),
    "financing": ("financing", "financement", "drawdown", "tirage", "apport"),
    "other": ("other", "autre", "autres", "divers"),
}
RECURRENCE_WORDS = {
    "none": ("none", "once", "one-off", "one off", "aucune", "ponctuel", "unique", ""),
    "weekly": ("weekly", "hebdomadaire", "hebdo", "week"),
    "monthly": ("monthly", "mensuel", "mensuelle", "month", "mois"),
    "quarterly": ("quarterly", "trimestriel", "trimestrielle", "quarter", "trimestre"),
    "yearly": ("yearly", "annual", "annuel", "annuelle", "year", "an"),
}


def _case_map(cell: str, words: dict[str, tuple[str, ...]]) -> str:
    """Return a CASE mapping the lowercase words of a trimmed cell to canonical values (NULL when unknown),
    accents ignored."""
    v = f"lower(strip_accents({cell}))"  # the word lists are unaccented: 'Impôts' is 'impots'
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


@dataclass(frozen=True)
class KindSpec:
    """The three steps that differ between kinds."""

    parse: Callable[[Tx, dict[str, str], dict[str, object], Options, str], None]  # ..., source relation
    checks: Callable[[dict[str, str], Options, str], list[AnyCheck]]
    upsert: Callable[[Tx, Options], tuple[tuple[int, int, int], dict[str, int]]]
    upsert_reads_row: bool = False  # the upsert orders by `_row`: line numbers are needed even without errors


# --- generic parsing and checks ----------------------------------------------------------------
def _raw(mapping: dict[str, str], name: str) -> str:
    """Return the SQL for a field's raw text cell (NULL when the field is not mapped)."""
    return f"r.{X.quote_ident(mapping[name])}" if name in mapping else "CAST(NULL AS VARCHAR)"


def _cell(mapping: dict[str, str], name: str) -> str:
    """Return the SQL for a field's trimmed cell, inside `_create_parsed` (NULL when the field is not mapped)."""
    return f"r.{X.quote_ident(_CELL + name)}" if name in mapping else "CAST(NULL AS VARCHAR)"


_CELL = " cell:"  # prefix of the trimmed copies of the mapped cells: headers never start with a space


def _typed_exprs(kind: str, mapping: dict[str, str], conv: dict[str, object]) -> dict[str, str]:
    """Return field -> SQL expression of its parsed value."""
    out: dict[str, str] = {}
    decimal_comma: dict[str, bool] = conv["decimal_comma"]  # type: ignore[assignment]
    for f in fields_of(kind):
        raw = _cell(mapping, f.name)
        if f.type == DATE:
            out[f.name] = X.parse_date(raw, str(conv["date_format"]))
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


def _create_parsed(tx: Tx, kind: str, mapping: dict[str, str], conv: dict[str, object], source: str,
                   derived: dict[str, str] | None = None) -> None:
    """Create the `parsed` table from `source` (`raw_rows` or a view of the file): `_row`, each field's raw text
    (`raw_<field>`) and parsed value."""
    typed = _typed_exprs(kind, mapping, conv) | (derived or {})
    has_terms = any(f.type == TERMS for f in fields_of(kind))
    join = ""
    if has_terms:
        _register_terms(tx, mapping, source)
        join = f" LEFT JOIN terms_map tm ON tm.raw = lower({_cell(mapping, 'terms')})"
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
    labels = []
    for v in raws:
        try:
            labels.append(parse_terms(v).label())
        except InputError:
            labels.append(None)
    tx.register("terms_map", pd.DataFrame({"raw": pd.Series(raws, dtype=object), "label": pd.Series(labels, dtype=object)}))


def _error(column: str, value_sql: str, reason: str, where: str) -> Check:
    """Return one row check (see Check)."""
    return Check(column, value_sql, reason, where)


def _generic_checks(kind: str, mapping: dict[str, str], opts: Options, date_format: str) -> list[AnyCheck]:
    """Return the checks every kind shares: required fields present, typed cells readable."""
    checks: list[AnyCheck] = []
    hint = _FORMAT_HINT.get(date_format, date_format)
    for f in fields_of(kind):
        if f.name not in mapping:
            continue
        header, raw, val = mapping[f.name], X.quote_ident("raw_" + f.name), X.quote_ident(f.name)
        if f.required:
            checks.append(_error(header, raw, f"missing {f.help or f.name.replace('_', ' ')}",
                                 f"{raw} IS NULL OR {X.trimmed(raw)} = ''"))
        if f.type in _TYPE_REASON:
            reason = _TYPE_REASON[f.type].format(fmt=hint)
            checks.append(_error(header, raw, reason,
                                 f"{val} IS NULL AND {raw} IS NOT NULL AND {X.trimmed(raw)} <> ''"))
    return checks


def _duplicate_check(header: str, key_sql: str, what: str) -> DuplicateCheck:
    """Return a check flagging every row whose key appears more than once in the file."""
    return DuplicateCheck(header, key_sql, what)


def _currency_checks(header: str) -> list[AnyCheck]:
    """Return checks that a currency is an ISO code with a known exchange rate."""
    return [
        # The reporting currency, most rows' own, is a valid code: testing it first spares them the pattern.
        _error(header, "raw_currency", "not a currency code (expected 3 letters such as EUR, USD)",
               f"currency IS NOT NULL AND currency <> '{C.REPORTING_CURRENCY}' "
               "AND NOT regexp_matches(currency, '^[A-Z]{3}$')"),
        _error(header, "raw_currency", "no exchange rate for this currency: import fx-rates first",
               f"currency <> '{C.REPORTING_CURRENCY}' AND regexp_matches(currency, '^[A-Z]{{3}}$') "
               "AND currency NOT IN (SELECT currency FROM fx_rates)"),
    ]


# --- upsert with counts --------------------------------------------------------------------------
def upsert(tx: Tx, target: str, staged_sql: str, keys: list[str], values: list[str],
           scope: str = "true") -> tuple[int, int, int]:
    """Write staged rows into `target` by key; return (inserted, updated, unchanged).

    `scope` is a condition that every target row a staged row could match satisfies (e.g. its source): when
    no target row satisfies it, every staged row is new and goes in by a plain insert, without the pass that
    compares them with the target (the first import of a big file). A table whose key the schema does not
    declare (CODE_KEYS) has it checked within `scope` once new rows are in: a repeated key fails the write.
    """
    cols = ", ".join([*keys, *values])
    if not tx.scalar(f"SELECT EXISTS (SELECT 1 FROM {target} WHERE {scope})"):
        select = f"SELECT {cols} FROM ({staged_sql}) s"
        if not tx.scalar(f"SELECT EXISTS (SELECT 1 FROM {target})"):
            inserted = tx.insert_into_empty(target, cols, select)
        else:
            inserted = int(tx.scalar(f"INSERT INTO {target} ({cols}) {select}"))
        if inserted and target in CODE_KEYS:
            tx.check_key(target, scope)
        return inserted, 0, 0
    on = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    differs = " OR ".join(f"s.{v} IS DISTINCT FROM t.{v}" for v in values) or "false"
    # One pass over the staged rows tells new, changed and unchanged ones apart.
    tx.execute(
        f"CREATE OR REPLACE TEMP TABLE changes AS SELECT s.*, t.{keys[0]} IS NULL AS _is_new, "
        f"t.{keys[0]} IS NOT NULL AND ({differs}) AS _is_updated FROM ({staged_sql}) s LEFT JOIN {target} t ON {on}"
    )
    total, inserted, updated = tx.row(
        "SELECT count(*), count(*) FILTER (WHERE _is_new), count(*) FILTER (WHERE _is_updated) FROM changes"
    )
    if inserted:
        tx.execute(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM changes WHERE _is_new")
    if updated:  # in place, by key: needs no primary key (nor pays INSERT OR REPLACE's delete and insert)
        # Two staged rows of one known key: the UPDATE would keep either, silently (and how DuckDB counts such
        # an UPDATE changed between releases), so they are looked for before it.
        key_list = ", ".join(keys)
        repeated = int(tx.scalar(f"SELECT count(*) FROM (SELECT 1 FROM changes WHERE NOT _is_new GROUP BY {key_list} "
                                 "HAVING count(*) > 1)"))
        if repeated:
            raise KeyRepeated(f"{target}: {repeated} staged key(s) update a row that another one updates "
                              "too (a key repeated); nothing was written")
        matched = " AND ".join(f"t.{k} = c.{k}" for k in keys)
        assigned = ", ".join(f"{v} = c.{v}" for v in values)
        tx.execute(f"UPDATE {target} AS t SET {assigned} FROM changes c WHERE {matched} AND c._is_updated")
    if inserted and target in CODE_KEYS:
        tx.check_key(target, scope)
    return int(inserted), int(updated), int(total - inserted - updated)


def status_sql(paid: str, amount: str) -> str:
    """Return 'paid' or 'open' for an invoice of `amount` with `paid` received (NULL: nothing)."""
    return (f"CASE WHEN COALESCE({paid}, 0) >= {amount} - 0.005 AND {amount} > 0 "
            f"OR ({amount} <= 0 AND COALESCE({paid}, 0) <= {amount} + 0.005) THEN 'paid' ELSE 'open' END")


def refresh_status(tx: Tx, table: str, side: str) -> None:
    """Recompute open/paid from payments (written-off invoices keep their status)."""
    tx.execute(
        f"UPDATE {table} AS t SET status = n.status FROM ("
        f"SELECT i.source, i.invoice_id, {status_sql('p.paid', 'i.amount_ttc')} AS status "
        f"FROM {table} i LEFT JOIN (SELECT source, invoice_id, sum(amount) AS paid FROM payments WHERE side = '{side}' "
        f"GROUP BY 1, 2) p USING (source, invoice_id) WHERE i.status <> 'written_off') n "
        f"WHERE t.source = n.source AND t.invoice_id = n.invoice_id AND t.status <> n.status"
    )


# --- receivables and payables ----------------------------------------------------------------------
def _invoice_parse(tx: Tx, mapping: dict[str, str], conv: dict[str, object], opts: Options,
                   source: str = "raw_rows") -> None:
    """Parse invoice rows; the counterparty code falls back on its name; due dates come from terms if missing."""
    derived = {
        "counterparty_id": f"COALESCE({X.clean_text(_cell(mapping, 'counterparty_id'))}, "
                           f"{X.clean_text(_cell(mapping, 'counterparty_name'))})",
        "currency": f"COALESCE(upper({X.clean_text(_cell(mapping, 'currency'))}), '{C.REPORTING_CURRENCY}')",
    }
    _create_parsed(tx, opts.kind, mapping, conv, source, derived)
    _fill_due_dates(tx, opts)


def _fill_due_dates(tx: Tx, opts: Options) -> None:
    """Compute missing due dates from the row's terms, else the counterparty's, else the default terms."""
    kind = C.CLIENT if opts.kind == "receivables" else C.SUPPLIER
    default = X.quote_literal(parse_terms(opts.default_terms).label()) if opts.default_terms else "NULL"
    todo = tx.df(
        "SELECT p.rowid AS _rid, p.issue_date, COALESCE(p.terms, c.terms, " + default + ") AS terms FROM parsed p "
        "LEFT JOIN counterparties c ON c.counterparty_id = p.counterparty_id AND c.kind = ? "
        "WHERE p.due_date IS NULL AND p.raw_due_date IS NULL AND p.issue_date IS NOT NULL "
        "AND COALESCE(p.terms, c.terms, " + default + ") IS NOT NULL",
        [kind],
    )
    if todo.empty:
        return
    todo["due"] = pd.to_datetime(due_dates_for(pd.to_datetime(todo["issue_date"]), todo["terms"]))
    tx.register("computed_due", todo[["_rid", "due", "terms"]])
    tx.execute(
        "UPDATE parsed SET due_date = CAST(c.due AS DATE), terms = COALESCE(parsed.terms, c.terms) "
        "FROM computed_due c WHERE parsed.rowid = c._rid"  # rowid: `_row` may not be known yet (see pipeline)
    )


def _invoice_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of an invoice file."""
    m = mapping.get
    checks = _generic_checks(opts.kind, mapping, opts, date_format)
    who = m("counterparty_id") or m("counterparty_name") or "counterparty"
    checks.append(_error(who, "NULL", "missing client or supplier (neither code nor name)", "counterparty_id IS NULL"))
    checks.append(_error(
        m("due_date") or m("issue_date") or "due_date", "NULL",
        "no due date, and no payment terms to compute it (add a due date or terms column, or import counterparties "
        "with their terms first)",
        "due_date IS NULL AND raw_due_date IS NULL AND issue_date IS NOT NULL",
    ))
    if "due_date" in mapping:
        checks.append(_error(mapping["due_date"], "raw_due_date", "due date is before the invoice date",
                             "due_date < issue_date"))
    if "paid_amount" in mapping:
        checks.append(_error(mapping["paid_amount"], "raw_paid_amount", "paid amount given without a paid date",
                             "paid_amount IS NOT NULL AND paid_amount <> 0 AND paid_date IS NULL"))
    checks.append(_duplicate_check(m("invoice_id", "invoice_id"), "invoice_id", "this invoice number"))
    checks += _currency_checks(m("currency", "currency"))
    return checks


def _invoice_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert counterparties (missing details only), invoices, then the payments the file carries."""
    table, side = ("receivables", C.RECEIVABLE) if opts.kind == "receivables" else ("payables", C.PAYABLE)
    kind = C.KIND_OF_SIDE[side]
    src = X.quote_literal(opts.source)
    known_before = int(tx.scalar("SELECT count(*) FROM counterparties"))
    tx.execute(
        "INSERT INTO counterparties (counterparty_id, kind, name, segment, terms, currency, entity) "
        f"SELECT counterparty_id, '{kind}', any_value(counterparty_name), any_value(segment), any_value(terms), "
        "any_value(currency), any_value(entity) FROM parsed p WHERE NOT EXISTS (SELECT 1 FROM counterparties c "
        f"WHERE c.counterparty_id = p.counterparty_id AND c.kind = '{kind}') GROUP BY counterparty_id"
    )
    # Into an empty table with no payments of this side and source yet (a first import), every invoice is
    # new and its only payment is the one on its own row: its status is known at insert time, and
    # refresh_status (a pass over the whole table and its payments) would change nothing.
    paid_now = "CASE WHEN p.paid_date IS NOT NULL THEN CAST(COALESCE(p.paid_amount, p.amount) AS DECIMAL(18,2)) END"
    first = not tx.scalar(f"SELECT EXISTS (SELECT 1 FROM {table}) "
                          f"OR EXISTS (SELECT 1 FROM payments WHERE side = '{side}' AND source = {src})")
    status = status_sql(paid_now, "CAST(p.amount AS DECIMAL(18,2))") if first else "COALESCE(t.status, 'open')"
    join = "" if first else f" LEFT JOIN {table} t ON t.source = {src} AND t.invoice_id = p.invoice_id"
    counts = upsert(
        tx, table,
        f"SELECT {src} AS source, p.invoice_id, p.counterparty_id, p.entity, p.issue_date, p.due_date, "
        "CAST(p.amount AS DECIMAL(18,2)) AS amount_ttc, p.currency, COALESCE(p.disputed, false) AS disputed, p.terms, "
        f"{status} AS status FROM parsed p{join}",
        ["source", "invoice_id"],
        ["counterparty_id", "entity", "issue_date", "due_date", "amount_ttc", "currency", "disputed", "terms",
         "status"],
        f"source = {src}",
    )
    removed = 0 if first else _remove_superseded_row_payments(tx, src, side)
    pay = upsert(
        tx, "payments",
        f"SELECT {src} AS source, '{side}' AS side, {_row_payment_id()} "
        "AS payment_id, invoice_id, paid_date AS payment_date, "
        "CAST(COALESCE(paid_amount, amount) AS DECIMAL(18,2)) AS amount FROM parsed WHERE paid_date IS NOT NULL",
        ["source", "side", "payment_id"], ["invoice_id", "payment_date", "amount"],
        f"source = {src} AND side = '{side}'",
    )
    if not first:
        refresh_status(tx, table, side)
    new_counterparties = int(tx.scalar("SELECT count(*) FROM counterparties")) - known_before
    return counts, {"payments inserted": pay[0], "payments updated": pay[1], "payments removed": removed,
                    "counterparties added": new_counterparties}


def _row_payment_id(row: str = "") -> str:
    """Return the SQL of the id of the payment an invoice row carries: 'inv:<invoice>:<YYYY-MM-DD>'."""
    return f"'inv:' || {row}invoice_id || ':' || {X.iso_date_text(row + 'paid_date')}"


def _remove_superseded_row_payments(tx: Tx, src: str, side: str) -> int:
    """Delete the payments earlier imports of the file's invoice rows created that the rows no longer carry.

    A corrected paid date gives the row's payment a new id; without this the old one stayed and the invoice was
    paid twice. An emptied paid date removes the row's payment. Payments imported from a payments file (their
    own ids) are not the row's and stay. Returns how many were removed.
    """
    prefix = "'inv:' || p.invoice_id || ':'"
    superseded = (
        f"pay.source = {src} AND pay.side = '{side}' AND EXISTS (SELECT 1 FROM parsed p "
        f"WHERE p.invoice_id = pay.invoice_id AND starts_with(pay.payment_id, {prefix}) "
        f"AND length(pay.payment_id) = length({prefix}) + 10 "  # + the ISO date: the row's own payment
        f"AND pay.payment_id IS DISTINCT FROM (CASE WHEN p.paid_date IS NOT NULL "
        f"THEN {_row_payment_id('p.')} END))"
    )
    removed = int(tx.scalar(f"SELECT count(*) FROM payments pay WHERE {superseded}"))
    if removed:
        tx.execute(f"DELETE FROM payments pay WHERE {superseded}")
    return removed


# --- payments -------------------------------------------------------------------------------------
def _payments_parse(tx: Tx, mapping: dict[str, str], conv: dict[str, object], opts: Options,
                    source: str = "raw_rows") -> None:
    """Parse payment rows; the side defaults to receivable."""
    side = _case_map(_cell(mapping, "side"), SIDE_WORDS)
    derived = {"side": f"CASE WHEN {X.clean_text(_cell(mapping, 'side'))} IS NULL THEN '{C.RECEIVABLE}' ELSE {side} END"}
    _create_parsed(tx, "payments", mapping, conv, source, derived)


def _payments_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a payments file: the invoice must be known on its side."""
    checks = _generic_checks("payments", mapping, opts, date_format)
    if "side" in mapping:
        checks.append(_error(mapping["side"], "raw_side", "expected receivable/client or payable/supplier",
                             "side IS NULL"))
    src = X.quote_literal(opts.source)
    checks.append(_error(
        mapping["invoice_id"], "raw_invoice_id", "unknown invoice (import the invoices first)",
        f"invoice_id IS NOT NULL AND NOT ((side = '{C.RECEIVABLE}' AND invoice_id IN (SELECT invoice_id FROM "
        f"receivables WHERE source = {src})) OR (side = '{C.PAYABLE}' AND invoice_id IN (SELECT invoice_id FROM "
        f"payables WHERE source = {src})))",
    ))
    if "payment_id" in mapping:
        checks.append(_duplicate_check(mapping["payment_id"], "payment_id", "this payment id"))
    return checks


def _payments_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert payments; without a payment id, invoice + date + amount (+ occurrence) identifies one."""
    src = X.quote_literal(opts.source)
    counts = upsert(
        tx, "payments",
        f"SELECT {src} AS source, side, COALESCE(payment_id, 'pay:' || invoice_id || ':' || "
        f"{X.iso_date_text('paid_date')} || ':' || CAST(paid_amount AS VARCHAR) || ':' || "
        "CAST(row_number() OVER (PARTITION BY side, invoice_id, paid_date, paid_amount ORDER BY _row) AS VARCHAR)) "
        "AS payment_id, invoice_id, paid_date AS payment_date, CAST(paid_amount AS DECIMAL(18,2)) AS amount FROM parsed",
        ["source", "side", "payment_id"], ["invoice_id", "payment_date", "amount"], f"source = {src}",
    )
    refresh_status(tx, "receivables", C.RECEIVABLE)
    refresh_status(tx, "payables", C.PAYABLE)
    return counts, {}


# --- bank balances ----------------------------------------------------------------------------------
def _balances_parse(tx: Tx, mapping: dict[str, str], conv: dict[str, object], opts: Options,
                    source: str = "raw_rows") -> None:
    """Parse bank balance rows."""
    derived = {"currency": f"COALESCE(upper({X.clean_text(_cell(mapping, 'currency'))}), '{C.REPORTING_CURRENCY}')"}
    _create_parsed(tx, "bank-balances", mapping, conv, source, derived)


def _balances_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a bank balances file."""
    checks = _generic_checks("bank-balances", mapping, opts, date_format)
    checks.append(_duplicate_check(mapping["balance_date"], "account_id || ' ' || CAST(balance_date AS VARCHAR)",
                                   "this account and date"))
    if "overdraft_limit" in mapping:
        checks.append(_error(mapping["overdraft_limit"], "raw_overdraft_limit",
                             "overdraft limit must be a positive amount (what the bank allows below zero)",
                             "overdraft_limit < 0"))
    return checks


def _balances_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert accounts (details given in the file win) and balances."""
    accounts = upsert(
        tx, "bank_accounts",
        "SELECT p.account_id, COALESCE(any_value(p.account_name), any_value(a.name)) AS name, "
        "COALESCE(any_value(p.bank), any_value(a.bank)) AS bank, "
        "COALESCE(any_value(p.currency), any_value(a.currency), 'EUR') AS currency, "
        "COALESCE(max(p.overdraft_limit), any_value(a.overdraft_limit), 0) AS overdraft_limit "
        "FROM parsed p LEFT JOIN bank_accounts a USING (account_id) GROUP BY p.account_id",
        ["account_id"], ["name", "bank", "currency", "overdraft_limit"],
    )
    counts = upsert(
        tx, "bank_balances", "SELECT account_id, balance_date, CAST(balance AS DECIMAL(18,2)) AS balance FROM parsed",
        ["account_id", "balance_date"], ["balance"],
    )
    return counts, {"accounts inserted": accounts[0], "accounts updated": accounts[1]}


# --- planned flows ----------------------------------------------------------------------------------
def _flows_parse(tx: Tx, mapping: dict[str, str], conv: dict[str, object], opts: Options,
                 source: str = "raw_rows") -> None:
    """Parse planned flows; the id defaults to label + first date."""
    cat_raw, rec_raw = _cell(mapping, "category"), _cell(mapping, "recurrence")
    derived = {
        "category": f"CASE WHEN {X.clean_text(cat_raw)} IS NULL THEN 'other' ELSE {_case_map(cat_raw, CATEGORY_WORDS)} END",
        "recurrence": f"CASE WHEN {X.clean_text(rec_raw)} IS NULL THEN 'none' ELSE {_case_map(rec_raw, RECURRENCE_WORDS)} END",
        "currency": f"COALESCE(upper({X.clean_text(_cell(mapping, 'currency'))}), '{C.REPORTING_CURRENCY}')",
    }
    _create_parsed(tx, "planned-flows", mapping, conv, source, derived)
    tx.execute(f"UPDATE parsed SET flow_id = label || ' | ' || {X.iso_date_text('first_date')} "
               "WHERE flow_id IS NULL AND label IS NOT NULL AND first_date IS NOT NULL")


def _flows_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a planned flows file."""
    m = mapping.get
    checks = _generic_checks("planned-flows", mapping, opts, date_format)
    checks.append(_error(m("category", "category"), "raw_category",
                         "unknown category (expected payroll, social, vat, tax, rent, loan, capex, financing, other)",
                         "category IS NULL"))
    checks.append(_error(m("recurrence", "recurrence"), "raw_recurrence",
                         "unknown recurrence (expected none, weekly, monthly, quarterly, yearly)", "recurrence IS NULL"))
    if "end_date" in mapping:
        checks.append(_error(mapping["end_date"], "raw_end_date", "end date is before the first date",
                             "end_date < first_date"))
    checks.append(_duplicate_check(m("flow_id") or m("label", "label"), "flow_id", "this flow (label and date)"))
    checks += _currency_checks(m("currency", "currency"))
    return checks


def _flows_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert planned flows by id."""
    counts = upsert(
        tx, "planned_flows",
        "SELECT flow_id, label, category, account_id, CAST(amount AS DECIMAL(18,2)) AS amount, currency, first_date, "
        "recurrence, end_date FROM parsed",
        ["flow_id"], ["label", "category", "account_id", "amount", "currency", "first_date", "recurrence", "end_date"],
    )
    return counts, {}


# --- counterparties ---------------------------------------------------------------------------------
def _cp_parse(tx: Tx, mapping: dict[str, str], conv: dict[str, object], opts: Options,
              source: str = "raw_rows") -> None:
    """Parse counterparty rows; kind words in English or French."""
    derived = {
        "kind": _case_map(_cell(mapping, "kind"), KIND_WORDS),
        "currency": f"upper({X.clean_text(_cell(mapping, 'currency'))})",
    }
    _create_parsed(tx, "counterparties", mapping, conv, source, derived)


def _cp_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a counterparties file."""
    checks = _generic_checks("counterparties", mapping, opts, date_format)
    checks.append(_error(mapping["kind"], "raw_kind", "unknown counterparty kind (expected client or supplier)",
                         "raw_kind IS NOT NULL AND trim(raw_kind) <> '' AND kind IS NULL"))
    if "credit_limit" in mapping:
        checks.append(_error(mapping["credit_limit"], "raw_credit_limit", "credit limit cannot be negative",
                             "credit_limit < 0"))
    checks.append(_duplicate_check(mapping["counterparty_id"], "kind || ' ' || counterparty_id", "this counterparty"))
    return checks


def _cp_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert counterparties: what the file gives wins, what it leaves empty is kept."""
    counts = upsert(
        tx, "counterparties",
        "SELECT p.counterparty_id, p.kind, COALESCE(p.counterparty_name, c.name) AS name, "
        "COALESCE(p.segment, c.segment) AS segment, COALESCE(p.terms, c.terms) AS terms, "
        "CAST(COALESCE(p.credit_limit, c.credit_limit) AS DECIMAL(18,2)) AS credit_limit, "
        "COALESCE(p.currency, c.currency) AS currency, COALESCE(p.entity, c.entity) AS entity "
        "FROM parsed p LEFT JOIN counterparties c USING (counterparty_id, kind)",
        ["counterparty_id", "kind"], ["name", "segment", "terms", "credit_limit", "currency", "entity"],
    )
    return counts, {}


# --- fx rates -----------------------------------------------------------------------------------
def _fx_parse(tx: Tx, mapping: dict[str, str], conv: dict[str, object], opts: Options,
              source: str = "raw_rows") -> None:
    """Parse exchange rates."""
    currency = f"upper({X.clean_text(_cell(mapping, 'currency'))})"
    _create_parsed(tx, "fx-rates", mapping, conv, source, {"currency": currency})


def _fx_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of an fx rates file."""
    checks = _generic_checks("fx-rates", mapping, opts, date_format)
    checks.append(_error(mapping["rate"], "raw_rate", "rate must be positive (EUR for one unit of the currency)",
                         "rate <= 0"))
    checks.append(_error(mapping["currency"], "raw_currency", "not a currency code (expected 3 letters such as USD)",
                         "currency IS NOT NULL AND NOT regexp_matches(currency, '^[A-Z]{3}$')"))
    checks.append(_duplicate_check(mapping["rate_date"], "currency || ' ' || CAST(rate_date AS VARCHAR)",
                                   "this currency and date"))
    return checks


def _fx_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert exchange rates by currency and date."""
    return upsert(tx, "fx_rates", "SELECT currency, rate_date, rate FROM parsed",
                  ["currency", "rate_date"], ["rate"]), {}


SPECS: dict[str, KindSpec] = {
    "receivables": KindSpec(_invoice_parse, _invoice_checks, _invoice_upsert),
    "payables": KindSpec(_invoice_parse, _invoice_checks, _invoice_upsert),
    "payments": KindSpec(_payments_parse, _payments_checks, _payments_upsert, upsert_reads_row=True),
    "bank-balances": KindSpec(_balances_parse, _balances_checks, _balances_upsert),
    "planned-flows": KindSpec(_flows_parse, _flows_checks, _flows_upsert),
    "counterparties": KindSpec(_cp_parse, _cp_checks, _cp_upsert),
    "fx-rates": KindSpec(_fx_parse, _fx_checks, _fx_upsert),
}
assert all(f.type in (TEXT, DATE, MONEY, NUMBER, BOOL, TERMS) for k in SPECS for f in fields_of(k))
