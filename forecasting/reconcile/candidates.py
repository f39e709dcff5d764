"""Candidate matches of movements to open invoices, each with a confidence and a reason, by joins (no loop per movement).

Frames (positions are row numbers of the frames the caller built):
- movements: row, side, side_code, amount (absolute), cents, booking_date, currency, text (label and remittance)
- invoices: inv, side, side_code (0 receivable, 1 payable), source, invoice_id, counterparty_id, party (one integer
  per side and counterparty, invoices sorted by it), open (open amount, > 0), cents, issue_date, due_date, currency,
  key (invoice_keys), digits (digit_keys), rank (0 = the party's oldest by due date), cum_cents (the party's open
  amounts summed in due-date order, this one included)
- parties: row, counterparty_id, party (the invoices' code, -1 without open invoice), via ('iban' or 'name'): who
  the movement is from, as far as names and IBANs tell
Candidates: cand, row, confidence, reason; allocations: cand, inv, amount.

Pairs are scored on integer codes (reconcile/evidence.py) and joined on integers; where a join's order decides which
of two equal candidates comes first, it is the order pandas' merge gives (left rows in order, then right rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from forecasting.reconcile import evidence as E
from forecasting.reconcile.evidence import NUMBER_CURRENCY, PARTY_PARTIAL
from forecasting.reconcile.sets import Columns, amount_fit, join, number_sets, runs, two
from forecasting.reconcile.settings import MatchSettings
from forecasting.reconcile.text import (
    Texts,
    arrow_texts,
    codes_of,
    first_of_each,
    key_digits,
    lengths,
    take,
    text_key_arrays,
)

MAX_AMOUNT_ONLY = 3  # an amount shared by more open invoices than this says nothing
FX_TOLERANCE = 0.01  # a bank converts at its own rate: within 1 % of the invoice at the day's reference rate
_WRONG_PARTY = 0.25  # an invoice number whose invoice belongs to another party than the one named
_ONE_OF_SEVERAL = 0.1  # one invoice of several the text numbers: the others may be paid too
_MAX_PARTIAL = 3  # a part payment is proposed against a party's open invoices only when few could take it
_NUMBER_CURRENCY = 0.6  # an invoice number in another currency, its amount far from the movement's


@dataclass(frozen=True, eq=False)
class Candidates:
    """Candidate matches and the invoices each would pay."""

    matches: pd.DataFrame  # cand, row, confidence, reason
    allocations: pd.DataFrame  # cand, inv, amount


def _in_window(rows: np.ndarray, inv: np.ndarray, cols: Columns, settings: MatchSettings) -> np.ndarray:
    """Return which (row, inv) pairs are of one side, the invoice issued by the booking and not too old."""
    booking = cols.booking[rows]
    due = cols.due[inv]
    late = np.timedelta64(settings.max_days_late, "D")
    kept: np.ndarray = ((cols.m_side[rows] == cols.i_side[inv]) & (cols.issue[inv] <= booking)
                        & (booking <= due + late))
    return kept


def rates_at(fx: pd.DataFrame, currency: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Return EUR per unit of each currency on each day (the last rate on or before it; 1 for EUR, NaN if none)."""
    out = np.where(currency == "EUR", 1.0, np.nan)
    for name in np.unique(currency[currency != "EUR"]):  # a few currencies
        known = fx[fx["currency"] == name].sort_values("rate_date")
        rows = currency == name
        if not len(known):
            continue
        pos = np.searchsorted(known["rate_date"].to_numpy(), days[rows], side="right") - 1
        rate = known["rate"].to_numpy(dtype=float)[np.clip(pos, 0, None)]
        out[rows] = np.where(pos >= 0, rate, np.nan)
    return out


