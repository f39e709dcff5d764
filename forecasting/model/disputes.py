"""How a side's disputes end: when a disputed invoice is paid and what share of its amount it brings.

A disputed invoice is paid on its counterparty's usual delay plus an extra delay. The extra delays are those of
the disputed invoices of the past, each measured from its counterparty's usual (median) delay: a weighted
Kaplan-Meier estimate in which a disputed invoice still open is censored (known to need more). Survival left at
the grid's end is the chance a disputed invoice is never paid. The share of the amount a settled dispute brings is
the weighted distribution of the past ones' (cash paid / amount: 1 when paid in full, less when it ended short or a
credit note settled part of it: 0.7 for a credit note of 30 % and a payment of the rest). A credit note moves no
cash (model.settlement): a dispute settled by credit notes alone brought nothing and counts as never paid.
A disputed invoice paid in part is either paying by instalments or settled short: the chance more comes after a
first partial payment is the share of past ones that got more. Few disputes: all three are pooled with k
pseudo-invoices paid in full, `fallback_days` late (more coming after a partial payment).

When a dispute counts as settled: covered by cash and credit notes (settled on its last cash payment's day), or
(behaviour.settled_short) its cash payments stopped short of the amount, the last one at least a quiet period
before as-of (or it was written off after a payment): it is settled on its last payment's day with share paid /
amount; the rest is taken as never paid (a credit note or a loss). A disputed invoice never paid in cash at all
stays open (censored) until its delay passes the grid.

The quiet period is learned from the ledger's own silences between successive payments of one invoice still short
of its amount (`learn_quiet_period`): the Kaplan-Meier distribution of their lengths, a silence still running at
as-of censored; the period is one day more than the QUIET_LEVEL quantile of the silences that end in a payment
within QUIET_MAX_DAYS, within QUIET_MIN_DAYS..QUIET_MAX_DAYS. The disputed invoices' own silences when there are
MIN_QUIET_GAPS ended ones (a dispute's rest may come later than a payment plan's instalments), else every invoice's
(the ledger's habit of paying in parts); fewer: SETTLED_SHORT_QUIET_DAYS, a definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from forecasting.model.settlement import InstalmentGaps

EXTRA_MIN_DAYS = -60  # a dispute settled earlier than the usual delay is counted on this day
PSEUDO_DISPUTES = 5.0  # weight of the fallback, in invoices
# Without enough silences to learn from, a disputed invoice whose payments stopped short this long ago is settled:
# instalments of one settlement come weeks apart, not a quarter (a payment that still comes is more cash than forecast).
SETTLED_SHORT_QUIET_DAYS = 90
# The quiet period outlasts this share of the silences between payments that ended in one: the next instalment of a
# settlement still paying comes within it 19 times out of 20.
QUIET_LEVEL = 0.95
# Ended silences a population needs: with 20, the 95 % quantile is the 19th of 20 (with fewer it is the longest).
MIN_QUIET_GAPS = 20
# A month at least (one monthly payment run missed is not the end of a dispute), a year at most (the silences are
# followed that far, and a dispute silent for a year is over whatever the ledger's habits).
QUIET_MIN_DAYS, QUIET_MAX_DAYS = 30, 365
SHARE_STEP = 0.01  # shares are learned and drawn to the percent


@dataclass(frozen=True)
class QuietPeriod:
    """How long a dispute paid in part must go without payment to count as settled short, and what it rests on."""

    days: int
    population: str  # "disputed" (their own silences), "all" (every invoice's) or "none" (too few: the definition)
    n_ended: int  # silences of the population that ended in a payment (of all invoices when "none")
    n_running: int  # silences still running at as-of (censored)
    n_disputes_in_part: int = 0  # disputed invoices paid in part and still short at as-of: those the period judges

    @property
    def learned(self) -> bool:
        """Return True when the days come from the ledger's silences, False for the fallback definition."""
        return self.population != "none"


DEFAULT_QUIET = QuietPeriod(SETTLED_SHORT_QUIET_DAYS, "none", 0, 0)  # hand-made frames, no payments read


