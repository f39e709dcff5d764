"""Applies what-if levers to the sampled cash items of a projection, without refitting or re-sampling anything.

Each item carries two amounts: `amount` (the cash it moves when paid) and `settled` (how much it takes off
receivables (+) or payables (−) at that moment, for the BFR). A plain invoice has both equal; a discounted
receipt brings less cash but settles the whole invoice; a factoring advance settles the assigned part early.

Finance costs, charge-backs and write-offs need no rows of their own: they are summed straight into the
cash items' `extra_paths` (cash per column, day and path) and `extra_settled` (receivables/payables by day).

Choices a treasurer should know:
- Levers apply in a fixed order whatever the file order: activity, client_default, client_terms,
  supplier_terms, collection_effort, early_payment_discount, supplier_discount, factoring, one_off_flow.
- A moved payment keeps the counterparty's learned delay relative to the new due date, lands on a
  business day, never before the day after as-of, the lever's start date, or the invoice's issue date.
- Draws where an invoice is never paid stay never paid (collection effort does not cure bad debt).
- Levers on "invoices issued from the start date" select future invoices by their likely issue date.
- Factoring is with recourse: an assigned invoice that is never paid has its advance charged back
  90 days after its due date; disputed and overdue invoices are not assigned.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.terms import (
    LEGAL_CAP_NET_DAYS,
    due_dates,
    exceeds_french_legal_cap,
    max_days_from_invoice,
)
from forecasting.i18n.translate import Day, Message, Percent
from forecasting.model.sampling import NEVER
from forecasting.projection.frames import BUCKETS
from forecasting.projection.items import KIND_FUTURE, KIND_OPEN, KIND_PLANNED
from forecasting.projection.types import CashItems
from forecasting.scenarios.levers import (
    Activity,
    ClientDefault,
    ClientTerms,
    CollectionEffort,
    EarlyPaymentDiscount,
    Factoring,
    Lever,
    OneOffFlow,
    SupplierDiscount,
    SupplierTerms,
    discount_yearly_cost,
    terms_of,
)

SETTLED = "settled"  # receivable (+) or payable (−) amount the item settles when paid
BFR_SIDE = "bfr_side"  # which balance `settled` reduces: receivable, payable or '' (none)
ORDER = ("activity", "client_default", "client_terms", "supplier_terms", "collection_effort",
         "early_payment_discount", "supplier_discount", "factoring", "one_off_flow")
RECOURSE_AFTER_DUE_DAYS = 90


@dataclass(frozen=True)
class ScenarioContext:
    """What levers need beyond the cash items: counterparties (names, segments, terms) and activity levels."""

    counterparties: pd.DataFrame
    daily_sales_ttc_eur: float  # last 365 days of client invoices TTC / 365
    daily_purchases_ttc_eur: float
    eom_method: str = "days_then_eom"


@dataclass
class Costs:
    """Expected costs and gains of a scenario inside the horizon (EUR, positive numbers)."""

    discount_cost_eur: float = 0.0
    supplier_discount_gain_eur: float = 0.0
    factoring_fees_eur: float = 0.0
    factoring_financing_eur: float = 0.0


@dataclass
class Applied:
    """The scenario's cash items with their costs, warnings and notes."""

    cash: CashItems
    costs: Costs = field(default_factory=Costs)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def with_settlement(cash: CashItems) -> CashItems:
    """Return the cash items with `settled` and `bfr_side` columns (a plain forecast: invoices settle their amount)."""
    if SETTLED in cash.items.columns:
        return cash
    invoice = cash.items["kind"].isin([KIND_OPEN, KIND_FUTURE]).to_numpy()
    items = cash.items.assign(**{SETTLED: np.where(invoice, cash.items[C.AMOUNT].to_numpy(dtype=float), 0.0),
                                 BFR_SIDE: np.where(invoice, cash.items[C.SIDE].to_numpy(dtype=object), "")})
    return replace(cash, items=items)


