"""Check that two versions of the matching give the same result: dump one tree's, then compare another's with it.

    PYTHONPATH=/path/to/old python bench/reconcile_same.py dump /tmp/old.pkl
    python bench/reconcile_same.py compare /tmp/old.pkl      # this tree's matching against the dump

The cases: the demo's last 4 and 8 weeks against the ledger exported before them (as tests/reconcile/test_demo.py
scores them), the whole demo bank against its ledger (the ledger's own payments explain most), a second run of
the 8 weeks after the first run's automatic matches are applied and a proposal of three is rejected (IBANs learned,
rejections honoured), and bench/reconcile.py's generator at 3,000 x 30,000 (and a larger size if asked). Compared:
every candidate the search finds (its movement, its invoice set with amounts, confidence within 1e-9, reason),
then what the run writes (matches, their invoices, categories). Which tree runs is PYTHONPATH's (printed).
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def _load(name: str, path: Path) -> Any:
    """Return a module loaded from a file (the bench generator, the test fixtures) of this tree's bench/tests."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases(big: bool) -> list[tuple[str, Any, pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Return (name, ledger, movements, matches, allocations) of each case."""
    from forecasting.core import columns as C
    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo
    from forecasting.demo.movements import EXPORT_LAG_BDAYS
    from tests.fixtures.demo import DEMO_TODAY
    from tests.fixtures.reconcile import EMPTY_ALLOCATIONS, EMPTY_MATCHES, ledger_before

    lagged = demo.generate(seed=42, scale=1.0, today=DEMO_TODAY, export_lag_bdays=EXPORT_LAG_BDAYS)
    out = []
    for weeks in (4, 8):
        cutoff = pd.Timestamp(lagged.bank_movements[C.BOOKING_DATE].max()) - pd.Timedelta(weeks=weeks)
        movements = lagged.bank_movements[lagged.bank_movements[C.BOOKING_DATE] > cutoff].reset_index(drop=True)
        out.append((f"demo {weeks} weeks", ledger_before(lagged, cutoff), movements, EMPTY_MATCHES, EMPTY_ALLOCATIONS))
    plain = demo.generate(seed=42, scale=1.0, today=DEMO_TODAY)
    out.append(("demo whole bank", Ledger.from_object(plain), plain.bank_movements, EMPTY_MATCHES, EMPTY_ALLOCATIONS))
    bench = _load("bench_reconcile", HERE / "reconcile.py")
    sizes = [(3_000, 30_000)] + ([(30_000, 300_000)] if big else [])
    for n_mov, n_inv in sizes:
        ledger, movements = bench.make_data(n_mov, n_inv)
        out.append((f"bench {n_mov} x {n_inv}", ledger, movements, EMPTY_MATCHES, EMPTY_ALLOCATIONS))
    return out


def _second_run(name: str, ledger: Any, movements: pd.DataFrame, first: Any) -> tuple[Any, ...]:
    """Return the case of a second run: the first's automatic matches applied, one proposal in three rejected."""
    from forecasting.core import columns as C

    m = first.matches
    keys = [C.ACCOUNT_ID, C.MOVEMENT_ID]
    with_iban = m.merge(movements[keys + [C.COUNTERPARTY_IBAN]], on=keys, how="left")
    proposed = with_iban["status"] == "proposed"
    reject = proposed & (with_iban.groupby(proposed.cumsum()).ngroup() % 3 == 0)
    kept = with_iban[(with_iban["status"] == "auto") | reject].copy()
    kept["status"] = np.where(kept["status"] == "auto", "auto", "rejected")
    kept = kept.rename(columns={"key": "match_id"})
    alloc = first.invoices.rename(columns={"key": "match_id"})
    alloc = alloc[alloc["match_id"].isin(kept["match_id"])]
    return (name + ", second run", ledger, movements, kept.reset_index(drop=True), alloc.reset_index(drop=True))


