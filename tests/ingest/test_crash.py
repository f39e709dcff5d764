"""An import killed with SIGKILL at any moment leaves the database as it was before, or as the import would leave it.

The child process imports a 20,000-row cp1252 file (so a UTF-8 copy is written too) into a database holding
one earlier import; it is killed at a few moments, from the copy being written to the commit.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from forecasting.ingest.textscan import COPY_PREFIX
from forecasting.store.database import Store
from tests.fixtures.demo import ROOT
from tests.fixtures.fuzz import (
    KILLED_IMPORT,
    data_state,
    kill_import_after,
    random_invoices,
    run_cli,
    write_valid,
)
from tests.fixtures.ingest import new_store


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, tuple[int, str]],
                                                              dict[str, tuple[int, str]]]:
    """Return (a database before, the big file, the data checksums before, and after a complete import)."""
    import random

    work = tmp_path_factory.mktemp("crash")  # pytest's, cleaned like every tmp_path
    before_db = new_store(work / "before.duckdb").path
    small, _ = write_valid(work / "small", "csv-en", random_invoices(random.Random(1), 20))
    assert run_cli(before_db, "receivables", small).code == 0
    big, _ = write_valid(work / "big", "csv-fr", random_invoices(random.Random(2), 20_000), "cp1252")
    after_db = work / "after.duckdb"
    shutil.copy(before_db, after_db)
    assert run_cli(after_db, "receivables", big).code == 0
    return before_db, big, data_state(before_db), data_state(after_db)


@pytest.mark.parametrize("delay_s", [0.05, 0.5, 1.2])
def test_a_killed_import_leaves_the_before_or_the_after_state(states: tuple[Path, Path, dict[str, tuple[int, str]],
                                                                            dict[str, tuple[int, str]]],
                                                              tmp_path: Path, delay_s: float) -> None:
    """Killed `delay_s` seconds in: the database reopens, holds one of the two states, and takes a new import."""
    before_db, big, before, after = states
    db = tmp_path / "db.duckdb"
    shutil.copy(before_db, db)

    kill_import_after(db, big, "receivables", delay_s, ROOT)

    assert data_state(db) in (before, after)
    assert Store(db).status()["counts"]["receivables"] in (20, 20_020)
    assert run_cli(db, "receivables", big).code == 0 and data_state(db) == after  # and it is writable


def test_the_next_import_removes_the_utf8_copy_a_killed_import_left(
        states: tuple[Path, Path, dict[str, tuple[int, str]], dict[str, tuple[int, str]]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed while its UTF-8 copy exists: the copy is removed by the next import (of any file needing one)."""
    before_db, big, _, _ = states
    db = tmp_path / "db.duckdb"
    shutil.copy(before_db, db)
    # A temporary folder of this test's own (the child inherits TMPDIR): other tests' imports, run beside it on
    # other workers, write their own copies in the shared one.
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(db), str(big), "receivables"], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any(temp.glob(f"{COPY_PREFIX}{child.pid}-*")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # killed once its copy exists, however loaded the machine
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert list(temp.glob(f"{COPY_PREFIX}{child.pid}-*")), "the killed import left no copy: nothing was tested"

    run_cli(db, "receivables", big)

    assert not list(temp.glob(f"{COPY_PREFIX}*"))
