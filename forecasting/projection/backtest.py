"""Forecast as of a past date with only what was known then, and compare with what happened, per side.

Honesty rules: the ledger is cut at the end of as_of (`settlement.known_at`: invoices issued and payments dated
<= as_of, write-offs undone since they carry no date) and the delay models are fitted on that cut. Every invoice
of positive amount open at as-of or issued within the horizon is scored against its real payment date wherever
the data knows it, after the horizon too; the ones never paid where the data ends are counted apart (with what is
still unpaid on them), not scored: their date is unknown. Payment days are drawn with `sample_pay_offsets` from
what was known at as-of: an open invoice is known unpaid through as-of's last business day and keeps its dispute
flag (it has no date: taken as known then); one issued later is drawn from its issue and due dates only, its
dispute unknown. A draw the model says is never paid is scored as paid on due date + never_after_days. The weekly
cash of each side (receipts or disbursements) is the forecast's, future invoicing included, against the payments
on the invoices open at as-of or issued within the horizon. Other currencies use the rate of as-of on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.core.terms import BusinessCalendar
from forecasting.core.types import as_of_timestamp
from forecasting.i18n.translate import Message
from forecasting.model.behaviour import NO_SEGMENT, BehaviourModel, last_business_day, segment_map
from forecasting.model.invoicing import week_start
from forecasting.model.payment_days import InvoiceDays, randomised_pit, sample_pay_offsets
from forecasting.model.sampling import NEVER
from forecasting.model.settlement import PAID_DATE, known_at
from forecasting.model.tuning import TuningMemo
from forecasting.projection.actuals import (
    LATER,
    OPEN,
    SideOutcomes,
    balance_totals,
    payments_eur,
    side_outcomes,
    weekly_actual,
)
from forecasting.projection.backtest_types import (
    BacktestMetrics,
    BacktestResult,
    ClosingCash,
    InvoiceScores,
    SideMetrics,
    UnpaidInvoices,
)
from forecasting.projection.baselines import (
    BASELINES,
    baseline_offsets,
    delay_history,
    rolled_offsets,
    run_rate_weeks,
)
from forecasting.projection.forecast import aggregate, fit_models, in_invoice_order, prepare
from forecasting.projection.scoring import (
    crps_from_draws,
    draw_quantiles,
    score_distribution,
    score_point,
    weekly_scores,
)
from forecasting.projection.types import DEFAULT_SETTINGS, CashItems, ProjectionSettings

SIDE_CHOICES = {"receivables": (C.RECEIVABLE,), "payables": (C.PAYABLE,), "both": C.SIDES}
_CHUNK_INVOICES = 20_000  # invoices drawn at a time: [chunk, n_sims] temporaries stay small


def backtest(ledger: Ledger, as_of: date, horizon_weeks: int = 13, settings: ProjectionSettings = DEFAULT_SETTINGS,
             sides: Sequence[str] = C.SIDES, memo: TuningMemo | None = None) -> BacktestResult:
    """Return how the forecast made at as_of (with what was known then) compares with what happened.

    `memo` shares the model tuning's past origins with backtests at other dates (the results are the same).
    """
    as_of_ts = as_of_timestamp(as_of)
    chosen = sides_to_backtest(ledger, sides)
    # In order once here: the cut keeps it, so fit_models and prepare only check it (no sort each).
    known = known_at(in_invoice_order(ledger), as_of_ts)
    models = fit_models(known, as_of_ts, settings, memo) if memo is not None else None
    cash = prepare(known, as_of_ts, horizon_weeks, settings, models)
    end = pd.Timestamp(cash.dates[-1])
    calendar = BusinessCalendar(settings.calendar_country)
    pay_dates = pd.to_datetime(ledger.payments[C.PAYMENT_DATE]) if len(ledger.payments) else pd.Series(dtype=object)
    data_end = pd.Timestamp(pay_dates.max()) if len(pay_dates) else None
    metrics: dict[str, SideMetrics] = {}
    weekly_frames, invoice_frames, notes = [], [], []
    for side in chosen:
        outcomes = side_outcomes(ledger, known, side, as_of_ts, end)
        model = cash.models.get(side)
        if model is None:
            notes.append(Message("no client invoices before as-of: their payment dates could not be forecast")
                         if side == C.RECEIVABLE else
                         Message("no supplier invoices before as-of: their payment dates could not be forecast"))
        table = invoice_table(outcomes, model, known, side, as_of_ts, settings, calendar)
        weekly = _weekly_frame(cash, side, ledger, outcomes, known, as_of_ts, end)
        metrics[side] = _side_metrics(side, table, weekly, end, as_of_ts, data_end)
        weekly_frames.append(weekly)
        invoice_frames.append(table)
    closing_frame, closing = _closing(ledger, cash, as_of_ts, end)
    result = BacktestMetrics(as_of=as_of_ts.date(), horizon_weeks=int(horizon_weeks),
                             data_end=None if data_end is None else data_end.date(),
                             sides=metrics, closing_cash=closing, notes=tuple(notes))
    return BacktestResult(metrics=result, weekly=pd.concat(weekly_frames, ignore_index=True),
                          invoices=pd.concat(invoice_frames, ignore_index=True), closing=closing_frame)


def sides_to_backtest(ledger: Ledger, sides: Sequence[str]) -> tuple[str, ...]:
    """Return the sides asked for that hold invoices; refuse when none does."""
    unknown = [side for side in sides if side not in C.SIDES]
    if unknown:
        raise InputError(f"unknown side {unknown[0]!r}: expected {' or '.join(C.SIDES)}")
    chosen = tuple(side for side in C.SIDES if side in sides and len(ledger.invoices(side)))
    if not chosen:
        raise InputError("no invoices of the side asked for: nothing to backtest")
    return chosen


def invoice_table(outcomes: SideOutcomes, model: BehaviourModel | None, known: Ledger, side: str,
                  as_of: pd.Timestamp, settings: ProjectionSettings, calendar: BusinessCalendar) -> pd.DataFrame:
    """Return one row per invoice to score: its real day, the model's P10/P50/P90 and CRPS, each baseline's day."""
    inv = outcomes.invoices
    day0 = np.datetime64(as_of.date(), "D")
    due = _offsets(inv[C.DUE_DATE], day0)
    paid = inv[PAID_DATE].notna().to_numpy()
    actual = np.where(paid, _offsets(inv[PAID_DATE].fillna(as_of), day0), np.nan)
    frame = inv[["group", C.INVOICE_ID, C.COUNTERPARTY_ID, C.DUE_DATE, C.DISPUTED]].assign(
        side=side, due_offset=due, rolled_due_offset=rolled_offsets(due, as_of, calendar), actual_offset=actual,
        unpaid_eur=inv["unpaid_eur"].to_numpy())
    frame = frame.join(_model_draws(model, inv, known, side, due, actual, as_of, settings))
    offsets = baseline_offsets(delay_history(outcomes.settled), inv[C.COUNTERPARTY_ID], due,
                               inv[C.DISPUTED].to_numpy(dtype=bool), as_of, calendar)
    return frame.assign(**{f"{name}_offset": offsets[name] for name in BASELINES})


def _offsets(days: pd.Series, day0: np.datetime64) -> npt.NDArray[np.int64]:
    """Return dates as day offsets from day0."""
    return (np.asarray(days).astype("datetime64[D]") - day0).astype(np.int64)


def _model_draws(model: BehaviourModel | None, inv: pd.DataFrame, known: Ledger, side: str,
                 due: npt.NDArray[np.int64], actual: npt.NDArray[np.float64], as_of: pd.Timestamp,
                 settings: ProjectionSettings) -> pd.DataFrame:
    """Return each invoice's P10/P50/P90 and mean offsets, CRPS and randomised PIT (NaN when unpaid), share never paid.

    The quantiles and the mean are those of the draws where the invoice gets paid (its date if paid: every invoice
    scored was), due + never_after_days when none is; the CRPS scores every draw, a never-paid one as paid on that
    far day.
    """
    columns = ["p10_offset", "predicted_offset", "p90_offset", "crps_days", "never_share", "pit", "mean_offset"]
    values = np.full((len(inv), len(columns)), np.nan)
    if model is None or not len(inv):
        return pd.DataFrame(values, columns=columns, index=inv.index)
    day0 = np.datetime64(as_of.date(), "D")
    last_bd = int((np.datetime64(last_business_day(as_of, model.settings.calendar_country).date(), "D")
                   - day0).astype(np.int64))
    not_issued = (inv["group"] == LATER).to_numpy()
    through = np.where(not_issued, _offsets(inv[C.ISSUE_DATE], day0) - 1, last_bd)
    who = inv[C.COUNTERPARTY_ID].astype(str)
    segments = who.map(segment_map(known.counterparties, side)).fillna(NO_SEGMENT).to_numpy(dtype=object)
    far = (due + model.settings.never_after_days).astype(float)
    rng = np.random.default_rng(settings.seed + 1)
    for start in range(0, len(inv), _CHUNK_INVOICES):
        part = slice(start, start + _CHUNK_INVOICES)
        days = InvoiceDays(counterparty_ids=who.to_numpy(dtype=object)[part], segments=segments[part],
                           disputed=inv[C.DISPUTED].to_numpy(dtype=bool)[part], not_issued=not_issued[part],
                           due_offsets=due[part, None], unpaid_through_offsets=through[part, None])
        pay = sample_pay_offsets(model, days, as_of, rng.random((len(days.disputed), settings.n_sims)))
        never = pay >= NEVER
        if_paid = np.where(never, np.nan, pay.astype(float))  # the day if it gets paid
        quantiles = draw_quantiles(if_paid).T
        values[part, :3] = np.where(np.isnan(quantiles), far[part, None], quantiles)
        n_paid = (~never).sum(axis=1)
        values[part, 6] = np.where(n_paid > 0, np.nansum(if_paid, axis=1) / np.maximum(n_paid, 1), far[part])
        values[part, 3] = crps_from_draws(np.where(never, far[part, None], pay.astype(float)), actual[part])
        values[part, 4] = never.mean(axis=1)
        values[part, 5] = randomised_pit(np.where(never, np.inf, pay.astype(float)), actual[part], rng)
    return pd.DataFrame(values, columns=columns, index=inv.index)


def invoice_scores(table: pd.DataFrame) -> InvoiceScores:
    """Return the model's and the baselines' scores on the paid invoices of a table."""
    paid = table[table["actual_offset"].notna()]
    actual, due = paid["actual_offset"].to_numpy(float), paid["rolled_due_offset"].to_numpy(float)
    quantiles = paid[["p10_offset", "predicted_offset", "p90_offset"]].to_numpy(float).T
    return InvoiceScores(
        n_invoices=len(paid), model=score_distribution(quantiles, paid["crps_days"].to_numpy(float), actual, due,
                                                       paid["pit"].to_numpy(float), paid["mean_offset"].to_numpy(float)),
        baselines={name: score_point(paid[f"{name}_offset"].to_numpy(float), actual, due) for name in BASELINES})


def _side_metrics(side: str, table: pd.DataFrame, weekly: pd.DataFrame, end: pd.Timestamp, as_of: pd.Timestamp,
                  data_end: pd.Timestamp | None) -> SideMetrics:
    """Return a side's metrics from its invoice table and its weekly frame."""
    end_offset = (end - as_of).days
    paid = table["actual_offset"].notna().to_numpy()
    is_open = (table["group"] == OPEN).to_numpy()
    after = paid & (table["actual_offset"].to_numpy(float) > end_offset)
    not_due = (table[C.DUE_DATE] > data_end).to_numpy() if data_end is not None else np.zeros(len(table), bool)
    unpaid = UnpaidInvoices(n_invoices=int((~paid).sum()), amount_eur=float(table["unpaid_eur"][~paid].sum()),
                            n_open_at_as_of=int((~paid & is_open).sum()),
                            n_issued_after_as_of=int((~paid & ~is_open).sum()),
                            n_not_due_at_data_end=int((~paid & not_due).sum()))
    scores = weekly_scores(weekly["actual"], weekly["forecast_expected"], weekly["forecast_p10"],
                           weekly["forecast_p90"], weekly["baseline_run_rate"])
    return SideMetrics(
        side=side, n_invoices=len(table), n_scored=int(paid.sum()), n_paid_after_horizon=int(after.sum()),
        n_open_at_as_of_unpaid_in_horizon=int((is_open & (~paid | after)).sum()), unpaid_at_data_end=unpaid,
        invoices=invoice_scores(table), open_at_as_of=invoice_scores(table[is_open]),
        issued_after_as_of=invoice_scores(table[~is_open]), weekly=scores)


