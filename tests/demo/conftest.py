"""The demo company the demo tests read, generated once for the package, and its invoices with what was paid."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.core import columns as c
from forecasting.demo import company as demo
from tests.fixtures.demo_company import TODAY


@pytest.fixture(scope="package")
def data() -> demo.DemoData:
    """The scale-1 demo company, generated once for the package."""
    return demo.generate(seed=42, scale=1.0, today=TODAY)


@pytest.fixture(scope="package")
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


@pytest.fixture(scope="package")
def client_delays(invoices: pd.DataFrame, data: demo.DemoData) -> pd.DataFrame:
    """Per client: median delay (last payment − due date) of its fully paid invoices, count and true behaviour."""
    paid = invoices[(invoices[c.SIDE] == c.RECEIVABLE) & (invoices[c.STATUS] == "paid")
                    & (invoices[c.AMOUNT_TTC] > 0)]
    delays = (paid["last_paid"] - paid[c.DUE_DATE]).dt.days
    stats = delays.groupby(paid[c.COUNTERPARTY_ID]).agg(["median", "size"])
    return stats.join(data.client_profiles.set_index(c.COUNTERPARTY_ID)[demo.BEHAVIOUR])
