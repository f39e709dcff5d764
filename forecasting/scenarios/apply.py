"""Applies a scenario's levers to the sampled cash items of a projection, without refitting or re-sampling.

Levers apply in a fixed order whatever the file order: by their class's ORDER (volumes first, then terms,
payment timing, discounts, factoring, and dated flows last: terms change before any row is split); levers of one
kind from the broadest scope to the narrowest (all, then segments, then named counterparties), so "every client at
45 days, client X at 30" gives X 30 days whichever is written first; levers of one kind and scope breadth by their
JSON text, so even two that contradict each other give one result. What each lever does is its class's `apply`
(timing.py, financing.py, flows.py); the working copy they edit is `work.Work`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from forecasting.projection.types import CashItems
from forecasting.scenarios.registry import Lever
from forecasting.scenarios.work import Applied, ScenarioContext, Work

SCOPE_BREADTH = {"all": 0, "segment": 1, "counterparties": 2}  # narrower scopes apply later: they override


def application_order(levers: Iterable[Lever]) -> tuple[Lever, ...]:
    """Return the levers in the order they apply: by ORDER, then broadest scope first, then their JSON text."""
    return tuple(sorted(levers, key=lambda lever: (lever.ORDER, SCOPE_BREADTH[lever.scope.kind],
                                                   json.dumps(lever.to_dict(), sort_keys=True, default=str))))


def apply_levers(cash: CashItems, levers: Iterable[Lever], context: ScenarioContext) -> Applied:
    """Return the cash items with every lever applied in `application_order`, and their costs and warnings."""
    work = Work(cash, context)
    for lever in application_order(levers):
        lever.apply(work)
    return work.finish()
