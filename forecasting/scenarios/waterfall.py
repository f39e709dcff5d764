"""What each lever of a scenario brings: net cash and BFR at the horizon, baseline to scenario, lever by lever.

The levers are added one at a time in the order they apply (apply.apply_levers): the bar of a lever is what it
adds to the levers before it, so the bars add up to the scenario's total. Levers interact (a discount
costs more once collection is faster; factoring advances invoices whose dates another lever moved), so a lever's
bar depends on its place: each step also says what the lever would bring alone, and the interaction is the total
minus the sum of the levers alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from forecasting.core import columns as C
from forecasting.projection.items import KIND_FUTURE, KIND_OPEN
from forecasting.projection.types import CashItems
from forecasting.scenarios.apply import application_order, apply_levers
from forecasting.scenarios.compare import ScenarioSettings
from forecasting.scenarios.registry import Lever
from forecasting.scenarios.results import ScenarioResult
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.work import BFR_SIDE, SETTLED, ScenarioContext, Work, with_settlement


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


def _expected(values: npt.NDArray[np.float64], scale_row: npt.NDArray[np.int64], cash: CashItems,
              mask: npt.NDArray[np.bool_]) -> float:
    """Return Σ value × amount scale over the draws where mask holds, divided by the paths (expected EUR)."""
    varies = scale_row > 0  # only future and disputed invoices' amounts vary by path: the others count their draws
    n_sims = int(mask.shape[1])
    fixed = float(values[~varies] @ mask[~varies].sum(axis=1))
    if not varies.any():
        return fixed / n_sims
    scaled = (cash.amount_scales[scale_row[varies]] * mask[varies]).sum(axis=1)
    return (fixed + float(values[varies] @ scaled)) / n_sims


def _at_horizon(cash: CashItems, inventory_eur: float) -> tuple[float, float]:
    """Return (net cash expected, BFR) at the horizon, as compare() measures them, summed straight over the items.

    The same sums as aggregate()'s last expected closing and bfr_weekly()'s last week, without the daily frames,
    the percentiles or the weekly BFR (tests check the figures are equal to theirs).
    """
    cash = with_settlement(cash)
    items, pay, n_days = cash.items, cash.pay_day_offsets, cash.n_days
    n_sims = pay.shape[1]
    scale_row = items["scale_row"].to_numpy(dtype=np.int64)
    paid = (pay >= 1) & (pay <= n_days)
    net_cash = cash.opening_balance + _expected(items[C.AMOUNT].to_numpy(dtype=float), scale_row, cash, paid)
    if cash.extra_paths is not None:
        net_cash += float(cash.extra_paths.sum()) / n_sims
    # BFR = inventory + receivables − payables = inventory + Σ settled still owed over both sides (payables < 0):
    # open at as-of, plus future invoices issued by the horizon, minus what is settled inside it.
    trade = np.isin(items[BFR_SIDE].to_numpy(dtype=object), [C.RECEIVABLE, C.PAYABLE])
    settled = items[SETTLED].to_numpy(dtype=float)
    kind = items["kind"].to_numpy(dtype=object)
    owed = float(settled[trade & (kind == KIND_OPEN)].sum())
    future = np.flatnonzero(trade & (kind == KIND_FUTURE))
    if len(future):
        issued = cash.future_days.issue(items["future_row"].to_numpy(dtype=np.int64)[future]) <= n_days
        owed += _expected(settled[future], scale_row[future], cash, issued)
    rows = np.flatnonzero(trade)
    owed -= _expected(settled[rows], scale_row[rows], cash, paid[rows])
    if cash.extra_settled is not None:
        owed -= float(cash.extra_settled.sum())
    return float(net_cash), inventory_eur + owed


def _cumulative(cash: CashItems, ordered: tuple[Lever, ...], context: ScenarioContext,
                inventory_eur: float) -> list[tuple[float, float]]:
    """Return the figures before any lever and after each, applying them one by one to one working copy.

    The same as apply_levers(cash, ordered[:k]) for each k: levers apply in that order, each on the work before it.
    """
    work, out = Work(cash, context), [_at_horizon(cash, inventory_eur)]
    for lever in ordered:
        lever.apply(work)
        out.append(_at_horizon(work.finish().cash, inventory_eur))
    return out


def waterfall(cash: CashItems, scenario: Scenario, result: ScenarioResult, context: ScenarioContext,
              settings: ScenarioSettings | None = None) -> Waterfall:
    """Return the scenario's effect lever by lever, from and to the comparison's figures."""
    settings = settings or ScenarioSettings()
    ordered = application_order(scenario.levers)  # the order apply_levers uses
    base_cash = float(result.kpis_baseline["net_cash_at_horizon"])
    base_bfr = float(result.kpis_baseline["bfr_at_horizon"])
    end_cash = float(result.kpis_scenario["net_cash_at_horizon"])
    end_bfr = float(result.kpis_scenario["bfr_at_horizon"])
    # Cumulative figures after each lever; the last is the comparison's own (the bars then add up exactly).
    # Every bar is a difference of figures summed the same way: a lever that leaves a figure alone shows exactly 0.
    # They add up to the comparison's change to within float rounding (a millionth of a euro).
    base, *cumulative = _cumulative(cash, ordered, context, settings.inventory_eur)
    alone = [cumulative[0]] + [_at_horizon(apply_levers(cash, (lever,), context).cash, settings.inventory_eur)
                               for lever in ordered[1:]]
    steps, before = [], base
    for position, (lever, after, single) in enumerate(zip(ordered, cumulative, alone, strict=True), start=1):
        steps.append(LeverStep(position, lever, after[0] - before[0], after[1] - before[1],
                               single[0] - base[0], single[1] - base[1]))
        before = after
    return Waterfall(result.scenario_name, base_cash, end_cash, base_bfr, end_bfr, tuple(steps))
