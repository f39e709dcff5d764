"""What is loaded, in a treasurer's terms: open receivables and payables, latest cash, data freshness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.types import as_of_timestamp


@dataclass(frozen=True)
class Overview:
    """Headline figures of the loaded data, in the reporting currency's units as stored."""

    open_receivables: float
    open_receivables_count: int
    overdue_receivables: float
    open_payables: float
    open_payables_count: int
    cash: float | None
    cash_date: date | None
    overdraft_limit: float
    n_clients: int
    n_suppliers: int
    first_invoice: date | None
    last_invoice: date | None


def open_amounts(invoices: pd.DataFrame, payments: pd.DataFrame) -> pd.Series:
    """Return each invoice's open amount (amount − payments), indexed like `invoices`."""
    if invoices.empty:
        return pd.Series(dtype="float64")
    paid = payments.groupby([C.SOURCE, C.INVOICE_ID])[C.AMOUNT].sum()
    keys = pd.MultiIndex.from_frame(invoices[[C.SOURCE, C.INVOICE_ID]])
    paid_aligned = paid.reindex(keys).fillna(0.0).to_numpy()
    return pd.Series(invoices[C.AMOUNT_TTC].to_numpy() - paid_aligned, index=invoices.index)


def overview(ledger: Ledger, as_of: date) -> Overview:
    """Return the headline figures as of a date (open items are those not settled, not written off)."""
    as_of_ts = as_of_timestamp(as_of)

    def open_part(side: str) -> tuple[float, int, float]:
        inv = ledger.invoices(side)
        inv = inv[inv[C.STATUS] == "open"]
        amounts = open_amounts(inv, ledger.payments_of(side))
        overdue = amounts[inv[C.DUE_DATE] < as_of_ts].sum() if len(inv) else 0.0
        return float(amounts.sum()), len(inv), float(overdue)

    rec, rec_n, rec_overdue = open_part(C.RECEIVABLE)
    pay, pay_n, _ = open_part(C.PAYABLE)
    cash, cash_date = None, None
    balances = ledger.bank_balances[ledger.bank_balances[C.BALANCE_DATE] <= as_of_ts]
    if not balances.empty:
        latest = balances.sort_values(C.BALANCE_DATE).groupby(C.ACCOUNT_ID).tail(1)
        cash, cash_date = float(latest[C.BALANCE].sum()), latest[C.BALANCE_DATE].max().date()
    issue = ledger.receivables[C.ISSUE_DATE]
    kinds = ledger.counterparties[C.KIND]
    return Overview(
        open_receivables=rec, open_receivables_count=rec_n, overdue_receivables=rec_overdue,
        open_payables=pay, open_payables_count=pay_n, cash=cash, cash_date=cash_date,
        overdraft_limit=float(ledger.bank_accounts[C.OVERDRAFT_LIMIT].sum()) if len(ledger.bank_accounts) else 0.0,
        n_clients=int((kinds == C.CLIENT).sum()), n_suppliers=int((kinds == C.SUPPLIER).sum()),
        first_invoice=issue.min().date() if len(issue) else None,
        last_invoice=issue.max().date() if len(issue) else None,
    )
