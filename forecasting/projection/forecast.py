"""Cash by day over the horizon, with a likely band: prepare (fit, sample; cached) then aggregate (cheap).

`prepare` does the expensive part once per data version: fits each side's delay model, lists the open
invoices, the future invoicing and the planned flows as cash items, and samples every item's payment day
n_sims times. `aggregate` only sums those samples into days and weeks (bincount), so a what-if that
edits items (amounts, rows, day offsets) re-runs in milliseconds without refitting anything. Where two CPUs are
usable, `prepare` runs the work that draws nothing (tuning, settling, fitting, planning future invoicing) on a
helper thread beside the calling one; every random draw stays on the calling thread, in one order, so the result
does not depend on the threads.

Days run from as_of + 1 to the Sunday closing the horizon's last Monday week; week 1 is the week holding
as_of + 1, so it is partial when as-of is not a Sunday. Invoice flows are booked on the main account,
the one with the largest balance at as-of; planned flows on their own account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.core.terms import BusinessCalendar
from forecasting.core.types import as_of_timestamp
from forecasting.i18n.translate import Count, CountedMessage, Message, Money
from forecasting.model.behaviour import BehaviourModel
from forecasting.model.disputes import MIN_QUIET_GAPS, QuietPeriod
from forecasting.model.tuning import MIN_SCORED, TuningMemo, learn_behaviour
from forecasting.projection.dispute_shares import scale_future, scale_open
from forecasting.projection.frames import daily_and_weekly
from forecasting.projection.items import (
    KIND_FUTURE,
    KIND_OPEN,
    KIND_PLANNED,
    POOL_PREFIX,
    expanded_flows,
    main_account_of,
    planned_items,
    roll_table_for,
    sample_side,
)
from forecasting.projection.opening import Opening, opening_balances
from forecasting.projection.side_jobs import SideJob, SidePart, payments_of
from forecasting.projection.types import (
    DEFAULT_SETTINGS,
    MAX_HORIZON_WEEKS,
    CashItems,
    FutureDays,
    Projection,
    ProjectionSettings,
)
from forecasting.projection.workers import helper_pool


def horizon_dates(as_of: pd.Timestamp, horizon_weeks: int) -> npt.NDArray[np.datetime64]:
    """Return the projected days: as_of + 1 to the Sunday ending the horizon_weeks-th Monday week."""
    if not 1 <= int(horizon_weeks) <= MAX_HORIZON_WEEKS:
        raise InputError(f"horizon must be between 1 and {MAX_HORIZON_WEEKS} weeks, got {horizon_weeks}")
    first = np.datetime64(as_of.date(), "D") + 1
    monday = first - ((first.astype(np.int64) + 3) % 7)
    last = monday + 7 * int(horizon_weeks) - 1
    return np.arange(first, last + 1)


def in_invoice_order(ledger: Ledger) -> Ledger:
    """Return the ledger with each side's invoices sorted by source and invoice id (stable; as is when they are).

    The random draws go to the invoices in row order (open items, the tuning's past origins): without one order,
    the same ledger imported from a file sorted another way would get other draws, so another forecast.
    """
    sides = {}
    for side in C.SIDES:
        invoices = ledger.invoices(side)
        if len(invoices) < 2:
            continue
        if not _in_order(invoices[C.SOURCE], invoices[C.INVOICE_ID]):
            # As text: ids of mixed types (numbers and codes in one column) compare.
            ordered = invoices.sort_values([C.SOURCE, C.INVOICE_ID], kind="stable", key=lambda v: v.astype(str))
            sides[C.INVOICES_OF_SIDE[side]] = ordered.reset_index(drop=True)
    return replace(ledger, **sides) if sides else ledger


def _in_order(sources: pd.Series, ids: pd.Series) -> bool:
    """Return whether (source, id) pairs already increase as text, the order in_invoice_order sorts them in."""
    # Text ids (every ledger read from the database) are checked as they are: no copy. Numbers are not: 10 < 2 as text.
    ids = ids if pd.api.types.is_string_dtype(ids) else ids.astype(str)
    # One source (most ledgers): the ids alone, 0.1 s on 1.2 M ids where a two-level index took 0.8 s.
    keys = ids if bool((sources == sources.iloc[0]).all()) else pd.MultiIndex.from_arrays([sources.astype(str), ids])
    return bool(keys.is_monotonic_increasing)


def fit_models(ledger: Ledger, as_of: date, settings: ProjectionSettings = DEFAULT_SETTINGS,
               memo: TuningMemo | None = None, sides: Sequence[str] = C.SIDES) -> dict[str, BehaviourModel]:
    """Return the delay model of each side asked for with invoices (fit once per data version, then reuse).

    `memo` shares the tuning's past origins between fits at several dates (`model.tuning.TuningMemo`).
    """
    as_of_ts = as_of_timestamp(as_of)
    ledger = in_invoice_order(ledger)
    return {side: learn_behaviour(ledger.invoices(side), ledger.payments_of(side), ledger.counterparties, as_of_ts,
                                  side, settings.behaviour, memo=memo)
            for side in C.SIDES if side in sides and len(ledger.invoices(side))}


def prepare(ledger: Ledger, as_of: date, horizon_weeks: int = 13,
            settings: ProjectionSettings = DEFAULT_SETTINGS,
            models: dict[str, BehaviourModel] | None = None, threads: int | None = None) -> CashItems:
    """Return the cash items of the horizon with sampled payment days (uses only what was known at as_of).

    `threads`: 1 runs everything on the calling thread; 2 (the default where two CPUs are usable) runs the work
    that draws nothing (settling, fitting, future invoicing's model) on a helper thread as well. The random
    draws always run on the calling thread in the same order, so the result is the same either way.
    """
    as_of_ts = as_of_timestamp(as_of)
    ledger = in_invoice_order(ledger)
    dates = horizon_dates(as_of_ts, horizon_weeks)
    n_days = len(dates)
    requested_paths = settings.n_sims
    settings = _paths_for(ledger, settings, horizon_weeks)
    n_sims = settings.n_sims
    calendar = BusinessCalendar(settings.calendar_country)
    rng = np.random.default_rng(settings.seed)
    roll_table = roll_table_for(as_of_ts, n_days, calendar)
    main_account = main_account_of(ledger, as_of_ts)
    models = dict(models) if models else {}
    for model in models.values():
        if model.as_of != as_of_ts:  # a cached model from another date would leak or miss information
            raise InputError(f"the behaviour model was fitted at {model.as_of.date()}, not at {as_of_ts.date()}")
    frames: list[pd.DataFrame] = []
    offsets: list[npt.NDArray[np.int32]] = []
    rows = _PathRows(n_sims)
    methods: dict[str, str] = {}
    side_notes: list[Message] = []
    job = SideJob(ledger, as_of_ts, n_days, settings, main_account)
    with helper_pool(threads) as pool:
        # The first side (receivables, the larger) is settled and fitted on this thread; its tuning (on a sample,
        # without the settled ledger) and its future invoicing's plan run on the helper, then the other side's
        # fit and plan: in that order, the calling thread seldom waits. Only the draws below read rng.
        first, *others = C.SIDES
        first_payments = payments_of(ledger, first)
        tuning_f = pool.submit(job.tuning, first, first_payments) if first not in models else None
        started = {side: pool.submit(job.start, side) for side in others}
        settled = job.settled(first, first_payments)
        prepared: dict[str, SidePart | None] = {first: None}
        plan_f = pool.submit(job.plan, first, settled) if len(settled.invoices) else None
        later = {side: pool.submit(job.finish, side, started[side], models.get(side)) for side in others}
        flows_f = pool.submit(_flows_and_opening, ledger, as_of_ts, dates, calendar, main_account)
        if plan_f is not None:
            model = models[first] if tuning_f is None else job.model(first, first_payments, settled, tuning_f.result())
            prepared[first] = SidePart(model, plan_f.result())
        del settled, first_payments
        for side in C.SIDES:
            part = prepared[side] if side in prepared else later[side].result()
            if part is None:
                continue
            models[side] = part.model
            side_notes += part.plan.notes
            future = pd.DataFrame(columns=part.plan.open_.columns)
            future_days, future_scales = FutureDays.concat([], n_sims), np.ones((1, n_sims))
            if part.plan.future is not None:
                future, future_days, future_scales, methods[side], one_offs = part.plan.future.draw(rng)
                if len(one_offs):
                    side_notes.append(_one_offs_note(side, one_offs, ledger.counterparties))
            if len(future):
                future = rows.add_future(future, future_days, future_scales[1:])
            open_ = part.plan.open_
            sampled, open_draws, future_draws = sample_side(part.model, open_, future, future_days, as_of_ts,
                                                            roll_table, n_sims, settings.client_correlation, rng)
            if future_draws is not None:  # a disputed future invoice brings its dispute's share of its amount
                scale_future(future_draws, future_scales[1:])  # a view of the rows added to `rows`
            if open_draws is not None:  # so does a disputed open one, of what is still open
                open_, open_scale = scale_open(open_, sampled, open_draws, part.plan.open_paid,
                                               part.model.dispute_extra.more_after_part,
                                               rows.n_scale_rows, rng)
                rows.add_scales(open_scale)
            frames += [open_, future] if len(future) else [open_]
            offsets.append(sampled)
        (flow_items, flow_offsets), opening = flows_f.result()
    frames.append(flow_items)
    offsets.append(np.repeat(flow_offsets.astype(np.int32)[:, None], n_sims, axis=1))
    items = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else flow_items
    covers, notes = _coverage(ledger, opening)
    notes += tuple(side_notes) + _learning_notes(models)
    if n_sims < requested_paths:
        notes += (Message("a large ledger: the range rests on {n} simulated paths instead of {requested}",
                          n=n_sims, requested=requested_paths),)
    if len(items) and items[C.COUNTERPARTY_ID].astype(str).str.startswith(POOL_PREFIX).any():
        notes += (Message("future invoicing of all but the {n} largest counterparties of each side is pooled by "
                          "segment and terms", n=settings.max_future_counterparties),)
    return CashItems(
        as_of=as_of_ts, horizon_weeks=int(horizon_weeks), dates=dates, items=items,
        pay_day_offsets=np.vstack(offsets) if offsets else np.zeros((0, n_sims), np.int32),
        amount_scales=np.vstack(rows.scales), future_days=FutureDays.concat(rows.future_days, n_sims),
        roll_table=roll_table,
        accounts=opening.accounts, opening_balance=opening.total,
        opening_balance_date=opening.date, overdraft_limit=opening.overdraft_limit,
        covers=covers, notes=tuple(opening.notes) + notes, models=models, invoicing_methods=methods,
        settings=settings,
    )


class _PathRows:
    """The per-path rows the sides append in turn: amount scales (row 0 all ones) and future invoices' days."""

    def __init__(self, n_sims: int) -> None:
        """Start with scale row 0, for the items whose amount does not vary by path."""
        self.scales: list[npt.NDArray[np.float64]] = [np.ones((1, n_sims))]
        self.future_days: list[FutureDays] = []
        self.n_scale_rows, self.n_future_rows = 1, 0

    def add_scales(self, scales: npt.NDArray[np.float64]) -> None:
        """Append scale rows (kept by reference: a caller may still fill them in place)."""
        if len(scales):
            self.scales.append(scales)
            self.n_scale_rows += len(scales)

    def add_future(self, future: pd.DataFrame, days: FutureDays,
                   scales: npt.NDArray[np.float64]) -> pd.DataFrame:
        """Append a side's future invoices' days and scales; return its items pointing at their rows here."""
        shifted = future.assign(scale_row=future["scale_row"] + self.n_scale_rows - 1,
                                future_row=future["future_row"] + self.n_future_rows)
        self.add_scales(scales)
        self.future_days.append(days)
        self.n_future_rows += len(days.weekday)
        return shifted


def _flows_and_opening(ledger: Ledger, as_of: pd.Timestamp, dates: npt.NDArray[np.datetime64],
                       calendar: BusinessCalendar, main_account: str | None
                       ) -> tuple[tuple[pd.DataFrame, npt.NDArray[np.int64]], Opening]:
    """Return the planned flows' items and day offsets over the horizon, and the opening balances."""
    flows = expanded_flows(ledger, as_of + pd.Timedelta(days=1), pd.Timestamp(dates[-1]), calendar)
    return planned_items(flows, ledger.fx_rates, as_of, main_account), opening_balances(ledger, as_of, main_account,
                                                                                        calendar)


MIN_PATHS = 50


def _learning_notes(models: dict[str, BehaviourModel]) -> tuple[Message, ...]:
    """Return notes on what a side's history was too short to learn (its model then keeps the usual settings)."""
    notes = []
    for side, model in models.items():
        paid = int(model.profiles.loc[model.profiles["level"] == "all", "n_paid"].sum())
        scored = int(model.tuning["n_scored"].iloc[0]) if model.tuning is not None else 0
        client = side == C.RECEIVABLE
        if paid == 0:
            template = ("no client invoice paid yet: payment dates follow a broad typical behaviour (around the due "
                        "date), not the clients' own" if client else
                        "no supplier invoice paid yet: payment dates follow a broad typical behaviour (around the "
                        "due date), not the suppliers' own")
            notes.append(Message(template))
        elif scored < MIN_SCORED:
            notes.append(CountedMessage(
                "too little client payment history to test the model at past dates ({n} invoice scored): the "
                "usual weighting of recent payments is kept and the range is not checked",
                "too little client payment history to test the model at past dates ({n} invoices scored): the "
                "usual weighting of recent payments is kept and the range is not checked", scored) if client else
                CountedMessage(
                "too little supplier payment history to test the model at past dates ({n} invoice scored): the "
                "usual weighting of recent payments is kept and the range is not checked",
                "too little supplier payment history to test the model at past dates ({n} invoices scored): the "
                "usual weighting of recent payments is kept and the range is not checked", scored))
        if model.dispute_quiet.n_disputes_in_part:
            notes.append(_quiet_note(side, model.dispute_quiet))
    return tuple(notes)


def _quiet_note(side: str, quiet: QuietPeriod) -> Message:
    """Return the note saying after how many silent days a side's disputes paid in part count as settled short."""
    client = side == C.RECEIVABLE
    values: dict[str, Any] = {"days": quiet.days, "gaps": Count(quiet.n_ended)}
    if quiet.learned:
        return (CountedMessage(
            "{n} client dispute paid in part: it counts as settled short once {days} days pass without a payment, "
            "learned from {gaps} past gaps between two payments of one invoice",
            "{n} client disputes paid in part: each counts as settled short once {days} days pass without a payment, "
            "learned from {gaps} past gaps between two payments of one invoice",
            quiet.n_disputes_in_part, **values) if client else CountedMessage(
            "{n} supplier dispute paid in part: it counts as settled short once {days} days pass without a payment, "
            "learned from {gaps} past gaps between two payments of one invoice",
            "{n} supplier disputes paid in part: each counts as settled short once {days} days pass without a "
            "payment, learned from {gaps} past gaps between two payments of one invoice",
            quiet.n_disputes_in_part, **values))
    values["needed"] = MIN_QUIET_GAPS
    return (CountedMessage(
        "{n} client dispute paid in part: it counts as settled short after {days} days without a payment, the usual "
        "setting (past gaps between two payments of one invoice: {gaps}, {needed} needed to learn it)",
        "{n} client disputes paid in part: each counts as settled short after {days} days without a payment, the "
        "usual setting (past gaps between two payments of one invoice: {gaps}, {needed} needed to learn it)",
        quiet.n_disputes_in_part, **values) if client else CountedMessage(
        "{n} supplier dispute paid in part: it counts as settled short after {days} days without a payment, the "
        "usual setting (past gaps between two payments of one invoice: {gaps}, {needed} needed to learn it)",
        "{n} supplier disputes paid in part: each counts as settled short after {days} days without a payment, the "
        "usual setting (past gaps between two payments of one invoice: {gaps}, {needed} needed to learn it)",
        quiet.n_disputes_in_part, **values))


def _one_offs_note(side: str, one_offs: pd.DataFrame, counterparties: pd.DataFrame) -> Message:
    """Return the note naming how many invoices of a side are one-offs and the largest (by name when known)."""
    largest = one_offs.iloc[0]
    cp_id = str(largest[C.COUNTERPARTY_ID])
    cps = counterparties
    name = cps.loc[(cps[C.COUNTERPARTY_ID].astype(str) == cp_id) & (cps[C.KIND] == C.KIND_OF_SIDE[side]), C.NAME]
    name = name.dropna()
    values: dict[str, Any] = {"n": len(one_offs), "invoice": str(largest[C.INVOICE_ID]),
                              "counterparty": str(name.iloc[0]) if len(name) else cp_id,
                              "amount": Money(largest[C.AMOUNT])}
    # One template per side and number (French takes the singular for 1, as English does; n is never 0 here).
    if side == C.RECEIVABLE:
        return (Message("{n} client invoices treated as one-offs and left out of future invoicing, the largest "
                        "{invoice} of {counterparty}, {amount}", **values) if len(one_offs) > 1 else
                Message("1 client invoice treated as a one-off and left out of future invoicing: {invoice} of "
                        "{counterparty}, {amount}", **values))
    return (Message("{n} supplier invoices treated as one-offs and left out of future invoicing, the largest "
                    "{invoice} of {counterparty}, {amount}", **values) if len(one_offs) > 1 else
            Message("1 supplier invoice treated as a one-off and left out of future invoicing: {invoice} of "
                    "{counterparty}, {amount}", **values))


def _paths_for(ledger: Ledger, settings: ProjectionSettings, horizon_weeks: int) -> ProjectionSettings:
    """Return the settings with fewer paths when the ledger's items × paths would exceed settings.max_draws.

    Items are estimated before building them: open invoices plus one future invoice per (pooled) counterparty
    and week. Keeps what-ifs interactive on very large ledgers; the band then rests on fewer paths.
    """
    items = len(ledger.planned_flows) * 4 * int(horizon_weeks)
    for side in C.SIDES:
        invoices = ledger.invoices(side)
        if len(invoices):
            counterparties = invoices[C.COUNTERPARTY_ID].nunique()
            items += int((invoices[C.STATUS] == "open").sum())
            items += min(counterparties, settings.max_future_counterparties + 100) * (int(horizon_weeks) + 1)
    n_sims = max(MIN_PATHS, min(settings.n_sims, settings.max_draws // max(items, 1)))
    return settings if n_sims >= settings.n_sims else replace(settings, n_sims=n_sims)


def _coverage(ledger: Ledger, opening: Opening) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return what the forecast includes and notes on what it leaves out."""
    covers: list[str] = []
    notes: list[str] = []
    if len(ledger.receivables):
        covers.append("receipts")
    else:
        notes.append("no client invoices: client receipts are not forecast")
    if len(ledger.payables):
        covers.append("supplier_payments")
    else:
        notes.append("no supplier invoices: supplier payments are not included")
    if len(ledger.planned_flows):
        covers.append("planned_flows")
    else:
        notes.append("no planned flows: payroll, social charges, taxes, rent, loans and capex are not included")
    if opening.date is not None:
        covers.append("bank_balances")
    else:
        notes.append("no bank balance on or before as-of: opening cash is 0, closing = cumulative net flow")
    return tuple(covers), tuple(notes)


def aggregate(cash: CashItems) -> Projection:
    """Return the projection of the cash items: sums of sampled flows by day and week, with the band."""
    return Projection(*daily_and_weekly(cash))


def project(ledger: Ledger, as_of: date, horizon_weeks: int = 13,
            settings: ProjectionSettings = DEFAULT_SETTINGS,
            models: dict[str, BehaviourModel] | None = None) -> Projection:
    """Return the cash projection of the ledger at as_of over horizon_weeks (prepare then aggregate)."""
    return aggregate(prepare(ledger, as_of, horizon_weeks, settings, models))


__all__ = [
    "DEFAULT_SETTINGS", "KIND_FUTURE", "KIND_OPEN", "KIND_PLANNED", "CashItems", "Projection", "ProjectionSettings",
    "aggregate", "fit_models", "horizon_dates", "prepare", "project",
]
