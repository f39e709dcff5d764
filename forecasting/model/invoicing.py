"""Future invoicing (weekly totals forecast with statsmodels), planned flows expanded, fx to the reporting currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.terms import BusinessCalendar, parse_terms
from forecasting.model.invoicing_choice import SEASON_WEEKS, Candidate, band_paths, choose


# --- fx ------------------------------------------------------------------------------------------
def fx_rates_at(fx_rates: pd.DataFrame, currencies: npt.ArrayLike, as_of: date) -> dict[str, float]:
    """Return the latest rate on or before as_of of each currency (1 for EUR); InputError names a missing one."""
    wanted = {str(c) for c in pd.unique(np.asarray(currencies, dtype=object)) if pd.notna(c)} - {C.REPORTING_CURRENCY}
    rates = {C.REPORTING_CURRENCY: 1.0}
    if not wanted:
        return rates
    known = fx_rates[pd.to_datetime(fx_rates[C.RATE_DATE]) <= pd.Timestamp(as_of)] if len(fx_rates) else fx_rates
    latest = known.sort_values(C.RATE_DATE).groupby(C.CURRENCY)[C.RATE].last() if len(known) else pd.Series()
    for currency in sorted(wanted):
        if currency not in latest.index:
            raise InputError(
                f"no exchange rate for {currency} on or before {pd.Timestamp(as_of).date()}: "
                f"import a rate ({C.CURRENCY}, {C.RATE_DATE}, {C.RATE} = {C.REPORTING_CURRENCY} per 1 {currency})"
            )
        rates[currency] = float(latest[currency])
    return rates


def to_reporting(amounts: npt.ArrayLike, currencies: npt.ArrayLike, fx_rates: pd.DataFrame,
                 as_of: date) -> npt.NDArray[np.float64]:
    """Return amounts converted to the reporting currency (EUR) at the latest rate on or before as_of."""
    values = np.asarray(amounts, dtype=float)
    cur = currencies if isinstance(currencies, pd.Series) else pd.Series(np.asarray(currencies, dtype=object))
    codes, uniques = pd.factorize(cur)  # a few currencies: look each one up once, missing = reporting
    names = [str(c) for c in uniques]
    rates = fx_rates_at(fx_rates, names, as_of)
    per_code = np.array([rates[name] for name in names] + [rates[C.REPORTING_CURRENCY]], dtype=float)
    converted: npt.NDArray[np.float64] = values * per_code[codes]
    return converted


# --- weekly invoicing and its forecast --------------------------------------------------------------
def week_start(dates: pd.Series | npt.NDArray[np.datetime64] | np.datetime64) -> npt.NDArray[np.datetime64]:
    """Return the Monday (datetime64[D]) of each date's week."""
    days: npt.NDArray[np.datetime64] = np.atleast_1d(np.asarray(pd.to_datetime(dates)).astype("datetime64[D]"))
    return days - ((days.astype(np.int64) + 3) % 7)  # 1970-01-01 was a Thursday


QUIET_DAYS_MIN = 7  # a week without any invoice is ordinary (holidays, a slow week): still "no invoicing"


def invoicing_history_end(issue_dates: pd.Series, as_of: date) -> pd.Timestamp:
    """Return the day the invoicing history runs to: as-of, or the last invoice when the data stops well before it.

    Days after the last invoice count as days without invoicing while the silence is no longer than a week or than
    the longest silence between invoices of the past year (a company that invoices monthly). Beyond that the data
    has stopped (an export older than as-of): those weeks are unknown, not zero, and a forecast fed zeros for them
    would predict invoicing dying out.
    """
    as_of_ts = pd.Timestamp(as_of).normalize()
    days = pd.to_datetime(pd.Series(issue_dates)).dt.normalize()
    days = days[days <= as_of_ts]
    if not len(days):
        return as_of_ts
    last = days.max()
    year = np.unique(days[days > as_of_ts - pd.Timedelta(days=365)].to_numpy().astype("datetime64[D]"))
    longest = int(np.diff(year).astype(np.int64).max()) if len(year) > 1 else 0
    return as_of_ts if (as_of_ts - last).days <= max(QUIET_DAYS_MIN, longest) else last


def weekly_invoicing(invoices: pd.DataFrame, amounts_eur: npt.NDArray[np.float64], as_of: date) -> pd.Series:
    """Return invoicing totals (EUR) of every complete Monday week ending on or before as_of, gaps as 0."""
    as_of_day = np.datetime64(pd.Timestamp(as_of).date(), "D")
    last_week = week_start(as_of_day + 1)[0] - 7  # the last week whose Sunday is <= as_of
    if not len(invoices):
        return pd.Series(dtype=float)
    weeks = week_start(invoices[C.ISSUE_DATE])
    totals = pd.Series(amounts_eur, index=weeks).groupby(level=0).sum()
    first = weeks.min()
    index = np.arange(first, last_week + 1, 7)  # the first, possibly partial, week is dropped below
    series = totals.reindex(index, fill_value=0.0)
    return series.iloc[1:] if len(series) > SEASON_WEEKS else series


