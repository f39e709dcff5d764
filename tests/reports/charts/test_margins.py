"""The margins reserved for a figure's labels and legend (forecasting/chart_margins.py), checked by hand."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from forecasting.reports.charts import theme
from forecasting.reports.charts.margins import amount_label_chars, reserved_margins


def _amounts(*ys: list[float], title: str | None = "cash (€)", **layout: object) -> go.Figure:
    """Return a figure with one line a list of y values, on an amount axis (',.0f')."""
    fig = go.Figure([go.Scatter(x=list(range(len(y))), y=y, name=f"line {i}") for i, y in enumerate(ys)])
    fig.update_layout(yaxis={"title": title, "tickformat": ",.0f"}, **layout)
    return fig


def test_amount_labels_count_digits_separators_and_the_minus_sign() -> None:
    assert amount_label_chars(0, 1_000_000) == 9      # top tick ~1,100,000
    assert amount_label_chars(-400_000, 300_000) == 8  # -440,000 is longer than 330,000
    assert amount_label_chars(0, 950_000) == 9         # the axis may round up to 1,000,000
    assert amount_label_chars(0, 0) == 1


def test_an_amount_axis_gets_room_for_its_longest_label_and_its_title() -> None:
    # 9 characters x 5.6 px + 17 px of ticks + 12 px of title + 4 px slack = 83.4 px; one line: no legend, so the
    # bottom holds the x labels only (26 + 4 px)
    assert reserved_margins(_amounts([0, 1_000_000])) == {"l": 84, "b": 30}
    assert reserved_margins(_amounts([0, 1_000_000], title=None)) == {"l": 72, "b": 30}


def test_a_legend_below_the_plot_is_solved_with_the_plot_height_it_leaves() -> None:
    # legend at y = -0.2 plot heights; plot = 360 - 30 (top) - b; b = (0.2 x 330 + 29 + 10) / 1.2 + 4 = 91.5
    fig = _amounts([0, 100_000], [0, 50_000], height=360, margin={"t": 30}, legend={"orientation": "h", "y": -0.2})
    assert reserved_margins(fig) == {"l": 73, "b": 92}  # 7 characters: 39.2 + 17 + 12 + 4 = 72.2


def test_a_legend_at_the_figures_foot_adds_one_row_under_the_axis() -> None:
    # theme.legend_below: the x labels (26) + their title (12 + 4) + 4 px slack = 46, + one legend row of 29 = 75
    fig = _amounts([0, 100_000], [0, 50_000], height=360, legend=theme.legend_below(), xaxis={"title": "week"})
    assert reserved_margins(fig)["b"] == 75
    fig.update_layout(showlegend=False)  # no legend drawn: the axis alone
    assert reserved_margins(fig)["b"] == 46


def test_stacked_bars_error_bars_and_threshold_lines_widen_the_range() -> None:
    stacked = go.Figure([go.Bar(x=["a", "b"], y=[600_000, 100_000]), go.Bar(x=["a", "b"], y=[500_000, 0])])
    stacked.update_layout(barmode="stack", yaxis={"tickformat": ",.0f"})
    assert reserved_margins(stacked)["l"] == 72        # 1,100,000 stacked: 9 characters, no title
    whiskers = go.Figure(go.Bar(x=["a"], y=[80_000], error_y={"type": "data", "array": [30_000]}))
    whiskers.update_layout(yaxis={"tickformat": ",.0f"})
    assert reserved_margins(whiskers)["l"] == 61       # 110,000 x 1.1: 7 characters
    overdraft = _amounts([0, 50_000], title=None)
    overdraft.add_hline(y=-4_000_000)
    assert reserved_margins(overdraft)["l"] == 77      # -4,400,000: 10 characters


def test_horizontal_bars_get_room_for_their_longest_name() -> None:
    fig = go.Figure(go.Bar(y=["Short", "A much longer client name"], x=[1, 2], orientation="h"))
    assert reserved_margins(fig)["l"] == 161           # 25 characters x 5.6 + 17 + 4 = 161


@pytest.mark.parametrize("fmt", [None, ".0%"])
def test_other_axes_are_left_to_plotly(fmt: str | None) -> None:
    fig = go.Figure(go.Scatter(y=[0.1, 0.5]))
    fig.update_layout(yaxis={"tickformat": fmt})
    assert "l" not in reserved_margins(fig)


def test_a_figures_own_larger_margin_is_kept() -> None:
    assert reserved_margins(_amounts([0, 10], margin={"l": 200, "b": 120})) == {"l": 200, "b": 120}
