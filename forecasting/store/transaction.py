"""Connections and transactions: the file opened past another process's lock, one writer, Tx the only handle.

DuckDB lets one process write a file, and no other process may open it meanwhile, not even read-only.
So nothing here keeps a connection open: every read and every write opens the file, does its work and
closes it, retrying for a while when another process holds it, then failing with `DatabaseBusy`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from forecasting.core.errors import DatabaseBusy, DatabaseError, InputError, KeyRepeated, OutOfMemory
from forecasting.store.schema import CODE_KEYS, SCHEMA_VERSION, migrate, schema_version

BUSY_TIMEOUT_S = float(os.environ.get("CASHPILOT_DB_TIMEOUT", "15"))
# What a writer (an import) may hold in memory before DuckDB spills to disk, and where it spills: a setting,
# so that a 10 M-row import stays within a small server's memory (bench/import_1m.py measures it).
DEFAULT_MEMORY_LIMIT = "1GB"
OUT_OF_MEMORY = ("out of memory: the work needed more than the memory available (DuckDB limit {limit}, setting "
                 "CASHPILOT_DB_MEMORY_LIMIT); nothing was changed. Close other programs, raise the setting, or "
                 "import the file in parts")


def _is_lock_error(exc: Exception) -> bool:
    """Return True when DuckDB refused the file for a while: another process holds its lock, or another connection of
    this process has it open in the other mode (the dashboard saving a scenario while a page's read is open)."""
    text = str(exc).lower()
    return "lock" in text or "different configuration than existing connections" in text


def connect(path: Path, read_only: bool, busy_timeout_s: float) -> duckdb.DuckDBPyConnection:
    """Return a connection to the file, waiting while another process holds it, then raise DatabaseBusy."""
    deadline = time.monotonic() + busy_timeout_s
    delay_s = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"database busy: {path} is being written by another cashpilot process "
                    f"(an import or the dashboard); waited {busy_timeout_s:.0f} s. Try again when it is done."
                ) from exc
            time.sleep(delay_s)
            delay_s = min(delay_s * 2, 0.5)


@contextmanager
def write_transaction(path: Path, busy_timeout_s: float) -> Iterator[Tx]:
    """Yield a write transaction (the file created and migrated first); commit on success, else roll back all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(path, read_only=False, busy_timeout_s=busy_timeout_s)
    limit = os.environ.get("CASHPILOT_DB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT
    try:
        try:
            con.execute(f"SET memory_limit = {_sql_literal(limit)}")
        except duckdb.Error as exc:
            raise DatabaseError(f"CASHPILOT_DB_MEMORY_LIMIT={limit}: not a memory size (expected e.g. 1GB or "
                                "512MB)") from exc
        # Spilled pages go beside the database (DuckDB's own default, named here so it is known and documented).
        con.execute(f"SET temp_directory = {_sql_literal(str(path) + '.tmp')}")
        migrate(con)
        con.execute("BEGIN TRANSACTION")
        try:
            tx = Tx(con)
            yield tx
            # A change that found nothing to do is undone whatever it wrote on the way (a data_version bump, a
            # DELETE of nothing): the file is exactly as before, so the dashboard's caches stay valid too.
            con.execute("ROLLBACK" if tx.unchanged else "COMMIT")
        except BaseException as exc:
            # A COMMIT that failed (a key repeated, see Tx.insert_into_empty) has rolled back already.
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")
            if isinstance(exc, (duckdb.OutOfMemoryException, MemoryError)):
                raise OutOfMemory(OUT_OF_MEMORY.format(limit=limit)) from exc
            raise
    except duckdb.OutOfMemoryException as exc:  # while migrating or committing
        raise OutOfMemory(OUT_OF_MEMORY.format(limit=limit)) from exc
    finally:
        con.close()


@contextmanager
def read_transaction(path: Path, busy_timeout_s: float) -> Iterator[Tx]:
    """Yield a read-only handle on the file (creating and migrating it first if needed)."""
    con = _open_read_only_current(path, busy_timeout_s)
    try:
        yield Tx(con)
    finally:
        con.close()


def _open_read_only_current(path: Path, busy_timeout_s: float) -> duckdb.DuckDBPyConnection:
    """Return the file opened read-only, after creating or migrating it when its schema is older than this code's."""
    # The schema is checked on the connection that will serve the read: opening the file costs ~25 ms,
    # and every dashboard or CLI read used to open it twice.
    if path.exists():
        con = connect(path, read_only=True, busy_timeout_s=busy_timeout_s)
        try:
            if schema_version(con) >= SCHEMA_VERSION:
                return con
        except BaseException:
            con.close()
            raise
        con.close()
    with write_transaction(path, busy_timeout_s):
        pass
    return connect(path, read_only=True, busy_timeout_s=busy_timeout_s)


@dataclass
class Tx:
    """A transaction on the store: the only handle other modules get on a DuckDB connection."""

    con: duckdb.DuckDBPyConnection
    note: str = ""  # what the change did, added to its audit line (e.g. an import's counts)
    unchanged: bool = False  # set when the change found nothing to do: rolled back, no audit line (Store.transaction)

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        """Run one statement (no result)."""
        self.con.execute(sql, params or [])

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Return the result of a query as a DataFrame."""
        return self.con.execute(sql, params or []).df()

    def row(self, sql: str, params: list[Any] | None = None) -> tuple[Any, ...] | None:
        """Return the first row of a query (None when empty)."""
        return first_row(self.con, sql, params)

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """Return the first column of the first row of a query (None when empty)."""
        row = first_row(self.con, sql, params)
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
        except duckdb.OutOfMemoryException:
            raise  # not the file's fault: the transaction says so (OutOfMemory)
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


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple[Any, ...] | None:
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
