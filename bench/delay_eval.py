"""Per-invoice payment dates scored on the demo, both sides, against simple baselines, with the model's own choices.

The product's `cashpilot backtest` (forecasting/projection/backtest.py) now scores this way; this script stays as a
quick view of the delay model alone, with the settings its rolling-origin tuning chose at each date (half-life,
settlement mode). Every invoice open at as-of or issued within the horizon is scored against its real payment date,
wherever the data knows it (after the horizon too); the ones still unpaid where the data ends are counted apart.
Each invoice's payment day is drawn with `payment_days.sample_pay_offsets` from the model learned at as-of (open:
unpaid through the last business day; not yet issued: unpaid before its issue, disputed at its client's rate).
Baselines on the same invoices: the due date; due date + the counterparty's median delay; due date + its mean delay
on undisputed invoices + the side's mean extra delay of disputed ones (when flagged at as-of); due date + the side's
median delay; each rolled to a business day. Prints one markdown row per (as-of, horizon, side).
"""

from __future__ import annotations

import sys
import time
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.core.terms import BusinessCalendar  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.model.behaviour import last_business_day, segment_map  # noqa: E402
from forecasting.model.payment_days import InvoiceDays, sample_pay_offsets  # noqa: E402
from forecasting.model.sampling import NEVER  # noqa: E402
from forecasting.model.settings import BehaviourSettings  # noqa: E402
from forecasting.model.settlement import PAID_DATE, known_at, settle  # noqa: E402
from forecasting.model.tuning import learn_behaviour  # noqa: E402

AS_OF_DATES = (date(2025, 12, 31), date(2026, 3, 31), date(2026, 5, 31), date(2026, 7, 31))
HORIZONS_WEEKS = (13, 26)
DRAWS = 400
FAR = date(2100, 1, 1)  # "everything the data knows"
CALENDAR = BusinessCalendar("FR")


