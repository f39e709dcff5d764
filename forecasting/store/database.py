"""The DuckDB store: the only module importing duckdb (connections, schema migrations, transactions, reads).

DuckDB lets one process write a file, and no other process may open it meanwhile, not even read-only.
So nothing here keeps a connection open: every read and every write opens the file, does its work and
closes it, retrying for a while when another process holds it, then failing with `DatabaseBusy`.
The dashboard caches what it read, keyed by `Store.fingerprint()` (the file's size and mtime): a CLI
import changes the fingerprint, so the dashboard shows the new data on its next rerun.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import DatabaseBusy, DatabaseError, InputError, KeyRepeated
from forecasting.core.ledger import Ledger

DEFAULT_DB_PATH = Path("data") / "cashpilot.duckdb"
BUSY_TIMEOUT_S = float(os.environ.get("CASHPILOT_DB_TIMEOUT", "15"))

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
]
SCHEMA_VERSION = len(MIGRATIONS)

DATA_TABLES = (
    "counterparties", "receivables", "payables", "payments", "bank_accounts",
    "bank_balances", "planned_flows", "fx_rates",
)
_DATE_COLUMNS = {
    "receivables": [C.ISSUE_DATE, C.DUE_DATE], "payables": [C.ISSUE_DATE, C.DUE_DATE],
    "payments": [C.PAYMENT_DATE], "bank_balances": [C.BALANCE_DATE],
    "planned_flows": [C.FIRST_DATE, C.END_DATE], "fx_rates": [C.RATE_DATE],
}
_MONEY_COLUMNS = {
    "counterparties": [C.CREDIT_LIMIT], "receivables": [C.AMOUNT_TTC], "payables": [C.AMOUNT_TTC],
    "payments": [C.AMOUNT], "bank_accounts": [C.OVERDRAFT_LIMIT], "bank_balances": [C.BALANCE],
    "planned_flows": [C.AMOUNT], "fx_rates": [C.RATE],
}
_TABLE_COLUMNS = {
    "counterparties": C.COUNTERPARTY_COLUMNS,
    "receivables": [c for c in C.INVOICE_COLUMNS if c != C.SIDE],
    "payables": [c for c in C.INVOICE_COLUMNS if c != C.SIDE],
    "payments": C.PAYMENT_COLUMNS,
    "bank_accounts": C.BANK_ACCOUNT_COLUMNS,
    "bank_balances": C.BANK_BALANCE_COLUMNS,
    "planned_flows": C.PLANNED_FLOW_COLUMNS,
    "fx_rates": C.FX_COLUMNS,
}


def _is_lock_error(exc: Exception) -> bool:
    """Return True when DuckDB refused the file because another process holds its lock."""
    return "lock" in str(exc).lower()


@dataclass
class Tx:
    """A transaction on the store: the only handle other modules get on a DuckDB connection."""

    con: duckdb.DuckDBPyConnection

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        """Run one statement (no result)."""
        self.con.execute(sql, params or [])

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Return the result of a query as a DataFrame."""
        return self.con.execute(sql, params or []).df()

    def row(self, sql: str, params: list[Any] | None = None) -> tuple[Any, ...] | None:
        """Return the first row of a query (None when empty)."""
        return _first_row(self.con, sql, params)

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """Return the first column of the first row of a query (None when empty)."""
        row = _first_row(self.con, sql, params)
        return None if row is None else row[0]

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """Make a DataFrame queryable as a view named `name` for the rest of the transaction."""
        self.con.register(name, frame)

    def stage_csv(self, table: str, path: str, delimiter: str, headers: list[str], file_name: str) -> None:
        """Load a UTF-8 CSV as text columns named `headers`, with `_row` = record number + 1.

        That is the line number in the file unless blank lines or cells spanning lines shift it:
        the caller compares the count with the file's lines and renumbers the rows then.
        """
        # One reading thread: DuckDB's parallel reader cannot pad short rows (null_padding) once a quoted
        # cell holds a line break (a multi-line address), and row_number needs the rows in order anyway.
        with self.csv_errors(file_name):
            self.con.execute(
                f"CREATE TEMP TABLE {table} AS SELECT CAST(row_number() OVER () + 1 AS BIGINT) AS _row, * "
                f"FROM {_read_csv_sql(path, delimiter, headers, parallel=False)}"
            )

    def csv_view(self, view: str, path: str, delimiter: str, headers: list[str], where: str) -> None:
        """Make a CSV readable as a view of text columns (rows matching `where`), with `_row` left NULL.

        Nothing is read until the view is queried, by both threads: for a file without a double quote
        (so no cell spans lines), whose rows need no line numbers unless one turns out wrong.
        Query it inside `csv_errors`.
        """
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT CAST(NULL AS BIGINT) AS _row, * "
            f"FROM {_read_csv_sql(path, delimiter, headers, parallel=True)} WHERE {where}"
        )

    @contextmanager
    def csv_errors(self, file_name: str) -> Iterator[None]:
        """Turn DuckDB's errors while reading a CSV into an InputError naming the file and the bad line."""
        try:
            yield
        except duckdb.Error as exc:
            raise InputError(f"{file_name}: cannot read the file as CSV: {_csv_error_detail(exc)}") from exc

    def insert_into_empty(self, table: str, columns: str, select_sql: str) -> int:
        """Insert the rows of `select_sql` into `table`, which holds no row; return how many were inserted.

        DuckDB builds a primary key's index twice for rows inserted in a transaction: in the transaction's own
        index on insert, then in the table's at commit. Into an empty table the rows go in without the key
        (the table is created again, as it was, without it), which is given back afterwards, so the index is
        built once, at commit, where a repeated key would still fail the commit. Until then the key is not
        enforced: the caller has checked that its rows have distinct keys, and adds no row of a key already there
        before the transaction ends. (The big tables have no declared key, see CODE_KEYS: a plain insert.)
        """
        ddl = self.scalar(
            "SELECT sql FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
            "AND table_name = ?", [table])
        key = self.scalar(
            "SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ? AND constraint_type = 'PRIMARY KEY'", [table])
        keyless = re.sub(r",\s*PRIMARY KEY\s*\([^()]*\)(?=\);$)", "", ddl or "")
        referenced = self.scalar("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'")
        if not key or keyless == ddl or referenced:  # a table another one refers to cannot be dropped
            return int(self.scalar(f"INSERT INTO {table} ({columns}) {select_sql}"))
        self.con.execute(f"DROP TABLE {table}")
        self.con.execute(keyless)
        inserted = int(self.scalar(f"INSERT INTO {table} ({columns}) {select_sql}"))
        self.con.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({', '.join(_quote_ident(c) for c in key)})")
        return inserted

    def check_key(self, table: str, scope: str = "true") -> None:
        """Raise KeyRepeated when two rows of `table` matching `scope` share its key (CODE_KEYS).

        Called by every writer of a table whose key the schema does not declare, after writing and before its
        transaction ends, so that the error rolls the write back. `scope` is a condition every row of a key
        written in this transaction satisfies (e.g. its source): the rows outside it need no second look.
        """
        keys = ", ".join(_quote_ident(k) for k in CODE_KEYS[table])
        # Distinct hashes as many as rows prove the keys distinct, and counting 64-bit hashes costs less than
        # counting the texts; a shortfall is a repeated key or, rarely, two keys of one hash: look for real.
        if not self.scalar(f"SELECT count(*) - count(DISTINCT hash({keys})) FROM {table} WHERE {scope}"):
            return
        found = self.row(f"SELECT {keys}, count(*) FROM {table} WHERE {scope} GROUP BY ALL HAVING count(*) > 1 "
                         f"ORDER BY ALL LIMIT 1")
        if found:
            *key, count = found
            shown = ", ".join(f"{name} = {value!r}" for name, value in zip(CODE_KEYS[table], key, strict=True))
            raise KeyRepeated(f"{table}: {count} rows would share the key {shown}; nothing was written")

    def stage_frame(self, table: str, frame: pd.DataFrame) -> None:
        """Load a frame of text cells, with `_row` = its index (the row number in the file)."""
        staged = frame.copy()
        staged.insert(0, "_row", frame.index.to_numpy(dtype="int64"))
        self.con.register("_staged_frame", staged)
        try:
            self.con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM _staged_frame")
        finally:
            self.con.unregister("_staged_frame")

    def copy_to_csv(self, sql: str, path: str, delimiter: str) -> None:
        """Write a query's result to a CSV file with a header row."""
        self.con.execute(f"COPY ({sql}) TO '{path.replace(chr(39), chr(39) * 2)}' (HEADER, DELIMITER '{delimiter}')")

    def bump_data_version(self) -> None:
        """Mark the data as changed so cached models and results are recomputed."""
        self.con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('data_version', "
            "CAST(COALESCE((SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'), 0) + 1 AS VARCHAR))"
        )