def learn_quiet_period(gaps: InstalmentGaps) -> QuietPeriod:
    """Return the quiet period learned from the silences between payments of invoices paid in part (module doc)."""
    everyone = np.ones(len(gaps.days), bool)
    judged = int((gaps.disputed & ~gaps.ended).sum())
    for population, chosen in (("disputed", gaps.disputed), ("all", everyone)):
        ended = gaps.ended & chosen
        if int(ended.sum()) >= MIN_QUIET_GAPS:
            quantile = _silence_quantile(gaps.days[chosen], gaps.ended[chosen])
            return QuietPeriod(int(np.clip(quantile + 1, QUIET_MIN_DAYS, QUIET_MAX_DAYS)), population,
                               int(ended.sum()), int((chosen & ~gaps.ended).sum()), judged)
    return QuietPeriod(SETTLED_SHORT_QUIET_DAYS, "none", int(gaps.ended.sum()), int((~gaps.ended).sum()), judged)


def _silence_quantile(days: npt.NDArray[np.int64], ended: npt.NDArray[np.bool_]) -> int:
    """Return the QUIET_LEVEL quantile of the silences that end in a payment within QUIET_MAX_DAYS (Kaplan-Meier).

    F(t) = 1 - prod(1 - d_s / n_s, s <= t) is the chance the next payment comes within t days; those that never
    come (disputes settled short, censored for ever) keep it below 1, so the quantile is of F / F(QUIET_MAX_DAYS).
    """
    cdf = _kaplan_meier_cdf(np.clip(days, 0, QUIET_MAX_DAYS), ended & (days <= QUIET_MAX_DAYS),
                            np.ones(len(days)), QUIET_MAX_DAYS + 1)
    # A hair below the level: 19 silences of 20 ended by day t reach 0.95 whatever the float rounding.
    return int(np.searchsorted(cdf, QUIET_LEVEL * cdf[-1] - 1e-9, side="left"))


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
    cdf = _kaplan_meier_cdf(np.clip(extra_days, grid[0], grid[-1]) - grid[0], is_paid & (extra_days <= grid[-1]),
                            weight, len(grid))
    pooled = (n * cdf + PSEUDO_DISPUTES * fallback) / (n + PSEUDO_DISPUTES)
    levels, share_cdf = _share_distribution(np.ones(len(weight)) if shares is None else shares, weight * is_paid)
    more, ended = after_part
    return Disputes(grid, np.maximum.accumulate(pooled), n, levels, share_cdf,
                    (more + PSEUDO_DISPUTES) / (more + ended + PSEUDO_DISPUTES))


def _kaplan_meier_cdf(exit_index: npt.NDArray[np.int64], event: npt.NDArray[np.bool_],
                      weight: npt.NDArray[np.float64], n_days: int) -> npt.NDArray[np.float64]:
    """Return the weighted Kaplan-Meier P(event by day j), j < n_days: each row leaves on its exit day, by its event or
    censored."""
    exits = np.bincount(exit_index, weights=weight, minlength=n_days)
    events = np.bincount(exit_index, weights=weight * event, minlength=n_days)
    at_risk = np.cumsum(exits[::-1])[::-1]
    hazard = np.divide(events, at_risk, out=np.zeros(n_days), where=at_risk > 0)
    return np.asarray(1.0 - np.cumprod(1.0 - hazard), dtype=np.float64)


def _share_distribution(shares: npt.NDArray[np.float64],
                        weight: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the levels and cdf of the settled disputes' shares, pooled with PSEUDO_DISPUTES paid in full."""
    steps = np.rint(np.clip(shares, 0.0, 1.0) / SHARE_STEP).astype(np.int64)
    mass = np.bincount(steps, weights=weight, minlength=int(round(1 / SHARE_STEP)) + 1)
    mass[-1] += PSEUDO_DISPUTES
    kept = np.flatnonzero(mass > 0)
    levels = (kept * SHARE_STEP).astype(np.float64)
    return levels, np.cumsum(mass[kept]) / mass.sum()
