"""The demo's client and supplier invoices with their payments, drawn from each party's size, terms and behaviour."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as c
from forecasting.core.terms import due_dates_for
from forecasting.demo.bank import Cash
from forecasting.demo.clock import Clock, timestamps
from forecasting.demo.fx import rate_on
from forecasting.demo.params import (
    ACCOUNTS,
    ANY_DAY,
    BNP,
    BUSINESS_DAY,
    CLIENT_ONE_OFFS,
    CREDIT_NOTE_SHARE,
    CURRENCIES,
    DEMO_ENTITY,
    DEMO_SOURCE,
    DESCRIPTION,
    DISPUTE_COLUMNS,
    DISPUTE_LAG_DAYS,
    DISPUTE_MIN_RESOLUTION_DAYS,
    EARLY_SHARE,
    ERRATIC,
    LATE,
    NEVER,
    ONE_OFF_COLUMNS,
    ONE_OFF_MIN_INVOICES,
    ONE_OFF_MULTIPLE,
    ONE_OFF_MULTIPLE_RANGE,
    PAYMENT_RUN_WEEKDAY,
    PUNCTUAL,
    RAISED_ON,
    RECEIPT_CODE,
    SALES_TTC_PER_YEAR,
    SPLIT_PAYMENT_SHARE,
    SUPPLIER_ONE_OFFS,
    TERMS_TEXTS,
    WEEKLY_RUN,
    WRITE_OFF_AFTER_DAYS,
)
from forecasting.demo.parties import Parties

OneOffSpecs = tuple[tuple[str, float, tuple[int, int], tuple[str, ...]], ...]


@dataclass(frozen=True)
class Drawn:
    """One side's invoices, payments and cash movements, with the truth behind them that the ledger does not show."""

    invoices: pd.DataFrame  # INVOICE_COLUMNS
    payments: pd.DataFrame  # PAYMENT_COLUMNS, dated on or before today
    cash: Cash
    disputes: pd.DataFrame  # DISPUTE_COLUMNS: every dispute, raised by today (flagged) or later (not yet)
    one_offs: pd.DataFrame  # ONE_OFF_COLUMNS


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


def _with_one_offs(
    rng: np.random.Generator, clock: Clock, parties: Parties, party: npt.NDArray[np.int64],
    day: npt.NDArray[np.int64], amount_eur: npt.NDArray[np.float64], eligible: npt.NDArray[np.bool_],
    specs: OneOffSpecs, scale: float,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.bool_],
           npt.NDArray[np.object_]]:
    """Return party, day and EUR amount with the one-off invoices inserted in issue order, their mask and labels."""
    n_parties = len(parties.ids)
    positive = amount_eur > 0  # credit notes are no part of a counterparty's usual invoice
    counts = np.bincount(party[positive], minlength=n_parties)
    medians = (pd.Series(amount_eur[positive]).groupby(party[positive]).median()
               .reindex(range(n_parties)).to_numpy(dtype=np.float64))
    free = eligible & (counts >= ONE_OFF_MIN_INVOICES)
    segments = parties.frame[c.SEGMENT].to_numpy()
    per_spec = int(scale + 0.5)  # one of each per unit of scale: a bigger group has more of them
    new_party, new_amount, new_days_before, labels = [], [], [], []
    for label, eur, (low, high), allowed in specs:  # a couple of specs, each vectorised
        gap = np.full(n_parties, np.inf)
        usable = free & np.isin(segments, allowed)
        gap[usable] = np.abs(np.log(eur / (ONE_OFF_MULTIPLE * medians[usable])))
        chosen = np.argsort(gap, kind="stable")[:per_spec]
        chosen = chosen[np.isfinite(gap[chosen])]
        free[chosen] = False  # one one-off per counterparty: it does not recur
        k = len(chosen)
        new_party.append(chosen)
        new_amount.append(np.clip(eur * rng.uniform(0.85, 1.15, k), ONE_OFF_MULTIPLE_RANGE[0] * medians[chosen],
                                  ONE_OFF_MULTIPLE_RANGE[1] * medians[chosen]))
        new_days_before.append(rng.integers(low, high + 1, k))
        labels.append(np.full(k, label, dtype=object))
    extra_party = np.concatenate(new_party).astype(np.int64)
    extra_day = np.searchsorted(clock.bdays, clock.today - np.concatenate(new_days_before)).astype(np.int64)
    order = np.lexsort((extra_party, extra_day))
    extra_party, extra_day = extra_party[order], extra_day[order]
    # insert into the rows sorted by (day, party): the invoice numbers keep following issue dates
    at = np.searchsorted(day * n_parties + party, extra_day * n_parties + extra_party, side="right")
    one_off = np.zeros(party.size + len(at), dtype=bool)
    one_off[at + np.arange(len(at))] = True
    return (np.insert(party, at, extra_party), np.insert(day, at, extra_day),
            np.insert(amount_eur, at, np.concatenate(new_amount)[order]), one_off,
            np.concatenate(labels)[order])


