"""The demo's client and supplier invoices with their payments, drawn from each party's size, terms and behaviour."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as c
from forecasting.core.terms import due_dates_for
from forecasting.demo.bank import Cash
from forecasting.demo.clock import Clock, timestamps
from forecasting.demo.fx import rate_on
from forecasting.demo.params import (
    CREDIT_NOTE_SHARE,
    CURRENCIES,
    DEMO_ENTITY,
    DEMO_SOURCE,
    EARLY_SHARE,
    ERRATIC,
    NEVER,
    PUNCTUAL,
    RECEIPT_CODE,
    SALES_TTC_PER_YEAR,
    SPLIT_PAYMENT_SHARE,
    TERMS_TEXTS,
)
from forecasting.demo.parties import Parties


def _draw_invoices(rng: np.random.Generator, clock: Clock, parties: Parties,
                   weights: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return (party position, business-day position) of every invoice, sorted chronologically."""
    n_days = len(clock.bdays)
    active = (parties.window[:, 1] - parties.window[:, 0]) / n_days
    counts = rng.poisson(parties.invoices_per_year * clock.years * active)
    party = np.repeat(np.arange(len(counts)), counts)
    day = rng.choice(n_days, size=party.size, p=weights)
    first, end = parties.window[party, 0], parties.window[party, 1]
    windowed = (first > 0) | (end < n_days)  # a uniform day inside a short window
    day = np.where(windowed, first + (rng.random(party.size) * (end - first)).astype(np.int64), day)
    order = np.lexsort((party, day))  # invoice numbers follow issue dates, as French law requires
    return party[order], day[order]


def draw_receivables(
    rng: np.random.Generator, clock: Clock, clients: Parties, fx_dates: npt.NDArray[np.datetime64],
    fx_matrix: npt.NDArray[np.float64], scale: float,
) -> tuple[pd.DataFrame, pd.DataFrame, npt.NDArray[np.float64], Cash]:
    """Return client invoices, client payments, each client's expected yearly sales in EUR, and the receipts."""
    party, day = _draw_invoices(rng, clock, clients, clock.day_weights())
    n = party.size
    issue = clock.bdays[day]
    behaviour = clients.behaviour[party]
    never = behaviour == NEVER
    amount_eur = clients.mean_amount[party] * rng.lognormal(-0.245, 0.7, n)  # mean 1 multiplier
    credit = (rng.random(n) < CREDIT_NOTE_SHARE) & ~never
    amount_eur = np.where(credit, -amount_eur * rng.uniform(0.1, 0.5, n), amount_eur)
    last_year = issue > clock.year_ago
    factor = SALES_TTC_PER_YEAR * scale / max(amount_eur[last_year].sum(), 1.0)
    amount_eur *= factor
    rate = rate_on(fx_dates, fx_matrix, issue, clients.currency_code[party])
    amount = np.round(amount_eur / rate, 2)

    terms_code = np.where(credit, RECEIPT_CODE, clients.terms_code[party])
    terms = pd.Categorical.from_codes(terms_code, categories=pd.Index(TERMS_TEXTS))
    due = due_dates_for(issue, terms)
    disputed = (rng.random(n) < clients.dispute_rate[party]) & ~credit & ~never

    years_from_mid = (issue - clock.mid).astype(np.int64) / 365.25
    noise = rng.standard_normal(n)
    heavy = np.clip(rng.standard_t(3, n) / np.sqrt(3.0), -4.0, 4.0)  # erratic payers have fat tails
    noise = np.where(behaviour == ERRATIC, heavy, noise) * clients.delay_sd[party]
    early = (behaviour == PUNCTUAL) & (rng.random(n) < EARLY_SHARE)
    noise = np.where(early, -rng.uniform(3.0, 15.0, n), noise)
    dispute_extra = np.where(disputed, rng.gamma(2.0, 35.0, n), 0.0)
    delay = clients.mean_delay[party] + clients.drift[party] * years_from_mid + noise + dispute_extra
    delay = np.rint(np.nan_to_num(delay)).astype(np.int64)
    paid_on = np.where(credit, issue, np.maximum(due + delay, issue))
    paid_on = clock.calendar.roll_forward(paid_on)

    partly = disputed & (rng.random(n) < 0.4)  # the disputed part is never paid
    split = ~credit & ~never & ~partly & (rng.random(n) < SPLIT_PAYMENT_SHARE)
    share = np.where(partly, rng.uniform(0.5, 0.9, n), rng.uniform(0.3, 0.7, n))
    first_amount = np.where(partly | split, np.round(amount * share, 2), amount)
    second_on = clock.calendar.roll_forward(paid_on + rng.integers(15, 61, n))

    ids = _ids("FA", n, 7)
    payments, paid_rows, paid_days, paid_amounts = _payment_rows(
        clock, c.RECEIVABLE, "RC", ids,
        rows=np.concatenate([np.flatnonzero(~never), np.flatnonzero(split)]),
        dates=np.concatenate([paid_on[~never], second_on[split]]),
        amounts=np.concatenate([first_amount[~never], (amount - first_amount)[split]]),
    )
    status = _status(n, paid_rows, paid_amounts, amount)
    status[never & (issue < clock.year_ago)] = "written_off"
    invoices = _invoice_frame(c.RECEIVABLE, ids, clients.ids[party], issue, due, amount,
                              np.asarray(CURRENCIES, dtype=object)[clients.currency_code[party]], disputed, terms,
                              status)
    annual_eur = clients.invoices_per_year * clients.mean_amount * factor
    payer = party[paid_rows]
    eur = paid_amounts * rate_on(fx_dates, fx_matrix, paid_days, clients.currency_code[payer])
    return invoices, payments, annual_eur, Cash(paid_days, eur, clients.account_code[payer])