@dataclass(frozen=True, eq=False)
class InvoicingForecast:
    """Weekly invoicing forecast: point [n_weeks] and simulated paths [n_weeks, n_sims], EUR."""

    week_starts: npt.NDArray[np.datetime64]  # datetime64[D] Mondays
    point: npt.NDArray[np.float64]
    sims: npt.NDArray[np.float64]
    method: str  # "ets_seasonal_damped" | "ets_damped" | "ets_level" | "last_year_profile" | "mean_last_13_weeks" | "none"


@dataclass(frozen=True, eq=False)
class InvoicingFit:
    """The invoicing method chosen on the weekly history and its point forecast: all but the random paths."""

    week_starts: npt.NDArray[np.datetime64]  # datetime64[D] Mondays
    gap_weeks: int  # weeks between the history's end and the first forecast week (none when called from prepare)
    point: npt.NDArray[np.float64]  # [gap_weeks + n_weeks], unclipped
    chosen: Candidate | None  # None: no history to forecast from
    cum_errors: npt.NDArray[np.float64]

    def forecast_point(self) -> npt.NDArray[np.float64]:
        """Return the point forecast of the n_weeks from the first forecast week, never below 0."""
        point: npt.NDArray[np.float64] = np.maximum(np.asarray(self.point, dtype=float)[self.gap_weeks:], 0.0)
        return point

    def draw(self, n_sims: int, rng: np.random.Generator) -> InvoicingForecast:
        """Return the forecast with n_sims simulated paths (the only step that reads rng)."""
        n_weeks = len(self.week_starts)
        if self.chosen is None:
            return InvoicingForecast(self.week_starts, np.zeros(n_weeks), np.zeros((n_weeks, n_sims)), "none")
        sims = band_paths(self.point, self.chosen, self.cum_errors, n_sims, rng)
        return InvoicingForecast(self.week_starts, self.forecast_point(), np.maximum(sims[self.gap_weeks:], 0.0),
                                 self.chosen.method)


def fit_invoicing(weekly: pd.Series, first_week: np.datetime64, n_weeks: int) -> InvoicingFit:
    """Return the invoicing method its own history backtests best and its forecast of the n_weeks from first_week.

    Deterministic (no random draws), so it may run on another thread while a random generator is in use.
    """
    starts = first_week + 7 * np.arange(n_weeks)
    history = weekly[weekly.index < pd.Timestamp(first_week)]
    if len(history) == 0 or history.sum() == 0:
        return InvoicingFit(starts, 0, np.zeros(n_weeks), None, np.zeros(0))
    gap_weeks = (pd.Timestamp(first_week) - pd.Timestamp(history.index[-1])).days // 7 - 1
    y = history.to_numpy(dtype=float)
    chosen, cum_errors = choose(y)
    return InvoicingFit(starts, gap_weeks, chosen.forecast_from(len(y), gap_weeks + n_weeks), chosen, cum_errors)


def forecast_invoicing(weekly: pd.Series, first_week: np.datetime64, n_weeks: int, n_sims: int,
                       rng: np.random.Generator) -> InvoicingForecast:
    """Return the invoicing forecast of the n_weeks from first_week, by the method its own history backtests best."""
    return fit_invoicing(weekly, first_week, n_weeks).draw(n_sims, rng)


