"""Scenario files and saved scenarios: what the code before the lever registry wrote still reads back the same."""

from __future__ import annotations

import json

from forecasting.core.terms import Terms
from forecasting.scenarios.catalog import lever_types
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.timing import ClientTerms

# One lever of each type in the spellings a file may use (French terms, discount terms text, a percentage,
# an upper-case category) ...
WRITTEN = {"name": "Every lever", "description": "one of each type", "levers": [
    {"type": "client_terms", "scope": {"kind": "segment", "segments": ["Retail"]}, "terms": "45 jours fin de mois",
     "apply_to_open": True, "start": "2026-12-01"},
    {"type": "collection_effort", "delay_change_days": -10, "lateness_reduction_share": 0.5},
    {"type": "early_payment_discount", "terms": "2/10 net 30", "take_up_share": 0.4},
    {"type": "factoring", "scope": {"kind": "counterparties", "ids": ["C0001", "C0002"]}, "share": 0.5,
     "include_open": False},
    {"type": "supplier_terms", "delay_change_days": 15},
    {"type": "supplier_terms", "terms": "net 75", "apply_to_open": True},
    {"type": "supplier_discount", "discount_pct": 2, "discount_days": 10},
    {"type": "activity", "sales_change_pct": 10, "purchases_change_pct": -5.5},
    {"type": "client_default", "scope": {"kind": "counterparties", "ids": ["C0003"]}, "stop_sales": True},
    {"type": "one_off_flow", "date": "2026-12-15", "amount": -200000, "label": "new machine", "category": "Capex"}]}
# ... and the JSON the code before the registry saved for it (Scenario.to_dict, json.dumps, ensure_ascii=False).
SAVED_BEFORE = (
    '{"name": "Every lever", "levers": [{"type": "client_terms", "scope": {"kind": "segment", "segments": ["Retail"]}, '
    '"start": "2026-12-01", "terms": "45 days end of month", "apply_to_open": true}, {"type": "collection_effort", '
    '"scope": {"kind": "all"}, "delay_change_days": -10, "lateness_reduction_share": 0.5}, {"type": '
    '"early_payment_discount", "scope": {"kind": "all"}, "discount_rate": 0.02, "discount_days": 10, "net_days": 30, '
    '"take_up_share": 0.4}, {"type": "factoring", "scope": {"kind": "counterparties", "ids": ["C0001", "C0002"]}, '
    '"share": 0.5, "advance_rate": 0.9, "service_fee_rate": 0.005, "financing_rate": 0.05, "include_open": false}, '
    '{"type": "supplier_terms", "scope": {"kind": "all"}, "delay_change_days": 15, "terms": null, "apply_to_open": '
    'false}, {"type": "supplier_terms", "scope": {"kind": "all"}, "delay_change_days": null, "terms": "net 75", '
    '"apply_to_open": true}, {"type": "supplier_discount", "scope": {"kind": "all"}, "discount_rate": 0.02, '
    '"discount_days": 10, "take_up_share": 1.0}, {"type": "activity", "scope": {"kind": "all"}, "sales_change_pct": '
    '10.0, "purchases_change_pct": -5.5}, {"type": "client_default", "scope": {"kind": "counterparties", "ids": '
    '["C0003"]}, "stop_sales": true}, {"type": "one_off_flow", "scope": {"kind": "all"}, "date": "2026-12-15", '
    '"amount": -200000.0, "label": "new machine", "category": "capex"}], "description": "one of each type"}')
# Since the collection effort's ramp (issue 17): the same, with the new field at its default. An old file reads with
# that default, as the README says (8 weeks; "ramp_weeks": 0 gives the old all-at-once shift).
SAVED_NOW = SAVED_BEFORE.replace('"lateness_reduction_share": 0.5}', '"lateness_reduction_share": 0.5, "ramp_weeks": 8}')


def test_a_file_is_saved_as_the_code_before_the_registry_saved_it():
    scenario = Scenario.from_dict(WRITTEN)
    assert {type(lever).TYPE for lever in scenario.levers} == {cls.TYPE for cls in lever_types()}
    assert SAVED_NOW != SAVED_BEFORE and scenario.to_json() == SAVED_NOW


def test_a_scenario_saved_before_the_registry_loads_equal_and_hashable():
    scenario = Scenario.from_json(SAVED_BEFORE)
    assert scenario == Scenario.from_dict(WRITTEN)
    assert scenario.to_json() == SAVED_NOW
    assert json.loads(scenario.to_json()) == json.loads(SAVED_NOW)
    assert hash(scenario) == hash(Scenario.from_json(SAVED_BEFORE))  # a cache key, as the page uses it
    first = scenario.levers[0]
    assert isinstance(first, ClientTerms) and first.terms == Terms("eom", 45)  # terms parsed when read
