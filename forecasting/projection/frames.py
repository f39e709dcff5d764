"""Sums sampled cash items into the daily, weekly and per-account frames of a projection (vectorised)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.blocks import add_at
from forecasting.model.sampling import NEVER
from forecasting.projection.types import CashItems, ProjectionSummary

RECEIPT_KINDS = ("receipts_open_invoices", "receipts_future_invoices", "receipts_other")
# financial_costs: discount, factoring and other finance charges a what-if adds (0 in a plain forecast)
DISBURSEMENT_KINDS = ("suppliers", "payroll", "social", "vat", "tax", "rent", "loan", "capex", "financial_costs",
                      "other")
BUCKETS = RECEIPT_KINDS + DISBURSEMENT_KINDS
_N_RECEIPT = len(RECEIPT_KINDS)
_OUTFLOW_CATEGORY = {"financing": "loan"}  # repaying financing is a loan disbursement
Column = npt.NDArray[np.float64] | pd.DatetimeIndex  # a column of the daily or weekly frame being built


def _bucket_of(side: str, kind: str, category: str, inflow: bool) -> int:
    """Return the daily-frame column of one kind of item."""
    if side == C.RECEIVABLE and kind == "open_invoice":
        return 0
    if side == C.RECEIVABLE and kind == "future_invoice":
        return 1
    if side == C.PAYABLE:
        return BUCKETS.index("suppliers")
    if inflow:
        return 2
    column = _OUTFLOW_CATEGORY.get(category, category)
    return BUCKETS.index(column if column in DISBURSEMENT_KINDS else "other")


def item_buckets(items: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Return each item's column in the daily frame (index into BUCKETS)."""
    # Items come in a handful of (side, kind, category, sign) combinations: decide each combination once.
    codes = [pd.factorize(items[c])[0] for c in (C.SIDE, "kind", C.CATEGORY)]
    uniques = [pd.factorize(items[c])[1] for c in (C.SIDE, "kind", C.CATEGORY)]
    inflow = items[C.AMOUNT].to_numpy(dtype=float) >= 0
    sizes = [len(u) + 1 for u in uniques]
    combined = ((codes[0] + 1) * sizes[1] + codes[1] + 1) * sizes[2] + codes[2] + 1
    combined = combined.astype(np.int64) * 2 + inflow
    distinct, inverse = _small_unique(combined)
    columns = []
    for value in distinct:
        rest, sign = divmod(int(value), 2)
        rest, cat = divmod(rest, sizes[2])
        side, kind = divmod(rest, sizes[1])
        label = [str(u[i - 1]) if i > 0 else "" for u, i in zip(uniques, (side, kind, cat), strict=True)]
        columns.append(_bucket_of(label[0], label[1], label[2].lower(), bool(sign)))
    return np.asarray(columns, dtype=np.int64)[inverse.reshape(-1)] if len(items) else np.zeros(0, np.int64)


