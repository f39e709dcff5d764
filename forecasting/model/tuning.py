"""The model's settings chosen by the ledger's own history: rolling-origin backtests at past dates.

At each origin (13, 26 and 39 weeks before as-of) the model is fitted on what was known then and forecasts the
invoices open at the origin or issued in the 13 weeks after it; their real payment dates (known by as-of) score it.
- Recency: the half-life with the lowest payment-date error (MAE of the median draw) over all origins. Clients
  whose habits drift need a short memory, steady ones a long one: the ledger says which.
- Settlement day: "forward" (a drawn day off the counterparty's settlement days moves to the next one) or "nearest".
- Segment cap: whether each counterparty weighs at most a few invoices in its segment's curve (the curve new and thin
  counterparties borrow): tried at the best half-life and drift without it, kept when the replay's error is lower.
- Month-end batches (model.behaviour) are looked for in every variant; the best one so far is replayed without them
  when some origin found batch payers, and they are dropped when that does better (due dates that cluster on month
  ends can look like batches).
- Calibration: the probability-integral transforms of the real dates under the chosen model (randomised for ties
  and for invoices still unpaid at as-of) should be uniform; their quantiles, blended with the identity by how
  many independent counterparties' worth there are (model.calibration), become the map applied to every draw's
  uniform: a model too sure of itself gets wider, one biased early gets later. How far the map is trusted (the
  blend's prior) is chosen by forecasting each origin's transforms from the other origins' maps.
Large ledgers are tuned on a sample of counterparties; too little history keeps the defaults (said in the report).

Replays at several dates a quarter apart (`cashpilot evaluate`) tune at origins they share: a `TuningMemo` keeps the
draws of each origin and variant, keyed by the content of what they are drawn from, so a shared origin is fitted
once; the figures are those of a fit without it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from forecasting.core import columns as C
from forecasting.model.behaviour import (
    BehaviourModel,
    FitInputs,
    fit_inputs,
    fit_settled,
    last_business_day,
    segment_map,
    settlement_dates,
)
from forecasting.model.calibration import MIN_CALIBRATION, calibration_map, choose_prior
from forecasting.model.disputes import DEFAULT_QUIET, QuietPeriod, learn_quiet_period
from forecasting.model.payment_days import (
    InvoiceDays,
    UnsettledDraws,
    draw_unsettled,
    randomised_pit,
    settled_offsets,
)
from forecasting.model.sampling import NEVER
from forecasting.model.settings import CALIBRATION_GROUPS, BehaviourSettings
from forecasting.model.settlement import PAID_DATE, own_dates, settle_with_gaps
from forecasting.model.tuning_sample import sampled_counterparties

ORIGIN_STEP_DAYS = 91  # origins a quarter apart, each scored over the quarter after it
N_ORIGINS = 3
MIN_HISTORY_DAYS = 120  # an origin needs this much history before it
MIN_SCORED = 60  # paid invoices over all origins below which the defaults are kept
DRAWS = 32
MAX_TUNING_INVOICES = 25_000  # larger ledgers are tuned on a sample of counterparties (model.tuning_sample)
TUNING_SAMPLE_SEED = 0
SETTLE_CHOICES = ("forward", "nearest")
DRIFT_MIN_HALF_LIFE = 365.0  # a short memory follows a drift by itself


@dataclass(frozen=True, eq=False)
class _Case:
    """The invoices scored at one origin and what happened to them."""

    origin: pd.Timestamp
    settled: pd.DataFrame  # the side's invoices as known at the origin
    days: InvoiceDays
    actual: npt.NDArray[np.float64]  # payment offset from the origin; NaN: unpaid at as-of
    censor: npt.NDArray[np.float64]  # unpaid through this offset (as-of's last business day) when actual is NaN
    quiet: QuietPeriod = DEFAULT_QUIET  # when a dispute paid in part counts as settled short, learned at the origin
    digest: str = ""  # of what its draws depend on (the history at the origin, the invoices scored); "" untaken
    uniforms: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, DRAWS)))  # [n, DRAWS], seed 11


# settle mode -> settled draws [n, DRAWS] of one origin and variant; FOUND_BATCHES -> [1.0] when its fit found
# month-end batch payers, [0.0] if not
ModeDraws = dict[str, npt.NDArray[np.float64]]
FOUND_BATCHES = "found month-end batches"


class TuningMemo:
    """The draws of past origins kept between the tunings of one replay at several dates (one side's last call's).

    An origin's draws depend only on what was known at it and on the invoices it scores, not on the as-of date
    that tunes: a replay a quarter later meets the same origin again. Entries are keyed by a digest of those
    inputs, so a ledger that differs (a sample, a write-off) is fitted afresh; each call keeps only the entries of
    its side that it used, so memory stays that of one tuning.
    """

    def __init__(self) -> None:
        """Start empty."""
        self._kept: dict[tuple[Hashable, ...], ModeDraws] = {}
        self._used: set[tuple[Hashable, ...]] = set()
        self.hits = 0  # draws read from the memo, not fitted again (for benchmarks and tests)

    def draws(self, key: tuple[Hashable, ...], compute: Callable[[], ModeDraws]) -> ModeDraws:
        """Return the kept draws under `key`, else compute and keep them."""
        self._used.add(key)
        found = self._kept.get(key)
        if found is not None:
            self.hits += 1
            return found
        self._kept[key] = computed = compute()
        return computed

    def forget_unused(self, side: str) -> None:
        """Drop the entries of `side` that its last call did not use (they belong to origins left behind)."""
        self._kept = {k: v for k, v in self._kept.items() if k[0] != side or k in self._used}
        self._used = {k for k in self._used if k[0] != side}


@dataclass(frozen=True, eq=False)
class Tuning:
    """The rolling-origin replay of a side: its cases, each variant's draws and the report (None: too few scored)."""

    cases: list[_Case]
    # (half-life, drift, segment cap, month-end batches, settle mode) -> draws per origin
    draws: dict[tuple[float, bool, bool, bool, str], list[npt.NDArray[np.float64]]]
    report: pd.DataFrame | None
    scored: int


