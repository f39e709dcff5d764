"""Plotly figures built from forecast frames: used by the pages and, later, by exports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

BAND_COLOUR = "rgba(31, 58, 95, 0.18)"
LINE_COLOUR = "#1f3a5f"
ALERT_COLOUR = "#b03a2e"
RECEIPTS_COLOUR = "#2e7d5b"
DISBURSEMENTS_COLOUR = "#c0803a"


def outlook_figure(weekly: pd.DataFrame, summary: dict, currency: str = "€") -> go.Figure:
    """Return the weekly closing cash with its P10–P90 band, the median, and the zero / overdraft thresholds."""
    x = weekly["week_start"] + pd.Timedelta(days=6)  # a week's closing balance is its Sunday's
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=weekly["closing_p90"], mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip", name="P90"))
    fig.add_trace(go.Scatter(x=x, y=weekly["closing_p10"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=BAND_COLOUR, name="Likely range (P10–P90)",
                             hovertemplate="P10 %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=weekly["closing_p50"], mode="lines+markers", line={"color": LINE_COLOUR, "width": 2.5},
                             name="Closing cash (median)", hovertemplate="week to %{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>"))
    fig.add_hline(y=0, line={"color": "#555", "width": 1}, annotation_text="zero", annotation_position="bottom left")
    overdraft = float(summary.get("overdraft_limit") or 0)
    if overdraft > 0:
        fig.add_hline(y=-overdraft, line={"color": ALERT_COLOUR, "width": 1.5, "dash": "dash"},
                      annotation_text=f"overdraft limit −{overdraft:,.0f}", annotation_position="bottom left")
    if summary.get("min_cash_date") is not None:
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(summary["min_cash_date"])], y=[summary["min_cash"]], mode="markers",
            marker={"color": ALERT_COLOUR, "size": 11, "symbol": "diamond"}, name="Lowest point (daily)",
            hovertemplate="Lowest %{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>",
        ))
    fig.update_layout(
        template="plotly_white", height=430, margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15}, yaxis={"title": f"cash ({currency})", "tickformat": ",.0f"},
        xaxis={"title": None}, hovermode="x unified",
    )
    return fig


def flows_figure(weekly: pd.DataFrame, currency: str = "€") -> go.Figure:
    """Return weekly receipts (with their P10–P90 whiskers) against disbursements."""
    x = weekly["week_start"]
    fig = go.Figure()
    err = {"type": "data", "symmetric": False, "array": weekly["receipts_p90"] - weekly["receipts"],
           "arrayminus": weekly["receipts"] - weekly["receipts_p10"], "color": "#444"}
    fig.add_trace(go.Bar(x=x, y=weekly["receipts"], name="Receipts", marker_color=RECEIPTS_COLOUR, error_y=err))
    fig.add_trace(go.Bar(x=x, y=-weekly["disbursements"], name="Disbursements", marker_color=DISBURSEMENTS_COLOUR))
    fig.update_layout(template="plotly_white", barmode="relative", height=320,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h", "y": -0.2},
                      yaxis={"title": f"{currency} per week", "tickformat": ",.0f"})
    return fig


def backtest_figure(weekly: pd.DataFrame, currency: str = "€") -> go.Figure:
    """Return forecast receipts (median and band) against actual receipts, by week."""
    x = weekly["week_start"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p90"], mode="lines", line={"width": 0}, showlegend=False))
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p10"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=BAND_COLOUR, name="Forecast range (P10–P90)"))
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p50"], mode="lines", line={"color": LINE_COLOUR}, name="Forecast"))
    fig.add_trace(go.Bar(x=x, y=weekly["actual"], name="Actual", marker_color="rgba(46,125,91,0.6)"))
    fig.update_layout(template="plotly_white", height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.2}, yaxis={"title": f"receipts ({currency})", "tickformat": ",.0f"})
    return fig
