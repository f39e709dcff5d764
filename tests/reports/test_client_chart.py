"""Tests of the client history chart: payments as points, the learned range and median drawn after as-of."""

from __future__ import annotations

import pandas as pd

from forecasting.model.explain import OWN, CounterpartyBehaviour
from forecasting.reports.charts.client import client_history_figure

BEHAVIOUR = CounterpartyBehaviour("C1", OWN, 12, 1, 12 / 17, 3.0, -2.0, 10.0, 0.0, 0.0, (0, 1, 2, 3, 4), 0.1, 40.0,
                                  365.0)
HISTORY = pd.DataFrame({"invoice_id": ["F1", "F2"], "payment_date": pd.to_datetime(["2026-09-01", "2026-10-01"]),
                        "delay_days": [2, -1]})


def test_the_chart_draws_each_payment_and_the_learned_delay_from_as_of_on():
    fig = client_history_figure(HISTORY, BEHAVIOUR, pd.Timestamp("2026-11-23"), lang="fr")
    band, median, points = fig.data
    assert list(points.y) == [2, -1]
    assert list(median.y) == [3.0, 3.0] and pd.Timestamp(median.x[0]) == pd.Timestamp("2026-11-23")
    assert sorted(set(band.y)) == [-2.0, 10.0]  # P10 and P90 of the learned delay
    assert fig.layout.title.text == "Jours de retard de chaque paiement, et le retard appris (jours)"


def test_a_credit_note_in_the_history_is_no_point_of_the_chart():
    history = pd.DataFrame({"invoice_id": ["F1", "F1"], "payment_date": pd.to_datetime(["2026-09-01", "2026-09-20"]),
                            "settled_by": ["cash", "credit_note"], "delay_days": [2.0, float("nan")]})
    points = client_history_figure(history, BEHAVIOUR, pd.Timestamp("2026-11-23"), lang="en").data[-1]
    assert list(points.y) == [2.0] and [pd.Timestamp(x) for x in points.x] == [pd.Timestamp("2026-09-01")]
