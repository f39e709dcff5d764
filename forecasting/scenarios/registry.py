"""The Lever base class, which every lever type extends in one class, and the registry of lever types.

A lever type is one frozen dataclass that owns: its JSON `TYPE` and fields (read by their types, checked by
`check`), its place in the application order (`ORDER`), what it does to the cash items (`apply`), its form on
the What-if page (`FORM`, `from_form`, `to_form`) and its display name (`NAME`, translated through `tr`).
`@register` makes it known to scenario files, the CLI and the page; `unregister` forgets it (tests).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Self, TypeVar

from forecasting.core import columns as C
from forecasting.core.terms import Terms
from forecasting.i18n.translate import tr
from forecasting.scenarios.form import LeverForm
from forecasting.scenarios.reading import Reader
from forecasting.scenarios.scope import LeverError, Scope
from forecasting.scenarios.work import Work

COMMON_FIELDS = ("scope", "start")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Lever(ABC):
    """Fields every lever has: a scope (all counterparties of its side by default) and an optional start date."""

    TYPE: ClassVar[str]  # its "type" in scenario JSON
    NAME: ClassVar[str]  # how pages and messages name it (English, translated through tr)
    ORDER: ClassVar[int]  # levers apply by increasing ORDER, whatever the order of the file
    SIDE: ClassVar[str] = C.RECEIVABLE  # whose invoices the scope selects
    FORM: ClassVar[LeverForm]  # its inputs on the What-if page

    scope: Scope = dataclasses.field(default_factory=Scope)
    start: date | None = None  # None: from the day after as-of

    def __post_init__(self) -> None:
        """Refuse an impossible lever however it was built (file, form or code)."""
        if not isinstance(self.scope, Scope):
            raise LeverError(f"scope must be a Scope, got {self.scope!r}")
        if self.start is not None and not isinstance(self.start, date):
            raise LeverError(f"start must be a date, got {self.start!r}")
        self.check()

    def check(self) -> None:  # noqa: B027 - not abstract: a lever without rules of its own keeps it
        """Raise LeverError("<field> <problem>") when a field is impossible (each lever adds its rules)."""

    @abstractmethod
    def apply(self, work: Work) -> None:
        """Change the working cash items as this lever says."""

    # --- JSON ------------------------------------------------------------------------------------
    @classmethod
    def read_fields(cls, r: Reader) -> dict[str, Any]:
        """Return this lever's own fields read from its JSON object, each by its type (absent: its default)."""
        out: dict[str, Any] = {}
        for f in own_fields(cls):
            kind, optional = _field_type(cls, f.name)
            required = not optional and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            value = r.typed(f.name, kind, required)
            if value is not None:
                out[f.name] = value
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the lever (what is saved; read back equal by `Scenario.from_dict`)."""
        out: dict[str, Any] = {"type": self.TYPE, "scope": self.scope.to_dict()}
        if self.start is not None:
            out["start"] = self.start.isoformat()
        for f in own_fields(type(self)):
            out[f.name] = _json_value(getattr(self, f.name))
        return out

    # --- the What-if form -------------------------------------------------------------------------
    @classmethod
    @abstractmethod
    def from_form(cls, values: Mapping[str, Any], scope: Scope, start: date | None) -> Self | None:
        """Return the lever the form's values describe (keyed by FORM's field keys), None when it is neutral.

        `scope` is the form section's scope (all when FORM.uses_scope is False); `start` the form's start date
        (None: the day after as-of).
        """

    @abstractmethod
    def to_form(self) -> dict[str, Any]:
        """Return the form's values showing this lever (keyed by FORM's field keys)."""

    def fits_form(self) -> bool:
        """Return True when the form can show this lever's scope (its section's scope, or all)."""
        return self.FORM.uses_scope or self.scope.kind == "all"

    @classmethod
    def display_name(cls, lang: str) -> str:
        """Return the lever's name in `lang`, e.g. "collection effort" / "effort de recouvrement"."""
        return tr(cls.NAME, lang)


@functools.cache
def own_fields(cls: type[Lever]) -> tuple[dataclasses.Field[Any], ...]:
    """Return a lever class's fields beyond scope and start, in their order."""
    return tuple(f for f in dataclasses.fields(cls) if f.name not in COMMON_FIELDS)


@functools.cache
def _field_type(cls: type[Lever], name: str) -> tuple[type, bool]:
    """Return the type of a field and whether it may be None (`X | None`)."""
    hint = typing.get_type_hints(cls)[name]
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        kinds = [k for k in typing.get_args(hint) if k is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"lever field {cls.__name__}.{name} may be one type or None, not {hint}")
        return kinds[0], len(kinds) < len(typing.get_args(hint))
    return hint, False


def _json_value(value: Any) -> Any:
    """Return a field's value as JSON holds it: terms and dates as text."""
    if isinstance(value, Terms):
        return value.label()
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- the registry -----------------------------------------------------------------------------------
_REGISTERED: dict[str, type[Lever]] = {}
L = TypeVar("L", bound=type[Lever])


def register(cls: L) -> L:
    """Make a lever class known to scenario files, the CLI and the What-if page (a class decorator)."""
    params = cls.__dict__.get("__dataclass_params__")  # set on the class itself only by its own @dataclass
    if params is None or not params.frozen:
        raise TypeError(f"lever class {cls.__name__} must be a frozen dataclass: @dataclass(frozen=True, kw_only=True)")
    for attribute in ("TYPE", "NAME", "ORDER", "FORM"):
        if not hasattr(cls, attribute):
            raise TypeError(f"lever class {cls.__name__} has no {attribute}")
    if cls.TYPE in _REGISTERED and _REGISTERED[cls.TYPE] is not cls:
        raise TypeError(f"two lever classes have the type {cls.TYPE!r}: {_REGISTERED[cls.TYPE].__name__} "
                        f"and {cls.__name__}")
    clash = [other.__name__ for other in _REGISTERED.values() if other.FORM.key == cls.FORM.key and other is not cls]
    if clash:
        raise TypeError(f"lever class {cls.__name__}'s form key {cls.FORM.key!r} is {clash[0]}'s already")
    for f in own_fields(cls):
        _field_type(cls, f.name)  # an unresolvable annotation fails here, not when a file is read
    _REGISTERED[cls.TYPE] = cls
    return cls


def unregister(cls: type[Lever]) -> None:
    """Forget a lever class (a test's toy lever, once the test is over)."""
    if _REGISTERED.get(cls.TYPE) is cls:
        del _REGISTERED[cls.TYPE]


def registered() -> tuple[type[Lever], ...]:
    """Return every registered lever class, in application order (see `catalog` for the built-in ones)."""
    return tuple(sorted(_REGISTERED.values(), key=lambda cls: (cls.ORDER, cls.TYPE)))


def read_lever(raw: Any, position: int) -> Lever:
    """Return the registered lever one JSON object describes (position counts from 1, for messages)."""
    if not isinstance(raw, dict):
        raise LeverError(f"lever {position}: expected an object with a \"type\", got {raw!r}")
    kind = raw.get("type")
    cls = _REGISTERED.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise LeverError(f"lever {position}: unknown lever type {kind!r}; the levers are: "
                         f"{', '.join(c.TYPE for c in registered())}")
    r = Reader(raw, f"lever {position} ({kind})")
    common = {"scope": r.scope(), "start": r.day("start")}
    lever: Lever = r.built(cls, **common, **cls.read_fields(r))
    r.finish()
    return lever
