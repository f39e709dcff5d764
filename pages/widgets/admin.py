"""The administrator's section of the Data page: load the demo company, the audit table (start from empty is
pages/widgets/data_edit.py's, drawn for an admin only)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from forecasting.core.access import REPLACE_ALL
from forecasting.core.ledger import Ledger
from forecasting.store.database import Store
from pages.widgets.common import _, date_text, markdown_table
from pages.widgets.identity import can

AUDIT_SHOWN = 50  # the latest changes shown; all of them are in the table audit_log (README)


def _replace(store: Store, ledger: Ledger, done: str) -> None:
    """Replace every data table with `ledger` (the store checks the admin role and audits it), then say `done`."""
    store.replace_all(ledger)
    st.session_state["admin_done"] = done


def admin_section(store: Store) -> None:
    """Draw, for an admin only, the control that loads the demo company and the latest audited changes."""
    if not can(REPLACE_ALL):
        return
    if done := st.session_state.pop("admin_done", None):  # said after the rerun that shows the new data
        st.success(done)
    with st.expander(_("Administration"), icon=":material/admin_panel_settings:"):
        sure = st.checkbox(_("I understand that this replaces every invoice, payment, balance and planned flow"),
                           key="admin_sure")
        if st.button(_("Load the demo company"), icon=":material/factory:", disabled=not sure, key="admin_demo"):
            from forecasting.demo import company as demo  # only here: generating it takes a second

            _replace(store, Ledger.from_object(demo.generate(seed=42, scale=1.0, today=date.today())),
                     _("The demo company is loaded."))
            st.rerun()
        st.markdown(_("**Latest changes** (who, when in UTC, what)"))
        audit = store.audit_log(AUDIT_SHOWN) if store.exists() else None
        if audit is None or audit.empty:
            st.caption(_("No change recorded yet."))
        else:
            # as text, not a data grid: the page's other tables keep their places, and it costs the page nothing
            st.markdown(markdown_table(
                audit, {"changed_at": _("When (UTC)"), "who": _("Who"), "role": _("Role"), "via": _("Through"),
                        "action": _("Change"), "details": _("Details")},
                {"changed_at": lambda t: f"{date_text(t)} {t:%H:%M}"}))
