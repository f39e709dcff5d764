"""Weeks are named by their Monday everywhere: the tick, the hover name, the table heading, in English and French."""

from __future__ import annotations

from datetime import date

import pandas as pd

from forecasting.i18n.weeks import monday_of, short_day, week_axis_title, week_header, week_of, week_ticks


def test_a_day_belongs_to_the_week_of_its_monday() -> None:
    assert monday_of(date(2026, 12, 13)) == pd.Timestamp("2026-12-07")  # a Sunday: the week's last day
    assert monday_of(pd.Timestamp("2026-12-07 15:30")) == pd.Timestamp("2026-12-07")
    assert monday_of(date(2027, 1, 1)) == pd.Timestamp("2026-12-28")  # across the year


def test_a_week_is_written_by_its_monday_in_each_language() -> None:
    monday = date(2026, 12, 7)
    assert (short_day(monday, "en"), short_day(monday, "fr")) == ("Dec 7", "07/12")
    assert week_of(monday, "en") == "week of Monday 2026-12-07"
    assert week_of(monday, "fr") == "semaine du lundi 07/12/2026"
    assert (week_header("en"), week_header("fr")) == ("Week of", "Semaine du")
    assert (week_axis_title("en"), week_axis_title("fr")) == ("week of (Monday)", "semaine du (lundi)")


def test_ticks_carry_the_year_only_when_two_weeks_would_read_the_same() -> None:
    weeks = pd.date_range("2026-11-23", periods=3, freq="7D")
    assert week_ticks(weeks, "fr") == ["23/11", "30/11", "07/12"]
    # A backtest over more than a year can meet the same day and month twice (2025-12-08 was a Monday, 2026-12-08
    # is a Tuesday: only the test's dates need not be Mondays): then every tick says its year
    twice = [pd.Timestamp("2025-12-08"), pd.Timestamp("2026-12-08")]
    assert week_ticks(twice, "fr") == ["08/12/25", "08/12/26"]
    assert week_ticks(twice, "en") == ["Dec 8 2025", "Dec 8 2026"]
