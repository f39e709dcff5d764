"""What is behind one week of the forecast: the invoices and flows expected in it, each with its likely dates.

An item's expected amount in the week is its amount times the share of simulated paths that pay it that week
(the mean over paths, as the weekly frame sums them), so the items of a week add up exactly to that week's
receipts or disbursements. Each item also gets its P10, P50 and P90 payment dates over all paths: a treasurer
sees whether an invoice is likely in that week or only possibly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.model.sampling import NEVER
from forecasting.projection.frames import RECEIPT_KINDS, item_buckets
from forecasting.projection.types import CashItems

RECEIPTS, DISBURSEMENTS = "receipts", "disbursements"
# The columns of week_items' frame, beyond the items' own (side, counterparty_id, invoice_id, kind, category…).
EXPECTED_IN_WEEK = "expected_in_week_eur"  # signed as in the weekly frame: receipts +, disbursements +
CHANCE_IN_WEEK = "chance_in_week"  # share of paths paying the item that week
PAY_P10, PAY_P50, PAY_P90 = "pay_p10", "pay_p50", "pay_p90"  # dates (NaT: not paid within the horizon)
CHANCE_IN_HORIZON = "chance_in_horizon"  # share of paths paying the invoice within the horizon
ITEM_COLUMNS = [C.SIDE, C.COUNTERPARTY_ID, C.INVOICE_ID, "kind", C.CATEGORY, C.AMOUNT, C.DUE_DATE]


def week_starts(cash: CashItems) -> list[pd.Timestamp]:
    """Return the first day of each week of the horizon, as the weekly frame labels them (a Monday, or as-of + 1)."""
    monday = cash.dates - ((cash.dates.astype(np.int64) + 3) % 7)
    return [pd.Timestamp(d) for d in pd.unique(monday)]


def week_items(cash: CashItems, week_start: pd.Timestamp, flow: str = RECEIPTS) -> pd.DataFrame:
    """Return the items expected in the week starting `week_start`, largest expected amount first."""
    monday = cash.dates - ((cash.dates.astype(np.int64) + 3) % 7)
    days = np.flatnonzero(monday == np.datetime64(pd.Timestamp(week_start).date(), "D")) + 1  # offsets 1..n
    if not len(days):
        raise ValueError(f"{week_start:%Y-%m-%d} is not a week of this forecast")
    is_receipt = item_buckets(cash.items) < len(RECEIPT_KINDS)
    chosen = np.flatnonzero(is_receipt if flow == RECEIPTS else ~is_receipt)
    offsets = cash.pay_day_offsets[chosen]
    n_sims = offsets.shape[1]
    in_week = (offsets >= days[0]) & (offsets <= days[-1])
    amounts = cash.path_amounts(rows=chosen)
    sign = 1.0 if flow == RECEIPTS else -1.0  # the weekly frame shows disbursements as positive amounts
    expected = sign * (amounts * in_week).sum(axis=1) / n_sims
    keep = np.abs(expected) >= 0.005  # half a cent: a future invoice absent from the paths that land here adds 0
    frame = cash.items.iloc[chosen[keep]][[c for c in ITEM_COLUMNS if c in cash.items.columns]].copy()
    frame[EXPECTED_IN_WEEK] = expected[keep]
    frame[CHANCE_IN_WEEK] = in_week[keep].mean(axis=1)
    for name, dates in _pay_dates(cash, offsets[keep]).items():
        frame[name] = dates
    ranked: pd.DataFrame = frame.sort_values(EXPECTED_IN_WEEK, ascending=False, key=np.abs)
    return ranked.reset_index(drop=True)


def open_invoice_dates(cash: CashItems, invoice_ids: list[str], side: str = C.RECEIVABLE) -> pd.DataFrame:
    """Return each open invoice's P10, P50 and P90 payment dates and its chance of being paid within the horizon."""
    items = cash.items
    rows = np.flatnonzero(((items["kind"] == "open_invoice") & (items[C.SIDE] == side)
                           & items[C.INVOICE_ID].astype(str).isin([str(i) for i in invoice_ids])).to_numpy())
    offsets = cash.pay_day_offsets[rows]
    frame = pd.DataFrame({C.INVOICE_ID: items[C.INVOICE_ID].to_numpy()[rows]})
    for name, dates in _pay_dates(cash, offsets).items():
        frame[name] = dates
    frame[CHANCE_IN_HORIZON] = ((offsets >= 1) & (offsets <= len(cash.dates))).mean(axis=1) if len(rows) else []
    return frame


def _pay_dates(cash: CashItems, offsets: npt.NDArray[np.int32]) -> dict[str, pd.DatetimeIndex]:
    """Return the P10, P50 and P90 payment dates of each row of offsets (NaT: after the horizon or never)."""
    late = np.where(offsets >= NEVER, np.iinfo(np.int32).max, offsets)  # never paid counts as latest
    out = {}
    for name, q in ((PAY_P10, 10), (PAY_P50, 50), (PAY_P90, 90)):
        day = np.percentile(late, q, axis=1, method="lower") if len(late) else np.zeros(0)
        inside = (day >= 1) & (day <= len(cash.dates))
        dates = np.full(len(day), np.datetime64("NaT"), dtype="datetime64[D]")
        dates[inside] = cash.dates[day[inside].astype(np.int64) - 1]
        out[name] = pd.to_datetime(dates)
    return out
