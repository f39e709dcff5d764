"""The 13-week treasury table: opening, receipts and disbursements by category, net, closing with its range, by
week or by month, for all accounts or one; days up to as-of from the bank's movements, later days forecast.

Closing balances are the outlook's: after as-of, the projection's expected closing and its P10/P50/P90 (each
account's from its own paths); up to as-of, the opening cash at as-of less the movements booked after each day.
Every period's opening is the previous period's closing, and opening + net = closing. Lines group the categories
as a treasurer reads them: card receipts are client receipts, VAT and taxes share a line, loans include the
repayment of other financing, and rent, bank fees and the rest are 'other'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.types import as_of_timestamp
from forecasting.projection.breakdown import Breakdown, is_receipt, known_category
from forecasting.projection.types import Projection

RECEIPT_LINES = ("clients", "other_receipts")
DISBURSEMENT_LINES = ("suppliers", "payroll", "social", "vat_tax", "loans", "capex", "other_disbursements")
CLOSING_LINES = ("closing_expected", "closing_p10", "closing_p50", "closing_p90")
LINES = ("opening", *RECEIPT_LINES, "receipts", *DISBURSEMENT_LINES, "disbursements", "net", *CLOSING_LINES)
_RECEIPT_LINE = {"clients": "clients", "card_receipts": "clients"}
_DISBURSEMENT_LINE = {"suppliers": "suppliers", "payroll": "payroll", "social": "social", "vat": "vat_tax",
                      "tax": "vat_tax", "loan": "loans", "financing": "loans", "capex": "capex"}
ACTUAL, FORECAST, MIXED = "actual", "forecast", "actual+forecast"
PERIODS = ("week", "month")


@dataclass(frozen=True, eq=False)
class TreasuryTable:
    """Lines (LINES) by period: one column per period start, its status and last day."""

    table: pd.DataFrame  # index LINES, columns the periods' first days; EUR, disbursements positive
    status: pd.Series  # period start -> ACTUAL | FORECAST | MIXED
    last_day: pd.Series  # period start -> the last day the period covers (a month may end with the horizon)
    account: str | None
    period: str


def line_of(category: pd.Series, amount: npt.NDArray[np.float64]) -> npt.NDArray[np.object_]:
    """Return the table line of each flow from its category and sign (projection.breakdown.is_receipt)."""
    cats = known_category(category).reset_index(drop=True)
    receipt = is_receipt(cats, amount)
    inflow = cats.map(_RECEIPT_LINE).fillna("other_receipts")
    outflow = cats.map(_DISBURSEMENT_LINE).fillna("other_disbursements")
    return np.where(receipt, inflow.to_numpy(dtype=object), outflow.to_numpy(dtype=object))


def treasury_table(projection: Projection, parts: Breakdown, movements: pd.DataFrame,
                   movements_eur: npt.NDArray[np.float64], as_of: date, period: str = "week", past: int | None = None,
                   account: str | None = None) -> TreasuryTable:
    """Return the table of all accounts (account None) or one, by week or month, `past` periods of actuals first.

    `past` defaults to 4 weeks or 1 month. Without any movement the table starts the day after as-of (there is
    nothing to show as actual).
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, got {period!r}")
    past = (4 if period == "week" else 1) if past is None else past
    as_of_ts = as_of_timestamp(as_of)
    first_forecast = as_of_ts + pd.Timedelta(days=1)
    last = pd.Timestamp(projection.daily["date"].iloc[-1])
    start = _period_start(first_forecast, period)[0] - _periods(past, period) if len(movements) else first_forecast
    days = pd.date_range(start, last, freq="D")
    flows = _daily_lines(parts, movements, movements_eur, as_of_ts, start, account)
    closing = _daily_closing(projection, parts, flows, days, as_of_ts, account)
    keys = _period_start(days, period)
    lines = flows.assign(period=_period_start(flows["date"], period)).pivot_table(
        index="line", columns="period", values="amount", aggfunc="sum", fill_value=0.0) if len(flows) else (
        pd.DataFrame())
    periods = pd.DatetimeIndex(pd.unique(keys))
    table = pd.DataFrame(0.0, index=list(LINES), columns=periods)
    for line in (*RECEIPT_LINES, *DISBURSEMENT_LINES):
        if line in lines.index:
            table.loc[line] = lines.loc[line].reindex(periods, fill_value=0.0).to_numpy()
    table.loc["receipts"] = table.loc[list(RECEIPT_LINES)].sum()
    table.loc["disbursements"] = table.loc[list(DISBURSEMENT_LINES)].sum()
    table.loc["net"] = table.loc["receipts"] - table.loc["disbursements"]
    first_day = pd.Series(days, index=keys).groupby(level=0).min()
    last_day = pd.Series(days, index=keys).groupby(level=0).max()
    before = closing["closing_expected"].reindex(first_day - pd.Timedelta(days=1))
    # The table's first day has no row before it: its opening is its closing less its net.
    opening = before.to_numpy(dtype=float, copy=True)
    end = closing.reindex(last_day.to_numpy())
    if np.isnan(opening[0]):
        opening[0] = end["closing_expected"].iloc[0] - table.loc["net"].iloc[0]
    table.loc["opening"] = opening
    for line in CLOSING_LINES:
        table.loc[line] = end[line].to_numpy()
    status = pd.Series(np.where(last_day <= as_of_ts, ACTUAL, np.where(first_day > as_of_ts, FORECAST, MIXED)),
                       index=periods)
    return TreasuryTable(table=table, status=status, last_day=pd.Series(last_day.to_numpy(), index=periods),
                         account=account, period=period)


