"""Where does the receivables' per-invoice bias come from? A breakdown by group, model against oracle and baseline.

The backtest's `bias_days` is the mean of (the median of the model's draws - the real payment day) over the scored
invoices (paid by the data's end). This script recomputes it at the four as-of dates of bench/backtest_demo.py and
splits it by groups of invoices the demo's truth knows (disputed or not and when the dispute was raised, open at
as-of or issued later, behaviour class, drifting clients, weekend payers, new clients, one-offs, overdue at as-of,
paid after the horizon), beside the oracle of bench/backtest_oracle.py (the demo's own truth, its median day) and
the client-median baseline, with the means of the draws (model: the backtest's `mean_offset`; oracle) as a
mean-based bias. "contrib" is the
group's share of the whole bias: its summed error / all scored invoices.
Run: .venv/bin/python bench/bias_breakdown.py [WEEKS ...]   (default 13 26)
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.backtest_oracle import oracle_median_mean  # noqa: E402
from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.demo.params import RAISED_ON, SETTLEMENT  # noqa: E402
from forecasting.model.settlement import known_at  # noqa: E402
from forecasting.projection.backtest import backtest  # noqa: E402

TODAY = date(2026, 11, 23)


def groups(data: demo.DemoData, table: pd.DataFrame, as_of: pd.Timestamp, weeks: int) -> dict[str, np.ndarray]:
    """Return a mask per group of the scored invoices."""
    profiles = data.client_profiles.set_index(C.COUNTERPARTY_ID).loc[table[C.COUNTERPARTY_ID]]
    disputes = data.disputes[data.disputes[C.SIDE] == C.RECEIVABLE].set_index(C.INVOICE_ID)[RAISED_ON]
    raised = pd.to_datetime(table[C.INVOICE_ID].map(disputes))
    disputed = raised.notna().to_numpy()
    is_open = (table["group"] == "open_at_as_of").to_numpy()
    behaviour = profiles[demo.BEHAVIOUR].to_numpy()
    drift = profiles[demo.DRIFT_DAYS_PER_YEAR].to_numpy(float)
    start = pd.to_datetime(data.receivables[C.ISSUE_DATE]).min()
    new = (pd.to_datetime(profiles[demo.INVOICED_FROM]) > start + pd.Timedelta(days=30)).to_numpy()
    one_off = table[C.INVOICE_ID].isin(data.one_offs[C.INVOICE_ID]).to_numpy()
    actual = table["actual_offset"].to_numpy(float)
    return {
        "all": np.ones(len(table), bool),
        "open at as-of": is_open,
        "issued after as-of": ~is_open,
        "undisputed": ~disputed,
        "disputed, raised by as-of": disputed & (raised <= as_of).to_numpy(),
        "disputed, raised later, open at as-of": disputed & (raised > as_of).to_numpy() & is_open,
        "disputed, issued after as-of": disputed & ~is_open,
        "undisputed, open, overdue at as-of": ~disputed & is_open & (table["due_offset"].to_numpy() < 0),
        "undisputed, open, not yet due": ~disputed & is_open & (table["due_offset"].to_numpy() >= 0),
        "undisputed, paid after horizon": ~disputed & (actual > weeks * 7),
        "undisputed, paid within horizon": ~disputed & (actual <= weeks * 7),
        "class punctual": behaviour == "punctual",
        "class late": behaviour == "late",
        "class erratic": behaviour == "erratic",
        "class disputing": behaviour == "disputing",
        "class disputing, undisputed invoices": (behaviour == "disputing") & ~disputed,
        "drifting earlier (≤ −3 d/yr), undisputed": (drift <= -3.0) & ~disputed,
        "drifting later (≥ +3 d/yr), undisputed": (drift >= 3.0) & ~disputed,
        "weekend payers": (profiles[SETTLEMENT] == "any_day").to_numpy(),
        "new clients": new,
        "one-offs": one_off,
    }


def stats(errors: np.ndarray, total_n: int) -> tuple[float, float, float]:
    """Return bias (mean error), MAE and the contribution to the whole bias of one group's errors."""
    if not len(errors):
        return float("nan"), float("nan"), float("nan")
    return float(errors.mean()), float(np.abs(errors).mean()), float(errors.sum() / total_n)


