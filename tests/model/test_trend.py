"""Tests of forecasting.model.trend: each counterparty's drift, shrunk by the ledger's own prior, and the delays it moves."""

from __future__ import annotations

import numpy as np

from forecasting.model.trend import MAX_SHIFT_DAYS, detrended_delays, drift_days_per_year

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
            "disputed": np.zeros(len(cp), bool)}


def _drift(h: dict[str, np.ndarray], n: int, as_of: int) -> np.ndarray:
    """Return the drift of each of the n counterparties at as_of."""
    return drift_days_per_year(h["cp_index"], n, h["issue_day"], h["due_day"], h["delay_days"], h["disputed"], as_of)


def test_a_steady_drift_is_measured_and_steady_clients_have_none():
    h = _history([-6.0] * 5 + [0.0] * 5, noise_sd=0.5)
    drift = _drift(h, 10, int(h["issue_day"].max()) + 110)
    np.testing.assert_allclose(drift[:5], -6.0, atol=0.3)
    np.testing.assert_allclose(drift[5:], 0.0, atol=0.3)


def test_a_client_base_drifting_as_one_is_shrunk_towards_its_common_drift_not_towards_none():
    # 40 clients all paying 6 days a year earlier, each slope buried in noise (30 days: its standard error about
    # 30 / sqrt(36 * 9 / 12) = 5.8 days a year). Shrunk towards none, most would keep little of their drift (and
    # some would turn positive); shrunk towards the ledger's common drift, each gets about that drift. The delays
    # capped at [-30, +60] days flatten the slopes a little (about -5 here, not -6).
    h = _history([-6.0] * 40, noise_sd=30.0, seed=5)
    drift = _drift(h, 40, int(h["issue_day"].max()) + 90)
    assert drift.min() >= -7.0 and drift.max() <= -4.0


def test_noise_alone_gives_almost_no_drift():
    h = _history([0.0] * 10, noise_sd=8.0, seed=3)
    assert np.abs(_drift(h, 10, int(h["issue_day"].max()) + 90)).max() < 0.5


def test_identical_delays_give_no_drift_and_no_error():
    h = _history([0.0] * 4, noise_sd=0.0)  # a perfect fit: no residual spread at all
    assert (_drift(h, 4, int(h["issue_day"].max()) + 90) == 0).all()


def test_recent_unpaid_invoices_do_not_fake_an_improvement():
    # A steady client (10 days late) whose last two invoices are still open, 20 and 50 days after their due date.
    h = _history([0.0] * 6, noise_sd=0.5)
    as_of = int(h["issue_day"].max()) + 80  # the last invoice is due 50 days before as-of: too recent to count
    last = np.flatnonzero(h["issue_day"] == h["issue_day"].max())
    h["delay_days"][last] = 50  # open: known to exceed 50
    assert np.abs(_drift(h, 6, as_of)).max() < 0.5


def test_each_delay_moves_by_its_drift_since_issue_and_the_move_is_capped():
    delay = np.array([20, 20, 20, 5])
    cp = np.array([0, 0, 0, -1])  # the last one has no counterparty row of its own: it does not move
    issue = np.array([1000, 1000 + 365, 1000 + 730, 1000])
    moved = detrended_delays(delay, cp, issue, np.array([-6.0]), 1000 + 730 + 365)
    np.testing.assert_array_equal(moved, [20 - 18, 20 - 12, 20 - 6, 5])
    far = detrended_delays(np.array([0]), np.array([0]), np.array([0]), np.array([-40.0]), 3 * 365)
    assert far[0] == -MAX_SHIFT_DAYS