class _Work:
    """Mutable working copy of the items while levers apply: rows may be split, offsets moved."""

    def __init__(self, cash: CashItems, context: ScenarioContext) -> None:
        cash = with_settlement(cash)
        self.cash, self.context = cash, context
        self.items = cash.items.copy()
        self.pay = cash.pay_day_offsets.copy()
        self.scales = cash.amount_scales
        self.n_sims = self.pay.shape[1]
        self._issue: np.ndarray | None = None
        self._due: np.ndarray | None = None
        # A copied row shares its source's issue and due days: rows map to their source row (no matrix copies).
        self.source = np.arange(len(self.items))
        self.applied = Applied(cash)
        self.extra_paths = None if cash.extra_paths is None else cash.extra_paths.copy()
        self.extra_settled = None if cash.extra_settled is None else cash.extra_settled.copy()

    # --- per-draw issue and due days, materialised on first use -------------------------------
    def _base_days(self, column: str) -> np.ndarray:
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

    def issue(self, rows: np.ndarray) -> np.ndarray:
        """Return issue offsets [k, n_sims] of rows."""
        if self._issue is None:
            self._issue = self._base_days(C.ISSUE_DATE)
        return self._issue[self.source[rows]]

    def due(self, rows: np.ndarray) -> np.ndarray:
        """Return due offsets [k, n_sims] of rows (after any terms change)."""
        if self._due is None:
            self._due = self._base_days(C.DUE_DATE)
        return self._due[self.source[rows]]

    def set_due(self, rows: np.ndarray, due: np.ndarray) -> None:
        """Give rows new due days (terms levers run before any row is copied, see ORDER)."""
        self.due(rows)
        self._due[self.source[rows]] = due

    # --- helpers -------------------------------------------------------------------------------
    def start_offset(self, lever: Lever) -> int:
        """Return the lever's first day as an offset from as-of (at least 1)."""
        if lever.start is None:
            return 1
        return max(1, (pd.Timestamp(lever.start) - self.cash.as_of).days)

    def in_scope(self, lever: Lever, side: str | None = None) -> np.ndarray:
        """Return the rows of the lever's side and scope (a mask)."""
        side = side or lever.SIDE
        mask = (self.items[C.SIDE] == side).to_numpy()
        if lever.scope.kind == "segment":
            mask = mask & self.items[C.SEGMENT].astype(str).isin(lever.scope.values).to_numpy()
        elif lever.scope.kind == "counterparties":
            mask = mask & self.items[C.COUNTERPARTY_ID].astype(str).isin(lever.scope.values).to_numpy()
        return mask

    def kind_is(self, *kinds: str) -> np.ndarray:
        """Return the rows of the given kinds (a mask)."""
        return self.items["kind"].isin(kinds).to_numpy()

    def issued_from(self, start: int) -> np.ndarray:
        """Return the future rows likely issued on or after the start offset (a mask)."""
        issue = (pd.to_datetime(self.items[C.ISSUE_DATE]) - self.cash.as_of).dt.days.to_numpy()
        return self.kind_is(KIND_FUTURE) & (np.nan_to_num(issue, nan=-1) >= start)

    def roll(self, offsets: np.ndarray) -> np.ndarray:
        """Return offsets moved to business days (NEVER kept)."""
        table = self.cash.roll_table
        never = offsets >= NEVER
        inside = (offsets >= 0) & (offsets < len(table))
        rolled = np.where(inside, table[np.clip(offsets, 0, len(table) - 1)], offsets)
        return np.where(never, NEVER, rolled).astype(np.int32)

    def move(self, rows: np.ndarray, new_pay: np.ndarray, floor: np.ndarray | int) -> None:
        """Set the payment days of rows (NEVER draws untouched), floored and rolled to business days."""
        old = self.pay[rows]
        moved = np.maximum(new_pay, np.maximum(floor, 1))
        self.pay[rows] = np.where(old >= NEVER, old, self.roll(moved.astype(np.int64)))

    def scale_amounts(self, rows: np.ndarray, factor: float | np.ndarray) -> None:
        """Multiply the cash and settled amounts of rows."""
        for col in (C.AMOUNT, SETTLED):
            values = self.items[col].to_numpy(dtype=float).copy()
            values[rows] *= factor
            self.items[col] = values

    def add_rows(self, rows: np.ndarray, pay: np.ndarray, **columns: object) -> np.ndarray:
        """Append copies of rows with new columns and payment days; return the new rows' positions."""
        return self.add_many([(rows, pay, columns)])[0]

    def add_many(self, blocks: list[tuple[np.ndarray, np.ndarray, dict[str, object]]]) -> list[np.ndarray]:
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

    def expected_in_horizon(self, rows: np.ndarray, amounts: np.ndarray, pay: np.ndarray | None = None) -> float:
        """Return Σ amount × share of draws (scaled) paid inside the horizon, for rows."""
        pay = self.pay[rows] if pay is None else pay
        inside = (pay >= 1) & (pay <= self.cash.n_days)
        scales = self.scales[self.items["scale_row"].to_numpy(dtype=np.int64)[rows]]
        return float((amounts[:, None] * scales * inside).sum() / self.n_sims)

    def add_flows(self, column: str, offsets: np.ndarray, amounts: np.ndarray) -> float:
        """Add cash flows [k, n_sims] on their days to a daily-frame column; return the expected EUR in the horizon.

        For flows that need no row of their own (fees, financing, charge-backs): one bincount, no row copies.
        """
        n_days = self.cash.n_days
        if self.extra_paths is None:
            self.extra_paths = np.zeros((len(BUCKETS), n_days, self.n_sims))
        inside = (offsets >= 1) & (offsets <= n_days)
        key = (offsets.astype(np.int64) - 1) * self.n_sims + np.arange(self.n_sims)[None, :]
        weights = np.broadcast_to(amounts, offsets.shape)
        sums = np.bincount(key[inside], weights=weights[inside], minlength=n_days * self.n_sims)
        self.extra_paths[BUCKETS.index(column)] += sums.reshape(n_days, self.n_sims)
        return float(sums.sum() / self.n_sims)

    def add_settlement(self, side: str, offsets: np.ndarray, amounts: np.ndarray) -> None:
        """Add amounts [k, n_sims] settled on their days to receivables (side 'receivable') or payables."""
        n_days = self.cash.n_days
        if self.extra_settled is None:
            self.extra_settled = np.zeros((2, n_days))
        inside = (offsets >= 1) & (offsets <= n_days)
        weights = np.broadcast_to(amounts, offsets.shape)
        sums = np.bincount(offsets[inside].astype(np.int64) - 1, weights=weights[inside], minlength=n_days)
        self.extra_settled[0 if side == C.RECEIVABLE else 1] += sums[:n_days] / self.n_sims

    def finish(self) -> CashItems:
        """Return the scenario's cash items."""
        return replace(self.cash, items=self.items.reset_index(drop=True), pay_day_offsets=self.pay,
                       amount_scales=self.scales, extra_paths=self.extra_paths, extra_settled=self.extra_settled)


