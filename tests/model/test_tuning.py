"""The tuning memo (model.tuning.TuningMemo): fits at dates a quarter apart share their past origins, same models."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pandas.testing as pdt

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.model.behaviour import BehaviourModel
from forecasting.model.settings import BehaviourSettings
from forecasting.model.tuning import N_ORIGINS, TuningMemo, learn_behaviour
from forecasting.projection.backtest import backtest
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import make_ledger, monthly_history

AS_OF = pd.Timestamp("2026-11-22")  # a Sunday
QUARTER = pd.Timedelta(days=91)
SETTINGS = BehaviourSettings(half_life_candidates_days=(90.0, 365.0))  # two memories (and one drift): quick


def _ledger() -> Ledger:
    """Return ten clients invoiced monthly for three years, each paid 0 to 9 days late (2 to 11 from the middle)."""
    rows = []
    for k in range(10):
        rows += monthly_history(f"K{k}", [k] * 18 + [k + 2] * 18, 36, first_issue=f"2023-11-{1 + 2 * k:02d}")
    return make_ledger(rows)


def _fit(ledger: Ledger, as_of: pd.Timestamp, memo: TuningMemo | None) -> BehaviourModel:
    """Return the receivables model of the ledger at as_of."""
    return learn_behaviour(ledger.receivables, ledger.payments_of(C.RECEIVABLE), ledger.counterparties, as_of,
                           C.RECEIVABLE, SETTINGS, memo=memo)


def _assert_same(a: BehaviourModel, b: BehaviourModel) -> None:
    """Assert two fitted models are the same: curves, choices, calibration and the tuning report."""
    np.testing.assert_array_equal(a.cum_hazard, b.cum_hazard)
    assert (a.half_life_days, a.drift, a.settle_mode) == (b.half_life_days, b.drift, b.settle_mode)
    assert a.calibration.keys() == b.calibration.keys()
    for group in a.calibration:
        np.testing.assert_array_equal(a.calibration[group], b.calibration[group])
    pdt.assert_frame_equal(a.tuning, b.tuning)


def test_fits_a_quarter_apart_share_their_origins_and_give_the_same_models() -> None:
    ledger = _ledger()
    days = [AS_OF - 2 * QUARTER, AS_OF - QUARTER, AS_OF]
    alone = [_fit(ledger, day, None) for day in days]
    memo = TuningMemo()
    shared = [_fit(ledger, day, memo) for day in days]
    for a, b in zip(alone, shared, strict=True):
        _assert_same(a, b)
    assert shared[-1].tuning["mae_days"].notna().all()  # tuned, not the defaults
    # each date's origins are 1 to N_ORIGINS quarters before it: the second and third date meet N_ORIGINS - 1 they
    # share with the date before, for each of the three settings tried and the segment cap tried at the best of them
    # (the same at every date here)
    assert len({tuple(m.tuning.query("segment_cap").iloc[0][["half_life_days", "drift"]]) for m in shared}) == 1
    assert memo.hits == 2 * (N_ORIGINS - 1) * 4


def test_the_memo_keeps_only_the_origins_of_the_last_call() -> None:
    ledger = _ledger()
    memo = TuningMemo()
    _fit(ledger, AS_OF - QUARTER, memo)  # origins 2 to N_ORIGINS + 1 quarters before AS_OF
    _fit(ledger, AS_OF, memo)  # 1 to N_ORIGINS: the oldest is dropped
    hits = memo.hits
    _fit(ledger, AS_OF - QUARTER, memo)
    # 2 to N_ORIGINS quarters back were kept, for each setting (the segment cap's too); the oldest was fitted again
    assert memo.hits - hits == (N_ORIGINS - 1) * 4


def test_a_different_history_at_the_same_origin_is_fitted_afresh() -> None:
    ledger = _ledger()
    memo = TuningMemo()
    _fit(ledger, AS_OF - QUARTER, memo)
    changed = ledger.receivables.copy()
    changed.loc[changed.index[0], C.AMOUNT_TTC] += 1.0  # the first invoice, long before every origin
    other = replace(ledger, receivables=changed)
    again = _fit(other, AS_OF, memo)
    assert memo.hits == 0
    _assert_same(again, _fit(other, AS_OF, None))


def test_backtests_sharing_a_memo_give_the_results_of_separate_backtests() -> None:
    ledger = _ledger()
    settings = ProjectionSettings(n_sims=50, behaviour=SETTINGS)
    memo = TuningMemo()
    for day in (AS_OF - 2 * QUARTER, AS_OF - QUARTER):
        alone, shared = backtest(ledger, day, 13, settings), backtest(ledger, day, 13, settings, memo=memo)
        assert alone.metrics.to_dict() == shared.metrics.to_dict()
        pdt.assert_frame_equal(alone.weekly, shared.weekly)
        pdt.assert_frame_equal(alone.invoices, shared.invoices)
    assert memo.hits > 0


def test_arrow_set_lookup_answers_as_pandas_isin() -> None:
    from forecasting.model.tuning import _is_in

    values = pd.Series(["FA1", "FA2", None, "FA3", "FA2"], dtype="str")
    allowed = pd.Series(["FA2", None, "FA9"], dtype="str")
    assert _is_in(values, allowed).tolist() == values.isin(allowed).tolist() == [False, True, True, False, True]
    assert _is_in(values, pd.Index(["FA3"], dtype="str")).tolist() == [False, False, False, True, False]
    assert _is_in(pd.Series(["a", "b"], dtype=object), pd.Series(["b"], dtype="str")).tolist() == [False, True]
