"""Data page: upload a file, check the guessed columns, import it, see errors or counts, and the history."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from forecasting.errors import CashpilotError
from forecasting.ingest.fields import fields_of
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.pipeline import ImportRejected, import_file, preview
from pages.common import ensure_app, get_store

ensure_app()

KIND_LABELS = {
    "receivables": "Receivables (client invoices)",
    "payables": "Payables (supplier invoices)",
    "payments": "Payments",
    "bank-balances": "Bank balances",
    "planned-flows": "Planned flows",
    "counterparties": "Clients and suppliers",
    "fx-rates": "Exchange rates",
    "fec": "FEC (French accounting export)",
}
NOT_USED = "— not in the file —"

st.title("Data")
store = get_store()

kind = st.selectbox("What does the file contain?", list(KIND_LABELS), format_func=KIND_LABELS.get, key="import_kind")
upload = st.file_uploader("File (CSV, xlsx, Parquet, FEC)", type=["csv", "txt", "tsv", "xlsx", "parquet"],
                          key="import_file")


def _saved_upload(upload_file) -> Path:  # noqa: ANN001
    """Return the uploaded file written to a temporary path with its extension (readers go by it)."""
    target = Path(tempfile.gettempdir()) / f"cashpilot-upload-{upload_file.file_id}{Path(upload_file.name).suffix}"
    if not target.exists():
        target.write_bytes(upload_file.getvalue())
    return target


if upload is not None:
    path = _saved_upload(upload)
    try:
        sheet = None
        mapping: dict[str, str] = {}
        if kind != "fec":
            if path.suffix.lower() == ".xlsx":
                sheet = st.text_input("Sheet (empty = the first)", key="import_sheet") or None
            pv = preview(path, kind, sheet=sheet, display_name=upload.name)
            st.markdown("**Columns**: check what each field is read from, and correct it if needed.")
            options = [NOT_USED, *pv.headers]
            cols = st.columns(3)
            for i, f in enumerate(fields_of(kind)):
                guessed = pv.mapping.get(f.name)
                label = f"{f.name}{' *' if f.required else ''}"
                choice = cols[i % 3].selectbox(label, options, index=options.index(guessed) if guessed else 0,
                                               key=f"map_{kind}_{f.name}", help=f.help or None)
                if choice != NOT_USED:
                    mapping[f.name] = choice
                elif guessed:
                    mapping[f.name] = ""  # the user removed a guessed column
            st.markdown("**First rows of the file**")
            st.dataframe(pv.sample, hide_index=True, width="stretch")
        date_format = st.text_input("Date format (empty = detect: 2026-12-31 or 31/12/2026)", key="import_date_format",
                                    placeholder="%m/%d/%Y") or None
        skip_invalid = st.checkbox("Import the valid rows and set the invalid ones aside", key="import_skip")
        if st.button("Import", type="primary", key="import_go"):
            rejects = Path(tempfile.gettempdir()) / f"cashpilot-rejects-{upload.file_id}.csv"
            opts = ImportOptions(kind=kind, mapping=mapping, date_format=date_format, sheet=sheet,
                                 skip_invalid=skip_invalid, rejects_path=str(rejects) if skip_invalid else None)
            try:
                report = import_file(store, path, opts, display_name=upload.name)
            except ImportRejected as exc:
                st.error(f"{exc.total} error(s) found in {upload.name}: nothing was imported.")
                st.dataframe(exc.errors, hide_index=True, width="stretch")
            else:
                st.success(report.summary())
                if report.rejected and rejects.exists():
                    st.warning(f"{report.rejected} rows were set aside.")
                    st.dataframe(report.errors, hide_index=True, width="stretch")
                    st.download_button("Download the rejected rows", rejects.read_bytes(), file_name="rejects.csv",
                                       mime="text/csv")
    except CashpilotError as exc:
        st.error(str(exc))

st.subheader("Import history")
log = store.import_log(200)
if log.empty:
    st.caption("No import yet.")
else:
    st.dataframe(log.drop(columns=["sha256"]), hide_index=True, width="stretch")

with st.expander("Accepted fields"):
    rows = [{"field": f.name, "required": "yes" if f.required else "", "type": f.type, "notes": f.help,
             "recognised headers": ", ".join(f.aliases[:8])} for f in fields_of(kind if kind != "fec" else "receivables")]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
