"""What was known at the end of a date: invoices issued by then, what was paid on them, what is still open.

A payment is cash, or a credit note set against the invoice (`C.SETTLED_BY`): both settle it (its status, its open
amount and the day it was settled count them), but only cash is money paid: PAID_AMOUNT, the disputes' payments and
the silences between payments read cash alone, and CASH_DATE is when the cash that settled an invoice came (an
invoice settled by credit notes alone brought none: NaT, like one never paid).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger

PAID_AMOUNT = "paid_amount"  # cash payments dated <= as_of, document currency
CREDITED_AMOUNT = "credited_amount"  # credit notes set against it dated <= as_of (no cash), document currency
OPEN_AMOUNT = "open_amount"  # amount_ttc - paid_amount - credited_amount
PAID_DATE = "paid_date"  # date the payments (cash and credit notes) first covered the invoice (NaT while open)
# Of an invoice covered (PAID_DATE), the day of the cash that settled it: PAID_DATE, or when credit notes settled part
# of it, its last cash payment by PAID_DATE (NaT: credit notes alone, no cash). What the delays are learned from.
CASH_DATE = "cash_date"
LAST_PAYMENT_DATE = "last_payment_date"  # of a disputed invoice, its latest cash payment dated <= as_of (NaT: none)
FIRST_PAYMENT_AMOUNT = "first_payment_amount"  # of a disputed invoice, its first cash payment (0: none)
COVER_TOLERANCE = 0.01  # one cent: rounding residues do not keep an invoice open

_KEY = [C.SOURCE, C.INVOICE_ID]
_PAYMENT_COLUMNS = [*_KEY, C.PAYMENT_DATE, C.AMOUNT]


def own_dates(invoices: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Return which invoices carry their own dates: not balances carried forward from an earlier year.

    A carried balance (C.CARRIED_FORWARD, a FEC's opening entry) is dated at the year's opening: a delay measured from
    that date, or an invoicing rate counting it, would be wrong. It is owed and forecast like any open invoice.
    """
    if C.CARRIED_FORWARD not in invoices.columns:
        return np.ones(len(invoices), dtype=bool)
    return ~invoices[C.CARRIED_FORWARD].to_numpy(dtype=bool, na_value=False)


def credit_rows(payments: pd.DataFrame) -> npt.NDArray[np.bool_] | None:
    """Return which payments are credit notes set against an invoice (None: none is, or no settled_by column)."""
    if C.SETTLED_BY not in payments.columns or not len(payments):
        return None
    credit = (payments[C.SETTLED_BY] == C.CREDIT_NOTE).to_numpy(dtype=bool, na_value=False)
    return credit if credit.any() else None


def cash_only(payments: pd.DataFrame) -> pd.DataFrame:
    """Return the payments that moved cash (credit notes set against invoices left out)."""
    credit = credit_rows(payments)
    return payments if credit is None else payments[~credit]


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with a source column (absent in hand-made frames: one implicit source)."""
    if C.SOURCE not in frame.columns:
        frame = frame.assign(**{C.SOURCE: ""})
    return frame


def _joint_keys(inv: pd.DataFrame, pay: pd.DataFrame) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return one int64 code per (source, invoice_id) of each frame, equal codes for equal keys.

    Grouping on one integer instead of two string columns is what keeps settle fast on millions of
    invoices. A key with a missing part is -1: it matches nothing (pandas groupby drops NaN keys); so is
    a payment's key whose invoice id no invoice has (it would match nothing either).
    """
    n = len(inv)
    key = np.zeros(n + len(pay), dtype=np.int64)
    missing = np.zeros(n + len(pay), dtype=bool)
    for column in _KEY:
        codes, n_codes = _id_codes(inv[column], pay[column]) if column == C.INVOICE_ID else _factorised(
            inv[column], pay[column])
        key = key * max(n_codes, 1) + codes
        missing |= codes < 0
    key[missing] = -1
    return key[:n], key[n:]


