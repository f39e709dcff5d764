"""Monte-Carlo payment dates: for each item, n_sims draws from its delay distribution given what is known.

Dates are integer day offsets from the as-of date (day 1 = the day after as-of). A draw beyond the
model's `never_after_days` is the sentinel `NEVER`: bad debt, never a receipt.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from forecasting.behaviour import BehaviourModel

NEVER = np.int32(2**30)  # "never paid"; far beyond any horizon, and a few days' shift cannot overflow int32
_ROW_STRIDE = 1e6  # separates profile rows in one sorted array (cumulative hazards stay far below it)


def correlated_uniforms(rng: np.random.Generator, n_items: int, n_sims: int, groups: np.ndarray | None,
                        correlation: float) -> np.ndarray:
    """Return uniforms [n_items, n_sims]; items of one group share a common factor (Gaussian copula)."""
    noise = rng.standard_normal((n_items, n_sims))
    if groups is None or correlation <= 0 or n_items == 0:
        return ndtr(noise)
    codes, uniques = _codes(groups)
    common = rng.standard_normal((len(uniques), n_sims))
    return ndtr(np.sqrt(correlation) * common[codes] + np.sqrt(1.0 - correlation) * noise)


def _codes(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return integer codes and unique values of a label array."""
    uniques, codes = np.unique(np.asarray(groups).astype(str), return_inverse=True)
    return codes.reshape(-1), uniques


def sample_delay_days(model: BehaviourModel, rows: np.ndarray, unpaid_through_delay_days: np.ndarray,
                      uniforms: np.ndarray) -> np.ndarray:
    """Return delays [n_items, n_sims] drawn given delay > unpaid_through (inverse CDF); NEVER when unpaid."""
    grid = model.delay_grid_days
    n_grid = len(grid)
    rows = np.asarray(rows, dtype=np.int64)[:, None]
    # Cumulative hazard reached by the knowledge "not paid through delay c" (0 before the grid starts).
    c_index = np.asarray(unpaid_through_delay_days, dtype=np.int64) - grid[0]
    known = np.where(c_index >= 0, model.cum_hazard[rows, np.clip(c_index, 0, n_grid - 1)], 0.0)
    # S(t)/S(c) <= 1-u  <=>  H(t) >= H(c) - log(1-u): search all rows at once in one offset, sorted array.
    target = known - np.log1p(-np.minimum(uniforms, 1.0 - 1e-12))
    flat = (model.cum_hazard + _ROW_STRIDE * np.arange(model.cum_hazard.shape[0])[:, None]).ravel()
    pos = np.searchsorted(flat, target + _ROW_STRIDE * rows, side="left") - rows * n_grid
    pos = np.maximum(pos, c_index + 1)  # ties at u ~ 0 must not land on a day already known unpaid
    never = (pos >= n_grid) | (c_index >= n_grid - 1)
    delay = grid[np.clip(pos, 0, n_grid - 1)]
    return np.where(never, NEVER, delay).astype(np.int32)


def policy_delay_days(policy: str, due_offsets: np.ndarray, earliest_offsets: np.ndarray,
                      as_of_weekday: int, run_weekdays: tuple[int, ...]) -> np.ndarray:
    """Return payment offsets for a fixed payables policy: on the due date, or at the next payment run."""
    pay = np.maximum(due_offsets, earliest_offsets)
    if policy == "payment_run":
        weekday = (as_of_weekday + pay) % 7
        wait = np.full(pay.shape, 7, dtype=np.int64)
        for run in run_weekdays:  # a handful of weekdays, not a loop over invoices
            wait = np.minimum(wait, (run - weekday) % 7)
        pay = pay + wait
    return pay.astype(np.int32)


def roll_offsets(offsets: np.ndarray, roll_table: np.ndarray) -> np.ndarray:
    """Return offsets moved to the next business day through a precomputed table; NEVER stays NEVER.

    Offsets <= 0 can only be non-business days between the last business day and as-of: they roll like as-of.
    """
    never = offsets >= NEVER
    inside = np.clip(offsets, 0, len(roll_table) - 1)
    rolled = np.where(offsets < len(roll_table), roll_table[inside], offsets)
    return np.where(never, NEVER, rolled).astype(np.int32)


def quantile_offsets(offsets: np.ndarray, quantile: float = 0.5) -> np.ndarray:
    """Return each row's offset quantile among draws that get paid, as a drawn day (NaN when none is paid)."""
    finite = np.where(offsets >= NEVER, np.nan, offsets.astype(float))
    paid = ~np.all(np.isnan(finite), axis=1)
    out = np.full(len(finite), np.nan)
    if paid.any():
        out[paid] = np.nanquantile(finite[paid], quantile, axis=1, method="lower")
    return out
