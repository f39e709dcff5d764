"""Download buttons for the pages: chart images, the Excel workbook and the board-pack PDF.

A helper module, not a page (app.py does not register it). Every button is given a callable, so the file
is built only when clicked, on Streamlit's download thread, and clicking does not rerun the page. The
export source reuses the page's cached forecast (no second fit).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from forecasting.reports.csv_tables import table_csv
from forecasting.reports.images import FORMATS, MEDIA_TYPES, browser_available, figure_bytes
from forecasting.reports.source import ExportSource, last_import_of
from forecasting.scenarios.compare import Scenario, ScenarioSettings
from forecasting.store.snapshots import all_snapshots, read_movements
from pages.widgets.common import _, cached_cash, data_key, get_store, lang, ledger_at

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SourceFactory = Callable[[], ExportSource]


def _image(fig: go.Figure, fmt: str) -> Callable[[], bytes]:
    """Return a callable drawing the figure in one format when the download is asked for."""
    return lambda: figure_bytes(fig, fmt)


def chart_downloads(fig: go.Figure, name: str) -> None:
    """Draw PNG, SVG and PDF download buttons for a figure, in a row under it (disabled without chromium)."""
    available = browser_available()
    tip = None if available else _("Chart images need Chromium on the server (Debian package chromium)")
    with st.container(horizontal=True, gap="small", key=f"dl_{name}"):
        for fmt in FORMATS:
            st.download_button(fmt.upper(), data=_image(fig, fmt), file_name=f"{name}.{fmt}",
                               mime=MEDIA_TYPES[fmt], key=f"dl_{name}_{fmt}", on_click="ignore",
                               icon=":material/download:", type="tertiary", disabled=not available,
                               help=tip or _("Download this chart as {fmt}", fmt=fmt.upper()))


def table_download(frame: pd.DataFrame, name: str, key: str, labels: Mapping[str, str] | None = None) -> None:
    """Draw a button downloading a whole table as CSV in the chosen language's conventions (built on click)."""
    language = lang()
    st.download_button(_("Full list (CSV)"), data=lambda: table_csv(frame, language, labels), file_name=f"{name}.csv",
                       mime="text/csv", key=key, on_click="ignore", icon=":material/download:", type="tertiary",
                       help=_("Every row of this table, for a spreadsheet"))


def export_source(as_of: date, horizon_weeks: int, scenarios: Sequence[Scenario] = (),
                  settings: ScenarioSettings | None = None) -> SourceFactory:
    """Return a factory of the export source of the current data, in the chosen language."""
    path, fingerprint = data_key()
    cash, context = cached_cash(as_of, horizon_weeks)
    language, store = lang(), get_store()
    chosen = tuple(scenarios)

    def make() -> ExportSource:
        # The ledger is read from the cache on click, not on every run of the page: a cached ledger is a copy
        # (30-50 ms), and the opening page's charts are drawn only once its run has ended.
        return ExportSource(ledger_at(path, fingerprint), as_of, horizon_weeks, chosen, lang=language, settings=settings, cash=cash,
                            context=context, last_import=last_import_of(store), movements=read_movements(store),
                            snapshots=all_snapshots(store))

    return make


def workbook_download(make_source: SourceFactory, as_of: date, key: str) -> None:
    """Draw the button downloading the Excel workbook (forecast, summary, KPIs, aging, scenarios)."""
    st.download_button(_("Excel workbook"), data=lambda: _workbook(make_source),
                       file_name=f"cashpilot-{as_of:%Y-%m-%d}.xlsx", mime=XLSX_MEDIA_TYPE, key=key,
                       on_click="ignore", icon=":material/table_view:",
                       help=_("The forecast, the KPIs and the scenario comparison, one sheet per table"))


def board_pack_download(make_source: SourceFactory, as_of: date, key: str) -> None:
    """Draw the button downloading the board-pack PDF."""
    available = browser_available()
    st.download_button(_("Board pack (PDF)"), data=lambda: _board_pack(make_source),
                       file_name=f"board-pack-{as_of:%Y-%m-%d}.pdf", mime="application/pdf", key=key,
                       on_click="ignore", icon=":material/picture_as_pdf:", type="primary", disabled=not available,
                       help=_("Cover, cash outlook, BFR and KPIs, scenarios, aging and notes, ready to print")
                       if available else _("Chart images need Chromium on the server (Debian package chromium)"))


def _workbook(make_source: SourceFactory) -> bytes:
    """Return the workbook bytes (runs on click)."""
    from forecasting.reports.xlsx import workbook_bytes

    return workbook_bytes(make_source())


def _board_pack(make_source: SourceFactory) -> bytes:
    """Return the board-pack bytes (runs on click)."""
    from forecasting.reports.pdf import board_pack_bytes

    return board_pack_bytes(make_source())
