"""The dashboard in a real browser (headless Debian chromium) on the demo company.

Every page of the sidebar navigation opens without an exception and without a request leaving the machine, in
English and in French (a full-page screenshot of each is kept in tests/e2e/artifacts/), a what-if lever moves the scenario figures, the chart, workbook and
board-pack downloads open, and the language switch turns the labels French.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pypdfium2  # dev dependency: opens and renders PDF pages
import pytest
from PIL import Image
from playwright.sync_api import Page

from forecasting.i18n.translate import LANGUAGE_NAMES, tr
from tests.e2e import browser as b

pytestmark = pytest.mark.e2e

LOCAL_HOSTS = ("127.0.0.1", "localhost")
# The tooltips of the first chart's toolbar (zoom, pan, download ...), as the browser shows them.
TOOLBAR_TITLES = (f'() => [...document.querySelector("{b.CHART}").querySelectorAll(".modebar-btn")]'
                  '.map(e => e.getAttribute("data-title"))')
DOWNLOAD_MS = 180_000  # an export is built on click: the board pack draws every chart through kaleido


def _path_of(href: str) -> str:
    """Return the url path of a navigation link ('' for the default page)."""
    return re.sub(r"^https?://[^/]+/?", "", href).strip("/")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_of_the_navigation_opens_without_an_error(app_page: Page, app_url: str, language: str) -> None:
    outside = []  # the dashboard needs no network beyond its own server (no fonts, icons or scripts from elsewhere)
    app_page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in LOCAL_HOSTS
                and urlsplit(r.url).scheme in ("http", "https", "ws", "wss") else None)
    b.open_app(app_page, app_url)
    b.switch_language(app_page, LANGUAGE_NAMES[language])
    links = b.nav_links(app_page)
    assert len(links) >= 6, links  # outlook, what-if, receivables, payables, overview, data at least
    problems, drawn = {}, {}
    b.clear_page_screenshots(language)
    for number, (title, href) in enumerate(links, start=1):
        b.go_to(app_page, href)
        found = b.problems(app_page)  # a chart that did not draw its figure is one
        if found:
            problems[title] = found
        drawn[_path_of(href) or "outlook"] = [c["key"] for c in b.charts(app_page)]
        b.screenshot(app_page, b.page_screenshot_path(language, number, href))
        assert app_page.locator("[data-testid='stMain'] h1").count() >= 1, f"{title}: nothing drawn"
    assert not problems, problems
    assert not outside, f"requests that left the machine: {outside}"
    assert drawn["outlook"] == ["outlook_chart", "flows_chart"], drawn
    assert sum(len(keys) for keys in drawn.values()) >= 9, drawn  # receivables 3, payables 3, accuracy 1 too


def _wait_widths(page: Page, condition: str) -> None:
    """Wait until every chart's drawn width (`c.width`, px) meets a JavaScript condition."""
    page.wait_for_function(f"() => ({b.CHARTS})().every(c => {condition})", timeout=b.RUN_MS)


