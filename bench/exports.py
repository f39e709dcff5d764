"""Benchmark: export build times at demo scale 1 (chart image, workbook, board pack), English and French.

    python bench/exports.py

The demo company (seed 42, today 2026-11-23) is generated in memory and the forecast prepared once, as the
dashboard has it cached; then, with kaleido's export server started once (its start is timed on its own):
- one chart image (outlook) as PNG, SVG and PDF, median of 5;
- the workbook with two scenarios (KPIs and scenario comparison computed inside, as on a click), median of 3;
- the board pack with two scenarios (seven charts drawn), median of 3.
A fresh ExportSource is built for each run so that KPIs and scenarios are recomputed as on a click.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
SCENARIOS = [
    {"name": "Collect 10 days faster", "levers": [{"type": "collection_effort", "scope": {"kind": "all"},
                                                   "delay_change_days": -10}]},
    {"name": "Suppliers at 75 days", "levers": [{"type": "supplier_terms", "scope": {"kind": "all"}, "terms": "net 75"}]},
]


def _median(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Return the median seconds of `runs` calls and the last result."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    """Print a markdown table of the export times."""
    sys.path.insert(0, str(ROOT))
    from datetime import date

    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo
    from forecasting.projection.forecast import prepare
    from forecasting.reports import images as export_charts
    from forecasting.reports.pdf import board_pack_bytes
    from forecasting.reports.source import ExportSource
    from forecasting.reports.xlsx import workbook_bytes
    from forecasting.scenarios.compare import Scenario, context_from_ledger

    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=date(2026, 11, 23)))
    cash, context = prepare(ledger, AS_OF, 13), context_from_ledger(ledger, AS_OF)
    scenarios = [Scenario.from_dict(raw) for raw in SCENARIOS]

    def source(lang: str) -> ExportSource:
        return ExportSource(ledger, AS_OF, 13, scenarios, lang=lang, cash=cash, context=context)

    t0 = time.perf_counter()
    fig = export_charts.chart_figure("outlook", source("en"))
    export_charts.figure_bytes(fig, "png")  # starts the server and draws once
    first_s = time.perf_counter() - t0
    rows = [("server start + first PNG (once per process)", first_s, "")]
    for fmt in export_charts.FORMATS:
        seconds, data = _median(lambda fmt=fmt: export_charts.figure_bytes(fig, fmt), 5)
        rows.append((f"outlook chart {fmt.upper()}", seconds, f"{len(data) / 1024:.0f} kB"))
    for lang in ("en", "fr"):
        seconds, data = _median(lambda lang=lang: workbook_bytes(source(lang)), 3)
        rows.append((f"workbook, 2 scenarios ({lang})", seconds, f"{len(data) / 1024:.0f} kB"))
        seconds, data = _median(lambda lang=lang: board_pack_bytes(source(lang)), 3)
        rows.append((f"board pack, 2 scenarios ({lang})", seconds, f"{len(data) / 1024:.0f} kB"))
    print(f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python "
          f"{platform.python_version()}. Demo company scale 1, seed 42, as of {AS_OF}, 13 weeks, forecast prepared "
          "beforehand (cached in the dashboard).\n")
    print("| export | seconds (median) | size |")
    print("|---|---:|---:|")
    for name, seconds, size in rows:
        print(f"| {name} | {seconds:.2f} | {size} |")
    export_charts.stop_server()
    return 0


if __name__ == "__main__":
    sys.exit(main())
