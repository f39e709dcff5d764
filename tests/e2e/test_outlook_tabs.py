"""The Cash outlook's tabs in a real browser (issue 17): what is below the charts is drawn only when its tab is
opened, and the open tab stays open when the page runs again (horizon, language)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from forecasting.i18n.translate import LANGUAGE_NAMES, tr
from tests.e2e import browser as b

pytestmark = pytest.mark.e2e

EXPORTS = "Exports and snapshot"
BOARD_PACK = "[data-testid='stMain'] .st-key-outlook_board_pack"


def _open_tab(page: Page) -> str:
    """Return the label of the outlook's selected tab."""
    return page.locator("[data-testid='stMain'] [role='tab'][aria-selected='true']").inner_text().strip()


def test_the_tabs_draw_their_content_when_opened_and_stay_open(app_page: Page, app_url: str) -> None:
    b.open_app(app_page, app_url)
    assert _open_tab(app_page) == "Week by week"
    assert app_page.locator(".st-key-weekly_table table").count() == 1  # the first tab's table, on the first run
    # The closed tabs' content is not in the page at all (not merely hidden): not sent on the first run.
    assert app_page.locator(BOARD_PACK).count() == 0
    assert app_page.locator(".st-key-treasury_table, .st-key-outlook_week").count() == 0
    b.open_tab(app_page, EXPORTS)
    assert app_page.locator(f"{BOARD_PACK} button").first.is_visible()
    assert app_page.locator(".st-key-weekly_table").count() == 0  # the closed tab's table is gone in its turn
    assert not b.problems(app_page), b.problems(app_page)

    horizon = app_page.locator(".st-key-horizon_weeks button").filter(has_text="26")
    b.click_and_wait(app_page, horizon)  # a rerun: the tab stays open, its content drawn again
    assert _open_tab(app_page) == EXPORTS and app_page.locator(f"{BOARD_PACK} button").first.is_visible()
    b.switch_language(app_page, LANGUAGE_NAMES["fr"])  # the same tab, now in French
    assert _open_tab(app_page) == tr(EXPORTS, "fr")
    assert app_page.locator(f"{BOARD_PACK} button").first.is_visible()
    assert not b.problems(app_page), b.problems(app_page)
