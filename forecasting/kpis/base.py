"""Shared ground of the KPIs: their settings, and the ledger as known at the end of a date, in EUR.

Choices every KPI relies on:
- "As of" = invoices issued <= as_of and payments dated <= as_of (`settlement.settle`): an invoice paid later
  is open at as_of, a partially paid one counts for its open amount, a credit note (negative) reduces it.
- A credit note set against an invoice (a payment settled by a credit note, `C.SETTLED_BY`) lowers what is owed
  (open amounts, aging, DSO, dunning) as a payment does, but it is no money received: the receipts (cash in by
  date: penalties, the client drill-down) are cash payments alone, and the days a client takes to pay are read
  from the day its cash came (`CASH_DATE`, see kpis.clients and kpis.collection).
- Sales and purchases of a period are the invoices issued in it, balances carried forward from an earlier year
  (`C.CARRIED_FORWARD`, a FEC's opening entries) left out: they are owed (open amounts, aging), not sold then.
- Every amount is converted to EUR at the latest rate on or before as_of (`invoicing.to_reporting`), history
  included: ratios then compare like with like and do not move with past exchange rates.
- A credit limit in a currency without a rate at as_of is unknown (treated as no limit) rather than an error.
- A write-off carries no date in the ledger. We date it on the day the invoice became doubtful (due date +
  `doubtful_overdue_days` + 1), but never after the ledger's last known date, so that today's view always
  matches the ledger's status; before that date the invoice counts as open (what was known then).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.core.types import as_of_timestamp
from forecasting.model.invoicing import to_reporting
from forecasting.model.settlement import (
    CASH_DATE,
    CREDITED_AMOUNT,
    OPEN_AMOUNT,
    PAID_AMOUNT,
    PAID_DATE,
    credit_rows,
    own_dates,
    settle,
)

# --- columns the KPI frames add to the invoice columns -------------------------------------------
AMOUNT_EUR = "amount_eur"  # amount_ttc in EUR at the as-of rate
OPEN_EUR = "open_eur"  # unpaid part at as_of in EUR (0 once paid; for a write-off, the loss)
PAID_EUR = "paid_eur"  # settled by as_of in EUR: cash and credit notes set against it (no longer owed)
DAYS_OVERDUE = "days_overdue"  # as_of - due date (<= 0: not due yet)
WRITE_OFF_DATE = "write_off_date"  # proxy date of a write-off (NaT if not written off)
PAYMENT_LATE_DAYS = "payment_late_days"  # payment date - due date, floored at 0
FX_RATE_EUR = "fx_rate_eur"  # EUR per unit of the invoice currency, latest on or before as_of

OPEN, PAID, WRITTEN_OFF = "open", "paid", "written_off"
DAYS_PER_YEAR = 365
# Which late invoices penalties are counted on (KpiSettings.penalty_policy):
PENALTIES_OPEN = "open"  # invoices still open and overdue: what a reminder or a formal notice can still claim
PENALTIES_PAID_LATE_TOO = "open_and_paid_late"  # also those paid late within penalty_lookback_days
PENALTY_POLICIES = (PENALTIES_OPEN, PENALTIES_PAID_LATE_TOO)
# Claims between traders are time-barred after five years (Code de commerce L110-4), counted from the due date: in
# calendar years (`time_barred`), since five years span 1 826 or 1 827 days as they hold one 29 February or two.
LIMITATION_YEARS = 5
LIMITATION_DAYS = 5 * DAYS_PER_YEAR + 1  # the bound of penalty_lookback_days
OPEN_TOLERANCE_EUR = 0.005  # half a cent: rounding residues are not open items


@dataclass(frozen=True)
class KpiSettings:
    """Every number of the KPIs a treasurer may want to change (rates as fractions: 0.0215 = 2.15 %)."""

    period_days: int = 91  # DSO/DPO period: 91 (a quarter) or 365 (a year)
    aging_buckets_days: tuple[int, ...] = (30, 60, 90)  # -> not due, 1–30, 31–60, 61–90, >90
    ecb_rate: float = 0.0215  # ECB main refinancing rate in force for the half-year (1 Jan / 1 Jul)
    legal_interest_rate: float = 0.0  # French taux d'intérêt légal; the penalty rate is at least 3 × it
    recovery_indemnity_eur: float = 40.0  # fixed indemnity per late invoice (Code de commerce L441-10)
    inventory_eur: float = 0.0  # user input: stock is not imported
    cogs_share_of_purchases: float = 1.0  # cost of goods sold = this share × purchases TTC
    doubtful_overdue_days: int = 90  # an open invoice overdue longer than this, or disputed, is doubtful
    rating_thresholds_days: tuple[int, int, int] = (30, 60, 90)  # A <= 30 < B <= 60 < C <= 90 < D
    dunning_levels_days: tuple[int, int, int] = (15, 45, 90)  # level 1 <= 15 < 2 <= 45 < 3 <= 90 < 4
    # Penalties are owed on every late payment, but once an invoice is paid without them a company rarely claims
    # them afterwards: by default only invoices still open count; paid-late ones within the lookback on request.
    penalty_policy: str = PENALTIES_OPEN
    penalty_lookback_days: int = DAYS_PER_YEAR  # paid-late invoices counted (open_and_paid_late), at most 5 years

    def __post_init__(self) -> None:
        if self.period_days <= 0:
            raise InputError(f"the KPI period must be a positive number of days (91 or 365), not {self.period_days}")
        for name in ("aging_buckets_days", "rating_thresholds_days", "dunning_levels_days"):
            values = tuple(getattr(self, name))
            if not values or values[0] < 1 or any(b <= a for a, b in zip(values, values[1:], strict=False)):
                raise InputError(f"{name} must be increasing whole numbers of days >= 1, not {values}")
        if len(self.rating_thresholds_days) != 3 or len(self.dunning_levels_days) != 3:
            raise InputError("rating_thresholds_days and dunning_levels_days take exactly three limits")
        if self.doubtful_overdue_days < 0 or self.cogs_share_of_purchases < 0 or self.inventory_eur < 0:
            raise InputError("doubtful_overdue_days, cogs_share_of_purchases and inventory_eur cannot be negative")
        if self.penalty_policy not in PENALTY_POLICIES:
            raise InputError(f"penalty_policy must be one of {', '.join(PENALTY_POLICIES)}, not {self.penalty_policy!r}")
        if not 1 <= self.penalty_lookback_days <= LIMITATION_DAYS:
            raise InputError(f"penalty_lookback_days must be between 1 and {LIMITATION_DAYS} (claims are time-barred "
                             f"after five years), not {self.penalty_lookback_days}")


@dataclass(frozen=True, eq=False)
class KpiBasis:
    """The ledger known at the end of as_of, in EUR: what every KPI is computed from."""

    as_of: pd.Timestamp
    receivables: pd.DataFrame  # issued <= as_of, settled at as_of, with the columns above
    payables: pd.DataFrame
    receipts: pd.DataFrame  # client cash payments dated <= as_of on those receivables, in EUR, with their due date
    credits: pd.DataFrame  # as receipts, the credit notes set against them (no cash; they lower what is owed)
    clients: pd.DataFrame  # counterparty_id, name, segment, credit_limit_eur (clients + unknown ids invoiced)
    supplier_names: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))  # counterparty_id -> name

    def invoices(self, side: str) -> pd.DataFrame:
        """Return the receivables or the payables."""
        return self.receivables if side == C.RECEIVABLE else self.payables


def _snapshot_date(ledger: Ledger) -> pd.Timestamp:
    """Return the last date the ledger knows of (latest issue or payment): the data's 'today'."""
    dates = [pd.to_datetime(f[col]).max() for f, col in ((ledger.receivables, C.ISSUE_DATE),
                                                        (ledger.payables, C.ISSUE_DATE),
                                                        (ledger.payments, C.PAYMENT_DATE)) if len(f)]
    dates = [d for d in dates if pd.notna(d)]
    return max(dates) if dates else pd.Timestamp.max.normalize()