def side_paths(cash: CashItems, side: str) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.float64]]:
    """Return the week starts and each week's simulated cash of one side [n_weeks, n_sims] (money in or out > 0)."""
    starts = week_start(cash.dates)
    weeks, week_of_day = np.unique(starts, return_inverse=True)
    n_weeks, n_sims, n_days = len(weeks), cash.pay_day_offsets.shape[1], cash.n_days
    rows = np.flatnonzero((cash.items[C.SIDE] == side).to_numpy())
    sign = 1.0 if side == C.RECEIVABLE else -1.0
    amount = cash.items[C.AMOUNT].to_numpy(dtype=float) * sign
    sums = np.zeros(n_weeks * n_sims)
    for start in range(0, len(rows), _CHUNK_INVOICES):
        part = rows[start:start + _CHUNK_INVOICES]
        offsets = cash.pay_day_offsets[part]
        inside = (offsets >= 1) & (offsets <= n_days)
        week = week_of_day.reshape(-1)[np.clip(offsets, 1, n_days) - 1]
        key = week * n_sims + np.arange(n_sims)[None, :]
        cells = cash.path_amounts(amount[part], part)
        sums += np.bincount(key[inside], weights=cells[inside], minlength=n_weeks * n_sims)
    return weeks, sums.reshape(n_weeks, n_sims)


