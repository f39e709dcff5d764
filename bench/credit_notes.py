"""Disputes closed by a credit note, as a FEC ledger records them: what the forecast learns from them (issue 14).

The demo's disputed client invoices whose payments stopped short of the amount are closed the way an accountant
closes them: a credit note for the rest, set against the invoice CLOSE_AFTER_DAYS after its last payment (when that
day has come by TODAY), stored as settled by a credit note. The ledger's cash is the demo's, to the cent.
At each 13-week backtest as-of date (`bench/backtest_demo.py`), with what was known then:
- the cash share of the disputes settled by then (cash / amount, the truth) against the share the model learned
  (`Disputes.mean_share`) and the median extra delay it learned;
- the disputed client invoices open at as-of: the forecast's expected cash inside the horizon against the cash they
  really brought (cash payments only).
Run: .venv/bin/python bench/credit_notes.py [plain]   (plain: the demo as it is, no credit note: its disputes paid
short are settled by the quiet period). An older tree reads the credit notes as cash: run the script from a copy of
its `forecasting/` and `bench/` to compare.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.backtest_demo import as_of_dates  # noqa: E402
from bench.dispute_cash import print_table  # noqa: E402
from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.model.settlement import OPEN_AMOUNT, known_at, settle  # noqa: E402
from forecasting.projection.forecast import prepare  # noqa: E402

TODAY = date(2026, 11, 23)
CLOSE_AFTER_DAYS = 30
CREDIT_NOTE = "credit_note"  # C.CREDIT_NOTE, written out: older trees do not have it


def with_credit_notes(ledger: Ledger) -> tuple[Ledger, pd.DataFrame]:
    """Return the ledger with the disputes paid short closed by a credit note, and the credit notes added."""
    rec = ledger.receivables
    pay = ledger.payments_of(C.RECEIVABLE)
    cash = pay.groupby(C.INVOICE_ID)[C.AMOUNT].sum()
    last = pd.to_datetime(pay.groupby(C.INVOICE_ID)[C.PAYMENT_DATE].max())
    disputed = rec[rec[C.DISPUTED].to_numpy(dtype=bool)].set_index(C.INVOICE_ID)
    paid = disputed.index.to_series().map(cash).fillna(0.0)
    rest = (disputed[C.AMOUNT_TTC] - paid).round(2)
    closed_on = disputed.index.to_series().map(last) + pd.Timedelta(days=CLOSE_AFTER_DAYS)
    chosen = (paid > 0) & (rest > 0.005) & (closed_on <= pd.Timestamp(TODAY))
    credits = pd.DataFrame({
        C.SOURCE: disputed.loc[chosen, C.SOURCE].to_numpy(), C.SIDE: C.RECEIVABLE,
        C.PAYMENT_ID: "credit:" + disputed.index[chosen].astype(str), C.INVOICE_ID: disputed.index[chosen],
        C.PAYMENT_DATE: closed_on[chosen].to_numpy(), C.AMOUNT: rest[chosen].to_numpy(),
        "settled_by": CREDIT_NOTE})
    payments = pd.concat([ledger.payments.assign(settled_by="cash") if "settled_by" not in ledger.payments
                          else ledger.payments, credits], ignore_index=True)
    return Ledger(**{**ledger.__dict__, "payments": payments}), credits


def row(ledger: Ledger, as_of: pd.Timestamp, weeks: int) -> dict[str, object]:
    """Return the learned dispute share and the open disputes' cash against the truth at one as-of date."""
    known = known_at(ledger, as_of)
    cash = prepare(known, as_of, weeks)
    disputes = cash.models[C.RECEIVABLE].dispute_extra
    pay = known.payments_of(C.RECEIVABLE)
    is_cash = (pay["settled_by"] != CREDIT_NOTE).to_numpy()
    rec = known.receivables[known.receivables[C.DISPUTED].to_numpy(dtype=bool)].set_index(C.INVOICE_ID)
    settled_all = pay.groupby(C.INVOICE_ID)[C.AMOUNT].sum().reindex(rec.index).fillna(0.0)
    closed = settled_all >= rec[C.AMOUNT_TTC] - 0.01
    cash_in = pay[is_cash].groupby(C.INVOICE_ID)[C.AMOUNT].sum().reindex(rec.index).fillna(0.0)
    true_share = float((cash_in[closed] / rec.loc[closed, C.AMOUNT_TTC]).mean()) if closed.any() else float("nan")
    items = cash.items
    rows = np.flatnonzero(((items["kind"] == "open_invoice") & (items[C.SIDE] == C.RECEIVABLE)
                           & items[C.DISPUTED]).to_numpy())
    offsets = cash.pay_day_offsets[rows]
    amounts = items[C.AMOUNT].to_numpy(float)[rows, None] * cash.amount_scales[items["scale_row"].to_numpy()[rows]]
    expected = float((amounts * ((offsets >= 1) & (offsets <= cash.n_days))).mean(axis=1).sum())
    full = ledger.payments_of(C.RECEIVABLE)
    dates = pd.to_datetime(full[C.PAYMENT_DATE])
    real = full[(dates > as_of) & (dates <= pd.Timestamp(cash.dates[-1])) & (full["settled_by"] != CREDIT_NOTE)
                & full[C.INVOICE_ID].isin(items[C.INVOICE_ID].to_numpy()[rows])]
    open_doc = settle(known.receivables, pay, as_of).drop_duplicates(C.INVOICE_ID).set_index(C.INVOICE_ID)[OPEN_AMOUNT]
    ids = pd.Series(items[C.INVOICE_ID].to_numpy()[rows])
    rate = pd.Series(items[C.AMOUNT].to_numpy(float)[rows] / ids.map(open_doc).to_numpy(float), index=ids)
    real_eur = float((real[C.AMOUNT] * real[C.INVOICE_ID].map(rate[~rate.index.duplicated()])).sum())
    return {"as-of": as_of.date(), "disputes closed": int(closed.sum()), "true cash share": round(true_share, 3),
            "learned share": round(disputes.mean_share(), 3), "extra delay median": disputes.median_days(),
            "open disputed": len(rows), "expected cash": round(expected), "real cash": round(real_eur),
            "error": round(expected - real_eur)}


def main(plain: bool = False, weeks: int = 13) -> None:
    """Print the table at the four as-of dates (`plain`: the demo as it is, its disputes left paid short)."""
    ledger, credits = with_credit_notes(Ledger.from_object(demo.generate(seed=42, scale=1.0, today=TODAY)))
    if plain:
        ledger = Ledger(**{**ledger.__dict__, "payments": ledger.payments[ledger.payments["settled_by"] == "cash"]})
    else:
        print(f"{len(credits)} disputes closed by a credit note ({credits[C.AMOUNT].sum():,.0f} EUR credited)\n")
    print_table([row(ledger, as_of, weeks) for as_of in as_of_dates(weeks)])


if __name__ == "__main__":
    main(plain="plain" in sys.argv[1:])
