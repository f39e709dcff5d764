"""The demo's bank: two accounts, daily balances that move with the cash flows, the planned flows."""

from __future__ import annotations

import itertools

import pandas as pd

from forecasting.core import columns as c
from forecasting.core.terms import BusinessCalendar
from forecasting.demo import company as demo
from tests.fixtures.demo_company import TODAY_TS, in_eur


def test_two_bank_accounts_with_overdraft_limits(data: demo.DemoData) -> None:
    accounts = data.bank_accounts.set_index(c.ACCOUNT_ID)
    assert accounts[c.OVERDRAFT_LIMIT].to_dict() == {"BNP-MAIN": 300_000.0, "CIC-OPS": 100_000.0}
    assert (accounts[c.CURRENCY] == "EUR").all()


def test_bank_balances_daily_plausible_and_within_overdraft(data: demo.DemoData) -> None:
    balances = data.bank_balances.pivot(index=c.BALANCE_DATE, columns=c.ACCOUNT_ID, values=c.BALANCE)
    assert list(balances.columns) == ["BNP-MAIN", "CIC-OPS"]
    assert balances.notna().all().all()
    assert TODAY_TS - pd.Timedelta(days=4) <= balances.index.max() <= TODAY_TS  # the last business day
    assert BusinessCalendar("FR").is_business_day(balances.index).all()
    assert len(balances) > 600  # every business day of ~2.7 years
    total = balances.sum(axis=1)
    assert 300_000 <= total.iloc[-1] <= 1_500_000
    assert (total > 0).mean() > 0.95
    limits = data.bank_accounts.set_index(c.ACCOUNT_ID)[c.OVERDRAFT_LIMIT]
    assert (balances >= -limits).all().all()


def test_bank_balances_move_with_the_cash_flows(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    # day-to-day change of the total = receipts − supplier payments (EUR) + planned flows of that day;
    # money that arrives on a weekend or a holiday (card receipts) shows in the next business day's balance
    total = data.bank_balances.groupby(c.BALANCE_DATE)[c.BALANCE].sum()
    keys = [c.SOURCE, c.SIDE, c.INVOICE_ID]
    pay = data.payments.merge(invoices[[*keys, c.CURRENCY]], on=keys)
    eur = in_eur(pay, data.fx_rates, c.PAYMENT_DATE, c.AMOUNT)
    eur = eur.where(pay[c.SIDE] == c.RECEIVABLE, -eur)
    booked = pd.to_datetime(BusinessCalendar("FR").roll_forward(pay[c.PAYMENT_DATE]))
    invoice_flows = eur.groupby(booked).sum().reindex(total.index, fill_value=0.0)
    # the bank's own movements (fees, card receipts, a few strays; demo/movements.py) come on top of the ledger
    moves = data.bank_movements
    bank_only = moves[moves[c.LABEL].str.contains("FRAIS|COMMISSION|COTIS|REMISE CB|SINISTRE|SUBVENTION|ORANGE")]
    fees = data.deducted_fees
    extra = pd.concat([bank_only.groupby(c.BOOKING_DATE)[c.AMOUNT].sum(),
                       -fees.groupby(c.BOOKING_DATE)["fee"].sum()]).groupby(level=0).sum()
    invoice_flows = invoice_flows + extra.reindex(total.index, fill_value=0.0)
    residual = (total.diff() - invoice_flows).iloc[1:].round(0)
    amounts = data.planned_flows[c.AMOUNT].tolist()
    possible = {round(sum(combo)) for k in range(len(amounts) + 1) for combo in itertools.combinations(amounts, k)}
    assert set(residual.unique()) <= possible | {v + d for v in possible for d in (-1, 1)}
    assert (residual != 0).sum() > 24  # planned flows do reach the bank


def test_planned_flows(data: demo.DemoData) -> None:
    flows = data.planned_flows.set_index(c.CATEGORY)
    assert set(data.planned_flows[c.CATEGORY]) <= set(c.FLOW_CATEGORIES)
    assert set(data.planned_flows[c.RECURRENCE]) <= set(c.RECURRENCES)
    assert data.planned_flows[c.FLOW_ID].is_unique
    assert set(data.planned_flows[c.ACCOUNT_ID]) <= set(data.bank_accounts[c.ACCOUNT_ID])
    payroll = flows.loc["payroll"]
    assert payroll[c.RECURRENCE] == "monthly" and payroll[c.FIRST_DATE].day == 28
    assert -300_000 <= payroll[c.AMOUNT] <= -150_000
    assert flows.loc["social", c.FIRST_DATE].day == 15 and flows.loc["vat", c.FIRST_DATE].day == 20
    assert flows.loc["rent", c.RECURRENCE] == "quarterly"
    loan = flows.loc["loan"]
    assert loan[c.RECURRENCE] == "monthly" and loan[c.END_DATE] > TODAY_TS
    tax = data.planned_flows[data.planned_flows[c.CATEGORY] == "tax"]
    assert (tax[c.RECURRENCE] == "yearly").all() and len(tax) >= 4
    assert (data.planned_flows[c.AMOUNT] < 0).all()
    open_ended = data.planned_flows[c.END_DATE].isna()
    assert (data.planned_flows.loc[~open_ended, c.END_DATE] >= data.planned_flows.loc[~open_ended, c.FIRST_DATE]).all()
    assert (data.planned_flows[c.CURRENCY] == "EUR").all()
