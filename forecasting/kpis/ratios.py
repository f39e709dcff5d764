"""Working-capital indicators: DSO (simple and countback), DPO, DIO, cash conversion cycle, BFR, receivable rates.

Each ledger-level KPI `f(ledger, as_of, settings)` is a one-liner over `f_from(basis, settings)`, so that a
summary settles the ledger once. Definitions beyond DOMAIN.md:
- Receivables and payables are the open amounts TTC at as_of (disputed and doubtful included, written-off
  excluded, credit notes deducted); sales and purchases are TTC amounts issued in the period, credit notes
  deducted, balances carried forward left out (owed, but sold in an earlier year).
- Collection rate over the period = the cash collected by as_of on the invoices that fell due in the
  `period_days` days ending on as_of / what was to be collected on them: their amount less the credit notes set
  against them by as_of (credit notes issued as invoices of their own left out). A credit note is no money
  collected, and its part was never to be collected: an invoice of 1 000 credited 300 and paid 700 is collected
  in full, one credited 300 and paid nothing is not collected at all. A cohort ratio, so it stays within [0, 1]:
  neither early payments of invoices not due yet nor the catch-up of old arrears distort it.
- Bad-debt rate = write-offs dated in the last 365 days (see kpis_base for the proxy date) / sales TTC of the
  same 365 days.
- Receivables turnover = sales TTC of the last 365 days / the average of the receivables at the last 12
  month-ends and at as_of, rebuilt from invoices, payments (cash and credit notes set against invoices: both
  lower what is owed) and write-offs (one cumulative sum, no loop). A write-off removes what was open on its
  (proxy) date; a part recovered after it is then no longer owed, so it lowers nothing.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.kpis.base import (
    AMOUNT_EUR,
    DAYS_OVERDUE,
    DAYS_PER_YEAR,
    FX_RATE_EUR,
    OPEN_EUR,
    WRITE_OFF_DATE,
    WRITTEN_OFF,
    KpiBasis,
    KpiSettings,
    issued_within_eur,
    kpi_basis,
    open_items,
    ratio,
)
from forecasting.kpis.blocks import CashConversionCycle, DsoFigures, WorkingCapital
from forecasting.model.settlement import CREDITED_AMOUNT, PAID_AMOUNT, own_dates


# --- pure formulas -------------------------------------------------------------------------------
def dso_simple(receivables_eur: float, sales_ttc_eur: float, period_days: int) -> float:
    """Return DSO in days = receivables TTC / sales TTC of the period × days of the period (NaN without sales)."""
    return ratio(receivables_eur, sales_ttc_eur) * period_days


def dso_countback(receivables_eur: float, monthly_sales_ttc_newest_first: npt.ArrayLike,
                  month_days: npt.ArrayLike) -> float:
    """Return DSO in days by the countback method: months of sales, newest first, exhausted by the receivables."""
    sales = np.asarray(monthly_sales_ttc_newest_first, dtype=float)
    days = np.asarray(month_days, dtype=float)
    if receivables_eur <= 0 or not len(sales):
        return 0.0
    cumulative = np.cumsum(sales)
    # walking back, month k is fully covered while the receivables exceed the sales up to and including it
    reached = np.flatnonzero(cumulative >= receivables_eur)
    if len(reached):
        k = int(reached[0])
        before = cumulative[k - 1] if k else 0.0
        return float(days[:k].sum() + (receivables_eur - before) / sales[k] * days[k])
    # history too short: the rest is counted at the average daily sales of the months walked
    daily = cumulative[-1] / days.sum()
    extra = (receivables_eur - cumulative[-1]) / daily if daily > 0 else float("nan")
    return float(days.sum() + extra)


def dio(settings: KpiSettings, cogs_eur: float) -> float:
    """Return DIO in days = inventory / cost of goods sold of the period × period_days (0 without inventory)."""
    if settings.inventory_eur == 0:
        return 0.0
    return ratio(settings.inventory_eur, cogs_eur) * settings.period_days


def cash_conversion_cycle_days(dso_days: float, dio_days: float, dpo_days: float) -> float:
    """Return the cash conversion cycle in days = DSO + DIO − DPO."""
    return dso_days + dio_days - dpo_days


# --- from a basis --------------------------------------------------------------------------------
def receivables_eur_from(basis: KpiBasis) -> float:
    """Return open receivables TTC at as_of in EUR."""
    return float(open_items(basis.receivables)[OPEN_EUR].sum())


def payables_eur_from(basis: KpiBasis) -> float:
    """Return open payables TTC at as_of in EUR."""
    return float(open_items(basis.payables)[OPEN_EUR].sum())


def monthly_sales_newest_first(basis: KpiBasis) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Return (sales TTC in EUR, days) per calendar month back from as_of; the current month counts its elapsed days."""
    rec = basis.receivables
    rec = rec[own_dates(rec)]  # a balance carried forward is no sale of its opening month
    as_of_month = basis.as_of.to_period("M")
    if not len(rec):
        return np.zeros(1), np.array([basis.as_of.day])
    months = pd.period_range(rec[C.ISSUE_DATE].min().to_period("M"), as_of_month, freq="M")[::-1]
    sales = rec.groupby(rec[C.ISSUE_DATE].dt.to_period("M"))[AMOUNT_EUR].sum().reindex(months, fill_value=0.0)
    days = months.days_in_month.to_numpy().copy()
    days[0] = basis.as_of.day
    return sales.to_numpy(float), days


