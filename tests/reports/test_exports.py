"""Workbook and board pack of the demo company: sheets, formats, text never a formula, numbers equal to the CLI JSON,
a board pack of at least five pages with its charts drawn, in English and in French."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pypdfium2 as pdfium
import pytest

from forecasting.cli.main import main
from forecasting.i18n import translate as i18n
from forecasting.reports.pdf import board_pack_bytes, pdf_text
from forecasting.reports.source import ExportSource
from forecasting.reports.xlsx import workbook_bytes
from forecasting.scenarios.compare import Scenario
from forecasting.store.database import Store

AS_OF = "2026-11-23"
# Names a spreadsheet would take for formulas: they must come back as the very same text.
FASTER = "=HYPERLINK(\"http://x\",\"Collect 10 days faster\")"
SUPPLIERS = "+Suppliers at 75 days"
SCENARIOS = [
    {"name": FASTER, "levers": [{"type": "collection_effort", "scope": {"kind": "all"}, "delay_change_days": -10}]},
    {"name": SUPPLIERS, "levers": [{"type": "supplier_terms", "scope": {"kind": "all"}, "terms": "net 75"}]},
]
COMPANY = "@Atelier -Dupont"


@pytest.fixture(scope="module")
def db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the demo database holding the two saved scenarios."""
    path = tmp_path_factory.mktemp("export") / "demo.duckdb"
    shutil.copy(demo_db, path)
    store = Store(path)
    for raw in SCENARIOS:
        store.save_scenario(raw["name"], json.dumps(raw))
    return path


@pytest.fixture(scope="module")
def source(db: Path) -> ExportSource:
    """Return the English export source with both scenarios (fitted once for the module)."""
    store = Store(db)
    return ExportSource(store.read_ledger(), date.fromisoformat(AS_OF), 13,
                        [Scenario.from_dict(raw) for raw in SCENARIOS], lang="en", company=COMPANY)


@pytest.fixture(scope="module")
def source_fr(source: ExportSource) -> ExportSource:
    """Return the same source in French, reusing the fitted items (no second fit)."""
    return ExportSource(source.ledger, source.as_of, 13, source.scenarios, lang="fr", company=COMPANY,
                        cash=source.cash, context=source.context, baseline=source.baseline)


@pytest.fixture(scope="module")
def workbook(source: ExportSource) -> openpyxl.Workbook:
    """Return the English workbook as openpyxl reads it back."""
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(source)))


@pytest.fixture(scope="module")
def board_pack(source: ExportSource) -> pdfium.PdfDocument:
    """Return the English board pack opened by PDFium."""
    return pdfium.PdfDocument(board_pack_bytes(source))


