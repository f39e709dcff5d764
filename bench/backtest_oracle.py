"""How close is the payment-date forecast to the best possible one? An oracle that knows the demo's truth.

The demo draws each client invoice's delay from its client's true profile (`DemoData.client_profiles`: mean,
drift, spread, behaviour class). The oracle forecasts each evaluated invoice with that truth: it draws delays
the way the demo does, keeps the draws still unpaid at the as-of date for invoices open then, rolls them to
business days (not the clients paid on any calendar day) and takes the median date (the MAE-optimal point).
A dispute counts as known when it was raised by the as-of date (`DemoData.disputes`), else only the client's
dispute rate is. No model learned from the data can beat it
on average; the distance model -> oracle is what is left to gain. Remainders of partly paid invoices (the demo
pays a split invoice's second part 15-60 days after the first) are not modelled by the oracle: there it
uses the model's own forecast.

The weekly part (bench/oracle_weekly.py) builds the oracle's expected weekly cash of both sides the way the
backtest builds the model's (the mean over draws of each week's cash, the figure the outlook shows) and splits
each date's weekly WAPE into invoices open at as-of, regular invoices issued within the horizon and one-offs.
Run: .venv/bin/python bench/backtest_oracle.py [WEEKS ...]   (per-invoice MAE and weekly WAPE at each WEEKS;
default 13)
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.oracle_weekly import GROUPS, summary_row, weekly_parts  # noqa: E402
from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.core.terms import BusinessCalendar  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.demo.params import (  # noqa: E402
    DISPUTE_LAG_DAYS,
    DISPUTE_MIN_RESOLUTION_DAYS,
    EARLY_SHARE,
    RAISED_ON,
    SETTLEMENT,
)
from forecasting.model.behaviour import last_business_day  # noqa: E402
from forecasting.model.settlement import known_at  # noqa: E402
from forecasting.projection.backtest import backtest  # noqa: E402

TODAY = date(2026, 11, 23)
HORIZON_WEEKS = 13
DRAWS = 4000


def _oracle_offsets(data: demo.DemoData, invoices: pd.DataFrame, as_of: pd.Timestamp,
                    rng: np.random.Generator) -> np.ndarray:
    """Return the oracle's payment offset (days after as_of) of each evaluated invoice; NaN where it has none."""
    return oracle_median_mean(data, invoices, as_of, rng)[:, 0]


