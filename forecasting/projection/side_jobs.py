"""The deterministic work of one side of `prepare`, safe on any thread: settle, tune, fit, plan the future.

None of it draws a random number: `prepare` runs it on a helper thread beside the calling one and keeps every draw
on the calling thread, so the forecast does not depend on the threads.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.i18n.translate import Day, Message
from forecasting.model.behaviour import BehaviourModel, segment_map
from forecasting.model.disputes import QuietPeriod, learn_quiet_period
from forecasting.model.invoicing import invoicing_history_end
from forecasting.model.settlement import credit_rows, own_dates, settle_with_gaps
from forecasting.model.tuning import Tuning, learn_behaviour, tune_behaviour
from forecasting.projection.dispute_shares import OpenPaid
from forecasting.projection.items import FuturePlan, open_items, open_rows, plan_future
from forecasting.projection.types import ProjectionSettings


@dataclass(frozen=True, eq=False)
class SidePlan:
    """A side's open items, future invoicing plan and notes: what its draws read besides its model."""

    open_: pd.DataFrame
    open_paid: OpenPaid  # what is known of each open item's dispute at as-of
    future: FuturePlan | None  # None: future invoicing switched off
    notes: tuple[Message, ...]


@dataclass(frozen=True, eq=False)
class Settled:
    """A side's invoices settled at as-of and the quiet period its disputes paid in part are read with."""

    invoices: pd.DataFrame
    quiet: QuietPeriod


@dataclass(frozen=True, eq=False)
class SidePart:
    """A side ready for its draws: its delay model and its plan."""

    model: BehaviourModel
    plan: SidePlan


@dataclass(frozen=True)
class SideJob:
    """The deterministic work of one side (any thread): settle its ledger, fit its model, plan its future."""

    ledger: Ledger
    as_of: pd.Timestamp
    n_days: int
    settings: ProjectionSettings
    main_account: str | None

    def settled(self, side: str, payments: pd.DataFrame) -> Settled:
        """Return the side's invoices settled at as-of and the quiet period of its disputes learned then."""
        invoices, gaps = settle_with_gaps(self.ledger.invoices(side), payments, self.as_of)
        return Settled(invoices, learn_quiet_period(gaps))

    def tuning(self, side: str, payments: pd.DataFrame) -> Tuning:
        """Return the side's rolling-origin tuning (it reads a sample of the ledger, not the settled ledger)."""
        ledger = self.ledger
        return tune_behaviour(ledger.invoices(side), payments, ledger.counterparties, self.as_of, side,
                              self.settings.behaviour)

    def model(self, side: str, payments: pd.DataFrame, settled: Settled, tuning: Tuning) -> BehaviourModel:
        """Return the side's delay model, fitted on all its settled ledger with the tuning's choices."""
        ledger = self.ledger
        return learn_behaviour(ledger.invoices(side), payments, ledger.counterparties, self.as_of, side,
                               self.settings.behaviour, settled.invoices, tuning=tuning, quiet=settled.quiet)

    def start(self, side: str) -> tuple[pd.DataFrame, Settled]:
        """Return the side's payments and its invoices settled at as-of."""
        payments = payments_of(self.ledger, side)
        return payments, self.settled(side, payments)

    def plan(self, side: str, side_settled: Settled) -> SidePlan:
        """Return the side's open items and future invoicing plan."""
        settled = side_settled.invoices
        segments = segment_map(self.ledger.counterparties, side)
        settled_open = open_rows(settled)
        open_ = open_items(settled_open, side, self.ledger.fx_rates, self.as_of, segments, self.main_account)
        open_paid = OpenPaid.of(settled_open, self.as_of, side_settled.quiet.days)
        if not self.settings.future_invoicing:
            return SidePlan(open_, open_paid, None, ())
        own = own_dates(settled)
        if not own.any():  # balances carried forward alone: no invoicing to learn a rate from
            return SidePlan(open_, open_paid, None, (carried_only_note(side),))
        notes: tuple[Message, ...] = ()
        history_end = invoicing_history_end(settled.loc[own, C.ISSUE_DATE], self.as_of)
        if history_end < self.as_of:
            notes = (stale_invoices_note(side, history_end, self.as_of),)
        plan = plan_future(settled, side, self.ledger.fx_rates, self.as_of, self.n_days, segments, self.main_account,
                           self.settings, history_end)
        return SidePlan(open_, open_paid, plan, notes)

    def finish(self, side: str, started: Future[tuple[pd.DataFrame, Settled]],
               model: BehaviourModel | None) -> SidePart | None:
        """Return the side ready for its draws from `start`'s result (None when it has no invoices)."""
        payments, settled = started.result()
        if not len(settled.invoices):
            return None
        if model is None:
            model = self.model(side, payments, settled, self.tuning(side, payments))
        return SidePart(model, self.plan(side, settled))


def payments_of(ledger: Ledger, side: str) -> pd.DataFrame:
    """Return the side's payments with the columns settling and tuning read (the others are not copied).

    What settled them is kept only when a credit note did: every settle of the tuning then skips looking for one.
    """
    payments = ledger.payments
    columns = [c for c in (C.SOURCE, C.INVOICE_ID, C.PAYMENT_DATE, C.AMOUNT) if c in payments.columns]
    mine = (payments[C.SIDE] == side).to_numpy(dtype=bool)
    credit = credit_rows(payments)
    if credit is not None and (credit & mine).any():
        columns.append(C.SETTLED_BY)
    return payments.loc[mine, columns]


def stale_invoices_note(side: str, history_end: pd.Timestamp, as_of: pd.Timestamp) -> Message:
    """Return the note saying a side's invoices stop well before as-of and what the forecast does about it."""
    template = ("client invoices stop on {last}, {days} days before as-of: the invoices issued since are estimated "
                "at the usual rate, like future ones (import them for a firmer forecast)"
                if side == C.RECEIVABLE else
                "supplier invoices stop on {last}, {days} days before as-of: the invoices received since are "
                "estimated at the usual rate, like future ones (import them for a firmer forecast)")
    return Message(template, last=Day(history_end.date().isoformat()), days=(as_of - history_end).days)


def carried_only_note(side: str) -> Message:
    """Return the note saying a side holds balances carried forward alone, so no future invoice is forecast."""
    template = ("client invoices are all balances carried forward from the year before: they are forecast, but "
                "there is no invoicing of the year to forecast invoices not issued yet from"
                if side == C.RECEIVABLE else
                "supplier invoices are all balances carried forward from the year before: they are forecast, but "
                "there is no invoicing of the year to forecast invoices not received yet from")
    return Message(template)
