"""Every use cashpilot makes of Streamlit's private or undocumented internals (and of one asyncio private), in one place.

The rest of pages/, app.py and serve.py use Streamlit's public API only (st.*, st.App, st.Page, st.get_option,
st.components.v2.component); tests/app/test_private_names.py keeps it so. tests/app/test_streamlit_internals.py
checks each assumption below against the installed Streamlit: after an upgrade run it first (README, "Upgrading
Streamlit and Plotly"). When an assumption stops holding, each hook falls back to what Streamlit does on its own:
the dashboard is slower or its log noisier, never broken. Figures from bench/RESULTS.md, "Browser", session 6
(a first visit's outlook chart, interleaved A/B on one host).

1. TCP_NODELAY on every accepted connection (`enable_tcp_nodelay`); a speed hook.
   Relies on: `streamlit run` binding the listening socket of an st.App itself with protocol number 0
   (`streamlit.web.server.starlette.starlette_server._bind_socket`) and handing it to uvicorn on asyncio's event loop
   (not uvloop); asyncio's transports calling `asyncio.base_events._set_nodelay(sock)` for each connection (CPython
   3.7 to 3.14), which skips a socket whose `proto` is not IPPROTO_TCP; serve.py being imported before the server
   accepts its first connection. Why: Nagle's algorithm made every small answer after the first on a kept-alive
   connection wait for the browser's delayed ACK (44 ms a request, 1-5 ms with the hook), for ~60 script modules
   and the websocket's messages (the same bug in uvicorn: https://github.com/Kludex/uvicorn/issues/3149).
   Measured: -60 ms alone; with hooks 2 and 3, 2.74 s against 2.90 s (-160 ms).
2. Streamlit's front-end files answered from memory (`FRONT_END_FILES`, `FRONT_END_URL_PATH`,
   `FRONT_END_CACHE_CONTROL`, for serving.FrontEndFromMemory); a speed hook.
   Relies on: the installed package's layout, streamlit/static/index.html naming hashed files under ./static/js/
   and ./static/css/ (and fonts under ./static/media/) that never change for a version; Streamlit's static mount
   (`starlette_static_routes.create_streamlit_static_handler`) answering them at <server.baseUrlPath>/static/... with
   Starlette's file headers and `Cache-Control: public, immutable, max-age=31536000`; st.App running its
   `middleware` before that mount. Why: Streamlit's file handler takes several thread hops a file.
   Measured: -130 ms with hook 1.
3. The Plotly bundle named in the page's HTML (serving.PreloadHeader); a speed hook.
   Relies on: Streamlit answering every page's URL with index.html as text/html (its single-page fallback),
   through st.App's middleware. Why: the browser fetches the bundle while Streamlit's front end starts instead of
   when the first chart mounts. Measured: -40 to -100 ms.
4. Caches filled outside any script run (pages/server/warmup.py calls the pages' st.cache_data and
   st.cache_resource functions from a plain thread of the server process).
   Relies on: those caches being process-wide and keyed by function and arguments only, whichever thread fills
   them. Why: the first visitor after a start gets the opening view's ledger, forecast, projection and alerts
   computed already (a fit is ~1.8 s after ~3 s of imports on a session-6 host).
5. A quiet warm-up (`quiet_missing_context_warnings`).
   Relies on: Streamlit warning "missing ScriptRunContext" through the logger named after its module,
   `SCRIPT_RUN_CONTEXT_LOGGER`, which does not propagate; hence a filter on that very logger. Why: the warm-up uses
   caches and an element outside any page on purpose; without it, every server start logs a dozen warnings.
6. Streamlit's first-element check paid by the warm-up (`pay_first_element_check`); a speed hook.
   Relies on: the first element of a process calling `delta_generator._maybe_print_use_warning`, whose REPL check
   (`env_util.is_repl`) calls `inspect.stack()` and so reads the source of every frame of the calling stack, once
   per process (the flag `delta_generator._use_warning_has_been_displayed`); an element made outside any script run
   being accepted and dropped. Why: 0.3-0.6 s from a page's deep stack, a few milliseconds from the warm-up thread.
   Measured, with Plotly's first figures (warmup.py): first visit after a start 3.22 s -> 2.81 s.
7. Streamlit's health check, `HEALTH_PATH` (warmup.open_browser_when_ready waits for it before opening the
   browser). Relies on: the path `/_stcore/health` answering once the server serves; Streamlit's deployment guides
   use it, its API reference does not list it.
8. The inline scripts of Streamlit's index.html (`index_inline_script_hashes`, for the Content-Security-Policy of
   pages/server/security.py). Relies on: the installed package's streamlit/static/index.html being the page every
   url path is answered with, its inline <script> elements (one in 1.67: `window.prerenderReady = false`) being
   all the inline script the front end runs. Why: the policy allows them by hash instead of allowing every inline
   script. When the file is missing the policy allows no inline script: a CSP report in the console, nothing broken.

Not behind this module: the tests' AppTest fixture (tests/fixtures/app.py) sets
`streamlit.runtime.pages_manager.PagesManager.uses_pages_directory`, and some tests read element protos; both fail
loudly by themselves when Streamlit changes them.
"""

