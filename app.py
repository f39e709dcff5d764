"""cashpilot dashboard: page setup, sidebar (language, as-of date, data freshness, glossary) and navigation."""

from __future__ import annotations

import streamlit as st

from forecasting.reports.charts.theme import app_icon
from pages.widgets.banner import show_alerts
from pages.widgets.common import (
    APP_FLAG,
    _,
    as_of_date,
    get_store,
    glossary_panel,
    language_selector,
    sidebar_status,
)
from pages.widgets.errors import friendly_errors
from pages.widgets.login import account_panel, admitted

st.set_page_config(page_title="cashpilot", page_icon=app_icon(), layout="wide")
if not admitted():  # a login is configured and this visitor is not signed in (or has no role): that page alone
    st.stop()

PAGES = [
    st.Page("pages/outlook.py", title=_("Cash outlook"), icon=":material/show_chart:", default=True),
    st.Page("pages/whatif.py", title=_("What-if"), icon=":material/tune:"),
    st.Page("pages/receivables.py", title=_("Receivables"), icon=":material/request_quote:"),
    st.Page("pages/payables.py", title=_("Payables"), icon=":material/receipt_long:"),
    st.Page("pages/accuracy.py", title=_("Forecast accuracy"), icon=":material/fact_check:"),
    st.Page("pages/reconciliation.py", title=_("Reconciliation"), icon=":material/account_balance:"),
    st.Page("pages/forecast_vs_actual.py", title=_("Forecast vs actual"), icon=":material/compare_arrows:"),
    st.Page("pages/home.py", title=_("Overview"), icon=":material/home:", url_path="overview"),
    st.Page("pages/data.py", title=_("Data"), icon=":material/upload_file:"),
]

st.session_state[APP_FLAG] = True
navigation = st.navigation(PAGES)
with st.sidebar:
    language_selector()
    account_panel()
    as_of_date()
    sidebar_status(get_store())
    glossary_panel()
with friendly_errors():  # no traceback reaches the browser: a message, and the detail in the server's log
    if navigation.url_path != "data":  # the Data page must open even when the data cannot be forecast
        show_alerts()
    navigation.run()
