"""pages.widgets.common.markdown_table: a short report table written as markdown text."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pages.widgets.common import markdown_table


def test_the_table_keeps_the_labelled_columns_in_order_formatted_and_aligned() -> None:
    frame = pd.DataFrame({"day": [date(2026, 11, 23), date(2026, 11, 30)], "amount": [1234.4, -50.0],
                          "note": ["a|b", "x"], "hidden": [1, 2]})
    text = markdown_table(frame, {"day": "Week of", "amount": "Net", "note": "Note"},
                          formats={"amount": lambda v: f"{v:,.0f}"}, right=("amount",))
    assert text.splitlines() == [
        "| Week of | Net | Note |",
        "|---|---:|---|",  # the amount column aligned right
        "| 2026-11-23 | 1,234 | a\\|b |",  # str() where no format is given; a '|' in a cell cannot split it
        "| 2026-11-30 | -50 | x |",
    ]


def test_an_empty_frame_gives_the_header_alone() -> None:
    text = markdown_table(pd.DataFrame({"a": []}), {"a": "A"}, formats={})
    assert text.splitlines() == ["| A |", "|---|"]
