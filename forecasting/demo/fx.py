"""The demo's exchange rates: USD and GBP drawn as mean-reverting walks over the TARGET business days."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as c
from forecasting.core.terms import BusinessCalendar
from forecasting.demo.clock import Clock, timestamps
from forecasting.demo.params import CURRENCIES


def draw_fx_rates(rng: np.random.Generator,
                  clock: Clock) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.float64], pd.DataFrame]:
    """Return FX dates, a (dates × CURRENCIES) EUR-per-unit matrix and the FX_COLUMNS frame."""
    days = np.arange(clock.start, clock.today + 1)
    days = days[BusinessCalendar("TARGET").is_business_day(days)]
    levels = np.array([0.92, 1.16]) * np.exp(rng.normal(0.0, 0.03, 2))  # EUR per USD, per GBP
    daily_vol = np.array([0.07, 0.05]) / np.sqrt(252.0)
    shocks = rng.normal(0.0, 1.0, (len(days), 2)) * daily_vol
    shocks[0] = 0.0
    # log rates mean-revert to their level (half-life ~ a year), as an AR(1) in closed form:
    # x_t = sum_s phi^(t-s) e_s = phi^t * cumsum(e_s * phi^-s); phi^-t stays small over a few years
    phi = 1.0 - np.log(2.0) / 252.0
    powers = phi ** np.arange(len(days), dtype=np.float64)[:, None]
    log_gap = powers * np.cumsum(shocks / powers, axis=0)
    rates = np.round(levels * np.exp(log_gap), 6)
    matrix = np.column_stack([np.ones(len(days)), rates])
    frame = pd.DataFrame({
        c.CURRENCY: np.repeat(np.asarray(CURRENCIES[1:]), len(days)),
        c.RATE_DATE: timestamps(np.tile(days, 2)),
        c.RATE: rates.T.ravel(),
    })
    return days, matrix, frame


def rate_on(fx_dates: npt.NDArray[np.datetime64], fx_matrix: npt.NDArray[np.float64], days: npt.NDArray[np.datetime64],
            currency_code: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Return EUR per unit of each row's currency on each day (the last rate on or before it)."""
    pos = np.clip(np.searchsorted(fx_dates, days, side="right") - 1, 0, len(fx_dates) - 1)
    return fx_matrix[pos, currency_code]
