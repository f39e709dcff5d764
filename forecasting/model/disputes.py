"""How a side's disputes end: when a disputed invoice is paid and what share of its amount it brings.

A disputed invoice is paid on its counterparty's usual delay plus an extra delay. The extra delays are those of
the disputed invoices of the past, each measured from its counterparty's usual (median) delay: a weighted
Kaplan-Meier estimate in which a disputed invoice still open is censored (known to need more). Survival left at
the grid's end is the chance a disputed invoice is never paid. The share of the amount a settled dispute brings is
the weighted distribution of the past ones' (paid / amount: 1 when paid in full, less when it ended short).
A disputed invoice paid in part is either paying by instalments or settled short: the chance more comes after a
first partial payment is the share of past ones that got more. Few disputes: all three are pooled with k
pseudo-invoices paid in full, `fallback_days` late (more coming after a partial payment).

When a dispute counts as settled (behaviour.settled_short): paid in full, or its payments stopped short of the
amount, the last one at least SETTLED_SHORT_QUIET_DAYS before as-of (or it was written off after a payment): it is
settled on its last payment's day with share paid / amount; the rest is taken as never paid (a credit note or a
loss). A disputed invoice never paid at all stays open (censored) until its delay passes the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

EXTRA_MIN_DAYS = -60  # a dispute settled earlier than the usual delay is counted on this day
PSEUDO_DISPUTES = 5.0  # weight of the fallback, in invoices
# A disputed invoice whose payments stopped short this long ago is settled: instalments of one settlement come
# weeks apart, not a quarter (and a payment that still comes later is simply more cash than forecast).
SETTLED_SHORT_QUIET_DAYS = 90
SHARE_STEP = 0.01  # shares are learned and drawn to the percent


@dataclass(frozen=True, eq=False)
class Disputes:
    """How disputes end: P(extra <= grid_days[j]) = cdf[j] (the rest is never paid), and the share they bring."""

    grid_days: npt.NDArray[np.int64]
    cdf: npt.NDArray[np.float64]
    n_disputes: float  # effective disputed invoices it rests on
    # The shares of its amount a settled dispute brings (increasing) and P(share <= share_levels[j]); default: full.
    share_levels: npt.NDArray[np.float64] = field(default_factory=lambda: np.ones(1))
    share_cdf: npt.NDArray[np.float64] = field(default_factory=lambda: np.ones(1))
    # The chance more comes after a first payment short of the amount (instalments), not the dispute's end.
    more_after_part: float = 1.0

    def draw(self, uniforms: npt.NDArray[np.float64],
             after_days: npt.NDArray[np.int64] | None = None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Return the extra delay of each uniform and whether it falls beyond the grid (never paid).

        With `after_days`, each draw is conditioned on the extra delay exceeding it (a dispute still open that far
        beyond its usual date): the Kaplan-Meier tail beyond it.
        """
        if after_days is not None:
            index = np.searchsorted(self.grid_days, after_days, side="right") - 1  # last grid day <= after
            below = np.where(index >= 0, self.cdf[np.clip(index, 0, len(self.cdf) - 1)], 0.0)
            uniforms = below + uniforms * (1.0 - below)
        index = np.searchsorted(self.cdf, uniforms, side="right")
        never = index >= len(self.grid_days)
        return self.grid_days[np.minimum(index, len(self.grid_days) - 1)], never

    def draw_shares(self, uniforms: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Return the share of its amount a settled dispute brings, for each uniform."""
        index = np.searchsorted(self.share_cdf, uniforms, side="right")
        return self.share_levels[np.minimum(index, len(self.share_levels) - 1)]

    def mean_share(self) -> float:
        """Return the expected share of its amount a settled dispute brings."""
        return float(np.dot(self.share_levels, np.diff(self.share_cdf, prepend=0.0)))

    def median_days(self) -> float:
        """Return the median extra delay (NaN when more than half are never paid)."""
        index = int(np.searchsorted(self.cdf, 0.5, side="left"))
        return float(self.grid_days[index]) if index < len(self.grid_days) else float("nan")


def learn_disputes(extra_days: npt.NDArray[np.int64], is_paid: npt.NDArray[np.bool_],
                   weight: npt.NDArray[np.float64], never_after_days: int, fallback_days: int,
                   shares: npt.NDArray[np.float64] | None = None,
                   after_part: tuple[float, float] = (0.0, 0.0)) -> Disputes:
    """Return how disputes end from disputed invoices' extra delays (open ones: censored) and settled shares.

    `after_part`: the (weighted) disputed invoices first paid in part that got more after, and that ended short.
    """
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
    levels, share_cdf = _share_distribution(np.ones(len(weight)) if shares is None else shares, weight * is_paid)
    more, ended = after_part
    return Disputes(grid, np.maximum.accumulate(pooled), n, levels, share_cdf,
                    (more + PSEUDO_DISPUTES) / (more + ended + PSEUDO_DISPUTES))


def _share_distribution(shares: npt.NDArray[np.float64],
                        weight: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the levels and cdf of the settled disputes' shares, pooled with PSEUDO_DISPUTES paid in full."""
    steps = np.rint(np.clip(shares, 0.0, 1.0) / SHARE_STEP).astype(np.int64)
    mass = np.bincount(steps, weights=weight, minlength=int(round(1 / SHARE_STEP)) + 1)
    mass[-1] += PSEUDO_DISPUTES
    kept = np.flatnonzero(mass > 0)
    levels = (kept * SHARE_STEP).astype(np.float64)
    return levels, np.cumsum(mass[kept]) / mass.sum()
