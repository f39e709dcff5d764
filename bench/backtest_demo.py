"""Backtest the forecast on the demo company at four as-of dates a quarter apart, both sides; print markdown tables.

Every invoice open at as-of or issued within the horizon is scored against its real payment date (after the
horizon too; those unpaid where the data ends are counted apart), against the baselines of
forecasting/projection/baselines.py; weekly cash per side against the trailing run-rate; the closing balance's
band coverage (issue 14, items 1 and 5). The targets of issue 14's acceptance are checked below each table.
Run: .venv/bin/python bench/backtest_demo.py [WEEKS ...]   (default 13 26 52)
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.projection.backtest import backtest  # noqa: E402
from forecasting.projection.backtest_types import BacktestMetrics, SideMetrics  # noqa: E402
from forecasting.projection.forecast import aggregate, prepare  # noqa: E402

TODAY = date(2026, 11, 23)
HORIZONS_WEEKS = (13, 26, 52)


def as_of_dates(weeks: int) -> list[pd.Timestamp]:
    """Return the four as-of dates, a quarter apart, whose whole horizon has happened by TODAY."""
    return sorted(pd.Timestamp(TODAY) - pd.Timedelta(weeks=weeks) - pd.Timedelta(days=91 * k) for k in range(4))


def side_row(as_of: pd.Timestamp, side: SideMetrics) -> dict[str, object]:
    """Return one table row: the model against the baselines on one side at one date."""
    model, base = side.invoices.model, side.invoices.baselines
    return {
        "as-of": as_of.date(), "invoices": side.n_invoices, "scored": side.n_scored,
        "paid after horizon": side.n_paid_after_horizon, "unpaid at data end": side.unpaid_at_data_end.n_invoices,
        "MAE": round(model.mae_days, 2), "due date": round(base["due_date"].mae_days, 2),
        "client median": round(base["client_median"].mae_days, 2),
        "client mean + dispute": round(base["client_mean_dispute"].mae_days, 2),
        "side median": round(base["side_median"].mae_days, 2), "bias (d)": round(model.bias_days, 2),
        "mean bias (d)": round(model.mean_bias_days, 2),
        "CRPS": round(model.crps_days, 2), "P10-P90": round(model.coverage_p10_p90, 3),
        "below P10": round(model.below_p10, 3), "above P90": round(model.above_p90, 3),
        "fair P10-P90": round(model.pit_coverage_p10_p90, 3),
        "late acc.": round(model.late_accuracy, 3), "weekly WAPE": round(side.weekly.wape, 3),
        "run-rate WAPE": round(side.weekly.baseline_run_rate_wape, 3), "weeks in band": round(
            side.weekly.coverage_p10_p90, 3),
    }


def print_table(rows: list[dict[str, object]]) -> None:
    """Print rows as a markdown table."""
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(str(v) for v in row.values()) + " |")


def checks(rows: list[dict[str, object]]) -> list[str]:
    """Return issue 14's demo targets, PASS or FAIL, for one side and horizon."""
    def every(test: object) -> str:
        return "PASS" if test else "FAIL"
    mae = [float(str(r["MAE"])) for r in rows]
    return [
        f"- {every(all(m <= 0.75 * float(str(r['client median'])) for m, r in zip(mae, rows, strict=True)))}"
        " MAE ≤ 0.75 × client-median baseline at every date",
        f"- {every(all(m <= float(str(r['client mean + dispute'])) for m, r in zip(mae, rows, strict=True)))}"
        " MAE ≤ client-mean-plus-dispute baseline at every date",
        f"- {every(all(0.75 <= float(str(r['P10-P90'])) <= 0.85 for r in rows))} per-invoice P10–P90 in 75–85 %",
        f"- {every(all(max(float(str(r['below P10'])), float(str(r['above P90']))) <= 0.13 for r in rows))}"
        " neither tail above 13 %",
        f"- {every(all(float(str(r['weekly WAPE'])) <= 0.12 for r in rows))} weekly WAPE ≤ 12 %",
    ]


def main(horizons: tuple[int, ...]) -> None:
    """Run the backtests of every horizon, print a table per (horizon, side), the checks and the closing cash."""
    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=TODAY))
    for weeks in horizons:
        started = time.perf_counter()
        results: list[tuple[pd.Timestamp, BacktestMetrics]] = [
            (as_of, backtest(ledger, as_of, weeks).metrics) for as_of in as_of_dates(weeks)]
        seconds = (time.perf_counter() - started) / len(results)
        for side in C.SIDES:
            print(f"\n### {weeks} weeks, {side}s ({seconds:.1f} s per backtest)\n")
            rows = [side_row(as_of, m.sides[side]) for as_of, m in results]
            print_table(rows)
            print("\n" + "\n".join(checks(rows)))
        print(f"\n### {weeks} weeks, closing cash\n")
        print_table([{"as-of": as_of.date(), "balance date": c.balance_date, "actual": round(c.actual_eur),
                      "expected": round(c.forecast_expected_eur), "P10": round(c.forecast_p10_eur),
                      "P90": round(c.forecast_p90_eur), "inside": c.inside_p10_p90,
                      "weeks in band": round(c.weekly_coverage_p10_p90, 3)}
                     for as_of, m in results if (c := m.closing_cash) is not None])
    start = time.perf_counter()
    cash = prepare(ledger, TODAY, 13)
    t_prepare = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(10):
        aggregate(cash)
    t_aggregate = (time.perf_counter() - start) / 10
    print(f"\nprepare (demo scale 1, {len(cash.items)} items x {cash.pay_day_offsets.shape[1]} sims): "
          f"{t_prepare:.2f} s; aggregate: {t_aggregate * 1000:.0f} ms")


if __name__ == "__main__":
    main(tuple(int(w) for w in sys.argv[1:]) or HORIZONS_WEEKS)
