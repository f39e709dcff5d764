"""The JSON of `cashpilot forecast`, `kpis` and `backtest` keeps its keys and their order (scripts read it).

tests/test_golden.py checks the values; these lists are the layout the results' dataclasses turn into at the
CLI (ProjectionSummary through reports.payload, KpiSummary.to_dict, BacktestMetrics.to_dict), written out here
so that moving a field of a dataclass cannot move a key unnoticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forecasting.cli.main import main
from tests.golden.outputs import SCENARIO

WEEK_KEYS = ["week_start", "receipts", "disbursements", "net", "closing_p10", "closing_p50", "closing_p90",
             "closing_expected"]  # the last added for issue 17
SUMMARY_KEYS = ["as_of", "horizon_weeks", "opening_balance", "opening_balance_date", "min_cash", "min_cash_date",
                "first_shortfall_date", "first_overdraft_breach_date", "overdraft_limit", "expected_bad_debt",
                "covers", "notes",
                "net_cash_at_horizon", "net_cash_at_horizon_p10", "net_cash_at_horizon_p90"]  # the last three: issue 17
FIGURES = ["opening_cash", "net_cash_at_horizon", "lowest_point", "first_day_below_zero", "first_day_beyond_overdraft",
           "expected_bad_debt", "open_receivables", "overdue_receivables", "open_payables", "bfr", "dso"]  # issue 17
FIGURE_KEYS = ["label", "statistic", "value", "date", "p10", "p90"]
KPI_KEYS = ["as_of", "currency", "receivables_eur", "overdue_receivables_eur", "payables_eur",
            "sales_ttc_period_eur", "sales_ttc_365d_eur", "period_days", "dso_simple_days", "dso_countback_days",
            "dpo_days", "dio_days", "cash_conversion_cycle_days", "inventory_eur", "bfr_eur", "bfr_days_of_sales",
            "overdue_rate", "collection_rate", "doubtful_receivables_eur", "doubtful_rate", "written_off_365d_eur",
            "bad_debt_rate", "average_receivables_eur", "receivables_turnover", "clients_with_encours",
            "average_encours_per_client_eur", "top10_concentration", "aging_eur", "aging_share", "ratings",
            "clients_over_limit", "penalty_rate", "penalties", "dunning", "settings"]
PENALTY_KEYS = ["late_invoices", "late_open_invoices", "late_paid_invoices", "interest_eur", "indemnity_eur",
                "penalty_eur"]
DUNNING_LEVELS = ["1 — friendly reminder", "2 — formal reminder", "3 — formal notice (mise en demeure)",
                  "4 — collection / litigation"]
SETTINGS_KEYS = ["period_days", "aging_buckets_days", "ecb_rate", "legal_interest_rate", "recovery_indemnity_eur",
                 "inventory_eur", "cogs_share_of_purchases", "doubtful_overdue_days", "rating_thresholds_days",
                 "dunning_levels_days", "penalty_policy", "penalty_lookback_days"]  # the last two: issue 17
BACKTEST_KEYS = ["as_of", "horizon_weeks", "n_open_invoices", "n_later_invoices", "n_open_at_as_of_unpaid_in_horizon",
                 "payment_date_mae_days", "late_accuracy", "baseline_due_date_mae_days",
                 "baseline_client_median_mae_days", "baseline_due_date_late_accuracy",
                 "baseline_client_median_late_accuracy", "weekly_receipts_wape", "weekly_receipts_bias",
                 "interval_coverage_p10_p90", "open_at_as_of", "issued_after_as_of",
                 "data_end", "sides", "closing_cash", "notes"]  # the last four added for issue 14
SIDE_KEYS = ["side", "n_invoices", "n_scored", "n_paid_after_horizon", "n_open_at_as_of_unpaid_in_horizon",
             "unpaid_at_data_end", "invoices", "open_at_as_of", "issued_after_as_of", "weekly"]
UNPAID_KEYS = ["n_invoices", "amount_eur", "n_open_at_as_of", "n_issued_after_as_of", "n_not_due_at_data_end"]
MODEL_KEYS = ["mae_days", "bias_days", "late_accuracy", "coverage_p10_p90", "below_p10", "above_p90", "crps_days",
              "pinball_days", "pit_coverage_p10_p90", "mean_bias_days"]  # the last: session 15
BASELINE_KEYS = ["due_date", "client_median", "client_mean_dispute", "side_median"]
POINT_KEYS = ["mae_days", "bias_days", "late_accuracy"]
WEEKLY_KEYS = ["n_weeks", "actual_eur", "forecast_eur", "wape", "bias", "coverage_p10_p90", "baseline_run_rate_wape",
               "baseline_run_rate_bias"]
CLOSING_KEYS = ["balance_date", "actual_eur", "forecast_expected_eur", "forecast_p10_eur", "forecast_p50_eur",
                "forecast_p90_eur", "error_eur", "inside_p10_p90", "n_weeks", "weekly_coverage_p10_p90",
                "weekly_mean_abs_error_eur"]
GROUP_KEYS = ["n_invoices", "payment_date_mae_days", "late_accuracy", "baseline_due_date_mae_days",
              "baseline_due_date_late_accuracy", "baseline_client_median_mae_days",
              "baseline_client_median_late_accuracy"]


def _json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Any:
    """Return what `cashpilot --db DB ARGS --format json` prints, read back in its order."""
    assert main(["--db", str(db), *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_forecast_json_keeps_its_keys_in_order(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = _json(capsys, demo_db, "forecast", "--as-of", "2026-11-23")
    assert list(payload) == ["weeks", "summary", "figures"]
    assert all(list(week) == WEEK_KEYS for week in payload["weeks"])
    assert list(payload["summary"]) == SUMMARY_KEYS
    assert list(payload["figures"]) == FIGURES
    assert all(list(figure) == FIGURE_KEYS for figure in payload["figures"].values())


def test_scenario_forecast_json_keeps_its_keys_in_order(demo_db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    payload = _json(capsys, demo_db, "forecast", "--as-of", "2026-11-23", "--scenario", str(scenario))
    assert list(payload) == ["weeks", "summary", "scenario", "baseline", "delta", "warnings"]
    assert list(payload["summary"]) == SUMMARY_KEYS and list(payload["baseline"]) == SUMMARY_KEYS
    assert all(list(week) == WEEK_KEYS for week in payload["weeks"])


def test_kpis_json_keeps_its_keys_in_order(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = _json(capsys, demo_db, "kpis", "--as-of", "2026-11-23")
    assert list(payload) == KPI_KEYS
    assert list(payload["aging_eur"]) == list(payload["aging_share"]) == ["not due", "1–30", "31–60", "61–90", ">90"]
    assert list(payload["ratings"]) == ["A", "B", "C", "D"]
    assert list(payload["penalties"]) == PENALTY_KEYS
    assert list(payload["dunning"]) == DUNNING_LEVELS
    assert all(list(level) == ["invoices", "open_eur"] for level in payload["dunning"].values())
    assert list(payload["settings"]) == SETTINGS_KEYS
    # counts stay whole numbers in the JSON (1, not 1.0), amounts and rates are numbers
    assert isinstance(payload["period_days"], int) and isinstance(payload["clients_with_encours"], int)
    assert all(isinstance(n, int) for n in payload["ratings"].values())
    assert isinstance(payload["penalties"]["late_invoices"], int) and isinstance(payload["bfr_eur"], float)


def test_backtest_json_keeps_its_keys_in_order(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    metrics = _json(capsys, demo_db, "backtest", "--as-of", "2026-08-30")
    assert list(metrics) == BACKTEST_KEYS
    assert list(metrics["open_at_as_of"]) == list(metrics["issued_after_as_of"]) == GROUP_KEYS
    assert metrics["as_of"] == "2026-08-30" and metrics["horizon_weeks"] == 13
    # every evaluated invoice is open at as-of or issued after it
    assert metrics["open_at_as_of"]["n_invoices"] == metrics["n_open_invoices"]
    assert metrics["issued_after_as_of"]["n_invoices"] == metrics["n_later_invoices"]
    assert list(metrics["sides"]) == ["receivables", "payables"]
    for side in metrics["sides"].values():
        assert list(side) == SIDE_KEYS and list(side["unpaid_at_data_end"]) == UNPAID_KEYS
        assert list(side["weekly"]) == WEEKLY_KEYS
        for group in ("invoices", "open_at_as_of", "issued_after_as_of"):
            assert list(side[group]) == ["n_invoices", "model", "baselines"]
            assert list(side[group]["model"]) == MODEL_KEYS and list(side[group]["baselines"]) == BASELINE_KEYS
            assert all(list(scores) == POINT_KEYS for scores in side[group]["baselines"].values())
    assert list(metrics["closing_cash"]) == CLOSING_KEYS and metrics["data_end"] == "2026-11-23"
    # the historical keys are the receivables side's
    receivables = metrics["sides"]["receivables"]
    assert metrics["payment_date_mae_days"] == receivables["invoices"]["model"]["mae_days"]
    assert metrics["weekly_receipts_wape"] == receivables["weekly"]["wape"]
