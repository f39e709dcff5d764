"""Plotly figures built from forecast frames: used by the pages and by the exports, in English or French."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from forecasting.core import columns as C
from forecasting.i18n.formats import PLOTLY_DATE, PLOTLY_SEPARATORS, fmt_date, fmt_money, fmt_number
from forecasting.i18n.translate import tr
from forecasting.i18n.weeks import monday_of, short_day, week_axis_title, week_of, week_ticks
from forecasting.projection.types import ProjectionSummary
from forecasting.reports.charts import theme

# The default palette's colours by use; builders read `theme.palette()` so the company colours apply.
BAND_COLOUR = theme.Palette().band()
LINE_COLOUR = theme.Palette.primary
ALERT_COLOUR = theme.Palette.alert
RECEIPTS_COLOUR = theme.Palette.positive
DISBURSEMENTS_COLOUR = theme.Palette.warning
THRESHOLD_COLOUR = "#555b65"


def hover_date(lang: str) -> str:
    """Return the plotly hover date format of `lang` ('%d/%m/%Y' or '%Y-%m-%d')."""
    return PLOTLY_DATE.get(lang, PLOTLY_DATE["en"])


DATE_TICKS = {"fr": "%d/%m/%y"}  # plotly names months in English only: French ticks are numeric


def date_axis(lang: str) -> dict[str, str]:
    """Return the x-axis date formats of `lang`: hover date, and numeric ticks in French."""
    out = {"hoverformat": hover_date(lang)}
    if lang in DATE_TICKS:
        out["tickformat"] = DATE_TICKS[lang]
    return out


TITLE_TOP_PX = 46  # the top margin a title needs: one 15-px line with room above and below


def week_axis(lang: str) -> dict[str, object]:
    """Return the x axis of a weekly chart: one category per week, named by its Monday, the convention in its title."""
    return {"type": "category", "title": {"text": week_axis_title(lang)}}


def weekly_x(week_starts: pd.Series, lang: str) -> tuple[list[str], list[str]]:
    """Return the weeks' tick labels ('07/12') and hover names ('semaine du lundi 07/12/2026'), from their Mondays."""
    return week_ticks(week_starts, lang), [week_of(w, lang) for w in week_starts]


def localise(fig: go.Figure, lang: str, title: str) -> go.Figure:
    """Return `fig` titled (what it shows, its statistic and unit), in the theme, with the number separators of `lang`.

    Every chart goes through here, so every chart carries its title on screen and in each export (PNG, SVG, PDF, board
    pack): drawn by Plotly inside the figure rather than above it by the page.
    """
    top = max(float(fig.layout.margin.t or 0), TITLE_TOP_PX)
    fig.update_layout(template=theme.template(), separators=PLOTLY_SEPARATORS.get(lang, PLOTLY_SEPARATORS["en"]),
                      title={"text": title, "x": 0, "xref": "container", "xanchor": "left", "y": 1,
                             "yref": "container", "yanchor": "top", "pad": {"l": 4, "t": 10}},
                      margin={"t": top})
    return fig