def _settle(clock: Clock, days: npt.NDArray[np.datetime64],
            settlement: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """Return the days money moves for payments meant for `days`, by each row's SETTLEMENTS code."""
    rolled = clock.calendar.roll_forward(days)
    # the first run day on or after the day (1970-01-01 was a Thursday, weekday 3), then past a holiday
    run = clock.calendar.roll_forward(days + (PAYMENT_RUN_WEEKDAY - 3 - days.astype(np.int64)) % 7)
    settled: npt.NDArray[np.datetime64] = np.select(
        [settlement == ANY_DAY, settlement == WEEKLY_RUN], [days, run], rolled)
    return settled


def _dispute_days(rng: np.random.Generator, clock: Clock, issue: npt.NDArray[np.datetime64],
                  disputed: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """Return the day each dispute is raised (weeks after issue) and the DISPUTED flag the export shows today."""
    raised = issue + rng.integers(DISPUTE_LAG_DAYS[0], DISPUTE_LAG_DAYS[1] + 1, issue.size)
    return raised, disputed & (raised <= clock.today)


def draw_receivables(
    rng: np.random.Generator, clock: Clock, clients: Parties, fx_dates: npt.NDArray[np.datetime64],
    fx_matrix: npt.NDArray[np.float64], scale: float,
) -> tuple[Drawn, npt.NDArray[np.float64]]:
    """Return client invoices, payments, receipts and truth, and each client's expected yearly sales in EUR."""
    party, day = _draw_invoices(rng, clock, clients, clock.day_weights())
    amount_eur = clients.mean_amount[party] * rng.lognormal(-0.245, 0.7, party.size)  # mean 1 multiplier
    credit = (rng.random(party.size) < CREDIT_NOTE_SHARE) & (clients.behaviour[party] != NEVER)
    amount_eur = np.where(credit, -amount_eur * rng.uniform(0.1, 0.5, party.size), amount_eur)
    last_year = clock.bdays[day] > clock.year_ago
    factor = SALES_TTC_PER_YEAR * scale / max(amount_eur[last_year].sum(), 1.0)  # one-offs come on top
    amount_eur *= factor
    # an exceptional order from an established EUR client that pays by transfer and reliably: paid by today
    eligible = ((clients.currency_code == 0) & np.isin(clients.behaviour, (PUNCTUAL, LATE))
                & (clients.settlement == BUSINESS_DAY) & (clients.window[:, 0] == 0))
    party, day, amount_eur, one_off, labels = _with_one_offs(rng, clock, clients, party, day, amount_eur, eligible,
                                                             CLIENT_ONE_OFFS, scale)
    credit = np.insert(credit, np.flatnonzero(one_off) - np.arange(int(one_off.sum())), False)
    n = party.size
    issue = clock.bdays[day]
    behaviour = clients.behaviour[party]
    settlement = clients.settlement[party]
    never = behaviour == NEVER
    rate = rate_on(fx_dates, fx_matrix, issue, clients.currency_code[party])
    amount = np.round(amount_eur / rate, 2)

    terms_code = np.where(credit, RECEIPT_CODE, clients.terms_code[party])
    terms = pd.Categorical.from_codes(terms_code, categories=pd.Index(TERMS_TEXTS))
    due = due_dates_for(issue, terms)
    disputed = (rng.random(n) < clients.dispute_rate[party]) & ~credit & ~never & ~one_off
    raised, flagged = _dispute_days(rng, clock, issue, disputed)

    years_from_mid = (issue - clock.mid).astype(np.int64) / 365.25
    noise = rng.standard_normal(n)
    heavy = np.clip(rng.standard_t(3, n) / np.sqrt(3.0), -4.0, 4.0)  # erratic payers have fat tails
    noise = np.where(behaviour == ERRATIC, heavy, noise) * clients.delay_sd[party]
    early = (behaviour == PUNCTUAL) & (rng.random(n) < EARLY_SHARE)
    noise = np.where(early, -rng.uniform(3.0, 15.0, n), noise)
    dispute_extra = np.where(disputed, rng.gamma(2.0, 35.0, n), 0.0)
    delay = clients.mean_delay[party] + clients.drift[party] * years_from_mid + noise + dispute_extra
    delay = np.rint(np.nan_to_num(delay)).astype(np.int64)
    pay_from = np.maximum(due + delay, issue)
    pay_from = np.where(disputed, np.maximum(pay_from, raised + DISPUTE_MIN_RESOLUTION_DAYS), pay_from)
    paid_on = _settle(clock, np.where(credit, issue, pay_from), settlement)

    partly = disputed & (rng.random(n) < 0.4)  # the disputed part is never paid
    split = ~credit & ~never & ~partly & ~one_off & (rng.random(n) < SPLIT_PAYMENT_SHARE)
    share = np.where(partly, rng.uniform(0.5, 0.9, n), rng.uniform(0.3, 0.7, n))
    first_amount = np.where(partly | split, np.round(amount * share, 2), amount)
    second_on = _settle(clock, paid_on + rng.integers(15, 61, n), settlement)

    ids = _ids("FA", n, 7)
    payments, paid_rows, paid_days, paid_amounts = _payment_rows(
        clock, c.RECEIVABLE, "RC", ids,
        rows=np.concatenate([np.flatnonzero(~never), np.flatnonzero(split)]),
        dates=np.concatenate([paid_on[~never], second_on[split]]),
        amounts=np.concatenate([first_amount[~never], (amount - first_amount)[split]]),
    )
    status = _status(n, paid_rows, paid_amounts, amount)
    settled_part = partly & (paid_on <= clock.today)  # the dispute ended in a partial payment: the rest is lost
    lost = (never | settled_part) & (status == "open") & (due < clock.today - np.timedelta64(WRITE_OFF_AFTER_DAYS, "D"))
    status[lost] = "written_off"
    invoices = _invoice_frame(c.RECEIVABLE, ids, clients.ids[party], issue, due, amount,
                              np.asarray(CURRENCIES, dtype=object)[clients.currency_code[party]], flagged, terms,
                              status)
    annual_eur = clients.invoices_per_year * clients.mean_amount * factor
    payer = party[paid_rows]
    eur = paid_amounts * rate_on(fx_dates, fx_matrix, paid_days, clients.currency_code[payer])
    cash = Cash(paid_days, eur, _accounts(clients, party, one_off)[paid_rows])
    truth = _truth(c.RECEIVABLE, ids, clients.ids[party], disputed, raised, one_off, labels)
    return Drawn(invoices, payments, cash, *truth), annual_eur


def draw_payables(rng: np.random.Generator, clock: Clock, suppliers: Parties, purchases_last_year: float,
                  scale: float) -> Drawn:
    """Return supplier invoices, our payments of them (weekly run or direct debit, rarely withheld) and truth."""
    party, day = _draw_invoices(rng, clock, suppliers, clock.day_weights(month_shift=1))  # buy before selling
    amount_eur = suppliers.mean_amount[party] * rng.lognormal(-0.245, 0.7, party.size)
    last_year = clock.bdays[day] > clock.year_ago
    amount_eur = np.round(amount_eur * purchases_last_year / max(amount_eur[last_year].sum(), 1.0), 2)
    # a machine, building works: paid by transfer in the run, from a supplier we buy from regularly
    party, day, amount_eur, one_off, labels = _with_one_offs(rng, clock, suppliers, party, day, amount_eur,
                                                             suppliers.settlement == WEEKLY_RUN, SUPPLIER_ONE_OFFS,
                                                             scale)
    n = party.size
    amount = np.round(amount_eur, 2)
    issue = clock.bdays[day]
    terms = pd.Categorical.from_codes(suppliers.terms_code[party], categories=pd.Index(TERMS_TEXTS))
    due = due_dates_for(issue, terms)
    disputed = (rng.random(n) < suppliers.dispute_rate[party]) & ~one_off
    raised, flagged = _dispute_days(rng, clock, issue, disputed)
    delay = suppliers.mean_delay[party] + rng.standard_normal(n) * suppliers.delay_sd[party]
    delay = np.rint(delay + np.where(disputed, rng.gamma(2.0, 20.0, n), 0.0)).astype(np.int64)
    pay_from = np.maximum(due + delay, issue)
    pay_from = np.where(disputed, np.maximum(pay_from, raised + DISPUTE_MIN_RESOLUTION_DAYS), pay_from)
    paid_on = _settle(clock, pay_from, suppliers.settlement[party])
    ids = _ids("FF", n, 7)
    payments, paid_rows, paid_days, paid_amounts = _payment_rows(clock, c.PAYABLE, "VF", ids, rows=np.arange(n),
                                                                 dates=paid_on, amounts=amount)
    status = _status(n, paid_rows, paid_amounts, amount)
    invoices = _invoice_frame(c.PAYABLE, ids, suppliers.ids[party], issue, due, amount,
                              np.full(n, "EUR", dtype=object), flagged, terms, status)
    cash = Cash(paid_days, -paid_amounts, _accounts(suppliers, party, one_off)[paid_rows])
    return Drawn(invoices, payments, cash,
                 *_truth(c.PAYABLE, ids, suppliers.ids[party], disputed, raised, one_off, labels))


def _accounts(parties: Parties, party: npt.NDArray[np.int64], one_off: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Return each invoice's bank account: its counterparty's, the main account for a one-off."""
    # the small account is swept back to its target weekly and could not carry a one-off within its overdraft
    accounts: npt.NDArray[np.int64] = np.where(one_off, ACCOUNTS.index(BNP), parties.account_code[party])
    return accounts


def _truth(side: str, ids: pd.Series, counterparty_ids: npt.NDArray[np.object_], disputed: npt.NDArray[np.bool_],
           raised: npt.NDArray[np.datetime64], one_off: npt.NDArray[np.bool_],
           labels: npt.NDArray[np.object_]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the side's disputes (DISPUTE_COLUMNS) and one-off invoices (ONE_OFF_COLUMNS)."""
    disputes = pd.DataFrame({
        c.SIDE: side,
        c.INVOICE_ID: ids[disputed].to_numpy(),
        c.COUNTERPARTY_ID: counterparty_ids[disputed],
        RAISED_ON: timestamps(raised[disputed]),
    })[DISPUTE_COLUMNS]
    one_offs = pd.DataFrame({
        c.SIDE: side,
        c.INVOICE_ID: ids[one_off].to_numpy(),
        c.COUNTERPARTY_ID: counterparty_ids[one_off],
        DESCRIPTION: labels,
    })[ONE_OFF_COLUMNS]
    return disputes, one_offs


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
        c.SETTLED_BY: c.CASH,  # the demo's credit notes are negative invoices of their own, settled by nothing
    })
    return frame.astype({c.SOURCE: "str", c.SIDE: "str", c.SETTLED_BY: "str"}), rows, dates, amounts


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
        c.CARRIED_FORWARD: False,  # the demo's history starts with its company: nothing carried from a year before
    })
    return frame.astype({c.COUNTERPARTY_ID: "str", c.CURRENCY: "str", c.TERMS: "str", c.STATUS: "str",
                         c.SOURCE: "str", c.SIDE: "str", c.ENTITY: "str"})[c.INVOICE_COLUMNS]
