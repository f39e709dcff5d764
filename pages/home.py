"""Overview page: what is loaded, the headline figures, and the latest imports."""

from __future__ import annotations

import streamlit as st

from forecasting.overview import overview
from pages.common import current_as_of, ensure_app, get_store, load_ledger, money

ensure_app()

st.title("cashpilot")
st.caption("Treasury outlook for the weeks ahead: receivables, payables, bank balances and planned flows.")

store = get_store()
ledger = load_ledger()
if ledger.receivables.empty and ledger.payables.empty and ledger.bank_balances.empty:
    st.info("No data loaded yet. Import your receivables, payables and bank balances on the **Data** page, "
            "or load the demo company with `cashpilot demo`.")
    st.stop()

as_of = current_as_of()
ov = overview(ledger, as_of)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Cash at bank", money(ov.cash), help=f"Latest balances on or before {as_of:%d/%m/%Y}"
          + (f" (dated {ov.cash_date:%d/%m/%Y})" if ov.cash_date else ""))
c2.metric("Open receivables", money(ov.open_receivables), help=f"{ov.open_receivables_count} open client invoices")
c3.metric("of which overdue", money(ov.overdue_receivables))
c4.metric("Open payables", money(ov.open_payables), help=f"{ov.open_payables_count} open supplier invoices")

c1, c2, c3, c4 = st.columns(4)
c1.metric("Clients", f"{ov.n_clients}")
c2.metric("Suppliers", f"{ov.n_suppliers}")
c3.metric("Authorised overdraft", money(ov.overdraft_limit))
c4.metric("Invoices from", f"{ov.first_invoice:%d/%m/%Y}" if ov.first_invoice else "—",
          help=f"to {ov.last_invoice:%d/%m/%Y}" if ov.last_invoice else None)

st.subheader("What is loaded")
status = store.status()
rows = [
    {"table": t, "rows": n, "from": status["date_ranges"].get(t, {}).get("from"),
     "to": status["date_ranges"].get(t, {}).get("to")}
    for t, n in status["counts"].items()
]
st.dataframe(rows, hide_index=True, width="stretch")

st.subheader("Latest imports")
log = store.import_log(10)
if log.empty:
    st.caption("No file imported yet (the demo company is loaded directly).")
else:
    st.dataframe(log[["imported_at", "kind", "file_name", "rows_read", "rows_inserted", "rows_updated",
                      "rows_rejected"]], hide_index=True, width="stretch")
