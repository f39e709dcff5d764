"""The What-if form's session values <-> a scenario's levers, for every registered lever (no Streamlit in here).

Each lever class says what it shows (its FORM: section, title, fields) and how its values read back
(`from_form`, `to_form`); this module only names the session keys — `wi_<form key>_<field key>`, a scope per
section (`wi_<section>_scope`, `_segments`, `_ids`) and one start date (`wi_start`) — and walks the levers.
The form holds one lever of each type. A saved scenario that does not fit that shape is loaded as far as it
fits, and the levers left out are named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from forecasting.core.errors import CashpilotError
from forecasting.scenarios.catalog import lever_types
from forecasting.scenarios.form import CLIENTS, DATE, SECTIONS, FormField, LeverForm, Section
from forecasting.scenarios.registry import Lever
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.scope import LeverError, Scope

SCOPE_ALL, SCOPE_SEGMENTS, SCOPE_CHOSEN = "All", "Segments", "Chosen"
SCOPE_NAMES = {"all": "all", "segment": "segment", "counterparties": "counterparties"}
START = "wi_start"


def _plain(text: str, **values: Any) -> str:
    """Return `text` with its placeholders filled (the English default of form_from_scenario's `say`)."""
    return text.format(**values)


def field_key(form: LeverForm, key: str) -> str:
    """Return the session key of one field (by its key) of a lever's form."""
    return f"wi_{form.key}_{key}"


def scope_key(section: Section, part: str) -> str:
    """Return the session key of a section's scope widget: part 'scope', 'segments' or 'ids'."""
    return f"wi_{section.key}_{part}"


def sections() -> list[tuple[Section, list[type[Lever]]]]:
    """Return each section of the form with the lever classes it shows, in their order (empty sections left out)."""
    out = []
    for section in SECTIONS:
        levers = sorted((cls for cls in lever_types() if cls.FORM.section == section.key),
                        key=lambda cls: (cls.FORM.position, cls.TYPE))
        if levers:
            out.append((section, levers))
    return out


def _default(field: FormField, as_of: date) -> Any:
    """Return a field's first value in the session (a date after as-of for dates, a list for multiselects)."""
    if field.kind == DATE and isinstance(field.default, timedelta):
        return as_of + field.default
    if field.kind == CLIENTS:
        return list(field.default) if isinstance(field.default, tuple) else []
    return field.default


def defaults(as_of: date) -> dict[str, Any]:
    """Return the form's neutral values: a scenario equal to the baseline."""
    values: dict[str, Any] = {START: as_of + timedelta(days=1)}
    for section, levers in sections():
        if section.side is not None:
            values |= {scope_key(section, "scope"): SCOPE_ALL, scope_key(section, "segments"): [],
                       scope_key(section, "ids"): []}
        for cls in levers:
            values |= {field_key(cls.FORM, f.key): _default(f, as_of) for f in cls.FORM.fields}
    return values


def _scope(values: Mapping[str, Any], section: Section) -> Scope:
    """Return the scope a section's scope widgets describe (all when it has none, or none is chosen)."""
    if section.side is None:
        return Scope()
    kind = values[scope_key(section, "scope")]
    if kind == SCOPE_SEGMENTS and values[scope_key(section, "segments")]:
        return Scope("segment", tuple(str(v) for v in values[scope_key(section, "segments")]))
    if kind == SCOPE_CHOSEN and values[scope_key(section, "ids")]:
        return Scope("counterparties", tuple(str(v) for v in values[scope_key(section, "ids")]))
    return Scope()


def levers_from_form(values: Mapping[str, Any], as_of: date) -> tuple[Lever, ...]:
    """Return the levers the form's values describe (empty when every lever is neutral).

    Raises LeverError naming the lever, as a scenario file would ("lever 2 (factoring): ...").
    """
    start = values[START]
    start = start if start and start > as_of + timedelta(days=1) else None  # the default: no start written
    levers: list[Lever] = []
    for section, classes in sections():
        scope = _scope(values, section)
        for cls in classes:
            own = {f.key: values[field_key(cls.FORM, f.key)] for f in cls.FORM.fields}
            try:
                lever = cls.from_form(own, scope if cls.FORM.uses_scope else Scope(), start)
            except CashpilotError as exc:
                raise LeverError(f"lever {len(levers) + 1} ({cls.TYPE}): {exc}") from None
            if lever is not None:
                levers.append(lever)
    return tuple(levers)


def scenario_from_form(values: Mapping[str, Any], as_of: date, name: str = "Current levers") -> Scenario | None:
    """Return the scenario of the form's levers, None when every lever is neutral."""
    levers = levers_from_form(values, as_of)
    return Scenario(name, levers) if levers else None


def _section(key: str) -> Section:
    """Return the section of a key."""
    return next(s for s in SECTIONS if s.key == key)


def form_from_scenario(scenario: Scenario, as_of: date, say: Callable[..., str] = _plain
                       ) -> tuple[dict[str, Any], list[str]]:
    """Return form values loading the scenario, and the levers the form could not hold (worded by `say`)."""
    values = defaults(as_of)
    left_out: list[str] = []
    seen: set[str] = set()
    for lever in scenario.levers:
        name = say(lever.NAME)
        if lever.TYPE in seen:
            left_out.append(say("a second {kind} lever", kind=name))
            continue
        seen.add(lever.TYPE)
        if not lever.fits_form():
            left_out.append(say("{kind} on a {scope} scope", kind=name,
                                scope=say(SCOPE_NAMES.get(lever.scope.kind, lever.scope.kind))))
            continue
        form = lever.FORM
        section = _section(form.section)
        if form.uses_scope and section.side is not None:
            kind = {"all": SCOPE_ALL, "segment": SCOPE_SEGMENTS}.get(lever.scope.kind, SCOPE_CHOSEN)
            values[scope_key(section, "scope")] = kind
            values[scope_key(section, "segments")] = list(lever.scope.values) if kind == SCOPE_SEGMENTS else []
            values[scope_key(section, "ids")] = list(lever.scope.values) if kind == SCOPE_CHOSEN else []
        if lever.start is not None:
            values[START] = lever.start
        values |= {field_key(form, k): v for k, v in lever.to_form().items()}
    return values, left_out
