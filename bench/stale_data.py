"""Benchmark: how far a forecast made from an export older than as-of lands from one made with all the data.

    python bench/stale_data.py

The demo company is generated once (seed 42, today 2026-12-06). For each cut date and gap, two forecasts are
made at as-of = cut + gap days, 13 weeks: "complete" from every row dated on or before as-of, "stale" from the
rows dated on or before the cut (`settlement.known_at`, the backtest's cut: invoices by issue date, payments, bank
balances, exchange rates; statuses as they were then), as if the
last export had been taken on the cut date. The table gives, per case, the stale forecast's weekly closing cash
(median path) minus the complete one's: mean (bias), mean absolute difference, and at the horizon's end.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402 - after the path is set
from forecasting.model.settlement import known_at  # noqa: E402 - the backtest's cut: what an export of that day holds
from forecasting.projection.forecast import project  # noqa: E402

CUTS = ("2026-03-09", "2026-05-11", "2026-07-13", "2026-08-10", "2026-09-14", "2026-10-12")
GAPS_DAYS = (10, 17)


def main() -> int:
    """Print the markdown table."""
    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=date(2026, 12, 6)))
    print("| cut (last export) | as-of | bias (€) | mean abs. difference (€) | at week 13 (€) |")
    print("|---|---|---:|---:|---:|")
    differences = []
    for cut in CUTS:
        for gap in GAPS_DAYS:
            as_of = pd.Timestamp(cut) + pd.Timedelta(days=gap)
            complete = project(known_at(ledger, as_of), as_of, 13).weekly["closing_p50"].to_numpy()
            stale = project(known_at(ledger, pd.Timestamp(cut)), as_of, 13).weekly["closing_p50"].to_numpy()
            diff = stale - complete
            differences.append(diff)
            print(f"| {cut} | {as_of.date()} (+{gap} d) | {diff.mean():,.0f} | {np.abs(diff).mean():,.0f} "
                  f"| {diff[-1]:,.0f} |")
    every = np.concatenate(differences)
    print(f"| all {len(differences)} cases | | {every.mean():,.0f} | {np.abs(every).mean():,.0f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
