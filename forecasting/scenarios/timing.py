"""Levers on when invoices are paid: new client terms, supplier terms or delays, and collection effort.

Choices a treasurer should know:
- New terms apply to invoices issued from the start date (and to open ones with `apply_to_open`): each
  counterparty keeps its learned delay relative to the new due date.
- Collection effort acts on payments expected from its start date and builds up over `ramp_weeks` (8 by
  default): a payment expected d days after the start moves by min(1, (d + 1) / (7 × ramp_weeks)) of the change.
- Supplier terms beyond the French legal caps (Code de commerce L441-10: 60 days from invoice date, or 45
  days end of month) are flagged, not blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Self

import numpy as np

from forecasting.core import columns as C
from forecasting.core.terms import (
    LEGAL_CAP_NET_DAYS,
    Terms,
    exceeds_french_legal_cap,
    max_days_from_invoice,
    parse_terms,
)
from forecasting.i18n.translate import CountedMessage, Message
from forecasting.scenarios.form import (
    CHOICE,
    NUMBER,
    RADIO,
    SLIDER,
    SWITCH,
    TERMS_CHOICES,
    FormField,
    LeverForm,
)
from forecasting.scenarios.registry import Lever, register
from forecasting.scenarios.scope import LeverError, Scope, check_range
from forecasting.scenarios.work import Work

SUPPLIER_MODES = ("No change", "Pay later or earlier", "New terms")  # the supplier-terms form's radio
# A collection plan reaches its full effect in about two months: reminders go out first, calls and escalation to
# the slow payers follow (the default of CollectionEffort.ramp_weeks; 0 gives the old all-at-once shift).
DEFAULT_RAMP_WEEKS = 8
TERMS_HELP = ("New terms apply to invoices issued from the start date: their effect on cash grows as those invoices "
              "come due, which is how new terms reach the bank.")
OPEN_HELP = "The invoices already open get new due dates too, from the start date: the effect comes at once."


@register
@dataclass(frozen=True, kw_only=True)
class ClientTerms(Lever):
    """New payment terms for client invoices issued from the start date (optionally open ones too)."""

    TYPE: ClassVar[str] = "client_terms"
    NAME: ClassVar[str] = "client terms"
    ORDER: ClassVar[int] = 30
    FORM: ClassVar[LeverForm] = LeverForm("ct", "client", title="Payment terms", expanded=True, position=10, fields=(
        FormField("on", SWITCH, "Change client terms", False),
        FormField("terms", CHOICE, "New terms", "45 days end of month", options=TERMS_CHOICES, help=TERMS_HELP),
        FormField("open", SWITCH, "Also for open invoices", False, help=OPEN_HELP),
    ))

    terms: Terms
    apply_to_open: bool = False

    def apply(self, work: Work) -> None:
        """Recompute the due dates of the client invoices in scope and move their payments with them."""
        work.new_terms(np.flatnonzero(work.in_scope(self.scope, self.SIDE)), self.terms,
                       work.start_offset(self.start), self.apply_to_open)

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: date | None) -> Self | None:
        """Return the lever when its box is ticked."""
        if not values["on"]:
            return None
        return cls(scope=scope, start=start, terms=parse_terms(values["terms"]), apply_to_open=bool(values["open"]))

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"on": True, "terms": self.terms.label(), "open": self.apply_to_open}


@register
@dataclass(frozen=True, kw_only=True)
class SupplierTerms(Lever):
    """Pay suppliers `delay_change_days` later (or earlier), or under new terms for invoices from the start date."""

    TYPE: ClassVar[str] = "supplier_terms"
    NAME: ClassVar[str] = "supplier terms"
    ORDER: ClassVar[int] = 40
    SIDE: ClassVar[str] = C.PAYABLE
    FORM: ClassVar[LeverForm] = LeverForm("st", "sup", title="Payment terms", expanded=True, position=10, fields=(
        FormField("mode", RADIO, "Supplier payments", SUPPLIER_MODES[0], options=SUPPLIER_MODES),
        FormField("days", NUMBER, "Days later (+) or earlier (−)", 15, low=-60, high=120, columns=2, column=0),
        FormField("terms", CHOICE, "New terms", "net 60", options=TERMS_CHOICES, columns=2, column=1, help=TERMS_HELP),
        FormField("open", SWITCH, "New terms also for open invoices", False, help=OPEN_HELP),
    ))

    delay_change_days: int | None = None
    terms: Terms | None = None
    apply_to_open: bool = False

    def check(self) -> None:
        """Refuse both or neither of a delay and new terms, and a delay beyond a year."""
        check_range("delay_change_days", self.delay_change_days, -365, 365)
        if (self.delay_change_days is None) == (self.terms is None):
            raise LeverError("terms or delay_change_days must be given (one of them, not both)")

    def apply(self, work: Work) -> None:
        """Give the supplier invoices in scope new terms, or move their payments by the delay."""
        rows = np.flatnonzero(work.in_scope(self.scope, self.SIDE))
        start = work.start_offset(self.start)
        if self.terms is not None:
            if exceeds_french_legal_cap(self.terms):
                work.warn(Message(
                    "Supplier terms: '{terms}' exceeds the French legal cap (60 days from invoice date, or 45 "
                    "days end of month; Code de commerce L441-10)", terms=self.terms.label()))
            work.new_terms(rows, self.terms, start, self.apply_to_open)
            return
        delay = self.delay_change_days or 0
        work.shift_payments(rows, start, delay)
        if delay > 0:
            self._warn_stretched_suppliers(work, delay)

    def _warn_stretched_suppliers(self, work: Work, delay: int) -> None:
        """Warn when paying `delay` days later puts suppliers beyond 60 days from invoice date."""
        cps = work.context.counterparties
        suppliers = cps[cps[C.KIND] == C.SUPPLIER]
        suppliers = suppliers[self.scope.mask(suppliers[C.SEGMENT], suppliers[C.COUNTERPARTY_ID])]
        days = suppliers[C.TERMS].map(_max_days).to_numpy(dtype=float) + float(delay)
        beyond = suppliers[days > LEGAL_CAP_NET_DAYS]
        if len(beyond):
            worst = beyond.assign(days=days[days > LEGAL_CAP_NET_DAYS]).sort_values("days").iloc[-1]
            work.warn(CountedMessage(
                "Supplier terms: paying {days} days later puts {n} supplier beyond the French legal cap of 60 days "
                "from invoice date ({name}: {terms} + {days} days = up to {worst} days; Code de commerce L441-10)",
                "Supplier terms: paying {days} days later puts {n} suppliers beyond the French legal cap of 60 days "
                "from invoice date (e.g. {name}: {terms} + {days} days = up to {worst} days; Code de commerce "
                "L441-10)", len(beyond), days=delay, name=worst[C.NAME], terms=worst[C.TERMS],
                worst=int(worst["days"])))

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: date | None) -> Self | None:
        """Return the lever of the chosen mode (a delay of 0 days is no lever)."""
        if values["mode"] == SUPPLIER_MODES[1] and values["days"]:
            return cls(scope=scope, start=start, delay_change_days=int(values["days"]))
        if values["mode"] == SUPPLIER_MODES[2]:
            return cls(scope=scope, start=start, terms=parse_terms(values["terms"]),
                       apply_to_open=bool(values["open"]))
        return None

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        if self.terms is not None:
            return {"mode": SUPPLIER_MODES[2], "terms": self.terms.label(), "open": self.apply_to_open}
        return {"mode": SUPPLIER_MODES[1], "days": self.delay_change_days}


def _max_days(text: object) -> float:
    """Return the longest invoice-to-due span of a counterparty's terms text (NaN when unknown).

    The ledger's terms are data, parsed here for a warning only (parse_terms caches each spelling).
    """
    try:
        return float(max_days_from_invoice(parse_terms(str(text))))
    except Exception:  # noqa: BLE001 - unparseable or missing terms: no warning can be derived
        return float("nan")


@register
@dataclass(frozen=True, kw_only=True)
class CollectionEffort(Lever):
    """Payments expected from the start date come `delay_change_days` earlier and/or with less lateness,
    the effect building up over `ramp_weeks` (a collection plan does not act on every client on day one)."""

    TYPE: ClassVar[str] = "collection_effort"
    NAME: ClassVar[str] = "collection effort"
    ORDER: ClassVar[int] = 50
    FORM: ClassVar[LeverForm] = LeverForm("ce", "client", title="Collection effort", expanded=True, position=20,
                                          fields=(
        FormField("delay", NUMBER, "Payments earlier (−) or later (+), days", 0, low=-60, high=60, step=1),
        FormField("lateness", SLIDER, "Lateness cut by (%)", 0, low=0, high=100, step=5,
                  help="50 %: a client 20 days late pays 10 days late"),
        FormField("ramp", NUMBER, "Full effect after (weeks)", DEFAULT_RAMP_WEEKS, low=0, high=52, step=1,
                  help="The effect grows from nothing at the start date to its full size after this many weeks, "
                       "as a collection plan does (new reminders, then calls, then the slow payers). 0: every "
                       "payment from the start date at once."),
    ))

    delay_change_days: int = 0  # -10: every expected payment in scope 10 days earlier
    lateness_reduction_share: float = 0.0  # 0.5: the days past due are halved
    ramp_weeks: int = DEFAULT_RAMP_WEEKS  # the full effect is reached this many weeks after the start

    def check(self) -> None:
        """Refuse a delay beyond a year, a share outside 0..1, a ramp beyond a year, and a lever that changes nothing."""
        check_range("delay_change_days", self.delay_change_days, -365, 365)
        check_range("lateness_reduction_share", self.lateness_reduction_share, 0.0, 1.0)
        check_range("ramp_weeks", self.ramp_weeks, 0, 52)
        if self.delay_change_days == 0 and self.lateness_reduction_share == 0:
            raise LeverError("delay_change_days or lateness_reduction_share must be given (non-zero)")

    def apply(self, work: Work) -> None:
        """Move the expected client payments in scope: lateness cut, then shifted by the delay, ramped in."""
        work.shift_payments(np.flatnonzero(work.in_scope(self.scope, self.SIDE)), work.start_offset(self.start),
                            self.delay_change_days, self.lateness_reduction_share, ramp_days=7 * self.ramp_weeks)

    @classmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: date | None) -> Self | None:
        """Return the lever when either input is not 0."""
        if not values["delay"] and not values["lateness"]:
            return None
        return cls(scope=scope, start=start, delay_change_days=int(values["delay"]),
                   lateness_reduction_share=values["lateness"] / 100, ramp_weeks=int(values["ramp"]))

    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever."""
        return {"delay": self.delay_change_days, "lateness": round(self.lateness_reduction_share * 100),
                "ramp": self.ramp_weeks}
