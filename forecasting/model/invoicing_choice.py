"""Future invoicing: candidate weekly forecasts, chosen by rolling-origin errors, with a band sized by them.

Criterion: each candidate forecasts the HORIZON weeks after each origin (ORIGINS weeks before the history's end)
from the weeks before it; its score is the mean over origins of |cumulative error| / actual total plus the weekly
WAPE, and the lowest score wins (ties: the default of the history's length). The band's level uncertainty is then
set so that the chosen model's cumulative errors at those origins sit at their root mean square inside P10-P90
(a normal's 80 %), never below what the in-sample residuals give.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SEASON_WEEKS = 52
MIN_SEASONAL_WEEKS = 2 * SEASON_WEEKS  # yearly seasonality by ETS needs two full years to be told from noise
FALLBACK_WEEKS = 13  # short history: the mean of the last quarter, spread by its own weekly noise
MIN_ETS_WEEKS = 2 * FALLBACK_WEEKS
MIN_PROFILE_WEEKS = SEASON_WEEKS + 4  # last year's weeks, scaled by at least a month compared with a year before
HORIZON = 13  # each origin is scored over the quarter after it
ORIGINS = (13, 26)  # weeks before the history's end
RATIO_BOUNDS = (0.5, 2.0)  # year-on-year growth read from a quarter: beyond this it is a break, not a rate
Z80 = 1.2816  # P10-P90 of a normal is +-1.2816 sd

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Candidate:
    """One weekly forecast method fitted on the history: its forecast from any origin and its in-sample noise."""

    method: str
    min_origin: int  # weeks of history an origin needs for this method
    forecast_from: Callable[[int, int], Floats]  # (weeks of history used, steps) -> point forecast
    residuals: Floats
    n_params: int


TREND_METHOD = "ets_damped"
TREND_MARGIN = 0.10  # the trend model must score at least 10 % better than the best one without a trend


def mean_candidate(y: Floats) -> Candidate:
    """Return the mean of the last 13 weeks."""
    recent = y[-FALLBACK_WEEKS:]
    return Candidate("mean_last_13_weeks", FALLBACK_WEEKS,
                     lambda t, steps: np.full(steps, y[max(0, t - FALLBACK_WEEKS):t].mean()),
                     recent - recent.mean(), 1)


def profile_point(y: Floats, steps: int) -> Floats:
    """Return last year's weeks (lightly smoothed) scaled by the recent quarter against the same quarter a year before."""
    n = len(y)
    padded = np.r_[y[:1], y, y[-1:]]
    smooth = 0.25 * padded[:-2] + 0.5 * padded[1:-1] + 0.25 * padded[2:]  # one week either side: timing noise
    k = min(FALLBACK_WEEKS, n - SEASON_WEEKS)
    before = y[n - SEASON_WEEKS - k:n - SEASON_WEEKS].sum()
    ratio = float(np.clip(y[n - k:].sum() / before, *RATIO_BOUNDS)) if before > 0 else 1.0
    h = np.arange(steps)
    point: Floats = smooth[n + h - SEASON_WEEKS * (h // SEASON_WEEKS + 1)] * ratio  # the same week a year before
    return point


def profile_candidate(y: Floats) -> Candidate:
    """Return last year's profile; its noise is each week's distance to its neighbours' mean (sd-corrected)."""
    noise = (y[1:-1] - 0.5 * (y[:-2] + y[2:])) * np.sqrt(2.0 / 3.0)  # var(y - mean of 2 neighbours) = 1.5 sd^2
    return Candidate("last_year_profile", MIN_PROFILE_WEEKS, lambda t, steps: profile_point(y[:t], steps), noise, 1)


def ets_candidate(y: Floats, kind: str) -> Candidate:
    """Return a statsmodels ETS fitted once; origin forecasts filter its states with those parameters (no refit)."""
    # Initial states from statsmodels' heuristic decomposition, only the smoothing parameters optimised: with the
    # 52 seasonal states estimated too, the optimiser stopped at different optima depending on the CPU's OpenBLAS
    # kernels (the demo's supplier invoicing: method and closing cash changed with the machine). Same accuracy in
    # the demo backtests, same cost (tests/model/test_invoicing_blas.py, bench/RESULTS.md session 16).
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    trend, seasonal = kind != "level", kind == "seasonal"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the optimiser is not actionable here
        fit = ExponentialSmoothing(
            y, trend="add" if trend else None, damped_trend=trend, seasonal="add" if seasonal else None,
            seasonal_periods=SEASON_WEEKS if seasonal else None, initialization_method="heuristic").fit()
    level = np.asarray(fit.level, dtype=float)
    slope = np.asarray(fit.trend, dtype=float) if trend else np.zeros(len(y))
    season = np.asarray(fit.season, dtype=float) if seasonal else None
    phi = float(fit.params["damping_trend"]) if trend else 1.0

    def forecast_from(t: int, steps: int) -> Floats:
        """Return the forecast from the filtered state after t weeks (as statsmodels' forecast does at t = n)."""
        h = np.arange(1, steps + 1)
        point: Floats = level[t - 1] + np.cumsum(phi ** h) * slope[t - 1]
        if season is not None:
            point = point + season[t - 1 + h - SEASON_WEEKS * ((h - 1) // SEASON_WEEKS + 1)]
        return point

    method = {"seasonal": "ets_seasonal_damped", "damped": "ets_damped", "level": "ets_level"}[kind]
    min_origin = MIN_PROFILE_WEEKS if seasonal else MIN_ETS_WEEKS  # states from the full fit: a year is enough
    return Candidate(method, min_origin, forecast_from, np.asarray(fit.resid, dtype=float), int(fit.k))


def candidates(y: Floats) -> list[Candidate]:
    """Return the candidates a history of len(y) weeks supports, the default of its length first."""
    n = len(y)
    if n < MIN_ETS_WEEKS:
        return [mean_candidate(y)]
    out = [ets_candidate(y, "seasonal")] if n >= MIN_SEASONAL_WEEKS else []
    out += [ets_candidate(y, "damped"), ets_candidate(y, "level")]
    if n >= MIN_PROFILE_WEEKS:  # also past two years: the only seasonal candidate scored on 104-116 weeks
        out.append(profile_candidate(y))
    return [*out, mean_candidate(y)]


def origin_errors(y: Floats, candidate: Candidate) -> tuple[Floats, Floats]:
    """Return (cumulative error, score) of the candidate at each origin it can run at, nearest origin first."""
    cum, score = [], []
    for back in ORIGINS:
        t = len(y) - back
        if t < candidate.min_origin:
            break
        actual = y[t:t + HORIZON]
        error = actual - candidate.forecast_from(t, len(actual))
        scale = max(float(np.abs(actual).sum()), 1e-9)
        cum.append(float(error.sum()))
        score.append(abs(float(error.sum())) / scale + float(np.abs(error).sum()) / scale)
    return np.array(cum), np.array(score)


def choose(y: Floats) -> tuple[Candidate, Floats]:
    """Return the candidate with the lowest mean score over the origins all scored candidates share, and its errors.

    Candidates that cannot run at the nearest origin are not scored; with fewer than two scored, the default of
    the history's length (seasonal ETS, damped ETS, mean of 13 weeks) is kept, with no measured errors.
    """
    pool = candidates(y)
    errors = [origin_errors(y, c) for c in pool]
    scored = [i for i, (cum, _) in enumerate(errors) if len(cum)]
    if len(scored) < 2:
        return pool[0], np.array([])
    shared = min(len(errors[i][0]) for i in scored)  # origins are nested: nearest first
    mean_score = {i: float(errors[i][1][:shared].mean()) for i in scored}
    best = min(scored, key=lambda i: (mean_score[i], i))
    steady = [i for i in scored if pool[i].method != TREND_METHOD]
    if pool[best].method == TREND_METHOD and steady:
        # A trend is carried through the whole horizon, a year at 52 weeks, while the origins score 13 weeks: it
        # must win clearly. One quarter's rise read as a trend put a year of purchases 30 % too high in a backtest.
        runner_up = min(steady, key=lambda i: (mean_score[i], i))
        if mean_score[best] > (1.0 - TREND_MARGIN) * mean_score[runner_up]:
            best = runner_up
    return pool[best], errors[best][0][:shared]


def band_paths(point: Floats, candidate: Candidate, cum_errors: Floats, n_sims: int,
               rng: np.random.Generator) -> Floats:
    """Return [steps, n_sims] paths: the point, times a per-path level error, plus bootstrapped weekly noise.

    The level error's sd makes the 13-week total's P10-P90 cover the origins' cumulative errors at their root mean
    square (noise accounted for), at least the standard error of a 13-week mean; it is constant over the measured
    quarter and grows like a random walk's beyond it (x2 at 52 weeks).
    """
    steps = len(point)
    noise = bootstrap(candidate.residuals, len(candidate.residuals), candidate.n_params, steps, n_sims, rng)
    noise_var = float(noise.var()) if noise.size else 0.0
    level_var = noise_var / FALLBACK_WEEKS
    if len(cum_errors):
        level_var = max(level_var, (float(np.mean(cum_errors**2)) - HORIZON * noise_var) / HORIZON**2)
    base = float(point[:HORIZON].mean())
    shape = point / base if base > 0 else np.ones(steps)  # a level error in proportion: a seasonal dip stays a dip
    grow = np.sqrt(np.maximum(np.arange(1, steps + 1), HORIZON) / HORIZON)
    level = np.sqrt(level_var) * rng.standard_normal(n_sims)
    paths: Floats = point[:, None] + (shape * grow)[:, None] * level[None, :] + noise
    return paths


def bootstrap(residuals: Floats, n_obs: int, n_params: int, steps: int, n_sims: int,
              rng: np.random.Generator) -> Floats:
    """Return [steps, n_sims] errors resampled from centred residuals, inflated for the fitted parameters."""
    if not len(residuals):
        return np.zeros((steps, n_sims))
    centred = residuals - residuals.mean()
    # In-sample residuals of a model with p fitted values are smaller than its forecast errors: sqrt((n + p) /
    # (n - p)), the regression ratio, held at its n = 2p value (sqrt 3) on shorter histories where it explodes.
    inflate = np.sqrt((n_obs + n_params) / (n_obs - n_params)) if n_obs > 2 * n_params else np.sqrt(3.0)
    errors: Floats = rng.choice(centred, size=(steps, n_sims)) * inflate
    return errors
