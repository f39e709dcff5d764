"""Benchmark: a fitted forecast kept on disk (forecasting/forecast_cache.py) against fitting it again.

    python bench/forecast_cache.py                 # demo scales 1 and 100
    python bench/forecast_cache.py --scales 1 10   # any scales

For each scale the demo company is generated in memory (seed 42, today 2026-11-23), then timed once each, in
this order, after an untimed short fit that pays the process's first-use costs: the ledger's digest (the key's costly part), `prepare` (the fit), a first `cached_prepare` into an
empty folder (digest + fit + write), a second one (digest + read). Each scale runs in its own subprocess.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"


def measure(scale: float) -> dict[str, float]:
    """Return the timings (s) and the kept file's size (MB) at one scale."""
    sys.path.insert(0, str(ROOT))
    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo
    from forecasting.projection import cache as fc
    from forecasting.projection.forecast import prepare

    ledger = Ledger.from_object(demo.generate(seed=42, scale=scale, today=date(2026, 11, 23)))
    out: dict[str, float] = {"invoices": float(len(ledger.receivables) + len(ledger.payables))}
    fc.code_version()  # read the package's source once, as a running server has
    prepare(ledger, AS_OF, 4)  # first-use costs (imports, statsmodels' set-up) paid once, as in a running server
    start = time.perf_counter()
    fc.ledger_digest(ledger)
    out["digest_s"] = time.perf_counter() - start
    start = time.perf_counter()
    prepare(ledger, AS_OF, 13)
    out["prepare_s"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        fc.cached_prepare(ledger, AS_OF, 13, Path(folder))
        out["miss_s"] = time.perf_counter() - start
        start = time.perf_counter()
        fc.cached_prepare(ledger, AS_OF, 13, Path(folder))
        out["hit_s"] = time.perf_counter() - start
        out["file_mb"] = sum(p.stat().st_size for p in Path(folder).glob("*.pickle")) / 1e6
    return out


def main() -> int:
    """Print the markdown table (each scale measured in a subprocess of its own)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 100.0])
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one)))
        return 0
    print("| scale | invoices | digest (s) | fit: prepare (s) | first use: digest + fit + write (s) "
          "| later use: digest + read (s) | kept file (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for scale in args.scales:
        done = subprocess.run([sys.executable, __file__, "--one", str(scale)], capture_output=True, text=True,
                              check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {scale:g} | {r['invoices']:,.0f} | {r['digest_s']:.3f} | {r['prepare_s']:.2f} | {r['miss_s']:.2f} "
              f"| {r['hit_s']:.3f} | {r['file_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
