"""Disputed items bring the share of their amount their dispute settles for: per-draw amount scales.

A draw in which an item is disputed and paid brings share x its amount on its drawn day (model.disputes); the rest is
never paid. Open items: the share is the cash share of the invoice's whole amount, so one already paid p of it in
cash, with c of it settled by credit notes, brings (share - p) / (1 - p - c) of what is still open (1 - p - c of it),
at most all of it, nothing below, and only in the draws where more comes after a partial payment (the side's chance
of instalments); a dispute already settled short at as-of (behaviour.settled_short) brings nothing more. Without
credit notes that is (share - p) / (1 - p). Future items, already scaled by path, are scaled once more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.model.behaviour import settled_short
from forecasting.model.disputes import SETTLED_SHORT_QUIET_DAYS
from forecasting.model.payment_days import UnsettledDraws
from forecasting.model.sampling import NEVER
from forecasting.model.settlement import CREDITED_AMOUNT, PAID_AMOUNT


@dataclass(frozen=True, eq=False)
class OpenPaid:
    """What is known at as-of of each open item's dispute: the shares of it already paid in cash and settled by credit
    notes, whether it ended short."""

    paid_share: npt.NDArray[np.float64]  # [n_open]: paid in cash
    ended_short: npt.NDArray[np.bool_]  # [n_open]
    credited_share: npt.NDArray[np.float64] | None = None  # [n_open]: settled by credit notes (None: nothing)

    @staticmethod
    def of(settled_open: pd.DataFrame, as_of: pd.Timestamp, quiet_days: int = SETTLED_SHORT_QUIET_DAYS) -> OpenPaid:
        """Return them for the settled rows of the open items (`items.open_rows`), with the side's quiet period."""
        short, _ = settled_short(settled_open, as_of, quiet_days)
        amount = settled_open[C.AMOUNT_TTC].to_numpy(float)
        paid = settled_open[PAID_AMOUNT].to_numpy(float) if PAID_AMOUNT in settled_open else np.zeros(len(amount))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.clip(np.nan_to_num(paid / amount), 0.0, 1.0)
            credited = settled_open[CREDITED_AMOUNT].to_numpy(float) if CREDITED_AMOUNT in settled_open else None
            if credited is None or not credited.any():
                return OpenPaid(share, short)
            return OpenPaid(share, short, np.clip(np.nan_to_num(credited / amount), 0.0, 1.0 - share))

    def open_share(self, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        """Return the share of their whole amount the given items still have open (1 - paid, less credited)."""
        open_ = 1.0 - self.paid_share[rows]
        return open_ if self.credited_share is None else open_ - self.credited_share[rows]


def open_scales(draws: UnsettledDraws, disputed: npt.NDArray[np.bool_], paid: OpenPaid, n_sims: int,
                more_after_part: float, rng: np.random.Generator) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Return the open items whose amount varies by draw and their scales [k, n_sims] of the open amount."""
    touched = np.zeros(len(disputed), bool)
    touched[draws.share_rows] = True
    touched |= disputed & (paid.ended_short | (paid.paid_share > 0))
    if paid.credited_share is not None:
        touched |= disputed & (paid.credited_share > 0)
    rows = np.flatnonzero(touched)
    if not rows.size:
        return rows, np.zeros((0, n_sims))
    where = np.full(len(disputed), -1, np.intp)
    where[rows] = np.arange(len(rows))
    share = np.ones((len(rows), n_sims))
    share[where[draws.share_rows], draws.share_sims] = draws.shares
    p = paid.paid_share[rows, None]
    open_share = paid.open_share(rows)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        of_open = np.where(open_share > 0.0, np.clip((share - p) / open_share, 0.0, 1.0), 0.0)
    part = disputed[rows] & (paid.paid_share[rows] > 0)
    of_open[part] *= rng.random((int(part.sum()), n_sims)) < more_after_part
    of_open[paid.ended_short[rows] & disputed[rows]] = 0.0
    return rows, of_open


def scale_open(open_: pd.DataFrame, sampled: npt.NDArray[np.int32], draws: UnsettledDraws, paid: OpenPaid,
               more_after_part: float, first_scale_row: int,
               rng: np.random.Generator) -> tuple[pd.DataFrame, npt.NDArray[np.float64]]:
    """Return the open items with a scale row of their own where their dispute's share varies by draw, and the rows.

    The rows are numbered from `first_scale_row`. A draw in which nothing more comes is never paid: `sampled` (the
    items' payment day offsets) is set to NEVER there, in place, and its scale kept at 1 (expected bad debt).
    """
    rows, scale = open_scales(draws, open_[C.DISPUTED].to_numpy(dtype=bool), paid, sampled.shape[1], more_after_part,
                              rng)
    if not len(rows):
        return open_, scale
    nothing = scale == 0.0
    sampled[rows] = np.where(nothing, NEVER, sampled[rows])
    scale[nothing] = 1.0
    scale_row = open_["scale_row"].to_numpy(np.int64).copy()
    scale_row[rows] = first_scale_row + np.arange(len(rows))
    return open_.assign(scale_row=scale_row), scale


def scale_future(draws: UnsettledDraws, scales: npt.NDArray[np.float64]) -> None:
    """Multiply in place the amount scales of future items (row i: the draws' item i) by their disputes' shares."""
    scales[draws.share_rows, draws.share_sims] *= draws.shares
