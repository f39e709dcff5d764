"""Benchmark: how noisy the tuning's calibration map is, by a bootstrap over the counterparties behind it.

    python bench/calibration_noise.py --ledger /tmp/ledger_1.pkl --boot 200 --forecasts 30
    python bench/calibration_noise.py --ledger /tmp/ledger_100.pkl --seed 0 --forecasts 20
    python bench/calibration_noise.py --ledger /tmp/ledger_100.pkl --cap full --boot 0 \
        --only-chosen "receivable=730,on,nearest;payable=730,off,nearest"

The side's models are learned as `prepare` learns them (on the tuning sample above MAX_TUNING_INVOICES, `--cap`
and `--seed` change it); the transforms behind each calibration map are kept. Per side and group: how many
transforms, counterparties and effective independent transforms (model.calibration) they are, and the map's
P10/P50/P90 levels with their bootstrap standard errors (counterparties drawn with replacement, each with all its
transforms), for the blend by count of transforms (`count`, main before session 16) and by effective count
(`effective`). Then `--forecasts` bootstrap maps of both sides go through `prepare` with the models fixed: the
standard error of the 13-week closing cash and of the first week's receipts, per blend, beside the point forecasts
(and without calibration). `--only-chosen SIDE=H,DRIFT,MODE;...` tunes only that setting (the calibration of a full-data
tuning that chose it, at a seventh of the cost). One JSON line per figure. The ledger is a pickle written by
`bench/prepare_digest.py --ledger` (the demo, seed 42, as of 2026-11-23).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
FULL = 10**12
LEVELS = {"p10": 4, "p50": 20, "p90": 36}  # indices in CALIBRATION_LEVELS
BLENDS = ("count", "effective")


def blended(pit: np.ndarray, clusters: np.ndarray, blend: str) -> np.ndarray | None:
    """Return the map of `pit` blended by its count (main before session 16) or by its effective count."""
    from forecasting.model import calibration as cal

    if blend == "effective":
        return cal.calibration_map(pit, clusters)
    if len(pit) < cal.MIN_CALIBRATION:
        return None
    weight = len(pit) / (len(pit) + cal.CALIBRATION_PRIOR)
    table = weight * np.quantile(pit, cal.CALIBRATION_LEVELS) + (1.0 - weight) * cal.CALIBRATION_LEVELS
    table[0], table[-1] = 0.0, 1.0
    return np.maximum.accumulate(table)


def resample(pit: np.ndarray, clusters: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return a bootstrap sample: counterparties drawn with replacement, each with all its transforms."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(clusters), use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes, minlength=len(uniques))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    drawn = rng.integers(0, len(uniques), len(uniques))
    lengths = sizes[drawn]
    first = np.repeat(starts[drawn] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    rows = order[first + np.arange(lengths.sum())]
    return pit[rows], np.repeat(np.arange(len(drawn)), lengths)  # a counterparty drawn twice counts as two


def main() -> None:
    """Learn the models, bootstrap their maps, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path, required=True)
    parser.add_argument("--cap", default="25000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--boot", type=int, default=200)
    parser.add_argument("--forecasts", type=int, default=0)
    parser.add_argument("--only-chosen", default="")
    parser.add_argument("--point", action="store_true", help="the point forecasts even without --forecasts")
    parser.add_argument("--min-counterparties", type=int,
                        help="MIN_CALIBRATION_COUNTERPARTIES where the code has it (0: the tuning sample only)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import scipy.stats  # noqa: F401
    import statsmodels.tsa.holtwinters  # noqa: F401

    import forecasting.model.tuning as tuning
    from forecasting.model.calibration import effective_count
    from forecasting.projection.forecast import aggregate, fit_models, prepare
    from forecasting.projection.types import DEFAULT_SETTINGS

    ledger = pickle.loads(args.ledger.read_bytes())
    tuning.MAX_TUNING_INVOICES = FULL if args.cap == "full" else int(args.cap)
    tuning.TUNING_SAMPLE_SEED = args.seed
    if args.min_counterparties is not None:
        tuning.MIN_CALIBRATION_COUNTERPARTIES = args.min_counterparties
    only = dict(part.split("=") for part in args.only_chosen.split(";") if part)  # side -> "H,DRIFT,MODE"
    kept: dict[str, Any] = {}
    original = tuning._transforms

    def keeping(drawn: Any, cases: Any) -> Any:
        """Keep the transforms of the last call (the chosen setting's)."""
        kept["last"] = found = original(drawn, cases)
        return found

    tuning._transforms = keeping
    models, transforms = {}, {}
    for side in ("receivable", "payable"):
        cpu = time.process_time()
        settings = DEFAULT_SETTINGS
        if side in only:
            half_life, drift, mode = only[side].split(",")
            settings = replace(settings, behaviour=replace(settings.behaviour, drift=drift, settle_mode=mode,
                                                           half_life_candidates_days=(float(half_life),)))
        models[side] = fit_models(ledger, AS_OF, settings, sides=(side,))[side]
        transforms[side] = kept.pop("last", {})
        m = models[side]
        cpu = time.process_time() - cpu
        print(json.dumps({"side": side, "cap": args.cap, "seed": args.seed, "fit_cpu_s": round(cpu, 2),
                          "chosen": [m.half_life_days, m.drift, m.settle_mode]}), flush=True)
    tuning._transforms = original
    rng = np.random.default_rng(2026)
    for side, groups in transforms.items():
        for group, (pit, clusters, _) in groups.items():
            row: dict[str, Any] = {"side": side, "group": group, "n": len(pit),
                                   "counterparties": int(len(set(clusters.tolist()))),
                                   "n_effective": round(effective_count(pit, clusters), 1)}
            for blend in BLENDS:
                table = blended(pit, clusters, blend)
                if table is None:
                    continue
                boot = []
                for _ in range(args.boot):
                    sample = blended(*resample(pit, clusters, rng), blend)
                    boot.append(sample if sample is not None else np.linspace(0, 1, len(table)))
                spread = np.std(boot, axis=0, ddof=1) if len(boot) > 1 else np.full(len(table), np.nan)
                row[blend] = {name: [round(float(table[i]), 4), round(float(spread[i]), 4)]
                              for name, i in LEVELS.items()}
            print(json.dumps(row), flush=True)
    if not (args.forecasts or args.point):
        return

    def figures(chosen: dict[str, Any]) -> tuple[float, float]:
        """Return the 13-week expected closing cash and the first week's receipts with these models."""
        weekly = aggregate(prepare(ledger, AS_OF, 13, models=chosen)).weekly
        return float(weekly["closing_expected"].iloc[-1]), float(weekly["receipts"].iloc[0])

    def with_maps(blend: str, draw: bool) -> dict[str, Any]:
        """Return the models with maps by `blend`, each of a bootstrap sample when `draw`."""
        out = {}
        for side, model in models.items():
            maps = {}
            for group, (pit, clusters) in transforms[side].items():
                table = blended(*(resample(pit, clusters, rng) if draw else (pit, clusters)), blend)
                if table is not None:
                    maps[group] = table
            out[side] = replace(model, calibration=maps)
        return out

    point = {"none": figures({s: replace(m, calibration={}) for s, m in models.items()})}
    for blend in BLENDS:
        point[blend] = figures(with_maps(blend, False))
    print(json.dumps({"point": {k: [round(v[0]), round(v[1])] for k, v in point.items()}}), flush=True)
    for blend in BLENDS if args.forecasts > 1 else ():
        runs = np.array([figures(with_maps(blend, True)) for _ in range(args.forecasts)])
        print(json.dumps({"blend": blend, "forecasts": args.forecasts,
                          "closing_mean": round(float(runs[:, 0].mean())),
                          "closing_se": round(float(runs[:, 0].std(ddof=1))),
                          "receipts_w1_mean": round(float(runs[:, 1].mean())),
                          "receipts_w1_se": round(float(runs[:, 1].std(ddof=1)))}), flush=True)


if __name__ == "__main__":
    main()
