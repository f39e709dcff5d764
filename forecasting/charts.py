"""Plotly figures built from forecast frames: used by the pages and by the exports, in English or French."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from forecasting.i18n import PLOTLY_DATE, PLOTLY_SEPARATORS, fmt_number, tr

BAND_COLOUR = "rgba(31, 58, 95, 0.18)"
LINE_COLOUR = "#1f3a5f"
ALERT_COLOUR = "#b03a2e"
RECEIPTS_COLOUR = "#2e7d5b"
DISBURSEMENTS_COLOUR = "#c0803a"


def hover_date(lang: str) -> str:
    """Return the plotly hover date format of `lang` ('%d/%m/%Y' or '%Y-%m-%d')."""
    return PLOTLY_DATE.get(lang, PLOTLY_DATE["en"])


def localise(fig: go.Figure, lang: str) -> go.Figure:
    """Return `fig` with the number separators of `lang` (hover texts and axis ticks follow them)."""
    fig.update_layout(separators=PLOTLY_SEPARATORS.get(lang, PLOTLY_SEPARATORS["en"]))
    return fig


def outlook_figure(weekly: pd.DataFrame, summary: dict, currency: str = "€", lang: str = "en") -> go.Figure:
    """Return the weekly closing cash with its P10–P90 band, the median, and the zero / overdraft thresholds."""
    x = weekly["week_start"] + pd.Timedelta(days=6)  # a week's closing balance is its Sunday's
    day = hover_date(lang)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=weekly["closing_p90"], mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip", name="P90"))
    fig.add_trace(go.Scatter(x=x, y=weekly["closing_p10"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=BAND_COLOUR, name=tr("Likely range (P10–P90)", lang),
                             hovertemplate="P10 %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=weekly["closing_p50"], mode="lines+markers", line={"color": LINE_COLOUR, "width": 2.5},
                             name=tr("Closing cash (median)", lang),
                             hovertemplate=tr("week to", lang) + " %{x|" + day + "}: %{y:,.0f}<extra></extra>"))
    fig.add_hline(y=0, line={"color": "#555", "width": 1}, annotation_text=tr("zero", lang),
                  annotation_position="bottom left")
    overdraft = float(summary.get("overdraft_limit") or 0)
    if overdraft > 0:
        fig.add_hline(y=-overdraft, line={"color": ALERT_COLOUR, "width": 1.5, "dash": "dash"},
                      annotation_text=tr("overdraft limit {amount}", lang, amount=fmt_number(-overdraft, lang)),
                      annotation_position="bottom left")
    if summary.get("min_cash_date") is not None:
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(summary["min_cash_date"])], y=[summary["min_cash"]], mode="markers",
            marker={"color": ALERT_COLOUR, "size": 11, "symbol": "diamond"}, name=tr("Lowest point (daily)", lang),
            hovertemplate=tr("Lowest", lang) + " %{x|" + day + "}: %{y:,.0f}<extra></extra>",
        ))
    fig.update_layout(
        template="plotly_white", height=430, margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        yaxis={"title": tr("cash ({currency})", lang, currency=currency), "tickformat": ",.0f"},
        xaxis={"title": None}, hovermode="x unified",
    )
    return localise(fig, lang)


def flows_figure(weekly: pd.DataFrame, currency: str = "€", lang: str = "en") -> go.Figure:
    """Return weekly receipts (with their P10–P90 whiskers) against disbursements."""
    x = weekly["week_start"]
    day = hover_date(lang)
    fig = go.Figure()
    err = {"type": "data", "symmetric": False, "array": weekly["receipts_p90"] - weekly["receipts"],
           "arrayminus": weekly["receipts"] - weekly["receipts_p10"], "color": "#444"}
    week_of = tr("week of", lang) + " %{x|" + day + "}"
    fig.add_trace(go.Bar(x=x, y=weekly["receipts"], name=tr("Receipts", lang), marker_color=RECEIPTS_COLOUR,
                         error_y=err, hovertemplate=week_of + ": %{y:,.0f}<extra>" + tr("Receipts", lang) + "</extra>"))
    fig.add_trace(go.Bar(x=x, y=-weekly["disbursements"], name=tr("Disbursements", lang),
                         marker_color=DISBURSEMENTS_COLOUR,
                         hovertemplate=week_of + ": %{y:,.0f}<extra>" + tr("Disbursements", lang) + "</extra>"))
    fig.update_layout(template="plotly_white", barmode="relative", height=320,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h", "y": -0.2},
                      yaxis={"title": tr("{currency} per week", lang, currency=currency), "tickformat": ",.0f"})
    return localise(fig, lang)


def backtest_figure(weekly: pd.DataFrame, currency: str = "€", lang: str = "en") -> go.Figure:
    """Return forecast receipts (median and band) against actual receipts, by week."""
    x = weekly["week_start"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p90"], mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p10"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=BAND_COLOUR, name=tr("Forecast range (P10–P90)", lang),
                             hovertemplate="P10 %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p50"], mode="lines", line={"color": LINE_COLOUR},
                             name=tr("Forecast", lang), hovertemplate="%{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Bar(x=x, y=weekly["actual"], name=tr("Actual", lang), marker_color="rgba(46,125,91,0.6)",
                         hovertemplate="%{y:,.0f}<extra></extra>"))
    fig.update_layout(template="plotly_white", height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.2}, hovermode="x unified",
                      xaxis={"hoverformat": hover_date(lang)},
                      yaxis={"title": tr("receipts ({currency})", lang, currency=currency), "tickformat": ",.0f"})
    return localise(fig, lang)
