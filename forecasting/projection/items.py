"""Builds the cash items of a projection (open invoices, future invoices, planned flows) with sampled payment days."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.terms import BusinessCalendar, due_dates_for
from forecasting.model.behaviour import NO_SEGMENT, BehaviourModel, last_business_day
from forecasting.model.invoicing import (
    InvoicingFit,
    composition_draws,
    counterparty_shares,
    expand_planned_flows,
    fit_invoicing,
    to_reporting,
    week_start,
    weekday_shares,
    weekly_invoicing,
)
from forecasting.model.one_offs import one_off_invoices
from forecasting.model.payment_days import InvoiceDays, UnsettledDraws, draw_unsettled, settled_offsets
from forecasting.model.sampling import correlated_uniforms, policy_delay_days, roll_offsets
from forecasting.model.settlement import OPEN_AMOUNT, own_dates
from forecasting.projection.types import FutureDays, ProjectionSettings

KIND_OPEN, KIND_FUTURE, KIND_PLANNED = "open_invoice", "future_invoice", "planned_flow"
ITEM_COLUMNS = [
    C.SIDE, C.COUNTERPARTY_ID, C.SEGMENT, C.INVOICE_ID, "kind", C.CATEGORY, C.AMOUNT, C.ISSUE_DATE, C.DUE_DATE,
    C.DISPUTED, C.ACCOUNT_ID, "scale_row", "week_index", "future_row",
]
_SIGN = {C.RECEIVABLE: 1.0, C.PAYABLE: -1.0}
_INVOICING_COLUMNS = [C.COUNTERPARTY_ID, C.ISSUE_DATE, C.DUE_DATE, C.TERMS]  # what future invoicing reads
_CATEGORY_OF_SIDE = {C.RECEIVABLE: "clients", C.PAYABLE: "suppliers"}


def open_rows(settled: pd.DataFrame) -> pd.DataFrame:
    """Return the settled invoices still open at as_of (one item each)."""
    return settled[(settled[C.STATUS] == "open") & (settled[OPEN_AMOUNT].abs() > 0.005)]


def open_items(open_: pd.DataFrame, side: str, fx_rates: pd.DataFrame, as_of: pd.Timestamp,
               segments: pd.Series, main_account: str | None) -> pd.DataFrame:
    """Return one item per invoice still open at as_of (`open_rows`), its open amount in EUR and signed by side."""
    amount = to_reporting(open_[OPEN_AMOUNT], open_[C.CURRENCY], fx_rates, as_of) * _SIGN[side]
    cp = open_[C.COUNTERPARTY_ID].astype(str)
    return pd.DataFrame({
        C.SIDE: side, C.COUNTERPARTY_ID: cp.to_numpy(), C.SEGMENT: cp.map(segments).fillna(NO_SEGMENT).to_numpy(),
        C.INVOICE_ID: open_[C.INVOICE_ID].astype(str).to_numpy(), "kind": KIND_OPEN,
        C.CATEGORY: _CATEGORY_OF_SIDE[side], C.AMOUNT: amount,
        C.ISSUE_DATE: open_[C.ISSUE_DATE].to_numpy(), C.DUE_DATE: open_[C.DUE_DATE].to_numpy(),
        C.DISPUTED: open_[C.DISPUTED].to_numpy(dtype=bool), C.ACCOUNT_ID: main_account, "scale_row": 0,
        "week_index": -1, "future_row": -1,
    }, columns=ITEM_COLUMNS)


@dataclass(frozen=True, eq=False)
class FuturePlan:
    """A side's future invoicing before its random draws: the items, their day tables and what the draws read."""

    n_sims: int
    invoicing: InvoicingFit
    one_offs: pd.DataFrame
    items: pd.DataFrame | None  # None: nothing to invoice (no counterparty share or no positive forecast)
    shares: pd.DataFrame
    week: npt.NDArray[np.int64]  # [n] forecast week of each item
    cp_i: npt.NDArray[np.int64]  # [n] row of each item's counterparty in shares
    week_fraction: npt.NDArray[np.float64]  # [n_weeks] share of each week's invoicing still to come
    weekday_cdf: npt.NDArray[np.float64]  # [n, 7] cumulative issue-weekday probabilities
    issue_off: npt.NDArray[np.int64]  # [n, 7]
    due_off: npt.NDArray[np.int64]  # [n, 7]

    def draw(self, rng: np.random.Generator) -> tuple[pd.DataFrame, FutureDays, npt.NDArray[np.float64], str,
                                                       pd.DataFrame]:
        """Return the items, their days, amount scales, method and one-offs (draws paths, weekdays, amounts in turn)."""
        n_sims = self.n_sims
        forecast = self.invoicing.draw(n_sims, rng)
        if self.items is None:
            return (pd.DataFrame(columns=ITEM_COLUMNS), FutureDays.concat([], n_sims), np.ones((1, n_sims)),
                    forecast.method, self.one_offs)
        week, cp_i, week_fraction, shares = self.week, self.cp_i, self.week_fraction, self.shares
        u = rng.random((len(week), n_sims))
        weekday = np.minimum((u[:, :, None] > self.weekday_cdf[:, None, :]).sum(axis=2), 6)
        # Per-sim amount / expected amount: the week's total follows the simulated invoicing path (volume
        # uncertainty), its split between counterparties a compound Poisson draw (lumpiness).
        draws = composition_draws(shares, cp_i, shares["invoices_per_week"].to_numpy()[cp_i] * week_fraction[week],
                                  n_sims, rng)
        week_draws = np.zeros((len(week_fraction), n_sims))
        np.add.at(week_draws, week, draws)
        with np.errstate(invalid="ignore", divide="ignore"):
            volume = np.where(forecast.point[:, None] > 0, forecast.sims / forecast.point[:, None], 1.0)
            split = (np.where(week_draws[week] > 0, draws / week_draws[week], 0.0)
                     / shares["share"].to_numpy()[cp_i][:, None])
        scales = np.vstack([np.ones((1, n_sims)), volume[week] * split])
        days = FutureDays(weekday.astype(np.int8), self.issue_off.astype(np.int32), self.due_off.astype(np.int32))
        return self.items, days, scales, forecast.method, self.one_offs