def _factorised(inv_values: pd.Series, pay_values: pd.Series) -> tuple[npt.NDArray[np.int64], int]:
    """Return a code per value of both columns (invoices first; equal values, equal codes; missing: -1), and their count."""
    codes, uniques = pd.factorize(pd.concat([inv_values, pay_values], ignore_index=True))
    return codes.astype(np.int64, copy=False), len(uniques)


def _id_codes(inv_ids: pd.Series, pay_ids: pd.Series) -> tuple[npt.NDArray[np.int64], int]:
    """Return `_factorised`'s partition of invoice ids: each id's first invoice row (-1: missing or no invoice's id).

    On Arrow text, one lookup table of the invoices' ids probed by every id (Arrow's `index_in`) costs about
    two thirds of factorising both columns (millions of ids, as many distinct), and gives the same groups.
    """
    if not (_arrow_text(inv_ids) and _arrow_text(pay_ids)):
        return _factorised(inv_ids, pay_ids)
    inv_array, pay_array = _chunked(inv_ids), _chunked(pay_ids)
    value_set = inv_array.combine_chunks()
    both = pa.chunked_array([*inv_array.chunks, *pay_array.cast(inv_array.type).chunks], type=inv_array.type)
    first_row = pc.index_in(both, value_set=value_set, skip_nulls=True)  # nulls stay null: missing
    codes = np.asarray(first_row.fill_null(-1), dtype=np.int64)
    return codes, len(inv_ids)


def _chunked(values: pd.Series) -> pa.ChunkedArray[Any]:
    """Return the Arrow data behind a text column, as chunks."""
    array = pa.array(values.array)
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def _arrow_text(values: pd.Series) -> bool:
    """Return True when values are text stored by Arrow (pandas' default string dtype)."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _status_values(codes: npt.NDArray[np.int64], index: pd.Index) -> pd.Series:
    """Return "open" / "paid" / "written_off" (codes 0 / 1 / 2) with the dtype pandas infers for text."""
    labels = pd.Series(np.array(["open", "paid", "written_off"], dtype=object))  # str or object, as inferred
    return labels.take(codes).set_axis(index)


def _pairs(inv_key: npt.NDArray[np.int64],
           pay_key: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return (payment row, invoice row) of every payment matching an invoice, in payment order (inner merge)."""
    inv_rows, pay_rows = np.flatnonzero(inv_key >= 0), np.flatnonzero(pay_key >= 0)
    n_keys = int(max(inv_key.max(initial=-1), pay_key.max(initial=-1))) + 1
    if len(inv_rows) and np.bincount(inv_key[inv_rows], minlength=n_keys).max() > 1:  # duplicate keys: merge
        pairs = pd.DataFrame({"_key": pay_key[pay_rows], "_pay": pay_rows}).merge(
            pd.DataFrame({"_key": inv_key[inv_rows], "_inv": inv_rows}), on="_key", how="inner")
        return pairs["_pay"].to_numpy(), pairs["_inv"].to_numpy()
    row_of_key = np.full(n_keys, -1, dtype=np.int64)
    row_of_key[inv_key[inv_rows]] = inv_rows
    inv_row = row_of_key[pay_key[pay_rows]]
    matched = inv_row >= 0
    return pay_rows[matched], inv_row[matched]


def _by_invoice(per_key: pd.Series, inv_key: npt.NDArray[np.int64],
                fill: float | np.datetime64) -> npt.NDArray[np.generic]:
    """Return the value of each invoice's key in per_key (indexed by key codes >= 0), fill where absent."""
    n_keys = int(max(inv_key.max(initial=-1), per_key.index.max() if len(per_key) else -1)) + 1
    dtype = per_key.dtype
    assert isinstance(dtype, np.dtype)  # paid amounts (float64) or paid dates (datetime64[s]): numpy dtypes
    values = np.full(n_keys + 1, fill, dtype=dtype)  # the extra last slot answers key -1
    values[per_key.index.to_numpy(dtype=np.int64)] = per_key.to_numpy()
    return values[inv_key]


