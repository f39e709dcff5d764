"""Tests of forecasting.scenarios.waterfall: one bar per lever, in the order applied, adding up to the scenario."""

from __future__ import annotations

import pytest

from forecasting.projection.forecast import aggregate, prepare
from forecasting.scenarios.apply import apply_levers
from forecasting.scenarios.compare import ScenarioSettings, bfr_weekly, compare, context_from_ledger
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.waterfall import waterfall
from tests.fixtures.handmade import AS_OF, EXACT, invoice, make_ledger, monthly_history

ONE_OFF = {"type": "one_off_flow", "date": "2026-12-15", "amount": -500.0, "label": "tooling"}
COLLECT = {"type": "collection_effort", "delay_change_days": -10, "ramp_weeks": 0}
B_DEFAULTS = {"type": "client_default", "scope": {"kind": "counterparties", "ids": ["B"]}}


def _ledger():
    """Return clients A (pays on the due date) and B (10 days late), with one open invoice each."""
    rows = monthly_history("A", 0, 12, first_issue="2025-10-01")
    rows += monthly_history("B", 10, 12, first_issue="2025-10-01")
    rows += [invoice("A-open", "A", "2026-10-26", "2026-11-25", 1000.0),
             invoice("B-late", "B", "2026-11-20", "2027-02-19", 3000.0)]  # expected 1 Mar: after the horizon
    return make_ledger(rows)


def _waterfall(*levers: dict):
    """Return the comparison and the waterfall of the levers on the EXACT projection of _ledger()."""
    ledger = _ledger()
    cash, context = prepare(ledger, AS_OF, 13, EXACT), context_from_ledger(ledger, AS_OF)
    scenario = Scenario.from_dict({"name": "plan", "levers": list(levers)})
    result = compare(cash, scenario, context)
    return result, waterfall(cash, scenario, result, context)


def test_the_bars_follow_the_order_applied_and_add_up_to_the_tiles():
    # Written one-off first; applied after the client default (flows come last whatever the file order).
    result, fall = _waterfall(ONE_OFF, B_DEFAULTS)
    assert [step.lever.TYPE for step in fall.steps] == ["client_default", "one_off_flow"]
    assert fall.baseline_net_cash_eur == result.kpis_baseline["net_cash_at_horizon"]
    assert fall.scenario_net_cash_eur == result.kpis_scenario["net_cash_at_horizon"]
    assert sum(s.net_cash_eur for s in fall.steps) == pytest.approx(result.delta.net_cash_at_horizon, abs=1e-6)
    assert sum(s.bfr_eur for s in fall.steps) == pytest.approx(result.delta.bfr_at_horizon, abs=1e-6)
    one_off = fall.steps[1]
    # A payment of 500 on 15 Dec, inside the horizon: net cash −500, BFR unchanged (not a trade flow).
    assert one_off.net_cash_eur == pytest.approx(-500.0) and one_off.bfr_eur == pytest.approx(0.0)
    assert one_off.net_cash_alone_eur == pytest.approx(-500.0)
    assert fall.net_cash_interaction_eur == pytest.approx(0.0, abs=1e-6)  # independent levers


def test_a_lever_that_pulls_a_receipt_inside_the_horizon_shows_its_cash_and_its_bfr():
    # B's invoice of 3,000 is expected 1 Mar (due 19 Feb + 10 late): after the 13 weeks (last day 22 Feb).
    # Ten days earlier: 19 Feb, inside. Net cash +3,000 at the horizon; receivables −3,000, so BFR −3,000.
    result, fall = _waterfall(COLLECT)
    (step,) = fall.steps
    assert step.net_cash_eur == pytest.approx(3000.0) and step.bfr_eur == pytest.approx(-3000.0)
    assert (step.net_cash_alone_eur, step.bfr_alone_eur) == (step.net_cash_eur, step.bfr_eur)
    assert result.delta.net_cash_at_horizon == pytest.approx(3000.0)


