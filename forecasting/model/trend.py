"""Each counterparty's drift: how many days its delay moves per year, shrunk towards none (empirical Bayes).

A client paying a day earlier every month is forecast late by a model that weighs two years of history, however
the weights decay. The drift is the slope of its delays against issue dates, on invoices old enough to have been
paid (due at least `SETTLED_AFTER_DAYS` before as-of; one still open then counts at that many days late, the cap of
every delay here, so unpaid recent invoices cannot fake an improving trend), undisputed, capped to
[`DELAY_FLOOR_DAYS`, `SETTLED_AFTER_DAYS`]. Each slope is shrunk under a prior the counterparties themselves give
(empirical Bayes, fitted by EM): most have no drift, some drift with spread tau^2; a slope within its noise of none
is none, a clear one is kept. Then every invoice's delay is moved by the drift from its issue date to as-of (capped
at `MAX_SHIFT_DAYS`) before the curves are learned, so a drifting client's curve is centred on where it is now and
as narrow as its habits.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SETTLED_AFTER_DAYS = 60
DELAY_FLOOR_DAYS = -30
MIN_INVOICES = 6  # a counterparty with fewer has no slope of its own
MAX_SHIFT_DAYS = 30
EM_ITERATIONS = 50
_DAYS_PER_YEAR = 365.25


def drift_days_per_year(cp_index: npt.NDArray[np.int64], n_counterparties: int, issue_day: npt.NDArray[np.int64],
                        due_day: npt.NDArray[np.int64], delay_days: npt.NDArray[np.int64],
                        disputed: npt.NDArray[np.bool_], as_of_day: int) -> npt.NDArray[np.float64]:
    """Return each counterparty row's drift in days per year, shrunk towards none (0 without enough history)."""
    drift = np.zeros(n_counterparties)
    use = (cp_index >= 0) & ~disputed & (due_day <= as_of_day - SETTLED_AFTER_DAYS)
    if use.sum() < 2 * MIN_INVOICES:
        return drift
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
    # Delays are whole days: a residual spread under a day is rounding, not a precision to trust.
    se2 = np.divide(np.maximum(rss / np.maximum(n - 2.0, 1.0), 1.0), sxx, out=np.full(n_counterparties, np.inf),
                    where=ok)
    if ok.sum() < 3:
        return drift
    drift[:] = np.where(ok, _posterior_mean(np.where(ok, slope, 0.0), np.where(ok, se2, 1.0), ok), 0.0)
    return drift


def _posterior_mean(slope: npt.NDArray[np.float64], se2: npt.NDArray[np.float64],
                    ok: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Return each slope's posterior mean under a prior fitted by EM: none (most) or N(0, tau2) (the drifters).

    Most counterparties keep their habits and a few drift far: a single normal prior would shrink the few towards
    the many. Each estimate b ~ pi N(0, se2) + (1 - pi) N(0, tau2 + se2); the posterior mean is
    P(drifter | b) * b * tau2 / (tau2 + se2).
    """
    b2, s2 = slope[ok] ** 2, se2[ok]
    share_steady, tau2 = 0.5, max(float(np.mean(b2)), 1e-6)
    for _ in range(EM_ITERATIONS):
        drifter = _drifter_probability(b2, s2, share_steady, tau2)
        share_steady = float(np.clip(1.0 - drifter.mean(), 0.01, 0.99))
        tau2 = max(float(np.sum(drifter * (b2 - s2)) / max(float(drifter.sum()), 1e-9)), 1e-6)
    out = np.zeros(len(slope))
    drifter = _drifter_probability(b2, s2, share_steady, tau2)
    out[ok] = drifter * slope[ok] * tau2 / (tau2 + s2)
    return out


def _drifter_probability(b2: npt.NDArray[np.float64], s2: npt.NDArray[np.float64], share_steady: float,
                         tau2: float) -> npt.NDArray[np.float64]:
    """Return P(drifter | slope) for squared slopes b2 with sampling variances s2."""
    def log_density(variance: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Return the log normal density of the slopes, centred on none."""
        out: npt.NDArray[np.float64] = -0.5 * (np.log(2.0 * np.pi * variance) + b2 / variance)
        return out

    steady = np.log(share_steady) + log_density(s2)
    drifting = np.log(1.0 - share_steady) + log_density(s2 + tau2)
    probability: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(np.clip(steady - drifting, -50.0, 50.0)))
    return probability


def detrended_delays(delay_days: npt.NDArray[np.int64], cp_index: npt.NDArray[np.int64],
                     issue_day: npt.NDArray[np.int64], drift_per_year: npt.NDArray[np.float64],
                     as_of_day: int) -> npt.NDArray[np.int64]:
    """Return each invoice's delay as it would be at as-of: moved by its counterparty's drift since its issue."""
    mine = cp_index >= 0
    years = (as_of_day - issue_day) / _DAYS_PER_YEAR
    move = np.where(mine, drift_per_year[np.maximum(cp_index, 0)] * years, 0.0)
    moved: npt.NDArray[np.int64] = delay_days + np.rint(np.clip(move, -MAX_SHIFT_DAYS, MAX_SHIFT_DAYS)).astype(np.int64)
    return moved