@dataclass(frozen=True, eq=False)
class InstalmentGaps:
    """The silences between successive payments of one invoice still short of its amount, as known at as-of.

    One entry per silence: ended by the invoice's next payment (`ended`, days between the two payments' days) or
    still running at as-of (censored: days since its last payment). Invoices of positive amount only; payments on the
    same day count as one.
    """

    days: npt.NDArray[np.int64]
    ended: npt.NDArray[np.bool_]
    disputed: npt.NDArray[np.bool_]

    @staticmethod
    def none() -> InstalmentGaps:
        """Return no silence at all (a ledger without partial payments)."""
        return InstalmentGaps(np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, bool))


def settle(invoices: pd.DataFrame, payments: pd.DataFrame, as_of: datetime.date) -> pd.DataFrame:
    """Return invoices issued <= as_of with paid_amount, open_amount, paid_date and a status recomputed at as_of."""
    return _settled(invoices, payments, as_of, gaps=False)[0]


def settle_with_gaps(invoices: pd.DataFrame, payments: pd.DataFrame,
                     as_of: datetime.date) -> tuple[pd.DataFrame, InstalmentGaps]:
    """Return `settle(...)` and the silences between the payments of invoices paid in part (as known at as_of)."""
    settled, gaps = _settled(invoices, payments, as_of, gaps=True)
    return settled, gaps if gaps is not None else InstalmentGaps.none()


def _settled(invoices: pd.DataFrame, payments: pd.DataFrame, as_of: datetime.date,
             gaps: bool) -> tuple[pd.DataFrame, InstalmentGaps | None]:
    """Return `settle(...)` and, when `gaps`, the instalment gaps read from the same sorted payments."""
    as_of_ts = pd.Timestamp(as_of)
    inv = _keyed(invoices)
    inv = inv[pd.to_datetime(inv[C.ISSUE_DATE]) <= as_of_ts].reset_index(drop=True)
    inv[C.ISSUE_DATE] = pd.to_datetime(inv[C.ISSUE_DATE]).astype("datetime64[s]")
    inv[C.DUE_DATE] = pd.to_datetime(inv[C.DUE_DATE]).astype("datetime64[s]")
    inv[C.AMOUNT_TTC] = inv[C.AMOUNT_TTC].astype("float64")
    inv[C.DISPUTED] = inv[C.DISPUTED].fillna(False).astype(bool) if C.DISPUTED in inv else False
    read = [*_PAYMENT_COLUMNS, C.SETTLED_BY] if C.SETTLED_BY in payments.columns else _PAYMENT_COLUMNS
    pay = _keyed(payments)[read]  # the columns read below: filtering the others is wasted on millions
    pay = pay[pd.to_datetime(pay[C.PAYMENT_DATE]) <= as_of_ts]
    inv_key, pay_key = _joint_keys(inv, pay)
    pay_row, inv_row = _pairs(inv_key, pay_key)
    # The date an invoice is paid is the date cumulative payments first cover it (partial payments):
    # payments sorted by invoice then date (stable, as the merge-then-sort it replaces), summed in that order.
    date = pd.to_datetime(pay[C.PAYMENT_DATE]).astype("datetime64[s]").to_numpy()[pay_row]
    order = np.lexsort((date, pay_key[pay_row]))
    pay_row, inv_row, date = pay_row[order], inv_row[order], date[order]
    key = pay_key[pay_row]
    amount = pd.Series(pay[C.AMOUNT].astype("float64").to_numpy()[pay_row])
    by_key = amount.groupby(key, sort=False)
    ttc = inv[C.AMOUNT_TTC].to_numpy()[inv_row]
    sign = np.where(ttc == 0, 1.0, np.sign(ttc))
    covered = (by_key.cumsum().to_numpy() * sign) >= (np.abs(ttc) - COVER_TOLERANCE)
    paid_date = pd.Series(date[covered]).groupby(key[covered], sort=False).first()
    inv[PAID_DATE] = _by_invoice(paid_date, inv_key, np.datetime64("NaT", "s"))
    credit = credit_rows(pay)
    credit = None if credit is None or not credit[pay_row].any() else credit[pay_row]
    if credit is None:  # most ledgers: cash only, every payment read as before
        inv[PAID_AMOUNT] = _by_invoice(by_key.sum(), inv_key, 0.0)
        inv[CREDITED_AMOUNT] = 0.0
        inv[CASH_DATE] = inv[PAID_DATE]
        cash: slice | npt.NDArray[np.bool_] = slice(None)  # every row, without copying the arrays
    else:
        inv[PAID_AMOUNT] = _by_invoice(amount.where(~credit, 0.0).groupby(key, sort=False).sum(), inv_key, 0.0)
        inv[CREDITED_AMOUNT] = _by_invoice(amount.where(credit, 0.0).groupby(key, sort=False).sum(), inv_key, 0.0)
        inv[CASH_DATE] = _cash_dates(inv, inv_key, key, inv_row, date, credit)
        cash = ~credit
    inv[LAST_PAYMENT_DATE], inv[FIRST_PAYMENT_AMOUNT] = _dispute_payments(
        inv, inv_key, key[cash], date[cash], amount.to_numpy(dtype=np.float64)[cash], inv_row[cash])
    inv[OPEN_AMOUNT] = inv[C.AMOUNT_TTC] - inv[PAID_AMOUNT] - inv[CREDITED_AMOUNT]
    paid = inv[PAID_DATE].notna().to_numpy()
    inv.loc[paid, OPEN_AMOUNT] = 0.0
    written_off = np.asarray(inv[C.STATUS] == "written_off", dtype=bool) & ~paid if C.STATUS in inv else ~paid & False
    inv[C.STATUS] = _status_values(np.where(paid, 1, np.where(written_off, 2, 0)), inv.index)
    if not gaps:
        return inv, None
    # The silences are between cash payments: a credit note is no payment (it may still cover the invoice).
    return inv, _instalment_gaps(inv, key[cash], inv_row[cash], date[cash], covered[cash], as_of_ts)


