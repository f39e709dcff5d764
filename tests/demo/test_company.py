"""Tests of forecasting.demo.company: the seeded demo company honours the column contract and looks like a real SME."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as c
from forecasting.core.errors import InputError
from forecasting.core.terms import BusinessCalendar, due_dates_for, parse_terms
from forecasting.demo import company as demo

TODAY = date(2026, 6, 15)
TODAY_TS = pd.Timestamp(TODAY)


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    """The scale-1 demo company, generated once for the module."""
    return demo.generate(seed=42, scale=1.0, today=TODAY)


@pytest.fixture(scope="module")
def invoices(data: demo.DemoData) -> pd.DataFrame:
    """Receivables and payables with the paid amount and the last payment date of each invoice."""
    both = pd.concat([data.receivables, data.payables], ignore_index=True)
    keys = [c.SOURCE, c.SIDE, c.INVOICE_ID]
    paid = data.payments.groupby(keys).agg(paid=(c.AMOUNT, "sum"), last_paid=(c.PAYMENT_DATE, "max"),
                                           n_payments=(c.AMOUNT, "size")).reset_index()
    merged = both.merge(paid, on=keys, how="left")
    merged["paid"] = merged["paid"].fillna(0.0)
    merged["n_payments"] = merged["n_payments"].fillna(0).astype(int)
    return merged


@pytest.fixture(scope="module")
def client_delays(invoices: pd.DataFrame, data: demo.DemoData) -> pd.DataFrame:
    """Per client: median delay (last payment − due date) of its fully paid invoices, count and true behaviour."""
    paid = invoices[(invoices[c.SIDE] == c.RECEIVABLE) & (invoices[c.STATUS] == "paid")
                    & (invoices[c.AMOUNT_TTC] > 0)]
    delays = (paid["last_paid"] - paid[c.DUE_DATE]).dt.days
    stats = delays.groupby(paid[c.COUNTERPARTY_ID]).agg(["median", "size"])
    return stats.join(data.client_profiles.set_index(c.COUNTERPARTY_ID)[demo.BEHAVIOUR])


def in_eur(frame: pd.DataFrame, fx: pd.DataFrame, date_col: str, amount_col: str) -> pd.Series:
    """Return `amount_col` converted to EUR at the last rate on or before `date_col`."""
    rates = fx.sort_values(c.RATE_DATE)
    out = pd.Series(frame[amount_col].to_numpy(dtype=float), index=frame.index)
    for currency, rows in frame.groupby(c.CURRENCY):
        if currency == c.REPORTING_CURRENCY:
            continue
        table = rates[rates[c.CURRENCY] == currency]
        pos = np.searchsorted(table[c.RATE_DATE].to_numpy(), rows[date_col].to_numpy(), side="right") - 1
        out[rows.index] = rows[amount_col].to_numpy() * table[c.RATE].to_numpy()[pos]
    return out


def last_12_months(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows issued in the 12 months up to TODAY."""
    return frame[frame[c.ISSUE_DATE] > TODAY_TS - pd.DateOffset(years=1)]


# --- contract ------------------------------------------------------------------------------------------
CONTRACT = {
    "counterparties": c.COUNTERPARTY_COLUMNS, "receivables": c.INVOICE_COLUMNS, "payables": c.INVOICE_COLUMNS,
    "payments": c.PAYMENT_COLUMNS, "bank_accounts": c.BANK_ACCOUNT_COLUMNS,
    "bank_balances": c.BANK_BALANCE_COLUMNS, "planned_flows": c.PLANNED_FLOW_COLUMNS, "fx_rates": c.FX_COLUMNS,
}
DATES = {c.ISSUE_DATE, c.DUE_DATE, c.PAYMENT_DATE, c.BALANCE_DATE, c.FIRST_DATE, c.END_DATE, c.RATE_DATE}
MONEY = {c.AMOUNT_TTC, c.AMOUNT, c.CREDIT_LIMIT, c.OVERDRAFT_LIMIT, c.BALANCE}


def test_tables_have_exactly_the_contract_columns(data: demo.DemoData) -> None:
    tables = data.tables()
    assert set(tables) == set(CONTRACT)
    for name, expected in CONTRACT.items():
        assert list(tables[name].columns) == expected, name


def test_dtypes_follow_the_contract(data: demo.DemoData) -> None:
    for name, frame in data.tables().items():
        for col in frame.columns:
            dtype = frame[col].dtype
            if col in DATES:
                assert pd.api.types.is_datetime64_dtype(dtype), (name, col, dtype)
                assert (frame[col].dropna() == frame[col].dropna().dt.normalize()).all(), (name, col)
            elif col in MONEY or col == c.RATE:
                assert dtype == np.float64, (name, col, dtype)
            elif col == c.DISPUTED:
                assert dtype == np.dtype(bool), (name, col, dtype)
            else:
                assert pd.api.types.is_string_dtype(dtype), (name, col, dtype)
                assert frame[col].notna().all(), (name, col)


