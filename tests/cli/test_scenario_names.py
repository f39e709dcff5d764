"""`cashpilot scenario show|delete` and `forecast --scenario` with a name that starts with '-' (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecasting.cli.main import _names_kept, main


def test_a_scenario_named_like_an_option_can_be_saved_shown_and_deleted(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "odd.json"
    scenario.write_text(json.dumps({"name": "-2+3", "levers": [
        {"type": "collection_effort", "scope": {"kind": "all"}, "delay_change_days": -5}]}), encoding="utf-8")
    db = str(tmp_path / "x.duckdb")
    assert main(["--db", db, "scenario", "save", str(scenario)]) == 0
    assert main(["--db", db, "scenario", "show", "-2+3"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["name"] == "-2+3"
    assert main(["--db", db, "scenario", "delete", "-2+3"]) == 0
    assert "scenario '-2+3' deleted" in capsys.readouterr().out


def test_only_names_are_kept_and_options_stay_options():
    assert _names_kept(["forecast", "--scenario", "-x", "--weeks", "4"]) == ["forecast", "--scenario=-x", "--weeks", "4"]
    assert _names_kept(["scenario", "show", "--help"]) == ["scenario", "show", "--help"]
    assert _names_kept(["--db", "a", "scenario", "delete", "-y"]) == ["--db", "a", "scenario", "delete", "--", "-y"]
