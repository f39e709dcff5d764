"""Levers on how much is invoiced or paid: activity up or down, a client's default, a one-off dated flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.i18n.translate import Day, Message
from forecasting.model.sampling import NEVER
from forecasting.projection.items import KIND_OPEN
from forecasting.scenarios.form import CHOICE, CLIENTS, DATE, NUMBER, SWITCH, TEXT, FormField, LeverForm
from forecasting.scenarios.reading import Reader
from forecasting.scenarios.registry import Lever, register
from forecasting.scenarios.scope import LeverError, Scope, check_range
from forecasting.scenarios.work import SETTLED, Work

FLOW_CATEGORIES = ("capex", "financing", "loan", "tax", "payroll", "social", "vat", "rent", "other")
CATEGORY_NAMES = (("capex", "capital expenditure"), ("financing", "financing"), ("loan", "loan"), ("tax", "taxes"),
                  ("payroll", "payroll"), ("social", "social charges"), ("vat", "VAT"), ("rent", "rent"),
                  ("other", "other"))


@register
@dataclass(frozen=True, kw_only=True)
class Activity(Lever):
    """Future sales and/or purchases changed by a percentage (invoices issued from the start date)."""

    TYPE: ClassVar[str] = "activity"
    NAME: ClassVar[str] = "activity"
    ORDER: ClassVar[int] = 10
    FORM: ClassVar[LeverForm] = LeverForm("act", "other", position=10, uses_scope=False, fields=(
        FormField("sales", NUMBER, "Sales (%)", 0.0, low=-100.0, high=200.0, step=5.0, columns=2, column=0),
        FormField("purchases", NUMBER, "Purchases (%)", 0.0, low=-100.0, high=200.0, step=5.0, columns=2, column=1),
    ))

    sales_change_pct: float = 0.0
    purchases_change_pct: float = 0.0

    def check(self) -> None:
        """Refuse changes below −100 % or above +1000 %, and a lever that changes nothing."""
        check_range("sales_change_pct", self.sales_change_pct, -100.0, 1000.0)
        check_range("purchases_change_pct", self.purchases_change_pct, -100.0, 1000.0)
        if self.sales_change_pct == 0 and self.purchases_change_pct == 0:
            raise LeverError("sales_change_pct or purchases_change_pct must be given (non-zero)")

    def apply(self, work: Work) -> None:
        """Scale the future invoices in scope issued from the start date, clients and suppliers apart."""
        start = work.start_offset(self.start)
        for side, pct in ((C.RECEIVABLE, self.sales_change_pct), (C.PAYABLE, self.purchases_change_pct)):
            if pct:
                rows = np.flatnonzero(work.in_scope(self.scope, side) & work.issued_from(start))
                work.scale_amounts(rows, 1.0 + pct / 100.0)

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: dt.date | None) -> Self | None:
        """Return the lever when either change is not 0 (on every counterparty)."""
        if not values["sales"] and not values["purchases"]:
            return None
        return cls(start=start, sales_change_pct=float(values["sales"]), purchases_change_pct=float(values["purchases"]))

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"sales": self.sales_change_pct, "purchases": self.purchases_change_pct}


@register
@dataclass(frozen=True, kw_only=True)
class ClientDefault(Lever):
    """The clients in scope default at the start date: their open invoices become bad debt."""

    TYPE: ClassVar[str] = "client_default"
    NAME: ClassVar[str] = "client default"
    ORDER: ClassVar[int] = 20
    FORM: ClassVar[LeverForm] = LeverForm("def", "client", title="Client default", position=50, uses_scope=False,
                                          fields=(
        FormField("ids", CLIENTS, "Clients that default", ()),
        FormField("stop", SWITCH, "Stop invoicing them", False),
    ))

    stop_sales: bool = False  # also invoice them nothing more

    def check(self) -> None:
        """Refuse a default of every client."""
        if self.scope.kind == "all":
            raise LeverError('scope must name the defaulting clients ({"kind": "counterparties", "ids": [...]}) '
                             'or a segment')

    def apply(self, work: Work) -> None:
        """Lose what the clients in scope would have paid from the start date; write it off that day.

        Their open credit notes stay owed and are paid as forecast: no set-off with what they owed is assumed (the
        cautious view of a default, and the one that never shows a default as a gain).
        """
        start = work.start_offset(self.start)
        owed_to_us = work.items[C.AMOUNT].to_numpy(dtype=float) > 0
        rows = np.flatnonzero(work.in_scope(self.scope, self.SIDE) & work.kind_is(KIND_OPEN) & owed_to_us)
        if not len(rows):
            work.warn(Message("Client default: no open invoice in scope ({scope})", scope=self.scope.describe()))
        lost = work.pay[rows] >= start  # what would have been paid from the default on is lost
        work.pay[rows] = np.where(lost, NEVER, work.pay[rows])
        # The loss leaves receivables on the default day (a write-off), with no cash.
        work.add_settlement(C.RECEIVABLE, np.where(lost, start, NEVER), work.amounts(rows, SETTLED)[:, None])
        if self.stop_sales:
            work.scale_amounts(np.flatnonzero(work.in_scope(self.scope, self.SIDE) & work.issued_from(start)), 0.0)

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: dt.date | None) -> Self | None:
        """Return the lever when clients are chosen (its own scope: those clients)."""
        if not values["ids"]:
            return None
        return cls(scope=Scope("counterparties", tuple(str(i) for i in values["ids"])), start=start,
                   stop_sales=bool(values["stop"]))

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"ids": list(self.scope.values), "stop": self.stop_sales}

    def fits_form(self) -> bool:
        """Return True when the lever names its clients (the form has no segments for a default)."""
        return self.scope.kind == "counterparties"


@register
@dataclass(frozen=True, kw_only=True)
class OneOffFlow(Lever):
    """A dated cash movement: + inflow (loan drawdown, asset sale), − outflow (capex, dividend)."""

    TYPE: ClassVar[str] = "one_off_flow"
    NAME: ClassVar[str] = "one-off flow"
    ORDER: ClassVar[int] = 90
    FORM: ClassVar[LeverForm] = LeverForm("oo", "other", title="One-off flow", position=20, uses_scope=False,
                                          fields=(
        FormField("on", SWITCH, "Add a one-off flow", False),
        FormField("date", DATE, "Date", dt.timedelta(days=30), columns=2, column=0),
        FormField("amount", NUMBER, "Amount (€, − = outflow)", -100_000.0, step=10_000.0, columns=2, column=1),
        FormField("label", TEXT, "Label", "capex", columns=2, column=0),
        FormField("category", CHOICE, "Category", "capex", options=FLOW_CATEGORIES, option_names=CATEGORY_NAMES,
                  columns=2, column=1),
    ))

    date: dt.date
    amount: float  # EUR, signed
    label: str = "one-off flow"
    category: str = "other"

    @classmethod
    def read_fields(cls, r: Reader) -> dict[str, Any]:
        """Return the fields, the category in lower case."""
        fields = super().read_fields(r)
        if "category" in fields:
            fields["category"] = fields["category"].lower()
        return fields

    def check(self) -> None:
        """Refuse an amount of 0 and an unknown category."""
        if self.amount == 0:
            raise LeverError("amount must not be 0 (+ inflow, − outflow)")
        if self.category not in FLOW_CATEGORIES:
            raise LeverError(f"category must be one of {', '.join(FLOW_CATEGORIES)}, got {self.category!r}")

    def apply(self, work: Work) -> None:
        """Add the flow on its day (rolled to a business day); outside the horizon it is a warning."""
        if work.add_planned(self.date, self.amount, self.label, self.category):
            return
        paid = work.paid_offset(self.date)
        if 1 <= (pd.Timestamp(self.date) - work.cash.as_of).days < paid:
            # Dated inside the horizon but paid after it (a weekend or holiday at its end): out of the net cash.
            work.warn(Message(
                "One-off flow '{label}' on {day} is paid on the next business day, {paid}, after the horizon's last "
                "day ({last})", label=self.label, day=Day(self.date.isoformat()),
                paid=Day((work.cash.as_of + dt.timedelta(days=paid)).date().isoformat()),
                last=Day(pd.Timestamp(work.cash.dates[-1]).date().isoformat())))
            return
        work.warn(Message(
            "One-off flow '{label}' on {day} is outside the horizon ({first} to {last})", label=self.label,
            day=Day(self.date.isoformat()), first=Day((work.cash.as_of + dt.timedelta(days=1)).date().isoformat()),
            last=Day(pd.Timestamp(work.cash.dates[-1]).date().isoformat())))

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: dt.date | None) -> Self | None:
        """Return the flow when its box is ticked and its amount is not 0 (a flow has no scope nor start)."""
        if not values["on"] or not values["amount"]:
            return None
        return cls(date=values["date"], amount=float(values["amount"]), label=values["label"] or "one-off flow",
                   category=values["category"])

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"on": True, "date": self.date, "amount": self.amount, "label": self.label, "category": self.category}

    def fits_form(self) -> bool:
        """Return True: a dated flow's scope changes nothing."""
        return True
