"""Tests of forecasting.projection.baselines: the simple rules the backtest scores the model against."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.terms import BusinessCalendar
from forecasting.model.settlement import PAID_DATE
from forecasting.projection.baselines import baseline_offsets, delay_history, run_rate_weeks

AS_OF = pd.Timestamp("2026-07-06")  # a Monday
FR = BusinessCalendar("FR")


def _settled(rows: list[tuple[str, str, str | None, bool]]) -> pd.DataFrame:
    """Return settled invoices (counterparty, due date, paid date or None, disputed) of 100 EUR."""
    return pd.DataFrame({
        C.COUNTERPARTY_ID: [r[0] for r in rows], C.DUE_DATE: pd.to_datetime([r[1] for r in rows]),
        PAID_DATE: pd.to_datetime([r[2] for r in rows]), C.DISPUTED: [r[3] for r in rows],
        C.AMOUNT_TTC: 100.0,
    })


def test_delay_history_and_the_baselines_days_by_hand() -> None:
    history = delay_history(_settled([
        ("A", "2026-04-01", "2026-04-03", False), ("A", "2026-05-01", "2026-05-05", False),
        ("A", "2026-05-31", "2026-06-12", False), ("B", "2026-04-01", "2026-04-03", False),
        ("B", "2026-05-01", "2026-05-31", True), ("B", "2026-06-30", None, False),  # open: not a delay
    ]))
    assert history.client_median.to_dict() == {"A": 4.0, "B": 16.0}
    assert history.client_undisputed_mean.to_dict() == {"A": 6.0, "B": 2.0}
    assert (history.side_median, history.side_mean, history.dispute_extra) == (4.0, 10.0, 25.0)
    days = baseline_offsets(history, pd.Series(["A", "B", "C"]), np.array([7, 14, 28]), np.array([False, True, False]),
                            AS_OF, FR)
    assert list(days["due_date"]) == [7, 14, 28]
    assert list(days["client_median"]) == [11, 30, 32]  # C: no history, the side's median
    assert list(days["client_mean_dispute"]) == [14, 42, 38]  # 13 and 41 are Sundays: paid the Monday after
    assert list(days["side_median"]) == [11, 18, 32]


def test_a_balance_carried_forward_teaches_the_baselines_nothing_as_it_teaches_the_model_nothing() -> None:
    """A's 2 days late on 01/04, and a carried balance "due" 31/01 (its opening + 30 days) paid 10/01, 21 days early
    from a date that is not its own: A's median stays 2, not -9.5."""
    settled = _settled([("A", "2026-04-01", "2026-04-03", False), ("A", "2026-01-31", "2026-01-10", False)])
    settled[C.CARRIED_FORWARD] = [False, True]

    assert delay_history(settled).client_median.to_dict() == {"A": 2.0}


def test_without_history_every_baseline_is_the_due_date() -> None:
    history = delay_history(_settled([("A", "2026-06-30", None, False)]))
    days = baseline_offsets(history, pd.Series(["A"]), np.array([10, 12]), np.array([True, False]), AS_OF, FR)
    # Thursday 16 July; Saturday 18 July is paid on Monday 20 July
    assert {name: list(d) for name, d in days.items()} == dict.fromkeys(days, [10, 14])


def test_run_rate_is_the_mean_week_of_the_13_weeks_to_as_of() -> None:
    dates = pd.Series(pd.to_datetime(["2026-04-06", "2026-04-07", "2026-05-01", "2026-07-06", "2026-07-07"]))
    # the 91 days 7 April..6 July count: 6 April (13 weeks before as-of) and 7 July (after it) do not
    amounts = np.array([999.0, 650.0, 650.0, 1300.0, 5000.0])
    rate = run_rate_weeks(dates, amounts, AS_OF, np.array([6, 7, 7]))
    assert rate == pytest.approx([200.0 * 6 / 7, 200.0, 200.0])  # 2600 / 13 a week, a 6-day first week pro rata
