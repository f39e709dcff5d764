"""Plotly waterfall of a scenario: baseline, one bar per lever in the order applied, scenario.

Drawn with floating bars (a bar's `base` is where the running total stood), not Plotly's waterfall trace: the
dashboard's vendored basic bundle draws bars, not waterfalls.
"""

from __future__ import annotations

import numpy as np
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

    Colours say what is good for cash: more net cash is green, more BFR is red (cash tied up); levels are grey.
    """
    frame = waterfall_frame(fall, lang)
    values = frame[NET_CASH if measure == "net_cash" else BFR].to_numpy(dtype=float)
    is_level = (frame[KIND] == "total").to_numpy()
    # Where the running total stands before each bar (levels start from 0).
    before = np.concatenate([[0.0], values[0] + np.cumsum(np.where(is_level, 0.0, values))[:-1]])
    base = np.where(is_level, 0.0, np.minimum(before, before + values))
    height = np.where(is_level, values, np.abs(values))
    pal = theme.palette()
    good_when_rising = measure == "net_cash"
    colours = [pal.neutral if level else (pal.positive if (v > 0) == good_when_rising else pal.alert)
               for v, level in zip(values, is_level, strict=True)]
    texts = [fmt_number(v, lang) if level else ("+" if v > 0 else "") + fmt_number(v, lang)
             for v, level in zip(values, is_level, strict=True)]
    fig = go.Figure(go.Bar(x=frame[STEP], y=height, base=base, marker_color=colours, text=texts,
                           textposition="outside", cliponaxis=False, hoverinfo="skip", showlegend=False))
    title = (tr("Net cash at horizon (expected): the effect of each lever ({currency})", lang, currency=currency)
             if measure == "net_cash"
             else tr("BFR at horizon (expected): the effect of each lever ({currency})", lang, currency=currency))
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 50, "b": 10}, showlegend=False,
                      yaxis={"title": currency, "tickformat": ",.0f"}, xaxis={"title": None})
    return localise(fig, lang, title)
