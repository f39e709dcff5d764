"""One definition per headline figure: its value, its name and its statistic, for every page and export.

Each figure a treasurer reads on more than one screen (opening cash, net cash at horizon, lowest point, first day
below zero, expected bad debt, open receivables and payables, overdue receivables, BFR, DSO) is taken here from
the one function that computes it, and named once with the statistic it is:
- `known`: read from the ledger at the end of as-of (open invoices settled at as-of, in EUR at that day's rates,
  credit notes deducted, write-offs left out; bank balances rolled forward to as-of);
- `expected`: the mean of the simulated paths. The cash figures of a forecast are all of the expected path:
  its daily closing is opening cash + the expected receipts − disbursements the week-by-week table shows, and the
  differences between a scenario and its baseline add up lever by lever, which medians do not. The likely range
  (P10–P90) is given beside it.
The Overview, Cash outlook, What-if, Receivables pages, the board pack, the workbook and `cashpilot forecast
--format json` (its `figures` block) all read a CashFigures / LedgerFigures from here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypedDict

import pandas as pd

from forecasting.i18n.formats import fmt_days
from forecasting.i18n.translate import Day, Message, Money
from forecasting.kpis.base import DAYS_OVERDUE, OPEN_EUR, KpiBasis, KpiSettings, open_items
from forecasting.kpis.ratios import bfr_from, dso_from
from forecasting.projection.opening import Opening
from forecasting.projection.types import ProjectionSummary

KNOWN = "known"  # read from the ledger at as-of
EXPECTED = "expected"  # mean of the simulated paths
STATISTICS = (KNOWN, EXPECTED)
EXPECTED_WORD = Message("expected")  # under a tile's value: the statistic its name leaves out


@dataclass(frozen=True)
class Figure:
    """One headline figure: a stable key, its label and help (Messages, any language), value, statistic, date.

    `label` names the figure with its statistic ("Net cash at horizon (expected)") where a table or a file shows
    it; a dashboard tile shows `name` ("Net cash at horizon", which fits a tile at 1024 px in French too) with the
    statistic written under its value or in its help (pages/widgets/common.figure_metric).
    """

    key: str
    label: Message
    help: Message
    value: float | None  # EUR, or days for DSO; None when it does not exist (no day below zero)
    statistic: str  # KNOWN or EXPECTED
    day: pd.Timestamp | None = None  # the day the figure is of (lowest point, first day below zero)
    p10: float | None = None  # likely range of an expected figure
    p90: float | None = None
    name: Message | None = None  # the label without its statistic, when the label carries one

    @property
    def tile_name(self) -> Message:
        """Return the name a tile shows: the label without its statistic."""
        return self.name if self.name is not None else self.label


class FigureJson(TypedDict):
    """A figure as `cashpilot forecast --format json` prints it under `figures`."""

    label: str
    statistic: str
    value: float | None
    date: str | None
    p10: float | None
    p90: float | None


class Days(float):
    """A number of days in a help text ('25.9 days' / '25,9 jours')."""

    def text(self, lang: str) -> str:
        """Return the days in `lang`."""
        return fmt_days(float(self), lang)


def _day(value: pd.Timestamp | None) -> Day | str:
    """Return a date for a help text ('—' when missing)."""
    return Day(pd.Timestamp(value).date().isoformat()) if value is not None and not pd.isna(value) else "—"


@dataclass(frozen=True)
class CashFigures:
    """The forecast's headline figures, all of the expected path (ProjectionSummary's)."""

    opening_cash: Figure
    net_cash_at_horizon: Figure
    lowest_point: Figure
    first_day_below_zero: Figure
    first_day_beyond_overdraft: Figure
    expected_bad_debt: Figure

    def items(self) -> tuple[Figure, ...]:
        """Return the figures in the order they are shown."""
        return tuple(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class LedgerFigures:
    """The ledger's headline figures at as-of (the KPIs' definitions)."""

    open_receivables: Figure
    overdue_receivables: Figure
    open_payables: Figure
    bfr: Figure
    dso: Figure
    open_receivables_count: int
    open_payables_count: int

    def items(self) -> tuple[Figure, ...]:
        """Return the figures in the order they are shown."""
        return (self.open_receivables, self.overdue_receivables, self.open_payables, self.bfr, self.dso)


def opening_figure(opening_balance: float, balance_date: pd.Timestamp | None, as_of: pd.Timestamp) -> Figure:
    """Return opening cash: the latest balance of each account on or before as-of, rolled forward to as-of."""
    return Figure("opening_cash", Message("Opening cash"),
                  Message("Bank balances at the end of {as_of} (latest balance of each account, dated {day}, rolled "
                          "forward with the payments and planned flows since)", as_of=_day(as_of),
                          day=_day(balance_date)),
                  float(opening_balance), KNOWN, day=balance_date)


def opening_cash(opening: Opening, as_of: pd.Timestamp) -> Figure:
    """Return opening cash from the opening balances a projection starts from (projection.opening)."""
    return opening_figure(opening.total, opening.date, as_of)


def cash_figures(summary: ProjectionSummary) -> CashFigures:
    """Return the forecast's headline figures from its summary, each named with its statistic."""
    s = summary
    end = s.as_of + pd.Timedelta(days=7 * s.horizon_weeks)
    return CashFigures(
        opening_cash=opening_figure(s.opening_balance, s.opening_balance_date, s.as_of),
        net_cash_at_horizon=Figure(
            "net_cash_at_horizon", Message("Net cash at horizon (expected)"),
            Message("Expected closing balance of all accounts on {day}, an overdraft used counted negative: opening "
                    "cash + the expected receipts − disbursements. Likely range (P10–P90): {low} to {high}",
                    day=_day(end), low=Money(s.net_cash_at_horizon_p10), high=Money(s.net_cash_at_horizon_p90)),
            s.net_cash_at_horizon, EXPECTED, day=end, p10=s.net_cash_at_horizon_p10, p90=s.net_cash_at_horizon_p90,
            name=Message("Net cash at horizon")),
        lowest_point=Figure(
            "lowest_point", Message("Lowest point (daily, expected)"),
            Message("Lowest expected daily closing over the horizon, on {day}; on the pessimistic path (P10) the "
                    "lowest point is {p10}", day=_day(s.min_cash_date), p10=Money(s.min_cash_p10)),
            s.min_cash, EXPECTED, day=s.min_cash_date, p10=s.min_cash_p10, name=Message("Lowest point")),
        first_day_below_zero=Figure(
            "first_day_below_zero", Message("First day below zero (expected)"),
            Message("First day the expected closing balance is below zero"),
            None, EXPECTED, day=s.first_shortfall_date),
        first_day_beyond_overdraft=Figure(
            "first_day_beyond_overdraft", Message("First day beyond the overdraft limit (expected)"),
            Message("First day the expected closing balance is beyond the authorised overdraft of {limit}",
                    limit=Money(s.overdraft_limit)),
            None, EXPECTED, day=s.first_overdraft_breach_date),
        expected_bad_debt=Figure(
            "expected_bad_debt", Message("Expected bad debt"),
            Message("Open receivables the model expects never to be paid: not counted as receipts"),
            s.expected_bad_debt, EXPECTED),
    )


