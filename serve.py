"""Server entry point (`streamlit run serve.py`): the dashboard of app.py, its forecast warmed when the server starts.

Without it the first visitor after a start waits for the libraries to load and the payment behaviour to be fitted
(several seconds); with it that work starts with the server, in a background thread, and fills the same caches
the pages read. Visitors are served meanwhile: one arriving before the warm-up ends waits only for what is left.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    """Start the warm-up beside the server; nothing to release at shutdown."""
    from pages.warmup import THREAD_NAME, warm_up  # here, not at the top: only the server process warms up

    threading.Thread(target=warm_up, name=THREAD_NAME, daemon=True).start()
    yield


app = st.App("app.py", lifespan=lifespan)
