"""The calibration map (model.calibration, model.tuning): its evidence counted in independent counterparties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from forecasting.model import tuning
from forecasting.model.calibration import (
    CALIBRATION_PRIOR,
    calibration_map,
    choose_prior,
    effective_count,
    pinball_loss,
)
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
    five = tuning._calibration_and_priors([draws], [_case(np.repeat(np.array(list("ABCDE"), object), 1000), late)])[0]
    many = tuning._calibration_and_priors([draws], [_case(np.arange(5000).astype(str).astype(object), late)])[0]
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
    tables = tuning._calibration_and_priors([draws], [_case(np.arange(5000).astype(str).astype(object), actual, censor)])[0]
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


# Leave one origin out (model.calibration.choose_prior): three origins of 1,000 invoices of 1,000 clients each.
ORIGINS = np.repeat([0, 1, 2], 1000)
CLIENTS = np.arange(3000)


def test_a_model_too_narrow_at_every_origin_trusts_the_map_alone() -> None:
    # Every origin: 200 clients, half paying over the model's first fifth of draws, half over its last fifth (its
    # P20-P80 held none). The map of two origins is the truth for the third: at level 0.25 the transforms' quantile
    # is 0.1; prior 200 blends it 400 / 600 of the way, 0.15. Mean pinball loss per held-out transform: 4.336 with
    # the map alone (prior 0), 4.352 / 4.447 / 4.668 / 4.933 with priors 50 / 200 / 800 / inf: the map alone gains
    # 0.111 on the default, over the 39 x 0.03² / 2 = 0.018 of a map 3 levels in 100 off, on every origin.
    narrow = np.tile(np.concatenate([np.linspace(0.0, 0.2, 100), np.linspace(0.8, 1.0, 100)]), 3)
    origins, clients = np.repeat([0, 1, 2], 200), np.arange(600)
    assert choose_prior(narrow, clients, origins) == 0.0
    # One origin only (or two of them under 100 transforms): nothing to hold out, the default.
    assert choose_prior(narrow[:200], clients[:200], origins[:200]) == CALIBRATION_PRIOR
    few = np.concatenate([narrow[:200], narrow[200:299], narrow[400:499]])
    assert choose_prior(few, np.arange(398), np.repeat([0, 1, 2], [200, 99, 99])) == CALIBRATION_PRIOR
    # 1,000 clients an origin: prior 200 weighs the map 2,000 / 2,200 and the map alone gains only 0.004 a
    # transform, under the 0.018 tolerance: the default stays.
    wide = np.tile(np.concatenate([np.linspace(0.0, 0.2, 500), np.linspace(0.8, 1.0, 500)]), 3)
    assert choose_prior(wide, CLIENTS, ORIGINS) == CALIBRATION_PRIOR


def test_uniform_transforms_keep_the_default_or_the_identity() -> None:
    # A calibrated model: every origin's transforms evenly spread over (0, 1), every map about the identity and
    # every prior within a hair of the others: nothing clearly better than the default but the identity itself.
    uniform = np.tile((np.arange(1000) + 0.5) / 1000, 3)
    assert choose_prior(uniform, CLIENTS, ORIGINS) in (CALIBRATION_PRIOR, math.inf)


def test_origins_that_disagree_do_not_get_the_full_map() -> None:
    # The model is late at one origin (payments over its first half of draws) and early at the other (second half):
    # each origin's map forecasts the other the wrong way, the more trusted the worse; the identity does best on
    # both origins held out (summed pinball losses 8,206 / 7,901 / 7,147 / 5,532 / 3,332 for priors 0 to inf).
    late, early = np.linspace(0.0, 0.5, 1000), np.linspace(0.5, 1.0, 1000)
    chosen = choose_prior(np.concatenate([late, early]), CLIENTS[:2000], ORIGINS[:2000])
    assert chosen not in (0.0, 50.0)
    assert chosen == math.inf
    # A third origin where the model is right: the pooled map of the other two is about uniform there, every prior
    # about ties on it: no prior better on every origin, the default.
    right = (np.arange(1000) + 0.5) / 1000
    assert choose_prior(np.concatenate([late, early, right]), CLIENTS, ORIGINS) in (CALIBRATION_PRIOR, math.inf)


def test_the_pinball_loss_of_the_identity_on_a_transform_by_hand() -> None:
    # Levels k / 40, k = 1..39. A transform at 0 lies under every quantile: (1 - level) x level each. At 0.5: level
    # x (0.5 - level) below the median, the mirror above, 0 at it: 2 x sum of k (20 - k) / 1,600 over k = 1..19 =
    # 2 x 1,330 / 1,600 = 1.6625.
    inner = CALIBRATION_LEVELS[1:-1]
    assert pinball_loss(np.array([0.0]), CALIBRATION_LEVELS)[0] == pytest.approx(float((inner * (1 - inner)).sum()))
    assert pinball_loss(np.array([0.5]), CALIBRATION_LEVELS)[0] == pytest.approx(1.6625)


def test_the_replay_reports_its_chosen_prior_and_drops_an_identity_map() -> None:
    # Three origins, each 200 clients paying on day 18..26 of draws 0..31 (the model early, as above): the map is
    # the same at every origin, so trusted alone (prior 0; prior 200 would weigh it 400 / 600): its median is the
    # transforms' own, about 23 / 33 = 0.697.
    draws = np.tile(np.arange(tuning.DRAWS, dtype=float), (200, 1))
    late = np.tile([18.0, 20.0, 22.0, 24.0, 26.0], 40)
    cases = [_case(np.arange(200 * k, 200 * (k + 1)).astype(str).astype(object), late) for k in range(3)]
    tables, priors = tuning._calibration_and_priors([draws] * 3, cases)
    assert priors == {CALIBRATION_GROUPS[0]: 0.0}
    assert tables[CALIBRATION_GROUPS[0]][MEDIAN] == pytest.approx(23 / 33, abs=0.01)
    # The identity chosen: one origin paid over the model's first half of draws (days 2..14), the other over its
    # second half (18..30), each map forecasting the other the wrong way: its prior kept, no map to apply.
    skew = [_case(cases[0].days.counterparty_ids, np.tile([2.0, 6.0, 10.0, 14.0], 50)),
            _case(cases[1].days.counterparty_ids, np.tile([18.0, 22.0, 26.0, 30.0], 50))]
    tables, priors = tuning._calibration_and_priors([draws] * 2, skew)
    assert priors == {CALIBRATION_GROUPS[0]: math.inf} and tables == {}
