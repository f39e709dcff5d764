"""What was known at the end of a date: invoices issued by then, what was paid on them, what is still open."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting import columns as C
from forecasting.ledger import Ledger

PAID_AMOUNT = "paid_amount"  # payments dated <= as_of, document currency
OPEN_AMOUNT = "open_amount"  # amount_ttc - paid_amount
PAID_DATE = "paid_date"  # date the payments first covered the invoice (NaT while open)
COVER_TOLERANCE = 0.01  # one cent: rounding residues do not keep an invoice open

_KEY = [C.SOURCE, C.INVOICE_ID]


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with a source column (absent in hand-made frames: one implicit source)."""
    if C.SOURCE not in frame.columns:
        frame = frame.assign(**{C.SOURCE: ""})
    return frame


def settle(invoices: pd.DataFrame, payments: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """Return invoices issued <= as_of with paid_amount, open_amount, paid_date and a status recomputed at as_of."""
    as_of_ts = pd.Timestamp(as_of)
    inv = _keyed(invoices)
    inv = inv[pd.to_datetime(inv[C.ISSUE_DATE]) <= as_of_ts].copy()
    inv[C.ISSUE_DATE] = pd.to_datetime(inv[C.ISSUE_DATE]).astype("datetime64[s]")
    inv[C.DUE_DATE] = pd.to_datetime(inv[C.DUE_DATE]).astype("datetime64[s]")
    inv[C.AMOUNT_TTC] = inv[C.AMOUNT_TTC].astype("float64")
    inv[C.DISPUTED] = inv[C.DISPUTED].fillna(False).astype(bool) if C.DISPUTED in inv else False
    pay = _keyed(payments)
    pay = pay[pd.to_datetime(pay[C.PAYMENT_DATE]) <= as_of_ts]
    pay = pay[_KEY + [C.PAYMENT_DATE, C.AMOUNT]].copy()
    pay[C.PAYMENT_DATE] = pd.to_datetime(pay[C.PAYMENT_DATE]).astype("datetime64[s]")
    pay[C.AMOUNT] = pay[C.AMOUNT].astype("float64")
    # The date an invoice is paid is the date cumulative payments first cover it (partial payments).
    pay = pay.merge(inv[_KEY + [C.AMOUNT_TTC]], on=_KEY, how="inner").sort_values(_KEY + [C.PAYMENT_DATE])
    pay["cum"] = pay.groupby(_KEY, sort=False)[C.AMOUNT].cumsum()
    sign = np.sign(pay[C.AMOUNT_TTC]).replace(0, 1)
    covered = pay[(pay["cum"] * sign) >= (pay[C.AMOUNT_TTC].abs() - COVER_TOLERANCE)]
    paid_date = covered.groupby(_KEY, sort=False)[C.PAYMENT_DATE].first().rename(PAID_DATE)
    paid_amount = pay.groupby(_KEY, sort=False)[C.AMOUNT].sum().rename(PAID_AMOUNT)
    inv = inv.merge(paid_amount, on=_KEY, how="left").merge(paid_date, on=_KEY, how="left")
    inv[PAID_AMOUNT] = inv[PAID_AMOUNT].fillna(0.0)
    inv[OPEN_AMOUNT] = inv[C.AMOUNT_TTC] - inv[PAID_AMOUNT]
    paid = inv[PAID_DATE].notna()
    inv.loc[paid, OPEN_AMOUNT] = 0.0
    previous = inv[C.STATUS].astype("object") if C.STATUS in inv else pd.Series("open", index=inv.index)
    written_off = (previous == "written_off").to_numpy() & ~paid.to_numpy()
    inv[C.STATUS] = np.where(paid, "paid", np.where(written_off, "written_off", "open"))
    return inv.reset_index(drop=True)


def _unwritten(invoices: pd.DataFrame) -> pd.DataFrame:
    """Return invoices with 'written_off' statuses turned back to 'open'."""
    if C.STATUS not in invoices or not len(invoices):
        return invoices
    return invoices.assign(**{C.STATUS: invoices[C.STATUS].astype(object).replace("written_off", "open")})


def known_at(ledger: Ledger, as_of: object) -> Ledger:
    """Return the ledger as it was known at the end of as_of: invoices issued and payments dated <= as_of."""
    as_of_ts = pd.Timestamp(as_of)

    def upto(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame[pd.to_datetime(frame[column]) <= as_of_ts] if len(frame) else frame

    # A write-off carries no date, so at a past date it may not have been decided yet: what was known
    # then is an open invoice (the model still learns from its long silence).
    receivables = settle(_unwritten(ledger.receivables), ledger.payments_of(C.RECEIVABLE), as_of_ts)
    payables = settle(_unwritten(ledger.payables), ledger.payments_of(C.PAYABLE), as_of_ts)
    drop = [PAID_AMOUNT, OPEN_AMOUNT, PAID_DATE]
    return Ledger(
        counterparties=ledger.counterparties,
        receivables=receivables.drop(columns=drop),
        payables=payables.drop(columns=drop),
        payments=upto(ledger.payments, C.PAYMENT_DATE),
        bank_accounts=ledger.bank_accounts,
        bank_balances=upto(ledger.bank_balances, C.BALANCE_DATE),
        planned_flows=ledger.planned_flows,
        fx_rates=upto(ledger.fx_rates, C.RATE_DATE),
    )
