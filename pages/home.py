"""Overview page: what is loaded, the headline figures, and the latest imports."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit import column_config as cc

from forecasting.core.tables import TABLE_LABELS
from forecasting.core.types import as_of_timestamp
from forecasting.kpis.base import KpiSettings
from forecasting.kpis.overview import overview
from forecasting.reports.figures import ledger_figures, opening_cash
from pages.widgets.common import (
    COUNT_COLUMNS,
    _,
    counted,
    current_as_of,
    date_text,
    ensure_app,
    figure_metric,
    get_store,
    import_log_columns,
    kind_label,
    load_ledger,
    money,
    number,
    styled,
    tiles,
)


def _day(iso: str | None) -> str:
    """Return a stored ISO date in the chosen language, a dash for tables without dates (no 'None' on screen)."""
    return date_text(pd.Timestamp(iso)) if iso else "—"


ensure_app()

st.title("cashpilot")
st.caption(_("Treasury outlook for the weeks ahead: receivables, payables, bank balances and planned flows."))

store = get_store()
ledger = load_ledger()
if ledger.receivables.empty and ledger.payables.empty and ledger.bank_balances.empty:
    st.info(_("No data loaded yet. Import your receivables, payables and bank balances on the **Data** page, "
              "or load the demo company with `cashpilot demo`."))
    st.stop()

as_of = current_as_of()
ov = overview(ledger, as_of)
# The figures of the Cash outlook and Receivables pages, by the same definitions (forecasting/reports/figures.py).
figures = ledger_figures(ov.basis, KpiSettings())
c1, c2, c3, c4 = tiles(4)
figure_metric(c1, opening_cash(ov.opening, as_of_timestamp(as_of)), "—" if ov.opening.date is None else None)
figure_metric(c2, figures.open_receivables, extra_help=counted("{n} open client invoice", "{n} open client invoices",
                                                                 figures.open_receivables_count))
figure_metric(c3, figures.overdue_receivables)
figure_metric(c4, figures.open_payables, extra_help=counted("{n} open supplier invoice", "{n} open supplier invoices",
                                                              figures.open_payables_count))

c1, c2, c3, c4 = tiles(4)
c1.metric(_("Clients"), number(ov.n_clients))
c2.metric(_("Suppliers"), number(ov.n_suppliers))
c3.metric(_("Authorised overdraft"), money(ov.opening.overdraft_limit))
c4.metric(_("Invoices from"), date_text(ov.first_invoice) if ov.first_invoice else "—",
          help=_("to {day}", day=date_text(ov.last_invoice)) if ov.last_invoice else None)

st.subheader(_("What is loaded"))
status = store.status()
rows = pd.DataFrame([
    {"table": t, "label": _(TABLE_LABELS[t]) if t in TABLE_LABELS else t, "rows": n,
     "from": _day(status["date_ranges"].get(t, {}).get("from")), "to": _day(status["date_ranges"].get(t, {}).get("to"))}
    for t, n in status["counts"].items()
])
# Counts written the language's way (5 431 / 5,431): the grid's own number format has no thousands separator.
st.dataframe(styled(rows, number_columns=("rows",)), hide_index=True, width="stretch",
             column_order=["label", "rows", "from", "to"],
             column_config={"label": _("Data"), "rows": cc.NumberColumn(_("Rows")), "from": _("From"), "to": _("To")})

st.subheader(_("Latest imports"))
log = store.import_log(10)
if log.empty:
    st.caption(_("No file imported yet (the demo company is loaded directly)."))
else:
    st.dataframe(styled(log.assign(kind=log["kind"].map(kind_label))[
        ["imported_at", "kind", "file_name", "rows_read", "rows_inserted", "rows_updated", "rows_rejected"]],
        number_columns=COUNT_COLUMNS), hide_index=True, width="stretch", column_config=import_log_columns())
