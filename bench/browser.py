"""Benchmark: the dashboard in a real browser (headless Debian chromium) on the demo company (scale 1).

    python bench/browser.py                             # 3 cold-server loads, 7 warm-server loads, 5 lever changes
    python bench/browser.py --cold 1 --warm 5 --changes 5

(a) First page render: from the start of the navigation to the Cash outlook chart drawn (its first trace in the
    page), timed inside the page against the navigation start. Every load is a new browser context (no cookies,
    no HTTP cache, a new Streamlit session).
    - cold server: a server just started (`serve.py`, whose warm-up begins with it) and visited at once, as
      `make run` does: the visit waits for what the warm-up has not finished. Restarted before each load.
    - started server: the same, visited SETTLE_S seconds after the start (a shared server's first visitor:
      the warm-up has filled the caches, but no browser session has run yet).
    - warm server: the same server, its caches filled by an earlier load (what every later visitor gets).
(b) What-if lever change: on the What-if page, the collection-effort lever set to a new number of days (a new
    scenario each time, never computed before), then "Simulate": time from the click to the delta tiles showing
    the new figures, and to the end of the run (charts and tables drawn too). One change first as a warm-up.

Targets (issue 5): (a) <= 3 s, (b) <= 1 s. Prints a markdown table; figures go into bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from tests.e2e import browser as b  # noqa: E402

DEMO_TODAY = date(2026, 11, 23)
CHART_TRACE = ".st-key-outlook_chart .js-plotly-plot g.trace"  # the outlook chart has drawn a line (pages/widgets/chart.py)
TARGET_S = {"render": 3.0, "lever": 1.0}
SETTLE_S = 20.0  # the warm-up takes ~5 s on a quiet machine

# Records, in page time (ms since the navigation started), when the outlook chart first has a trace and when the
# first script run ended (what the server took, against what the browser took to draw).
CHART_CLOCK = f"""
window.__cpChartAt = null;
window.__cpRunEndAt = null;
let sawRunning = false;
new MutationObserver((records, observer) => {{
  const state = document.querySelector("[data-testid='stApp']")?.getAttribute('data-test-script-state');
  for (const r of records) if (r.attributeName === 'data-test-script-state' && r.oldValue === 'running') sawRunning = true;
  if (state === 'running') sawRunning = true;
  if (window.__cpRunEndAt === null && sawRunning && state === 'notRunning') window.__cpRunEndAt = performance.now();
  if (window.__cpChartAt === null && document.querySelector("{CHART_TRACE}")) window.__cpChartAt = performance.now();
  if (window.__cpChartAt !== null && window.__cpRunEndAt !== null) observer.disconnect();
}}).observe(document, {{childList: true, subtree: true, attributes: true, attributeOldValue: true}});
"""

# Clicks "Simulate" from inside the page and records when the delta tiles' text differs from what it was.
CLICK_AND_WATCH = """
() => new Promise((resolve, reject) => {
  const deltas = () => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetricDelta']")]
                       .map(e => e.innerText).join('|');
  const before = deltas();
  const button = document.querySelector("[data-testid='stForm'] [data-testid='stBaseButton-primaryFormSubmit']");
  let t0 = null;
  const observer = new MutationObserver(() => {
    const now = deltas();
    if (t0 !== null && now && now !== before) { observer.disconnect(); resolve([performance.now() - t0, before, now]); }
  });
  observer.observe(document.querySelector("[data-testid='stMain']"),
                   {childList: true, subtree: true, characterData: true});
  setTimeout(() => { observer.disconnect(); reject(new Error('the delta tiles did not change within 90 s')); }, 90000);
  t0 = performance.now();
  button.click();
})
"""


def _demo_db(folder: Path) -> Path:
    """Write the demo company (seed 42, scale 1, today 2026-11-23) to a new database and return its path."""
    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo
    from forecasting.store.database import Store

    path = folder / "demo.duckdb"
    Store(path).replace_all(Ledger.from_object(demo.generate(seed=42, scale=1.0, today=DEMO_TODAY)))
    return path


def _keep_forecast(db: Path) -> bool:
    """Fit the opening view's forecast once and keep it beside the database, as an earlier run would have.

    Every server start is then a restart on known data (the usual case); with CASHPILOT_FORECAST_CACHE=off each
    start fits the forecast afresh (a first start on new data). Returns whether a forecast is kept.
    """
    from forecasting.projection import cache as forecast_cache
    from forecasting.store.database import Store

    if not forecast_cache.enabled():
        return False
    forecast_cache.cached_prepare(Store(db).read_ledger(), date.today(), 13, forecast_cache.folder_for(db))
    return True


def _render_once(browser: Browser, url: str, context: BrowserContext | None = None) -> tuple[float, float]:
    """Return (seconds to the outlook chart drawn, seconds to the end of the script run), both from the navigation
    start, in a new browser context (or a new page of `context`: a new session with the browser's cache warm)."""
    page = b.new_page(browser) if context is None else context.new_page()
    try:
        page.add_init_script(CHART_CLOCK)
        page.goto(url, timeout=b.FIRST_RENDER_MS)
        page.wait_for_function("() => window.__cpChartAt !== null && window.__cpRunEndAt !== null",
                               timeout=b.FIRST_RENDER_MS)
        chart_ms, run_ms = page.evaluate("[window.__cpChartAt, window.__cpRunEndAt]")
        b.wait_idle(page)
        assert not b.problems(page), b.problems(page)
        return chart_ms / 1000, run_ms / 1000
    finally:
        (page.context if context is None else page).close()


def _lever_changes(page: Page, days: list[int]) -> list[tuple[float, float]]:
    """Return (seconds to new delta tiles, seconds to the end of the run) for each collection-effort change."""
    box = page.locator(".st-key-wi_ce_delay input")
    out = []
    for value in days:
        box.fill(str(value))
        box.press("Tab")  # the number input keeps its value in the form; nothing runs until Simulate
        before = b.finished_runs(page)
        start = time.perf_counter()
        tiles_ms, _, _ = page.evaluate(CLICK_AND_WATCH)
        b.wait_run_after(page, before)
        out.append((tiles_ms / 1000, time.perf_counter() - start))
        assert not b.problems(page), b.problems(page)
    return out


class Server:
    """A Streamlit server on the demo database, started and stopped by its process id."""

    ports: range | None = None  # --port: the first free port of this range (a shared machine), else any free one

    def __init__(self, db: Path, log: Path) -> None:
        self.port = b.free_port() if self.ports is None else b.free_port_in(self.ports)
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = b.start_server(db, self.port, self.log)
        b.wait_healthy(self.proc, self.port)
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        b.stop_server(self.proc)
        self.log.close()


def _first_visit(browser: Browser, db: Path, log: Path, after_s: float) -> tuple[float, float]:
    """Return `_render_once` on a server started for it and visited `after_s` seconds after the start."""
    server = Server(db, log)
    try:
        time.sleep(after_s)
        return _render_once(browser, server.url)
    finally:
        server.stop()


def _row(name: str, runs: list[tuple[float, float]], target: float, note: str) -> str:
    """Return one markdown row: median, min, max of the first figure, its target, and the second figure's median."""
    firsts = [r[0] for r in runs]
    med = statistics.median(firsts)
    met = "met" if med <= target else "**missed**"
    return (f"| {name} | {len(runs)} | {med:.2f} | {min(firsts):.2f} | {max(firsts):.2f} | ≤ {target:g} | {met} "
            f"| {statistics.median(r[1] for r in runs):.2f} | {note} |")


def main() -> int:
    """Measure and print the markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", type=int, default=3, help="loads on a freshly started server (restarted each time)")
    parser.add_argument("--settled", type=int, default=3, help=f"loads {SETTLE_S:g} s after a server start")
    parser.add_argument("--warm", type=int, default=7, help="loads on a server whose caches are filled")
    parser.add_argument("--changes", type=int, default=5, help="what-if lever changes timed (after one warm-up)")
    parser.add_argument("--port", type=int, default=None,
                        help="serve on the first free port of PORT..PORT+9 (default: any free port)")
    args = parser.parse_args()
    if args.port is not None:
        Server.ports = range(args.port, args.port + 10)

    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="cashpilot-bench-") as tmp, sync_playwright() as playwright:
        db = _demo_db(Path(tmp))
        kept = _keep_forecast(db)
        log = Path(tmp) / "server.log"
        browser = b.launch_browser(playwright)
        cold = [_first_visit(browser, db, log, 0.0) for _ in range(args.cold)]
        settled = [_first_visit(browser, db, log, SETTLE_S) for _ in range(args.settled)]
        server = Server(db, log)
        try:
            _render_once(browser, server.url)  # fills the server's caches
            warm = [_render_once(browser, server.url) for _ in range(args.warm)]
            returning = b.new_page(browser)  # one context: its HTTP cache holds the app's scripts after one visit
            returning.goto(server.url)
            b.wait_run_after(returning, 0, b.FIRST_RENDER_MS)
            cached = [_render_once(browser, server.url, returning.context) for _ in range(args.warm)]
            returning.context.close()
            page = b.new_page(browser)
            b.open_app(page, server.url.rstrip("/"), "whatif")
            days = [-5, -10, -15, -20, -25, -30, 5, 10, 15, 20][: args.changes + 1]
            changes = _lever_changes(page, days)[1:]  # the first change is the warm-up
            page.context.close()
        finally:
            server.stop()
        version = browser.version
        browser.close()
    load_end = os.getloadavg()

    print(f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python "
          f"{platform.python_version()}, chromium {version} (headless, Playwright, 1400×1000); load average "
          f"{load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end (other work on the machine counts).\n")
    print("| measurement | runs | median (s) | min (s) | max (s) | target (s) | median | then (median s) | conditions |")
    print("|---|---:|---:|---:|---:|---:|---|---:|---|")
    rows = []
    render_then = "then: script run ended (s from navigation)"
    if cold:
        rows.append(_row("first page render, cold server: navigation → outlook chart drawn", cold, TARGET_S["render"],
                         f"server started just before (its warm-up still running); "
                         f"{'forecast kept from an earlier run' if kept else 'no kept forecast (fitted at start)'}; "
                         f"new browser context; {render_then}"))
    if settled:
        rows.append(_row("first page render, first visit to a started server: navigation → outlook chart drawn",
                         settled, TARGET_S["render"], f"visited {SETTLE_S:g} s after the start (warm-up done, no "
                                                      f"session yet); new browser context; {render_then}"))
    rows.append(_row("first page render, warm server: navigation → outlook chart drawn", warm, TARGET_S["render"],
                     f"server caches warm (an earlier visit); new browser context each load (no HTTP cache); "
                     f"{render_then}"))
    rows.append(_row("first page render, warm server, returning browser", cached, TARGET_S["render"],
                     f"server caches warm; new session in a context that loaded the app once (scripts cached); "
                     f"{render_then}"))
    if changes:
        rows.append(_row("what-if lever change: Simulate → delta tiles show the new figures", changes,
                         TARGET_S["lever"], "model and baseline cached, each scenario new (computed on click); "
                                            "then: run ended, charts and tables drawn (s from click)"))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
