"""Opening cash of a projection: the latest bank balance of each account on or before as-of, rolled forward."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.terms import BusinessCalendar
from forecasting.i18n.translate import Day, Message
from forecasting.model.invoicing import expand_planned_flows, to_reporting
from forecasting.model.settlement import cash_only
from forecasting.projection.items import main_account_of

ACCOUNT_COLUMNS = [C.ACCOUNT_ID, C.CURRENCY, "opening_balance", C.BALANCE_DATE, C.OVERDRAFT_LIMIT, "is_main"]


@dataclass(frozen=True, eq=False)
class Opening:
    """Opening cash in EUR: per account, in total, and the overdraft the accounts allow."""

    accounts: pd.DataFrame  # ACCOUNT_COLUMNS
    total: float
    date: pd.Timestamp | None  # the latest balance date used (None: no balance)
    overdraft_limit: float
    notes: tuple[str, ...]


def opening_balances(ledger: Ledger, as_of: pd.Timestamp, main_account: str | None,
                     calendar: BusinessCalendar) -> Opening:
    """Return opening cash at the end of as_of; balances older than as_of are rolled forward with known flows."""
    bal = ledger.bank_balances
    bal = bal[pd.to_datetime(bal[C.BALANCE_DATE]) <= as_of] if len(bal) else bal
    accounts = ledger.bank_accounts
    limit_eur = 0.0
    if len(accounts):
        limit_eur = float(to_reporting(accounts[C.OVERDRAFT_LIMIT].fillna(0.0), accounts[C.CURRENCY],
                                       ledger.fx_rates, as_of).sum())
    if not len(bal):
        return Opening(pd.DataFrame(columns=ACCOUNT_COLUMNS), 0.0, None, limit_eur, ())
    latest = bal.assign(**{C.BALANCE_DATE: pd.to_datetime(bal[C.BALANCE_DATE])}).sort_values(C.BALANCE_DATE)
    latest = latest.groupby(C.ACCOUNT_ID, as_index=False).last()
    info = accounts.set_index(C.ACCOUNT_ID) if len(accounts) else pd.DataFrame()
    currency = latest[C.ACCOUNT_ID].map(info[C.CURRENCY]) if len(info) else pd.Series(C.REPORTING_CURRENCY)
    currency = currency.fillna(C.REPORTING_CURRENCY).reindex(latest.index, fill_value=C.REPORTING_CURRENCY)
    limit = latest[C.ACCOUNT_ID].map(info[C.OVERDRAFT_LIMIT]).fillna(0.0) if len(info) else 0.0
    frame = pd.DataFrame({
        C.ACCOUNT_ID: latest[C.ACCOUNT_ID].astype(str),
        C.CURRENCY: currency,
        "opening_balance": to_reporting(latest[C.BALANCE].astype(float), currency, ledger.fx_rates, as_of),
        C.BALANCE_DATE: latest[C.BALANCE_DATE],
        C.OVERDRAFT_LIMIT: to_reporting(np.asarray(limit, dtype=float) * np.ones(len(latest)), currency,
                                        ledger.fx_rates, as_of),
        "is_main": latest[C.ACCOUNT_ID].astype(str) == str(main_account),
    }, columns=ACCOUNT_COLUMNS)
    notes: list[str] = []
    stale = frame[frame[C.BALANCE_DATE] < as_of]
    if len(stale):
        frame["opening_balance"] += _gap_flows(ledger, frame, as_of, main_account, calendar)
    # A balance of the last business day is today's balance on a weekend or a holiday: worth no note.
    behind = stale[stale[C.BALANCE_DATE] < calendar.last_business_day(as_of)]
    if len(behind):
        oldest = behind[C.BALANCE_DATE].min().date()
        notes.append(Message("bank balance older than as-of (from {oldest}): rolled forward with the payments and "
                             "planned flows dated after it", oldest=Day(oldest.isoformat())))
    return Opening(frame, float(frame["opening_balance"].sum()), pd.Timestamp(frame[C.BALANCE_DATE].max()),
                   limit_eur, tuple(notes))


def _gap_flows(ledger: Ledger, accounts: pd.DataFrame, as_of: pd.Timestamp, main_account: str | None,
               calendar: BusinessCalendar) -> npt.NDArray[np.float64]:
    """Return, per account, known cash payments (main account) and planned flows between its balance date and as-of."""
    since = dict(zip(accounts[C.ACCOUNT_ID], accounts[C.BALANCE_DATE], strict=True))
    out = pd.Series(0.0, index=accounts[C.ACCOUNT_ID].to_numpy())
    if main_account is not None and main_account in since:
        start = since[main_account]
        for side, sign in ((C.RECEIVABLE, 1.0), (C.PAYABLE, -1.0)):
            pay = cash_only(ledger.payments_of(side))  # a credit note set against an invoice moves no money
            dates = pd.to_datetime(pay[C.PAYMENT_DATE]) if len(pay) else pd.Series(dtype="datetime64[s]")
            pay = pay[(dates > start) & (dates <= as_of)] if len(pay) else pay
            if len(pay):
                inv = ledger.invoices(side)
                key = [k for k in (C.SOURCE, C.INVOICE_ID) if k in pay.columns and k in inv.columns]
                cur = pay.merge(inv[key + [C.CURRENCY]], on=key, how="left")[C.CURRENCY]
                out[main_account] += sign * to_reporting(pay[C.AMOUNT], cur, ledger.fx_rates, as_of).sum()
    oldest = min(since.values())
    flows = expand_planned_flows(ledger.planned_flows, oldest + pd.Timedelta(days=1), as_of, calendar)
    if len(flows):
        account = flows[C.ACCOUNT_ID].astype(object).where(flows[C.ACCOUNT_ID].notna(), main_account)
        after = flows["date"].to_numpy() > account.map(since).fillna(as_of).to_numpy()
        eur = to_reporting(flows[C.AMOUNT], flows[C.CURRENCY], ledger.fx_rates, as_of)
        add = pd.Series(eur[after], index=account[after].to_numpy()).groupby(level=0).sum()
        out = out.add(add.reindex(out.index, fill_value=0.0), fill_value=0.0)
    return np.asarray(out, dtype=np.float64)


def opening_at(ledger: Ledger, as_of: pd.Timestamp, calendar_country: str = "FR") -> Opening:
    """Return the opening cash a forecast as of `as_of` starts from (the same accounts, roll-forward and rates)."""
    return opening_balances(ledger, as_of, main_account_of(ledger, as_of), BusinessCalendar(calendar_country))