def dso_from(basis: KpiBasis, settings: KpiSettings) -> DsoFigures:
    """Return DSO by both methods with the receivables and the period's sales they come from."""
    receivables = receivables_eur_from(basis)
    sales = issued_within_eur(basis.receivables, basis.as_of, settings.period_days)
    monthly, days = monthly_sales_newest_first(basis)
    return DsoFigures(receivables_eur=receivables, sales_ttc_period_eur=sales, period_days=settings.period_days,
                      dso_simple_days=dso_simple(receivables, sales, settings.period_days),
                      dso_countback_days=dso_countback(receivables, monthly, days))


def dpo_from(basis: KpiBasis, settings: KpiSettings) -> float:
    """Return DPO in days = open payables TTC / purchases TTC of the period × period_days."""
    purchases = issued_within_eur(basis.payables, basis.as_of, settings.period_days)
    return ratio(payables_eur_from(basis), purchases) * settings.period_days


def cogs_eur_from(basis: KpiBasis, settings: KpiSettings) -> float:
    """Return the cost of goods sold of the period: purchases TTC × cogs_share_of_purchases."""
    return issued_within_eur(basis.payables, basis.as_of, settings.period_days) * settings.cogs_share_of_purchases


def cash_conversion_cycle_from(basis: KpiBasis, settings: KpiSettings) -> CashConversionCycle:
    """Return simple DSO, DIO, DPO and the cash conversion cycle, all in days over period_days."""
    dso_days = dso_from(basis, settings).dso_simple_days
    dio_days = dio(settings, cogs_eur_from(basis, settings))
    dpo_days = dpo_from(basis, settings)
    return CashConversionCycle(dso_days=dso_days, dio_days=dio_days, dpo_days=dpo_days,
                               ccc_days=cash_conversion_cycle_days(dso_days, dio_days, dpo_days))


def bfr_from(basis: KpiBasis, settings: KpiSettings) -> WorkingCapital:
    """Return BFR = inventory + trade receivables − trade payables (TTC) in EUR and in days of sales."""
    receivables, payables = receivables_eur_from(basis), payables_eur_from(basis)
    bfr_eur = settings.inventory_eur + receivables - payables
    daily_sales = issued_within_eur(basis.receivables, basis.as_of, DAYS_PER_YEAR) / DAYS_PER_YEAR
    return WorkingCapital(inventory_eur=settings.inventory_eur, trade_receivables_eur=receivables,
                          trade_payables_eur=payables, bfr_eur=bfr_eur, daily_sales_ttc_eur=daily_sales,
                          bfr_days_of_sales=ratio(bfr_eur, daily_sales))


