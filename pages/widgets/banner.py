"""Alert banners shown above every page: cash below zero or beyond the overdraft, clients over their credit limit."""

from __future__ import annotations

from datetime import date

import streamlit as st

from forecasting.kpis.alerts import Alert, alert_text, cash_alerts, credit_limit_alerts
from forecasting.kpis.clients import scorecard
from pages.widgets.common import cached_projection, current_as_of, data_key, holds_at, lang, ledger_at

HORIZON_KEY = "horizon_weeks"  # the Cash outlook page's horizon; the alerts follow it
DEFAULT_HORIZON_WEEKS = 13
ICONS = {"error": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}


@st.cache_data(show_spinner=False, max_entries=8)
def credit_alerts_at(path: str, fingerprint: tuple[int, int, int], as_of: date) -> list[Alert]:
    """Return the credit-limit alerts of one data version and date, computed once (the server's warm-up too)."""
    return credit_limit_alerts(scorecard(ledger_at(path, fingerprint), as_of))


def current_alerts() -> list[Alert]:
    """Return the alerts of the current data, as-of date and horizon (cash first, then credit limits)."""
    path, fingerprint = data_key()
    receivables, bank_balances = holds_at(path, fingerprint)
    as_of = current_as_of()
    alerts: list[Alert] = []
    if bank_balances:  # without a bank balance there is no cash position to alert on
        horizon = int(st.session_state.get(HORIZON_KEY) or DEFAULT_HORIZON_WEEKS)
        projection = cached_projection(as_of, horizon)
        alerts += cash_alerts(projection.daily, projection.summary.overdraft_limit)
    if receivables:
        alerts += credit_alerts_at(path, fingerprint, as_of)
    return alerts


def show_alerts() -> None:
    """Draw one banner per alert, coloured by severity."""
    if not data_key()[1][0]:
        return  # no database yet
    for alert in current_alerts():
        draw = {"error": st.error, "warning": st.warning, "info": st.info}[alert.severity]
        draw(alert_text(alert, lang()), icon=ICONS[alert.severity])
