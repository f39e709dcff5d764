"""What `cashpilot evaluate` prints and the Forecast accuracy page shows: a verdict per side a CFO reads, the dates
replayed, the settings the model chose and why, translated; and the JSON of the command."""

from __future__ import annotations

import math

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.types import JsonDict
from forecasting.i18n.formats import fmt_date, fmt_days, fmt_number, fmt_percent
from forecasting.i18n.translate import localise, sentence, tr, trn
from forecasting.model.behaviour import SEGMENT_CAP_INVOICES
from forecasting.model.disputes import MIN_QUIET_GAPS, QUIET_LEVEL
from forecasting.projection.backtest_types import SIDE_KEYS, SideMetrics
from forecasting.projection.evaluate_types import CalibrationCheck, ChosenSettings, Evaluation
from forecasting.reports.backtest import METHODS, side_title

TARGET_COVERAGE = 0.8  # the share of payments a P10-P90 range should hold
TIES_GAP = 0.05  # the fair (randomised-PIT) count of the range is said when this far from the plain count


def _rule_label(method: str, lang: str) -> str:
    """Return the name of a baseline (or of the model) in `lang`."""
    return tr(dict(METHODS)[method], lang)


def verdict_text(evaluation: Evaluation, side: str, lang: str) -> str:
    """Return the plain verdict on one side: how close the payment dates were, against each client's usual delay,
    how many payments fell in the likely range, how far off the weekly cash was; and a warning when a simple rule
    did better."""
    pooled = evaluation.pooled.get(side)
    if pooled is None or not pooled.n_scored:
        return (tr("Client payments could not be checked yet: no past date with enough history and paid invoices.",
                   lang) if side == C.RECEIVABLE else
                tr("Supplier payments could not be checked yet: no past date with enough history and paid invoices.",
                   lang))
    days = [d for d, _ in evaluation.side_dates(side)]
    opening = trn("Replayed at {n} past date ({first}):", "Replayed at {n} past dates ({first} to {last}):",
                  len(days), lang, first=fmt_date(days[0], lang), last=fmt_date(days[-1], lang))
    return " ".join([opening, _dates_sentence(pooled, lang), *_ties(pooled, lang), _weekly_sentence(pooled, lang),
                     *_warning(pooled, lang)]).strip()


def _dates_sentence(pooled: SideMetrics, lang: str) -> str:
    """Return how close the payment dates were, against each counterparty's usual (median) delay, and the range."""
    model = pooled.invoices.model
    usual = pooled.invoices.baselines["client_median"].mae_days
    values = {"mae": fmt_days(model.mae_days, lang), "base": fmt_days(usual, lang),
              "inside": fmt_percent(model.coverage_p10_p90, lang, 0), "target": fmt_percent(TARGET_COVERAGE, lang, 0)}
    gain = 1.0 - model.mae_days / usual if usual else 0.0
    closer = gain >= 0
    values["gap"] = fmt_percent(abs(gain), lang, 0)
    if pooled.side == C.RECEIVABLE:
        return (tr("client payment dates were forecast within {mae} on average, {gap} closer than each client's "
                   "usual delay ({base}); {inside} of payments fell in the likely range (target {target}).",
                   lang, **values) if closer else
                tr("client payment dates were forecast within {mae} on average, {gap} further off than each "
                   "client's usual delay ({base}); {inside} of payments fell in the likely range (target {target}).",
                   lang, **values))
    return (tr("supplier payment dates were forecast within {mae} on average, {gap} closer than each supplier's "
               "usual delay ({base}); {inside} of payments fell in the likely range (target {target}).",
               lang, **values) if closer else
            tr("supplier payment dates were forecast within {mae} on average, {gap} further off than each "
               "supplier's usual delay ({base}); {inside} of payments fell in the likely range (target {target}).",
               lang, **values))


def _ties(pooled: SideMetrics, lang: str) -> list[str]:
    """Return the fair count of the likely range when payments fall on few days and it differs from the plain one."""
    model = pooled.invoices.model
    if not abs(model.pit_coverage_p10_p90 - model.coverage_p10_p90) >= TIES_GAP:  # NaN: nothing to say
        return []
    return [tr("Payments fall on few days here: counting one on the P10 or P90 day as inside only in proportion, "
               "{pit} were in the range.", lang, pit=fmt_percent(model.pit_coverage_p10_p90, lang, 0))]


