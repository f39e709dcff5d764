"""`cashpilot kpis`: the JSON keys on the demo company, the table format, a clear refusal on an empty database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forecasting.cli.main import main

KPI_KEYS = {"as_of", "receivables_eur", "payables_eur", "dso_simple_days", "dso_countback_days", "dpo_days",
            "cash_conversion_cycle_days", "bfr_eur", "aging_eur", "aging_share", "overdue_rate", "collection_rate",
            "doubtful_rate", "bad_debt_rate", "top10_concentration", "ratings", "penalties", "dunning"}


def test_kpis_json_has_the_headline_figures(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "kpis", "--as-of", "2026-11-23", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) >= KPI_KEYS
    assert payload["as_of"] == "2026-11-23"
    assert 30 < payload["dso_countback_days"] < 90
    assert payload["bfr_eur"] == pytest.approx(payload["receivables_eur"] - payload["payables_eur"], abs=0.02)
    assert list(payload["aging_eur"]) == ["not due", "1–30", "31–60", "61–90", ">90"]
    assert sum(payload["aging_eur"].values()) == pytest.approx(payload["receivables_eur"], abs=0.1)
    assert set(payload["penalties"]) >= {"late_invoices", "interest_eur", "indemnity_eur", "penalty_eur"}
    assert len(payload["dunning"]) == 4
    assert all(set(level) == {"invoices", "open_eur"} for level in payload["dunning"].values())
    assert set(payload["ratings"]) == {"A", "B", "C", "D"}


def test_kpis_table_prints_one_line_per_figure(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "kpis", "--as-of", "2026-11-23", "--format", "table"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "dso_countback_days" in lines
    assert "bfr_eur" in lines
    assert "penalties.penalty_eur" in lines
    assert lines["as_of"].split()[-1] == "2026-11-23"
    assert float(lines["dso_countback_days"].split()[-1]) > 0
    # euros to the cent, other figures to 6 significant digits: no binary noise such as 1504272.5300000005
    assert re.fullmatch(r"-?\d+\.\d{2}", lines["bfr_eur"].split()[-1])
    assert len(lines["overdue_rate"].split()[-1].lstrip("0.").replace(".", "")) <= 6


def test_kpis_on_an_empty_database_says_to_import_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "none.duckdb"), "kpis"]) == 2
    assert "import files first" in capsys.readouterr().err