def draw_payables(rng: np.random.Generator, clock: Clock, suppliers: Parties,
                  purchases_last_year: float) -> tuple[pd.DataFrame, pd.DataFrame, Cash]:
    """Return supplier invoices and our payments of them (around the due date, rarely withheld)."""
    party, day = _draw_invoices(rng, clock, suppliers, clock.day_weights(month_shift=1))  # buy before selling
    n = party.size
    issue = clock.bdays[day]
    amount_eur = suppliers.mean_amount[party] * rng.lognormal(-0.245, 0.7, n)
    amount = np.round(amount_eur * purchases_last_year / max(amount_eur[issue > clock.year_ago].sum(), 1.0), 2)
    terms = pd.Categorical.from_codes(suppliers.terms_code[party], categories=pd.Index(TERMS_TEXTS))
    due = due_dates_for(issue, terms)
    disputed = rng.random(n) < suppliers.dispute_rate[party]
    delay = suppliers.mean_delay[party] + rng.standard_normal(n) * suppliers.delay_sd[party]
    delay = np.rint(delay + np.where(disputed, rng.gamma(2.0, 20.0, n), 0.0)).astype(np.int64)
    paid_on = clock.calendar.roll_forward(np.maximum(due + delay, issue))
    ids = _ids("FF", n, 7)
    payments, paid_rows, paid_days, paid_amounts = _payment_rows(clock, c.PAYABLE, "VF", ids, rows=np.arange(n),
                                                                 dates=paid_on, amounts=amount)
    status = _status(n, paid_rows, paid_amounts, amount)
    invoices = _invoice_frame(c.PAYABLE, ids, suppliers.ids[party], issue, due, amount,
                              np.full(n, "EUR", dtype=object), disputed, terms, status)
    return invoices, payments, Cash(paid_days, -paid_amounts, suppliers.account_code[party[paid_rows]])


def _ids(prefix: str, n: int, width: int) -> pd.Series:
    """Return ids prefix0000001.. as a string Series (pandas string ops: fast for millions)."""
    return prefix + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)


def _payment_rows(
    clock: Clock, side: str, prefix: str, invoice_ids: pd.Series, rows: npt.NDArray[np.int64],
    dates: npt.NDArray[np.datetime64], amounts: npt.NDArray[np.float64],
) -> tuple[pd.DataFrame, npt.NDArray[np.int64], npt.NDArray[np.datetime64], npt.NDArray[np.float64]]:
    """Return PAYMENT_COLUMNS of the payments dated on or before today, with their rows, days and amounts."""
    keep = dates <= clock.today
    rows, dates, amounts = rows[keep], dates[keep], amounts[keep]
    order = np.lexsort((rows, dates))
    rows, dates, amounts = rows[order], dates[order], np.round(amounts[order], 2)
    frame = pd.DataFrame({
        c.SOURCE: DEMO_SOURCE,
        c.SIDE: side,
        c.PAYMENT_ID: _ids(prefix, len(rows), 7),
        c.INVOICE_ID: pd.Series(invoice_ids.array.take(rows)),  # stays an arrow string: no object detour
        c.PAYMENT_DATE: timestamps(dates),
        c.AMOUNT: amounts,
    })
    return frame.astype({c.SOURCE: "str", c.SIDE: "str"}), rows, dates, amounts


def _status(n: int, paid_rows: npt.NDArray[np.int64], paid_amounts: npt.NDArray[np.float64],
            amount: npt.NDArray[np.float64]) -> npt.NDArray[np.object_]:
    """Return "paid" where payments cover the amount within a cent, else "open"."""
    paid = np.bincount(paid_rows, weights=paid_amounts, minlength=n)
    return np.where(np.abs(amount - paid) <= 0.01, "paid", "open").astype(object)


def _invoice_frame(side: str, ids: pd.Series, counterparty_ids: npt.NDArray[np.object_],
                   issue: npt.NDArray[np.datetime64], due: npt.NDArray[np.datetime64], amount: npt.NDArray[np.float64],
                   currency: npt.NDArray[np.object_], disputed: npt.NDArray[np.bool_], terms: pd.Categorical[str],
                   status: npt.NDArray[np.object_]) -> pd.DataFrame:
    """Return invoices with exactly INVOICE_COLUMNS and the contract's dtypes."""
    frame = pd.DataFrame({
        c.SOURCE: DEMO_SOURCE,
        c.SIDE: side,
        c.INVOICE_ID: ids,
        c.COUNTERPARTY_ID: counterparty_ids,
        c.ENTITY: DEMO_ENTITY,
        c.ISSUE_DATE: timestamps(issue),
        c.DUE_DATE: timestamps(due),
        c.AMOUNT_TTC: amount.astype(np.float64),
        c.CURRENCY: currency,
        c.DISPUTED: disputed.astype(bool),
        c.TERMS: terms.astype(object),
        c.STATUS: status,
    })
    return frame.astype({c.COUNTERPARTY_ID: "str", c.CURRENCY: "str", c.TERMS: "str", c.STATUS: "str",
                         c.SOURCE: "str", c.SIDE: "str", c.ENTITY: "str"})[c.INVOICE_COLUMNS]