def plan_future(settled: pd.DataFrame, side: str, fx_rates: pd.DataFrame, as_of: pd.Timestamp, n_days: int,
                segments: pd.Series, main_account: str | None, settings: ProjectionSettings,
                history_end: pd.Timestamp | None = None) -> FuturePlan:
    """Return the future invoice items (one per counterparty and week) and all their draws need but the draws.

    `.draw(rng)` then gives the items, their issue/due days and amount scales. Deterministic, so a side's plan may
    run on another thread while the random generator serves the other side.
    `history_end` is where the invoicing history stops when the data ends before as-of (invoicing_history_end):
    the weekly forecast runs on from it, the counterparties' mix is the one of the weeks before it, and the
    invoices of the days between it and as-of, issued but missing from the data, are estimated like later ones
    (issue offsets <= 0; sample_side has them unpaid at as-of, like the open invoices of the same stale data).
    The plan's one_offs lists the one-off invoices (one_off_invoices: counterparty_id, invoice_id, amount in EUR,
    largest first), left out of the weekly totals, the counterparties' shares and their amounts' mean and spread.
    """
    end = as_of if history_end is None else min(history_end, as_of)
    own = own_dates(settled)
    if not own.all():  # a balance carried forward was issued before its opening-day date (no copy when none is)
        settled = settled[own]
    amounts = to_reporting(settled[C.AMOUNT_TTC], settled[C.CURRENCY], fx_rates, as_of) if len(settled) else np.array([])
    one_off = one_off_invoices(settled[C.COUNTERPARTY_ID], amounts)
    one_offs = pd.DataFrame({C.COUNTERPARTY_ID: settled.loc[one_off, C.COUNTERPARTY_ID].astype(str).to_numpy(),
                             C.INVOICE_ID: settled.loc[one_off, C.INVOICE_ID].astype(str).to_numpy(),
                             C.AMOUNT: amounts[one_off]})
    one_offs = one_offs.iloc[np.argsort(-np.abs(one_offs[C.AMOUNT].to_numpy()), kind="stable")]
    if one_off.any():  # a one-off is paid like any open invoice, but it is no run-rate: kept out of what follows
        # Only the columns read below: filtering the whole ledger's text columns costs more than the rest.
        settled, amounts = settled.loc[~one_off, _INVOICING_COLUMNS], amounts[~one_off]
    as_of_day = np.datetime64(as_of.date(), "D")
    end_day = np.datetime64(end.date(), "D")
    first_week = week_start(end_day + 1)[0]
    n_weeks = int((as_of_day + n_days - first_week).astype(np.int64) // 7) + 1
    weekly = weekly_invoicing(settled, amounts, end)
    invoicing = fit_invoicing(weekly, first_week, n_weeks)
    point = invoicing.forecast_point()
    shares = counterparty_shares(settled, amounts, end, settings.share_window_days,
                                 settings.behaviour.half_life_days)
    shares = pool_small_counterparties(shares, segments, settings.max_future_counterparties)
    no_items = np.zeros(0, np.int64)
    if not len(shares) or point.sum() <= 0:  # no history: the point is zeros
        return FuturePlan(settings.n_sims, invoicing, one_offs, None, shares, no_items, no_items, np.zeros(0),
                          np.zeros((0, 7)), np.zeros((0, 7), np.int64), np.zeros((0, 7), np.int64))
    weekday_p = weekday_shares(settled, amounts)
    # Only the days after the data's end can still be invoiced (the first week may be partly past).
    day_of_week = first_week + np.arange(7 * n_weeks)
    open_day = ((day_of_week > end_day) & (day_of_week <= as_of_day + n_days)).reshape(n_weeks, 7)
    week_p = weekday_p[None, :] * open_day
    week_fraction = week_p.sum(axis=1)
    n_cp = len(shares)
    week = np.tile(np.arange(n_weeks), n_cp)
    cp_i = np.repeat(np.arange(n_cp), n_weeks)
    keep = week_fraction[week] > 0
    week, cp_i = week[keep], cp_i[keep]
    amount = point[week] * week_fraction[week] * shares["share"].to_numpy()[cp_i] * _SIGN[side]
    cp = shares[C.COUNTERPARTY_ID].astype(str).to_numpy()[cp_i]
    # Issue weekday per (item, sim) from the weekday mix of past invoicing, restricted to open days.
    cdf = np.cumsum(week_p[week] / week_fraction[week][:, None], axis=1)
    issue_by_day = first_week + 7 * week[:, None] + np.arange(7)[None, :]  # [n, 7]
    terms = np.repeat(shares[C.TERMS].to_numpy(dtype=object), n_weeks)[keep]
    due_by_day = due_dates_for(issue_by_day.ravel(), np.repeat(terms, 7), settings.eom_method).reshape(-1, 7)
    issue_off = (issue_by_day - as_of_day).astype(np.int64)
    due_off = (due_by_day - as_of_day).astype(np.int64)
    likely = np.argmax(week_p[week], axis=1)
    rows = np.arange(len(week))
    items = pd.DataFrame({
        C.SIDE: side, C.COUNTERPARTY_ID: cp,
        C.SEGMENT: _share_segments(shares, segments)[cp_i],
        C.INVOICE_ID: [f"future-{c}-w{w + 1}" for c, w in zip(cp, week, strict=True)], "kind": KIND_FUTURE,
        C.CATEGORY: _CATEGORY_OF_SIDE[side], C.AMOUNT: amount,
        C.ISSUE_DATE: pd.to_datetime(issue_by_day[rows, likely]), C.DUE_DATE: pd.to_datetime(due_by_day[rows, likely]),
        C.DISPUTED: False, C.ACCOUNT_ID: main_account, "scale_row": 1 + rows, "week_index": week,
        "future_row": rows,
    }, columns=ITEM_COLUMNS)
    return FuturePlan(settings.n_sims, invoicing, one_offs, items, shares, week, cp_i, week_fraction, cdf, issue_off,
                      due_off)


POOL_PREFIX = "pool:"


def pool_small_counterparties(shares: pd.DataFrame, segments: pd.Series, keep: int) -> pd.DataFrame:
    """Return the invoicing shares with all but the `keep` largest counterparties pooled by segment and terms.

    Future invoices are one item per counterparty and week: a ledger with tens of thousands of small clients
    would give hundreds of thousands of items. A pool ("pool:<segment>:<terms>") invoices what its members
    did, with the segment's payment behaviour; the largest counterparties keep their own.
    """
    if len(shares) <= keep:
        return shares
    shares = shares.sort_values("share", ascending=False, kind="stable")
    big, tail = shares.iloc[:keep], shares.iloc[keep:]
    segment = tail[C.COUNTERPARTY_ID].astype(str).map(segments).fillna(NO_SEGMENT).astype(str)
    ipw = tail["invoices_per_week"].to_numpy(dtype=float)
    mean = tail["mean_amount"].to_numpy(dtype=float)
    second_moment = ipw * mean**2 * (1 + tail["cv_amount"].to_numpy(dtype=float) ** 2)
    grouped = pd.DataFrame({"segment": segment.to_numpy(), C.TERMS: tail[C.TERMS].astype(str).to_numpy(),
                            "share": tail["share"].to_numpy(dtype=float), "ipw": ipw, "amount": ipw * mean,
                            "m2": second_moment}).groupby(["segment", C.TERMS], sort=True).sum().reset_index()
    pool_mean = grouped["amount"] / grouped["ipw"]
    pools = pd.DataFrame({
        C.COUNTERPARTY_ID: POOL_PREFIX + grouped["segment"] + ":" + grouped[C.TERMS],
        "share": grouped["share"], "invoices_per_week": grouped["ipw"], "mean_amount": pool_mean,
        "cv_amount": np.sqrt(np.maximum(grouped["m2"] / grouped["ipw"] / pool_mean**2 - 1.0, 0.0025)),
        C.TERMS: grouped[C.TERMS],
    })
    return pd.concat([big, pools[big.columns]], ignore_index=True)


def _share_segments(shares: pd.DataFrame, segments: pd.Series) -> npt.NDArray[np.object_]:
    """Return the segment of each row of the shares (a pool's from its id), once per counterparty, not per item."""
    cp = shares[C.COUNTERPARTY_ID].astype(str).reset_index(drop=True)
    return cp.map(segments).fillna(pool_segments(segments, cp)).fillna(NO_SEGMENT).to_numpy()


def pool_segments(segments: pd.Series, pools: pd.Series) -> pd.Series:
    """Return the segment of pooled counterparty ids ("pool:<segment>:<terms>" -> segment)."""
    return pools.str.slice(len(POOL_PREFIX)).str.rsplit(":", n=1).str[0].where(pools.str.startswith(POOL_PREFIX))


def planned_items(flows: pd.DataFrame, fx_rates: pd.DataFrame, as_of: pd.Timestamp,
                  main_account: str | None) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """Return one item per planned-flow occurrence (signed EUR) and its day offset from as_of."""
    amount = to_reporting(flows[C.AMOUNT], flows[C.CURRENCY], fx_rates, as_of) if len(flows) else np.array([])
    account = flows[C.ACCOUNT_ID].astype(object).where(flows[C.ACCOUNT_ID].notna(), main_account)
    category = flows[C.CATEGORY].fillna("other").astype(str).str.lower().to_numpy()
    items = pd.DataFrame({
        C.SIDE: "", C.COUNTERPARTY_ID: "", C.SEGMENT: "", C.INVOICE_ID: flows[C.FLOW_ID].astype(str).to_numpy(),
        "kind": KIND_PLANNED, C.CATEGORY: category, C.AMOUNT: amount,
        C.ISSUE_DATE: pd.NaT, C.DUE_DATE: pd.to_datetime(flows["scheduled_date"]).to_numpy(),
        C.DISPUTED: False, C.ACCOUNT_ID: account.to_numpy(), "scale_row": 0, "week_index": -1, "future_row": -1,
    }, columns=ITEM_COLUMNS)
    offsets = (np.asarray(pd.to_datetime(flows["date"])).astype("datetime64[D]")
               - np.datetime64(as_of.date(), "D")).astype(np.int64)
    return items, offsets


def sample_side(model: BehaviourModel, open_: pd.DataFrame, future: pd.DataFrame, future_days: FutureDays,
                as_of: pd.Timestamp, roll_table: npt.NDArray[np.int64], n_sims: int, correlation: float,
                rng: np.random.Generator) -> tuple[npt.NDArray[np.int32], UnsettledDraws | None, UnsettledDraws | None]:
    """Return payment day offsets [n_open + n_future, n_sims] of one side's open and future invoices.

    With them, the open and the future invoices' draws (None under a payables policy, or without future invoices):
    their disputes' shares of the amount (model.disputes) scale the items' amounts (projection.dispute_shares).
    """
    as_of_day = np.datetime64(as_of.date(), "D")
    due_open = (np.asarray(open_[C.DUE_DATE]).astype("datetime64[D]") - as_of_day).astype(np.int64)[:, None]
    # Known unpaid through the last business day <= as-of (open: later days could not carry a payment)
    # or through the day before issue (future): condition on it.
    last_bd_offset = (np.datetime64(last_business_day(as_of, model.settings.calendar_country).date(), "D")
                      - as_of_day).astype(np.int64)
    items = pd.concat([open_, future], ignore_index=True) if len(future) else open_
    n_open = len(open_)
    if model.policy != "learned":
        due = np.vstack([np.broadcast_to(due_open, (n_open, n_sims)), future_days.due()]) if len(future) else due_open
        known = np.full((n_open, n_sims), last_bd_offset, np.int64)
        issued_before = np.vstack([known, _unpaid_through(future_days, last_bd_offset)]) if len(future) else known
        pay = policy_delay_days(model.policy, np.broadcast_to(due, (len(items), n_sims)),
                                np.maximum(issued_before, 0) + 1, as_of.weekday(), model.settings.payment_run_weekdays)
        return roll_offsets(pay, roll_table), None, None
    uniforms = correlated_uniforms(rng, len(items), n_sims, items[C.COUNTERPARTY_ID].to_numpy(), correlation)
    # Open rows pass [n_open, 1] day arrays that the sampler broadcasts: no full-size temporaries for them.
    out = np.empty((len(items), n_sims), np.int32)
    open_draws = draw_unsettled(model, InvoiceDays(
        open_[C.COUNTERPARTY_ID].to_numpy(), open_[C.SEGMENT].to_numpy(), open_[C.DISPUTED].to_numpy(dtype=bool),
        np.zeros(n_open, bool), due_open, np.full((n_open, 1), last_bd_offset)), uniforms[:n_open], rng)
    out[:n_open] = settled_offsets(model, open_draws, as_of)
    future_draws = None
    if len(future):
        future_draws = draw_unsettled(model, InvoiceDays(
            future[C.COUNTERPARTY_ID].to_numpy(), future[C.SEGMENT].to_numpy(), np.zeros(len(future), bool),
            np.ones(len(future), bool), future_days.due(), _unpaid_through(future_days, last_bd_offset)),
            uniforms[n_open:], rng)
        out[n_open:] = settled_offsets(model, future_draws, as_of)
    return out, open_draws, future_draws


def _unpaid_through(future_days: FutureDays, last_bd_offset: np.int64) -> npt.NDArray[np.int64]:
    """Return the last day each future invoice is known unpaid: the day before its issue, or as-of's last
    business day for one issued before as-of that the data does not hold yet (not paid by as-of either)."""
    return np.maximum(future_days.issue() - 1, last_bd_offset)


def roll_table_for(as_of: pd.Timestamp, n_days: int, calendar: BusinessCalendar) -> npt.NDArray[np.int64]:
    """Return, for each offset 0..n_days, the offset of the business day it rolls forward to."""
    days = np.datetime64(as_of.date(), "D") + np.arange(n_days + 1)
    return (calendar.roll_forward(days) - np.datetime64(as_of.date(), "D")).astype(np.int64)


def main_account_of(ledger: Ledger, as_of: pd.Timestamp) -> str | None:
    """Return the account with the largest latest balance at as_of (where invoice flows are booked)."""
    bal = ledger.bank_balances
    if not len(bal):
        return None
    bal = bal[pd.to_datetime(bal[C.BALANCE_DATE]) <= as_of]
    if not len(bal):
        return None
    latest = bal.sort_values(C.BALANCE_DATE).groupby(C.ACCOUNT_ID)[C.BALANCE].last().astype(float)
    return str(latest.idxmax())


def expanded_flows(ledger: Ledger, start: pd.Timestamp, end: pd.Timestamp, calendar: BusinessCalendar) -> pd.DataFrame:
    """Return planned-flow occurrences in [start, end] (shortcut used by prepare and the opening roll-forward)."""
    return expand_planned_flows(ledger.planned_flows, start, end, calendar)