def _weekly_sentence(pooled: SideMetrics, lang: str) -> str:
    """Return how far off the weekly cash was, against the trailing run-rate."""
    weekly = pooled.weekly
    if not weekly.n_weeks or weekly.actual_eur == 0:
        return ""
    values = {"wape": fmt_percent(weekly.wape, lang, 0), "rate": fmt_percent(weekly.baseline_run_rate_wape, lang, 0),
              "weeks": fmt_percent(weekly.coverage_p10_p90, lang, 0)}
    if pooled.side == C.RECEIVABLE:
        return tr("Weekly receipts were off by {wape} of the cash (WAPE), against {rate} for the average of the 13 "
                  "weeks before; {weeks} of the weeks fell in the likely range.", lang, **values)
    return tr("Weekly supplier payments were off by {wape} of the cash (WAPE), against {rate} for the average of "
              "the 13 weeks before; {weeks} of the weeks fell in the likely range.", lang, **values)


def _warning(pooled: SideMetrics, lang: str) -> list[str]:
    """Return a warning when a simple rule forecast the dates better than the model (none otherwise)."""
    best = min(pooled.invoices.baselines, key=lambda name: pooled.invoices.baselines[name].mae_days)
    base = pooled.invoices.baselines[best].mae_days
    if not base < pooled.invoices.model.mae_days:
        return []
    return [tr("Careful: a simple rule did better on these dates ({rule}: {base} on average).", lang,
               rule=_rule_label(best, lang),
               base=fmt_days(base, lang))]


def dates_table(evaluation: Evaluation, side: str, lang: str) -> pd.DataFrame:
    """Return one side's figures at each date replayed, then all dates together: the model against the baselines,
    bias, range with its tails, CRPS, weekly error against the run-rate, invoices still unpaid."""
    rows = [_date_row(fmt_date(day, lang), metrics, lang) for day, metrics in evaluation.side_dates(side)]
    if side in evaluation.pooled and len(rows) > 1:
        rows.append(_date_row(tr("All dates", lang), evaluation.pooled[side], lang))
    return pd.DataFrame(rows, columns=list(_date_row("", None, lang)))


def _date_row(label: str, side: SideMetrics | None, lang: str) -> dict[str, str]:
    """Return one row of the dates table (headers only when `side` is None)."""
    if side is None:
        values = [""] * 11
    else:
        model, base, weekly = side.invoices.model, side.invoices.baselines, side.weekly
        values = [
            fmt_number(side.n_scored, lang), fmt_days(model.mae_days, lang),
            fmt_days(base["client_median"].mae_days, lang), fmt_days(base["client_mean_dispute"].mae_days, lang),
            fmt_days(base["due_date"].mae_days, lang), fmt_days(model.bias_days, lang),
            tr("{inside} ({below} / {above})", lang, inside=fmt_percent(model.coverage_p10_p90, lang, 0),
               below=fmt_percent(model.below_p10, lang, 0), above=fmt_percent(model.above_p90, lang, 0)),
            fmt_days(model.crps_days, lang), fmt_percent(weekly.wape, lang, 0),
            fmt_percent(weekly.baseline_run_rate_wape, lang, 0), fmt_number(side.unpaid_at_data_end.n_invoices, lang)]
    headers = [tr("Forecast made at", lang), tr("Scored", lang), tr("cashpilot MAE", lang),
               tr("Median-delay rule", lang), tr("Mean + dispute rule", lang), tr("Due-date rule", lang),
               tr("Bias", lang), tr("P10–P90 (before / after)", lang), tr("CRPS", lang), tr("Weekly WAPE", lang),
               tr("Run-rate WAPE", lang), tr("Unpaid", lang)]
    return dict(zip(headers, [label, *values], strict=True))


def settings_text(chosen: ChosenSettings, lang: str) -> str:
    """Return the settings the model chose at the live date and why (their error against the alternatives)."""
    if not chosen.tuned:
        return trn("Too little history to compare settings ({n} paid invoice scored at past dates): the usual ones "
                   "are kept, a half-life of {half_life} days without drift, and the range is not corrected.",
                   "Too little history to compare settings ({n} paid invoices scored at past dates): the usual ones "
                   "are kept, a half-life of {half_life} days without drift, and the range is not corrected.",
                   chosen.n_scored, lang, half_life=fmt_number(chosen.half_life_days, lang))
    usual = chosen.usual()
    worst = max((row.mae_days for row in chosen.alternatives), default=chosen.mae_days)
    drift = tr("each counterparty's drift followed", lang) if chosen.drift else tr("without drift", lang)
    mode = (tr("moved to the counterparty's nearest payment day", lang) if chosen.settle_mode == "nearest" else
            tr("moved to the counterparty's next payment day", lang))
    text = tr("Chosen by replaying {n} paid invoices at past dates: a half-life of {half_life} days, {drift}, drawn "
              "days {mode}. Error there: {mae}, against {usual} with the usual setting (a half-life of {usual_days} "
              "days, without drift) and {worst} with the worst setting tried.", lang,
              n=fmt_number(chosen.n_scored, lang), half_life=fmt_number(chosen.half_life_days, lang), drift=drift,
              mode=mode, mae=fmt_days(chosen.mae_days, lang),
              usual=fmt_days(usual.mae_days if usual is not None else None, lang),
              usual_days=fmt_number(chosen.usual_half_life_days, lang), worst=fmt_days(worst, lang))
    if chosen.segment_cap:
        text += " " + tr("In a segment's curve, the one new and thin counterparties borrow, each counterparty weighs "
                         "at most {n} invoices: it stands for a typical counterparty, not for the largest.", lang,
                         n=fmt_number(SEGMENT_CAP_INVOICES, lang))
    return text


