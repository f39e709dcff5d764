"""The login in a real browser, against a local OpenID Connect provider (oidc-provider-mock, a dev dependency).

The dashboard runs with an [auth] section and [cashpilot.roles] (viewer by default, one editor), on the demo with
its bank matched and a snapshot: an anonymous visitor sees only the sign-in page, even at a page's own address; a
viewer reads but has no import or save control, and on Reconciliation and Forecast vs actual no matching, decision,
rules or snapshot control; an editor imports a file, saves a scenario, accepts a proposal and deletes a snapshot;
the audit table names the editor under each action, the viewer changed nothing.
A viewer's write that reaches the server anyway is refused by the store (tests/store/test_audit.py,
tests/app/test_login.py): a browser cannot send it without a control.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import werkzeug.serving
from oidc_provider_mock import app as oidc_app
from playwright.sync_api import Browser, Page

from forecasting.cli.main import main
from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.demo.movements import EXPORT_LAG_BDAYS
from forecasting.reconcile.run import auto_match
from forecasting.store.database import Store
from forecasting.store.reconciliation import read_matches
from tests.e2e import browser as b

pytestmark = pytest.mark.e2e

EDITOR = "editor@example.com"
VIEWER = "viewer@example.com"
SIGN_IN = "[data-testid='stBaseButton-primary']:has-text('Sign in')"
UPLOADER = "[data-testid='stFileUploader']"
CSV = ("invoice_id,counterparty_id,issue_date,due_date,amount_ttc\n"
       "LOGIN-1,Client Login,2026-11-02,2026-12-02,1200.00\n")


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """Return the address of a local OpenID Connect provider (any client id and secret; a user is typed in)."""
    server = werkzeug.serving.make_server("127.0.0.1", b.free_port(), oidc_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider-mock", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def login_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the demo ending today with its bank matched as `cashpilot demo` does, and a snapshot of four weeks ago,
    for the server with a login (its tests write to it)."""
    path = tmp_path_factory.mktemp("login") / "demo.duckdb"
    data = demo.generate(seed=42, scale=1.0, today=date.today(), export_lag_bdays=EXPORT_LAG_BDAYS)
    store = Store(path)
    store.replace_all(Ledger.from_object(data), data.bank_movements, data.account_ibans)
    auto_match(store)
    assert main(["--db", str(path), "snapshot", "--as-of", (date.today() - timedelta(weeks=4)).isoformat()]) == 0
    return path


@pytest.fixture(scope="module")
def login_url(provider: str, login_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return the address of the dashboard served with a login through `provider`, stopped at the end."""
    port = b.free_port()
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-long-random-secret-for-the-browser-tests-only"
client_id = "cashpilot"
client_secret = "cashpilot-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[cashpilot.roles]
editors = ["{EDITOR}"]
default = "viewer"
""", encoding="utf-8")
    with b.served(login_db, port, "server-login.log", options=("--secrets.files", str(secrets))) as url:
        yield url


def _signed_in(browser: Browser, url: str, who: str) -> Page:
    """Return a new browser page signed in as `who` through the provider's form, the dashboard drawn."""
    page = b.new_page(browser)
    page.goto(url, timeout=b.FIRST_RENDER_MS)
    page.locator(SIGN_IN).click(timeout=b.FIRST_RENDER_MS)
    page.locator("input[name='sub']").fill(who, timeout=b.RUN_MS)  # the provider's page
    page.locator("button[type='submit']:has-text('Authorize')").click()
    page.wait_for_url(f"{url}/**", timeout=b.RUN_MS)
    page.locator(b.NAV_LINK).first.wait_for(timeout=b.FIRST_RENDER_MS)
    b.wait_idle(page, b.FIRST_RENDER_MS)
    return page


def _open(page: Page, url: str, path: str) -> None:
    """Go to a page of the navigation by its link."""
    b.go_to(page, next(href for _title, href in b.nav_links(page) if href.rstrip("/").endswith(path)))
    assert b.problems(page) == []


def test_an_anonymous_visitor_sees_only_the_sign_in_page(browser: Browser, login_url: str) -> None:
    page = b.new_page(browser)
    try:
        for path in ("", "data", "whatif", "receivables"):
            page.goto(f"{login_url}/{path}", timeout=b.FIRST_RENDER_MS)
            page.locator(SIGN_IN).wait_for(timeout=b.FIRST_RENDER_MS)
            b.wait_idle(page)
            assert page.locator(b.NAV_LINK).count() == 0, path
            assert page.locator(UPLOADER).count() == 0 and page.locator("[data-testid='stMetric']").count() == 0
            assert page.locator(b.CHART_HOST).count() == 0
    finally:
        page.context.close()


