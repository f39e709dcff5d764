"""Benchmark: `cashpilot evaluate` on the demo company (issue 14's acceptance: at most 30 s), and its figures.

    python bench/evaluate_demo.py             # evaluate at the demo's day, 13 weeks, 4 dates, both sides
    python bench/evaluate_demo.py --compare   # also without sharing the tuning's origins (same figures, slower)

The demo company is generated in memory (seed 42, scale 1, today 2026-11-23); first-use costs (imports,
statsmodels' set-up) are paid by an untimed short forecast, as in a running server or a warm CLI. Timed: one
`evaluate` (what `cashpilot evaluate` computes the first time), then `cached_evaluate` into an empty folder twice
(kept, then read back: what a second run costs). Printed: the time against the target, per side the model and the
rules at each date and pooled, the verdict and the settings chosen. --compare times it again with a memo that
shares nothing (each backtest tunes at its own four origins) and checks the figures are the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.model import tuning  # noqa: E402
from forecasting.projection import evaluate as ev  # noqa: E402
from forecasting.projection.backtest_types import SideMetrics  # noqa: E402
from forecasting.projection.forecast import prepare  # noqa: E402
from forecasting.reports.evaluate import settings_text, verdict_text  # noqa: E402

TODAY = date(2026, 11, 23)
TARGET_S = 30.0


class NoSharing(tuning.TuningMemo):
    """A memo that keeps nothing: every backtest fits its own origins, as separate backtests do."""

    def draws(self, key: tuple[Hashable, ...], compute: Callable[[], tuning.ModeDraws]) -> tuning.ModeDraws:
        """Return freshly computed draws."""
        return compute()


def row(label: str, side: SideMetrics) -> dict[str, object]:
    """Return one table row: the model against the rules on one side at one date (or pooled)."""
    model, base = side.invoices.model, side.invoices.baselines
    return {
        "as-of": label, "scored": side.n_scored, "unpaid at data end": side.unpaid_at_data_end.n_invoices,
        "MAE": round(model.mae_days, 2), "client median": round(base["client_median"].mae_days, 2),
        "client mean + dispute": round(base["client_mean_dispute"].mae_days, 2),
        "due date": round(base["due_date"].mae_days, 2), "side median": round(base["side_median"].mae_days, 2),
        "bias (d)": round(model.bias_days, 2), "mean bias (d)": round(model.mean_bias_days, 2),
        "CRPS": round(model.crps_days, 2),
        "P10-P90": round(model.coverage_p10_p90, 3), "below P10": round(model.below_p10, 3),
        "above P90": round(model.above_p90, 3), "PIT in 10-90": round(model.pit_coverage_p10_p90, 3),
        "weekly WAPE": round(side.weekly.wape, 3),
        "run-rate WAPE": round(side.weekly.baseline_run_rate_wape, 3),
        "weeks in band": round(side.weekly.coverage_p10_p90, 3),
    }


def print_table(rows: list[dict[str, object]]) -> None:
    """Print rows as a markdown table."""
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for values in rows:
        print("| " + " | ".join(str(v) for v in values.values()) + " |")


def timed(compute: Callable[[], ev.Evaluation]) -> tuple[ev.Evaluation, float]:
    """Return a result and the seconds it took."""
    start = time.perf_counter()
    result = compute()
    return result, time.perf_counter() - start


def main(compare: bool) -> int:
    """Time the evaluation of the demo company, print its figures; return 1 when over the target."""
    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=TODAY))
    prepare(ledger, TODAY, 1)  # first-use costs paid once
    evaluation, seconds = timed(lambda: ev.evaluate(ledger, TODAY))
    with tempfile.TemporaryDirectory() as folder:
        _, kept_s = timed(lambda: ev.cached_evaluate(ledger, TODAY, folder=Path(folder)))
        _, read_s = timed(lambda: ev.cached_evaluate(ledger, TODAY, folder=Path(folder)))
    verdict = "PASS" if seconds <= TARGET_S else "FAIL"
    print(f"evaluate (demo scale 1, {len(evaluation.dates)} dates x 13 weeks, both sides): {seconds:.1f} s "
          f"- {verdict} (target <= {TARGET_S:.0f} s); kept on disk: {kept_s:.1f} s, read back: {read_s:.2f} s")
    for side in evaluation.sides:
        print(f"\n### {side}s\n")
        rows = [row(day.isoformat(), metrics) for day, metrics in evaluation.side_dates(side)]
        print_table([*rows, row("pooled", evaluation.pooled[side])])
        print("\n" + verdict_text(evaluation, side, "en").replace("\xa0", " "))
        chosen = evaluation.settings.get(side)
        if chosen is not None:
            print(settings_text(chosen, "en").replace("\xa0", " "))
    if compare:
        original = ev.TuningMemo
        ev.TuningMemo = NoSharing  # type: ignore[misc]
        try:
            alone, alone_s = timed(lambda: ev.evaluate(ledger, TODAY))
        finally:
            ev.TuningMemo = original  # type: ignore[misc]
        same = alone.to_dict() == evaluation.to_dict()
        print(f"\nwithout sharing the tuning's origins: {alone_s:.1f} s (sharing: {seconds:.1f} s); "
              f"same figures: {same}")
    return 0 if seconds <= TARGET_S else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="also time it without sharing the tuning's origins")
    sys.exit(main(parser.parse_args().compare))
