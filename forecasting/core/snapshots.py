"""A forecast snapshot as the store returns it: shared by the store (which writes and reads it) and the stages above."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True, eq=False)
class StoredSnapshot:
    """One frozen forecast: when and at which as-of it was taken, its settings, its weekly flows and closings."""

    snapshot_id: int
    created_at: pd.Timestamp
    as_of: pd.Timestamp
    label: str
    settings: dict[str, Any]  # as_of, horizon_weeks, scenario (None: the baseline), data_version, n_sims, seed
    auto: bool  # taken by `cashpilot snapshot --weekly`
    flows: pd.DataFrame  # week_start, account_id, category, receipts, disbursements (EUR, both positive)
    closings: pd.DataFrame  # week_start, account_id (TOTAL_ACCOUNT for all), closing_expected, p10, p50, p90

    @property
    def horizon_weeks(self) -> int:
        """Return the number of weeks the snapshot's forecast covers."""
        return int(self.settings.get("horizon_weeks", 0))
