"""Reads the fields of one lever's JSON object, checking each one's type and naming the lever in every error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from forecasting.core.errors import InputError
from forecasting.core.terms import Terms, parse_terms
from forecasting.scenarios.scope import LeverError, Scope, fmt

T = TypeVar("T")


class Reader:
    """The fields of one lever's JSON object: each read once, typed, and the unread ones refused at the end."""

    def __init__(self, raw: dict[str, Any], where: str) -> None:
        """Keep the object and the lever's place for messages, e.g. "lever 2 (factoring)"."""
        self.raw, self.where, self.used = raw, where, {"type"}

    def fail(self, name: str, message: str) -> LeverError:
        """Return the error of one field."""
        return LeverError(f"{self.where}: {name} {message}")

    def has(self, name: str) -> bool:
        """Return True when the field is given (and not null)."""
        return self.raw.get(name) is not None

    def _take(self, name: str, required: bool) -> Any:
        """Return the raw value of a field (None when absent), marking it read."""
        self.used.add(name)
        if not self.has(name):
            if required:
                raise self.fail(name, "is missing")
            return None
        return self.raw[name]

    def number(self, name: str, required: bool = False) -> float | None:
        """Return a number field (None when absent)."""
        value = self._take(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"must be a number, got {value!r}")
        return float(value)

    def integer(self, name: str, required: bool = False) -> int | None:
        """Return a whole-number field (None when absent)."""
        value = self.number(name, required)
        if value is None:
            return None
        if value != int(value):
            raise self.fail(name, f"must be a whole number of days, got {fmt(value)}")
        return int(value)

    def boolean(self, name: str, required: bool = False) -> bool | None:
        """Return a true/false field (None when absent)."""
        value = self._take(name, required)
        if value is not None and not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, got {value!r}")
        return value

    def text(self, name: str, required: bool = False) -> str | None:
        """Return a text field, stripped (None when absent)."""
        value = self._take(name, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, f"must be a non-empty text, got {value!r}")
        return value.strip()

    def day(self, name: str, required: bool = False) -> date | None:
        """Return an ISO date field (None when absent)."""
        text = self.text(name, required)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(name, f"must be a date YYYY-MM-DD, got {text!r}") from None

    def terms(self, name: str, required: bool = False) -> Terms | None:
        """Return a payment-terms field, parsed (None when absent)."""
        text = self.text(name, required)
        if text is None:
            return None
        try:
            return parse_terms(text)
        except InputError as exc:
            raise self.fail(name, f"is not payment terms: {exc}") from None

    def typed(self, name: str, kind: type, required: bool) -> Any:
        """Return a field read as `kind` (float, int, bool, str, date or Terms; None when absent)."""
        readers: dict[type, Callable[[str, bool], Any]] = {float: self.number, int: self.integer, bool: self.boolean, str: self.text, date: self.day,
                   Terms: self.terms}
        if kind not in readers:
            raise TypeError(f"{self.where}: no JSON reader for field {name!r} of type {kind!r}")
        return readers[kind](name, required)

    def scope(self) -> Scope:
        """Return the scope field (default: all)."""
        self.used.add("scope")
        raw = self.raw.get("scope", {"kind": "all"})
        if isinstance(raw, str):
            raw = {"kind": raw}
        if not isinstance(raw, dict):
            raise self.fail("scope", f'must be an object such as {{"kind": "all"}}, got {raw!r}')
        kind = raw.get("kind")
        if kind not in ("segment", "counterparties"):
            return self.built(Scope, kind=kind)
        key = "segments" if kind == "segment" else "ids"
        values = raw.get(key, raw.get("segment" if kind == "segment" else "counterparty_ids"))  # older spellings
        values = [values] if isinstance(values, str) else values
        if not values or not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
            raise self.fail(f"scope.{key}", f"must list at least one {'segment' if kind == 'segment' else 'id'}")
        return Scope(kind, tuple(str(v) for v in values))

    def built(self, cls: type[T], **fields: Any) -> T:
        """Return cls(**fields), its LeverError (a field's own check) naming this lever."""
        try:
            return cls(**fields)
        except LeverError as exc:
            raise LeverError(f"{self.where}: {exc}") from None

    def finish(self) -> None:
        """Refuse fields this lever does not know (a typo would otherwise be silently ignored)."""
        unknown = sorted(set(self.raw) - self.used)
        if unknown:
            raise self.fail(unknown[0], "is not a field of this lever")
