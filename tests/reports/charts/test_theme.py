"""Board-pack theme: one registered template on every chart; company name and colours read from settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest

from forecasting.core.errors import InputError
from forecasting.reports.charts import theme
from forecasting.reports.charts.kpis import aging_figure, bucket_colours, rating_figure
from forecasting.reports.charts.outlook import flows_figure, outlook_figure
from forecasting.reports.charts.scenarios import scenario_cash_figure
from tests.fixtures.summaries import projection_summary


@pytest.fixture()
def restore_theme(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Let a test change the settings, then read the untouched ones again."""
    yield monkeypatch
    monkeypatch.undo()
    theme.reload()


def _weekly() -> pd.DataFrame:
    weeks = pd.date_range("2026-11-23", periods=2, freq="7D")
    return pd.DataFrame({"week_start": weeks, "receipts": [1.0, 2.0], "receipts_p10": [0.5, 1.0],
                         "receipts_p90": [2.0, 3.0], "disbursements": [1.0, 1.0], "closing_p10": [1.0, 2.0],
                         "closing_p50": [2.0, 3.0], "closing_p90": [3.0, 4.0],
                         "closing_expected": [2.0, 3.0]})


def test_load_settings_defaults_without_file_or_environment(tmp_path: Path) -> None:
    settings = theme.load_settings({}, tmp_path / "none.toml")
    assert settings.company == "" and settings.palette == theme.Palette()


def test_settings_file_then_environment_which_wins(tmp_path: Path) -> None:
    path = tmp_path / "cashpilot.toml"
    path.write_text('[cashpilot]\ncompany = "Atelier Dupont SAS"\ncolours = ["#112233", "#445566"]\n', "utf-8")
    from_file = theme.load_settings({}, path)
    assert from_file.company == "Atelier Dupont SAS"
    assert from_file.palette.primary == "#112233" and from_file.palette.positive == "#445566"
    assert from_file.palette.alert == theme.Palette().alert  # roles not given keep the default
    env = {"CASHPILOT_SETTINGS": str(path), "CASHPILOT_COMPANY": "Other SA", "CASHPILOT_COLOURS": "#AABBCC"}
    both = theme.load_settings(env)
    assert both.company == "Other SA" and both.palette.primary == "#aabbcc" and both.palette.positive == "#445566"


@pytest.mark.parametrize("value", ["navy", "#12345", "#1234567", "#gg0000", ",".join(["#000000"] * 7)])
def test_bad_colours_are_refused_with_a_message(value: str) -> None:
    with pytest.raises(InputError, match="CASHPILOT_COLOURS"):
        theme.load_settings({"CASHPILOT_COLOURS": value, "CASHPILOT_SETTINGS": "/nonexistent.toml"})


def test_unreadable_settings_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[cashpilot\ncompany=", "utf-8")
    with pytest.raises(InputError, match="TOML"):
        theme.load_settings({}, path)


def test_template_is_registered_sober_and_on_every_chart() -> None:
    name = theme.template()
    assert name in pio.templates
    layout = pio.templates[name].layout
    assert layout.paper_bgcolor == "white" and layout.plot_bgcolor == "white"
    assert layout.yaxis.gridcolor == theme.GRID_COLOUR and layout.xaxis.showgrid is False
    assert list(layout.colorway) == list(theme.palette().sequence())
    aged = pd.DataFrame({"bucket": ["not due"], "count": [1], "amount_eur": [1.0], "share": [1.0]})
    comparison = pd.DataFrame({"week_start": _weekly()["week_start"], "scenario_p10": [1.0, 1.0],
                               "scenario_p90": [1.0, 1.0], "closing_baseline": [1.0, 1.0],
                               "closing_scenario": [1.0, 1.0]})
    figures = [outlook_figure(_weekly(), projection_summary()), flows_figure(_weekly()), aging_figure(aged),
               rating_figure(pd.DataFrame({"rating": ["A"], "encours_eur": [1.0]})),
               scenario_cash_figure(comparison)]
    for fig in figures:
        assert fig.layout.template.layout.font.family == theme.FONT_FAMILY
        assert fig.layout.template.layout.yaxis.gridcolor == theme.GRID_COLOUR


def test_company_colours_recolour_the_charts(restore_theme: pytest.MonkeyPatch) -> None:
    restore_theme.setenv("CASHPILOT_COLOURS", "#102030,#405060")
    restore_theme.setenv("CASHPILOT_COMPANY", "Atelier Dupont SAS")
    restore_theme.setenv("CASHPILOT_SETTINGS", "/nonexistent.toml")
    settings = theme.reload()
    assert settings.company == "Atelier Dupont SAS"
    fig = outlook_figure(_weekly(), projection_summary())
    median = fig.data[2]
    assert median.line.color == "#102030" and fig.data[1].fillcolor == "rgba(16, 32, 48, 0.18)"
    assert flows_figure(_weekly()).data[0].marker.color == "#405060"
    assert bucket_colours(["not due", "1–30"])[0] == "#102030"
    assert list(pio.templates[theme.TEMPLATE_NAME].layout.colorway)[:2] == ["#102030", "#405060"]


def test_the_tab_icon_is_drawn_locally_in_the_company_colour(restore_theme: pytest.MonkeyPatch) -> None:
    restore_theme.setenv("CASHPILOT_COLOURS", "#102030")
    restore_theme.setenv("CASHPILOT_SETTINGS", "/nonexistent.toml")
    theme.reload()
    icon = theme.app_icon()
    assert icon.size == (64, 64) and icon.mode == "RGBA"
    assert icon.getpixel((32, 58))[:3] == (16, 32, 48)  # the background, below the line
    assert icon.getpixel((0, 0))[3] < 64  # rounded corners stay transparent
    assert max(icon.getpixel((52, 18))[:3]) > 200  # the white line's end point
