"""What-if levers: frozen dataclasses read from (and written back to) scenario JSON, every field checked.

A lever has a `scope` (all counterparties of its side, some segments, or listed counterparties) and an
optional `start` date (default: the day after as-of). A bad file is refused with the lever's position,
its type and the field at fault, e.g. `lever 2 (factoring): advance_rate must be between 0 and 1, got 1.4`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, ClassVar

from forecasting.core.errors import InputError
from forecasting.core.terms import Terms, parse_terms

SCOPE_KINDS = ("all", "segment", "counterparties")
FLOW_CATEGORIES = ("capex", "financing", "loan", "tax", "payroll", "social", "vat", "rent", "other")
_DISCOUNT_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*/\s*(\d+)\s*(?:,|;)?\s*(?:net|n)\s*(\d+)\s*$", re.IGNORECASE)


class LeverError(InputError):
    """A lever field is missing, unknown or impossible."""


@dataclass(frozen=True)
class Scope:
    """Which counterparties a lever touches: all of its side, some segments, or listed ids."""

    kind: str = "all"
    values: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the scope."""
        if self.kind == "segment":
            return {"kind": "segment", "segments": list(self.values)}
        if self.kind == "counterparties":
            return {"kind": "counterparties", "ids": list(self.values)}
        return {"kind": "all"}

    def describe(self) -> str:
        """Return the scope in words."""
        if self.kind == "all":
            return "all"
        head = ", ".join(self.values[:3]) + ("…" if len(self.values) > 3 else "")
        return f"{'segment' if self.kind == 'segment' else 'counterparties'} {head}"


