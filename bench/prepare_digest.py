"""Benchmark and check: `prepare` on the demo, its CPU seconds and peak RSS, and a digest of everything it returns.

    python bench/prepare_digest.py --scale 100
    python bench/prepare_digest.py --scale 100 --ledger /tmp/ledger_100.pkl   # generate once, reuse (pickle)
    python bench/prepare_digest.py --scale 100 --ledger /tmp/ledger_100.pkl --threads 1   # no helper thread

A speed change that must leave the forecast the same to the bit is checked by running this on the old and the new
code: the digests (items, sampled days, amount scales, future days, notes, and each side's model: hazards,
profiles, tuning table, calibration, settlement weekdays, disputes) must be equal. CPU seconds
(`time.process_time`) are the figure to compare on a loaded machine, old and new run side by side; wall time is
printed too, and wall less the calling thread's run-queue wait (Linux schedstat: the time it was runnable but
other processes held the CPUs), an estimate of a quiet machine's wall. statsmodels' ETS and scipy.stats are imported
before timing (first use, once per process).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import pickle
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"


def _peak_rss_mb() -> float:
    """Return this process's peak RSS since the last reset (VmHWM), in MB (0 where /proc lacks it)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _run_queue_s() -> float:
    """Return the seconds this thread has waited for a CPU while runnable (Linux schedstat; 0 where absent)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    return 0.0


def digests(cash: Any) -> dict[str, str]:
    """Return a short digest of each part of prepare's output."""
    import numpy as np
    import pandas as pd

    def digest(value: Any) -> str:
        h = hashlib.sha256()
        if isinstance(value, pd.DataFrame):
            h.update(f"{list(value.columns)}{list(map(str, value.dtypes))}".encode())
            h.update(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
        elif isinstance(value, np.ndarray):
            h.update(f"{value.dtype}{value.shape}".encode())
            h.update(np.ascontiguousarray(value).tobytes())
        else:
            h.update(repr(value).encode())
        return h.hexdigest()[:16]

    parts = {"items": digest(cash.items), "pay_day_offsets": digest(cash.pay_day_offsets),
             "amount_scales": digest(cash.amount_scales), "future_weekday": digest(cash.future_days.weekday),
             "future_issue": digest(cash.future_days.issue_by_day), "future_due": digest(cash.future_days.due_by_day),
             "notes": digest([str(n) for n in cash.notes]), "methods": digest(cash.invoicing_methods),
             "n_sims": digest(cash.settings.n_sims)}
    for side, m in cash.models.items():
        parts[f"{side}.cum_hazard"] = digest(m.cum_hazard)
        parts[f"{side}.profiles"] = digest(m.profiles)
        parts[f"{side}.tuning"] = digest(m.tuning)
        parts[f"{side}.calibration"] = digest({k: v.tolist() for k, v in m.calibration.items()})
        parts[f"{side}.rows"] = digest((sorted(m.counterparty_rows.items()), sorted(m.segment_rows.items())))
        parts[f"{side}.rest"] = digest((m.half_life_days, m.drift, m.settle_mode, m.settle_weekdays.tobytes(),
                                        m.avoid_holidays.tobytes(), m.dispute_rate.tobytes(), repr(m.dispute_extra)))
    return parts


def main() -> None:
    """Run prepare once and print its CPU and wall seconds, peak RSS and digests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--ledger", type=Path, help="pickle of the demo ledger: written if absent, else read")
    parser.add_argument("--threads", type=int, help="prepare's threads (default: its own choice, by the CPUs)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import scipy.stats  # noqa: F401
    import statsmodels.tsa.holtwinters  # noqa: F401

    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo
    from forecasting.projection.forecast import prepare

    if args.ledger and args.ledger.exists():
        ledger = pickle.loads(args.ledger.read_bytes())
    else:
        ledger = Ledger.from_object(demo.generate(seed=42, scale=args.scale, today=date(2026, 11, 23)))
        if args.ledger:
            args.ledger.write_bytes(pickle.dumps(ledger, protocol=5))
    gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # the peak of prepare, not of the demo's generation
    cpu, wall, queued = time.process_time(), time.perf_counter(), _run_queue_s()
    cash = prepare(ledger, AS_OF, 13) if args.threads is None else prepare(ledger, AS_OF, 13, threads=args.threads)
    cpu, wall, queued = time.process_time() - cpu, time.perf_counter() - wall, _run_queue_s() - queued
    parts = digests(cash)
    print(f"prepare: {cpu:.2f} CPU s, {wall:.2f} wall s, peak RSS {_peak_rss_mb():,.0f} MB, "
          f"{len(cash.items):,} items, {cash.settings.n_sims} paths")
    # The calling thread carries prepare's critical path: its time waiting for a CPU held by other processes is
    # what a loaded machine adds; wall less that wait estimates a quiet machine's wall (the helper's own waits
    # still count when the calling thread waits for it: an overestimate, not an underestimate).
    print(f"calling thread: run-queue wait {queued:.2f} s; wall less that wait {wall - queued:.2f} s")
    print("digest", hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest()[:16])
    for name, value in parts.items():
        print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
