"""Weekly cash of the demo's backtests taken apart: the model's expected weeks, the oracle's, and where the error is.

The backtest's weekly WAPE scores the expected weekly total of each side (the mean over the simulated paths of
each week's cash: sum over items of amount x P(paid in that week)), the same figure the Cash outlook shows as a
week's receipts or disbursements. Here the same definition is built for an oracle that knows the demo's truth
(each counterparty's delay profile, dispute rate and raise dates, settlement days, split and partly paid
invoices: `forecasting/demo/invoices.py`), and the actual cash of the horizon is split by what it pays:

- open: invoices open at as-of other than one-offs (known to the forecast);
- open one-offs: the demo's one-off invoices (120-280 x their counterparty's median invoice, no precedent) open
  at as-of: known, their amount certain, only their day uncertain;
- regular: invoices issued within the horizon that the forecast's future invoicing stands for;
- one-offs: one-off invoices issued within the horizon: nothing known at as-of announces them.

For each group, its error Σ_w |forecast_w - actual_w| / Σ_w actual_w (the whole side's actual cash): the groups'
errors bound the total WAPE (triangle inequality), they do not add up to it. The oracle's future invoicing is
either the model's (what any forecast of timing can do with the invoicing forecast the product has) or the real
invoices themselves (amount and issue date known in advance: the floor left by payment timing alone).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.terms import BusinessCalendar
from forecasting.demo import company as demo
from forecasting.demo.params import (
    DISPUTE_LAG_DAYS,
    DISPUTE_MIN_RESOLUTION_DAYS,
    EARLY_SHARE,
    PAYMENT_RUN_WEEKDAY,
    RAISED_ON,
    SETTLEMENT,
    SPLIT_PAYMENT_SHARE,
)
from forecasting.model.behaviour import last_business_day
from forecasting.model.invoicing import to_reporting, week_start
from forecasting.model.settlement import known_at
from forecasting.projection.actuals import invoice_keys, payments_eur, side_outcomes, weekly_actual
from forecasting.projection.forecast import prepare
from forecasting.projection.types import CashItems

DRAWS = 2000
GROUPS = ("open", "open one-offs", "regular", "one-offs")
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class WeeklyParts:
    """One side's weekly cash at one as-of: actual and forecasts per group [n_weeks] (EUR, money moved > 0)."""

    actual: dict[str, FloatArray]
    model: dict[str, FloatArray]  # open items, future invoicing, nothing for one-offs
    model_p50: FloatArray  # the median over paths of each week's total (not additive: never shown as a week's cash)
    oracle: dict[str, FloatArray]  # open invoices; regular and one-off invoices known in advance


def _share_in_weeks(days: npt.NDArray[np.int64], weights: FloatArray, week_of: npt.NDArray[np.int64],
                    n_weeks: int) -> FloatArray:
    """Return the weights of the days (offsets from as-of) falling in each horizon week, summed."""
    inside = (days >= 1) & (days <= len(week_of))
    weeks = week_of[np.clip(days, 1, len(week_of)) - 1]
    return np.bincount(weeks[inside], weights=weights[inside], minlength=n_weeks)


def _model_weeks(cash: CashItems, side: str, kind: str, week_of: npt.NDArray[np.int64], n_weeks: int,
                 invoices: set[str] | None = None, among: bool = True) -> FloatArray:
    """Return the expected weekly cash of a side's items of one kind (mean over paths), money moved > 0.

    With `invoices`, only the items whose invoice is among them (among=True) or not (among=False).
    """
    items = cash.items
    chosen = (items[C.SIDE] == side) & (items["kind"] == kind)
    if invoices is not None:
        chosen &= items[C.INVOICE_ID].astype(str).isin(invoices) == among
    rows = np.flatnonzero(chosen.to_numpy())
    if not len(rows):
        return np.zeros(n_weeks)
    offsets = cash.pay_day_offsets[rows]
    scales = cash.amount_scales[items["scale_row"].to_numpy(dtype=np.int64)[rows]]
    sign = 1.0 if side == C.RECEIVABLE else -1.0
    amount = sign * items[C.AMOUNT].to_numpy(dtype=float)[rows][:, None] * scales / offsets.shape[1]
    return _share_in_weeks(offsets.ravel(), amount.ravel(), week_of, n_weeks)


