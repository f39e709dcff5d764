"""Matching runs on the store: frames read, candidates found and chosen, categories set, the result written at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.model.settlement import OPEN_AMOUNT, settle
from forecasting.reconcile.candidates import Candidates, find
from forecasting.reconcile.decide import AUTO, choose
from forecasting.reconcile.recorded import recorded_rows
from forecasting.reconcile.rules import OTHER, categorise
from forecasting.reconcile.settings import MatchSettings
from forecasting.reconcile.text import digit_keys, invoice_keys, name_keys, names_in_texts, word_grams
from forecasting.store.bank_payments import APPLIED
from forecasting.store.database import Store
from forecasting.store.reconciliation import (
    MatchRun,
    match_by_hand,
    read_matches,
    read_movements,
    read_rules,
    save_run,
)

LEDGER = "ledger"  # the reason of a movement the ledger's own payments explain
_FAR = pd.Timestamp("2200-01-01")  # settle at a date after every invoice and payment: what is open now
_CATEGORY_OF_SIDE = {C.RECEIVABLE: "clients", C.PAYABLE: "suppliers"}


@dataclass(frozen=True)
class RunSummary:
    """What a matching run did: movements looked at, matches applied and proposed, movements by category."""

    movements: int
    auto: int
    proposed: int
    recorded: int  # explained by payments the ledger already records
    categories: dict[str, int]


def open_invoices(ledger: Ledger) -> pd.DataFrame:
    """Return the open invoices of both sides (positive open amount) in the frame `candidates` expects.

    Sorted by side, counterparty, due date and number, as a stable sort_values would: the order the candidates'
    ties are broken in. Each side is sorted apart ('payable' before 'receivable') and only the columns kept are
    taken, once, in that order.
    """
    frames = [_open_of_side(ledger, side) for side in sorted(C.SIDES)]
    # an empty side is left out: its object columns would turn the other side's texts into objects
    filled = [f for f in frames if len(f)] or frames[:1]
    inv = pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0]
    inv["inv"] = np.arange(len(inv), dtype=np.int64)
    cents = np.rint(inv["open"].to_numpy(dtype=float) * 100).astype(np.int64)
    inv["cents"] = cents
    # one integer per (side, counterparty), in order: joins on it are several times faster than on two texts
    side = inv["side_code"].to_numpy()
    party_id = np.concatenate([f["_party"].to_numpy() for f in filled])
    new = np.r_[True, (side[1:] != side[:-1]) | (party_id[1:] != party_id[:-1])] if len(inv) else np.zeros(0, bool)
    party = np.cumsum(new) - 1
    start = np.flatnonzero(new)
    inv["party"] = party.astype(np.int64)
    inv["rank"] = (np.arange(len(inv)) - start[party]).astype(np.int64)
    running = np.cumsum(cents)
    inv["cum_cents"] = running - (running[start] - cents[start])[party]
    inv["key"] = invoice_keys(inv[C.INVOICE_ID].astype(str))
    inv["digits"] = digit_keys(inv["key"])
    return inv.drop(columns="_party")


def _open_of_side(ledger: Ledger, side: str) -> pd.DataFrame:
    """Return one side's open invoices sorted by counterparty, due date and number (stable), with _party: the
    counterparty's rank."""
    settled = settle(ledger.invoices(side), ledger.payments_of(side), _FAR.date())
    kept = np.flatnonzero(((settled[C.STATUS] == "open") & (settled[OPEN_AMOUNT] > 0.005)).to_numpy())
    party_id = settled[C.COUNTERPARTY_ID].astype(str)
    ranks, _ = pd.factorize(party_id, sort=True)  # texts sort by code point, as Arrow's sort below
    ranks = ranks[kept]
    table = pa.table({"party": pa.array(ranks), "due": pa.array(settled[C.DUE_DATE].take(kept)),
                      "id": pa.array(settled[C.INVOICE_ID].take(kept))})
    order = np.asarray(pc.sort_indices(table, sort_keys=[("party", "ascending"), ("due", "ascending"),
                                                         ("id", "ascending")]).to_numpy())
    rows = kept[order]
    out = pd.DataFrame({c: settled[c].take(rows).reset_index(drop=True)
                        for c in (C.SOURCE, C.INVOICE_ID, C.ISSUE_DATE, C.DUE_DATE, C.CURRENCY)})
    out.insert(2, C.COUNTERPARTY_ID, party_id.take(rows).reset_index(drop=True))
    out["open"] = settled[OPEN_AMOUNT].to_numpy(dtype=float)[rows]
    out["side"] = side
    out["side_code"] = np.int8(side == C.PAYABLE)
    out["_party"] = ranks[order]
    return out


