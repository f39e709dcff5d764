"""The Forecast vs actual page in a real browser: the variance chart draws its split, the tables show, French too.

Its own server, on the demo company with bank movements and a snapshot of 25 October (tests/fixtures/bank_snapshots.py);
$CASHPILOT_TEST_PORT chooses the port (default: a free one).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.i18n.translate import LANGUAGE_NAMES
from forecasting.store.database import Store
from tests.e2e import browser as b
from tests.fixtures.bank_snapshots import demo_with_bank
from tests.fixtures.demo import DEMO_TODAY

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def bank_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return the address of a server on the demo company with bank movements and a snapshot, stopped at the end."""
    folder = tmp_path_factory.mktemp("bank_e2e")
    Store(folder / "demo.duckdb").replace_all(Ledger.from_object(demo.generate(seed=42, scale=1.0,
                                                                              today=DEMO_TODAY)))
    db = folder / "bank.duckdb"
    demo_with_bank(folder / "demo.duckdb", db)
    port = int(os.environ.get("CASHPILOT_TEST_PORT") or b.free_port())
    with b.served(db, port, "server-bank.log") as url:
        yield url


def test_the_variance_chart_and_tables_show_in_both_languages(app_page: Page, bank_url: str) -> None:
    b.open_app(app_page, bank_url)
    b.go_to(app_page, dict(b.nav_links(app_page))["Forecast vs actual"])
    assert b.problems(app_page) == []
    assert app_page.locator("[data-testid='stMain'] h1").first.inner_text() == "Forecast vs actual"
    chart = {c["key"]: c for c in b.charts(app_page)}["variance_chart"]
    assert chart["state"] == "drawn" and chart["traces"] == 4  # timing, amount, unforecast bars and the variance
    weeks = app_page.locator(".st-key-fva_weeks table tbody tr")
    assert weeks.count() == 4
    assert "Bank fees" in app_page.locator(".st-key-fva_categories").inner_text()
    b.screenshot(app_page, b.ARTIFACTS / "en-forecast-vs-actual.png")
    b.switch_language(app_page, LANGUAGE_NAMES["fr"])
    assert b.problems(app_page) == []
    assert app_page.locator("[data-testid='stMain'] h1").first.inner_text() == "Prévision vs réalisé"
    assert "Frais bancaires" in app_page.locator(".st-key-fva_categories").inner_text()
    assert "Décalage" in app_page.locator(".st-key-variance_chart").inner_text()  # the legend speaks French
    chosen = app_page.locator(".st-key-fva_snapshot_fr")
    assert "N° 1 au 25/10/2026 · October board" in (chosen.inner_html()), chosen.inner_html()[:3000]
    b.screenshot(app_page, b.ARTIFACTS / "fr-forecast-vs-actual.png")
