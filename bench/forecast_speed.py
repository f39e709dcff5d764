"""Benchmark: forecast preparation, and applying a what-if scenario + recomputing the weekly outlook.

    python bench/forecast_speed.py                 # demo scales 1 and 100
    python bench/forecast_speed.py --scales 1 10   # any scales

For each scale the demo company is generated in memory (seed 42, today 2026-11-23), then:
- `prepare` (fit the behaviour models, sample every item's payment day: done once per data version, cached),
  after the imports a process does once (statsmodels' ETS, timed apart);
- the baseline (aggregate + BFR by week: once, cached);
- per scenario, `compare` with the cached baseline = apply the levers + re-aggregate + BFR by week + deltas:
  what the dashboard does when a lever moves. Median of 5 runs after one warm-up;
- per scenario of several levers, the What-if page's waterfall (each lever's bar and its effect alone), median of 5.
Each scale runs in its own subprocess so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
SCENARIOS = {
    "Collect 10 days faster": [{"type": "collection_effort", "scope": {"kind": "all"}, "delay_change_days": -10}],
    "Suppliers at 75 days": [{"type": "supplier_terms", "scope": {"kind": "all"}, "terms": "net 75"}],
    "Clients 45 EOM + 2/10 net 30 + factoring 30 %": [
        {"type": "client_terms", "terms": "45 days end of month", "apply_to_open": True},
        {"type": "early_payment_discount", "terms": "2/10 net 30", "take_up_share": 0.3},
        {"type": "factoring", "share": 0.3},
    ],
}
TARGET_MS = {1.0: 200.0, 100.0: 2000.0}


def _reset_peak_rss() -> None:
    """Reset this process's peak RSS (Linux: VmHWM), so that the next reading is the peak of what follows."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    """Return this process's peak RSS since the last reset (VmHWM), in MB; the whole run's where /proc lacks it."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(scale: float) -> dict[str, object]:
    """Return the timings of one scale (run inside a child process)."""
    sys.path.insert(0, str(ROOT))
    from datetime import date

    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo
    from forecasting.projection.forecast import prepare
    from forecasting.scenarios.compare import Scenario, baseline_of, compare, context_from_ledger
    from forecasting.scenarios.waterfall import waterfall

    ledger = Ledger.from_object(demo.generate(seed=42, scale=scale, today=date(2026, 11, 23)))
    gc.collect()  # the demo's generation (its bank movements too) is not the forecast's memory
    _reset_peak_rss()
    # statsmodels' ETS (with scipy.stats) is imported on the first forecast of a process: once per dashboard
    # process, not per forecast. Timed apart so that `prepare` is the fit and the projection.
    t0 = time.perf_counter()
    import statsmodels.tsa.holtwinters  # noqa: F401
    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    cash = prepare(ledger, AS_OF, 13)
    prepare_s = time.perf_counter() - t0
    prepare_peak_mb = _peak_rss_mb()  # the ledger held plus the fit and the projection with its range
    context = context_from_ledger(ledger, AS_OF)
    t0 = time.perf_counter()
    baseline = baseline_of(cash, context)
    baseline_s = time.perf_counter() - t0
    out: dict[str, object] = {"scale": scale, "items": len(cash.items), "n_sims": int(cash.pay_day_offsets.shape[1]),
                              "prepare_s": prepare_s, "prepare_peak_mb": prepare_peak_mb, "import_s": import_s, "baseline_s": baseline_s, "scenarios": {}}
    for name, levers in SCENARIOS.items():
        scenario = Scenario.from_dict({"name": name, "levers": levers})
        compare(cash, scenario, context, baseline=baseline)  # warm-up
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            result = compare(cash, scenario, context, baseline=baseline)
            runs.append(time.perf_counter() - t0)
        falls = []
        for _ in range(5 if len(levers) > 1 else 0):
            t0 = time.perf_counter()
            waterfall(cash, scenario, result, context)
            falls.append(time.perf_counter() - t0)
        out["scenarios"][name] = {"median_ms": 1000 * statistics.median(runs),
                                  "waterfall_ms": 1000 * statistics.median(falls) if falls else None,
                                  "delta_net_cash": result.delta.net_cash_at_horizon,
                                  "delta_bfr": result.delta.bfr_at_horizon}
    out["peak_rss_mb"] = _peak_rss_mb()  # prepare, then the scenarios and their waterfalls
    return out


def main() -> int:
    """Run each scale in a subprocess and print a markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 100.0])
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return 0
    rows = []
    for scale in args.scales:
        proc = subprocess.run([sys.executable, __file__, "--child", str(scale)], stdout=subprocess.PIPE, text=True,
                              check=False)
        if proc.returncode:
            print(f"scale {scale}: failed (exit {proc.returncode})")
            return 1
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}. "
          f"Demo company seed 42, as of {AS_OF}, 13 weeks.\n")
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}.\n")
    print("| scale | items | paths | first-use imports (s) | prepare (s) | prepare peak RSS (MB) | peak RSS with the scenarios (MB) | baseline (s) | scenario | apply + recompute (ms, median of 5) | target | waterfall (ms) | Δ net cash | Δ BFR |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---:|")
    for r in rows:
        for name, s in r["scenarios"].items():
            target = TARGET_MS.get(r["scale"])
            verdict = "" if target is None else f"< {target:.0f} ms: {'PASS' if s['median_ms'] < target else 'MISSED'}"
            fall = "" if s["waterfall_ms"] is None else f"{s['waterfall_ms']:.0f}"
            print(f"| {r['scale']:g} | {r['items']:,} | {r['n_sims']} | {r['import_s']:.1f} | {r['prepare_s']:.1f} | {r['prepare_peak_mb']:,.0f} | {r['peak_rss_mb']:,.0f} | {r['baseline_s']:.2f} | {name} | "
                  f"{s['median_ms']:.0f} | {verdict} | {fall} | "
                  f"{s['delta_net_cash']:+,.0f} | {s['delta_bfr']:+,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
