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


def _case(counterparties: np.ndarray, actual: np.ndarray, censor: float = 200.0) -> tuning._Case:
    """Return one origin's issued invoices, each paid on `actual` (day offset; NaN: unpaid through `censor`)."""
    n = len(actual)
    days = InvoiceDays(counterparties, np.full(n, "S"), np.zeros(n, bool), np.zeros(n, bool),
                       np.zeros((n, 1), np.int64), np.zeros((n, 1), np.int64))
    return tuning._Case(pd.Timestamp("2026-01-05"), pd.DataFrame(), days, actual.astype(float),
                        np.full(n, censor))


def test_the_tuning_calibration_counts_counterparties_not_invoices() -> None:
    # Draws 0..31 for every invoice; five clients' 1,000 invoices each paid on day 18, 20, 22, 24 or 26: the real
    # day ties one draw, its rank among the 33 lies in [day, day + 2), transforms in [day/33, (day + 2)/33), median
    # about 23/33 = 0.697 (the model runs early). Either five clients each
    # paying the same way every time, or 5,000 clients with one invoice each.
    draws = np.tile(np.arange(tuning.DRAWS, dtype=float), (5000, 1))
    late = np.repeat([18, 20, 22, 24, 26], 1000)
    five = tuning._calibration([draws], [_case(np.repeat(np.array(list("ABCDE"), object), 1000), late)])
    many = tuning._calibration([draws], [_case(np.arange(5000).astype(str).astype(object), late)])
    issued = CALIBRATION_GROUPS[0]
    # 5,000 independent: weight 5,000 / 5,200 of the 0.2 shift. Five clients: worth about 5 transforms (the tie
    # split varies a little within each), weight ~5 / 205: the map barely moves (main moved it as far as for 5,000).
    assert many[issued][MEDIAN] == pytest.approx(0.5 + 5000 / 5200 * 0.197, abs=0.003)
    assert five[issued][MEDIAN] == pytest.approx(0.5 + 5 / 205 * 0.197, abs=0.003)
    assert CALIBRATION_GROUPS[1] not in five  # no invoice not issued yet: no map for them


def test_the_levels_are_those_the_sampler_maps() -> None:
    table = calibration_map(np.linspace(0.0, 1.0, 1001), np.arange(1001))
    assert table is not None and table.shape == CALIBRATION_LEVELS.shape
    np.testing.assert_allclose(table, CALIBRATION_LEVELS, atol=1e-12)  # uniform transforms: the identity


def _replayed_map(spread: float, censor: float = np.inf) -> np.ndarray:
    """Return the issued map the tuning learns when 5,000 clients pay `spread` times as spread as the model draws.

    The model draws 32 days per invoice from a normal of sd 10 around 0; the real days are normal of sd 10 x
    spread. An invoice whose real day lies after `censor` is unpaid at as-of, known unpaid through `censor`.
    """
    rng = np.random.default_rng(3)
    draws = rng.normal(0.0, 10.0, (5000, tuning.DRAWS))
    actual = rng.normal(0.0, 10.0 * spread, 5000)
    actual[actual > censor] = np.nan
    tables = tuning._calibration([draws], [_case(np.arange(5000).astype(str).astype(object), actual, censor)])
    return tables[CALIBRATION_GROUPS[0]]


def test_a_calibrated_model_replayed_with_32_draws_keeps_about_the_identity_map() -> None:
    # The real day is one more draw: its rank among the 33 values is uniform on 0..32, and so are the transforms.
    # Counted over the 32 draws alone (main), ranks 0 and 32 gave transforms 0 and 1 a third of a draw's weight
    # each (1/33): 4/33 = 12.1 % of them under 0.1, the map at 0.025 went to 0 and every range drawn came out wider.
    # Unpaid invoices (a sixth, after day 10) keep it: their transforms lie uniform above the draws before day 10.
    for censor in (np.inf, 10.0):
        table = _replayed_map(1.0, censor)
        np.testing.assert_allclose(table, CALIBRATION_LEVELS, atol=0.015)
        assert np.interp(0.1, table, CALIBRATION_LEVELS) == pytest.approx(0.10, abs=0.01)  # past P10 held 10 %


def test_a_model_too_narrow_gets_a_wider_map_and_one_too_wide_a_narrower_one() -> None:
    # Weight 5,000 / 5,200 = 0.9615 of the transforms' quantiles. Twice as spread: the real day's transform would be
    # Phi(2 Z), its 10 % quantile Phi(-2 x 1.2816) = 0.0052, blended 0.0089; but 32 draws cannot tell apart days
    # before all of them (transforms below 1/33 = 0.030): the map's 10 % level falls from 0.1 to under 0.03 (90 %:
    # over 0.97). Half as spread: Phi(-1.2816 / 2) = 0.2608, blended 0.2546 (and 0.7454); a transform of 32 draws
    # blurs by up to 0.09 (binomial sd of 0.26 over 32), pulling the quantiles a little outwards: 0.22 to 0.26.
    narrow, wide = _replayed_map(2.0), _replayed_map(0.5)
    p10, p90 = 4, 36  # CALIBRATION_LEVELS[4] == 0.1, [36] == 0.9
    assert narrow[p10] < 0.03 and narrow[p90] > 0.97
    assert 0.22 < wide[p10] < 0.26 and 0.74 < wide[p90] < 0.78