def counterparty_shares(invoices: pd.DataFrame, amounts_eur: npt.NDArray[np.float64], as_of: date,
                        window_days: int, half_life_days: float) -> pd.DataFrame:
    """Return each counterparty's recency-weighted invoicing over the last window_days.

    Columns: counterparty_id, share (of invoicing), invoices_per_week, mean_amount (EUR), cv_amount
    (coefficient of variation of its invoice amounts, pooled when it has fewer than 3), terms (latest).
    """
    cols = [C.COUNTERPARTY_ID, "share", "invoices_per_week", "mean_amount", "cv_amount", C.TERMS]
    as_of_ts = pd.Timestamp(as_of)
    age_days = (as_of_ts - pd.to_datetime(invoices[C.ISSUE_DATE])).dt.days.to_numpy()
    recent = (age_days >= 0) & (age_days < window_days) & (amounts_eur > 0)
    if not recent.any():
        return pd.DataFrame(columns=cols)
    weight = 0.5 ** (age_days[recent] / half_life_days)
    amount = amounts_eur[recent]
    frame = invoices.loc[recent, [C.COUNTERPARTY_ID, C.ISSUE_DATE, C.DUE_DATE, C.TERMS]].assign(
        w=weight, wa=weight * amount, wa2=weight * amount**2, n=1)
    frame[C.TERMS] = _usable_terms(frame)
    by = frame.groupby(C.COUNTERPARTY_ID)
    sums = by[["w", "wa", "wa2", "n"]].sum()
    mean = sums["wa"] / sums["w"]
    var = (sums["wa2"] / sums["w"] - mean**2).clip(lower=0.0)
    pooled_cv = float(np.sqrt(np.average((amount - np.average(amount, weights=weight)) ** 2, weights=weight))
                      / np.average(amount, weights=weight))
    cv = np.where(sums["n"] >= 3, np.sqrt(var) / mean, pooled_cv)
    # Weighted invoices per week: the weights' total over the window is what a steady weekly rate would give.
    window_weight_days = (0.5 ** (np.arange(window_days) / half_life_days)).sum()
    out = pd.DataFrame({
        "share": sums["wa"] / sums["wa"].sum(),
        "invoices_per_week": sums["w"] / window_weight_days * 7.0,
        "mean_amount": mean, "cv_amount": np.maximum(cv, 0.05),
        C.TERMS: frame.sort_values(C.ISSUE_DATE).groupby(C.COUNTERPARTY_ID)[C.TERMS].last(),
    })
    return out.rename_axis(C.COUNTERPARTY_ID).reset_index()[cols]


def _usable_terms(invoices: pd.DataFrame) -> pd.Series:
    """Return each invoice's terms text, or "net N" (N = its issue-to-due days) when missing or unreadable."""
    def readable(text: str) -> bool:
        """Return True when parse_terms understands the text."""
        try:
            parse_terms(text)
        except InputError:
            return False
        return True

    codes, uniques = pd.factorize(invoices[C.TERMS])  # each distinct text parsed once; missing (-1) is unreadable
    ok = np.array([readable(text) for text in uniques] + [False], dtype=bool)[codes]
    texts = invoices[C.TERMS].astype(object)
    if ok.all():
        return texts
    unusable = invoices[~ok]
    days = (pd.to_datetime(unusable[C.DUE_DATE]) - pd.to_datetime(unusable[C.ISSUE_DATE])).dt.days.clip(lower=0)
    return texts.where(ok, "net " + days.astype(int).astype(str))


