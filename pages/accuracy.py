"""Forecast accuracy page: how far to trust the forecast on this data (the last quarters replayed, the settings the
model chose and why), then the forecast made at one past date against what happened, per side, against baselines."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.i18n.translate import sentence
from forecasting.projection.backtest import backtest
from forecasting.projection.backtest_types import BacktestMetrics, SideMetrics
from forecasting.projection.cache import folder_for
from forecasting.projection.evaluate import cached_evaluate
from forecasting.projection.evaluate_types import Evaluation
from forecasting.reports import backtest as report
from forecasting.reports import evaluate as evaluation_report
from forecasting.reports.charts.accuracy import errors_by_date_figure
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
    tiles,
)
from pages.widgets.downloads import chart_downloads

ensure_app()

HORIZONS_WEEKS = (4, 13, 26, 52)
EVALUATION_WEEKS, EVALUATION_DATES = 13, 4  # the last four quarters, each forecast against the quarter after it


@st.cache_data(show_spinner=False, max_entries=4)
def evaluation_view(path: str, fingerprint: tuple[int, int, int], as_of: date) -> Evaluation:
    """Return the self-evaluation of one data version and as-of date (kept on disk beside the forecasts too)."""
    return cached_evaluate(ledger_at(path, fingerprint), as_of, EVALUATION_WEEKS, EVALUATION_DATES, "both",
                           folder_for(path))


@st.cache_data(show_spinner=False, max_entries=8)  # the spinner is the caller's, in the page's language
def backtest_view(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int) -> dict[str, Any]:
    """Return the backtest metrics and weekly frame, computed once per data version, date and horizon."""
    result = backtest(ledger_at(path, fingerprint), as_of, horizon_weeks)
    return {"metrics": result.metrics, "weekly": result.weekly}


def data_days(ledger: Ledger) -> tuple[date, date] | None:
    """Return the first invoice day and the last day the data describes (payment or invoice), None without invoices."""
    issues = [pd.to_datetime(ledger.invoices(side)[C.ISSUE_DATE]) for side in C.SIDES if len(ledger.invoices(side))]
    if not issues:
        return None
    last = [s.max() for s in issues] + ([pd.to_datetime(ledger.payments[C.PAYMENT_DATE]).max()]
                                        if len(ledger.payments) else [])
    return min(s.min() for s in issues).date(), max(last).date()


def side_section(side: SideMetrics, metrics: BacktestMetrics, weekly: pd.DataFrame) -> None:
    """Draw one side: headline figures, the weekly chart, the model against the baselines, the week-by-week table."""
    st.subheader(report.side_title(side.side, lang()))
    model, base = side.invoices.model, side.invoices.baselines
    t1, t2, t3, t4 = tiles(4)
    t1.metric(_("Payment date error (MAE)"), days_text(model.mae_days),
              help=_("Average gap, in days, between the forecast (median) and the real payment date of each invoice."))
    median = base["client_median"].mae_days
    t2.metric(_("vs client's median delay"), percent(model.mae_days / median if median else None),
              help=_("The model's error as a share of the error of forecasting every invoice at its client's median "
                     "delay ({base}). Below 100 % the model does better.", base=days_text(median)))
    t3.metric(_("Weekly error (WAPE)"), percent(side.weekly.wape),
              help=_("Sum of the weekly gaps between forecast and actual cash, over the actual cash."))
    t4.metric(_("Weeks inside the P10–P90 range"), percent(side.weekly.coverage_p10_p90),
              help=_("Share of weeks whose actual cash fell inside the likely range; about 80 % is well calibrated."))
    figure = backtest_figure(weekly, lang=lang(), side=side.side)
    show_chart(figure, key=f"accuracy_chart_{side.side}")
    chart_downloads(figure, f"forecast-accuracy-{side.side}")
    st.caption(report.scored_text(side, metrics, lang()))
    st.dataframe(report.method_table(side, lang()), hide_index=True, width="stretch")
    for text in (report.coverage_text(side, lang()), report.unpaid_text(side, metrics, lang()),
                 report.weekly_text(side, lang())):
        st.caption(text)
    with st.expander(_("Week by week")):
        st.dataframe(report.weekly_table(weekly, lang()), hide_index=True, width="stretch")


def evaluation_side(evaluation: Evaluation, side: str) -> None:
    """Draw one side's self-evaluation: the verdict, headline figures, errors by date, the dates, the settings."""
    st.subheader(report.side_title(side, lang()))
    st.info(evaluation_report.verdict_text(evaluation, side, lang()))
    pooled = evaluation.pooled.get(side)
    if pooled is None:
        return
    model, usual = pooled.invoices.model, pooled.invoices.baselines["client_median"].mae_days
    t1, t2, t3, t4 = tiles(4)
    t1.metric(_("Payment dates within"), days_text(model.mae_days),
              help=_("Average gap, in days, between the forecast (median) and the real payment date of every invoice "
                     "of the dates replayed."))
    t2.metric(_("vs each one's usual delay"), percent(model.mae_days / usual if usual else None),
              help=_("The model's error as a share of the error of forecasting every invoice at its counterparty's "
                     "median delay ({base}). Below 100 % the model does better.", base=days_text(usual)))
    t3.metric(_("Payments in the likely range"), percent(model.coverage_p10_p90),
              help=_("Share of payments that fell between the forecast's P10 and P90 dates; about 80 % is well "
                     "calibrated."))
    t4.metric(_("Weekly error (WAPE)"), percent(pooled.weekly.wape),
              help=_("Sum of the weekly gaps between forecast and actual cash, over the actual cash."))
    show_chart(errors_by_date_figure(evaluation, side, lang()), key=f"evaluation_errors_{side}")
    st.dataframe(evaluation_report.dates_table(evaluation, side, lang()), hide_index=True, width="stretch")
    unpaid = evaluation_report.unpaid_text(evaluation, side, lang())
    if unpaid:
        st.caption(unpaid)
    chosen = evaluation.settings.get(side)
    if chosen is not None:
        with st.expander(_("Settings chosen and why")):
            st.markdown(evaluation_report.settings_text(chosen, lang()))
            for text in evaluation_report.calibration_texts(chosen, lang()):
                st.caption(text)
            st.caption(evaluation_report.quiet_text(chosen, lang()))
            st.dataframe(evaluation_report.settings_table(chosen, lang()), hide_index=True, width="stretch")


