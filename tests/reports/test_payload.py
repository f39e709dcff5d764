"""The forecast's JSON payload from a projection summary and a weekly frame: cents, ISO dates, None when missing."""

from __future__ import annotations

import json

import pandas as pd

from forecasting.reports.payload import forecast_payload, summary_json
from tests.fixtures.summaries import projection_summary


def test_summary_json_rounds_to_the_cent_and_writes_iso_dates() -> None:
    summary = projection_summary(opening_balance=1234.567, min_cash=-0.004, min_cash_date=pd.Timestamp("2027-01-04"),
                                 first_shortfall_date=pd.Timestamp("2027-01-04 00:00"), overdraft_limit=float("nan"),
                                 covers=("receipts", "bank_balances"), notes=("a note",))
    out = summary_json(summary)
    assert out["opening_balance"] == 1234.57  # 1 234.567 to the cent
    assert out["min_cash"] == -0.0 and out["min_cash_date"] == "2027-01-04"
    assert out["first_shortfall_date"] == "2027-01-04" and out["first_overdraft_breach_date"] is None
    assert out["overdraft_limit"] is None  # NaN is no JSON number
    assert out["as_of"] == "2026-11-23" and out["horizon_weeks"] == 13
    assert out["covers"] == ["receipts", "bank_balances"] and out["notes"] == ["a note"]
    # the fields scripts do not see stay out of the JSON
    assert not {"n_sims", "min_cash_p10", "receipts_after_horizon", "invoicing_forecast"} & set(out)


def test_forecast_payload_weeks_in_cents_with_their_monday() -> None:
    weekly = pd.DataFrame({
        "week_start": pd.to_datetime(["2026-11-23", "2026-11-30"]), "receipts": [100.004, 0.0],
        "disbursements": [39.998, 12.346], "net": [60.006, -12.346], "closing_p10": [900.0, 880.0],
        "closing_p50": [1000.0, 987.65], "closing_p90": [1100.0, float("nan")], "opening": [940.0, 1000.0],
        "closing_expected": [1000.006, 987.66],
    })
    payload = forecast_payload(weekly, projection_summary())
    json.dumps(payload, allow_nan=False)  # valid JSON: no NaN left
    first, second = payload["weeks"]
    # to the cent, away from the halves (whose binary value rounds either way)
    assert first == {"week_start": "2026-11-23", "receipts": 100.0, "disbursements": 40.0, "net": 60.01,
                     "closing_p10": 900.0, "closing_p50": 1000.0, "closing_p90": 1100.0, "closing_expected": 1000.01}
    assert second["week_start"] == "2026-11-30" and second["disbursements"] == 12.35 and second["net"] == -12.35
    assert second["closing_p90"] is None
