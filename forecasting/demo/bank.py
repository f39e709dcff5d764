"""The demo's planned flows (payroll, social charges, VAT, rent, loan, tax, capex) and daily bank balances."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as c
from forecasting.demo.clock import Clock, timestamps
from forecasting.demo.params import (
    ACCOUNTS,
    BANK_WARMUP_DAYS,
    BNP,
    CIC,
    CIC_SWEEP_TARGET,
    END_CASH_CAP,
    END_CASH_TARGET,
    HISTORY_CASH_FLOOR,
)


@dataclass(frozen=True)
class Cash:
    """Cash movements for the bank history: business day, signed EUR amount, account position."""

    days: npt.NDArray[np.datetime64]
    eur: npt.NDArray[np.float64]
    account: npt.NDArray[np.int64]  # position in ACCOUNTS


def _month_day(month: np.datetime64, day: int) -> np.datetime64:
    """Return the `day` of `month` (datetime64[M]) as datetime64[D]."""
    first_day: np.datetime64 = month.astype("datetime64[D]")
    return first_day + (day - 1)


def _first_on_or_after(start: np.datetime64, day: int, months: tuple[int, ...] = tuple(range(1, 13))) -> np.datetime64:
    """Return the first date on or after `start` that falls on `day` of one of `months`."""
    month = start.astype("datetime64[M]")
    while True:  # at most a year of months
        candidate = _month_day(month, day)
        if candidate >= start and int(month.astype(np.int64) % 12) + 1 in months:
            return candidate
        month += 1


def planned_flows(clock: Clock, scale: float) -> pd.DataFrame:
    """Return PLANNED_FLOW_COLUMNS: payroll, social, VAT, rent, a loan, tax instalments and a capex."""
    start, today = clock.start, clock.today
    loan_first = _month_day(today.astype("datetime64[M]") - 42, 5)  # a 600 k€ loan, 5 years at ~3.5 %
    loan_end = _month_day(loan_first.astype("datetime64[M]") + 59, 5)  # 60 monthly instalments
    capex_on = clock.calendar.roll_forward(today + 40)[0]
    rows = [
        ("Salaires nets", "payroll", BNP, -200_000.0, _first_on_or_after(start, 28), "monthly", None),
        ("Charges sociales (URSSAF, retraite)", "social", BNP, -90_000.0, _first_on_or_after(start, 15),
         "monthly", None),
        ("TVA à décaisser (CA3)", "vat", BNP, -72_000.0, _first_on_or_after(start, 20), "monthly", None),
        ("Loyer et charges des locaux", "rent", CIC, -40_000.0, _first_on_or_after(start, 1, (1, 4, 7, 10)),
         "quarterly", None),
        ("Échéance prêt BPI", "loan", BNP, -10_915.0, loan_first, "monthly", loan_end),
        *[(f"Acompte IS {label}", "tax", BNP, -22_000.0, _first_on_or_after(start, 15, (month,)), "yearly", None)
          for label, month in (("mars", 3), ("juin", 6), ("septembre", 9), ("décembre", 12))],
        ("Solde IS", "tax", BNP, -15_000.0, _first_on_or_after(start, 15, (5,)), "yearly", None),
        ("Renouvellement ligne de production", "capex", BNP, -150_000.0, capex_on, "none", None),
    ]
    return pd.DataFrame({
        c.FLOW_ID: [f"PF{i:02d}" for i in range(1, len(rows) + 1)],
        c.LABEL: [r[0] for r in rows],
        c.CATEGORY: [r[1] for r in rows],
        c.ACCOUNT_ID: [r[2] for r in rows],
        c.AMOUNT: [round(r[3] * scale, 2) for r in rows],
        c.CURRENCY: c.REPORTING_CURRENCY,
        c.FIRST_DATE: timestamps(np.array([r[4] for r in rows], dtype="datetime64[D]")),
        c.RECURRENCE: [r[5] for r in rows],
        c.END_DATE: timestamps(np.array([r[6] if r[6] is not None else "NaT" for r in rows],
                                         dtype="datetime64[D]")),
    })[c.PLANNED_FLOW_COLUMNS]


_MONTHS_PER_STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}


def _occurrences(first: np.datetime64, recurrence: str, last: np.datetime64) -> npt.NDArray[np.datetime64]:
    """Return the dates (datetime64[D]) of a planned flow from `first` to `last` (unrolled)."""
    if recurrence == "none":
        return np.array([first] if first <= last else [], dtype="datetime64[D]")
    if recurrence == "weekly":
        return np.arange(first, last + 1, 7)
    step = _MONTHS_PER_STEP[recurrence]
    months = first.astype("datetime64[M]") + step * np.arange(0, 12 * 200 // step)
    day = int((first - first.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64))
    month_len = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64)
    dates: npt.NDArray[np.datetime64] = months.astype("datetime64[D]") + np.minimum(day, month_len - 1)
    return dates[dates <= last]


def bank_balances(clock: Clock, scale: float, cash: list[Cash], planned: pd.DataFrame) -> pd.DataFrame:
    """Return BANK_BALANCE_COLUMNS: each account's end-of-day balance on every business day of the window."""
    for flow in planned.itertuples(index=False):  # a loop per planned flow (a dozen)
        first = np.datetime64(getattr(flow, c.FIRST_DATE), "D")
        end = getattr(flow, c.END_DATE)
        last = clock.today if pd.isna(end) else min(clock.today, np.datetime64(end, "D"))
        on = clock.calendar.roll_forward(_occurrences(first, getattr(flow, c.RECURRENCE), last))
        on = on[on <= clock.today]
        account = ACCOUNTS.index(getattr(flow, c.ACCOUNT_ID))
        cash = [*cash, Cash(on, np.full(len(on), getattr(flow, c.AMOUNT)), np.full(len(on), account))]
    all_days = np.concatenate([m.days for m in cash])
    # in cents, as a bank books them: the statements' movements (demo/movements.py) add up to these balances
    all_eur = np.round(np.concatenate([m.eur for m in cash]), 2)
    all_account = np.concatenate([m.account for m in cash]).astype(np.int64)

    grid = clock.bdays[clock.bdays >= clock.start + BANK_WARMUP_DAYS]
    pos = np.searchsorted(grid, all_days)  # a flow on a weekend or holiday (card receipts) books on the next one
    inside = (all_days >= grid[0]) & (pos < len(grid))
    daily = np.zeros((len(ACCOUNTS), len(grid)))
    np.add.at(daily, (all_account[inside], pos[inside]), all_eur[inside])

    total_flow = daily.sum(axis=0)
    relative = np.cumsum(total_flow) - total_flow.sum()  # balance minus today's balance
    # end near the target, higher if the history would otherwise dip below the floor, never above the cap
    end_total = round(min(max(END_CASH_TARGET, HISTORY_CASH_FLOOR - relative.min() / scale), END_CASH_CAP) * scale, 2)
    total = end_total + relative
    weeks = (grid.astype(np.int64) + 3) // 7  # Monday-based week numbers (1970-01-01 was a Thursday)
    cic = round(CIC_SWEEP_TARGET * scale, 2) + pd.Series(daily[1]).groupby(weeks).cumsum().to_numpy()
    balances = np.vstack([total - cic, cic])
    return pd.DataFrame({
        c.ACCOUNT_ID: np.repeat(np.asarray(ACCOUNTS), len(grid)),
        c.BALANCE_DATE: timestamps(np.tile(grid, len(ACCOUNTS))),
        c.BALANCE: np.round(balances.ravel(), 2),
    })