def _cash_dates(inv: pd.DataFrame, inv_key: npt.NDArray[np.int64], key: npt.NDArray[np.int64],
                inv_row: npt.NDArray[np.int64], date: npt.NDArray[np.datetime64],
                credit: npt.NDArray[np.bool_]) -> npt.NDArray[np.datetime64]:
    """Return CASH_DATE of each invoice (payments sorted by key then date; `credit` marks the credit notes').

    An invoice with no credit note keeps PAID_DATE; one settled in part by credit notes, its last cash payment by
    PAID_DATE; by credit notes alone, NaT.
    """
    settled_on = inv[PAID_DATE].to_numpy(dtype="datetime64[s]")
    credited = np.zeros(len(inv), bool)
    credited[inv_row[credit]] = True
    by_cash = ~credit & (date <= settled_on[inv_row])  # NaT (still open) compares False: no cash date
    last_cash = pd.Series(date[by_cash]).groupby(key[by_cash], sort=False).last()
    cash_date = _by_invoice(last_cash, inv_key, np.datetime64("NaT", "s")) if len(last_cash) else \
        np.full(len(inv), np.datetime64("NaT"), dtype="datetime64[s]")
    return np.where(credited, cash_date, settled_on)


def _instalment_gaps(inv: pd.DataFrame, key: npt.NDArray[np.int64], inv_row: npt.NDArray[np.int64],
                     date: npt.NDArray[np.datetime64], covered: npt.NDArray[np.bool_],
                     as_of: pd.Timestamp) -> InstalmentGaps:
    """Return the silences between payments of invoices not yet covered (payments sorted by invoice, then date).

    A silence starts at a payment that leaves its invoice short of its amount: it ends at the invoice's next payment
    on a later day, or is still running at as-of when there is none. Only those few payments are read (no pass over
    every payment's date: this runs in `prepare` on millions).
    """
    positive = inv[C.AMOUNT_TTC].to_numpy(float) > 0
    start = np.flatnonzero(~covered & positive[inv_row])  # payments after which their invoice is still short
    following = np.minimum(start + 1, len(key) - 1)
    has_next = (start + 1 < len(key)) & (key[following] == key[start])
    day = date[start].astype("datetime64[D]").astype(np.int64)
    step = date[following].astype("datetime64[D]").astype(np.int64) - day
    # A next payment the same day: the silence runs from it instead (it starts a silence of its own if still short).
    ended = has_next & (step > 0)
    short = inv[PAID_DATE].isna().to_numpy() & (inv[PAID_AMOUNT].to_numpy(float) > 0)
    running = ~has_next & short[inv_row[start]]
    as_of_day = int(np.datetime64(as_of.date(), "D").astype(np.int64))
    disputed = inv[C.DISPUTED].to_numpy(dtype=bool)[inv_row[start]]
    return InstalmentGaps(
        days=np.concatenate([step[ended], as_of_day - day[running]]).astype(np.int64),
        ended=np.concatenate([np.ones(int(ended.sum()), bool), np.zeros(int(running.sum()), bool)]),
        disputed=np.concatenate([disputed[ended], disputed[running]]),
    )


