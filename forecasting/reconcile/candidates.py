"""Candidate matches of movements to open invoices, each with a confidence and a reason, by joins (no loop per movement).

Frames (positions are row numbers of the frames the caller built):
- movements: row, side, side_code, amount (absolute), cents, booking_date, currency, text (label and remittance)
- invoices: inv, side, side_code (0 receivable, 1 payable), source, invoice_id, counterparty_id, party (one integer
  per side and counterparty), open (open amount, > 0), cents, issue_date, due_date, currency, key (invoice_keys),
  digits (digit_keys), rank (0 = the party's oldest by due date), cum_cents (the party's open amounts summed in
  due-date order, this one included)
- parties: row, counterparty_id, party (the invoices' code, -1 without open invoice), via ('iban' or 'name'): who
  the movement is from, as far as names and IBANs tell
Candidates: cand, row, confidence, reason; allocations: cand, inv, amount.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.reconcile.settings import MatchSettings
from forecasting.reconcile.text import text_keys

MAX_RUN = 20  # a transfer paying more consecutive invoices than this is left to the user
MAX_AMOUNT_ONLY = 3  # an amount shared by more open invoices than this says nothing

# Reasons, stored with each match and translated where shown (reconcile/reasons.py).
NUMBER_AMOUNT, NUMBER_SHORT, NUMBER_PARTIAL, NUMBER_OVER, NUMBER_CURRENCY = (
    "number_amount", "number_short", "number_partial", "number_over", "number_currency")
DIGITS_AMOUNT, DIGITS_SHORT, DIGITS_PARTIAL = "digits_amount", "digits_short", "digits_partial"
NUMBERS_TOTAL, NUMBERS_SHORT = "numbers_total", "numbers_short"
PARTY_AMOUNT, PARTY_SHORT, PARTY_RUN_OLDEST, PARTY_RUN = "party_amount", "party_short", "party_run_oldest", "party_run"
PARTY_PAIR, PARTY_PARTIAL, NUMBER_FX, PARTY_FX = "party_pair", "party_partial", "number_fx", "party_fx"
AMOUNT_ONLY = "amount_only"
FX_TOLERANCE = 0.01  # a bank converts at its own rate: within 1 % of the invoice at the day's reference rate

# confidence of a single invoice found by (evidence, amount): exact, short by a fee or discount, partial, over
_SINGLE = {
    "number": {"exact": (1.0, NUMBER_AMOUNT), "short": (0.93, NUMBER_SHORT), "partial": (0.6, NUMBER_PARTIAL),
               "over": (0.5, NUMBER_OVER), "fx": (0.9, NUMBER_FX)},
    "digits": {"exact": (0.9, DIGITS_AMOUNT), "short": (0.8, DIGITS_SHORT), "partial": (0.45, DIGITS_PARTIAL),
               "over": (0.4, DIGITS_PARTIAL), "fx": (0.8, NUMBER_FX)},
    "iban": {"exact": (0.92, PARTY_AMOUNT), "short": (0.72, PARTY_SHORT), "fx": (0.74, PARTY_FX),
             "partial": (0.42, PARTY_PARTIAL)},
    "name": {"exact": (0.9, PARTY_AMOUNT), "short": (0.7, PARTY_SHORT), "fx": (0.72, PARTY_FX),
             "partial": (0.42, PARTY_PARTIAL)},
    "amount": {"exact": (0.5, AMOUNT_ONLY)},
}
_WRONG_PARTY = 0.25  # an invoice number whose invoice belongs to another party than the one named
_ONE_OF_SEVERAL = 0.1  # one invoice of several the text numbers: the others may be paid too
_MAX_PARTIAL = 3  # a part payment is proposed against a party's open invoices only when few could take it


@dataclass(frozen=True, eq=False)
class Candidates:
    """Candidate matches and the invoices each would pay."""

    matches: pd.DataFrame  # cand, row, confidence, reason
    allocations: pd.DataFrame  # cand, inv, amount


def _in_window(pairs: pd.DataFrame, movements: pd.DataFrame, invoices: pd.DataFrame,
               settings: MatchSettings) -> pd.DataFrame:
    """Return the (row, inv) pairs of one side whose invoice was issued by the booking and is not too old."""
    booking = movements["booking_date"].to_numpy()[pairs["row"].to_numpy()]
    issue = invoices["issue_date"].to_numpy()[pairs["inv"].to_numpy()]
    due = invoices["due_date"].to_numpy()[pairs["inv"].to_numpy()]
    same_side = (movements["side_code"].to_numpy()[pairs["row"].to_numpy()]
                 == invoices["side_code"].to_numpy()[pairs["inv"].to_numpy()])
    late = np.timedelta64(settings.max_days_late, "D")
    kept: pd.DataFrame = pairs[same_side & (issue <= booking) & (booking <= due + late)]
    return kept


def _amount_fit(pairs: pd.DataFrame, movements: pd.DataFrame, invoices: pd.DataFrame, open_cents: pd.Series,
                settings: MatchSettings) -> pd.Series:
    """Return 'exact', 'short', 'partial' or 'over' for each pair: the movement against `open_cents`."""
    paid = movements["cents"].to_numpy()[pairs["row"].to_numpy()]
    due = open_cents.to_numpy()
    gap = due - paid  # cents the movement is short of the invoices
    tolerance = np.maximum(settings.fee_tolerance * 100, due * settings.discount_rate)
    fit = np.select([gap == 0, (gap > 0) & (gap <= tolerance), gap > 0], ["exact", "short", "partial"], "over")
    return pd.Series(fit, index=pairs.index)


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


def _singles(pairs: pd.DataFrame, evidence: pd.Series, movements: pd.DataFrame, invoices: pd.DataFrame,
             settings: MatchSettings, fx: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return row, invs (one), confidence, reason for single-invoice pairs found by `evidence` (per pair)."""
    inv = pairs["inv"].to_numpy()
    rows = pairs["row"].to_numpy()
    fit = _amount_fit(pairs, movements, invoices, invoices["cents"].iloc[inv].set_axis(pairs.index), settings)
    mov_currency = movements["currency"].to_numpy()[rows]
    inv_currency = invoices["currency"].to_numpy()[inv]
    other_currency = mov_currency != inv_currency
    if other_currency.any() and fx is not None:
        # an invoice in another currency than the account's: compared at the reference rate of the booking day
        days = movements["booking_date"].to_numpy()[rows][other_currency]
        factor = (rates_at(fx, inv_currency[other_currency].astype(str), days)
                  / rates_at(fx, mov_currency[other_currency].astype(str), days))
        due = invoices["open"].to_numpy()[inv][other_currency] * factor * 100
        gap = np.abs(due - movements["cents"].to_numpy()[rows][other_currency])
        close = gap <= np.maximum(settings.fee_tolerance * 100, due * FX_TOLERANCE)
        values = fit.to_numpy().copy()
        values[other_currency] = np.where(close, "fx", "far")
        fit = pd.Series(values, index=fit.index)
    # the confidence and reason of each (evidence, fit), looked up by codes: no string compare per pair
    kinds, fits = list(_SINGLE), ["exact", "short", "partial", "over", "fx", "far"]
    table_conf = np.full((len(kinds) + 1, len(fits) + 1), np.nan)
    table_reason = np.full((len(kinds) + 1, len(fits) + 1), "", dtype=object)
    for k, kind in enumerate(kinds):
        for how, (value, why) in _SINGLE[kind].items():
            table_conf[k, fits.index(how)], table_reason[k, fits.index(how)] = value, why
    kind_code = pd.Categorical(evidence.to_numpy(), categories=kinds).codes.astype(np.int64)  # -1: unknown -> last
    fit_code = pd.Categorical(fit.to_numpy(), categories=fits).codes.astype(np.int64)
    conf = table_conf[kind_code, fit_code]
    reason = table_reason[kind_code, fit_code]
    conf = np.where(other_currency & (fit_code != fits.index("fx")), np.nan, conf)
    # an invoice number in another currency, its amount far from the movement's: proposed only
    numbered = other_currency & (fit.to_numpy() != "fx") & np.isin(evidence.to_numpy(), ("number", "digits"))
    conf[numbered], reason[numbered] = 0.6, NUMBER_CURRENCY
    paid = movements["amount"].to_numpy()[pairs["row"].to_numpy()]
    open_ = invoices["open"].to_numpy()[inv]
    alloc = np.where(other_currency | (fit.to_numpy() == "short"), open_, np.minimum(paid, open_))
    # a part payment proposed on a party's invoices only when few of them could take it
    partial = reason == PARTY_PARTIAL
    many = np.bincount(rows[partial], minlength=int(rows.max(initial=-1)) + 1)[rows] > _MAX_PARTIAL
    conf[partial & many] = np.nan
    out = pd.DataFrame({"row": pairs["row"].to_numpy(), "inv": inv, "confidence": conf, "reason": reason,
                        "amount": alloc})
    return out[out["confidence"].notna()]


