"""Receivables, payables and payments files: how their rows are parsed, checked and written."""

from __future__ import annotations

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.terms import due_dates_for, parse_terms
from forecasting.ingest import sqlexpr as X
from forecasting.ingest.options import ImportOptions as Options
from forecasting.ingest.parsing import (
    AnyCheck,
    Conventions,
    KindSpec,
    case_map,
    cell,
    create_parsed,
    currency_checks,
    duplicate_check,
    generic_checks,
    row_check,
)
from forecasting.ingest.upsert import refresh_status, status_sql, upsert
from forecasting.store.transaction import Tx

# A payments file's settlement column names a credit note so (accents and case ignored); anything else is cash.
CREDIT_NOTE_WORDS: dict[str, tuple[str, ...]] = {C.CREDIT_NOTE: (
    "avoir", "avoirs", "avoir client", "avoir fournisseur", "note de credit", "credit note", "credit notes",
    "credit_note", "credit-note", "creditnote", "credit memo",
)}
SIDE_WORDS = {
    C.RECEIVABLE: ("receivable", "receivables", "client", "customer", "c", "r", "vente", "ventes", "encaissement", "ar"),
    C.PAYABLE: ("payable", "payables", "supplier", "vendor", "fournisseur", "f", "p", "s", "achat", "achats",
                "decaissement", "ap"),
}


# --- receivables and payables ----------------------------------------------------------------------
def _invoice_parse(tx: Tx, mapping: dict[str, str], conv: Conventions, opts: Options,
                   source: str = "raw_rows") -> None:
    """Parse invoice rows; the counterparty code falls back on its name; due dates come from terms if missing."""
    derived = {
        "counterparty_id": f"COALESCE({X.clean_text(cell(mapping, 'counterparty_id'))}, "
                           f"{X.clean_text(cell(mapping, 'counterparty_name'))})",
        "currency": f"COALESCE(upper({X.clean_text(cell(mapping, 'currency'))}), '{C.REPORTING_CURRENCY}')",
    }
    create_parsed(tx, opts.kind, mapping, conv, source, derived)
    _fill_due_dates(tx, opts)


