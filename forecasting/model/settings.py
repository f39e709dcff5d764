"""How the payment behaviour is learned: every number a treasurer may want to change, checked once."""

from __future__ import annotations

from dataclasses import dataclass

from forecasting.core.errors import InputError

PAYABLES_POLICIES = ("learned", "due_date", "payment_run")
SETTLE_MODES = ("auto", "forward", "nearest")
DRIFT_CHOICES = ("auto", "on", "off")
SEGMENT_CAP_CHOICES = ("auto", "on", "off")
CALIBRATION_GROUPS = ("issued", "not_issued")  # invoices issued by as-of, and those not issued yet


@dataclass(frozen=True)
class BehaviourSettings:
    """How delays are learned; every number a treasurer may want to change."""

    half_life_days: float = 365.0  # an invoice issued this long ago weighs half a fresh one
    shrinkage_k: float = 5.0  # client -> segment, in effective invoices
    segment_shrinkage_k: float = 20.0  # segment -> all counterparties of the side
    disputed_extra_delay_days: int = 60  # fallback: a dispute adds this to the usual delay
    min_delay_days: int = -90  # earlier payments are counted on this day
    never_after_days: int = 365  # unpaid this long after the due date = never paid
    # A weak prior under the global curve: with a handful of invoices, days nobody has reached yet are not
    # "never paid" but follow a broad typical behaviour (paid around the due date, spread over weeks).
    prior_k: float = 3.0  # weight of the prior, in effective invoices (invisible on real histories)
    prior_mean_delay_days: float = 10.0
    prior_sd_delay_days: float = 20.0
    prior_never_share: float = 0.01  # of the prior's invoices never paid: what is left past any follow-up stays unpaid
    payables_policy: str = "learned"  # "learned" | "due_date" | "payment_run"
    payment_run_weekdays: tuple[int, ...] = (3,)  # Monday=0; suppliers paid at the first run on/after due
    calendar_country: str = "FR"  # holidays avoided where the data shows business-day settlement
    # Chosen from the ledger's own history by rolling-origin backtests (model.tuning), unless switched off:
    choose_half_life: bool = True  # among half_life_candidates_days; else half_life_days
    half_life_candidates_days: tuple[float, ...] = (30.0, 90.0, 180.0, 365.0, 730.0)
    drift: str = "auto"  # move each counterparty's curve by its measured drift: "auto" | "on" | "off"
    settle_mode: str = "auto"  # a drawn day off the counterparty's settlement days moves: "forward" | "nearest"
    # Each counterparty weighs at most a few invoices in its segment's and the side's curves (model.behaviour), so they
    # stand for a counterparty one knows little about, not for the largest: "auto" | "on" | "off"
    segment_cap: str = "auto"
    # Counterparties whose payments fall on month ends settled in month-end batches (model.behaviour): "auto" | "on" |
    # "off" ("auto": on, unless the replay does better without)
    month_end_batches: str = "auto"
    calibrate: bool = True  # quantiles corrected so past P10-P90 ranges held about 80 % of payments

    def __post_init__(self) -> None:
        """Reject settings that cannot give a forecast."""
        if self.payables_policy not in PAYABLES_POLICIES:
            raise InputError(f"payables policy must be one of {PAYABLES_POLICIES}, not {self.payables_policy!r}")
        if self.month_end_batches not in SEGMENT_CAP_CHOICES:
            raise InputError(f"month-end batches must be one of {SEGMENT_CAP_CHOICES}, not {self.month_end_batches!r}")
        if self.segment_cap not in SEGMENT_CAP_CHOICES:
            raise InputError(f"segment cap must be one of {SEGMENT_CAP_CHOICES}, not {self.segment_cap!r}")
        if self.never_after_days <= 0 or self.min_delay_days >= 0:
            raise InputError("never_after_days must be > 0 and min_delay_days < 0")
        if not 0.0 <= self.prior_never_share < 1.0:
            raise InputError(f"prior_never_share must be in [0, 1), not {self.prior_never_share}")
        if self.drift not in DRIFT_CHOICES:
            raise InputError(f"drift must be one of {DRIFT_CHOICES}, not {self.drift!r}")
        if self.settle_mode not in SETTLE_MODES:
            raise InputError(f"settle mode must be one of {SETTLE_MODES}, not {self.settle_mode!r}")


DEFAULT_BEHAVIOUR = BehaviourSettings()
