"""Movements the ledger already explains: a payment it records from the same party, days apart, of the same amount.

A statement history imported after the ledger holds thousands of receipts whose invoices the ledger shows paid;
matching them again against the invoices still open would only propose wrong pairs. They are set apart first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.model.settlement import cash_only
from forecasting.reconcile.candidates import FX_TOLERANCE, rates_at
from forecasting.reconcile.settings import MatchSettings

RECORDED_WINDOW_DAYS = 7  # a ledger dates a payment within a few days of the bank's booking


def recorded_rows(movements: pd.DataFrame, parties: pd.DataFrame, ledger: Ledger,
                  settings: MatchSettings) -> np.ndarray:
    """Return the movement rows whose amount the ledger's payments of their party on nearby days account for."""
    frames = []
    for side in C.SIDES:
        pay = cash_only(ledger.payments_of(side))  # a credit note set against an invoice is no bank movement
        if not len(pay):
            continue
        inv = ledger.invoices(side)[[C.SOURCE, C.INVOICE_ID, C.COUNTERPARTY_ID, C.CURRENCY]]
        pay = pay.merge(inv, on=[C.SOURCE, C.INVOICE_ID])
        grouped = pay.groupby([C.COUNTERPARTY_ID, C.PAYMENT_DATE, C.CURRENCY], as_index=False)[C.AMOUNT].sum()
        frames.append(grouped.assign(side=side))
    if not frames or not len(parties):
        return np.zeros(0, dtype=np.int64)
    groups = pd.concat(frames, ignore_index=True)
    groups[C.COUNTERPARTY_ID] = groups[C.COUNTERPARTY_ID].astype(str)
    pairs = parties[["row", C.COUNTERPARTY_ID]].merge(movements[["row", "side"]], on="row").merge(
        groups, on=["side", C.COUNTERPARTY_ID])
    rows = pairs["row"].to_numpy()
    booking = movements["booking_date"].to_numpy()[rows]
    gap = np.abs((booking - pairs[C.PAYMENT_DATE].to_numpy()).astype("timedelta64[D]").astype(np.int64))
    pairs, rows, booking = pairs[gap <= RECORDED_WINDOW_DAYS], rows[gap <= RECORDED_WINDOW_DAYS], booking[
        gap <= RECORDED_WINDOW_DAYS]
    factor = (rates_at(ledger.fx_rates, pairs[C.CURRENCY].astype(str).to_numpy(), booking)
              / rates_at(ledger.fx_rates, movements["currency"].to_numpy()[rows].astype(str), booking))
    due = np.abs(pairs[C.AMOUNT].to_numpy(dtype=float)) * np.nan_to_num(factor, nan=1.0)
    paid = movements["amount"].to_numpy()[rows]
    same_currency = pairs[C.CURRENCY].to_numpy() == movements["currency"].to_numpy()[rows]
    tolerance = np.where(same_currency, np.maximum(settings.fee_tolerance, due * settings.discount_rate),
                         np.maximum(settings.fee_tolerance, due * FX_TOLERANCE))
    fits = (paid <= due + 0.005) & (due - paid <= tolerance) | (~same_currency & (np.abs(due - paid) <= tolerance))
    return np.unique(rows[fits])
