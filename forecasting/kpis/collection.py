"""Collection: French late-payment penalties owed to us, and the ranked dunning list with reminder levels.

Choices:
- Penalty rate = ECB rate + 10 points, never below 3 × the legal interest rate. The ECB rate is the single
  `ecb_rate` setting, applied to every late day (set it to the rate of the half-year being claimed).
- Interest runs from the day after the due date on what was still unpaid each day: an open invoice accrues
  on its open amount until as_of, and each payment made after the due date accrues on its own amount until
  its date (so a partly paid invoice counts for its open amount, and for the lateness of its late parts).
- A credit note set against an invoice is no payment: penalties are owed on a late *payment* (L441-10), and the
  credited part was no longer owed (DOMAIN.md: credit notes reduce what is due), so it accrues no interest, neither
  before nor after the credit note's date. An invoice settled by credit notes alone was never paid late (no
  interest, no indemnity); one settled partly in cash was paid late when that cash came after its due date
  (`CASH_DATE`: the `paid_date` and days late shown), on the cash alone.
- What is still claimable (`penalty_policy`): by default the invoices still open and overdue at as_of (a
  reminder or a formal notice can add the penalties to what it claims); `open_and_paid_late` adds those paid
  after their due date within `penalty_lookback_days` (a company that invoices penalties after the fact).
  Credit notes, written-off invoices and claims time-barred (due more than five calendar years before as_of,
  Code de commerce L110-4) are left out. Each late invoice adds the fixed recovery indemnity (L441-10, D441-5).
- Dunning risk: `behaviour_risk` by client when given (e.g. the behaviour model's probability of never
  being paid); otherwise a ranking heuristic, not a probability: a prior by rating (A 5 %, B 10 %,
  C 20 %, D 40 %) + days overdue / 365 + 25 points if disputed, capped at 1. Priority = open amount × risk.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.kpis.base import (
    AMOUNT_EUR,
    DAYS_OVERDUE,
    DAYS_PER_YEAR,
    OPEN,
    OPEN_EUR,
    OPEN_TOLERANCE_EUR,
    PAID,
    PAYMENT_LATE_DAYS,
    PENALTIES_PAID_LATE_TOO,
    KpiBasis,
    KpiSettings,
    kpi_basis,
    time_barred,
)
from forecasting.kpis.blocks import PenaltyTotals
from forecasting.kpis.clients import scorecard_from
from forecasting.model.settlement import CASH_DATE, PAID_DATE

PENALTY_MARGIN = 0.10  # ECB + 10 points (Code de commerce L441-10)
LEGAL_RATE_FLOOR_MULTIPLE = 3.0
DUNNING_LEVELS = (
    "1 — friendly reminder",
    "2 — formal reminder",
    "3 — formal notice (mise en demeure)",
    "4 — collection / litigation",
)
RATING_RISK = {"A": 0.05, "B": 0.10, "C": 0.20, "D": 0.40}
DISPUTED_RISK = 0.25
_KEY = [C.SOURCE, C.INVOICE_ID]


def penalty_rate(settings: KpiSettings) -> float:
    """Return the yearly late-payment rate: ECB + 10 points, floored at 3 × the legal interest rate."""
    return max(settings.ecb_rate + PENALTY_MARGIN, LEGAL_RATE_FLOOR_MULTIPLE * settings.legal_interest_rate)


def late_interest_eur(amount_eur: float | npt.NDArray[np.float64], days_late: float | npt.NDArray[np.float64],
                      rate: float) -> float | npt.NDArray[np.float64]:
    """Return late-payment interest = amount × yearly rate × days late / 365."""
    return amount_eur * rate * days_late / DAYS_PER_YEAR


def dunning_level(days_overdue: npt.ArrayLike, disputed: npt.ArrayLike, settings: KpiSettings
                  ) -> npt.NDArray[np.object_]:
    """Return the suggested reminder level of each overdue invoice (disputed ones go straight to level 4)."""
    days = np.asarray(days_overdue)
    first, second, third = settings.dunning_levels_days
    level = np.select([days <= first, days <= second, days <= third], [0, 1, 2], default=3)
    level = np.where(np.asarray(disputed, dtype=bool), 3, level)
    return np.asarray(np.asarray(DUNNING_LEVELS, dtype=object)[level], dtype=object)


def penalties_from(basis: KpiBasis, settings: KpiSettings) -> pd.DataFrame:
    """Return one row per late invoice owed to us: days late, interest, indemnity, total, its cash's paid_date."""
    rec = basis.receivables
    rate = penalty_rate(settings)
    positive = rec[AMOUNT_EUR] > 0
    claimable = ~time_barred(rec[C.DUE_DATE], basis.as_of)  # claimable on the fifth anniversary, whatever the 29 Febs
    open_late = (rec[C.STATUS] == OPEN) & (rec[OPEN_EUR] > OPEN_TOLERANCE_EUR) & (rec[DAYS_OVERDUE] > 0)
    # paid late: its cash came after the due date (CASH_DATE is NaT when credit notes alone settled it: never late)
    paid_late = ((rec[C.STATUS] == PAID) & (rec[CASH_DATE] > rec[C.DUE_DATE])
                 & (rec[CASH_DATE] > basis.as_of - pd.Timedelta(days=settings.penalty_lookback_days))
                 & (settings.penalty_policy == PENALTIES_PAID_LATE_TOO))
    late = rec[positive & claimable & (open_late | paid_late)]
    pay = basis.receipts  # cash alone: a credited part accrues nothing
    paid_amount_days = (pay[AMOUNT_EUR] * pay[PAYMENT_LATE_DAYS]).groupby([pay[C.SOURCE], pay[C.INVOICE_ID]]).sum()
    keys = pd.MultiIndex.from_frame(late[_KEY])
    is_open = (late[C.STATUS] == OPEN).to_numpy()
    open_amount_days = np.where(is_open, late[OPEN_EUR].to_numpy(float) * late[DAYS_OVERDUE].to_numpy(float), 0.0)
    amount_days = paid_amount_days.reindex(keys).fillna(0.0).to_numpy() + open_amount_days
    names = basis.clients.set_index(C.COUNTERPARTY_ID)[C.NAME]
    interest = late_interest_eur(amount_days, 1.0, rate)
    indemnity = np.full(len(late), settings.recovery_indemnity_eur)
    frame = pd.DataFrame({
        C.SOURCE: late[C.SOURCE].to_numpy(), C.INVOICE_ID: late[C.INVOICE_ID].to_numpy(),
        C.COUNTERPARTY_ID: late[C.COUNTERPARTY_ID].to_numpy(),
        C.NAME: late[C.COUNTERPARTY_ID].map(names).fillna(late[C.COUNTERPARTY_ID]).to_numpy(),
        C.ISSUE_DATE: late[C.ISSUE_DATE].to_numpy(), C.DUE_DATE: late[C.DUE_DATE].to_numpy(),
        PAID_DATE: late[CASH_DATE].to_numpy(), C.STATUS: late[C.STATUS].to_numpy(),
        C.DISPUTED: late[C.DISPUTED].to_numpy(bool), AMOUNT_EUR: late[AMOUNT_EUR].to_numpy(float),
        OPEN_EUR: late[OPEN_EUR].to_numpy(float),
        "days_late": np.where(is_open, late[DAYS_OVERDUE],
                              (late[CASH_DATE] - late[C.DUE_DATE]).dt.days.fillna(0)).astype("int64"),
        "rate": rate, "interest_eur": interest, "indemnity_eur": indemnity, "penalty_eur": interest + indemnity,
    })
    return frame.sort_values("penalty_eur", ascending=False, kind="stable").reset_index(drop=True)