def _canonical_candidates(found: Any, movements: pd.DataFrame) -> pd.DataFrame:
    """Return one line per candidate: row, its invoice set with amounts as text, confidence, reason; sorted."""
    alloc = found.allocations.sort_values(["cand", "inv"])
    sets = (alloc["inv"].astype(str) + ":" + alloc["amount"].round(6).astype(str)).groupby(alloc["cand"]).agg(" ".join)
    m = found.matches.merge(sets.rename("set"), left_on="cand", right_index=True)
    out = m[["row", "set", "confidence", "reason"]].astype({"row": "int64", "confidence": float, "reason": str})
    return out.sort_values(["row", "set", "reason"]).reset_index(drop=True)


def _canonical_run(run: Any) -> dict[str, pd.DataFrame]:
    """Return what a run writes, without its local keys: matches with their invoice sets, categories."""
    inv = run.invoices.sort_values(["key", "source", "invoice_id"])
    sets = (inv["source"].astype(str) + "/" + inv["invoice_id"].astype(str) + ":" + inv["amount"].round(6).astype(str)
            ).groupby(inv["key"]).agg(" ".join)
    m = run.matches.merge(sets.rename("set"), left_on="key", right_index=True, how="left").drop(columns="key")
    m["set"] = m["set"].fillna("")
    m = m.astype({"confidence": float}).sort_values(["account_id", "movement_id", "set"]).reset_index(drop=True)
    cats = run.categories.sort_values(["account_id", "movement_id"]).reset_index(drop=True)
    return {"matches": m, "categories": cats.astype(str)}


def compute(big: bool) -> dict[str, dict[str, pd.DataFrame]]:
    """Return each case's candidates and run, canonical."""
    import forecasting
    from forecasting.reconcile import run as run_module
    from forecasting.reconcile.settings import MatchSettings
    from tests.fixtures.reconcile import default_rules

    print(f"matching code from {Path(forecasting.__file__).parent}")
    captured: list[Any] = []
    original = run_module.find

    def spy(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        captured.append((found, args[0]))
        return found

    run_module.find = spy  # type: ignore[assignment]
    results: dict[str, dict[str, pd.DataFrame]] = {}
    pending = _cases(big)
    while pending:
        name, ledger, movements, matches, alloc = pending.pop(0)
        captured.clear()
        run = run_module.match_frames(ledger, movements, matches, alloc, default_rules(), MatchSettings())
        found, mv = captured[-1]
        results[name] = {"candidates": _canonical_candidates(found, mv), **_canonical_run(run)}
        print(f"  {name}: {len(results[name]['candidates']):,} candidates, {len(run.matches):,} matches written")
        if name in ("demo 8 weeks", "bench 3000 x 30000"):
            pending.insert(0, _second_run(name, ledger, movements, run))
    run_module.find = original  # type: ignore[assignment]
    return results


def compare(old: dict[str, dict[str, pd.DataFrame]], new: dict[str, dict[str, pd.DataFrame]]) -> int:
    """Print the differences; return the number of cases that differ."""
    bad = 0
    for name, frames in old.items():
        if name not in new:
            print(f"{name}: not run now (--big runs it)")
            continue
        for part, a in frames.items():
            b = new[name][part]
            same = len(a) == len(b)
            if same:
                exact = [c for c in a.columns if c != "confidence"]
                same = bool((a[exact].reset_index(drop=True) == b[exact].reset_index(drop=True)).all().all())
                if "confidence" in a.columns:
                    same &= bool(np.allclose(a["confidence"].to_numpy(float), b["confidence"].to_numpy(float),
                                             rtol=0, atol=1e-9))
            print(f"{name} / {part}: {len(a):,} vs {len(b):,} lines, {'same' if same else 'DIFFERENT'}")
            if not same:
                bad += 1
                both = a.merge(b, how="outer", indicator=True)
                print(both[both["_merge"] != "both"].head(20).to_string())
    return bad


def main() -> int:
    """Dump or compare."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["dump", "compare"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--big", action="store_true", help="add bench's generator at 30,000 x 300,000")
    args = parser.parse_args()
    results = compute(args.big)
    if args.action == "dump":
        args.path.write_bytes(pickle.dumps(results))
        return 0
    old = pickle.loads(args.path.read_bytes())
    bad = compare(old, results)
    print("SAME" if not bad else f"{bad} DIFFERENCES")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
