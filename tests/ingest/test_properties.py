"""Property-based: generated valid files import exactly their rows; damaged ones import or are refused cleanly.

Every kind of import (English and French CSV, xlsx, Parquet, FEC) is generated from rows whose values are known.
- A valid file: exit 0 and the database holds exactly those rows (ids, names, dates, amounts).
- The same file damaged one way (NUL, lone CR, quote, delimiter, line break, 40,000-character cell, truncation,
  bit flips, deletion, a repeated line, a high byte, a tab, the body emptied): exit 0, or exit 2 with a message
  and the database unchanged; never an internal error or a traceback; within the time given (deadline).
The examples come from a Hypothesis profile (tests/conftest.py): "ci", the default, derandomized (the same examples
every run) and bounded to well under a minute (its max_examples per damaged kind, half that per valid kind); "deep",
for a nightly run or before a release (`pytest tests/ingest/test_properties.py -p no:xdist --hypothesis-profile=deep`,
README "Tests"), forty times the examples, new ones each run. bench/fuzz.py runs the long campaign.
Each example gets its own database, a copy of a template's bytes (new_store); its checksums before the import are the
template's, read once (empty_checksums), and the rows imported are read with one query: an example costs the import.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasting.store.database import Store
from tests.fixtures.fuzz import (
    DAMAGE,
    KINDS,
    damage,
    damage_xlsx_sheet,
    empty_checksums,
    expected,
    imported,
    random_invoices,
    run_cli,
    write_valid,
)
from tests.fixtures.ingest import new_store

# The loaded profile's settings (tests/conftest.py; --hypothesis-profile chooses another before this module is read).
DAMAGED = settings()
VALID = settings(max_examples=max(1, DAMAGED.max_examples // 2))


@pytest.mark.parametrize("kind", KINDS)
@VALID
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 40), cp1252=st.booleans())
def test_a_valid_generated_file_imports_exactly_its_rows(kind: str, seed: int, count: int, cp1252: bool) -> None:
    """Exit 0, and every generated invoice is in the database as written (nothing more, nothing altered)."""
    invoices = random_invoices(random.Random(seed), count)
    with tempfile.TemporaryDirectory() as tmp:
        db = new_store(Path(tmp) / "db.duckdb").path
        path, import_kind = write_valid(Path(tmp) / "file", kind, invoices, "cp1252" if cp1252 else "utf-8")

        outcome = run_cli(db, import_kind, path, compare=False)  # what it holds is compared below

        assert outcome.code == 0, outcome.stderr
        assert imported(Store(db)) == expected(invoices, kind)


@pytest.mark.parametrize("kind", KINDS)
@DAMAGED
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 30), how=st.sampled_from(DAMAGE))
def test_a_damaged_file_is_imported_or_refused_cleanly(kind: str, seed: int, count: int, how: str) -> None:
    """Exit 0 (a damage that leaves valid rows), or exit 2 with a message and the database unchanged."""
    rng = random.Random(seed)
    invoices = random_invoices(rng, count)
    with tempfile.TemporaryDirectory() as tmp:
        db = new_store(Path(tmp) / "db.duckdb").path
        path, import_kind = write_valid(Path(tmp) / "file", kind, invoices)
        if kind == "xlsx" and rng.random() < 0.7:
            damage_xlsx_sheet(path, rng, how)  # the sheet XML broken inside a valid zip
        else:
            path.write_bytes(damage(path.read_bytes(), rng, how))

        outcome = run_cli(db, import_kind, path, before=empty_checksums(Path(tmp)))

        assert outcome.code in (0, 2), outcome.stderr
        assert "internal error" not in outcome.stderr and "Traceback" not in outcome.stderr
        if outcome.code == 2:
            assert outcome.stderr.startswith("cashpilot: ") and len(outcome.stderr.strip()) > len("cashpilot: ")
            assert not outcome.changed
        else:
            held = imported(Store(db))
            assert 0 < len(held) <= count + 1  # a repeated line is the same invoice; a split one may add one
            assert all(amount == amount and abs(amount) < 1e13 for *_, amount in held.values())
