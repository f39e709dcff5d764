"""Tests of forecasting.model.payment_days: the settlement classes of profiles."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from forecasting.model.payment_days import _settle_classes

WEEKDAYS = np.array([[1, 1, 1, 1, 1, 0, 0],   # Monday to Friday
                     [0, 0, 0, 1, 0, 0, 0],   # Thursdays only
                     [1, 1, 1, 1, 1, 0, 0],   # Monday to Friday again
                     [1, 1, 1, 1, 1, 1, 1]], dtype=bool)  # every day
AVOIDS = np.array([True, True, True, False])


def test_profiles_with_the_same_days_share_a_class_in_the_order_numpy_unique_gives():
    classes, of_profile = _settle_classes(SimpleNamespace(settle_weekdays=WEEKDAYS, avoid_holidays=AVOIDS,
                                                                settle_month_end=None))
    # Rows sorted as tuples of booleans (False first): Thursdays only, then Monday-Friday, then every day.
    assert classes.tolist() == [[0, 0, 0, 1, 0, 0, 0, 1], [1, 1, 1, 1, 1, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1, 0]]
    assert of_profile.tolist() == [1, 0, 1, 2]
    expected, inverse = np.unique(np.column_stack([WEEKDAYS, AVOIDS]), axis=0, return_inverse=True)
    assert np.array_equal(classes, expected) and np.array_equal(of_profile, inverse.reshape(-1))


def test_many_random_profiles_give_numpy_uniques_classes():
    rng = np.random.default_rng(4)
    weekdays, avoids = rng.random((500, 7)) < 0.6, rng.random(500) < 0.5
    classes, of_profile = _settle_classes(SimpleNamespace(settle_weekdays=weekdays, avoid_holidays=avoids,
                                                                settle_month_end=None))
    expected, inverse = np.unique(np.column_stack([weekdays, avoids]), axis=0, return_inverse=True)
    assert classes.dtype == bool and np.array_equal(classes, expected)
    assert np.array_equal(of_profile, inverse.reshape(-1))
