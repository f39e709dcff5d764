"""Browser fixtures: one Streamlit server on the demo company and one headless chromium for the whole session."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.store.database import Store
from tests.e2e import browser as b


@pytest.fixture(scope="session")
def todays_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a database holding the demo company as `make run` loads it: its history ends today.

    The pages forecast from today, so a demo ending on a fixed day would be read ever more out of date as the
    calendar moves on: the browser tests see what a user of the demo sees on the day they run.
    """
    path = tmp_path_factory.mktemp("demo_today") / "demo.duckdb"
    Store(path).replace_all(Ledger.from_object(demo.generate(seed=42, scale=1.0, today=date.today())))
    return path


@pytest.fixture(scope="session")
def full_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the demo ending today as `cashpilot demo` loads it (its bank movements matched) with a snapshot of
    four weeks ago: every page has something to show, the bank pages and Forecast vs actual included."""
    from forecasting.cli.main import main

    path = tmp_path_factory.mktemp("full_demo") / "demo.duckdb"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--db", str(path), "demo", "--today", date.today().isoformat()]) == 0
        assert main(["--db", str(path), "snapshot", "--as-of", (date.today() - timedelta(weeks=4)).isoformat()]) == 0
    return path


@pytest.fixture(scope="session")
def app_url(todays_demo_db: Path) -> Iterator[str]:
    """Return the address of `streamlit run serve.py` serving the demo company (English), stopped at the end."""
    with b.served(todays_demo_db, b.free_port(), "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Return Debian's chromium, headless, shared by every browser test."""
    with sync_playwright() as playwright:
        chromium = b.launch_browser(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test, so a fixture can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def app_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Return a fresh browser context and page (a new Streamlit session); a screenshot is kept if the test fails."""
    page = b.new_page(browser)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        with contextlib.suppress(Exception):  # a failed screenshot must not hide the test's own failure
            b.screenshot(page, b.ARTIFACTS / "failures" / f"{b.slug(request.node.name)}.png")
    page.context.close()
