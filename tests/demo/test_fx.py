"""The demo's exchange rates: USD and GBP over the whole history."""

from __future__ import annotations

import pandas as pd

from forecasting.core import columns as c
from forecasting.demo import company as demo
from tests.fixtures.demo_company import TODAY_TS


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
