"""Draw a chart on a page with the vendored Plotly basic bundle (chart_frontend/), not Streamlit's chart element.

Why: st.plotly_chart makes the browser load and evaluate the full Plotly bundle (4.7 MB) before the first chart,
1.9–3.0 s of the first page's render on a modest machine; every cashpilot chart is made of scatter and bar traces,
which the basic bundle (1.2 MB, the same Plotly version) draws identically. The bundle is served by serve.py
(pages/server/chart_assets.py, recorded in chart_bundle.py), so `streamlit run app.py` and AppTest, which have no
such route, get st.plotly_chart; so does a figure with a trace type the basic bundle lacks: a chart is never left
undrawn.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from forecasting.reports.charts.margins import reserved_margins
from pages.widgets import chart_bundle
from pages.widgets.common import _, lang

BASIC_TRACES = frozenset({"scatter", "bar", "pie"})  # what plotly.js's basic bundle draws
DEFAULT_HEIGHT_PX = 450  # Plotly's own default when a figure sets no height
# The toolbar chart.js draws (chart_frontend/chart.js, TOOLBAR_REMOVED): download as PNG, zoom, pan, reset. No
# "Share chart..." (showSendToCloud would upload the figure, a company's cash, to Plotly Cloud), no Plotly logo.
TOOLBAR_REMOVED = ("select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d")

# Registered once, at import (Streamlit registers it again on the running server when a page first mounts it).
# Not in a shadow root (isolate_styles): Plotly styles its toolbar and hover labels with rules it adds to the page.
_CHART = st.components.v2.component("cashpilot_chart", js=chart_bundle.CHART_JS, isolate_styles=False)


def drawable_by_basic_bundle(fig: go.Figure) -> bool:
    """Return whether every trace of `fig` is of a type the basic bundle draws."""
    return all(trace.type in BASIC_TRACES for trace in fig.data)


def fallback_config(filename: str) -> dict[str, object]:
    """Return Streamlit's chart element's Plotly config: the same toolbar and PNG export as the component's."""
    return {"displaylogo": False, "showSendToCloud": False, "modeBarButtonsToRemove": list(TOOLBAR_REMOVED),
            "toImageButtonOptions": {"filename": filename, "scale": 2}}


def show_chart(fig: go.Figure, key: str) -> None:
    """Draw `fig` across the container's width, at its layout height, in the board-pack theme it carries."""
    assets = chart_bundle.served_at()
    if assets is None or not drawable_by_basic_bundle(fig):
        st.plotly_chart(fig, width="stretch", key=key, theme=None,  # the board-pack theme, as exported
                        config=fallback_config(key))
        return
    height_px = int(fig.layout.height or DEFAULT_HEIGHT_PX)
    # The key names the element (its st-key-… class, which the browser tests and the bench look for) and keeps it
    # across reruns: a new figure is redrawn in place (Plotly.react). The height is reserved before Plotly draws.
    # The margins its labels will need, so that Plotly draws it once (forecasting/reports/charts/margins.py).
    _CHART(key=key, height=height_px,
           data={"spec": fig.to_json(), "height": height_px, "margin": reserved_margins(fig), "locale": lang(),
                 "filename": key, "assets": assets, "failure": _("This chart could not be drawn")})
