"""The demo's history window: French business days up to today, seasonal day weights, midnight timestamps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core.terms import BusinessCalendar
from forecasting.demo.params import GROWTH_PER_YEAR, HISTORY_YEARS, MONTH_WEIGHTS


@dataclass(frozen=True)
class Clock:
    """The history window: all calendar facts that the generators share."""

    today: np.datetime64
    start: np.datetime64
    year_ago: np.datetime64
    bdays: npt.NDArray[np.datetime64]  # French business days from start to today
    calendar: BusinessCalendar

    @property
    def years(self) -> float:
        """Length of the history in years."""
        return float((self.today - self.start).astype(np.int64) + 1) / 365.25

    @property
    def mid(self) -> np.datetime64:
        """Middle of the history, where client drift is zero."""
        return self.start + (self.today - self.start) // 2

    def day_weights(self, month_shift: int = 0) -> npt.NDArray[np.float64]:
        """Return probabilities over business days: growth × monthly seasonality (shifted for purchases)."""
        years_back = (self.today - self.bdays).astype(np.int64) / 365.25
        months = (self.bdays.astype("datetime64[M]").astype(np.int64) + month_shift) % 12
        weights = np.exp(-np.log1p(GROWTH_PER_YEAR) * years_back) * MONTH_WEIGHTS[months]
        probabilities: npt.NDArray[np.float64] = weights / weights.sum()
        return probabilities



def history_clock(today: date | None) -> Clock:
    """Return the history window ending on `today` (date.today() when None)."""
    end = pd.Timestamp(date.today() if today is None else today).normalize()
    start = end - pd.DateOffset(years=HISTORY_YEARS)
    calendar = BusinessCalendar("FR")
    days = np.arange(np.datetime64(start.date(), "D"), np.datetime64(end.date(), "D") + 1)
    return Clock(today=np.datetime64(end.date(), "D"), start=days[0],
                 year_ago=np.datetime64((end - pd.DateOffset(years=1)).date(), "D"),
                 bdays=days[calendar.is_business_day(days)], calendar=calendar)


def timestamps(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    """Return datetime64[D] days as the contract's midnight timestamps (datetime64[us])."""
    return days.astype("datetime64[us]")