def evaluation_section(evaluation: Evaluation) -> None:
    """Draw the self-evaluation: each side, then what the forecast said at a chosen date against what came."""
    st.caption(_("The forecast is replayed at the last four quarters with only what was known at each date, and "
                 "every invoice compared with its real payment date and with simple rules: how far to trust it on "
                 "your data before showing it to anyone."))
    for side in evaluation.sides:
        evaluation_side(evaluation, side)
    if evaluation.dates:
        st.subheader(_("What it would have forecast"))
        days = [d.as_of for d in evaluation.dates]
        chosen_day = st.selectbox(_("Forecast made at"), options=days, index=len(days) - 1, key="evaluation_date",
                                  format_func=date_text)
        replay = evaluation.date_at(chosen_day) or evaluation.dates[-1]
        for side in replay.metrics.sides:
            st.caption(report.side_title(side, lang()))
            show_chart(backtest_figure(replay.weekly_of(side), lang=lang(), side=side),
                       key=f"evaluation_weeks_{side}")
    for text in evaluation_report.skipped_texts(evaluation, lang()) + evaluation_report.note_texts(evaluation, lang()):
        st.info(sentence(text))


def date_section(ledger: Ledger, days: tuple[date, date], evaluation: Evaluation) -> None:
    """Draw the forecast made at one past date over a chosen horizon against what happened, per side."""
    st.caption(_("The forecast is replayed as it would have been made at a past date, with only what was known at "
                 "the end of that day, then compared with what really happened: every invoice open then or issued "
                 "within the horizon against its real payment date, the weekly receipts and supplier payments, and "
                 "the bank balance."))
    end_day = min(days[1], current_as_of())
    first_day = days[0] + timedelta(days=90)
    c1, c2 = st.columns([1, 2])
    horizon_weeks = int(c1.segmented_control(
        _("Horizon"), options=list(HORIZONS_WEEKS), default=13, key="accuracy_weeks",
        format_func=count_label("{n} weeks")) or 13)
    latest_complete = end_day - timedelta(weeks=horizon_weeks)
    if latest_complete <= first_day:
        st.info(_("Not enough history for a backtest: it needs about three months of invoices before the date tested, "
                  "and {n} weeks after it.", n=horizon_weeks))
        return
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
    replayed = evaluation.date_at(as_of) if horizon_weeks == evaluation.horizon_weeks else None
    if replayed is not None and set(replayed.metrics.sides) == {s for s in C.SIDES if len(ledger.invoices(s))}:
        metrics, weekly = replayed.metrics, replayed.weekly  # the same backtest, replayed for the evaluation
    else:
        with st.spinner(_("Replaying the forecast as it was made that day…")):
            view = backtest_view(*data_key(), as_of, horizon_weeks)
        metrics, weekly = view["metrics"], view["weekly"]
    closing = metrics.closing_cash
    if closing is not None:
        k1, k2 = tiles(2)
        k1.metric(_("Closing cash error"), money(closing.error_eur),
                  help=_("Forecast (expected) minus the real bank balance on {day}, the last balance date of the "
                         "horizon.", day=date_text(closing.balance_date)))
        k2.metric(_("Balances inside the P10–P90 range"), percent(closing.weekly_coverage_p10_p90),
                  help=_("Share of the horizon's weeks whose real closing balance fell inside the forecast's likely "
                         "range; about 80 % is well calibrated."))
    st.caption(report.closing_text(closing, lang()))
    for side_metrics in metrics.sides.values():
        side_section(side_metrics, metrics, weekly[weekly["side"] == side_metrics.side])
    for note in report.note_texts(metrics, lang()):
        st.info(note)


st.title(_("Forecast accuracy"))
ledger = load_ledger()
days = data_days(ledger)
if days is None:
    st.info(_("No invoices loaded yet: import your client or supplier invoices on the **Data** page, or run "
              "`cashpilot demo`."))
    st.stop()
with st.spinner(_("Replaying the forecast at the last four quarters…")):
    evaluation = evaluation_view(*data_key(), current_as_of())
trust_tab, date_tab = st.tabs([_("How far to trust it"), _("One date in detail")])
with trust_tab:
    evaluation_section(evaluation)
with date_tab:
    date_section(ledger, days, evaluation)
