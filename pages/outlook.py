"""Cash outlook page: the 13-week cash position with its likely range, the weekly table and the lowest point."""

from __future__ import annotations

import streamlit as st

from forecasting.i18n.translate import sentence
from forecasting.i18n.weeks import week_header
from forecasting.reports.figures import cash_figures
from forecasting.reports.payload import weekly_table
from pages.widgets.chart import show_chart
from pages.widgets.common import (
    _,
    cached_projection,
    count_label,
    current_as_of,
    data_holds,
    data_key,
    date_text,
    ensure_app,
    figure_metric,
    known,
    lang,
    markdown_table,
    number,
    tiles,
)
from pages.widgets.downloads import board_pack_download, chart_downloads, export_source, workbook_download
from pages.widgets.outlook_charts import outlook_figures_at
from pages.widgets.treasury import snapshot_button, treasury_section
from pages.widgets.week_detail import week_detail

ensure_app()

st.title(_("Cash outlook"))
if not any(data_holds()):
    st.info(_("No data loaded yet: import receivables and bank balances on the **Data** page, or run `cashpilot demo`."))
    st.stop()

as_of = current_as_of()
horizon_weeks = st.segmented_control(_("Horizon"), options=[13, 26, 52], default=13, key="horizon_weeks",
                                     format_func=count_label("{n} weeks")) or 13
projection = cached_projection(as_of, int(horizon_weeks))
summary = projection.summary

for note in summary.notes:
    st.info(sentence(known(note)))
# Shortfall and overdraft alerts are drawn above every page by app.py (pages/widgets/banner.py), with their amounts.

# The figures of every page and export, named with their statistic (forecasting/reports/figures.py).
figures = cash_figures(summary)
c1, c2, c3, c4 = tiles(4)
figure_metric(c1, figures.opening_cash)
figure_metric(c2, figures.net_cash_at_horizon)
figure_metric(c3, figures.lowest_point, under=_("expected, on {day}", day=date_text(figures.lowest_point.day)))
figure_metric(c4, figures.expected_bad_debt)

outlook, flows = outlook_figures_at(*data_key(), as_of, int(horizon_weeks), lang())
show_chart(outlook, key="outlook_chart")
chart_downloads(outlook, "outlook")
show_chart(flows, key="flows_chart")
chart_downloads(flows, "flows")
# What is below the charts is drawn on demand: a tab's content runs and is sent only while the tab is open. The
# browser reveals the charts only once it has rendered every element of the run (bench/RESULTS.md, sessions 14-15):
# the drill-down, the treasury table and the exports on the first run held them back.
labels = [_("Week by week"), _("Week detail"), _("13-week treasury table"), _("Exports and snapshot")]
# A tab is known by its label: after a language switch the open tab is found again by its place, and after a visit
# to another page (where Streamlit drops the tabs' state, a widget's) from that place, kept outside any widget.
if st.session_state.get("outlook_tabs") not in labels:
    st.session_state["outlook_tabs"] = labels[st.session_state.get("outlook_tab_at", 0)]
week_tab, detail_tab, treasury_tab, exports_tab = st.tabs(labels, key="outlook_tabs", on_change="rerun")
st.session_state["outlook_tab_at"] = labels.index(st.session_state["outlook_tabs"])
# Streamlit forgets the value of a widget that a run does not draw: a closed tab's choices are kept for its return.
for tab, keys in ((detail_tab, ("outlook_week", "outlook_week_flow")), (treasury_tab, ("treasury_period",
                                                                                       "treasury_account"))):
    for kept in keys:
        if not tab.open and kept in st.session_state:
            st.session_state[kept] = st.session_state[kept]
if week_tab.open:
    with week_tab:
        amounts = ("receipts", "disbursements", "net", "closing_expected", "closing_p10", "closing_p90")
        # Drawn as text, not as a data grid: the grid would hold the charts above back by half a second on a first visit.
        st.container(key="weekly_table").markdown(markdown_table(
            weekly_table(projection.weekly),
            {"week_start": week_header(lang()), "receipts": _("Receipts"), "disbursements": _("Disbursements"),
             "net": _("Net flow"), "closing_expected": _("Closing (expected)"), "closing_p10": _("Closing P10"),
             "closing_p90": _("Closing P90")},
            formats={"week_start": date_text, **dict.fromkeys(amounts, number)}, right=amounts))
        st.caption(_("Receipts are expected when each client really pays (its learned delay, knowing what is already "
                     "overdue), not on the due date. P10–P90: 8 chances in 10 that the closing balance falls in this "
                     "range. Amounts in euros."))
if detail_tab.open:
    with detail_tab:
        week_detail(as_of, int(horizon_weeks), projection.weekly)
if treasury_tab.open:
    with treasury_tab:
        treasury_section(as_of, int(horizon_weeks))
if exports_tab.open:
    with exports_tab:
        make_source = export_source(as_of, int(horizon_weeks))
        with st.container(horizontal=True, gap="small"):
            board_pack_download(make_source, as_of, key="outlook_board_pack")
            workbook_download(make_source, as_of, key="outlook_workbook")
        snapshot_button(as_of, int(horizon_weeks))
