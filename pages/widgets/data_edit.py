"""The Data page's editors: planned flows edited in a table (checked like an import), and starting from empty."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from forecasting.core import columns as C
from forecasting.ingest.edits import replace_planned_flows
from forecasting.ingest.staging import ImportRejected
from forecasting.scenarios.flows import CATEGORY_NAMES as FLOW_CATEGORY_NAMES
from pages.widgets.common import _, counted, date_format, get_store, known, load_ledger

CATEGORY_NAMES = dict(FLOW_CATEGORY_NAMES)  # the What-if one-off flow's names: one wording everywhere
RECURRENCE_NAMES = {"none": "once", "weekly": "weekly", "monthly": "monthly", "quarterly": "quarterly",
                    "yearly": "yearly"}
ERROR_COLUMNS = {"row": "Row", "column": "Column", "value": "Value", "reason": "Reason"}


def planned_flows_editor() -> None:
    """Draw the planned flows as an editable table; Save replaces them all, or shows why nothing changed."""
    st.subheader(_("Planned flows"))
    st.caption(_("Payroll, social charges, VAT, rent, loans, capex: add a row, change a cell or delete rows, then "
                 "save. Amounts in the flow's currency, − for money out. Each row is checked as an imported file "
                 "would be; if one is wrong, nothing is saved."))
    ledger = load_ledger()
    flows = ledger.planned_flows[C.PLANNED_FLOW_COLUMNS].copy()
    for column in (C.FIRST_DATE, C.END_DATE):
        flows[column] = pd.to_datetime(flows[column]).dt.date
    accounts = ledger.bank_accounts[C.ACCOUNT_ID].astype(str).tolist()
    cc = st.column_config
    edited = st.data_editor(
        flows, num_rows="dynamic", hide_index=True, width="stretch", key="flows_editor",
        column_config={
            C.FLOW_ID: cc.TextColumn(_("Id"), help=_("Empty: made from the label and the first date")),
            C.LABEL: cc.TextColumn(_("Label"), required=True),
            C.CATEGORY: cc.SelectboxColumn(_("Category"), options=list(CATEGORY_NAMES), required=True,
                                           format_func=lambda c: _(CATEGORY_NAMES.get(c, c))),
            C.ACCOUNT_ID: cc.SelectboxColumn(_("Account"), options=accounts),
            C.AMOUNT: cc.NumberColumn(_("Amount"), required=True, format="%.2f"),
            C.CURRENCY: cc.TextColumn(_("Currency"), default=C.REPORTING_CURRENCY, max_chars=3),
            C.FIRST_DATE: cc.DateColumn(_("First date"), required=True, format=date_format()),
            C.RECURRENCE: cc.SelectboxColumn(_("Recurrence"), options=list(RECURRENCE_NAMES), default="none",
                                             format_func=lambda r: _(RECURRENCE_NAMES.get(r, r))),
            C.END_DATE: cc.DateColumn(_("End date"), format=date_format()),
        })
    if st.button(_("Save the planned flows"), icon=":material/save:", key="flows_save"):
        try:
            report = replace_planned_flows(get_store(), edited)
        except ImportRejected as exc:
            st.error(counted("{n} error found: nothing was saved.", "{n} errors found: nothing was saved.",
                             exc.total))
            st.dataframe(exc.errors.assign(reason=exc.errors["reason"].map(known)), hide_index=True,
                         width="stretch", column_config={c: _(label) for c, label in ERROR_COLUMNS.items()})
        else:
            st.success(counted("{n} planned flow saved.", "{n} planned flows saved.", report.inserted))


def start_from_empty() -> None:
    """Draw the way to remove every imported row (the demo first of all), behind a confirmation."""
    if note := st.session_state.pop("emptied_note", None):
        st.success(note)
        st.session_state["empty_sure"] = False  # before the box is drawn again: the next removal asks again
    with st.expander(_("Start from empty"), icon=":material/delete_forever:"):
        store = get_store()
        counts = store.status()["counts"] if store.exists() else {}
        st.markdown(counted(
            "Removes every invoice, payment, balance, planned flow and the import history ({n} row) from this "
            "database, to load your own files instead of the demo company. The demo is not loaded back when the "
            "dashboard restarts (`cashpilot demo` loads it on purpose).",
            "Removes every invoice, payment, balance, planned flow and the import history ({n} rows) from this "
            "database, to load your own files instead of the demo company. The demo is not loaded back when the "
            "dashboard restarts (`cashpilot demo` loads it on purpose).", sum(counts.values())))
        keep = st.checkbox(_("Keep the saved scenarios"), value=True, key="empty_keep_scenarios")
        sure = st.checkbox(_("I understand that this cannot be undone"), key="empty_sure")
        if st.button(_("Remove all the data"), type="primary", disabled=not sure, key="empty_go"):
            store.start_from_empty(keep_scenarios=keep)
            st.session_state["emptied_note"] = _("The database is empty. Import your files above.")
            st.rerun()
