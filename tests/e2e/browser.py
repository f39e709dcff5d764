"""Drive the dashboard in a real browser: start Streamlit on a database, launch Debian's chromium, wait for runs.

Shared by the browser tests (tests/e2e) and the browser benchmark (bench/browser.py). Streamlit publishes its
state on the root element (`data-test-script-state`: initial -> running -> notRunning on every run); a script
injected in every page records those transitions, so a wait can ask for "a run that started after my click has
finished" instead of sleeping or racing a rerun that has not begun yet.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from playwright.sync_api import Browser, Locator, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CASHPILOT_CHROMIUM", "/usr/bin/chromium")  # Debian's; no browser download
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"  # screenshots and server logs (git-ignored)

FIRST_RENDER_MS = 120_000  # a cold server fits the behaviour model on the first page: slow on a busy 2-CPU box
RUN_MS = 90_000  # any later run (navigation, lever change, export built on click)

APP = "[data-testid='stApp']"
EXCEPTION = "[data-testid='stException']"
ERROR_ALERT = "[data-testid='stAlertContentError']"
MESSAGE = "[data-testid='stMarkdownContainer']"
NAV_LINK = "[data-testid='stSidebarNavLink']"
SIMULATE = "[data-testid='stForm'] [data-testid='stBaseButton-primaryFormSubmit']"  # What-if's form button
CHART = ".cashpilot-chart"  # pages/widgets/chart.py: every chart is drawn in one of these (Plotly's basic bundle)
CHART_HOST = ".stBidiComponent"  # Streamlit's element around it, there before the chart's script has run
# Each chart of the page: its key (the st-key-… class of its element), the state its script reports (null before
# the script has run, then drawing, drawn or failed), the traces drawn, its problem text and its drawn width in px.
CHARTS = f"""
() => [...document.querySelectorAll("{CHART_HOST}")].map(host => {{
  const chart = host.querySelector("{CHART}");
  const key = [...(host.closest("[class*='st-key-']")?.classList || [])].find(c => c.startsWith('st-key-'));
  return {{key: key ? key.slice(7) : null, state: chart?.dataset.state || null,
           traces: chart ? chart.querySelectorAll('g.trace').length : 0,
           problem: chart?.dataset.state === 'failed' ? chart.innerText : null,
           width: chart?.querySelector('.main-svg')?.getAttribute('width') || null}};
}})
"""
# An error banner that reports a failure rather than a business alert (cash below zero, credit limit ...).
FAILURE_WORDS = re.compile(r"\b(error|erreur|exception|traceback)\b", re.IGNORECASE)

# Counts the runs that reached their end (running ... -> notRunning) on this page since it was loaded.
RUN_RECORDER = """
window.__cpFinishedRuns = 0;
window.__cpRunning = false;
new MutationObserver((records) => {
  for (const r of records) {
    const now = r.target.getAttribute('data-test-script-state');
    if (now === 'running' || r.oldValue === 'running') window.__cpRunning = true;
    if ((now === 'notRunning' || now === 'compilationError') && window.__cpRunning) {
      window.__cpRunning = false;
      window.__cpFinishedRuns++;
    }
  }
}).observe(document, {attributes: true, subtree: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""


# --- the server ----------------------------------------------------------------------------------
def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port_in(ports: Iterable[int]) -> int:
    """Return the first free port of `ports` (a suite's own range), or any free one when they are all taken."""
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


def start_server(db: Path, port: int, log: IO[bytes] | None = None,
                 env: Mapping[str, str] | None = None, options: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
    """Start `streamlit run serve.py` (app.py, warmed at start) from the repository root on `db` (English by default),
    with Streamlit's command-line `options` added (e.g. --secrets.files), and return the process."""
    full_env = {**os.environ, "CASHPILOT_DB": str(db), "CASHPILOT_LANG": "en", **(env or {})}
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *options]
    return subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)


def wait_healthy(server: subprocess.Popen[bytes], port: int, timeout_s: float = 120) -> None:
    """Return once the server answers its health check; raise if it died or stayed silent."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().decode() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on port {port} within {timeout_s:.0f} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server we started, by its process id."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


@contextmanager
def served(db: Path, port: int, log_name: str, env: Mapping[str, str] | None = None,
           options: tuple[str, ...] = ()) -> Iterator[str]:
    """Serve `db` on `port` (its output in artifacts/`log_name`) and yield the address; stop the server after."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / log_name, "wb") as log:
        server = start_server(db, port, log, env, options)
        try:
            wait_healthy(server, port)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_server(server)


# --- the browser ---------------------------------------------------------------------------------
def launch_browser(playwright: Playwright) -> Browser:
    """Return headless Debian chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no chromium at {CHROMIUM}: run .ci/run (it installs Debian's chromium) "
                           "or set CASHPILOT_CHROMIUM")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=["--disable-dev-shm-usage", "--no-sandbox"])


def new_page(browser: Browser, width: int = 1400, height: int = 1000) -> Page:
    """Return a page in a new context (no cookies, no session) that records Streamlit's runs."""
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True,
                                  locale="en-GB")
    context.add_init_script(RUN_RECORDER)
    return context.new_page()


