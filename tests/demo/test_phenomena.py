"""The phenomena of real ledgers the demo shows (issue 14): drifting clients, disputes raised weeks after issue,
card receipts on weekends, a Thursday supplier payment run, one-off invoices and new clients."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.core import columns as c
from forecasting.core.terms import BusinessCalendar
from forecasting.demo import company as demo
from forecasting.demo import params
from tests.fixtures.demo_company import TODAY_TS

FR = BusinessCalendar("FR")


def _payments_with_invoices(data: demo.DemoData, invoices: pd.DataFrame) -> pd.DataFrame:
    """Payments with their invoice's counterparty, due date and amount."""
    keys = [c.SOURCE, c.SIDE, c.INVOICE_ID]
    return data.payments.merge(invoices[[*keys, c.COUNTERPARTY_ID, c.DUE_DATE, c.AMOUNT_TTC]], on=keys,
                               validate="many_to_one")


# --- drift ------------------------------------------------------------------------------------------
def test_a_share_of_clients_drift_strongly_most_paying_earlier(data: demo.DemoData) -> None:
    profiles = data.client_profiles
    drift = profiles[params.DRIFT_DAYS_PER_YEAR]
    improving, worsening = (drift <= -4).sum(), (drift >= 3).sum()
    assert 0.10 * len(profiles) <= improving + worsening <= 0.22 * len(profiles)  # ~15 %, and a few by chance
    assert improving > 2 * worsening >= 6
    assert drift.min() >= -8 and drift.max() <= 8  # days a year: strong, yet believable over three years
    assert (drift[profiles[params.BEHAVIOUR] == "never_pays"] == 0).all()