def _fill_due_dates(tx: Tx, opts: Options) -> None:
    """Compute missing (or blank) due dates from the row's terms, else the counterparty's, else the default terms."""
    kind = C.CLIENT if opts.kind == "receivables" else C.SUPPLIER
    default = X.quote_literal(parse_terms(opts.default_terms).label()) if opts.default_terms else "NULL"
    todo = tx.df(
        "SELECT p.rowid AS _rid, p.issue_date, COALESCE(p.terms, c.terms, " + default + ") AS terms FROM parsed p "
        "LEFT JOIN counterparties c ON c.counterparty_id = p.counterparty_id AND c.kind = ? "
        "WHERE p.due_date IS NULL AND NULLIF(trim(p.raw_due_date), '') IS NULL AND p.issue_date IS NOT NULL "
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
    checks = generic_checks(opts.kind, mapping, opts, date_format)
    who = m("counterparty_id") or m("counterparty_name") or "counterparty"
    checks.append(row_check(who, "NULL", "missing client or supplier (neither code nor name)", "counterparty_id IS NULL"))
    checks.append(row_check(
        m("due_date") or m("issue_date") or "due_date", "NULL",
        "no due date, and no payment terms to compute it (add a due date or terms column, or import counterparties "
        "with their terms first)",
        # a blank cell ('' in Parquet, spaces in CSV) is no due date, like a missing one
        "due_date IS NULL AND NULLIF(trim(raw_due_date), '') IS NULL AND issue_date IS NOT NULL",
    ))
    if "due_date" in mapping:
        checks.append(row_check(mapping["due_date"], "raw_due_date", "due date is before the invoice date",
                             "due_date < issue_date"))
    if "paid_amount" in mapping:
        checks.append(row_check(mapping["paid_amount"], "raw_paid_amount", "paid amount given without a paid date",
                             "paid_amount IS NOT NULL AND paid_amount <> 0 AND paid_date IS NULL"))
    checks.append(duplicate_check(m("invoice_id", "invoice_id"), "invoice_id", "this invoice number"))
    checks += currency_checks(m("currency", "currency"))
    return checks


def _invoice_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert counterparties (missing details only), invoices, then the payments the file carries."""
    side = C.RECEIVABLE if opts.kind == C.INVOICES_OF_SIDE[C.RECEIVABLE] else C.PAYABLE
    table = C.INVOICES_OF_SIDE[side]
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
        f"{status} AS status, COALESCE(p.carried_forward, false) AS carried_forward FROM parsed p{join}",
        ["source", "invoice_id"],
        ["counterparty_id", "entity", "issue_date", "due_date", "amount_ttc", "currency", "disputed", "terms",
         "status", "carried_forward"],
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
def _payments_parse(tx: Tx, mapping: dict[str, str], conv: Conventions, opts: Options,
                    source: str = "raw_rows") -> None:
    """Parse payment rows; the side defaults to receivable."""
    side = case_map(cell(mapping, "side"), SIDE_WORDS)
    credit = case_map(cell(mapping, "settled_by"), CREDIT_NOTE_WORDS)
    derived = {"side": f"CASE WHEN {X.clean_text(cell(mapping, 'side'))} IS NULL THEN '{C.RECEIVABLE}' ELSE {side} END",
               "settled_by": f"COALESCE({credit}, '{C.CASH}')"}
    create_parsed(tx, "payments", mapping, conv, source, derived)


def _payments_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a payments file: the invoice must be known on its side."""
    checks = generic_checks("payments", mapping, opts, date_format)
    if "side" in mapping:
        checks.append(row_check(mapping["side"], "raw_side", "expected receivable/client or payable/supplier",
                             "side IS NULL"))
    src = X.quote_literal(opts.source)
    checks.append(row_check(
        mapping["invoice_id"], "raw_invoice_id", "unknown invoice (import the invoices first)",
        f"invoice_id IS NOT NULL AND NOT ((side = '{C.RECEIVABLE}' AND invoice_id IN (SELECT invoice_id FROM "
        f"receivables WHERE source = {src})) OR (side = '{C.PAYABLE}' AND invoice_id IN (SELECT invoice_id FROM "
        f"payables WHERE source = {src})))",
    ))
    if "payment_id" in mapping:
        checks.append(duplicate_check(mapping["payment_id"], "payment_id", "this payment id"))
    return checks


def _payments_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert payments; without a payment id, invoice + date + amount (+ occurrence) identifies one."""
    src = X.quote_literal(opts.source)
    counts = upsert(
        tx, "payments",
        f"SELECT {src} AS source, side, COALESCE(payment_id, 'pay:' || invoice_id || ':' || "
        f"{X.iso_date_text('paid_date')} || ':' || CAST(paid_amount AS VARCHAR) || ':' || "
        "CAST(row_number() OVER (PARTITION BY side, invoice_id, paid_date, paid_amount ORDER BY _row) AS VARCHAR)) "
        "AS payment_id, invoice_id, paid_date AS payment_date, CAST(paid_amount AS DECIMAL(18,2)) AS amount, "
        "settled_by FROM parsed",
        ["source", "side", "payment_id"], ["invoice_id", "payment_date", "amount", "settled_by"], f"source = {src}",
    )
    refresh_status(tx, "receivables", C.RECEIVABLE)
    refresh_status(tx, "payables", C.PAYABLE)
    return counts, {}



SPECS: dict[str, KindSpec] = {
    "receivables": KindSpec(_invoice_parse, _invoice_checks, _invoice_upsert),
    "payables": KindSpec(_invoice_parse, _invoice_checks, _invoice_upsert),
    "payments": KindSpec(_payments_parse, _payments_checks, _payments_upsert, upsert_reads_row=True),
}
