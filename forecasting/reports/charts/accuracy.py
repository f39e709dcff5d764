"""Plotly figures of the self-evaluation: the payment-date error at each date replayed, the model against the rules."""

from __future__ import annotations

import plotly.graph_objects as go

from forecasting.core import columns as C
from forecasting.i18n.formats import fmt_date
from forecasting.i18n.translate import tr
from forecasting.projection.evaluate_types import Evaluation
from forecasting.reports.charts import theme
from forecasting.reports.charts.outlook import localise

# (baseline key or "model", legend label, palette role): the bars of each date, the model first
ERROR_BARS = (
    ("model", "cashpilot (learned delays)", "primary"),
    ("client_median", "Median-delay rule", "neutral"),
    ("client_mean_dispute", "Mean + dispute rule", "extra"),
    ("due_date", "Due-date rule", "warning"),
)


def errors_by_date_figure(evaluation: Evaluation, side: str, lang: str = "en") -> go.Figure:
    """Return one side's payment-date error (MAE, days) at each date replayed: the model's bar beside each rule's."""
    dates = evaluation.side_dates(side)
    labels = [fmt_date(day, lang) for day, _ in dates]
    pal = theme.palette()
    fig = go.Figure()
    for method, label, role in ERROR_BARS:
        values = [m.invoices.model.mae_days if method == "model" else m.invoices.baselines[method].mae_days
                  for _, m in dates]
        name = tr(label, lang)
        fig.add_trace(go.Bar(x=labels, y=values, name=name, marker_color=getattr(pal, role),
                             hovertemplate="%{y:.1f}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="group", height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend=theme.legend_below(),
                      xaxis={"title": tr("Forecast made at", lang), "type": "category"},
                      yaxis={"title": tr("payment-date error (days)", lang), "tickformat": ",.1f"})
    heading = (tr("Client payment dates: mean error at each date replayed (days)", lang) if side == C.RECEIVABLE
               else tr("Supplier payment dates: mean error at each date replayed (days)", lang))
    return localise(fig, lang, heading)
