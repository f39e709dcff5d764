"""Forecast as of a past date with only what was known then, and compare with what happened.

Honesty rules: the ledger is cut at the end of as_of (`settlement.known_at`: invoices issued and payments
dated <= as_of, write-offs undone since they carry no date), the delay models are fitted on that cut, and
invoices issued after as_of are forecast from their issue and due dates only (their dispute flag, set
later, is ignored). The dispute flag of invoices issued by as_of is taken as known then (it has no date).
Per-invoice errors cover the invoices actually paid within the horizon; the point forecast of a payment
date is the median of the item's sampled dates among the draws where it gets paid (the chance it never
is paid is reported separately as bad debt). Amounts in other currencies use the rate at as_of on both
sides, so the comparison measures timing, not fx moves.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.terms import BusinessCalendar
from forecasting.core.types import JsonDict, JsonValue, as_of_timestamp
from forecasting.model.behaviour import BehaviourModel, segment_map
from forecasting.model.invoicing import to_reporting
from forecasting.model.sampling import (
    NEVER,
    correlated_uniforms,
    quantile_offsets,
    roll_offsets,
    sample_delay_days,
)
from forecasting.model.settlement import PAID_DATE, known_at, settle
from forecasting.projection.forecast import aggregate, prepare
from forecasting.projection.items import roll_table_for
from forecasting.projection.types import DEFAULT_SETTINGS, CashItems, ProjectionSettings


@dataclass(frozen=True)
class InvoiceErrors:
    """Payment-date errors of the model and of both baselines on a group of invoices (days; NaN: no invoice)."""

    n_invoices: int
    payment_date_mae_days: float  # the model's mean absolute error
    late_accuracy: float  # share of invoices the model rightly calls late or on time
    baseline_due_date_mae_days: float  # paid on the due date
    baseline_due_date_late_accuracy: float
    baseline_client_median_mae_days: float  # paid after the client's median delay
    baseline_client_median_late_accuracy: float


@dataclass(frozen=True)
class BacktestMetrics:
    """How the forecast made at as_of did: its payment-date errors against two baselines, and its weekly receipts.

    Fields run in the order of `cashpilot backtest --format json` (to_dict); the overall errors are flat here,
    as in the JSON, and `overall` gathers them like those of each group.
    """

    as_of: date
    horizon_weeks: int
    n_open_invoices: int  # open at as_of and paid within the horizon
    n_later_invoices: int  # issued after as_of and paid within the horizon
    n_open_at_as_of_unpaid_in_horizon: int
    payment_date_mae_days: float
    late_accuracy: float
    baseline_due_date_mae_days: float
    baseline_client_median_mae_days: float
    baseline_due_date_late_accuracy: float
    baseline_client_median_late_accuracy: float
    weekly_receipts_wape: float  # sum of the weekly gaps / actual receipts
    weekly_receipts_bias: float  # (forecast - actual) / actual: positive when the forecast expected more
    interval_coverage_p10_p90: float  # share of weeks whose actual receipts fell in the P10-P90 band
    open_at_as_of: InvoiceErrors
    issued_after_as_of: InvoiceErrors

    @property
    def overall(self) -> InvoiceErrors:
        """Return the errors on every evaluated invoice (both groups)."""
        return InvoiceErrors(
            self.n_open_invoices + self.n_later_invoices, self.payment_date_mae_days, self.late_accuracy,
            self.baseline_due_date_mae_days, self.baseline_due_date_late_accuracy,
            self.baseline_client_median_mae_days, self.baseline_client_median_late_accuracy)

    def to_dict(self) -> JsonDict:
        """Return the metrics as JSON values in the documented key order: as_of as ISO text, NaN as None."""
        return {key: _json(value) for key, value in asdict(self).items()}


def _json(value: object) -> JsonValue:
    """Return a metric as JSON holds it: a date as ISO text, NaN as None, a group's errors as a dict."""
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, int | float):
        return value
    raise TypeError(f"not a backtest metric: {value!r}")


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Metrics of one backtest, the weekly forecast against actual receipts, and the per-invoice table."""

    metrics: BacktestMetrics
    weekly: pd.DataFrame  # week_start, forecast_p10, forecast_p50, forecast_p90, forecast_expected, actual
    invoices: pd.DataFrame  # one row per evaluated invoice: predicted, baselines and actual dates


def _errors(frame: pd.DataFrame) -> InvoiceErrors:
    """Return MAE and late accuracy of the model and both baselines on the given invoices."""
    actual = frame["actual_offset"].to_numpy(float)
    due = frame["due_offset"].to_numpy(float)

    def mae_and_late(column: str) -> tuple[float, float]:
        """Return the mean absolute error in days and the late / on-time accuracy of one prediction column."""
        if not len(frame):
            return float("nan"), float("nan")
        pred = frame[column].to_numpy(float)
        return float(np.mean(np.abs(pred - actual))), float(np.mean((pred > due) == (actual > due)))

    model, due_date, client = (mae_and_late(c) for c in ("predicted_offset", "due_date_offset",
                                                           "client_median_offset"))
    return InvoiceErrors(len(frame), *model, *due_date, *client)


def backtest(ledger: Ledger, as_of: date, horizon_weeks: int = 13,
             settings: ProjectionSettings = DEFAULT_SETTINGS) -> BacktestResult:
    """Return how the forecast made at as_of (with what was known then) compares with what happened."""
    as_of_ts = as_of_timestamp(as_of)
    known = known_at(ledger, as_of_ts)
    cash = prepare(known, as_of_ts, horizon_weeks, settings)
    models = cash.models
    end = pd.Timestamp(cash.dates[-1])
    as_of_day = np.datetime64(as_of_ts.date(), "D")
    client = cash.select((cash.items[C.SIDE] == C.RECEIVABLE).to_numpy())
    weekly_fc = aggregate(client).weekly

    # What happened: every client payment of the horizon on invoices open at as-of or issued after it.
    full = settle(ledger.receivables, ledger.payments_of(C.RECEIVABLE), end)
    at_t = settle(known.receivables, known.payments_of(C.RECEIVABLE), as_of_ts)
    open_at_t = at_t[C.STATUS] == "open"
    open_ids = at_t.loc[open_at_t, C.INVOICE_ID]
    n_open_invoices = int((open_at_t & (at_t[C.AMOUNT_TTC] > 0)).sum())
    later = full[full[C.ISSUE_DATE] > as_of_ts]
    pay = ledger.payments_of(C.RECEIVABLE)
    pay = pay[(pd.to_datetime(pay[C.PAYMENT_DATE]) > as_of_ts) & (pd.to_datetime(pay[C.PAYMENT_DATE]) <= end)]
    pay = pay[pay[C.INVOICE_ID].isin(pd.concat([open_ids, later[C.INVOICE_ID]]).unique())]
    currency = pay[C.INVOICE_ID].map(full.set_index(C.INVOICE_ID)[C.CURRENCY])
    eur = to_reporting(pay[C.AMOUNT], currency, known.fx_rates, as_of_ts)
    week = (pd.to_datetime(pay[C.PAYMENT_DATE]).dt.to_period("W-SUN").dt.start_time).to_numpy()
    actual = pd.Series(eur, index=week).groupby(level=0).sum().reindex(weekly_fc["week_start"], fill_value=0.0)
    weekly = pd.DataFrame({
        "week_start": weekly_fc["week_start"], "forecast_p10": weekly_fc["receipts_p10"],
        "forecast_p50": weekly_fc["receipts_p50"], "forecast_p90": weekly_fc["receipts_p90"],
        "forecast_expected": weekly_fc["receipts"], "actual": actual.to_numpy(),
    })

    invoices = _invoice_table(ledger, known, cash, client, full, later, as_of_ts, as_of_day, end, settings, models)
    f, a = weekly["forecast_expected"].to_numpy(), weekly["actual"].to_numpy()
    inside = (a >= weekly["forecast_p10"].to_numpy()) & (a <= weekly["forecast_p90"].to_numpy())
    opened = _errors(invoices[invoices["group"] == "open_at_as_of"])
    issued_after = _errors(invoices[invoices["group"] == "issued_after_as_of"])
    overall = _errors(invoices)
    metrics = BacktestMetrics(
        as_of=as_of_ts.date(), horizon_weeks=int(horizon_weeks),
        n_open_invoices=opened.n_invoices, n_later_invoices=issued_after.n_invoices,
        n_open_at_as_of_unpaid_in_horizon=n_open_invoices - opened.n_invoices,
        payment_date_mae_days=overall.payment_date_mae_days, late_accuracy=overall.late_accuracy,
        baseline_due_date_mae_days=overall.baseline_due_date_mae_days,
        baseline_client_median_mae_days=overall.baseline_client_median_mae_days,
        baseline_due_date_late_accuracy=overall.baseline_due_date_late_accuracy,
        baseline_client_median_late_accuracy=overall.baseline_client_median_late_accuracy,
        weekly_receipts_wape=float(np.abs(f - a).sum() / a.sum()) if a.sum() else float("nan"),
        weekly_receipts_bias=float((f - a).sum() / a.sum()) if a.sum() else float("nan"),
        interval_coverage_p10_p90=float(inside.mean()),
        open_at_as_of=opened, issued_after_as_of=issued_after,
    )
    return BacktestResult(metrics=metrics, weekly=weekly, invoices=invoices)


def _invoice_table(ledger: Ledger, known: Ledger, cash: CashItems, client: CashItems, full: pd.DataFrame,
                   later: pd.DataFrame, as_of: pd.Timestamp, as_of_day: np.datetime64, end: pd.Timestamp,
                   settings: ProjectionSettings, models: dict[str, BehaviourModel]) -> pd.DataFrame:
    """Return one row per invoice paid within the horizon: actual, model and baseline payment offsets."""
    calendar = BusinessCalendar(settings.calendar_country)
    paid_in = full[full[PAID_DATE].notna() & (full[PAID_DATE] > as_of) & (full[PAID_DATE] <= end)
                   & (full[C.AMOUNT_TTC] > 0)]
    paid_date = paid_in.set_index(C.INVOICE_ID)[PAID_DATE]
    items = client.items
    open_mask = (items["kind"] == "open_invoice").to_numpy() & items[C.INVOICE_ID].isin(paid_date.index).to_numpy()
    open_rows = items[open_mask]
    open_pred = quantile_offsets(client.pay_day_offsets[open_mask])

    model = models.get(C.RECEIVABLE)
    new = later[later[C.INVOICE_ID].isin(paid_date.index)]
    seg = segment_map(ledger.counterparties, C.RECEIVABLE)
    new_pred = np.zeros(0)
    if len(new) and model is not None:
        rng = np.random.default_rng(settings.seed + 1)
        due_off = (np.asarray(new[C.DUE_DATE]).astype("datetime64[D]") - as_of_day).astype(np.int64)
        issue_off = (np.asarray(new[C.ISSUE_DATE]).astype("datetime64[D]") - as_of_day).astype(np.int64)
        cp = new[C.COUNTERPARTY_ID].astype(str)
        rows = model.rows_for(cp, cp.map(seg), np.zeros(len(new), bool))  # disputes are raised later
        u = correlated_uniforms(rng, len(new), settings.n_sims, None, 0.0)
        delay = sample_delay_days(model, rows, (issue_off - 1 - due_off)[:, None], u)
        pay = np.where(delay >= NEVER, NEVER, due_off[:, None] + np.where(delay >= NEVER, 0, delay))
        last = int(np.max(np.where(pay >= NEVER, 0, pay), initial=0)) + 1
        new_pred = quantile_offsets(roll_offsets(pay, roll_table_for(as_of, last, calendar)))
    frame = pd.concat([
        pd.DataFrame({"group": "open_at_as_of", C.INVOICE_ID: open_rows[C.INVOICE_ID].to_numpy(),
                      C.COUNTERPARTY_ID: open_rows[C.COUNTERPARTY_ID].to_numpy(),
                      C.DUE_DATE: open_rows[C.DUE_DATE].to_numpy(), "predicted_offset": open_pred}),
        pd.DataFrame({"group": "issued_after_as_of", C.INVOICE_ID: new[C.INVOICE_ID].to_numpy(),
                      C.COUNTERPARTY_ID: new[C.COUNTERPARTY_ID].astype(str).to_numpy(),
                      C.DUE_DATE: new[C.DUE_DATE].to_numpy(), "predicted_offset": new_pred}),
    ], ignore_index=True)
    frame["due_offset"] = (np.asarray(frame[C.DUE_DATE]).astype("datetime64[D]") - as_of_day).astype(np.int64)
    frame["actual_offset"] = (np.asarray(frame[C.INVOICE_ID].map(paid_date)).astype("datetime64[D]")
                              - as_of_day).astype(np.int64)
    # Baselines: paid on the due date; due date + the client's median delay of its paid history at as-of.
    history = settle(known.receivables, known.payments_of(C.RECEIVABLE), as_of)
    history = history[history[PAID_DATE].notna() & (history[C.AMOUNT_TTC] > 0)]
    median = ((history[PAID_DATE] - history[C.DUE_DATE]).dt.days).groupby(history[C.COUNTERPARTY_ID]).median()
    client_median = frame[C.COUNTERPARTY_ID].map(median).fillna(0.0).round().to_numpy(dtype=np.int64)
    cal = calendar
    due_days = np.asarray(frame[C.DUE_DATE]).astype("datetime64[D]")
    frame["due_date_offset"] = (cal.roll_forward(due_days) - as_of_day).astype(np.int64)
    frame["client_median_offset"] = (cal.roll_forward(due_days + client_median) - as_of_day).astype(np.int64)
    # An invoice whose every draw is "never" is predicted paid at the end of the model's tail.
    tail = frame["due_offset"] + settings.behaviour.never_after_days
    frame["predicted_offset"] = frame["predicted_offset"].fillna(tail)
    return frame
