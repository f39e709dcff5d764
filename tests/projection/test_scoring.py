"""Tests of forecasting.projection.scoring: CRPS, quantiles and pinball loss of drawn days, weekly WAPE and band."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.model.payment_days import randomised_pit
from forecasting.projection.scoring import (
    crps_from_draws,
    draw_quantiles,
    pinball_loss,
    score_distribution,
    score_point,
    weekly_scores,
)


def test_crps_of_small_samples_equals_the_hand_value() -> None:
    # {0, 2} against 1: E|X - y| = 1, E|X - X'| = (0 + 2 + 2 + 0) / 4 = 1, CRPS = 1 - 1/2 = 0.5.
    # {1, 2, 3, 4} against 0: E|X - y| = 2.5, E|X - X'| = 2 (1+2+3+1+2+1) / 16 = 1.25, CRPS = 2.5 - 0.625 = 1.875.
    # A single repeated day is a point forecast: its CRPS is its absolute error.
    draws = np.array([[0.0, 2.0, 0.0, 2.0], [1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0]])
    assert crps_from_draws(draws, [1.0, 0.0, 8.0]) == pytest.approx([0.5, 1.875, 3.0])


def test_crps_equals_the_pairwise_definition() -> None:
    rng = np.random.default_rng(3)
    draws = rng.integers(-20, 60, size=(50, 37)).astype(float)
    actual = rng.integers(-10, 50, size=50).astype(float)
    pairwise = (np.abs(draws - actual[:, None]).mean(axis=1)
                - 0.5 * np.abs(draws[:, :, None] - draws[:, None, :]).mean(axis=(1, 2)))
    assert crps_from_draws(draws, actual) == pytest.approx(pairwise)


def test_quantiles_are_drawn_days_and_leave_never_paid_draws_out() -> None:
    # [5, -, 1, 3, -]: three paid draws 1 3 5; P10 = the first (0.3 of a draw), P50 the second, P90 the third
    draws = np.array([[5.0, np.nan, 1.0, 3.0, np.nan], [np.nan] * 5, [4.0, 1.0, 2.0, 3.0, 5.0]])
    q = draw_quantiles(draws)
    assert q[:, 0] == pytest.approx([1.0, 3.0, 5.0])
    assert np.isnan(q[:, 1]).all()
    assert q[:, 2] == pytest.approx([1.0, 3.0, 5.0])


def test_pinball_loss_weighs_each_side_of_the_quantile() -> None:
    # P90 at 10: paid 4 days later costs 0.9 x 4, 4 days earlier 0.1 x 4
    assert pinball_loss([10.0, 10.0], [14.0, 6.0], 0.9) == pytest.approx([3.6, 0.4])


def test_point_and_distribution_scores_call_late_against_the_rolled_due_date() -> None:
    # Due (rolled) on day 7 for both: invoice 1 paid day 7 (on time), invoice 2 paid day 12 (late).
    point = score_point([9.0, 9.0], [7.0, 12.0], [7.0, 7.0])
    assert (point.mae_days, point.bias_days, point.late_accuracy) == (2.5, -0.5, 0.5)
    scores = score_distribution([[6.0, 8.0], [7.0, 10.0], [8.0, 11.0]], [0.4, 0.6], [7.0, 12.0], [7.0, 7.0])
    assert scores.mae_days == 1.0 and scores.bias_days == -1.0 and scores.late_accuracy == 1.0
    # day 7 in [6, 8]; day 12 above P90 11
    assert (scores.coverage_p10_p90, scores.below_p10, scores.above_p90) == (0.5, 0.0, 0.5)
    assert scores.crps_days == pytest.approx(0.5)
    # pinball: invoice 1: P10 0.1, P50 0, P90 0.1; invoice 2: P10 0.4, P50 1, P90 0.9; averaged over both
    assert scores.pinball_days == pytest.approx(((0.1 + 0.0 + 0.1) / 3 + (0.4 + 1.0 + 0.9) / 3) / 2)


def test_mean_bias_scores_the_mean_day_where_bias_scores_the_median() -> None:
    # Paid days 10 and 30; medians 10 and 10 (bias (0 - 20) / 2 = -10), means 14 and 14 (bias (4 - 16) / 2 = -6).
    quantiles = [[8.0, 8.0], [10.0, 10.0], [30.0, 30.0]]
    scores = score_distribution(quantiles, [1.0, 1.0], [10.0, 30.0], [5.0, 5.0], mean=[14.0, 14.0])
    assert scores.bias_days == -10.0 and scores.mean_bias_days == -6.0
    assert np.isnan(score_distribution(quantiles, [1.0, 1.0], [10.0, 30.0], [5.0, 5.0]).mean_bias_days)  # no means


def test_scores_of_no_invoice_are_nan() -> None:
    scores = score_distribution(np.zeros((3, 0)), [], [], [])
    assert np.isnan(scores.mae_days) and np.isnan(scores.coverage_p10_p90) and np.isnan(scores.crps_days)


def test_weekly_scores_by_hand() -> None:
    # actual 100 and 100; forecast 110 and 80: WAPE (10 + 20) / 200, bias -10 / 200; week 2 outside [90, 95]
    weekly = weekly_scores([100.0, 100.0], [110.0, 80.0], [90.0, 90.0], [120.0, 95.0], [130.0, 100.0])
    assert weekly.wape == pytest.approx(0.15) and weekly.bias == pytest.approx(-0.05)
    assert weekly.coverage_p10_p90 == 0.5 and weekly.n_weeks == 2
    assert weekly.baseline_run_rate_wape == pytest.approx(0.15) and weekly.baseline_run_rate_bias == pytest.approx(0.15)
    assert np.isnan(weekly_scores([0.0], [5.0], [0.0], [9.0], [1.0]).wape)  # nothing moved: no relative error


def test_the_randomised_pit_splits_ties_and_gives_about_80_percent_in_range_on_a_lattice() -> None:
    rng = np.random.default_rng(0)
    pit = randomised_pit(np.array([[1.0, 2.0, 3.0, 4.0]] * 1000), np.full(1000, 2.0), rng)
    # One draw below, one tied: the real day's rank among the five values is 1 or 2, the transform in [1/5, 3/5).
    assert pit.min() >= 0.2 and pit.max() <= 0.6 and abs(pit.mean() - 0.4) < 0.01
    # Unpaid through day 2: above the two draws on or before it, rank 2, 3 or 4: the transform in [2/5, 1).
    unpaid = randomised_pit(np.array([[1.0, 2.0, 3.0, 4.0]] * 1000), np.full(1000, 2.0), rng,
                            censored=np.ones(1000, bool))
    assert unpaid.min() >= 0.4 and unpaid.max() <= 1.0 and abs(unpaid.mean() - 0.7) < 0.01
    # A supplier always paid on the forecast Thursday: P10 = P90 = that day (coverage 100 %), the PIT says 80 %.
    sure = randomised_pit(np.full((5000, 40), 7.0), np.full(5000, 7.0), rng)
    assert abs(((sure >= 0.1) & (sure <= 0.9)).mean() - 0.8) < 0.02
    assert np.isnan(randomised_pit(np.ones((1, 3)), np.array([np.nan]), rng)[0])


def test_the_randomised_pit_of_a_calibrated_model_is_uniform_with_few_draws() -> None:
    # The real day drawn like its 32 draws: its rank among the 33 is uniform on 0..32. Over the draws alone (rank / 32)
    # ranks 0..3 fell under 0.1: 4/33 = 12.1 % each tail, a calibrated range read as 75.8 % wide.
    rng = np.random.default_rng(1)
    pit = randomised_pit(rng.normal(size=(40_000, 32)), rng.normal(size=40_000), rng)
    assert (pit < 0.1).mean() == pytest.approx(0.10, abs=0.005) and (pit > 0.9).mean() == pytest.approx(0.10, abs=0.005)