def outlook_figure(weekly: pd.DataFrame, summary: ProjectionSummary, currency: str = "€", lang: str = "en"
                   ) -> go.Figure:
    """Return the weekly closing cash from the opening balance, with its P10–P90 band, the expected path, the lowest
    point and the zero / overdraft thresholds; weeks named by their Monday, the opening balance first."""
    ticks, weeks = weekly_x(weekly["week_start"], lang)
    opening_tick = tr("Opening", lang)
    x = [opening_tick, *ticks]
    opening = float(summary.opening_balance)
    opening_name = tr("Opening balance {day}: {amount}", lang, day=short_day(summary.as_of, lang),
                      amount=fmt_money(opening, lang))
    pal = theme.palette()
    fig = go.Figure()
    # The band and the line start from the known opening balance: the curve begins where the bank stands today.
    fig.add_trace(go.Scatter(x=x, y=[opening, *weekly["closing_p90"]], mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip", name="P90"))
    fig.add_trace(go.Scatter(x=x, y=[opening, *weekly["closing_p10"]], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=pal.band(), name=tr("Likely range (P10–P90)", lang),
                             hovertemplate="P10 %{y:,.0f}<extra></extra>"))
    # The expected path, as every headline cash figure (reports/figures.py): its last point is net cash at horizon.
    closing = tr("closing", lang)
    fig.add_trace(go.Scatter(x=x, y=[opening, *weekly["closing_expected"]], mode="lines+markers",
                             line={"color": pal.primary, "width": 2.5}, name=tr("Closing cash (expected)", lang),
                             customdata=[tr("Opening balance {day}", lang, day=fmt_date(summary.as_of, lang)),
                                         *(f"{w}, {closing}" for w in weeks)],
                             hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[opening_tick], y=[opening], mode="markers", name=opening_name, hoverinfo="skip",
                             marker={"color": "white", "size": 11, "symbol": "circle",
                                     "line": {"color": pal.primary, "width": 2.5}}))
    fig.add_hline(y=0, line={"color": THRESHOLD_COLOUR, "width": 1}, annotation_text=tr("zero", lang),
                  annotation_position="bottom left")
    overdraft = summary.overdraft_limit
    if overdraft > 0:
        fig.add_hline(y=-overdraft, line={"color": pal.alert, "width": 1.5, "dash": "dash"},
                      annotation_text=tr("overdraft limit {amount}", lang, amount=fmt_number(-overdraft, lang)),
                      annotation_position="bottom left")
    # A day's low drawn on its week (the axis has weeks, not days); its hover says the day.
    lowest_week = monday_of(summary.min_cash_date)
    starts = list(pd.to_datetime(weekly["week_start"]))
    lowest_x = ticks[starts.index(lowest_week)] if lowest_week in starts else opening_tick
    fig.add_trace(go.Scatter(
        x=[lowest_x], y=[summary.min_cash], mode="markers",
        marker={"color": pal.alert, "size": 11, "symbol": "diamond"}, name=tr("Lowest point (daily)", lang),
        hovertemplate=tr("Lowest point {day}", lang, day=fmt_date(summary.min_cash_date, lang))
        + ": %{y:,.0f}<extra></extra>",
    ))
    fig.update_layout(
        height=430, margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend=theme.legend_below(),
        yaxis={"title": tr("cash ({currency})", lang, currency=currency), "tickformat": ",.0f"},
        xaxis=week_axis(lang), hovermode="x unified",
    )
    return localise(fig, lang, tr("Closing cash by week, expected, with its P10–P90 range ({currency})", lang,
                                  currency=currency))


def flows_figure(weekly: pd.DataFrame, currency: str = "€", lang: str = "en") -> go.Figure:
    """Return weekly receipts (with their P10–P90 whiskers) against disbursements, weeks named by their Monday."""
    ticks, weeks = weekly_x(weekly["week_start"], lang)
    pal = theme.palette()
    fig = go.Figure()
    err = {"type": "data", "symmetric": False, "array": weekly["receipts_p90"] - weekly["receipts"],
           "arrayminus": weekly["receipts"] - weekly["receipts_p10"], "color": "#444"}
    fig.add_trace(go.Bar(x=ticks, y=weekly["receipts"], name=tr("Receipts", lang), marker_color=pal.positive,
                         error_y=err, customdata=weeks,
                         hovertemplate="%{customdata}: %{y:,.0f}<extra>" + tr("Receipts", lang) + "</extra>"))
    fig.add_trace(go.Bar(x=ticks, y=-weekly["disbursements"], name=tr("Disbursements", lang),
                         marker_color=pal.warning, customdata=weeks,
                         hovertemplate="%{customdata}: %{y:,.0f}<extra>" + tr("Disbursements", lang) + "</extra>"))
    fig.update_layout(barmode="relative", height=340,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend=theme.legend_below(),
                      xaxis=week_axis(lang),
                      yaxis={"title": tr("{currency} per week", lang, currency=currency), "tickformat": ",.0f"})
    return localise(fig, lang, tr("Receipts (with P10–P90) and disbursements by week, expected ({currency})", lang,
                                  currency=currency))


def backtest_figure(weekly: pd.DataFrame, currency: str = "€", lang: str = "en",
                    side: str = C.RECEIVABLE) -> go.Figure:
    """Return one side's forecast cash by week (expected and band) against the actual cash and the trailing run-rate.

    The line is the expected weekly cash: the figure the Cash outlook shows and the weekly WAPE scores (the median of
    a week's paths is not, and would not add up to the horizon's total).
    """
    x, weeks = weekly_x(weekly["week_start"], lang)
    pal = theme.palette()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p90"], mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_p10"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=pal.band(), name=tr("Forecast range (P10–P90)", lang),
                             hovertemplate="P10 %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=weekly["forecast_expected"], mode="lines", line={"color": pal.primary},
                             name=tr("Forecast (expected)", lang), customdata=weeks,
                             hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>"))
    if "baseline_run_rate" in weekly:
        fig.add_trace(go.Scatter(x=x, y=weekly["baseline_run_rate"], mode="lines",
                                 line={"color": pal.neutral, "dash": "dot"}, name=tr("Trailing run-rate", lang),
                                 hovertemplate="%{y:,.0f}<extra></extra>"))
    actual_colour = pal.positive if side == C.RECEIVABLE else pal.warning
    fig.add_trace(go.Bar(x=x, y=weekly["actual"], name=tr("Actual", lang), marker_color=theme.rgba(actual_colour, 0.6),
                         hovertemplate="%{y:,.0f}<extra></extra>"))
    title = (tr("receipts ({currency})", lang, currency=currency) if side == C.RECEIVABLE else
             tr("supplier payments ({currency})", lang, currency=currency))
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend=theme.legend_below(), hovermode="x unified",
                      xaxis=week_axis(lang), yaxis={"title": title, "tickformat": ",.0f"})
    heading = (tr("Client receipts by week: forecast (expected, P10–P90) and actual ({currency})", lang,
                  currency=currency) if side == C.RECEIVABLE else
               tr("Supplier payments by week: forecast (expected, P10–P90) and actual ({currency})", lang,
                  currency=currency))
    return localise(fig, lang, heading)


def bfr_figure(bfr: pd.DataFrame, scenarios: dict[str, pd.DataFrame] | None = None, currency: str = "€",
               lang: str = "en") -> go.Figure:
    """Return receivables, payables and BFR at each week's end (a `bfr_weekly` frame), scenarios' BFR dashed.

    A week is named by its Monday, as everywhere; the value is the one at its end (the y axis says so).
    """
    x, weeks = weekly_x(bfr["week_start"], lang)
    pal = theme.palette()
    fig = go.Figure()
    for column, name, colour in (("receivables_eur", tr("Receivables", lang), pal.positive),
                                 ("payables_eur", tr("Payables", lang), pal.warning)):
        fig.add_trace(go.Scatter(x=x, y=bfr[column], mode="lines", name=name, line={"color": colour, "width": 1.6},
                                 hovertemplate="%{y:,.0f}<extra>" + name + "</extra>"))
    fig.add_trace(go.Scatter(x=x, y=bfr["bfr_eur"], mode="lines+markers", name=tr("BFR", lang),
                             line={"color": pal.primary, "width": 2.6}, customdata=weeks,
                             hovertemplate="%{customdata}: %{y:,.0f}<extra>" + tr("BFR", lang) + "</extra>"))
    others = (pal.neutral, pal.extra, pal.alert, pal.warning)
    for (name, frame), colour in zip((scenarios or {}).items(), others, strict=False):
        label = tr("{name} BFR", lang, name=name)
        fig.add_trace(go.Scatter(x=x, y=frame["bfr_eur"], mode="lines", name=label,
                                 line={"color": colour, "width": 2, "dash": "dash"},
                                 hovertemplate="%{y:,.0f}<extra>" + label + "</extra>"))
    fig.update_layout(height=360, legend=theme.legend_below(), hovermode="x unified",
                      xaxis=week_axis(lang),
                      yaxis={"title": tr("at week end ({currency})", lang, currency=currency),
                             "tickformat": ",.0f"})
    return localise(fig, lang, tr("Receivables, payables and BFR at each week's end, expected ({currency})", lang,
                                  currency=currency))
