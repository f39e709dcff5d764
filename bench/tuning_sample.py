"""Benchmark: the rolling-origin tuning on a sample of counterparties against the same tuning on all the data.

    python bench/tuning_sample.py choices --ledger /tmp/ledger_100.pkl --caps 15000,25000,full --seeds 0,1,2,3,4
    python bench/tuning_sample.py forecast --ledger /tmp/ledger_100.pkl --caps 25000,full --seeds 0,1,2

`choices`: per side, cap and seed, the CPU seconds of `learn_behaviour` (the final fit on all the data included),
the settings chosen, the runner-up and its margin (MAE days), and the calibration at P10/P25/P50/P75/P90.
`forecast`: per cap and seed, `prepare` then the 13-week figures (closing cash P10 / expected / P90, weekly
receipts and disbursements), to compare with the tuning on all the data (cap "full"). One JSON line per run.
The ledger is a pickle written by `bench/prepare_digest.py --ledger` (the demo, seed 42, as of 2026-11-23).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
FULL = 10**12  # a cap no ledger reaches: the tuning replays every counterparty


def _cap(text: str) -> int:
    """Return the cap a command-line value names ("full": no sample)."""
    return FULL if text == "full" else int(text)


def choices(ledger: Any, caps: list[int], seeds: list[int]) -> None:
    """Print the tuning's choices per side, cap and seed."""
    import pandas as pd

    import forecasting.model.tuning as tuning
    from forecasting.core import columns as C
    from forecasting.model.settings import DEFAULT_BEHAVIOUR
    from forecasting.model.settlement import settle

    as_of = pd.Timestamp(AS_OF)
    for side in C.SIDES:
        invoices, payments = ledger.invoices(side), ledger.payments_of(side)
        settled = settle(invoices, payments, as_of)
        for cap in caps:
            for seed in seeds if cap < len(invoices) else seeds[:1]:
                tuning.MAX_TUNING_INVOICES, tuning.TUNING_SAMPLE_SEED = cap, seed
                cpu = time.process_time()
                model = tuning.learn_behaviour(invoices, payments, ledger.counterparties, as_of, side,
                                               DEFAULT_BEHAVIOUR, settled)
                cpu = time.process_time() - cpu
                table = model.tuning
                assert table is not None
                ranked = table.sort_values("mae_days", kind="stable")
                best, second = table[table["chosen"]].iloc[0], ranked[~ranked["chosen"]].iloc[0]
                print(json.dumps({
                    "side": side, "cap": "full" if cap == FULL else cap, "seed": seed, "cpu_s": round(cpu, 2),
                    "n_scored": int(best["n_scored"]), "chosen": _setting(best), "mae_days": round(best["mae_days"], 4),
                    "runner_up": _setting(second), "margin_days": round(second["mae_days"] - best["mae_days"], 4),
                    "calibration": {g: [round(float(v[i]), 3) for i in (4, 10, 20, 30, 36)]
                                    for g, v in model.calibration.items()},
                }), flush=True)


def _setting(row: Any) -> list[Any]:
    """Return (half-life, drift, settle mode) of a tuning row."""
    return [float(row["half_life_days"]), bool(row["drift"]), str(row["settle_mode"])]


def forecast(ledger: Any, caps: list[int], seeds: list[int]) -> None:
    """Print prepare's CPU seconds, choices and 13-week figures per cap and seed."""
    import forecasting.model.tuning as tuning
    from forecasting.projection.forecast import aggregate, prepare

    for cap in caps:
        for seed in seeds if cap != FULL else seeds[:1]:
            tuning.MAX_TUNING_INVOICES, tuning.TUNING_SAMPLE_SEED = cap, seed
            cpu = time.process_time()
            cash = prepare(ledger, AS_OF, 13)
            cpu = time.process_time() - cpu
            weekly = aggregate(cash).weekly
            print(json.dumps({
                "cap": "full" if cap == FULL else cap, "seed": seed, "cpu_s": round(cpu, 2),
                "choices": {s: [m.half_life_days, m.drift, m.settle_mode] for s, m in cash.models.items()},
                "closing_13": [round(float(weekly[c].iloc[-1])) for c in ("closing_p10", "closing_expected",
                                                                          "closing_p90")],
                "receipts": [round(float(x)) for x in weekly["receipts"]],
                "disbursements": [round(float(x)) for x in weekly["disbursements"]],
            }), flush=True)


def main() -> None:
    """Run the comparison asked for on the pickled ledger."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("choices", "forecast"))
    parser.add_argument("--ledger", type=Path, required=True)
    parser.add_argument("--caps", default="25000,full")
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import scipy.stats  # noqa: F401  (first use, once per process: not timed)
    import statsmodels.tsa.holtwinters  # noqa: F401

    ledger = pickle.loads(args.ledger.read_bytes())
    caps, seeds = [_cap(c) for c in args.caps.split(",")], [int(s) for s in args.seeds.split(",")]
    (choices if args.what == "choices" else forecast)(ledger, caps, seeds)


if __name__ == "__main__":
    main()
