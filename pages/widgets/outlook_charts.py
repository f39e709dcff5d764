"""The Cash outlook's two figures, built once per data version, date, horizon and language (and by the warm-up)."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from forecasting.reports.charts.outlook import flows_figure, outlook_figure
from pages.widgets.common import projection_at


# Plotly builds a figure in 0.1-0.2 s (its validators), on every run of the opening page, before the browser can
# draw anything: the charts are drawn once the run has ended. A resource, never modified once built (drawn and
# exported as they are), shared by every session without a copy.
@st.cache_resource(show_spinner=False, max_entries=8)
def outlook_figures_at(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int,
                       language: str) -> tuple[go.Figure, go.Figure]:
    """Return the outlook figure (closing cash and its range) and the weekly flows figure, in `language`."""
    projection = projection_at(path, fingerprint, as_of, horizon_weeks)
    return (outlook_figure(projection.weekly, projection.summary, lang=language),
            flows_figure(projection.weekly, lang=language))
