"""Pooled shares: the one-hot path gives the matrix path's figures to the bit, and a hand-checked pooling."""

from __future__ import annotations

import numpy as np

from forecasting.model.pooling import Hierarchy, pooled_category_shares, pooled_shares, pooled_votes


def _tree() -> Hierarchy:
    """Return 3 counterparties (the last with no row of its own: -1) in 2 segments, 6 observations."""
    return Hierarchy(cp_index=np.array([0, 0, 1, 1, -1, 0]), seg_index=np.array([0, 0, 0, 1, 1, 0]),
                     cp_segment=np.array([0, 0]), n_segments=2)


def test_one_hot_shares_equal_the_matrix_ones_to_the_bit() -> None:
    rng = np.random.default_rng(3)
    n, n_cp, n_seg = 5000, 40, 4
    seg_of_cp = rng.integers(0, n_seg, n_cp)
    cp = rng.integers(-1, n_cp, n)
    seg = np.where(cp >= 0, seg_of_cp[np.maximum(cp, 0)], rng.integers(0, n_seg, n))
    tree = Hierarchy(cp, seg, seg_of_cp, n_seg)
    weekday = rng.integers(0, 7, n)
    weight = rng.random(n) * (rng.random(n) < 0.8)  # some observations weigh 0 (unpaid invoices)
    prior = np.array([0.2] * 5 + [0.0] * 2)
    expected = pooled_shares(np.eye(7)[weekday], weight, tree, prior, 5.0, 20.0, 10.0)
    got = pooled_category_shares(weekday, weight, tree, prior, 5.0, 20.0, 10.0)
    assert got.shape == (n_cp + n_seg + 1, 7)
    assert np.array_equal(got, expected)


def test_one_hot_shares_by_hand() -> None:
    # Categories 0/1 with weights 1: cp 0 has [2, 1] (rows 0, 1, 5), cp 1 has [0, 2] (rows 2, 3);
    # segment 1 holds rows 3 and 4.
    category = np.array([0, 0, 1, 1, 0, 1])
    shares = pooled_category_shares(category, np.ones(6), _tree(), np.array([0.5, 0.5]), 2.0, 1.0, 1.0)
    side = np.array([(3 + 1) / 8, (3 + 1) / 8])  # (own 3 + prior 2 x 0.5) / (6 + 2)
    seg0 = (np.array([2.0, 2.0]) + side) / 5  # rows 0, 1, 2, 5: categories 0, 0, 1, 1
    seg1 = (np.array([1.0, 1.0]) + side) / 3
    cp0 = (np.array([2.0, 1.0]) + seg0) / 4
    cp1 = (np.array([0.0, 2.0]) + seg0) / 3
    assert np.allclose(shares, np.vstack([cp0, cp1, seg0, seg1, side]))
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_votes_by_hand() -> None:
    # Counterparty 0 (segment 0): values 1, 1, 0 with weights 1 -> own share 2/3; counterparty 1 (segment 0): 0, 0
    # -> 0; the row with no counterparty of its own (-1) does not vote; segment 1 has no voter.
    values = np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
    shares = pooled_votes(values, np.ones(6), _tree(), 0.0, 1.0, 1.0, 2.0)
    side = (2 / 3 + 0 + 1.0 * 0.0) / (2 + 1.0)  # two votes and one pseudo-vote for the prior 0
    seg0 = (2 / 3 + 0 + side) / (2 + 1)
    seg1 = side  # no voter: the side's
    cp0 = (2 + 2 * seg0) / (3 + 2)  # rows 0, 1, 5: 1 + 1 + 0 over 3, plus 2 pseudo-rows at seg0
    cp1 = (0 + 2 * seg0) / (2 + 2)
    assert np.allclose(shares, [cp0, cp1, seg0, seg1, side])