def default_db_path() -> Path:
    """Return the database path: $CASHPILOT_DB, else data/cashpilot.duckdb."""
    return Path(os.environ.get("CASHPILOT_DB") or DEFAULT_DB_PATH)


class Store:
    """All database access: short-lived connections, one transaction per write, DataFrames out."""

    def __init__(self, path: str | Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s

    # --- connections -------------------------------------------------------------------------
    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting while another process holds it, then raise DatabaseBusy."""
        deadline = time.monotonic() + self.busy_timeout_s
        delay_s = 0.05
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise DatabaseError(f"cannot open the database {self.path}: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"database busy: {self.path} is being written by another cashpilot process "
                        f"(an import or the dashboard); waited {self.busy_timeout_s:.0f} s. Try again when it is done."
                    ) from exc
                time.sleep(delay_s)
                delay_s = min(delay_s * 2, 0.5)

    def exists(self) -> bool:
        """Return True when the database file exists."""
        return self.path.exists()

    def fingerprint(self) -> tuple[int, int, int]:
        """Return a cheap key that changes whenever the file is written (size, mtime, WAL size)."""
        if not self.path.exists():
            return (0, 0, 0)
        st = self.path.stat()
        wal = self.path.with_name(self.path.name + ".wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
        return (st.st_size, st.st_mtime_ns, wal_size)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """Yield a write transaction; commit on success, roll back everything on any exception."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._open(read_only=False)
        try:
            self._migrate(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield Tx(con)
                con.execute("COMMIT")
            except BaseException:
                # A COMMIT that failed (a key repeated, see Tx.insert_into_empty) has rolled back already.
                with suppress(duckdb.TransactionException):
                    con.execute("ROLLBACK")
                raise
        finally:
            con.close()

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        """Yield a read-only handle (creating and migrating the database first if needed)."""
        con = self._open_read_only_current()
        try:
            yield Tx(con)
        finally:
            con.close()

    def _open_read_only_current(self) -> duckdb.DuckDBPyConnection:
        """Open the file read-only, after creating or migrating it when its schema is older than this code's."""
        # The schema is checked on the connection that will serve the read: opening the file costs ~25 ms,
        # and every dashboard or CLI read used to open it twice.
        if self.path.exists():
            con = self._open(read_only=True)
            try:
                if _schema_version(con) >= SCHEMA_VERSION:
                    return con
            except BaseException:
                con.close()
                raise
            con.close()
        with self.transaction():
            pass
        return self._open(read_only=True)

    @staticmethod
    def _migrate(con: duckdb.DuckDBPyConnection) -> None:
        """Apply the migrations this file has not seen yet, each in its own transaction."""
        version = _schema_version(con)
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"this database was written by a newer cashpilot (schema {version}, this one knows {SCHEMA_VERSION})"
            )
        for number in range(version, SCHEMA_VERSION):
            con.execute("BEGIN TRANSACTION")
            con.execute(MIGRATIONS[number])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(number + 1)])
            con.execute("COMMIT")

    # --- reads -------------------------------------------------------------------------------
    def read_ledger(self) -> Ledger:
        """Return every data table as frames with the project's column names and dtypes."""
        frames: dict[str, pd.DataFrame] = {}
        with self.reading() as tx:
            tx.execute("SET arrow_large_buffer_size = true")  # text as large_string: what pandas keeps, no copy
            for table in DATA_TABLES:
                # Through Arrow, with dates read as timestamps and decimals as doubles by DuckDB itself:
                # the same frame as `.df()`, several times faster on millions of rows (no Python objects).
                relation = tx.con.sql(f"SELECT * FROM {table}")
                select = ", ".join(
                    f'CAST("{name}" AS TIMESTAMP) AS "{name}"' if str(kind) == "DATE"
                    else f'CAST("{name}" AS DOUBLE) AS "{name}"' if str(kind).startswith("DECIMAL")
                    else f'"{name}"'
                    for name, kind in zip(relation.columns, relation.types, strict=True)
                )
                arrow = tx.con.sql(f"SELECT {select} FROM {table}").to_arrow_table()
                # An empty table keeps the dtypes `.df()` gives it (object text columns).
                frame = arrow.to_pandas() if arrow.num_rows else tx.df(f"SELECT * FROM {table}")
                frames[table] = _typed(table, frame)
        frames["receivables"].insert(1, C.SIDE, C.RECEIVABLE)
        frames["payables"].insert(1, C.SIDE, C.PAYABLE)
        for table in ("receivables", "payables"):
            frames[table] = frames[table][C.INVOICE_COLUMNS]
        return Ledger(**frames)

    def data_version(self) -> int:
        """Return the counter bumped by every write."""
        with self.reading() as tx:
            value = tx.scalar("SELECT value FROM meta WHERE key = 'data_version'")
        return int(value or 0)

    def status(self) -> dict[str, Any]:
        """Return counts, date ranges and the latest imports, for `cashpilot status` and the home page."""
        with self.reading() as tx:
            tables = {t: int(tx.scalar(f"SELECT count(*) FROM {t}")) for t in DATA_TABLES}
            ranges: dict[str, dict[str, str | None]] = {}
            for table, column in (
                ("receivables", C.ISSUE_DATE), ("payables", C.ISSUE_DATE),
                ("payments", C.PAYMENT_DATE), ("bank_balances", C.BALANCE_DATE), ("fx_rates", C.RATE_DATE),
            ):
                lo, hi = _first_row(tx.con, f"SELECT min({column}), max({column}) FROM {table}")
                ranges[table] = {"from": _iso(lo), "to": _iso(hi)}
            open_counts = {
                t: int(tx.scalar(f"SELECT count(*) FROM {t} WHERE status = 'open'"))
                for t in ("receivables", "payables")
            }
            log = tx.df("SELECT * FROM import_log ORDER BY import_id DESC LIMIT 10")
            version = tx.scalar("SELECT value FROM meta WHERE key = 'data_version'")
        return {
            "database": str(self.path),
            "schema_version": SCHEMA_VERSION,
            "data_version": int(version or 0),
            "counts": tables,
            "open_invoices": open_counts,
            "date_ranges": ranges,
            "last_imports": [
                {k: (_iso(v) if isinstance(v, (datetime, pd.Timestamp)) else v) for k, v in row.items()}
                for row in log.to_dict("records")
            ],
        }

    def import_log(self, limit: int = 100) -> pd.DataFrame:
        """Return the latest imports, newest first."""
        with self.reading() as tx:
            return tx.df("SELECT * FROM import_log ORDER BY import_id DESC LIMIT ?", [limit])

    def table_checksums(self) -> dict[str, tuple[int, str]]:
        """Return (row count, content hash) per data table: used to prove a failed write changed nothing."""
        sql = " UNION ALL ".join(
            f"SELECT '{table}', count(*), CAST(COALESCE(sum(hash(t)), 0) AS VARCHAR) FROM {table} AS t"
            for table in (*DATA_TABLES, "import_log", "meta")
        )
        with self.reading() as tx:  # one query: the checks around every test import stay cheap
            found = tx.con.execute(sql).fetchall()
        return {table: (int(count), str(digest)) for table, count, digest in found}

    # --- writes ------------------------------------------------------------------------------
    def replace_all(self, ledger: Ledger) -> None:
        """Replace every data table with the ledger's frames in one transaction (used by the demo)."""
        with self.transaction() as tx:
            for table in DATA_TABLES:
                frame = getattr(ledger, table)[_TABLE_COLUMNS[table]]
                tx.execute(f"DELETE FROM {table}")
                tx.register("_frame", frame)
                cols = ", ".join(_TABLE_COLUMNS[table])
                tx.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _frame")
                tx.con.unregister("_frame")
                if table in CODE_KEYS:
                    tx.check_key(table)
            tx.bump_data_version()

    # --- mapping profiles and scenarios ------------------------------------------------------
    def save_mapping_profile(self, name: str, kind: str, mapping: dict[str, str]) -> None:
        """Save (or replace) a named column mapping for a file kind."""
        with self.transaction() as tx:
            tx.execute(
                "INSERT OR REPLACE INTO mapping_profiles VALUES (?, ?, ?, ?)",
                [name, kind, json.dumps(mapping), datetime.now()],
            )

    def mapping_profile(self, name: str) -> tuple[str, dict[str, str]] | None:
        """Return (kind, mapping) of a saved profile, or None."""
        with self.reading() as tx:
            row = _first_row(tx.con, "SELECT kind, mapping FROM mapping_profiles WHERE name = ?", [name])
        return None if row is None else (row[0], json.loads(row[1]))

    def save_scenario(self, name: str, levers_json: str) -> bool:
        """Save (or replace) a named scenario; return True when it replaced an existing one."""
        now = datetime.now()
        with self.transaction() as tx:
            existed = bool(tx.scalar("SELECT count(*) FROM scenarios WHERE name = ?", [name]))
            tx.execute(
                "INSERT INTO scenarios VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE "
                "SET levers = excluded.levers, updated_at = excluded.updated_at",
                [name, levers_json, now, now],
            )
        return existed

    def scenario_json(self, name: str) -> str | None:
        """Return a saved scenario's JSON, or None."""
        with self.reading() as tx:
            row = _first_row(tx.con, "SELECT CAST(levers AS VARCHAR) FROM scenarios WHERE name = ?", [name])
        return None if row is None else str(row[0])

    def scenarios(self) -> pd.DataFrame:
        """Return the saved scenarios (name, levers JSON, dates), by name."""
        with self.reading() as tx:
            return tx.df("SELECT name, CAST(levers AS VARCHAR) AS levers, created_at, updated_at "
                         "FROM scenarios ORDER BY name")

    def delete_scenario(self, name: str) -> bool:
        """Delete a saved scenario; return False when there was none of that name."""
        with self.transaction() as tx:
            existed = bool(tx.scalar("SELECT count(*) FROM scenarios WHERE name = ?", [name]))
            tx.execute("DELETE FROM scenarios WHERE name = ?", [name])
        return existed

    def mapping_profiles(self) -> pd.DataFrame:
        """Return all saved mapping profiles."""
        with self.reading() as tx:
            return tx.df("SELECT name, kind, mapping, updated_at FROM mapping_profiles ORDER BY name")


