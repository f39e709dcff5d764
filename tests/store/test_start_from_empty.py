"""Starting from empty: every imported row goes, scenarios stay if asked, and the demo is not loaded back."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.store.database import Store


@pytest.mark.parametrize("keep", [True, False])
def test_start_from_empty_removes_the_data_and_keeps_the_scenarios_when_asked(
        tmp_path: Path, keep: bool, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.duckdb"
    assert main(["--db", str(db), "demo", "--scale", "0.05"]) == 0
    store = Store(db)
    store.save_scenario("Plan", '{"name": "Plan", "levers": [{"type": "supplier_terms", "delay_change_days": 5}]}')
    version = store.data_version()

    store.start_from_empty(keep_scenarios=keep)

    assert sum(store.status()["counts"].values()) == 0 and store.import_log().empty
    assert len(store.scenarios()) == (1 if keep else 0)
    assert store.data_version() > version and store.emptied_at() is not None
    capsys.readouterr()
    assert main(["--db", str(db), "demo", "--if-empty"]) == 0  # what `make run` does at every start
    assert "emptied on purpose" in capsys.readouterr().out
    assert sum(store.status()["counts"].values()) == 0
    assert main(["--db", str(db), "demo", "--scale", "0.05"]) == 0  # loaded when asked for
    assert store.status()["counts"]["receivables"] > 0
