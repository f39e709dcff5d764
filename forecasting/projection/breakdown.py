"""The forecast's expected flows by day, bank account and category, and each account's closing range, from the
cached cash items (no refit, no resampling): what a snapshot freezes and the 13-week table shows per account.

Direction follows the projection's frames: client items are receipts and supplier items disbursements (credit
notes net them), planned flows and bank movements of the other categories go by their sign.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.projection.types import CashItems

NO_ACCOUNT = ""  # flows of a forecast without bank balances belong to no account
FLOW_COLUMNS = ["date", C.ACCOUNT_ID, C.CATEGORY, "receipts", "disbursements"]
CLOSING_COLUMNS = ["date", C.ACCOUNT_ID, "closing_expected", "closing_p10", "closing_p50", "closing_p90"]
RECEIPT_CATEGORY, DISBURSEMENT_CATEGORY = "clients", "suppliers"  # always on their side, net of credit notes


@dataclass(frozen=True, eq=False)
class Breakdown:
    """Expected daily flows by account and category (EUR, both positive), and each account's daily closing range."""

    flows: pd.DataFrame  # FLOW_COLUMNS, only non-zero rows
    closings: pd.DataFrame  # CLOSING_COLUMNS, one row per account and day (empty without bank balances)
    openings: pd.Series  # account_id -> opening balance at the end of as-of (EUR)


def is_receipt(category: pd.Series, amount: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Return whether each flow counts as a receipt: clients always, suppliers never, the others by their sign."""
    cat = category.astype(str).to_numpy()
    return np.where(cat == RECEIPT_CATEGORY, True, np.where(cat == DISBURSEMENT_CATEGORY, False, amount >= 0))


def known_category(category: pd.Series) -> pd.Series:
    """Return categories in the movements' vocabulary (C.MOVEMENT_CATEGORIES); missing or unknown ones are 'other'."""
    text = category.astype(object).where(category.notna(), "other").astype(str).str.lower()
    return text.where(text.isin(C.MOVEMENT_CATEGORIES), "other")


def breakdown(cash: CashItems) -> Breakdown:
    """Return the expected flows by day, account and category and each account's closing range, from cash items."""
    items, offsets = cash.items, cash.pay_day_offsets
    n_days, n_sims = cash.n_days, offsets.shape[1]
    accounts = cash.accounts
    names = accounts[C.ACCOUNT_ID].astype(str).tolist() if len(accounts) else [NO_ACCOUNT]
    main = int(np.flatnonzero(accounts["is_main"].to_numpy())[0]) if len(accounts) and accounts["is_main"].any() else 0
    code = pd.Series(np.arange(len(names)), index=names)
    acc = items[C.ACCOUNT_ID].astype(object).map(code).fillna(main).to_numpy(dtype=np.int64)
    categories = known_category(items[C.CATEGORY])
    cat_codes, cat_names = pd.factorize(categories)
    base = items[C.AMOUNT].to_numpy(dtype=float)
    receipt = is_receipt(categories, base).astype(np.int64)
    amounts = cash.path_amounts(base)
    inside = (offsets >= 1) & (offsets <= n_days)
    day = np.where(inside, offsets - 1, 0)
    # Expected flows: one bincount over (account, category, direction, day), each draw weighing 1/n_sims.
    n_cat = max(len(cat_names), 1)
    group = ((acc * n_cat + cat_codes) * 2 + receipt)[:, None] * n_days + day
    sums = np.bincount(group[inside], weights=amounts[inside] / n_sims, minlength=len(names) * n_cat * 2 * n_days)
    cube = sums.reshape(len(names), n_cat, 2, n_days)
    dates = pd.to_datetime(cash.dates)
    a, k, r, d = np.nonzero(np.abs(cube) > 1e-9)
    values = cube[a, k, r, d]
    flows = pd.DataFrame({
        "date": dates[d], C.ACCOUNT_ID: np.asarray(names, dtype=object)[a],
        C.CATEGORY: np.asarray(cat_names, dtype=object)[k] if len(cat_names) else np.array([], dtype=object),
        "receipts": np.where(r == 1, values, 0.0), "disbursements": np.where(r == 0, -values, 0.0),
    }, columns=FLOW_COLUMNS)
    flows = flows.groupby(["date", C.ACCOUNT_ID, C.CATEGORY], as_index=False, sort=True)[
        ["receipts", "disbursements"]].sum()
    openings = (pd.Series(accounts["opening_balance"].to_numpy(dtype=float), index=names) if len(accounts)
                else pd.Series(dtype=float))
    closings = _closings(acc, amounts, offsets, inside, day, openings, dates, n_sims) if len(accounts) else (
        pd.DataFrame(columns=CLOSING_COLUMNS))
    return Breakdown(flows=flows, closings=closings, openings=openings)


def _closings(acc: npt.NDArray[np.int64], amounts: npt.NDArray[np.float64], offsets: npt.NDArray[np.int32],
              inside: npt.NDArray[np.bool_], day: npt.NDArray[np.int64], openings: pd.Series,
              dates: pd.DatetimeIndex, n_sims: int) -> pd.DataFrame:
    """Return each account's daily closing: expected and the P10/P50/P90 of its simulated paths."""
    n_acc, n_days = len(openings), len(dates)
    key = (acc[:, None] * n_days + day) * n_sims + np.arange(n_sims)[None, :]
    paths = np.bincount(key[inside], weights=amounts[inside], minlength=n_acc * n_days * n_sims)
    closing = openings.to_numpy()[:, None, None] + np.cumsum(paths.reshape(n_acc, n_days, n_sims), axis=1)
    q = np.percentile(closing, [10, 50, 90], axis=2)
    return pd.DataFrame({
        "date": np.tile(dates, n_acc), C.ACCOUNT_ID: np.repeat(openings.index.to_numpy(dtype=object), n_days),
        "closing_expected": closing.mean(axis=2).ravel(), "closing_p10": q[0].ravel(), "closing_p50": q[1].ravel(),
        "closing_p90": q[2].ravel(),
    }, columns=CLOSING_COLUMNS)
