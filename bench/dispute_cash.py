"""How the demo's disputed client invoices are forecast: their cash and their dates, at the backtest's as-of dates.

For the disputed client invoices open at as-of: the forecast's expected cash inside the horizon (each item's amount x
its share in each draw, summed where paid inside) against what they really brought (payments on them inside the
horizon, in EUR at the item's rate). For every disputed invoice scored by the backtest (open at as-of or issued
later): payment-date MAE and bias (median draw - real day) and P10-P90 coverage, beside the undisputed ones.
Run: .venv/bin/python bench/dispute_cash.py [WEEKS ...]   (default 13 26)
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.backtest_demo import as_of_dates  # noqa: E402
from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.model.settlement import OPEN_AMOUNT, known_at, settle  # noqa: E402
from forecasting.projection.actuals import OPEN  # noqa: E402
from forecasting.projection.backtest import backtest  # noqa: E402
from forecasting.projection.forecast import prepare  # noqa: E402

TODAY = date(2026, 11, 23)


def open_disputed_cash(ledger: Ledger, as_of: pd.Timestamp, weeks: int) -> dict[str, object]:
    """Return the expected and the real cash of the disputed client invoices open at as-of, inside the horizon."""
    known = known_at(ledger, as_of)
    cash = prepare(known, as_of, weeks)
    items = cash.items
    rows = np.flatnonzero(((items["kind"] == "open_invoice") & (items[C.SIDE] == C.RECEIVABLE)
                           & items[C.DISPUTED]).to_numpy())
    offsets = cash.pay_day_offsets[rows]
    amounts = items[C.AMOUNT].to_numpy(float)[rows, None] * cash.amount_scales[items["scale_row"].to_numpy()[rows]]
    inside = (offsets >= 1) & (offsets <= cash.n_days)
    expected = float((amounts * inside).mean(axis=1).sum()) if len(rows) else 0.0
    expected_items = (amounts * inside).mean(axis=1)
    settled = settle(known.receivables, known.payments_of(C.RECEIVABLE), as_of).drop_duplicates(C.INVOICE_ID)
    open_doc = settled.set_index(C.INVOICE_ID)[OPEN_AMOUNT]
    ids = items[C.INVOICE_ID].to_numpy()[rows]
    pay = ledger.payments_of(C.RECEIVABLE)
    dates = pd.to_datetime(pay[C.PAYMENT_DATE])
    window = pay[(dates > as_of) & (dates <= pd.Timestamp(cash.dates[-1])) & pay[C.INVOICE_ID].isin(ids)]
    brought = window.groupby(C.INVOICE_ID)[C.AMOUNT].sum()
    ratio = (pd.Series(ids).map(brought).fillna(0.0) / pd.Series(ids).map(open_doc)).to_numpy(float)
    actual_items = items[C.AMOUNT].to_numpy(float)[rows] * ratio
    return {"as-of": as_of.date(), "open disputed": len(rows),
            "open amount": round(float(items[C.AMOUNT].to_numpy(float)[rows].sum())),
            "expected in horizon": round(expected), "real in horizon": round(float(actual_items.sum())),
            "error": round(expected - float(actual_items.sum())),
            "item MAE": round(float(np.abs(expected_items - actual_items).mean()) if len(rows) else 0.0)}


def date_scores(table: pd.DataFrame) -> dict[str, object]:
    """Return the payment-date scores of the disputed and undisputed invoices of a backtest's receivables table."""
    out: dict[str, object] = {}
    paid = table[table["actual_offset"].notna()]
    for name, part in (("disputed open", paid[paid[C.DISPUTED] & (paid["group"] == OPEN)]),
                       ("disputed", paid[paid[C.DISPUTED]]), ("undisputed", paid[~paid[C.DISPUTED]])):
        error = part["predicted_offset"] - part["actual_offset"]
        inside = (part["actual_offset"] >= part["p10_offset"]) & (part["actual_offset"] <= part["p90_offset"])
        out[f"{name} n"] = len(part)
        out[f"{name} MAE"] = round(float(error.abs().mean()), 2)
        out[f"{name} bias"] = round(float(error.mean()), 2)
        out[f"{name} P10-P90"] = round(float(inside.mean()), 3)
    return out


def print_table(rows: list[dict[str, object]]) -> None:
    """Print rows as a markdown table."""
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(str(v) for v in row.values()) + " |")


def main(horizons: tuple[int, ...]) -> None:
    """Print, per horizon, the open disputes' cash and the disputed invoices' date scores at each as-of."""
    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=TODAY))
    for weeks in horizons:
        print(f"\n### {weeks} weeks: disputed client invoices open at as-of, cash inside the horizon (EUR)\n")
        print_table([open_disputed_cash(ledger, as_of, weeks) for as_of in as_of_dates(weeks)])
        print(f"\n### {weeks} weeks: payment dates of disputed client invoices (days)\n")
        rows = []
        for as_of in as_of_dates(weeks):
            table = backtest(ledger, as_of, weeks, sides=(C.RECEIVABLE,)).invoices
            rows.append({"as-of": as_of.date(), **date_scores(table)})
        print_table(rows)


if __name__ == "__main__":
    main(tuple(int(w) for w in sys.argv[1:]) or (13, 26))
