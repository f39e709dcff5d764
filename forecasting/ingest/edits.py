"""Tables edited in the dashboard, written through the same checks as an imported file (all or nothing)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.access import PLANNED_FLOWS_EDIT
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.parsing import Conventions
from forecasting.ingest.readers import RawFile
from forecasting.ingest.staging import ImportReport, run_in_transaction
from forecasting.store.database import Store

EDITED_FLOWS = "planned flows (edited in the dashboard)"  # the import log's file name, and the errors'
FLOW_FIELDS = [C.FLOW_ID, C.LABEL, C.CATEGORY, C.ACCOUNT_ID, C.AMOUNT, C.CURRENCY, C.FIRST_DATE, C.RECURRENCE,
               C.END_DATE]
# The edited table's cells are written as text the English way, whatever the page's language.
_CONVENTIONS: Conventions = {"date_format": "%Y-%m-%d", "decimal_comma": {C.AMOUNT: False}}


def _cell(value: object) -> str | None:
    """Return one edited cell as import text: dates ISO, numbers with a point, blanks as missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]
    text = str(value).strip()
    return text or None


def replace_planned_flows(store: Store, flows: pd.DataFrame) -> ImportReport:
    """Replace every planned flow with the edited table, checked as an import; on any error nothing changes.

    Rows are numbered from 1 as the table shows them; a row without an id gets one from its label and first date.
    """
    frame = pd.DataFrame({f: [_cell(v) for v in flows[f]] if f in flows else None for f in FLOW_FIELDS},
                         dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    raw = RawFile(path=Path(EDITED_FLOWS), display_name=EDITED_FLOWS, sha256=digest, headers=list(FLOW_FIELDS),
                  sample=frame.head(20), frame=frame)
    options = ImportOptions(kind="planned-flows", source="dashboard")
    with store.transaction(PLANNED_FLOWS_EDIT) as tx:
        before = tx.row(_FLOWS_DIGEST)
        tx.execute("DELETE FROM planned_flows")  # rolled back with the rest if a row is refused
        if frame.dropna(how="all").empty:
            tx.bump_data_version()
            tx.note = f"every planned flow removed ({before[0] if before else 0})"
            report = ImportReport(EDITED_FLOWS, "planned-flows", 0, 0, 0, 0, 0)
        else:
            report = run_in_transaction(tx, raw, options, {f: f for f in FLOW_FIELDS}, _CONVENTIONS)
            tx.note = f"{before[0] if before else 0} planned flows before, {report.inserted} saved"
        # Saved as they were: nothing to do, so nothing written (not even the import history's line).
        tx.unchanged = tx.row(_FLOWS_DIGEST) == before
        return report


_FLOWS_DIGEST = "SELECT count(*), COALESCE(sum(hash(t)), 0) FROM planned_flows AS t"  # order-free: rows as a set
