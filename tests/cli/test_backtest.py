"""`cashpilot backtest`: both sides or one (--side), a payables-only database, the JSON's new keys and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecasting.cli.main import main


def _payables_only_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Return a database holding a supplier paid 3 days after each monthly invoice's due date, nothing else."""
    csv = tmp_path / "payables.csv"
    rows = ["Invoice No,Supplier,Invoice date,Due date,Amount,Paid date"]
    for i in range(40):  # weekly invoices from 5 January 2026 on 28-day terms; the last ones still open
        day = 5 + 7 * i
        issue = f"2026-{1 + (day - 1) // 28:02d}-{1 + (day - 1) % 28:02d}"
        due = f"2026-{2 + (day - 1) // 28:02d}-{1 + (day - 1) % 28:02d}"
        paid = f"2026-{2 + (day - 1) // 28:02d}-{min(28, 4 + (day - 1) % 28):02d}" if i < 30 else ""
        rows.append(f"S{i:03d},Supplier {i % 3},{issue},{due},{1000 + i}.00,{paid}")
    csv.write_text("\n".join(rows) + "\n")
    db = str(tmp_path / "p.duckdb")
    assert main(["--db", db, "import", "payables", str(csv)]) == 0
    capsys.readouterr()
    return db


def test_a_payables_only_database_backtests_without_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the old backtest stopped here with "internal error: TypeError('Cannot cast DatetimeArray to dtype float64')"
    db = _payables_only_db(tmp_path, capsys)
    assert main(["--db", db, "backtest", "--as-of", "2026-06-30", "--format", "json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert list(metrics["sides"]) == ["payables"]
    payables = metrics["sides"]["payables"]
    assert payables["n_scored"] > 0 and payables["invoices"]["model"]["mae_days"] is not None
    assert metrics["payment_date_mae_days"] is None  # the historical keys describe receivables: none here
    assert main(["--db", db, "backtest", "--as-of", "2026-06-30"]) == 0
    text = capsys.readouterr().out
    assert "Payables: supplier payments" in text and "Everyone's median delay" in text
    assert "Closing cash: not compared" in text  # no bank balance in this database
    # the `key value` lines are one figure each (nested groups dotted), never a Python dict
    assert "{'" not in text and "open_at_as_of.n_invoices" in text


def test_a_side_without_invoices_is_refused_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _payables_only_db(tmp_path, capsys)
    assert main(["--db", db, "backtest", "--as-of", "2026-06-30", "--side", "receivables"]) == 2
    assert "no client invoices to backtest" in capsys.readouterr().err
    assert main(["--db", db, "--lang", "fr", "backtest", "--as-of", "2026-06-30", "--side", "receivables"]) == 2
    assert "aucune facture client à tester" in capsys.readouterr().err


def test_side_chooses_what_is_backtested(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "backtest", "--as-of", "2026-08-30", "--side", "payables", "--format",
                 "json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert list(metrics["sides"]) == ["payables"] and metrics["n_open_invoices"] is None
    assert metrics["closing_cash"]["balance_date"] == "2026-11-23"  # the data's last balance; no matter the side
    assert main(["--db", str(demo_db), "backtest", "--as-of", "2026-08-30", "--side", "receivables", "--format",
                 "json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert list(metrics["sides"]) == ["receivables"] and metrics["n_open_invoices"] > 0
