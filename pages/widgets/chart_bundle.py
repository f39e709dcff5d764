"""The charts' front end (chart_frontend/: chart.js and the vendored Plotly basic bundle) and where it is served.

The widgets own the files; the server decides whether and where they are served: serve.py mounts them
(pages/server/chart_assets.py) and records the url path here with `serve_at`, which chart.py reads. Nothing
records it under `streamlit run app.py` or AppTest, so the charts fall back to st.plotly_chart there. Imports nothing
of Streamlit, so the server can use it before any page runs.
"""

from __future__ import annotations

from pathlib import Path

FRONTEND = Path(__file__).resolve().parent / "chart_frontend"
CHART_JS = (FRONTEND / "chart.js").read_text(encoding="utf-8")
BUNDLE = ("plotly-basic.min.js", "plotly-locale-fr.js")  # what chart.js loads before the first chart, in order

_served_at: str | None = None  # one server per process: the url path serve.py mounted FRONTEND at


def serve_at(url_path: str | None) -> None:
    """Record the url path (ending with '/') FRONTEND is served at in this process; None: nothing serves it."""
    global _served_at
    _served_at = url_path


def served_at() -> str | None:
    """Return the url path the front end is served at (ends with '/'), None when nothing serves it."""
    return _served_at


def preload_urls() -> list[str]:
    """Return the url paths of the bundle's files, for the page to fetch early (none when nothing serves them)."""
    return [] if _served_at is None else [_served_at + name for name in BUNDLE]
