"""The model on a ledger it was not built on (tests/fixtures/foreign.py): issue 14's real-ledger phenomena at once."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.model.settlement import known_at
from forecasting.projection.backtest import backtest
from forecasting.projection.forecast import fit_models
from tests.fixtures.foreign import foreign_ledger

AS_OF = pd.Timestamp("2026-05-25")  # 18 months of history; the horizon's payments all known by the data's end


@pytest.fixture(scope="module")
def ledger_and_truth():
    return foreign_ledger()


def test_a_client_base_paying_earlier_as_one_is_followed_client_by_client(ledger_and_truth):
    # Every client drifts: N(-4, 2.5) days a year. Each client's own slope over 18 months is noisy; shrunk towards
    # none it would lose most of the common drift, shrunk towards the ledger's common drift it keeps it.
    ledger, truth = ledger_and_truth
    model = fit_models(known_at(ledger, AS_OF), AS_OF.date(), sides=[C.RECEIVABLE])[C.RECEIVABLE]
    assert bool(model.tuning.query("chosen")["drift"].iloc[0])
    profiles = model.profiles[model.profiles["level"] == "counterparty"].set_index("key")
    drift = profiles["drift_days_per_year"].reindex(truth.index)
    assert abs(drift.mean() - truth["drift"].mean()) <= 1.0


def test_the_forecast_beats_the_baselines_and_its_range_holds_about_80_percent(ledger_and_truth):
    ledger, _ = ledger_and_truth
    side = backtest(ledger, AS_OF.date(), 13, sides=[C.RECEIVABLE]).metrics.sides[C.RECEIVABLE]
    model, baselines = side.invoices.model, side.invoices.baselines
    assert model.mae_days <= baselines["client_mean_dispute"].mae_days  # the flag known even for later invoices
    assert model.mae_days <= 0.9 * baselines["client_median"].mae_days
    assert 0.75 <= model.coverage_p10_p90 <= 0.87 and max(model.below_p10, model.above_p90) <= 0.13