def test_money_is_rounded_to_cents(data: demo.DemoData) -> None:
    for name, frame in data.tables().items():
        for col in MONEY & set(frame.columns):
            values = frame[col].dropna().to_numpy()
            np.testing.assert_allclose(values, np.round(values, 2), atol=1e-6, err_msg=f"{name}.{col}")


def test_source_side_and_entity(data: demo.DemoData) -> None:
    for frame in (data.receivables, data.payables, data.payments):
        assert (frame[c.SOURCE] == "demo").all()
    assert (data.receivables[c.SIDE] == c.RECEIVABLE).all()
    assert (data.payables[c.SIDE] == c.PAYABLE).all()
    assert set(data.payments[c.SIDE]) == {c.RECEIVABLE, c.PAYABLE}
    for frame in (data.receivables, data.payables, data.counterparties):
        assert (frame[c.ENTITY] == "FR01").all()


def test_same_seed_gives_equal_frames_and_another_seed_does_not(data: demo.DemoData) -> None:
    again = demo.generate(seed=42, scale=1.0, today=TODAY)
    for name, frame in data.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name], obj=name)
    pd.testing.assert_frame_equal(data.client_profiles, again.client_profiles)
    other = demo.generate(seed=7, scale=1.0, today=TODAY)
    assert not other.receivables[c.AMOUNT_TTC].equals(data.receivables[c.AMOUNT_TTC])


def test_default_today_is_the_current_date() -> None:
    small = demo.generate(seed=1, scale=0.05)
    assert small.payments[c.PAYMENT_DATE].max() <= pd.Timestamp(date.today())
    assert small.receivables[c.ISSUE_DATE].max() <= pd.Timestamp(date.today())


def test_scale_must_be_positive() -> None:
    with pytest.raises(InputError, match="scale"):
        demo.generate(scale=0)


# --- size and shape of the business -------------------------------------------------------------------
def test_about_300_clients_and_120_suppliers(data: demo.DemoData) -> None:
    kinds = data.counterparties[c.KIND].value_counts()
    assert kinds[c.CLIENT] == 300
    assert kinds[c.SUPPLIER] == 120
    ids = data.counterparties[c.COUNTERPARTY_ID]
    assert ids.is_unique
    assert ids[data.counterparties[c.KIND] == c.CLIENT].str.fullmatch(r"C\d{4}").all()
    assert ids[data.counterparties[c.KIND] == c.SUPPLIER].str.fullmatch(r"S\d{4}").all()
    assert data.counterparties[c.NAME].is_unique


def test_three_years_of_history_up_to_today(data: demo.DemoData) -> None:
    issued = data.receivables[c.ISSUE_DATE]
    assert issued.max() <= TODAY_TS
    assert issued.min() >= TODAY_TS - pd.DateOffset(years=3)
    assert issued.min() <= TODAY_TS - pd.DateOffset(years=3) + pd.Timedelta(days=10)


def test_last_12_months_sales_are_about_12_million_eur(data: demo.DemoData) -> None:
    recent = last_12_months(data.receivables)
    sales = in_eur(recent, data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC).sum()
    assert 10e6 <= sales <= 14e6


def test_purchases_are_55_to_65_percent_of_sales(data: demo.DemoData) -> None:
    sales = in_eur(last_12_months(data.receivables), data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC).sum()
    purchases = last_12_months(data.payables)[c.AMOUNT_TTC].sum()
    assert 0.55 <= purchases / sales <= 0.65


def test_sales_grow_and_dip_in_august_peak_in_december(data: demo.DemoData) -> None:
    r = data.receivables
    eur = in_eur(r, data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC)
    recent = eur[r[c.ISSUE_DATE] > TODAY_TS - pd.DateOffset(years=1)].sum()
    before = eur[(r[c.ISSUE_DATE] > TODAY_TS - pd.DateOffset(years=2))
                 & (r[c.ISSUE_DATE] <= TODAY_TS - pd.DateOffset(years=1))].sum()
    assert 1.0 < recent / before < 1.15
    by_month = eur.groupby(r[c.ISSUE_DATE].dt.month).sum()
    assert by_month[8] < 0.7 * by_month.mean()
    assert by_month[12] == by_month.max()


def test_segments_currencies_and_terms(data: demo.DemoData) -> None:
    clients = data.counterparties[data.counterparties[c.KIND] == c.CLIENT]
    assert set(clients[c.SEGMENT]) == {"Grands comptes", "PME", "Public", "Export"}
    assert set(clients[c.CURRENCY]) == {"EUR", "USD", "GBP"}
    assert (clients.loc[clients[c.CURRENCY] != "EUR", c.SEGMENT] == "Export").all()
    assert set(data.counterparties[c.TERMS]) == {"net 30", "45 days end of month", "net 60"}
    assert set(data.receivables[c.TERMS]) == {"net 30", "45 days end of month", "net 60", "on receipt"}
    for text in set(data.counterparties[c.TERMS]):
        parse_terms(text)


