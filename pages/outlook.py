"""Cash outlook page: the 13-week cash position with its likely range, the weekly table and the lowest point."""

from __future__ import annotations

import streamlit as st

from forecasting.charts import flows_figure, outlook_figure
from forecasting.report import weekly_table
from pages.common import cached_projection, current_as_of, ensure_app, load_ledger, money

ensure_app()

st.title("Cash outlook")
ledger = load_ledger()
if ledger.receivables.empty and ledger.bank_balances.empty:
    st.info("No data loaded yet: import receivables and bank balances on the **Data** page, or run `cashpilot demo`.")
    st.stop()

as_of = current_as_of()
horizon_weeks = st.segmented_control("Horizon", options=[13, 26, 52], default=13, key="horizon_weeks",
                                     format_func=lambda w: f"{w} weeks") or 13
projection = cached_projection(as_of, int(horizon_weeks))
summary = projection.summary

for note in summary.get("notes", []):
    st.info(note)
if summary.get("first_overdraft_breach_date") is not None:
    st.error(f"The forecast goes beyond the authorised overdraft on {summary['first_overdraft_breach_date']:%d/%m/%Y}.")
elif summary.get("first_shortfall_date") is not None:
    st.warning(f"The forecast goes below zero on {summary['first_shortfall_date']:%d/%m/%Y}.")

c1, c2, c3, c4 = st.columns(4)
opening_date = summary.get("opening_balance_date")
c1.metric("Opening cash", money(summary["opening_balance"]),
          help=f"Latest bank balances on or before {as_of:%d/%m/%Y}" + (f", dated {opening_date:%d/%m/%Y}" if opening_date is not None else ""))
c2.metric("Lowest point", money(summary["min_cash"]),
          help="Lowest daily closing (median path)")
c3.metric("on", f"{summary['min_cash_date']:%d/%m/%Y}" if summary.get("min_cash_date") is not None else "—")
c4.metric("Expected bad debt", money(summary.get("expected_bad_debt")),
          help="Open receivables the model expects never to be paid: not counted as receipts")

st.plotly_chart(outlook_figure(projection.weekly, summary), width="stretch", key="outlook_chart")
st.plotly_chart(flows_figure(projection.weekly), width="stretch", key="flows_chart")
st.subheader("Week by week")
st.dataframe(weekly_table(projection.weekly), hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="%.0f") for c in
                            ["receipts", "disbursements", "net", "closing_p10", "closing_p50", "closing_p90"]})
st.caption("Receipts are expected when each client really pays (its learned delay, knowing what is already overdue), "
           "not on the due date. P10–P90: 8 chances in 10 that the closing balance falls in this range.")