def overdue_rate_from(basis: KpiBasis) -> float:
    """Return overdue receivables / open receivables at as_of."""
    open_ = open_items(basis.receivables)
    return ratio(open_.loc[open_[DAYS_OVERDUE] > 0, OPEN_EUR].sum(), open_[OPEN_EUR].sum())


def collection_rate_from(basis: KpiBasis, settings: KpiSettings) -> float:
    """Return cash collected by as_of / amount less credit notes, of the invoices that fell due in period_days."""
    rec = basis.receivables
    fell_due = (rec[DAYS_OVERDUE] >= 0) & (rec[DAYS_OVERDUE] < settings.period_days) & (rec[AMOUNT_EUR] > 0)
    due = rec[fell_due]
    rate = due[FX_RATE_EUR].to_numpy(float)
    to_collect = pd.Series((due[C.AMOUNT_TTC] - due[CREDITED_AMOUNT]).to_numpy(float) * rate).clip(lower=0.0)
    cash = due[PAID_AMOUNT].to_numpy(float) * rate
    collected = np.clip(cash, 0.0, to_collect.to_numpy())  # overpayments cap at 1
    return ratio(collected.sum(), to_collect.sum())


def doubtful_eur_from(basis: KpiBasis, settings: KpiSettings) -> float:
    """Return open receivables overdue more than doubtful_overdue_days or disputed, in EUR."""
    open_ = open_items(basis.receivables)
    doubtful = (open_[DAYS_OVERDUE] > settings.doubtful_overdue_days) | open_[C.DISPUTED]
    return float(open_.loc[doubtful & (open_[OPEN_EUR] > 0), OPEN_EUR].sum())


def doubtful_rate_from(basis: KpiBasis, settings: KpiSettings) -> float:
    """Return doubtful receivables / encours (all open receivables)."""
    return ratio(doubtful_eur_from(basis, settings), receivables_eur_from(basis))


def written_off_eur_from(basis: KpiBasis, days: int = DAYS_PER_YEAR) -> float:
    """Return the receivables written off in the `days` days ending on as_of, in EUR."""
    rec = basis.receivables
    recent = (rec[C.STATUS] == WRITTEN_OFF) & (rec[WRITE_OFF_DATE] > basis.as_of - pd.Timedelta(days=days))
    return float(rec.loc[recent, OPEN_EUR].sum())


def bad_debt_rate_from(basis: KpiBasis) -> float:
    """Return write-offs of the last 365 days / sales TTC of the same 365 days."""
    return ratio(written_off_eur_from(basis), issued_within_eur(basis.receivables, basis.as_of, DAYS_PER_YEAR))


def month_end_receivables_from(basis: KpiBasis, months: int = 12) -> pd.Series:
    """Return receivables in EUR at the last `months` month-ends on or before as_of and at as_of."""
    rec = basis.receivables
    # a credit note set against an invoice lowers what is owed from its date, as cash does
    pay = pd.concat([basis.receipts, basis.credits], ignore_index=True) if len(basis.credits) else basis.receipts
    ends = pd.date_range(end=basis.as_of, periods=months, freq="ME")
    ends = ends[ends <= basis.as_of]
    points = ends.append(pd.DatetimeIndex([basis.as_of])).unique().sort_values()
    keys = [C.SOURCE, C.INVOICE_ID]
    written = rec[rec[C.STATUS] == WRITTEN_OFF].drop_duplicates(keys)
    # A part recovered after the write-off was no longer owed then: the write-off removes what was open on its date
    # (the loss at as_of + those recoveries) and the recoveries leave receivables alone, as the KPIs at that date do.
    written_on = pay[keys].merge(written[[*keys, WRITE_OFF_DATE]], on=keys, how="left")[WRITE_OFF_DATE]
    recovered = (pay[C.PAYMENT_DATE] > written_on.to_numpy()).to_numpy(bool)  # NaT (not written off): False
    recoveries = pay[recovered].groupby(keys)[AMOUNT_EUR].sum()
    lost_then = written[OPEN_EUR].to_numpy(float) + recoveries.reindex(
        pd.MultiIndex.from_frame(written[keys]), fill_value=0.0).to_numpy(float)
    pay = pay[~recovered]
    # receivables(t) = issued up to t − paid up to t − written off up to t; a payment counts from its invoice's issue
    event_days = np.concatenate([
        rec[C.ISSUE_DATE].to_numpy("datetime64[D]"),
        np.maximum(pay[C.PAYMENT_DATE].to_numpy("datetime64[D]"), pay[C.ISSUE_DATE].to_numpy("datetime64[D]")),
        written[WRITE_OFF_DATE].to_numpy("datetime64[D]"),
    ])
    event_eur = np.concatenate([rec[AMOUNT_EUR].to_numpy(float), -pay[AMOUNT_EUR].to_numpy(float), -lost_then])
    order = np.argsort(event_days, kind="stable")
    cumulative = np.concatenate([[0.0], np.cumsum(event_eur[order])])
    at = np.searchsorted(event_days[order], points.to_numpy("datetime64[D]"), side="right")
    return pd.Series(cumulative[at], index=points, name="receivables_eur")


