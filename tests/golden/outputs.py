"""How each golden output is produced: the CLI's JSON on the demo company, and the workbook's cell values."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from forecasting.cli.main import main
from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.store.database import Store

TODAY = date(2026, 11, 23)  # the demo's last day, as in tests/conftest.py
AS_OF = "2026-11-23"
PAST = "2026-08-30"  # a backtest origin whose 13 weeks have happened
SCENARIO = {"name": "golden", "levers": [
    {"type": "collection_effort", "scope": {"kind": "all"}, "delay_change_days": -10},
    {"type": "supplier_terms", "scope": {"kind": "all"}, "terms": "net 75"},
    {"type": "client_terms", "scope": {"kind": "all"}, "terms": "45 days end of month", "apply_to_open": False},
]}


def demo_database(folder: Path) -> Path:
    """Return a database holding the demo company (seed 42, scale 1, ending on TODAY) in `folder`."""
    path = folder / "golden.duckdb"
    Store(path).replace_all(Ledger.from_object(demo.generate(seed=42, scale=1.0, today=TODAY)))
    return path


def _cli_json(db: Path, *args: str) -> Any:
    """Return the JSON `cashpilot --db DB ARGS --format json` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--db", str(db), *args, "--format", "json"])
    assert code == 0, f"cashpilot {' '.join(args)} exited with {code}"
    return json.loads(out.getvalue())


def _scenario_file(folder: Path) -> Path:
    """Return the path of SCENARIO written as a scenario file in `folder`."""
    scenario = folder / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    return scenario


def _workbook(db: Path, folder: Path, lang: str) -> dict[str, list[list[Any]]]:
    """Return every sheet of the exported workbook (with the scenario) as rows of cell values."""
    scenario = _scenario_file(folder)
    path = folder / f"book-{lang}.xlsx"
    assert main(["--db", str(db), "export", "xlsx", "--out", str(path), "--as-of", AS_OF, "--scenario",
                 str(scenario), "--lang", lang]) == 0
    book = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [[_plain(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _plain(value: Any) -> Any:
    """Return a cell value JSON can hold (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _forecast_with_scenario(db: Path, folder: Path) -> Any:
    """Return the 26-week forecast JSON with SCENARIO's delta."""
    return _cli_json(db, "forecast", "--as-of", AS_OF, "--weeks", "26", "--scenario", str(_scenario_file(folder)))


OUTPUTS: dict[str, Callable[[Path, Path], Any]] = {
    "forecast": lambda db, tmp: _cli_json(db, "forecast", "--as-of", AS_OF),
    "forecast_scenario": _forecast_with_scenario,
    "backtest": lambda db, tmp: _cli_json(db, "backtest", "--as-of", PAST),
    "kpis": lambda db, tmp: _cli_json(db, "kpis", "--as-of", AS_OF),
    "workbook_en": lambda db, tmp: _workbook(db, tmp, "en"),
    "workbook_fr": lambda db, tmp: _workbook(db, tmp, "fr"),
}


def run_output(name: str, db: Path, folder: Path) -> Any:
    """Return the golden output `name` computed by the current code."""
    return OUTPUTS[name](db, folder)
