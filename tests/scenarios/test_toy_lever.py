"""A lever type written as one class (tests/fixtures/toy_lever.py) reaches every place a lever type goes.

The registry, the What-if form's description, a CLI scenario file and the apply step; and it is gone once
unregistered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli.main import main
from forecasting.core import columns as C
from forecasting.projection.forecast import prepare
from forecasting.scenarios.catalog import lever_class, lever_types
from forecasting.scenarios.compare import compare, context_from_ledger
from forecasting.scenarios.registry import register
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.scope import LeverError
from pages.widgets.whatif_form import defaults, form_from_scenario, levers_from_form, sections
from tests.fixtures.handmade import AS_OF, EXACT, counterparty, invoice, make_ledger, monthly_history
from tests.fixtures.toy_lever import DelaySuppliers, toy_lever_registered

TOY_FILE = {"name": "Suppliers a week later", "levers": [{"type": "toy", "days": 7}]}


@pytest.fixture
def toy() -> Iterator[type[DelaySuppliers]]:
    """Return the toy lever class, registered for the test."""
    with toy_lever_registered() as cls:
        yield cls


def test_the_toy_lever_is_registered_for_the_test_only() -> None:
    assert lever_class("toy") is None
    with toy_lever_registered():
        assert lever_class("toy") is DelaySuppliers
        # applied between supplier terms (40) and collection effort (50)
        types = [cls.TYPE for cls in lever_types()]
        assert types.index("supplier_terms") < types.index("toy") < types.index("collection_effort")
    assert lever_class("toy") is None
    with pytest.raises(LeverError, match="unknown lever type 'toy'"):
        Scenario.from_dict(TOY_FILE)


def test_the_registry_refuses_a_class_it_could_not_use() -> None:
    class NotADataclass(DelaySuppliers):
        TYPE = "plain"

    with pytest.raises(TypeError, match="must be a frozen dataclass"):
        register(NotADataclass)

    @dataclass(frozen=True, kw_only=True)
    class SameType(DelaySuppliers):
        TYPE = "client_terms"
        FORM = replace(DelaySuppliers.FORM, key="same")

    with pytest.raises(TypeError, match="two lever classes have the type 'client_terms'"):
        register(SameType)

    @dataclass(frozen=True, kw_only=True)
    class SameForm(DelaySuppliers):
        TYPE = "same_form"
        FORM = replace(DelaySuppliers.FORM, key="ct")

    with pytest.raises(TypeError, match="form key 'ct' is ClientTerms's already"):
        register(SameForm)
    assert lever_class("plain") is None and lever_class("same_form") is None


def test_the_toy_lever_shows_in_the_form_description_and_reads_back(toy: type[DelaySuppliers]) -> None:
    suppliers = dict((section.key, [cls.TYPE for cls in classes]) for section, classes in sections())["sup"]
    assert suppliers == ["supplier_terms", "supplier_discount", "toy"]  # its FORM.position: last of the section
    values = defaults(AS_OF.date())
    assert values["wi_toy_on"] is False and values["wi_toy_days"] == 7
    assert levers_from_form(values, AS_OF.date()) == ()
    chosen = values | {"wi_toy_on": True, "wi_toy_days": 10, "wi_sup_scope": "Chosen", "wi_sup_ids": ["S"]}
    levers = levers_from_form(chosen, AS_OF.date())
    assert levers == (toy(days=10, scope=levers[0].scope),) and levers[0].scope.values == ("S",)
    loaded, left_out = form_from_scenario(Scenario("toy", levers), AS_OF.date())
    assert left_out == [] and loaded["wi_toy_days"] == 10 and loaded["wi_sup_ids"] == ["S"]


def test_a_scenario_file_with_the_toy_lever_is_read_checked_and_written_back(toy: type[DelaySuppliers]) -> None:
    scenario = Scenario.from_dict(TOY_FILE)
    assert scenario.levers == (toy(days=7),)
    assert json.loads(scenario.to_json()) == {"name": "Suppliers a week later", "levers": [
        {"type": "toy", "scope": {"kind": "all"}, "days": 7}]}
    for lever, message in [({"type": "toy"}, "lever 1 (toy): days is missing"),
                           ({"type": "toy", "days": 0}, "lever 1 (toy): days must be between 1 and 365, got 0"),
                           ({"type": "toy", "days": 2.5}, "lever 1 (toy): days must be a whole number of days"),
                           ({"type": "toy", "days": 3, "weeks": 1}, "lever 1 (toy): weeks is not a field")]:
        with pytest.raises(LeverError) as err:
            Scenario.from_dict({"name": "bad", "levers": [lever]})
        assert str(err.value).startswith(message)


def test_the_toy_lever_moves_a_supplier_payment_by_its_days(toy: type[DelaySuppliers]) -> None:
    # Supplier S pays on the due date; its open invoice of 1 000 is due Wed 25 Nov: 7 days later is Wed 2 Dec.
    payables = monthly_history("S", 0, 12, first_issue="2025-10-01")
    payables += [invoice("S-open", "S", "2026-10-26", "2026-11-25", 1000.0)]
    for row in payables:
        row[C.SIDE] = C.PAYABLE
    ledger = make_ledger(monthly_history("A", 0, 12, first_issue="2025-10-01"), payables=payables,
                         counterparties=[counterparty("A"), counterparty("S", kind=C.SUPPLIER)])
    cash = prepare(ledger, AS_OF, 13, EXACT)
    result = compare(cash, Scenario.from_dict(TOY_FILE), context_from_ledger(ledger, AS_OF))

    def paid(projection: object) -> dict[pd.Timestamp, float]:
        suppliers = projection.daily.set_index("date")["suppliers"]  # type: ignore[attr-defined]
        return suppliers[suppliers.abs() > 1e-9].to_dict()

    assert paid(result.baseline) == {pd.Timestamp("2026-11-25"): pytest.approx(1000.0)}
    assert paid(result.scenario) == {pd.Timestamp("2026-12-02"): pytest.approx(1000.0)}
    # Between the two days the scenario holds 1 000 more cash and 1 000 more payables; at the horizon, the same.
    weekly = result.weekly_comparison().set_index("week_start")
    assert weekly.loc[pd.Timestamp("2026-11-23"), "closing_delta"] == pytest.approx(1000.0)
    assert weekly.loc[pd.Timestamp("2026-11-30"), "closing_delta"] == pytest.approx(0.0)
    assert result.delta.net_cash_at_horizon == pytest.approx(0.0)
    # From a start date after the due day, the payment does not move.
    later = Scenario("later", (toy(days=7, start=date(2026, 11, 26)),))
    assert paid(compare(cash, later, context_from_ledger(ledger, AS_OF)).scenario) == paid(result.baseline)


def test_cashpilot_forecast_reads_the_toy_lever_from_a_scenario_file(
        toy: type[DelaySuppliers], demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "toy.json"
    path.write_text(json.dumps(TOY_FILE))
    assert main(["--db", str(demo_db), "forecast", "--as-of", "2026-11-23", "--scenario", str(path),
                 "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["scenario"] == "Suppliers a week later"
    # Paying every supplier a week later: more cash and more payables at the horizon, about a week of purchases.
    delta = payload["delta"]
    assert delta["net_cash_at_horizon"] > 0 and delta["payables_at_horizon"] > 0
    assert delta["net_cash_at_horizon"] == pytest.approx(delta["payables_at_horizon"], rel=0.05)
