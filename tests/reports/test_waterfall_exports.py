"""The effect of each lever in the workbook and the board pack: same figures as the comparison, bars adding up."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from forecasting.reports.pdf import board_pack_bytes
from forecasting.reports.source import ExportSource
from forecasting.reports.xlsx import workbook_bytes
from forecasting.scenarios.compare import Scenario
from forecasting.store.database import Store

PLAN = {"name": "Plan", "levers": [
    {"type": "collection_effort", "delay_change_days": -10},
    {"type": "supplier_terms", "delay_change_days": 15},
    {"type": "one_off_flow", "date": "2026-12-15", "amount": -100000, "label": "press", "category": "capex"}]}
ONE_LEVER = {"name": "Alone", "levers": [{"type": "supplier_terms", "delay_change_days": 15}]}


@pytest.fixture(scope="module")
def source(demo_db: Path) -> ExportSource:
    """Return the English export of the demo with a three-lever and a one-lever scenario."""
    return ExportSource(Store(demo_db).read_ledger(), date(2026, 11, 23), 13,
                        [Scenario.from_dict(PLAN), Scenario.from_dict(ONE_LEVER)], lang="en")


def test_the_workbook_lists_each_lever_of_each_scenario_of_several_levers(source: ExportSource) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(source)))
    rows = list(book["Effect of each lever"].iter_rows(values_only=True))
    assert rows[0] == ("Scenario", "Step", "Net cash at horizon (expected)", "Lever alone", "BFR at horizon",
                       "Lever alone")
    body = rows[1:]
    assert {r[0] for r in body} == {"Plan"}  # one lever is its own total: no waterfall
    assert [r[1] for r in body] == ["Baseline", "Supplier terms", "Collection effort", "One-off flow", "Scenario"]
    result = source.results[0]
    assert body[0][2] == pytest.approx(result.kpis_baseline["net_cash_at_horizon"])
    assert body[-1][2] == pytest.approx(result.kpis_scenario["net_cash_at_horizon"])
    assert body[0][2] + sum(r[2] for r in body[1:-1]) == pytest.approx(body[-1][2])
    assert body[0][4] + sum(r[4] for r in body[1:-1]) == pytest.approx(body[-1][4])
    assert body[3][2] == pytest.approx(-100_000) and body[3][4] == pytest.approx(0)  # the press: cash, not BFR
    assert body[0][3] is None and body[1][3] is not None


def test_the_board_pack_has_a_page_of_lever_effects(source: ExportSource) -> None:
    doc = pdfium.PdfDocument(board_pack_bytes(source))
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    (page,) = [t for t in texts if "Plan: the effect of each lever" in t]
    assert "One-off flow" in page and "Lever alone" in page and "interaction" in page
    assert not any("Alone: the effect of each lever" in t for t in texts)