# --- the levers ------------------------------------------------------------------------------------
def _activity(w: _Work, lever: Activity) -> None:
    start = w.start_offset(lever)
    for side, pct in ((C.RECEIVABLE, lever.sales_change_pct), (C.PAYABLE, lever.purchases_change_pct)):
        if pct:
            rows = np.flatnonzero(w.in_scope(lever, side) & w.issued_from(start))
            w.scale_amounts(rows, 1.0 + pct / 100.0)


def _client_default(w: _Work, lever: ClientDefault) -> None:
    start = w.start_offset(lever)
    rows = np.flatnonzero(w.in_scope(lever) & w.kind_is(KIND_OPEN))
    if not len(rows):
        w.applied.warnings.append(Message("client_default: no open invoice in scope ({scope})",
                                          scope=lever.scope.describe()))
    lost = w.pay[rows] >= start  # what would have been paid from the default on is lost
    w.pay[rows] = np.where(lost, NEVER, w.pay[rows])
    # The loss leaves receivables on the default day (a write-off), with no cash.
    settled = w.items[SETTLED].to_numpy(dtype=float)[rows, None]
    w.add_settlement(C.RECEIVABLE, np.where(lost, start, NEVER), settled)
    if lever.stop_sales:
        w.scale_amounts(np.flatnonzero(w.in_scope(lever) & w.issued_from(start)), 0.0)


