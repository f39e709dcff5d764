"""Candidates paying several invoices at once: those a text numbers, a party's consecutive ones, any two of a party.

Each takes the (row, inv) pairs found, as NumPy arrays, and returns rows of (row, inv, confidence, reason code,
amount, group): the invoices of one candidate share its group, a negative number apart from single invoices'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.reconcile import evidence as E
from forecasting.reconcile.settings import MatchSettings

MAX_RUN = 20  # a transfer paying more consecutive invoices than this is left to the user
_SET_COLUMNS = ["row", "inv", "confidence", "reason", "amount", "group"]


@dataclass(frozen=True, eq=False)
class Columns:
    """The movements' (m_) and the open invoices' (i_) columns matching reads, as NumPy arrays by position."""

    booking: np.ndarray
    m_side: np.ndarray
    m_cents: np.ndarray
    m_amount: np.ndarray
    m_cur: np.ndarray  # currency codes, shared with i_cur
    currencies: np.ndarray  # the currency of each code
    issue: np.ndarray
    due: np.ndarray
    i_side: np.ndarray
    i_cents: np.ndarray
    i_open: np.ndarray
    i_cur: np.ndarray
    i_party: np.ndarray  # sorted: each party's invoices are one slice
    i_rank: np.ndarray
    i_cum: np.ndarray

    def currency(self, codes: np.ndarray) -> np.ndarray:
        """Return the currencies of these codes ('nan' where missing) as text."""
        names: np.ndarray = np.append(self.currencies, "nan")[np.where(codes >= 0, codes, len(self.currencies))]
        return names.astype(str)


def join(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the positions (l, r) of equal integer codes in the order of pandas' inner merge: by left position,
    then by right position (the right side sorted stably, each left code's range found by counting or search)."""
    order = np.argsort(right, kind="stable")
    top = int(max(left.max(initial=0), right.max(initial=0))) + 1
    if min(left.min(initial=0), right.min(initial=0)) >= 0 and top <= 4 * (len(left) + len(right)) + 1024:
        counts = np.bincount(right, minlength=top)  # small codes: each one's range from the counts
        low, count = (np.cumsum(counts) - counts)[left], counts[left]
    else:
        ranked = right[order]
        low = np.searchsorted(ranked, left, side="left")
        count = np.searchsorted(ranked, left, side="right") - low
    total = int(count.sum())
    at = np.repeat(np.arange(len(left), dtype=np.int64), count)
    step = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return at, order[np.repeat(low, count) + step].astype(np.int64)


def amount_fit(paid: np.ndarray, due: np.ndarray, settings: MatchSettings) -> np.ndarray:
    """Return E.EXACT, E.SHORT, E.PARTIAL or E.OVER for each movement's cents `paid` against the cents `due`."""
    gap = due - paid  # cents the movement is short of the invoices
    tolerance = np.maximum(settings.fee_tolerance * 100, due * settings.discount_rate)
    fit: np.ndarray = np.select([gap == 0, (gap > 0) & (gap <= tolerance), gap > 0], [E.EXACT, E.SHORT, E.PARTIAL],
                                E.OVER).astype(np.int64)
    return fit


def _frame(row: np.ndarray, inv: np.ndarray, confidence: np.ndarray | float, reason: np.ndarray | int,
           cols: Columns, group: np.ndarray) -> pd.DataFrame:
    """Return candidate rows paying each invoice's open amount."""
    return pd.DataFrame({"row": row, "inv": inv, "confidence": np.broadcast_to(confidence, row.shape).astype(float),
                         "reason": np.broadcast_to(reason, row.shape).astype(np.int64), "amount": cols.i_open[inv],
                         "group": group.astype(np.int64)}, columns=_SET_COLUMNS)


def number_sets(rows: np.ndarray, inv: np.ndarray, party: np.ndarray, cols: Columns,
                settings: MatchSettings) -> pd.DataFrame:
    """Return the candidates paying all the invoices a text numbers (two or more, one party) whose total fits."""
    pairs = pd.DataFrame({"row": rows, "inv": inv, "party": party})
    size = pairs.groupby(["row", "party"])["inv"].transform("size")
    pairs = pairs[(size >= 2).to_numpy()]
    if not len(pairs):
        return pd.DataFrame(columns=_SET_COLUMNS)
    cents = pd.Series(cols.i_cents[pairs["inv"].to_numpy()], index=pairs.index)
    total = cents.groupby([pairs["row"], pairs["party"]]).transform("sum").to_numpy()
    fit = amount_fit(cols.m_cents[pairs["row"].to_numpy()], total, settings)
    keep = (fit == E.EXACT) | (fit == E.SHORT)
    out = pairs[keep]
    exact = fit[keep] == E.EXACT
    group = -1 - out.groupby(["row", "party"], sort=False).ngroup().to_numpy()
    return _frame(out["row"].to_numpy(), out["inv"].to_numpy(), np.where(exact, 0.98, 0.92),
                  np.where(exact, E.REASON_CODE[E.NUMBERS_TOTAL], E.REASON_CODE[E.NUMBERS_SHORT]), cols, group)


