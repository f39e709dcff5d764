"""The Cash outlook's drill-down in a real browser: choosing a week lists invoices adding up to its receipts."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page

from forecasting.i18n.translate import LANGUAGE_NAMES, tr
from tests.e2e import browser as b

pytestmark = pytest.mark.e2e


def _amount(text: str, language: str) -> float:
    """Return a number written the page's way ('1,234' in English; '1 234' or '1 234,5 €' in French)."""
    plain = re.sub(r"[^\d,.\-−]", "", text).replace("−", "-")
    return float(plain.replace(",", "") if language == "en" else plain.replace(".", "").replace(",", "."))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_choosing_a_week_lists_the_items_adding_up_to_its_receipts(app_page: Page, app_url: str,
                                                                   language: str) -> None:
    b.open_app(app_page, app_url)
    if language != "en":
        b.switch_language(app_page, LANGUAGE_NAMES[language])
    table = app_page.locator(".st-key-weekly_table table")
    third = table.locator("tbody tr").nth(2)  # the third week of the week-by-week table
    week, receipts = third.locator("td").nth(0).inner_text(), third.locator("td").nth(1).inner_text()
    b.open_tab(app_page, tr("Week detail", language))  # drawn on demand, in its tab
    picker = app_page.locator(".st-key-outlook_week")
    before = b.finished_runs(app_page)
    picker.get_by_role("combobox").click()  # open the list, type the week as shown, choose it
    app_page.keyboard.type(week)
    app_page.keyboard.press("Enter")
    b.wait_run_after(app_page, before)
    assert not b.problems(app_page), b.problems(app_page)
    # The list as the user takes it away: its "Full list (CSV)" download, in the page's spreadsheet conventions.
    with app_page.expect_download(timeout=b.RUN_MS) as download:
        app_page.locator(".st-key-outlook_week_csv button").first.click()
    data = Path(download.value.path()).read_bytes()
    items = (pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig") if language == "fr"
             else pd.read_csv(io.BytesIO(data)))
    expected = items[tr("Expected this week", language)]
    assert len(items) > 10 and expected.sum() == pytest.approx(_amount(receipts, language), abs=1.0)
    b.screenshot(app_page, b.ARTIFACTS / f"{language}-outlook-week.png")
