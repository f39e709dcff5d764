"""Levers that trade cash for a cost or a gain: early-payment discounts (granted or taken) and factoring.

Choices a treasurer should know:
- A discount splits each invoice in scope: the takers' share is paid D days after issue, d less, and still
  settles the whole invoice; the discount offered is a cost, the one taken a gain.
- Factoring is with recourse: an assigned invoice that is never paid has its advance charged back
  90 days after its due date; disputed and overdue invoices are not assigned, nor credit notes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.terms import NET, Terms
from forecasting.i18n.translate import Message, Percent
from forecasting.model.sampling import NEVER
from forecasting.projection.items import KIND_OPEN
from forecasting.scenarios.form import NUMBER, SLIDER, SWITCH, FormField, LeverForm
from forecasting.scenarios.reading import Reader
from forecasting.scenarios.registry import Lever, register
from forecasting.scenarios.scope import LeverError, Scope, check_range, fmt
from forecasting.scenarios.work import SETTLED, Array, Costs, Work

RECOURSE_AFTER_DUE_DAYS = 90
_DISCOUNT_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*/\s*(\d+)\s*(?:,|;)?\s*(?:net|n)\s*(\d+)\s*$", re.IGNORECASE)


def parse_discount_terms(text: str) -> tuple[float, int, int]:
    """Return (d, D, N) of discount terms written like '2/10 net 30' (d in percent)."""
    match = _DISCOUNT_RE.match(text)
    if not match:
        raise InputError(f"'{text}' is not discount terms: expected e.g. '2/10 net 30'")
    return float(match.group(1).replace(",", ".")) / 100, int(match.group(2)), int(match.group(3))


def discount_yearly_cost(discount_rate: float, discount_days: int, net_days: int) -> float:
    """Return the yearly rate of a d/D net N discount: d / (1 − d) × 365 / (N − D) (0.372 for 2/10 net 30)."""
    if net_days <= discount_days:
        raise InputError(f"net days ({net_days}) must be after the discount days ({discount_days})")
    return discount_rate / (1.0 - discount_rate) * 365.0 / (net_days - discount_days)


def _read_discount(r: Reader) -> dict[str, Any]:
    """Return discount_rate, discount_days and net_days from a 'terms' text ('2/10 net 30') or separate fields."""
    if r.has("terms"):
        try:
            d, days, net = parse_discount_terms(r.text("terms") or "")
        except InputError as exc:
            raise r.fail("terms", str(exc)) from None
        return {"discount_rate": d, "discount_days": days, "net_days": net}
    pct = r.number("discount_pct")
    if pct is not None and not 0 <= pct <= 50:
        raise r.fail("discount_pct", f"must be between 0 and 50, got {fmt(pct)}")
    rate = r.number("discount_rate", required=pct is None)
    return {"discount_rate": rate if rate is not None else (pct or 0.0) / 100,
            "discount_days": r.integer("discount_days", required=True), "net_days": r.integer("net_days")}


def _check_discount(rate: float, days: int) -> None:
    """Refuse a discount rate outside (0, 0.5] and discount days outside 0..365."""
    check_range("discount_rate", rate, 0, 0.5)
    if not 0 < rate < 1:
        raise LeverError(f"discount_rate must be above 0, got {fmt(rate)}")
    check_range("discount_days", days, 0, 365)


def _take_discount(work: Work, rows: Array, d: float, days: int, share: float) -> Array:
    """Split rows: `share` paid `days` after issue for (1 − d) of the amount; return the taker rows."""
    amounts, settled = work.amounts(rows), work.amounts(rows, SETTLED)
    pay = work.roll(np.maximum(work.issue(rows).astype(np.int64) + days, 1))
    takers = work.add_rows(rows, pay, **{C.AMOUNT: amounts * share * (1 - d), SETTLED: settled * share})
    work.scale_amounts(rows, 1.0 - share)
    return takers


@register
@dataclass(frozen=True, kw_only=True)
class EarlyPaymentDiscount(Lever):
    """`d/D net N` offered on client invoices issued from the start date; `take_up_share` of them take it."""

    TYPE: ClassVar[str] = "early_payment_discount"
    NAME: ClassVar[str] = "early-payment discount"
    ORDER: ClassVar[int] = 60
    FORM: ClassVar[LeverForm] = LeverForm("epd", "client", title="Early-payment discount", position=30, fields=(
        FormField("on", SWITCH, "Offer a discount (d/D net N)", False),
        FormField("pct", NUMBER, "d (%)", 2.0, low=0.1, high=20.0, step=0.5, columns=3, column=0),
        FormField("days", NUMBER, "D (days)", 10, low=0, high=60, columns=3, column=1),
        FormField("net", NUMBER, "net N (days)", 30, low=1, high=120, columns=3, column=2),
        FormField("take", SLIDER, "Invoices taking it (%)", 50, low=0, high=100, step=5),
    ))

    discount_rate: float  # d, a fraction: 0.02
    discount_days: int  # D
    net_days: int  # N: the terms of those who do not take the discount
    take_up_share: float

    @classmethod
    def read_fields(cls, r: Reader) -> dict[str, Any]:
        """Return the discount (terms text or fields) and the take-up share."""
        return _read_discount(r) | {"take_up_share": r.number("take_up_share", required=True)}

    def check(self) -> None:
        """Refuse an impossible discount, net days not after the discount days, a share outside 0..1."""
        _check_discount(self.discount_rate, self.discount_days)
        check_range("net_days", self.net_days, 0, 365)
        if self.net_days <= self.discount_days:
            raise LeverError(f"net_days must be after the discount days ({self.discount_days}), got {self.net_days}")
        check_range("take_up_share", self.take_up_share, 0.0, 1.0)

    def apply(self, work: Work) -> None:
        """Put the invoices in scope at net N, then let the takers pay D days after issue, d less."""
        start = work.start_offset(self.start)
        rows = np.flatnonzero(work.in_scope(self.scope, self.SIDE) & work.issued_from(start))
        if not len(rows):
            return
        work.new_terms(rows, Terms(NET, self.net_days), start, apply_to_open=False)
        original = work.amounts(rows)
        takers = _take_discount(work, rows, self.discount_rate, self.discount_days, self.take_up_share)
        cost = work.expected_in_horizon(takers, original * self.take_up_share * self.discount_rate)
        work.add_costs(Costs(discount_cost_eur=cost))
        rate = discount_yearly_cost(self.discount_rate, self.discount_days, self.net_days)
        work.note(Message(
            "Early-payment discount: {discount}/{days} net {net} costs {rate} a year on the cash brought forward",
            discount=Percent(self.discount_rate), days=self.discount_days, net=self.net_days, rate=Percent(rate)))

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: date | None) -> Self | None:
        """Return the lever when its box is ticked."""
        if not values["on"]:
            return None
        return cls(scope=scope, start=start, discount_rate=values["pct"] / 100, discount_days=int(values["days"]),
                   net_days=int(values["net"]), take_up_share=values["take"] / 100)

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"on": True, "pct": self.discount_rate * 100, "days": self.discount_days, "net": self.net_days,
                "take": round(self.take_up_share * 100)}


@register
@dataclass(frozen=True, kw_only=True)
class SupplierDiscount(Lever):
    """Take the early-payment discount `d/D` suppliers offer: pay D days after issue, d less."""

    TYPE: ClassVar[str] = "supplier_discount"
    NAME: ClassVar[str] = "supplier discounts"
    ORDER: ClassVar[int] = 70
    SIDE: ClassVar[str] = C.PAYABLE
    FORM: ClassVar[LeverForm] = LeverForm("sd", "sup", title="Supplier discounts", position=20, fields=(
        FormField("on", SWITCH, "Take supplier discounts (d/D)", False),
        FormField("pct", NUMBER, "d (%)", 2.0, low=0.1, high=20.0, step=0.5, columns=2, column=0),
        FormField("days", NUMBER, "D (days)", 10, low=0, high=60, columns=2, column=1),
        FormField("take", SLIDER, "Supplier invoices offering it (%)", 100, low=0, high=100, step=5),
    ))

    discount_rate: float
    discount_days: int
    take_up_share: float = 1.0  # share of supplier invoices (by amount) where the discount is offered and taken

    @classmethod
    def read_fields(cls, r: Reader) -> dict[str, Any]:
        """Return the discount (terms text or fields; a net N given is not used) and the take-up share."""
        out = _read_discount(r)
        del out["net_days"]
        share = r.number("take_up_share")
        return out if share is None else out | {"take_up_share": share}

    def check(self) -> None:
        """Refuse an impossible discount or a share outside 0..1."""
        _check_discount(self.discount_rate, self.discount_days)
        check_range("take_up_share", self.take_up_share, 0.0, 1.0)

    def apply(self, work: Work) -> None:
        """Let the supplier invoices in scope be paid D days after issue, d less."""
        start = work.start_offset(self.start)
        rows = np.flatnonzero(work.in_scope(self.scope, self.SIDE) & work.issued_from(start))
        if not len(rows):
            return
        original = work.amounts(rows)
        takers = _take_discount(work, rows, self.discount_rate, self.discount_days, self.take_up_share)
        gain = work.expected_in_horizon(takers, -original * self.take_up_share * self.discount_rate)
        work.add_costs(Costs(supplier_discount_gain_eur=gain))

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: date | None) -> Self | None:
        """Return the lever when its box is ticked."""
        if not values["on"]:
            return None
        return cls(scope=scope, start=start, discount_rate=values["pct"] / 100, discount_days=int(values["days"]),
                   take_up_share=values["take"] / 100)

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"on": True, "pct": self.discount_rate * 100, "days": self.discount_days,
                "take": round(self.take_up_share * 100)}


@register
@dataclass(frozen=True, kw_only=True)
class Factoring(Lever):
    """A share of client invoices assigned to a factor: advance at assignment, the rest at collection."""

    TYPE: ClassVar[str] = "factoring"
    NAME: ClassVar[str] = "factoring"
    ORDER: ClassVar[int] = 80
    FORM: ClassVar[LeverForm] = LeverForm("fac", "client", title="Factoring", position=40, fields=(
        FormField("on", SWITCH, "Factor receivables", False),
        FormField("share", SLIDER, "Share assigned (%)", 50, low=0, high=100, step=5, columns=2, column=0),
        FormField("adv", NUMBER, "Advance rate (%)", 90.0, low=0.0, high=100.0, step=1.0, columns=2, column=1),
        FormField("fee", NUMBER, "Service fee (% of TTC)", 0.5, low=0.0, high=10.0, step=0.05, columns=2, column=0),
        FormField("rate", NUMBER, "Financing rate (% a year)", 5.0, low=0.0, high=50.0, step=0.25, columns=2,
                  column=1),
    ))

    share: float  # of the invoices in scope (by amount)
    advance_rate: float = 0.9
    service_fee_rate: float = 0.005  # of the assigned amount TTC
    financing_rate: float = 0.05  # yearly (Euribor + margin), on the advance, per days / 360
    include_open: bool = True  # also assign open invoices not yet due (never disputed or overdue ones)

    def check(self) -> None:
        """Refuse shares and rates outside their bounds."""
        check_range("share", self.share, 0.0, 1.0)
        check_range("advance_rate", self.advance_rate, 0.0, 1.0)
        check_range("service_fee_rate", self.service_fee_rate, 0.0, 0.1)
        check_range("financing_rate", self.financing_rate, 0.0, 0.5)

    def apply(self, work: Work) -> None:
        """Assign the share: advance at assignment, reserve at collection, fee and financing as costs."""
        work.note(Message("factoring with recourse: a never-paid assigned invoice has its advance charged back "
                          "{days} days after its due date", days=RECOURSE_AFTER_DUE_DAYS))
        start = work.start_offset(self.start)
        # A credit note is owed to the client, not by it: there is nothing to sell (its "advance" would be cash out).
        eligible = (work.in_scope(self.scope, self.SIDE) & ~work.items[C.DISPUTED].to_numpy(dtype=bool)
                    & (work.items[C.AMOUNT].to_numpy(dtype=float) > 0))
        open_not_due = work.kind_is(KIND_OPEN) & (pd.to_datetime(work.items[C.DUE_DATE]) > work.cash.as_of).to_numpy()
        rows = np.flatnonzero(eligible & (work.issued_from(start) | (self.include_open & open_not_due)))
        if not len(rows):
            return
        s, adv = self.share, self.advance_rate
        amounts, settled = work.amounts(rows), work.amounts(rows, SETTLED)
        collect = work.pay[rows]  # int32 like every offset: NEVER (2**30) and the differences below cannot overflow
        assign = work.roll(np.maximum(work.issue(rows), start))
        paid = collect < NEVER
        # An invoice the client pays before the assignment day (an open one, when factoring starts later) is not
        # sold on that path: its money comes as before, with no fee and no financing.
        assigned = collect >= assign
        work.scale_amounts(rows, 1.0 - s)  # the part not assigned stays as it was
        work.add_many([
            # The advance comes at assignment and takes the assigned part off receivables ...
            (rows, np.where(assigned, assign, collect), {C.AMOUNT: amounts * s * adv, SETTLED: settled * s}),
            # ... the reserve at collection.
            (rows, collect, {C.AMOUNT: amounts * s * (1 - adv), SETTLED: 0.0}),
        ])
        # Costs: the fee on assignment; the financing (advance × rate × days / 360) deducted at collection; both
        # scaled by each path's future volume inside add_flows (−(a × scale) is (−a) × scale to the bit).
        fee = -(amounts * s * self.service_fee_rate)[:, None]
        work.add_costs(Costs(factoring_fees_eur=-work.add_flows(
            "financial_costs", np.where(assigned, assign, NEVER), fee, rows)))
        days = np.where(paid & assigned, np.maximum(collect - assign, 0), 0)
        financing = -((amounts * s * adv * self.financing_rate / 360.0)[:, None] * days)
        work.add_costs(Costs(factoring_financing_eur=-work.add_flows(
            "financial_costs", np.where(paid, collect, NEVER), financing, rows)))
        # With recourse: never paid -> the advance is charged back, and the invoice is ours again.
        unpaid = np.flatnonzero((~paid).any(axis=1))
        if len(unpaid):
            due = work.due(rows[unpaid]).astype(np.int64)
            back = np.where(paid[unpaid], NEVER, np.maximum(due + RECOURSE_AFTER_DUE_DAYS, assign[unpaid] + 1))
            work.add_flows("other", back, -(amounts[unpaid] * s * adv)[:, None], rows[unpaid])
            work.add_settlement(C.RECEIVABLE, back, -(settled[unpaid] * s)[:, None], rows[unpaid])

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: date | None) -> Self | None:
        """Return the lever when its box is ticked."""
        if not values["on"]:
            return None
        return cls(scope=scope, start=start, share=values["share"] / 100, advance_rate=values["adv"] / 100,
                   service_fee_rate=values["fee"] / 100, financing_rate=values["rate"] / 100)

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"on": True, "share": round(self.share * 100), "adv": self.advance_rate * 100,
                "fee": self.service_fee_rate * 100, "rate": self.financing_rate * 100}
