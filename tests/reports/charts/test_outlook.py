"""Chart builders: the outlook figure carries the band, the expected path, the thresholds and the lowest point."""

from __future__ import annotations

import pandas as pd

from forecasting.reports.charts.outlook import flows_figure, outlook_figure
from tests.fixtures.summaries import projection_summary


def _weekly() -> pd.DataFrame:
    weeks = pd.date_range("2026-11-23", periods=3, freq="7D")
    return pd.DataFrame({
        "week_start": weeks, "receipts": [100.0, 120.0, 90.0], "receipts_p10": [80.0, 100.0, 70.0],
        "receipts_p90": [130.0, 150.0, 110.0], "disbursements": [50.0, 200.0, 60.0],
        "closing_p10": [900.0, 800.0, 820.0], "closing_p50": [1050.0, 970.0, 1000.0],
        "closing_p90": [1200.0, 1100.0, 1150.0], "closing_expected": [1040.0, 960.0, 1010.0],
    })


def test_outlook_figure_has_band_expected_path_thresholds_and_lowest_point() -> None:
    summary = projection_summary(overdraft_limit=300.0, min_cash=950.0, min_cash_date=pd.Timestamp("2026-12-01"))
    fig = outlook_figure(_weekly(), summary)
    names = [t.name for t in fig.data]
    assert "Likely range (P10–P90)" in names and "Closing cash (expected)" in names and "Lowest point (daily)" in names
    lowest = next(t for t in fig.data if t.name == "Lowest point (daily)")
    assert list(lowest.y) == [950.0] and pd.Timestamp(lowest.x[0]) == pd.Timestamp("2026-12-01")
    # issue 17: the line is the expected path, as net cash at horizon and the lowest point (its last point is the
    # net cash at horizon of the tiles); it was the median
    expected = next(t for t in fig.data if t.name == "Closing cash (expected)")
    assert list(expected.y) == [1040.0, 960.0, 1010.0]
    lines = [shape.y0 for shape in fig.layout.shapes]
    assert 0 in lines and -300.0 in lines


def test_outlook_figure_without_overdraft_draws_only_the_zero_line() -> None:
    fig = outlook_figure(_weekly(), projection_summary(overdraft_limit=0.0))
    assert [shape.y0 for shape in fig.layout.shapes] == [0]


def test_flows_figure_shows_disbursements_below_zero() -> None:
    fig = flows_figure(_weekly())
    disb = next(t for t in fig.data if t.name == "Disbursements")
    assert list(disb.y) == [-50.0, -200.0, -60.0]


def test_french_outlook_has_french_names_axis_separators_and_dates() -> None:
    fig = outlook_figure(_weekly(), projection_summary(overdraft_limit=1500.0), lang="fr")
    names = [t.name for t in fig.data]
    assert "Fourchette probable (P10–P90)" in names and "Trésorerie de clôture (espérance)" in names
    assert "Point bas (journalier)" in names
    assert fig.layout.yaxis.title.text == "trésorerie (€)"
    assert fig.layout.separators == ",\u00a0"
    line = next(t for t in fig.data if t.name == "Trésorerie de clôture (espérance)")
    assert "%d/%m/%Y" in line.hovertemplate and "semaine au" in line.hovertemplate
    assert [a.text for a in fig.layout.annotations] == ["zéro", "découvert autorisé −1\u00a0500"]


def test_english_outlook_keeps_english_separators_and_iso_dates() -> None:
    fig = outlook_figure(_weekly(), projection_summary())
    assert fig.layout.separators == ".,"
    median = next(t for t in fig.data if t.name == "Closing cash (expected)")
    assert "%Y-%m-%d" in median.hovertemplate


def test_french_flows_figure_names_receipts_and_disbursements_in_french() -> None:
    fig = flows_figure(_weekly(), lang="fr")
    assert [t.name for t in fig.data] == ["Encaissements", "Décaissements"]
    assert fig.layout.yaxis.title.text == "€ par semaine"