def _settled_eur(invoices: pd.DataFrame, payments: pd.DataFrame, ledger: Ledger, as_of: pd.Timestamp,
                 settings: KpiSettings, snapshot: pd.Timestamp) -> pd.DataFrame:
    """Return invoices issued <= as_of with open/paid amounts in EUR, days overdue and write-offs dated."""
    inv = settle(invoices, payments, as_of)
    if not len(inv):
        empty: dict[str, pd.Series | float] = {PAID_DATE: pd.Series(dtype="datetime64[s]"),
                                               CASH_DATE: pd.Series(dtype="datetime64[s]"), PAID_AMOUNT: 0.0,
                                               CREDITED_AMOUNT: 0.0, OPEN_AMOUNT: 0.0}
        inv = inv.assign(**empty)
    rate = to_reporting(np.ones(len(inv)), inv[C.CURRENCY], ledger.fx_rates, as_of)
    inv[FX_RATE_EUR] = rate
    inv[C.DUE_DATE] = inv[C.DUE_DATE].fillna(inv[C.ISSUE_DATE])  # no due date: due on receipt
    inv[AMOUNT_EUR] = inv[C.AMOUNT_TTC].to_numpy(float) * rate
    inv[OPEN_EUR] = inv[OPEN_AMOUNT].to_numpy(float) * rate
    # Settled, as the collection ratios read it: a credit note lowers what is owed as a payment does.
    inv[PAID_EUR] = (inv[PAID_AMOUNT] + inv[CREDITED_AMOUNT]).to_numpy(float) * rate
    inv[DAYS_OVERDUE] = (as_of - inv[C.DUE_DATE]).dt.days.astype("int64")
    doubtful_from = inv[C.DUE_DATE] + pd.Timedelta(days=settings.doubtful_overdue_days + 1)
    write_off = doubtful_from.mask(doubtful_from > snapshot, snapshot).where(inv[C.STATUS] == WRITTEN_OFF)
    inv[WRITE_OFF_DATE] = write_off
    # not yet written off at as_of: what was known then is an open invoice
    inv.loc[(inv[C.STATUS] == WRITTEN_OFF) & (write_off > as_of), C.STATUS] = OPEN
    return inv


