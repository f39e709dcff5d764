"""Tests of forecasting.projection.drilldown: the items behind a week add up to its figure, with their likely dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.projection.drilldown import (
    CHANCE_IN_WEEK,
    DISBURSEMENTS,
    EXPECTED_IN_WEEK,
    PAY_P10,
    PAY_P50,
    PAY_P90,
    week_items,
    week_starts,
)
from forecasting.projection.forecast import aggregate, prepare
from tests.fixtures.handmade import AS_OF, EXACT, invoice, make_ledger, monthly_history
from tests.projection.test_forecast import _full_ledger


def _two_clients():
    """Return clients A (pays on the due date) and B (10 days late), with one open invoice each."""
    rows = monthly_history("A", 0, 12, first_issue="2025-10-01") + monthly_history("B", 10, 12,
                                                                                   first_issue="2025-10-01")
    rows += [invoice("A-open", "A", "2026-10-26", "2026-11-25", 1000.0),  # expected Wed 25 Nov
             invoice("B-open", "B", "2026-10-25", "2026-11-24", 2000.0)]  # expected Fri 4 Dec (+10)
    return make_ledger(rows)


def test_each_open_invoice_is_listed_in_the_week_it_is_expected_with_its_dates():
    cash = prepare(_two_clients(), AS_OF, 13, EXACT)
    weeks = week_starts(cash)
    assert weeks[:2] == [pd.Timestamp("2026-11-23"), pd.Timestamp("2026-11-30")]  # as-of is Monday 23 Nov
    first = week_items(cash, weeks[0]).set_index("invoice_id")
    assert first.loc["A-open", EXPECTED_IN_WEEK] == pytest.approx(1000.0)
    assert first.loc["A-open", CHANCE_IN_WEEK] == 1.0
    assert (first.loc["A-open", PAY_P10], first.loc["A-open", PAY_P90]) == (pd.Timestamp("2026-11-25"),) * 2
    assert "B-open" not in first.index
    second = week_items(cash, weeks[1]).set_index("invoice_id")
    assert second.loc["B-open", EXPECTED_IN_WEEK] == pytest.approx(2000.0)
    assert second.loc["B-open", PAY_P50] == pd.Timestamp("2026-12-04")


def test_the_items_of_every_week_add_up_to_its_receipts_and_disbursements():
    cash = prepare(_full_ledger(), AS_OF, 13)  # sampled: items paid on several days
    weekly = aggregate(cash).weekly
    for i, week in enumerate(week_starts(cash)):
        receipts = week_items(cash, week)
        disbursements = week_items(cash, week, DISBURSEMENTS)
        assert receipts[EXPECTED_IN_WEEK].sum() == pytest.approx(weekly["receipts"].iloc[i], abs=1e-6)
        assert disbursements[EXPECTED_IN_WEEK].sum() == pytest.approx(weekly["disbursements"].iloc[i], abs=1e-6)
        assert ((receipts[CHANCE_IN_WEEK] > 0) & (receipts[CHANCE_IN_WEEK] <= 1)).all()
        assert (disbursements[EXPECTED_IN_WEEK].abs() >= 0.005).all()  # nothing listed that adds nothing
    payroll = week_items(cash, pd.Timestamp("2026-11-30"), DISBURSEMENTS)
    # The monthly payroll of 6,000 on the 28th: Saturday 28 Nov rolls to Monday 30 Nov, in the second week.
    assert payroll.loc[payroll["invoice_id"] == "PAY", EXPECTED_IN_WEEK].tolist() == pytest.approx([6000.0])


def test_a_week_outside_the_forecast_is_refused():
    cash = prepare(_two_clients(), AS_OF, 13, EXACT)
    with pytest.raises(ValueError, match="2027-06-07 is not a week"):
        week_items(cash, pd.Timestamp("2027-06-07"))
    assert np.all(np.diff([w.value for w in week_starts(cash)]) > 0)
