"""The demo company as generate() returns it: the column contract, dtypes, seed, scale and size of the business."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as c
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.kpis.base import DAYS_OVERDUE, OPEN_EUR, KpiSettings, kpi_basis, open_items
from forecasting.kpis.summary import kpi_summary
from tests.fixtures.demo_company import TODAY, in_eur, last_12_months

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
            elif col in (c.DISPUTED, c.CARRIED_FORWARD):
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
    for truth in ("client_profiles", "supplier_profiles", "disputes", "one_offs"):
        pd.testing.assert_frame_equal(getattr(data, truth), getattr(again, truth), obj=truth)
    other = demo.generate(seed=7, scale=1.0, today=TODAY)
    assert not other.receivables[c.AMOUNT_TTC].equals(data.receivables[c.AMOUNT_TTC])


def test_default_today_is_the_current_date() -> None:
    small = demo.generate(seed=1, scale=0.05)
    assert small.payments[c.PAYMENT_DATE].max() <= pd.Timestamp(date.today())
    assert small.receivables[c.ISSUE_DATE].max() <= pd.Timestamp(date.today())


def test_scale_must_be_positive() -> None:
    with pytest.raises(InputError, match="scale"):
        demo.generate(scale=0)


def test_last_12_months_sales_are_about_12_million_eur(data: demo.DemoData) -> None:
    recent = last_12_months(data.receivables)
    sales = in_eur(recent, data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC).sum()
    assert 10e6 <= sales <= 14e6


def test_purchases_are_55_to_65_percent_of_sales(data: demo.DemoData) -> None:
    sales = in_eur(last_12_months(data.receivables), data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC).sum()
    purchases = last_12_months(data.payables)[c.AMOUNT_TTC].sum()
    assert 0.55 <= purchases / sales <= 0.65


def test_scale_2_doubles_the_company() -> None:
    one = demo.generate(seed=3, scale=1.0, today=TODAY)
    two = demo.generate(seed=3, scale=2.0, today=TODAY)
    assert len(two.counterparties) == 2 * len(one.counterparties)
    assert 1.8 <= len(two.receivables) / len(one.receivables) <= 2.2
    assert 1.8 <= len(two.payables) / len(one.payables) <= 2.2
    sales = in_eur(last_12_months(two.receivables), two.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC).sum()
    assert 20e6 <= sales <= 28e6
    assert len(two.one_offs) == 2 * len(one.one_offs) == 6  # one of each per unit of scale, each its own party
    assert two.one_offs[c.COUNTERPARTY_ID].is_unique


# --- a believable French SME (issue 17) ------------------------------------------------------------------
@pytest.mark.parametrize("today", [TODAY, date(2026, 11, 23)])  # the demo tests' day and the dashboard tests' day
def test_the_demo_kpis_are_those_a_french_sme_publishes(data: demo.DemoData, today: date) -> None:
    generated = data if today == TODAY else demo.generate(seed=42, scale=1.0, today=today)
    kpis = kpi_summary(Ledger.from_object(generated), today)
    # DSO around 45–60 days (French SMEs: ~50 days on average, the LME caps terms at 60)
    assert 45 <= kpis.dso.dso_simple_days <= 60 and 45 <= kpis.dso.dso_countback_days <= 60
    # a handful of clients over their credit limit, not a quarter of them
    assert 1 <= kpis.ratings.clients_over_limit <= 10
    # bad debts are written off (a fraction of a percent of sales), not left open for years
    assert 0.0005 <= kpis.rates.bad_debt_rate <= 0.01
    basis = kpi_basis(Ledger.from_object(generated), today, KpiSettings())
    open_ = open_items(basis.receivables)
    assert open_[DAYS_OVERDUE].max() <= 365
    old = open_[open_[DAYS_OVERDUE] > 180]
    assert len(old) <= 0.03 * len(open_) and old[OPEN_EUR].sum() <= 0.02 * kpis.dso.receivables_eur
    # penalties on what is still claimable: the open late invoices, 40 € each, nothing on invoices paid long ago
    penalties = kpis.penalties
    assert penalties.late_paid_invoices == 0 and penalties.late_invoices == penalties.late_open_invoices
    assert penalties.indemnity_eur == 40.0 * penalties.late_open_invoices
    assert penalties.penalty_eur <= 0.005 * kpis.turnover.sales_ttc_365d_eur