def _movement_frame(movements: pd.DataFrame) -> pd.DataFrame:
    """Return the movements to match in the frame `candidates` expects (row = position)."""
    amount = movements[C.AMOUNT].to_numpy(dtype=float)
    return pd.DataFrame({
        "row": np.arange(len(movements), dtype=np.int64),
        "side": pd.Series(np.where(amount > 0, C.RECEIVABLE, C.PAYABLE), dtype=object),
        "side_code": (amount <= 0).astype(np.int8),
        "amount": np.abs(amount), "cents": np.rint(np.abs(amount) * 100).astype(np.int64),
        "booking_date": pd.to_datetime(movements[C.BOOKING_DATE]).to_numpy(),
        "currency": pd.Series(movements[C.CURRENCY].fillna(C.REPORTING_CURRENCY).astype(str).to_numpy(), dtype=object),
        "text": (movements[C.LABEL].fillna("") + " " + movements[C.REMITTANCE].fillna("")).to_numpy(),
    })


def _parties(mv: pd.DataFrame, movements: pd.DataFrame, ledger: Ledger, known_ibans: pd.DataFrame) -> pd.DataFrame:
    """Return (row, counterparty_id, via): the movement's party by IBAN seen before, else by name (field or label)."""
    cps = ledger.counterparties
    names = pd.DataFrame({C.COUNTERPARTY_ID: cps[C.COUNTERPARTY_ID].astype(str).to_numpy(),
                          "side": np.where(cps[C.KIND].to_numpy() == C.CLIENT, C.RECEIVABLE, C.PAYABLE),
                          "key": name_keys(cps[C.NAME]).to_numpy()})
    names = names[names["key"].str.len() >= 3]
    given = pd.DataFrame({"row": mv["row"], "side": mv["side"],
                          "key": name_keys(movements[C.COUNTERPARTY_NAME]).to_numpy()})
    by_field = given[given["key"] != ""].merge(names, on=["side", "key"])
    # the name in the label, for the movements whose counterparty field names nobody known
    rest = ~mv["row"].isin(by_field["row"]).to_numpy()
    labels = pd.Series(mv["text"].to_numpy()[rest], index=mv["row"].to_numpy()[rest])
    long_names = names[(names["key"].str.len() >= 4).to_numpy()].reset_index(drop=True)
    found_in = names_in_texts(labels, long_names["key"])
    if found_in is None:  # more distinct words in the names than one integer holds four of: compared as texts
        in_label = word_grams(labels).merge(mv[["row", "side"]], on="row")
        by_label = in_label.merge(long_names, on=["side", "key"])
    else:  # the names' side must be the movement's (as a merge on side and name would keep them)
        label_row, name_at = found_in
        same = mv["side"].to_numpy()[label_row] == long_names["side"].to_numpy()[name_at]
        by_label = pd.DataFrame({"row": label_row[same],
                                 C.COUNTERPARTY_ID: long_names[C.COUNTERPARTY_ID].to_numpy()[name_at[same]]})
    found = [by_field.assign(via="name"), by_label.assign(via="name")]
    ibans = movements[C.COUNTERPARTY_IBAN].fillna("").astype(str).str.replace(" ", "").str.upper().to_numpy()
    if len(known_ibans):
        by_iban = pd.DataFrame({"row": mv["row"], "side": mv["side"], "iban": ibans}).merge(
            known_ibans, on=["side", "iban"])
        found.insert(0, by_iban.assign(via="iban"))
    out = pd.concat([f[["row", C.COUNTERPARTY_ID, "via"]] for f in found], ignore_index=True)
    return out.drop_duplicates(["row", C.COUNTERPARTY_ID], keep="first").reset_index(drop=True)


def _with_party_codes(parties: pd.DataFrame, mv: pd.DataFrame, inv: pd.DataFrame) -> pd.DataFrame:
    """Return the parties with the invoices' integer code of (side, counterparty); -1 when it has no open invoice."""
    codes = inv.drop_duplicates("party").set_index(["side", C.COUNTERPARTY_ID])["party"]
    keys = pd.MultiIndex.from_arrays([mv["side"].to_numpy()[parties["row"].to_numpy()],
                                      parties[C.COUNTERPARTY_ID].astype(str).to_numpy()])
    found = codes.reindex(keys).to_numpy()
    return parties.assign(party=np.where(pd.isna(found), -1, found).astype(np.int64))


