"""Monte-Carlo payment dates: for each item, n_sims draws from its delay distribution given what is known.

Dates are integer day offsets from the as-of date (day 1 = the day after as-of). A draw beyond the
model's `never_after_days` is the sentinel `NEVER`: bad debt, never a receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtr

from forecasting.model.behaviour import BehaviourModel

NEVER = np.int32(2**30)  # "never paid"; far beyond any horizon, and a few days' shift cannot overflow int32
_CHUNK_CELLS = 1 << 17  # (item, sim) cells per block in the samplers: ~1 MB float64 temporaries


def correlated_uniforms(rng: np.random.Generator, n_items: int, n_sims: int, groups: npt.ArrayLike | None,
                        correlation: float) -> npt.NDArray[np.float64]:
    """Return uniforms [n_items, n_sims]; items of one group share a common factor (Gaussian copula)."""
    noise = rng.standard_normal((n_items, n_sims))
    if groups is None or correlation <= 0 or n_items == 0:
        uniforms: npt.NDArray[np.float64] = ndtr(noise, out=noise)  # in place: the normal CDF of each draw
        return uniforms
    codes, uniques = _codes(groups)
    common = rng.standard_normal((len(uniques), n_sims))
    # sqrt(c) * common[codes] + sqrt(1 - c) * noise, in place and by blocks: no [n_items, n_sims] temporary.
    own, shared = np.sqrt(1.0 - correlation), np.sqrt(correlation)
    step = max(1, _CHUNK_CELLS // max(n_sims, 1))
    for start in range(0, n_items, step):
        block = noise[start:start + step]
        block *= own
        block += shared * common[codes[start:start + step]]
        ndtr(block, out=block)
    return noise


def _codes(groups: npt.ArrayLike) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.str_]]:
    """Return integer codes and unique values (sorted) of a label array."""
    values = np.asarray(groups)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        codes, uniques = pd.factorize(values, sort=True)  # hashing beats sorting a million strings
        return codes.astype(np.intp), np.asarray(uniques, dtype=str)
    uniques, codes = np.unique(values.astype(str), return_inverse=True)
    return codes.reshape(-1), uniques


@dataclass(frozen=True, eq=False)
class SurvivalTables:
    """The survival curves of some profile rows and their bucket tables (what `sample_delay_days` searches)."""

    used: npt.NDArray[np.int64]  # [k] sorted profile rows
    survival: npt.NDArray[np.float64]  # [k * G]: S of each used row, flattened
    windows: npt.NDArray[np.int16 | np.int32]  # [k * width]: `_survival_windows` of each used row, flattened

    def table_rows(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
        """Return the position of each profile row among the used ones (every row must be one of them)."""
        return np.searchsorted(self.used, rows)


def survival_tables(model: BehaviourModel, rows: npt.ArrayLike) -> SurvivalTables:
    """Return the tables of the profile rows given (duplicates allowed): computed once, searched by many draws."""
    used = np.unique(np.asarray(rows, dtype=np.int64))
    # One copy of the used rows, negated and exponentiated in place: [profiles, grid] is ~100 MB at 30,000
    # counterparties, and each whole-size temporary costs as much as the arithmetic (same values to the bit).
    survival = np.take(np.asarray(model.cum_hazard, dtype=float), used, axis=0)
    np.negative(survival, out=survival)
    np.exp(survival, out=survival)
    return SurvivalTables(used, survival.ravel(), _survival_windows(survival, _SURVIVAL_BUCKETS).ravel())


def sample_delay_days(model: BehaviourModel, rows: npt.NDArray[np.int64],
                      unpaid_through_delay_days: npt.NDArray[np.integer[Any]],
                      uniforms: npt.NDArray[np.float64], tables: SurvivalTables | None = None) -> npt.NDArray[np.int32]:
    """Return delays [n_items, n_sims] drawn given delay > unpaid_through (inverse CDF); NEVER when unpaid.

    With H a profile's cumulative hazard and c the delay known unpaid, the draw is the first grid day t
    with H(t) >= H(c) - log(1 - u), i.e. S(t) <= S(c) (1 - u). A per-profile table of survival buckets
    gives most draws their day outright; the others are searched within the few days it leaves. `tables`
    (`survival_tables` of these rows or more) saves building them again when one model samples several groups.
    """
    grid = model.delay_grid_days
    n_grid = len(grid)
    rows = np.asarray(rows, dtype=np.int64)
    through = np.asarray(unpaid_through_delay_days)
    uniforms = np.asarray(uniforms)
    shape = np.broadcast_shapes(rows[:, None].shape, through.shape, uniforms.shape)
    out = np.empty(shape, dtype=np.int32)
    if not out.size:
        return out
    hazard = np.ascontiguousarray(model.cum_hazard, dtype=float).ravel()
    tables = survival_tables(model, rows) if tables is None else tables  # the profiles sampled only
    table_rows = tables.table_rows(rows)
    survival, windows = tables.survival, tables.windows
    width = len(windows) // len(tables.used)
    rows, table_rows, through, uniforms = (
        np.broadcast_to(a, shape) for a in (rows.reshape(-1, 1), table_rows.reshape(-1, 1), through, uniforms))
    step = max(1, _CHUNK_CELLS // max(shape[1], 1))
    for start in range(0, shape[0], step):  # by blocks of items: the temporaries stay small
        part = slice(start, start + step)
        row = table_rows[part]
        c_index = through[part].astype(np.int64) - grid[0]
        known_day = np.clip(c_index, 0, n_grid - 1)
        known_at = known_day + row * n_grid  # in the survival table
        before_grid = c_index < 0  # nothing known yet: H(c) = 0, S(c) = 1
        remaining = np.minimum(uniforms[part].astype(float), 1.0 - 1e-12)
        np.subtract(1.0, remaining, out=remaining)
        # Bucket of S(c) (1 - u); widened by one on each side against rounding, the answer lies between
        # the counts of grid days whose survival is above the window's two ends.
        level = survival[known_at]
        level[before_grid] = 1.0
        level *= remaining
        level *= _SURVIVAL_BUCKETS
        bucket = level.astype(np.int64)
        bucket += row * width
        pos = windows[bucket + 4].astype(np.int64)  # count above bucket + 2 (the table starts at bucket -2)
        hi = windows[bucket + 1]  # count above bucket - 1
        todo = np.flatnonzero(hi > pos)
        if todo.size:
            base = rows[part].ravel()[todo] * n_grid  # in the model's cumulative hazard
            known = hazard[base + known_day.ravel()[todo]]
            known[before_grid.ravel()[todo]] = 0.0
            known -= np.log(remaining.ravel()[todo])
            pos.ravel()[todo] = _first_at_least(hazard, base, pos.ravel()[todo], hi.ravel()[todo].astype(np.int64),
                                                known)
        np.maximum(pos, c_index + 1, out=pos)  # ties at u ~ 0 must not land on a day already known unpaid
        never = (pos >= n_grid) | (c_index >= n_grid - 1)
        delay = grid[np.minimum(pos, n_grid - 1)]
        delay[never] = NEVER
        out[part] = delay
    return out


_SURVIVAL_BUCKETS = 1024  # per profile: ~90 % of draws land in a bucket that settles their day


def _survival_windows(survival: npt.NDArray[np.float64], n_buckets: int) -> npt.NDArray[np.int16 | np.int32]:
    """Return A[row, b + 2] = number of grid days with survival > b / K, for b = -2 .. K + 3 (K buckets).

    A day j counts for b when b <= ceil(S_j K) - 1. Buckets b <= 0 count every day: survival that
    underflows to 0 must not cut the search short. Built by blocks of rows (small temporaries).
    """
    n_rows, n_grid = survival.shape
    width = n_buckets + 6
    out = np.empty((n_rows, width), dtype=np.int16 if n_grid < 2**15 else np.int32)
    step = max(1, _CHUNK_CELLS // width)
    for start in range(0, n_rows, step):
        block = survival[start:start + step]
        top = np.ceil(block * n_buckets).astype(np.int64)  # ceil(S_j K), in 0 .. K
        top += np.arange(len(block))[:, None] * width + 1  # slot of b = ceil(S_j K) - 1, shifted by 2
        above = np.bincount(top.ravel(), minlength=len(block) * width).reshape(len(block), width)
        np.cumsum(above[:, ::-1], axis=1, out=above[:, ::-1])
        above[:, :3] = n_grid
        out[start:start + step] = above
    return out


def _first_at_least(hazard: npt.NDArray[np.float64], base: npt.NDArray[np.int64], lo: npt.NDArray[np.int64],
                    hi: npt.NDArray[np.int64], target: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Return, for each query, the first j in [lo, hi) with hazard[base + j] >= target (hi if none).

    The cumulative hazard is non-decreasing along j, so the answer is lo plus the count of days below the
    target: counted directly on the first few days of the window, bisected beyond.
    """
    result = lo.copy()
    for offset in range(_SCAN_DAYS):
        day = lo + offset
        inside = day < hi
        np.minimum(day, hi - 1, out=day)
        result += inside & (hazard[base + day] < target)
    wide = np.flatnonzero(hi - lo > _SCAN_DAYS)
    if wide.size:  # the window's first days were all below the target: bisect the rest
        lo, hi = result[wide], hi[wide]
        base, target = base[wide], target[wide]
        todo = np.arange(len(wide))
        while todo.size:
            busy = lo < hi
            todo, lo, hi, base, target = todo[busy], lo[busy], hi[busy], base[busy], target[busy]
            mid = (lo + hi) >> 1
            right = hazard[base + mid] < target
            lo = np.where(right, mid + 1, lo)
            hi = np.where(right, hi, mid)
            result[wide[todo]] = lo
    return result