@dataclass(frozen=True)
class Lever:
    """Fields every lever has."""

    TYPE: ClassVar[str] = ""
    SIDE: ClassVar[str] = "receivable"  # whose invoices the scope selects
    scope: Scope = field(default_factory=Scope)
    start: date | None = None  # None: from the day after as-of

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the lever."""
        out: dict[str, Any] = {"type": self.TYPE, "scope": self.scope.to_dict()}
        for f in fields(self):
            if f.name in ("scope",):
                continue
            value = getattr(self, f.name)
            if f.name == "start" and value is None:
                continue
            out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


@dataclass(frozen=True)
class ClientTerms(Lever):
    """New payment terms for client invoices issued from the start date (optionally open ones too)."""

    TYPE: ClassVar[str] = "client_terms"
    terms: str = ""
    apply_to_open: bool = False


@dataclass(frozen=True)
class CollectionEffort(Lever):
    """Payments expected from the start date come `delay_change_days` earlier and/or with less lateness."""

    TYPE: ClassVar[str] = "collection_effort"
    delay_change_days: int = 0  # -10: every expected payment in scope 10 days earlier
    lateness_reduction_share: float = 0.0  # 0.5: the days past due are halved


@dataclass(frozen=True)
class EarlyPaymentDiscount(Lever):
    """`d/D net N` offered on client invoices issued from the start date; `take_up_share` of them take it."""

    TYPE: ClassVar[str] = "early_payment_discount"
    discount_rate: float = 0.0  # d, a fraction: 0.02
    discount_days: int = 0  # D
    net_days: int = 0  # N: the terms of those who do not take the discount
    take_up_share: float = 0.0


@dataclass(frozen=True)
class Factoring(Lever):
    """A share of client invoices assigned to a factor: advance at assignment, the rest at collection."""

    TYPE: ClassVar[str] = "factoring"
    share: float = 0.0  # of the invoices in scope (by amount)
    advance_rate: float = 0.9
    service_fee_rate: float = 0.005  # of the assigned amount TTC
    financing_rate: float = 0.05  # yearly (Euribor + margin), on the advance, per days / 360
    include_open: bool = True  # also assign open invoices not yet due (never disputed or overdue ones)


@dataclass(frozen=True)
class SupplierTerms(Lever):
    """Pay suppliers `delay_change_days` later (or earlier), or under new terms for invoices from the start date."""

    TYPE: ClassVar[str] = "supplier_terms"
    SIDE: ClassVar[str] = "payable"
    delay_change_days: int | None = None
    terms: str | None = None
    apply_to_open: bool = False


@dataclass(frozen=True)
class SupplierDiscount(Lever):
    """Take the early-payment discount `d/D` suppliers offer: pay D days after issue, d less."""

    TYPE: ClassVar[str] = "supplier_discount"
    SIDE: ClassVar[str] = "payable"
    discount_rate: float = 0.0
    discount_days: int = 0
    take_up_share: float = 1.0  # share of supplier invoices (by amount) where the discount is offered and taken


@dataclass(frozen=True)
class Activity(Lever):
    """Future sales and/or purchases changed by a percentage (invoices issued from the start date)."""

    TYPE: ClassVar[str] = "activity"
    sales_change_pct: float = 0.0
    purchases_change_pct: float = 0.0


@dataclass(frozen=True)
class ClientDefault(Lever):
    """The clients in scope default at the start date: their open invoices become bad debt."""

    TYPE: ClassVar[str] = "client_default"
    stop_sales: bool = False  # also invoice them nothing more


@dataclass(frozen=True)
class OneOffFlow(Lever):
    """A dated cash movement: + inflow (loan drawdown, asset sale), − outflow (capex, dividend)."""

    TYPE: ClassVar[str] = "one_off_flow"
    date: date | None = None
    amount: float = 0.0  # EUR, signed
    label: str = "one-off flow"
    category: str = "other"


LEVER_TYPES: dict[str, type[Lever]] = {cls.TYPE: cls for cls in (
    ClientTerms, CollectionEffort, EarlyPaymentDiscount, Factoring, SupplierTerms, SupplierDiscount, Activity,
    ClientDefault, OneOffFlow)}


# --- reading JSON ----------------------------------------------------------------------------------
class _Reader:
    """Reads the fields of one lever's JSON object, naming the lever in every error."""

    def __init__(self, raw: dict[str, Any], where: str) -> None:
        self.raw, self.where, self.used = raw, where, {"type"}

    def fail(self, name: str, message: str) -> LeverError:
        """Return the error of one field."""
        return LeverError(f"{self.where}: {name} {message}")

    def has(self, name: str) -> bool:
        """Return True when the field is given (and not null)."""
        return self.raw.get(name) is not None

    def number(self, name: str, default: float | None = None, low: float | None = None, high: float | None = None,
               required: bool = False) -> float | None:
        """Return a number field, checked against [low, high]."""
        self.used.add(name)
        if not self.has(name):
            if required:
                raise self.fail(name, "is missing")
            return default
        value = self.raw[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"must be a number, got {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (f"between {_fmt(low)} and {_fmt(high)}" if low is not None and high is not None
                      else f"at least {_fmt(low)}" if low is not None else f"at most {_fmt(high)}")
            raise self.fail(name, f"must be {bounds}, got {_fmt(value)}")
        return float(value)

    def integer(self, name: str, default: int | None = None, low: int | None = None, high: int | None = None,
                required: bool = False) -> int | None:
        """Return a whole-number field."""
        value = self.number(name, default, low, high, required)
        if value is None:
            return None
        if value != int(value):
            raise self.fail(name, f"must be a whole number of days, got {_fmt(value)}")
        return int(value)

    def boolean(self, name: str, default: bool) -> bool:
        """Return a true/false field."""
        self.used.add(name)
        if not self.has(name):
            return default
        if not isinstance(self.raw[name], bool):
            raise self.fail(name, f"must be true or false, got {self.raw[name]!r}")
        return bool(self.raw[name])

    def text(self, name: str, default: str | None = None, required: bool = False) -> str | None:
        """Return a text field."""
        self.used.add(name)
        if not self.has(name):
            if required:
                raise self.fail(name, "is missing")
            return default
        if not isinstance(self.raw[name], str) or not self.raw[name].strip():
            raise self.fail(name, f"must be a non-empty text, got {self.raw[name]!r}")
        return self.raw[name].strip()

    def day(self, name: str, required: bool = False) -> date | None:
        """Return an ISO date field."""
        text = self.text(name, required=required)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(name, f"must be a date YYYY-MM-DD, got {text!r}") from None

    def terms(self, name: str, required: bool = False) -> str | None:
        """Return a payment-terms field in its canonical spelling."""
        text = self.text(name, required=required)
        if text is None:
            return None
        try:
            return parse_terms(text).label()
        except InputError as exc:
            raise self.fail(name, f"is not payment terms: {exc}") from None

    def scope(self) -> Scope:
        """Return the scope field (default: all)."""
        self.used.add("scope")
        raw = self.raw.get("scope", {"kind": "all"})
        if isinstance(raw, str):
            raw = {"kind": raw}
        if not isinstance(raw, dict):
            raise self.fail("scope", f'must be an object such as {{"kind": "all"}}, got {raw!r}')
        kind = raw.get("kind")
        if kind not in SCOPE_KINDS:
            raise self.fail("scope.kind", f"must be one of {', '.join(SCOPE_KINDS)}, got {kind!r}")
        if kind == "all":
            return Scope()
        key = "segments" if kind == "segment" else "ids"
        values = raw.get(key, raw.get("segment" if kind == "segment" else "counterparty_ids"))
        values = [values] if isinstance(values, str) else values
        if not values or not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
            raise self.fail(f"scope.{key}", f"must list at least one {'segment' if kind == 'segment' else 'id'}")
        return Scope(kind, tuple(str(v) for v in values))

    def finish(self) -> None:
        """Refuse fields this lever does not know (a typo would otherwise be silently ignored)."""
        unknown = sorted(set(self.raw) - self.used)
        if unknown:
            raise self.fail(unknown[0], "is not a field of this lever")


