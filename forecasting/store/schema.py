"""The database's tables: the migrations that create them, the schema version, the keys checked in code, columns."""

from __future__ import annotations

import duckdb

from forecasting.core import columns as C
from forecasting.core.errors import DatabaseError

# Column definitions shared by the migrations below: never edit them (that would change what an old
# migration creates); change a table with a new migration instead.
_INVOICE_COLUMNS = """
    source VARCHAR NOT NULL,
    invoice_id VARCHAR NOT NULL,
    counterparty_id VARCHAR NOT NULL,
    entity VARCHAR,
    issue_date DATE NOT NULL,
    due_date DATE NOT NULL,
    amount_ttc DECIMAL(18,2) NOT NULL,
    currency VARCHAR NOT NULL DEFAULT 'EUR',
    disputed BOOLEAN NOT NULL DEFAULT false,
    terms VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'open'
"""
_PAYMENT_COLUMNS = """
    source VARCHAR NOT NULL,
    side VARCHAR NOT NULL CHECK (side IN ('receivable', 'payable')),
    payment_id VARCHAR NOT NULL,
    invoice_id VARCHAR NOT NULL,
    payment_date DATE NOT NULL,
    amount DECIMAL(18,2) NOT NULL
"""
_INVOICE_NAMES = ("source, invoice_id, counterparty_id, entity, issue_date, due_date, amount_ttc, currency, disputed, "
                  "terms, status")
_PAYMENT_NAMES = "source, side, payment_id, invoice_id, payment_date, amount"

# The keys of the big tables, which the schema no longer declares (migration 2): DuckDB builds a primary key's
# index at every commit that adds rows (for the million-row import of bench/import_1m.py, ~1 s per table, and a
# 142 MB file instead of 30 MB). Every writer of these tables checks its key instead, before its transaction ends (Tx.check_key).
# Two transactions writing at once (only possible within one process) cannot both pass: each bumps meta's
# data_version, whose key makes the second commit fail.
CODE_KEYS: dict[str, tuple[str, ...]] = {
    "receivables": ("source", "invoice_id"),
    "payables": ("source", "invoice_id"),
    "payments": ("source", "side", "payment_id"),
}


def _rebuilt_without_key(table: str, columns: str, names: str) -> str:
    """Return the SQL re-creating `table` as `columns` (no primary key), keeping its rows."""
    return f"""
    CREATE TABLE {table}_rebuilt ({columns});
    INSERT INTO {table}_rebuilt ({names}) SELECT {names} FROM {table};
    DROP TABLE {table};
    ALTER TABLE {table}_rebuilt RENAME TO {table};
    """


# Default categorisation rules for French banks' labels (priority, label pattern, counterparty pattern, direction,
# category): written once by the migration, then the user's to edit. Patterns are case-insensitive regular
# expressions; the lowest priority number that matches wins.
_DEFAULT_RULES = (
    (10, r"\bSALAIRES?\b|\bPAIE\b|\bREMUNERATION", None, "debit", "payroll"),
    (20, r"URSSAF|RETRAITE|AGIRC|ARRCO|PREVOYANCE|MUTUELLE|POLE EMPLOI|FRANCE TRAVAIL", None, "debit", "social"),
    (30, r"DGFIP.*\bTVA\b|\bTVA\b.*DGFIP|\bCA3\b", None, "debit", "vat"),
    (40, r"DGFIP|\bIMPOTS?\b|\bCFE\b|\bCVAE\b|ACOMPTE IS|SOLDE IS|\bTRESOR PUBLIC", None, "debit", "tax"),
    (50, r"\bLOYERS?\b", None, "debit", "rent"),
    (60, r"ECHEANCE PRET|ECH(?:EANCE)?\.? PRET|REMBOURSEMENT PRET|\bPRET\b", None, "debit", "loan"),
    (70, r"REMISE CB|REMISE CARTE|\bTPE\b|ENCAISSEMENT CB", None, "credit", "card_receipts"),
    (80, r"\bFRAIS\b|COMMISSIONS?|\bCOTIS|\bAGIOS?\b|ABONNEMENT BANQUE|TENUE DE COMPTE", None, "debit",
     "bank_fees"),
    (90, r"^CB |\bCARTE\b", None, "credit", "card_receipts"),
    (95, r"VIREMENT INTERNE|VIR(?:EMENT)? INTERNE|\bEQUILIBRAGE\b", None, "any", "other"),
)


