"""The board pack's pages on what each lever of a scenario brings (a waterfall for net cash and BFR, and its table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import pandas as pd
import plotly.graph_objects as go

from forecasting.i18n.formats import fmt_money
from forecasting.i18n.translate import tr
from forecasting.reports.charts.waterfall import lever_waterfall_figure
from forecasting.reports.source import ExportSource
from forecasting.reports.waterfall import (
    BFR,
    BFR_ALONE,
    KIND,
    NET_CASH,
    NET_CASH_ALONE,
    STEP,
    waterfall_frame,
)


class BoardPack(Protocol):
    """What these pages use of pdf.BoardPack (pdf.py calls them: importing it here would make a cycle)."""

    def add_page(self) -> None:
        """Start a page."""

    def heading(self, text: str) -> None:
        """Write a page heading."""

    def chart(self, fig: go.Figure, height_px: int | None = None) -> None:
        """Draw a figure across the text width."""

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             align: Sequence[str], size: float = 8.0) -> None:
        """Draw a table."""

    def caption(self, text: str) -> None:
        """Write a small grey paragraph."""


def money_text(value: float | None, lang: str, signed: bool = False) -> str:
    """Return an amount in euros ('—' when missing), '+' shown for a positive difference when `signed`."""
    if value is None:
        return "—"
    text = fmt_money(value, lang)
    return ("+" + text) if signed and float(value) > 0 else text


def waterfall_pages(pdf: BoardPack, src: ExportSource) -> None:
    """Draw, for each scenario of several levers, what each lever brings to net cash and BFR at the horizon."""
    lang = src.lang
    for fall in src.waterfalls:
        pdf.add_page()
        pdf.heading(tr("{name}: the effect of each lever", lang, name=fall.scenario_name))
        for measure in ("net_cash", "bfr"):
            pdf.chart(lever_waterfall_figure(fall, measure, lang=lang), 300)
        frame = waterfall_frame(fall, lang)
        rows = [[str(row[STEP]), money_text(row[NET_CASH], lang, row[KIND] == "lever"),
                 money_text(row[NET_CASH_ALONE], lang, True), money_text(row[BFR], lang, row[KIND] == "lever"),
                 money_text(row[BFR_ALONE], lang, True)] for row in _records(frame)]
        headings = [tr("Step", lang), tr("Net cash at horizon (expected)", lang), tr("Lever alone", lang),
                    tr("BFR at horizon", lang), tr("Lever alone", lang)]
        pdf.grid(headings, rows, (58.0, 30.0, 30.0, 30.0, 30.0), ("LEFT",) + ("RIGHT",) * 4, size=7.5)
        pdf.caption(tr("Levers apply in a fixed order (volumes, terms, collection, discounts, factoring, flows); each "
                       "bar is what a lever adds to those before it, so the bars add up to the scenario. Levers "
                       "interact: the interaction (total minus the levers alone) is {cash} on net cash and {bfr} on "
                       "BFR.", lang, cash=money_text(fall.net_cash_interaction_eur, lang, True),
                       bfr=money_text(fall.bfr_interaction_eur, lang, True)))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a frame's rows as dicts with missing values as None."""
    return [{str(k): (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]
