"""What `cashpilot backtest` prints and the Forecast accuracy page shows: per-side tables and sentences, translated."""

from __future__ import annotations

import pandas as pd

from forecasting.core import columns as C
from forecasting.i18n.formats import fmt_date, fmt_days, fmt_money, fmt_number, fmt_percent
from forecasting.i18n.translate import localise, tr, trn
from forecasting.i18n.weeks import week_header
from forecasting.projection.backtest_types import BacktestMetrics, ClosingCash, InvoiceScores, SideMetrics

# (baseline key or "model", label): the rows of the per-side table, the model first
METHODS = (
    ("model", "cashpilot (learned delays)"),
    ("due_date", "Paid on the due date"),
    ("client_median", "Client's median delay"),
    ("client_mean_dispute", "Client's mean delay + dispute effect"),
    ("side_median", "Everyone's median delay"),
)


def side_title(side: str, lang: str) -> str:
    """Return the heading of one side: receivables (client receipts) or payables (supplier payments)."""
    return tr("Receivables: client receipts", lang) if side == C.RECEIVABLE else tr("Payables: supplier payments", lang)


def _mae(scores: InvoiceScores, method: str) -> float:
    """Return a method's MAE on a group of invoices."""
    return scores.model.mae_days if method == "model" else scores.baselines[method].mae_days


def method_table(side: SideMetrics, lang: str) -> pd.DataFrame:
    """Return the model against every baseline on one side: MAE (all, open, issued after), bias, late calls, CRPS."""
    rows = []
    for method, label in METHODS:
        scores = side.invoices.model if method == "model" else side.invoices.baselines[method]
        # the CRPS of a single day is its absolute error: a baseline's CRPS is its MAE
        crps = side.invoices.model.crps_days if method == "model" else scores.mae_days
        rows.append({
            tr("Method", lang): tr(label, lang),
            tr("MAE, all invoices", lang): fmt_days(scores.mae_days, lang),
            tr("MAE, open at the date", lang): fmt_days(_mae(side.open_at_as_of, method), lang),
            tr("MAE, issued after", lang): fmt_days(_mae(side.issued_after_as_of, method), lang),
            tr("Bias", lang): fmt_days(scores.bias_days, lang),
            tr("Late / on time right", lang): fmt_percent(scores.late_accuracy, lang),
            tr("CRPS", lang): fmt_days(crps, lang),
        })
    return pd.DataFrame(rows)


def scored_text(side: SideMetrics, metrics: BacktestMetrics, lang: str) -> str:
    """Return how many invoices were scored, and how many of them were paid after the horizon."""
    return trn("{n} invoice open at {day} or issued within the horizon: {scored} scored against its real payment "
               "date, {after} of them paid after the horizon.",
               "{n} invoices open at {day} or issued within the horizon: {scored} scored against their real payment "
               "date, {after} of them paid after the horizon.", side.n_invoices, lang,
               n=fmt_number(side.n_invoices, lang), day=fmt_date(metrics.as_of, lang),
               scored=fmt_number(side.n_scored, lang), after=fmt_number(side.n_paid_after_horizon, lang))


def unpaid_text(side: SideMetrics, metrics: BacktestMetrics, lang: str) -> str:
    """Return the invoices still unpaid where the data ends: not scored, counted apart with their amount."""
    unpaid = side.unpaid_at_data_end
    return trn("{n} invoice still unpaid where the data ends ({day}), {amount}: not scored, its date is unknown "
               "({not_due} not yet due).",
               "{n} invoices still unpaid where the data ends ({day}), {amount}: not scored, their date is unknown "
               "({not_due} not yet due).", unpaid.n_invoices, lang,
               n=fmt_number(unpaid.n_invoices, lang), day=fmt_date(metrics.data_end, lang),
               amount=fmt_money(unpaid.amount_eur, lang), not_due=fmt_number(unpaid.n_not_due_at_data_end, lang))


def coverage_text(side: SideMetrics, lang: str) -> str:
    """Return the per-invoice P10–P90 coverage and both tails."""
    model = side.invoices.model
    return tr("P10–P90 payment dates: {inside} of the payments inside, {below} before P10, {above} after P90 "
              "(about 80%, 10% and 10% when well calibrated); {pit} counting a payment on the P10 or P90 day as "
              "inside only in proportion (the fair count when payments fall on few days).", lang,
              inside=fmt_percent(model.coverage_p10_p90, lang), below=fmt_percent(model.below_p10, lang),
              above=fmt_percent(model.above_p90, lang), pit=fmt_percent(model.pit_coverage_p10_p90, lang))