def number_pairs(movements: pd.DataFrame, invoices: pd.DataFrame) -> pd.DataFrame:
    """Return (row, inv, evidence) of every invoice whose number ('number') or significant digits ('digits') the
    movement's text holds."""
    keys = text_keys(movements["text"])
    by_key = invoices.loc[invoices["key"] != "", ["inv", "key"]]
    exact = keys.merge(by_key, on="key")[["row", "inv"]].assign(evidence="number")
    digits = invoices.loc[invoices["digits"] != "", ["inv", "digits"]].rename(columns={"digits": "key"})
    # a text's digits: the key's own digits, leading zeros dropped ('FACTURE 2024-0012' finds FA-2024-0012)
    keys["key"] = keys["key"].str.replace(r"\D", "", regex=True).str.lstrip("0")
    by_digits = keys.drop_duplicates().merge(digits, on="key")[["row", "inv"]].assign(evidence="digits")
    pairs = pd.concat([exact, by_digits], ignore_index=True)
    return pairs.drop_duplicates(["row", "inv"], keep="first").reset_index(drop=True)


def find(movements: pd.DataFrame, invoices: pd.DataFrame, parties: pd.DataFrame, settings: MatchSettings,
         amount_only_rows: np.ndarray | None = None, fx: pd.DataFrame | None = None) -> Candidates:
    """Return every candidate match of the movements: by invoice numbers, by party and amount, by amount alone."""
    found: list[pd.DataFrame] = []  # row, group (a key of the invoice set within the row), inv, confidence, ...
    numbered = _in_window(number_pairs(movements, invoices), movements, invoices, settings)
    if len(numbered):
        named = parties.assign(named=True)[["row", "party", "named"]].drop_duplicates(["row", "party"])
        with_party = numbered.assign(party=invoices["party"].to_numpy()[numbered["inv"].to_numpy()])
        with_party = with_party.merge(named, on=["row", "party"], how="left")
        has_party = movements["row"].isin(parties["row"]).to_numpy()[with_party["row"].to_numpy()]
        wrong = has_party & with_party["named"].isna().to_numpy()
        singles = _singles(with_party, with_party["evidence"], movements, invoices, settings, fx)
        several = (with_party["evidence"] == "number").groupby(with_party["row"]).transform("sum").to_numpy() > 1
        singles["confidence"] -= np.where(wrong[singles.index.to_numpy()], _WRONG_PARTY, 0.0)
        singles["confidence"] -= np.where(several[singles.index.to_numpy()], _ONE_OF_SEVERAL, 0.0)
        found.append(singles.assign(group=singles["inv"].astype("int64")))
        found.append(_number_sets(with_party[with_party["evidence"] == "number"], movements, invoices, settings))
    if len(parties):
        party_invoices = parties.loc[parties["party"] >= 0, ["row", "party", "via"]].merge(
            invoices[["inv", "party"]], on="party")
        pairs = _in_window(party_invoices, movements, invoices, settings)
        singles = _singles(pairs, pairs["via"], movements, invoices, settings, fx)
        found.append(singles.assign(group=singles["inv"].astype("int64")))
        found.append(_runs(pairs, movements, invoices))
        found.append(_two(pairs, movements, invoices))
    if amount_only_rows is not None and len(amount_only_rows):
        found.append(_amount_only(movements, invoices, amount_only_rows, settings))
    return _assemble(found)