def ledger_figures(basis: KpiBasis, settings: KpiSettings) -> LedgerFigures:
    """Return open receivables and payables, overdue receivables, BFR and DSO at as-of (the KPIs' functions)."""
    as_of = _day(basis.as_of)
    receivables, payables = open_items(basis.receivables), open_items(basis.payables)
    working_capital = bfr_from(basis, settings)
    dso = dso_from(basis, settings)
    overdue = float(receivables.loc[receivables[DAYS_OVERDUE] > 0, OPEN_EUR].sum())
    return LedgerFigures(
        open_receivables=Figure(
            "open_receivables", Message("Open receivables"),
            Message("Client invoices issued by {as_of} and unpaid at the end of that day, TTC, in euros at that "
                    "day's rates; credit notes deducted, written-off invoices left out", as_of=as_of),
            working_capital.trade_receivables_eur, KNOWN, day=basis.as_of),
        overdue_receivables=Figure(
            "overdue_receivables", Message("Overdue receivables"),
            Message("Open receivables past their due date on {as_of}", as_of=as_of), overdue, KNOWN, day=basis.as_of),
        open_payables=Figure(
            "open_payables", Message("Open payables"),
            Message("Supplier invoices received by {as_of} and unpaid at the end of that day, TTC, in euros at "
                    "that day's rates", as_of=as_of),
            working_capital.trade_payables_eur, KNOWN, day=basis.as_of),
        bfr=Figure(
            "bfr", Message("BFR (working capital requirement)"),
            Message("Inventory (a setting) + open receivables − open payables, TTC, on {as_of}: {days} of sales",
                    as_of=as_of, days=Days(working_capital.bfr_days_of_sales)),
            working_capital.bfr_eur, KNOWN, day=basis.as_of),
        dso=Figure(
            "dso", Message("DSO (countback)"),
            Message("Open receivables on {as_of} exhausted by the sales TTC of the months before, newest first "
                    "(simple method over {period} days: {simple})", as_of=as_of, period=dso.period_days,
                    simple=Days(dso.dso_simple_days)),
            dso.dso_countback_days, KNOWN, day=basis.as_of),
        open_receivables_count=int(len(receivables)), open_payables_count=int(len(payables)),
    )


def _cents(value: float | None) -> float | None:
    """Return a figure to two decimals (an amount to the cent), None when missing or NaN."""
    if value is None or pd.isna(value):
        return None
    return round(float(value), 2)


def figures_json(*groups: CashFigures | LedgerFigures) -> dict[str, FigureJson]:
    """Return the figures by key: English label, statistic, value, date, P10 and P90 (what the CLI prints)."""
    out: dict[str, FigureJson] = {}
    for group in groups:
        for f in group.items():
            out[f.key] = {"label": str(f.label), "statistic": f.statistic, "value": _cents(f.value),
                          "date": None if f.day is None or pd.isna(f.day) else pd.Timestamp(f.day).date().isoformat(),
                          "p10": _cents(f.p10), "p90": _cents(f.p90)}
    return out