def test_the_charts_follow_the_page_width_and_speak_the_pages_language(app_page: Page, app_url: str) -> None:
    b.open_app(app_page, app_url)
    wide = {c["key"]: float(str(c["width"])) for c in b.charts(app_page)}
    assert wide["outlook_chart"] > 800, wide  # a 1400-px window, the sidebar aside
    app_page.set_viewport_size({"width": 1000, "height": 1000})  # a smaller window: narrower charts
    _wait_widths(app_page, f"Number(c.width) < {wide['flows_chart'] - 200}")
    app_page.set_viewport_size({"width": 1400, "height": 1000})
    _wait_widths(app_page, f"Number(c.width) === {wide['flows_chart']}")
    # What a reader uses, and no "Share chart..." (plotly.js 4 would upload the figure to Plotly Cloud)
    assert app_page.evaluate(TOOLBAR_TITLES) == ["Download plot as a PNG", "Zoom", "Pan", "Reset axes"]
    b.switch_language(app_page, LANGUAGE_NAMES["fr"])
    assert "Télécharger le graphique en fichier PNG" in app_page.evaluate(TOOLBAR_TITLES)
    app_page.hover("[data-testid='stSidebar']")  # the sidebar closed: the charts take its room
    app_page.locator("[data-testid='stSidebarCollapseButton'] button").click()
    _wait_widths(app_page, f"Number(c.width) > {wide['flows_chart'] + 200}")
    assert not b.problems(app_page), b.problems(app_page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_what_if_lever_moves_the_scenario_figures(app_page: Page, app_url: str, language: str) -> None:
    b.open_app(app_page, app_url)
    # through the sidebar: the first visit after a server start opens the default page whatever its address
    b.go_to(app_page, f"{app_url}/whatif")
    if language != "en":
        b.switch_language(app_page, LANGUAGE_NAMES[language])
    cash, bfr = tr("Net cash at horizon", language), tr("BFR at horizon", language)
    delay = app_page.locator(".st-key-wi_ce_delay input")
    simulate = app_page.locator(b.SIMULATE)
    shown, looks = [], []
    for days in (-15, 15):  # clients pay 15 days earlier, then 15 days later
        delay.fill(str(days))
        b.click_and_wait(app_page, simulate)
        assert not b.problems(app_page), b.problems(app_page)
        tiles = b.metric_tiles(app_page)
        assert cash in tiles, tiles  # the scenario tiles replace the baseline ones
        shown.append(tiles)
        looks.append({label: b.metric_look(app_page, label) for label in (cash, bfr)})
    earlier, later = shown[0][cash], shown[1][cash]
    assert earlier != later
    assert earlier[1].startswith("+"), earlier  # paid earlier: more cash at the horizon than the baseline
    assert later[1][:1] in "-−", later  # paid later: less
    assert shown[0][bfr][1][:1] in "-−" and shown[1][bfr][1].startswith("+")
    # drawn as the number says: more cash a green up-arrow, less BFR a green down-arrow, and the reverse in red
    assert looks[0] == {cash: ("up", "green"), bfr: ("down", "green")}, looks[0]
    assert looks[1] == {cash: ("down", "red"), bfr: ("up", "red")}, looks[1]
    # the What-if page's workbook carries the scenario of the levers against the baseline
    book = openpyxl.load_workbook(io.BytesIO(_download(app_page, r"excel|workbook|xlsx|classeur", "Excel workbook")))
    assert tr("Scenarios", language) in book.sheetnames, book.sheetnames


def _download(page: Page, pattern: str, what: str, timeout_ms: float = DOWNLOAD_MS) -> bytes:
    """Click the first download button whose text matches `pattern` and return the file it downloads."""
    buttons = b.download_buttons(page, pattern)
    assert buttons.count(), f"no {what} download button on the page (label matching {pattern!r})"
    assert buttons.first.is_enabled(), f"the {what} button is disabled (no chromium for the server?)"
    with page.expect_download(timeout=timeout_ms) as info:
        buttons.first.click()
    path = info.value.path()
    assert path is not None
    return Path(path).read_bytes()


def test_a_chart_downloads_as_a_png_image(app_page: Page, app_url: str) -> None:
    b.open_app(app_page, app_url)
    data = _download(app_page, r"PNG\s*$", "chart PNG")  # the outlook chart's, first on the page
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.width >= 600 and image.height >= 300 and image.width > image.height, image.size


def test_the_workbook_downloads_and_opens_with_its_sheets(app_page: Page, app_url: str) -> None:
    b.open_app(app_page, app_url)
    b.open_tab(app_page, "Exports and snapshot")  # the outlook's exports, drawn when their tab is opened
    data = _download(app_page, r"excel|workbook|xlsx|classeur", "Excel workbook")
    assert zipfile.is_zipfile(io.BytesIO(data))
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert {"Forecast", "Summary", "KPIs", "Aging"} <= set(book.sheetnames), book.sheetnames  # one sheet a table
    first_week = next(book["Forecast"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert first_week[0] is not None and isinstance(first_week[1], int | float), first_week  # a date, then amounts


def test_the_board_pack_downloads_as_a_pdf_of_five_pages_or_more(app_page: Page, app_url: str) -> None:
    b.open_app(app_page, app_url)
    b.open_tab(app_page, "Exports and snapshot")
    data = _download(app_page, r"board.?pack|dossier", "board-pack PDF")
    assert data.startswith(b"%PDF-")
    pdf = pypdfium2.PdfDocument(data)
    assert len(pdf) >= 5
    image = pdf[1].render(scale=1).to_pil().convert("L")  # the cash outlook page, with its chart
    low, high = image.getextrema()
    assert image.width > 500 and high - low > 100, (image.size, low, high)  # drawn, not a blank page


def test_the_language_switch_turns_the_labels_french(app_page: Page, app_url: str) -> None:
    b.open_app(app_page, app_url)  # the default page: Cash outlook
    title = app_page.locator("[data-testid='stMain'] h1").first
    assert title.inner_text().strip() == "Cash outlook"
    b.switch_language(app_page, LANGUAGE_NAMES["fr"])
    assert title.inner_text().strip() == tr("Cash outlook", "fr") != "Cash outlook"
    labels = b.metric_tiles(app_page)
    assert tr("Opening cash", "fr") in labels and tr("Lowest point", "fr") in labels, labels
    sidebar = app_page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text(tr("As of", "fr"), exact=True).count() == 1
    b.switch_language(app_page, LANGUAGE_NAMES["en"])
    assert title.inner_text().strip() == "Cash outlook"
