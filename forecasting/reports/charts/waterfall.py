"""Plotly waterfall of a scenario: baseline, one bar per lever in the order applied, scenario."""

from __future__ import annotations

import plotly.graph_objects as go

from forecasting.i18n.formats import fmt_number
from forecasting.i18n.translate import tr
from forecasting.reports.charts import theme
from forecasting.reports.charts.outlook import localise
from forecasting.reports.waterfall import BFR, KIND, NET_CASH, STEP, waterfall_frame
from forecasting.scenarios.waterfall import Waterfall


def lever_waterfall_figure(fall: Waterfall, measure: str = "net_cash", currency: str = "€",
                           lang: str = "en") -> go.Figure:
    """Return the waterfall of net cash at horizon (measure "net_cash") or BFR at horizon ("bfr").

    Colours say what is good for cash: more net cash is green, more BFR is red (cash tied up).
    """
    frame = waterfall_frame(fall, lang)
    column = NET_CASH if measure == "net_cash" else BFR
    values = frame[column].to_numpy(dtype=float)
    is_total = (frame[KIND] == "total").to_numpy()
    pal = theme.palette()
    good, bad = pal.positive, pal.alert
    rising, falling = (good, bad) if measure == "net_cash" else (bad, good)
    texts = [fmt_number(v, lang) if total else ("+" if v > 0 else "") + fmt_number(v, lang)
             for v, total in zip(values, is_total, strict=True)]
    # The baseline is an "absolute" bar (its level), levers are "relative", the scenario a "total" (the running sum:
    # its y is not read).
    measures = ["absolute" if i == 0 else "total" if total else "relative" for i, total in enumerate(is_total)]
    fig = go.Figure(go.Waterfall(
        x=frame[STEP], y=[v if kind != "total" else 0.0 for v, kind in zip(values, measures, strict=True)],
        measure=measures, text=texts, textposition="auto", cliponaxis=False,
        increasing={"marker": {"color": rising}}, decreasing={"marker": {"color": falling}},
        totals={"marker": {"color": pal.neutral}}, connector={"line": {"color": theme.AXIS_COLOUR, "width": 1}},
        hoverinfo="skip",
    ))
    title = (tr("Net cash at horizon (expected): the effect of each lever", lang) if measure == "net_cash"
             else tr("BFR at horizon: the effect of each lever", lang))
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=False,
                      title={"text": title, "x": 0, "font": {"size": 15}},
                      yaxis={"title": f"{currency}", "tickformat": ",.0f"}, xaxis={"title": None})
    return localise(fig, lang)
