"""What each lever of a scenario brings: net cash and BFR at the horizon, baseline to scenario, lever by lever.

The levers are added one at a time in the order they apply (apply.apply_levers): the bar of a lever is what it
adds to the levers before it, so the bars add up exactly to the scenario's total. Levers interact (a discount
costs more once collection is faster; factoring advances invoices whose dates another lever moved), so a lever's
bar depends on its place: each step also says what the lever would bring alone, and the interaction is the total
minus the sum of the levers alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from forecasting.projection.forecast import aggregate
from forecasting.projection.types import CashItems
from forecasting.scenarios.apply import apply_levers
from forecasting.scenarios.compare import ScenarioSettings, bfr_weekly
from forecasting.scenarios.registry import Lever
from forecasting.scenarios.results import ScenarioResult
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.work import ScenarioContext


@dataclass(frozen=True)
class LeverStep:
    """One lever's bar: its effect added to the levers before it, and its effect alone (EUR at the horizon)."""

    position: int  # 1-based, in the order the levers apply
    lever: Lever
    net_cash_eur: float  # net cash at horizon (expected) after this lever minus before it
    bfr_eur: float  # BFR at horizon after this lever minus before it (a fall frees cash)
    net_cash_alone_eur: float  # the lever applied alone to the baseline
    bfr_alone_eur: float


@dataclass(frozen=True)
class Waterfall:
    """Baseline, one step per lever and scenario, for net cash at horizon (expected) and BFR at horizon."""

    scenario_name: str
    baseline_net_cash_eur: float
    scenario_net_cash_eur: float
    baseline_bfr_eur: float
    scenario_bfr_eur: float
    steps: tuple[LeverStep, ...]

    @property
    def net_cash_interaction_eur(self) -> float:
        """Return the total change of net cash minus the sum of the levers applied alone."""
        total = self.scenario_net_cash_eur - self.baseline_net_cash_eur
        return total - sum(step.net_cash_alone_eur for step in self.steps)

    @property
    def bfr_interaction_eur(self) -> float:
        """Return the total change of BFR minus the sum of the levers applied alone."""
        total = self.scenario_bfr_eur - self.baseline_bfr_eur
        return total - sum(step.bfr_alone_eur for step in self.steps)


def _at_horizon(cash: CashItems, levers: tuple[Lever, ...], context: ScenarioContext,
                inventory_eur: float) -> tuple[float, float]:
    """Return (net cash expected, BFR) at the horizon with the levers applied, as compare() measures them."""
    applied = apply_levers(cash, levers, context).cash
    net_cash = float(aggregate(applied).daily["closing_expected"].iloc[-1])
    bfr = float(bfr_weekly(applied, context.daily_sales_ttc_eur, inventory_eur)["bfr_eur"].iloc[-1])
    return net_cash, bfr


def waterfall(cash: CashItems, scenario: Scenario, result: ScenarioResult, context: ScenarioContext,
              settings: ScenarioSettings | None = None) -> Waterfall:
    """Return the scenario's effect lever by lever, ending exactly on the comparison's figures."""
    settings = settings or ScenarioSettings()
    ordered = tuple(sorted(scenario.levers, key=lambda lever: lever.ORDER))  # the order apply_levers uses
    base_cash = float(result.kpis_baseline["net_cash_at_horizon"])
    base_bfr = float(result.kpis_baseline["bfr_at_horizon"])
    end_cash = float(result.kpis_scenario["net_cash_at_horizon"])
    end_bfr = float(result.kpis_scenario["bfr_at_horizon"])
    # Cumulative figures after each lever; the last is the comparison's own (the bars then add up exactly).
    cumulative = [_at_horizon(cash, ordered[:k], context, settings.inventory_eur) for k in range(1, len(ordered))]
    cumulative.append((end_cash, end_bfr))
    alone = [cumulative[0]] + [_at_horizon(cash, (lever,), context, settings.inventory_eur) for lever in ordered[1:]]
    steps, before = [], (base_cash, base_bfr)
    for position, (lever, after, single) in enumerate(zip(ordered, cumulative, alone, strict=True), start=1):
        steps.append(LeverStep(position, lever, after[0] - before[0], after[1] - before[1],
                               single[0] - base_cash, single[1] - base_bfr))
        before = after
    return Waterfall(result.scenario_name, base_cash, end_cash, base_bfr, end_bfr, tuple(steps))
