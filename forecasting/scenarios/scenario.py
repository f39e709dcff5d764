"""A what-if scenario: a name and a tuple of levers, frozen and hashable, and its JSON form (files, saved scenarios).

A bad file is refused with the lever's position, its type and the field at fault, e.g.
`lever 2 (factoring): advance_rate must be between 0 and 1, got 1.4`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from forecasting.scenarios.catalog import lever_types
from forecasting.scenarios.registry import Lever, read_lever
from forecasting.scenarios.scope import LeverError


@dataclass(frozen=True)
class Scenario:
    """A named what-if: levers applied together to the baseline forecast."""

    name: str
    levers: tuple[Lever, ...]
    description: str = ""

    def __post_init__(self) -> None:
        """Keep the levers as a tuple (a list would make the scenario unhashable)."""
        object.__setattr__(self, "levers", tuple(self.levers))

    @classmethod
    def from_dict(cls, raw: Any) -> Scenario:
        """Return the scenario of a JSON object {name, levers: [...]}, every field checked."""
        if not isinstance(raw, dict):
            raise LeverError('a scenario is a JSON object: {"name": "...", "levers": [...]}')
        unknown = sorted(set(raw) - {"name", "levers", "description"})
        if unknown:
            raise LeverError(f"scenario: unknown field '{unknown[0]}' (expected name, levers, description)")
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise LeverError("scenario: name is missing (a non-empty text)")
        levers = raw.get("levers")
        if not isinstance(levers, list) or not levers:
            raise LeverError(f"scenario '{name}': levers must be a non-empty list; the levers are: "
                             f"{', '.join(cls.TYPE for cls in lever_types())}")
        description = raw.get("description", "")
        return cls(name.strip(), tuple(read_lever(lever, i) for i, lever in enumerate(levers, 1)),
                   description if isinstance(description, str) else "")

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        """Return the scenario of a JSON text."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LeverError(f"scenario file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
                             ) from None
        return cls.from_dict(raw)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (what is saved)."""
        out: dict[str, Any] = {"name": self.name, "levers": [lever.to_dict() for lever in self.levers]}
        if self.description:
            out["description"] = self.description
        return out

    def to_json(self) -> str:
        """Return the JSON text saved in the database or a file (non-ASCII letters kept as they are)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)