def _rule_rows(rules: tuple[tuple[int, str, str | None, str, str], ...]) -> str:
    """Return the SQL VALUES of the default rules."""
    def literal(text: str | None) -> str:
        return "NULL" if text is None else "'" + text.replace("'", "''") + "'"
    return ",\n".join(f"({p}, {literal(label)}, {literal(cp)}, '{d}', '{cat}', true)"
                      for p, label, cp, d, cat in rules)


_MATCH_STATUSES = "'auto', 'proposed', 'accepted', 'rejected', 'manual'"
_RECONCILIATION = f"""
    CREATE SEQUENCE bank_match_seq;
    CREATE TABLE bank_matches (
        match_id BIGINT PRIMARY KEY DEFAULT nextval('bank_match_seq'),
        account_id VARCHAR NOT NULL,
        movement_id VARCHAR NOT NULL,
        side VARCHAR NOT NULL CHECK (side IN ('receivable', 'payable')),
        status VARCHAR NOT NULL CHECK (status IN ({_MATCH_STATUSES})),
        confidence DOUBLE NOT NULL,
        reason VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        decided_by VARCHAR,
        decided_at TIMESTAMP
    );
    CREATE TABLE bank_match_invoices (
        match_id BIGINT NOT NULL,
        source VARCHAR NOT NULL,
        invoice_id VARCHAR NOT NULL,
        amount DECIMAL(18,2) NOT NULL,
        PRIMARY KEY (match_id, source, invoice_id)
    );
    CREATE SEQUENCE category_rule_seq;
    CREATE TABLE category_rules (
        rule_id BIGINT PRIMARY KEY DEFAULT nextval('category_rule_seq'),
        priority INTEGER NOT NULL,
        label_pattern VARCHAR,
        counterparty_pattern VARCHAR,
        direction VARCHAR NOT NULL CHECK (direction IN ('credit', 'debit', 'any')),
        category VARCHAR NOT NULL,
        enabled BOOLEAN NOT NULL DEFAULT true
    );
    INSERT INTO category_rules (priority, label_pattern, counterparty_pattern, direction, category, enabled) VALUES
    {_rule_rows(_DEFAULT_RULES)};
"""

