"""Bank balances, planned flows, counterparties and exchange rates files: how their rows are parsed, checked and written."""

from __future__ import annotations

import pandas as pd

from forecasting.core import columns as C
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
from forecasting.ingest.upsert import upsert
from forecasting.store.transaction import Tx

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


# --- bank balances ----------------------------------------------------------------------------------
def _balances_parse(tx: Tx, mapping: dict[str, str], conv: Conventions, opts: Options,
                    source: str = "raw_rows") -> None:
    """Parse bank balance rows."""
    derived = {"currency": f"COALESCE(upper({X.clean_text(cell(mapping, 'currency'))}), '{C.REPORTING_CURRENCY}')"}
    create_parsed(tx, "bank-balances", mapping, conv, source, derived)
    if "iban" in mapping:  # checked in Python (schwifty), once per distinct IBAN; an invalid one is left NULL
        # imported here: schwifty loads in ~0.3 s, which only a file with IBANs pays
        from forecasting.ingest.iban import checked_iban

        raws = [str(v) for v in tx.df("SELECT DISTINCT trim(raw_iban) AS v FROM parsed WHERE trim(raw_iban) <> ''")["v"]]
        tx.register("iban_map", pd.DataFrame({"raw": pd.Series(raws, dtype=object),
                                              "compact": pd.Series([checked_iban(v) for v in raws], dtype=object)}))
        tx.execute("UPDATE parsed SET iban = m.compact FROM iban_map m WHERE trim(parsed.raw_iban) = m.raw")


def _balances_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a bank balances file."""
    checks = generic_checks("bank-balances", mapping, opts, date_format)
    checks.append(duplicate_check(mapping["balance_date"], "account_id || ' ' || CAST(balance_date AS VARCHAR)",
                                   "this account and date"))
    if "currency" in mapping:  # balances are converted to euros: 'euro' or '$$$' would stop every forecast
        checks += currency_checks(mapping["currency"])
    if "iban" in mapping:
        checks.append(row_check(mapping["iban"], "raw_iban", "not a valid IBAN (check digits, length or country "
                                "code wrong); e.g. FR76 3000 6000 0112 3456 7890 189", "raw_iban IS NOT NULL AND "
                                "trim(raw_iban) <> '' AND iban IS NULL"))
    if "overdraft_limit" in mapping:
        checks.append(row_check(mapping["overdraft_limit"], "raw_overdraft_limit",
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
        "COALESCE(max(p.overdraft_limit), any_value(a.overdraft_limit), 0) AS overdraft_limit, "
        "COALESCE(any_value(p.iban), any_value(a.iban)) AS iban "
        "FROM parsed p LEFT JOIN bank_accounts a USING (account_id) GROUP BY p.account_id",
        ["account_id"], ["name", "bank", "currency", "overdraft_limit", "iban"],
    )
    counts = upsert(
        tx, "bank_balances", "SELECT account_id, balance_date, CAST(balance AS DECIMAL(18,2)) AS balance FROM parsed",
        ["account_id", "balance_date"], ["balance"],
    )
    return counts, {"accounts inserted": accounts[0], "accounts updated": accounts[1]}


# --- planned flows ----------------------------------------------------------------------------------
def _flows_parse(tx: Tx, mapping: dict[str, str], conv: Conventions, opts: Options,
                 source: str = "raw_rows") -> None:
    """Parse planned flows; the id defaults to label + first date."""
    cat_raw, rec_raw = cell(mapping, "category"), cell(mapping, "recurrence")
    derived = {
        "category": f"CASE WHEN {X.clean_text(cat_raw)} IS NULL THEN 'other' ELSE {case_map(cat_raw, CATEGORY_WORDS)} END",
        "recurrence": f"CASE WHEN {X.clean_text(rec_raw)} IS NULL THEN 'none' ELSE {case_map(rec_raw, RECURRENCE_WORDS)} END",
        "currency": f"COALESCE(upper({X.clean_text(cell(mapping, 'currency'))}), '{C.REPORTING_CURRENCY}')",
    }
    create_parsed(tx, "planned-flows", mapping, conv, source, derived)
    tx.execute(f"UPDATE parsed SET flow_id = label || ' | ' || {X.iso_date_text('first_date')} "
               "WHERE flow_id IS NULL AND label IS NOT NULL AND first_date IS NOT NULL")


def _flows_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a planned flows file."""
    m = mapping.get
    checks = generic_checks("planned-flows", mapping, opts, date_format)
    checks.append(row_check(m("category", "category"), "raw_category",
                         "unknown category (expected payroll, social, vat, tax, rent, loan, capex, financing, other)",
                         "category IS NULL"))
    checks.append(row_check(m("recurrence", "recurrence"), "raw_recurrence",
                         "unknown recurrence (expected none, weekly, monthly, quarterly, yearly)", "recurrence IS NULL"))
    if "end_date" in mapping:
        checks.append(row_check(mapping["end_date"], "raw_end_date", "end date is before the first date",
                             "end_date < first_date"))
    checks.append(duplicate_check(m("flow_id") or m("label", "label"), "flow_id", "this flow (label and date)"))
    checks += currency_checks(m("currency", "currency"))
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
def _cp_parse(tx: Tx, mapping: dict[str, str], conv: Conventions, opts: Options,
              source: str = "raw_rows") -> None:
    """Parse counterparty rows; kind words in English or French."""
    derived = {
        "kind": case_map(cell(mapping, "kind"), KIND_WORDS),
        "currency": f"upper({X.clean_text(cell(mapping, 'currency'))})",
    }
    create_parsed(tx, "counterparties", mapping, conv, source, derived)


