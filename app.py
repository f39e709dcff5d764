"""cashpilot dashboard: page setup, sidebar (as-of date, data freshness) and navigation over pages/."""

from __future__ import annotations

import streamlit as st

from pages.banner import show_alerts
from pages.common import APP_FLAG, as_of_date, get_store, language_selector, sidebar_status

st.set_page_config(page_title="cashpilot", page_icon=":material/savings:", layout="wide")

PAGES = [
    st.Page("pages/outlook.py", title="Cash outlook", icon=":material/show_chart:", default=True),
    st.Page("pages/whatif.py", title="What-if", icon=":material/tune:"),
    st.Page("pages/receivables.py", title="Receivables", icon=":material/request_quote:"),
    st.Page("pages/payables.py", title="Payables", icon=":material/receipt_long:"),
    st.Page("pages/accuracy.py", title="Forecast accuracy", icon=":material/fact_check:"),
    st.Page("pages/home.py", title="Overview", icon=":material/home:"),
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
]

st.session_state[APP_FLAG] = True
navigation = st.navigation(PAGES)
with st.sidebar:
    language_selector()
    as_of_date()
    sidebar_status(get_store())
if navigation.url_path != "data":  # the Data page must open even when the data cannot be forecast
    show_alerts()
navigation.run()
