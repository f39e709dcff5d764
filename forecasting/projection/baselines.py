"""Simple rules a backtest compares the model with, learned from the same history at as-of.

Payment days (offsets from as-of), each rolled to the next business day as payments are:
- due_date: paid on the due date;
- client_median: due date + the counterparty's median delay (the side's median for a counterparty without history);
- client_mean_dispute: due date + the counterparty's mean delay on undisputed invoices, + the side's mean extra
  delay of disputed invoices over undisputed ones when the invoice is flagged disputed in the data. The flag is
  the export's: for an invoice issued after as-of it is something no forecast made at as-of could know (the model
  draws a dispute at the client's rate), so this rule is a stricter bar than a forecast; it is kept as issue 14
  defines it;
- side_median: due date + the side's median delay.
Delays are whole days (rounded to the nearest); with no paid history at all, every rule is the due date.
Weekly cash: run_rate, the mean weekly cash of the 13 weeks before as-of, every week (a partial week pro rata).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.terms import BusinessCalendar
from forecasting.model.settlement import CASH_DATE, PAID_DATE, own_dates

BASELINES = ("due_date", "client_median", "client_mean_dispute", "side_median")
RUN_RATE_WEEKS = 13
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DelayHistory:
    """Delays (payment date - due date, days) of the invoices paid by as-of, summarised the baselines' ways."""

    client_median: pd.Series  # counterparty id -> median delay
    client_undisputed_mean: pd.Series  # counterparty id -> mean delay of its undisputed invoices
    side_median: float  # 0 without history
    side_mean: float
    dispute_extra: float  # mean delay of disputed invoices - mean of undisputed ones (0 without both)


def delay_history(settled: pd.DataFrame) -> DelayHistory:
    """Return the delay summaries of the invoices of positive amount paid in a frame settled at as-of.

    An invoice is paid on the day of the cash that settled it (CASH_DATE): one settled by credit notes alone is not.
    A balance carried forward is left out, as the model leaves it out: its due date is not its own.
    """
    day = CASH_DATE if CASH_DATE in settled else PAID_DATE
    paid = settled[settled[day].notna() & (settled[C.AMOUNT_TTC] > 0) & own_dates(settled)]
    delays = (paid[day] - paid[C.DUE_DATE]).dt.days.astype(float).reset_index(drop=True)
    who = paid[C.COUNTERPARTY_ID].astype(str).reset_index(drop=True)
    disputed = paid[C.DISPUTED].to_numpy(dtype=bool)
    undisputed = ~disputed
    extra = float(delays[disputed].mean() - delays[undisputed].mean()) if disputed.any() and undisputed.any() else 0.0
    return DelayHistory(
        client_median=delays.groupby(who).median(),
        client_undisputed_mean=delays[undisputed].groupby(who[undisputed]).mean(),
        side_median=float(delays.median()) if len(delays) else 0.0,
        side_mean=float(delays.mean()) if len(delays) else 0.0,
        dispute_extra=extra,
    )


def baseline_offsets(history: DelayHistory, counterparty_ids: pd.Series, due_offsets: IntArray,
                     disputed_known: npt.NDArray[np.bool_], as_of: pd.Timestamp,
                     calendar: BusinessCalendar) -> dict[str, IntArray]:
    """Return each baseline's payment day offset of each invoice (rolled to a business day)."""
    who = counterparty_ids.astype(str).reset_index(drop=True)
    median = who.map(history.client_median).fillna(history.side_median).to_numpy(dtype=float)
    mean = who.map(history.client_undisputed_mean).fillna(history.side_mean).to_numpy(dtype=float)
    delays = {
        "due_date": np.zeros(len(who)),
        "client_median": median,
        "client_mean_dispute": mean + np.where(disputed_known, history.dispute_extra, 0.0),
        "side_median": np.full(len(who), history.side_median),
    }
    return {name: rolled_offsets(due_offsets + np.round(delay).astype(np.int64), as_of, calendar)
            for name, delay in delays.items()}


def rolled_offsets(offsets: IntArray, as_of: pd.Timestamp, calendar: BusinessCalendar) -> IntArray:
    """Return day offsets from as-of moved to the next business day (a business day stays)."""
    day0 = np.datetime64(as_of.date(), "D")
    rolled: IntArray = (calendar.roll_forward(day0 + np.asarray(offsets, dtype=np.int64)) - day0).astype(np.int64)
    return rolled


def run_rate_weeks(payment_dates: pd.Series, amounts_eur: npt.ArrayLike, as_of: pd.Timestamp,
                   days_per_week: IntArray) -> npt.NDArray[np.float64]:
    """Return the run-rate baseline of each week: the cash of the 13 weeks to as-of / 13, pro rata of its days."""
    dates = pd.to_datetime(payment_dates).to_numpy()
    start = as_of - pd.Timedelta(weeks=RUN_RATE_WEEKS)
    inside = (dates > start.to_datetime64()) & (dates <= as_of.to_datetime64())
    weekly = float(np.asarray(amounts_eur, dtype=float)[inside].sum()) / RUN_RATE_WEEKS
    rate: npt.NDArray[np.float64] = weekly * np.asarray(days_per_week, dtype=float) / 7.0
    return rate
