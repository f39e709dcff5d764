"""Payment days of invoices drawn from a fitted behaviour model: the one entry point of the projection and the backtest.

Offsets are days after the as-of date (day 1 = the day after as-of). Each draw is:
1. a uniform, corrected by the model's calibration (past probability-integral transforms of its group);
2. for an invoice disputed (flagged, or not issued yet and drawn disputed at its counterparty's dispute rate), an
   extra delay from the side's dispute history and the share of its amount the dispute's settlement brings; a
   disputed invoice is paid on its counterparty's usual behaviour plus that extra (for one flagged and still open at
   as-of: the usual delay drawn first, then the extra given the invoice is unpaid through as-of);
3. a delay from the counterparty's profile given what is known (unpaid through a day), added to the due date;
4. moved to a day money moves on for that counterparty (learned weekdays; holidays where it settles on business
   days only; a month's last business day only where it pays in month-end batches): the next such day, or the
   nearest one (model.settle_mode).
A draw the model says is never paid is `NEVER`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core.terms import BusinessCalendar
from forecasting.model.behaviour import BehaviourModel
from forecasting.model.sampling import NEVER, SurvivalTables, sample_delay_days, survival_tables
from forecasting.model.settings import CALIBRATION_GROUPS

CALIBRATION_LEVELS = np.linspace(0.0, 1.0, 41)
_CHUNK_CELLS = 1 << 18


@dataclass(frozen=True)
class InvoiceDays:
    """What the sampler needs of each invoice: who owes it, what is known of it, and its days as offsets.

    Day arrays are [n, 1] (the same for every draw) or [n, n_sims] (future invoices, issued on a drawn day).
    """

    counterparty_ids: npt.NDArray[Any]  # [n] text
    segments: npt.NDArray[Any]  # [n] text (missing: the counterparty's own or everyone's behaviour)
    disputed: npt.NDArray[np.bool_]  # [n] flagged disputed at as-of
    not_issued: npt.NDArray[np.bool_]  # [n] issued after as-of: whether it will be disputed is not known yet
    due_offsets: npt.NDArray[np.integer[Any]]  # [n, 1] or [n, n_sims]
    unpaid_through_offsets: npt.NDArray[np.integer[Any]]  # [n, 1] or [n, n_sims]: known unpaid through this day

    def take(self, rows: npt.NDArray[np.intp]) -> InvoiceDays:
        """Return the given rows."""
        return InvoiceDays(*(np.asarray(a)[rows] for a in (
            self.counterparty_ids, self.segments, self.disputed, self.not_issued, self.due_offsets,
            self.unpaid_through_offsets)))


@dataclass(frozen=True, eq=False)
class UnsettledDraws:
    """Drawn payment offsets before they are moved to settlement days, with what moving them needs."""

    pay_offsets: npt.NDArray[np.int64]  # [n, n_sims]; never-paid draws hold 1
    never: npt.NDArray[np.bool_]  # [n, n_sims]
    rows: npt.NDArray[np.int64]  # [n] profile rows
    unpaid_through: npt.NDArray[np.int64]  # [n, 1] or [n, n_sims]
    # Disputed draws settled for part of the amount, sparse: item row, draw, share of the amount paid (< 1).
    share_rows: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, np.intp))
    share_sims: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, np.intp))
    shares: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))


def sample_pay_offsets(model: BehaviourModel, invoices: InvoiceDays, as_of: pd.Timestamp,
                       uniforms: npt.NDArray[np.float64],
                       rng: np.random.Generator | None = None) -> npt.NDArray[np.int32]:
    """Return payment day offsets [n, n_sims] (NEVER: not paid) drawn with the given uniforms.

    `rng` draws whether an invoice not issued yet gets disputed and each dispute's extra delay (fixed seed if None).
    """
    return settled_offsets(model, draw_unsettled(model, invoices, uniforms, rng), as_of)


def settled_offsets(model: BehaviourModel, draws: UnsettledDraws, as_of: pd.Timestamp,
                    mode: str | None = None) -> npt.NDArray[np.int32]:
    """Return the draws moved to settlement days (model.settle_mode unless `mode`), NEVER where never paid."""
    out = settlement_days(model, draws.rows, draws.pay_offsets, draws.unpaid_through, as_of, mode)
    out[draws.never] = NEVER
    return out


def draw_unsettled(model: BehaviourModel, invoices: InvoiceDays, uniforms: npt.NDArray[np.float64],
                   rng: np.random.Generator | None = None) -> UnsettledDraws:
    """Return payment offsets drawn from the model (calibrated, disputes included), not yet on settlement days."""
    rng = np.random.default_rng(7) if rng is None else rng
    uniforms = np.asarray(uniforms, dtype=float)
    n, n_sims = uniforms.shape
    rows = model.rows_for(invoices.counterparty_ids, invoices.segments)
    pay = np.ones((n, n_sims), np.int64)
    never = np.zeros((n, n_sims), bool)
    through = np.asarray(invoices.unpaid_through_offsets, dtype=np.int64)
    not_issued = np.asarray(invoices.not_issued, dtype=bool)
    may_dispute = np.asarray(invoices.disputed, dtype=bool) | not_issued
    plain = np.flatnonzero(~may_dispute)
    tables = survival_tables(model, rows) if n else None  # built once for the groups below
    if plain.size:  # day arrays of shape [k, 1] stay that shape: no full-size temporaries
        pay[plain], never[plain] = _drawn(model, invoices.take(plain), rows[plain],
                                          _calibrated(model, uniforms[plain], False), 0, tables)
    share_parts: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.float64]]] = []
    for group in (False, True):
        chosen = np.flatnonzero(may_dispute & (not_issued == group))
        if not chosen.size:
            continue
        part = invoices.take(chosen)
        disputed = np.broadcast_to(part.disputed[:, None], (len(chosen), n_sims)).copy()
        calibrated = _calibrated(model, uniforms[chosen], group)
        if group:  # not issued yet: disputed at its counterparty's rate, its extra delay drawn whole
            disputed |= rng.random((len(chosen), n_sims)) < model.dispute_rate[rows[chosen]][:, None]
            extra = np.zeros((len(chosen), n_sims), np.int64)
            extra_never = np.zeros((len(chosen), n_sims), bool)
            extra[disputed], extra_never[disputed] = model.dispute_extra.draw(rng.random(int(disputed.sum())))
            pay[chosen], drawn_never = _drawn(model, part, rows[chosen], calibrated, extra, tables)
            never[chosen] = drawn_never | extra_never
        else:  # flagged and open at as-of
            pay[chosen], never[chosen] = _drawn_open_dispute(model, part, rows[chosen], calibrated, rng, tables)
        if model.dispute_extra.share_levels[0] < 1.0:  # some disputes of the past ended short of their amount
            item, sim = np.nonzero(disputed & ~never[chosen])
            share = model.dispute_extra.draw_shares(rng.random(len(item)))
            short = share < 1.0
            share_parts.append((chosen[item[short]], sim[short], share[short]))
    if through.shape[0] != n:
        through = np.broadcast_to(through, (n, 1))
    if not share_parts:
        return UnsettledDraws(pay, never, rows, through)
    share_rows, share_sims, shares = (np.concatenate(a) for a in zip(*share_parts, strict=True))
    return UnsettledDraws(pay, never, rows, through, share_rows, share_sims, shares)


def _drawn_open_dispute(model: BehaviourModel, invoices: InvoiceDays, rows: npt.NDArray[np.int64],
                        uniforms: npt.NDArray[np.float64], rng: np.random.Generator,
                        tables: SurvivalTables | None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Return payment offsets of invoices flagged disputed and open at as-of, and which are never paid.

    The usual delay is drawn first (as if undisputed), then the dispute's extra delay given the invoice is still
    unpaid through as-of: the Kaplan-Meier tail of the extra delays beyond what it already took past that usual
    delay. (Drawing the extra first, unconditioned, put most of a long-open dispute's delay on the usual curve's
    far tail.)
    """
    due = np.asarray(invoices.due_offsets, dtype=np.int64)
    through = np.asarray(invoices.unpaid_through_offsets, dtype=np.int64)
    anything = np.full((len(rows), 1), model.delay_grid_days[0] - 1)  # unpaid before the grid: no condition
    usual = sample_delay_days(model, rows, anything, uniforms, tables).astype(np.int64)
    never = usual >= NEVER
    needed = np.broadcast_to(through - due, usual.shape) - usual  # the extra it must exceed: unpaid through as-of
    extra, extra_never = model.dispute_extra.draw(rng.random(usual.size), needed.ravel())
    never |= extra_never.reshape(usual.shape)
    pay = due + usual + extra.reshape(usual.shape)
    pay[never] = 1
    return pay, never


