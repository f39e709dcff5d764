"""Client-level KPIs: aging (balance âgée), encours, concentration and the client scorecard with its rating.

Choices:
- Encours = overdue + not yet due open receivables TTC (credit notes deducted, written-off excluded). The
  ledger holds neither invoices still to be issued (factures à émettre) nor advances received (acomptes),
  so those two terms of the DOMAIN.md definition are zero here.
- Average encours and top-10 concentration are over the clients with a positive encours (a client whose
  credit notes exceed its invoices would otherwise push the top-10 share above 1).
- Payment behaviour (days to pay, delay, share paid late) is read on cash: an invoice counts on the day the cash
  that settled it came (`CASH_DATE`), weighted by the part to be paid in cash (its amount less the credit notes
  set against it). An invoice settled by credit notes alone was not paid, neither on time nor late: it is left
  out (a credit note closing a dispute says nothing of how fast the client pays).
- Rating: the client's effective DSO, i.e. the amount-weighted days from ISSUE to payment of its invoices
  paid in the last 365 days, against rating_thresholds_days (A <= 30, B <= 60, C <= 90, D beyond). Without
  such payments, the amount-weighted age of its overdue open invoices (a lower bound of its days to pay:
  a client that never pays ends in D); with neither, B (no history: not proven good nor bad). Then one
  notch down (D stays D) for a client with an open disputed invoice or one overdue more than
  doubtful_overdue_days.
- Credit limit: converted to EUR at the as-of rate of the client's currency; a limit <= 0 or missing means
  "no limit" (credit use NaN, never over limit).
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
    FX_RATE_EUR,
    OPEN_EUR,
    PAID,
    KpiBasis,
    KpiSettings,
    kpi_basis,
    open_items,
    ratio,
)
from forecasting.model.settlement import CASH_DATE, CREDITED_AMOUNT, own_dates

RATINGS = ("A", "B", "C", "D")
NO_HISTORY_RATING = "B"
BASIS_PAID, BASIS_OVERDUE, BASIS_NONE = "paid invoices", "overdue open invoices", "no history"
TOP_N = 10
NOT_DUE = "not due"


def aging_labels(buckets_days: tuple[int, ...]) -> list[str]:
    """Return bucket labels: (30, 60, 90) -> not due, 1–30, 31–60, 61–90, >90."""
    lows = (1,) + tuple(b + 1 for b in buckets_days[:-1])
    return [NOT_DUE, *(f"{lo}–{hi}" for lo, hi in zip(lows, buckets_days, strict=True)), f">{buckets_days[-1]}"]


def bucket_index(days_overdue: npt.ArrayLike, buckets_days: tuple[int, ...]) -> npt.NDArray[np.intp]:
    """Return each item's bucket position: 0 = not due, 1 = up to the first limit, ..., last = beyond all."""
    days = np.asarray(days_overdue)
    return np.where(days <= 0, 0, 1 + np.searchsorted(np.asarray(buckets_days), days, side="left"))


def _open_side(basis: KpiBasis, side: str) -> pd.DataFrame:
    """Return one side's open items."""
    return open_items(basis.invoices(side))


def aging_from(basis: KpiBasis, settings: KpiSettings, side: str = C.RECEIVABLE) -> pd.DataFrame:
    """Return open amounts by bucket of days overdue: bucket, count, amount_eur, share (of the total open)."""
    open_ = _open_side(basis, side)
    labels = aging_labels(settings.aging_buckets_days)
    idx = bucket_index(open_[DAYS_OVERDUE].to_numpy(), settings.aging_buckets_days)
    count = np.bincount(idx, minlength=len(labels))
    amount = np.bincount(idx, weights=open_[OPEN_EUR].to_numpy(float), minlength=len(labels))
    total = amount.sum()
    share = amount / total if total > 0 else np.zeros(len(labels))
    return pd.DataFrame({"bucket": labels, "count": count.astype(int), AMOUNT_EUR: amount, "share": share})


def aging_by_counterparty_from(basis: KpiBasis, settings: KpiSettings, side: str = C.RECEIVABLE) -> pd.DataFrame:
    """Return one row per counterparty with open amounts: a column per bucket and total_eur, largest first."""
    open_ = _open_side(basis, side)
    labels = aging_labels(settings.aging_buckets_days)
    bucket = np.asarray(labels, dtype=object)[bucket_index(open_[DAYS_OVERDUE].to_numpy(), settings.aging_buckets_days)]
    table = (open_.assign(bucket=bucket).pivot_table(index=C.COUNTERPARTY_ID, columns="bucket", values=OPEN_EUR,
                                                     aggfunc="sum", fill_value=0.0)
             .reindex(columns=labels, fill_value=0.0))
    table.columns.name = None
    table["total_eur"] = table.sum(axis=1)
    table = table.reset_index().sort_values("total_eur", ascending=False, kind="stable")
    names = basis.clients.set_index(C.COUNTERPARTY_ID)[C.NAME] if side == C.RECEIVABLE else basis.supplier_names
    ids = table[C.COUNTERPARTY_ID].astype(str)
    table.insert(1, C.NAME, ids.map(names).astype(object).where(ids.map(names).notna(), ids))
    return table.reset_index(drop=True)


