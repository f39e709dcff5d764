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


def test_the_chart_draws_signed_bars_and_colours_them_by_what_is_good_for_cash(fall):
    pal = theme.palette()
    cash = lever_waterfall_figure(fall, "net_cash", lang="en").data[0]
    assert list(cash.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(cash.y)[1:4] == pytest.approx([0.0, 0.0, -500.0])
    assert (cash.increasing.marker.color, cash.decreasing.marker.color) == (pal.positive, pal.alert)
    assert cash.text[3] == "−500"
    bfr = lever_waterfall_figure(fall, "bfr", lang="fr").data[0]
    # More BFR ties cash up: a rise is red, a fall green.
    assert (bfr.increasing.marker.color, bfr.decreasing.marker.color) == (pal.alert, pal.positive)
    assert list(bfr.y)[1] == pytest.approx(-3000.0) and bfr.text[1] == "−3\u00a0000"