def _fmt(value: float | None) -> str:
    """Return a number without a useless '.0'."""
    return f"{value:g}" if value is not None else ""


def parse_discount_terms(text: str) -> tuple[float, int, int]:
    """Return (d, D, N) of discount terms written like '2/10 net 30' (d in percent)."""
    match = _DISCOUNT_RE.match(text)
    if not match:
        raise InputError(f"'{text}' is not discount terms: expected e.g. '2/10 net 30'")
    return float(match.group(1).replace(",", ".")) / 100, int(match.group(2)), int(match.group(3))


def lever_from_dict(raw: Any, position: int) -> Lever:
    """Return the lever described by one JSON object (position counts from 1, for messages)."""
    if not isinstance(raw, dict):
        raise LeverError(f"lever {position}: expected an object with a \"type\", got {raw!r}")
    kind = raw.get("type")
    if kind not in LEVER_TYPES:
        raise LeverError(f"lever {position}: unknown lever type {kind!r}; the levers are: {', '.join(LEVER_TYPES)}")
    r = _Reader(raw, f"lever {position} ({kind})")
    common = {"scope": r.scope(), "start": r.day("start")}
    lever = _BUILDERS[kind](r, common)
    r.finish()
    return lever


def _client_terms(r: _Reader, common: dict[str, Any]) -> Lever:
    return ClientTerms(**common, terms=r.terms("terms", required=True), apply_to_open=r.boolean("apply_to_open", False))


def _collection(r: _Reader, common: dict[str, Any]) -> Lever:
    delay = r.integer("delay_change_days", 0, -365, 365)
    share = r.number("lateness_reduction_share", 0.0, 0.0, 1.0)
    if delay == 0 and share == 0:
        raise r.fail("delay_change_days", "or lateness_reduction_share must be given (non-zero)")
    return CollectionEffort(**common, delay_change_days=delay, lateness_reduction_share=share)


def _discount_fields(r: _Reader, with_net: bool) -> tuple[float, int, int | None]:
    """Return (d, D, N) from a 'terms' text such as '2/10 net 30' or from separate fields."""
    if r.has("terms"):
        text = r.text("terms")
        try:
            d, days, net = parse_discount_terms(text)
        except InputError as exc:
            raise r.fail("terms", str(exc)) from None
    else:
        pct = r.number("discount_pct", None, 0, 50)
        d = r.number("discount_rate", None if pct is None else pct / 100, 0, 0.5, required=pct is None)
        days = r.integer("discount_days", required=True, low=0, high=365)
        net = r.integer("net_days", required=with_net, low=0, high=365)
    if not 0 < d < 1:
        raise r.fail("discount_rate", f"must be above 0, got {_fmt(d)}")
    if with_net and net is not None and net <= days:
        raise r.fail("net_days", f"must be after the discount days ({days}), got {net}")
    return d, days, net


