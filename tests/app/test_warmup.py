"""The server-start warm-up (serve.py) fills the caches the opening page reads, and never raises.

That a warm-up from the server's own thread spares the opening page's run its fit, and pays Streamlit's first-element
check for it, is checked with the other Streamlit assumptions in test_streamlit_internals.py (hooks 4 and 6).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import pages.server.warmup
import pages.widgets.common
import pages.widgets.outlook_charts
import pages.widgets.treasury
from forecasting.core.errors import DatabaseBusy
from pages.server.warmup import warm_up
from tests.fixtures.app import open_tab
from tests.fixtures.demo import DEMO_TODAY

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _fresh(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the app at `db` with every cache empty."""
    monkeypatch.setenv("CASHPILOT_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()


def _no_forecasting(*args: object, **kwargs: object) -> None:
    raise AssertionError("the forecast was fetched again (fitted or read from disk) instead of read from the warmed cache")


def test_the_warm_up_does_the_first_page_runs_one_time_costs(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(demo_db, monkeypatch)
    drawn: list[str] = []
    monkeypatch.setattr(pages.server.warmup, "reserved_margins", lambda fig: drawn.append(fig.layout.yaxis.title.text))
    paid: list[bool] = []
    monkeypatch.setattr(pages.server.warmup.internals, "pay_first_element_check", lambda: paid.append(True))
    assert warm_up(DEMO_TODAY) is True
    assert drawn == ["cash (€)", "€ per week"]  # the opening page's two figures, built once (Plotly's first use)
    assert paid == [True]  # Streamlit's first element of the process (slow in a page's deep stack)


def test_the_opening_view_is_warmed_in_the_order_the_first_page_run_asks_for_it(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A visitor arriving during the warm-up then waits on the step in progress (Streamlit's per-key compute lock)
    # instead of computing the next one beside it: app.py's banner needs the projection and the credit alerts first.
    _fresh(demo_db, monkeypatch)
    warmup = pages.server.warmup
    done: list[str] = []

    def record(step: str, real: Callable[..., object]) -> Callable[..., object]:
        return lambda *args, **kwargs: (done.append(step), real(*args, **kwargs))[1]

    for name, step in (("projection_at", "projection"), ("credit_alerts_at", "credit alerts"),
                       ("_draw_once", "figures"), ("table_at", "treasury table")):
        monkeypatch.setattr(warmup, name, record(step, getattr(warmup, name)))
    monkeypatch.setattr(warmup.internals, "pay_first_element_check", lambda: done.append("first element"))
    assert warm_up(DEMO_TODAY) is True
    # not the treasury table: its tab is drawn on demand, after the opening page (warm_later)
    assert done == ["first element", "projection", "credit alerts", "figures"]
    warmup.warm_later(DEMO_TODAY)
    assert done[-1] == "treasury table"


def test_what_only_a_fit_needs_is_imported_after_the_opening_view(demo_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    # statsmodels is 1.4 s of imports that a restart on a kept forecast does not need for the opening page: imported
    # first, it held the first visitor's page back (bench/RESULTS.md, "Browser", session 14).
    _fresh(demo_db, monkeypatch)
    warmup = pages.server.warmup
    imported: list[str] = []
    real_import = importlib.import_module
    monkeypatch.setattr(warmup, "importlib", SimpleNamespace(  # the warm-up's own imports, not Plotly's lazy ones
        import_module=lambda name: (imported.append(name), real_import(name))[1]))
    with caplog.at_level(logging.INFO, logger="cashpilot.warmup"):
        assert warm_up(DEMO_TODAY) is True
        assert not any(name.startswith("statsmodels") for name in imported)
        assert "warm-up: treasury table" not in caplog.text
        warmup.warm_later(DEMO_TODAY)
    assert imported[-1] == "statsmodels.tsa.holtwinters"
    assert caplog.text.index("warm-up: treasury table") < caplog.text.index("warm-up: imports for a fit")
    # each step says in the server's log how long it took
    for step in ("imports", "ledger", "projection", "credit alerts", "figures", "treasury table", "imports for a fit"):
        assert f"warm-up: {step} " in caplog.text
    assert "(CPU " in caplog.text


def test_the_server_thread_warms_the_opening_view_then_later_what_a_fit_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    warmup = pages.server.warmup
    calls: list[object] = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("opening view") or True)
    monkeypatch.setattr(warmup.time, "sleep", lambda seconds: calls.append(seconds))
    monkeypatch.setattr(warmup, "warm_later", lambda: calls.append("treasury table, then for a fit"))
    warmup.start_up()
    assert calls == ["opening view", warmup.LATER_AFTER_S, "treasury table, then for a fit"]


def test_a_failing_later_import_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    _fresh(tmp_path / "no_database_yet.duckdb", monkeypatch)  # nothing to tabulate
    monkeypatch.setattr(pages.server.warmup, "LATER_MODULES", ("cashpilot_no_such_module",))
    with caplog.at_level(logging.ERROR, logger="cashpilot.warmup"):
        pages.server.warmup.warm_later()
    assert "imports for a fit failed" in caplog.text


def test_a_failing_treasury_table_is_logged_and_the_imports_still_happen(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    _fresh(demo_db, monkeypatch)
    warmup = pages.server.warmup
    monkeypatch.setattr(warmup, "table_at", _no_forecasting)
    imported: list[str] = []
    monkeypatch.setattr(warmup, "importlib", SimpleNamespace(import_module=imported.append))
    with caplog.at_level(logging.INFO, logger="cashpilot.warmup"):
        warmup.warm_later(DEMO_TODAY)
    assert "treasury table failed" in caplog.text
    assert imported == list(warmup.LATER_MODULES)


def test_after_the_warm_up_the_opening_page_builds_no_figure_and_no_treasury_table(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The opening page's charts are drawn once its run has ended (bench/browser.py): what the warm-up cached is not
    # built again in a visitor's run.
    _fresh(demo_db, monkeypatch)
    assert warm_up(DEMO_TODAY) is True
    pages.server.warmup.warm_later(DEMO_TODAY)  # the treasury table, 30 s after the opening view on a server
    for module, name in ((pages.widgets.outlook_charts, "outlook_figure"), (pages.widgets.outlook_charts, "flows_figure"),
                         (pages.widgets.treasury, "treasury_table")):
        monkeypatch.setattr(module, name, _no_forecasting)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["as_of"] = DEMO_TODAY
    at.run()
    assert not at.exception, at.exception
    assert len(at.metric) >= 4  # the tiles
    # The treasury table's tab, drawn on demand, finds the table the warm-up made; the exports tab ends the page.
    open_tab(at, "13-week treasury table")
    assert not at.exception, at.exception
    assert any("| Status |" in m.value for m in at.markdown)
    open_tab(at, "Exports and snapshot")
    assert at.text_input(key="snapshot_label") is not None  # the page ran to its end (its last element)


def test_a_page_with_another_date_still_computes_its_own(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(demo_db, monkeypatch)
    assert warm_up(DEMO_TODAY) is True
    monkeypatch.setattr(pages.widgets.common, "cached_prepare", _no_forecasting)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["as_of"] = DEMO_TODAY.replace(day=16)  # not warmed: the page must fit, so it fails here
    at.run()
    assert at.exception


def test_no_database_yet_is_no_warm_up_and_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(tmp_path / "none.duckdb", monkeypatch)
    assert warm_up(DEMO_TODAY) is False
    assert not (tmp_path / "none.duckdb").exists()  # looking did not create it


def test_a_failing_warm_up_is_logged_not_raised(demo_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    _fresh(demo_db, monkeypatch)
    monkeypatch.setattr(pages.widgets.common, "cached_prepare", _no_forecasting)
    with caplog.at_level(logging.ERROR, logger="cashpilot.warmup"):
        assert warm_up(DEMO_TODAY) is False
    assert "warm-up failed" in caplog.text


def test_data_that_cannot_be_forecast_is_one_line_in_the_log(demo_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    _fresh(demo_db, monkeypatch)

    def busy(*args: object, **kwargs: object) -> None:
        raise DatabaseBusy("the database is being written by another program")

    monkeypatch.setattr(pages.widgets.common, "cached_prepare", busy)
    with caplog.at_level(logging.WARNING, logger="cashpilot.warmup"):
        assert warm_up(DEMO_TODAY) is False
    assert "warm-up skipped: the database is being written" in caplog.text and "Traceback" not in caplog.text


class _Answer:
    """A health check that answers."""

    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_the_browser_opens_on_a_desktop_once_the_server_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    opened, asked = [], []
    monkeypatch.setattr(pages.server.warmup.webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.setattr(pages.server.warmup.urllib.request, "urlopen", lambda url, timeout: asked.append(url) or _Answer())
    monkeypatch.setattr(pages.server.warmup.st, "get_option", {"server.headless": False, "server.port": 8599}.__getitem__)
    assert pages.server.warmup.open_browser_when_ready() is True
    assert asked == ["http://localhost:8599/_stcore/health"] and opened == ["http://localhost:8599"]


def test_no_browser_on_a_headless_server(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = []
    monkeypatch.setattr(pages.server.warmup.webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.setattr(pages.server.warmup.st, "get_option", {"server.headless": True}.__getitem__)
    assert pages.server.warmup.open_browser_when_ready() is False and opened == []
