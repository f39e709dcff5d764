"""The calibration map (model.calibration, model.tuning): its evidence counted in independent counterparties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.model import tuning
from forecasting.model.calibration import CALIBRATION_PRIOR, calibration_map, effective_count
from forecasting.model.payment_days import CALIBRATION_LEVELS, InvoiceDays
from forecasting.model.settings import CALIBRATION_GROUPS

MEDIAN = 20  # CALIBRATION_LEVELS[20] == 0.5
# Five transforms, each repeated 1,000 times: their median is 0.7 (a model 0.2 too early at its median).
FIVE = np.repeat([0.6, 0.65, 0.7, 0.75, 0.8], 1000)


def test_identical_transforms_of_one_counterparty_count_once() -> None:
    assert effective_count(FIVE, np.repeat(list("ABCDE"), 1000)) == pytest.approx(5.0)
    assert effective_count(FIVE, np.arange(5000)) == pytest.approx(5000.0)  # one invoice each: all independent
    assert effective_count(np.full(300, 0.5), np.zeros(300)) == 300.0  # nothing varies: nothing to cluster on


def test_a_map_on_five_counterparties_moves_less_than_one_on_five_thousand() -> None:
    clustered = calibration_map(FIVE, np.repeat(list("ABCDE"), 1000))
    independent = calibration_map(FIVE, np.arange(5000))
    assert clustered is not None and independent is not None
    # weight n / (n + 200): 5 / 205 against 5,000 / 5,200 of the 0.2 the transforms' median moves
    assert CALIBRATION_PRIOR == 200.0
    assert clustered[MEDIAN] == pytest.approx(0.5 + 5 / 205 * 0.2)  # 0.5049
    assert independent[MEDIAN] == pytest.approx(0.5 + 5000 / 5200 * 0.2)  # 0.6923
    assert calibration_map(FIVE[:99], np.arange(99)) is None  # under 100 transforms: no map


def _case(counterparties: np.ndarray, actual: np.ndarray) -> tuning._Case:
    """Return one origin's issued invoices, each paid on `actual` (day offset), owed by `counterparties`."""
    n = len(actual)
    days = InvoiceDays(counterparties, np.full(n, "S"), np.zeros(n, bool), np.zeros(n, bool),
                       np.zeros((n, 1), np.int64), np.zeros((n, 1), np.int64))
    return tuning._Case(pd.Timestamp("2026-01-05"), pd.DataFrame(), days, actual.astype(float),
                        np.full(n, 200.0))


def test_the_tuning_calibration_counts_counterparties_not_invoices() -> None:
    # Draws 0..31 for every invoice; five clients' 1,000 invoices each paid on day 18, 20, 22, 24 or 26: transforms
    # in [day/32, (day + 1)/32), median about 22.5/32 = 0.70 (the model runs early). Either five clients each
    # paying the same way every time, or 5,000 clients with one invoice each.
    draws = np.tile(np.arange(tuning.DRAWS, dtype=float), (5000, 1))
    late = np.repeat([18, 20, 22, 24, 26], 1000)
    five = tuning._calibration([draws], [_case(np.repeat(np.array(list("ABCDE"), object), 1000), late)])
    many = tuning._calibration([draws], [_case(np.arange(5000).astype(str).astype(object), late)])
    issued = CALIBRATION_GROUPS[0]
    # 5,000 independent: weight 5,000 / 5,200 of the 0.2 shift. Five clients: worth about 5 transforms (the tie
    # split varies a little within each), weight ~5 / 205: the map barely moves (main moved it as far as for 5,000).
    assert many[issued][MEDIAN] == pytest.approx(0.5 + 5000 / 5200 * 0.203, abs=0.003)
    assert five[issued][MEDIAN] == pytest.approx(0.5 + 5 / 205 * 0.203, abs=0.003)
    assert CALIBRATION_GROUPS[1] not in five  # no invoice not issued yet: no map for them


def test_the_levels_are_those_the_sampler_maps() -> None:
    table = calibration_map(np.linspace(0.0, 1.0, 1001), np.arange(1001))
    assert table is not None and table.shape == CALIBRATION_LEVELS.shape
    np.testing.assert_allclose(table, CALIBRATION_LEVELS, atol=1e-12)  # uniform transforms: the identity
