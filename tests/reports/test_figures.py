"""One definition per headline figure (issue 17): hand-checked values and statistics, then the same names and values
in every output of the demo company (CLI JSON, workbook, board pack cover and scenario page, What-if baseline)."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pypdfium2 as pdfium
import pytest

from forecasting.cli.main import main
from forecasting.core import columns as C
from forecasting.i18n.formats import fmt_date, fmt_money
from forecasting.kpis.base import KpiSettings, kpi_basis
from forecasting.reports.figures import EXPECTED, KNOWN, cash_figures, figures_json, ledger_figures
from forecasting.reports.pdf import board_pack_bytes, pdf_text
from forecasting.reports.source import ExportSource
from forecasting.reports.xlsx import workbook_bytes
from forecasting.scenarios.compare import Scenario
from forecasting.store.database import Store
from tests.fixtures.handmade import invoice, make_ledger
from tests.fixtures.summaries import projection_summary

AS_OF = date(2026, 3, 31)


def _ledger() -> Any:
    """Receivables at 31 Mar 2026: EUR 1 000 overdue, USD 1 000 at 0.90, a credit note of 200, EUR 400 paid in April,
    EUR 500 written off; one supplier invoice of 700 open."""
    receivables = [
        invoice("r1", "alpha", "2026-02-08", "2026-03-10", 1000),  # 21 days overdue
        invoice("r2", "beta", "2026-03-21", "2026-04-20", 1000, currency="USD"),  # not due: 900 EUR
        invoice("r3", "alpha", "2026-03-20", "2026-04-30", -200),  # credit note, not due
        invoice("r4", "gamma", "2026-02-23", "2026-03-25", 400, paid="2026-04-05"),  # paid after as-of: open then
        {**invoice("r5", "delta", "2025-09-01", "2025-10-01", 500), C.STATUS: "written_off"},
    ]
    payables = [invoice("p1", "supp", "2026-03-01", "2026-03-31", 700, side=C.PAYABLE)]
    fx = [{C.CURRENCY: "USD", C.RATE_DATE: pd.Timestamp("2026-03-01"), C.RATE: 0.9}]
    return make_ledger(receivables, payables, fx_rates=fx)


def test_ledger_figures_are_settled_at_as_of_in_euros_without_write_offs() -> None:
    figures = ledger_figures(kpi_basis(_ledger(), AS_OF, KpiSettings()), KpiSettings())
    # 1 000 + 900 (USD 1 000 at 0.90, where the Overview used to add 1 000 "as stored") − 200 + 400; r5 written off
    assert figures.open_receivables.value == pytest.approx(2100.0)
    assert figures.open_receivables_count == 4
    assert figures.overdue_receivables.value == pytest.approx(1400.0)  # r1 and r4
    assert figures.open_payables.value == pytest.approx(700.0)
    assert figures.bfr.value == pytest.approx(1400.0)  # no inventory: 2 100 − 700
    assert {f.statistic for f in figures.items()} == {KNOWN}
    assert str(figures.open_receivables.label) == "Open receivables"
    assert "written-off invoices left out" in str(figures.open_receivables.help)
    assert figures.open_receivables.help.in_language("fr") != str(figures.open_receivables.help)  # translated


def test_cash_figures_name_their_statistic_and_carry_the_range() -> None:
    summary = projection_summary(net_cash_at_horizon=1100.0, net_cash_at_horizon_p10=900.0,
                                 net_cash_at_horizon_p90=1300.0, min_cash=-50.0,
                                 min_cash_date=pd.Timestamp("2026-12-01"), first_shortfall_date=pd.Timestamp("2026-11-30"))
    figures = cash_figures(summary)
    assert (str(figures.net_cash_at_horizon.label), figures.net_cash_at_horizon.value) == (
        "Net cash at horizon (expected)", 1100.0)
    assert (figures.net_cash_at_horizon.p10, figures.net_cash_at_horizon.p90) == (900.0, 1300.0)
    assert figures.net_cash_at_horizon.day == pd.Timestamp("2027-02-22")  # 13 weeks after Monday 23 Nov 2026
    assert str(figures.lowest_point.label) == "Lowest point (daily, expected)" and figures.lowest_point.value == -50.0
    assert figures.first_day_below_zero.day == pd.Timestamp("2026-11-30")
    assert figures.opening_cash.statistic == KNOWN
    assert {f.statistic for f in figures.items()[1:]} == {EXPECTED}
    assert "€900 to €1,300" in str(figures.net_cash_at_horizon.help)
    assert fmt_money(1300.0, "fr") in figures.net_cash_at_horizon.help.in_language("fr")


def test_figures_json_gives_label_statistic_value_date_and_range() -> None:
    out = figures_json(cash_figures(projection_summary()))
    assert list(out) == ["opening_cash", "net_cash_at_horizon", "lowest_point", "first_day_below_zero",
                         "first_day_beyond_overdraft", "expected_bad_debt"]
    assert out["lowest_point"] == {"label": "Lowest point (daily, expected)", "statistic": "expected",
                                   "value": 950.0, "date": "2026-12-01", "p10": 800.0, "p90": None}
    assert out["first_day_below_zero"]["value"] is None and out["first_day_below_zero"]["date"] is None


# --- the same figures in every output of the demo company ------------------------------------------------
DEMO_AS_OF = "2026-11-23"
FASTER = {"name": "Collect 10 days faster",
          "levers": [{"type": "collection_effort", "scope": {"kind": "all"}, "delay_change_days": -10}]}


@pytest.fixture(scope="module")
def cli_figures(demo_db: Path) -> dict[str, Any]:
    """Return the `figures` block of `cashpilot forecast --format json` on the demo."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--db", str(demo_db), "forecast", "--as-of", DEMO_AS_OF, "--format", "json"]) == 0
    payload = json.loads(out.getvalue())
    assert payload["summary"]["net_cash_at_horizon"] == payload["figures"]["net_cash_at_horizon"]["value"]
    figures: dict[str, Any] = payload["figures"]
    return figures