def _early_discount(r: _Reader, common: dict[str, Any]) -> Lever:
    d, days, net = _discount_fields(r, with_net=True)
    share = r.number("take_up_share", required=True, low=0.0, high=1.0)
    return EarlyPaymentDiscount(**common, discount_rate=d, discount_days=days, net_days=net, take_up_share=share)


def _factoring(r: _Reader, common: dict[str, Any]) -> Lever:
    return Factoring(**common, share=r.number("share", required=True, low=0.0, high=1.0),
                     advance_rate=r.number("advance_rate", 0.9, 0.0, 1.0),
                     service_fee_rate=r.number("service_fee_rate", 0.005, 0.0, 0.1),
                     financing_rate=r.number("financing_rate", 0.05, 0.0, 0.5),
                     include_open=r.boolean("include_open", True))


def _supplier_terms(r: _Reader, common: dict[str, Any]) -> Lever:
    delay = r.integer("delay_change_days", None, -365, 365)
    terms = r.terms("terms")
    if (delay is None) == (terms is None):
        raise r.fail("terms", "or delay_change_days must be given (one of them, not both)")
    return SupplierTerms(**common, delay_change_days=delay, terms=terms, apply_to_open=r.boolean("apply_to_open", False))


def _supplier_discount(r: _Reader, common: dict[str, Any]) -> Lever:
    d, days, _ = _discount_fields(r, with_net=False)
    return SupplierDiscount(**common, discount_rate=d, discount_days=days,
                            take_up_share=r.number("take_up_share", 1.0, 0.0, 1.0))


def _activity(r: _Reader, common: dict[str, Any]) -> Lever:
    sales = r.number("sales_change_pct", 0.0, -100.0, 1000.0)
    purchases = r.number("purchases_change_pct", 0.0, -100.0, 1000.0)
    if sales == 0 and purchases == 0:
        raise r.fail("sales_change_pct", "or purchases_change_pct must be given (non-zero)")
    return Activity(**common, sales_change_pct=sales, purchases_change_pct=purchases)


def _client_default(r: _Reader, common: dict[str, Any]) -> Lever:
    if common["scope"].kind == "all":
        raise r.fail("scope", 'must name the defaulting clients ({"kind": "counterparties", "ids": [...]}) or a segment')
    return ClientDefault(**common, stop_sales=r.boolean("stop_sales", False))


def _one_off(r: _Reader, common: dict[str, Any]) -> Lever:
    amount = r.number("amount", required=True)
    if amount == 0:
        raise r.fail("amount", "must not be 0 (+ inflow, − outflow)")
    category = r.text("category", "other").lower()
    if category not in FLOW_CATEGORIES:
        raise r.fail("category", f"must be one of {', '.join(FLOW_CATEGORIES)}, got {category!r}")
    return OneOffFlow(**common, date=r.day("date", required=True), amount=amount,
                      label=r.text("label", "one-off flow"), category=category)


_BUILDERS = {
    "client_terms": _client_terms, "collection_effort": _collection, "early_payment_discount": _early_discount,
    "factoring": _factoring, "supplier_terms": _supplier_terms, "supplier_discount": _supplier_discount,
    "activity": _activity, "client_default": _client_default, "one_off_flow": _one_off,
}


def discount_yearly_cost(discount_rate: float, discount_days: int, net_days: int) -> float:
    """Return the yearly rate of a d/D net N discount: d / (1 − d) × 365 / (N − D) (0.372 for 2/10 net 30)."""
    if net_days <= discount_days:
        raise InputError(f"net days ({net_days}) must be after the discount days ({discount_days})")
    return discount_rate / (1.0 - discount_rate) * 365.0 / (net_days - discount_days)


def terms_of(text: str) -> Terms:
    """Return parsed terms (a lever's terms are stored in canonical spelling)."""
    return parse_terms(text)