def receivables_turnover_from(basis: KpiBasis) -> float:
    """Return sales TTC of the last 365 days / average month-end receivables (times a year)."""
    sales = issued_within_eur(basis.receivables, basis.as_of, DAYS_PER_YEAR)
    return ratio(sales, float(month_end_receivables_from(basis).mean()))


# --- public, from a ledger -----------------------------------------------------------------------
def dso(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> DsoFigures:
    """Return DSO (simple over period_days, and countback over calendar months) with its inputs."""
    settings = settings or KpiSettings()
    return dso_from(kpi_basis(ledger, as_of, settings), settings)


def dpo(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return DPO in days = payables TTC / purchases TTC of period_days × period_days."""
    settings = settings or KpiSettings()
    return dpo_from(kpi_basis(ledger, as_of, settings), settings)


def cogs_eur(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return the cost of goods sold over period_days (purchases TTC × cogs_share_of_purchases)."""
    settings = settings or KpiSettings()
    return cogs_eur_from(kpi_basis(ledger, as_of, settings), settings)


def cash_conversion_cycle(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> CashConversionCycle:
    """Return DSO, DIO, DPO and the cash conversion cycle (DSO + DIO − DPO) in days."""
    settings = settings or KpiSettings()
    return cash_conversion_cycle_from(kpi_basis(ledger, as_of, settings), settings)


def bfr(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> WorkingCapital:
    """Return BFR (inventory + receivables − payables, TTC) in EUR and in days of sales."""
    settings = settings or KpiSettings()
    return bfr_from(kpi_basis(ledger, as_of, settings), settings)


def overdue_rate(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return overdue receivables / total open receivables."""
    return overdue_rate_from(kpi_basis(ledger, as_of, settings))


def collection_rate(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return collected / fell due, on the invoices that fell due in the period_days ending on as_of."""
    settings = settings or KpiSettings()
    return collection_rate_from(kpi_basis(ledger, as_of, settings), settings)


def doubtful_rate(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return doubtful receivables (long overdue or disputed) / encours."""
    settings = settings or KpiSettings()
    return doubtful_rate_from(kpi_basis(ledger, as_of, settings), settings)


def bad_debt_rate(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return write-offs / sales TTC, both over the last 365 days."""
    return bad_debt_rate_from(kpi_basis(ledger, as_of, settings))


def month_end_receivables(ledger: Ledger, as_of: date, settings: KpiSettings | None = None,
                          months: int = 12) -> pd.Series:
    """Return receivables in EUR at the last `months` month-ends and at as_of."""
    return month_end_receivables_from(kpi_basis(ledger, as_of, settings), months)


def receivables_turnover(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return sales TTC of the last 365 days / average receivables."""
    return receivables_turnover_from(kpi_basis(ledger, as_of, settings))