def composition_draws(shares: pd.DataFrame, cp_index: npt.NDArray[np.int64], expected_invoices: npt.ArrayLike,
                      n_sims: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """Return simulated invoicing [n_items, n_sims] of each (counterparty, week) item: compound Poisson.

    A counterparty invoices a Poisson number of times, each a Gamma amount with its mean and spread:
    this makes future sales as lumpy as past ones (a few large invoices), which widens the band honestly.
    Most items expect well under one invoice a week, so the counts are drawn by inverting the Poisson
    CDF on the draws still above it (few after the first step), and Gamma totals only where count > 0.
    """
    mean = shares["mean_amount"].to_numpy(dtype=float)[cp_index]
    cv2 = shares["cv_amount"].to_numpy(dtype=float)[cp_index] ** 2
    lam = np.asarray(expected_invoices, dtype=float)
    out = np.zeros((len(cp_index), n_sims))
    step = max(1, _DRAW_CELLS // max(n_sims, 1))
    for start in range(0, len(cp_index), step):
        part = slice(start, start + step)
        count, where, item = _poisson_counts(lam[part], n_sims, rng)
        shape = count.ravel()[where] / cv2[part][item]
        out[part].ravel()[where] = rng.gamma(shape, mean[part][item] * cv2[part][item])
    return out


_DRAW_CELLS = 1 << 18  # (item, sim) cells drawn per block in composition_draws


def _poisson_counts(lam: npt.NDArray[np.float64], n_sims: int, rng: np.random.Generator
                    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Return Poisson(lam[i]) counts [len(lam), n_sims], the flat positions of the non-zero ones and their rows.

    Inverse CDF, stepping only the draws still above it: with lam mostly below one, nearly all stop at 0
    or 1. Large rates (where exp(-lam) loses precision) use numpy's sampler.
    """
    large = lam > _INVERSE_MAX_RATE
    small_lam = np.where(large, 0.0, lam)
    u = rng.random((len(lam), n_sims)).ravel()
    p = np.exp(-small_lam)  # P(N = k) and P(N <= k) of each item, k = 0, 1, ...
    cdf = p.copy()
    above = u > np.repeat(cdf, n_sims)
    count = above.astype(np.int32)
    active = np.flatnonzero(above)
    item = active // n_sims
    nonzero, nonzero_item = active, item
    k = 0
    while active.size:
        k += 1
        p = p * small_lam / k
        grown = cdf + p > cdf
        cdf = cdf + p
        keep = u[active] > cdf[item]
        active, item = active[keep], item[keep]
        count[active] += 1
        if not grown[item].any():  # float limit: the CDF no longer moves (u within an ulp of 1)
            break
    count = count.reshape(len(lam), n_sims)
    if large.any():
        count[large] = rng.poisson(np.broadcast_to(lam[large][:, None], (int(large.sum()), n_sims)))
        nonzero = np.flatnonzero(count)
        nonzero_item = nonzero // n_sims
    return count, nonzero, nonzero_item


_INVERSE_MAX_RATE = 30.0  # exp(-30) ~ 1e-13: the inverse CDF stays exact to float precision below it


def weekday_shares(invoices: pd.DataFrame, amounts_eur: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return the share of invoicing issued on each weekday (Monday=0), from history; uniform on weekdays if none."""
    if not len(invoices) or amounts_eur.clip(min=0).sum() <= 0:
        return np.array([0.2] * 5 + [0.0, 0.0])
    weekday = pd.to_datetime(invoices[C.ISSUE_DATE]).dt.day_of_week.to_numpy()
    shares = np.bincount(weekday, weights=amounts_eur.clip(min=0), minlength=7)
    share: npt.NDArray[np.float64] = shares / shares.sum()
    return share


# --- planned flows -------------------------------------------------------------------------------
_MONTHS_STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}


def expand_planned_flows(planned_flows: pd.DataFrame, start: date, end: date,
                         calendar: BusinessCalendar) -> pd.DataFrame:
    """Return one row per occurrence of each planned flow landing (after business-day roll) in [start, end]."""
    cols = [C.FLOW_ID, C.LABEL, C.CATEGORY, C.ACCOUNT_ID, C.AMOUNT, C.CURRENCY, "scheduled_date", "date"]
    if not len(planned_flows):
        return pd.DataFrame(columns=cols)
    flows = planned_flows.reset_index(drop=True)
    recurrence = flows[C.RECURRENCE].fillna("none").astype(str).str.lower().str.strip()
    unknown = sorted(set(recurrence) - set(C.RECURRENCES))
    if unknown:
        raise InputError(f"unknown recurrence {unknown[0]!r} in planned flows: expected one of {', '.join(C.RECURRENCES)}")
    first = np.asarray(pd.to_datetime(flows[C.FIRST_DATE])).astype("datetime64[D]")
    end_day = np.datetime64(pd.Timestamp(end).date(), "D")
    start_day = np.datetime64(pd.Timestamp(start).date(), "D")
    stop = np.asarray(pd.to_datetime(flows[C.END_DATE]) if C.END_DATE in flows else pd.NaT).astype("datetime64[D]")
    stop = np.where(np.isnat(stop), end_day, np.minimum(stop, end_day))
    # Occurrence counts per flow, then one row per (flow, k): vectorised, no loop over flows.
    span_days = np.maximum((stop - first).astype(np.int64), -1)
    step_months = recurrence.map(_MONTHS_STEP).fillna(0).to_numpy(dtype=np.int64)
    count = np.where(recurrence == "none", 1, np.where(recurrence == "weekly", span_days // 7 + 1,
                                                       span_days // 28 // np.maximum(step_months, 1) + 2))
    count = np.where(span_days < 0, 0, count)
    flow = np.repeat(np.arange(len(flows)), count)
    k = np.arange(len(flow)) - np.repeat(np.cumsum(count) - count, count)
    month0 = first.astype("datetime64[M]")[flow]
    day_of_month = (first - first.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)[flow]
    month = month0 + step_months[flow] * k
    month_len = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)
    by_month = month.astype("datetime64[D]") + np.minimum(day_of_month, month_len - 1)  # 31st -> month end
    scheduled = np.where(recurrence.to_numpy()[flow] == "weekly", first[flow] + 7 * k, by_month)
    keep = scheduled <= stop[flow]
    flow, scheduled = flow[keep], scheduled[keep]
    rolled = calendar.roll_forward(scheduled) if len(scheduled) else scheduled
    inside = (rolled >= start_day) & (rolled <= end_day)
    out: pd.DataFrame = flows.iloc[flow[inside]].reindex(columns=cols[:6]).reset_index(drop=True)
    out["scheduled_date"] = pd.to_datetime(scheduled[inside])
    out["date"] = pd.to_datetime(rolled[inside])
    out[C.AMOUNT] = out[C.AMOUNT].astype(float)
    return out.sort_values(["date", C.FLOW_ID], kind="stable").reset_index(drop=True)