def tune_behaviour(invoices: pd.DataFrame, payments: pd.DataFrame, counterparties: pd.DataFrame,
                   as_of: pd.Timestamp, side: str, settings: BehaviourSettings,
                   memo: TuningMemo | None = None) -> Tuning:
    """Return the side's replay at past origins, on a sample of its counterparties (learn_behaviour's choices).

    It reads neither the settled ledger nor the final fit, so it may run on another thread while they are made.
    """
    tune = settings.choose_half_life or settings.calibrate or settings.settle_mode == "auto"
    sample, sample_payments, sample_counterparties = _sampled(invoices, payments, counterparties)
    digests = memo is not None
    cases = _cases(sample, sample_payments, sample_counterparties, as_of, side, settings, digests) if tune else []
    scored = sum(int(np.isfinite(case.actual).sum()) for case in cases)
    if scored < MIN_SCORED:
        if memo is not None:
            memo.forget_unused(side)
        return Tuning(cases, {}, None, scored)
    modes = SETTLE_CHOICES if settings.settle_mode == "auto" else (settings.settle_mode,)
    rows: list[dict[str, Any]] = []
    draws: dict[tuple[float, bool, bool, bool, str], list[npt.NDArray[np.float64]]] = {}
    people = _frame_digest(sample_counterparties) if memo is not None else ""
    inputs: dict[int, FitInputs] = {}  # per origin: what every variant's fit reads, built on first use

    def replay(half_life: float, drift: bool, cap: bool, batches: bool) -> None:
        """Score one variant under every settle mode."""
        by_case = [_case_draws(c, sample_counterparties, side, settings, half_life, drift, modes, memo, people,
                               inputs, cap, batches) for c in cases]
        found[0] |= any(bool(case_draws[FOUND_BATCHES][0]) for case_draws in by_case)
        for mode in modes:
            drawn = [case_draws[mode] for case_draws in by_case]
            draws[(half_life, drift, cap, batches, mode)] = drawn
            rows.append({"half_life_days": half_life, "drift": drift, "settle_mode": mode, "segment_cap": cap,
                         "month_end_batches": batches, "mae_days": _mae(drawn, cases), "n_scored": scored})

    def best_so_far() -> dict[str, Any]:
        """Return the row of the lowest error (the first of equals)."""
        return rows[int(np.argmin([row["mae_days"] for row in rows]))]

    batches = settings.month_end_batches != "off"
    found = [False]  # whether a fit at some origin found month-end batch payers
    for half_life, drift in _variants(settings):
        replay(half_life, drift, settings.segment_cap == "on", batches)
    if settings.segment_cap == "auto":  # the cap tried once, at the best variant without it
        top = best_so_far()
        replay(float(top["half_life_days"]), bool(top["drift"]), True, batches)
    if settings.month_end_batches == "auto" and found[0]:  # without batch payers, "without them" is the same
        top = best_so_far()
        replay(float(top["half_life_days"]), bool(top["drift"]), bool(top["segment_cap"]), False)
    report = pd.DataFrame(rows)
    best = int(report["mae_days"].to_numpy().argmin())
    report["chosen"] = np.arange(len(report)) == best
    if memo is not None:
        memo.forget_unused(side)
    return Tuning(cases, draws, report, scored)