def _number_sets(pairs: pd.DataFrame, movements: pd.DataFrame, invoices: pd.DataFrame,
                 settings: MatchSettings) -> pd.DataFrame:
    """Return the candidates paying all the invoices a text numbers (two or more, one party) whose total fits."""
    pairs = pairs[["row", "inv", "party"]]
    size = pairs.groupby(["row", "party"])["inv"].transform("size")
    pairs = pairs[size >= 2]
    if not len(pairs):
        return pd.DataFrame(columns=["row", "inv", "confidence", "reason", "amount", "group"])
    cents = invoices["cents"].to_numpy()[pairs["inv"].to_numpy()]
    total = pd.Series(cents, index=pairs.index).groupby([pairs["row"], pairs["party"]]).transform("sum")
    fit = _amount_fit(pairs, movements, invoices, total, settings)
    keep = fit.isin(["exact", "short"]).to_numpy()
    out = pairs[keep]
    exact = (fit[keep] == "exact").to_numpy()
    group = -1 - out.groupby(["row", "party"], sort=False).ngroup().to_numpy()
    return pd.DataFrame({
        "row": out["row"].to_numpy(), "inv": out["inv"].to_numpy(),
        "confidence": np.where(exact, 0.98, 0.92), "reason": np.where(exact, NUMBERS_TOTAL, NUMBERS_SHORT),
        "amount": invoices["open"].to_numpy()[out["inv"].to_numpy()], "group": group.astype("int64"),
    })