def date_table(data: demo.DemoData, ledger: Ledger, as_of: pd.Timestamp, weeks: int,
               rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, float]]:
    """Return one row per group at one as-of date, and the date's summary."""
    table = backtest(ledger, as_of.date(), weeks, sides=(C.RECEIVABLE,)).invoices
    table = table[table["actual_offset"].notna()].reset_index(drop=True)
    oracle = oracle_median_mean(data, table, as_of, rng)
    partly = table[C.INVOICE_ID].isin(known_at(ledger, as_of).payments_of(C.RECEIVABLE)[C.INVOICE_ID]).to_numpy()
    no_oracle = np.isnan(oracle[:, 0]) | (partly & (table["group"] == "open_at_as_of").to_numpy())
    oracle[no_oracle, 0] = table["predicted_offset"].to_numpy(float)[no_oracle]
    oracle[no_oracle, 1] = table["mean_offset"].to_numpy(float)[no_oracle]
    actual = table["actual_offset"].to_numpy(float)
    err = {
        "model": table["predicted_offset"].to_numpy(float) - actual,
        "oracle": oracle[:, 0] - actual,
        "median base": table["client_median_offset"].to_numpy(float) - actual,
        "model mean": table["mean_offset"].to_numpy(float) - actual,
        "oracle mean": oracle[:, 1] - actual,
    }
    n = len(table)
    rows = []
    for name, mask in groups(data, table, as_of, weeks).items():
        row: dict[str, Any] = {"group": name, "n": int(mask.sum())}
        for key in ("model", "oracle", "median base"):
            bias, mae, contrib = stats(err[key][mask], n)
            row |= {f"{key} bias": bias, f"{key} MAE": mae, f"{key} contrib": contrib}
        row["model median err"] = float(np.median(err["model"][mask])) if mask.any() else float("nan")
        row["model mean bias"], row["model mean MAE"] = stats(err["model mean"][mask], n)[:2]
        row["oracle mean bias"] = stats(err["oracle mean"][mask], n)[0]
        rows.append(row)
    summary = {"n": n, "model bias": float(err["model"].mean()), "oracle bias": float(err["oracle"].mean()),
               "model mean bias": float(err["model mean"].mean()),
               "model mean MAE": float(np.abs(err["model mean"]).mean()),
               "model median-point MAE": float(np.abs(err["model"]).mean()), "oracle mean bias": float(err["oracle mean"].mean()),
               "no oracle": int(no_oracle.sum())}
    return pd.DataFrame(rows), summary


def main(horizons: tuple[int, ...]) -> None:
    """Print, per horizon, each date's summary and the breakdown pooled over the four dates (and per date)."""
    data = demo.generate(seed=42, scale=1.0, today=TODAY)
    ledger = Ledger.from_object(data)
    rng = np.random.default_rng(0)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    for weeks in horizons:
        as_ofs = sorted(pd.Timestamp(TODAY) - pd.Timedelta(weeks=weeks) - pd.Timedelta(days=91 * k) for k in range(4))
        frames = []
        for as_of in as_ofs:
            frame, summary = date_table(data, ledger, as_of, weeks, rng)
            print(f"\n## {weeks} weeks, as-of {as_of.date()}: " + ", ".join(
                f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in summary.items()))
            print(frame.round(2).to_string(index=False))
            frames.append(frame.assign(as_of=as_of.date()))
        print(f"\n## {weeks} weeks, bias per group at each date (model / oracle / client median)\n")
        both = pd.concat(frames)
        wide = both.assign(cell=[f"{m:+.2f} / {o:+.2f} / {b:+.2f} (n {n})" for m, o, b, n in zip(
            both["model bias"], both["oracle bias"], both["median base bias"], both["n"], strict=True)])
        pivot = wide.pivot(index="group", columns="as_of", values="cell").reindex(frames[0]["group"])
        print("| group | " + " | ".join(str(c) for c in pivot.columns) + " |")
        print("|---|" + "---|" * len(pivot.columns))
        for name, cells in pivot.iterrows():
            print(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main(tuple(int(w) for w in sys.argv[1:]) or (13, 26))
