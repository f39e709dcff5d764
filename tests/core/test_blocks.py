"""Tests of forecasting.core.blocks: sums block by block of rows, the same floats as one np.bincount."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.core import blocks
from forecasting.core.blocks import add_at, row_blocks


def test_row_blocks_cover_every_row_in_order_in_blocks_of_about_block_cells(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(blocks, "BLOCK_CELLS", 6)
    assert list(row_blocks(7, 3)) == [slice(0, 2), slice(2, 4), slice(4, 6), slice(6, 7)]
    assert list(row_blocks(2, 10)) == [slice(0, 1), slice(1, 2)]  # at least one row per block, however wide
    assert list(row_blocks(0, 3)) == []


def test_adding_block_after_block_gives_bincounts_sums_to_the_bit(monkeypatch: pytest.MonkeyPatch):
    # One bin, four weights: in order 1e16 + 1 rounds to 1e16, − 1e16 gives 0, + 1 gives 1. Summing each block
    # of two apart and then the blocks would give (1e16) + (−1e16) = 0: only the order of bincount keeps the 1.
    keys = np.array([[0, 1], [0, 1], [0, 1], [0, 1]])
    weights = np.array([[1e16, 5.0], [1.0, 5.0], [-1e16, 5.0], [1.0, 5.0]])
    assert np.bincount(keys.ravel(), weights=weights.ravel()).tolist() == [1.0, 20.0]
    monkeypatch.setattr(blocks, "BLOCK_CELLS", 4)
    sums = np.zeros(2)
    for part in row_blocks(len(keys), 2):
        add_at(sums, keys[part], weights[part])
    assert sums.tolist() == [1.0, 20.0]


def test_add_at_broadcasts_one_weight_per_row():
    sums = np.zeros(3)
    add_at(sums, np.array([[0, 2], [2, 2]]), np.array([[1.5], [2.0]]))
    assert sums.tolist() == [1.5, 0.0, 5.5]
