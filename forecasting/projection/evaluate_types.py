"""The results of a self-evaluation (`cashpilot evaluate`): backtests at several past dates, pooled per side, the
settings the model chose at the live date and why; and their JSON layout (`Evaluation.to_dict`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date

import pandas as pd

from forecasting.core.types import JsonDict
from forecasting.model.calibration import CALIBRATION_PRIOR
from forecasting.model.disputes import SETTLED_SHORT_QUIET_DAYS
from forecasting.model.settings import CALIBRATION_GROUPS
from forecasting.projection.backtest_types import SIDE_KEYS, BacktestMetrics, SideMetrics, json_value

WEEKLY_COLUMNS = ("week_start", "forecast_p10", "forecast_p50", "forecast_p90", "forecast_expected", "actual",
                  "baseline_run_rate")


@dataclass(frozen=True, eq=False)
class EvaluatedDate:
    """The backtest at one past date: its metrics per side and what it forecast week by week against what came."""

    metrics: BacktestMetrics
    weekly: pd.DataFrame  # side, week_start, forecast_p10/p50/p90/expected, actual, baseline_run_rate

    @property
    def as_of(self) -> date:
        """Return the date the forecast was made at."""
        return self.metrics.as_of

    def weekly_of(self, side: str) -> pd.DataFrame:
        """Return the weekly frame of one side."""
        return self.weekly[self.weekly["side"] == side].reset_index(drop=True)


@dataclass(frozen=True)
class SkippedDate:
    """A date (and side) not replayed, and why (a sentence built by the library, shown in either language)."""

    as_of: date
    side: str
    reason: str  # a translate.Message


@dataclass(frozen=True)
class TuningRow:
    """One setting tried by the model's rolling-origin replay and its payment-date error there."""

    half_life_days: float  # an invoice this old weighs half a fresh one
    drift: bool  # each counterparty's curve moved by its measured drift
    settle_mode: str  # a drawn day off the counterparty's payment days moves: "forward" | "nearest"
    mae_days: float  # MAE of the median draw over the replay's paid invoices (NaN: not tested)
    chosen: bool
    segment_cap: bool = False  # each counterparty weighed at most a few invoices in its segment's curve
    month_end_batches: bool = True  # month-end batch payers looked for


@dataclass(frozen=True)
class CalibrationCheck:
    """What the model's own P10 and P90 were worth on its past forecasts, and how its range is corrected."""

    group: str  # "issued" (invoices issued by the forecast date) or "not_issued" (future invoices)
    below_p10: float  # share of past payments that came before the uncorrected P10 (10 % if calibrated)
    above_p90: float  # share that came after the uncorrected P90
    p10_level: float  # the uncorrected distribution's level now drawn as P10 (0.1: no correction)
    p90_level: float  # the level now drawn as P90 (0.9: no correction)
    # The identity's weight in the blend, in independent transforms, chosen by leaving one origin out (0: the past
    # forecasts alone; inf: the identity alone, the range not corrected and the past shares not kept: NaN).
    prior: float = CALIBRATION_PRIOR

    @property
    def coverage_p10_p90(self) -> float:
        """Return the share of past payments that fell within the uncorrected P10–P90 range."""
        return 1.0 - self.below_p10 - self.above_p90