def evaluate(ledger: Ledger, as_of: date, weeks: int, side: str) -> dict[str, float | int | str]:
    """Return the scores of the model and the baselines on one side's invoices at one as-of date."""
    as_of_ts = pd.Timestamp(as_of)
    end = as_of_ts + pd.Timedelta(days=7 * weeks)
    known = known_at(ledger, as_of)
    settled = settle(known.invoices(side), known.payments_of(side), as_of)
    model = learn_behaviour(known.invoices(side), known.payments_of(side), known.counterparties, as_of_ts, side,
                            BehaviourSettings())
    chosen = model.tuning[model.tuning["chosen"]].iloc[0] if model.tuning is not None else None
    full = settle(ledger.invoices(side), ledger.payments_of(side), FAR)
    full = full[full[C.AMOUNT_TTC] > 0].set_index(C.INVOICE_ID)
    was_open = settled[(settled[C.STATUS] == "open") & (settled[C.AMOUNT_TTC] > 0)].set_index(C.INVOICE_ID)
    later = full[(full[C.ISSUE_DATE] > as_of_ts) & (full[C.ISSUE_DATE] <= end)]
    rows = pd.concat([full.loc[was_open.index].assign(group="open", disputed_known=was_open[C.DISPUTED].to_numpy()),
                      later.assign(group="later", disputed_known=False)])
    day0 = np.datetime64(as_of, "D")
    due = (rows[C.DUE_DATE].to_numpy().astype("datetime64[D]") - day0).astype(np.int64)
    issue = (rows[C.ISSUE_DATE].to_numpy().astype("datetime64[D]") - day0).astype(np.int64)
    last_bd = int((np.datetime64(last_business_day(as_of_ts, "FR").date(), "D") - day0).astype(np.int64))
    unpaid_through = np.where(rows["group"].to_numpy() == "open", last_bd, issue - 1)
    counterparty = rows[C.COUNTERPARTY_ID].astype(str)
    segments = counterparty.map(segment_map(known.counterparties, side)).to_numpy()
    uniforms = np.random.default_rng(1).random((len(rows), DRAWS))
    pay = sample_pay_offsets(model, InvoiceDays(
        counterparty.to_numpy(), segments, rows["disputed_known"].to_numpy(dtype=bool),
        (rows["group"] == "later").to_numpy(), due[:, None], unpaid_through[:, None]), as_of_ts, uniforms)
    drawn = np.where(pay >= NEVER, np.nan, pay).astype(float)
    paid = rows[PAID_DATE].notna().to_numpy()
    actual = (rows.loc[paid, PAID_DATE].to_numpy().astype("datetime64[D]") - day0).astype(float)
    with warnings.catch_warnings():  # an invoice the model says is never paid has no quantile: NaN, scored apart
        warnings.simplefilter("ignore", RuntimeWarning)
        p10, p50, p90 = (np.nanquantile(drawn[paid], q, axis=1) for q in (0.1, 0.5, 0.9))

    history = settled[settled[PAID_DATE].notna() & (settled[C.AMOUNT_TTC] > 0)]
    delays = (history[PAID_DATE] - history[C.DUE_DATE]).dt.days
    who = history[C.COUNTERPARTY_ID].astype(str)
    undisputed = ~history[C.DISPUTED].to_numpy(dtype=bool)
    extra = float(delays[~undisputed].mean() - delays[undisputed].mean()) if (~undisputed).any() else 0.0
    median = counterparty.map(delays.groupby(who).median()).fillna(delays.median()).to_numpy()
    mean = counterparty.map(delays[undisputed].groupby(who[undisputed]).mean()).fillna(delays.mean()).to_numpy()
    baselines = {
        "due date": due.astype(float),
        "client median": due + median,
        "client mean + dispute": due + np.round(mean + np.where(rows["disputed_known"], extra, 0.0)),
        "side median": due + float(delays.median()),
    }
    out: dict[str, float | int | str] = {
        "as_of": as_of.isoformat(), "weeks": weeks, "side": side, "invoices": len(rows), "scored": int(paid.sum()),
        "unpaid at data end": int((~paid).sum()), "model MAE": _mae(p50, actual),
    }
    for name, guess in baselines.items():
        out[f"{name} MAE"] = _mae(_rolled(day0, guess[paid]), actual)
    out["bias (d)"] = round(float(np.nanmean(p50 - actual)), 2)
    out["P10-P90"] = round(float(np.mean((actual >= p10) & (actual <= p90))), 3)
    out["below P10"] = round(float(np.mean(actual < p10)), 3)
    out["above P90"] = round(float(np.mean(actual > p90)), 3)
    if chosen is not None:
        out["half-life"] = chosen["half_life_days"]
        out["settle"] = chosen["settle_mode"]
    return out


def _rolled(day0: np.datetime64, offsets: np.ndarray) -> np.ndarray:
    """Return day offsets from `day0` moved to the next French business day, as the backtest rolls (NaN stays)."""
    out = np.asarray(offsets, dtype=float).copy()
    ok = ~np.isnan(out)
    days = day0 + out[ok].astype(np.int64)
    out[ok] = (CALENDAR.roll_forward(days) - day0).astype(np.int64)
    return out


def _mae(predicted: np.ndarray, actual: np.ndarray) -> float:
    """Return the mean absolute error in days over the invoices with a prediction."""
    ok = ~np.isnan(predicted)
    return round(float(np.mean(np.abs(predicted[ok] - actual[ok]))), 2)


def main() -> int:
    """Print the table of every (as-of, horizon, side)."""
    started = time.perf_counter()
    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=date(2026, 11, 23)))
    rows = [evaluate(ledger, as_of, weeks, side) for as_of in AS_OF_DATES for weeks in HORIZONS_WEEKS
            for side in C.SIDES]
    table = pd.DataFrame(rows)
    print("| " + " | ".join(table.columns) + " |")
    print("|" + "---|" * len(table.columns))
    for row in table.itertuples(index=False):
        print("| " + " | ".join(str(v) for v in row) + " |")
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
