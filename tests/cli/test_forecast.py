"""`cashpilot forecast` and `cashpilot backtest`: the documented JSON keys, formats and clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecasting.cli.main import main

WEEK_KEYS = {"week_start", "receipts", "disbursements", "net", "closing_p10", "closing_p50", "closing_p90"}
SUMMARY_KEYS = {"opening_balance", "min_cash", "min_cash_date", "first_shortfall_date",
                "first_overdraft_breach_date", "expected_bad_debt"}


def test_forecast_json_has_13_weeks_and_the_summary(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "forecast", "--as-of", "2026-11-23", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["weeks"]) == 13
    assert set(payload["weeks"][0]) >= WEEK_KEYS
    assert set(payload["summary"]) >= SUMMARY_KEYS
    assert payload["weeks"][0]["week_start"] == "2026-11-23"
    first = payload["weeks"][0]
    assert first["closing_p10"] <= first["closing_p50"] <= first["closing_p90"]
    # the week's net is its receipts less its disbursements
    for week in payload["weeks"]:
        assert week["net"] == pytest.approx(week["receipts"] - week["disbursements"], abs=0.02)


def test_forecast_csv_to_a_file_with_26_weeks(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "outlook.csv"
    assert main(["--db", str(demo_db), "forecast", "--as-of", "2026-11-23", "--weeks", "26", "--format", "csv",
                 "--out", str(out)]) == 0
    lines = out.read_text().strip().splitlines()
    assert lines[0].startswith("week_start,receipts,disbursements,net")
    assert len(lines) == 27


def test_forecast_refuses_a_horizon_beyond_52_weeks(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "forecast", "--weeks", "60"]) == 2
    assert "between 1 and 52 weeks" in capsys.readouterr().err


def test_forecast_on_an_empty_database_says_to_import_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "none.duckdb"), "forecast"]) == 2
    assert "import files first" in capsys.readouterr().err


def test_forecast_on_receivables_only_says_it_covers_receipts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "invoices.csv"
    rows = ["Invoice No,Customer,Invoice date,Due date,Amount,Paid date"]
    for i in range(40):  # a client that pays 5 days late, monthly invoices, the last three open
        month = 1 + i % 10
        paid = f"2026-{month + 1:02d}-20" if i < 37 else ""
        rows.append(f"F{i:03d},Client {i % 4},2026-{month:02d}-01,2026-{month + 1:02d}-15,{1000 + i}.00,{paid}")
    csv.write_text("\n".join(rows) + "\n")
    db = str(tmp_path / "r.duckdb")
    assert main(["--db", db, "import", "receivables", str(csv)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "forecast", "--as-of", "2026-11-01", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["covers"] == ["receipts"]
    assert any("no bank balance" in note for note in summary["notes"])


def test_backtest_json_has_the_documented_keys(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "backtest", "--as-of", "2026-08-24", "--format", "json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    for key in ("as_of", "n_open_invoices", "n_later_invoices", "payment_date_mae_days", "late_accuracy",
                "baseline_due_date_mae_days", "baseline_client_median_mae_days", "weekly_receipts_wape",
                "weekly_receipts_bias", "interval_coverage_p10_p90"):
        assert key in metrics
    for part in ("open_at_as_of", "issued_after_as_of"):
        assert "payment_date_mae_days" in metrics[part]
    assert metrics["payment_date_mae_days"] < metrics["baseline_due_date_mae_days"]
    for key in ("data_end", "sides", "closing_cash", "notes"):  # added for issue 14
        assert key in metrics
