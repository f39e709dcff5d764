"""Each counterparty's drift: how many days its delay moves per year, shrunk by the ledger's own prior (empirical Bayes).

A client paying a day earlier every month is forecast late by a model that weighs two years of history, however
the weights decay. The drift is the slope of its delays against issue dates, on invoices old enough to have been
paid (due at least `SETTLED_AFTER_DAYS` before as-of; one still open then counts at that many days late, the cap of
every delay here, so unpaid recent invoices cannot fake an improving trend), undisputed, capped to
[`DELAY_FLOOR_DAYS`, `SETTLED_AFTER_DAYS`]. Each slope is shrunk under a prior the counterparties themselves give
(empirical Bayes, fitted by EM): some have no drift, the others drift around a common mu with spread tau^2 (mu is
0 when drifts go both ways, the client base's own trend when it moves as one); a slope within its noise of the
prior is pulled to it, a clear one is kept. Then every invoice's delay is moved by the drift from its issue date to as-of (capped
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
    """Return each slope's posterior mean under a prior fitted by EM: none (the steady) or N(mu, tau2) (the drifters).

    Most counterparties keep their habits and a few drift far: a single normal prior would shrink the few towards
    the many. Each estimate b ~ pi N(0, se2) + (1 - pi) N(mu, tau2 + se2); the posterior mean is
    P(drifter | b) * (b tau2 + mu se2) / (tau2 + se2). The drifters' centre mu is 0 (drifts go both ways) unless the
    ledger shows a common drift, its client base paying earlier (or later) as one: then a client's noisy slope is
    shrunk towards that drift, not towards none. A free mu must earn its parameter (BIC), or noise would make one.
    """
    b, s2 = slope[ok], se2[ok]
    prior = _fit_prior(b, s2, free_centre=False)
    common = _fit_prior(b, s2, free_centre=True)
    if common[3] - prior[3] > 0.5 * np.log(len(b)):
        prior = common
    share_steady, mu, tau2, _ = prior
    out = np.zeros(len(slope))
    drifter = _drifter_probability(b, s2, share_steady, mu, tau2)
    out[ok] = drifter * (b * tau2 + mu * s2) / (tau2 + s2)
    return out


def _fit_prior(b: npt.NDArray[np.float64], s2: npt.NDArray[np.float64],
               free_centre: bool) -> tuple[float, float, float, float]:
    """Return (share steady, mu, tau2, log-likelihood) of the slopes' prior fitted by EM (mu = 0 unless free)."""
    share_steady, mu, tau2 = 0.5, 0.0, max(float(np.mean(b * b)), 1e-6)
    for _ in range(EM_ITERATIONS):
        drifter = _drifter_probability(b, s2, share_steady, mu, tau2)
        share_steady = float(np.clip(1.0 - drifter.mean(), 0.01, 0.99))
        if free_centre:
            precision = drifter / (tau2 + s2)
            mu = float(np.sum(precision * b) / max(float(precision.sum()), 1e-12))
        tau2 = max(float(np.sum(drifter * ((b - mu) ** 2 - s2)) / max(float(drifter.sum()), 1e-9)), 1e-6)
    steady = share_steady * np.exp(-0.5 * b * b / s2) / np.sqrt(2.0 * np.pi * s2)
    total = tau2 + s2
    drifting = (1.0 - share_steady) * np.exp(-0.5 * (b - mu) ** 2 / total) / np.sqrt(2.0 * np.pi * total)
    return share_steady, mu, tau2, float(np.sum(np.log(np.maximum(steady + drifting, 1e-300))))


def _drifter_probability(b: npt.NDArray[np.float64], s2: npt.NDArray[np.float64], share_steady: float,
                         mu: float, tau2: float) -> npt.NDArray[np.float64]:
    """Return P(drifter | slope) for slopes b with sampling variances s2."""
    def log_density(centre: float, variance: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Return the log normal density of the slopes."""
        out: npt.NDArray[np.float64] = -0.5 * (np.log(2.0 * np.pi * variance) + (b - centre) ** 2 / variance)
        return out

    steady = np.log(share_steady) + log_density(0.0, s2)
    drifting = np.log(1.0 - share_steady) + log_density(mu, s2 + tau2)
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
