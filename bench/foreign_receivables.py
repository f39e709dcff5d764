"""Backtest the receivables model on a ledger built to the statistics issue 14 quotes, not on the demo's assumptions.

Issue 14 describes a real receivables ledger kept outside the project: a hundred clients over two years; clients
paying earlier and earlier (mean delay -0.5 -> -8.5 days over the two years); a quarter of the invoices disputed,
paid some days later than usual (not the demo's ~60 days); 27 % of settlements on a Saturday or Sunday (card and
direct-debit receipts). This script generates such a ledger from those figures alone (the generator was written
before any measurement and is not adjusted to them; its seed is fixed) and scores the model against the baselines
at four as-of dates, as bench/backtest_demo.py does for the demo. It is a stand-in, not the real ledger: what it
can show is whether the model holds up where the demo's assumptions (stable per-client delay, business-day
settlement, disputes two months long, a few disputing clients) do not.

How the ledger is made (every number here is a guess at a plausible ledger, stated once):
- 100 clients, invoices from 2024-11-25 to 2026-11-23, 0.5-3 invoices a month each (lognormal amounts,
  client-specific scale); terms net 30, 45 or 60 days.
- Delay after the due date: client level N(+3, 6) days, drifting N(-4, 2.5) days a year (population mean about
  -0.5 at the start, -8.5 at the end), noise right-skewed (Gumbel, scale 1-6 days by client).
- Disputes: each client has a dispute rate Beta(2, 6) (mean 0.25); a disputed invoice is paid Gamma(2, 6) days
  (mean 12) later than its usual day, and carries the export's dispute flag (paid or open).
- Settlement days: 45 % of clients pay by card or direct debit, on any day, six times in ten moved to the weekend
  that follows; the others by transfer, rolled to the next French business day. About 27 % of receipts on a weekend.
- 1 % of invoices never paid.
Run: .venv/bin/python bench/foreign_receivables.py [WEEKS ...]   (default 13 26)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.backtest_demo import print_table, side_row  # noqa: E402
from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.core.terms import BusinessCalendar  # noqa: E402
from forecasting.projection.backtest import backtest  # noqa: E402
from tests.fixtures.handmade import invoice, make_ledger  # noqa: E402

SEED = 2027
START, END = pd.Timestamp("2024-11-25"), pd.Timestamp("2026-11-23")
N_CLIENTS = 100


def foreign_ledger(seed: int = SEED) -> tuple[Ledger, pd.DataFrame]:
    """Return the ledger described in the module's docstring and each client's truth (for the oracle)."""
    rng = np.random.default_rng(seed)
    calendar = BusinessCalendar("FR")
    rows, truth = [], []
    span_days = (END - START).days
    for k in range(N_CLIENTS):
        client = f"CL{k:03d}"
        per_month = rng.uniform(0.5, 3.0)
        n = rng.poisson(per_month * span_days / 30.4)
        issues = np.sort(rng.integers(0, span_days, n))
        level, drift = rng.normal(3.0, 6.0), rng.normal(-4.0, 2.5)
        noise_scale = rng.uniform(1.0, 6.0)
        dispute_rate = rng.beta(2.0, 6.0)
        card = rng.random() < 0.45
        terms = int(rng.choice([30, 45, 60]))
        scale = rng.lognormal(8.0, 1.0)
        truth.append({C.COUNTERPARTY_ID: client, "level": level, "drift": drift, "noise_scale": noise_scale,
                      "dispute_rate": dispute_rate, "card": card})
        for j, offset in enumerate(issues):
            issue = START + pd.Timedelta(days=int(offset))
            due = issue + pd.Timedelta(days=terms)
            disputed = bool(rng.random() < dispute_rate)
            delay = level + drift * offset / 365.0 + rng.gumbel(0.0, noise_scale)
            if disputed:
                delay += rng.gamma(2.0, 6.0)
            paid = due + pd.Timedelta(days=int(round(delay)))
            if card:
                if rng.random() < 0.6 and paid.weekday() < 5:
                    paid += pd.Timedelta(days=5 - paid.weekday() + int(rng.integers(0, 2)))
            else:
                paid = pd.Timestamp(calendar.roll_forward(np.array([paid.date()], dtype="datetime64[D]"))[0])
            paid = max(paid, issue)
            never = rng.random() < 0.01
            amount = round(float(scale * rng.lognormal(0.0, 0.5)), 2)
            rows.append(invoice(f"{client}-{j:04d}", client, str(issue.date()), str(due.date()), amount,
                                paid=None if never or paid > END else str(paid.date()), disputed=disputed,
                                terms=f"net {terms}"))
    return make_ledger(rows), pd.DataFrame(truth).set_index(C.COUNTERPARTY_ID)


def oracle_offsets(table: pd.DataFrame, truth: pd.DataFrame, ledger: Ledger, as_of: pd.Timestamp,
                   rng: np.random.Generator, draws: int = 400) -> np.ndarray:
    """Return each scored invoice's median payment offset under the generator's own truth.

    The same knowledge as the model: the export's dispute flag for invoices issued by as-of, the client's dispute
    rate for those issued later; an invoice open at as-of is paid after it (draws before are dropped).
    """
    calendar = BusinessCalendar("FR")
    issues = ledger.receivables.set_index(C.INVOICE_ID)[C.ISSUE_DATE]
    day0 = np.datetime64(as_of.date(), "D")
    out = np.full(len(table), np.nan)
    for i, row in enumerate(table.itertuples(index=False)):
        t = truth.loc[row.counterparty_id]
        issue = pd.Timestamp(issues[row.invoice_id])
        due = np.datetime64(pd.Timestamp(row.due_date).date(), "D")
        years = (issue - START).days / 365.0
        later = row.group != "open_at_as_of"
        disputed = rng.random(draws) < t["dispute_rate"] if later else np.full(draws, bool(row.disputed))
        delay = t["level"] + t["drift"] * years + rng.gumbel(0.0, t["noise_scale"], draws)
        delay = np.rint(delay + np.where(disputed, rng.gamma(2.0, 6.0, draws), 0.0)).astype(np.int64)
        paid = due + delay
        if t["card"]:
            weekday = (paid.astype(np.int64) + 3) % 7
            shift = np.where(weekday < 5, 5 - weekday + rng.integers(0, 2, draws), 0)
            paid = paid + np.where(rng.random(draws) < 0.6, shift, 0)
        else:
            paid = calendar.roll_forward(paid)
        paid = np.maximum(paid, np.datetime64(issue.date(), "D"))
        offsets = (paid - day0).astype(np.int64)
        if not later:
            offsets = offsets[offsets > 0]
        if len(offsets):
            out[i] = float(np.quantile(offsets, 0.5, method="lower"))
    return out


def main(horizons: list[int]) -> None:
    """Print the model against the baselines at four as-of dates per horizon."""
    ledger, truth = foreign_ledger()
    rng = np.random.default_rng(1)
    payments = ledger.payments_of(C.RECEIVABLE)
    weekend = float((pd.to_datetime(payments[C.PAYMENT_DATE]).dt.day_of_week >= 5).mean())
    print(f"{len(ledger.receivables)} invoices, {len(payments)} payments, {weekend:.1%} on a weekend, "
          f"{ledger.receivables[C.DISPUTED].mean():.1%} disputed")
    for weeks in horizons:
        rows = []
        for k in range(4):
            as_of = END - pd.Timedelta(weeks=weeks) - pd.Timedelta(days=91 * (3 - k))
            started = time.perf_counter()
            result = backtest(ledger, as_of.date(), weeks, sides=[C.RECEIVABLE])
            side = result.metrics.sides[C.RECEIVABLE]
            row = side_row(as_of, side)
            row["MAE / client median"] = round(side.invoices.model.mae_days
                                               / side.invoices.baselines["client_median"].mae_days, 3)
            row["MAE / mean + dispute"] = round(side.invoices.model.mae_days
                                                / side.invoices.baselines["client_mean_dispute"].mae_days, 3)
            table = result.invoices[(result.invoices["side"] == C.RECEIVABLE)
                                    & result.invoices["actual_offset"].notna()]
            oracle = oracle_offsets(table, truth, ledger, as_of, rng)
            actual = table["actual_offset"].to_numpy(float)
            row["oracle MAE"] = round(float(np.nanmean(np.abs(oracle - actual))), 2)
            row["oracle / client median"] = round(row["oracle MAE"]
                                                  / side.invoices.baselines["client_median"].mae_days, 3)
            row["s"] = round(time.perf_counter() - started, 1)
            rows.append(row)
        print(f"\n{weeks} weeks, receivables")
        print_table(rows)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [13, 26])