def learn_behaviour(invoices: pd.DataFrame, payments: pd.DataFrame, counterparties: pd.DataFrame,
                    as_of: pd.Timestamp, side: str, settings: BehaviourSettings,
                    settled: pd.DataFrame | None = None, memo: TuningMemo | None = None,
                    tuning: Tuning | None = None, quiet: QuietPeriod | None = None) -> BehaviourModel:
    """Return the side's delay model at as_of with recency, settlement day and calibration chosen by its history.

    `settled` and `quiet` are `settle_with_gaps(invoices, payments, as_of)` and the quiet period learned from its gaps,
    and `tuning` is `tune_behaviour(...)` of the same arguments, when the caller has them already (`settled` without
    `quiet`: settled again for its gaps). `memo` shares the draws of past origins between calls (replays at several
    dates); the model is the same.
    """
    if settled is None or quiet is None:
        settled, gaps = settle_with_gaps(invoices, payments, as_of)
        quiet = learn_quiet_period(gaps)
    tuning = tune_behaviour(invoices, payments, counterparties, as_of, side, settings, memo) if tuning is None else tuning
    report = tuning.report
    if report is None:
        model = fit_settled(settled, counterparties, as_of, side, settings, quiet=quiet)
        mode = "forward" if settings.settle_mode == "auto" else settings.settle_mode
        report = pd.DataFrame({"half_life_days": [model.half_life_days], "drift": [model.drift], "settle_mode": [mode],
                               "segment_cap": [model.segment_cap],
                               "month_end_batches": [settings.month_end_batches != "off"], "mae_days": [np.nan],
                               "n_scored": [tuning.scored], "chosen": [True]})
        return replace(model, settle_mode=mode, tuning=report)
    best = int(report["chosen"].to_numpy().argmax())
    half_life, drift = float(report["half_life_days"].iloc[best]), bool(report["drift"].iloc[best])
    mode, cap = str(report["settle_mode"].iloc[best]), bool(report["segment_cap"].iloc[best])
    batches = bool(report["month_end_batches"].iloc[best])
    model = fit_settled(settled, counterparties, as_of, side, settings, half_life, drift, segment_cap=cap,
                        batches=batches, quiet=quiet)
    calibration, priors = (_calibration_and_priors(tuning.draws[(half_life, drift, cap, batches, mode)], tuning.cases)
                           if settings.calibrate else ({}, {}))
    return replace(model, settle_mode=mode, calibration=calibration, calibration_priors=priors, tuning=report)


