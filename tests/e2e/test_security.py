"""What a browser gets from the dashboard's server: the security headers, and pages that draw under that policy.

The Content-Security-Policy is checked where it matters: chromium enforces it, and every page of the navigation
must draw its charts without one CSP violation reported in the console.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, ConsoleMessage

from tests.e2e import browser as b

pytestmark = pytest.mark.e2e

CSP_WORDS = re.compile(r"content security policy|content-security-policy", re.IGNORECASE)


def test_every_answer_has_the_security_headers_and_the_charts_draw_with_no_csp_violation(
        browser: Browser, app_url: str) -> None:
    page = b.new_page(browser)
    console: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        console.append(f"{message.type}: {message.text}")

    page.on("console", keep)
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    answers = {}
    page.on("response", lambda r: answers.setdefault(r.url.split("?")[0], r.all_headers()))
    try:
        answer = page.goto(app_url, timeout=b.FIRST_RENDER_MS)
        assert answer is not None
        headers = answer.all_headers()
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self' blob: 'sha256-" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["permissions-policy"]
        b.wait_run_after(page, 0, b.FIRST_RENDER_MS)
        drawn = 0
        for _title, href in b.nav_links(page):
            b.go_to(page, href)
            assert b.problems(page) == [], href
            drawn += sum(1 for c in b.charts(page) if c["state"] == "drawn" and c["traces"])
        assert drawn >= 5  # the outlook's, receivables', payables' and accuracy's charts: drawn under the policy
        # the scripts, the Plotly bundle and the front end's files carry the headers too
        scripts = [url for url in answers if url.endswith(".js")]
        assert any("/cashpilot-charts/" in url for url in scripts) and any("/static/js/" in url for url in scripts)
        assert all(answers[url].get("x-content-type-options") == "nosniff" for url in scripts)
        assert [m for m in console if CSP_WORDS.search(m)] == []
    finally:
        page.context.close()