def finished_runs(page: Page) -> int:
    """Return how many script runs have finished since the page was loaded."""
    return int(page.evaluate("window.__cpFinishedRuns || 0"))


def wait_idle(page: Page, timeout_ms: float = RUN_MS) -> None:
    """Wait until the app is connected, no script run is going on, no element is still a skeleton and every chart
    has drawn its figure (or failed to)."""
    page.locator(f"{APP}[data-test-connection-state='CONNECTED']").wait_for(state="attached", timeout=timeout_ms)
    page.wait_for_function(
        f"""() => {{
             const app = document.querySelector("[data-testid='stApp']");
             return app && app.getAttribute('data-test-script-state') === 'notRunning'
                    && !document.querySelector("[data-testid='stSkeleton']")
                    && ({CHARTS})().every(c => c.state === 'drawn' || c.state === 'failed');
           }}""", timeout=timeout_ms)


def charts(page: Page) -> list[dict[str, object]]:
    """Return each chart of the page: key, state, traces drawn, problem text, drawn width (px)."""
    return list(page.evaluate(CHARTS))


def wait_run_after(page: Page, runs_before: int, timeout_ms: float = RUN_MS) -> None:
    """Wait until a run that started after `runs_before` runs had finished has finished too, and the app is idle."""
    page.wait_for_function(f"() => (window.__cpFinishedRuns || 0) > {runs_before}", timeout=timeout_ms)
    wait_idle(page, timeout_ms)


def click_and_wait(page: Page, target: Locator, timeout_ms: float = RUN_MS) -> None:
    """Click `target` and wait until the script run the click starts has finished and the app is idle."""
    before = finished_runs(page)
    target.click()
    wait_run_after(page, before, timeout_ms)


def open_app(page: Page, base_url: str, path: str = "", timeout_ms: float = FIRST_RENDER_MS) -> None:
    """Load the app (at a page's url path) and wait for its first run to finish."""
    page.goto(f"{base_url}/{path}", timeout=timeout_ms)
    wait_run_after(page, 0, timeout_ms)


def nav_links(page: Page) -> list[tuple[str, str]]:
    """Return (title, href) of every page in the sidebar navigation, expanding it when it is collapsed."""
    more = page.locator("[data-testid='stSidebarNavViewButton']")
    if more.count() and "more" in more.inner_text().lower():
        more.click()
    links = page.locator(NAV_LINK)
    links.first.wait_for(timeout=RUN_MS)
    return [(str(a.locator("span[label]").get_attribute("label")), str(a.get_attribute("href")))
            for a in links.all()]


def go_to(page: Page, href: str, timeout_ms: float = RUN_MS) -> None:
    """Follow a sidebar link in the same session and wait for the page's run to finish."""
    current = page.locator(f"{NAV_LINK}[href='{href}'][aria-current='page']")
    if current.count():  # already there: following the link would not run the page again
        wait_idle(page, timeout_ms)
        return
    before = finished_runs(page)
    page.locator(f"{NAV_LINK}[href='{href}']").click()
    current.wait_for(timeout=timeout_ms)
    wait_run_after(page, before, timeout_ms)


