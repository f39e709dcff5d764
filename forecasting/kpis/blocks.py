"""The KPI results as typed blocks: DSO, cash conversion cycle, BFR, receivable rates, turnover, encours, aging,
ratings, penalties, dunning, and the headline summary that gathers them.

Every block is a frozen dataclass of plain numbers (EUR, days, fractions; NaN = undefined). They become the JSON
of `cashpilot kpis` only at the edge, through `KpiSummary.to_dict`, which spells the documented keys in order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from forecasting.core.types import JsonDict, JsonValue
from forecasting.kpis.base import KpiSettings


@dataclass(frozen=True)
class DsoFigures:
    """DSO by both methods with the receivables and the period's sales they come from."""

    receivables_eur: float  # open receivables TTC at as_of
    sales_ttc_period_eur: float  # sales TTC of the period_days ending on as_of
    period_days: int
    dso_simple_days: float  # receivables / sales of the period × period_days
    dso_countback_days: float  # months of sales, newest first, exhausted by the receivables


@dataclass(frozen=True)
class CashConversionCycle:
    """Simple DSO, DIO, DPO and the cash conversion cycle (DSO + DIO − DPO), in days."""

    dso_days: float
    dio_days: float
    dpo_days: float
    ccc_days: float


@dataclass(frozen=True)
class WorkingCapital:
    """BFR = inventory + trade receivables − trade payables (TTC), in EUR and in days of sales."""

    inventory_eur: float
    trade_receivables_eur: float
    trade_payables_eur: float
    bfr_eur: float
    daily_sales_ttc_eur: float  # sales TTC of the last 365 days / 365
    bfr_days_of_sales: float


@dataclass(frozen=True)
class ReceivableRates:
    """How healthy the receivables are: overdue, collected, doubtful and written-off shares."""

    overdue_rate: float  # overdue / open receivables
    collection_rate: float  # collected / fell due in the period
    doubtful_receivables_eur: float  # disputed or long overdue
    doubtful_rate: float  # doubtful / encours
    written_off_365d_eur: float
    bad_debt_rate: float  # written off / sales TTC, both over the last 365 days


@dataclass(frozen=True)
class ReceivablesTurnover:
    """Sales of the last 365 days against the average receivables of the last 12 month-ends and as_of."""

    sales_ttc_365d_eur: float
    average_receivables_eur: float
    receivables_turnover: float  # times a year; NaN without receivables


@dataclass(frozen=True)
class EncoursConcentration:
    """How the outstanding balance spreads over the clients that have one."""

    clients_with_encours: int
    average_encours_per_client_eur: float
    top10_concentration: float  # share of the 10 largest encours


@dataclass(frozen=True)
class AgingTotals:
    """Open receivables by bucket of days overdue ('not due', '1–30', ...), in EUR and as shares of the total."""

    amount_eur: Mapping[str, float]
    share: Mapping[str, float]
    overdue_eur: float  # every bucket but 'not due'


@dataclass(frozen=True)
class RatingCounts:
    """How many clients have each rating A–D, and how many are over their credit limit."""

    counts: Mapping[str, int]
    clients_over_limit: int


@dataclass(frozen=True)
class PenaltyTotals:
    """Late invoices owed to us (open and paid late) and the penalties they allow us to claim, in EUR."""

    late_invoices: int
    late_open_invoices: int
    late_paid_invoices: int
    interest_eur: float
    indemnity_eur: float
    penalty_eur: float  # interest + indemnities

    def to_dict(self) -> JsonDict:
        """Return the totals as JSON values, keys in the field order."""
        return {key: _number(value) for key, value in asdict(self).items()}


@dataclass(frozen=True)
class DunningTotal:
    """The overdue invoices of one reminder level: how many and their open amount in EUR."""

    invoices: int
    open_eur: float


@dataclass(frozen=True)
class KpiSummary:
    """Every headline KPI at as_of, by block: what `cashpilot kpis` prints (to_dict) and the exports show."""

    as_of: pd.Timestamp
    currency: str
    dso: DsoFigures
    payables_eur: float
    cycle: CashConversionCycle
    working_capital: WorkingCapital
    rates: ReceivableRates
    turnover: ReceivablesTurnover
    encours: EncoursConcentration
    aging: AgingTotals
    ratings: RatingCounts
    penalty_rate: float  # yearly late-payment rate
    penalties: PenaltyTotals
    dunning: Mapping[str, DunningTotal]  # by reminder level, in the levels' order
    settings: KpiSettings

    def to_dict(self) -> JsonDict:
        """Return the JSON of `cashpilot kpis`: the documented keys in order, unrounded, NaN as None."""
        dso, cycle, capital, rates = self.dso, self.cycle, self.working_capital, self.rates
        figures: dict[str, float | int] = {
            "receivables_eur": dso.receivables_eur,
            "overdue_receivables_eur": self.aging.overdue_eur,
            "payables_eur": self.payables_eur,
            "sales_ttc_period_eur": dso.sales_ttc_period_eur,
            "sales_ttc_365d_eur": self.turnover.sales_ttc_365d_eur,
            "period_days": dso.period_days,
            "dso_simple_days": dso.dso_simple_days,
            "dso_countback_days": dso.dso_countback_days,
            "dpo_days": cycle.dpo_days,
            "dio_days": cycle.dio_days,
            "cash_conversion_cycle_days": cycle.ccc_days,
            "inventory_eur": capital.inventory_eur,
            "bfr_eur": capital.bfr_eur,
            "bfr_days_of_sales": capital.bfr_days_of_sales,
            "overdue_rate": rates.overdue_rate,
            "collection_rate": rates.collection_rate,
            "doubtful_receivables_eur": rates.doubtful_receivables_eur,
            "doubtful_rate": rates.doubtful_rate,
            "written_off_365d_eur": rates.written_off_365d_eur,
            "bad_debt_rate": rates.bad_debt_rate,
            "average_receivables_eur": self.turnover.average_receivables_eur,
            "receivables_turnover": self.turnover.receivables_turnover,
            "clients_with_encours": self.encours.clients_with_encours,
            "average_encours_per_client_eur": self.encours.average_encours_per_client_eur,
            "top10_concentration": self.encours.top10_concentration,
        }
        out: JsonDict = {"as_of": self.as_of.date().isoformat(), "currency": self.currency}
        out.update({key: _number(value) for key, value in figures.items()})
        out.update({
            "aging_eur": {bucket: _number(v) for bucket, v in self.aging.amount_eur.items()},
            "aging_share": {bucket: _number(v) for bucket, v in self.aging.share.items()},
            "ratings": {rating: _number(n) for rating, n in self.ratings.counts.items()},
            "clients_over_limit": self.ratings.clients_over_limit,
            "penalty_rate": _number(self.penalty_rate),
            "penalties": self.penalties.to_dict(),
            "dunning": {level: {"invoices": total.invoices, "open_eur": _number(total.open_eur)}
                        for level, total in self.dunning.items()},
            "settings": {key: [_number(v) for v in value] if isinstance(value, tuple) else _number(value)
                         for key, value in asdict(self.settings).items()},
        })
        return out


def _number(value: float | int | str) -> JsonValue:
    """Return a figure as JSON holds it: an int as an int, a float as a float, NaN and infinities as None."""
    if isinstance(value, (bool, str)):  # a bool is an int to Python: keep it one; a setting may be a word
        return value
    if isinstance(value, int):
        return int(value)
    number = float(value)
    return number if math.isfinite(number) else None
