"""The working copy of a projection's cash items that levers edit (`Work`), and what applying them returns.

Each item carries two amounts: `amount` (the cash it moves when paid) and `settled` (how much it takes off
receivables (+) or payables (−) at that moment, for the BFR). A plain invoice has both equal; a discounted
receipt brings less cash but settles the whole invoice; a factoring advance settles the assigned part early.

Finance costs, charge-backs and write-offs need no rows of their own: they are summed straight into the
cash items' `extra_paths` (cash per column, day and path) and `extra_settled` (receivables/payables by day).

Choices a treasurer should know:
- A moved payment keeps the counterparty's learned delay relative to the new due date, lands on a
  day that counterparty settles on (its learned weekdays; business days for planned flows), never before the day after as-of, the lever's start date, or the invoice's issue date.
- Draws where an invoice is never paid stay never paid (moving payments does not cure bad debt).
- Levers on "invoices issued from the start date" select future invoices by their likely issue date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.blocks import add_at, row_blocks
from forecasting.core.terms import Terms, due_dates
from forecasting.model.payment_days import settlement_days
from forecasting.model.sampling import NEVER
from forecasting.projection.frames import BUCKETS
from forecasting.projection.items import KIND_FUTURE, KIND_OPEN, KIND_PLANNED
from forecasting.projection.types import CashItems
from forecasting.scenarios.scope import Scope

Array = npt.NDArray[Any]
SETTLED = "settled"  # receivable (+) or payable (−) amount the item settles when paid
BFR_SIDE = "bfr_side"  # which balance `settled` reduces: receivable, payable or '' (none)


@dataclass(frozen=True)
class ScenarioContext:
    """What levers need beyond the cash items: counterparties (names, segments, terms) and activity levels."""

    counterparties: pd.DataFrame
    daily_sales_ttc_eur: float  # last 365 days of client invoices TTC / 365
    daily_purchases_ttc_eur: float
    eom_method: str = "days_then_eom"


@dataclass(frozen=True)
class Costs:
    """Expected costs and gains of a scenario inside the horizon (EUR, positive numbers)."""

    discount_cost_eur: float = 0.0
    supplier_discount_gain_eur: float = 0.0
    factoring_fees_eur: float = 0.0
    factoring_financing_eur: float = 0.0

    def __add__(self, other: Costs) -> Costs:
        """Return the sum of two sets of costs, field by field."""
        return Costs(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True, eq=False)
class Applied:
    """The scenario's cash items with their costs, warnings and notes."""

    cash: CashItems
    costs: Costs = Costs()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def with_settlement(cash: CashItems) -> CashItems:
    """Return the cash items with `settled` and `bfr_side` columns (a plain forecast: invoices settle their amount)."""
    if SETTLED in cash.items.columns:
        return cash
    invoice = cash.items["kind"].isin([KIND_OPEN, KIND_FUTURE]).to_numpy()
    items = cash.items.assign(**{SETTLED: np.where(invoice, cash.items[C.AMOUNT].to_numpy(dtype=float), 0.0),
                                 BFR_SIDE: np.where(invoice, cash.items[C.SIDE].to_numpy(dtype=object), "")})
    return replace(cash, items=items)


