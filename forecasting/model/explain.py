"""Why a counterparty is forecast as it is: the learned profile behind its payments, in figures a treasurer reads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasting.model.behaviour import BehaviourModel

OWN, SEGMENT, EVERYONE = "own", "segment", "everyone"  # whose history a forecast rests on


@dataclass(frozen=True)
class CounterpartyBehaviour:
    """A counterparty's learned delay (days after the due date) and what it rests on."""

    counterparty_id: str
    rests_on: str  # OWN, SEGMENT (a new counterparty: its segment's behaviour) or EVERYONE
    n_paid: int  # its own paid invoices (0 unless OWN)
    n_open: int
    own_weight: float  # share of its own history in its curve: n / (n + shrinkage k) (0 unless OWN)
    median_delay_days: float
    p10_delay_days: float
    p90_delay_days: float
    p_never: float  # chance an invoice is never paid (expected bad debt)
    drift_days_per_year: float  # how fast its delay moves (negative: paying earlier and earlier)
    settle_weekdays: tuple[int, ...]  # weekdays its money moves on (Monday = 0)
    dispute_rate: float  # chance a new invoice gets disputed
    dispute_extra_median_days: float  # how much later than usual a disputed invoice is paid (the side's)
    half_life_days: float
    dispute_share: float = 1.0  # the share of its amount a settled dispute brings, on average (the side's)
    month_end_batches: bool = False  # paid in month-end batches: on its month's last business day only


def explain(model: BehaviourModel, counterparty_id: str, segment: str | None = None) -> CounterpartyBehaviour:
    """Return the profile the model forecasts `counterparty_id` with (its own, else its segment's, else everyone's)."""
    row = int(model.rows_for(np.array([counterparty_id], dtype=object), np.array([segment], dtype=object))[0])
    profile = model.profiles.iloc[row]
    level = str(profile["level"])
    rests_on = OWN if level == "counterparty" else SEGMENT if level == "segment" else EVERYONE
    n_paid = int(profile["n_paid"]) if rests_on == OWN else 0
    k = model.settings.shrinkage_k
    return CounterpartyBehaviour(
        counterparty_id=str(counterparty_id), rests_on=rests_on, n_paid=n_paid,
        n_open=int(profile["n_open"]) if rests_on == OWN else 0,
        own_weight=n_paid / (n_paid + k) if rests_on == OWN else 0.0,
        median_delay_days=float(profile["median_delay_days"]), p10_delay_days=float(profile["p10_delay_days"]),
        p90_delay_days=float(profile["p90_delay_days"]), p_never=float(profile["p_never"]),
        drift_days_per_year=float(profile.get("drift_days_per_year", 0.0)) if model.drift else 0.0,
        settle_weekdays=tuple(int(d) for d in np.flatnonzero(model.settle_weekdays[row])),
        dispute_rate=float(model.dispute_rate[row]),
        dispute_extra_median_days=model.dispute_extra.median_days(), half_life_days=float(model.half_life_days),
        dispute_share=model.dispute_extra.mean_share(),
        month_end_batches=model.settle_month_end is not None and bool(model.settle_month_end[row]),
    )