def penalty_totals(penalties_frame: pd.DataFrame) -> PenaltyTotals:
    """Return counts and EUR totals of a penalties frame: late invoices (open, paid), interest, indemnities."""
    is_open = penalties_frame[C.STATUS] == OPEN
    return PenaltyTotals(
        late_invoices=int(len(penalties_frame)),
        late_open_invoices=int(is_open.sum()),
        late_paid_invoices=int((~is_open).sum()),
        interest_eur=float(penalties_frame["interest_eur"].sum()),
        indemnity_eur=float(penalties_frame["indemnity_eur"].sum()),
        penalty_eur=float(penalties_frame["penalty_eur"].sum()),
    )


def dunning_list_from(basis: KpiBasis, settings: KpiSettings, behaviour_risk: pd.Series | None = None,
                      card: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return overdue open invoices ranked by open amount × risk, with reminder level and claimable penalties."""
    rec = basis.receivables
    due = rec[(rec[C.STATUS] == OPEN) & (rec[OPEN_EUR] > OPEN_TOLERANCE_EUR) & (rec[DAYS_OVERDUE] > 0)]
    card = scorecard_from(basis, settings) if card is None else card
    rating = due[C.COUNTERPARTY_ID].map(card.set_index(C.COUNTERPARTY_ID)["rating"]).fillna("B")
    days = due[DAYS_OVERDUE].to_numpy(float)
    disputed = due[C.DISPUTED].to_numpy(bool)
    heuristic = np.minimum(1.0, rating.map(RATING_RISK).to_numpy(float) + days / DAYS_PER_YEAR
                           + np.where(disputed, DISPUTED_RISK, 0.0))
    given = (behaviour_risk.rename(index=str).groupby(level=0).first().reindex(due[C.COUNTERPARTY_ID]).to_numpy(float)
             if behaviour_risk is not None else np.full(len(due), np.nan))
    risk = np.where(np.isnan(given), heuristic, np.clip(given, 0.0, 1.0))
    claims = penalties_from(basis, settings)[_KEY + ["interest_eur", "indemnity_eur", "penalty_eur"]]
    frame = pd.DataFrame({
        C.SOURCE: due[C.SOURCE].to_numpy(), C.INVOICE_ID: due[C.INVOICE_ID].to_numpy(),
        C.COUNTERPARTY_ID: due[C.COUNTERPARTY_ID].to_numpy(),
        C.NAME: due[C.COUNTERPARTY_ID].map(basis.clients.set_index(C.COUNTERPARTY_ID)[C.NAME]).to_numpy(),
        "rating": rating.to_numpy(), C.ISSUE_DATE: due[C.ISSUE_DATE].to_numpy(),
        C.DUE_DATE: due[C.DUE_DATE].to_numpy(), DAYS_OVERDUE: due[DAYS_OVERDUE].to_numpy(),
        OPEN_EUR: due[OPEN_EUR].to_numpy(float), C.DISPUTED: disputed, "risk": risk,
        "risk_source": np.where(np.isnan(given), "rating and days overdue", "behaviour model"),
        "priority_eur": due[OPEN_EUR].to_numpy(float) * risk,
        "level": dunning_level(days, disputed, settings),
    }).merge(claims.rename(columns={"interest_eur": "claimable_interest_eur",
                                    "indemnity_eur": "claimable_indemnity_eur",
                                    "penalty_eur": "claimable_penalty_eur"}), on=_KEY, how="left")
    frame = frame.sort_values(["priority_eur", DAYS_OVERDUE], ascending=False, kind="stable").reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame


# --- public, from a ledger -----------------------------------------------------------------------
def penalties(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> pd.DataFrame:
    """Return late-payment interest and recovery indemnities per late invoice owed to us."""
    settings = settings or KpiSettings()
    return penalties_from(kpi_basis(ledger, as_of, settings), settings)


def dunning_list(ledger: Ledger, as_of: date, settings: KpiSettings | None = None,
                 behaviour_risk: pd.Series | None = None) -> pd.DataFrame:
    """Return the dunning list: overdue open invoices ranked by amount × risk, with level and penalties."""
    settings = settings or KpiSettings()
    return dunning_list_from(kpi_basis(ledger, as_of, settings), settings, behaviour_risk)