def _weekly_frame(cash: CashItems, side: str, ledger: Ledger, outcomes: SideOutcomes, known: Ledger,
                  as_of: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Return one side's weekly forecast (band and expected), actual cash and run-rate baseline."""
    weeks, paths = side_paths(cash, side)
    dates, eur, keys = payments_eur(ledger, side, outcomes, known.fx_rates, as_of)
    days_per_week = np.bincount(np.searchsorted(weeks, week_start(cash.dates)), minlength=len(weeks))
    known_pay = (dates <= as_of).to_numpy()
    p10, p50, p90 = np.percentile(paths, [10, 50, 90], axis=1)
    return pd.DataFrame({
        "side": side, "week_start": pd.to_datetime(weeks), "forecast_p10": p10, "forecast_p50": p50,
        "forecast_p90": p90, "forecast_expected": paths.mean(axis=1),
        "actual": weekly_actual(dates, eur, keys, outcomes, as_of, end, weeks),
        "baseline_run_rate": run_rate_weeks(dates[known_pay], eur[known_pay], as_of, days_per_week),
    })


def _closing(ledger: Ledger, cash: CashItems, as_of: pd.Timestamp,
             end: pd.Timestamp) -> tuple[pd.DataFrame, ClosingCash | None]:
    """Return the forecast closing cash against the real balance on each balance date of the horizon, and its metrics."""
    columns = ["balance_date", "actual", "forecast_expected", "forecast_p10", "forecast_p50", "forecast_p90"]
    totals = balance_totals(ledger, as_of, end)
    if not len(totals) or cash.opening_balance_date is None:  # without a balance at as-of the forecast starts at 0
        return pd.DataFrame(columns=columns), None
    daily = aggregate(cash).daily.set_index("date")
    found = daily.loc[totals.index]
    frame = pd.DataFrame({
        "balance_date": totals.index, "actual": totals.to_numpy(),
        "forecast_expected": found["closing_expected"].to_numpy(), "forecast_p10": found["closing_p10"].to_numpy(),
        "forecast_p50": found["closing_p50"].to_numpy(), "forecast_p90": found["closing_p90"].to_numpy(),
    }, columns=columns)
    weekly = frame.groupby(week_start(frame["balance_date"]), sort=True).last()
    inside = (weekly["actual"] >= weekly["forecast_p10"]) & (weekly["actual"] <= weekly["forecast_p90"])
    last = frame.iloc[-1]
    closing = ClosingCash(
        balance_date=pd.Timestamp(last["balance_date"]).date(), actual_eur=float(last["actual"]),
        forecast_expected_eur=float(last["forecast_expected"]), forecast_p10_eur=float(last["forecast_p10"]),
        forecast_p50_eur=float(last["forecast_p50"]), forecast_p90_eur=float(last["forecast_p90"]),
        error_eur=float(last["forecast_expected"] - last["actual"]),
        inside_p10_p90=bool(last["forecast_p10"] <= last["actual"] <= last["forecast_p90"]),
        n_weeks=len(weekly), weekly_coverage_p10_p90=float(inside.mean()),
        weekly_mean_abs_error_eur=float((weekly["forecast_expected"] - weekly["actual"]).abs().mean()),
    )
    return frame, closing
