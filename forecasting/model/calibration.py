"""The calibration map of one group: quantiles of past probability-integral transforms, trusted as far as they go.

The transforms (PIT) of a well-calibrated model are uniform; their quantiles, blended with the identity, map every
draw's uniform. How far the map moves from the identity depends on how much independent evidence it rests on, and
one counterparty's invoices are not independent: they share its habits and its luck over the replayed quarters. So
the blend counts the *effective* number of transforms (Kish): their count divided by the design effect of their
mean, clustered by counterparty. A thousand invoices of one client weigh about as much as one invoice when they all
tell the same story; a thousand of a thousand clients weigh a thousand. The prior keeps its meaning: the weight of
the identity, in independent transforms.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.model.payment_days import CALIBRATION_LEVELS

CALIBRATION_PRIOR = 200.0  # the identity map's weight, in independent transforms
MIN_CALIBRATION = 100  # fewer transforms in a group: no calibration for it


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
    codes = pd.factorize(pd.Series(np.asarray(clusters)), use_na_sentinel=False)[0]
    between = float(np.square(np.bincount(codes, weights=deviations)).sum())
    if between <= 0.0:  # every transform equal: nothing to cluster on
        return float(n)
    return float(np.clip(n * within / between, 1.0, n))


def calibration_map(pit: npt.NDArray[np.float64],
                    clusters: npt.ArrayLike) -> npt.NDArray[np.float64] | None:
    """Return the map at CALIBRATION_LEVELS: the transforms' quantiles blended with the identity (few: None)."""
    if len(pit) < MIN_CALIBRATION:
        return None
    n_effective = effective_count(pit, clusters)
    weight = n_effective / (n_effective + CALIBRATION_PRIOR)
    table = weight * np.quantile(pit, CALIBRATION_LEVELS) + (1.0 - weight) * CALIBRATION_LEVELS
    table[0], table[-1] = 0.0, 1.0
    return np.maximum.accumulate(table)