def encours_from(basis: KpiBasis) -> pd.DataFrame:
    """Return per client with open receivables: not_due_eur, overdue_eur, encours_eur, n_open, largest first."""
    open_ = _open_side(basis, C.RECEIVABLE)
    overdue = open_[DAYS_OVERDUE] > 0
    grouped = pd.DataFrame({
        C.COUNTERPARTY_ID: open_[C.COUNTERPARTY_ID],
        "not_due_eur": open_[OPEN_EUR].where(~overdue, 0.0),
        "overdue_eur": open_[OPEN_EUR].where(overdue, 0.0),
        "encours_eur": open_[OPEN_EUR],
        "n_open": 1,
    }).groupby(C.COUNTERPARTY_ID, as_index=False).sum()
    frame = basis.clients[[C.COUNTERPARTY_ID, C.NAME, C.SEGMENT]].merge(grouped, on=C.COUNTERPARTY_ID, how="inner")
    return frame.sort_values("encours_eur", ascending=False, kind="stable").reset_index(drop=True)


def average_encours_from(encours_frame: pd.DataFrame) -> float:
    """Return the mean encours of the clients with a positive encours, in EUR."""
    positive = encours_frame.loc[encours_frame["encours_eur"] > 0, "encours_eur"]
    return float(positive.mean()) if len(positive) else 0.0


def top10_concentration_from(encours_frame: pd.DataFrame) -> float:
    """Return the share of the 10 largest encours in the total positive encours."""
    positive = encours_frame.loc[encours_frame["encours_eur"] > 0, "encours_eur"]
    return ratio(positive.nlargest(TOP_N).sum(), positive.sum())


def _payment_behaviour(basis: KpiBasis) -> pd.DataFrame:
    """Return per client, over invoices paid in cash in the last 365 days: count, days to pay, delay, late share."""
    rec = basis.receivables
    # NaT (credit notes alone): out; a balance carried forward: its dates are not its own
    paid = rec[(rec[C.STATUS] == PAID) & (rec[AMOUNT_EUR] > 0) & own_dates(rec)
               & (rec[CASH_DATE] > basis.as_of - pd.Timedelta(days=DAYS_PER_YEAR))]
    # the part paid in cash: a credited part took no days to pay (no credit note: AMOUNT_EUR, the same floats)
    weight = (paid[C.AMOUNT_TTC] - paid[CREDITED_AMOUNT]) * paid[FX_RATE_EUR]
    to_pay_days = (paid[CASH_DATE] - paid[C.ISSUE_DATE]).dt.days
    delay_days = (paid[CASH_DATE] - paid[C.DUE_DATE]).dt.days
    sums = pd.DataFrame({
        C.COUNTERPARTY_ID: paid[C.COUNTERPARTY_ID], "w": weight, "w_to_pay": weight * to_pay_days,
        "w_delay": weight * delay_days, "n_paid_invoices": 1, "n_late": (delay_days > 0).astype(int),
    }).groupby(C.COUNTERPARTY_ID).sum()
    return pd.DataFrame({
        "n_paid_invoices": sums["n_paid_invoices"],
        "avg_days_to_pay": sums["w_to_pay"] / sums["w"],
        "avg_delay_days": sums["w_delay"] / sums["w"],
        "share_paid_late": sums["n_late"] / sums["n_paid_invoices"],
    })


def _open_signals(basis: KpiBasis, settings: KpiSettings) -> pd.DataFrame:
    """Return per client: amount-weighted age of its overdue open invoices, and whether it has doubtful ones."""
    open_ = _open_side(basis, C.RECEIVABLE)
    open_ = open_[open_[OPEN_EUR] > 0]
    overdue = open_[DAYS_OVERDUE] > 0
    age_days = (basis.as_of - open_[C.ISSUE_DATE]).dt.days
    doubtful = open_[C.DISPUTED] | (open_[DAYS_OVERDUE] > settings.doubtful_overdue_days)
    sums = pd.DataFrame({
        C.COUNTERPARTY_ID: open_[C.COUNTERPARTY_ID], "w": open_[OPEN_EUR].where(overdue, 0.0),
        "w_age": (open_[OPEN_EUR] * age_days).where(overdue, 0.0), "doubtful": doubtful.astype(int),
    }).groupby(C.COUNTERPARTY_ID).sum()
    return pd.DataFrame({"overdue_age_days": sums["w_age"] / sums["w"].where(sums["w"] > 0),
                         "downgraded": sums["doubtful"] > 0})


