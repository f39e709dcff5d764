"""Forecast vs actual page: a frozen forecast (snapshot) against the bank's movements, week by week and by
category, each variance split into timing, amount and unforecast; the accuracy of successive snapshots."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from forecasting.core import columns as C
from forecasting.core.access import SNAPSHOT_DELETE
from forecasting.reports.bank_labels import category_label, variance_labels
from forecasting.reports.charts.variance import variance_figure
from forecasting.reports.forecast_vs_actual import LEADS, accuracy, forecast_vs_actual
from forecasting.store.snapshots import delete_snapshot
from pages.widgets.chart import show_chart
from pages.widgets.common import (
    _,
    counted,
    data_key,
    date_text,
    ensure_app,
    get_store,
    lang,
    load_ledger,
    markdown_table,
    money,
    number,
    tiles,
)
from pages.widgets.identity import can
from pages.widgets.login import read_only_notice
from pages.widgets.treasury import movements_at, snapshot_at, snapshots_at

ensure_app()

DONE_KEY = "fva_done"  # the message of a deletion, shown after the rerun it causes


def _delete_control(snapshot_id: int) -> None:
    """Draw, for a role that may, the deletion of the chosen snapshot behind a confirmation; else say it is read-only."""
    if not can(SNAPSHOT_DELETE):  # the store refuses a viewer's deletion anyway
        read_only_notice(_("deleting snapshots"))
        return
    with st.expander(_("Delete this snapshot"), icon=":material/delete:"):
        sure = st.checkbox(_("I understand that snapshot No. {id} is deleted for good", id=snapshot_id),
                           key=f"fva_delete_sure_{snapshot_id}")
        if st.button(_("Delete"), disabled=not sure, key="fva_delete"):
            delete_snapshot(get_store(), snapshot_id)
            st.session_state.pop("fva_snapshot_id", None)
            st.session_state[DONE_KEY] = _("Snapshot {id} deleted.", id=snapshot_id)
            st.rerun()


st.title(_("Forecast vs actual"))
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY))
path, fingerprint = data_key()
snapshots = snapshots_at(path, fingerprint)
if not len(snapshots):
    st.info(_("No snapshot yet: freeze the forecast with the button of the **Cash outlook** page, or run "
              "`cashpilot snapshot` (once a week with `cashpilot snapshot --weekly`)."))
    st.stop()

language = lang()
choices = {int(row.snapshot_id): _("No. {id} as of {day}", id=int(row.snapshot_id), day=date_text(row.as_of))
           + (f" · {row.label}" if row.label else "") for row in snapshots.itertuples(index=False)}
ids = list(choices)
moves = movements_at(path, fingerprint)
with st.container(horizontal=True, gap="medium"):
    # The labels are in the page's language: a widget per language (a keyed one keeps its first labels), the
    # choice carried over from one to the other.
    kept = st.session_state.get("fva_snapshot_id")
    chosen = st.selectbox(_("Snapshot"), ids, index=ids.index(kept) if kept in ids else len(ids) - 1,
                          key=f"fva_snapshot_{language}", format_func=choices.__getitem__)
    st.session_state["fva_snapshot_id"] = chosen
    accounts = sorted(set(moves[C.ACCOUNT_ID].astype(str))) if len(moves) else []
    everything = _("All accounts")
    account = st.selectbox(_("Bank account"), [everything, *accounts], key="fva_account")
_delete_control(int(chosen))
snapshot = snapshot_at(path, fingerprint, int(chosen))
if not len(moves):
    st.info(_("No bank movement imported yet: import a bank statement on the **Data** page to compare this "
              "forecast with what the bank saw."))
    st.stop()
result = forecast_vs_actual(snapshot, moves, load_ledger().fx_rates, None if account == everything else account)
if not len(result.weeks):
    st.info(_("No complete week of bank movements after {day} yet: the comparison starts once the bank has a full "
              "week (movements up to {through}).", day=date_text(snapshot.as_of), through=date_text(result.through)))
    st.stop()

totals = result.by_week[["forecast", "actual", "variance", "timing", "amount", "unforecast"]].sum()
c1, c2, c3, c4, c5, c6 = tiles(6)
c1.metric(_("Forecast net flow"), money(totals["forecast"]))
c2.metric(_("Actual net flow"), money(totals["actual"]))
c3.metric(_("Variance"), money(totals["variance"]), help=_("Actual − forecast = timing + amount + unforecast"))
c4.metric(_("Timing"), money(totals["timing"]),
          help=_("Money that came in another week than forecast (it nets out when both weeks are compared)"))
c5.metric(_("Amount"), money(totals["amount"]), help=_("Money that came in a forecast week but for a different amount"))
c6.metric(_("Unforecast"), money(totals["unforecast"]), help=_("Money nobody forecast that week and category"))
st.caption(counted("{n} week compared, the week of {first}; bank movements up to {through}.",
                   "{n} weeks compared, from the week of {first} to the week of {last}; bank movements up to "
                   "{through}.", len(result.weeks), n=len(result.weeks), first=date_text(result.weeks[0]),
                   last=date_text(result.weeks[-1]), through=date_text(result.through)))

show_chart(variance_figure(result.by_week, lang=language), key="variance_chart")
labels = variance_labels(language)
amounts = ["forecast", "actual", "variance", "timing", "amount", "unforecast"]
st.subheader(_("Week by week"))
st.container(key="fva_weeks").markdown(markdown_table(
    result.by_week, {c: labels[c] for c in (C.WEEK_START, *amounts)},
    formats={C.WEEK_START: date_text, **dict.fromkeys(amounts, number)}, right=amounts))
st.subheader(_("By category"))
st.container(key="fva_categories").markdown(markdown_table(
    result.by_category, {c: labels[c] for c in (C.CATEGORY, *amounts)},
    formats={C.CATEGORY: lambda c: category_label(str(c), language), **dict.fromkeys(amounts, number)},
    right=amounts))
with st.expander(_("Every week and category")):
    st.markdown(markdown_table(
        result.variance, {c: labels[c] for c in (C.WEEK_START, C.CATEGORY, *amounts)},
        formats={C.WEEK_START: date_text, C.CATEGORY: lambda c: category_label(str(c), language),
                 **dict.fromkeys(amounts, number)}, right=amounts))
st.caption(_("Each category's forecast and actual are matched week by week: what came in another week than forecast "
             "is timing, what came in a forecast week for another amount (or never came) is amount, and what came "
             "with no forecast of its category that week is unforecast. Movements are compared by category totals: "
             "a receipt of another invoice arriving in the same category counts as timing. Uncategorised movements "
             "count as 'Other'. Amounts in euros."))

st.subheader(_("Accuracy of successive snapshots"))
every = [snapshot_at(path, fingerprint, int(i)) for i in ids]
scores = accuracy(every, moves, load_ledger().fx_rates)
summary = scores.summary.assign(lead_weeks=lambda f: f["lead_weeks"].astype(int))
lead_text = {lead: counted("{n} week ahead", "{n} weeks ahead", lead, n=lead) for lead in LEADS}
st.container(key="fva_accuracy").markdown(markdown_table(
    summary, {"lead_weeks": _("Forecast made"), "weeks": _("Weeks scored"), "mean_abs_error": _("Mean absolute error"),
              "bias": _("Bias (actual − forecast)"), "mean_abs_actual": _("Mean absolute net flow")},
    formats={"lead_weeks": lambda v: lead_text.get(int(v), str(v)), "weeks": str,
             **dict.fromkeys(("mean_abs_error", "bias", "mean_abs_actual"),
                             lambda v: number(None if v is None or pd.isna(v) else float(v)))},
    right=("weeks", "mean_abs_error", "bias", "mean_abs_actual")))
st.caption(_("The error of each week's net flow as forecast by the snapshot taken 1, 4 and 13 weeks before it (its "
             "first, fourth and thirteenth week). Take a snapshot every week (`cashpilot snapshot --weekly`) to "
             "fill this table."))