def _first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple[Any, ...] | None:
    """Return the first row of a one-row query (fetchall: DuckDB 2.0 keeps a half-read result open)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _read_csv_sql(path: str, delimiter: str, headers: list[str], parallel: bool) -> str:
    """Return a read_csv call giving every column of the file as text, named `headers`."""
    columns = "{" + ", ".join(_sql_literal(h) + ": 'VARCHAR'" for h in headers) + "}"
    return (f"read_csv({_sql_literal(path)}, delim = {_sql_literal(delimiter)}, header = true, columns = {columns}, "
            f"quote = '\"', escape = '\"', auto_detect = false, null_padding = true, "
            f"parallel = {'true' if parallel else 'false'})")


def _quote_ident(name: str) -> str:
    """Return a column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def _sql_literal(text: str) -> str:
    """Return a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _csv_error_detail(exc: Exception) -> str:
    """Return DuckDB's CSV error in one line, saying how many values a bad line holds when it tells."""
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and counts:
        return (f"line {line.group(1)} has {counts.group(2)} values where the header has {counts.group(1)} columns "
                "(a missing or extra delimiter, or an unclosed quote?)")
    return text.split("\n")[0]


def _schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version recorded in the file (0 for a new file)."""
    has_meta = _first_row(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")[0]
    if not has_meta:
        return 0
    row = _first_row(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    return int(row[0]) if row else 0


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return a frame with dates as datetime64 and money as float64."""
    for column in _DATE_COLUMNS.get(table, []):
        frame[column] = pd.to_datetime(frame[column])
    for column in _MONEY_COLUMNS.get(table, []):
        frame[column] = frame[column].astype("float64")
    if C.DISPUTED in frame:
        frame[C.DISPUTED] = frame[C.DISPUTED].astype(bool)
    return frame


def _iso(value: Any) -> str | None:
    """Return a date or timestamp as ISO text (None stays None)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
