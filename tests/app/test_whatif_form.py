"""Tests of pages.widgets.whatif_form: the what-if form's values to scenario levers and back."""

from __future__ import annotations

from datetime import date

from forecasting.scenarios.compare import Scenario
from pages.widgets.whatif_form import (
    SCOPE_SEGMENTS,
    SUPPLIER_MODES,
    defaults,
    form_from_scenario,
    levers_from_form,
)

AS_OF = date(2026, 11, 23)


def test_neutral_form_values_describe_no_lever():
    assert levers_from_form(defaults(AS_OF), AS_OF) == []


def test_form_values_become_checked_levers_and_load_back():
    values = defaults(AS_OF) | {
        "wi_client_scope": SCOPE_SEGMENTS, "wi_client_segments": ["Retail"],
        "wi_ce_delay": -10, "wi_ce_lateness": 50,
        "wi_fac_on": True, "wi_fac_share": 30,
        "wi_st_mode": SUPPLIER_MODES[2], "wi_st_terms": "net 75",
        "wi_act_sales": 10.0, "wi_def_ids": ["C0001"],
        "wi_oo_on": True, "wi_oo_date": date(2026, 12, 15), "wi_oo_amount": -200_000.0,
    }
    levers = levers_from_form(values, AS_OF)
    scenario = Scenario.from_dict({"name": "form", "levers": levers})  # every lever passes the file checks
    kinds = [lv.TYPE for lv in scenario.levers]
    assert kinds == ["activity", "client_default", "collection_effort", "factoring", "supplier_terms", "one_off_flow"]
    effort = scenario.levers[2]
    assert effort.delay_change_days == -10 and effort.lateness_reduction_share == 0.5
    assert effort.scope.kind == "segment" and effort.scope.values == ("Retail",)
    assert scenario.levers[3].share == 0.3
    loaded, left_out = form_from_scenario(scenario, AS_OF)
    assert left_out == []
    assert levers_from_form(loaded, AS_OF) == levers


def test_a_scenario_the_form_cannot_hold_names_what_is_left_out():
    scenario = Scenario.from_dict({"name": "two", "levers": [
        {"type": "collection_effort", "delay_change_days": -5},
        {"type": "collection_effort", "delay_change_days": -3}]})
    values, left_out = form_from_scenario(scenario, AS_OF)
    assert values["wi_ce_delay"] == -5
    assert left_out == ["a second collection effort lever"]