def _cli_json(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    """Return what `cashpilot forecast --format json` prints for the database."""
    capsys.readouterr()
    assert main(["--db", str(db), "forecast", "--as-of", AS_OF, "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[tuple]:
    """Return a sheet's rows below the header."""
    return list(ws.iter_rows(min_row=2, values_only=True))


# --- workbook --------------------------------------------------------------------------------------
def test_workbook_has_one_sheet_per_table(workbook: openpyxl.Workbook) -> None:
    names = workbook.sheetnames
    assert names[:5] == ["Forecast", "Summary", "KPIs", "Aging", "Scenarios"]
    assert names[5].startswith("Scenario =HYPERLINK(") and len(names[5]) == 31  # no ':' nor '/', 31 at most
    assert names[6] == "Scenario +Suppliers at 75 days"


def test_workbook_cells_are_typed_and_formatted(workbook: openpyxl.Workbook) -> None:
    forecast = workbook["Forecast"]
    assert forecast.freeze_panes == "B2"
    header = forecast["A1"]
    assert header.value == "Week of" and header.font.bold and header.fill.fgColor.rgb.endswith("1F3A5F")
    first = forecast["A2"]
    assert first.is_date and first.value.date() == date(2026, 11, 23) and first.number_format == "yyyy-mm-dd"
    assert isinstance(forecast["B2"].value, float) and forecast["B2"].number_format == "#,##0"
    assert all(forecast.column_dimensions[c].width >= 10 for c in "ABCDEFG")
    kpis = {row[0]: row[1] for row in _rows(workbook["KPIs"])}
    assert 50 < kpis["DSO (simple)"] < 70
    fmt = {ws_row[0].value: ws_row[1].number_format for ws_row in workbook["KPIs"].iter_rows(min_row=2)}
    assert fmt["Overdue rate"] == "0.0%" and fmt["Open receivables"] == "#,##0" and fmt["DPO"] == "0.0"
    aging = _rows(workbook["Aging"])
    assert aging[0][0] == "not due" and sum(r[3] for r in aging) == pytest.approx(1.0)
    assert workbook["Aging"]["D2"].number_format == "0.0%"
    for ws in workbook:
        assert ws.freeze_panes in {"A2", "B2"}


def test_text_starting_like_a_formula_is_written_as_text(workbook: openpyxl.Workbook) -> None:
    for ws in workbook:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    headers = [c.value for c in workbook["Scenarios"][1]]
    assert FASTER in headers and SUPPLIERS in headers and f"Δ {FASTER}" in headers
    cell = next(c for c in workbook["Scenarios"][1] if c.value == FASTER)
    assert cell.data_type == "s" and cell.quotePrefix
    summary = {row[0]: row[1] for row in _rows(workbook["Summary"])}
    assert summary["Company"] == COMPANY


def test_workbook_numbers_equal_the_cli_json(workbook: openpyxl.Workbook, db: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    baseline = _cli_json(db, capsys)
    assert [list(r[1:]) for r in _rows(workbook["Forecast"])] == [
        [w["receipts"], w["disbursements"], w["net"], w["closing_expected"], w["closing_p10"], w["closing_p90"]]
        for w in baseline["weeks"]]
    summary = {row[0]: row[1] for row in _rows(workbook["Summary"])}
    assert summary["Opening cash"] == baseline["summary"]["opening_balance"]
    assert summary["Expected bad debt"] == baseline["summary"]["expected_bad_debt"]
    scenarios = {row[0]: row for row in _rows(workbook["Scenarios"])}
    for column, name, sheet in ((2, FASTER, workbook.sheetnames[5]), (4, SUPPLIERS, workbook.sheetnames[6])):
        cli = _cli_json(db, capsys, "--scenario", name)
        assert cli["scenario"] == name
        assert [list(r[1:]) for r in _rows(workbook[sheet])] == [
            [w["receipts"], w["disbursements"], w["net"], w["closing_expected"], w["closing_p10"], w["closing_p90"]]
            for w in cli["weeks"]]
        delta = cli["delta"]
        assert scenarios["Net cash at horizon (expected)"][column + 1] == delta["net_cash_at_horizon"]
        assert scenarios["BFR at horizon"][column + 1] == delta["bfr_at_horizon"]
        assert scenarios["Lowest point (daily, expected)"][column + 1] == delta["min_cash"]
        assert scenarios["Financial effect, net"][column + 1] == delta["financial_effect"]["net"]
        # rows hold: indicator, baseline, then each scenario's value and its difference
        row = scenarios["Net cash at horizon (expected)"]
        assert row[1] == pytest.approx(row[column] - delta["net_cash_at_horizon"], abs=0.02)


def test_french_workbook_has_french_sheets_headers_and_dates(source_fr: ExportSource) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(source_fr)))
    assert wb.sheetnames[:5] == ["Prévision", "Synthèse", "Indicateurs", "Balance âgée", "Scénarios"]
    assert wb["Prévision"]["A1"].value == "Semaine du" and wb["Prévision"]["A2"].number_format == "dd/mm/yyyy"
    assert wb["Balance âgée"]["A2"].value == "non échu"


# --- board pack ------------------------------------------------------------------------------------
def _text(doc: pdfium.PdfDocument, page: int) -> str:
    """Return the text of one page."""
    return doc[page].get_textpage().get_text_range()


def test_board_pack_has_at_least_five_pages_with_the_sections(board_pack: pdfium.PdfDocument) -> None:
    assert len(board_pack) >= 5
    text = "\n".join(_text(board_pack, i) for i in range(len(board_pack)))
    # The charts' own titles are drawn in their images (issue 17): the pages' headings are the sections.
    for heading in ("Treasury board pack", "Data freshness", "Cash outlook", "Receipts, disbursements and working capital",
                    "Working capital and receivables KPIs", "Scenario comparison", "Receivables aging",
                    "Notes and assumptions", "The likely range (P10–P90)", "What is excluded"):
        assert heading in text, heading
    assert COMPANY in _text(board_pack, 0) and "2026-11-23" in _text(board_pack, 0)
    assert "Page 2 of" in _text(board_pack, 1)


def test_board_pack_charts_are_drawn(board_pack: pdfium.PdfDocument) -> None:
    page = board_pack[1]  # the cash outlook
    images = [obj for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1
    pixels = np.asarray(page.render(scale=1).to_pil().convert("RGB"), dtype=np.int32)
    width = pixels.shape[1]
    chart_band = pixels[int(0.2 * pixels.shape[0]):int(0.45 * pixels.shape[0]), : width]
    navy = (np.abs(chart_band - np.array([31, 58, 95])).sum(axis=2) < 60).sum()
    assert navy > 200  # the median line is drawn in the theme's navy


def test_french_board_pack_has_french_headings_and_every_text_translated(source_fr: ExportSource) -> None:
    i18n.reset_missing()
    doc = pdfium.PdfDocument(board_pack_bytes(source_fr))
    workbook_bytes(source_fr)
    assert i18n.missing_translations() == set()
    assert len(doc) >= 5
    text = "\n".join(_text(doc, i) for i in range(len(doc)))
    for heading in ("Dossier trésorerie pour le conseil", "Fraîcheur des données", "Prévision de trésorerie",
                    "Comparaison des scénarios", "Balance âgée clients", "Notes et hypothèses", "Page 2 sur"):
        assert heading in text, heading
    assert "23/11/2026" in _text(doc, 0) and "€" in _text(doc, 0)


def test_pdf_text_maps_what_core_fonts_lack() -> None:
    assert pdf_text("−1\u202f234 € ≥ 5 → œ") == "-1\u00a0234 € >= 5 -> œ"
    assert pdf_text("Łódź") == "?ód?"


@pytest.fixture()
def no_kaleido(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make chart drawing fail, as without chromium."""
    from forecasting.reports import pdf as export_pdf
    from forecasting.reports.images import ExportError

    def fail(*_: object, **__: object) -> bytes:
        raise ExportError("chart images need Chromium")

    monkeypatch.setattr(export_pdf, "figure_bytes", fail)
    yield


def test_board_pack_without_chromium_is_a_clear_error(source: ExportSource, no_kaleido: None) -> None:
    from forecasting.core.errors import CashpilotError

    with pytest.raises(CashpilotError, match="Chromium"):
        board_pack_bytes(source)