def _new_terms(w: _Work, rows: np.ndarray, terms_text: str, start: int, apply_to_open: bool) -> None:
    """Give rows new terms: due dates recomputed, expected payments moved by the same number of days."""
    terms = terms_of(terms_text)
    chosen = rows[w.kind_is(KIND_FUTURE)[rows] | (apply_to_open & w.kind_is(KIND_OPEN)[rows])]
    if not len(chosen):
        return
    issue = w.issue(chosen)
    as_of = np.datetime64(w.cash.as_of.date(), "D")
    new_due = (due_dates(as_of + issue.ravel().astype(np.int64), terms, w.context.eom_method) - as_of
               ).astype(np.int64).reshape(issue.shape)
    future = w.kind_is(KIND_FUTURE)[chosen][:, None]
    applies = ~future | (issue >= start)  # future invoices from the start date; open ones all (apply_to_open)
    old_due = w.due(chosen)
    shift = np.where(applies, new_due - old_due, 0)
    w.set_due(chosen, old_due + shift)
    w.move(chosen, w.pay[chosen] + shift, issue)


def _client_terms(w: _Work, lever: ClientTerms) -> None:
    _new_terms(w, np.flatnonzero(w.in_scope(lever)), lever.terms, w.start_offset(lever), lever.apply_to_open)


def _supplier_terms(w: _Work, lever: SupplierTerms) -> None:
    rows = np.flatnonzero(w.in_scope(lever))
    start = w.start_offset(lever)
    if lever.terms is not None:
        if exceeds_french_legal_cap(terms_of(lever.terms)):
            w.applied.warnings.append(Message(
                "supplier_terms: '{terms}' exceeds the French legal cap (60 days from invoice date, or 45 "
                "days end of month; Code de commerce L441-10)", terms=lever.terms))
        _new_terms(w, rows, lever.terms, start, lever.apply_to_open)
        return
    _shift_payments(w, rows, start, lever.delay_change_days or 0, 0.0)
    if (lever.delay_change_days or 0) > 0:
        _warn_stretched_suppliers(w, lever)


def _warn_stretched_suppliers(w: _Work, lever: SupplierTerms) -> None:
    """Warn when paying N days later puts suppliers beyond 60 days from invoice date."""
    cps = w.context.counterparties
    suppliers = cps[cps[C.KIND] == C.SUPPLIER]
    if lever.scope.kind == "segment":
        suppliers = suppliers[suppliers[C.SEGMENT].astype(str).isin(lever.scope.values)]
    elif lever.scope.kind == "counterparties":
        suppliers = suppliers[suppliers[C.COUNTERPARTY_ID].astype(str).isin(lever.scope.values)]
    days = suppliers[C.TERMS].map(_max_days).to_numpy(dtype=float) + float(lever.delay_change_days or 0)
    beyond = suppliers[days > LEGAL_CAP_NET_DAYS]
    if len(beyond):
        worst = beyond.assign(days=days[days > LEGAL_CAP_NET_DAYS]).sort_values("days").iloc[-1]
        w.applied.warnings.append(Message(
            "supplier_terms: paying {days} days later puts {n} supplier(s) beyond the French legal cap of 60 days "
            "from invoice date (e.g. {name}: {terms} + {days} days = up to {worst} days; Code de commerce L441-10)",
            days=lever.delay_change_days, n=len(beyond), name=worst[C.NAME], terms=worst[C.TERMS],
            worst=int(worst["days"])))


def _max_days(text: object) -> float:
    """Return the longest invoice-to-due span of a terms text (NaN when unknown)."""
    try:
        return float(max_days_from_invoice(terms_of(str(text))))
    except Exception:  # noqa: BLE001 - unparseable or missing terms: no warning can be derived
        return float("nan")