def _singles(rows: np.ndarray, inv: np.ndarray, kind: np.ndarray | int, cols: Columns, settings: MatchSettings,
             fx: pd.DataFrame | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Return (row, inv, confidence, reason code, amount) of the single-invoice candidates among the pairs found by
    evidence `kind` (a code per pair, or one for all), and the positions of the pairs they come from."""
    fit = amount_fit(cols.m_cents[rows], cols.i_cents[inv], settings)
    other_currency = cols.m_cur[rows] != cols.i_cur[inv]
    if other_currency.any() and fx is not None:
        # an invoice in another currency than the account's: compared at the reference rate of the booking day
        r, i = rows[other_currency], inv[other_currency]
        days = cols.booking[r]
        factor = rates_at(fx, cols.currency(cols.i_cur[i]), days) / rates_at(fx, cols.currency(cols.m_cur[r]), days)
        due = cols.i_open[i] * factor * 100
        gap = np.abs(due - cols.m_cents[r])
        close = gap <= np.maximum(settings.fee_tolerance * 100, due * FX_TOLERANCE)
        fit[other_currency] = np.where(close, E.FX, E.FAR)
    kinds = np.broadcast_to(np.asarray(kind, dtype=np.int64), rows.shape)
    conf = E.SINGLE_CONFIDENCE[kinds, fit]
    reason = E.SINGLE_REASON[kinds, fit]
    not_fx = other_currency & (fit != E.FX)
    conf[not_fx] = np.nan
    # an invoice number in another currency, its amount far from the movement's: proposed only
    numbered = not_fx & ((kinds == E.NUMBER) | (kinds == E.DIGITS))
    conf[numbered], reason[numbered] = _NUMBER_CURRENCY, E.REASON_CODE[NUMBER_CURRENCY]
    paid, open_ = cols.m_amount[rows], cols.i_open[inv]
    alloc = np.where(other_currency | (fit == E.SHORT), open_, np.minimum(paid, open_))
    # a part payment proposed on a party's invoices only when few of them could take it
    partial = reason == E.REASON_CODE[PARTY_PARTIAL]
    many = np.bincount(rows[partial], minlength=int(rows.max(initial=-1)) + 1)[rows] > _MAX_PARTIAL
    conf[partial & many] = np.nan
    kept = np.flatnonzero(~np.isnan(conf))
    out = pd.DataFrame({"row": rows[kept], "inv": inv[kept], "confidence": conf[kept], "reason": reason[kept],
                        "amount": alloc[kept], "group": inv[kept]})
    return out, kept


def _key_join(rows: np.ndarray, keys: Texts, inv: np.ndarray, inv_keys: Texts) -> tuple[np.ndarray, np.ndarray]:
    """Return (row, inv) of the text keys equal to an invoice's (non-empty) key, in merge order: the invoices'
    keys are looked up among the texts' distinct keys (one hash of the smaller side, the million probing it)."""
    codes, distinct = codes_of(keys)
    found = np.asarray(pc.index_in(inv_keys, value_set=distinct).fill_null(-1).to_numpy(zero_copy_only=False))
    hit = np.flatnonzero((found >= 0) & (lengths(inv_keys) > 0))
    left, right = join(codes, found[hit].astype(np.int64))
    return rows[left], inv[hit[right]]


def number_pairs(movements: pd.DataFrame, invoices: pd.DataFrame) -> pd.DataFrame:
    """Return (row, inv, evidence) of every invoice whose number (E.NUMBER) or significant digits (E.DIGITS) the
    movement's text holds."""
    rows, keys = text_key_arrays(movements["text"])
    inv = invoices["inv"].to_numpy()
    exact = _key_join(rows, keys, inv, arrow_texts(invoices["key"]))
    # a text's digits: the key's own digits, leading zeros dropped ('FACTURE 2024-0012' finds FA-2024-0012)
    digits = key_digits(keys)
    first = first_of_each(rows, digits)
    found = _key_join(rows[first], take(digits, first), inv, arrow_texts(invoices["digits"]))
    pairs = pd.DataFrame({"row": np.r_[exact[0], found[0]], "inv": np.r_[exact[1], found[1]],
                          "evidence": np.r_[np.full(len(exact[0]), E.NUMBER), np.full(len(found[0]), E.DIGITS)]})
    return pairs.drop_duplicates(["row", "inv"], keep="first").reset_index(drop=True)


def _currency_codes(movements: pd.Series, invoices: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (movement codes, invoice codes, names): one code per currency for both sides; a missing currency's
    code (-2 for a movement, -3 for an invoice) equals no other."""
    m_codes, m_names = pd.factorize(movements)
    i_codes, i_names = pd.factorize(invoices)
    names = pd.Index(pd.unique(np.r_[np.asarray(m_names, dtype=object), np.asarray(i_names, dtype=object)]))
    m_cur = np.where(m_codes >= 0, names.get_indexer(m_names)[m_codes], -2)
    i_cur = np.where(i_codes >= 0, names.get_indexer(i_names)[i_codes], -3)
    return m_cur.astype(np.int64), i_cur.astype(np.int64), names.to_numpy(dtype=object)


def columns(movements: pd.DataFrame, invoices: pd.DataFrame) -> Columns:
    """Return the columns the scoring reads, as NumPy arrays (currencies as codes shared by both sides)."""
    m_cur, i_cur, currencies = _currency_codes(movements["currency"], invoices["currency"])
    return Columns(
        booking=movements["booking_date"].to_numpy(), m_side=movements["side_code"].to_numpy(),
        m_cents=movements["cents"].to_numpy(dtype=np.int64), m_amount=movements["amount"].to_numpy(dtype=float),
        m_cur=m_cur, currencies=currencies,
        issue=invoices["issue_date"].to_numpy(), due=invoices["due_date"].to_numpy(),
        i_side=invoices["side_code"].to_numpy(), i_cents=invoices["cents"].to_numpy(dtype=np.int64),
        i_open=invoices["open"].to_numpy(dtype=float), i_cur=i_cur,
        i_party=invoices["party"].to_numpy(dtype=np.int64), i_rank=invoices["rank"].to_numpy(dtype=np.int64),
        i_cum=invoices["cum_cents"].to_numpy(dtype=np.int64))


def _party_pairs(parties: pd.DataFrame, cols: Columns) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (row, inv, party, via code) of every open invoice of each movement's party, as a merge on the party
    orders them: the invoices are sorted by party, so each party's are one slice."""
    known = parties[parties["party"] >= 0]
    party = known["party"].to_numpy(dtype=np.int64)
    start = np.searchsorted(cols.i_party, party, side="left")
    count = np.searchsorted(cols.i_party, party, side="right") - start
    total = int(count.sum())
    inv = np.repeat(start, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
    via = np.where(known["via"].to_numpy(dtype=object) == "iban", E.IBAN, E.NAME)
    return (np.repeat(known["row"].to_numpy(dtype=np.int64), count), inv.astype(np.int64),
            np.repeat(party, count), np.repeat(via, count))


def find(movements: pd.DataFrame, invoices: pd.DataFrame, parties: pd.DataFrame, settings: MatchSettings,
         amount_only_rows: np.ndarray | None = None, fx: pd.DataFrame | None = None) -> Candidates:
    """Return every candidate match of the movements: by invoice numbers, by party and amount, by amount alone."""
    cols = columns(movements, invoices)
    found: list[pd.DataFrame] = []  # row, group (a key of the invoice set within the row), inv, confidence, ...
    numbered = number_pairs(movements, invoices)
    numbered = numbered[_in_window(numbered["row"].to_numpy(), numbered["inv"].to_numpy(), cols, settings)]
    if len(numbered):
        rows, inv = numbered["row"].to_numpy(), numbered["inv"].to_numpy()
        kind = numbered["evidence"].to_numpy()
        party = cols.i_party[inv]
        span = int(max(party.max(initial=0), parties["party"].max() if len(parties) else 0)) + 2
        named = np.isin(rows * span + party + 1, parties["row"].to_numpy(dtype=np.int64) * span
                        + parties["party"].to_numpy(dtype=np.int64) + 1)
        has_party = np.zeros(len(movements), dtype=bool)
        has_party[parties["row"].to_numpy(dtype=np.int64)] = True
        wrong = has_party[rows] & ~named
        singles, at = _singles(rows, inv, kind, cols, settings, fx)
        several = np.bincount(rows, weights=kind == E.NUMBER, minlength=len(movements))[rows] > 1
        singles["confidence"] -= np.where(wrong[at], _WRONG_PARTY, 0.0)
        singles["confidence"] -= np.where(several[at], _ONE_OF_SEVERAL, 0.0)
        found.append(singles)
        number = kind == E.NUMBER
        found.append(number_sets(rows[number], inv[number], party[number], cols, settings))
    if len(parties):
        rows, inv, party, via = _party_pairs(parties, cols)
        window = _in_window(rows, inv, cols, settings)
        rows, inv, party, via = rows[window], inv[window], party[window], via[window]
        found.append(_singles(rows, inv, via, cols, settings, fx)[0])
        found.append(runs(rows, inv, party, cols))
        found.append(two(rows, inv, cols))
    if amount_only_rows is not None and len(amount_only_rows):
        found.append(_amount_only(amount_only_rows, cols, settings))
    return _assemble(found)


def _amount_only(rows: np.ndarray, cols: Columns, settings: MatchSettings) -> pd.DataFrame:
    """Return the candidates of an invoice of exactly the amount (when at most MAX_AMOUNT_ONLY of the side have it)."""
    rows = np.asarray(rows, dtype=np.int64)
    left, right = join(cols.m_cents[rows] * 2 + cols.m_side[rows], cols.i_cents * 2 + cols.i_side)
    rows, inv = rows[left], right.astype(np.int64)
    window = _in_window(rows, inv, cols, settings)
    rows, inv = rows[window], inv[window]
    few = np.bincount(rows, minlength=len(cols.booking))[rows] <= MAX_AMOUNT_ONLY
    return _singles(rows[few], inv[few], E.AMOUNT, cols, settings)[0]


def _assemble(found: list[pd.DataFrame]) -> Candidates:
    """Return candidates numbered 0.. from the (row, group, inv) rows, the best evidence kept for each invoice set."""
    columns_ = ["row", "group", "inv", "confidence", "reason", "amount"]
    parts = [f[columns_] for f in found if len(f)]
    if not parts:
        empty = pd.DataFrame({"cand": pd.Series(dtype="int64"), "row": pd.Series(dtype="int64"),
                              "confidence": pd.Series(dtype="float64"), "reason": pd.Series(dtype="str")})
        return Candidates(empty, pd.DataFrame({"cand": pd.Series(dtype="int64"), "inv": pd.Series(dtype="int64"),
                                               "amount": pd.Series(dtype="float64")}))
    rows = pd.concat(parts, ignore_index=True).astype({"row": "int64", "group": "int64", "inv": "int64",
                                                       "reason": "int64"})
    # an invoice found by its number and by its party is one candidate, with the better evidence
    order = np.argsort(-rows["confidence"].to_numpy(dtype=float), kind="stable")
    rows = rows.iloc[order]
    rows = rows[~rows.duplicated(["row", "group", "inv"])]
    cand = rows.groupby(["row", "group"], sort=False).ngroup().to_numpy()
    # one invoice set found twice (by number and by party) is one candidate: its best confidence. The set is
    # known by its size and two sums of its invoice positions (no Python per candidate).
    inv = rows["inv"].to_numpy()
    by_cand = np.argsort(cand, kind="stable")
    starts = np.flatnonzero(np.r_[True, cand[by_cand][1:] != cand[by_cand][:-1]])
    first = by_cand[starts]
    conf = rows["confidence"].to_numpy(dtype=float)
    head = pd.DataFrame({
        "cand": np.arange(len(starts), dtype=np.int64), "row": rows["row"].to_numpy()[first],
        "confidence": np.maximum.reduceat(conf[by_cand], starts), "reason": rows["reason"].to_numpy()[first],
        "n": np.diff(np.r_[starts, len(by_cand)]), "h1": np.add.reduceat(inv[by_cand], starts),
        "h2": np.add.reduceat((inv * 2_654_435_761 % 4_294_967_291)[by_cand], starts)})
    head = head.iloc[np.argsort(-head["confidence"].to_numpy(), kind="stable")]
    head = head[~head.duplicated(["row", "n", "h1", "h2"])]
    keep = np.zeros(len(starts), dtype=bool)
    keep[head["cand"].to_numpy()] = True
    kept = keep[cand]
    matches = head[["cand", "row", "confidence", "reason"]].sort_values(["row", "cand"])
    matches = matches.assign(reason=E.reason_texts(matches["reason"].to_numpy())).reset_index(drop=True)
    allocations = pd.DataFrame({"cand": cand[kept].astype(np.int64), "inv": inv[kept],
                                "amount": rows["amount"].to_numpy(dtype=float)[kept]})
    return Candidates(matches, allocations)