@dataclass(frozen=True)
class ChosenSettings:
    """The settings the model chose for one side at the live date, from replays of its own history."""

    side: str
    tuned: bool  # False: too little history to compare settings, the usual ones are kept
    half_life_days: float
    drift: bool
    settle_mode: str
    mae_days: float  # the chosen setting's error in the replay (NaN when not tuned)
    n_scored: int  # paid invoices the replay scored
    usual_half_life_days: float  # the half-life used when the history cannot choose (BehaviourSettings)
    alternatives: tuple[TuningRow, ...]  # every setting tried, the chosen one included
    calibration: tuple[CalibrationCheck, ...]  # per group corrected (none: the range is not corrected)
    # A dispute paid in part counts as settled short after this many days without a payment (model.disputes): learned
    # from the silences between payments of the side's disputed invoices ("disputed") or of all ("all"), or the
    # definition ("none": fewer than MIN_QUIET_GAPS silences ended, `quiet_gaps` of them).
    quiet_days: int = SETTLED_SHORT_QUIET_DAYS
    quiet_population: str = "none"
    quiet_gaps: int = 0
    segment_cap: bool = False  # each counterparty weighs at most a few invoices in its segment's curve
    month_end_batches: bool = True  # month-end batch payers looked for (false: the replay did better without)

    def usual(self) -> TuningRow | None:
        """Return the row of the usual setting (usual half-life, no drift, the chosen settle mode), None if untried."""
        return next((row for row in self.alternatives if row.half_life_days == self.usual_half_life_days
                     and not row.drift and row.settle_mode == self.settle_mode and not row.segment_cap
                     and row.month_end_batches), None)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """How the forecast did at past dates on the ledger in front of it, and what it chose at the live date."""

    as_of: date  # the live date: the settings are the ones a forecast made that day uses
    replayed_to: date  # the last day replayed: as-of, or the data's last day when earlier
    horizon_weeks: int
    n_dates: int  # dates asked for
    sides: tuple[str, ...]  # evaluated
    data_end: date | None  # the last payment date of the data
    dates: tuple[EvaluatedDate, ...]  # replayed, oldest first
    skipped: tuple[SkippedDate, ...]
    pooled: dict[str, SideMetrics]  # per side, every replayed date's invoices and weeks together
    settings: dict[str, ChosenSettings]  # per side, at the live date
    notes: tuple[str, ...] = ()

    def side_dates(self, side: str) -> list[tuple[date, SideMetrics]]:
        """Return (date, metrics) of one side at each date it was replayed, oldest first."""
        return [(d.as_of, d.metrics.sides[side]) for d in self.dates if side in d.metrics.sides]

    def date_at(self, day: date) -> EvaluatedDate | None:
        """Return the replay of one date, None when it was not replayed."""
        return next((d for d in self.dates if d.as_of == day), None)

    def to_dict(self) -> JsonDict:
        """Return the evaluation as JSON values (dates as ISO text, NaN as None); sides named as --side names them."""
        return {
            "as_of": self.as_of.isoformat(), "replayed_to": self.replayed_to.isoformat(),
            "horizon_weeks": int(self.horizon_weeks), "n_dates": int(self.n_dates),
            "sides": [SIDE_KEYS[side] for side in self.sides],
            "data_end": None if self.data_end is None else self.data_end.isoformat(),
            "pooled": {SIDE_KEYS[side]: json_value(asdict(m)) for side, m in self.pooled.items()},
            "chosen_settings": {SIDE_KEYS[side]: _settings_json(s) for side, s in self.settings.items()},
            "dates": [_date_json(d) for d in self.dates],
            "skipped_dates": [{"as_of": s.as_of.isoformat(), "side": SIDE_KEYS[s.side], "reason": str(s.reason)}
                              for s in self.skipped],
            "notes": [str(note) for note in self.notes],
        }


def _settings_json(chosen: ChosenSettings) -> JsonDict:
    """Return one side's chosen settings as JSON, the calibration keyed by group (null when not corrected)."""
    plain = ("tuned", "half_life_days", "drift", "settle_mode", "mae_days", "n_scored", "usual_half_life_days",
             "quiet_days", "quiet_population", "quiet_gaps")
    out: JsonDict = {key: json_value(getattr(chosen, key)) for key in plain}
    out["alternatives"] = [json_value(asdict(row)) for row in chosen.alternatives]
    checks = {check.group: check for check in chosen.calibration}
    out["calibration"] = {group: None if check is None else {
        "below_p10": json_value(check.below_p10), "above_p90": json_value(check.above_p90),
        "coverage_p10_p90": json_value(check.coverage_p10_p90), "p10_level": json_value(check.p10_level),
        "p90_level": json_value(check.p90_level),
        "prior": json_value(check.prior) if math.isfinite(check.prior) else None} for group, check in
        ((g, checks.get(g)) for g in CALIBRATION_GROUPS)}
    return out


def _date_json(evaluated: EvaluatedDate) -> JsonDict:
    """Return one replayed date: its per-side metrics, closing cash, notes and weeks."""
    metrics = evaluated.metrics
    weekly: JsonDict = {}
    for side in metrics.sides:
        frame = evaluated.weekly_of(side)
        weekly[SIDE_KEYS[side]] = [
            {column: json_value(row[column].date() if column == "week_start" else float(row[column]))
             for column in WEEKLY_COLUMNS} for _, row in frame.iterrows()]
    return {
        "as_of": metrics.as_of.isoformat(),
        "sides": {SIDE_KEYS[side]: json_value(asdict(m)) for side, m in metrics.sides.items()},
        "closing_cash": None if metrics.closing_cash is None else json_value(asdict(metrics.closing_cash)),
        "weekly": weekly,
        "notes": [str(note) for note in metrics.notes],
    }
