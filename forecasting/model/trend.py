"""Each counterparty's drift: how many days its delay moves per year, shrunk towards none (empirical Bayes).

A client paying a day earlier every month is forecast late by a model that weighs two years of history, however
the weights decay. The drift is the slope of its delays against issue dates, on invoices old enough to have been
paid (due at least `SETTLED_AFTER_DAYS` before as-of; one still open then counts at that many days late, the cap of
every delay here, so unpaid recent invoices cannot fake an improving trend), undisputed, capped to
[`DELAY_FLOOR_DAYS`, `SETTLED_AFTER_DAYS`]. Each slope is shrunk by tau^2 / (tau^2 + se^2), tau^2 the spread of
true slopes around none across counterparties (moments: mean square of the estimates minus their mean squared
error): noise alone gives no drift, a drift every client shares is kept. The shift applied is the drift times the distance from the weighted centre of the history
the model learned from to as-of, capped at `MAX_SHIFT_DAYS`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SETTLED_AFTER_DAYS = 60
DELAY_FLOOR_DAYS = -30
MIN_INVOICES = 6  # a counterparty with fewer has no slope of its own
MAX_SHIFT_DAYS = 30
_DAYS_PER_YEAR = 365.25


def drift_shift_days(cp_index: npt.NDArray[np.int64], n_counterparties: int, issue_day: npt.NDArray[np.int64],
                     due_day: npt.NDArray[np.int64], delay_days: npt.NDArray[np.int64], disputed: npt.NDArray[np.bool_],
                     weight: npt.NDArray[np.float64], as_of_day: int) -> npt.NDArray[np.int64]:
    """Return each counterparty row's shift in days (its drift carried from its history's centre to as-of)."""
    shift = np.zeros(n_counterparties, dtype=np.int64)
    use = (cp_index >= 0) & ~disputed & (due_day <= as_of_day - SETTLED_AFTER_DAYS)
    if use.sum() < 2 * MIN_INVOICES:
        return shift
    who = cp_index[use]
    t = issue_day[use] / _DAYS_PER_YEAR
    d = np.clip(delay_days[use], DELAY_FLOOR_DAYS, SETTLED_AFTER_DAYS).astype(float)
    n = np.bincount(who, minlength=n_counterparties).astype(float)
    ok = n >= MIN_INVOICES
    safe_n = np.maximum(n, 1.0)
    t_mean = np.bincount(who, weights=t, minlength=n_counterparties) / safe_n
    d_mean = np.bincount(who, weights=d, minlength=n_counterparties) / safe_n
    dt, dd = t - t_mean[who], d - d_mean[who]
    sxx = np.bincount(who, weights=dt * dt, minlength=n_counterparties)
    sxy = np.bincount(who, weights=dt * dd, minlength=n_counterparties)
    ok &= sxx > 1e-6
    slope = np.divide(sxy, sxx, out=np.zeros(n_counterparties), where=ok)
    residual = dd - slope[who] * dt
    rss = np.bincount(who, weights=residual * residual, minlength=n_counterparties)
    se2 = np.divide(rss / np.maximum(n - 2.0, 1.0), sxx, out=np.full(n_counterparties, np.inf), where=ok)
    if ok.sum() < 3:
        return shift
    tau2 = max(float(np.mean(slope[ok] ** 2) - np.mean(se2[ok])), 0.0)  # true slopes ~ N(0, tau2)
    # No spread of true slopes (tau2 = 0) is no drift, even where a perfect fit gives se2 = 0.
    factor = np.divide(tau2, tau2 + se2, out=np.zeros(n_counterparties), where=ok & (tau2 + se2 > 0))
    shrunk = np.where(ok, slope * factor, 0.0)
    # The model's history is centred where its (recency-weighted) invoices are: the drift runs on from there.
    mine = cp_index >= 0
    w_sum = np.bincount(cp_index[mine], weights=weight[mine], minlength=n_counterparties)
    w_t = np.bincount(cp_index[mine], weights=weight[mine] * issue_day[mine], minlength=n_counterparties)
    centre = np.divide(w_t, w_sum, out=np.full(n_counterparties, float(as_of_day)), where=w_sum > 0)
    years = (as_of_day - centre) / _DAYS_PER_YEAR
    shift[:] = np.rint(np.clip(np.nan_to_num(shrunk * years), -MAX_SHIFT_DAYS, MAX_SHIFT_DAYS)).astype(np.int64)
    return shift


def shifted_hazards(hazard: npt.NDArray[np.float64], shift: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Return daily hazard rows moved by each row's shift in days (later when positive), in place."""
    n_grid = hazard.shape[-1]
    for days in np.unique(shift[(shift != 0) & (np.abs(shift) < n_grid)]):  # a few dozen distinct shifts at most
        rows = np.flatnonzero(shift == days)
        block = hazard[rows]
        moved = np.zeros_like(block)
        if days > 0:  # nobody pays in the first `days` days of the grid any more
            moved[:, days:] = block[:, :-days]
        else:  # the curve starts later in the grid; its last hazard holds on at the end
            moved[:, :days] = block[:, -days:]
            moved[:, days:] = block[:, -1:]
        hazard[rows] = moved
    return hazard
