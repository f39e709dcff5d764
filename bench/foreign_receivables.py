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
from forecasting.projection.backtest import backtest  # noqa: E402
from tests.fixtures.foreign import END, foreign_ledger, oracle_offsets  # noqa: E402


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