def _small_unique(values: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Return np.unique(values, return_inverse=True) of small non-negative codes, by a table instead of a sort."""
    if not len(values):
        return np.zeros(0, np.int64), np.zeros(0, np.intp)
    present = np.zeros(int(values.max()) + 1, dtype=bool)
    present[values] = True
    distinct = np.flatnonzero(present)
    position = np.zeros(len(present), dtype=np.intp)
    position[distinct] = np.arange(len(distinct))
    return distinct.astype(np.int64), position[values]


def daily_and_weekly(cash: CashItems) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, ProjectionSummary]:
    """Return (daily, weekly, accounts_daily, summary) of the cash items."""
    n_days, n_sims = cash.n_days, cash.pay_day_offsets.shape[1]
    items, offsets = cash.items, cash.pay_day_offsets
    n_items, n_buckets = len(items), len(BUCKETS)
    accounts = cash.accounts
    n_acc = max(len(accounts), 1)
    bucket = item_buckets(items)
    acc = _account_codes(cash)
    # One sum over (account, column, day, sim) gives every sum below. Draws outside the horizon go to
    # 3 bins per column after the cube: before day 1, after the horizon, never paid (bad debt).
    n_cells = n_acc * n_buckets * n_days * n_sims
    # int32 keys: the cube has well under 2**31 cells, and halving memory traffic is what makes this fast.
    group = ((acc * n_buckets + bucket) * n_days - 1).astype(np.int32)[:, None] if n_items else np.zeros((0, 1), np.int32)
    outside_base = (np.int32(n_cells) + 3 * bucket.astype(np.int32))[:, None]
    sim = np.arange(n_sims, dtype=np.int32)[None, :]
    # Block by block of rows: the sums of one bincount over every (item, path), to the bit (core.blocks).
    sums = np.zeros(n_cells + 3 * n_buckets)
    for rows, amounts in cash.path_amount_blocks():
        days = offsets[rows]
        key = (group[rows] + days) * np.int32(n_sims) + sim
        outside = outside_base[rows] + (days > n_days) + (days >= NEVER)
        add_at(sums, np.where((days >= 1) & (days <= n_days), key, outside), amounts)
    cube = sums[:n_cells].reshape(n_acc, n_buckets, n_days, n_sims)
    if cash.extra_paths is not None:
        cube[_main_account_code(cash)] += cash.extra_paths
    outside_sums = sums[n_cells:].reshape(n_buckets, 3) / n_sims  # expected EUR: before, after, never
    by_bucket_paths = cube.sum(axis=0)  # [bucket, day, sim]
    by_bucket = by_bucket_paths.mean(axis=2)  # expected = mean of the simulated paths
    paths = by_bucket_paths.sum(axis=0)
    receipt_paths = by_bucket_paths[:_N_RECEIPT].sum(axis=0)

    receipts = by_bucket[:_N_RECEIPT].sum(axis=0)
    disbursements = 0.0 - by_bucket[_N_RECEIPT:].sum(axis=0)
    net = receipts - disbursements
    closing = cash.opening_balance + np.cumsum(net)
    closing_paths = cash.opening_balance + np.cumsum(paths, axis=0)
    q = np.percentile(closing_paths, [10, 50, 90], axis=1)
    daily_columns: dict[str, Column] = {"date": pd.to_datetime(cash.dates),
                                     "opening": np.concatenate([[cash.opening_balance], closing[:-1]])}
    for k, name in enumerate(BUCKETS):
        daily_columns[name] = by_bucket[k] if k < _N_RECEIPT else 0.0 - by_bucket[k]
    daily_columns.update(receipts=receipts, disbursements=disbursements, net=net, closing_expected=closing,
                         closing_p10=q[0], closing_p50=q[1], closing_p90=q[2])
    daily = pd.DataFrame(daily_columns)

    week_start = cash.dates - ((cash.dates.astype(np.int64) + 3) % 7)
    starts = np.flatnonzero(np.r_[True, week_start[1:] != week_start[:-1]])
    ends = np.r_[starts[1:], n_days] - 1
    rq = np.percentile(np.add.reduceat(receipt_paths, starts, axis=0), [10, 50, 90], axis=1)
    weekly_columns: dict[str, Column] = {"week_start": pd.to_datetime(week_start[starts]),
                                      "opening": daily["opening"].to_numpy()[starts]}
    for name in ("receipts", "receipts_p10", "receipts_p50", "receipts_p90", *RECEIPT_KINDS, "disbursements",
                 *DISBURSEMENT_KINDS, "net"):
        if name.startswith("receipts_p"):
            weekly_columns[name] = rq[(10, 50, 90).index(int(name[-2:]))]
        else:
            weekly_columns[name] = np.add.reduceat(daily[name].to_numpy(), starts)
    weekly_columns.update(closing_expected=closing[ends], closing_p10=q[0][ends], closing_p50=q[1][ends],
                          closing_p90=q[2][ends])
    weekly = pd.DataFrame(weekly_columns)

    accounts_daily = _accounts_daily(cash, cube.mean(axis=3))
    summary = _summary(cash, daily, n_sims, outside_sums)
    return daily, weekly, accounts_daily, summary


def _account_codes(cash: CashItems) -> npt.NDArray[np.int64]:
    """Return each item's account position (invoice flows and unknown accounts go to the main account)."""
    accounts = cash.accounts
    if not len(accounts):
        return np.zeros(len(cash.items), dtype=np.int64)
    code = pd.Series(np.arange(len(accounts)), index=accounts[C.ACCOUNT_ID].to_numpy())
    main = int(np.flatnonzero(accounts["is_main"].to_numpy())[0]) if accounts["is_main"].any() else 0
    # Each distinct account id is looked up once (a map over every item's string took a fifth of a what-if).
    ids, uniques = pd.factorize(cash.items[C.ACCOUNT_ID])
    known = pd.Series(np.asarray(uniques, dtype=object)).map(code).fillna(main).to_numpy(dtype=np.int64)
    return np.append(known, main)[ids]  # a missing id (-1) takes the last entry: the main account


def _main_account_code(cash: CashItems) -> int:
    """Return the position of the main account (where invoice flows are booked)."""
    accounts = cash.accounts
    return int(np.flatnonzero(accounts["is_main"].to_numpy())[0]) if len(accounts) and accounts["is_main"].any() else 0


def _accounts_daily(cash: CashItems, expected: npt.NDArray[np.float64]) -> pd.DataFrame:
    """Return the expected daily cash of each bank account (long frame), empty without bank balances."""
    accounts = cash.accounts
    cols = ["date", C.ACCOUNT_ID, "opening", "receipts", "disbursements", "net", "closing_expected", C.OVERDRAFT_LIMIT]
    if not len(accounts):
        return pd.DataFrame(columns=cols)
    n_days, n_acc = cash.n_days, len(accounts)
    receipts = expected[:, :_N_RECEIPT].sum(axis=1)  # [account, day]
    disb = 0.0 - expected[:, _N_RECEIPT:].sum(axis=1)
    net = receipts - disb
    opening0 = accounts["opening_balance"].to_numpy(dtype=float)[:, None]
    closing = opening0 + np.cumsum(net, axis=1)
    opening = np.concatenate([opening0, closing[:, :-1]], axis=1)
    return pd.DataFrame({
        "date": np.tile(pd.to_datetime(cash.dates), n_acc), C.ACCOUNT_ID: np.repeat(accounts[C.ACCOUNT_ID].to_numpy(), n_days),
        "opening": opening.ravel(), "receipts": receipts.ravel(), "disbursements": disb.ravel(), "net": net.ravel(),
        "closing_expected": closing.ravel(),
        C.OVERDRAFT_LIMIT: np.repeat(accounts[C.OVERDRAFT_LIMIT].to_numpy(dtype=float), n_days),
    }, columns=cols)


def _first_date(dates: pd.Series, mask: npt.NDArray[np.bool_]) -> pd.Timestamp | None:
    """Return the first date where mask holds, or None."""
    return pd.Timestamp(dates.to_numpy()[np.argmax(mask)]) if mask.any() else None


def _summary(cash: CashItems, daily: pd.DataFrame, n_sims: int,
             outside_sums: npt.NDArray[np.float64]) -> ProjectionSummary:
    """Return the headline figures: opening, lowest point, first shortfall and overdraft breach, bad debt."""
    n_days = cash.n_days
    closing = daily["closing_expected"].to_numpy()
    low = int(np.argmin(closing)) if n_days else 0
    receivable = outside_sums[:2]  # columns 0 and 1: client invoices, open and future
    return ProjectionSummary(
        as_of=cash.as_of, horizon_weeks=cash.horizon_weeks, n_sims=int(n_sims),
        opening_balance=float(cash.opening_balance), opening_balance_date=cash.opening_balance_date,
        min_cash=float(closing[low]), min_cash_date=pd.Timestamp(daily["date"].iloc[low]),
        min_cash_p10=float(daily["closing_p10"].min()),
        # the expected path, as the lowest point: a lowest point below zero always has a first day below zero
        first_shortfall_date=_first_date(daily["date"], closing < 0),
        first_overdraft_breach_date=_first_date(daily["date"], closing < -cash.overdraft_limit),
        overdraft_limit=float(cash.overdraft_limit),
        expected_bad_debt=float(receivable[:, 2].sum()),
        receipts_after_horizon=float(receivable[:, 1].sum()),
        covers=tuple(cash.covers), notes=tuple(cash.notes),
        invoicing_forecast=dict(cash.invoicing_methods),
        net_cash_at_horizon=float(closing[-1]) if n_days else float(cash.opening_balance),
        net_cash_at_horizon_p10=float(daily["closing_p10"].iloc[-1]) if n_days else float(cash.opening_balance),
        net_cash_at_horizon_p90=float(daily["closing_p90"].iloc[-1]) if n_days else float(cash.opening_balance),
    )
