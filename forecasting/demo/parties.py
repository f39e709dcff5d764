"""The demo's clients and suppliers: names, segments, sizes, terms, currencies and each client's payment behaviour."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as c
from forecasting.demo.clock import Clock
from forecasting.demo.params import (
    ANY_DAY,
    BEHAVIOUR_SEG_WEIGHT,
    BEHAVIOUR_SHARE,
    BUSINESS_DAY,
    CLIENT_INVOICES_PER_YEAR,
    CURRENCIES,
    DEMO_ENTITY,
    DIRECT_DEBIT_P,
    DISPUTE_RANGE,
    DRIFT_SD,
    DRIFTING_SHARE,
    EXPORT_CURRENCY_P,
    FOREIGN_FORMS,
    FORMS,
    IMPROVING_DRIFT,
    MEAN_RANGE,
    NEVER,
    NEW_CLIENT_SHARE,
    NEW_CLIENT_START_DAYS,
    PREFIX,
    PUBLIC,
    PUNCTUAL,
    SD_RANGE,
    SEG_SHARE,
    SEG_SIZE,
    SEG_TERMS_P,
    SEGMENTS,
    SUP_SHARE,
    SUP_SIZE,
    SUP_TERMS_P,
    SUPPLIER_INVOICES_PER_YEAR,
    SUPPLIER_SEGMENTS,
    SYL_FIRST,
    SYL_LAST,
    SYL_MID,
    TERMS_TEXTS,
    TOWN_PATTERNS,
    TOWNS,
    WEEKEND_PAYER_SHARE,
    WEEKLY_RUN,
    WORSENING_DRIFT,
    WORSENING_SHARE,
)


@dataclass(frozen=True)
class Parties:
    """Per-counterparty arrays that the invoice generators index by counterparty position."""

    ids: npt.NDArray[np.object_]
    frame: pd.DataFrame  # COUNTERPARTY_COLUMNS, credit limits still to fill for clients
    invoices_per_year: npt.NDArray[np.float64]
    mean_amount: npt.NDArray[np.float64]  # EUR per invoice before calibration to the sales target
    terms_code: npt.NDArray[np.int64]  # position in TERMS_TEXTS
    currency_code: npt.NDArray[np.int64]  # position in CURRENCIES
    account_code: npt.NDArray[np.int64]  # position in ACCOUNTS
    behaviour: npt.NDArray[np.int64]  # position in BEHAVIOURS
    mean_delay: npt.NDArray[np.float64]
    delay_sd: npt.NDArray[np.float64]
    drift: npt.NDArray[np.float64]
    dispute_rate: npt.NDArray[np.float64]
    window: npt.NDArray[np.int64]  # (n, 2) business-day positions [first, end) when the party is invoiced
    settlement: npt.NDArray[np.int64]  # position in SETTLEMENTS: which days its payments move on


def _name(picks: npt.NDArray[np.int64], segment: str, currency: str) -> str:
    """Return a plausible company name for a segment, built from five random integers."""
    a, b, d, e, f = (int(p) for p in picks)
    mid, last = SYL_MID[b % len(SYL_MID)], SYL_LAST[d % len(SYL_LAST)]
    if b % 2 or last[0] in "aeiouy":  # no middle syllable half the time, nor two vowels in a row
        mid = ""
    core = SYL_FIRST[a % len(SYL_FIRST)] + mid + last
    if segment == "Public":
        town = TOWNS[f % len(TOWNS)] if f % 2 else TOWN_PATTERNS[(f // 2) % len(TOWN_PATTERNS)].format(core)
        institution = PUBLIC[e % len(PUBLIC)]
        if town[0] in "AEIOUÉ" and institution.endswith(" de"):  # French elision: d'Amiens
            return f"{institution[:-3]} d'{town}"
        return f"{institution} {town}"
    if segment == "Export":
        forms = FOREIGN_FORMS[currency]
        return f"{core} {forms[e % len(forms)]}"
    prefix = PREFIX[segment][e % len(PREFIX[segment])]
    forms = FORMS[:3:2] if segment == "Grands comptes" else FORMS  # large accounts are SA or SAS
    return f"{prefix} {core} {forms[f % len(forms)]}".strip()


def _names(rng: np.random.Generator, segments: npt.NDArray[np.object_], currencies: npt.NDArray[np.object_],
           taken: frozenset[str] = frozenset()) -> list[str]:
    """Return plausible company names, one per counterparty, distinct from each other and from `taken`."""
    picks = rng.integers(0, 1 << 30, size=(len(segments), 5))
    names: list[str] = []
    seen = set(taken)
    for row, segment, currency in zip(picks, segments, currencies, strict=True):
        name = _name(row, segment, currency)
        for _ in range(5):  # redraw a taken name a few times before numbering it
            if name not in seen:
                break
            name = _name(rng.integers(0, 1 << 30, size=5), segment, currency)
        unique, k = name, 2
        while unique in seen:
            unique, k = f"{name} ({k})", k + 1
        seen.add(unique)
        names.append(unique)
    return names


# --- counterparties ----------------------------------------------------------------------------------
def _assign_behaviours(rng: np.random.Generator, segment: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Return one behaviour class per client: exact shares, drawn with segment-dependent odds."""
    n = len(segment)
    behaviour = np.full(n, PUNCTUAL)
    free = np.ones(n, dtype=bool)
    for cls, share in BEHAVIOUR_SHARE.items():
        weights = BEHAVIOUR_SEG_WEIGHT[cls][segment] * free
        count = min(max(1, round(share * n)), int((weights > 0).sum()))
        if count == 0:  # a tiny demo may have no client of a segment that can behave so
            continue
        chosen = rng.choice(n, size=count, replace=False, p=weights / weights.sum())
        behaviour[chosen] = cls
        free[chosen] = False
    return behaviour


