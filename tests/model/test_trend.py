"""Tests of forecasting.model.trend: each counterparty's drift, shrunk towards none, and the curves it moves."""

from __future__ import annotations

import numpy as np

from forecasting.model.trend import MAX_SHIFT_DAYS, drift_shift_days, shifted_hazards

DAY0 = 20_000  # days since 1970 (2024-10-04)


def _history(slopes_per_year: list[float], noise_sd: float, seed: int = 0) -> dict[str, np.ndarray]:
    """Return 36 monthly invoices per counterparty whose delay moves by its slope (days per year) plus noise."""
    rng = np.random.default_rng(seed)
    n = 36
    cp = np.repeat(np.arange(len(slopes_per_year)), n)
    issue = DAY0 + np.tile(np.arange(n) * 30, len(slopes_per_year))
    years = (issue - issue.max()) / 365.25
    delay = np.rint(10 + np.repeat(slopes_per_year, n) * years + rng.normal(0, noise_sd, len(cp))).astype(np.int64)
    return {"cp_index": cp, "issue_day": issue, "due_day": issue + 30, "delay_days": delay,
            "disputed": np.zeros(len(cp), bool), "weight": np.ones(len(cp))}


def test_a_steady_drift_is_carried_from_the_history_centre_to_as_of():
    # Ten clients improving by 6 days a year, little noise: the history's centre is 1.5 years before the last
    # invoice, as-of is 0.3 years after it (the last 60 days' invoices are too recent to count): 6 x 1.8 = 10.8.
    h = _history([-6.0] * 5 + [0.0] * 5, noise_sd=0.5)
    as_of = int(h["issue_day"].max()) + 110
    shift = drift_shift_days(h["cp_index"], 10, h["issue_day"], h["due_day"], h["delay_days"], h["disputed"],
                             h["weight"], as_of)
    centre_to_as_of_years = (as_of - h["issue_day"][:36].mean()) / 365.25
    assert np.all(np.abs(shift[:5] - np.rint(-6.0 * centre_to_as_of_years)) <= 1)
    assert np.all(np.abs(shift[5:]) <= 1)


def test_noise_alone_gives_no_drift():
    h = _history([0.0] * 10, noise_sd=8.0, seed=3)
    shift = drift_shift_days(h["cp_index"], 10, h["issue_day"], h["due_day"], h["delay_days"], h["disputed"],
                             h["weight"], int(h["issue_day"].max()) + 90)
    assert np.abs(shift).max() <= 1


def test_identical_delays_give_no_drift_and_no_error():
    h = _history([0.0] * 4, noise_sd=0.0)  # a perfect fit: no residual spread at all
    shift = drift_shift_days(h["cp_index"], 4, h["issue_day"], h["due_day"], h["delay_days"], h["disputed"],
                             h["weight"], int(h["issue_day"].max()) + 90)
    assert (shift == 0).all()


def test_a_shift_moves_the_whole_curve_and_is_capped():
    hazard = np.zeros((3, 12))
    hazard[:, 5] = 1.0  # everyone pays on grid day 5
    moved = shifted_hazards(hazard.copy(), np.array([2, -3, 0]))
    assert [int(np.argmax(row)) for row in moved] == [7, 2, 5]
    h = _history([-40.0] * 6, noise_sd=0.5)  # a drift far beyond what a forecast should extrapolate
    shift = drift_shift_days(h["cp_index"], 6, h["issue_day"], h["due_day"], h["delay_days"], h["disputed"],
                             h["weight"], int(h["issue_day"].max()) + 365)
    assert (shift == -MAX_SHIFT_DAYS).all()
