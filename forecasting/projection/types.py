"""The projection's data: its settings, the sampled cash items a what-if edits, and the frames it sums them into.

Kept apart from the code that builds them (forecast.py, items.py, frames.py) so every module of the stage, and
the stages above, can name them without importing each other.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.blocks import row_blocks
from forecasting.core.errors import InputError
from forecasting.core.terms import EOM_METHODS
from forecasting.model.behaviour import BehaviourModel
from forecasting.model.sampling import NEVER, quantile_offsets
from forecasting.model.settings import BehaviourSettings

MAX_HORIZON_WEEKS = 52
Rows = npt.NDArray[np.intp] | npt.NDArray[np.bool_] | slice  # which rows of a per-item array to take


@dataclass(frozen=True)
class ProjectionSettings:
    """How the projection samples and what it includes."""

    n_sims: int = 200  # Monte-Carlo paths; the band's percentiles rest on them
    max_draws: int = 12_000_000  # items × paths budget: a very large ledger gets fewer paths (never under 50)
    max_future_counterparties: int = 2000  # per side; smaller ones are pooled by segment and terms
    seed: int = 42  # same data + same seed = same forecast
    calendar_country: str = "FR"  # payments land on this calendar's business days
    eom_method: str = "days_then_eom"  # how "N days end of month" is read for future invoices
    behaviour: BehaviourSettings = field(default_factory=BehaviourSettings)
    future_invoicing: bool = True  # add invoices not issued yet (forecast from invoicing history)
    share_window_days: int = 182  # recent invoicing that splits the future invoicing between counterparties
    client_correlation: float = 0.3  # invoices of one client tend to be paid together (Gaussian copula)

    def __post_init__(self) -> None:
        """Reject settings that cannot give a forecast."""
        if self.n_sims < 10:
            raise InputError(f"n_sims must be at least 10 for a band, got {self.n_sims}")
        if self.eom_method not in EOM_METHODS:
            raise InputError(f"unknown end-of-month method {self.eom_method!r}: expected one of {EOM_METHODS}")
        if not 0.0 <= self.client_correlation < 1.0:
            raise InputError("client_correlation must be in [0, 1)")
        # One calendar for everything: the behaviour model censors at the last business day with it.
        object.__setattr__(self, "behaviour", replace(self.behaviour, calendar_country=self.calendar_country))


DEFAULT_SETTINGS = ProjectionSettings()


@dataclass(frozen=True, eq=False)
class FutureDays:
    """Issue and due days of future invoices: each may be issued on any of 7 days, drawn per simulation.

    Offsets are days after as_of. Kept compact (a weekday per draw and a 7-day table per invoice) so a
    what-if can recompute due dates under new terms without re-sampling: issue = issue_by_day[weekday].
    """

    weekday: npt.NDArray[np.int8]  # [n, n_sims]: which of the week's 7 days the invoice is issued on
    issue_by_day: npt.NDArray[np.int32]  # [n, 7]
    due_by_day: npt.NDArray[np.int32]  # [n, 7]

    @functools.cached_property
    def _issue_all(self) -> npt.NDArray[np.int32]:
        """Return issue offsets [n, n_sims] (computed once: every what-if reads them)."""
        return np.take_along_axis(self.issue_by_day, self.weekday.astype(np.intp), axis=1)

    @functools.cached_property
    def _due_all(self) -> npt.NDArray[np.int32]:
        """Return due offsets [n, n_sims] (computed once)."""
        return np.take_along_axis(self.due_by_day, self.weekday.astype(np.intp), axis=1)

    def issue(self, rows: Rows = slice(None)) -> npt.NDArray[np.int32]:
        """Return issue offsets [k, n_sims] of the given rows."""
        return self._issue_all[rows]

    def due(self, rows: Rows = slice(None)) -> npt.NDArray[np.int32]:
        """Return due offsets [k, n_sims] of the given rows."""
        return self._due_all[rows]

    @staticmethod
    def concat(parts: list[FutureDays], n_sims: int) -> FutureDays:
        """Return the rows of several FutureDays stacked (empty when none)."""
        if not parts:
            return FutureDays(np.zeros((0, n_sims), np.int8), np.zeros((0, 7), np.int32), np.zeros((0, 7), np.int32))
        return FutureDays(np.concatenate([p.weekday for p in parts]), np.concatenate([p.issue_by_day for p in parts]),
                          np.concatenate([p.due_by_day for p in parts]))


@dataclass(frozen=True, eq=False)
class CashItems:
    """Everything aggregate needs: items, their sampled payment days [n_items, n_sims] and the opening cash.

    Row i of `pay_day_offsets` belongs to `items.iloc[i]`; offsets are days after as_of (1 = the next day),
    `sampling.NEVER` = never paid. An item's amount in simulation s is amount * amount_scales[scale_row, s]
    (future invoicing volume and the share a dispute settles for vary by path; row 0 is all ones).
    """

    as_of: pd.Timestamp
    horizon_weeks: int
    dates: npt.NDArray[np.datetime64]  # datetime64[D] of day 1 .. n_days
    items: pd.DataFrame
    pay_day_offsets: npt.NDArray[np.int32]
    amount_scales: npt.NDArray[np.float64]
    future_days: FutureDays  # issue/due days per draw of the future invoices (items' `future_row`)
    roll_table: npt.NDArray[np.int64]  # offset 0..n_days -> offset of the business day it rolls to
    accounts: pd.DataFrame  # account_id, currency, opening_balance (EUR), balance_date, overdraft_limit, is_main
    opening_balance: float
    opening_balance_date: pd.Timestamp | None
    overdraft_limit: float
    covers: tuple[str, ...]
    notes: tuple[str, ...]
    models: dict[str, BehaviourModel]
    invoicing_methods: dict[str, str]
    settings: ProjectionSettings
    # Flows a what-if adds without items of their own (finance costs, charge-backs), on the main account:
    # EUR per [daily-frame column, day, path]; and what they settle per [receivables|payables, day] (expected).
    extra_paths: npt.NDArray[np.float64] | None = None
    extra_settled: npt.NDArray[np.float64] | None = None

    @property
    def n_days(self) -> int:
        """Return the number of days projected."""
        return len(self.dates)

    def payment_dates(self, quantile: float = 0.5) -> npt.NDArray[np.datetime64]:
        """Return each item's payment-date quantile among the draws where it is paid (NaT if never paid)."""
        offsets = quantile_offsets(self.pay_day_offsets, quantile)
        paid = ~np.isnan(offsets)
        dates = np.datetime64(self.as_of.date(), "D") + np.nan_to_num(offsets).astype(np.int64)
        return np.where(paid, dates, np.datetime64("NaT"))

    def never_paid_share(self) -> npt.NDArray[np.float64]:
        """Return each item's share of draws where it is never paid (its bad-debt probability)."""
        return np.asarray((self.pay_day_offsets >= NEVER).mean(axis=1), dtype=np.float64)

    def path_amounts(self, values: npt.ArrayLike | None = None,
                     rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        """Return [rows, n_sims]: each item's amount (or `values`, one per row) in every simulated path.

        Only future and disputed invoices vary by path (scale row > 0); the others are repeated, not gathered from
        row 0 of the scales, which saves a pass over the largest array of a forecast.
        """
        base, scale_row = self._amounts_and_scale_rows(values, rows)
        return _on_paths(base, scale_row, self.amount_scales, self.pay_day_offsets.shape[1])

    def path_amount_blocks(self, values: npt.ArrayLike | None = None, rows: npt.NDArray[np.int64] | None = None
                           ) -> Iterator[tuple[slice, npt.NDArray[np.float64]]]:
        """Yield (a slice of the rows, their path amounts) block after block: path_amounts() without its full array."""
        base, scale_row = self._amounts_and_scale_rows(values, rows)
        n_sims = self.pay_day_offsets.shape[1]
        for part in row_blocks(len(base), n_sims):
            yield part, _on_paths(base[part], scale_row[part], self.amount_scales, n_sims)

    def _amounts_and_scale_rows(self, values: npt.ArrayLike | None, rows: npt.NDArray[np.int64] | None
                                ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Return the rows' amounts (or `values`) and scale rows (all rows when `rows` is None)."""
        chosen = np.arange(len(self.items)) if rows is None else np.asarray(rows, dtype=np.int64)
        base = (self.items[C.AMOUNT].to_numpy(dtype=float)[chosen] if values is None
                else np.asarray(values, dtype=float))
        return base, self.items["scale_row"].to_numpy(dtype=np.int64)[chosen]

    def select(self, mask: npt.ArrayLike) -> CashItems:
        """Return a copy keeping only the items where mask is True (samples kept aligned)."""
        keep = np.asarray(mask, dtype=bool)
        return replace(self, items=self.items[keep].reset_index(drop=True), pay_day_offsets=self.pay_day_offsets[keep])


def _on_paths(base: npt.NDArray[np.float64], scale_row: npt.NDArray[np.int64], scales: npt.NDArray[np.float64],
              n_sims: int) -> npt.NDArray[np.float64]:
    """Return [rows, n_sims]: each amount repeated on every path, times its path's scale where it varies."""
    amounts = np.empty((len(base), n_sims))
    amounts[:] = base[:, None]
    varies = np.flatnonzero(scale_row > 0)
    if len(varies):
        amounts[varies] = base[varies, None] * scales[scale_row[varies]]
    return amounts


@dataclass(frozen=True)
class ProjectionSummary:
    """The headline figures of a projection (EUR): opening cash, lowest point, first shortfall and breach, bad debt,
    net cash at horizon.

    Each cash figure has one statistic (reports/figures.py names it): the expected (mean) path, whose daily closing
    is opening + the expected receipts − disbursements shown week by week, and whose differences between scenarios
    add up; P10 and P90 give the range. Fields run in the order of `cashpilot forecast --format json`'s summary,
    which shows all but n_sims, min_cash_p10, receipts_after_horizon and invoicing_forecast
    (reports.payload.summary_json).
    """

    as_of: pd.Timestamp
    horizon_weeks: int
    n_sims: int  # simulated paths the band rests on
    opening_balance: float
    opening_balance_date: pd.Timestamp | None  # the latest balance date used (None: no balance)
    min_cash: float  # the lowest expected daily closing
    min_cash_date: pd.Timestamp
    min_cash_p10: float  # the lowest daily closing of the pessimistic path
    first_shortfall_date: pd.Timestamp | None  # first day the expected closing is below zero
    first_overdraft_breach_date: pd.Timestamp | None  # first day the expected closing is beyond the overdraft
    overdraft_limit: float  # authorised overdraft of all accounts, a positive amount
    expected_bad_debt: float  # client invoices expected never to be paid
    receipts_after_horizon: float  # client receipts expected after the last projected day
    covers: tuple[str, ...]  # what the forecast includes: receipts, supplier_payments, planned_flows, bank_balances
    notes: tuple[str, ...]
    invoicing_forecast: Mapping[str, str]  # side -> method that forecast its future invoicing
    net_cash_at_horizon: float  # expected closing of all accounts on the last day (an overdraft used is negative)
    net_cash_at_horizon_p10: float  # its likely range: 1 chance in 10 below, 1 in 10 above
    net_cash_at_horizon_p90: float


@dataclass(frozen=True, eq=False)
class Projection:
    """The cash forecast: daily and weekly frames, per-account daily frame, and its headline figures."""

    daily: pd.DataFrame
    weekly: pd.DataFrame
    accounts_daily: pd.DataFrame
    summary: ProjectionSummary


