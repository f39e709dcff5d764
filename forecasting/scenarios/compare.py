"""Compares a scenario with its baseline on the same prepared projection, without refitting.

`compare(cash, scenario, context)` edits the sampled cash items (`apply_levers`) and re-aggregates them, then
measures the BFR week by week from the same items:
BFR(t) = inventory + receivables(t) − payables(t), where receivables(t) = open at as-of + invoiced since −
settled since (trade receivables and payables TTC, DOMAIN.md's simplified BFR). Days of sales divide by the
last 365 days' sales TTC / 365. The financial effect sets the discount and factoring costs against the
interest earned (or saved on the overdraft) on the extra cash, at a cost-of-funds setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.blocks import add_at
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.model.invoicing import to_reporting
from forecasting.projection.forecast import aggregate
from forecasting.projection.types import CashItems, Projection
from forecasting.scenarios.apply import apply_levers
from forecasting.scenarios.results import Baseline, FinancialEffect, ScenarioDelta, ScenarioResult
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.work import BFR_SIDE, SETTLED, Costs, ScenarioContext, with_settlement

MAX_COMPARED = 4
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class ScenarioSettings:
    """Inputs of the comparison a CFO sets: stock (not imported) and the cost of funds."""

    inventory_eur: float = 0.0
    cost_of_funds_rate: float = 0.05  # yearly: what a euro of cash earns, or an overdraft costs

    def __post_init__(self) -> None:
        """Reject impossible settings."""
        if self.inventory_eur < 0:
            raise InputError(f"inventory must be zero or more, got {self.inventory_eur}")
        if not 0 <= self.cost_of_funds_rate <= 1:
            raise InputError(f"the cost of funds is a yearly rate between 0 and 1, got {self.cost_of_funds_rate}")


def context_from_ledger(ledger: Ledger, as_of: date | str, eom_method: str = "days_then_eom") -> ScenarioContext:
    """Return what the levers need from the ledger: counterparties and daily sales and purchases TTC (EUR)."""
    as_of_ts = pd.Timestamp(as_of).normalize()

    def daily(invoices: pd.DataFrame) -> float:
        issued = pd.to_datetime(invoices[C.ISSUE_DATE])
        recent = invoices[(issued > as_of_ts - pd.Timedelta(days=DAYS_PER_YEAR)) & (issued <= as_of_ts)]
        if not len(recent):
            return 0.0
        return float(to_reporting(recent[C.AMOUNT_TTC], recent[C.CURRENCY], ledger.fx_rates, as_of_ts).sum()
                     / DAYS_PER_YEAR)

    return ScenarioContext(ledger.counterparties, daily(ledger.receivables), daily(ledger.payables), eom_method)


def bfr_weekly(cash: CashItems, daily_sales_ttc_eur: float, inventory_eur: float = 0.0) -> pd.DataFrame:
    """Return receivables, payables and BFR at the end of each week of the horizon (EUR, days of sales)."""
    cash = with_settlement(cash)
    items, pay = cash.items, cash.pay_day_offsets
    n_days, n_sims = cash.n_days, pay.shape[1]
    settled = items[SETTLED].to_numpy(dtype=float)
    future_row = items["future_row"].to_numpy(dtype=np.int64)
    # Side 0 = receivables, 1 = payables, 2 = neither (discarded); one bincount per quantity over (side, day).
    side_code = np.where(_equals(items[BFR_SIDE], "receivable"), 0, np.where(_equals(items[BFR_SIDE], "payable"), 1, 2))
    is_open = _equals(items["kind"], "open_invoice")
    # Rows that settle nothing (a factoring reserve) add only zeros: left out, the sums are the same floats (x + 0 = x;
    # a bin starting at +0 is never −0), unless a path scale is not finite (0 × inf would be NaN).
    counts = (side_code < 2) & ((settled != 0) | ~np.isfinite(cash.amount_scales).all())
    rows = np.flatnonzero(counts)
    settled_by_day = _daily_sum(cash, pay, rows, settled[rows], rows, side_code[rows])
    future = np.flatnonzero((side_code < 2) & _equals(items["kind"], "future_invoice"))
    issue = cash.future_days.issue(future_row[future]) if len(future) else np.zeros((0, n_sims), np.int32)
    issuing = np.flatnonzero(counts[future])
    issued_by_day = _daily_sum(cash, issue, issuing, settled[future[issuing]], future[issuing],
                               side_code[future[issuing]])
    # Future invoices issued on or before as-of (the days a stale export does not hold yet) are owed at as-of.
    issued_before = np.zeros(len(future))
    for part, weights in cash.path_amount_blocks(settled[future], future):
        issued_before[part] = (weights * (issue[part] <= 0)).sum(axis=1) / n_sims
    opening = [float(settled[(side_code == k) & is_open].sum())
               + float(issued_before[side_code[future] == k].sum()) for k in (0, 1)]
    if cash.extra_settled is not None:
        settled_by_day = settled_by_day + cash.extra_settled
    balance = np.array(opening)[:, None] + np.cumsum(issued_by_day - settled_by_day, axis=1)
    out = {"receivables_eur": balance[0], "payables_eur": -balance[1]}
    week_start = cash.dates - ((cash.dates.astype(np.int64) + 3) % 7)
    ends = np.r_[np.flatnonzero(week_start[1:] != week_start[:-1]), n_days - 1]
    frame = pd.DataFrame({"week_start": pd.to_datetime(week_start[ends]),
                          "receivables_eur": out["receivables_eur"][ends], "payables_eur": out["payables_eur"][ends]})
    frame["inventory_eur"] = float(inventory_eur)
    frame["bfr_eur"] = frame["inventory_eur"] + frame["receivables_eur"] - frame["payables_eur"]
    frame["bfr_days_of_sales"] = frame["bfr_eur"] / daily_sales_ttc_eur if daily_sales_ttc_eur > 0 else np.nan
    return frame


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """Return where a text column holds value (a mask; missing values are not equal), compared by pandas."""
    # Comparing in pandas (Arrow) spares a conversion of every string to a Python object.
    return column.eq(value).to_numpy(dtype=bool, na_value=False)


def _daily_sum(cash: CashItems, offsets: np.ndarray, lines: np.ndarray, values: np.ndarray, rows: np.ndarray,
               groups: np.ndarray) -> np.ndarray:
    """Return the expected sum of the rows' values on their paths per group (0 or 1; 2 is dropped) and day
    1..n_days: [2, n_days]. Row i's days are offsets[lines[i]] ([n_sims] each)."""
    n_days, n_sims = cash.n_days, cash.pay_day_offsets.shape[1]
    if not len(rows):
        return np.zeros((2, n_days))
    # Days outside 1..n_days go to each group's discarded last bin: day d of group g is bin g * (n_days + 1) + d − 1.
    # Keys come from a table of the days clipped to 0..n_days + 1 (0 and n_days + 1: outside), per group.
    width = n_days + 1
    table = np.r_[n_days, np.arange(n_days), n_days].astype(np.int32)
    table = (table[None, :] + width * np.arange(3, dtype=np.int32)[:, None]).ravel()
    group_base = (np.int32(n_days + 2) * groups.astype(np.int32))[:, None]
    # Block by block of rows: one bincount's sums to the bit, without [rows, n_sims] temporaries (core.blocks).
    sums = np.zeros(3 * width)
    for part, weights in cash.path_amount_blocks(values, rows):
        clipped = np.clip(offsets[lines[part]], 0, n_days + 1).astype(np.int32, copy=False)
        clipped += group_base[part]
        add_at(sums, table[clipped], weights)
    by_day: np.ndarray = sums[:2 * (n_days + 1)].reshape(2, n_days + 1)[:, :n_days] / n_sims
    return by_day


