"""Tests of forecasting.reports.forecast_vs_actual: a snapshot against movements, and the accuracy by lead."""

from __future__ import annotations

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.reports.forecast_vs_actual import accuracy, forecast_vs_actual
from tests.fixtures.bank_snapshots import movements, snapshot

FX = Ledger.empty().fx_rates
# Taken on Sunday 4 Jan 2026 over 3 weeks: 5, 12 and 19 January.
SNAPSHOT = snapshot(1, "2026-01-04", 3, [
    ("2026-01-05", "MAIN", "clients", 500.0, 0.0), ("2026-01-12", "MAIN", "clients", 1000.0, 0.0),
    ("2026-01-05", "OPS", "rent", 0.0, 700.0),
])
MOVES = movements([("MAIN", "2026-01-06", 400.0, "clients"), ("MAIN", "2026-01-21", 1000.0, "clients"),
                   ("OPS", "2026-01-05", -700.0, "rent"), ("MAIN", "2026-01-23", -30.0, "bank_fees"),
                   ("MAIN", "2026-01-25", 5.0, None)])


def test_a_snapshot_against_the_movements() -> None:
    result = forecast_vs_actual(SNAPSHOT, MOVES, FX)
    assert result.through == pd.Timestamp("2026-01-25")
    assert len(result.weeks) == 3
    weekly = result.by_week.set_index(C.WEEK_START)
    week3 = weekly.loc[pd.Timestamp("2026-01-19")]
    assert (week3["forecast"], week3["actual"], week3["timing"], week3["unforecast"]) == (0.0, 975.0, 1000.0, -25.0)
    assert weekly.loc[pd.Timestamp("2026-01-05"), "amount"] == -100.0
    by_category = result.by_category.set_index(C.CATEGORY)
    assert by_category.loc["rent", "variance"] == 0.0
    assert by_category.loc["other", "unforecast"] == 5.0  # the uncategorised credit


def test_one_account_and_weeks_not_finished() -> None:
    result = forecast_vs_actual(SNAPSHOT, MOVES[MOVES[C.BOOKING_DATE] <= "2026-01-23"], FX, account="OPS")
    assert list(result.weeks) == [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12")]  # week 3 is not over
    assert result.variance[C.CATEGORY].tolist() == ["rent"]  # the week without rent has no row
    assert result.by_week["forecast"].tolist() == [-700.0, 0.0] and result.by_week["variance"].tolist() == [0.0, 0.0]


def test_no_movement_compares_nothing() -> None:
    result = forecast_vs_actual(SNAPSHOT, MOVES.iloc[:0], FX)
    assert result.through is None and len(result.weeks) == 0 and result.variance.empty


def test_accuracy_by_lead() -> None:
    # Taken on 4 Jan: the weeks of 5, 12 and 19 Jan are its leads 1, 2 and 3. Taken on 11 Jan: the weeks of 12 and
    # 19 Jan (complete by the 25th) are its leads 1 and 2. Error = actual - forecast net flow of the week.
    later = snapshot(2, "2026-01-11", 4, [("2026-01-12", "MAIN", "clients", 200.0, 0.0)], created_at="2026-01-11")
    result = accuracy([SNAPSHOT, later], MOVES, FX, leads=(1, 2))
    errors = result.errors.set_index([C.WEEK_START, "lead_weeks"])
    assert errors.loc[(pd.Timestamp("2026-01-05"), 1), "error"] == 400.0 - 700.0 - (500.0 - 700.0)
    assert errors.loc[(pd.Timestamp("2026-01-12"), 1), C.SNAPSHOT_ID] == 2
    assert errors.loc[(pd.Timestamp("2026-01-12"), 1), "error"] == -200.0
    assert errors.loc[(pd.Timestamp("2026-01-12"), 2), "error"] == -1000.0
    assert errors.loc[(pd.Timestamp("2026-01-19"), 2), "error"] == 975.0  # the second snapshot forecast nothing
    summary = result.summary.set_index("lead_weeks")
    assert summary.loc[1, "weeks"] == 2 and summary.loc[1, "mean_abs_error"] == (100.0 + 200.0) / 2
    assert summary.loc[2, "bias"] == (-1000.0 + 975.0) / 2