class Work:
    """Mutable working copy of the items while levers apply: rows may be split or added, payment days moved."""

    def __init__(self, cash: CashItems, context: ScenarioContext) -> None:
        """Copy what levers may change; the per-draw issue and due days are built on first use."""
        cash = with_settlement(cash)
        self.cash, self.context = cash, context
        self.items = cash.items.copy()
        self.pay: Array = cash.pay_day_offsets.copy()
        self.scales: Array = cash.amount_scales
        self.n_sims = int(self.pay.shape[1])
        self._issue: Array | None = None
        self._due: Array | None = None
        # A copied row shares its source's issue and due days: rows map to their source row (no matrix copies).
        self.source: Array = np.arange(len(self.items))
        self.extra_paths: Array | None = None if cash.extra_paths is None else cash.extra_paths.copy()
        self.extra_settled: Array | None = None if cash.extra_settled is None else cash.extra_settled.copy()
        self.costs = Costs()
        self.warnings: list[str] = []
        self.notes: list[str] = []

    # --- per-draw issue and due days, materialised on first use -------------------------------
    def _base_days(self, column: str) -> Array:
        """Return issue or due offsets [n, n_sims] of every row (future rows per draw)."""
        as_of = np.datetime64(self.cash.as_of.date(), "D")
        dates = np.asarray(self.items[column]).astype("datetime64[D]")
        base = np.where(np.isnat(dates), 0, (dates - as_of).astype(np.int64)).astype(np.int32)
        out = np.repeat(base[:, None], self.n_sims, axis=1)
        future_row = self.items["future_row"].to_numpy(dtype=np.int64)
        rows = np.flatnonzero(future_row >= 0)
        if len(rows):
            days = self.cash.future_days
            out[rows] = days.issue(future_row[rows]) if column == C.ISSUE_DATE else days.due(future_row[rows])
        return out

    def issue(self, rows: Array) -> Array:
        """Return issue offsets [k, n_sims] of rows."""
        if self._issue is None:
            self._issue = self._base_days(C.ISSUE_DATE)
        return self._issue[self.source[rows]]

    def _due_days(self) -> Array:
        """Return the due offsets [n_source_rows, n_sims] (built on first use)."""
        if self._due is None:
            self._due = self._base_days(C.DUE_DATE)
        return self._due

    def due(self, rows: Array) -> Array:
        """Return due offsets [k, n_sims] of rows (after any terms change)."""
        return self._due_days()[self.source[rows]]

    def set_due(self, rows: Array, due: Array) -> None:
        """Give rows new due days (terms levers apply before any row is copied: see their ORDER)."""
        self._due_days()[self.source[rows]] = due

    # --- selecting rows ------------------------------------------------------------------------
    def start_offset(self, start: date | None) -> int:
        """Return a lever's first day as an offset from as-of (at least 1; None: the day after as-of)."""
        if start is None:
            return 1
        return max(1, (pd.Timestamp(start) - self.cash.as_of).days)

    def in_scope(self, scope: Scope, side: str) -> Array:
        """Return the rows of a side that a scope selects (a mask)."""
        on_side = (self.items[C.SIDE] == side).to_numpy(dtype=bool)
        return on_side & scope.mask(self.items[C.SEGMENT], self.items[C.COUNTERPARTY_ID])

    def kind_is(self, *kinds: str) -> Array:
        """Return the rows of the given kinds (a mask)."""
        return self.items["kind"].isin(kinds).to_numpy(dtype=bool)

    def issued_from(self, start: int) -> Array:
        """Return the future rows likely issued on or after the start offset (a mask)."""
        issue = (pd.to_datetime(self.items[C.ISSUE_DATE]) - self.cash.as_of).dt.days.to_numpy()
        return self.kind_is(KIND_FUTURE) & (np.nan_to_num(issue, nan=-1) >= start)

    def amounts(self, rows: Array, column: str = C.AMOUNT) -> Array:
        """Return the cash (or, with column SETTLED, settled) amounts of rows."""
        return self.items[column].to_numpy(dtype=float)[rows]

    # --- moving payments -----------------------------------------------------------------------
    def roll(self, offsets: Array) -> Array:
        """Return offsets moved to business days through the roll table (before as-of or after it: unchanged;
        NEVER and beyond: NEVER)."""
        table = self.cash.roll_table
        # Days to add at offsets 0..len(table) − 1, then 0 twice: an offset clipped to −1..len(table) reads 0
        # outside the table (−1 reads the last entry), so one gather and one add per cell, block by block.
        shift = np.append(table - np.arange(len(table)), [0, 0])
        flat = np.asarray(offsets).reshape(-1)
        out = np.empty(flat.shape, np.int32)
        for part in row_blocks(len(flat), 1):
            day = flat[part]
            out[part] = np.minimum(day + shift[np.clip(day, -1, len(table))], NEVER)
        return out.reshape(np.shape(offsets))

    def move(self, rows: Array, new_pay: Array, floor: Array | int) -> None:
        """Set the payment days of invoice rows (NEVER draws untouched), floored, on days their payer settles on."""
        old = self.pay[rows]
        first = np.maximum(floor, 1)
        moved = np.maximum(new_pay, first)
        never = old >= NEVER
        moved[never] = 1  # left as they are below; a far day would only stretch the settlement tables
        self.pay[rows] = np.where(never, old, self.settle(rows, moved, first))

    def settle(self, rows: Array, offsets: Array, first: Array | int) -> Array:
        """Return invoice rows' payment offsets moved to days their counterparty settles on (learned weekdays).

        Never before `first`; rows of a side without a learned model roll to business days.
        """
        offsets = np.asarray(offsets)
        floor = np.broadcast_to(np.asarray(first) - 1, offsets.shape)
        sides = self.items[C.SIDE].iloc[rows]
        out, rest = np.empty(offsets.shape, np.int32), np.ones(len(rows), dtype=bool)
        for side, model in self.cash.models.items():
            mine = np.flatnonzero(sides.eq(side).to_numpy(dtype=bool, na_value=False))
            if not mine.size or model.policy != "learned":
                continue
            profile = model.rows_for(self.items[C.COUNTERPARTY_ID].iloc[rows[mine]].to_numpy(),
                                     self.items[C.SEGMENT].iloc[rows[mine]].to_numpy())
            if len(mine) == len(rows):  # every row on one side (the usual case): no copies of [rows, n_sims] arrays
                return settlement_days(model, profile, offsets, floor, self.cash.as_of)
            out[mine] = settlement_days(model, profile, offsets[mine], floor[mine], self.cash.as_of)
            rest[mine] = False
        # Only the rows no learned model settles are rolled to business days (rolling every row first cost as much).
        if rest.all():
            return self.roll(offsets)
        if rest.any():
            out[rest] = self.roll(offsets[rest])
        return out

    def new_terms(self, rows: Array, terms: Terms, start: int, apply_to_open: bool) -> None:
        """Give rows new terms: due dates recomputed, expected payments moved by the same number of days.

        Future invoices change from the start offset on; open ones (only with apply_to_open) all change.
        """
        chosen = rows[self.kind_is(KIND_FUTURE)[rows] | (apply_to_open & self.kind_is(KIND_OPEN)[rows])]
        if not len(chosen):
            return
        issue = self.issue(chosen)
        new_due = self.due_under(terms, issue)
        future = self.kind_is(KIND_FUTURE)[chosen][:, None]
        applies = ~future | (issue >= start)
        old_due = self.due(chosen)
        shift = np.where(applies, new_due - old_due, 0)
        self.set_due(chosen, old_due + shift)
        self.move(chosen, self.pay[chosen] + shift, issue)

    def due_under(self, terms: Terms, issue: Array) -> Array:
        """Return the due offsets under `terms` of invoices issued on `issue` (offsets from as-of, any shape)."""
        as_of = np.datetime64(self.cash.as_of.date(), "D")
        if not issue.size:
            return np.zeros(issue.shape, np.int32)
        # Half a million draws are issued on a few hundred distinct days: each day's due date is computed once.
        low, high = int(issue.min()), int(issue.max())
        days = np.arange(low, high + 1, dtype=np.int64) if high - low < issue.size else issue.reshape(-1)
        table = (due_dates(as_of + days.astype(np.int64), terms, self.context.eom_method) - as_of).astype(np.int32)
        return table[issue - low] if high - low < issue.size else table.reshape(issue.shape)

    def shift_payments(self, rows: Array, start: int, delay_days: int, lateness_share: float = 0.0,
                       ramp_days: int = 0) -> None:
        """Move the expected payments of invoice rows on or after start: lateness cut by a share, then shifted.

        With a ramp, a payment expected d days after the start gets the share min(1, (d + 1) / ramp_days) of
        its change: the effect builds up as a plan does, instead of pulling weeks of receipts into the first days.
        """
        rows = rows[self.kind_is(KIND_OPEN, KIND_FUTURE)[rows]]
        if not len(rows):
            return
        pay = self.pay[rows].astype(np.int64)
        acts = (pay >= start) & (pay < NEVER)
        new = pay
        if lateness_share:
            due = self.due(rows)
            late = new - due
            new = np.where(late > 0, due + np.ceil(late * (1.0 - lateness_share)).astype(np.int64), new)
        new = new + delay_days
        if ramp_days > 0:
            share = np.clip((pay - start + 1) / ramp_days, 0.0, 1.0)
            new = pay + np.round((new - pay) * share).astype(np.int64)
        floor = np.maximum(self.issue(rows), start)
        self.move(rows, np.where(acts, new, pay), np.where(acts, floor, 1))

    # --- changing amounts and adding rows --------------------------------------------------------
    def scale_amounts(self, rows: Array, factor: float | Array) -> None:
        """Multiply the cash and settled amounts of rows."""
        for col in (C.AMOUNT, SETTLED):
            values = self.items[col].to_numpy(dtype=float).copy()
            values[rows] *= factor
            self.items[col] = values

    def add_rows(self, rows: Array, pay: Array, **columns: Any) -> Array:
        """Append copies of rows with new columns and payment days; return the new rows' positions."""
        return self.add_many([(rows, pay, columns)])[0]

    def add_many(self, blocks: list[tuple[Array, Array, dict[str, Any]]]) -> list[Array]:
        """Append several blocks of copied rows at once (one concat); return each block's positions."""
        frames, positions, start = [self.items], [], len(self.items)
        for rows, _, columns in blocks:
            new = self.items.iloc[rows].copy()
            for name, value in columns.items():
                new[name] = value
            frames.append(new)
            positions.append(np.arange(start, start + len(rows)))
            start += len(rows)
        all_rows = np.concatenate([rows for rows, _, _ in blocks])
        self.items = pd.concat(frames, ignore_index=True)
        self.pay = np.vstack([self.pay, *(pay.astype(np.int32) for _, pay, _ in blocks)])
        self.source = np.concatenate([self.source, self.source[all_rows]])
        return positions

    def paid_offset(self, day: date) -> int:
        """Return the offset of the business day a flow dated `day` is paid on (rolled forward inside the horizon)."""
        offset = (pd.Timestamp(day) - self.cash.as_of).days
        return int(self.roll(np.array([offset]))[0]) if 1 <= offset <= self.cash.n_days else offset

    def add_planned(self, day: date, amount: float, label: str, category: str) -> bool:
        """Add a dated cash movement (a planned flow: no invoice, no BFR); return False when it is not paid inside
        the horizon (dated outside it, or on a weekend or holiday whose next business day is after it)."""
        paid = self.paid_offset(day)
        if not 1 <= paid <= self.cash.n_days:
            return False
        row = pd.DataFrame([{C.SIDE: "", C.COUNTERPARTY_ID: "", C.SEGMENT: "", C.INVOICE_ID: label,
                             "kind": KIND_PLANNED, C.CATEGORY: category, C.AMOUNT: float(amount),
                             C.ISSUE_DATE: pd.NaT, C.DUE_DATE: pd.Timestamp(day), C.DISPUTED: False,
                             C.ACCOUNT_ID: None, "scale_row": 0, "week_index": -1, "future_row": -1,
                             SETTLED: 0.0, BFR_SIDE: ""}])
        dtypes = {c: self.items[c].dtype for c in row.columns if c in self.items.columns}
        self.items = pd.concat([self.items, row.astype(dtypes, errors="ignore")], ignore_index=True)
        self.pay = np.vstack([self.pay, np.full((1, self.n_sims), paid, self.pay.dtype)])  # rolled already
        self.source = np.append(self.source, 0)  # a planned flow: no lever reads its issue or due days
        return True

    # --- flows without rows, and what the scenario costs ------------------------------------------
    def expected_in_horizon(self, rows: Array, amounts: Array, pay: Array | None = None) -> float:
        """Return Σ amount × share of draws (scaled) paid inside the horizon, for rows."""
        pay = self.pay[rows] if pay is None else pay
        inside = (pay >= 1) & (pay <= self.cash.n_days)
        return float((amounts[:, None] * self.path_scales(rows) * inside).sum() / self.n_sims)

    def path_scales(self, rows: Array) -> Array:
        """Return the amount scales [k, n_sims] of rows (future volume per path; ones for fixed amounts)."""
        scales: Array = self.scales[self.items["scale_row"].to_numpy(dtype=np.int64)[rows]]
        return scales

    def _weights(self, amounts: Array, shape: tuple[int, ...], rows: Array | None) -> Iterator[tuple[slice, Array]]:
        """Yield (block of rows, amounts [block, n_sims]), times the rows' path scales when rows are given."""
        amounts = np.broadcast_to(amounts, shape)
        scale_row = None if rows is None else self.items["scale_row"].to_numpy(dtype=np.int64)[rows]
        for part in row_blocks(shape[0], self.n_sims):
            yield part, amounts[part] if scale_row is None else amounts[part] * self.scales[scale_row[part]]

    def add_flows(self, column: str, offsets: Array, amounts: Array, rows: Array | None = None) -> float:
        """Add cash flows [k, n_sims] on their days to a daily-frame column; return the expected EUR in the horizon.

        `amounts` [k, n_sims] or [k, 1] are multiplied by the path scales of `rows` when given (block by block:
        no [k, n_sims] product). For flows that need no row of their own (fees, financing, charge-backs): no row copies.
        """
        n_days = self.cash.n_days
        if self.extra_paths is None:
            self.extra_paths = np.zeros((len(BUCKETS), n_days, self.n_sims))
        cells = n_days * self.n_sims
        path = np.arange(self.n_sims, dtype=np.int32)[None, :]
        # Day d of path p is bin (d − 1) × n_sims + p. Draws outside the horizon go to discarded bins after the
        # cells (no boolean gathers of [k, n_sims] arrays): the day, clipped to 0..n_days + 1, reads its bin's
        # start from a table. Block by block of rows: one bincount's sums to the bit (core.blocks).
        start = np.r_[cells, np.arange(n_days) * self.n_sims, cells].astype(np.int32)
        sums = np.zeros(cells + self.n_sims)
        for part, weights in self._weights(amounts, offsets.shape, rows):
            add_at(sums, start[np.clip(offsets[part], 0, n_days + 1)] + path, weights)
        self.extra_paths[BUCKETS.index(column)] += sums[:cells].reshape(n_days, self.n_sims)
        return float(sums[:cells].sum() / self.n_sims)

    def add_settlement(self, side: str, offsets: Array, amounts: Array, rows: Array | None = None) -> None:
        """Add amounts [k, n_sims] settled on their days to receivables (side 'receivable') or payables
        (times the path scales of `rows` when given, as add_flows)."""
        n_days = self.cash.n_days
        if self.extra_settled is None:
            self.extra_settled = np.zeros((2, n_days))
        sums = np.zeros(n_days)
        for part, weights in self._weights(amounts, offsets.shape, rows):  # one bincount's sums (core.blocks)
            days = offsets[part]
            inside = (days >= 1) & (days <= n_days)
            add_at(sums, days[inside].astype(np.int64) - 1, weights[inside])
        self.extra_settled[0 if side == C.RECEIVABLE else 1] += sums / self.n_sims

    def add_costs(self, costs: Costs) -> None:
        """Count costs or gains of the scenario."""
        self.costs = self.costs + costs

    def warn(self, message: str) -> None:
        """Record a warning (a Message, so a page or an export can write it in its language)."""
        self.warnings.append(message)

    def note(self, message: str) -> None:
        """Record a note once (two levers of one type explain themselves once)."""
        if message not in self.notes:
            self.notes.append(message)

    def finish(self) -> Applied:
        """Return the scenario's cash items with their costs, warnings and notes."""
        cash = replace(self.cash, items=self.items.reset_index(drop=True), pay_day_offsets=self.pay,
                       amount_scales=self.scales, extra_paths=self.extra_paths, extra_settled=self.extra_settled)
        return Applied(cash, self.costs, tuple(self.warnings), tuple(self.notes))
