"""Tests of pages.widgets.whatif_form: the what-if form's values to scenario levers and back."""

from __future__ import annotations

from datetime import date

import pytest

from forecasting.scenarios.catalog import lever_types
from forecasting.scenarios.form import SECTIONS
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.scope import LeverError
from forecasting.scenarios.timing import SUPPLIER_MODES
from pages.widgets.whatif_form import (
    SCOPE_SEGMENTS,
    defaults,
    form_from_scenario,
    levers_from_form,
    scenario_from_form,
    sections,
)

AS_OF = date(2026, 11, 23)


def test_neutral_form_values_describe_no_lever():
    assert levers_from_form(defaults(AS_OF), AS_OF) == ()
    assert scenario_from_form(defaults(AS_OF), AS_OF) is None


def test_every_lever_type_has_its_place_in_the_form_and_keeps_the_session_keys():
    shown = [cls.TYPE for _, classes in sections() for cls in classes]
    assert sorted(shown) == sorted(cls.TYPE for cls in lever_types())
    assert [section.key for section, _ in sections()] == [s.key for s in SECTIONS]
    assert shown == ["client_terms", "collection_effort", "early_payment_discount", "factoring", "client_default",
                     "supplier_terms", "supplier_discount", "activity", "one_off_flow"]
    # the keys the page, its tests and the browser test find the widgets by
    assert {"wi_start", "wi_client_scope", "wi_sup_ids", "wi_ce_delay", "wi_fac_on", "wi_st_mode", "wi_st_terms",
            "wi_oo_date", "wi_def_ids"} <= set(defaults(AS_OF))
    assert defaults(AS_OF)["wi_oo_date"] == date(2026, 12, 23)  # 30 days after as-of


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
    kinds = [lever.TYPE for lever in levers]
    assert kinds == ["collection_effort", "factoring", "client_default", "supplier_terms", "activity", "one_off_flow"]
    effort = levers[0]
    assert effort.delay_change_days == -10 and effort.lateness_reduction_share == 0.5
    assert effort.scope.kind == "segment" and effort.scope.values == ("Retail",)
    assert levers[1].share == 0.3
    assert levers[2].scope.values == ("C0001",)  # the default's own clients, not the section's segment
    assert levers[4].scope.kind == "all"  # activity has no scope in the form
    # The form's levers are the ones a scenario file with the same fields gives.
    scenario = Scenario("form", levers)
    assert Scenario.from_json(scenario.to_json()) == scenario
    loaded, left_out = form_from_scenario(scenario, AS_OF)
    assert left_out == []
    assert levers_from_form(loaded, AS_OF) == levers


def test_an_impossible_form_is_refused_naming_the_lever_as_a_file_would():
    values = defaults(AS_OF) | {"wi_epd_on": True, "wi_epd_days": 60, "wi_epd_net": 30}
    with pytest.raises(LeverError, match=r"^lever 1 \(early_payment_discount\): net_days must be after the "
                                         r"discount days \(60\), got 30$"):
        levers_from_form(values, AS_OF)


def test_a_scenario_the_form_cannot_hold_names_what_is_left_out():
    scenario = Scenario.from_dict({"name": "two", "levers": [
        {"type": "collection_effort", "delay_change_days": -5},
        {"type": "collection_effort", "delay_change_days": -3},
        {"type": "activity", "scope": {"kind": "segment", "segments": ["Retail"]}, "sales_change_pct": 5}]})
    values, left_out = form_from_scenario(scenario, AS_OF)
    assert values["wi_ce_delay"] == -5
    assert left_out == ["a second collection effort lever", "activity on a segment scope"]