def weekly_text(side: SideMetrics, lang: str) -> str:
    """Return the weekly WAPE, bias and band coverage of one side, and the run-rate's WAPE."""
    weekly = side.weekly
    values = {"wape": fmt_percent(weekly.wape, lang), "bias": fmt_percent(weekly.bias, lang),
              "inside": fmt_percent(weekly.coverage_p10_p90, lang),
              "rate": fmt_percent(weekly.baseline_run_rate_wape, lang)}
    if side.side == C.RECEIVABLE:
        return tr("Weekly receipts: WAPE {wape}, bias {bias}, {inside} of the weeks inside the P10–P90 range; "
                  "trailing 13-week run-rate: WAPE {rate}.", lang, **values)
    return tr("Weekly supplier payments: WAPE {wape}, bias {bias}, {inside} of the weeks inside the P10–P90 range; "
              "trailing 13-week run-rate: WAPE {rate}.", lang, **values)


def closing_text(closing: ClosingCash | None, lang: str) -> str:
    """Return the forecast closing cash against the real balance, or why it is not compared."""
    if closing is None:
        return tr("Closing cash: not compared, the data hold no bank balance after the date within the horizon "
                  "(or none on or before it).", lang)
    verdict = tr("inside the P10–P90 range", lang) if closing.inside_p10_p90 else tr("outside the P10–P90 range", lang)
    return tr("Closing cash on {day}: forecast {expected} (P10–P90 {p10} to {p90}), actual {actual}, error {error}, "
              "{verdict}. Week by week, {inside} of {n} balances fell inside the range.", lang,
              day=fmt_date(closing.balance_date, lang), expected=fmt_money(closing.forecast_expected_eur, lang),
              p10=fmt_money(closing.forecast_p10_eur, lang), p90=fmt_money(closing.forecast_p90_eur, lang),
              actual=fmt_money(closing.actual_eur, lang), error=fmt_money(closing.error_eur, lang), verdict=verdict,
              inside=fmt_percent(closing.weekly_coverage_p10_p90, lang), n=fmt_number(closing.n_weeks, lang))


def weekly_table(weekly: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return one side's forecast against actual cash by week, with the run-rate, in `lang`."""
    inside = (weekly["actual"] >= weekly["forecast_p10"]) & (weekly["actual"] <= weekly["forecast_p90"])
    return pd.DataFrame({
        week_header(lang): [fmt_date(d, lang) for d in weekly["week_start"]],
        tr("Forecast P10", lang): [fmt_money(v, lang) for v in weekly["forecast_p10"]],
        tr("Forecast (expected)", lang): [fmt_money(v, lang) for v in weekly["forecast_expected"]],
        tr("Forecast P90", lang): [fmt_money(v, lang) for v in weekly["forecast_p90"]],
        tr("Actual", lang): [fmt_money(v, lang) for v in weekly["actual"]],
        tr("Error", lang): [fmt_money(v, lang) for v in weekly["forecast_expected"] - weekly["actual"]],
        tr("Inside P10–P90", lang): [tr("yes", lang) if ok else tr("no", lang) for ok in inside],
        tr("Run-rate", lang): [fmt_money(v, lang) for v in weekly["baseline_run_rate"]],
    })


def backtest_text(metrics: BacktestMetrics, lang: str) -> str:
    """Return the readable report of a backtest: per side the table and its sentences, then the closing cash."""
    parts = [tr("Forecast made at {day} over {n} weeks, compared with what happened.", lang,
                day=fmt_date(metrics.as_of, lang), n=metrics.horizon_weeks)]
    for side in metrics.sides.values():
        parts += ["", side_title(side.side, lang), scored_text(side, metrics, lang),
                  method_table(side, lang).to_string(index=False), coverage_text(side, lang),
                  unpaid_text(side, metrics, lang), weekly_text(side, lang)]
    return "\n".join([*parts, "", closing_text(metrics.closing_cash, lang), *note_texts(metrics, lang)])


def note_texts(metrics: BacktestMetrics, lang: str) -> list[str]:
    """Return the backtest's notes (what it could not do) in `lang`."""
    return [localise(note, lang) for note in metrics.notes]
