"""Tests of the lever waterfall's table and chart: levels at the ends, signed bars between, colours by what is good."""

from __future__ import annotations

import pytest

from forecasting.reports.charts import theme
from forecasting.reports.charts.waterfall import lever_waterfall_figure
from forecasting.reports.waterfall import (
    BFR,
    KIND,
    NET_CASH,
    NET_CASH_ALONE,
    STEP,
    lever_labels,
    waterfall_frame,
)
from tests.scenarios.test_waterfall import B_DEFAULTS, COLLECT, ONE_OFF, _waterfall


@pytest.fixture(scope="module")
def fall():
    """Return the waterfall of a client default, collection effort and a one-off outflow of 500."""
    return _waterfall(ONE_OFF, COLLECT, B_DEFAULTS)[1]


def test_the_table_has_the_ends_as_levels_and_each_lever_in_the_order_applied(fall):
    frame = waterfall_frame(fall, "en")
    assert frame[STEP].tolist() == ["Baseline", "Client default", "Collection effort", "One-off flow", "Scenario"]
    assert frame[KIND].tolist() == ["total", "lever", "lever", "lever", "total"]
    levers = frame[frame[KIND] == "lever"]
    assert frame[NET_CASH].iloc[0] + levers[NET_CASH].sum() == pytest.approx(frame[NET_CASH].iloc[-1])
    assert frame[BFR].iloc[0] + levers[BFR].sum() == pytest.approx(frame[BFR].iloc[-1])
    # Collection effort: nothing left to pull in after the default (0), +3,000 alone; the one-off −500 either way.
    assert levers[NET_CASH].tolist() == pytest.approx([0.0, 0.0, -500.0])
    assert levers[NET_CASH_ALONE].tolist() == pytest.approx([0.0, 3000.0, -500.0])
    assert waterfall_frame(fall, "fr")[STEP].tolist() == [
        "Référence", "Défaillance client", "Effort de recouvrement", "Flux exceptionnel", "Scénario"]


def test_two_levers_of_one_type_are_numbered():
    twice = _waterfall(ONE_OFF, {**ONE_OFF, "amount": -200.0})[1]
    assert lever_labels(twice, "en") == ["One-off flow (1)", "One-off flow (2)"]


def test_the_chart_floats_each_bar_from_the_running_total_coloured_by_what_is_good_for_cash(fall):
    pal = theme.palette()
    cash = lever_waterfall_figure(fall, "net_cash", lang="en").data[0]
    frame = waterfall_frame(fall, "en")
    level = frame[NET_CASH].iloc[0]
    # Levels from 0; default 0 and collection 0 float at the baseline; the one-off −500 hangs from it down.
    assert list(cash.base) == pytest.approx([0.0, level, level, level - 500.0, 0.0])
    assert list(cash.y) == pytest.approx([level, 0.0, 0.0, 500.0, level - 500.0])
    assert cash.marker.color[0] == pal.neutral and cash.marker.color[3] == pal.alert  # less cash: red
    assert cash.text[3] == "−500"
    bfr = lever_waterfall_figure(fall, "bfr", lang="fr").data[0]
    # The default writes 3,000 of receivables off: BFR falls, which frees cash: green, from 3,000 down to 0.
    assert (bfr.base[1], bfr.y[1]) == (pytest.approx(0.0), pytest.approx(3000.0))
    assert bfr.marker.color[1] == pal.positive and bfr.text[1] == "−3\u00a0000"
    titles = [lever_waterfall_figure(fall, m, lang="fr").layout.title.text for m in ("net_cash", "bfr")]
    assert titles == ["Trésorerie nette à l'horizon (espérance) : l'effet de chaque levier (€)",
                      "BFR à l'horizon (espérance) : l'effet de chaque levier (€)"]