def _cp_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of a counterparties file."""
    checks = generic_checks("counterparties", mapping, opts, date_format)
    checks.append(row_check(mapping["kind"], "raw_kind", "unknown counterparty kind (expected client or supplier)",
                         "raw_kind IS NOT NULL AND trim(raw_kind) <> '' AND kind IS NULL"))
    if "credit_limit" in mapping:
        checks.append(row_check(mapping["credit_limit"], "raw_credit_limit", "credit limit cannot be negative",
                             "credit_limit < 0"))
    checks.append(duplicate_check(mapping["counterparty_id"], "kind || ' ' || counterparty_id", "this counterparty"))
    if "currency" in mapping:  # a code only: a counterparty's usual currency needs no rate until an invoice uses it
        checks += currency_checks(mapping["currency"])[:1]
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


MAX_EUR_PER_UNIT = 1_000_000


# --- fx rates -----------------------------------------------------------------------------------
def _fx_parse(tx: Tx, mapping: dict[str, str], conv: Conventions, opts: Options,
              source: str = "raw_rows") -> None:
    """Parse exchange rates."""
    currency = f"upper({X.clean_text(cell(mapping, 'currency'))})"
    create_parsed(tx, "fx-rates", mapping, conv, source, {"currency": currency})


def _fx_checks(mapping: dict[str, str], opts: Options, date_format: str = "") -> list[AnyCheck]:
    """Return the checks of an fx rates file."""
    checks = generic_checks("fx-rates", mapping, opts, date_format)
    checks.append(row_check(mapping["rate"], "raw_rate", "rate must be positive (EUR for one unit of the currency)",
                         "rate <= 0"))
    # No currency is worth a million euros a unit (gold is ~3,000): such a rate is a typo or a unit mix-up.
    checks.append(row_check(mapping["rate"], "raw_rate", f"rate too large: expected EUR for one unit of the "
                            f"currency, at most {MAX_EUR_PER_UNIT:,.0f}", f"rate > {MAX_EUR_PER_UNIT}"))
    checks.append(row_check(mapping["currency"], "raw_currency", "not a currency code (expected 3 letters such as USD)",
                         "currency IS NOT NULL AND NOT regexp_matches(currency, '^[A-Z]{3}$')"))
    checks.append(duplicate_check(mapping["rate_date"], "currency || ' ' || CAST(rate_date AS VARCHAR)",
                                   "this currency and date"))
    return checks


def _fx_upsert(tx: Tx, opts: Options) -> tuple[tuple[int, int, int], dict[str, int]]:
    """Upsert exchange rates by currency and date."""
    return upsert(tx, "fx_rates", "SELECT currency, rate_date, rate FROM parsed",
                  ["currency", "rate_date"], ["rate"]), {}



SPECS: dict[str, KindSpec] = {
    "bank-balances": KindSpec(_balances_parse, _balances_checks, _balances_upsert),
    "planned-flows": KindSpec(_flows_parse, _flows_checks, _flows_upsert),
    "counterparties": KindSpec(_cp_parse, _cp_checks, _cp_upsert),
    "fx-rates": KindSpec(_fx_parse, _fx_checks, _fx_upsert),
}