def oracle_median_mean(data: demo.DemoData, invoices: pd.DataFrame, as_of: pd.Timestamp,
                       rng: np.random.Generator) -> np.ndarray:
    """Return [n, 2]: the median and the mean of the oracle's payment offsets of each invoice; NaN where none."""
    profiles = data.client_profiles.set_index(C.COUNTERPARTY_ID)
    receivables = data.receivables.set_index(C.INVOICE_ID)
    disputes = data.disputes[data.disputes[C.SIDE] == C.RECEIVABLE].set_index(C.INVOICE_ID)[RAISED_ON]
    calendar = BusinessCalendar("FR")
    as_of_day = np.datetime64(as_of.date(), "D")
    unpaid_through = np.datetime64(last_business_day(as_of, "FR").date(), "D")
    issue_days = pd.to_datetime(data.receivables[C.ISSUE_DATE]).to_numpy().astype("datetime64[D]")
    start = issue_days.min()
    mid = start + (np.datetime64(TODAY, "D") - start) // 2  # the demo's drift is zero mid-history
    out = np.full((len(invoices), 2), np.nan)
    for i, row in enumerate(invoices.itertuples(index=False)):
        truth = profiles.loc[row.counterparty_id]
        issue = np.datetime64(pd.Timestamp(receivables.at[row.invoice_id, C.ISSUE_DATE]).date(), "D")
        due = np.datetime64(pd.Timestamp(row.due_date).date(), "D")
        if truth[demo.BEHAVIOUR] == "erratic":
            noise = np.clip(rng.standard_t(3, DRAWS) / np.sqrt(3.0), -4.0, 4.0)
        else:
            noise = rng.standard_normal(DRAWS)
        noise = noise * truth[demo.DELAY_SD_DAYS]
        if truth[demo.BEHAVIOUR] == "punctual":
            noise = np.where(rng.random(DRAWS) < EARLY_SHARE, -rng.uniform(3.0, 15.0, DRAWS), noise)
        raised_on = disputes.get(row.invoice_id)
        lag = rng.integers(DISPUTE_LAG_DAYS[0], DISPUTE_LAG_DAYS[1] + 1, DRAWS)
        if raised_on is not None and raised_on <= as_of:  # raised by as_of: known
            disputed = np.ones(DRAWS, dtype=bool)
            lag[:] = (np.datetime64(raised_on.date(), "D") - issue).astype(np.int64)
        else:  # raised later, or never: only the client's dispute rate is known
            disputed = rng.random(DRAWS) < truth[demo.DISPUTE_RATE]
        extra = np.where(disputed, rng.gamma(2.0, 35.0, DRAWS), 0.0)
        years = (issue - mid).astype(np.int64) / 365.25
        delay = np.rint(truth[demo.MEAN_DELAY_DAYS] + truth[demo.DRIFT_DAYS_PER_YEAR] * years + noise + extra)
        pay_from = np.maximum(due + delay.astype(np.int64), issue)
        pay_from = np.where(disputed, np.maximum(pay_from, issue + lag + DISPUTE_MIN_RESOLUTION_DAYS), pay_from)
        paid = pay_from if truth[SETTLEMENT] == "any_day" else calendar.roll_forward(pay_from)
        if row.group == "open_at_as_of":
            paid = paid[paid > unpaid_through]
        if len(paid):
            days = (np.sort(paid) - as_of_day).astype(np.int64)
            out[i] = float(days[(len(days) - 1) // 2]), float(days.mean())
    return out


def main(horizons: tuple[int, ...]) -> None:
    """Print the per-invoice oracle table at 13 weeks, then the weekly tables of each horizon."""
    data = demo.generate(seed=42, scale=1.0, today=TODAY)
    ledger = Ledger.from_object(data)
    for weeks in horizons:
        per_invoice(data, ledger, weeks)
    for weeks in horizons:
        weekly(data, ledger, weeks)


def weekly(data: demo.DemoData, ledger: Ledger, weeks: int) -> None:
    """Print each side's weekly WAPE (%) at the four as-of dates: model, oracle variants, errors by group."""
    rng = np.random.default_rng(1)
    as_ofs = sorted(pd.Timestamp(TODAY) - pd.Timedelta(weeks=weeks) - pd.Timedelta(days=91 * k) for k in range(4))
    rows = {side: [] for side in C.SIDES}  # type: dict[str, list[dict[str, float]]]
    for as_of in as_ofs:
        for side, parts in weekly_parts(data, ledger, as_of, weeks, np.datetime64(TODAY, "D"), rng).items():
            rows[side].append({"as-of": as_of.date(), **summary_row(parts)})  # type: ignore[dict-item]
    for side in C.SIDES:
        heads = [k for k in rows[side][0] if not k.startswith(("model ", "oracle ", "share "))
                 or k.startswith(("model,", "oracle timing"))]
        print(f"\n### Weekly WAPE (%), {weeks} weeks, {side}s\n")
        _table([{k: r[k] for k in heads} for r in rows[side]])
        print("\nBy group: share of the actual cash, then each group's error (model / oracle), % of the side's cash\n")
        _table([{"as-of": r["as-of"], **{f"{g}: share": r[f"share {g}"] for g in GROUPS},
                 **{f"{g}: model / oracle": f"{r[f'model {g}']} / {r[f'oracle {g}']}" for g in GROUPS}}
                for r in rows[side]])


def _table(rows: list[dict[str, object]]) -> None:
    """Print rows as a markdown table."""
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(str(v) for v in row.values()) + " |")


def per_invoice(data: demo.DemoData, ledger: Ledger, weeks: int = HORIZON_WEEKS) -> None:
    """Print model, client-median baseline and oracle MAE at the four as-of dates of bench/backtest_demo.py."""
    rng = np.random.default_rng(0)
    as_ofs = sorted(pd.Timestamp(TODAY) - pd.Timedelta(weeks=weeks) - pd.Timedelta(days=91 * k)
                    for k in range(4))
    print(f"\n### Receivables per invoice, {weeks} weeks\n")
    print("| as-of | invoices | model MAE | client-median MAE | oracle MAE | model / median | oracle / median |"
          " partly paid (oracle = model) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = np.zeros(3)
    for as_of in as_ofs:
        invoices = backtest(ledger, as_of, weeks, sides=(C.RECEIVABLE,)).invoices
        invoices = invoices[invoices["actual_offset"].notna()].reset_index(drop=True)  # scored: paid by the data's end
        oracle = _oracle_offsets(data, invoices, as_of, rng)
        partly_paid = invoices[C.INVOICE_ID].isin(known_at(ledger, as_of).payments_of(C.RECEIVABLE)[C.INVOICE_ID])
        partly_paid = partly_paid.to_numpy() & (invoices["group"] == "open_at_as_of").to_numpy()
        no_oracle = np.isnan(oracle) | partly_paid
        oracle = np.where(no_oracle, invoices["predicted_offset"].to_numpy(float), oracle)
        actual = invoices["actual_offset"].to_numpy(float)
        errors = np.array([np.abs(invoices[col].to_numpy(float) - actual).sum()
                           for col in ("predicted_offset", "client_median_offset")] + [np.abs(oracle - actual).sum()])
        totals += errors
        mae = errors / len(invoices)
        print(f"| {as_of.date()} | {len(invoices)} | {mae[0]:.2f} | {mae[1]:.2f} | {mae[2]:.2f} | "
              f"{errors[0] / errors[1]:.3f} | {errors[2] / errors[1]:.3f} | {int(no_oracle.sum())} |")
    print(f"| **pooled** | | | | | **{totals[0] / totals[1]:.3f}** | **{totals[2] / totals[1]:.3f}** | |")


if __name__ == "__main__":
    main(tuple(int(w) for w in sys.argv[1:]) or (HORIZON_WEEKS,))