def open_tab(page: Page, label: str, timeout_ms: float = RUN_MS) -> None:
    """Click the main area's tab `label` and wait for the run it starts (a tab drawn on demand: st.tabs with
    on_change='rerun', as the Cash outlook's)."""
    tab = page.locator("[data-testid='stMain']").get_by_role("tab", name=label, exact=True)
    if tab.get_attribute("aria-selected") == "true":  # already open: a click would not run the page
        return
    click_and_wait(page, tab, timeout_ms)


def switch_language(page: Page, language_name: str, timeout_ms: float = RUN_MS) -> None:
    """Choose a language ('Français', 'English') in the sidebar switch and wait for the page to run again."""
    option = page.locator(".st-key-lang label").filter(has_text=language_name)
    if option.locator("input").is_checked():
        return
    before = finished_runs(page)
    option.click()
    wait_run_after(page, before, timeout_ms)


def problems(page: Page) -> list[str]:
    """Return what went wrong on the page: exceptions shown, error banners that report a failure, charts not drawn."""
    found = [f"exception: {e.inner_text()[:500]}" for e in page.locator(EXCEPTION).all()]
    banners = page.locator(f"{ERROR_ALERT}:not({EXCEPTION} *)")  # an exception box holds an error alert too
    # The words are looked for in the banner's message, not its icon (Material's "error" ligature is text too):
    # the cash alert is an error banner that reports the forecast, not a failure of the page.
    messages = (" ".join(e.locator(MESSAGE).all_inner_texts()) for e in banners.all())
    found += [f"error banner: {text[:500]}" for text in messages if FAILURE_WORDS.search(text)]
    found += [f"chart {c['key']}: {c['state']}, {c['traces']} traces drawn {c['problem'] or ''}".strip()
              for c in charts(page) if c["state"] != "drawn" or not c["traces"]]
    return found


