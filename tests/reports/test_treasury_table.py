"""Tests of forecasting.reports.treasury_table and projection.breakdown on a company whose flows are all known
(planned flows, no invoices), so every figure is worked out by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.projection.breakdown import Breakdown, breakdown
from forecasting.projection.forecast import aggregate, prepare
from forecasting.projection.snapshot import snapshot_frames
from forecasting.projection.types import Projection
from forecasting.reports.treasury_table import ACTUAL, FORECAST, MIXED, treasury_table
from tests.fixtures.bank_snapshots import movements
from tests.fixtures.handmade import EXACT, make_ledger

Forecast = tuple[Projection, Breakdown]
AS_OF = date(2026, 11, 22)  # a Sunday: week 1 is Mon 23 - Sun 29 November


def _flow(flow_id: str, category: str, account: str, amount: float, day: str) -> dict[str, object]:
    """Return a one-off planned flow."""
    return {C.FLOW_ID: flow_id, C.LABEL: flow_id, C.CATEGORY: category, C.ACCOUNT_ID: account, C.AMOUNT: amount,
            C.CURRENCY: "EUR", C.FIRST_DATE: pd.Timestamp(day), C.RECURRENCE: "none", C.END_DATE: pd.NaT}


@pytest.fixture(scope="module")
def forecast() -> Forecast:
    """Return the projection and breakdown: MAIN 5,000 and OPS 1,000 at as-of; payroll -2,000 (Wed 25 Nov, MAIN),
    a grant +400 (Thu 26 Nov, MAIN), rent -300 (Tue 1 Dec, OPS)."""
    accounts = [{C.ACCOUNT_ID: a, C.NAME: a, C.BANK: "B", C.CURRENCY: "EUR", C.OVERDRAFT_LIMIT: 0.0}
                for a in ("MAIN", "OPS")]
    balances = [{C.ACCOUNT_ID: "MAIN", C.BALANCE_DATE: pd.Timestamp(AS_OF), C.BALANCE: 5000.0},
                {C.ACCOUNT_ID: "OPS", C.BALANCE_DATE: pd.Timestamp(AS_OF), C.BALANCE: 1000.0}]
    flows = [_flow("pay", "payroll", "MAIN", -2000.0, "2026-11-25"), _flow("grant", "other", "MAIN", 400.0, "2026-11-26"),
             _flow("rent", "rent", "OPS", -300.0, "2026-12-01")]
    cash = prepare(make_ledger(bank_accounts=accounts, bank_balances=balances, planned_flows=flows), AS_OF, 2, EXACT)
    return aggregate(cash), breakdown(cash)


# Before as-of, the bank: VAT -100 (10 Nov, MAIN), a client +700 (16 Nov, MAIN), a fee -50 (17 Nov, OPS).
MOVES = movements([("MAIN", "2026-11-10", -100.0, "vat"), ("MAIN", "2026-11-16", 700.0, "clients"),
                   ("OPS", "2026-11-17", -50.0, "bank_fees")])


def _table(forecast: Forecast, period: str = "week", account: str | None = None,
           moves: pd.DataFrame = MOVES) -> pd.DataFrame:
    """Return the table with ISO dates as columns and a 'status' row (past: 2 weeks or 1 month)."""
    projection, parts = forecast
    result = treasury_table(projection, parts, moves, moves[C.AMOUNT].to_numpy(), AS_OF, period,
                            past=2 if period == "week" else 1, account=account)
    table = result.table.astype(object)
    table.columns = [c.date().isoformat() for c in table.columns]
    table.loc["status"] = [result.status[c] for c in result.table.columns]
    return table


def test_the_weekly_table_of_all_accounts_by_hand(forecast: Forecast) -> None:
    table = _table(forecast)
    assert list(table.columns) == ["2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
    assert table.loc["status"].tolist() == [ACTUAL, ACTUAL, FORECAST, FORECAST]
    assert table.loc["opening"].tolist() == [5450.0, 5350.0, 6000.0, 4400.0]
    assert table.loc["vat_tax"].tolist() == [100.0, 0.0, 0.0, 0.0]
    assert table.loc["clients"].tolist() == [0.0, 700.0, 0.0, 0.0]
    assert table.loc["other_receipts"].tolist() == [0.0, 0.0, 400.0, 0.0]
    assert table.loc["payroll"].tolist() == [0.0, 0.0, 2000.0, 0.0]
    assert table.loc["other_disbursements"].tolist() == [0.0, 50.0, 0.0, 300.0]  # the fee, then rent
    assert table.loc["net"].tolist() == [-100.0, 650.0, -1600.0, -300.0]
    assert table.loc["closing_expected"].tolist() == [5350.0, 6000.0, 4400.0, 4100.0]
    # Nothing is uncertain here: the range of the forecast weeks is the closing itself; actual weeks have none.
    assert table.loc["closing_p10"].tolist()[2:] == table.loc["closing_p90"].tolist()[2:] == [4400.0, 4100.0]
    assert np.isnan(table.loc["closing_p50"].iloc[0])


def test_opening_plus_net_is_closing_in_every_period(forecast: Forecast) -> None:
    for period in ("week", "month"):
        for account in (None, "MAIN", "OPS"):
            table = _table(forecast, period, account)
            opening, net, closing = (table.loc[line].astype(float) for line in ("opening", "net", "closing_expected"))
            np.testing.assert_allclose(opening + net, closing, atol=1e-9)
            np.testing.assert_allclose(opening.iloc[1:].to_numpy(), closing.iloc[:-1].to_numpy(), atol=1e-9)


def test_per_account_and_by_month(forecast: Forecast) -> None:
    main = _table(forecast, account="MAIN")
    assert main.loc["opening"].tolist() == [4400.0, 4300.0, 5000.0, 3400.0]
    assert main.loc["closing_expected"].tolist() == [4300.0, 5000.0, 3400.0, 3400.0]
    ops = _table(forecast, account="OPS")
    assert ops.loc["closing_expected"].tolist() == [1050.0, 1000.0, 1000.0, 700.0]
    months = _table(forecast, "month")
    assert list(months.columns) == ["2026-10-01", "2026-11-01", "2026-12-01"]
    assert months.loc["status"].tolist() == [ACTUAL, MIXED, FORECAST]
    assert months.loc["opening"].tolist() == [5450.0, 5450.0, 4400.0]
    assert months.loc["net"].tolist() == [0.0, -1050.0, -300.0]  # Dec runs to Sun 6, the horizon's last day


def test_without_movements_the_table_starts_after_as_of(forecast: Forecast) -> None:
    table = _table(forecast, moves=MOVES.iloc[:0])
    assert list(table.columns) == ["2026-11-23", "2026-11-30"]
    assert table.loc["opening"].tolist() == [6000.0, 4400.0]


def test_the_snapshot_keeps_the_weekly_flows_and_the_outlook_s_closings(forecast: Forecast) -> None:
    projection, parts = forecast
    frames = snapshot_frames(projection, parts)
    flows = frames.flows.assign(week_start=frames.flows[C.WEEK_START].dt.date.astype(str))
    assert flows.values.tolist() == [["2026-11-23", "MAIN", "other", 400.0, 0.0],
                                     ["2026-11-23", "MAIN", "payroll", 0.0, 2000.0],
                                     ["2026-11-30", "OPS", "rent", 0.0, 300.0]]
    closings = frames.closings.set_index([C.WEEK_START, C.ACCOUNT_ID])["closing_p50"]
    assert closings[(pd.Timestamp("2026-11-30"), "OPS")] == 700.0
    assert closings[(pd.Timestamp("2026-11-30"), C.TOTAL_ACCOUNT)] == projection.weekly["closing_p50"].iloc[-1] == 4100
