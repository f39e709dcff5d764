"""Serve the vendored Plotly basic bundle (pages/chart_frontend) from serve.py, for pages/chart.py.

serve.py adds `route()` to its st.App; the first chart of a browser tab loads the bundle from there (chart.js) and
every later chart, on any page, reuses it. Without the route (`streamlit run app.py`, AppTest) the pages draw their
charts with st.plotly_chart instead.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from pages.server.serving import under_base_url

FRONTEND = Path(__file__).resolve().parents[1] / "widgets" / "chart_frontend"
CHART_JS = (FRONTEND / "chart.js").read_text(encoding="utf-8")
BUNDLE = ("plotly-basic.min.js", "plotly-locale-fr.js")  # what chart.js loads before the first chart, in order
ROUTE = "/cashpilot-charts"  # under server.baseUrlPath when one is set

_served_at: list[str] = []  # the url path of the assets once route() has been mounted (serve.py)


def route() -> Mount:
    """Return the route serving pages/chart_frontend, and record that the charts can use it."""
    path = under_base_url(ROUTE + "/")
    _served_at[:] = [path]
    return Mount(path.rstrip("/"), app=StaticFiles(directory=FRONTEND), name="cashpilot-charts")


def served_at() -> str | None:
    """Return the url path the assets are served at (ends with '/'), None when nothing serves them."""
    return _served_at[0] if _served_at else None


def preload_urls() -> list[str]:
    """Return the url paths of the bundle's files, for the page to fetch early (none when nothing serves them)."""
    assets = served_at()
    return [] if assets is None else [assets + name for name in BUNDLE]