def _runs(pairs: pd.DataFrame, movements: pd.DataFrame, invoices: pd.DataFrame) -> pd.DataFrame:
    """Return the candidates paying 2..MAX_RUN invoices of the named party consecutive by due date, total exact."""
    inv = pairs["inv"].to_numpy()
    cum = invoices["cum_cents"].to_numpy()
    start = pd.DataFrame({
        "row": pairs["row"].to_numpy(), "first": inv, "party": pairs["party"].to_numpy(),
        # the party's total through the last invoice of the run, if the movement pays from `first` on
        "cum_cents": cum[inv] - invoices["cents"].to_numpy()[inv] + movements["cents"].to_numpy()[pairs["row"].to_numpy()],
    })
    ends = invoices[["inv", "party", "cum_cents"]].rename(columns={"inv": "last"})
    runs = start.merge(ends, on=["party", "cum_cents"])
    runs = runs[(runs["last"] > runs["first"]) & (runs["last"] - runs["first"] < MAX_RUN)]
    # the whole run must be issued by the booking: its latest issue date is checked on every member below
    length = (runs["last"] - runs["first"] + 1).to_numpy()
    member = np.repeat(runs["first"].to_numpy(), length) + (
        np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length))
    row = np.repeat(runs["row"].to_numpy(), length)
    oldest = np.repeat(invoices["rank"].to_numpy()[runs["first"].to_numpy()] == 0, length)
    group = -1_000_000_000 - np.repeat(np.arange(len(runs)), length)
    out = pd.DataFrame({"row": row, "inv": member, "confidence": np.where(oldest, 0.85, 0.75),
                        "reason": np.where(oldest, PARTY_RUN_OLDEST, PARTY_RUN),
                        "amount": invoices["open"].to_numpy()[member], "group": group.astype("int64")})
    issued = invoices["issue_date"].to_numpy()[member] <= movements["booking_date"].to_numpy()[row]
    bad_groups = np.unique(group[~issued])
    return out[~np.isin(out["group"].to_numpy(), bad_groups)]


