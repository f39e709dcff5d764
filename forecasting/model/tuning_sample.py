"""Which counterparties a large ledger's tuning replays: whole counterparties, at most a cap of invoices, fixed seed.

The rolling-origin tuning (model.tuning) chooses a handful of discrete settings (half-life, drift, settlement mode)
and a calibration map; they do not need millions of invoices to be chosen, so a ledger above the cap is replayed on
a sample of its counterparties, each with all its invoices (its delay history stays whole), and the chosen model is
then fitted on all the data. At or below the cap every counterparty is kept: nothing is sampled.

Stratifying the sample by segment (the cap shared in proportion to each segment's invoices) was measured and not
kept: on the demo at scale 10 it chose the full data's settings no more often across seeds (bench/RESULTS.md).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd


def sampled_counterparties(counts: pd.Series, cap: int, seed: int = 0) -> pd.Index:
    """Return the counterparties kept: all when counts (invoices per counterparty) total <= cap, else a sample.

    Counterparties are taken in a random order (fixed seed) while their running total of invoices stays within
    the cap; the order of `counts` is the order the permutation applies to.
    """
    if int(counts.sum()) <= cap:
        return counts.index
    order: npt.NDArray[np.intp] = np.random.default_rng(seed).permutation(len(counts))
    return counts.index[order][np.cumsum(counts.to_numpy()[order]) <= cap]
