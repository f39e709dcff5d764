"""Server entry point (`streamlit run serve.py`): the dashboard of app.py, its forecast warmed when the server starts.

Without it the first visitor after a start waits for the libraries to load and the payment behaviour to be fitted
(several seconds); with it that work starts with the server, in a background thread, and fills the same caches
the pages read (pages/server/warmup.py). Visitors are served meanwhile: one arriving before the warm-up ends waits
only for what is left. On a desktop (not headless) it also opens the dashboard in the browser once the server
answers, as `streamlit run app.py` does and st.App does not. It also serves the Plotly bundle the charts are drawn
with (pages/server/chart_assets.py), and serves Streamlit's front end faster on a first visit
(pages/server/serving.py), and adds security headers (Content-Security-Policy, no framing...) to every answer
(pages/server/security.py). What this relies on beyond Streamlit's public API: pages/server/streamlit_internals.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from pages.server import chart_assets, security, serving, streamlit_internals
from pages.widgets import chart_bundle


def log_to_console() -> None:
    """Print cashpilot's INFO lines (the warm-up's steps and timings) in the server's console, once per process."""
    logger = logging.getLogger("cashpilot")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    """Start the warm-up (and the browser, on a desktop) beside the server; nothing to release at shutdown."""
    from pages.server.warmup import (  # here: only the server process does it
        THREAD_NAME,
        open_browser_when_ready,
        start_up,
    )

    log_to_console()
    threading.Thread(target=start_up, name=THREAD_NAME, daemon=True).start()
    threading.Thread(target=open_browser_when_ready, name="cashpilot-browser", daemon=True).start()
    yield


streamlit_internals.enable_tcp_nodelay()  # before the server accepts its first connection: it imports this file first
charts_route = chart_assets.route()
app = st.App("app.py", lifespan=lifespan, routes=[charts_route],
             middleware=[Middleware(security.SecurityHeaders),  # first: the outermost, so on every answer
                         Middleware(serving.FrontEndFromMemory),
                         Middleware(serving.PreloadHeader, urls=chart_bundle.preload_urls())])
