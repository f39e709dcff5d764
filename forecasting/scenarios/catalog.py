"""Every lever type a scenario may hold: the built-in families, imported so they register, and their look-ups.

Scenario files, the CLI and the What-if page find lever types here.

A new lever type is one class decorated with `@register` in a family module (or anywhere imported before
use, such as a test); its French texts go in the i18n catalog.
"""

from __future__ import annotations

from forecasting.scenarios import financing, flows, timing  # noqa: F401 - importing a family registers its levers
from forecasting.scenarios.registry import Lever, registered


def lever_types() -> tuple[type[Lever], ...]:
    """Return every lever class, built-in and registered since, in application order."""
    return registered()


def lever_class(name: str) -> type[Lever] | None:
    """Return the lever class of a JSON "type", None when no lever has it."""
    return next((cls for cls in registered() if name == cls.TYPE), None)