# What the page shows cut short. A text is cut when its element clips it (an ellipsis, or overflow hidden) and is
# narrower than the text (scrollWidth > clientWidth): metric labels and values, widget labels, tabs, buttons,
# headings, captions; a tab bar scrolling its tabs. A chart's title is cut when it runs past its chart (SVG text: the figure's width cuts it).
# st.dataframe draws its grid on a canvas: its columns (title, width in px) and shown cells (displayData, as
# formatted) are read from the grid's React props, and each text is measured with the grid's own fonts and padding. A summary table of SMALL_TABLE columns or fewer must show them all (no horizontal scroll).
SMALL_TABLE = 5
CUTS = r"""
async () => {
  await document.fonts.ready;
  const out = [];
  const root = document.querySelector("[data-testid='stApp']");
  const SKIP = ["stDataFrame", "stSidebarNav", "stSidebarCollapsedControl", "stToolbar", "stHeader"]
    .map(id => `[data-testid='${id}']`).concat([".cashpilot-chart", ".stBidiComponent"]).join(", ");
  const label = el => {
    const t = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ');
    return t.slice(0, 80);
  };
  const where = el => {
    const ids = [];
    for (let e = el.closest('[data-testid]'); e && ids.length < 2; e = e.parentElement?.closest('[data-testid]')) {
      const id = e.getAttribute('data-testid');
      if (id !== 'stMarkdownContainer' && !ids.includes(id)) ids.push(id);
    }
    return ids.join(' < ') || el.tagName.toLowerCase();
  };
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const el of root.querySelectorAll('*')) {
    if (el.closest(SKIP)) continue;  // the grid is measured below; charts and Streamlit's chrome are not ours
    if (!el.textContent || !el.textContent.trim()) continue;
    if (!visible(el) || el.clientWidth <= 1) continue;  // hidden, or visually hidden for screen readers
    const cs = getComputedStyle(el);
    const clipsX = cs.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(cs.overflowX);
    const clipsY = cs.webkitLineClamp !== 'none' && cs.webkitLineClamp || ['hidden', 'clip'].includes(cs.overflowY);
    if (clipsX && el.scrollWidth > el.clientWidth + 1)
      out.push({kind: 'text', where: where(el), text: label(el), need: el.scrollWidth, has: el.clientWidth});
    else if (clipsY && el.scrollHeight > el.clientHeight + 2 && cs.whiteSpace !== 'nowrap')
      out.push({kind: 'text (rows)', where: where(el), text: label(el), need: el.scrollHeight, has: el.clientHeight});
  }
  // A tab bar wider than its room scrolls: the last tabs are hidden behind arrows, a cut a user would have to hunt.
  for (const list of root.querySelectorAll("[role='tablist']")) {
    if (visible(list) && list.scrollWidth > list.clientWidth + 1)
      out.push({kind: 'tabs behind a scroll', where: where(list), text: label(list), need: list.scrollWidth,
                has: list.clientWidth});
  }
  // A chart's title is SVG text, which neither wraps nor clips itself: the figure's own width cuts it.
  for (const chart of root.querySelectorAll('.cashpilot-chart, .js-plotly-plot')) {
    const title = chart.querySelector('.gtitle');
    if (!title || !visible(chart) || !title.textContent.trim()) continue;
    const box = chart.getBoundingClientRect(), text = title.getBoundingClientRect();
    const where = chart.closest("[class*='st-key-']")?.className.match(/st-key-\S+/)?.[0] || 'chart';
    if (text.right > box.right + 1 || text.left < box.left - 1)
      out.push({kind: 'chart title', where, text: title.textContent.trim().slice(0, 100),
                need: Math.ceil(text.right - box.left), has: Math.floor(box.width)});
    // The legend placed under the plot must not sit on the x axis's labels or title.
    const legend = chart.querySelector('.legend');
    const spot = legend && legend.getBoundingClientRect();
    for (const axis of chart.querySelectorAll('.g-xtitle text, .xtick text')) {
      const r = axis.getBoundingClientRect();
      if (!spot || !r.width || !axis.textContent.trim()) continue;
      if (r.right > spot.left && r.left < spot.right && r.bottom > spot.top + 1 && r.top < spot.bottom - 1) {
        out.push({kind: 'x axis text under the legend', where, text: axis.textContent.trim().slice(0, 100),
                  need: Math.ceil(r.bottom - box.top), has: Math.floor(spot.top - box.top)});
        break;
      }
    }
    // Plotly's toolbar shows over the chart's top right corner on hover: a title running under it is hidden then.
    const bar = chart.querySelector('.modebar');
    const tools = bar && bar.getBoundingClientRect();
    if (tools && tools.width > 0 && text.right > tools.left + 1 && text.top < tools.bottom && text.bottom > tools.top)
      out.push({kind: 'chart title under the toolbar', where, text: title.textContent.trim().slice(0, 100),
                need: Math.ceil(text.right - box.left), has: Math.floor(tools.left - box.left)});
  }
  // st.dataframe: the grid's props (columns with their width, cells as shown) from the React fiber of its canvas.
  const ctx = document.createElement('canvas').getContext('2d');
  for (const frame of root.querySelectorAll("[data-testid='stDataFrame']")) {
    const cv = frame.querySelector("canvas[data-testid='data-grid-canvas']");
    if (!cv || !visible(cv)) continue;
    const grid = frame.querySelector('.stDataFrameGlideDataEditor');
    const css = getComputedStyle(grid);
    const family = css.getPropertyValue('--gdg-font-family').trim();
    const headerFont = css.getPropertyValue('--gdg-header-font-style').trim() + ' ' + family;
    const baseFont = css.getPropertyValue('--gdg-base-font-style').trim() + ' ' + family;
    const pad = parseFloat(css.getPropertyValue('--gdg-cell-horizontal-padding')) || 8;
    const key = Object.keys(cv).find(k => k.startsWith('__reactFiber'));
    let f = cv[key], cols = null, props = null;
    for (let i = 0; f && i < 30 && !props; i++, f = f.return) {
      const p = f.memoizedProps;
      if (p && Array.isArray(p.columns) && p.columns.length && 'width' in p.columns[0]
          && typeof p.getCellContent === 'function') { props = p; cols = p.columns; }
    }
    if (!cols) { out.push({kind: 'grid', where: 'stDataFrame', text: 'columns not found', need: 0, has: 0}); continue; }
    ctx.font = headerFont;
    cols.forEach(c => {
      const need = Math.ceil(ctx.measureText(String(c.title)).width + 2 * pad);
      if (need > c.width) out.push({kind: 'column header', where: 'stDataFrame', text: String(c.title), need, has: c.width});
    });
    ctx.font = baseFont;
    const rows = Math.min(Number(props.rows) || 0, 60);
    cols.forEach((c, i) => {
      for (let r = 0; r < rows; r++) {
        const cell = props.getCellContent([i, r]);
        const t = typeof cell?.displayData === 'string' ? cell.displayData.trim() : '';
        if (!t) continue;
        const need = Math.ceil(ctx.measureText(t).width + 2 * pad);
        if (need > c.width) { out.push({kind: 'cell', where: 'stDataFrame ' + String(c.title), text: t, need, has: c.width}); break; }
      }
    });
    const total = cols.reduce((s, c) => s + c.width, 0);
    if (total > cv.clientWidth + 2)
      out.push({kind: 'columns behind a scroll', where: 'stDataFrame', columns: cols.length,
                text: cols.map(c => c.title).join(' | ').slice(0, 120), need: total, has: cv.clientWidth});
  }
  return out;
}
"""


