"""AppTest of the Receivables drill-downs: an aging bucket's invoices add up to its amount; one client explained."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from forecasting.i18n.translate import tr
from tests.fixtures.app import app_on

pytestmark = pytest.mark.app


def _frame(at: AppTest, *columns: str, without: str = "") -> pd.DataFrame:
    """Return the first table of the page holding `columns` and not `without` (unwrapped from its Styler)."""
    return next(f for f in (getattr(d.value, "data", d.value) for d in at.dataframe)
                if set(columns) <= set(f.columns) and without not in f.columns)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_bucket_lists_its_invoices_and_a_client_says_why_it_is_forecast_so(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    at = app_on(demo_db, monkeypatch, language).run()
    at.switch_page("pages/receivables.py").run()
    assert not at.exception, at.exception
    assert tr("Look behind the figures", language) in [h.value for h in at.subheader]
    aging = _frame(at, "amount_eur")
    # The oldest bucket is chosen first: its invoices add up to its line of the aging table.
    invoices = _frame(at, "issue_date", "open_eur", without="pay_p50")
    assert len(invoices) == aging["count"].iloc[-1]
    assert invoices["open_eur"].sum() == pytest.approx(aging["amount_eur"].iloc[-1], abs=0.01)
    assert (invoices["days_overdue"] > 90).all()
    at.selectbox(key="drill_bucket").select_index(0).run()  # not due yet
    invoices = _frame(at, "issue_date", "open_eur", without="pay_p50")
    assert invoices["open_eur"].sum() == pytest.approx(aging["amount_eur"].iloc[0], abs=0.01)
    assert (invoices["days_overdue"] <= 0).all()
    # The first client (largest encours): figures, the reasons of its forecast, its open invoices with dates.
    assert tr("Usual delay (median)", language) in [m.label for m in at.metric]
    reasons = "\n".join(m.value for m in at.markdown)
    assert tr("Its money arrives on: {days}.", language, days="")[:10] in reasons
    mine = _frame(at, "pay_p50")
    assert len(mine) > 0 and mine["pay_p10"].le(mine["pay_p90"]).all()
    # Its payment history: each row says how it was settled, in the page's language, the delay on cash rows alone.
    # The demo's credit notes are negative invoices of their own, netted from what the client pays: marked as such
    # (they were shown as cash payments, with a delay, before), their amount negative.
    history = _frame(at, "settled_by", "delay_days", "amount_eur")
    cash, netted = tr("cash", language), tr("its credit note, netted", language)
    assert len(history) > 0 and set(history["settled_by"]) == {cash, netted}
    assert history["delay_days"].isna().equals(history["settled_by"] != cash)
    assert (history.loc[history["settled_by"] == netted, "amount_eur"] < 0).all()
    assert (history.loc[history["settled_by"] == cash, "amount_eur"] > 0).all()
    assert not at.exception, at.exception
