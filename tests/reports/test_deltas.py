"""A tile's arrow follows the sign of its change and its colour says whether the change is good for cash."""

from __future__ import annotations

import math

import pytest

from forecasting.reports.deltas import HIGHER_IS_BETTER, LOWER_IS_BETTER, NEITHER, DeltaLook, delta_look


@pytest.mark.parametrize(("delta", "good_when", "expected"), [
    # net cash at horizon and lowest point: more is better
    (-480_333.0, HIGHER_IS_BETTER, DeltaLook("down", "red")),  # the reported loss drawn as a green up-arrow
    (327_000.0, HIGHER_IS_BETTER, DeltaLook("up", "green")),
    # BFR: less is better (cash no longer tied up in working capital)
    (-344_000.0, LOWER_IS_BETTER, DeltaLook("down", "green")),  # the reported fall drawn as a red up-arrow
    (12_500.0, LOWER_IS_BETTER, DeltaLook("up", "red")),
    # a change neither good nor bad keeps its arrow, without a colour
    (-3.0, NEITHER, DeltaLook("down", "gray")),
    (3.0, NEITHER, DeltaLook("up", "gray")),
])
def test_the_arrow_is_the_sign_and_the_colour_is_the_effect_on_cash(delta, good_when, expected):
    assert delta_look(delta, good_when) == expected


@pytest.mark.parametrize("delta", [0.0, 0.4, -0.49, None, math.nan])
@pytest.mark.parametrize("good_when", [HIGHER_IS_BETTER, LOWER_IS_BETTER])
def test_a_change_shown_as_zero_or_missing_has_no_arrow_and_no_colour(delta, good_when):
    assert delta_look(delta, good_when) == DeltaLook("off", "gray")


def test_half_a_euro_is_the_smallest_change_shown_with_an_arrow():
    assert delta_look(0.5, HIGHER_IS_BETTER) == DeltaLook("up", "green")
    assert delta_look(-0.5, LOWER_IS_BETTER) == DeltaLook("down", "green")
