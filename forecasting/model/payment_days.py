"""Payment days of invoices drawn from a fitted behaviour model: the one entry point of the projection and the backtest.

Offsets are days after the as-of date (day 1 = the day after as-of). Each draw is a delay from the model given what
was known at as-of, added to the due date, then moved to a day money moves on for that counterparty. A draw the
model says is never paid is `NEVER`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core.terms import BusinessCalendar
from forecasting.model.behaviour import BehaviourModel
from forecasting.model.sampling import NEVER, sample_delay_days


@dataclass(frozen=True)
class InvoiceDays:
    """What the sampler needs of each invoice: who owes it, what is known of it, and its days as offsets.

    Day arrays are [n, 1] (the same for every draw) or [n, n_sims] (future invoices, issued on a drawn day).
    """

    counterparty_ids: npt.NDArray[Any]  # [n] text
    segments: npt.NDArray[Any]  # [n] text (missing: the counterparty's own or everyone's behaviour)
    disputed: npt.NDArray[np.bool_]  # [n] flagged disputed at as-of
    not_issued: npt.NDArray[np.bool_]  # [n] issued after as-of: whether it will be disputed is not known yet
    due_offsets: npt.NDArray[np.integer[Any]]  # [n, 1] or [n, n_sims]
    unpaid_through_offsets: npt.NDArray[np.integer[Any]]  # [n, 1] or [n, n_sims]: known unpaid through this day


def sample_pay_offsets(model: BehaviourModel, invoices: InvoiceDays, as_of: pd.Timestamp,
                       uniforms: npt.NDArray[np.float64]) -> npt.NDArray[np.int32]:
    """Return payment day offsets [n, n_sims] (NEVER: not paid) drawn with the given uniforms."""
    rows = model.rows_for(invoices.counterparty_ids, invoices.segments, invoices.disputed)
    due = np.asarray(invoices.due_offsets, dtype=np.int64)
    delay = sample_delay_days(model, rows, np.asarray(invoices.unpaid_through_offsets) - due, uniforms)
    never = delay >= NEVER
    pay = delay.astype(np.int64) + due
    pay[never] = 0
    out = settlement_days(model, pay, as_of)
    out[never] = NEVER
    return out


def settlement_days(model: BehaviourModel, pay_offsets: npt.NDArray[np.int64],
                    as_of: pd.Timestamp) -> npt.NDArray[np.int32]:
    """Return payment offsets moved to days money moves on (the next business day; day 0 and before roll like day 1)."""
    calendar = BusinessCalendar(model.settings.calendar_country)
    day0 = np.datetime64(as_of.date(), "D")
    lo, hi = 1, max(int(pay_offsets.max(initial=1)), 1)
    days = day0 + np.arange(lo, hi + 1)
    table = (calendar.roll_forward(days) - day0).astype(np.int64)
    clipped = np.clip(pay_offsets, lo, hi) - lo
    return table[clipped].astype(np.int32)