def _known_ibans(matches: pd.DataFrame, allocations: pd.DataFrame, ledger: Ledger) -> pd.DataFrame:
    """Return (side, iban, counterparty_id) learned from applied matches: an IBAN that always paid for one party."""
    applied = matches[matches["status"].isin(APPLIED) & matches[C.COUNTERPARTY_IBAN].notna()]
    if not len(applied):
        return pd.DataFrame(columns=["side", "iban", C.COUNTERPARTY_ID])
    who = pd.concat([ledger.receivables, ledger.payables])[[C.SOURCE, C.INVOICE_ID, C.SIDE, C.COUNTERPARTY_ID]]
    pairs = applied[["match_id", "side", C.COUNTERPARTY_IBAN]].merge(allocations, on="match_id").merge(
        who, on=[C.SOURCE, C.INVOICE_ID, C.SIDE])
    pairs["iban"] = pairs[C.COUNTERPARTY_IBAN].astype(str).str.replace(" ", "").str.upper()
    pairs[C.COUNTERPARTY_ID] = pairs[C.COUNTERPARTY_ID].astype(str)
    one = pairs.groupby(["side", "iban"])[C.COUNTERPARTY_ID].transform("nunique") == 1
    return pairs[one][["side", "iban", C.COUNTERPARTY_ID]].drop_duplicates()


def match_frames(ledger: Ledger, movements: pd.DataFrame, matches: pd.DataFrame, allocations: pd.DataFrame,
                 rules: pd.DataFrame, settings: MatchSettings) -> MatchRun:
    """Return what a matching run writes, from frames: the pure core of `auto_match`."""
    applied = matches[matches["status"].isin(APPLIED)]
    is_applied = _keys(movements).isin(_keys(applied))
    todo = movements[~is_applied.to_numpy()].reset_index(drop=True)
    rule_category = categorise(todo, rules)
    mv = _movement_frame(todo)
    inv = open_invoices(ledger)
    parties = _with_party_codes(_parties(mv, todo, ledger, _known_ibans(matches, allocations, ledger)), mv, inv)
    recorded = np.zeros(len(mv), dtype=bool)
    recorded[recorded_rows(mv, parties, ledger, settings)] = True
    # the ledger's own payments explain these: no candidate, the category of their side
    live = ~recorded
    mv_live = mv[live].reset_index(drop=True)
    back = np.flatnonzero(live)
    mv_live["row"] = np.arange(len(mv_live), dtype=np.int64)
    parties_live = parties[parties["row"].isin(back)].assign(
        row=lambda f: np.searchsorted(back, f["row"].to_numpy()))
    noise = rule_category.notna().to_numpy()[live]  # payroll, URSSAF...: no invoice by amount alone
    found = find(mv_live, inv, parties_live, settings, amount_only_rows=np.flatnonzero(~noise), fx=ledger.fx_rates)
    found = Candidates(found.matches.assign(row=back[found.matches["row"].to_numpy()]), found.allocations)
    rejected = matches[matches["status"] == "rejected"]
    rejected_pairs = _rejected_pairs(rejected, allocations, todo, inv)
    chosen = choose(found, settings, rejected_pairs)
    head = chosen.matches.reset_index(drop=True)
    key = {cand: k for k, cand in enumerate(head["cand"])}
    rows = head["row"].to_numpy()
    # a movement the ledger explains is recorded as matched (no invoice: the ledger's payments already count)
    seen = np.flatnonzero(recorded)
    run_matches = pd.DataFrame({
        "key": np.arange(len(head) + len(seen), dtype=np.int64),
        C.ACCOUNT_ID: todo[C.ACCOUNT_ID].to_numpy()[np.r_[rows, seen]],
        C.MOVEMENT_ID: todo[C.MOVEMENT_ID].to_numpy()[np.r_[rows, seen]],
        C.SIDE: mv["side"].to_numpy()[np.r_[rows, seen]],
        "status": np.r_[head["status"].to_numpy(dtype=object), np.full(len(seen), AUTO, dtype=object)],
        "confidence": np.r_[np.round(head["confidence"].to_numpy(dtype=float), 3), np.ones(len(seen))],
        "reason": np.r_[head["reason"].to_numpy(dtype=object), np.full(len(seen), LEDGER, dtype=object)],
    })
    alloc = chosen.allocations
    run_invoices = pd.DataFrame({
        "key": alloc["cand"].map(key).to_numpy(dtype=np.int64),
        # only the invoices allocated are turned into Python texts, not the million open ones
        C.SOURCE: inv[C.SOURCE].take(alloc["inv"].to_numpy()).to_numpy(dtype=object),
        C.INVOICE_ID: inv[C.INVOICE_ID].take(alloc["inv"].to_numpy()).to_numpy(dtype=object),
        C.AMOUNT: alloc["amount"].to_numpy(dtype=float),
    })
    category = rule_category.to_numpy(dtype=object).copy()
    side_category = np.vectorize(_CATEGORY_OF_SIDE.get, otypes=[object])(mv["side"].to_numpy()) if len(mv) else \
        np.array([], dtype=object)
    auto_rows = np.zeros(len(todo), dtype=bool)
    auto_rows[rows[head["status"].to_numpy() == AUTO]] = True
    proposed_rows = np.zeros(len(todo), dtype=bool)
    proposed_rows[rows] = True
    category = np.where(auto_rows | recorded, side_category, category)
    category = np.where(pd.isna(category) & proposed_rows, side_category, category)
    category = np.where(pd.isna(category), OTHER, category)
    done = movements[is_applied.to_numpy()]
    side_of = dict(zip(_keys(applied), applied[C.SIDE].map(_CATEGORY_OF_SIDE), strict=True))
    done_side = _keys(done).map(side_of).to_numpy()
    categories = pd.concat([
        pd.DataFrame({C.ACCOUNT_ID: todo[C.ACCOUNT_ID], C.MOVEMENT_ID: todo[C.MOVEMENT_ID], C.CATEGORY: category}),
        pd.DataFrame({C.ACCOUNT_ID: done[C.ACCOUNT_ID], C.MOVEMENT_ID: done[C.MOVEMENT_ID], C.CATEGORY: done_side}),
    ], ignore_index=True)
    return MatchRun(run_matches, run_invoices, categories, todo[[C.ACCOUNT_ID, C.MOVEMENT_ID]])


