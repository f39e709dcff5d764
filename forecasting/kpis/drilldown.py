"""What is behind a receivables figure: the invoices of an aging bucket, a client's open invoices and its history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.kpis.base import AMOUNT_EUR, DAYS_OVERDUE, OPEN_EUR, KpiBasis, KpiSettings, open_items
from forecasting.kpis.clients import aging_labels, bucket_index

INVOICE_COLUMNS = [C.COUNTERPARTY_ID, C.INVOICE_ID, C.ISSUE_DATE, C.DUE_DATE, DAYS_OVERDUE, C.AMOUNT_TTC,
                   C.CURRENCY, OPEN_EUR, C.DISPUTED]
DELAY_DAYS = "delay_days"  # payment date − due date (negative: paid early); NaN for a credit note
# In the history's SETTLED_BY: a credit note of the client's own (a negative invoice) netted from what it paid or
# refunded to it. Cash moved (less came in), but no invoice was paid: no delay.
CREDIT_NOTE_NETTED = "credit_note_netted"


def bucket_invoices(basis: KpiBasis, settings: KpiSettings, bucket: str, side: str = C.RECEIVABLE) -> pd.DataFrame:
    """Return the open invoices of one aging bucket (its label, as aging_from gives it), largest open amount first."""
    labels = aging_labels(settings.aging_buckets_days)
    if bucket not in labels:
        raise ValueError(f"unknown aging bucket {bucket!r}: expected one of {labels}")
    open_ = open_items(basis.invoices(side))
    chosen = bucket_index(open_[DAYS_OVERDUE].to_numpy(), settings.aging_buckets_days) == labels.index(bucket)
    return _named(basis, open_[chosen])


def client_open_invoices(basis: KpiBasis, counterparty_id: str) -> pd.DataFrame:
    """Return one client's open invoices (credit notes included), most overdue first."""
    open_ = open_items(basis.receivables)
    mine = open_[open_[C.COUNTERPARTY_ID].astype(str) == str(counterparty_id)]
    return _named(basis, mine).sort_values(DAYS_OVERDUE, ascending=False, kind="stable").reset_index(drop=True)


def client_payment_history(basis: KpiBasis, counterparty_id: str) -> pd.DataFrame:
    """Return one client's settlements up to as-of, by date: cash payments and the credit notes set against invoices.

    Each row: invoice, issue and due dates, settlement date, EUR amount, how it was settled (`C.SETTLED_BY`: cash,
    credit note, or CREDIT_NOTE_NETTED for the client's own credit note settled by a negative payment) and the delay.
    The delay is for cash payments of invoices alone (NaN otherwise): a credit note's date is no payment delay, so
    an average of the delay column is the cash one, as the model learns it (it learns from invoices alone).
    """
    parts = [_settlements(frame, counterparty_id, kind)
             for frame, kind in ((basis.receipts, C.CASH), (basis.credits, C.CREDIT_NOTE))]
    # an empty part left out: pandas warns when an empty frame takes part in a concat's dtypes
    out = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    netted = (out[C.SETTLED_BY] == C.CASH) & (out[C.AMOUNT_TTC] < 0)
    out[C.SETTLED_BY] = out[C.SETTLED_BY].where(~netted, CREDIT_NOTE_NETTED)
    delay_days = (pd.to_datetime(out[C.PAYMENT_DATE]) - pd.to_datetime(out[C.DUE_DATE])).dt.days
    out[DELAY_DAYS] = delay_days.where(out[C.SETTLED_BY] == C.CASH).astype(float)
    # stable: on one day, the cash before the credit note (the parts' order)
    ordered = out.drop(columns=C.AMOUNT_TTC).sort_values(C.PAYMENT_DATE, kind="stable")
    return ordered.reset_index(drop=True)


def _settlements(settled: pd.DataFrame, counterparty_id: str, kind: str) -> pd.DataFrame:
    """Return one client's rows of the receipts (or credits) with the history's columns, marked settled by `kind`."""
    mine = settled[settled[C.COUNTERPARTY_ID].astype(str) == str(counterparty_id)]
    out = mine[[C.INVOICE_ID, C.ISSUE_DATE, C.DUE_DATE, C.PAYMENT_DATE, AMOUNT_EUR, C.AMOUNT_TTC]].copy()
    out[C.SETTLED_BY] = kind  # the basis split them already: any cash means (transfer, cheque...) is 'cash' here
    return out


def _named(basis: KpiBasis, invoices: pd.DataFrame) -> pd.DataFrame:
    """Return the invoices' shown columns with the counterparty's name first, largest open amount first."""
    frame = invoices[INVOICE_COLUMNS].copy()
    names = basis.clients.set_index(C.COUNTERPARTY_ID)[C.NAME] if invoices[C.SIDE].eq(C.RECEIVABLE).all() \
        else basis.supplier_names
    ids = frame[C.COUNTERPARTY_ID].astype(str)
    looked_up = ids.map(names)
    frame.insert(1, C.NAME, np.where(looked_up.notna(), looked_up.astype(object), ids))
    ranked: pd.DataFrame = frame.sort_values(OPEN_EUR, ascending=False, kind="stable", key=np.abs)
    return ranked.reset_index(drop=True)
