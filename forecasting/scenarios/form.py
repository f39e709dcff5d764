"""The What-if form as plain data: the page's sections and each lever's fields (kind, label, bounds, default, help).

The page draws them without knowing any lever.

Labels, help and option names are English source texts: the page translates them (`tr`). A field's value
lives in the page's session under `wi_<lever form key>_<field key>`; a lever reads its values back by field key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# Kinds of field, and the widget each is drawn with:
SWITCH = "switch"  # a checkbox: value True/False
NUMBER = "number"  # a number input: int when default and bounds are ints, else float
SLIDER = "slider"  # a slider (ints)
CHOICE = "choice"  # a drop-down list of `options`
RADIO = "radio"  # radio buttons of `options`
DATE = "date"  # a date input; its default is a timedelta after as-of
TEXT = "text"  # a one-line text input
CLIENTS = "clients"  # a multiselect of the ledger's clients (ids, shown by name); value: a list of ids
FIELD_KINDS = (SWITCH, NUMBER, SLIDER, CHOICE, RADIO, DATE, TEXT, CLIENTS)

FieldValue = bool | int | float | str | timedelta | tuple[str, ...]

# The payment terms the form offers (canonical spellings: parse_terms(x).label() == x).
TERMS_CHOICES = ("net 30", "net 45", "net 60", "30 days end of month", "45 days end of month", "net 75", "net 90",
                 "on receipt")


@dataclass(frozen=True)
class FormField:
    """One input of a lever's form."""

    key: str  # the value's name in the lever's form values
    kind: str  # one of FIELD_KINDS
    label: str
    default: FieldValue
    low: int | float | None = None
    high: int | float | None = None
    step: int | float | None = None
    help: str = ""
    options: tuple[str, ...] = ()  # CHOICE and RADIO
    option_names: tuple[tuple[str, str], ...] = ()  # (option, English name shown); an option not named shows itself
    # Fields side by side: consecutive fields with the same `columns` (> 1) share one row of that many columns,
    # each drawn in its `column` (0 = first).
    columns: int = 1
    column: int = 0

    def __post_init__(self) -> None:
        """Reject a field the page could not draw."""
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"unknown form field kind {self.kind!r}: expected one of {', '.join(FIELD_KINDS)}")
        if self.kind in (CHOICE, RADIO) and self.default not in self.options:
            raise ValueError(f"form field {self.key!r}: default {self.default!r} is not one of its options")
        if not 0 <= self.column < self.columns:
            raise ValueError(f"form field {self.key!r}: column {self.column} outside its {self.columns} columns")


@dataclass(frozen=True)
class LeverForm:
    """How the What-if page shows one lever: where, under which title, with which fields."""

    key: str  # short and unique: the fields' session keys are wi_<key>_<field key>
    section: str  # the key of one of SECTIONS
    fields: tuple[FormField, ...]
    title: str | None = None  # the expander's title; None: the fields sit in the section itself
    expanded: bool = False
    position: int = 0  # the lever's place in its section (lower first)
    uses_scope: bool = True  # the lever takes its section's scope (False: it has none, or its own field)

    def __post_init__(self) -> None:
        """Reject a form the page could not draw or whose values would collide."""
        if self.section not in {s.key for s in SECTIONS}:
            raise ValueError(f"lever form {self.key!r}: unknown section {self.section!r}")
        keys = [f.key for f in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"lever form {self.key!r}: two fields share a key")


@dataclass(frozen=True)
class Section:
    """A part of the What-if form: its heading, its column, and the scope its levers share (if any)."""

    key: str  # the scope's session keys are wi_<key>_scope, wi_<key>_segments, wi_<key>_ids
    heading: str
    column: int  # 0: left, 1: right
    side: str | None = None  # "client" or "supplier": whose counterparties the scope lists; None: no scope
    scope_label: str = ""


SECTIONS = (
    Section("client", "**Clients**", 0, "client", "Client levers apply to"),
    Section("sup", "**Suppliers**", 1, "supplier", "Supplier levers apply to"),
    Section("other", "**Activity and one-off flows**", 1),
)
