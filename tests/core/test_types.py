"""The one as-of conversion: a date, or a Timestamp at any time of day, becomes that day's midnight Timestamp."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from forecasting.core.types import as_of_timestamp


def test_a_date_becomes_its_midnight_timestamp() -> None:
    out = as_of_timestamp(date(2026, 11, 23))
    assert isinstance(out, pd.Timestamp) and out == pd.Timestamp("2026-11-23 00:00") and out.tz is None


def test_a_time_of_day_is_dropped_whatever_the_date_type() -> None:
    day = pd.Timestamp("2026-11-23")
    assert as_of_timestamp(pd.Timestamp("2026-11-23 17:45")) == day
    assert as_of_timestamp(datetime(2026, 11, 23, 23, 59)) == day
    assert as_of_timestamp(day) == day  # already midnight: unchanged