def _shift_payments(w: _Work, rows: np.ndarray, start: int, delay_days: int, lateness_share: float) -> None:
    """Move the expected payments of rows on or after start: lateness cut by a share, then shifted by days."""
    rows = rows[w.kind_is(KIND_OPEN, KIND_FUTURE)[rows]]
    if not len(rows):
        return
    pay = w.pay[rows].astype(np.int64)
    acts = (pay >= start) & (pay < NEVER)
    new = pay
    if lateness_share:
        due = w.due(rows)
        late = new - due
        new = np.where(late > 0, due + np.ceil(late * (1.0 - lateness_share)).astype(np.int64), new)
    new = new + delay_days
    floor = np.maximum(w.issue(rows), start)
    w.move(rows, np.where(acts, new, pay), np.where(acts, floor, 1))


def _collection_effort(w: _Work, lever: CollectionEffort) -> None:
    _shift_payments(w, np.flatnonzero(w.in_scope(lever)), w.start_offset(lever), lever.delay_change_days,
                    lever.lateness_reduction_share)


def _take_discount(w: _Work, rows: np.ndarray, d: float, days: int, share: float) -> np.ndarray:
    """Split rows: `share` paid `days` after issue for (1 − d) of the amount; return the taker rows."""
    amounts = w.items[C.AMOUNT].to_numpy(dtype=float)[rows]
    settled = w.items[SETTLED].to_numpy(dtype=float)[rows]
    issue = w.issue(rows).astype(np.int64)
    pay = w.roll(np.maximum(issue + days, 1))
    takers = w.add_rows(rows, pay, **{C.AMOUNT: amounts * share * (1 - d), SETTLED: settled * share})
    w.scale_amounts(rows, 1.0 - share)
    return takers


def _early_payment_discount(w: _Work, lever: EarlyPaymentDiscount) -> None:
    start = w.start_offset(lever)
    rows = np.flatnonzero(w.in_scope(lever) & w.issued_from(start))
    if not len(rows):
        return
    _new_terms(w, rows, f"net {lever.net_days}", start, apply_to_open=False)
    original = w.items[C.AMOUNT].to_numpy(dtype=float)[rows]
    takers = _take_discount(w, rows, lever.discount_rate, lever.discount_days, lever.take_up_share)
    w.applied.costs.discount_cost_eur += w.expected_in_horizon(
        takers, original * lever.take_up_share * lever.discount_rate)
    rate = discount_yearly_cost(lever.discount_rate, lever.discount_days, lever.net_days)
    w.applied.notes.append(Message(
        "early_payment_discount: {discount}/{days} net {net} costs {rate} a year on the cash brought forward",
        discount=Percent(lever.discount_rate), days=lever.discount_days, net=lever.net_days, rate=Percent(rate)))


def _supplier_discount(w: _Work, lever: SupplierDiscount) -> None:
    start = w.start_offset(lever)
    rows = np.flatnonzero(w.in_scope(lever) & w.issued_from(start))
    if not len(rows):
        return
    original = w.items[C.AMOUNT].to_numpy(dtype=float)[rows]
    takers = _take_discount(w, rows, lever.discount_rate, lever.discount_days, lever.take_up_share)
    w.applied.costs.supplier_discount_gain_eur += w.expected_in_horizon(
        takers, -original * lever.take_up_share * lever.discount_rate)