def _uniform(rng: np.random.Generator, ranges: npt.NDArray[np.float64],
             classes: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Return one uniform draw per row within ranges[class] (NaN ranges give NaN)."""
    low, high = ranges[classes, 0], ranges[classes, 1]
    draws: npt.NDArray[np.float64] = low + (high - low) * rng.random(len(classes))
    return draws


def _choose(rng: np.random.Generator, eligible: npt.NDArray[np.bool_], share: float) -> npt.NDArray[np.bool_]:
    """Return a mask of round(share × len(eligible)) rows picked at random among the eligible ones (fewer if short)."""
    count = min(round(share * len(eligible)), int(eligible.sum()))
    chosen = np.zeros(len(eligible), dtype=bool)
    chosen[rng.choice(np.flatnonzero(eligible), size=count, replace=False)] = True
    return chosen


def _drifts(rng: np.random.Generator, behaviour: npt.NDArray[np.int64],
            drifting: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Return each client's drift in days a year: strong for the drifting clients, most of them improving."""
    drift = rng.normal(0.0, 1.0, len(behaviour)) * DRIFT_SD[behaviour]
    k = int(drifting.sum())
    worse = rng.permutation(k) < round(WORSENING_SHARE * k)
    low = np.where(worse, WORSENING_DRIFT[0], IMPROVING_DRIFT[0])
    high = np.where(worse, WORSENING_DRIFT[1], IMPROVING_DRIFT[1])
    drift[drifting] = low + (high - low) * rng.random(k)
    return drift


def draw_clients(rng: np.random.Generator, clock: Clock, n: int) -> Parties:
    """Return n clients with segments, sizes, terms, currencies, payment behaviour and the days they pay on."""
    segment = rng.choice(len(SEGMENTS), size=n, p=SEG_SHARE)
    size = rng.lognormal(0.0, 1.0, n) * SEG_SIZE[segment]
    per_year = np.clip(CLIENT_INVOICES_PER_YEAR * np.sqrt(size) / np.sqrt(size).mean(), 2.0, 250.0)
    terms_code = _pick_rows(rng, SEG_TERMS_P[segment])
    currency_code = np.where(segment == SEGMENTS.index("Export"),
                             rng.choice(len(CURRENCIES), size=n, p=EXPORT_CURRENCY_P), 0)
    behaviour = _assign_behaviours(rng, segment)
    mean_delay = _uniform(rng, MEAN_RANGE, behaviour)
    delay_sd = _uniform(rng, SD_RANGE, behaviour)
    dispute_rate = _uniform(rng, DISPUTE_RANGE, behaviour)
    account_code = (rng.random(n) >= 0.8).astype(np.int64)  # 80 % of clients pay into the main account
    # each phenomenon on its own clients, so that a test or a benchmark sees it alone
    weekend = _choose(rng, (segment == SEGMENTS.index("PME")) & (behaviour == PUNCTUAL), WEEKEND_PAYER_SHARE)
    drifting = _choose(rng, (behaviour != NEVER) & ~weekend, DRIFTING_SHARE)
    new = _choose(rng, (behaviour != NEVER) & ~weekend & ~drifting, NEW_CLIENT_SHARE)
    drift = _drifts(rng, behaviour, drifting)
    window = _windows(rng, clock, behaviour == NEVER, new)
    ids = np.array([f"C{i:04d}" for i in range(1, n + 1)], dtype=object)
    segments = np.asarray(SEGMENTS, dtype=object)[segment]
    currencies = np.asarray(CURRENCIES, dtype=object)[currency_code]
    frame = pd.DataFrame({
        c.COUNTERPARTY_ID: ids,
        c.KIND: c.CLIENT,
        c.NAME: _names(rng, segments, currencies),
        c.SEGMENT: segments,
        c.TERMS: np.asarray(TERMS_TEXTS, dtype=object)[terms_code],
        c.CURRENCY: currencies,
        c.ENTITY: DEMO_ENTITY,
    })
    return Parties(ids=ids, frame=frame, invoices_per_year=per_year, mean_amount=size / per_year,
                   terms_code=terms_code, currency_code=currency_code, account_code=account_code,
                   behaviour=behaviour, mean_delay=mean_delay, delay_sd=delay_sd, drift=drift,
                   dispute_rate=dispute_rate, window=window,
                   settlement=np.where(weekend, ANY_DAY, BUSINESS_DAY).astype(np.int64))


def _windows(rng: np.random.Generator, clock: Clock, never: npt.NDArray[np.bool_],
             new: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Return [first, end) business-day positions: all history, a few months for never-payers, recent for new."""
    n_days = len(clock.bdays)
    window = np.tile(np.array([0, n_days]), (len(never), 1))
    days_before = rng.integers(NEW_CLIENT_START_DAYS[0], NEW_CLIENT_START_DAYS[1] + 1, int(new.sum()))
    window[new, 0] = np.searchsorted(clock.bdays, clock.today - days_before)
    k = int(never.sum())
    if k:
        # spread their starts over the history so some are long written off and some still open
        latest_start = max(1, n_days - 40)
        starts = ((rng.permutation(k) + rng.random(k)) / k * latest_start).astype(np.int64)
        lengths = rng.integers(60, 170, k)  # 3 to 8 months of deliveries before we stop serving them
        window[never] = np.column_stack([starts, np.minimum(starts + lengths, n_days)])
    return window


def draw_suppliers(rng: np.random.Generator, clock: Clock, n: int, taken: frozenset[str]) -> Parties:
    """Return n suppliers (named apart from `taken`) with categories, sizes, terms and how we pay them."""
    segment = rng.choice(len(SUPPLIER_SEGMENTS), size=n, p=SUP_SHARE)
    size = rng.lognormal(0.0, 1.2, n) * SUP_SIZE[segment]
    per_year = np.clip(SUPPLIER_INVOICES_PER_YEAR * np.sqrt(size) / np.sqrt(size).mean(), 1.0, 150.0)
    terms_code = _pick_rows(rng, np.tile(SUP_TERMS_P, (n, 1)))
    # a direct debit is taken on the due date and never withheld; the rest waits for the weekly run
    direct_debit = rng.random(n) < DIRECT_DEBIT_P[segment]
    mean_delay = np.where(direct_debit, 0.0, rng.uniform(-3.0, 2.0, n))  # we pay on time, sometimes a little early
    delay_sd = np.where(direct_debit, 0.0, rng.uniform(0.5, 2.5, n))
    account_code = (rng.random(n) >= 0.7).astype(np.int64)  # CIC pays 30 % of suppliers
    ids = np.array([f"S{i:04d}" for i in range(1, n + 1)], dtype=object)
    segments = np.asarray(SUPPLIER_SEGMENTS, dtype=object)[segment]
    frame = pd.DataFrame({
        c.COUNTERPARTY_ID: ids,
        c.KIND: c.SUPPLIER,
        c.NAME: _names(rng, segments, np.full(n, "EUR", dtype=object), taken),
        c.SEGMENT: segments,
        c.TERMS: np.asarray(TERMS_TEXTS, dtype=object)[terms_code],
        c.CREDIT_LIMIT: np.nan,
        c.CURRENCY: "EUR",
        c.ENTITY: DEMO_ENTITY,
    })
    zeros = np.zeros(n)
    return Parties(ids=ids, frame=frame, invoices_per_year=per_year, mean_amount=size / per_year,
                   terms_code=terms_code, currency_code=np.zeros(n, dtype=np.int64), account_code=account_code,
                   behaviour=np.full(n, PUNCTUAL), mean_delay=mean_delay, delay_sd=delay_sd, drift=zeros,
                   dispute_rate=np.where(direct_debit, 0.0, 0.01),
                   window=np.tile(np.array([0, len(clock.bdays)]), (n, 1)),
                   settlement=np.where(direct_debit, BUSINESS_DAY, WEEKLY_RUN).astype(np.int64))


def _pick_rows(rng: np.random.Generator, probabilities: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Return one category per row, row i drawn with probabilities[i] (vectorised inverse CDF)."""
    cumulative = np.cumsum(probabilities, axis=1)
    draws = rng.random(len(probabilities))[:, None] * cumulative[:, -1:]
    picked: npt.NDArray[np.int64] = (draws >= cumulative).sum(axis=1)
    return picked