def runs(rows: np.ndarray, inv: np.ndarray, party: np.ndarray, cols: Columns) -> pd.DataFrame:
    """Return the candidates paying 2..MAX_RUN invoices of the named party consecutive by due date, total exact."""
    # the party's total through the last invoice of the run, if the movement pays from `first` on
    target = cols.i_cum[inv] - cols.i_cents[inv] + cols.m_cents[rows]
    at, last = _ends(target, party, cols)
    first, row = inv[at], rows[at]
    keep = (last > first) & (last - first < MAX_RUN)
    first, last, row = first[keep], last[keep], row[keep]
    # the whole run must be issued by the booking: its latest issue date is checked on every member below
    length = last - first + 1
    member = np.repeat(first, length) + (np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length))
    row = np.repeat(row, length)
    oldest = np.repeat(cols.i_rank[first] == 0, length)
    group = -1_000_000_000 - np.repeat(np.arange(len(first)), length)
    issued = cols.issue[member] <= cols.booking[row]
    good = ~np.isin(group, np.unique(group[~issued]))
    return _frame(row[good], member[good], np.where(oldest, 0.85, 0.75)[good],
                  np.where(oldest, E.REASON_CODE[E.PARTY_RUN_OLDEST], E.REASON_CODE[E.PARTY_RUN])[good],
                  cols, group[good])


def _ends(target: np.ndarray, party: np.ndarray, cols: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Return (pair position, last) of each pair and each invoice `last` of its party whose running total is
    `target`, in the order of a merge on party and running total, by a search in the sorted invoices."""
    n_party = int(cols.i_party.max(initial=-1)) + 1
    ends = np.searchsorted(cols.i_party, np.arange(n_party), side="right")
    starts = np.r_[0, ends[:-1]] if n_party else ends
    top = np.where(ends > starts, cols.i_cum[np.maximum(ends - 1, 0)], -1)  # the party's total, totals rise with it
    # one key rising over all invoices: the running total shifted by the totals of the parties before
    base = np.r_[0, np.cumsum(top + 1)[:-1]] if n_party else np.zeros(0, dtype=np.int64)
    key = cols.i_cum + base[cols.i_party]
    inside = (target >= 0) & (target <= top[party])
    wanted = target + base[party]
    low = np.searchsorted(key, wanted, side="left")
    count = np.where(inside, np.searchsorted(key, wanted, side="right") - low, 0)
    at = np.repeat(np.arange(len(target)), count)
    last = np.repeat(low, count) + (np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count))
    return at.astype(np.int64), last.astype(np.int64)


def two(rows: np.ndarray, inv: np.ndarray, cols: Columns) -> pd.DataFrame:
    """Return the candidates paying two open invoices of the named party (any two) whose total is exact."""
    rest = cols.m_cents[rows] - cols.i_cents[inv]
    first = np.flatnonzero(rest > 0)
    inv_cents = cols.i_cents[inv]
    # (row, cents) as one integer: rows and cents are small enough for their product to fit
    width = int(max(rest.max(initial=0), inv_cents.max(initial=0))) + 1
    if (int(rows.max(initial=0)) + 1) * width < 2**62:
        left, right = join(rows[first] * width + rest[first], rows * width + inv_cents)
    else:  # amounts beyond any ledger's: the (row, cents) pairs numbered instead
        _, codes = np.unique(np.c_[np.r_[rows[first], rows], np.r_[rest[first], inv_cents]], axis=0,
                             return_inverse=True)
        left, right = join(codes[: len(first)].ravel(), codes[len(first):].ravel())
    a, b = first[left], right
    keep = inv[b] > inv[a] + 1  # neighbours are runs already
    a, b = a[keep], b[keep]
    group = -2_000_000_000 - np.arange(len(a))
    member = np.r_[inv[a], inv[b]]
    return _frame(np.tile(rows[a], 2), member, 0.78, E.REASON_CODE[E.PARTY_PAIR], cols, np.tile(group, 2))