def _model_p50(cash: CashItems, side: str, week_of: npt.NDArray[np.int64], n_weeks: int) -> FloatArray:
    """Return the median over paths of each week's cash of one side."""
    items = cash.items
    rows = np.flatnonzero((items[C.SIDE] == side).to_numpy())
    offsets = cash.pay_day_offsets[rows]
    n_sims = offsets.shape[1]
    scales = cash.amount_scales[items["scale_row"].to_numpy(dtype=np.int64)[rows]]
    signed = items[C.AMOUNT].to_numpy(dtype=float)[rows] * (1.0 if side == C.RECEIVABLE else -1.0)
    amount = signed[:, None] * scales
    inside = (offsets >= 1) & (offsets <= len(week_of))
    key = week_of[np.clip(offsets, 1, len(week_of)) - 1] * n_sims + np.arange(n_sims)[None, :]
    paths = np.bincount(key[inside], weights=amount[inside], minlength=n_weeks * n_sims).reshape(n_weeks, n_sims)
    return np.asarray(np.median(paths, axis=1), dtype=np.float64)


class _Oracle:
    """Draws each invoice's payments the way the demo drew them, from the truth of its counterparty."""

    def __init__(self, data: demo.DemoData, side: str, as_of: pd.Timestamp, today: np.datetime64,
                 rng: np.random.Generator) -> None:
        self.side, self.rng, self.as_of = side, rng, as_of
        self.client = side == C.RECEIVABLE
        truth = data.client_profiles if self.client else data.supplier_profiles
        self.profiles = truth.set_index(C.COUNTERPARTY_ID)
        disputes = data.disputes[data.disputes[C.SIDE] == side]
        self.raised = disputes.set_index(C.INVOICE_ID)[RAISED_ON]
        self.one_offs = set(data.one_offs.loc[data.one_offs[C.SIDE] == side, C.INVOICE_ID].astype(str))
        self.calendar = BusinessCalendar("FR")
        self.day0 = np.datetime64(as_of.date(), "D")
        start = pd.to_datetime(data.receivables[C.ISSUE_DATE]).to_numpy().astype("datetime64[D]").min()
        self.mid = start + (today - start) // 2  # the demo's drift is zero mid-history (Clock.mid)

    def _settle(self, days: npt.NDArray[np.datetime64], settlement: str) -> npt.NDArray[np.datetime64]:
        """Return the days money moves for payments meant for `days` (demo.invoices._settle)."""
        if settlement == "any_day":
            return days
        if settlement == "weekly_run":
            days = days + (PAYMENT_RUN_WEEKDAY - 3 - days.astype(np.int64)) % 7
        return np.asarray(self.calendar.roll_forward(days))

    def events(self, invoice_id: str, counterparty: str, issue: np.datetime64, due: np.datetime64,
               amount: float) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Return (day offsets from as-of, share of the amount) of every drawn payment [DRAWS, 2]; share 0: none."""
        truth, rng, n = self.profiles.loc[counterparty], self.rng, DRAWS
        days = np.zeros((n, 2), dtype="datetime64[D]")
        share = np.zeros((n, 2))
        behaviour = str(truth[demo.BEHAVIOUR]) if self.client else "punctual"
        if behaviour == "never_pays":
            return (days - self.day0).astype(np.int64), share
        if amount < 0:  # a credit note is settled on its issue day
            days[:, 0] = self._settle(np.full(n, issue), str(truth[SETTLEMENT]))
            share[:, 0] = 1.0
            return (days - self.day0).astype(np.int64), share
        one_off = invoice_id in self.one_offs
        raised = self.raised.get(invoice_id)
        lag = rng.integers(DISPUTE_LAG_DAYS[0], DISPUTE_LAG_DAYS[1] + 1, n)
        if raised is not None and raised <= self.as_of:  # raised by as-of: known
            disputed = np.ones(n, dtype=bool)
            lag[:] = (np.datetime64(raised.date(), "D") - issue).astype(np.int64)
        else:  # raised later or never: only the counterparty's dispute rate is known
            disputed = (rng.random(n) < float(truth[demo.DISPUTE_RATE])) & (not one_off)
        sd = float(truth[demo.DELAY_SD_DAYS])
        if behaviour == "erratic":
            noise = np.clip(rng.standard_t(3, n) / np.sqrt(3.0), -4.0, 4.0) * sd
        else:
            noise = rng.standard_normal(n) * sd
        if behaviour == "punctual" and self.client:
            noise = np.where(rng.random(n) < EARLY_SHARE, -rng.uniform(3.0, 15.0, n), noise)
        extra = np.where(disputed, rng.gamma(2.0, 35.0 if self.client else 20.0, n), 0.0)
        drift = float(truth[demo.DRIFT_DAYS_PER_YEAR]) if self.client else 0.0
        years = (issue - self.mid).astype(np.int64) / 365.25
        delay = np.rint(float(truth[demo.MEAN_DELAY_DAYS]) + drift * years + noise + extra).astype(np.int64)
        pay_from = np.maximum(due + delay, issue)
        pay_from = np.where(disputed, np.maximum(pay_from, issue + lag + DISPUTE_MIN_RESOLUTION_DAYS), pay_from)
        days[:, 0] = self._settle(pay_from, str(truth[SETTLEMENT]))
        share[:, 0] = 1.0
        if self.client:  # 40 % of disputes end in a partial payment; 4 % of other invoices are paid in two parts
            partly = disputed & (rng.random(n) < 0.4)
            split = ~partly & (not one_off) & (rng.random(n) < SPLIT_PAYMENT_SHARE)
            share[:, 0] = np.where(partly, rng.uniform(0.5, 0.9, n), np.where(split, rng.uniform(0.3, 0.7, n), 1.0))
            days[:, 1] = self._settle(days[:, 0] + rng.integers(15, 61, n), str(truth[SETTLEMENT]))
            share[:, 1] = np.where(split, 1.0 - share[:, 0], 0.0)
        return (days - self.day0).astype(np.int64), share


def weekly_parts(data: demo.DemoData, ledger: Ledger, as_of: pd.Timestamp, horizon_weeks: int,
                 today: np.datetime64, rng: np.random.Generator) -> dict[str, WeeklyParts]:
    """Return each side's weekly cash by group at as-of: actual, the model's expected and the oracle's."""
    known = known_at(ledger, as_of)
    cash = prepare(known, as_of, horizon_weeks)
    dates = cash.dates
    starts = week_start(dates)
    weeks, week_of = np.unique(starts, return_inverse=True)
    n_weeks, end = len(weeks), pd.Timestamp(dates[-1])
    unpaid_through = (np.datetime64(last_business_day(as_of, "FR").date(), "D")
                      - np.datetime64(as_of.date(), "D")).astype(np.int64)
    out = {}
    for side in C.SIDES:
        outcomes = side_outcomes(ledger, known, side, as_of, end)
        pay_dates, eur, keys = payments_eur(ledger, side, outcomes, known.fx_rates, as_of)
        oracle = _Oracle(data, side, as_of, today, rng)
        full = ledger.invoices(side)
        full = full.set_axis(invoice_keys(full))
        full = full[~full.index.duplicated()]
        one_off_keys = pd.Index([k for k in outcomes.cash_keys if k.split("\x1f")[-1] in oracle.one_offs])
        later_keys = full.index[((full[C.ISSUE_DATE] > as_of) & (full[C.ISSUE_DATE] <= end)).to_numpy()]
        open_keys = outcomes.cash_keys.difference(later_keys)
        group_keys = {"open": open_keys.difference(one_off_keys), "open one-offs": open_keys.intersection(one_off_keys),
                      "regular": later_keys.difference(one_off_keys),
                      "one-offs": later_keys.intersection(one_off_keys)}
        actual = {g: weekly_actual(pay_dates, eur, keys, dataclasses.replace(outcomes, cash_keys=k), as_of, end, weeks)
                  for g, k in group_keys.items()}
        model = {"open": _model_weeks(cash, side, "open_invoice", week_of, n_weeks, oracle.one_offs, among=False),
                 "open one-offs": _model_weeks(cash, side, "open_invoice", week_of, n_weeks, oracle.one_offs),
                 "regular": _model_weeks(cash, side, "future_invoice", week_of, n_weeks),
                 "one-offs": np.zeros(n_weeks)}
        # the oracle: open invoices (open amount in EUR at as-of, as the model's items), partly paid ones left
        # to the model (the oracle does not know which part was paid), then invoices issued within the horizon
        items = cash.items[(cash.items[C.SIDE] == side) & (cash.items["kind"] == "open_invoice")]
        paid_before = set(known.payments_of(side)[C.INVOICE_ID].astype(str))
        oracle_weeks = {g: np.zeros(n_weeks) for g in GROUPS}
        for row, item in enumerate(items.itertuples(index=False)):
            invoice = str(item.invoice_id)
            group = "open one-offs" if invoice in oracle.one_offs else "open"
            amount = float(item.amount) * (1.0 if side == C.RECEIVABLE else -1.0)  # money moved > 0
            fallback = invoice in paid_before or amount < 0  # partly paid, or a credit note
            days, share = (np.zeros((0, 2), np.int64), np.zeros((0, 2)))
            if not fallback:
                days, share = oracle.events(invoice, str(item.counterparty_id),
                                            np.datetime64(pd.Timestamp(item.issue_date).date(), "D"),
                                            np.datetime64(pd.Timestamp(item.due_date).date(), "D"), amount)
                unpaid = days[:, 0] > unpaid_through
                days, share = days[unpaid], share[unpaid]
            if not len(days):  # no draw still unpaid at as-of, or partly paid: the model's own draws
                offsets = cash.pay_day_offsets[items.index[row]]
                oracle_weeks[group] += _share_in_weeks(offsets, np.full(len(offsets), amount / len(offsets)),
                                                       week_of, n_weeks)
                continue
            oracle_weeks[group] += _share_in_weeks(days.ravel(), (share * amount / len(days)).ravel(),
                                                    week_of, n_weeks)
        later = full.loc[later_keys]
        rate_eur = to_reporting(later[C.AMOUNT_TTC].to_numpy(float), later[C.CURRENCY], known.fx_rates, as_of)
        for key, inv, amount in zip(later.index, later.itertuples(index=False), rate_eur, strict=True):
            group = "one-offs" if key in group_keys["one-offs"] else "regular"
            days, share = oracle.events(str(inv.invoice_id), str(inv.counterparty_id),
                                        np.datetime64(pd.Timestamp(inv.issue_date).date(), "D"),
                                        np.datetime64(pd.Timestamp(inv.due_date).date(), "D"), float(amount))
            oracle_weeks[group] += _share_in_weeks(days.ravel(), (share * float(amount) / len(days)).ravel(),
                                                   week_of, n_weeks)
        out[side] = WeeklyParts(actual=actual, model=model, model_p50=_model_p50(cash, side, week_of, n_weeks),
                                oracle=oracle_weeks)
    return out


