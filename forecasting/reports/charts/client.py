"""Plotly figure of one client's payment history: each payment's delay, and the delay the model learned."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from forecasting.core import columns as C
from forecasting.i18n.translate import tr
from forecasting.kpis.drilldown import DELAY_DAYS
from forecasting.model.explain import CounterpartyBehaviour
from forecasting.reports.charts import theme
from forecasting.reports.charts.outlook import date_axis, localise

LEARNED_SPAN_DAYS = 90  # the learned band is drawn after as-of: it is how the coming payments are expected


def client_history_figure(history: pd.DataFrame, behaviour: CounterpartyBehaviour, as_of: pd.Timestamp,
                          lang: str = "en") -> go.Figure:
    """Return each cash payment's delay (days after the due date) by date, with the learned P10–P90 and median."""
    pal = theme.palette()
    fig = go.Figure()
    start, end = as_of, as_of + pd.Timedelta(days=LEARNED_SPAN_DAYS)
    band = [behaviour.p10_delay_days, behaviour.p90_delay_days]
    if all(pd.notna(v) for v in band):
        fig.add_trace(go.Scatter(x=[start, end, end, start, start], y=[band[0], band[0], band[1], band[1], band[0]],
                                 mode="lines", fill="toself", fillcolor=pal.band(0.35), line={"width": 0},
                                 hoverinfo="skip",
                                 name=tr("Learned: likely range (P10–P90)", lang)))
    if pd.notna(behaviour.median_delay_days):
        fig.add_trace(go.Scatter(x=[start, end], y=[behaviour.median_delay_days] * 2, mode="lines",
                                 line={"color": pal.primary, "width": 2.5}, name=tr("Learned: median", lang),
                                 hoverinfo="skip"))
    # a credit note set against an invoice is no payment: no delay to draw (the history table lists it)
    cash = history[history[C.SETTLED_BY] == C.CASH] if C.SETTLED_BY in history.columns else history
    fig.add_trace(go.Scatter(x=cash[C.PAYMENT_DATE], y=cash[DELAY_DAYS], mode="markers",
                             marker={"color": pal.positive, "size": 6, "opacity": 0.7},
                             name=tr("Payments", lang), customdata=cash[[C.INVOICE_ID]],
                             hovertemplate="%{customdata[0]}: %{y:+d} " + tr("days", lang) + "<extra></extra>"))
    fig.add_hline(y=0, line={"color": theme.AXIS_COLOUR, "width": 1})
    fig.update_layout(height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend=theme.legend_below(), yaxis={"title": tr("days", lang)},
                      xaxis={"title": None, **date_axis(lang)})
    return localise(fig, lang, tr("Each payment's days after its due date, and the delay learned (days)", lang))