def _factoring(w: _Work, lever: Factoring) -> None:
    start = w.start_offset(lever)
    eligible = w.in_scope(lever) & ~w.items[C.DISPUTED].to_numpy(dtype=bool)
    open_not_due = w.kind_is(KIND_OPEN) & (pd.to_datetime(w.items[C.DUE_DATE]) > w.cash.as_of).to_numpy()
    rows = np.flatnonzero(eligible & (w.issued_from(start) | (lever.include_open & open_not_due)))
    if not len(rows):
        return
    s, adv = lever.share, lever.advance_rate
    amounts = w.items[C.AMOUNT].to_numpy(dtype=float)[rows]
    settled = w.items[SETTLED].to_numpy(dtype=float)[rows]
    collect = w.pay[rows].astype(np.int64)
    assign = w.roll(np.maximum(w.issue(rows).astype(np.int64), start))
    paid = collect < NEVER
    scales = w.scales[w.items["scale_row"].to_numpy(dtype=np.int64)[rows]]  # future invoices' volume per path
    w.scale_amounts(rows, 1.0 - s)  # the part not assigned stays as it was
    w.add_many([
        # The advance comes at assignment and takes the assigned part off receivables ...
        (rows, assign, {C.AMOUNT: amounts * s * adv, SETTLED: settled * s}),
        # ... the reserve at collection.
        (rows, collect, {C.AMOUNT: amounts * s * (1 - adv), SETTLED: 0.0}),
    ])
    # Costs: the fee on assignment; the financing (advance × rate × days / 360) deducted at collection.
    fee = (amounts * s * lever.service_fee_rate)[:, None] * scales
    w.applied.costs.factoring_fees_eur += -w.add_flows("financial_costs", assign, -fee)
    days = np.where(paid, np.maximum(collect - assign, 0), 0)
    financing = (amounts * s * adv * lever.financing_rate / 360.0)[:, None] * days * scales
    w.applied.costs.factoring_financing_eur += -w.add_flows("financial_costs", np.where(paid, collect, NEVER),
                                                            -financing)
    # With recourse: never paid -> the advance is charged back, and the invoice is ours again.
    unpaid = np.flatnonzero((~paid).any(axis=1))
    if len(unpaid):
        back = np.where(paid[unpaid], NEVER, np.maximum(w.due(rows[unpaid]).astype(np.int64) + RECOURSE_AFTER_DUE_DAYS,
                                                        assign[unpaid] + 1))
        w.add_flows("other", back, -(amounts[unpaid] * s * adv)[:, None] * scales[unpaid])
        w.add_settlement(C.RECEIVABLE, back, -(settled[unpaid] * s)[:, None] * scales[unpaid])


def _one_off_flow(w: _Work, lever: OneOffFlow) -> None:
    offset = (pd.Timestamp(lever.date) - w.cash.as_of).days
    if offset < 1 or offset > w.cash.n_days:
        w.applied.warnings.append(Message(
            "one_off_flow '{label}' on {day} is outside the horizon ({first} to {last})", label=lever.label,
            day=Day(lever.date.isoformat()), first=Day((w.cash.as_of + pd.Timedelta(days=1)).date().isoformat()),
            last=Day(pd.Timestamp(w.cash.dates[-1]).date().isoformat())))
        return
    row = pd.DataFrame([{C.SIDE: "", C.COUNTERPARTY_ID: "", C.SEGMENT: "", C.INVOICE_ID: lever.label,
                         "kind": KIND_PLANNED, C.CATEGORY: lever.category, C.AMOUNT: float(lever.amount),
                         C.ISSUE_DATE: pd.NaT, C.DUE_DATE: pd.Timestamp(lever.date), C.DISPUTED: False,
                         C.ACCOUNT_ID: None, "scale_row": 0, "week_index": -1, "future_row": -1,
                         SETTLED: 0.0, BFR_SIDE: ""}])
    w.items = pd.concat([w.items, row.astype({c: w.items[c].dtype for c in row.columns if c in w.items.columns},
                                             errors="ignore")], ignore_index=True)
    w.pay = np.vstack([w.pay, w.roll(np.full((1, w.n_sims), offset, np.int64))])
    w.source = np.append(w.source, 0)  # a planned flow: no lever reads its issue or due days


_APPLY = {
    "activity": _activity, "client_default": _client_default, "client_terms": _client_terms,
    "supplier_terms": _supplier_terms, "collection_effort": _collection_effort,
    "early_payment_discount": _early_payment_discount, "supplier_discount": _supplier_discount,
    "factoring": _factoring, "one_off_flow": _one_off_flow,
}


def apply_levers(cash: CashItems, levers: tuple[Lever, ...], context: ScenarioContext) -> Applied:
    """Return the cash items with every lever applied (in the fixed ORDER), and their costs and warnings."""
    work = _Work(cash, context)
    for lever in sorted(levers, key=lambda lv: ORDER.index(lv.TYPE)):
        _APPLY[lever.TYPE](work, lever)
    if any(isinstance(lv, Factoring) for lv in levers):
        work.applied.notes.append(Message("factoring with recourse: a never-paid assigned invoice has its advance "
                                          "charged back {days} days after its due date", days=RECOURSE_AFTER_DUE_DAYS))
    work.applied.cash = work.finish()
    return work.applied