def _period_start(dates: pd.Series | pd.DatetimeIndex | pd.Timestamp, period: str) -> pd.DatetimeIndex:
    """Return the Monday (week) or the first day of the month (month) of each date."""
    index = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates) if isinstance(dates, pd.Timestamp) else dates))
    if period == "week":
        return index - pd.to_timedelta(index.day_of_week, unit="D")
    return index.to_period("M").to_timestamp()


def _periods(n: int, period: str) -> pd.DateOffset:
    """Return the length of n periods."""
    return pd.DateOffset(weeks=n) if period == "week" else pd.DateOffset(months=n)


def _daily_lines(parts: Breakdown, movements: pd.DataFrame, eur: npt.NDArray[np.float64], as_of: pd.Timestamp,
                 start: pd.Timestamp, account: str | None) -> pd.DataFrame:
    """Return date, line, amount (positive on both sides): movements up to as-of, the forecast after it."""
    dates = pd.to_datetime(movements[C.BOOKING_DATE]) if len(movements) else pd.Series(dtype="datetime64[ns]")
    keep = ((dates >= start) & (dates <= as_of)).to_numpy(copy=True)
    if account is not None and len(movements):
        keep &= (movements[C.ACCOUNT_ID].astype(str) == account).to_numpy()
    amount = np.asarray(eur, dtype=float)[keep] if len(movements) else np.zeros(0)
    line = line_of(movements.loc[keep, C.CATEGORY], amount) if keep.any() else np.array([], dtype=object)
    # A line's amount is positive on its own side: a refund booked among receipts (a client's debit) lowers it.
    actual = pd.DataFrame({"date": dates[keep].to_numpy(), "line": line,
                           "amount": np.where(pd.Series(line, dtype=object).isin(RECEIPT_LINES), amount, -amount)})
    flows = parts.flows if account is None else parts.flows[parts.flows[C.ACCOUNT_ID] == account]
    net = (flows["receipts"] - flows["disbursements"]).to_numpy(dtype=float)
    lines = line_of(flows[C.CATEGORY], net)
    forecast = pd.DataFrame({"date": flows["date"].to_numpy(), "line": lines,
                             "amount": np.where(pd.Series(lines).isin(RECEIPT_LINES), net, -net)})
    return pd.concat([actual[["date", "line", "amount"]], forecast], ignore_index=True)


def _daily_closing(projection: Projection, parts: Breakdown, flows: pd.DataFrame, days: pd.DatetimeIndex,
                   as_of: pd.Timestamp, account: str | None) -> pd.DataFrame:
    """Return each day's closing (expected, P10, P50, P90): forecast after as-of, rolled back from it before."""
    if account is None:
        forecast = projection.daily.set_index("date")[list(CLOSING_LINES)]
        opening = float(projection.summary.opening_balance)
    else:
        rows = parts.closings[parts.closings[C.ACCOUNT_ID] == account]
        forecast = rows.set_index("date")[list(CLOSING_LINES)]
        opening = float(parts.openings.get(account, 0.0))
    past = days[days <= as_of]
    amount = flows["amount"].to_numpy(dtype=float)
    signed = np.where(flows["line"].isin(RECEIPT_LINES).to_numpy(dtype=bool), amount, -amount)
    net = pd.Series(signed, index=pd.DatetimeIndex(pd.to_datetime(flows["date"])), dtype=float)
    net = net.groupby(level=0).sum().reindex(past, fill_value=0.0)
    # The closing of day d <= as-of is the opening at as-of less what was booked after d up to as-of.
    after = net[::-1].cumsum()[::-1].shift(-1, fill_value=0.0)
    actual = pd.DataFrame({"closing_expected": opening - after.to_numpy()}, index=past)
    for line in CLOSING_LINES[1:]:
        actual[line] = np.nan
    return pd.concat([actual, forecast.reindex(days[days > as_of])])