def _two(pairs: pd.DataFrame, movements: pd.DataFrame, invoices: pd.DataFrame) -> pd.DataFrame:
    """Return the candidates paying two open invoices of the named party (any two) whose total is exact."""
    inv = pairs["inv"].to_numpy()
    first = pd.DataFrame({"row": pairs["row"].to_numpy(), "first": inv,
                          "party": pairs["party"].to_numpy(),
                          "cents": movements["cents"].to_numpy()[pairs["row"].to_numpy()] - invoices["cents"].to_numpy()[inv]})
    first = first[first["cents"] > 0]
    second = pairs[["row", "inv"]].rename(columns={"inv": "second"}).assign(
        cents=invoices["cents"].to_numpy()[pairs["inv"].to_numpy()])
    both = first.merge(second, on=["row", "cents"])
    both = both[both["second"] > both["first"] + 1]  # neighbours are runs already
    group = -2_000_000_000 - np.arange(len(both))
    member = np.r_[both["first"].to_numpy(), both["second"].to_numpy()]
    return pd.DataFrame({"row": np.tile(both["row"].to_numpy(), 2), "inv": member, "confidence": 0.78,
                         "reason": PARTY_PAIR, "amount": invoices["open"].to_numpy()[member],
                         "group": np.tile(group, 2).astype("int64")})


def _amount_only(movements: pd.DataFrame, invoices: pd.DataFrame, rows: np.ndarray,
                 settings: MatchSettings) -> pd.DataFrame:
    """Return the candidates of an invoice of exactly the amount (when at most MAX_AMOUNT_ONLY of the side have it)."""
    sub = movements.iloc[rows][["row", "side_code", "cents"]]
    pairs = sub.merge(invoices[["inv", "side_code", "cents"]], on=["side_code", "cents"])[["row", "inv"]]
    pairs = _in_window(pairs, movements, invoices, settings)
    pairs = pairs[pairs.groupby("row")["inv"].transform("size") <= MAX_AMOUNT_ONLY]
    singles = _singles(pairs, pd.Series("amount", index=pairs.index), movements, invoices, settings)
    return singles.assign(group=singles["inv"].astype("int64"))


def _assemble(found: list[pd.DataFrame]) -> Candidates:
    """Return candidates numbered 0.. from the (row, group, inv) rows, the best evidence kept for each invoice set."""
    columns = ["row", "group", "inv", "confidence", "reason", "amount"]
    rows = pd.concat([f[columns] for f in found if len(f)], ignore_index=True) if any(len(f) for f in found) \
        else pd.DataFrame(columns=columns)
    if not len(rows):
        empty = pd.DataFrame({"cand": pd.Series(dtype="int64"), "row": pd.Series(dtype="int64"),
                              "confidence": pd.Series(dtype="float64"), "reason": pd.Series(dtype="str")})
        return Candidates(empty, pd.DataFrame({"cand": pd.Series(dtype="int64"), "inv": pd.Series(dtype="int64"),
                                               "amount": pd.Series(dtype="float64")}))
    rows = rows.astype({"row": "int64", "group": "int64", "inv": "int64"})
    # an invoice found by its number and by its party is one candidate, with the better evidence
    rows = rows.sort_values("confidence", ascending=False, kind="stable").drop_duplicates(["row", "group", "inv"])
    rows["cand"] = rows.groupby(["row", "group"], sort=False).ngroup()
    # one invoice set found twice (by number and by party) is one candidate: its best confidence. The set is
    # known by its size and two sums of its invoice positions (no Python per candidate).
    inv = rows["inv"].to_numpy()
    rows["_h1"], rows["_h2"] = inv, (inv * 2_654_435_761) % 4_294_967_291
    head = rows.groupby("cand").agg(row=("row", "first"), confidence=("confidence", "max"), reason=("reason", "first"),
                                    n=("inv", "size"), h1=("_h1", "sum"), h2=("_h2", "sum"))
    head = head.sort_values("confidence", ascending=False, kind="stable")
    head = head[~head.duplicated(["row", "n", "h1", "h2"])]
    kept = rows[rows["cand"].isin(head.index)]
    matches = head.reset_index()[["cand", "row", "confidence", "reason"]]
    return Candidates(matches.sort_values(["row", "cand"]).reset_index(drop=True),
                      kept[["cand", "inv", "amount"]].reset_index(drop=True))
