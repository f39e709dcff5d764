"""Tests of forecasting.scenarios.compare: levers read from JSON, applied to hand-made ledgers, and the demo rule of thumb."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.terms import Terms
from forecasting.i18n.translate import localise
from forecasting.model import behaviour
from forecasting.projection.forecast import aggregate, prepare
from forecasting.scenarios.compare import (
    Scenario,
    ScenarioDelta,
    ScenarioSettings,
    baseline_of,
    bfr_weekly,
    compare,
    compare_many,
    context_from_ledger,
)
from forecasting.scenarios.financing import discount_yearly_cost, parse_discount_terms
from forecasting.scenarios.scope import LeverError
from tests.fixtures.handmade import AS_OF, EXACT, counterparty, invoice, make_ledger, monthly_history

COLLECT_10 = ('{"name": "Collect 10 days faster", "levers": [{"type": "collection_effort", '
              '"scope": {"kind": "all"}, "delay_change_days": -10}]}')
SUPPLIERS_75 = ('{"name": "Suppliers at 75 days", "levers": [{"type": "supplier_terms", "scope": {"kind": "all"}, '
                '"terms": "net 75"}]}')


def _scenario(*levers: dict, name: str = "test") -> Scenario:
    """Return a scenario of lever dicts."""
    return Scenario.from_dict({"name": name, "levers": list(levers)})


def _ledger(extra_receivables: list[dict] = (), payables: list[dict] = (), counterparties: list[dict] = ()):
    """Return clients A (pays on the due date) and B (10 days late), with one open invoice each."""
    rows = monthly_history("A", 0, 12, first_issue="2025-10-01")
    rows += monthly_history("B", 10, 12, first_issue="2025-10-01")
    rows += [
        invoice("A-open", "A", "2026-10-26", "2026-11-25", 1000.0),  # expected Wed 25 Nov
        invoice("B-open", "B", "2026-10-25", "2026-11-24", 2000.0),  # expected Fri 4 Dec (+10)
        *extra_receivables,
    ]
    return make_ledger(rows, payables=payables, counterparties=counterparties)


def _run(ledger, *levers: dict, settings: ScenarioSettings | None = None):
    """Return the comparison of the levers with the baseline on the EXACT (deterministic) projection."""
    cash = prepare(ledger, AS_OF, 13, EXACT)
    return compare(cash, _scenario(*levers), context_from_ledger(ledger, AS_OF), settings)


def _daily(projection, column: str) -> pd.Series:
    """Return one daily column indexed by date, without the zero days."""
    series = projection.daily.set_index("date")[column]
    return series[series.abs() > 1e-9]


# --- reading scenario files ----------------------------------------------------------------------
def test_the_two_documented_scenario_files_are_read_as_written():
    collect = Scenario.from_json(COLLECT_10)
    assert collect.name == "Collect 10 days faster"
    assert collect.levers[0].delay_change_days == -10 and collect.levers[0].scope.kind == "all"
    suppliers = Scenario.from_json(SUPPLIERS_75)
    assert suppliers.levers[0].terms == Terms("net", 75)  # parsed once, when read
    # Saved and reloaded, a scenario is the same.
    assert Scenario.from_dict(json.loads(json.dumps(collect.to_dict()))) == collect


@pytest.mark.parametrize(("lever", "message"), [
    ({"type": "magic", "share": 1}, "lever 1: unknown lever type 'magic'"),
    ({"type": "factoring", "share": 0.5, "advance_rate": 1.4}, "lever 1 (factoring): advance_rate must be between 0 and 1, got 1.4"),
    ({"type": "factoring", "share": -0.2}, "lever 1 (factoring): share must be between 0 and 1, got -0.2"),
    ({"type": "factoring"}, "lever 1 (factoring): share is missing"),
    ({"type": "client_terms"}, "lever 1 (client_terms): terms is missing"),
    ({"type": "client_terms", "terms": "whenever"}, "lever 1 (client_terms): terms is not payment terms"),
    ({"type": "collection_effort", "delay_change_days": -10, "speed": 2}, "speed is not a field of this lever"),
    ({"type": "early_payment_discount", "terms": "2/10 net 30", "take_up_share": 1.5}, "take_up_share must be between 0 and 1"),
    ({"type": "client_default", "scope": {"kind": "all"}}, "lever 1 (client_default): scope must name"),
    ({"type": "one_off_flow", "amount": -5000}, "lever 1 (one_off_flow): date is missing"),
    ({"type": "activity", "sales_change_pct": -150}, "sales_change_pct must be between -100 and 1000"),
    ({"type": "supplier_terms", "scope": {"kind": "segment"}, "terms": "net 45"}, "scope.segments must list"),
])
def test_a_bad_lever_is_refused_naming_the_lever_and_the_field(lever: dict, message: str):
    with pytest.raises(LeverError, match=None) as err:
        _scenario(lever)
    assert message in str(err.value)


def test_a_file_that_is_not_json_or_has_no_levers_is_refused():
    with pytest.raises(InputError, match="not valid JSON"):
        Scenario.from_json("{name: oops")
    with pytest.raises(InputError, match="levers must be a non-empty list"):
        Scenario.from_json('{"name": "empty", "levers": []}')


def test_discount_terms_and_their_yearly_cost():
    assert parse_discount_terms("2/10 net 30") == (0.02, 10, 30)
    # 0.02 / 0.98 × 365 / 20 = 0.37245
    assert discount_yearly_cost(0.02, 10, 30) == pytest.approx(0.3724, abs=1e-4)
    assert round(discount_yearly_cost(0.02, 10, 30) * 100, 1) == 37.2


# --- levers on hand-made ledgers -----------------------------------------------------------------
def test_collection_effort_moves_payments_earlier_but_never_before_tomorrow():
    result = _run(_ledger(), {"type": "collection_effort", "delay_change_days": -10, "ramp_weeks": 0})
    receipts = _daily(result.scenario, "receipts_open_invoices")
    # B: Fri 4 Dec - 10 = Tue 24 Nov; A: Wed 25 Nov - 10 = 15 Nov, in the past: the first day, Tue 24 Nov.
    assert receipts.to_dict() == {pd.Timestamp("2026-11-24"): pytest.approx(3000.0)}
    base = _daily(result.baseline, "receipts_open_invoices")
    assert base.to_dict() == {pd.Timestamp("2026-11-25"): pytest.approx(1000.0),
                              pd.Timestamp("2026-12-04"): pytest.approx(2000.0)}


def test_collection_effort_builds_up_over_its_ramp_instead_of_piling_receipts_into_week_one():
    result = _run(_ledger(), {"type": "collection_effort", "delay_change_days": -10, "ramp_weeks": 2})
    receipts = _daily(result.scenario, "receipts_open_invoices")
    # Start = day 1 (Tue 24 Nov), ramp 14 days. A, Wed 25 Nov = day 2: 2/14 of -10 = -1.4 -> -1: Tue 24 Nov.
    # B, Fri 4 Dec = day 11: 11/14 of -10 = -7.9 -> -8: Thu 26 Nov (B pays on any weekday in its history).
    assert receipts.to_dict() == {pd.Timestamp("2026-11-24"): pytest.approx(1000.0),
                                  pd.Timestamp("2026-11-26"): pytest.approx(2000.0)}
    default = _run(_ledger(), {"type": "collection_effort", "delay_change_days": -10})
    # The default ramp, 8 weeks: A day 2 -> -10 × 2/56 = -0.4 -> 0; B day 11 -> -10 × 11/56 = -2.0 -> -2: Wed 2 Dec.
    assert _daily(default.scenario, "receipts_open_invoices").to_dict() == {
        pd.Timestamp("2026-11-25"): pytest.approx(1000.0), pd.Timestamp("2026-12-02"): pytest.approx(2000.0)}


def test_lateness_reduction_halves_only_the_days_past_due():
    result = _run(_ledger(), {"type": "collection_effort", "lateness_reduction_share": 0.5, "ramp_weeks": 0})
    receipts = _daily(result.scenario, "receipts_open_invoices")
    # A pays on its due date: unchanged. B: due Tue 24 Nov + 10 late -> + 5 = Sun 29 Nov, kept: B's history (dates
    # not rolled to business days) shows it pays on every day of the week.
    assert receipts.to_dict() == {pd.Timestamp("2026-11-25"): pytest.approx(1000.0),
                                  pd.Timestamp("2026-11-29"): pytest.approx(2000.0)}


def test_a_client_default_removes_exactly_its_open_amount_from_receipts():
    extra = [invoice("B-open2", "B", "2026-11-02", "2026-12-02", 3000.0)]  # expected Sat 12 Dec -> Mon 14 Dec
    result = _run(_ledger(extra), {"type": "client_default", "scope": {"kind": "counterparties", "ids": ["B"]}})
    delta = result.delta
    assert delta.receipts == pytest.approx(-5000.0)
    assert delta.net_cash_at_horizon == pytest.approx(-5000.0)
    assert delta.expected_bad_debt == pytest.approx(5000.0)
    # A still pays its 1 000 on 25 Nov; B's invoices are written off on the first day: receivables fall by 5 000.
    assert _daily(result.scenario, "receipts_open_invoices").sum() == pytest.approx(1000.0)
    assert result.bfr_scenario["receivables_eur"].iloc[0] == pytest.approx(0.0)
    assert result.bfr_baseline["receivables_eur"].iloc[0] == pytest.approx(5000.0)  # 6 000 open - A's 1 000 paid


def test_client_terms_on_open_invoices_move_the_payment_with_the_due_date():
    rows = [invoice("A-nov", "A", "2026-11-02", "2026-12-02", 1000.0)]  # A pays on the due date
    ledger = make_ledger(monthly_history("A", 0, 12, first_issue="2025-10-01") + rows)
    # net 60 from 2 Nov = Fri 1 Jan 2027, a bank holiday, kept: A's history pays on every day, holidays too.
    moved = _run(ledger, {"type": "client_terms", "terms": "net 60", "apply_to_open": True})
    assert _daily(moved.scenario, "receipts_open_invoices").to_dict() == {pd.Timestamp("2027-01-01"): pytest.approx(1000.0)}
    kept = _run(ledger, {"type": "client_terms", "terms": "net 60"})  # only invoices issued from now on
    assert _daily(kept.scenario, "receipts_open_invoices").to_dict() == {pd.Timestamp("2026-12-02"): pytest.approx(1000.0)}


def test_factoring_costs_worked_out_by_hand():
    # One open invoice of 10 000, not yet due, paid on its due date Mon 21 Dec. Fully assigned on Tue 24 Nov:
    # advance 90 % = 9 000, fee 1 % = 100 on 24 Nov; reserve 1 000 on 21 Dec, financing 9 000 × 6 % × 27 / 360 = 40.50.
    rows = monthly_history("A", 0, 12, first_issue="2025-10-01")
    rows += [invoice("A-big", "A", "2026-11-20", "2026-12-21", 10_000.0)]
    result = _run(make_ledger(rows), {"type": "factoring", "share": 1.0, "advance_rate": 0.9,
                                      "service_fee_rate": 0.01, "financing_rate": 0.06})
    receipts = _daily(result.scenario, "receipts_open_invoices")
    assert receipts.to_dict() == {pd.Timestamp("2026-11-24"): pytest.approx(9000.0),
                                  pd.Timestamp("2026-12-21"): pytest.approx(1000.0)}
    costs = _daily(result.scenario, "financial_costs")
    assert costs.to_dict() == {pd.Timestamp("2026-11-24"): pytest.approx(100.0),
                               pd.Timestamp("2026-12-21"): pytest.approx(40.5)}
    effect = result.delta.financial_effect
    assert effect.factoring_fees == pytest.approx(100.0)
    assert effect.factoring_financing == pytest.approx(40.5)
    assert result.delta.net_cash_at_horizon == pytest.approx(-140.5)
    # The assigned invoice leaves receivables on assignment: BFR is 10 000 lower until it would have been paid.
    assert result.bfr_scenario["receivables_eur"].iloc[0] == pytest.approx(0.0)
    assert result.bfr_baseline["receivables_eur"].iloc[0] == pytest.approx(10_000.0)


def test_supplier_terms_beyond_the_french_caps_are_flagged_not_blocked():
    payables = monthly_history("S", 0, 12, first_issue="2025-10-01")
    for row in payables:
        row[C.SIDE] = C.PAYABLE
    cps = [counterparty("A"), counterparty("B"),
           counterparty("S", kind=C.SUPPLIER, terms="45 days end of month")]
    ledger = _ledger(payables=payables, counterparties=cps)
    at_75 = _run(ledger, {"type": "supplier_terms", "terms": "net 75"})
    assert any("net 75" in w and "legal cap" in w for w in at_75.warnings)
    assert not _run(ledger, {"type": "supplier_terms", "terms": "net 60"}).warnings
    later = _run(ledger, {"type": "supplier_terms", "delay_change_days": 15})
    assert any("45 days end of month + 15 days = up to 90 days" in w for w in later.warnings)
    # The warnings are Messages: a French page or board pack writes them in French.
    assert localise(at_75.warnings[0], "fr").startswith("Délais fournisseurs : « net 75 » dépasse le plafond légal")


def test_a_one_off_flow_lands_on_its_day_and_outside_the_horizon_it_is_a_warning():
    result = _run(_ledger(), {"type": "one_off_flow", "date": "2026-12-15", "amount": -50_000, "category": "capex",
                              "label": "new machine"})
    assert _daily(result.scenario, "capex").to_dict() == {pd.Timestamp("2026-12-15"): pytest.approx(50_000.0)}
    assert result.delta.net_cash_at_horizon == pytest.approx(-50_000.0)
    assert result.delta.bfr_at_horizon == pytest.approx(0.0)  # capex is not working capital
    late = _run(_ledger(), {"type": "one_off_flow", "date": "2027-12-15", "amount": 1000})
    assert late.delta.net_cash_at_horizon == pytest.approx(0.0)
    assert "outside the horizon" in late.warnings[0]


def test_every_scenario_day_still_closes_at_opening_plus_receipts_minus_disbursements():
    result = _run(_ledger(), {"type": "factoring", "share": 0.5}, {"type": "collection_effort", "delay_change_days": -3})
    d = result.scenario.daily
    np.testing.assert_allclose(d["closing_expected"], d["opening"] + d["receipts"] - d["disbursements"], atol=1e-6)


def _forbid_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every fitting function of the behaviour model fail, under each name the package imported it by."""
    def refit(*args, **kwargs):
        raise AssertionError("the behaviour model was fitted")

    for name in ("fit_behaviour", "fit_settled"):
        original = getattr(behaviour, name)
        for module in [m for n, m in sys.modules.items() if n.startswith("forecasting.")]:
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, refit)