def test_drifting_clients_delay_moves_by_their_drift(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    # mean delay of the first 6 months of history against 9 to 3 months before today (invoices issued later
    # are not all paid yet: only the early payers would count), undisputed paid invoices
    r = invoices[(invoices[c.SIDE] == c.RECEIVABLE) & (invoices[c.STATUS] == "paid") & (invoices[c.AMOUNT_TTC] > 0)
                 & ~invoices[c.INVOICE_ID].isin(data.disputes[c.INVOICE_ID])]
    r = r.assign(delay=(r["last_paid"] - r[c.DUE_DATE]).dt.days)
    start = r[c.ISSUE_DATE].min()
    windows = {
        "first": r[r[c.ISSUE_DATE] < start + pd.DateOffset(months=6)],
        "last": r[(r[c.ISSUE_DATE] >= TODAY_TS - pd.DateOffset(months=9))
                  & (r[c.ISSUE_DATE] < TODAY_TS - pd.DateOffset(months=3))],
    }
    stats = pd.concat({name: frame.groupby(c.COUNTERPARTY_ID).agg(delay=("delay", "mean"), n=("delay", "size"),
                                                                  when=(c.ISSUE_DATE, "mean"))
                       for name, frame in windows.items()}, axis=1).dropna()
    stats = stats[(stats[("first", "n")] >= 5) & (stats[("last", "n")] >= 5)]
    drift = data.client_profiles.set_index(c.COUNTERPARTY_ID)[params.DRIFT_DAYS_PER_YEAR].reindex(stats.index)
    years = (stats[("last", "when")] - stats[("first", "when")]).dt.days / 365.25
    expected = drift * years
    measured = stats[("last", "delay")] - stats[("first", "delay")]
    drifting = drift.abs() >= 3
    assert drifting.sum() >= 30
    assert expected[drifting].corr(measured[drifting]) > 0.7
    assert abs((measured - expected)[drifting].mean()) < 2.5
    improving = drifting & (drift < 0)
    assert measured[improving].mean() < -9  # two and a half years at −4 to −8 days a year
    assert abs(measured[~drifting].mean()) < 2  # the others stay where they were


# --- disputes ---------------------------------------------------------------------------------------
def test_disputes_are_raised_two_to_eight_weeks_after_issue(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    disputes = data.disputes.merge(invoices[[c.SIDE, c.INVOICE_ID, c.ISSUE_DATE]], on=[c.SIDE, c.INVOICE_ID],
                                   validate="one_to_one")
    lag = (disputes[params.RAISED_ON] - disputes[c.ISSUE_DATE]).dt.days
    assert lag.between(14, 56).all()
    assert (lag < 21).mean() > 0.05 and (lag > 49).mean() > 0.05  # drawn over the whole range
    assert set(disputes[c.SIDE]) == {c.RECEIVABLE, c.PAYABLE}


def test_the_export_flags_only_disputes_raised_by_today(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    keyed = invoices.set_index([c.SIDE, c.INVOICE_ID])
    disputes = data.disputes.set_index([c.SIDE, c.INVOICE_ID])
    raised = disputes[params.RAISED_ON] <= TODAY_TS
    flagged = keyed.index[keyed[c.DISPUTED]]
    assert set(flagged) == set(disputes.index[raised])
    not_yet = keyed.loc[disputes.index[~raised]]
    assert len(not_yet) >= 10
    assert not not_yet[c.DISPUTED].any()
    # yet they are paid as disputed ones: nothing received by today, due or not
    assert (not_yet["n_payments"] == 0).all() and (not_yet[c.STATUS] == "open").all()


def test_a_disputed_invoice_is_paid_after_its_dispute_and_late(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    disputes = data.disputes.merge(invoices, on=[c.SIDE, c.INVOICE_ID], validate="one_to_one")
    paid = disputes[disputes["n_payments"] > 0]
    first = data.payments.groupby([c.SIDE, c.INVOICE_ID])[c.PAYMENT_DATE].min()
    first_paid = first.reindex(pd.MultiIndex.from_frame(paid[[c.SIDE, c.INVOICE_ID]])).to_numpy()
    assert (first_paid >= (paid[params.RAISED_ON] + pd.Timedelta(days=7)).to_numpy()).all()
    receivable = paid[paid[c.SIDE] == c.RECEIVABLE]
    assert 40 <= (receivable["last_paid"] - receivable[c.DUE_DATE]).dt.days.median() <= 120


# --- weekend receipts -------------------------------------------------------------------------------
def test_card_payers_are_paid_on_any_day_close_to_the_due_date(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    profiles = data.client_profiles
    any_day = profiles[profiles[params.SETTLEMENT] == "any_day"]
    assert 0.06 * len(profiles) <= len(any_day) <= 0.10 * len(profiles)
    assert (any_day[c.SEGMENT] == "PME").all()
    pay = _payments_with_invoices(data, invoices)
    receipts = pay[(pay[c.SIDE] == c.RECEIVABLE) & (pay[c.AMOUNT_TTC] > 0)]  # credit notes settle on issue
    theirs = receipts[c.COUNTERPARTY_ID].isin(any_day[c.COUNTERPARTY_ID])
    weekend = receipts[c.PAYMENT_DATE].dt.day_of_week >= 5
    assert weekend[theirs].mean() > 0.20  # 2 days in 7
    assert weekend[~theirs].sum() == 0  # the other clients pay by transfer, on business days
    delay = (receipts.loc[theirs, c.PAYMENT_DATE] - receipts.loc[theirs, c.DUE_DATE]).dt.days
    assert -5 <= delay.median() <= 2
    assert (delay.abs() <= 7).mean() > 0.8


# --- supplier payment run ---------------------------------------------------------------------------
def test_most_suppliers_are_paid_in_a_thursday_run(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    profiles = data.supplier_profiles.set_index(c.COUNTERPARTY_ID)
    run = profiles[params.SETTLEMENT] == "weekly_run"
    assert 0.75 <= run.mean() < 1.0
    assert (profiles.loc[profiles[c.SEGMENT] == "Énergie", params.SETTLEMENT] == "business_day").all()
    pay = _payments_with_invoices(data, invoices)
    pay = pay[pay[c.SIDE] == c.PAYABLE]
    in_run = pay[c.COUNTERPARTY_ID].map(run)
    run_days = pay.loc[in_run, c.PAYMENT_DATE]
    thursday = run_days.dt.day_of_week == 3
    assert thursday.mean() > 0.9
    # the others: the Thursday before was a holiday, and the payment went on the next business day
    moved = run_days[~thursday]
    week_thursday = moved - pd.to_timedelta((moved.dt.day_of_week - 3) % 7, unit="D")
    assert len(moved) > 0
    assert not FR.is_business_day(week_thursday).any()
    np.testing.assert_array_equal(FR.roll_forward(week_thursday), moved.to_numpy().astype("datetime64[D]"))
    # direct debits: on the due date, rolled to a business day
    debits = pay[~in_run]
    assert len(debits) > 100
    np.testing.assert_array_equal(FR.roll_forward(debits[c.DUE_DATE]),
                                  debits[c.PAYMENT_DATE].to_numpy().astype("datetime64[D]"))


# --- one-offs ---------------------------------------------------------------------------------------
def test_a_few_huge_one_off_invoices(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    one_offs = data.one_offs.merge(invoices, on=[c.SIDE, c.INVOICE_ID, c.COUNTERPARTY_ID], validate="one_to_one")
    assert one_offs[c.SIDE].value_counts().to_dict() == {c.PAYABLE: 2, c.RECEIVABLE: 1}
    for row in one_offs.itertuples(index=False):
        others = invoices[(invoices[c.COUNTERPARTY_ID] == row.counterparty_id)
                          & (invoices[c.INVOICE_ID] != row.invoice_id) & (invoices[c.AMOUNT_TTC] > 0)]
        median = others[c.AMOUNT_TTC].median()
        assert len(others) >= 20
        assert 100 * median < row.amount_ttc <= 300 * median, row
        assert others[c.AMOUNT_TTC].max() < 20 * median  # it does not recur
        assert row.status == "paid" and row.currency == "EUR"
    supplier_total = one_offs.loc[one_offs[c.SIDE] == c.PAYABLE, c.AMOUNT_TTC].sum()
    assert 0.5e6 <= supplier_total <= 1.5e6


def test_one_offs_reach_the_bank_history(data: demo.DemoData, invoices: pd.DataFrame) -> None:
    total = data.bank_balances.groupby(c.BALANCE_DATE)[c.BALANCE].sum()
    change = total.diff()
    one_offs = data.one_offs.merge(data.payments, on=[c.SIDE, c.INVOICE_ID], validate="one_to_many")
    assert len(one_offs) == len(data.one_offs)  # each paid in one payment
    one_offs = one_offs.merge(invoices[[c.SIDE, c.INVOICE_ID, c.AMOUNT_TTC]], on=[c.SIDE, c.INVOICE_ID])
    assert (one_offs[c.AMOUNT] == one_offs[c.AMOUNT_TTC]).all()
    ordinary = change.drop(one_offs[c.PAYMENT_DATE]).abs().max()
    for row in one_offs.itertuples(index=False):
        assert row.payment_date > total.index[0]
        signed = row.amount if row.side == c.RECEIVABLE else -row.amount
        # without it, its day moves the bank like any other day (test_bank checks every day's flows exactly)
        assert abs(change[row.payment_date] - signed) <= ordinary, row
    # the company stays within its means: history above the floor, closing cash near its target
    assert total.min() >= 150_000 and 600_000 <= total.iloc[-1] <= 1_500_000


# --- new clients ------------------------------------------------------------------------------------
def test_some_clients_started_within_the_last_months(data: demo.DemoData) -> None:
    r = data.receivables
    first = r.groupby(c.COUNTERPARTY_ID)[c.ISSUE_DATE].agg(["min", "size"])
    profiles = data.client_profiles.set_index(c.COUNTERPARTY_ID)
    paying = profiles[params.BEHAVIOUR] != "never_pays"
    new = first[(first["min"] > TODAY_TS - pd.DateOffset(months=6)) & paying.reindex(first.index)]
    assert len(new) >= 0.03 * len(profiles)
    assert new["size"].median() <= 10  # a few invoices of history
    started = profiles.loc[new.index, params.INVOICED_FROM]
    assert (started >= TODAY_TS - pd.Timedelta(days=183)).all()
    assert (new["min"] >= started).all()
