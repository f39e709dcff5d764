"""Backtest the forecast on the demo company at four as-of dates a quarter apart; print a markdown table.

Run: .venv/bin/python bench/backtest_demo.py   (targets of the "Forecasting engine" issue are checked below)
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.projection.backtest import backtest  # noqa: E402
from forecasting.projection.forecast import aggregate, prepare  # noqa: E402

TODAY = date(2026, 11, 23)
HORIZON_WEEKS = 13
ROWS = [
    ("payment_date_mae_days", "payment-date MAE (days)"),
    ("baseline_due_date_mae_days", "baseline due date MAE"),
    ("baseline_client_median_mae_days", "baseline client median MAE"),
    ("mae_vs_due_date", "MAE / due-date baseline (≤ 0.60)"),
    ("mae_vs_client_median", "MAE / client-median baseline (≤ 0.80)"),
    ("late_accuracy", "late/on-time accuracy"),
    ("baseline_due_date_late_accuracy", "  due-date baseline accuracy"),
    ("baseline_client_median_late_accuracy", "  client-median baseline accuracy"),
    ("weekly_receipts_wape", "weekly receipts WAPE (≤ 0.15)"),
    ("weekly_receipts_bias", "weekly receipts bias"),
    ("interval_coverage_p10_p90", "P10–P90 coverage (0.70–0.90)"),
    ("n_open_invoices", "open at as-of, paid in horizon"),
    ("n_later_invoices", "issued after as-of, paid in horizon"),
    ("open_at_as_of.payment_date_mae_days", "open: MAE"),
    ("open_at_as_of.baseline_due_date_mae_days", "open: due-date MAE"),
    ("open_at_as_of.baseline_client_median_mae_days", "open: client-median MAE"),
    ("open_at_as_of.late_accuracy", "open: late accuracy"),
    ("issued_after_as_of.payment_date_mae_days", "later: MAE"),
    ("issued_after_as_of.baseline_due_date_mae_days", "later: due-date MAE"),
    ("issued_after_as_of.baseline_client_median_mae_days", "later: client-median MAE"),
    ("issued_after_as_of.late_accuracy", "later: late accuracy"),
]


def _get(metrics: dict, key: str) -> object:
    """Return a metric, following 'group.key' into the sub-dicts."""
    if "." in key:
        group, name = key.split(".", 1)
        return metrics[group][name]
    return metrics[key]


def _fmt(value: object) -> str:
    """Return a table cell."""
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def main() -> None:
    """Run the four backtests, print the table, the targets and the timings."""
    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=TODAY))
    as_ofs = [pd.Timestamp(TODAY) - pd.Timedelta(weeks=HORIZON_WEEKS) - pd.Timedelta(days=91 * k) for k in range(4)]
    results = []
    for as_of in sorted(as_ofs):
        m = asdict(backtest(ledger, as_of, HORIZON_WEEKS).metrics)  # the groups' errors as sub-dicts
        m["mae_vs_due_date"] = m["payment_date_mae_days"] / m["baseline_due_date_mae_days"]
        m["mae_vs_client_median"] = m["payment_date_mae_days"] / m["baseline_client_median_mae_days"]
        results.append(m)
    mean = {key: sum(float(_get(m, key)) for m in results) / len(results) for key, _ in ROWS}
    print("| metric | " + " | ".join(str(m["as_of"]) for m in results) + " | mean |")
    print("|---|" + "---:|" * (len(results) + 1))
    for key, label in ROWS:
        print(f"| {label} | " + " | ".join(_fmt(_get(m, key)) for m in results) + f" | {_fmt(mean[key])} |")
    # Pooled over the four dates: errors summed over all evaluated invoices, weeks counted together.
    n = [m["n_open_invoices"] + m["n_later_invoices"] for m in results]

    def pooled(key: str) -> float:
        return sum(m[key] * k for m, k in zip(results, n, strict=True)) / sum(n)

    pooled_due = pooled("payment_date_mae_days") / pooled("baseline_due_date_mae_days")
    pooled_median = pooled("payment_date_mae_days") / pooled("baseline_client_median_mae_days")
    checks = [
        ("MAE ≤ 60 % of due-date baseline", pooled_due, [m["mae_vs_due_date"] <= 0.60 for m in results],
         pooled_due <= 0.60),
        ("MAE ≤ 80 % of client-median baseline", pooled_median,
         [m["mae_vs_client_median"] <= 0.80 for m in results], pooled_median <= 0.80),
        ("weekly receipts WAPE ≤ 15 %", mean["weekly_receipts_wape"],
         [m["weekly_receipts_wape"] <= 0.15 for m in results], mean["weekly_receipts_wape"] <= 0.15),
        ("P10–P90 coverage in 70–90 %", mean["interval_coverage_p10_p90"],
         [0.70 <= m["interval_coverage_p10_p90"] <= 0.90 for m in results],
         0.70 <= mean["interval_coverage_p10_p90"] <= 0.90),
    ]
    print()
    for name, value, per_date, ok in checks:
        print(f"- {'PASS' if ok else 'FAIL'} pooled ({value:.3f}): {name}; per date {sum(per_date)}/{len(per_date)}")
    start = time.perf_counter()
    cash = prepare(ledger, TODAY, HORIZON_WEEKS)
    t_prepare = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(10):
        aggregate(cash)
    t_aggregate = (time.perf_counter() - start) / 10
    print(f"\nprepare (demo scale 1, {len(cash.items)} items x {cash.pay_day_offsets.shape[1]} sims): "
          f"{t_prepare:.2f} s; aggregate: {t_aggregate * 1000:.0f} ms")


if __name__ == "__main__":
    main()
