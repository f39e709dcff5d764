"""The Reconciliation page in a real browser: a proposal accepted with a click pays its invoices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.demo.movements import EXPORT_LAG_BDAYS
from forecasting.reconcile.run import auto_match
from forecasting.store.database import Store
from forecasting.store.reconciliation import read_matches
from tests.e2e import browser as b

pytestmark = pytest.mark.e2e

PORTS = range(8620, 8630)  # this suite's own server: apart from the session's, which other tests read unchanged


@pytest.fixture(scope="module")
def bank_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a database with the demo company ending today, its bank movements matched as `cashpilot demo` does."""
    path = tmp_path_factory.mktemp("bank_e2e") / "bank.duckdb"
    data = demo.generate(seed=42, scale=1.0, today=date.today(), export_lag_bdays=EXPORT_LAG_BDAYS)
    store = Store(path)
    store.replace_all(Ledger.from_object(data), data.bank_movements, data.account_ibans)
    auto_match(store)
    return path


@pytest.fixture(scope="module")
def bank_url(bank_db: Path) -> Iterator[str]:
    """Return the address of a server on the bank database, stopped at the end of the module."""
    with b.served(bank_db, b.free_port_in(PORTS), "server-reconciliation.log") as url:
        yield url


def test_accepting_a_proposal_in_the_browser_pays_its_invoices(browser: Browser, bank_url: str, bank_db: Path) -> None:
    page: Page = b.new_page(browser)
    try:
        b.open_app(page, bank_url)
        href = next(h for _, h in b.nav_links(page) if h.rstrip("/").endswith("reconciliation"))
        b.go_to(page, href)
        assert not b.problems(page)
        matches, _ = read_matches(Store(bank_db))
        proposed = set(matches.loc[matches["status"] == "proposed", "match_id"])
        assert proposed
        box = page.locator("[data-testid='stSelectbox']").filter(has_text="Proposal").first
        chosen = int(box.locator("input").first.input_value().split("·")[0].strip())  # "48 · 2026-12-04 · €741 · FA…"
        assert chosen in proposed

        b.click_and_wait(page, page.get_by_role("button", name="Accept: the invoices are paid"))

        # the click's run records the decision and runs the page again, which shows what was done
        page.get_by_text(f"Match {chosen} accepted").wait_for(timeout=b.RUN_MS)
        b.wait_idle(page)
        b.screenshot(page, b.ARTIFACTS / "en-reconciliation-accepted.png")
        matches, _ = read_matches(Store(bank_db))
        assert matches.set_index("match_id").at[chosen, "status"] == "accepted"
        assert not b.problems(page)
    finally:
        page.context.close()
