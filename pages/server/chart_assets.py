"""Serve the charts' front end (pages/widgets/chart_frontend: chart.js's Plotly bundle) from serve.py.

serve.py adds `route()` to its st.App, which records in pages/widgets/chart_bundle.py where the files are served;
the first chart of a browser tab loads the bundle from there (chart.js) and every later chart, on any page, reuses
it. Without the route (`streamlit run app.py`, AppTest) the pages draw their charts with st.plotly_chart instead.
"""

from __future__ import annotations

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from pages.server.serving import under_base_url
from pages.widgets import chart_bundle

ROUTE = "/cashpilot-charts"  # under server.baseUrlPath when one is set


def route() -> Mount:
    """Return the route serving the charts' front end, and record that the charts can use it."""
    path = under_base_url(ROUTE + "/")
    chart_bundle.serve_at(path)
    return Mount(path.rstrip("/"), app=StaticFiles(directory=chart_bundle.FRONTEND), name="cashpilot-charts")
