"""The room a figure's tick labels and legend take, reserved beforehand so the browser draws each chart once.

Plotly's automargin (on in the board-pack theme) measures the labels once a figure is drawn and, when they need more
room than its margins give, draws the whole figure a second time: 0.05–0.1 s a chart on a modest machine, the
opening page's first chart included. The pages give each chart the margins estimated here (the figure itself is not
changed: exports keep Plotly's own fit); automargin stays on, so a label longer than estimated still fits, at the old
cost. Constants measured in chromium for the theme's 11 px tick font and 12 px axis titles.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go

CHAR_PX = 5.6             # a tick label's character (digits measure 5.45 px, client names 5.25 px on average)
Y_TICKS_PX = 17           # tick marks and gaps left of the plot, besides the labels
AXIS_TITLE_PX = 12        # an axis title's line, with its gap (left of the y labels, under the x labels)
X_TICKS_PX = 26           # the x axis's labels and tick marks under the plot
LEGEND_ROW_PX = 29        # a horizontal legend of one row
LEGEND_GAP_PX = 10        # under a legend placed below the plot
AMOUNT_FORMAT = ",.0f"    # the amount axes' tick format: the only numeric axes estimated
TICK_HEADROOM = 1.1       # the top tick can exceed the largest value (Plotly pads the range and rounds up)
SLACK_PX = 4              # on every estimate: a minus sign or a comma is not a digit's width
PLOTLY_DEFAULT_HEIGHT_PX = 450
PLOTLY_DEFAULT_TOP_PX = 80


def _numbers(values: object) -> npt.NDArray[np.float64]:
    """Return `values` as floats (empty when they are not numbers: dates, names)."""
    if values is None:
        return np.empty(0)
    try:
        out = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return np.empty(0)
    return np.asarray(out[np.isfinite(out)], dtype=np.float64)


def _value_range(fig: go.Figure) -> tuple[float, float]:
    """Return the lowest and highest y the figure shows: stacked bars summed, error bars and y lines included."""
    lows, highs = [0.0], [0.0]
    stacked = fig.layout.barmode in ("stack", "relative")
    pos_stack: dict[object, float] = {}
    neg_stack: dict[object, float] = {}
    for trace in fig.data:
        y = _numbers(trace.y)
        if y.size == 0:
            continue
        if trace.type == "bar" and stacked and trace.x is not None and len(trace.x) == y.size:
            for x, value in zip(trace.x, y, strict=True):
                stack = pos_stack if value >= 0 else neg_stack
                stack[x] = stack.get(x, 0.0) + float(value)
            continue
        lows.append(float(y.min()))
        highs.append(float(y.max()))
        error = getattr(trace, "error_y", None)
        if error is not None and error.visible is not False:
            plus, minus = _numbers(error.array), _numbers(error.arrayminus)
            if plus.size == y.size:
                highs.append(float((y + plus).max()))
            if minus.size == y.size:
                lows.append(float((y - minus).min()))
    highs += list(pos_stack.values())
    lows += list(neg_stack.values())
    for shape in fig.layout.shapes:
        if shape.yref in (None, "y"):
            ends = [float(v) for v in (shape.y0, shape.y1) if isinstance(v, int | float)]
            lows += ends
            highs += ends
    return min(lows), max(highs)


def amount_label_chars(low: float, high: float) -> int:
    """Return the characters of the longest tick label an amount axis from `low` to `high` is likely to show."""
    chars = [len(f"{high * TICK_HEADROOM:,.0f}")] if high > 0 else [1]
    if low < 0:
        chars.append(len(f"{low * TICK_HEADROOM:,.0f}"))  # with its minus sign
    return max(chars)


def _longest(labels: Iterable[object]) -> int:
    """Return the length of the longest label."""
    return max((len(str(label)) for label in labels), default=0)


def _left_px(fig: go.Figure) -> float | None:
    """Return the room the y axis takes left of the plot, None when its labels are not estimated."""
    horizontal = [t for t in fig.data if t.type == "bar" and t.orientation == "h"]
    if horizontal:
        chars = _longest(label for trace in horizontal for label in (trace.y if trace.y is not None else ()))
    elif fig.layout.yaxis.tickformat == AMOUNT_FORMAT:
        chars = amount_label_chars(*_value_range(fig))
    else:
        return None
    title = AXIS_TITLE_PX if fig.layout.yaxis.title.text else 0
    return chars * CHAR_PX + Y_TICKS_PX + title + SLACK_PX


def _legend_shown(fig: go.Figure) -> bool:
    """Return whether Plotly draws the legend (by default only when two traces or more go in it)."""
    if fig.layout.showlegend is not None:
        return bool(fig.layout.showlegend)
    return sum(trace.showlegend is not False for trace in fig.data) >= 2


def _bottom_px(fig: go.Figure, top_px: float) -> float:
    """Return the room under the plot: the x axis's labels and title, or a one-row legend placed below."""
    axis = X_TICKS_PX + (AXIS_TITLE_PX + 4 if fig.layout.xaxis.title.text else 0) + SLACK_PX
    legend = fig.layout.legend
    if _legend_shown(fig) and legend.orientation == "h" and legend.yref == "container" and (legend.y or 0) <= 0:
        # At the figure's foot (theme.legend_below): Plotly reserves its rows under the axis; one row is estimated.
        return axis + LEGEND_ROW_PX
    if not (_legend_shown(fig) and legend.orientation == "h" and legend.y is not None and legend.y < 0):
        return axis
    # The legend sits -y plot heights under the plot, and the plot is what the margins leave: solved for the margin.
    height = fig.layout.height or PLOTLY_DEFAULT_HEIGHT_PX
    share = -float(legend.y)
    return max(axis, (share * (height - top_px) + LEGEND_ROW_PX + LEGEND_GAP_PX) / (1 + share) + SLACK_PX)


def _margin(fig: go.Figure, side: str, default: float) -> float:
    """Return the figure's margin on `side`, else its template's, else `default`."""
    own = getattr(fig.layout.margin, side)
    if own is not None:
        return float(own)
    template = fig.layout.template.layout.margin if fig.layout.template is not None else None
    value = getattr(template, side, None) if template is not None else None
    return float(value) if value is not None else default


def reserved_margins(fig: go.Figure) -> dict[str, int]:
    """Return the left and bottom margins (px) the figure's labels and legend are likely to need, at least its own."""
    out = {}
    left = _left_px(fig)
    if left is not None:
        out["l"] = math.ceil(max(left, _margin(fig, "l", 0)))
    bottom = _bottom_px(fig, _margin(fig, "t", PLOTLY_DEFAULT_TOP_PX))
    out["b"] = math.ceil(max(bottom, _margin(fig, "b", 0)))
    return out
