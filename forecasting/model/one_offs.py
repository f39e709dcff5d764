"""One-off invoices: amounts far outside their counterparty's history, left out of the future invoicing's run-rate.

An invoice 50,000 times the usual one (a machine bought once, an amount keyed in cents) is paid like any other
while open, but fed to the weekly invoicing forecast it is read as a new level or a yearly season and carried for
a year. The rule works on log sizes |amount| (a credit note cancelling such an invoice is as large), so that a
spread means a ratio, and with medians and MADs, which one huge value does not move. An invoice is a one-off when

1. it is far above its counterparty: log size above the counterparty's median by more than SPREADS robust spreads
   (1.4826 MAD, at least the side's typical spread around each counterparty's median, so that a counterparty with
   near-constant amounts does not make any larger invoice exceptional) and by at least MIN_RATIO times. A
   counterparty with fewer than MIN_HISTORY invoices has no history of its own: the side's median and spread
   stand for it (a new supplier's first invoice is judged against every supplier's);
2. it is far above the side: above its SIDE_QUANTILE, so a small supplier's unusual invoice that is still ordinary
   for the side, and weighs little on its totals, stays;
3. it does not recur: fewer than RECUR_COUNT invoices of its counterparty, itself included, reach a RECUR_FACTOR-th
   of it. A big client's quarterly orders ten times its monthly ones, or a counterparty whose amounts stepped up
   for good, are a level the counterparty returns to: its run-rate, not a one-off. Only the first two invoices of
   a new level are left out, until the third shows it recurs.

Seasonal peaks (a December two or three times the usual) are far below both thresholds. On invoices drawn from a
lognormal with the demo's spread (sigma 0.7), rule 1 alone needs 5 sigma (about 3 in 10 million invoices).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

SPREADS = 5.0
MIN_RATIO = 10.0
MIN_HISTORY = 5
SIDE_MIN_INVOICES = 20  # fewer invoices on a side: no typical invoice to judge one against, nothing is flagged
SIDE_QUANTILE = 0.99
RECUR_COUNT, RECUR_FACTOR = 3, 3.0
MAD_SCALE = 1.4826  # MAD to standard deviation for normal (here: lognormal amounts') data


def one_off_invoices(counterparty: npt.ArrayLike, amounts: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Return which invoices are one-offs (see the module's rule), from their counterparty and amount (EUR)."""
    size = np.abs(np.asarray(amounts, dtype=float))
    out = np.zeros(len(size), dtype=bool)
    usable = np.flatnonzero(np.isfinite(size) & (size > 0))
    if len(usable) < SIDE_MIN_INVOICES:
        return out
    x = np.log(size[usable])
    # Factorised before selecting: indexing millions of id strings costs more than the whole rule.
    ids = counterparty if isinstance(counterparty, pd.Series) else pd.Series(np.asarray(counterparty, dtype=object))
    codes = pd.factorize(ids, use_na_sentinel=False)[0][usable]
    n = np.bincount(codes)[codes]
    median = _group_median(x, codes)
    deviation = np.abs(x - median)
    spread = MAD_SCALE * _group_median(deviation, codes)
    side_median, side_high = np.quantile(x, [0.5, SIDE_QUANTILE])
    side_spread = MAD_SCALE * float(np.median(np.abs(x - side_median)))
    own = n >= MIN_HISTORY
    # The side's typical spread around each counterparty's median: the least a counterparty's own spread is taken as.
    within = MAD_SCALE * float(np.median(deviation[own])) if own.any() else side_spread
    centre = np.where(own, median, side_median)
    scale = np.where(own, np.maximum(spread, within), side_spread)
    far = (x - centre > np.maximum(SPREADS * scale, np.log(MIN_RATIO))) & (x > side_high)
    if far.any():
        far &= ~_recurs(codes, x, far)
    out[usable[far]] = True
    return out


def _group_median(values: npt.NDArray[np.float64], codes: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Return the median of each value's group (codes >= 0), one per value."""
    by_code = pd.Series(values).groupby(codes).median()
    medians = np.full(codes.max() + 1, np.nan)
    medians[by_code.index.to_numpy()] = by_code.to_numpy()
    out: npt.NDArray[np.float64] = medians[codes]
    return out


def _recurs(codes: npt.NDArray[np.intp], x: npt.NDArray[np.float64],
            candidate: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Return whether each invoice's counterparty has RECUR_COUNT log sizes >= its own less log(RECUR_FACTOR)."""
    # The RECUR_COUNT-th largest of the counterparty decides; only the candidates' counterparties are sorted.
    rows = np.flatnonzero(np.isin(codes, np.unique(codes[candidate])))
    order = rows[np.lexsort((-x[rows], codes[rows]))]  # by counterparty, largest first
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    nth = np.full(codes.max() + 1, -np.inf)
    at = rank == RECUR_COUNT - 1
    nth[sorted_codes[at]] = x[order[at]]
    recurs: npt.NDArray[np.bool_] = nth[codes] >= x - np.log(RECUR_FACTOR)
    return recurs
