"""What happened after a backtest's as-of date: each invoice's real payment date, the weekly cash, the bank balances.

An invoice is paid on the day of the cash that settled it (`settlement.CASH_DATE`: the day its cumulative payments
first cover it, or when credit notes settled part of it, its last cash payment by then), wherever in the data that
falls (after the horizon too); one never covered where the data ends is unpaid there, and so is one settled by credit
notes alone (it never brought cash). The actual cash of a week is its cash payments: a credit note moves no money.
Amounts in other currencies are converted at the rate of as-of, as the forecast converts them, so that comparisons
measure timing, not exchange-rate moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.model.invoicing import to_reporting, week_start
from forecasting.model.settlement import CASH_DATE, CREDITED_AMOUNT, OPEN_AMOUNT, PAID_DATE, cash_only, settle

DATA_END = pd.Timestamp("2200-01-01")  # settle at this date: everything the data knows
OPEN, LATER = "open_at_as_of", "issued_after_as_of"
GROUPS = (OPEN, LATER)


def invoice_keys(frame: pd.DataFrame) -> pd.Series:
    """Return one text key per invoice or payment row: its source and invoice id."""
    source = frame[C.SOURCE].astype(str) if C.SOURCE in frame.columns else pd.Series("", index=frame.index)
    return source + "\x1f" + frame[C.INVOICE_ID].astype(str)


@dataclass(frozen=True, eq=False)
class SideOutcomes:
    """One side's invoices at as-of and what became of them."""

    settled: pd.DataFrame  # the side's invoices settled at as-of with what was known then (the models' history)
    invoices: pd.DataFrame  # to score: positive amount, open at as-of or issued within the horizon (INVOICE_COLUMNS)
    cash_keys: pd.Index  # invoices whose payments make the horizon's actual cash (credit notes too)
    currency_of: pd.Series  # invoice key -> currency, for every invoice of the side


INVOICE_COLUMNS = ["group", C.INVOICE_ID, C.COUNTERPARTY_ID, C.ISSUE_DATE, C.DUE_DATE, C.DISPUTED, PAID_DATE,
                   "unpaid_eur"]


def side_outcomes(ledger: Ledger, known: Ledger, side: str, as_of: pd.Timestamp, end: pd.Timestamp) -> SideOutcomes:
    """Return the invoices of one side to score at as-of over a horizon ending on `end`, with their real outcome."""
    settled = settle(known.invoices(side), known.payments_of(side), as_of)
    full = settle(ledger.invoices(side), ledger.payments_of(side), DATA_END)
    full.index = pd.Index(invoice_keys(full))
    full = full[~full.index.duplicated()]
    open_ = settled[(settled[C.STATUS] == "open").to_numpy()]
    open_keys = pd.Index(invoice_keys(open_))
    issued = full[(full[C.ISSUE_DATE] > as_of) & (full[C.ISSUE_DATE] <= end)]
    rows = pd.concat([
        open_.set_axis(open_keys).assign(group=OPEN)[open_[C.AMOUNT_TTC].to_numpy() > 0],
        issued.assign(group=LATER, **{C.DISPUTED: False})[issued[C.AMOUNT_TTC].to_numpy() > 0],
    ])
    known_open = rows.index.isin(full.index)
    rows = rows[known_open]
    outcome = full.loc[rows.index]
    # What never came in cash: still open, or settled by credit notes.
    unpaid = to_reporting(outcome[OPEN_AMOUNT] + outcome[CREDITED_AMOUNT], outcome[C.CURRENCY], known.fx_rates, as_of)
    invoices = pd.DataFrame({
        "group": rows["group"].to_numpy(), C.INVOICE_ID: rows[C.INVOICE_ID].astype(str).to_numpy(),
        C.COUNTERPARTY_ID: rows[C.COUNTERPARTY_ID].astype(str).to_numpy(),
        C.ISSUE_DATE: rows[C.ISSUE_DATE].to_numpy(), C.DUE_DATE: rows[C.DUE_DATE].to_numpy(),
        C.DISPUTED: rows[C.DISPUTED].to_numpy(dtype=bool), PAID_DATE: outcome[CASH_DATE].to_numpy(),
        "unpaid_eur": np.where(outcome[CASH_DATE].isna().to_numpy(), unpaid, 0.0),
    }, columns=INVOICE_COLUMNS)
    return SideOutcomes(settled=settled, invoices=invoices, cash_keys=open_keys.append(issued.index),
                        currency_of=full[C.CURRENCY])


def payments_eur(ledger: Ledger, side: str, outcomes: SideOutcomes, fx_rates: pd.DataFrame,
                 as_of: pd.Timestamp) -> tuple[pd.Series, npt.NDArray[np.float64], pd.Series]:
    """Return the side's cash payment dates, their amounts in EUR (rate of as-of) and their invoice keys."""
    pay = cash_only(ledger.payments_of(side))
    keys = invoice_keys(pay)
    eur = to_reporting(pay[C.AMOUNT].astype(float), keys.map(outcomes.currency_of), fx_rates, as_of)
    return pd.to_datetime(pay[C.PAYMENT_DATE]), eur, keys


def weekly_actual(dates: pd.Series, eur: npt.NDArray[np.float64], keys: pd.Series, outcomes: SideOutcomes,
                  as_of: pd.Timestamp, end: pd.Timestamp, weeks: npt.NDArray[np.datetime64]) -> npt.NDArray[np.float64]:
    """Return the cash paid in each week (Monday starts) of the horizon on the invoices the forecast covers."""
    inside = ((dates > as_of) & (dates <= end)).to_numpy() & keys.isin(outcomes.cash_keys).to_numpy()
    week = week_start(dates[inside]) if inside.any() else np.zeros(0, "datetime64[D]")
    totals = pd.Series(eur[inside], index=week).groupby(level=0).sum()
    return np.asarray(totals.reindex(weeks, fill_value=0.0), dtype=np.float64)


def balance_totals(ledger: Ledger, as_of: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Return the total bank balance in EUR (rates of as-of) on each date within (as_of, end] that has a balance.

    An account without a balance that day counts with its latest earlier one (none yet: 0).
    """
    bal = ledger.bank_balances
    if not len(bal):
        return pd.Series(dtype=float)
    dates = pd.to_datetime(bal[C.BALANCE_DATE])
    if not ((dates > as_of) & (dates <= end)).any():
        return pd.Series(dtype=float)
    frame = pd.DataFrame({C.BALANCE_DATE: dates, C.ACCOUNT_ID: bal[C.ACCOUNT_ID].astype(str),
                          C.BALANCE: bal[C.BALANCE].astype(float)})
    wide = (frame.pivot_table(index=C.BALANCE_DATE, columns=C.ACCOUNT_ID, values=C.BALANCE, aggfunc="last")
            .sort_index().ffill().fillna(0.0))
    wide = wide[(wide.index > as_of) & (wide.index <= end)]
    accounts = ledger.bank_accounts
    currency = pd.Series(C.REPORTING_CURRENCY, index=wide.columns, dtype=object)
    if len(accounts):
        currency = currency.index.to_series().map(
            accounts.set_index(C.ACCOUNT_ID)[C.CURRENCY]).fillna(C.REPORTING_CURRENCY)
    rate = to_reporting(np.ones(len(wide.columns)), currency.reset_index(drop=True), ledger.fx_rates, as_of)
    return pd.Series(wide.to_numpy() @ rate, index=wide.index)
