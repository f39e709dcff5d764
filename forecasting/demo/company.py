"""A seeded, realistic demo company: a French SME with clients, suppliers, banks, planned flows and FX.

`generate(seed, scale, today)` is deterministic for a given seed, scale and today. Scale 1 is ~300
clients, ~120 suppliers, ~21 000 client invoices over 3 years and 12 M€ TTC of sales in the last 12 months;
`scale` multiplies the counterparties, the invoices and every amount (planned flows, bank balances and
overdraft limits included), so ratios stay the same.

Choices the rest of the code relies on:
- Client behaviour is client-specific: delay = client mean + drift × years from the middle of the history
  + noise. Classes: punctual (mean -3..1 days, some early payments), late (mean 10.5..18.5), erratic (mean
  0..25, heavy-tailed spread 12..25), disputing (15–35 % of invoices disputed, paid ~70 days later, 40 % of
  those only partly: the rest is written off), never_pays (≈2 %; each is invoiced for a few months, at a spread
  of times, and never pays). The truth is in `DemoData.client_profiles`.
- The phenomena of real ledgers (issue 14), each on its own clients: ~15 % of clients drift strongly (most
  −4..−8 days a year, a quarter +3..+6; the others ±0.5–2); ~8 % (punctual PME paying by card or direct
  debit through a processor) are paid on any calendar day, weekends included; ~4 % are new, first invoiced
  3–6 months before today. A dispute is raised 14–56 days after issue: DISPUTED is True only where it was
  raised on or before today (`DemoData.disputes` has them all), and a disputed invoice is paid a week after
  the dispute is raised at the soonest.
- Suppliers: we pay most of them in a weekly run, the first Thursday on or after due date + the supplier's
  delay (mean −3..2 days, spread 0.5..2.5), the next business day when that Thursday is a holiday; direct
  debits (energy, 40 % of transport, 10 % of overheads) are paid on the due date rolled to a business day,
  never withheld. 1 % of run suppliers' invoices are disputed and withheld ~40 days. Purchases TTC = 57 % of
  sales TTC over the last 12 months, one-offs apart. The truth is in `DemoData.supplier_profiles`.
- One-off invoices, one of each per unit of scale (none below 0.5), each from its own regular EUR
  counterparty, 120–280 × its median invoice: a production machine (~600 k€, 14–20 months ago) and workshop
  building works (~350 k€, 4–8 months ago) from suppliers, paid in the run from BNP-MAIN; an exceptional
  order (~250 k€, 5–10 months ago) from a reliable client, paid by today. They come on top of the sales and
  purchases targets. The truth is in `DemoData.one_offs`.
- Ids: clients C0001.., suppliers S0001.., client invoices FA0000001.. and supplier invoices FF0000001..
  (numbered in issue-date order), client receipts RC0000001.. and supplier payments VF0000001.. (in
  payment-date order). Due dates use `terms.due_dates_for` with the default "days_then_eom".
- Credit notes (≈2 % of client invoices) are negative invoices with terms "on receipt", due on their
  issue date, and one payment row of the same negative amount on that date: the client nets them against
  what it pays, so the cash effect is right and their open amount is zero (status "paid").
- Payment dates are rolled forward to French bank business days (save the any-day clients' receipts and
  the Thursday run) and never after `today`; an invoice whose payment would land later is open. Written off =
  what will never be paid (a never-paying client's invoice, a dispute settled by a partial payment) once it is
  WRITE_OFF_AFTER_DAYS (270) past due: no invoice stays open for years, a small tail of disputed ones does.
- Amounts are in the invoice currency (USD and GBP for some Export clients, converted from EUR at the rate
  of the issue date), rounded to cents. CREDIT_LIMIT is in the client's currency: its expected sales over its
  terms + its usual lateness + 60 days, × 1.5 (≥ 5 000), so a handful of clients exceed it.
- Planned-flow amounts (scale 1) are set so the company is viable: the brief's payroll 280 k€ + social
  120 k€ + VAT 90 k€ a month, with purchases at 57 % of sales, would spend more than the 12 M€ of sales.
  So: payroll −200 k€ on the 28th, social charges −90 k€ on the 15th, VAT −72 k€ on the 20th (≈ 20 % of
  sales HT − purchases HT), rent −40 k€ each quarter, a 600 k€ loan drawn before the history and repaid
  −10 915 € a month (end date ~17 months after today), four corporate-tax instalments (−22 k€ on
  15 Mar/Jun/Sep/Dec) and a balance (−15 k€ on 15 May) as "yearly" flows, and a capex of −150 k€ 40 days
  ahead. First dates are the first occurrence on or after the start of the history (the loan's is earlier).
- Bank balances: one row per account per French business day, from four months after the start of the
  history (receipts need that long to reach their steady pace) to today. The total is anchored at the end
  (900 k€ at scale 1, raised if needed so the history stays above 150 k€, but never above 1.5 M€) and
  moves back by the real daily flows (receipts at the rate of the payment date, supplier payments,
  planned flows); money received on a weekend or a holiday shows in the next business day's balance. CIC-OPS is swept back to 150 k€ at the start of each week (an internal transfer);
  BNP-MAIN holds the rest.
- FX rates: one per TARGET business day and currency (USD, GBP), RATE = EUR for one unit, rounded to 6
  decimals; look them up "as of" a date (the last rate on or before it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import pandas as pd

from forecasting.core import columns as c
from forecasting.core.errors import InputError
from forecasting.demo.bank import bank_balances, planned_flows
from forecasting.demo.clock import history_clock, timestamps
from forecasting.demo.fx import draw_fx_rates
from forecasting.demo.invoices import draw_payables, draw_receivables
from forecasting.demo.movements import ACCOUNT_IBANS, draw_extras, lagged, statement
from forecasting.demo.params import (
    ACCOUNTS,
    BEHAVIOUR,
    BEHAVIOURS,
    CREDIT_LIMIT_CUSHION_DAYS,
    CREDIT_LIMIT_MARGIN,
    DELAY_SD_DAYS,
    DISPUTE_RATE,
    DRIFT_DAYS_PER_YEAR,
    INVOICED_FROM,
    MEAN_DELAY_DAYS,
    N_CLIENTS,
    N_SUPPLIERS,
    PROFILE_COLUMNS,
    PURCHASE_SHARE,
    SALES_TTC_PER_YEAR,
    SETTLEMENT,
    SETTLEMENTS,
    SUPPLIER_PROFILE_COLUMNS,
    TERMS_DAYS,
)
from forecasting.demo.parties import draw_clients, draw_suppliers


@dataclass(frozen=True, eq=False)
class DemoData:
    """The demo company: one DataFrame per table with the columns of `columns.py`, plus the behaviour truth."""

    counterparties: pd.DataFrame
    receivables: pd.DataFrame
    payables: pd.DataFrame
    payments: pd.DataFrame
    bank_accounts: pd.DataFrame
    bank_balances: pd.DataFrame
    planned_flows: pd.DataFrame
    fx_rates: pd.DataFrame
    # not tables of the store: the truth a model or a benchmark should rediscover
    client_profiles: pd.DataFrame  # PROFILE_COLUMNS
    supplier_profiles: pd.DataFrame  # SUPPLIER_PROFILE_COLUMNS
    disputes: pd.DataFrame  # DISPUTE_COLUMNS: when each dispute is raised, also those the export does not flag yet
    one_offs: pd.DataFrame  # ONE_OFF_COLUMNS: invoices far outside their counterparty's history
    # the bank side (issue 18, demo/movements.py): not tables of the Ledger
    bank_movements: pd.DataFrame  # BANK_MOVEMENT_COLUMNS: both accounts' statements
    movement_truth: pd.DataFrame  # movements.TRUTH_COLUMNS: which movement pays which invoices, how much of each
    deducted_fees: pd.DataFrame  # movements.FEE_COLUMNS: receipts that arrived short of a bank's fee
    account_ibans: dict[str, str]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the store tables by name (the truth excluded)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _TRUTH}


_TRUTH = frozenset({"client_profiles", "supplier_profiles", "disputes", "one_offs", "bank_movements",
                    "movement_truth", "deducted_fees", "account_ibans"})


def generate(seed: int = 42, scale: float = 1.0, today: date | None = None, export_lag_bdays: int = 0) -> DemoData:
    """Return a deterministic demo company for `seed`, sized by `scale`, with history up to `today`.

    With `export_lag_bdays`, the ledger is exported that many business days behind the bank: the client payments
    of the last days are in the statements only (`cashpilot demo` uses movements.EXPORT_LAG_BDAYS).
    """
    if not scale > 0:
        raise InputError(f"demo scale must be a positive number (1 = a 12 M€ company), got {scale}")
    rng = np.random.default_rng(seed)
    clock = history_clock(today)
    fx_dates, fx_matrix, fx_rates = draw_fx_rates(rng, clock)
    clients = draw_clients(rng, clock, max(len(BEHAVIOURS), round(N_CLIENTS * scale)))
    suppliers = draw_suppliers(rng, clock, max(2, round(N_SUPPLIERS * scale)), frozenset(clients.frame[c.NAME]))

    sales, client_annual_eur = draw_receivables(rng, clock, clients, fx_dates, fx_matrix, scale)
    purchases = draw_payables(rng, clock, suppliers, SALES_TTC_PER_YEAR * scale * PURCHASE_SHARE, scale)
    receipts, receivables = lagged(sales, clock, export_lag_bdays)
    payments = pd.concat([receipts, purchases.payments], ignore_index=True)

    latest_rate = fx_matrix[-1][clients.currency_code]
    exposure_days = (TERMS_DAYS[clients.terms_code] + np.maximum(np.nan_to_num(clients.mean_delay), 0.0)
                     + CREDIT_LIMIT_CUSHION_DAYS)
    limits = np.maximum(5_000.0, np.round(client_annual_eur * exposure_days / 365.0 * CREDIT_LIMIT_MARGIN
                                          / latest_rate, -3))
    counterparties = pd.concat([clients.frame.assign(**{c.CREDIT_LIMIT: limits}), suppliers.frame],
                               ignore_index=True)[c.COUNTERPARTY_COLUMNS]

    planned = planned_flows(clock, scale)
    bank_accounts = pd.DataFrame({
        c.ACCOUNT_ID: list(ACCOUNTS),
        c.NAME: ["BNP Paribas - compte principal", "CIC - compte d'exploitation"],
        c.BANK: ["BNP Paribas", "CIC"],
        c.CURRENCY: [c.REPORTING_CURRENCY] * 2,
        c.OVERDRAFT_LIMIT: [round(300_000.0 * scale, 2), round(100_000.0 * scale, 2)],
    })
    bank_rng = np.random.default_rng([seed, 18])  # its own stream: the ledger's draws stay as they were
    extras = draw_extras(bank_rng, clock, scale, sales)
    balances = bank_balances(clock, scale, [sales.cash, purchases.cash, *extras.cash], planned)
    movements, truth, fees = statement(bank_rng, clock, sales, purchases, planned, counterparties, extras, balances)
    profiles = pd.DataFrame({
        c.COUNTERPARTY_ID: clients.ids,
        c.SEGMENT: clients.frame[c.SEGMENT].to_numpy(),
        BEHAVIOUR: np.asarray(BEHAVIOURS)[clients.behaviour],
        MEAN_DELAY_DAYS: clients.mean_delay,
        DELAY_SD_DAYS: clients.delay_sd,
        DRIFT_DAYS_PER_YEAR: clients.drift,
        DISPUTE_RATE: clients.dispute_rate,
        SETTLEMENT: np.asarray(SETTLEMENTS)[clients.settlement],
        INVOICED_FROM: timestamps(clock.bdays[clients.window[:, 0]]),
    })[PROFILE_COLUMNS]
    supplier_profiles = pd.DataFrame({
        c.COUNTERPARTY_ID: suppliers.ids,
        c.SEGMENT: suppliers.frame[c.SEGMENT].to_numpy(),
        SETTLEMENT: np.asarray(SETTLEMENTS)[suppliers.settlement],
        MEAN_DELAY_DAYS: suppliers.mean_delay,
        DELAY_SD_DAYS: suppliers.delay_sd,
        DISPUTE_RATE: suppliers.dispute_rate,
    })[SUPPLIER_PROFILE_COLUMNS]
    return DemoData(counterparties=counterparties, receivables=receivables, payables=purchases.invoices,
                    payments=payments, bank_accounts=bank_accounts, bank_balances=balances, planned_flows=planned,
                    fx_rates=fx_rates, client_profiles=profiles, supplier_profiles=supplier_profiles,
                    disputes=pd.concat([sales.disputes, purchases.disputes], ignore_index=True),
                    one_offs=pd.concat([sales.one_offs, purchases.one_offs], ignore_index=True),
                    bank_movements=movements, movement_truth=truth, deducted_fees=fees, account_ibans=dict(ACCOUNT_IBANS))