def cut_texts(page: Page) -> list[dict[str, object]]:
    """Return what the page shows cut: kind, where (test ids), text, width needed and width given (px)."""
    found = page.evaluate(CUTS)
    return [c for c in found if c["kind"] != "columns behind a scroll" or int(c["columns"]) <= SMALL_TABLE]


def page_screenshot_path(language: str, number: int, href: str) -> Path:
    """Return where the full-page screenshot of a navigation page is kept: {language}-{position}-{url path}.png."""
    path = re.sub(r"^https?://[^/]+/?", "", href).strip("/") or "default"
    return ARTIFACTS / f"{language}-{number}-{path}.png"


def clear_page_screenshots(language: str) -> None:
    """Remove a language's page screenshots, so that those left are the current navigation's (a page moved or
    renamed leaves no stale file behind)."""
    for old in ARTIFACTS.glob(f"{language}-[0-9]*-*.png"):
        old.unlink()


def screenshot(page: Page, path: Path) -> Path:
    """Save the whole page (Streamlit scrolls inside stMain, so the viewport is stretched to its height)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1400, "height": 1000}
    height = int(page.evaluate(
        "Math.max(document.querySelector(\"[data-testid='stMain']\")?.scrollHeight || 0, window.innerHeight)"))
    page.set_viewport_size({"width": size["width"], "height": min(height, 20_000)})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


def metric_tiles(page: Page) -> dict[str, tuple[str, str]]:
    """Return the metric tiles of the main area: label -> (value, delta) as shown."""
    tiles = {}
    for tile in page.locator("[data-testid='stMain'] [data-testid='stMetric']").all():
        label = tile.locator("[data-testid='stMetricLabel']").inner_text().strip()
        delta = tile.locator("[data-testid='stMetricDelta']")
        tiles[label] = (tile.locator("[data-testid='stMetricValue']").inner_text().strip(),
                        delta.inner_text().strip() if delta.count() else "")
    return tiles


def metric_look(page: Page, label: str) -> tuple[str, str]:
    """Return how the main area's tile `label` draws its change: its arrow ('up', 'down' or 'off') and the hue of
    its text as the browser computed it ('green', 'red' or 'gray')."""
    tile = page.locator("[data-testid='stMain'] [data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)).first
    delta = tile.locator("[data-testid='stMetricDelta']")
    arrow = ("up" if delta.locator("[data-testid='stMetricDeltaIcon-Up']").count()
             else "down" if delta.locator("[data-testid='stMetricDeltaIcon-Down']").count() else "off")
    red, green, _blue = (int(v) for v in re.findall(r"\d+", delta.evaluate("e => getComputedStyle(e).color"))[:3])
    hue = "green" if green > red + 40 else "red" if red > green + 40 else "gray"
    return arrow, hue


def slug(text: str) -> str:
    """Return a file-name-safe version of a title ('Prévision' -> 'prevision')."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "page"


def download_buttons(page: Page, pattern: str) -> Locator:
    """Return the download buttons of the main area whose text matches a regular expression (any case).

    The text includes the icon's ligature with no space ('downloadPNG'): anchor patterns at the end, not on \\b.
    """
    return page.locator("[data-testid='stMain'] [data-testid='stDownloadButton'] button").filter(
        has_text=re.compile(pattern, re.IGNORECASE))
