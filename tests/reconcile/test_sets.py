"""The integer join the matching's searches rest on, and the runs of a party's invoices, on hand-made codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.reconcile.sets import join


@pytest.mark.parametrize("offset", [0, 10**12])  # small codes are counted, large ones searched
def test_join_pairs_equal_codes_in_the_order_of_a_pandas_merge(offset: int) -> None:
    left = np.array([2, 1, 2, 5]) + offset
    right = np.array([2, 7, 1, 2]) + offset

    at, to = join(left, right)

    # left 0 (2) meets right 0 and 3; left 1 (1) right 2; left 2 (2) right 0 and 3; left 3 (5) nothing
    assert at.tolist() == [0, 0, 1, 2, 2] and to.tolist() == [0, 3, 2, 0, 3]
    merged = pd.DataFrame({"k": left, "l": range(4)}).merge(pd.DataFrame({"k": right, "r": range(4)}), on="k")
    assert merged["l"].tolist() == at.tolist() and merged["r"].tolist() == to.tolist()


def test_join_of_nothing_is_empty() -> None:
    at, to = join(np.array([], dtype=np.int64), np.array([3, 4]))

    assert len(at) == len(to) == 0
