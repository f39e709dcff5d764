"""The demo's invoices and payments: ids, due dates, statuses, credit notes, and each behaviour's delays."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.core import columns as c
from forecasting.core.terms import BusinessCalendar, due_dates_for
from forecasting.demo import company as demo
from forecasting.demo import params
from tests.fixtures.demo_company import TODAY_TS


def test_invoice_ids_are_unique_and_follow_issue_dates(data: demo.DemoData) -> None:
    for frame in (data.receivables, data.payables):
        assert frame[c.INVOICE_ID].is_unique
        assert frame[c.ISSUE_DATE].is_monotonic_increasing
    assert not set(data.receivables[c.INVOICE_ID]) & set(data.payables[c.INVOICE_ID])


def test_due_dates_follow_the_terms(data: demo.DemoData) -> None:
    for frame in (data.receivables, data.payables):
        expected = due_dates_for(frame[c.ISSUE_DATE], frame[c.TERMS])
        np.testing.assert_array_equal(frame[c.DUE_DATE].to_numpy().astype("datetime64[D]"), expected)
        assert (frame[c.DUE_DATE] >= frame[c.ISSUE_DATE]).all()


def test_no_payment_after_today_and_none_before_its_invoice(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    assert data.payments[c.PAYMENT_DATE].max() <= TODAY_TS
    keys = [c.SOURCE, c.SIDE, c.INVOICE_ID]
    joined = data.payments.merge(invoices[[*keys, c.ISSUE_DATE]], on=keys, how="left", validate="many_to_one")
    assert joined[c.ISSUE_DATE].notna().all(), "every payment refers to an existing invoice"
    assert (joined[c.PAYMENT_DATE] >= joined[c.ISSUE_DATE]).all()


def test_payment_ids_are_unique_per_source_and_side(data: demo.DemoData) -> None:
    assert not data.payments.duplicated([c.SOURCE, c.SIDE, c.PAYMENT_ID]).any()


def test_payments_land_on_french_business_days_save_card_receipts(data: demo.DemoData,
                                                                  invoices: pd.DataFrame) -> None:
    # the clients who pay by card or direct debit through a processor are paid on any calendar day
    profiles = data.client_profiles
    any_day = set(profiles.loc[profiles[demo.SETTLEMENT] == "any_day", c.COUNTERPARTY_ID])
    keys = [c.SOURCE, c.SIDE, c.INVOICE_ID]
    pay = data.payments.merge(invoices[[*keys, c.COUNTERPARTY_ID]], on=keys, validate="many_to_one")
    theirs = pay[c.COUNTERPARTY_ID].isin(any_day)
    assert theirs.sum() > 100
    assert BusinessCalendar("FR").is_business_day(pay.loc[~theirs, c.PAYMENT_DATE]).all()


def test_payments_never_exceed_the_invoice(invoices: pd.DataFrame) -> None:
    positive = invoices[invoices[c.AMOUNT_TTC] > 0]
    assert (positive["paid"] <= positive[c.AMOUNT_TTC] + 0.01).all()
    assert (positive["paid"] >= 0).all()


def test_status_follows_payments(invoices: pd.DataFrame) -> None:
    covered = (invoices[c.AMOUNT_TTC] - invoices["paid"]).abs() <= 0.01
    status = invoices[c.STATUS]
    assert set(status) == {"paid", "open", "written_off"}
    assert (covered == (status == "paid")).all()
    written_off = invoices[status == "written_off"]
    assert (written_off[c.SIDE] == c.RECEIVABLE).all()
    # written off once 270 days past due: never paid, or the contested part of a dispute settled partly
    assert (written_off[c.DUE_DATE] < TODAY_TS - pd.Timedelta(days=params.WRITE_OFF_AFTER_DAYS)).all()
    assert ((written_off["n_payments"] == 0) | (written_off[c.DISPUTED] & (written_off["paid"] > 0))).all()


def test_credit_notes_are_negative_settled_on_issue(invoices: pd.DataFrame, data: demo.DemoData) -> None:
    r = data.receivables
    credit = invoices[invoices[c.AMOUNT_TTC] < 0]
    assert 0.01 <= len(credit) / len(r) <= 0.03
    assert (credit[c.SIDE] == c.RECEIVABLE).all()
    assert (credit[c.STATUS] == "paid").all()
    assert (credit[c.TERMS] == "on receipt").all()
    assert (credit["last_paid"] == credit[c.ISSUE_DATE]).all()
    assert (data.payables[c.AMOUNT_TTC] > 0).all()


def test_some_invoices_are_paid_in_two_parts(invoices: pd.DataFrame) -> None:
    receivables = invoices[invoices[c.SIDE] == c.RECEIVABLE]
    share = (receivables["n_payments"] == 2).mean()
    assert 0.02 <= share <= 0.06
    assert receivables["n_payments"].max() == 2


def test_open_items_are_recent_or_disputed_or_unpaid(invoices: pd.DataFrame, data: demo.DemoData) -> None:
    open_payables = invoices[(invoices[c.SIDE] == c.PAYABLE) & (invoices[c.STATUS] == "open")]
    # we pay suppliers around the due date: nothing open long past it, save the rare withheld invoice
    overdue = open_payables[open_payables[c.DUE_DATE] < TODAY_TS - pd.Timedelta(days=15)]
    assert overdue[c.DISPUTED].all()
    assert len(open_payables) > 0


def test_a_punctual_client_pays_around_the_due_date(client_delays: pd.DataFrame) -> None:
    punctual = client_delays[client_delays[demo.BEHAVIOUR] == "punctual"]
    biggest = punctual.sort_values("size").iloc[-1]
    assert biggest["size"] >= 30
    assert -3 <= biggest["median"] <= 3
    assert -3 <= punctual["median"].median() <= 3


def test_a_chronically_late_client_pays_10_to_20_days_late(client_delays: pd.DataFrame) -> None:
    late = client_delays[client_delays[demo.BEHAVIOUR] == "late"]
    biggest = late.sort_values("size").iloc[-1]
    assert biggest["size"] >= 30
    assert 10 <= biggest["median"] <= 20
    assert 10 <= late["median"].median() <= 20


def test_delays_are_client_specific_and_stable(invoices: pd.DataFrame, data: demo.DemoData) -> None:
    # first half of the history against the second: a model can learn each client's delay
    paid = invoices[(invoices[c.SIDE] == c.RECEIVABLE) & (invoices[c.STATUS] == "paid")
                    & (invoices[c.AMOUNT_TTC] > 0) & ~invoices[c.DISPUTED]]
    delay = (paid["last_paid"] - paid[c.DUE_DATE]).dt.days
    half = paid[c.ISSUE_DATE] > TODAY_TS - pd.DateOffset(months=18)
    by_half = delay.groupby([paid[c.COUNTERPARTY_ID], half]).mean().unstack().dropna()
    assert by_half[False].corr(by_half[True]) > 0.8


def test_erratic_clients_spread_wider_than_punctual_ones(invoices: pd.DataFrame, data: demo.DemoData) -> None:
    paid = invoices[(invoices[c.SIDE] == c.RECEIVABLE) & (invoices[c.STATUS] == "paid")
                    & (invoices[c.AMOUNT_TTC] > 0) & ~invoices[c.DISPUTED]]
    delay = (paid["last_paid"] - paid[c.DUE_DATE]).dt.days
    # interquartile range: robust to the rare second instalment paid weeks later
    spread = delay.groupby(paid[c.COUNTERPARTY_ID]).quantile(0.75) - delay.groupby(paid[c.COUNTERPARTY_ID]).quantile(0.25)
    behaviour = data.client_profiles.set_index(c.COUNTERPARTY_ID)[demo.BEHAVIOUR]
    by_class = spread.groupby(behaviour).median()
    assert by_class["erratic"] > 2 * by_class["punctual"]


def test_disputed_invoices_are_paid_much_later_or_partly(invoices: pd.DataFrame, data: demo.DemoData) -> None:
    r = invoices[(invoices[c.SIDE] == c.RECEIVABLE) & (invoices[c.AMOUNT_TTC] > 0)]
    behaviour = r[c.COUNTERPARTY_ID].map(data.client_profiles.set_index(c.COUNTERPARTY_ID)[demo.BEHAVIOUR])
    assert r.loc[behaviour == "disputing", c.DISPUTED].mean() > 0.1
    assert r.loc[behaviour == "punctual", c.DISPUTED].mean() < 0.02
    delay = (r["last_paid"] - r[c.DUE_DATE]).dt.days
    paid = r[c.STATUS] == "paid"
    assert delay[paid & r[c.DISPUTED]].median() > delay[paid & ~r[c.DISPUTED]].median() + 30
    old_disputed = r[r[c.DISPUTED] & (r[c.DUE_DATE] < TODAY_TS - pd.DateOffset(months=9))]
    partly = (old_disputed["paid"] > 0) & (old_disputed[c.STATUS] != "paid")
    assert 0.2 <= partly.mean() <= 0.6
    # the rest is written off, not left open for years (issue 17)
    assert (old_disputed.loc[partly, c.STATUS] == "written_off").all()


def test_never_paying_clients_never_pay(invoices: pd.DataFrame, data: demo.DemoData) -> None:
    profiles = data.client_profiles
    never = set(profiles.loc[profiles[demo.BEHAVIOUR] == "never_pays", c.COUNTERPARTY_ID])
    theirs = invoices[invoices[c.COUNTERPARTY_ID].isin(never)]
    assert len(theirs) > 0
    assert (theirs["n_payments"] == 0).all()
    old = theirs[c.DUE_DATE] < TODAY_TS - pd.Timedelta(days=params.WRITE_OFF_AFTER_DAYS)
    assert (theirs.loc[old, c.STATUS] == "written_off").all()
    assert (theirs.loc[~old, c.STATUS] == "open").all()
    assert old.any() and (~old).any()
    others = invoices[~invoices[c.COUNTERPARTY_ID].isin(never)]
    assert (others.loc[others[c.STATUS] == "written_off", c.DISPUTED]).all()  # partly paid disputes only