def _dispute_payments(inv: pd.DataFrame, inv_key: npt.NDArray[np.int64], key: npt.NDArray[np.int64],
                      date: npt.NDArray[np.datetime64], amount: npt.NDArray[np.floating[Any]],
                      inv_row: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.float64]]:
    """Return each disputed invoice's last payment date and first payment amount (NaT and 0 elsewhere).

    A dispute may end with payments short of the amount (model.disputes): when did they stop, and was the first one
    partial? Payments come sorted by key then date; only the few disputed invoices' payments are read.
    """
    last_date = np.full(len(inv), np.datetime64("NaT"), dtype="datetime64[s]")
    first_amount = np.zeros(len(inv))
    disputed = inv[C.DISPUTED].to_numpy(dtype=bool)
    rows = np.flatnonzero(disputed & (inv_key >= 0))
    chosen = np.flatnonzero(disputed[inv_row]) if rows.size else np.zeros(0, np.intp)
    if not chosen.size:
        return last_date, first_amount
    d_key = key[chosen]
    starts = np.flatnonzero(np.insert(d_key[1:] != d_key[:-1], 0, True))  # each disputed key's first payment
    ends = np.append(starts[1:], len(d_key)) - 1  # and its last
    keys = d_key[starts]  # sorted, one per key
    pos = np.minimum(np.searchsorted(keys, inv_key[rows]), len(keys) - 1)
    found = keys[pos] == inv_key[rows]
    last_date[rows[found]] = date[chosen[ends[pos[found]]]]
    first_amount[rows[found]] = amount[chosen[starts[pos[found]]]]
    return last_date, first_amount


def _unwritten(invoices: pd.DataFrame) -> pd.DataFrame:
    """Return invoices with 'written_off' statuses turned back to 'open'."""
    if C.STATUS not in invoices or not len(invoices):
        return invoices
    return invoices.assign(**{C.STATUS: invoices[C.STATUS].astype(object).replace("written_off", "open")})


def known_at(ledger: Ledger, as_of: datetime.date) -> Ledger:
    """Return the ledger as it was known at the end of as_of: invoices issued and payments dated <= as_of."""
    as_of_ts = pd.Timestamp(as_of)

    def upto(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame[pd.to_datetime(frame[column]) <= as_of_ts] if len(frame) else frame

    # A write-off carries no date, so at a past date it may not have been decided yet: what was known
    # then is an open invoice (the model still learns from its long silence).
    receivables = settle(_unwritten(ledger.receivables), ledger.payments_of(C.RECEIVABLE), as_of_ts)
    payables = settle(_unwritten(ledger.payables), ledger.payments_of(C.PAYABLE), as_of_ts)
    drop = [PAID_AMOUNT, CREDITED_AMOUNT, OPEN_AMOUNT, PAID_DATE, CASH_DATE, LAST_PAYMENT_DATE, FIRST_PAYMENT_AMOUNT]
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