def test_levers_that_act_on_the_same_invoices_interact_and_the_order_decides_the_bars():
    # The default applies before collection effort (ORDER), whatever the file says. It writes B's 3,000 off: net
    # cash unchanged at the horizon (expected after it anyway), BFR −3,000. Collection then has nothing of B's left
    # to pull in: its bar is 0, against +3,000 alone. Interaction: total 0 − (0 + 3,000) = −3,000.
    result, fall = _waterfall(COLLECT, B_DEFAULTS)
    default, collect = fall.steps
    assert (default.lever.TYPE, collect.lever.TYPE) == ("client_default", "collection_effort")
    assert (default.net_cash_eur, default.bfr_eur) == (pytest.approx(0.0), pytest.approx(-3000.0))
    assert (collect.net_cash_eur, collect.bfr_eur) == (pytest.approx(0.0), pytest.approx(0.0))
    assert (collect.net_cash_alone_eur, collect.bfr_alone_eur) == (pytest.approx(3000.0), pytest.approx(-3000.0))
    assert fall.net_cash_interaction_eur == pytest.approx(-3000.0)
    assert fall.bfr_interaction_eur == pytest.approx(3000.0)  # total −3,000 against −6,000 alone
    assert result.delta.net_cash_at_horizon == pytest.approx(0.0)


# --- the demo company: the bars summed straight over the items equal the full recompute's --------------------
THREE_LEVERS = [  # bench/forecast_speed.py's three-lever scenario: terms split nothing, discount and factoring split rows
    {"type": "client_terms", "terms": "45 days end of month", "apply_to_open": True},
    {"type": "early_payment_discount", "terms": "2/10 net 30", "take_up_share": 0.3},
    {"type": "factoring", "share": 0.3},
]


def _recomputed(cash, levers, context, inventory_eur: float) -> tuple[float, float]:
    """Return (net cash, BFR) at the horizon the long way: every daily frame and weekly BFR recomputed."""
    applied = apply_levers(cash, levers, context).cash
    return (float(aggregate(applied).daily["closing_expected"].iloc[-1]),
            float(bfr_weekly(applied, context.daily_sales_ttc_eur, inventory_eur)["bfr_eur"].iloc[-1]))


def test_the_demo_three_lever_bars_equal_the_full_recompute_to_the_cent(demo_ledger):
    cash, context = prepare(demo_ledger, AS_OF, 13), context_from_ledger(demo_ledger, AS_OF)
    settings = ScenarioSettings(inventory_eur=250_000.0)
    scenario = Scenario.from_dict({"name": "three levers", "levers": THREE_LEVERS})
    fall = waterfall(cash, scenario, compare(cash, scenario, context, settings), context, settings)
    ordered = [step.lever for step in fall.steps]
    base = _recomputed(cash, (), context, settings.inventory_eur)
    assert (fall.baseline_net_cash_eur, fall.baseline_bfr_eur) == (pytest.approx(base[0], abs=0.005),
                                                                   pytest.approx(base[1], abs=0.005))
    before = base
    for k, step in enumerate(fall.steps, start=1):
        after = _recomputed(cash, ordered[:k], context, settings.inventory_eur)
        alone = _recomputed(cash, ordered[k - 1:k], context, settings.inventory_eur)
        assert step.net_cash_eur == pytest.approx(after[0] - before[0], abs=0.005), step.lever.TYPE
        assert step.bfr_eur == pytest.approx(after[1] - before[1], abs=0.005), step.lever.TYPE
        assert step.net_cash_alone_eur == pytest.approx(alone[0] - base[0], abs=0.005), step.lever.TYPE
        assert step.bfr_alone_eur == pytest.approx(alone[1] - base[1], abs=0.005), step.lever.TYPE
        before = after
    # Not a vacuous check: each lever moves the figures (terms and discount cash, factoring both).
    assert all(abs(step.net_cash_eur) > 1_000 for step in fall.steps)
    assert abs(fall.steps[2].bfr_eur) > 1_000