def rate_clients(days_to_pay: npt.ArrayLike, downgraded: npt.ArrayLike, thresholds_days: tuple[int, int, int]
                 ) -> npt.NDArray[np.object_]:
    """Return A–D from days to pay (NaN = no history = B), one notch lower where downgraded (D stays D)."""
    days = np.asarray(days_to_pay, dtype=float)
    notch = np.searchsorted(np.asarray(thresholds_days, dtype=float), np.nan_to_num(days), side="left")
    notch = np.where(np.isnan(days), RATINGS.index(NO_HISTORY_RATING), notch)
    notch = np.minimum(notch + np.asarray(downgraded, dtype=int), len(RATINGS) - 1)
    return np.asarray(np.asarray(RATINGS, dtype=object)[notch], dtype=object)


def scorecard_from(basis: KpiBasis, settings: KpiSettings) -> pd.DataFrame:
    """Return one row per client: encours, overdue, payment behaviour, rating A–D, credit limit and its use."""
    enc = encours_from(basis).drop(columns=[C.NAME, C.SEGMENT])
    card = (basis.clients.merge(enc, on=C.COUNTERPARTY_ID, how="left")
            .merge(_payment_behaviour(basis), left_on=C.COUNTERPARTY_ID, right_index=True, how="left")
            .merge(_open_signals(basis, settings), left_on=C.COUNTERPARTY_ID, right_index=True, how="left"))
    for col in ("not_due_eur", "overdue_eur", "encours_eur", "n_open", "n_paid_invoices"):
        card[col] = card[col].fillna(0)
    card["n_open"] = card["n_open"].astype(int)
    card["n_paid_invoices"] = card["n_paid_invoices"].astype(int)
    card["downgraded"] = card["downgraded"].astype("boolean").fillna(False).astype(bool)
    has_paid = card["avg_days_to_pay"].notna()
    rating_days = card["avg_days_to_pay"].where(has_paid, card["overdue_age_days"])
    card["rating_basis"] = np.where(has_paid, BASIS_PAID,
                                    np.where(card["overdue_age_days"].notna(), BASIS_OVERDUE, BASIS_NONE))
    card["rating"] = rate_clients(rating_days.to_numpy(float), card["downgraded"].to_numpy(),
                                  settings.rating_thresholds_days)
    limit = card["credit_limit_eur"].where(card["credit_limit_eur"] > 0)
    card["credit_use"] = card["encours_eur"] / limit
    card["over_limit"] = (card["encours_eur"] > limit).fillna(False).astype(bool)
    columns = [C.COUNTERPARTY_ID, C.NAME, C.SEGMENT, "encours_eur", "not_due_eur", "overdue_eur", "n_open",
               "n_paid_invoices", "avg_days_to_pay", "avg_delay_days", "share_paid_late", "overdue_age_days",
               "rating_basis", "downgraded", "rating", "credit_limit_eur", "credit_use", "over_limit"]
    return card[columns].sort_values("encours_eur", ascending=False, kind="stable").reset_index(drop=True)


# --- public, from a ledger -----------------------------------------------------------------------
def aging(ledger: Ledger, as_of: date, settings: KpiSettings | None = None,
          side: str = C.RECEIVABLE) -> pd.DataFrame:
    """Return the aged balance of one side: bucket, count, amount_eur, share."""
    settings = settings or KpiSettings()
    return aging_from(kpi_basis(ledger, as_of, settings), settings, side)


def aging_by_counterparty(ledger: Ledger, as_of: date, settings: KpiSettings | None = None,
                          side: str = C.RECEIVABLE) -> pd.DataFrame:
    """Return the aged balance per counterparty: a column per bucket and total_eur."""
    settings = settings or KpiSettings()
    return aging_by_counterparty_from(kpi_basis(ledger, as_of, settings), settings, side)


def encours(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> pd.DataFrame:
    """Return per client outstanding (overdue + not yet due), largest first."""
    return encours_from(kpi_basis(ledger, as_of, settings))


def average_encours_per_client(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return the mean encours of clients with a positive encours, in EUR."""
    return average_encours_from(encours(ledger, as_of, settings))


def top10_concentration(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> float:
    """Return the share of the 10 largest client encours in the total."""
    return top10_concentration_from(encours(ledger, as_of, settings))


def scorecard(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> pd.DataFrame:
    """Return the client scorecard: encours, behaviour, rating A–D, credit limit use and over_limit flag."""
    settings = settings or KpiSettings()
    return scorecard_from(kpi_basis(ledger, as_of, settings), settings)
