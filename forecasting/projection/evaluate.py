"""How far to trust the forecast on this ledger: the honest backtest replayed at several past dates, pooled.

The dates count back from the last day replayed (as-of, or the data's last day when earlier) by the horizon, then
a quarter (13 weeks) at a time: with the default 13-week horizon, the last four quarters, each forecast compared
with the quarter that followed it. Each date is moved back to the Sunday on or before it, so that every week
compared is a whole Monday-Sunday week; a date whose side has less than MIN_HISTORY_DAYS of invoices before it is
skipped for that side, and the evaluation says so. Pooled figures put every date's invoices (and weeks) together:
errors are summed over invoices, never averaged over dates. The settings the model chose at the live as-of (what
a forecast made that day uses) come with the errors of every setting it tried and the calibration it applies.

The dates a quarter apart tune the model at origins they share (model.tuning.TuningMemo): each shared origin is
fitted once, the figures are those of separate backtests.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.core.types import as_of_timestamp
from forecasting.i18n.translate import Day, Message
from forecasting.model.behaviour import BehaviourModel
from forecasting.model.calibration import CALIBRATION_PRIOR
from forecasting.model.payment_days import CALIBRATION_LEVELS
from forecasting.model.settings import CALIBRATION_GROUPS, BehaviourSettings
from forecasting.model.tuning import TuningMemo
from forecasting.projection.actuals import OPEN
from forecasting.projection.backtest import SIDE_CHOICES, backtest, invoice_scores, sides_to_backtest
from forecasting.projection.backtest_types import SideMetrics, UnpaidInvoices
from forecasting.projection.cache import entry_key, kept
from forecasting.projection.evaluate_types import (
    CalibrationCheck,
    ChosenSettings,
    EvaluatedDate,
    Evaluation,
    SkippedDate,
    TuningRow,
)
from forecasting.projection.forecast import fit_models, in_invoice_order
from forecasting.projection.scoring import weekly_scores
from forecasting.projection.types import DEFAULT_SETTINGS, MAX_HORIZON_WEEKS, ProjectionSettings

STEP_WEEKS = 13  # dates a quarter apart
MIN_HISTORY_DAYS = 90  # invoices of a side this long before a date, or the side is not replayed there
MAX_DATES = 12  # three years of quarters
EVALUATION_SUFFIX = ".evaluation.pickle"  # kept beside the forecasts (projection/cache.py)


def evaluation_dates(replayed_to: date, horizon_weeks: int, n_dates: int) -> list[date]:
    """Return the dates to replay, oldest first: back by the horizon, then a quarter at a time, each a Sunday."""
    days = []
    for k in range(n_dates):
        day = replayed_to - timedelta(weeks=int(horizon_weeks) + STEP_WEEKS * k)
        days.append(day - timedelta(days=(day.weekday() + 1) % 7))  # the Sunday on or before
    return sorted(days)


def last_data_day(ledger: Ledger) -> date | None:
    """Return the last day the data describe (an invoice issued or a payment made), None without either."""
    days = [pd.to_datetime(ledger.invoices(side)[C.ISSUE_DATE]).max() for side in C.SIDES
            if len(ledger.invoices(side))]
    if len(ledger.payments):
        days.append(pd.to_datetime(ledger.payments[C.PAYMENT_DATE]).max())
    found = [day for day in days if pd.notna(day)]
    return max(found).date() if found else None


def check_request(horizon_weeks: int, n_dates: int, side: str) -> None:
    """Refuse a horizon, a number of dates or a side that cannot be evaluated."""
    if side not in SIDE_CHOICES:
        raise InputError(f"unknown side {side!r}: expected receivables, payables or both")
    if not 1 <= int(horizon_weeks) <= MAX_HORIZON_WEEKS:
        raise InputError(f"horizon must be between 1 and {MAX_HORIZON_WEEKS} weeks, got {horizon_weeks}")
    if not 1 <= int(n_dates) <= MAX_DATES:
        raise InputError(f"the number of dates must be between 1 and {MAX_DATES}, got {n_dates}")


def evaluate(ledger: Ledger, as_of: date, horizon_weeks: int = 13, n_dates: int = 4, side: str = "both",
             settings: ProjectionSettings = DEFAULT_SETTINGS) -> Evaluation:
    """Return the backtests of the last `n_dates` quarters of the ledger, pooled per side, and the live settings.

    `side` is "receivables", "payables" or "both" (the sides without invoices left out; none: InputError).
    """
    check_request(horizon_weeks, n_dates, side)
    ledger = in_invoice_order(ledger)  # once for every replayed date and the live fit (each then only checks it)
    sides = sides_to_backtest(ledger, SIDE_CHOICES[side])
    live = as_of_timestamp(as_of).date()
    last = last_data_day(ledger)
    replayed_to = min(live, last) if last is not None else live
    first_issue = {s: pd.to_datetime(ledger.invoices(s)[C.ISSUE_DATE]).min().date() for s in sides}
    memo = TuningMemo()
    evaluated: list[EvaluatedDate] = []
    skipped: list[SkippedDate] = []
    tables: dict[str, list[pd.DataFrame]] = {s: [] for s in sides}
    weeks: dict[str, list[pd.DataFrame]] = {s: [] for s in sides}
    for day in evaluation_dates(replayed_to, horizon_weeks, n_dates):
        ready = [s for s in sides if (day - first_issue[s]).days >= MIN_HISTORY_DAYS]
        skipped += [SkippedDate(day, s, _too_short(s, first_issue[s])) for s in sides if s not in ready]
        if not ready:
            continue
        result = backtest(ledger, day, horizon_weeks, settings, ready, memo)
        evaluated.append(EvaluatedDate(result.metrics, result.weekly))
        for s in ready:
            tables[s].append(result.invoices[result.invoices["side"] == s])
            weeks[s].append(result.weekly_of(s))
    pooled = {s: pooled_side(s, [d.metrics.sides[s] for d in evaluated if s in d.metrics.sides], tables[s], weeks[s])
              for s in sides if tables[s]}
    issued = [s for s in sides if first_issue[s] <= live]
    models = fit_models(ledger, live, settings, memo, issued)
    chosen = {s: chosen_settings(models[s], settings.behaviour) for s in issued if s in models}
    return Evaluation(as_of=live, replayed_to=replayed_to, horizon_weeks=int(horizon_weeks), n_dates=int(n_dates),
                      sides=sides, data_end=_data_end(ledger), dates=tuple(evaluated), skipped=tuple(skipped),
                      pooled=pooled, settings=chosen, notes=_notes(live, replayed_to, evaluated, sides))


def cached_evaluate(ledger: Ledger, as_of: date, horizon_weeks: int = 13, n_dates: int = 4, side: str = "both",
                    folder: Path | None = None, settings: ProjectionSettings = DEFAULT_SETTINGS) -> Evaluation:
    """Return `evaluate(...)`, read from `folder` (projection/cache.py's) when it was kept there."""
    check_request(horizon_weeks, n_dates, side)
    live = as_of_timestamp(as_of).date()

    def matches(found: Evaluation) -> bool:
        """Return whether a kept evaluation is the one its name says."""
        return (found.as_of, found.horizon_weeks, found.n_dates) == (live, int(horizon_weeks), int(n_dates))

    return kept(folder, lambda: entry_key(ledger, as_of, horizon_weeks, settings, "evaluation", str(int(n_dates)),
                                          side), EVALUATION_SUFFIX, Evaluation, matches,
                lambda: evaluate(ledger, as_of, horizon_weeks, n_dates, side, settings))


def pooled_side(side: str, metrics: list[SideMetrics], tables: list[pd.DataFrame],
                weeks: list[pd.DataFrame]) -> SideMetrics:
    """Return one side's metrics over every date together: counts summed, scores over all invoices and weeks."""
    table = pd.concat(tables, ignore_index=True)
    weekly = pd.concat(weeks, ignore_index=True)
    is_open = (table["group"] == OPEN).to_numpy()
    unpaid = [m.unpaid_at_data_end for m in metrics]
    return SideMetrics(
        side=side, n_invoices=sum(m.n_invoices for m in metrics), n_scored=sum(m.n_scored for m in metrics),
        n_paid_after_horizon=sum(m.n_paid_after_horizon for m in metrics),
        n_open_at_as_of_unpaid_in_horizon=sum(m.n_open_at_as_of_unpaid_in_horizon for m in metrics),
        unpaid_at_data_end=UnpaidInvoices(
            n_invoices=sum(u.n_invoices for u in unpaid), amount_eur=float(sum(u.amount_eur for u in unpaid)),
            n_open_at_as_of=sum(u.n_open_at_as_of for u in unpaid),
            n_issued_after_as_of=sum(u.n_issued_after_as_of for u in unpaid),
            n_not_due_at_data_end=sum(u.n_not_due_at_data_end for u in unpaid)),
        invoices=invoice_scores(table), open_at_as_of=invoice_scores(table[is_open]),
        issued_after_as_of=invoice_scores(table[~is_open]),
        weekly=weekly_scores(weekly["actual"], weekly["forecast_expected"], weekly["forecast_p10"],
                             weekly["forecast_p90"], weekly["baseline_run_rate"]),
    )


def chosen_settings(model: BehaviourModel, settings: BehaviourSettings) -> ChosenSettings:
    """Return what the model chose by replaying its history: every setting tried with its error, the calibration."""
    tuning = model.tuning if model.tuning is not None else pd.DataFrame(
        {"half_life_days": [model.half_life_days], "drift": [model.drift], "settle_mode": [model.settle_mode],
         "mae_days": [np.nan], "n_scored": [0], "chosen": [True]})
    columns = [tuning[name].to_numpy() for name in ("half_life_days", "drift", "settle_mode", "mae_days", "chosen")]
    caps = tuning["segment_cap"].to_numpy(dtype=bool) if "segment_cap" in tuning else np.zeros(len(tuning), bool)
    batches = (tuning["month_end_batches"].to_numpy(dtype=bool) if "month_end_batches" in tuning
               else np.ones(len(tuning), bool))
    rows = tuple(TuningRow(half_life_days=float(h), drift=bool(d), settle_mode=str(m), mae_days=float(e),
                           chosen=bool(c), segment_cap=bool(k), month_end_batches=bool(b))
                 for h, d, m, e, c, k, b in zip(*columns, caps, batches, strict=True))
    best = next(row for row in rows if row.chosen)
    return ChosenSettings(
        side=model.side, tuned=bool(np.isfinite(best.mae_days)), half_life_days=model.half_life_days,
        drift=model.drift, settle_mode=model.settle_mode, mae_days=best.mae_days,
        n_scored=int(tuning["n_scored"].iloc[0]), usual_half_life_days=float(settings.half_life_days),
        alternatives=rows, calibration=_calibration_checks(model),
        quiet_days=model.dispute_quiet.days, quiet_population=model.dispute_quiet.population,
        quiet_gaps=model.dispute_quiet.n_ended, segment_cap=model.segment_cap,
        month_end_batches=best.month_end_batches)


def _calibration_checks(model: BehaviourModel) -> tuple[CalibrationCheck, ...]:
    """Return per calibrated group its check, with the prior chosen (the identity alone: no past shares)."""
    priors = model.calibration_priors
    checks = []
    for group in CALIBRATION_GROUPS:
        prior = priors.get(group, CALIBRATION_PRIOR)
        if group in model.calibration:
            checks.append(calibration_check(group, model.calibration[group], prior))
        elif group in priors and math.isinf(prior):
            checks.append(CalibrationCheck(group=group, below_p10=np.nan, above_p90=np.nan, p10_level=0.1,
                                           p90_level=0.9, prior=prior))
    return tuple(checks)


def calibration_check(group: str, table: np.ndarray, prior: float = CALIBRATION_PRIOR) -> CalibrationCheck:
    """Return what the uncorrected P10 and P90 were worth in the past and which levels are drawn in their place.

    `table` holds the quantiles of past probability-integral transforms at CALIBRATION_LEVELS (blended with the
    ideal when they are few): the share of payments before the model's own P10 is where 0.1 falls in it.
    """
    quantiles = np.asarray(table, dtype=float)
    below = float(np.interp(0.1, quantiles, CALIBRATION_LEVELS))
    above = 1.0 - float(np.interp(0.9, quantiles, CALIBRATION_LEVELS))
    return CalibrationCheck(group=group, below_p10=below, above_p90=above,
                            p10_level=float(np.interp(0.1, CALIBRATION_LEVELS, quantiles)),
                            p90_level=float(np.interp(0.9, CALIBRATION_LEVELS, quantiles)), prior=prior)


def _too_short(side: str, first: date) -> Message:
    """Return why a side is not replayed at a date: its invoices start too close before it."""
    values = {"first": Day(first.isoformat()), "days": MIN_HISTORY_DAYS}
    if side == C.RECEIVABLE:
        return Message("client invoices start on {first}: less than {days} days of history before this date", **values)
    return Message("supplier invoices start on {first}: less than {days} days of history before this date", **values)


def _data_end(ledger: Ledger) -> date | None:
    """Return the last payment date of the data (later payment dates are unknown)."""
    if not len(ledger.payments):
        return None
    found = pd.to_datetime(ledger.payments[C.PAYMENT_DATE]).max()
    return None if pd.isna(found) else found.date()


def _notes(live: date, replayed_to: date, evaluated: list[EvaluatedDate], sides: tuple[str, ...]) -> tuple[str, ...]:
    """Return what the evaluation could not do as asked."""
    notes: list[str] = []
    if replayed_to < live:
        notes.append(Message("the data end on {day}: the dates replayed count back from there",
                             day=Day(replayed_to.isoformat())))
    if not evaluated:
        notes.append(Message("no past date could be replayed: the invoices need at least {days} days of history "
                             "before the first date tried", days=MIN_HISTORY_DAYS))
    for side in sides:
        if evaluated and not any(side in d.metrics.sides for d in evaluated):
            notes.append(Message("client payments could not be replayed at any date: too little history")
                         if side == C.RECEIVABLE else
                         Message("supplier payments could not be replayed at any date: too little history"))
    return tuple(notes)
