"""Snapshots in the store: written whole and read back to the cent, listed, deleted; a failed write changes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.store.database import Store
from forecasting.store.snapshots import (
    delete_snapshot,
    list_snapshots,
    read_movements,
    read_snapshot,
    save_snapshot,
    snapshot_in_week,
)
from tests.fixtures.bank_snapshots import insert_movements, movements

FLOWS = pd.DataFrame({C.WEEK_START: pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-12"]),
                      C.ACCOUNT_ID: ["MAIN", "OPS", "MAIN"], C.CATEGORY: ["clients", "rent", "clients"],
                      "receipts": [1234.56, 0.0, 99.99], "disbursements": [0.0, 700.0, 0.0]})
CLOSINGS = pd.DataFrame({C.WEEK_START: pd.to_datetime(["2026-01-05", "2026-01-12"]),
                         C.ACCOUNT_ID: [C.TOTAL_ACCOUNT] * 2, "closing_expected": [10534.56, 10634.55],
                         "closing_p10": [9000.0, 8000.0], "closing_p50": [10500.0, 10600.0],
                         "closing_p90": [12000.0, 13000.0]})
SETTINGS = {"as_of": "2026-01-04", "horizon_weeks": 2, "scenario": None, "data_version": 3}


def test_round_trip(store: Store) -> None:
    first = save_snapshot(store, date(2026, 1, 4), "board of January", SETTINGS, False, FLOWS, CLOSINGS,
                          created_at=datetime(2026, 1, 4, 18, 30))
    second = save_snapshot(store, date(2026, 1, 11), "", SETTINGS | {"horizon_weeks": 13}, True, FLOWS.iloc[:1],
                           CLOSINGS.iloc[:1], created_at=datetime(2026, 1, 12, 8, 0))
    assert second == first + 1
    found = read_snapshot(store, first)
    assert (found.label, found.as_of, found.auto, found.horizon_weeks) == (
        "board of January", pd.Timestamp("2026-01-04"), False, 2)
    assert found.settings == SETTINGS
    pd.testing.assert_frame_equal(found.flows, FLOWS.sort_values(list(FLOWS.columns)).reset_index(drop=True),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(found.closings, CLOSINGS, check_dtype=False)
    listed = list_snapshots(store)
    assert listed[C.SNAPSHOT_ID].tolist() == [first, second]
    assert listed["horizon_weeks"].tolist() == [2, 13] and listed["auto"].tolist() == [False, True]
    assert snapshot_in_week(store, date(2026, 1, 12)) == second
    assert snapshot_in_week(store, date(2026, 1, 5)) is None  # the one of that week was taken by hand
    delete_snapshot(store, first)
    assert list_snapshots(store)[C.SNAPSHOT_ID].tolist() == [second]
    with pytest.raises(InputError, match=f"no snapshot {first}: the snapshots are {second}"):
        read_snapshot(store, first)


def test_unknown_ids_and_a_failed_write_change_nothing(store: Store) -> None:
    before = store.table_checksums()
    with pytest.raises(InputError, match="no snapshot 7: no snapshot was taken yet"):
        read_snapshot(store, 7)
    with pytest.raises(InputError, match="no snapshot 7 to delete"):
        delete_snapshot(store, 7)
    twice = pd.concat([FLOWS, FLOWS.iloc[:1]], ignore_index=True)  # one week, account and category twice
    with pytest.raises(Exception, match="(?i)constraint|duplicate"):
        save_snapshot(store, date(2026, 1, 4), "", SETTINGS, False, twice, CLOSINGS)
    assert store.table_checksums() == before
    assert "snapshot_flows" in before


def test_movements_read_back(store: Store) -> None:
    insert_movements(store, movements([("MAIN", "2026-01-06", 400.5, "clients"), ("OPS", "2026-01-05", -7.0, None)]))
    found = read_movements(store)
    assert found[C.AMOUNT].tolist() == [-7.0, 400.5]
    assert found[C.BOOKING_DATE].tolist() == [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-06")]
    assert found[C.CATEGORY].isna().tolist() == [True, False]