from __future__ import annotations

import asyncio.base_events
import base64
import hashlib
import logging
import re
import socket
from pathlib import Path

import streamlit
import streamlit as st

FRONT_END_FILES = Path(streamlit.__file__).resolve().parent / "static" / "static"  # js/, css/, media/ (hook 2)
FRONT_END_URL_PATH = "/static/"  # where Streamlit serves FRONT_END_FILES, under server.baseUrlPath
FRONT_END_CACHE_CONTROL = b"public, immutable, max-age=31536000"  # what Streamlit sends for them (one year)
SCRIPT_RUN_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"  # hook 5
HEALTH_PATH = "/_stcore/health"  # hook 7
INDEX_HTML = Path(streamlit.__file__).resolve().parent / "static" / "index.html"  # hook 8
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)  # a <script> without attributes: inline code


def _set_nodelay(sock: socket.socket) -> None:
    """Turn Nagle's algorithm off on a TCP socket, whatever protocol number it was created with."""
    if sock.family in {socket.AF_INET, socket.AF_INET6} and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def enable_tcp_nodelay() -> bool:
    """Make asyncio set TCP_NODELAY on every TCP connection of this process (hook 1); False if it has no such hook."""
    # The only place where the server's accepted sockets can be reached without owning the listening socket.
    if not callable(getattr(asyncio.base_events, "_set_nodelay", None)):
        return False
    asyncio.base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
    return True


class _NotFromThread(logging.Filter):
    """Drop the records logged by one thread."""

    def __init__(self, thread_name: str) -> None:
        """Remember the thread whose records are dropped."""
        super().__init__()
        self.thread_name = thread_name

    def filter(self, record: logging.LogRecord) -> bool:
        """Return False for the thread's records."""
        return record.threadName != self.thread_name


def quiet_missing_context_warnings(thread_name: str) -> None:
    """Drop Streamlit's "missing ScriptRunContext" warnings of the thread `thread_name` (hook 5); once per name."""
    logger = logging.getLogger(SCRIPT_RUN_CONTEXT_LOGGER)
    if not any(isinstance(f, _NotFromThread) and f.thread_name == thread_name for f in logger.filters):
        logger.addFilter(_NotFromThread(thread_name))


def pay_first_element_check() -> None:
    """Make this process's first Streamlit element here, outside any page run, so that no page run pays for it (hook 6).

    An element made outside a script run goes nowhere.
    """
    st.empty()


def index_inline_script_hashes(index_html: Path = INDEX_HTML) -> tuple[str, ...]:
    """Return the base64 sha256 of each inline script of Streamlit's index.html, as a CSP names them (hook 8)."""
    try:
        page = index_html.read_text(encoding="utf-8")
    except OSError:
        return ()
    return tuple(base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
                 for code in INLINE_SCRIPT.findall(page))