def _kpis(projection: Projection, bfr: pd.DataFrame, context: ScenarioContext) -> dict[str, Any]:
    """Return the headline figures of one side of the comparison, at the horizon."""
    last = bfr.iloc[-1]
    s = projection.summary
    return {
        "net_cash_at_horizon": s.net_cash_at_horizon,
        "min_cash": s.min_cash, "min_cash_date": s.min_cash_date,
        "first_shortfall_date": s.first_shortfall_date,
        "first_overdraft_breach_date": s.first_overdraft_breach_date,
        "receivables_at_horizon": float(last["receivables_eur"]), "payables_at_horizon": float(last["payables_eur"]),
        "bfr_at_horizon": float(last["bfr_eur"]), "bfr_days_of_sales_at_horizon": float(last["bfr_days_of_sales"]),
        "dso_days_at_horizon": float(last["receivables_eur"] / context.daily_sales_ttc_eur)
        if context.daily_sales_ttc_eur > 0 else None,
        "dpo_days_at_horizon": float(last["payables_eur"] / context.daily_purchases_ttc_eur)
        if context.daily_purchases_ttc_eur > 0 else None,
        "receipts": float(projection.weekly["receipts"].sum()),
        "disbursements": float(projection.weekly["disbursements"].sum()),
        "expected_bad_debt": s.expected_bad_debt,
    }