@pytest.fixture(scope="module")
def demo_source(demo_db: Path) -> ExportSource:
    """Return the English export source of the demo with one scenario (the What-if baseline is its baseline)."""
    return ExportSource(Store(demo_db).read_ledger(), date.fromisoformat(DEMO_AS_OF), 13,
                        [Scenario.from_dict(FASTER)], lang="en")


def test_headline_figures_agree_across_cli_json_whatif_workbook_and_board_pack(
        cli_figures: dict[str, Any], demo_source: ExportSource) -> None:
    figures = cli_figures
    expected_keys = {"opening_cash", "net_cash_at_horizon", "lowest_point", "first_day_below_zero",
                     "first_day_beyond_overdraft", "expected_bad_debt", "open_receivables", "overdue_receivables",
                     "open_payables", "bfr", "dso"}
    assert set(figures) == expected_keys

    # What-if: the baseline of a scenario is the outlook's forecast
    base = demo_source.results[0].kpis_baseline
    assert round(base["net_cash_at_horizon"], 2) == figures["net_cash_at_horizon"]["value"]
    assert round(base["min_cash"], 2) == figures["lowest_point"]["value"]
    assert base["min_cash_date"].date().isoformat() == figures["lowest_point"]["date"]

    # Workbook: the Summary sheet holds every figure under the same name and value
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(demo_source)))
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=2)}
    for key, figure in figures.items():
        if figure["value"] is not None:
            value = summary[figure["label"]]
            assert value == figure["value"], key
    assert summary["Net cash at horizon P10"] == figures["net_cash_at_horizon"]["p10"]
    scenarios = {row[0].value: row[1].value for row in book["Scenarios"].iter_rows(min_row=2)}
    assert scenarios["Net cash at horizon (expected)"] == figures["net_cash_at_horizon"]["value"]
    assert scenarios["Lowest point (daily, expected)"] == figures["lowest_point"]["value"]

    # Board pack: the cover and the scenario page name the figures alike, with the same amounts
    doc = pdfium.PdfDocument(board_pack_bytes(demo_source))
    pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    cover = pages[0]
    for key in ("opening_cash", "net_cash_at_horizon", "lowest_point", "expected_bad_debt", "open_receivables",
                "open_payables", "bfr"):
        figure = figures[key]
        assert figure["label"] in cover, key
        assert pdf_text(fmt_money(figure["value"], "en")) in cover, key
    assert "median" not in cover.lower()
    scenario_page = next(p for p in pages if "Scenario comparison" in p)
    for key in ("net_cash_at_horizon", "lowest_point"):
        assert figures[key]["label"] in scenario_page
        assert pdf_text(fmt_money(figures[key]["value"], "en")) in scenario_page
    assert fmt_date(figures["lowest_point"]["date"], "en") in cover