# Each migration is applied once, in order; the schema version is the number applied.
MIGRATIONS: list[str] = [
    f"""
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE counterparties (
        counterparty_id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('client', 'supplier')),
        name VARCHAR, segment VARCHAR, terms VARCHAR,
        credit_limit DECIMAL(18,2), currency VARCHAR, entity VARCHAR,
        PRIMARY KEY (kind, counterparty_id)
    );
    CREATE TABLE receivables ({_INVOICE_COLUMNS}, PRIMARY KEY (source, invoice_id));
    CREATE TABLE payables ({_INVOICE_COLUMNS}, PRIMARY KEY (source, invoice_id));
    CREATE TABLE payments ({_PAYMENT_COLUMNS}, PRIMARY KEY (source, side, payment_id));
    CREATE TABLE bank_accounts (
        account_id VARCHAR PRIMARY KEY, name VARCHAR, bank VARCHAR,
        currency VARCHAR NOT NULL DEFAULT 'EUR', overdraft_limit DECIMAL(18,2) NOT NULL DEFAULT 0
    );
    CREATE TABLE bank_balances (
        account_id VARCHAR NOT NULL, balance_date DATE NOT NULL, balance DECIMAL(18,2) NOT NULL,
        PRIMARY KEY (account_id, balance_date)
    );
    CREATE TABLE planned_flows (
        flow_id VARCHAR PRIMARY KEY, label VARCHAR NOT NULL, category VARCHAR NOT NULL DEFAULT 'other',
        account_id VARCHAR, amount DECIMAL(18,2) NOT NULL, currency VARCHAR NOT NULL DEFAULT 'EUR',
        first_date DATE NOT NULL, recurrence VARCHAR NOT NULL DEFAULT 'none', end_date DATE
    );
    CREATE TABLE fx_rates (
        currency VARCHAR NOT NULL, rate_date DATE NOT NULL, rate DOUBLE NOT NULL,
        PRIMARY KEY (currency, rate_date)
    );
    CREATE TABLE scenarios (
        name VARCHAR PRIMARY KEY, levers JSON NOT NULL,
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE mapping_profiles (
        name VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, mapping JSON NOT NULL, updated_at TIMESTAMP NOT NULL
    );
    CREATE SEQUENCE import_log_seq;
    CREATE TABLE import_log (
        import_id BIGINT PRIMARY KEY DEFAULT nextval('import_log_seq'),
        file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, kind VARCHAR NOT NULL, source VARCHAR,
        rows_read BIGINT NOT NULL, rows_inserted BIGINT NOT NULL, rows_updated BIGINT NOT NULL,
        rows_unchanged BIGINT NOT NULL, rows_rejected BIGINT NOT NULL,
        imported_at TIMESTAMP NOT NULL
    );
    """,
    # 2: receivables, payables and payments without their primary key (see CODE_KEYS), rows kept.
    _rebuilt_without_key("receivables", _INVOICE_COLUMNS, _INVOICE_NAMES)
    + _rebuilt_without_key("payables", _INVOICE_COLUMNS, _INVOICE_NAMES)
    + _rebuilt_without_key("payments", _PAYMENT_COLUMNS, _PAYMENT_NAMES),
    # 3: the bank side (issue 18): an account's IBAN, and the movements its statements list.
    """
    ALTER TABLE bank_accounts ADD COLUMN iban VARCHAR;
    CREATE TABLE bank_movements (
        account_id VARCHAR NOT NULL,
        movement_id VARCHAR NOT NULL,
        booking_date DATE NOT NULL,
        value_date DATE,
        amount DECIMAL(18,2) NOT NULL,
        currency VARCHAR NOT NULL DEFAULT 'EUR',
        label VARCHAR NOT NULL DEFAULT '',
        remittance VARCHAR,
        counterparty_name VARCHAR,
        counterparty_iban VARCHAR,
        bank_reference VARCHAR,
        operation_code VARCHAR,
        category VARCHAR,
        import_id BIGINT,
        PRIMARY KEY (account_id, movement_id)
    );
    """,
    # 4: reconciliation (issue 18): movements matched to invoices, and the rules that categorise the others.
    _RECONCILIATION,
    # 5: forecast snapshots (issue 18): a frozen forecast's settings, its weekly expected flows by account and
    # category, and its weekly closing range per account and in total (account_id = TOTAL_ACCOUNT).
    """
    CREATE SEQUENCE snapshot_seq;
    CREATE TABLE snapshots (
        snapshot_id BIGINT PRIMARY KEY DEFAULT nextval('snapshot_seq'),
        created_at TIMESTAMP NOT NULL,
        as_of DATE NOT NULL,
        label VARCHAR NOT NULL DEFAULT '',
        settings JSON NOT NULL,
        auto BOOLEAN NOT NULL DEFAULT false
    );
    CREATE TABLE snapshot_flows (
        snapshot_id BIGINT NOT NULL,
        week_start DATE NOT NULL,
        account_id VARCHAR NOT NULL,
        category VARCHAR NOT NULL,
        receipts DECIMAL(18,2) NOT NULL,
        disbursements DECIMAL(18,2) NOT NULL,
        PRIMARY KEY (snapshot_id, week_start, account_id, category)
    );
    CREATE TABLE snapshot_closings (
        snapshot_id BIGINT NOT NULL,
        week_start DATE NOT NULL,
        account_id VARCHAR NOT NULL,
        closing_expected DECIMAL(18,2) NOT NULL,
        closing_p10 DECIMAL(18,2) NOT NULL,
        closing_p50 DECIMAL(18,2) NOT NULL,
        closing_p90 DECIMAL(18,2) NOT NULL,
        PRIMARY KEY (snapshot_id, week_start, account_id)
    );
    """,
    # 6: the audit table (issue 16): every change, by whom (an e-mail address or the OS user), their role, through
    # what (dashboard or cli), when (UTC), what and its details; written in the change's own transaction.
    """
    CREATE SEQUENCE audit_log_seq;
    CREATE TABLE audit_log (
        audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_seq'),
        changed_at TIMESTAMP NOT NULL,
        who VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        via VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        details VARCHAR NOT NULL DEFAULT ''
    );
    """,
    # 7: what settled a payment (issue 14): cash, or a credit note set against the invoice (no money moved). Rows
    # already there are cash, except the credit settlements of earlier FEC imports, known by their ids
    # (ingest/fec_lettering.py), so a database gets the fix without its FEC imported again. DuckDB cannot add a
    # column with a CHECK constraint: the writers give one of C.SETTLEMENT_KINDS. The ids (an invoice's share of a
    # credit note, the credit note's opposite share, what a credit note still holds) are written out, not imported:
    # a migration never changes.
    """
    ALTER TABLE payments ADD COLUMN settled_by VARCHAR NOT NULL DEFAULT 'cash';
    UPDATE payments SET settled_by = 'credit_note'
    WHERE starts_with(payment_id, 'fec:credit:') OR starts_with(payment_id, 'fec:applied:')
       OR starts_with(payment_id, 'fec:credit-note:');
    """,
    # 8: an invoice carried forward from an earlier fiscal year (a FEC's opening entries): owed, forecast, but its
    # dates are the year's opening, so nothing is learned from them (C.CARRIED_FORWARD). Rows already there are
    # taken as the invoices' own: a FEC imported before marks its opening entries when it is imported again.
    """
    ALTER TABLE receivables ADD COLUMN carried_forward BOOLEAN NOT NULL DEFAULT false;
    ALTER TABLE payables ADD COLUMN carried_forward BOOLEAN NOT NULL DEFAULT false;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

DATA_TABLES = (
    "counterparties", "receivables", "payables", "payments", "bank_accounts",
    "bank_balances", "planned_flows", "fx_rates",
)
# Tables of the bank side: not part of the Ledger the model reads, but written by imports (checksums, status).
BANK_TABLES = ("bank_movements", "bank_matches", "bank_match_invoices", "category_rules", "snapshots",
               "snapshot_flows", "snapshot_closings")
SETTING_TABLES = ("category_rules",)  # settings, not data: not counted in the status (a new file holds the defaults)
DATE_COLUMNS = {
    "receivables": [C.ISSUE_DATE, C.DUE_DATE], "payables": [C.ISSUE_DATE, C.DUE_DATE],
    "payments": [C.PAYMENT_DATE], "bank_balances": [C.BALANCE_DATE],
    "bank_movements": [C.BOOKING_DATE, C.VALUE_DATE],
    "snapshot_flows": [C.WEEK_START], "snapshot_closings": [C.WEEK_START],
    "planned_flows": [C.FIRST_DATE, C.END_DATE], "fx_rates": [C.RATE_DATE],
}
MONEY_COLUMNS = {
    "counterparties": [C.CREDIT_LIMIT], "receivables": [C.AMOUNT_TTC], "payables": [C.AMOUNT_TTC],
    "payments": [C.AMOUNT], "bank_accounts": [C.OVERDRAFT_LIMIT], "bank_balances": [C.BALANCE],
    "planned_flows": [C.AMOUNT], "fx_rates": [C.RATE], "bank_movements": [C.AMOUNT],
}
TABLE_COLUMNS = {
    "counterparties": C.COUNTERPARTY_COLUMNS,
    "receivables": [c for c in C.INVOICE_COLUMNS if c != C.SIDE],
    "payables": [c for c in C.INVOICE_COLUMNS if c != C.SIDE],
    "payments": C.PAYMENT_COLUMNS,
    "bank_accounts": C.BANK_ACCOUNT_COLUMNS,
    "bank_balances": C.BANK_BALANCE_COLUMNS,
    "planned_flows": C.PLANNED_FLOW_COLUMNS,
    "fx_rates": C.FX_COLUMNS,
}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version recorded in the file (0 for a new file)."""
    # fetchall, not fetchone: DuckDB 2.0 keeps a half-read result open.
    has_meta = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchall()
    if not has_meta[0][0]:
        return 0
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the migrations this file has not seen yet, each in its own transaction."""
    version = schema_version(con)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"this database was written by a newer cashpilot (schema {version}, this one knows {SCHEMA_VERSION})"
        )
    for number in range(version, SCHEMA_VERSION):
        con.execute("BEGIN TRANSACTION")
        con.execute(MIGRATIONS[number])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(number + 1)])
        con.execute("COMMIT")