def _case_draws(case: _Case, counterparties: pd.DataFrame, side: str, settings: BehaviourSettings,
                half_life: float, drift: bool, modes: tuple[str, ...], memo: TuningMemo | None,
                people: str, inputs: dict[int, FitInputs], cap: bool = False, batches: bool = True) -> ModeDraws:
    """Return the settled draws of one origin under one variant, per settle mode (from the memo when kept)."""
    def compute() -> ModeDraws:
        """Fit the model at the origin and draw its invoices' payment days (fixed seeds)."""
        if id(case) not in inputs:  # the cases live as long as `inputs`: their ids stay theirs
            inputs[id(case)] = fit_inputs(case.settled, counterparties, case.origin, side, settings, case.quiet)
        model = fit_settled(case.settled, counterparties, case.origin, side, settings, half_life, drift,
                            inputs[id(case)], segment_cap=cap, batches=batches)
        unsettled = _unsettled(model, case)
        out = {mode: _settled(model, unsettled, case, mode) for mode in modes}
        out[FOUND_BATCHES] = np.array([float(model.settle_month_end is not None)])
        return out

    if memo is None:
        return compute()
    key = (side, case.origin, half_life, drift, cap, batches, modes, repr(settings), people, case.digest)
    return memo.draws(key, compute)


def _frame_digest(frame: pd.DataFrame) -> str:
    """Return a digest of a frame's column names, types and values (row order included); unique if unhashable."""
    digest = hashlib.sha256(f"{list(frame.columns)}:{list(map(str, frame.dtypes))}:{len(frame)}".encode())
    try:
        if len(frame.columns):
            digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    except (TypeError, ValueError):  # a value pandas cannot hash: never shared
        return uuid.uuid4().hex
    return digest.hexdigest()


def _days_digest(days: InvoiceDays) -> str:
    """Return a digest of the invoices an origin scores, as the sampler sees them."""
    digest = hashlib.sha256()
    for values in (days.counterparty_ids, days.segments):
        digest.update(pd.util.hash_array(np.asarray(values, dtype=object)).tobytes())
    for array in (days.disputed, days.not_issued, days.due_offsets, days.unpaid_through_offsets):
        plain = np.ascontiguousarray(array)
        digest.update(f"{plain.dtype}{plain.shape}".encode())
        digest.update(plain.tobytes())
    return digest.hexdigest()


def _variants(settings: BehaviourSettings) -> list[tuple[float, bool]]:
    """Return the (half-life, drift) pairs the replay compares (drift only with memories of half a year or more)."""
    half_lives = settings.half_life_candidates_days if settings.choose_half_life else (settings.half_life_days,)
    if settings.drift != "auto":
        return [(float(h), settings.drift == "on") for h in half_lives]
    return [(float(h), False) for h in half_lives] + [(float(h), True) for h in half_lives if h >= DRIFT_MIN_HALF_LIFE]