def test_applying_a_scenario_never_refits_the_behaviour_model(monkeypatch: pytest.MonkeyPatch):
    ledger = _ledger()
    cash = prepare(ledger, AS_OF, 13, EXACT)
    _forbid_fitting(monkeypatch)
    with pytest.raises(AssertionError, match="was fitted"):  # the guard reaches the code that fits
        prepare(ledger, AS_OF, 13, EXACT)
    compare(cash, Scenario.from_json(COLLECT_10), context_from_ledger(ledger, AS_OF))


def test_at_most_four_scenarios_are_compared_at_once():
    ledger = _ledger()
    cash = prepare(ledger, AS_OF, 13, EXACT)
    scenarios = [Scenario.from_json(COLLECT_10)] * 5
    with pytest.raises(InputError, match="at most 4"):
        compare_many(cash, scenarios, context_from_ledger(ledger, AS_OF))
    assert len(compare_many(cash, scenarios[:4], context_from_ledger(ledger, AS_OF))) == 4


def test_bfr_counts_inventory_and_days_of_sales():
    ledger = _ledger()
    cash = prepare(ledger, AS_OF, 13, EXACT)
    frame = bfr_weekly(cash, daily_sales_ttc_eur=100.0, inventory_eur=700.0)
    # Week 1 ends Sun 29 Nov: A's 1 000 paid on 25 Nov, B's 2 000 still open: 700 + 2 000 - 0 = 2 700 = 27 days.
    assert frame["bfr_eur"].iloc[0] == pytest.approx(2700.0)
    assert frame["bfr_days_of_sales"].iloc[0] == pytest.approx(27.0)


