"""Transactions: a failed or killed import changes nothing, keys hold, one writer at a time, a clear error on open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from forecasting.core.errors import DatabaseBusy, DatabaseError, KeyRepeated, OutOfMemory
from forecasting.ingest import kinds_invoices
from forecasting.ingest.parsing import DuplicateCheck
from forecasting.store.database import Store
from tests.fixtures.demo import ROOT
from tests.fixtures.ingest import INVOICE_HEADER as HEADER
from tests.fixtures.ingest import new_store, run_import, write_text


def new_file(tmp_path: Path, rows: int = 3) -> Path:
    """Write a receivables file of `rows` new invoices, every other one paid."""
    body = "".join(f"N-{n},Client {n % 7},2026-03-02,2026-04-01,{n}.50,{'2026-04-03' if n % 2 else ''}\n"
                   for n in range(rows))
    return write_text(tmp_path / f"new_{rows}.csv", HEADER + body)


def python(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start `python -c code args` from the project root, stdout piped."""
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


HOLD_WRITE_LOCK = """
import sys, time
from forecasting.store.database import Store
with Store(sys.argv[1]).transaction('import.test') as tx:
    tx.execute("DELETE FROM receivables")  # an uncommitted change that must never show
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Start a process that holds a write transaction on `db` for `seconds`, once it says so."""
    holder = python(HOLD_WRITE_LOCK, str(db), str(seconds))
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def test_failure_after_invoices_were_written_rolls_everything_back(store: Store, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """refresh_status fails after invoices and payments were upserted: every table is as before."""
    before = store.table_checksums()

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kinds_invoices, "refresh_status", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_import(store, new_file(tmp_path))

    assert store.table_checksums() == before
    assert store.status()["counts"]["receivables"] == 2


def test_failure_in_the_payments_upsert_rolls_back_the_invoices(store: Store, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Invoices are upserted, then writing payments fails: no new invoice is left behind."""
    before = store.table_checksums()
    real_upsert = kinds_invoices.upsert

    def upsert_failing_on_payments(tx: object, target: str, *args: object) -> tuple[int, int, int]:
        if target == "payments":
            raise RuntimeError("payments step failed")
        return real_upsert(tx, target, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(kinds_invoices, "upsert", upsert_failing_on_payments)
    with pytest.raises(RuntimeError, match="payments step failed"):
        run_import(store, new_file(tmp_path))

    assert store.table_checksums() == before


KILL_MID_IMPORT = """
import os, signal, sys
from forecasting.ingest import kinds_invoices
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.pipeline import import_file
from forecasting.store.database import Store

def killed(*args):
    os.kill(os.getpid(), signal.SIGKILL)  # no exception, no rollback, no close: like a power cut

kinds_invoices.refresh_status = killed
import_file(Store(sys.argv[1]), sys.argv[2], ImportOptions(kind="receivables"))
"""


def test_process_killed_mid_import_leaves_the_database_as_before(store: Store, tmp_path: Path) -> None:
    """SIGKILL after 130,000 invoices were inserted (more than a DuckDB row group): the file reopens unchanged."""
    before = store.table_checksums()

    proc = python(KILL_MID_IMPORT, str(store.path), str(new_file(tmp_path, rows=130_000)))
    proc.wait(timeout=60)

    assert proc.returncode == -signal.SIGKILL
    assert store.table_checksums() == before
    report = run_import(store, new_file(tmp_path))  # and it is still writable
    assert report.inserted == 3


KILL_FIRST_IMPORT = """
import os, signal, sys
from forecasting.ingest import kinds_invoices
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.pipeline import import_file
from forecasting.store.database import Store

real_upsert = kinds_invoices.upsert

def upsert(tx, target, *args):
    if target == "payments":  # the invoices are in, and the counterparties in their re-created table
        os.kill(os.getpid(), signal.SIGKILL)
    return real_upsert(tx, target, *args)

kinds_invoices.upsert = upsert
import_file(Store(sys.argv[1]), sys.argv[2], ImportOptions(kind="receivables"))
"""


def table_definitions(store: Store) -> list[tuple[object, ...]]:
    """Return every table's SQL and every constraint, as DuckDB's catalog describes them."""
    with store.reading() as tx:
        return (tx.con.execute("SELECT table_name, sql FROM duckdb_tables() ORDER BY ALL").fetchall()
                + tx.con.execute("SELECT table_name, constraint_type, constraint_column_names, constraint_name "
                                 "FROM duckdb_constraints() ORDER BY ALL").fetchall())


def test_first_import_into_an_empty_database_keeps_every_table_definition(tmp_path: Path) -> None:
    """The first import re-creates the empty tables it fills to add their keys at commit: same tables after."""
    store = new_store(tmp_path / "cashpilot.duckdb")
    empty = table_definitions(store)

    run_import(store, new_file(tmp_path, rows=500))

    assert table_definitions(store) == empty
    assert store.status()["counts"]["receivables"] == 500
    with pytest.raises(Exception, match="(?i)duplicate key"), store.transaction('import.test') as tx:  # the key holds
        tx.execute("INSERT INTO counterparties SELECT * FROM counterparties LIMIT 1")
    report = run_import(store, new_file(tmp_path, rows=500))
    assert (report.inserted, report.unchanged) == (0, 500)


def test_process_killed_during_a_first_import_leaves_the_empty_database_as_before(tmp_path: Path) -> None:
    """SIGKILL after the receivables table was re-created and filled, before commit: it reopens as it was."""
    store = new_store(tmp_path / "cashpilot.duckdb")
    before, definitions = store.table_checksums(), table_definitions(store)

    proc = python(KILL_FIRST_IMPORT, str(store.path), str(new_file(tmp_path, rows=130_000)))
    proc.wait(timeout=60)

    assert proc.returncode == -signal.SIGKILL
    assert store.table_checksums() == before
    assert table_definitions(store) == definitions


def checks_missing_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the import's duplicate checks find nothing, as if they had a bug."""
    monkeypatch.setattr(DuplicateCheck, "found_sql", lambda self: "0")


def test_a_repeated_key_the_checks_missed_still_fails_the_first_import(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The invoices' key is checked after they are written: a duplicate fails the import, changing nothing."""
    store = new_store(tmp_path / "cashpilot.duckdb")
    before = store.table_checksums()
    checks_missing_repeats(monkeypatch)
    path = write_text(tmp_path / "dup.csv", HEADER + "".join(f"D-1,Acme,2026-03-02,2026-04-01,{n}.00,\n" for n in (1, 2)))

    with pytest.raises(KeyRepeated, match="receivables: 2 rows would share the key source = 'default', "
                                          "invoice_id = 'D-1'; nothing was written"):
        run_import(store, path)

    assert store.table_checksums() == before


@pytest.mark.parametrize(("body", "message"), [
    ("D-1,Acme,2026-03-02,2026-04-01,1.00,\nD-1,Acme,2026-03-02,2026-04-01,2.00,\n", "2 rows would share the key"),
    ("B-2,Base Co,2026-01-06,2026-02-05,81.00,\nB-2,Base Co,2026-01-06,2026-02-05,82.00,\n",
     "update a row that another one updates too"),
], ids=["new key twice", "known key updated twice"])
def test_a_repeated_key_the_checks_missed_fails_a_later_import(store: Store, tmp_path: Path, body: str, message: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Into a source that holds invoices: a key given twice fails the import, as new rows or as updates."""
    before = store.table_checksums()
    checks_missing_repeats(monkeypatch)

    with pytest.raises(KeyRepeated, match=message):
        run_import(store, write_text(tmp_path / "dup.csv", HEADER + body))

    assert store.table_checksums() == before


def test_a_repeated_payment_id_the_checks_missed_fails_a_payments_import(store: Store, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The payments' key (source, side, payment id) holds for payments files too, first import of them or not."""
    before = store.table_checksums()
    checks_missing_repeats(monkeypatch)
    path = write_text(tmp_path / "pay.csv", "payment_id,invoice_id,paid_date,paid_amount\n"
                                            "P-1,B-2,2026-02-06,40.00\nP-1,B-2,2026-02-07,40.00\n")

    with pytest.raises(KeyRepeated, match="payments: 2 rows would share the key source = 'default', "
                                          "side = 'receivable', payment_id = 'P-1'"):
        run_import(store, path, kind="payments")

    assert store.table_checksums() == before



def test_import_while_another_process_writes_fails_with_database_busy(store: Store, tmp_path: Path) -> None:
    """A short busy timeout: 'database busy' after waiting, and the other process's work is not disturbed."""
    before = store.table_checksums()
    holder = hold_write_lock(store.path, seconds=4)
    try:
        impatient = Store(store.path, busy_timeout_s=0.5)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="database busy: .* is being written by another cashpilot process"):
            run_import(impatient, new_file(tmp_path))
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    assert store.table_checksums() == before  # the holder was killed: its DELETE never happened


def test_import_waits_for_the_other_writer_then_succeeds(store: Store, tmp_path: Path) -> None:
    """A longer busy timeout: the import waits for the holder to commit, then runs."""
    holder = hold_write_lock(store.path, seconds=1.5)
    try:
        report = run_import(Store(store.path, busy_timeout_s=20), new_file(tmp_path))
    finally:
        holder.wait(timeout=20)
    assert holder.returncode == 0
    # The import ran after the holder's commit: it sees the holder's delete of the two base invoices and adds its
    # three (before, it would have found the two and updated them). Not `holder.poll()`: the holder lets go of the
    # file before its process ends, so under load the import may finish first.
    assert report.inserted == 3
    assert store.status()["counts"]["receivables"] == 3


def test_a_write_waits_for_a_read_of_the_same_process_then_succeeds(store: Store, tmp_path: Path) -> None:
    """The dashboard saving a scenario while one of its pages reads: DuckDB refuses a read-write connection to a file
    this process has open read-only ("different configuration than existing connections"). The write waits for the
    read to end, as for another process's lock; it failed with "cannot open the database" (seen in a browser test)."""
    released = threading.Event()

    def read_a_while() -> None:
        with store.reading() as tx:
            tx.scalar("SELECT count(*) FROM receivables")
            released.wait(timeout=20)

    reader = threading.Thread(target=read_a_while)
    reader.start()
    threading.Timer(0.5, released.set).start()
    try:
        report = run_import(Store(store.path, busy_timeout_s=20), new_file(tmp_path))
    finally:
        released.set()
        reader.join(timeout=20)
    assert report.inserted + report.updated > 0


def test_two_imports_of_one_file_at_once_in_one_process_never_repeat_a_key(tmp_path: Path) -> None:
    """Two dashboard sessions importing the same file together: neither check sees the other's uncommitted rows,
    but both bump the data version, so the second commit conflicts and fails. Whatever the timing, no key twice."""
    store = new_store(tmp_path / "cashpilot.duckdb")
    path = new_file(tmp_path, rows=20_000)
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def run() -> None:
        start.wait()
        try:
            outcomes.append(run_import(Store(store.path, busy_timeout_s=20), path).inserted)
        except Exception as exc:  # noqa: BLE001 - a conflict is an acceptable outcome, a repeated key is not
            outcomes.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert 20_000 in outcomes and len(outcomes) == 2
    counts = store.status()["counts"]
    assert (counts["receivables"], counts["payments"]) == (20_000, 10_000)
    with store.reading() as tx:
        assert tx.scalar("SELECT count(DISTINCT invoice_id) FROM receivables") == 20_000



def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    """Pointing --db at a text file says so instead of crashing."""
    path = write_text(tmp_path / "notes.duckdb", "not a database\n")

    with pytest.raises(DatabaseError, match="cannot open the database .*notes.duckdb"):
        Store(path).status()


def test_an_import_past_the_memory_limit_is_a_clear_refusal_that_changes_nothing(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CASHPILOT_DB_MEMORY_LIMIT=1MB and 30,000 rows: OutOfMemory naming the setting (was an internal error)."""
    before = store.table_checksums()
    monkeypatch.setenv("CASHPILOT_DB_MEMORY_LIMIT", "1MB")

    with pytest.raises(OutOfMemory, match=r"^out of memory: .*\(DuckDB limit 1MB, setting CASHPILOT_DB_MEMORY_LIMIT\)"
                                          r"; nothing was changed"):
        run_import(store, new_file(tmp_path, rows=30_000))
    monkeypatch.delenv("CASHPILOT_DB_MEMORY_LIMIT")
    assert store.table_checksums() == before


def test_a_writer_runs_with_the_memory_limit_and_temp_directory_set(store: Store,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's connection: memory_limit from the setting, spilling beside the database file."""
    monkeypatch.setenv("CASHPILOT_DB_MEMORY_LIMIT", "700MB")
    with store.transaction('import.test') as tx:
        limit, temp = tx.row("SELECT current_setting('memory_limit'), current_setting('temp_directory')") or ()
    assert limit in ("667.5 MiB", "700.0 MB") and temp == f"{store.path}.tmp"
