"""The calibration map of one group: quantiles of past probability-integral transforms, trusted as far as they go.

The transforms (PIT) of a well-calibrated model are uniform; their quantiles, blended with the identity, map every
draw's uniform. How far the map moves from the identity depends on how much independent evidence it rests on, and
one counterparty's invoices are not independent: they share its habits and its luck over the replayed quarters. So
the blend counts the *effective* number of transforms (Kish): their count divided by the design effect of their
mean, clustered by counterparty. A thousand invoices of one client weigh about as much as one invoice when they all
tell the same story; a thousand of a thousand clients weigh a thousand. The prior keeps its meaning: the weight of
the identity, in independent transforms.

How far to trust the map is the ledger's to say when its replay has two origins or more (`choose_prior`): each origin
is forecast by the map of the others under a few priors, and a prior other than the default is taken only when it
does better on every origin held out, by more than PRIOR_MARGIN standard errors in all (clustered by
counterparty) and by more than a map PRIOR_MIN_SHIFT off would cost, so that noise and tiny gains do not flip it
from one date to the next.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.model.payment_days import CALIBRATION_LEVELS

CALIBRATION_PRIOR = 200.0  # the identity map's weight, in independent transforms
MIN_CALIBRATION = 100  # fewer transforms in a group: no calibration for it
# The priors leave-one-origin-out compares: the map alone (0), the identity alone (inf) and steps of four around the
# default. At the effective counts met (a few hundred to a few thousand) the three steps give weights about 0.9,
# 0.7 and 0.4: finer steps would differ by less than the noise of three origins.
PRIOR_CANDIDATES = (0.0, 50.0, CALIBRATION_PRIOR, 800.0, math.inf)
PRIOR_MARGIN = 2.0  # a prior replaces the default when its held-out gain exceeds this many standard errors
# ... and the gain per held-out transform exceeds what a map off by this much at every level costs a calibrated model
# (about shift² / 2 per level: the transforms' density is about 1): smaller gains change no range a user would see.
PRIOR_MIN_SHIFT = 0.03


def effective_count(pit: npt.NDArray[np.float64], clusters: npt.ArrayLike) -> float:
    """Return how many independent transforms `pit` is worth: its count over the design effect of its mean.

    The mean's variance clustered by `clusters` (the sum over clusters of their squared summed deviations) against
    its variance as independent values (the sum of squared deviations); between 1 and len(pit).
    """
    n = len(pit)
    if n == 0:
        return 0.0
    deviations = pit - pit.mean()
    within = float(np.square(deviations).sum())
    between = _clustered_squares(deviations, _cluster_codes(clusters))
    if between <= 0.0:  # every transform equal: nothing to cluster on
        return float(n)
    return float(np.clip(n * within / between, 1.0, n))


def _cluster_codes(clusters: npt.ArrayLike) -> npt.NDArray[np.intp]:
    """Return an integer code per value of `clusters` (missing values form a cluster of their own)."""
    return np.asarray(pd.factorize(pd.Series(np.asarray(clusters)), use_na_sentinel=False)[0])


def _clustered_squares(deviations: npt.NDArray[np.float64], codes: npt.NDArray[np.intp]) -> float:
    """Return the sum over clusters of their summed deviations squared: the clustered variance of a sum."""
    return float(np.square(np.bincount(codes, weights=deviations)).sum())


def calibration_map(pit: npt.NDArray[np.float64], clusters: npt.ArrayLike,
                    prior: float = CALIBRATION_PRIOR) -> npt.NDArray[np.float64] | None:
    """Return the map at CALIBRATION_LEVELS: the transforms' quantiles blended with the identity (few: None)."""
    if len(pit) < MIN_CALIBRATION:
        return None
    n_effective = effective_count(pit, clusters)
    weight = 0.0 if math.isinf(prior) else n_effective / (n_effective + prior)
    table = weight * np.quantile(pit, CALIBRATION_LEVELS) + (1.0 - weight) * CALIBRATION_LEVELS
    table[0], table[-1] = 0.0, 1.0
    return np.maximum.accumulate(table)


def pinball_loss(pit: npt.NDArray[np.float64], table: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return per transform the pinball loss of the map's quantiles summed over the inner CALIBRATION_LEVELS.

    A proper score of the map as a predictive distribution of the transform (the sum approximates its CRPS); the
    levels 0 and 1 are left out (their quantiles are 0 and 1 for every map).
    """
    levels = CALIBRATION_LEVELS[1:-1]
    gap = np.asarray(pit, dtype=float)[:, None] - np.asarray(table, dtype=float)[None, 1:-1]
    return np.asarray(np.maximum(levels * gap, (levels - 1.0) * gap).sum(axis=1), dtype=np.float64)


def choose_prior(pit: npt.NDArray[np.float64], clusters: npt.ArrayLike, origins: npt.ArrayLike) -> float:
    """Return the prior among PRIOR_CANDIDATES that best forecasts each origin's transforms from the others'.

    Origins holding MIN_CALIBRATION transforms or more are held out in turn (fewer than two: the default); the
    losses are summed over all held-out transforms. A candidate replaces the default only when it does better on
    every origin held out (a gain on some origins only is the origins' disagreement, not evidence) and its total
    gain exceeds PRIOR_MARGIN standard errors, clustered by counterparty (their transforms are not independent), and
    the cost of a map PRIOR_MIN_SHIFT off at every level; of those, the largest gain.
    """
    pit = np.asarray(pit, dtype=float)
    who, origin = np.asarray(clusters), np.asarray(origins)
    labels, counts = np.unique(origin, return_counts=True)
    folds = labels[counts >= MIN_CALIBRATION]
    if len(folds) < 2:
        return CALIBRATION_PRIOR
    losses, held_by = [], []
    for label in folds:
        held = origin == label
        tables = [calibration_map(pit[~held], who[~held], prior) for prior in PRIOR_CANDIDATES]
        if any(table is None for table in tables):  # the others hold too few transforms for a map
            continue
        losses.append(np.stack([pinball_loss(pit[held], table) for table in tables if table is not None]))
        held_by.append(who[held])
    if len(losses) < 2:
        return CALIBRATION_PRIOR
    default = PRIOR_CANDIDATES.index(CALIBRATION_PRIOR)
    everywhere = np.all([fold[default].sum() > fold.sum(axis=1) for fold in losses], axis=0)
    loss = np.concatenate(losses, axis=1)
    gain = loss[default][None, :] - loss  # > 0: the candidate does better
    codes = _cluster_codes(np.concatenate(held_by))
    deviations = gain - gain.mean(axis=1, keepdims=True)
    spread = np.sqrt(np.array([_clustered_squares(row, codes) for row in deviations]))
    total = gain.sum(axis=1)
    tolerance = gain.shape[1] * (len(CALIBRATION_LEVELS) - 2) * PRIOR_MIN_SHIFT ** 2 / 2.0
    clear = everywhere & (total > np.maximum(PRIOR_MARGIN * spread, tolerance))
    if not clear.any():
        return CALIBRATION_PRIOR
    return float(PRIOR_CANDIDATES[int(np.argmax(np.where(clear, total, -np.inf)))])