def quiet_text(chosen: ChosenSettings, lang: str) -> str:
    """Return after how many silent days a dispute paid in part counts as settled short, and what that rests on."""
    values = {"days": fmt_number(chosen.quiet_days, lang), "level": fmt_percent(QUIET_LEVEL, lang, 0)}
    if chosen.quiet_population == "disputed":
        return trn("A dispute paid in part counts as settled short after {days} days without a payment: after the {n} "
                   "past gap between two payments of one disputed invoice, {level} of the next payments came sooner.",
                   "A dispute paid in part counts as settled short after {days} days without a payment: after the {n} "
                   "past gaps between two payments of one disputed invoice, {level} of the next payments came sooner.",
                   chosen.quiet_gaps, lang, **values)
    if chosen.quiet_population == "all":
        return trn("A dispute paid in part counts as settled short after {days} days without a payment: after the {n} "
                   "past gap between two payments of one invoice (disputed ones alone are too few), {level} of the "
                   "next payments came sooner.",
                   "A dispute paid in part counts as settled short after {days} days without a payment: after the {n} "
                   "past gaps between two payments of one invoice (disputed ones alone are too few), {level} of the "
                   "next payments came sooner.", chosen.quiet_gaps, lang, **values)
    return trn("A dispute paid in part counts as settled short after {days} days without a payment, the usual "
               "setting: {n} past gap between two payments of one invoice, too few to learn it from ({min} needed).",
               "A dispute paid in part counts as settled short after {days} days without a payment, the usual "
               "setting: {n} past gaps between two payments of one invoice, too few to learn it from ({min} needed).",
               chosen.quiet_gaps, lang, min=fmt_number(MIN_QUIET_GAPS, lang), **values)


def settings_table(chosen: ChosenSettings, lang: str) -> pd.DataFrame:
    """Return every setting the model tried at the live date with its error, best first."""
    rows = sorted(chosen.alternatives, key=lambda row: (row.mae_days, row.half_life_days))
    table = pd.DataFrame({
        tr("Half-life", lang): [tr("{n} days", lang, n=fmt_number(row.half_life_days, lang)) for row in rows],
        tr("Drift", lang): [tr("yes", lang) if row.drift else tr("no", lang) for row in rows],
        tr("Payment day", lang): [tr("nearest", lang) if row.settle_mode == "nearest" else tr("next", lang)
                                  for row in rows],
        tr("Error (MAE)", lang): [fmt_days(row.mae_days, lang) for row in rows],
        tr("Chosen", lang): [tr("yes", lang) if row.chosen else "" for row in rows],
    })
    if any(row.segment_cap for row in rows):  # tried: say which rows had it, before the error
        table.insert(3, tr("Segment curves", lang), [tr("a few invoices per counterparty", lang) if row.segment_cap
                                                     else tr("every invoice", lang) for row in rows])
    if not all(row.month_end_batches for row in rows):
        table.insert(len(table.columns) - 2, tr("Month-end batches", lang),
                     [tr("yes", lang) if row.month_end_batches else tr("no", lang) for row in rows])
    return table


def calibration_texts(chosen: ChosenSettings, lang: str) -> list[str]:
    """Return what the model's own P10 and P90 were worth in past forecasts and the correction applied."""
    if not chosen.tuned:
        return []
    if not chosen.calibration:
        return [tr("The likely range is not corrected: too few past forecasts to measure it.", lang)]
    return [_calibration_text(check, lang) for check in chosen.calibration]