_SCAN_DAYS = 4  # window days checked one by one before bisecting


def policy_delay_days(policy: str, due_offsets: npt.NDArray[np.integer[Any]],
                      earliest_offsets: npt.NDArray[np.integer[Any]], as_of_weekday: int,
                      run_weekdays: tuple[int, ...]) -> npt.NDArray[np.int32]:
    """Return payment offsets for a fixed payables policy: on the due date, or at the next payment run."""
    pay: npt.NDArray[np.integer[Any]] = np.maximum(due_offsets, earliest_offsets)
    if policy == "payment_run":
        weekday = (as_of_weekday + pay) % 7
        wait = np.full(pay.shape, 7, dtype=np.int64)
        for run in run_weekdays:  # a handful of weekdays, not a loop over invoices
            wait = np.minimum(wait, (run - weekday) % 7)
        pay = pay + wait
    return pay.astype(np.int32)


def roll_offsets(offsets: npt.NDArray[np.integer[Any]],
                 roll_table: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    """Return offsets moved to the next business day through a precomputed table; NEVER stays NEVER.

    Offsets <= 0 can only be non-business days between the last business day and as-of: they roll like as-of.
    """
    offsets = np.asarray(offsets)
    table = np.asarray(roll_table, dtype=np.int64)
    # Days to add at each offset inside the table, 0 beyond it: offset + shift[min(offset, n)] in one gather.
    shift = np.append(table - np.arange(len(table)), 0)
    if offsets.ndim < 2:
        return _rolled(offsets, shift)
    out = np.empty(offsets.shape, dtype=np.int32)
    step = max(1, _CHUNK_CELLS // max(int(np.prod(offsets.shape[1:])), 1))
    for start in range(0, len(offsets), step):  # by blocks: no full-size temporaries
        out[start:start + step] = _rolled(offsets[start:start + step], shift)
    return out


def _rolled(offsets: npt.NDArray[np.integer[Any]], shift: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    """Return one block of roll_offsets (offsets <= 0 roll like 0; NEVER and beyond become NEVER)."""
    day = np.maximum(offsets, 0).astype(np.int64)
    day += shift[np.minimum(day, len(shift) - 1)]
    capped: npt.NDArray[np.int64] = np.minimum(day, NEVER)
    return capped.astype(np.int32)


def quantile_offsets(offsets: npt.NDArray[np.integer[Any]], quantile: float = 0.5) -> npt.NDArray[np.float64]:
    """Return each row's offset quantile among draws that get paid, as a drawn day (NaN when none is paid)."""
    finite = np.where(offsets >= NEVER, np.nan, offsets.astype(float))
    paid = ~np.all(np.isnan(finite), axis=1)
    out = np.full(len(finite), np.nan)
    if paid.any():
        out[paid] = np.nanquantile(finite[paid], quantile, axis=1, method="lower")
    return out
