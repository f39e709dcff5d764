"""Chart images through kaleido: PNG of the right size, SVG that parses, a one-page PDF; the CLI's chart names."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pandas as pd
import pypdfium2 as pdfium
import pytest
from PIL import Image

from forecasting.cli.export import CHART_NAMES
from forecasting.core.errors import InputError
from forecasting.reports.charts.outlook import outlook_figure
from forecasting.reports.images import CHARTS, MEDIA_TYPES, figure_bytes
from tests.fixtures.summaries import projection_summary


def _figure() -> object:
    weeks = pd.date_range("2026-11-23", periods=4, freq="7D")
    weekly = pd.DataFrame({"week_start": weeks, "closing_p10": [90.0, 80.0, 85.0, 70.0],
                           "closing_p50": [100.0, 95.0, 97.0, 90.0], "closing_p90": [110.0, 105.0, 108.0, 100.0],
                           "closing_expected": [99.0, 94.0, 96.0, 89.0]})
    return outlook_figure(weekly, projection_summary(overdraft_limit=50.0, min_cash=88.0,
                                                     min_cash_date=pd.Timestamp("2026-12-10")), lang="fr")


def test_png_has_the_asked_size_at_twice_the_pixels() -> None:
    png = figure_bytes(_figure(), "png", width=640, height=320)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 640)


def test_svg_parses_and_carries_the_french_labels() -> None:
    svg = figure_bytes(_figure(), "svg", width=640, height=320)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("width") == "640"
    assert "Trésorerie de clôture (espérance)" in svg.decode("utf-8")
    # issue 17: the exported image carries the chart's title, its weeks named by their Monday, its opening balance
    text = svg.decode("utf-8")
    assert "Trésorerie de clôture par semaine : espérance et fourchette P10–P90 (€)" in text
    assert "semaine du (lundi)" in text and "Ouverture" in text and "Solde d'ouverture 23/11" in text


def test_pdf_is_a_one_page_document() -> None:
    doc = pdfium.PdfDocument(figure_bytes(_figure(), "pdf", width=640, height=320))
    assert len(doc) == 1
    width, height = doc[0].get_size()
    assert width > height > 0


def test_unknown_format_is_refused() -> None:
    with pytest.raises(InputError, match="png, svg, pdf"):
        figure_bytes(_figure(), "gif")


def test_cli_chart_names_are_the_export_charts() -> None:
    assert tuple(CHARTS) == CHART_NAMES
    assert set(MEDIA_TYPES) == {"png", "svg", "pdf"}
