"""The Forecast vs actual chart: each week's variance as stacked timing, amount and unforecast bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from forecasting.i18n.translate import tr
from forecasting.reports.charts import theme
from forecasting.reports.charts.outlook import localise, week_axis, weekly_x


def variance_figure(by_week: pd.DataFrame, currency: str = "€", lang: str = "en") -> go.Figure:
    """Return actual − forecast net flow by week, split into timing, amount and unforecast (stacked bars)."""
    pal = theme.palette()
    x, weeks = weekly_x(by_week["week_start"], lang)
    fig = go.Figure()
    for column, name, colour in (("timing", tr("Timing", lang), pal.neutral),
                                 ("amount", tr("Amount", lang), pal.warning),
                                 ("unforecast", tr("Unforecast", lang), pal.alert)):
        fig.add_trace(go.Bar(x=x, y=by_week[column], name=name, marker_color=colour, customdata=weeks,
                             hovertemplate="%{customdata}: %{y:,.0f}<extra>" + name + "</extra>"))
    fig.add_trace(go.Scatter(x=x, y=by_week["variance"], mode="markers", name=tr("Variance", lang),
                             marker={"color": pal.primary, "size": 9, "symbol": "diamond"}, customdata=weeks,
                             hovertemplate="%{customdata}" + ": %{y:,.0f}<extra>" + tr("Variance", lang) + "</extra>"))
    fig.update_layout(barmode="relative", height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend=theme.legend_below(), xaxis=week_axis(lang),
                      yaxis={"title": tr("actual − forecast ({currency})", lang, currency=currency),
                             "tickformat": ",.0f"})
    return localise(fig, lang, tr("Actual − forecast net flow by week: timing, amount, unforecast ({currency})", lang,
                                  currency=currency))