def _keys(frame: pd.DataFrame) -> pd.Series:
    """Return account and movement ids as one text per row."""
    return frame[C.ACCOUNT_ID].astype(str) + "\x1f" + frame[C.MOVEMENT_ID].astype(str)


def _rejected_pairs(rejected: pd.DataFrame, allocations: pd.DataFrame, todo: pd.DataFrame,
                    inv: pd.DataFrame) -> pd.DataFrame:
    """Return (match, row, inv) of the rejected matches of the movements matched now, in this run's positions."""
    if not len(rejected):
        return pd.DataFrame(columns=["match", "row", "inv"])
    rows = pd.DataFrame({"_key": _keys(todo), "row": np.arange(len(todo))})
    found = rejected.assign(_key=_keys(rejected)).merge(rows, on="_key")[["match_id", "row"]]
    found = found.merge(allocations, on="match_id").merge(inv[[C.SOURCE, C.INVOICE_ID, "inv"]],
                                                          on=[C.SOURCE, C.INVOICE_ID])
    return found.rename(columns={"match_id": "match"})[["match", "row", "inv"]]


def auto_match(store: Store, settings: MatchSettings | None = None) -> RunSummary:
    """Match every movement not matched yet, apply the sure matches, propose the others, categorise; one write."""
    ledger = store.read_ledger()
    movements = read_movements(store)
    matches, allocations = read_matches(store)
    run = match_frames(ledger, movements, matches, allocations, read_rules(store), settings or MatchSettings())
    save_run(store, run)
    recorded = run.matches["reason"] == LEDGER
    statuses = run.matches.loc[~recorded, "status"].value_counts()
    return RunSummary(len(run.redone), int(statuses.get("auto", 0)), int(statuses.get("proposed", 0)),
                      int(recorded.sum()),
                      {str(k): int(v) for k, v in run.categories[C.CATEGORY].value_counts().items()})


def hand_match(store: Store, account: str, movement: str, invoice_ids: list[str], who: str) -> int:
    """Match a movement to open invoices by hand, each paid up to what is left of the movement; return the match id."""
    movements = read_movements(store)
    found = movements[(movements[C.ACCOUNT_ID] == account) & (movements[C.MOVEMENT_ID] == movement)]
    if not len(found):
        raise InputError(f"no movement {movement} on account {account} (see `cashpilot reconcile list --unmatched`)")
    amount = float(found[C.AMOUNT].iloc[0])
    side = C.RECEIVABLE if amount > 0 else C.PAYABLE
    inv = open_invoices(store.read_ledger())
    inv = inv[inv["side"] == side].drop_duplicates(C.INVOICE_ID).set_index(C.INVOICE_ID)
    if not invoice_ids:
        raise InputError("give at least one invoice number to match the movement to")
    rows, left = [], abs(amount)
    for invoice_id in invoice_ids:  # the few invoices the user typed
        if invoice_id not in inv.index:
            kind = "client" if side == C.RECEIVABLE else "supplier"
            raise InputError(f"invoice {invoice_id} is not an open {kind} invoice (a {'receipt' if amount > 0 else 'payment'} "
                             f"of {abs(amount):.2f} pays {kind} invoices still open)")
        paid = min(float(inv["open"].loc[invoice_id]), left) if left > 0 else 0.0
        rows.append((str(inv[C.SOURCE].loc[invoice_id]), invoice_id, paid))
        left -= paid
    frame = pd.DataFrame(rows, columns=[C.SOURCE, C.INVOICE_ID, C.AMOUNT])
    return match_by_hand(store, account, movement, side, frame[frame[C.AMOUNT] > 0], who)
