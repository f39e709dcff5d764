"""Forecast snapshots in the database (write, list, read, delete) and the bank movements they are compared with."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pandas as pd

from forecasting.core import access
from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.snapshots import StoredSnapshot
from forecasting.store.database import Store

FLOW_NAMES = [C.SNAPSHOT_ID, C.WEEK_START, C.ACCOUNT_ID, C.CATEGORY, "receipts", "disbursements"]
CLOSING_NAMES = [C.SNAPSHOT_ID, C.WEEK_START, C.ACCOUNT_ID, "closing_expected", "closing_p10", "closing_p50",
                 "closing_p90"]
LIST_COLUMNS = [C.SNAPSHOT_ID, "created_at", "as_of", C.LABEL, "auto", "horizon_weeks", "data_version"]


def save_snapshot(store: Store, as_of: date, label: str, settings: dict[str, Any], auto: bool,
                  flows: pd.DataFrame, closings: pd.DataFrame, created_at: datetime | None = None) -> int:
    """Write one snapshot in one transaction and return its id (nothing is written if any part fails)."""
    kind = "weekly" if auto else "by hand"
    details = f"as of {as_of}, {settings.get('horizon_weeks', '?')} weeks, {kind}" + (f", '{label}'" if label else "")
    with store.transaction(access.SNAPSHOT_CREATE, details) as tx:
        snapshot_id = int(tx.scalar(
            "INSERT INTO snapshots (created_at, as_of, label, settings, auto) VALUES (?, ?, ?, ?, ?) "
            "RETURNING snapshot_id", [created_at or datetime.now(), as_of, label, json.dumps(settings), auto]))
        for table, names, frame in (("snapshot_flows", FLOW_NAMES, flows), ("snapshot_closings", CLOSING_NAMES,
                                                                              closings)):
            rows = frame.assign(**{C.SNAPSHOT_ID: snapshot_id})[names]
            tx.register("_snapshot_rows", rows)
            cols = ", ".join(names)
            tx.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _snapshot_rows")
            tx.con.unregister("_snapshot_rows")
        tx.note = f"snapshot {snapshot_id}: {len(flows)} flow rows, {len(closings)} closing rows"
        # No data_version bump: a snapshot is not data the forecast reads, and the next snapshot of the same
        # data must record the same version.
    return snapshot_id


def list_snapshots(store: Store) -> pd.DataFrame:
    """Return every snapshot (LIST_COLUMNS), oldest first."""
    with store.reading() as tx:
        frame = tx.df("SELECT snapshot_id, created_at, as_of, label, auto, CAST(settings AS VARCHAR) AS settings "
                      "FROM snapshots ORDER BY created_at, snapshot_id")
    settings = [json.loads(text) for text in frame["settings"]]
    frame["horizon_weeks"] = [int(s.get("horizon_weeks", 0)) for s in settings]
    frame["data_version"] = [s.get("data_version") for s in settings]
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    frame["auto"] = frame["auto"].astype(bool)
    return frame[LIST_COLUMNS]


def read_snapshot(store: Store, snapshot_id: int) -> StoredSnapshot:
    """Return one snapshot; raise InputError naming the snapshots there are when the id is unknown."""
    with store.reading() as tx:
        row = tx.row("SELECT snapshot_id, created_at, as_of, label, CAST(settings AS VARCHAR), auto FROM snapshots "
                     "WHERE snapshot_id = ?", [int(snapshot_id)])
        if row is None:
            known = [str(r[0]) for r in tx.con.execute(
                "SELECT snapshot_id FROM snapshots ORDER BY snapshot_id").fetchall()]
            raise InputError(f"no snapshot {snapshot_id}: "
                             + (f"the snapshots are {', '.join(known)}" if known else "no snapshot was taken yet"))
        flows = tx.df("SELECT week_start, account_id, category, CAST(receipts AS DOUBLE) AS receipts, "
                      "CAST(disbursements AS DOUBLE) AS disbursements FROM snapshot_flows WHERE snapshot_id = ? "
                      "ORDER BY ALL", [int(snapshot_id)])
        closings = tx.df("SELECT week_start, account_id, CAST(closing_expected AS DOUBLE) AS closing_expected, "
                         "CAST(closing_p10 AS DOUBLE) AS closing_p10, CAST(closing_p50 AS DOUBLE) AS closing_p50, "
                         "CAST(closing_p90 AS DOUBLE) AS closing_p90 FROM snapshot_closings "
                         "WHERE snapshot_id = ? ORDER BY ALL", [int(snapshot_id)])
    for frame in (flows, closings):
        frame[C.WEEK_START] = pd.to_datetime(frame[C.WEEK_START])
    return StoredSnapshot(snapshot_id=int(row[0]), created_at=pd.Timestamp(row[1]), as_of=pd.Timestamp(row[2]),
                          label=str(row[3]), settings=json.loads(row[4]), auto=bool(row[5]), flows=flows,
                          closings=closings)


def all_snapshots(store: Store) -> list[StoredSnapshot]:
    """Return every snapshot, oldest first (for the exports and the accuracy over time)."""
    if not store.exists():
        return []
    return [read_snapshot(store, int(i)) for i in list_snapshots(store)[C.SNAPSHOT_ID]]


def delete_snapshot(store: Store, snapshot_id: int) -> None:
    """Delete one snapshot and its rows in one transaction; raise InputError when there is none of that id."""
    with store.transaction(access.SNAPSHOT_DELETE, f"snapshot {snapshot_id}") as tx:
        found = tx.row("SELECT as_of, label, auto FROM snapshots WHERE snapshot_id = ?", [int(snapshot_id)])
        if found is None:  # an error, not "nothing to do": the CLI and the page only offer snapshots there are
            raise InputError(f"no snapshot {snapshot_id} to delete")
        as_of, label, auto = found
        tx.note = f"as of {as_of}, {'weekly' if auto else 'by hand'}" + (f", '{label}'" if label else "")
        for table in ("snapshot_flows", "snapshot_closings", "snapshots"):
            tx.execute(f"DELETE FROM {table} WHERE snapshot_id = ?", [int(snapshot_id)])


def snapshot_in_week(store: Store, week_start: date) -> int | None:
    """Return the id of an automatic snapshot created in the ISO week starting on `week_start`, or None."""
    start = pd.Timestamp(week_start)
    with store.reading() as tx:
        found = tx.scalar("SELECT min(snapshot_id) FROM snapshots WHERE auto AND created_at >= ? AND created_at < ?",
                          [start.to_pydatetime(), (start + pd.Timedelta(days=7)).to_pydatetime()])
    return None if found is None else int(found)


def read_movements(store: Store) -> pd.DataFrame:
    """Return the bank movements (C.BANK_MOVEMENT_COLUMNS), dates as datetime64 and amounts as float64."""
    with store.reading() as tx:
        frame = tx.df(f"SELECT {', '.join(C.BANK_MOVEMENT_COLUMNS)} FROM bank_movements "
                      "ORDER BY booking_date, account_id, movement_id")
    frame[C.AMOUNT] = frame[C.AMOUNT].astype("float64")
    for column in (C.BOOKING_DATE, C.VALUE_DATE):
        frame[column] = pd.to_datetime(frame[column])
    return frame
