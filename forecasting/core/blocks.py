"""Sums over large [rows, paths] arrays a block of rows at a time: np.bincount's sums without full-size temporaries.

np.bincount adds its weights to the bins one element after another, in order. np.add.at does the same, so adding
block after block (rows in order) into one array gives the very same floats, while each block's keys and weights
are built and summed inside the CPU cache (the full-size int and float temporaries of a what-if's half a million
rows × paths cost more than the sums themselves).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

BLOCK_CELLS = 1 << 16  # (row, path) cells per block: ~0.5 MB of float64 weights, ~0.25 MB of int32 keys


def row_blocks(n_rows: int, width: int) -> Iterator[slice]:
    """Yield consecutive slices of rows covering 0..n_rows, about BLOCK_CELLS cells (rows × width) each."""
    step = max(1, BLOCK_CELLS // max(width, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def add_at(sums: npt.NDArray[np.float64], keys: npt.NDArray[Any], weights: npt.ArrayLike) -> None:
    """Add weights (broadcast to the keys' shape) into sums at keys, element after element in row-major order."""
    keys = np.asarray(keys)
    flat = np.ascontiguousarray(np.broadcast_to(np.asarray(weights, dtype=np.float64), keys.shape)).reshape(-1)
    np.add.at(sums, keys.reshape(-1), flat)
