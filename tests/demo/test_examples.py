"""The demo's example statements in data/examples: written from the demo, and adding nothing to it when imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.demo.examples import EXAMPLE_DAY, EXAMPLES, example_files
from forecasting.store.database import Store


def test_the_committed_files_are_the_demo_s_statements() -> None:
    written = example_files(EXAMPLE_DAY)
    assert sorted(written) == ["BNP-MAIN-cfonb120.txt", "CIC-OPS-camt053.xml"]
    for name, text in written.items():  # regenerate with `python -m forecasting.demo.examples`
        assert (EXAMPLES / name).read_bytes().decode("utf-8") == text, name  # CFONB lines end with CRLF


def test_importing_them_into_the_demo_of_their_day_adds_no_movement(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.duckdb"
    assert main(["--db", str(db), "demo", "--today", EXAMPLE_DAY.isoformat()]) == 0
    before = Store(db).status()["counts"]["bank_movements"]
    files = [str(EXAMPLES / "BNP-MAIN-cfonb120.txt"), str(EXAMPLES / "CIC-OPS-camt053.xml")]
    capsys.readouterr()
    assert main(["--db", str(db), "import", "bank-statement", *files]) == 0
    out = capsys.readouterr().out
    assert ", 0 inserted," in out.splitlines()[0] and ", 0 inserted," in out.splitlines()[1], out
    assert Store(db).status()["counts"]["bank_movements"] == before
    # The same files into a database without the demo's bank: every movement arrives, the accounts created.
    other = tmp_path / "fresh.duckdb"
    shutil.copy(db, other)
    Store(other).start_from_empty(keep_scenarios=False)
    assert main(["--db", str(other), "import", "bank-statement", "--create-accounts", *files]) == 0
    assert Store(other).status()["counts"]["bank_movements"] == 564 + 125