def _cases(invoices: pd.DataFrame, payments: pd.DataFrame, counterparties: pd.DataFrame,
           as_of: pd.Timestamp, side: str, settings: BehaviourSettings, digests: bool = False) -> list[_Case]:
    """Return the scored invoices of each origin with enough history before it (with digests for a memo)."""
    # Each origin's scoring window ends on the next origin (the last on as-of): settle each date once.
    known: dict[pd.Timestamp, tuple[pd.DataFrame, QuietPeriod]] = {}

    def settled_at(day: pd.Timestamp) -> tuple[pd.DataFrame, QuietPeriod]:
        """Return the invoices as known at the end of day and the quiet period learned then (once per date)."""
        if day not in known:
            settled, gaps = settle_with_gaps(invoices, payments, day)
            known[day] = settled, learn_quiet_period(gaps)
        return known[day]

    settled_now, quiet_now = settled_at(as_of)
    # A dispute settled short is settled on its last payment (model.disputes), as the fit counts it: what as-of knows.
    paid_at = settled_now.assign(**{PAID_DATE: settlement_dates(settled_now, as_of, quiet_now.days)}).drop_duplicates(
        [C.INVOICE_ID]).set_index(C.INVOICE_ID)[PAID_DATE]
    first_issue = pd.to_datetime(invoices[C.ISSUE_DATE]).min() if len(invoices) else as_of
    segments = segment_map(counterparties, side)
    censor_day = last_business_day(as_of, settings.calendar_country)
    cases = []
    for k in range(N_ORIGINS, 0, -1):
        origin = as_of - pd.Timedelta(days=ORIGIN_STEP_DAYS * k)
        if (origin - first_issue).days < MIN_HISTORY_DAYS:
            continue
        end = origin + pd.Timedelta(days=ORIGIN_STEP_DAYS)
        at_origin, quiet = settled_at(origin)
        # Written off later: open then. A dispute settled short by the origin is settled, even when that is known only
        # later (its last payment came before the origin): not scored.
        open_ = at_origin[settlement_dates(at_origin, origin, quiet.days).isna() & (at_origin[C.AMOUNT_TTC] > 0)
                          & own_dates(at_origin)]  # a carried balance's due date is not its own: not scored
        open_ = open_[~(open_[C.INVOICE_ID].map(paid_at) <= origin).to_numpy(dtype=bool)]
        later = settled_at(end)[0]
        later = later[(later[C.ISSUE_DATE] > origin) & (later[C.AMOUNT_TTC] > 0) & own_dates(later)]
        scored = pd.concat([open_.assign(_later=False), later.assign(_later=True, **{C.DISPUTED: False})],
                           ignore_index=True)
        if not len(scored):
            continue
        day0 = np.datetime64(origin.date(), "D")
        last_bd = int((np.datetime64(last_business_day(origin, settings.calendar_country).date(), "D") - day0)
                      .astype(np.int64))
        issue = _offsets(scored[C.ISSUE_DATE], day0)
        is_later = scored["_later"].to_numpy(dtype=bool)
        cp = scored[C.COUNTERPARTY_ID].astype(str)
        days = InvoiceDays(cp.to_numpy(), cp.map(segments).to_numpy(), scored[C.DISPUTED].to_numpy(dtype=bool),
                           is_later, _offsets(scored[C.DUE_DATE], day0)[:, None],
                           np.where(is_later, issue - 1, last_bd)[:, None])
        actual = _offsets(scored[C.INVOICE_ID].map(paid_at), day0).astype(float)
        actual[scored[C.INVOICE_ID].map(paid_at).isna().to_numpy()] = np.nan
        censor = np.full(len(scored), float((censor_day - origin).days))
        digest = _frame_digest(at_origin) + _days_digest(days) + repr(quiet) if digests else ""
        # Every variant draws with the same uniforms (fixed seed): drawn once per origin, not once per variant.
        uniforms = np.random.default_rng(11).random((len(actual), DRAWS))
        uniforms.flags.writeable = False  # shared by every variant's draws
        cases.append(_Case(origin, at_origin, days, actual, censor, quiet, digest, uniforms))
    return cases


