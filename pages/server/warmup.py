"""Server-start work (serve.py): fill the caches of the opening view before anyone asks; open the browser on a desktop."""

from __future__ import annotations

import importlib
import logging
import time
import urllib.request
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import streamlit as st

from forecasting.core.errors import CashpilotError
from forecasting.i18n import translate as i18n
from forecasting.reports.charts.margins import reserved_margins
from pages.server import streamlit_internals as internals
from pages.widgets.banner import DEFAULT_HORIZON_WEEKS, credit_alerts_at
from pages.widgets.common import holds_at, projection_at, shared_store
from pages.widgets.outlook_charts import outlook_figures_at
from pages.widgets.treasury import table_at

LOG = logging.getLogger("cashpilot.warmup")
THREAD_NAME = "cashpilot-warm-up"
# What the first page run imports and does not share with the caches below: loaded once, here.
MODULES = ("forecasting.reports.charts.outlook", "forecasting.reports.charts.kpis", "forecasting.reports.charts.scenarios", "forecasting.kpis.summary",
           "forecasting.kpis.overview", "pages.widgets.downloads", "pages.widgets.chart", "pages.widgets.week_detail",
           "plotly.graph_objects")
# What only a fit needs (new data, another date, the accuracy page's backtests): 1.4 s of CPU (668 modules) that the
# opening page of a restart on known data, which reads the kept forecast, does not use. Loaded after the opening
# view, once the first visitor's page has been served: loaded first, it delayed the cold server's page.
LATER_MODULES = ("statsmodels.tsa.holtwinters",)
LATER_AFTER_S = 30.0  # after the opening page of a visitor arriving with the start (make run opens the browser)

# The warm-up thread uses the pages' caches outside any page on purpose: no "missing ScriptRunContext" for it.
internals.quiet_missing_context_warnings(THREAD_NAME)


def warm_up(as_of: date | None = None, horizon_weeks: int = DEFAULT_HORIZON_WEEKS) -> bool:
    """Fill the cached ledger, forecast, projection and credit alerts of the opening view; return whether it did.

    The opening view is the one a new visitor gets: today, the Cash outlook's default horizon. The caches are the
    pages' own, filled from this thread (streamlit_internals, hook 4). A failure is logged, never raised: the page
    that needs the result will compute it again and show the error to its user.
    """
    start = time.perf_counter()
    try:
        with _timed("imports"):
            for name in MODULES:
                importlib.import_module(name)
        # First: a visitor's run arriving meanwhile would pay it in its first element (a few ms here).
        internals.pay_first_element_check()  # 0.3-0.6 s in a page's deep stack
        database = _database()
        if database is None:
            return False
        path, fingerprint = database
        day = as_of or date.today()
        with _timed("ledger"):
            receivables, bank_balances = holds_at(path, fingerprint)
        # In the order the first page run asks for them (app.py's banner, then the page), so that a visitor arriving
        # meanwhile waits on the step in progress (Streamlit's per-key compute lock) instead of computing the next
        # one beside it, both slowed by sharing the interpreter.
        if receivables or bank_balances:
            with _timed("projection"):  # fits and samples through the cached prepared cash items, cached too
                projection_at(path, fingerprint, day, horizon_weeks)
        if receivables:
            with _timed("credit alerts"):
                credit_alerts_at(path, fingerprint, day)
        if receivables or bank_balances:
            with _timed("figures"):
                _draw_once(path, fingerprint, day, horizon_weeks)
        # Not the treasury table: its tab is drawn on demand, so the opening page does not ask for it (warm_later).
    except CashpilotError as error:  # busy, unreadable or unforecastable data: the pages will say it to their users
        LOG.warning("warm-up skipped: %s", error)
        return False
    except Exception:  # a warm-up must never take the server down
        LOG.exception("warm-up failed; pages will compute on demand")
        return False
    LOG.info("warm-up done in %.1f s", time.perf_counter() - start)
    return True


def start_up(later_after_s: float = LATER_AFTER_S) -> None:
    """The server's warm-up thread: the opening view first, then, `later_after_s` seconds on, the rest."""
    warm_up()
    time.sleep(later_after_s)
    warm_later()


def warm_later(as_of: date | None = None, horizon_weeks: int = DEFAULT_HORIZON_WEEKS) -> None:
    """Fill the outlook's treasury table (its default view), then import what only a fit needs (LATER_MODULES).

    Both after the opening view: the table's tab is drawn on demand, and a fit's imports are not needed to read a
    kept forecast. A failure is logged, never raised.
    """
    try:
        database = _database()
        if database is not None and any(holds_at(*database)):
            with _timed("treasury table"):
                table_at(*database, as_of or date.today(), horizon_weeks, "week", None)
    except CashpilotError as error:  # the treasury tab will say it to its user
        LOG.warning("warm-up: treasury table skipped: %s", error)
    except Exception:  # a warm-up must never take the server down
        LOG.exception("warm-up: treasury table failed; its tab will compute it")
    try:
        with _timed("imports for a fit"):
            for name in LATER_MODULES:
                importlib.import_module(name)
    except Exception:  # a warm-up must never take the server down
        LOG.exception("warm-up: imports for a fit failed; a fit will import them itself")


def _database() -> tuple[str, tuple[int, int, int]] | None:
    """Return the shared database's path and fingerprint (the caches' keys), None (said in the log) when absent."""
    store = shared_store()  # outside any session: no visitor to act as
    if not store.exists():
        LOG.info("warm-up: no database yet at %s", store.path)
        return None
    return str(store.path), store.fingerprint()


@contextmanager
def _timed(step: str) -> Iterator[None]:
    """Log how long one warm-up step took (wall and this thread's CPU): where a start-up's seconds go."""
    wall, cpu = time.perf_counter(), time.thread_time()
    yield
    LOG.info("warm-up: %s %.2f s (CPU %.2f s)", step, time.perf_counter() - wall, time.thread_time() - cpu)


def _draw_once(path: str, fingerprint: tuple[int, int, int], day: date, horizon_weeks: int) -> None:
    """Do once what the first page run would pay for alone: the outlook's figures (cached, in the default language),
    Plotly's first serialisation."""
    for fig in outlook_figures_at(path, fingerprint, day, horizon_weeks, i18n.default_language()):
        reserved_margins(fig)
        fig.to_json()


def open_browser_when_ready(timeout_s: float = 60.0) -> bool:
    """Open the dashboard in the default browser once its health check answers; return whether it did.

    Nothing is opened on a headless server (Streamlit's default on Linux without a display, and what the tests set).
    """
    if st.get_option("server.headless"):
        return False
    url = f"http://localhost:{st.get_option('server.port')}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + internals.HEALTH_PATH, timeout=2):
                return bool(webbrowser.open(url))
        except OSError:
            time.sleep(0.2)
    return False
