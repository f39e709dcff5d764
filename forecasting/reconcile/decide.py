"""Which candidates are applied without a look (sure and unambiguous), which are proposed, which are dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.reconcile.candidates import Candidates
from forecasting.reconcile.settings import MatchSettings

AUTO, PROPOSED = "auto", "proposed"


def set_hashes(allocations: pd.DataFrame, key: str) -> pd.DataFrame:
    """Return per `key`: n, h1, h2 (the size and two sums that tell invoice sets apart)."""
    inv = allocations["inv"].to_numpy(dtype=np.int64)
    frame = pd.DataFrame({key: allocations[key].to_numpy(), "h1": inv, "h2": (inv * 2_654_435_761) % 4_294_967_291})
    return frame.groupby(key).agg(n=("h1", "size"), h1=("h1", "sum"), h2=("h2", "sum")).reset_index()


def choose(candidates: Candidates, settings: MatchSettings, rejected: pd.DataFrame) -> Candidates:
    """Return the candidates kept, each with a status: auto when sure and unambiguous, else proposed.

    `rejected` lists (row, inv) of the matches the user rejected or undid (column `match`): the same movement
    with the same invoices is not proposed again.
    """
    matches = candidates.matches
    if len(rejected) and len(matches):
        old = set_hashes(rejected.rename(columns={"match": "cand_old"}), "cand_old")
        old = old.merge(rejected.drop_duplicates("match")[["match", "row"]].rename(columns={"match": "cand_old"}))
        new = set_hashes(candidates.allocations, "cand").merge(matches[["cand", "row"]], on="cand")
        again = new.merge(old, on=["row", "n", "h1", "h2"])["cand"]
        matches = matches[~matches["cand"].isin(again)]
    matches = matches[matches["confidence"] >= settings.min_confidence]
    matches = matches.sort_values(["row", "confidence", "cand"], ascending=[True, False, True], kind="stable")
    rank = matches.groupby("row").cumcount().to_numpy()
    top = matches["confidence"].to_numpy()
    second = _second(matches)
    sure = (rank == 0) & (top >= settings.auto_threshold) & (top - second >= settings.margin)
    # an invoice two sure matches claim is a conflict the user settles
    alloc = candidates.allocations
    sure_cands = matches["cand"].to_numpy()[sure]
    claimed = alloc[alloc["cand"].isin(sure_cands)]
    contested = claimed[claimed["inv"].duplicated(keep=False)]["cand"].unique()
    sure &= ~matches["cand"].isin(contested).to_numpy()
    auto_rows = set(matches["row"].to_numpy()[sure])
    # an invoice a sure match pays is no proposal for another movement
    taken = alloc.loc[alloc["cand"].isin(matches["cand"].to_numpy()[sure]), "inv"]
    touching = alloc.loc[alloc["inv"].isin(taken), "cand"]
    free = ~matches["cand"].isin(touching).to_numpy()
    proposable = free & ~matches["row"].isin(auto_rows).to_numpy()
    rank = pd.Series(proposable).groupby(matches["row"].to_numpy()).cumsum().to_numpy() - 1
    keep = sure | (proposable & (rank < settings.max_proposals))
    chosen = matches[keep].assign(status=np.where(sure[keep], AUTO, PROPOSED))
    return Candidates(chosen.reset_index(drop=True), alloc[alloc["cand"].isin(chosen["cand"])].reset_index(drop=True))


def _second(matches: pd.DataFrame) -> np.ndarray:
    """Return, on each row of the candidates sorted by movement and confidence, the movement's second best (0: none)."""
    if not len(matches):
        return np.zeros(0)
    conf = matches["confidence"].to_numpy(dtype=float)
    rows = matches["row"].to_numpy()
    first = np.r_[True, rows[1:] != rows[:-1]]
    has_second = first & np.r_[rows[1:] == rows[:-1], False]
    second_of_first = np.where(has_second, np.r_[conf[1:], 0.0], 0.0)
    group = np.cumsum(first) - 1
    out: np.ndarray = second_of_first[np.flatnonzero(first)][group]
    return out
