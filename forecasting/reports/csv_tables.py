"""A table as CSV in the language's spreadsheet conventions: what a 'full list' download button hands over."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from forecasting.core.cell_safety import safe_frame


def table_csv(frame: pd.DataFrame, lang: str, labels: Mapping[str, str] | None = None) -> bytes:
    """Return the frame as CSV bytes: French Excel conventions (';', 1234,56, 31/12/2026, BOM) or English ones.

    Columns are renamed by `labels` (the headers shown on screen); numbers keep every decimal, so the file
    sums to the same totals as the data. A text cell a spreadsheet would run as a formula is written as text.
    """
    out = safe_frame(frame).rename(columns=dict(labels or {}))
    if lang == "fr":
        return out.to_csv(index=False, sep=";", decimal=",", date_format="%d/%m/%Y").encode("utf-8-sig")
    return out.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8")
