"""Store, all database access: reads returning frames, status, the demo's writer, mapping profiles and scenarios.

Each read or write opens the file and closes it (transaction.py says why). The dashboard caches what it
read, keyed by `Store.fingerprint()` (the file's size and mtime): a CLI import changes the fingerprint,
so the dashboard shows the new data on its next rerun.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from forecasting.core import access
from forecasting.core import columns as C
from forecasting.core.access import Actor
from forecasting.core.ledger import Ledger
from forecasting.store.bank_payments import EFFECTIVE_PAYMENTS_SQL, has_applied_matches
from forecasting.store.schema import (
    BANK_TABLES,
    CODE_KEYS,
    DATA_TABLES,
    DATE_COLUMNS,
    MONEY_COLUMNS,
    SCHEMA_VERSION,
    SETTING_TABLES,
    TABLE_COLUMNS,
)
from forecasting.store.transaction import (
    BUSY_TIMEOUT_S,
    Tx,
    read_transaction,
    write_transaction,
)

DEFAULT_DB_PATH = Path("data") / "cashpilot.duckdb"


def default_db_path() -> Path:
    """Return the database path: $CASHPILOT_DB, else data/cashpilot.duckdb."""
    return Path(os.environ.get("CASHPILOT_DB") or DEFAULT_DB_PATH)


class Store:
    """All database access: short-lived connections, one transaction per write, DataFrames out."""

    def __init__(self, path: str | Path, busy_timeout_s: float = BUSY_TIMEOUT_S, actor: Actor | None = None) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self.actor = actor or access.local_actor()  # who every write is checked and audited as

    def acting_as(self, actor: Actor) -> Store:
        """Return a store on the same file whose writes are checked against, and audited as, `actor`."""
        return Store(self.path, self.busy_timeout_s, actor)

    # --- the file and its transactions ----------------------------------------------------------
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
    def transaction(self, action: str, details: str = "") -> Iterator[Tx]:
        """Yield a write transaction audited as `action` (access.py): it commits on success, rolls back on any exception.

        The actor's role is checked first (AccessDenied, nothing opened), and the change is written to the audit
        table inside the same transaction: no change without its audit line, no audit line for a change undone.
        One rule for a change that finds nothing to do (deleting a rule, scenario or proposal that is not there,
        a matching run or a rules' edit that changes nothing): the writer sets `tx.unchanged`, and the whole
        transaction is rolled back, so the database is exactly as before and no audit line is written.
        """
        self.actor.require(action)
        with write_transaction(self.path, self.busy_timeout_s) as tx:
            yield tx
            if tx.unchanged:
                return
            text = "; ".join(t for t in (details, tx.note) if t)
            tx.execute("INSERT INTO audit_log (changed_at, who, role, via, action, details) VALUES (?, ?, ?, ?, ?, ?)",
                       [datetime.now(UTC).replace(tzinfo=None), self.actor.who,
                        self.actor.role.label if self.actor.role else "none", self.actor.via, action, text])

    def reading(self) -> AbstractContextManager[Tx]:
        """Return a read-only handle to enter (creating and migrating the database first if needed)."""
        return read_transaction(self.path, self.busy_timeout_s)

    # --- reads -------------------------------------------------------------------------------
    def read_ledger(self) -> Ledger:
        """Return every data table as frames with the project's column names and dtypes."""
        frames: dict[str, pd.DataFrame] = {}
        with self.reading() as tx:
            tx.execute("SET arrow_large_buffer_size = true")  # text as large_string: what pandas keeps, no copy
            bank_paid = has_applied_matches(tx)
            for table in DATA_TABLES:
                # The payments the bank saw and the ledger does not show yet count as payments (bank_payments.py).
                source = f"({EFFECTIVE_PAYMENTS_SQL})" if table == "payments" and bank_paid else table
                # Through Arrow, with dates read as timestamps and decimals as doubles by DuckDB itself:
                # the same frame as `.df()`, several times faster on millions of rows (no Python objects).
                relation = tx.con.sql(f"SELECT * FROM {source}")
                select = ", ".join(
                    f'CAST("{name}" AS TIMESTAMP) AS "{name}"' if str(kind) == "DATE"
                    else f'CAST("{name}" AS DOUBLE) AS "{name}"' if str(kind).startswith("DECIMAL")
                    else f'"{name}"'
                    for name, kind in zip(relation.columns, relation.types, strict=True)
                )
                arrow = tx.con.sql(f"SELECT {select} FROM {source}").to_arrow_table()
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
            tables = {t: int(tx.scalar(f"SELECT count(*) FROM {t}")) for t in (*DATA_TABLES, *BANK_TABLES)
                      if t not in SETTING_TABLES}
            ranges: dict[str, dict[str, str | None]] = {}
            for table, column in (
                ("receivables", C.ISSUE_DATE), ("payables", C.ISSUE_DATE),
                ("payments", C.PAYMENT_DATE), ("bank_balances", C.BALANCE_DATE), ("fx_rates", C.RATE_DATE),
            ):
                bounds = tx.row(f"SELECT min({column}), max({column}) FROM {table}")
                assert bounds is not None  # an aggregate without GROUP BY returns one row
                lo, hi = bounds
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

    def audit_log(self, limit: int = 100) -> pd.DataFrame:
        """Return the latest changes (who, role, via, when in UTC, what, details), newest first."""
        with self.reading() as tx:
            return tx.df("SELECT * FROM audit_log ORDER BY audit_id DESC LIMIT ?", [limit])

    def table_checksums(self) -> dict[str, tuple[int, str]]:
        """Return (row count, content hash) per data table: used to prove a failed write changed nothing."""
        sql = " UNION ALL ".join(
            f"SELECT '{table}', count(*), CAST(COALESCE(sum(hash(t)), 0) AS VARCHAR) FROM {table} AS t"
            for table in (*DATA_TABLES, *BANK_TABLES, "import_log", "audit_log", "meta")
        )
        with self.reading() as tx:  # one query: the checks around every test import stay cheap
            found = tx.con.execute(sql).fetchall()
        return {table: (int(count), str(digest)) for table, count, digest in found}

    # --- writes ------------------------------------------------------------------------------
    def replace_all(self, ledger: Ledger, movements: pd.DataFrame | None = None,
                    ibans: dict[str, str] | None = None) -> None:
        """Replace every data table with the ledger's frames in one transaction (used by the demo).

        With `movements`, the bank movements too (matches are dropped: they pointed at the old data), and the
        accounts' IBANs.
        """
        counts = ", ".join(f"{len(getattr(ledger, t))} {t.replace('_', ' ')}" for t in DATA_TABLES)
        moved = "" if movements is None else f", {len(movements)} bank movements"
        with self.transaction(access.REPLACE_ALL, f"every data table replaced: {counts}{moved}") as tx:
            if movements is not None:
                for table in ("bank_match_invoices", "bank_matches", "bank_movements"):
                    tx.execute(f"DELETE FROM {table}")
            for table in DATA_TABLES:
                frame = getattr(ledger, table)[TABLE_COLUMNS[table]]
                tx.execute(f"DELETE FROM {table}")
                tx.register("_frame", frame)
                cols = ", ".join(TABLE_COLUMNS[table])
                tx.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _frame")
                tx.con.unregister("_frame")
                if table in CODE_KEYS:
                    tx.check_key(table)
            for account, iban in (ibans or {}).items():
                tx.execute("UPDATE bank_accounts SET iban = ? WHERE account_id = ?", [iban, account])
            if movements is not None and len(movements):
                tx.register("_movements", movements[C.BANK_MOVEMENT_COLUMNS])
                cols = ", ".join(C.BANK_MOVEMENT_COLUMNS)
                tx.execute(f"INSERT INTO bank_movements ({cols}) SELECT {cols} FROM _movements")
            tx.bump_data_version()

    def start_from_empty(self, keep_scenarios: bool) -> None:
        """Delete every imported row and the import history (saved scenarios too unless kept), in one transaction.

        The file remembers when it was emptied, so `cashpilot demo --if-empty` (run by `make run`) does not load
        the demo company back into it.
        """
        with self.transaction(access.START_FROM_EMPTY, "scenarios kept" if keep_scenarios else "scenarios removed") as tx:
            tables = (*DATA_TABLES, *BANK_TABLES, "import_log", *(() if keep_scenarios else ("scenarios",)))
            # not audit_log: who emptied it stays
            removed = {table: int(tx.scalar(f"DELETE FROM {table}")) for table in tables}
            tx.note = "removed: " + (", ".join(f"{n} {t}" for t, n in removed.items() if n) or "nothing")
            tx.execute("INSERT OR REPLACE INTO meta VALUES ('emptied_at', ?)", [datetime.now().isoformat()])
            tx.bump_data_version()

    def emptied_at(self) -> str | None:
        """Return when a user emptied this database (ISO text), None if never."""
        with self.reading() as tx:
            row = tx.row("SELECT value FROM meta WHERE key = 'emptied_at'")
        return None if row is None else str(row[0])

    # --- mapping profiles and scenarios ------------------------------------------------------
    def save_mapping_profile(self, name: str, kind: str, mapping: dict[str, str]) -> None:
        """Save (or replace) a named column mapping for a file kind."""
        with self.transaction(access.MAPPING_SAVE, f"{name} ({kind})") as tx:
            tx.execute(
                "INSERT OR REPLACE INTO mapping_profiles VALUES (?, ?, ?, ?)",
                [name, kind, json.dumps(mapping), datetime.now()],
            )

    def mapping_profile(self, name: str) -> tuple[str, dict[str, str]] | None:
        """Return (kind, mapping) of a saved profile, or None."""
        with self.reading() as tx:
            row = tx.row("SELECT kind, mapping FROM mapping_profiles WHERE name = ?", [name])
        return None if row is None else (row[0], json.loads(row[1]))

    def save_scenario(self, name: str, levers_json: str) -> bool:
        """Save (or replace) a named scenario; return True when it replaced an existing one."""
        now = datetime.now()
        with self.transaction(access.SCENARIO_SAVE, name) as tx:
            existed = bool(tx.scalar("SELECT count(*) FROM scenarios WHERE name = ?", [name]))
            tx.note = "replaced" if existed else "new"
            tx.execute(
                "INSERT INTO scenarios VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE "
                "SET levers = excluded.levers, updated_at = excluded.updated_at",
                [name, levers_json, now, now],
            )
        return existed

    def scenario_json(self, name: str) -> str | None:
        """Return a saved scenario's JSON, or None."""
        with self.reading() as tx:
            row = tx.row("SELECT CAST(levers AS VARCHAR) FROM scenarios WHERE name = ?", [name])
        return None if row is None else str(row[0])

    def scenarios(self) -> pd.DataFrame:
        """Return the saved scenarios (name, levers JSON, dates), by name."""
        with self.reading() as tx:
            return tx.df("SELECT name, CAST(levers AS VARCHAR) AS levers, created_at, updated_at "
                         "FROM scenarios ORDER BY name")

    def delete_scenario(self, name: str) -> bool:
        """Delete a saved scenario; return False when there was none of that name."""
        with self.transaction(access.SCENARIO_DELETE, name) as tx:
            existed = bool(tx.scalar("SELECT count(*) FROM scenarios WHERE name = ?", [name]))
            tx.execute("DELETE FROM scenarios WHERE name = ?", [name])
            tx.unchanged = not existed  # nothing to do: no audit line (Store.transaction)
        return existed

    def mapping_profiles(self) -> pd.DataFrame:
        """Return all saved mapping profiles."""
        with self.reading() as tx:
            return tx.df("SELECT name, kind, mapping, updated_at FROM mapping_profiles ORDER BY name")


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return a frame with dates as datetime64 and money as float64."""
    for column in DATE_COLUMNS.get(table, []):
        frame[column] = pd.to_datetime(frame[column])
    for column in MONEY_COLUMNS.get(table, []):
        frame[column] = frame[column].astype("float64")
    for column in (C.DISPUTED, C.CARRIED_FORWARD):
        if column in frame:
            frame[column] = frame[column].astype(bool)
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