def test_a_viewer_reads_but_cannot_import_or_save(browser: Browser, login_url: str, login_db: Path) -> None:
    page = _signed_in(browser, login_url, VIEWER)
    try:
        assert f"Signed in as {VIEWER} (viewer)" in page.locator("[data-testid='stSidebar']").inner_text()
        assert page.locator("[data-testid='stMetric']").count() > 0  # the outlook is read
        _open(page, login_url, "data")
        assert page.locator(UPLOADER).count() == 0
        assert "importing files needs the editor role" in page.locator("[data-testid='stMain']").inner_text()
        _open(page, login_url, "whatif")
        main = page.locator("[data-testid='stMain']")
        assert main.locator("button:has-text('Save these levers')").count() == 0
        assert main.locator("button:has-text('Delete')").count() == 0
        assert "saving scenarios needs the editor role" in main.inner_text()
    finally:
        page.context.close()
    assert VIEWER not in set(Store(login_db).audit_log()["who"])


BANK_WRITES = (".st-key-run_matching", ".st-key-accept", ".st-key-reject", ".st-key-undo", ".st-key-hand_match",
               ".st-key-rules_editor", ".st-key-save_rules", ".st-key-fva_delete")


def test_a_viewer_has_no_reconciliation_or_snapshot_control(browser: Browser, login_url: str, login_db: Path) -> None:
    page = _signed_in(browser, login_url, VIEWER)
    try:
        _open(page, login_url, "reconciliation")
        main = page.locator("[data-testid='stMain']")
        assert main.locator("[data-testid='stMetric']").count() == 4  # the counts are read
        assert "matching bank movements and editing the rules needs the editor role" in main.inner_text()
        assert [w for w in BANK_WRITES if main.locator(w).count()] == []
        assert main.locator("button:has-text('Run the matching'), button:has-text('Accept')").count() == 0
        _open(page, login_url, "forecast_vs_actual")
        main = page.locator("[data-testid='stMain']")
        assert "deleting snapshots needs the editor role" in main.inner_text()
        assert main.locator("text=Delete this snapshot").count() == 0 and main.locator(".st-key-fva_delete").count() == 0
    finally:
        page.context.close()
    assert VIEWER not in set(Store(login_db).audit_log()["who"])


def test_an_editor_decides_a_match_and_deletes_a_snapshot_audited(browser: Browser, login_url: str,
                                                                  login_db: Path) -> None:
    page = _signed_in(browser, login_url, EDITOR)
    try:
        _open(page, login_url, "reconciliation")
        main = page.locator("[data-testid='stMain']")
        assert "read-only" not in main.inner_text()
        assert main.locator(".st-key-run_matching button").count() == 1 and main.locator(".st-key-rules_editor").count()
        b.click_and_wait(page, main.locator(".st-key-accept button"))
        assert "accepted" in page.locator("[data-testid='stAlertContentSuccess']").inner_text()
        _open(page, login_url, "forecast_vs_actual")
        main = page.locator("[data-testid='stMain']")
        main.locator("[data-testid='stExpander'] summary:has-text('Delete this snapshot')").click()
        b.click_and_wait(page, main.locator("[class*='st-key-fva_delete_sure'] label"))
        b.click_and_wait(page, main.locator(".st-key-fva_delete button"))
        assert "Snapshot 1 deleted." in page.locator("[data-testid='stAlertContentSuccess']").inner_text()
    finally:
        page.context.close()
    audit = Store(login_db).audit_log()
    mine = audit[audit["who"] == EDITOR]
    assert list(mine["action"][:2])[::-1] == ["reconcile.accept", "snapshot.delete"]
    accepted = int(mine["details"].iloc[1].split(";")[0].removeprefix("match "))
    assert read_matches(Store(login_db))[0].set_index("match_id").at[accepted, "decided_by"] == EDITOR
    assert mine["details"].iloc[0].startswith("snapshot 1; as of ")


def test_an_editor_imports_and_saves_and_the_audit_table_names_them(
        browser: Browser, login_url: str, login_db: Path, tmp_path: Path) -> None:
    page = _signed_in(browser, login_url, EDITOR)
    try:
        _open(page, login_url, "data")
        file = tmp_path / "login.csv"
        file.write_text(CSV, encoding="utf-8")
        before = b.finished_runs(page)
        page.locator(f"{UPLOADER} input[type='file']").set_input_files(str(file))
        b.wait_run_after(page, before)
        b.click_and_wait(page, page.locator(".st-key-import_go button"))
        assert "1 row read, 1 inserted" in page.locator("[data-testid='stAlertContentSuccess']").inner_text()
        _open(page, login_url, "whatif")
        page.locator(".st-key-wi_ce_delay input").fill("-10")
        b.click_and_wait(page, page.locator(b.SIMULATE))
        page.locator(".st-key-wi_save_name input").fill("Collect 10 days sooner")
        page.locator(".st-key-wi_save_name input").press("Enter")
        b.wait_idle(page)
        b.click_and_wait(page, page.locator("button:has-text('Save these levers')"))
        assert "Scenario 'Collect 10 days sooner' saved." in page.locator("[data-testid='stMain']").inner_text()
    finally:
        page.context.close()
    audit = Store(login_db).audit_log()
    mine = audit[audit["who"] == EDITOR]
    assert list(mine["action"][:2])[::-1] == ["import.receivables", "scenario.save"]
    assert set(mine["role"]) == {"editor"} and set(mine["via"]) == {"dashboard"}
    assert mine["details"].iloc[1].startswith("login.csv: 1 row read") and mine["details"].iloc[0].startswith(
        "Collect 10 days sooner")