def _receipts_eur(receivables: pd.DataFrame, payments: pd.DataFrame,
                  as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return client cash payments and credit notes dated <= as_of on the receivables, in EUR at the as-of rate."""
    pay = payments[pd.to_datetime(payments[C.PAYMENT_DATE]) <= as_of]
    keys = [C.SOURCE, C.INVOICE_ID]
    inv = receivables[keys + [C.COUNTERPARTY_ID, C.ISSUE_DATE, C.DUE_DATE, C.AMOUNT_TTC, FX_RATE_EUR]]
    read = [*keys, C.PAYMENT_DATE, C.AMOUNT] + ([C.SETTLED_BY] if C.SETTLED_BY in pay.columns else [])
    pay = pay[read].merge(inv, on=keys, how="inner")
    pay[C.PAYMENT_DATE] = pd.to_datetime(pay[C.PAYMENT_DATE])
    pay[AMOUNT_EUR] = pay[C.AMOUNT].to_numpy(float) * pay[FX_RATE_EUR].to_numpy(float)
    pay[PAYMENT_LATE_DAYS] = (pay[C.PAYMENT_DATE] - pay[C.DUE_DATE]).dt.days.clip(lower=0)
    credit = credit_rows(pay)
    if credit is None:  # most ledgers: every row is cash, no copy
        return pay, pay.iloc[:0]
    return pay[~credit].reset_index(drop=True), pay[credit].reset_index(drop=True)


def _limits_eur(limit: npt.NDArray[np.float64], currencies: pd.Series, ledger: Ledger, as_of: pd.Timestamp
                ) -> npt.NDArray[np.float64]:
    """Return credit limits in EUR; a limit in a currency with no rate at as_of is unknown (NaN = no limit)."""
    cur = currencies.fillna(C.REPORTING_CURRENCY).astype(str).to_numpy()
    out = np.full(len(limit), np.nan)
    for currency in pd.unique(cur):
        mask = cur == currency
        # an informative limit must not stop every KPI (invoices in that currency still require their rate)
        with contextlib.suppress(InputError):
            out[mask] = to_reporting(limit[mask], cur[mask], ledger.fx_rates, as_of)
    return out


def _clients(ledger: Ledger, receivables: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Return every client (counterparties of kind client, plus ids only seen on invoices) with its limit in EUR."""
    cps = ledger.counterparties
    if len(cps) and C.KIND in cps.columns:
        cps = cps[cps[C.KIND] == C.CLIENT]
    cps = cps.drop_duplicates(C.COUNTERPARTY_ID)
    limit = pd.to_numeric(cps[C.CREDIT_LIMIT], errors="coerce").to_numpy(float)
    frame = pd.DataFrame({
        C.COUNTERPARTY_ID: cps[C.COUNTERPARTY_ID].astype(str).to_numpy(),
        C.NAME: cps[C.NAME].astype(object).to_numpy(),
        C.SEGMENT: cps[C.SEGMENT].astype(object).to_numpy(),
        "credit_limit_eur": _limits_eur(limit, cps[C.CURRENCY], ledger, as_of),
    })
    # unique() first: a Python set over millions of invoice rows took seconds; over the distinct ids, none
    unknown = sorted(set(receivables[C.COUNTERPARTY_ID].astype(str).unique()) - set(frame[C.COUNTERPARTY_ID]))
    extra = pd.DataFrame({C.COUNTERPARTY_ID: unknown, C.NAME: unknown, C.SEGMENT: None, "credit_limit_eur": np.nan})
    frame = pd.concat([frame, extra], ignore_index=True) if unknown else frame
    frame[C.NAME] = frame[C.NAME].where(frame[C.NAME].notna(), frame[C.COUNTERPARTY_ID])
    return frame


def kpi_basis(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> KpiBasis:
    """Return the ledger known at the end of as_of, in EUR (compute once, pass to the `*_from` functions)."""
    settings = settings or KpiSettings()
    as_of_ts = as_of_timestamp(as_of)
    snapshot = _snapshot_date(ledger)
    rec_payments = ledger.payments_of(C.RECEIVABLE)
    receivables = _settled_eur(ledger.receivables, rec_payments, ledger, as_of_ts, settings, snapshot)
    receivables[C.COUNTERPARTY_ID] = receivables[C.COUNTERPARTY_ID].astype(str)
    payables = _settled_eur(ledger.payables, ledger.payments_of(C.PAYABLE), ledger, as_of_ts, settings, snapshot)
    receipts, credits = _receipts_eur(receivables, rec_payments, as_of_ts)
    return KpiBasis(as_of=as_of_ts, receivables=receivables, payables=payables, receipts=receipts, credits=credits,
                    clients=_clients(ledger, receivables, as_of_ts), supplier_names=_supplier_names(ledger))


def _supplier_names(ledger: Ledger) -> pd.Series:
    """Return supplier names by counterparty id (text)."""
    cps = ledger.counterparties
    if C.KIND in cps.columns:
        cps = cps[cps[C.KIND] == C.SUPPLIER]
    cps = cps.drop_duplicates(C.COUNTERPARTY_ID)
    return pd.Series(cps[C.NAME].astype(object).to_numpy(), index=cps[C.COUNTERPARTY_ID].astype(str).to_numpy())


# --- small shared helpers ------------------------------------------------------------------------
def open_items(invoices: pd.DataFrame) -> pd.DataFrame:
    """Return the invoices open at as_of with a non-zero open amount (credit notes included, negative)."""
    return invoices[(invoices[C.STATUS] == OPEN) & (invoices[OPEN_EUR].abs() > OPEN_TOLERANCE_EUR)]


def issued_within_eur(invoices: pd.DataFrame, as_of: pd.Timestamp, days: int) -> float:
    """Return the EUR amount (TTC, credit notes deducted) issued in the `days` days ending on as_of."""
    # a balance carried forward was sold in an earlier year: dated at the opening, it is no sale of these days
    issued = (invoices[C.ISSUE_DATE] > as_of - pd.Timedelta(days=days)) & own_dates(invoices)
    return float(invoices.loc[issued, AMOUNT_EUR].sum())


def time_barred(due_dates: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Return which claims are time-barred at as_of: due more than five calendar years before it (L110-4)."""
    return due_dates + pd.DateOffset(years=LIMITATION_YEARS) < as_of


def ratio(numerator: float, denominator: float) -> float:
    """Return numerator / denominator, NaN when the denominator is not positive (the KPI is undefined)."""
    return float(numerator) / float(denominator) if denominator > 0 else float("nan")
