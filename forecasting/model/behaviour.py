"""Learns each counterparty's payment delay (payment date - due date) from paid and still-open invoices.

The model is a discrete-time (daily) Kaplan-Meier estimate of the delay, computed for every counterparty
at once: open invoices are right-censored (an invoice 40 days overdue says delay > 40), recent invoices
weigh more (exponential decay on issue-date age), and each counterparty is pooled with k pseudo-invoices
behaving like its segment (the segment with pseudo-invoices behaving like everyone):
    h_client(t) = (d(t) + k S_seg(t-1) h_seg(t)) / (n(t) + k S_seg(t-1)),
with d the (weighted) payments on day t and n the invoices still unpaid then. Without censoring the
survival is the mixture (n * own + k * segment) / (n + k), the usual n/(n+k) shrinkage; a client with
few invoices borrows its segment's behaviour, a new client gets it whole, and beyond a client's longest
follow-up its segment's tail takes over. Survival left at
`never_after_days` is the probability the invoice is never paid (expected bad debt).
Disputed invoices are left out of the curves: a disputed invoice is paid on its counterparty's usual delay
plus an extra delay learned from the side's disputed history (forecasting/model/disputes.py).
An invoice is paid on the day of the cash that settled it (settlement.CASH_DATE): a credit note set against it moves
no money, so one settled in part by a credit note is paid on its last cash payment, and one settled by credit notes
alone is learned as never paid (censored at as-of like an open invoice, then past the grid).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.terms import BusinessCalendar
from forecasting.model.disputes import (
    DEFAULT_QUIET,
    SETTLED_SHORT_QUIET_DAYS,
    Disputes,
    QuietPeriod,
    learn_disputes,
    learn_quiet_period,
)
from forecasting.model.pooling import Hierarchy, pooled_category_shares, pooled_shares, pooled_votes
from forecasting.model.settings import DEFAULT_BEHAVIOUR, BehaviourSettings
from forecasting.model.settlement import (
    CASH_DATE,
    COVER_TOLERANCE,
    CREDITED_AMOUNT,
    FIRST_PAYMENT_AMOUNT,
    LAST_PAYMENT_DATE,
    PAID_AMOUNT,
    PAID_DATE,
    own_dates,
    settle_with_gaps,
)
from forecasting.model.trend import detrended_delays, drift_days_per_year

NO_SEGMENT = "(no segment)"
# Settlement weekdays: a weekday is one money moves on when it carries at least this share of the busiest one's
# payments, after pooling (a counterparty with few payments follows its segment's and the side's habits).
ALLOWED_SHARE_OF_PEAK = 0.2
BUSINESS_WEEK = np.array([0.2] * 5 + [0.0] * 2)  # the prior of a side without history: Monday to Friday
PRIOR_PAYMENTS, WEEKDAY_K_SEGMENT, WEEKDAY_K_COUNTERPARTY = 5.0, 20.0, 10.0
# Month-end batches: a counterparty settles on its month's last business day only when that day carries at least
# half of its payments (a day in 21: ~5 % of any other habit's; a payment on its due date there is not counted: it
# tells nothing of batches), pooled with each counterparty voting once (a thin
# one follows what most of its segment's counterparties do, not its largest payers). A batch habit shows in every
# payment, so two of a counterparty's own outweigh its segment's; five counterparties move a segment off the side's,
# five move the side off "no batches".
MONTH_END_SHARE = 0.5
MONTH_END_K_SIDE, MONTH_END_K_SEGMENT, MONTH_END_K_COUNTERPARTY = 5.0, 5.0, 2.0
# With the segment cap (settings.segment_cap), a counterparty weighs at most this many effective invoices in its
# segment's and the side's curves: as much as the pseudo-invoices its own curve borrows from its segment
# (BehaviourSettings.shrinkage_k's default), so those curves stand for a counterparty one knows little about (a new or
# thin one) rather than for the few largest. Whether a ledger's history is better forecast with it, the replay says.
SEGMENT_CAP_INVOICES = 5.0
DISPUTE_K_SEGMENT, DISPUTE_K_COUNTERPARTY = 20.0, 10.0  # dispute rates pooled like the delays
_BLOCK_CELLS = 1 << 16  # profile rows x grid days fitted per block (0.5 MB float64 temporaries)
_MAX_HAZARD = 1.0 - 1e-9  # keeps the cumulative hazard finite, so conditioning on a long delay stays defined


@dataclass(frozen=True, eq=False)
class BehaviourModel:
    """Fitted delay distributions of one side, as cumulative hazards on a daily delay grid."""

    side: str
    as_of: pd.Timestamp
    settings: BehaviourSettings
    delay_grid_days: npt.NDArray[np.int64]  # [G]: min_delay_days .. never_after_days
    cum_hazard: npt.NDArray[np.float64]  # [n_profiles, G]: -log P(delay > delay_grid_days[j])
    counterparty_rows: dict[str, int]  # counterparty_id -> profile row
    segment_rows: dict[str, int]  # segment -> profile row
    global_row: int
    profiles: pd.DataFrame = field(repr=False)  # one row per profile, for display and tests
    settle_weekdays: npt.NDArray[np.bool_]  # [n_profiles, 7]: weekdays money moves on (Monday = 0)
    avoid_holidays: npt.NDArray[np.bool_]  # [n_profiles]: business-day settlers skip the calendar's holidays
    dispute_rate: npt.NDArray[np.float64]  # [n_profiles]: chance an invoice not issued yet gets disputed
    dispute_extra: Disputes  # how much later than usual a disputed invoice is paid
    half_life_days: float  # the recency weighting used
    drift: bool  # whether each counterparty's curve was moved by its drift
    policy: str = "learned"
    settle_mode: str = "forward"
    # [n_profiles]: pays in month-end batches (its month's last business day only); None: no profile does
    settle_month_end: npt.NDArray[np.bool_] | None = None
    segment_cap: bool = False  # whether each counterparty weighed at most SEGMENT_CAP_INVOICES in the segments' curves
    # Per CALIBRATION_GROUPS: the quantiles of past probability-integral transforms at CALIBRATION_LEVELS
    # (absent: none applied); a draw's uniform u becomes calibration(u).
    calibration: Mapping[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    # Per calibrated group, the blend's prior chosen by leaving one origin out (model.calibration; inf: the identity,
    # then no map in `calibration`).
    calibration_priors: Mapping[str, float] = field(default_factory=dict)
    tuning: pd.DataFrame | None = field(default=None, repr=False)  # the rolling-origin scores behind the choices
    # How long a dispute paid in part goes without payment before it counts as settled short (learned at as-of).
    dispute_quiet: QuietPeriod = DEFAULT_QUIET

    def rows_for(self, counterparty_ids: npt.ArrayLike, segments: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Return the profile row of each item: its counterparty's, else its segment's, else everyone's."""
        rows = _looked_up(counterparty_ids, self.counterparty_rows)
        unknown = np.isnan(rows)
        if unknown.any():
            seg = pd.Series(np.asarray(segments, dtype=object)[unknown]).fillna(NO_SEGMENT)
            rows[unknown] = _looked_up(seg, self.segment_rows)
        return np.nan_to_num(rows, nan=self.global_row).astype(np.int64)

    def survival(self, rows: npt.ArrayLike | None = None) -> npt.NDArray[np.float64]:
        """Return P(delay > delay_grid_days[j]) for the given profile rows (all when None)."""
        hazard = self.cum_hazard if rows is None else self.cum_hazard[np.asarray(rows)]
        return np.exp(-hazard)

    def quantile_days(self, rows: npt.ArrayLike, prob: float) -> npt.NDArray[np.float64]:
        """Return the delay quantile of each row (NaN when more than 1 - prob is never paid)."""
        survival = self.survival(rows)
        idx = (survival <= 1.0 - prob).argmax(axis=1)
        found = (survival <= 1.0 - prob).any(axis=1)
        return np.where(found, self.delay_grid_days[idx], np.nan)

    def p_never(self, rows: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return the probability of never being paid (survival at never_after_days)."""
        return self.survival(rows)[:, -1]


def _looked_up(keys: npt.ArrayLike, table: dict[str, int]) -> npt.NDArray[np.float64]:
    """Return table[key] of each key as floats, NaN where absent (each distinct key looked up once)."""
    codes, uniques = pd.factorize(np.asarray(keys, dtype=object))
    found = np.array([table.get(key, np.nan) for key in uniques] + [np.nan], dtype=float)
    return found[codes]  # code -1 (a missing key) reads the trailing NaN


def _counts(
    profile: npt.NDArray[np.int64], exit_index: npt.NDArray[np.int64], is_event: npt.NDArray[np.bool_],
    weight: npt.NDArray[np.float64], n_profiles: int, n_grid: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return weighted (events, at_risk) matrices [n_profiles, G] from each invoice's last day at risk."""
    flat = profile * n_grid + exit_index
    size = n_profiles * n_grid
    # Weighted bincounts are float64: cast, since numpy's stubs type every bincount as intp.
    exits = cast("npt.NDArray[np.float64]", np.bincount(flat, weights=weight, minlength=size))
    at_risk = exits.reshape(n_profiles, n_grid)  # exits on day j
    paid = cast("npt.NDArray[np.float64]", np.bincount(flat, weights=weight * is_event, minlength=size))
    events = paid.reshape(n_profiles, n_grid)
    # Still unpaid at the start of day j = everyone whose last day at risk is j or later.
    np.cumsum(at_risk[:, ::-1], axis=1, out=at_risk[:, ::-1])
    return events, at_risk


def _prior_hazard(grid: npt.NDArray[np.int64], settings: BehaviourSettings) -> npt.NDArray[np.float64]:
    """Return the daily hazards of the weak prior of the global curve: a discretised normal delay, or never paid.

    Its never-paid share matters only where no invoice of the ledger was followed: past the longest follow-up (a
    short export holding a few invoices unpaid for months), a normal's tail would pay the rest at once, the day after,
    while a typical ledger's invoices that late are mostly never paid.
    """
    z = (grid - settings.prior_mean_delay_days) / settings.prior_sd_delay_days
    pmf = np.exp(-0.5 * z**2)
    pmf *= (1.0 - settings.prior_never_share) / pmf.sum()
    survival_before = 1.0 - np.concatenate([[0.0], np.cumsum(pmf)[:-1]])
    hazard: npt.NDArray[np.float64] = np.divide(pmf, survival_before, out=np.ones_like(pmf),
                                                where=survival_before > 1e-12).clip(0.0, 1.0)
    return hazard


def _shrunk(events: npt.NDArray[np.float64], at_risk: npt.NDArray[np.float64], parent: npt.NDArray[np.float64],
            k: float, parent_rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
    """Return daily hazards pooled with k pseudo-invoices that follow the parent's hazards.

    The pseudo-invoices leave the risk set as the parent's survival falls, so this is Kaplan-Meier on
    the union of the counterparty's invoices and k prior ones: without censoring, the survival curve is
    the mixture (n * own + k * parent) / (n + k); with it, the parent fills in where follow-up is missing.
    With parent_rows, row i's parent is parent[parent_rows[i]] (the parent's survival is computed once
    per parent row, not once per child).
    """

    def per_row(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Return a new float array of the parent's values for each row (filled in place by the caller)."""
        return np.array(values, dtype=float) if parent_rows is None else values[parent_rows].astype(float, copy=False)

    if k <= 0:
        return np.divide(events, at_risk, out=per_row(parent), where=at_risk > 0)
    survived_before = np.exp(-np.concatenate(
        [np.zeros(parent.shape[:-1] + (1,)), _to_cum_hazard(parent)[..., :-1]], axis=-1))
    prior_at_risk = per_row(survived_before)
    prior_at_risk *= k
    total = at_risk + prior_at_risk
    pooled = per_row(parent)  # stays the parent's hazard where nobody is at risk
    prior_at_risk *= pooled  # now the pseudo-invoices' expected payments
    prior_at_risk += events
    np.divide(prior_at_risk, total, out=pooled, where=total > 0)
    return np.minimum(pooled, _MAX_HAZARD, out=pooled)


def _to_cum_hazard(hazard: npt.NDArray[np.float64],
                   out: npt.NDArray[np.float64] | None = None) -> npt.NDArray[np.float64]:
    """Return the cumulative hazard -log S(t) of daily hazards (into out when given: out=hazard is in place)."""
    out = np.minimum(hazard, _MAX_HAZARD, out=out)
    np.negative(out, out=out)
    np.log1p(out, out=out)
    np.cumsum(out, axis=-1, out=out)
    return np.negative(out, out=out)


def last_business_day(day: pd.Timestamp, calendar_country: str) -> pd.Timestamp:
    """Return the last business day on or before day."""
    return BusinessCalendar(calendar_country).last_business_day(day)


@dataclass(frozen=True)
class _Observations:
    """The columns of `delay_observations`: one row per invoice of positive amount settled at as_of."""

    counterparty_id: pd.Series  # text, indexed 0 .. n - 1
    disputed: npt.NDArray[np.bool_]
    delay_days: npt.NDArray[np.int64]  # paid: the delay; open: known to exceed it
    is_paid: npt.NDArray[np.bool_]
    weight: npt.NDArray[np.float64]  # recency: 0.5 ** (age / half-life)
    age_days: npt.NDArray[np.float64]  # issue to as-of, days (the weight of another half-life)
    paid_weekday: npt.NDArray[np.int64]  # Monday = 0; -1 while open
    # Paid on its month's last business day: 1 a batch, 0 not, -1 on its due date (rolled to a business day) that fell
    # there, which says nothing of batches (a direct debit of "45 days end of month" terms); -1 while open too.
    paid_month_end: npt.NDArray[np.int64]
    issue_day: npt.NDArray[np.int64]  # days since 1970-01-01
    due_day: npt.NDArray[np.int64]
    share: npt.NDArray[np.float64]  # paid: share of the amount it brought (1 unless a dispute settled short)
    # Disputed invoices whose first payment was short of the amount: more came after it / none came (settled short).
    more_after_part: npt.NDArray[np.bool_]
    none_after_part: npt.NDArray[np.bool_]


def _observation_columns(invoices: pd.DataFrame, as_of: pd.Timestamp, settings: BehaviourSettings,
                         half_life_days: float | None = None,
                         quiet_days: int = SETTLED_SHORT_QUIET_DAYS) -> _Observations:
    """Return the columns of `delay_observations` (counterparty ids as a Series, the rest as arrays)."""
    needed = [C.COUNTERPARTY_ID, C.DISPUTED, C.ISSUE_DATE, C.DUE_DATE, PAID_DATE]
    # credit notes carry no payment behaviour; a balance carried forward has no dates of its own
    positive = (invoices[C.AMOUNT_TTC] > 0).to_numpy() & own_dates(invoices)
    inv = invoices.loc[positive, needed]
    due = inv[C.DUE_DATE]
    short_all, share_all = settled_short(invoices, as_of, quiet_days)
    short, short_share = short_all[positive], share_all[positive]
    more, none = (a[positive] for a in after_part_payment(invoices, short_all))
    paid_date = _settled_on(invoices, short_all)[positive]
    paid = paid_date.notna()
    # Unpaid at a weekend or holiday as-of says no more than unpaid at the last business day before it.
    # (Seconds as integers: pandas' `where` with a Timestamp took a tenth of a second on two million rows.)
    paid_s = paid_date.to_numpy().astype("datetime64[s]").astype(np.int64)
    censor_s = last_business_day(as_of, settings.calendar_country).value // 1_000_000_000  # ns to s
    end_s = np.where(paid.to_numpy(), paid_s, censor_s)
    due_s = due.to_numpy().astype("datetime64[s]").astype(np.int64)
    age_days = (as_of - inv[C.ISSUE_DATE]).dt.days.clip(lower=0).to_numpy(dtype=float)
    half_life = settings.half_life_days if half_life_days is None else half_life_days
    paid_day = paid_date.to_numpy().astype("datetime64[D]").astype(np.int64)
    return _Observations(
        counterparty_id=inv[C.COUNTERPARTY_ID].astype(str).reset_index(drop=True),
        disputed=inv[C.DISPUTED].to_numpy(dtype=bool),
        # to_numpy(dtype=np.int64) gives int64 (pandas-stubs say only "some integer")
        delay_days=(end_s - due_s) // 86_400,  # whole days, floored as Timedelta.days
        is_paid=paid.to_numpy(),
        weight=0.5 ** (age_days / half_life), age_days=age_days,
        paid_weekday=np.where(paid.to_numpy(), (paid_day + 3) % 7, -1),  # 1970-01-01 was a Thursday
        paid_month_end=_month_end_evidence(paid_day, due.to_numpy().astype("datetime64[D]").astype(np.int64),
                                           paid.to_numpy(), settings.calendar_country),
        issue_day=inv[C.ISSUE_DATE].to_numpy().astype("datetime64[D]").astype(np.int64),
        due_day=due.to_numpy().astype("datetime64[D]").astype(np.int64),
        share=np.where(short, short_share, _cash_shares(invoices)[positive]), more_after_part=more,
        none_after_part=none,
    )


def _month_end_evidence(days: npt.NDArray[np.int64], due_days: npt.NDArray[np.int64], known: npt.NDArray[np.bool_],
                        country: str) -> npt.NDArray[np.int64]:
    """Return 1 where a payment day (since 1970-01-01) is its month's last business day, 0 where not, -1 unknown.

    Unknown: not paid (`known` False), or paid on its due date rolled to a business day when that is a month end.
    """
    out = np.full(len(days), -1, np.int64)
    if not known.any():
        return out
    day = days[known].astype("datetime64[D]")
    calendar = BusinessCalendar(country)
    on_end = calendar.is_month_end(day)
    on_due = calendar.roll_forward(due_days[known].astype("datetime64[D]")) == day
    out[known] = np.where(on_end & on_due, -1, on_end.astype(np.int64))
    return out


def settlement_dates(invoices: pd.DataFrame, as_of: pd.Timestamp,
                     quiet_days: int = SETTLED_SHORT_QUIET_DAYS) -> pd.Series:
    """Return the day each settled invoice is settled: paid in full, or a dispute settled short (NaT: still open)."""
    return _settled_on(invoices, settled_short(invoices, as_of, quiet_days)[0])


def _settled_on(invoices: pd.DataFrame, short: npt.NDArray[np.bool_]) -> pd.Series:
    """Return the day the cash that settled each invoice came (CASH_DATE, else PAID_DATE), with the last payment's
    day for the disputes settled short (`short`).

    An invoice settled by credit notes alone brought no cash: NaT, it is learned as one never paid (censored at
    as-of, then beyond the grid), not as one paid on the credit note's day.
    """
    settled = invoices[CASH_DATE] if CASH_DATE in invoices else invoices[PAID_DATE]
    if not short.any():  # most ledgers, most origins: no where() over every row
        return settled
    return settled.where(~short, invoices[LAST_PAYMENT_DATE])


def _cash_shares(invoices: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Return the share of its amount each invoice covered brought in cash: 1, less where credit notes settled part.

    A dispute that ends in a credit note of 30 % and a payment of the rest brought 0.7 of its amount (model.disputes).
    """
    share = np.ones(len(invoices))
    if CREDITED_AMOUNT not in invoices or PAID_AMOUNT not in invoices:
        return share
    rows = np.flatnonzero(invoices[CREDITED_AMOUNT].to_numpy(float) != 0.0)  # the few credited: read alone
    if not rows.size:
        return share
    with np.errstate(invalid="ignore", divide="ignore"):
        cash = invoices[PAID_AMOUNT].to_numpy(float)[rows] / invoices[C.AMOUNT_TTC].to_numpy(float)[rows]
    share[rows] = np.clip(np.nan_to_num(cash, nan=1.0), 0.0, 1.0)
    return share


def after_part_payment(invoices: pd.DataFrame,
                       short: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Return which disputed invoices paid first in part got more after (instalments), and which ended short."""
    n = len(invoices)
    more, none = np.zeros(n, bool), np.zeros(n, bool)
    if not n or FIRST_PAYMENT_AMOUNT not in invoices or PAID_AMOUNT not in invoices:
        return more, none
    first = invoices[FIRST_PAYMENT_AMOUNT].to_numpy(float)
    rows = np.flatnonzero(first > 0)  # disputed invoices with a payment: the few read below
    amount = invoices[C.AMOUNT_TTC].to_numpy(float)[rows]
    part = first[rows] < amount - COVER_TOLERANCE
    more[rows] = part & (invoices[PAID_AMOUNT].to_numpy(float)[rows] > first[rows] + COVER_TOLERANCE)
    # Ended: settled short, or settled by a credit note for the rest (no more cash came either).
    ended = short[rows]
    if CREDITED_AMOUNT in invoices:
        ended = ended | (invoices[PAID_DATE].notna().to_numpy()[rows]
                         & (invoices[CREDITED_AMOUNT].to_numpy(float)[rows] != 0.0))
    none[rows] = part & ended & ~more[rows]
    return more, none


def settled_short(invoices: pd.DataFrame, as_of: pd.Timestamp,
                  quiet_days: int = SETTLED_SHORT_QUIET_DAYS) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Return which settled invoices are disputes that ended short of their amount, and the share they brought.

    A disputed invoice not covered whose payments stopped at least `quiet_days` before as_of (the side's learned
    quiet period, model.disputes), or that is written off after a payment, is settled on its last payment; the rest
    of it is never paid.
    """
    n = len(invoices)
    short, share = np.zeros(n, bool), np.ones(n)
    if not n or LAST_PAYMENT_DATE not in invoices or PAID_AMOUNT not in invoices:
        return short, share
    # Only disputed invoices carry a last payment date: the few candidates are read, not every row.
    rows = np.flatnonzero(invoices[LAST_PAYMENT_DATE].notna().to_numpy() & invoices[PAID_DATE].isna().to_numpy())
    if not rows.size:
        return short, share
    # Column by column, on the candidate rows only: no copy of the ledger's other columns.
    last = invoices[LAST_PAYMENT_DATE].to_numpy()[rows]
    quiet = last <= np.datetime64(as_of - pd.Timedelta(days=quiet_days))
    written_off = (invoices[C.STATUS].iloc[rows] == "written_off").to_numpy(dtype=bool) if C.STATUS in invoices \
        else False
    with np.errstate(invalid="ignore", divide="ignore"):
        paid_share = invoices[PAID_AMOUNT].to_numpy(float)[rows] / invoices[C.AMOUNT_TTC].to_numpy(float)[rows]
    share[rows] = np.clip(np.nan_to_num(paid_share, nan=1.0), 0.0, 1.0)
    short[rows] = invoices[C.DISPUTED].to_numpy(dtype=bool)[rows] & (quiet | written_off) & (share[rows] > 0)
    return short, share


def delay_observations(invoices: pd.DataFrame, as_of: pd.Timestamp, settings: BehaviourSettings) -> pd.DataFrame:
    """Return one row per settled invoice: delay_days (paid: the delay; open: known to exceed it), is_paid, weight."""
    obs = _observation_columns(invoices, as_of, settings)
    return pd.DataFrame({C.COUNTERPARTY_ID: obs.counterparty_id.to_numpy(), C.DISPUTED: obs.disputed,
                         "delay_days": obs.delay_days, "is_paid": obs.is_paid, "weight": obs.weight})


def fit_behaviour(ledger: Ledger, as_of: date, side: str = C.RECEIVABLE,
                  settings: BehaviourSettings = DEFAULT_BEHAVIOUR) -> BehaviourModel:
    """Return the delay model of one side fitted on what was known at the end of as_of."""
    as_of_ts = pd.Timestamp(as_of).normalize()
    invoices, gaps = settle_with_gaps(ledger.invoices(side), ledger.payments_of(side), as_of_ts)
    return fit_settled(invoices, ledger.counterparties, as_of_ts, side, settings, quiet=learn_quiet_period(gaps))


@dataclass(frozen=True, eq=False)
class FitInputs:
    """What a fit reads from settled invoices whatever its half-life and drift (the tuning's variants share it)."""

    obs: _Observations  # weight column unused: each fit weighs age_days by its own half-life
    kept: npt.NDArray[np.bool_]
    codes: npt.NDArray[np.intp]
    cp_ids: npt.NDArray[np.object_]
    cp_row: dict[str, int]
    segments: npt.NDArray[np.object_]
    cp_index: npt.NDArray[np.int64]
    seg_index: npt.NDArray[np.int64]
    cp_seg: npt.NDArray[np.int64]
    quiet: QuietPeriod  # the quiet period the observations' disputes settled short were read with


def fit_inputs(invoices: pd.DataFrame, counterparties: pd.DataFrame, as_of: pd.Timestamp, side: str,
               settings: BehaviourSettings, quiet: QuietPeriod = DEFAULT_QUIET) -> FitInputs:
    """Return the observations of invoices settled at as_of and their counterparty and segment rows."""
    obs = _observation_columns(invoices, as_of, settings, quiet_days=quiet.days)
    segment_of = segment_map(counterparties, side)
    # Censored before the grid starts = no information; paid/censored past its end = at risk throughout.
    kept = obs.is_paid | (obs.delay_days >= settings.min_delay_days)
    normal = ~obs.disputed[kept]
    # Millions of rows, tens of thousands of counterparties: work on integer codes, strings once per code.
    codes, found = pd.factorize(obs.counterparty_id[kept])
    uniques = np.asarray(found, dtype=object)
    seen = np.bincount(codes[normal], minlength=len(uniques)) > 0
    cp_ids = np.array(sorted(uniques[seen]), dtype=object)  # the counterparties with a profile of their own
    cp_row = {cp: i for i, cp in enumerate(cp_ids)}
    unique_segment = pd.Series(uniques, dtype=object).map(segment_of).fillna(NO_SEGMENT).to_numpy(dtype=object)
    segments = np.array(sorted(set(segment_of.to_numpy()) | set(unique_segment) | {NO_SEGMENT}), dtype=object)
    seg_row = {s: i for i, s in enumerate(segments)}
    cp_index = np.full(len(uniques), -1, dtype=np.int64)
    cp_index[seen] = [cp_row[cp] for cp in uniques[seen]]
    cp_index = cp_index[codes]  # -1: a counterparty with disputed invoices only (used in no normal row)
    seg_index = np.array([seg_row[s] for s in unique_segment], dtype=np.int64)[codes]
    cp_seg = np.array([seg_row[s] for s in pd.Series(cp_ids).map(segment_of).fillna(NO_SEGMENT)],
                      dtype=np.int64)
    return FitInputs(obs, kept, codes, cp_ids, cp_row, segments, cp_index, seg_index, cp_seg, quiet)


def fit_settled(invoices: pd.DataFrame, counterparties: pd.DataFrame, as_of: pd.Timestamp, side: str,
                settings: BehaviourSettings, half_life_days: float | None = None,
                drift: bool | None = None, inputs: FitInputs | None = None,
                segment_cap: bool | None = None, batches: bool | None = None,
                quiet: QuietPeriod = DEFAULT_QUIET) -> BehaviourModel:
    """Return the delay model fitted on invoices already settled at as_of (see `settlement.settle`).

    `half_life_days` and `drift` (each delay moved by its counterparty's drift since issue, model.trend) override the
    settings' (the tuning tries several), and so do `segment_cap` and `batches` (month-end batches looked for); the
    settle mode and calibration are the untuned ones (`model.tuning.learn_behaviour` chooses them). `quiet`: when a
    dispute paid in part counts as settled short (`disputes.learn_quiet_period` of the same ledger at as_of).
    `inputs` is `fit_inputs(...)` of the same arguments, when kept (its quiet period then rules).
    """
    drift = settings.drift == "on" if drift is None else drift
    batches = settings.month_end_batches != "off" if batches is None else batches
    segment_cap = settings.segment_cap == "on" if segment_cap is None else segment_cap
    half_life = settings.half_life_days if half_life_days is None else float(half_life_days)
    inputs = inputs or fit_inputs(invoices, counterparties, as_of, side, settings, quiet)
    obs, kept, codes, cp_ids, cp_row, segments = (inputs.obs, inputs.kept, inputs.codes, inputs.cp_ids,
                                                  inputs.cp_row, inputs.segments)
    cp_index, seg_index, cp_seg = inputs.cp_index, inputs.seg_index, inputs.cp_seg
    grid = np.arange(settings.min_delay_days, settings.never_after_days + 1)
    n_grid = len(grid)
    delay, is_paid, disputed = obs.delay_days[kept], obs.is_paid[kept], obs.disputed[kept]
    normal = ~disputed
    weight = _kish_normalised(0.5 ** (obs.age_days[kept] / half_life), codes * 2 + disputed)
    drift_per_year = np.zeros(len(cp_ids))
    if drift:  # each delay as it would be at as-of: the curves are learned where each counterparty is now
        as_of_day = int(np.datetime64(as_of.date(), "D").astype(np.int64))
        drift_per_year = drift_days_per_year(cp_index, len(cp_ids), obs.issue_day[kept], obs.due_day[kept], delay,
                                             disputed, as_of_day)
        delay = detrended_delays(delay, cp_index, obs.issue_day[kept], drift_per_year, as_of_day)
    beyond = delay > settings.never_after_days
    exit_index = (np.clip(delay, grid[0], grid[-1]) - grid[0]).astype(np.int64)
    is_event = is_paid & ~beyond

    cp_ev, cp_risk = _counts(cp_index[normal], exit_index[normal], is_event[normal], weight[normal],
                             len(cp_ids), n_grid)
    seg_ev, seg_risk = _counts(seg_index[normal], exit_index[normal], is_event[normal],
                               _capped(weight[normal], cp_index[normal], len(cp_ids),
                                       SEGMENT_CAP_INVOICES if segment_cap else np.inf),
                               len(segments), n_grid)
    all_ev, all_risk = seg_ev.sum(axis=0), seg_risk.sum(axis=0)
    h_all = _shrunk(all_ev, all_risk, _prior_hazard(grid, settings), settings.prior_k)
    h_seg = _shrunk(seg_ev, seg_risk, np.broadcast_to(h_all, seg_ev.shape), settings.segment_shrinkage_k)
    n_cp, n_seg = len(cp_ids), len(segments)
    cum_hazard = np.empty((n_cp + n_seg + 1, n_grid))
    # Counterparty rows by blocks, row-by-row steps (the figures of whole-matrix ones) whose temporaries stay in cache.
    step = max(1, _BLOCK_CELLS // n_grid)
    for start in range(0, n_cp, step):
        rows = slice(start, min(start + step, n_cp))
        block = cum_hazard[rows]
        block[:] = _shrunk(cp_ev[rows], cp_risk[rows], h_seg, settings.shrinkage_k, parent_rows=cp_seg[rows])
        _to_cum_hazard(block, out=block)
    del cp_ev, cp_risk  # [counterparties, grid] each: free before the next ones
    cum_hazard[n_cp:] = np.vstack([h_seg, h_all[None, :]])
    _to_cum_hazard(cum_hazard[n_cp:], out=cum_hazard[n_cp:])
    profiles = _profiles_frame(cp_ids, segments, is_paid, normal, cp_index, seg_index)
    profiles["drift_days_per_year"] = np.concatenate([drift_per_year, np.zeros(n_seg + 1)])
    tree = Hierarchy(cp_index, seg_index, cp_seg, n_seg)
    weekdays = pooled_category_shares(obs.paid_weekday[kept] % 7, weight * is_paid, tree, BUSINESS_WEEK,  # unpaid:
                                      PRIOR_PAYMENTS, WEEKDAY_K_SEGMENT, WEEKDAY_K_COUNTERPARTY)  # -1, weight 0
    settle_weekdays = weekdays >= ALLOWED_SHARE_OF_PEAK * weekdays.max(axis=1, keepdims=True)
    evidence = obs.paid_month_end[kept]
    month_end = pooled_votes((evidence == 1).astype(float), weight * (evidence >= 0), tree, 0.0, MONTH_END_K_SIDE,
                             MONTH_END_K_SEGMENT, MONTH_END_K_COUNTERPARTY) >= MONTH_END_SHARE
    month_end &= batches
    rates = pooled_shares(disputed[:, None].astype(float), weight, tree, np.zeros(1), 1.0,
                          DISPUTE_K_SEGMENT, DISPUTE_K_COUNTERPARTY)[:, 0]
    model = BehaviourModel(
        side=side, as_of=as_of, settings=settings, delay_grid_days=grid, cum_hazard=cum_hazard,
        counterparty_rows=cp_row, segment_rows={s: n_cp + i for i, s in enumerate(segments)},
        global_row=n_cp + n_seg, profiles=profiles,
        settle_weekdays=settle_weekdays, avoid_holidays=~settle_weekdays[:, 5] & ~settle_weekdays[:, 6],
        settle_month_end=month_end if month_end.any() else None,
        dispute_rate=rates,
        dispute_extra=learn_disputes(np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0), settings.never_after_days,
                                     settings.disputed_extra_delay_days),
        half_life_days=half_life, drift=drift, segment_cap=segment_cap,
        policy=settings.payables_policy if side == C.PAYABLE else "learned",
        dispute_quiet=inputs.quiet,
    )
    # model.quantile_days and model.p_never of every row, by blocks of rows (one survival block each).
    quantiles = {0.1: "p10_delay_days", 0.5: "median_delay_days", 0.9: "p90_delay_days"}
    columns = {name: np.full(len(profiles), np.nan) for name in [*quantiles.values(), "p_never"]}
    step = max(1, (1 << 18) // n_grid)
    for start in range(0, len(profiles), step):
        survival = np.exp(-cum_hazard[start:start + step])
        for prob, name in quantiles.items():
            below = survival <= 1.0 - prob
            columns[name][start:start + step] = np.where(below.any(axis=1), grid[below.argmax(axis=1)], np.nan)
        columns["p_never"][start:start + step] = survival[:, -1]
    for name, values in columns.items():
        profiles[name] = values
    # A disputed invoice's extra delay: from its counterparty's usual (median) delay, else its segment's.
    disp = ~normal
    usual_row = np.where(cp_index >= 0, cp_index, n_cp + seg_index)[disp]
    usual = np.nan_to_num(columns["median_delay_days"][usual_row], nan=float(settings.never_after_days))
    after_part = (float(weight[disp] @ obs.more_after_part[kept][disp]),
                  float(weight[disp] @ obs.none_after_part[kept][disp]))
    extra = learn_disputes((delay[disp] - usual).astype(np.int64), is_paid[disp], weight[disp],
                           settings.never_after_days, settings.disputed_extra_delay_days, obs.share[kept][disp],
                           after_part)
    return replace(model, dispute_extra=extra)


def segment_map(counterparties: pd.DataFrame, side: str) -> pd.Series:
    """Return segment by counterparty id for the counterparties of one side."""
    cps = counterparties
    if C.KIND in cps.columns and len(cps):
        cps = cps[cps[C.KIND] == C.KIND_OF_SIDE[side]]
    if not len(cps) or C.SEGMENT not in cps.columns:
        return pd.Series(dtype=object)
    seg = cps[C.SEGMENT].astype(object).where(cps[C.SEGMENT].notna(), NO_SEGMENT)
    return pd.Series(seg.to_numpy(), index=cps[C.COUNTERPARTY_ID].astype(str).to_numpy()).groupby(level=0).first()


def _capped(weight: npt.NDArray[np.float64], cp_index: npt.NDArray[np.int64], n_cp: int,
            cap: float) -> npt.NDArray[np.float64]:
    """Return weights scaled down per counterparty so none sums to more than cap (rows with cp_index -1 kept)."""
    if not np.isfinite(cap) or not len(weight):
        return weight
    mine = cp_index >= 0
    totals = np.bincount(cp_index[mine], weights=weight[mine], minlength=n_cp)
    scale = np.minimum(1.0, cap / np.maximum(totals, 1e-300))
    return np.where(mine, weight * scale[np.maximum(cp_index, 0)], weight)


def _kish_normalised(weight: npt.NDArray[np.float64], group: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Return weights rescaled per group so they sum to Kish's effective sample size (sum w)^2 / sum w^2."""
    if not len(weight):
        return weight
    codes, _ = pd.factorize(group)
    s1 = np.bincount(codes, weights=weight)
    s2 = np.bincount(codes, weights=weight**2)
    return weight * (s1 / s2)[codes]


def _profiles_frame(
    counterparties: npt.NDArray[np.object_], segments: npt.NDArray[np.object_], paid: npt.NDArray[np.bool_],
    normal: npt.NDArray[np.bool_], cp_index: npt.NDArray[np.int64], seg_index: npt.NDArray[np.int64],
) -> pd.DataFrame:
    """Return a frame describing each profile row: level, key and how much history it rests on."""
    cp_i = cp_index[normal]
    n_cp_paid = np.bincount(cp_i, weights=paid[normal], minlength=len(counterparties))
    n_cp = np.bincount(cp_i, minlength=len(counterparties))
    n_seg_paid = np.bincount(seg_index[normal], weights=paid[normal], minlength=len(segments))
    n_seg = np.bincount(seg_index[normal], minlength=len(segments))
    return pd.DataFrame({
        "level": ["counterparty"] * len(counterparties) + ["segment"] * len(segments) + ["all"],
        "key": list(counterparties) + list(segments) + ["*"],
        "n_paid": np.concatenate([n_cp_paid, n_seg_paid, [paid[normal].sum()]]).astype(int),
        "n_open": np.concatenate([n_cp - n_cp_paid, n_seg - n_seg_paid, [(~paid[normal]).sum()]]).astype(int),
    })