# --- the demo company ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_cash(demo_ledger):
    """Return the demo's prepared items (fitted once for the module) and its scenario context."""
    return prepare(demo_ledger, AS_OF, 13), context_from_ledger(demo_ledger, AS_OF)


def test_collect_10_days_faster_frees_about_10_days_of_sales_on_the_demo(demo_cash):
    cash, context = demo_cash
    result = compare(cash, Scenario.from_json(COLLECT_10), context)
    ten_days_of_sales = 10 * context.daily_sales_ttc_eur  # ~ 12 M€ / 365 × 10 ≈ 330 k€
    assert 300_000 < ten_days_of_sales < 380_000
    assert -result.delta.bfr_at_horizon == pytest.approx(ten_days_of_sales, rel=0.15)
    assert result.delta.net_cash_at_horizon == pytest.approx(ten_days_of_sales, rel=0.15)
    assert result.delta.bfr_days_of_sales_at_horizon == pytest.approx(-10, rel=0.15)
    assert result.delta.financial_effect.net > 0  # no cost, interest earned on the cash freed


def test_demo_levers_move_cash_and_bfr_in_the_expected_directions(demo_cash):
    cash, context = demo_cash
    base = baseline_of(cash, context)

    def delta(*levers: dict) -> ScenarioDelta:
        return compare(cash, _scenario(*levers), context, baseline=base).delta

    discount = delta({"type": "early_payment_discount", "terms": "2/10 net 30", "take_up_share": 0.5})
    assert discount.net_cash_at_horizon > 0 and discount.financial_effect.discount_cost > 0
    factoring = delta({"type": "factoring", "share": 0.5})
    assert factoring.bfr_at_horizon < -factoring.net_cash_at_horizon < 0  # BFR falls more than cash rises
    assert factoring.financial_effect.factoring_fees > 0
    stop = delta({"type": "activity", "sales_change_pct": -100})
    assert stop.receipts < 0 and stop.bfr_at_horizon < 0
    pay_later = delta({"type": "supplier_terms", "delay_change_days": 15})
    assert pay_later.net_cash_at_horizon > 0 and pay_later.payables_at_horizon > 0
    take = delta({"type": "supplier_discount", "terms": "2/10 net 30"})
    assert take.net_cash_at_horizon < 0 and take.financial_effect.supplier_discount_gain > 0


def test_the_scenario_projection_keeps_its_range(demo_cash):
    cash, context = demo_cash
    weekly = compare(cash, Scenario.from_json(COLLECT_10), context).scenario.weekly
    assert (weekly["closing_p10"] <= weekly["closing_p50"] + 1e-6).all()
    assert (weekly["closing_p50"] <= weekly["closing_p90"] + 1e-6).all()
    assert (weekly["closing_p90"] - weekly["closing_p10"]).iloc[-1] > 0


def test_aggregate_of_the_baseline_is_unchanged_by_settlement_columns(demo_cash):
    cash, context = demo_cash
    assert aggregate(cash).weekly.equals(baseline_of(cash, context).projection.weekly)
