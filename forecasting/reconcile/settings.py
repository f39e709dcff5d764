"""The matching's settings: tolerances, date window and the confidence thresholds that decide what is applied."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchSettings:
    """How close a movement must be to invoices to be matched, and how sure to be applied without a look.

    - fee_tolerance: a receipt may be short of the invoices by up to this much in the invoice currency (a bank's
      fee on a foreign or instant transfer, deducted by the paying bank);
    - discount_rate: or by up to this share of them (an early-payment discount taken, 2 % in "2/10 net 30");
    - max_days_late: an invoice is a candidate from its issue date to this many days after its due date;
    - auto_threshold and margin: a match is applied without a look when its confidence is at least
      auto_threshold and beats the movement's next candidate by at least margin (and no other movement's sure
      match claims the same invoice); below, it is proposed when at least min_confidence (max_proposals per
      movement at most).
    """

    fee_tolerance: float = 30.0
    discount_rate: float = 0.03
    max_days_late: int = 365
    auto_threshold: float = 0.9
    margin: float = 0.1
    min_confidence: float = 0.4
    max_proposals: int = 3
