"""Plotly figures of what-if scenarios: cash and BFR against the baseline, and saved scenarios side by side."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from forecasting.i18n.formats import fmt_number
from forecasting.i18n.translate import tr
from forecasting.reports.charts import theme
from forecasting.reports.charts.outlook import THRESHOLD_COLOUR, localise, week_axis, weekly_x


def compare_colours() -> tuple[str, ...]:
    """Return the colours of up to four compared scenarios, in the palette in force."""
    pal = theme.palette()
    return pal.positive, pal.warning, pal.extra, pal.alert


def _layout(fig: go.Figure, title: str, y_title: str, lang: str, height: int = 400) -> go.Figure:
    """Apply the house layout, the title, weeks named by their Monday and the number formats of `lang`."""
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend=theme.legend_below(), yaxis={"title": y_title, "tickformat": ",.0f"},
                      xaxis=week_axis(lang), hovermode="x unified")
    return localise(fig, lang, title)


def scenario_cash_figure(comparison: pd.DataFrame, overdraft_limit: float = 0.0, name: str = "Scenario",
                         currency: str = "€", lang: str = "en") -> go.Figure:
    """Return weekly closing cash: baseline against scenario, with the scenario's P10–P90 range."""
    x, weeks = weekly_x(comparison["week_start"], lang)  # a week named by its Monday, its closing balance at its end
    baseline = tr("Baseline", lang)
    pal = theme.palette()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=comparison["scenario_p90"], mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=comparison["scenario_p10"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=pal.band(), name=tr("{name}: likely range (P10–P90)", lang, name=name),
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=comparison["closing_baseline"], mode="lines+markers", name=baseline,
                             line={"color": pal.neutral, "width": 2, "dash": "dot"},
                             customdata=weeks,
                             hovertemplate="%{customdata}, " + baseline.lower() + " %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=comparison["closing_scenario"], mode="lines+markers", name=name,
                             line={"color": pal.positive, "width": 2.5},
                             hovertemplate=f"{name} %{{y:,.0f}}<extra></extra>"))
    fig.add_hline(y=0, line={"color": THRESHOLD_COLOUR, "width": 1})
    if overdraft_limit > 0:
        fig.add_hline(y=-overdraft_limit, line={"color": pal.alert, "width": 1.5, "dash": "dash"},
                      annotation_text=tr("overdraft limit {amount}", lang,
                                         amount=fmt_number(-overdraft_limit, lang)),
                      annotation_position="bottom left")
    return _layout(fig, tr("Closing cash by week, expected: baseline against scenario ({currency})", lang,
                           currency=currency),
                   tr("cash ({currency})", lang, currency=currency), lang)


def scenario_bfr_figure(comparison: pd.DataFrame, name: str = "Scenario", currency: str = "€",
                        lang: str = "en") -> go.Figure:
    """Return the BFR at each week's end, baseline against scenario, with the difference as bars."""
    x, weeks = weekly_x(comparison["week_start"], lang)
    pal = theme.palette()
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=comparison["bfr_delta"], name=tr("Difference", lang),
                         marker_color=theme.rgba(pal.positive, 0.35),
                         customdata=weeks,
                         hovertemplate="%{customdata}, " + tr("difference", lang) + " %{y:+,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=comparison["bfr_baseline"], mode="lines", name=tr("Baseline BFR", lang),
                             line={"color": pal.neutral, "width": 2, "dash": "dot"},
                             hovertemplate="%{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=comparison["bfr_scenario"], mode="lines", name=tr("{name} BFR", lang, name=name),
                             line={"color": pal.primary, "width": 2.5}, hovertemplate="%{y:,.0f}<extra></extra>"))
    return _layout(fig, tr("BFR at each week's end, expected: baseline against scenario ({currency})", lang,
                           currency=currency),
                   tr("BFR ({currency})", lang, currency=currency), lang, height=360)


def compare_cash_figure(baseline_weekly: pd.DataFrame, scenarios: dict[str, pd.DataFrame],
                        currency: str = "€", lang: str = "en") -> go.Figure:
    """Return the expected weekly closing cash of the baseline and of up to four scenarios."""
    x, weeks = weekly_x(baseline_weekly["week_start"], lang)
    pal = theme.palette()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=baseline_weekly["closing_expected"], mode="lines", name=tr("Baseline", lang),
                             line={"color": pal.neutral, "width": 2, "dash": "dot"}, customdata=weeks,
                             hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>"))
    for (name, weekly), colour in zip(scenarios.items(), compare_colours(), strict=False):
        fig.add_trace(go.Scatter(x=x, y=weekly["closing_expected"], mode="lines+markers", name=name,
                                 line={"color": colour, "width": 2.2}, hovertemplate="%{y:,.0f}<extra></extra>"))
    fig.add_hline(y=0, line={"color": THRESHOLD_COLOUR, "width": 1})
    return _layout(fig, tr("Scenarios compared: closing cash by week, expected ({currency})", lang, currency=currency),
                   tr("cash ({currency})", lang, currency=currency), lang)