def wape(forecast: FloatArray, actual: FloatArray, total: float) -> float:
    """Return Σ |forecast - actual| over the weeks as a share of `total` (the side's actual cash)."""
    return float(np.abs(forecast - actual).sum() / total) if total else float("nan")


def summary_row(parts: WeeklyParts) -> dict[str, float]:
    """Return the WAPEs (in %) of one side at one date: model, oracle variants and each group's error."""
    actual = sum(parts.actual.values())
    total = float(actual.sum())
    model = sum(parts.model.values())
    oracle_model_invoicing = parts.oracle["open"] + parts.oracle["open one-offs"] + parts.model["regular"]
    oracle_known = sum(parts.oracle.values())
    no_one_offs = actual - parts.actual["one-offs"]
    row = {
        "model": wape(model, actual, total),
        "model, weekly median": wape(parts.model_p50, actual, total),
        "model, one-offs issued in horizon set aside": wape(model, no_one_offs, float(no_one_offs.sum())),
        "oracle timing + model invoicing": wape(oracle_model_invoicing, actual, total),
        "oracle timing + model invoicing, one-offs set aside": wape(oracle_model_invoicing, no_one_offs,
                                                                    float(no_one_offs.sum())),
        "oracle timing + invoices known": wape(oracle_known, actual, total),
    }
    for group in GROUPS:
        row[f"model {group}"] = wape(parts.model[group], parts.actual[group], total)
        row[f"oracle {group}"] = wape(parts.oracle[group], parts.actual[group], total)
        row[f"share {group}"] = float(parts.actual[group].sum() / total) if total else float("nan")
    return {k: round(100.0 * v, 1) for k, v in row.items()}
