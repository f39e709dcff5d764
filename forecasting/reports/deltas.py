"""How a change is drawn on a tile: its arrow from its sign, its colour from whether it is good for cash.

Streamlit's `st.metric` guesses both from a delta's text (a leading ASCII '-'), but our amounts are written with
the typographic minus '−' (and French puts the sign before the digits, the currency after), so the guess pointed a
loss up and coloured it green. Every tile that shows a change takes its arrow and colour from here instead, from
the number itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

Arrow = Literal["up", "down", "off"]
Colour = Literal["green", "red", "gray"]
GoodWhen = Literal["higher", "lower", "neither"]

HIGHER_IS_BETTER: GoodWhen = "higher"  # cash, net cash at horizon, lowest point
LOWER_IS_BETTER: GoodWhen = "lower"  # BFR, DSO, overdue amounts: more of them ties up cash
NEITHER: GoodWhen = "neither"  # a change worth showing that is neither good nor bad in itself


@dataclass(frozen=True)
class DeltaLook:
    """The arrow and colour of one change, as Streamlit's `delta_arrow` and `delta_color` take them."""

    arrow: Arrow
    colour: Colour


def delta_look(delta: float | None, good_when: GoodWhen, shown_as_zero_below: float = 0.5) -> DeltaLook:
    """Return the arrow (the sign of `delta`) and colour (good for cash or not) of a change.

    A change smaller than `shown_as_zero_below` in absolute value is written as 0 once rounded (0.4 € reads
    '0 €'), so it gets no arrow and a neutral colour rather than a green or red zero.
    """
    if delta is None or pd.isna(delta) or abs(delta) < shown_as_zero_below:
        return DeltaLook("off", "gray")
    rising = delta > 0
    arrow: Arrow = "up" if rising else "down"
    if good_when == NEITHER:
        return DeltaLook(arrow, "gray")
    good = rising if good_when == HIGHER_IS_BETTER else not rising
    return DeltaLook(arrow, "green" if good else "red")
