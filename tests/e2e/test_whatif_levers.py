"""The What-if page in a real browser: with several levers, the waterfall's bars add up to the scenario's tile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from forecasting.i18n.translate import LANGUAGE_NAMES, tr
from tests.e2e import browser as b

pytestmark = pytest.mark.e2e

# The first trace of a chart as drawn, by the chart's key: Plotly keeps its data on the chart's element (numbers
# decoded from their typed-array form in _fullData, made plain lists here).
FIGURE = """key => {
  const trace = document.querySelector(`.st-key-${key} .cashpilot-chart`)._fullData[0];
  return {y: Array.from(trace.y), base: Array.from(trace.base), text: Array.from(trace.text)};
}"""


def _amount(text: str) -> float:
    """Return the number of a shown amount in either language ('+1,234', '−1 234 €', '1\u202f234')."""
    plain = re.sub(r"[^\d,.\-−+]", "", text).replace("−", "-")
    plain = plain.replace(",", "") if "." in plain or re.search(r",\d{3}(\D|$)", plain) else plain.replace(",", ".")
    return float(plain)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_waterfall_bars_add_up_to_the_net_cash_tile(app_page: Page, app_url: str, language: str) -> None:
    b.open_app(app_page, app_url)
    b.go_to(app_page, f"{app_url}/whatif")
    if language != "en":
        b.switch_language(app_page, LANGUAGE_NAMES[language])
    app_page.locator(".st-key-wi_ce_delay input").fill("-10")  # collect 10 days faster
    app_page.locator(".st-key-wi_ct_on label").click()  # and clients at 45 days end of month
    b.click_and_wait(app_page, app_page.locator(b.SIMULATE))
    assert not b.problems(app_page), b.problems(app_page)
    assert tr("The effect of each lever", language) in app_page.locator("[data-testid='stMain'] h3").all_inner_texts()
    bars = app_page.evaluate(FIGURE, "wi_waterfall_net_cash")
    levels, levers = bars["y"][0], [_amount(text) for text in bars["text"][1:-1]]
    assert len(levers) == 2  # client terms, collection effort
    assert bars["base"][0] == 0 and bars["base"][-1] == 0
    assert levels + sum(levers) == pytest.approx(bars["y"][-1], abs=len(levers))  # bar labels are rounded to 1 €
    tile = b.metric_tiles(app_page)[tr("Net cash at horizon", language)]
    assert _amount(tile[0]) == pytest.approx(bars["y"][-1], abs=1.0)
    assert _amount(tile[1]) == pytest.approx(sum(levers), abs=len(levers) + 1)
    b.screenshot(app_page, b.ARTIFACTS / f"{language}-whatif-levers.png")
