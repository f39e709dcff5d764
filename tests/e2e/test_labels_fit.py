"""Every label, value, tab, button and table column of every page (on the demo as `cashpilot demo` loads it, bank
and a snapshot included) is shown whole, in English and in French, in a
1400-px and a 1024-px wide window (issue 17 item 7).

One server per language (the page's language from $CASHPILOT_LANG, as a French team would run it) and one browser
session each, the pages of the sidebar navigation visited in turn, the What-if page with two levers applied so its
scenario tiles, its before-and-after table and the waterfalls of each lever are measured too. What counts as cut is defined by browser.cut_texts.
The Cash outlook's tabs, drawn on demand, are opened and measured in turn. The 1400-px pass keeps a full-page
screenshot of each page in tests/e2e/artifacts/ (named as test_browser names them, the stale ones removed), and one
of each of the outlook's other tabs (…-tab2.png to -tab4.png).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from forecasting.i18n.translate import tr
from tests.e2e import browser as b

pytestmark = pytest.mark.e2e

# Pages whose tabs are drawn on demand (the Cash outlook's, by its url path ''): each tab opened and measured in turn.
TABS_ON_DEMAND = {"": ("Week detail", "13-week treasury table", "Exports and snapshot")}
WIDTHS = (1400, 1024)  # a laptop with the sidebar open, and a small laptop or a tablet held flat
PORTS = range(8630, 8640)  # this suite's servers, apart from the session's
PAGE_MS = 300_000  # a page's run on a cold server (the accuracy page replays a year of forecasts) on a busy box


@pytest.fixture(scope="module", params=["en", "fr"])
def served(request: pytest.FixtureRequest, full_demo_db: Path) -> Iterator[tuple[str, str]]:
    """Return (language, address) of a server on the demo company whose pages open in that language."""
    language = str(request.param)
    with b.served(full_demo_db, b.free_port_in(PORTS), f"server-labels-{language}.log",
                  env={"CASHPILOT_LANG": language}) as url:
        yield language, url


def _apply_a_lever(page: Page) -> None:
    """Simulate clients paying 15 days later, on new terms: the scenario tiles, the before-and-after table and, with
    two levers, the waterfalls of each lever's effect and their table appear."""
    page.locator(".st-key-wi_ce_delay input").fill("15")
    if not page.locator(".st-key-wi_ct_on input").is_checked():  # still on from the other width's visit
        page.locator(".st-key-wi_ct_on label").click()  # clients at 45 days end of month
    b.click_and_wait(page, page.locator(b.SIMULATE), PAGE_MS)


def _describe(cut: dict[str, object]) -> str:
    """Return one line saying what is cut and by how much."""
    return f"{cut['kind']} in {cut['where']}: {cut['text']!r} needs {cut['need']} px, has {cut['has']}"


def test_no_label_value_or_column_is_cut(browser: Browser, served: tuple[str, str]) -> None:
    language, url = served
    page = b.new_page(browser, width=WIDTHS[0])
    try:
        b.open_app(page, url)
        links = b.nav_links(page)  # every page of the navigation, so a new page is covered
        assert len(links) >= 9, links
        cuts: dict[str, list[str]] = {}
        measured = 0
        b.clear_page_screenshots(language)  # the 1400-px pass keeps one of each page, as test_browser names them
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 1000})
            for number, (title, href) in enumerate(links, start=1):
                b.go_to(page, href, PAGE_MS)
                if href.rstrip("/").endswith("/whatif"):
                    _apply_a_lever(page)
                found = b.cut_texts(page)
                measured += 1
                if found:
                    cuts[f"{width} px, {title}"] = [_describe(c) for c in found]
                assert not b.problems(page), b.problems(page)
                shot = b.page_screenshot_path(language, number, href)
                if width == WIDTHS[0]:
                    b.screenshot(page, shot)
                for n, tab in enumerate(TABS_ON_DEMAND.get(re.sub(r"^https?://[^/]+/?", "", href).strip("/"), ()),
                                        start=2):
                    b.open_tab(page, tr(tab, language), PAGE_MS)
                    found = b.cut_texts(page)
                    if found:
                        cuts[f"{width} px, {title}, tab {tab!r}"] = [_describe(c) for c in found]
                    assert not b.problems(page), b.problems(page)
                    if width == WIDTHS[0]:
                        b.screenshot(page, shot.with_name(f"{shot.stem}-tab{n}.png"))
        assert measured == len(WIDTHS) * len(links)
        report = "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in cuts.items())
        assert not cuts, f"{language}: {sum(map(len, cuts.values()))} texts cut\n{report}"
    finally:
        page.context.close()
