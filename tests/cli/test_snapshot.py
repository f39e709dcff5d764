"""`cashpilot snapshot`: take (by hand, once a week), list, show, compare with the movements, accuracy, delete;
unknown snapshots and bad options are refused with exit 2 and a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli.main import main
from forecasting.core import columns as C
from forecasting.store.database import Store
from tests.fixtures.bank_snapshots import insert_movements, movements
from tests.fixtures.handmade import make_ledger


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Return a database whose only flows are planned: MAIN holds 5,000 on Sun 22 Nov 2026; payroll -2,000 on
    Wed 25 Nov, rent -300 on Tue 1 Dec."""
    path = tmp_path / "cashpilot.duckdb"
    flows = [{C.FLOW_ID: f, C.LABEL: f, C.CATEGORY: cat, C.ACCOUNT_ID: "MAIN", C.AMOUNT: amount, C.CURRENCY: "EUR",
              C.FIRST_DATE: pd.Timestamp(day), C.RECURRENCE: "none", C.END_DATE: pd.NaT}
             for f, cat, amount, day in (("pay", "payroll", -2000.0, "2026-11-25"), ("rent", "rent", -300.0,
                                                                                        "2026-12-01"))]
    Store(path).replace_all(make_ledger(
        bank_accounts=[{C.ACCOUNT_ID: "MAIN", C.NAME: "Main", C.BANK: "B", C.CURRENCY: "EUR", C.OVERDRAFT_LIMIT: 0.0}],
        bank_balances=[{C.ACCOUNT_ID: "MAIN", C.BALANCE_DATE: pd.Timestamp("2026-11-22"), C.BALANCE: 5000.0}],
        planned_flows=flows))
    return path


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_take_show_compare_and_delete(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = ["--db", str(db), "snapshot"]
    assert main([*cli, "--as-of", "2026-11-22", "--weeks", "2", "--label", "board"]) == 0
    assert "snapshot 1 taken" in capsys.readouterr().out
    assert main([*cli, "show", "1", "--format", "json"]) == 0
    shown = _json(capsys)
    assert shown["label"] == "board" and shown["settings"]["horizon_weeks"] == 2
    assert [(w["week_start"], w["disbursements"], w["closing_p50"]) for w in shown["weeks"]] == [
        ("2026-11-23", 2000.0, 3000.0), ("2026-11-30", 300.0, 2700.0)]
    # The bank: payroll paid 1,950 on the 25th, a 12 € fee nobody forecast, and rent a week late: after the
    # snapshot's two weeks, so within them it never came (an amount variance, not timing).
    insert_movements(Store(db), movements([("MAIN", "2026-11-25", -1950.0, "payroll"),
                                           ("MAIN", "2026-12-08", -300.0, "rent"),
                                           ("MAIN", "2026-12-02", -12.0, "bank_fees"),
                                           ("MAIN", "2026-12-13", 0.5, None)]))
    assert main([*cli, "compare", "1", "--format", "json"]) == 0
    compared = _json(capsys)
    assert compared["through"] == "2026-12-13"
    rows = {(r["week_start"], r["category"]): r for r in compared["weeks"]}
    assert rows[("2026-11-23", "payroll")]["amount"] == 50.0  # 50 € less paid than forecast
    assert rows[("2026-11-30", "rent")]["variance"] == 300.0 and rows[("2026-11-30", "rent")]["amount"] == 300.0
    assert rows[("2026-11-30", "bank_fees")]["unforecast"] == -12.0
    for row in compared["weeks"]:
        assert row["timing"] + row["amount"] + row["unforecast"] == pytest.approx(row["actual"] - row["forecast"])
    assert main([*cli, "compare", "1"]) == 0
    assert "against the bank's movements up to 2026-12-13" in capsys.readouterr().out
    assert main([*cli, "accuracy", "--format", "json"]) == 0
    summary = {s["lead_weeks"]: s for s in _json(capsys)["summary"]}
    assert summary[1]["weeks"] == 1 and summary[1]["mean_abs_error"] == 50.0
    assert main([*cli, "delete", "1"]) == 0
    assert main([*cli, "list"]) == 0
    assert "no snapshot yet" in capsys.readouterr().out


def test_weekly_takes_one_a_week(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = ["--db", str(db), "snapshot", "--weekly", "--as-of", "2026-11-22", "--weeks", "2"]
    assert main(cli) == 0 and main(cli) == 0
    assert "already taken (number 1): nothing written" in capsys.readouterr().out
    assert main(["--db", str(db), "snapshot", "list"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 1 and "weekly" in listed[0]
    audit = Store(db).audit_log()  # the weekly job's snapshot audited once, as the command line; the second wrote nothing
    assert list(audit["action"]) == ["snapshot.create", "database.replace"] and audit["via"].iloc[0] == "cli"
    assert audit["details"].iloc[0].startswith("as of 2026-11-22, 2 weeks, weekly; snapshot 1: ")


@pytest.mark.parametrize(("arguments", "message"), [
    (["snapshot", "show", "7"], "no snapshot number 7; none was taken yet: run `cashpilot snapshot`"),
    (["snapshot", "compare", "7"], "no snapshot number 7"),
    (["snapshot", "delete", "7"], "no snapshot number 7"),
    (["snapshot", "--weeks", "60"], "--weeks 60: the horizon must be between 1 and 52 weeks"),
    (["--lang", "fr", "snapshot", "show", "7"], "aucun instantané numéro 7"),
])
def test_bad_input_exits_2_and_changes_nothing(arguments: list[str], message: str, db: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before = Store(db).table_checksums()
    assert main(["--db", str(db), *arguments]) == 2
    assert message in capsys.readouterr().err
    assert Store(db).table_checksums() == before


def test_a_snapshot_number_that_is_not_a_number_exits_2(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db), "snapshot", "show", "last"])
    assert stop.value.code == 2
    assert "invalid int value: 'last'" in capsys.readouterr().err
