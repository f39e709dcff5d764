"""Chart images: PNG, SVG and PDF bytes of a plotly figure through kaleido and Debian's chromium.

Kaleido's sync server (one headless chromium) is started once per process, on the first export, and
reused: an image then takes a fraction of a second instead of a browser start. Calls are serialised with a
lock because the server's queues are shared by every thread (Streamlit serves each session in its own).
`CHARTS` names the charts the CLI exports (`cashpilot export chart NAME`), each built from an `ExportSource`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import plotly.graph_objects as go

from forecasting.core import columns as C
from forecasting.core.errors import CashpilotError, InputError
from forecasting.kpis.base import OPEN_EUR, open_items
from forecasting.reports.charts.kpis import (
    aging_figure,
    debtors_figure,
    payables_due_by_week,
    payments_due_figure,
    rating_figure,
)
from forecasting.reports.charts.outlook import bfr_figure, flows_figure, outlook_figure
from forecasting.reports.charts.scenarios import compare_cash_figure
from forecasting.reports.source import ExportSource

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
DEFAULT_WIDTH = 1000  # px: a board-pack page's text width at about 140 dpi before scaling
PNG_SCALE = 2  # sharp on screens and in print
RENDER_TIMEOUT_S = 60

_lock = threading.Lock()
_started = False


class ExportError(CashpilotError):
    """An image cannot be drawn: no chromium, or the browser failed."""


@lru_cache(maxsize=1)
def _browser_path() -> str | None:
    """Return the chromium kaleido would use, None when there is none."""
    try:
        from choreographer.browsers.chromium import Chromium

        return Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - an unusual choreographer: let kaleido look for itself
        return "unknown"


def browser_available() -> bool:
    """Return True when a chromium is there to draw chart images."""
    return _browser_path() is not None


def start_server() -> None:
    """Start kaleido's export server once per process (a no-op when it runs already)."""
    global _started
    if _started:
        return
    import kaleido

    if _browser_path() is None:
        # Without a browser the server thread dies and every call would wait forever: refuse up front.
        raise ExportError("chart images need Chromium: install Debian's `chromium` package "
                          "(or set BROWSER_PATH to a Chrome/Chromium executable)")
    # No MathJax: it would be fetched from a CDN and the charts use no LaTeX.
    kaleido.start_sync_server(mathjax=False, timeout=RENDER_TIMEOUT_S, silence_warnings=True)
    _started = True


def stop_server() -> None:
    """Stop the export server (it is also stopped when the process exits)."""
    global _started
    import kaleido

    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def figure_bytes(fig: go.Figure, fmt: str = "png", width: int | None = None, height: int | None = None,
                 scale: float | None = None) -> bytes:
    """Return the figure drawn as PNG, SVG or PDF bytes (width in px, height from the figure unless given)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown image format '{fmt}': expected one of {', '.join(FORMATS)}")
    import kaleido

    opts = {"format": fmt, "width": int(width or fig.layout.width or DEFAULT_WIDTH),
            "height": int(height or fig.layout.height or 450), "scale": scale or (PNG_SCALE if fmt == "png" else 1)}
    spec = fig.to_dict()
    with _lock:
        start_server()
        try:
            return bytes(kaleido.calc_fig_sync(spec, opts=opts))
        except Exception as exc:  # kaleido raises its own and asyncio errors: show one message
            raise ExportError(f"the chart could not be drawn as {fmt.upper()}: {exc}") from exc


# --- the charts of an ExportSource ---------------------------------------------------------------
@dataclass(frozen=True)
class ChartSpec:
    """A chart the CLI can export: what it shows and how it is built."""

    title: str  # English source text, translated with tr()
    build: Callable[[ExportSource], go.Figure]
    needs_scenarios: bool = False


def _payables_due(src: ExportSource) -> go.Figure:
    """Return the supplier payments due by week with the forecast payments."""
    open_ = open_items(src.basis.payables)
    table = payables_due_by_week(open_[[C.DUE_DATE, OPEN_EUR]], src.as_of, src.horizon_weeks,
                                 forecast_weekly=src.projection.weekly)
    return payments_due_figure(table, lang=src.lang)


def _scenarios(src: ExportSource) -> go.Figure:
    """Return the expected closing cash of the baseline and of each scenario."""
    return compare_cash_figure(src.projection.weekly, {r.scenario_name: r.scenario.weekly for r in src.results},
                               lang=src.lang)


CHARTS: dict[str, ChartSpec] = {
    "outlook": ChartSpec("Cash outlook: closing cash by week with its likely range",
                         lambda s: outlook_figure(s.projection.weekly, s.projection.summary, lang=s.lang)),
    "flows": ChartSpec("Receipts and disbursements by week", lambda s: flows_figure(s.projection.weekly, lang=s.lang)),
    "bfr": ChartSpec("Working capital requirement (BFR) by week",
                     lambda s: bfr_figure(s.baseline.bfr, {r.scenario_name: r.bfr_scenario for r in s.results},
                                          lang=s.lang)),
    "aging": ChartSpec("Receivables aging", lambda s: aging_figure(s.aging, lang=s.lang)),
    "debtors": ChartSpec("Top 10 debtors by aging bucket", lambda s: debtors_figure(s.by_client, 10, lang=s.lang)),
    "ratings": ChartSpec("Encours by client rating", lambda s: rating_figure(s.scorecard, lang=s.lang)),
    "payables-aging": ChartSpec("Payables aging", lambda s: aging_figure(s.payables_aging, lang=s.lang,
                                                                           side=C.PAYABLE)),
    "payables-due": ChartSpec("Supplier payments due by week", _payables_due),
    "scenarios": ChartSpec("Scenarios: closing cash by week against the baseline", _scenarios, needs_scenarios=True),
}


def chart_figure(name: str, source: ExportSource) -> go.Figure:
    """Return the named chart of the source; an unknown name or a missing scenario is an InputError."""
    spec = CHARTS.get(name)
    if spec is None:
        raise InputError(f"unknown chart '{name}': the charts are {', '.join(CHARTS)}")
    if spec.needs_scenarios and not source.scenarios:
        raise InputError(f"the '{name}' chart compares scenarios: give at least one --scenario NAME")
    return spec.build(source)


def chart_bytes(name: str, source: ExportSource, fmt: str = "png") -> bytes:
    """Return the named chart of the source as PNG, SVG or PDF bytes."""
    return figure_bytes(chart_figure(name, source), fmt)
