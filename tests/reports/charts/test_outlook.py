"""Chart builders: the outlook figure starts from the opening balance and carries the band, the expected path, the
thresholds and the lowest point; weeks are named by their Monday; every chart has a title."""

from __future__ import annotations

import pandas as pd

from forecasting.reports.charts.outlook import bfr_figure, flows_figure, outlook_figure
from tests.fixtures.summaries import projection_summary


def _weekly() -> pd.DataFrame:
    weeks = pd.date_range("2026-11-23", periods=3, freq="7D")  # Mondays
    return pd.DataFrame({
        "week_start": weeks, "receipts": [100.0, 120.0, 90.0], "receipts_p10": [80.0, 100.0, 70.0],
        "receipts_p90": [130.0, 150.0, 110.0], "disbursements": [50.0, 200.0, 60.0],
        "closing_p10": [900.0, 800.0, 820.0], "closing_p50": [1050.0, 970.0, 1000.0],
        "closing_p90": [1200.0, 1100.0, 1150.0], "closing_expected": [1040.0, 960.0, 1010.0],
    })


def _trace(fig, name):  # type: ignore[no-untyped-def]
    return next(t for t in fig.data if t.name == name)


def test_outlook_figure_has_band_expected_path_thresholds_and_lowest_point() -> None:
    summary = projection_summary(overdraft_limit=300.0, min_cash=950.0, min_cash_date=pd.Timestamp("2026-12-01"))
    fig = outlook_figure(_weekly(), summary)
    names = [t.name for t in fig.data]
    assert "Likely range (P10–P90)" in names and "Closing cash (expected)" in names and "Lowest point (daily)" in names
    # The lowest point, a Tuesday, is drawn on its week (the week of Monday 30/11); its hover says the day.
    lowest = _trace(fig, "Lowest point (daily)")
    assert list(lowest.y) == [950.0] and list(lowest.x) == ["Nov 30"]
    assert "Lowest point 2026-12-01" in lowest.hovertemplate
    # issue 17: the line is the expected path, as net cash at horizon and the lowest point (its last point is the
    # net cash at horizon of the tiles); it was the median
    expected = _trace(fig, "Closing cash (expected)")
    assert list(expected.y)[1:] == [1040.0, 960.0, 1010.0]
    lines = [shape.y0 for shape in fig.layout.shapes]
    assert 0 in lines and -300.0 in lines


def test_the_outlook_starts_from_the_opening_balance() -> None:
    # issue 17: the curve starts from the known bank balance at as-of (1 000 on Monday 23/11), band included
    fig = outlook_figure(_weekly(), projection_summary(opening_balance=1000.0))
    expected = _trace(fig, "Closing cash (expected)")
    assert list(expected.x) == ["Opening", "Nov 23", "Nov 30", "Dec 7"]
    assert list(expected.y) == [1000.0, 1040.0, 960.0, 1010.0]
    assert expected.customdata[0] == "Opening balance 2026-11-23"
    p10, p90 = _trace(fig, "Likely range (P10–P90)"), _trace(fig, "P90")
    assert (p10.y[0], p90.y[0]) == (1000.0, 1000.0)  # no range on a known balance
    marker = _trace(fig, "Opening balance Nov 23: €1,000")
    assert list(marker.x) == ["Opening"] and list(marker.y) == [1000.0]
    french = outlook_figure(_weekly(), projection_summary(opening_balance=1234567.0), lang="fr")
    assert "Solde d'ouverture 23/11 : 1\u00a0234\u00a0567\u00a0€" in [t.name for t in french.data]


def test_every_weekly_chart_names_a_week_by_its_monday() -> None:
    # issue 17: the outlook labelled a week by its Sunday, the payables chart by its Monday; now one convention
    weekly = _weekly()
    bfr = pd.DataFrame({"week_start": weekly["week_start"], "receivables_eur": [10.0, 11.0, 12.0],
                        "payables_eur": [5.0, 5.0, 5.0], "bfr_eur": [5.0, 6.0, 7.0]})
    for fig in (outlook_figure(weekly, projection_summary()), flows_figure(weekly), bfr_figure(bfr)):
        assert fig.layout.xaxis.type == "category" and fig.layout.xaxis.title.text == "week of (Monday)"
        weekly_traces = [t for t in fig.data if t.x is not None and len(t.x) >= 3]
        assert all(list(t.x)[-3:] == ["Nov 23", "Nov 30", "Dec 7"] for t in weekly_traces)
    flows = flows_figure(weekly, lang="fr")
    assert list(flows.data[0].x) == ["23/11", "30/11", "07/12"]
    assert flows.data[0].customdata[0] == "semaine du lundi 23/11/2026"
    assert flows.layout.xaxis.title.text == "semaine du (lundi)"


def test_the_outlook_and_flows_charts_carry_their_title_with_statistic_and_unit() -> None:
    fig = outlook_figure(_weekly(), projection_summary())
    assert fig.layout.title.text == "Closing cash by week, expected, with its P10–P90 range (€)"
    assert fig.layout.margin.t >= 46  # room for the title above the plot
    french = flows_figure(_weekly(), lang="fr")
    assert french.layout.title.text == "Encaissements (avec P10–P90) et décaissements par semaine, espérance (€)"


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
    assert list(line.x) == ["Ouverture", "23/11", "30/11", "07/12"]
    assert list(line.customdata) == ["Solde d'ouverture du 23/11/2026", "semaine du lundi 23/11/2026, clôture",
                                     "semaine du lundi 30/11/2026, clôture", "semaine du lundi 07/12/2026, clôture"]
    assert [a.text for a in fig.layout.annotations] == ["zéro", "découvert autorisé −1\u00a0500"]
    assert fig.layout.title.text == "Trésorerie de clôture par semaine : espérance et fourchette P10–P90 (€)"


def test_english_outlook_keeps_english_separators_and_iso_dates() -> None:
    fig = outlook_figure(_weekly(), projection_summary())
    assert fig.layout.separators == ".,"
    line = next(t for t in fig.data if t.name == "Closing cash (expected)")
    assert line.customdata[1] == "week of Monday 2026-11-23, closing"


def test_french_flows_figure_names_receipts_and_disbursements_in_french() -> None:
    fig = flows_figure(_weekly(), lang="fr")
    assert [t.name for t in fig.data] == ["Encaissements", "Décaissements"]
    assert fig.layout.yaxis.title.text == "€ par semaine"