def _calibrated(model: BehaviourModel, uniforms: npt.NDArray[np.float64], not_issued: bool) -> npt.NDArray[np.float64]:
    """Return uniforms mapped through the calibration of their group (unchanged when it has none)."""
    table = model.calibration.get(CALIBRATION_GROUPS[int(not_issued)])
    if table is None:
        return uniforms
    return np.interp(uniforms, CALIBRATION_LEVELS, table)


def _drawn(model: BehaviourModel, invoices: InvoiceDays, rows: npt.NDArray[np.int64],
           uniforms: npt.NDArray[np.float64],
           extra: npt.NDArray[np.int64] | int,
           tables: SurvivalTables | None = None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Return payment offsets (the usual delay + a dispute's extra after the due date) and which are never paid."""
    due = np.asarray(invoices.due_offsets, dtype=np.int64)
    through = np.asarray(invoices.unpaid_through_offsets, dtype=np.int64)
    delay = sample_delay_days(model, rows, through - due - extra, uniforms, tables)
    never = delay >= NEVER
    pay = delay.astype(np.int64)
    pay += due
    pay += extra
    pay[never] = 1
    return pay, never


def settlement_days(model: BehaviourModel, rows: npt.NDArray[np.int64], pay_offsets: npt.NDArray[np.int64],
                    unpaid_through: npt.NDArray[np.int64], as_of: pd.Timestamp,
                    mode: str | None = None) -> npt.NDArray[np.int32]:
    """Return payment offsets [n, k] moved to days the row's counterparty settles on (never before day 1).

    "forward": the next settlement day on or after the drawn one; "nearest": the nearest one (ties forward), but
    never on or before a day the invoice is known unpaid. Month-end batch payers always take the nearest batch: their
    drawn delays are month-end days spread by where each due date fell in its month, so the next batch after the drawn
    day would pay a month late about half the time.
    """
    mode = model.settle_mode if mode is None else mode
    classes, class_of_profile = _settle_classes(model)
    # A settlement day lies within two weeks of any day, a month-end batch within five.
    hi = max(int(pay_offsets.max(initial=1)), 1) + (16 if classes.shape[1] == 8 else 40)
    forward, backward = _tables(classes, hi, as_of, model.settings.calendar_country)
    width = hi + 1
    row_class = class_of_profile.reshape(-1)[rows]
    base = (row_class * width)[:, None]
    nearest = np.full(len(rows), mode == "nearest") if classes.shape[1] == 8 else \
        (mode == "nearest") | classes[row_class, 8]
    out = np.empty(pay_offsets.shape, np.int32)
    step = max(1, _CHUNK_CELLS // max(pay_offsets.shape[1], 1))
    for start in range(0, len(pay_offsets), step):
        part = slice(start, start + step)
        day = np.clip(pay_offsets[part], 1, hi) + base[part]
        after = forward[day]
        if nearest[part].any():
            before = backward[day]
            floor = np.maximum(unpaid_through[part], 0)
            pay = day - base[part]
            take = (before > floor) & (pay - before < after - pay) & nearest[part, None]
            after = np.where(take, before, after)
        out[part] = after
    return out


def _settle_classes(model: BehaviourModel) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """Return the distinct (weekdays, avoids holidays[, month-end batch]) rows of the profiles, sorted, and each class.

    The same as np.unique(axis=0) of the [profiles, 8] flags (9 when some profile pays in month-end batches), on one
    integer per profile (first flag the highest bit, so the classes keep its order): sorting tens of thousands of rows
    of eight booleans took half a second.
    """
    month_end = model.settle_month_end
    flags = np.column_stack([model.settle_weekdays, model.avoid_holidays]
                            + ([] if month_end is None else [month_end])).astype(bool)
    weights = np.int64(1) << np.arange(flags.shape[1] - 1, -1, -1, dtype=np.int64)
    codes, class_of_profile = np.unique(flags @ weights, return_inverse=True)
    classes = (codes[:, None] & weights[None, :]) > 0
    return classes, class_of_profile.reshape(-1)


def _tables(classes: npt.NDArray[np.bool_], hi: int, as_of: pd.Timestamp,
            country: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return, per settlement class and offset 0..hi (flattened), the next and the last settlement day (-1: none).

    A class with a ninth flag set settles on each month's last business day only.
    """
    day0 = np.datetime64(as_of.date(), "D")
    offsets = np.arange(hi + 1)
    days = day0 + offsets
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    calendar = BusinessCalendar(country)
    holiday = ~calendar.is_business_day(days) & (weekday < 5)
    on_day = classes[:, weekday]
    avoids = classes[:, 7:8]
    ok = on_day & ~(avoids & holiday[None, :])
    # A settlement day that is a holiday moves to the next business day (a Thursday run on Christmas is paid on
    # the Friday), not to the next week's run.
    moved_to = (calendar.roll_forward(days[holiday]) - day0).astype(np.int64)
    inside = moved_to <= hi
    ok[:, moved_to[inside]] |= (on_day[:, holiday] & avoids)[:, inside]
    if classes.shape[1] > 8:
        ok[classes[:, 8]] = calendar.is_month_end(days)
    ok[:, -1] = True  # past the table's end: stay (never reached: the table runs 16 days past the drawn days, 40 for batches)
    big = hi
    forward = np.where(ok, offsets, big)[:, ::-1]
    forward = np.minimum.accumulate(forward, axis=1)[:, ::-1]
    backward = np.maximum.accumulate(np.where(ok, offsets, -1), axis=1)
    return forward.ravel(), backward.ravel()


def randomised_pit(draws: npt.NDArray[np.float64], actual: npt.ArrayLike, rng: np.random.Generator,
                   censored: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.float64]:
    """Return each real day's probability-integral transform under its draws, ties split at random (NaN: unpaid).

    The real day's rank among itself and its n draws, ties broken at random, over n + 1: (below + U * (tied + 1)) /
    (n + 1), with below and tied counts of draws. When the draws are calibrated the real day is one more draw, its
    rank is uniform on 0..n and so is this on [0, 1], whatever n and lattice or not. (below + U * tied) / n was not:
    with no tie it is below / n, 0 or 1 with probability 1 / (n + 1) each, and with 32 draws 4/33 = 12.1 % of a
    calibrated model's transforms fell under 0.1 and as many over 0.9: the calibration learned from them widened
    every range.) A censored row's `actual` is the last day it was known unpaid: its rank is uniform above the draws
    on or before that day.
    """
    real = np.asarray(actual, dtype=float)[:, None]
    n = draws.shape[1]
    below = (draws < real).sum(axis=1)
    tied = (draws == real).sum(axis=1)
    uniform = rng.random(len(draws))
    pit: npt.NDArray[np.float64] = (below + uniform * (tied + 1)) / (n + 1)
    if censored is not None:  # their own uniforms (the draws every replay so far was calibrated with)
        known = below + tied  # draws on or before the last day it was unpaid: all below its real day
        pit = np.where(censored, (known + rng.random(len(draws)) * (n + 1 - known)) / (n + 1), pit)
    return np.where(np.isnan(real[:, 0]), np.nan, pit)
