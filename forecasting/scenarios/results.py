"""What comparing a scenario with its baseline gives: frozen results with typed fields (deltas, financial effect).

`ScenarioResult` holds a `ScenarioDelta` and its `FinancialEffect`; they become dicts only at the edges
(`as_dict`: the CLI's JSON, the workbook, the board pack).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from forecasting.projection.types import Projection


@dataclass(frozen=True)
class FinancialEffect:
    """Costs, gains and the interest effect of the extra cash, over the horizon (EUR; net > 0: the scenario earns)."""

    discount_cost: float  # early-payment discounts granted to clients
    supplier_discount_gain: float  # discounts taken from suppliers
    factoring_fees: float
    factoring_financing: float
    interest_on_cash_difference: float  # Σ daily extra cash × cost of funds / 365
    cost_of_funds_rate: float  # yearly
    net: float  # interest + supplier discount gain − discount cost − factoring fees and financing

    def as_dict(self) -> dict[str, float]:
        """Return the JSON form: each field under its name."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ScenarioDelta:
    """Scenario − baseline at the horizon (EUR, days), the lowest point's and first shortfall's dates of both,
    and the financial effect. A difference is None when either side has no value (no sales: no DSO)."""

    net_cash_at_horizon: float
    bfr_at_horizon: float
    bfr_days_of_sales_at_horizon: float  # NaN without sales
    min_cash: float
    receivables_at_horizon: float
    payables_at_horizon: float
    dso_days_at_horizon: float | None
    dpo_days_at_horizon: float | None
    receipts: float
    disbursements: float
    expected_bad_debt: float
    min_cash_date: pd.Timestamp | None
    min_cash_date_baseline: pd.Timestamp | None
    first_shortfall_date: pd.Timestamp | None
    first_shortfall_date_baseline: pd.Timestamp | None
    financial_effect: FinancialEffect

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form (`delta` of `cashpilot forecast --scenario`): fields in order, the effect nested."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, eq=False)
class Baseline:
    """The baseline's projection and BFR, computed once and shared by every scenario compared with it."""

    projection: Projection
    bfr: pd.DataFrame


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """A scenario against its baseline: both projections, BFR by week, deltas, costs, warnings."""

    scenario_name: str
    baseline: Projection
    scenario: Projection
    bfr_baseline: pd.DataFrame
    bfr_scenario: pd.DataFrame
    delta: ScenarioDelta
    kpis_baseline: dict[str, Any]  # headline figures of each side, shaped as the projection summary
    kpis_scenario: dict[str, Any]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def weekly_comparison(self) -> pd.DataFrame:
        """Return baseline and scenario closing cash and BFR side by side, by week, with their differences."""
        b, s = self.baseline.weekly, self.scenario.weekly
        bfr_b, bfr_s = self.bfr_baseline["bfr_eur"].to_numpy(), self.bfr_scenario["bfr_eur"].to_numpy()
        return pd.DataFrame({
            "week_start": b["week_start"],
            "closing_baseline": b["closing_expected"], "closing_scenario": s["closing_expected"],
            "closing_delta": s["closing_expected"] - b["closing_expected"],
            "scenario_p10": s["closing_p10"], "scenario_p90": s["closing_p90"],
            "bfr_baseline": bfr_b, "bfr_scenario": bfr_s, "bfr_delta": bfr_s - bfr_b,
        })