def test_credit_limits_for_clients_only(data: demo.DemoData) -> None:
    cp = data.counterparties
    is_client = cp[c.KIND] == c.CLIENT
    assert (cp.loc[is_client, c.CREDIT_LIMIT] >= 5_000).all()
    assert cp.loc[~is_client, c.CREDIT_LIMIT].isna().all()
    # proportional to volume: about two months of sales, 5 000 at least
    sales = in_eur(last_12_months(data.receivables), data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC)
    by_client = sales.groupby(data.receivables[c.COUNTERPARTY_ID]).sum()
    limits = cp[is_client & (cp[c.CURRENCY] == "EUR")].set_index(c.COUNTERPARTY_ID)[c.CREDIT_LIMIT]
    above_floor = limits[limits > 5_000]
    ratio = above_floor / by_client.reindex(above_floor.index)
    assert len(above_floor) > 50
    assert 1 / 9 <= ratio.median() <= 1 / 4
    assert above_floor.corr(by_client.reindex(above_floor.index)) > 0.8


# --- invoices and payments ------------------------------------------------------------------------------
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


def test_payments_land_on_french_business_days(data: demo.DemoData) -> None:
    assert BusinessCalendar("FR").is_business_day(data.payments[c.PAYMENT_DATE]).all()


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
    assert (written_off[c.ISSUE_DATE] < TODAY_TS - pd.DateOffset(years=1)).all()
    assert (written_off["n_payments"] == 0).all()


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


# --- behaviour ---------------------------------------------------------------------------------------------
def test_behaviour_classes_have_the_planned_shares(data: demo.DemoData) -> None:
    counts = data.client_profiles[demo.BEHAVIOUR].value_counts()
    assert counts["never_pays"] == 6  # 2 % of 300
    assert set(counts.index) == set(demo.BEHAVIOURS)
    assert counts["punctual"] > counts["late"] > counts["erratic"] > counts["never_pays"]


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
    partly = (old_disputed["paid"] > 0) & (old_disputed[c.STATUS] == "open")
    assert 0.2 <= partly.mean() <= 0.6


def test_never_paying_clients_never_pay(invoices: pd.DataFrame, data: demo.DemoData) -> None:
    profiles = data.client_profiles
    never = set(profiles.loc[profiles[demo.BEHAVIOUR] == "never_pays", c.COUNTERPARTY_ID])
    theirs = invoices[invoices[c.COUNTERPARTY_ID].isin(never)]
    assert len(theirs) > 0
    assert (theirs["n_payments"] == 0).all()
    old = theirs[c.ISSUE_DATE] < TODAY_TS - pd.DateOffset(years=1)
    assert (theirs.loc[old, c.STATUS] == "written_off").all()
    assert (theirs.loc[~old, c.STATUS] == "open").all()
    assert old.any() and (~old).any()
    others = invoices[~invoices[c.COUNTERPARTY_ID].isin(never)]
    assert (others[c.STATUS] != "written_off").all()


# --- bank, planned flows, FX ---------------------------------------------------------------------------
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
    # day-to-day change of the total = receipts − supplier payments (EUR) + planned flows of that day
    total = data.bank_balances.groupby(c.BALANCE_DATE)[c.BALANCE].sum()
    keys = [c.SOURCE, c.SIDE, c.INVOICE_ID]
    pay = data.payments.merge(invoices[[*keys, c.CURRENCY]], on=keys)
    eur = in_eur(pay, data.fx_rates, c.PAYMENT_DATE, c.AMOUNT)
    eur = eur.where(pay[c.SIDE] == c.RECEIVABLE, -eur)
    invoice_flows = eur.groupby(pay[c.PAYMENT_DATE]).sum().reindex(total.index, fill_value=0.0)
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


def test_fx_rates_cover_usd_and_gbp_over_the_history(data: demo.DemoData) -> None:
    fx = data.fx_rates
    assert set(fx[c.CURRENCY]) == {"USD", "GBP"}
    assert not fx.duplicated([c.CURRENCY, c.RATE_DATE]).any()
    for currency, low, high in (("USD", 0.6, 1.25), ("GBP", 0.9, 1.45)):
        rows = fx[fx[c.CURRENCY] == currency]
        assert rows[c.RATE].between(low, high).all()
        assert rows[c.RATE_DATE].min() <= data.receivables[c.ISSUE_DATE].min()
        assert rows[c.RATE_DATE].max() >= TODAY_TS - pd.Timedelta(days=4)
        assert rows[c.RATE_DATE].diff().max() <= pd.Timedelta(days=5)


def test_scale_2_doubles_the_company() -> None:
    one = demo.generate(seed=3, scale=1.0, today=TODAY)
    two = demo.generate(seed=3, scale=2.0, today=TODAY)
    assert len(two.counterparties) == 2 * len(one.counterparties)
    assert 1.8 <= len(two.receivables) / len(one.receivables) <= 2.2
    assert 1.8 <= len(two.payables) / len(one.payables) <= 2.2
    sales = in_eur(last_12_months(two.receivables), two.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC).sum()
    assert 20e6 <= sales <= 28e6
