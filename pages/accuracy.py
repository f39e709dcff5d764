"""Forecast accuracy page: the forecast made at a past date against what happened, and against two baselines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from forecasting.core import columns as C
from forecasting.projection.backtest import BacktestMetrics, InvoiceErrors, backtest
from forecasting.reports.charts.outlook import backtest_figure
from pages.widgets.chart import show_chart
from pages.widgets.common import (
    _,
    count_label,
    current_as_of,
    data_key,
    date_format,
    date_text,
    days_text,
    ensure_app,
    lang,
    ledger_at,
    load_ledger,
    money,
    percent,
)
from pages.widgets.downloads import chart_downloads

ensure_app()

HORIZONS_WEEKS = (4, 8, 13)


@st.cache_data(show_spinner="Replaying the forecast as it was made that day…", max_entries=8)
def backtest_view(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int) -> dict[str, Any]:
    """Return the backtest metrics and weekly frame, computed once per data version, date and horizon."""
    result = backtest(ledger_at(path, fingerprint), as_of, horizon_weeks)
    return {"metrics": result.metrics, "weekly": result.weekly}


def latest_data_day(receivables: pd.DataFrame, payments: pd.DataFrame) -> date | None:
    """Return the last day the data describes (latest payment or invoice), or None without data."""
    days = [pd.to_datetime(payments[C.PAYMENT_DATE]).max() if not payments.empty else pd.NaT,
            pd.to_datetime(receivables[C.ISSUE_DATE]).max() if not receivables.empty else pd.NaT]
    days = [d for d in days if pd.notna(d)]
    return max(days).date() if days else None


def error_table(metrics: BacktestMetrics) -> pd.DataFrame:
    """Return the payment-date errors of the model and both baselines, overall and by invoice group."""
    groups = {_("MAE, all invoices"): metrics.overall, _("MAE, open at the date"): metrics.open_at_as_of,
              _("MAE, issued after"): metrics.issued_after_as_of}
    methods: list[tuple[str, Callable[[InvoiceErrors], float], Callable[[InvoiceErrors], float]]] = [
        (_("cashpilot (learned delays)"), lambda e: e.payment_date_mae_days, lambda e: e.late_accuracy),
        (_("Paid on the due date"), lambda e: e.baseline_due_date_mae_days,
         lambda e: e.baseline_due_date_late_accuracy),
        (_("Client's median delay"), lambda e: e.baseline_client_median_mae_days,
         lambda e: e.baseline_client_median_late_accuracy),
    ]
    rows = []
    for label, mae, late in methods:
        row = {_("Method"): label} | {column: days_text(mae(errors)) for column, errors in groups.items()}
        row[_("Late / on time right")] = percent(late(metrics.overall))
        rows.append(row)
    return pd.DataFrame(rows)


def weekly_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """Return forecast against actual receipts by week, in the page's language."""
    inside = (weekly["actual"] >= weekly["forecast_p10"]) & (weekly["actual"] <= weekly["forecast_p90"])
    return pd.DataFrame({
        _("Week of"): [date_text(d) for d in weekly["week_start"]],
        _("Forecast P10"): [money(v) for v in weekly["forecast_p10"]],
        _("Forecast (expected)"): [money(v) for v in weekly["forecast_expected"]],
        _("Forecast P90"): [money(v) for v in weekly["forecast_p90"]],
        _("Actual"): [money(v) for v in weekly["actual"]],
        _("Error"): [money(v) for v in weekly["forecast_expected"] - weekly["actual"]],
        _("Inside P10–P90"): [_("yes") if ok else _("no") for ok in inside],
    })


st.title(_("Forecast accuracy"))
st.caption(_("The forecast is replayed as it would have been made at a past date, with only what was known at the "
             "end of that day, then compared with the receipts that really came in."))
ledger = load_ledger()
last_day = latest_data_day(ledger.receivables, ledger.payments)
if ledger.receivables.empty or last_day is None:
    st.info(_("No receivables loaded yet: import your client invoices on the **Data** page, or run `cashpilot demo`."))
    st.stop()

end_day = min(last_day, current_as_of())
first_day = pd.to_datetime(ledger.receivables[C.ISSUE_DATE]).min().date() + timedelta(days=90)
c1, c2 = st.columns([1, 2])
horizon_weeks = int(c1.segmented_control(
    _("Horizon"), options=list(HORIZONS_WEEKS), default=13, key="accuracy_weeks",
    format_func=count_label("{n} weeks")) or 13)
latest_complete = end_day - timedelta(weeks=horizon_weeks)
if latest_complete <= first_day:
    st.info(_("Not enough history for a backtest: it needs about three months of invoices before the date tested, "
              "and {n} weeks after it.", n=horizon_weeks))
    st.stop()
# A Sunday makes every week of the horizon whole: from a Friday, the first "week" would be a weekend without
# receipts, drawn as a drop to zero and counted as a week trivially inside the range.
proposed = latest_complete - timedelta(days=(latest_complete.weekday() + 1) % 7)
as_of = c2.date_input(
    _("Forecast made at"), value=proposed, min_value=first_day, max_value=end_day - timedelta(days=7),
    format=date_format(), key="accuracy_as_of",
    help=_("Proposed: the end of the latest week whose whole horizon has already happened ({day}), so that "
           "every week compared is a whole week.", day=date_text(proposed)))
if as_of > latest_complete:
    st.warning(_("The data end on {day}: the last weeks of this horizon have not fully happened yet, so their "
                 "actual receipts are incomplete.", day=date_text(end_day)))

view = backtest_view(*data_key(), as_of, horizon_weeks)
m: BacktestMetrics = view["metrics"]
t1, t2, t3, t4 = st.columns(4)
t1.metric(_("Payment date error (MAE)"), days_text(m.payment_date_mae_days),
          help=_("Average gap, in days, between the forecast and the real payment date of each invoice."))
ratio = m.payment_date_mae_days / m.baseline_due_date_mae_days if m.baseline_due_date_mae_days else None
t2.metric(_("vs paid on due date"), percent(ratio),
          help=_("The model's error as a share of the error of assuming every invoice is paid on its due date "
                 "({base}). Below 100 % the model does better.", base=days_text(m.baseline_due_date_mae_days)))
t3.metric(_("Weekly receipts error (WAPE)"), percent(m.weekly_receipts_wape),
          help=_("Sum of the weekly gaps between forecast and actual receipts, over the actual receipts."))
t4.metric(_("Weeks inside the P10–P90 range"), percent(m.interval_coverage_p10_p90),
          help=_("Share of weeks whose actual receipts fell inside the likely range; about 80 % is well calibrated."))

accuracy = backtest_figure(view["weekly"], lang=lang())
show_chart(accuracy, key="accuracy_chart")
chart_downloads(accuracy, "forecast-accuracy")
st.subheader(_("Payment dates against the baselines"))
st.dataframe(error_table(m), hide_index=True, width="stretch")
st.caption(_("{n_open} invoices open at {day} and {n_later} issued after it, paid within the horizon. Bias of the "
             "weekly receipts: {bias} (positive: the forecast expected more than came in).",
             n_open=m.n_open_invoices, n_later=m.n_later_invoices, day=date_text(as_of),
             bias=percent(m.weekly_receipts_bias)))
st.subheader(_("Week by week"))
st.dataframe(weekly_table(view["weekly"]), hide_index=True, width="stretch")
