"""Applies a scenario's levers to the sampled cash items of a projection, without refitting or re-sampling.

Levers apply in a fixed order whatever the file order: by their class's ORDER (volumes first, then terms,
payment timing, discounts, factoring, and dated flows last: terms change before any row is split). What each
lever does is its class's `apply` (timing.py, financing.py, flows.py); the working copy they edit is `work.Work`.
"""

from __future__ import annotations

from collections.abc import Iterable

from forecasting.projection.types import CashItems
from forecasting.scenarios.registry import Lever
from forecasting.scenarios.work import Applied, ScenarioContext, Work


def apply_levers(cash: CashItems, levers: Iterable[Lever], context: ScenarioContext) -> Applied:
    """Return the cash items with every lever applied in ORDER (a stable sort), and their costs and warnings."""
    work = Work(cash, context)
    for lever in sorted(levers, key=lambda lever: lever.ORDER):
        lever.apply(work)
    return work.finish()