def _calibration_text(check: CalibrationCheck, lang: str) -> str:
    """Return one group's calibration: the uncorrected range's past coverage and tails, the levels drawn now, and how
    far the past was trusted."""
    if math.isinf(check.prior):
        if check.group == "issued":
            return tr("Invoices already issued: the range is not corrected: forecasting each past date from the "
                      "others, the correction did worse than none.", lang)
        return tr("Invoices not issued yet: the range is not corrected: forecasting each past date from the others, "
                  "the correction did worse than none.", lang)
    return _corrected_text(check, lang) + " " + tr(
        "The uncorrected range counts as {prior} independent payments against the past ones (chosen by forecasting "
        "each past date from the others).", lang, prior=fmt_number(check.prior, lang, 0))


def _corrected_text(check: CalibrationCheck, lang: str) -> str:
    """Return one corrected group's past coverage and tails, and the levels drawn now."""
    values = {"below": fmt_percent(check.below_p10, lang, 0), "above": fmt_percent(check.above_p90, lang, 0),
              "inside": fmt_percent(check.coverage_p10_p90, lang, 0),
              "p10": "P" + fmt_number(100 * check.p10_level, lang, 1),
              "p90": "P" + fmt_number(100 * check.p90_level, lang, 1)}
    if check.group == "issued":
        return tr("Invoices already issued: in past forecasts {below} of payments came before the model's own P10 "
                  "and {above} after its P90 ({inside} inside); the range now shows its {p10} as P10 and its {p90} "
                  "as P90.", lang, **values)
    return tr("Invoices not issued yet: in past forecasts {below} of payments came before the model's own P10 and "
              "{above} after its P90 ({inside} inside); the range now shows its {p10} as P10 and its {p90} as P90.",
              lang, **values)


def unpaid_text(evaluation: Evaluation, side: str, lang: str) -> str:
    """Return the invoices of the replayed dates still unpaid where the data ends: not scored, counted apart ("" if
    none)."""
    pooled = evaluation.pooled.get(side)
    n = pooled.unpaid_at_data_end.n_invoices if pooled else 0
    if not n:
        return ""
    return trn("{n} invoice of these dates is still unpaid where the data ends: not scored, its date is unknown.",
               "{n} invoices of these dates are still unpaid where the data ends: not scored, their date is unknown.",
               n, lang)


def skipped_texts(evaluation: Evaluation, lang: str) -> list[str]:
    """Return the dates (and sides) not replayed, and why."""
    return [tr("{day}, not replayed: {reason}", lang, day=fmt_date(s.as_of, lang), reason=localise(s.reason, lang))
            for s in evaluation.skipped]


def note_texts(evaluation: Evaluation, lang: str) -> list[str]:
    """Return the evaluation's notes in `lang`."""
    return [localise(note, lang) for note in evaluation.notes]


def evaluation_text(evaluation: Evaluation, lang: str) -> str:
    """Return the readable report of `cashpilot evaluate`: per side the verdict, the dates, the settings and why."""
    parts = [trn("Self-evaluation at {day}: the forecast replayed at {n} past date, {weeks} weeks each, with what "
                 "was known at the time, against what happened.",
                 "Self-evaluation at {day}: the forecast replayed at {n} past dates, {weeks} weeks each, with what "
                 "was known at the time, against what happened.", len(evaluation.dates), lang,
                 day=fmt_date(evaluation.as_of, lang), weeks=fmt_number(evaluation.horizon_weeks, lang))]
    for side in evaluation.sides:
        parts += ["", side_title(side, lang), verdict_text(evaluation, side, lang)]
        if evaluation.side_dates(side):
            unpaid = unpaid_text(evaluation, side, lang)
            parts += ["", dates_table(evaluation, side, lang).to_string(index=False), *([unpaid] if unpaid else [])]
        chosen = evaluation.settings.get(side)
        if chosen is not None:
            parts += ["", tr("Settings chosen at {day}", lang, day=fmt_date(evaluation.as_of, lang)),
                      settings_text(chosen, lang), *calibration_texts(chosen, lang), quiet_text(chosen, lang)]
    extra = skipped_texts(evaluation, lang) + [sentence(note) for note in note_texts(evaluation, lang)]
    return "\n".join([*parts, *([""] + extra if extra else [])])


def evaluation_json(evaluation: Evaluation, lang: str) -> JsonDict:
    """Return the JSON of `cashpilot evaluate`: the evaluation's figures and the verdict per side in `lang`."""
    out = evaluation.to_dict()
    out["verdicts"] = {SIDE_KEYS[side]: verdict_text(evaluation, side, lang) for side in evaluation.sides}
    return out
