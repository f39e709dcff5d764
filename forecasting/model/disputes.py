"""How much later than usual a disputed invoice is paid: learned from the side's disputed history.

A disputed invoice is paid on its counterparty's usual delay plus an extra delay. The extra delays are those of
the disputed invoices of the past, each measured from its counterparty's usual (median) delay: a weighted
Kaplan-Meier estimate in which a disputed invoice still open is censored (known to need more). Survival left at
the grid's end is the chance a disputed invoice is never paid. Few disputes: pooled with k pseudo-invoices paid
`fallback_days` late.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EXTRA_MIN_DAYS = -60  # a dispute settled earlier than the usual delay is counted on this day
PSEUDO_DISPUTES = 5.0  # weight of the fallback, in invoices


@dataclass(frozen=True, eq=False)
class Disputes:
    """The distribution of a dispute's extra delay: P(extra <= grid_days[j]) = cdf[j]; the rest is never paid."""

    grid_days: npt.NDArray[np.int64]
    cdf: npt.NDArray[np.float64]
    n_disputes: float  # effective disputed invoices it rests on

    def draw(self, uniforms: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Return the extra delay of each uniform and whether it falls beyond the grid (never paid)."""
        index = np.searchsorted(self.cdf, uniforms, side="right")
        never = index >= len(self.grid_days)
        return self.grid_days[np.minimum(index, len(self.grid_days) - 1)], never

    def median_days(self) -> float:
        """Return the median extra delay (NaN when more than half are never paid)."""
        index = int(np.searchsorted(self.cdf, 0.5, side="left"))
        return float(self.grid_days[index]) if index < len(self.grid_days) else float("nan")


def learn_disputes(extra_days: npt.NDArray[np.int64], is_paid: npt.NDArray[np.bool_],
                   weight: npt.NDArray[np.float64], never_after_days: int, fallback_days: int) -> Disputes:
    """Return the extra-delay distribution from disputed invoices' extra delays (open ones: censored)."""
    grid = np.arange(EXTRA_MIN_DAYS, never_after_days + 1)
    fallback = (grid >= fallback_days).astype(float)
    n = float(weight.sum())
    if n <= 0:
        return Disputes(grid, fallback, 0.0)
    exit_index = np.clip(extra_days, grid[0], grid[-1]) - grid[0]
    event = is_paid & (extra_days <= grid[-1])
    exits = np.bincount(exit_index, weights=weight, minlength=len(grid))
    events = np.bincount(exit_index, weights=weight * event, minlength=len(grid))
    at_risk = np.cumsum(exits[::-1])[::-1]
    hazard = np.divide(events, at_risk, out=np.zeros(len(grid)), where=at_risk > 0)
    cdf = 1.0 - np.cumprod(1.0 - hazard)
    pooled = (n * cdf + PSEUDO_DISPUTES * fallback) / (n + PSEUDO_DISPUTES)
    return Disputes(grid, np.maximum.accumulate(pooled), n)
