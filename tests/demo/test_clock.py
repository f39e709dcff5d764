"""The demo's history window: three years up to today, sales growing and following the seasons."""

from __future__ import annotations

import pandas as pd

from forecasting.core import columns as c
from forecasting.demo import company as demo
from tests.fixtures.demo_company import TODAY_TS, in_eur


def test_three_years_of_history_up_to_today(data: demo.DemoData) -> None:
    issued = data.receivables[c.ISSUE_DATE]
    assert issued.max() <= TODAY_TS
    assert issued.min() >= TODAY_TS - pd.DateOffset(years=3)
    assert issued.min() <= TODAY_TS - pd.DateOffset(years=3) + pd.Timedelta(days=10)


def test_sales_grow_and_dip_in_august_peak_in_december(data: demo.DemoData) -> None:
    r = data.receivables[~data.receivables[c.INVOICE_ID].isin(data.one_offs[c.INVOICE_ID])]  # growth, not a one-off
    eur = in_eur(r, data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC)
    recent = eur[r[c.ISSUE_DATE] > TODAY_TS - pd.DateOffset(years=1)].sum()
    before = eur[(r[c.ISSUE_DATE] > TODAY_TS - pd.DateOffset(years=2))
                 & (r[c.ISSUE_DATE] <= TODAY_TS - pd.DateOffset(years=1))].sum()
    assert 1.0 < recent / before < 1.15
    by_month = eur.groupby(r[c.ISSUE_DATE].dt.month).sum()
    assert by_month[8] < 0.7 * by_month.mean()
    assert by_month[12] == by_month.max()