def _sampled(invoices: pd.DataFrame, payments: pd.DataFrame,
             counterparties: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the invoices, payments and counterparties of a sample of counterparties on a large ledger (fixed seed)."""
    if len(invoices) <= MAX_TUNING_INVOICES:
        return invoices, payments, counterparties
    counts = invoices[C.COUNTERPARTY_ID].astype(str).value_counts()
    kept = sampled_counterparties(counts, MAX_TUNING_INVOICES, TUNING_SAMPLE_SEED)
    chosen = invoices[_is_in(invoices[C.COUNTERPARTY_ID].astype(str), kept)]
    return (chosen, payments[_is_in(payments[C.INVOICE_ID], chosen[C.INVOICE_ID])],
            counterparties[_is_in(counterparties[C.COUNTERPARTY_ID].astype(str), kept)])


def _is_in(values: pd.Series, allowed: pd.Series | pd.Index) -> npt.NDArray[np.bool_]:
    """Return `values.isin(allowed)`; with Arrow text on both sides, by Arrow's own set lookup.

    pandas builds the set of an Arrow text column one Python scalar per allowed value: a second for the tuning
    sample's 25,000 invoice ids. Arrow's `is_in` gives the same answer (missing values match missing ones).
    """
    if _arrow_text(values) and _arrow_text(allowed):
        column = pa.array(values.array)
        value_set = pa.array(pd.Series(allowed).array)
        if isinstance(value_set, pa.ChunkedArray):
            value_set = value_set.combine_chunks()
        return np.asarray(pc.is_in(column, value_set=value_set.cast(column.type)), dtype=bool)
    return values.isin(allowed).to_numpy(dtype=bool)


def _arrow_text(values: pd.Series | pd.Index) -> bool:
    """Return True when values are text stored by Arrow (pandas' default string dtype)."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _offsets(dates: pd.Series, day0: np.datetime64) -> npt.NDArray[np.int64]:
    """Return day offsets of dates from day0 (NaT: 0)."""
    days = pd.to_datetime(dates).to_numpy().astype("datetime64[D]")
    return np.where(np.isnat(days), 0, (days - day0).astype(np.int64))


def _unsettled(model: BehaviourModel, case: _Case) -> UnsettledDraws:
    """Return DRAWS payment offsets per scored invoice, before settlement days (fixed seeds)."""
    return draw_unsettled(model, case.days, case.uniforms, np.random.default_rng(12))


def _settled(model: BehaviourModel, draws: UnsettledDraws, case: _Case, mode: str) -> npt.NDArray[np.float64]:
    """Return the draws on settlement days under `mode` as floats (never paid: +inf)."""
    pay = settled_offsets(model, draws, case.origin, mode)
    return np.where(pay >= NEVER, np.inf, pay.astype(float))


def _mae(drawn: list[npt.NDArray[np.float64]], cases: list[_Case]) -> float:
    """Return the mean absolute error (days) of the median draw over the paid invoices of every origin."""
    errors = []
    for pay, case in zip(drawn, cases, strict=True):
        paid = np.isfinite(case.actual)
        median = np.quantile(pay[paid], 0.5, axis=1, method="lower")
        far = case.actual[paid] + 365.0  # a median of "never paid" is as wrong as a year late
        errors.append(np.abs(np.where(np.isfinite(median), median, far) - case.actual[paid]))
    return float(np.concatenate(errors).mean())


def _calibration_and_priors(drawn: list[npt.NDArray[np.float64]], cases: list[_Case]
                            ) -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, float]]:
    """Return per group the map and the prior chosen by leaving one origin out (model.calibration.choose_prior).

    A group whose chosen prior is the identity's alone gets no map (nothing to apply), only its prior.
    """
    tables, priors = {}, {}
    for group, (pit, clusters, origins) in _transforms(drawn, cases).items():
        if len(pit) < MIN_CALIBRATION:
            continue
        priors[group] = prior = choose_prior(pit, clusters, origins)
        table = calibration_map(pit, clusters, prior)
        if table is not None and np.isfinite(prior):
            tables[group] = table
    return tables, priors


def _transforms(drawn: list[npt.NDArray[np.float64]], cases: list[_Case]
                ) -> dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[Any], npt.NDArray[np.int64]]]:
    """Return per group the randomised transforms of every origin's invoices, their counterparties and origins."""
    rng = np.random.default_rng(13)
    Part = tuple[npt.NDArray[np.float64], npt.NDArray[Any], npt.NDArray[np.int64]]
    by_group: dict[str, list[Part]] = {g: [] for g in CALIBRATION_GROUPS}
    for index, (pay, case) in enumerate(zip(drawn, cases, strict=True)):
        paid = np.isfinite(case.actual)
        # Paid: uniform over the draws tied with the real day. Unpaid at as-of: anywhere above its last known day.
        pit = randomised_pit(pay, np.where(paid, case.actual, case.censor), rng, censored=~paid)
        later = np.asarray(case.days.not_issued, dtype=bool)
        who = np.asarray(case.days.counterparty_ids)
        at = np.full(len(pit), index, dtype=np.int64)
        by_group[CALIBRATION_GROUPS[0]].append((pit[~later], who[~later], at[~later]))
        by_group[CALIBRATION_GROUPS[1]].append((pit[later], who[later], at[later]))
    return {group: (np.concatenate([p for p, _, _ in parts]) if parts else np.zeros(0),
                    np.concatenate([w for _, w, _ in parts]) if parts else np.zeros(0, dtype=object),
                    np.concatenate([o for _, _, o in parts]) if parts else np.zeros(0, dtype=np.int64))
            for group, parts in by_group.items()}