def _financial_effect(costs: Costs, baseline: Projection, scenario: Projection, rate: float) -> FinancialEffect:
    """Return costs, gains and the interest effect of the extra cash (EUR; net > 0 means the scenario earns)."""
    extra_cash = scenario.daily["closing_expected"].to_numpy() - baseline.daily["closing_expected"].to_numpy()
    interest = float(extra_cash.sum() * rate / DAYS_PER_YEAR)  # one day of interest per day of extra cash
    net = (interest + costs.supplier_discount_gain_eur - costs.discount_cost_eur - costs.factoring_fees_eur
           - costs.factoring_financing_eur)
    return FinancialEffect(discount_cost=costs.discount_cost_eur, supplier_discount_gain=costs.supplier_discount_gain_eur,
                           factoring_fees=costs.factoring_fees_eur, factoring_financing=costs.factoring_financing_eur,
                           interest_on_cash_difference=interest, cost_of_funds_rate=rate, net=net)


def _difference(scenario: Any, baseline: Any) -> float | None:
    """Return scenario − baseline as a float, None when either is missing."""
    return None if scenario is None or baseline is None else float(scenario - baseline)


def _delta(k_base: dict[str, Any], k_scen: dict[str, Any], effect: FinancialEffect) -> ScenarioDelta:
    """Return the differences of the headline figures, the dates of both sides and the financial effect."""
    def diff(key: str) -> float:
        """Return a difference both sides always have."""
        value = _difference(k_scen[key], k_base[key])
        assert value is not None, key  # amounts and BFR are always computed (NaN at worst)
        return value

    return ScenarioDelta(
        net_cash_at_horizon=diff("net_cash_at_horizon"), bfr_at_horizon=diff("bfr_at_horizon"),
        bfr_days_of_sales_at_horizon=diff("bfr_days_of_sales_at_horizon"), min_cash=diff("min_cash"),
        receivables_at_horizon=diff("receivables_at_horizon"), payables_at_horizon=diff("payables_at_horizon"),
        dso_days_at_horizon=_difference(k_scen["dso_days_at_horizon"], k_base["dso_days_at_horizon"]),
        dpo_days_at_horizon=_difference(k_scen["dpo_days_at_horizon"], k_base["dpo_days_at_horizon"]),
        receipts=diff("receipts"), disbursements=diff("disbursements"), expected_bad_debt=diff("expected_bad_debt"),
        min_cash_date=k_scen["min_cash_date"], min_cash_date_baseline=k_base["min_cash_date"],
        first_shortfall_date=k_scen["first_shortfall_date"],
        first_shortfall_date_baseline=k_base["first_shortfall_date"], financial_effect=effect)


def baseline_of(cash: CashItems, context: ScenarioContext, settings: ScenarioSettings | None = None) -> Baseline:
    """Return the baseline projection and BFR of the cash items."""
    settings = settings or ScenarioSettings()
    return Baseline(aggregate(cash), bfr_weekly(cash, context.daily_sales_ttc_eur, settings.inventory_eur))


def compare(cash: CashItems, scenario: Scenario, context: ScenarioContext,
            settings: ScenarioSettings | None = None, baseline: Baseline | None = None) -> ScenarioResult:
    """Return the scenario against the baseline on the same sampled items (no refit, no re-sampling)."""
    settings = settings or ScenarioSettings()
    applied = apply_levers(cash, scenario.levers, context)
    if baseline is None or float(baseline.bfr["inventory_eur"].iloc[0]) != settings.inventory_eur:
        baseline = baseline_of(cash, context, settings)
    projected = aggregate(applied.cash)
    bfr_base = baseline.bfr
    bfr_scen = bfr_weekly(applied.cash, context.daily_sales_ttc_eur, settings.inventory_eur)
    k_base, k_scen = _kpis(baseline.projection, bfr_base, context), _kpis(projected, bfr_scen, context)
    effect = _financial_effect(applied.costs, baseline.projection, projected, settings.cost_of_funds_rate)
    return ScenarioResult(scenario.name, baseline.projection, projected, bfr_base, bfr_scen,
                          _delta(k_base, k_scen, effect), k_base, k_scen, applied.warnings, applied.notes)


def compare_many(cash: CashItems, scenarios: Sequence[Scenario], context: ScenarioContext,
                 settings: ScenarioSettings | None = None) -> list[ScenarioResult]:
    """Return up to four scenarios each against the same baseline (aggregated once)."""
    if len(scenarios) > MAX_COMPARED:
        raise InputError(f"compare at most {MAX_COMPARED} scenarios at once, got {len(scenarios)}")
    baseline = baseline_of(cash, context, settings)
    return [compare(cash, s, context, settings, baseline) for s in scenarios]


# What callers of the comparison name, wherever it is defined (pages, reports and the CLI import it from here).
__all__ = ["MAX_COMPARED", "Baseline", "FinancialEffect", "Scenario", "ScenarioContext", "ScenarioDelta",
           "ScenarioResult", "ScenarioSettings", "baseline_of", "bfr_weekly", "compare", "compare_many",
           "context_from_ledger"]
