"""Shares learned per counterparty, pooled towards its segment and the segment towards the whole side.

The same partial pooling as the delay model's: a counterparty's shares are its own weighted counts plus k
pseudo-observations that follow its segment, the segment's its own plus k following the side, the side's its
own plus k following a prior. A counterparty with little history borrows its segment's habits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Hierarchy:
    """Which counterparty and segment each observation belongs to, and each counterparty's segment."""

    cp_index: npt.NDArray[np.int64]  # [m] counterparty row, -1: none of its own (its segment's)
    seg_index: npt.NDArray[np.int64]  # [m] segment row
    cp_segment: npt.NDArray[np.int64]  # [n_cp] the segment row of each counterparty row
    n_segments: int

    @property
    def n_counterparties(self) -> int:
        """Return the number of counterparty rows."""
        return len(self.cp_segment)


def pooled_shares(values: npt.NDArray[np.float64], weight: npt.NDArray[np.float64], tree: Hierarchy,
                  prior: npt.NDArray[np.float64], k_prior: float, k_segment: float,
                  k_counterparty: float) -> npt.NDArray[np.float64]:
    """Return pooled shares [n_cp + n_seg + 1, K] of observations' values [m, K] (rows sum as the values do).

    Rows run counterparties, segments, then the whole side, as the delay model's profile rows do.
    """
    n_cp, n_seg = tree.n_counterparties, tree.n_segments
    weighted = values * weight[:, None]
    own_cp = _sums(weighted, weight, tree.cp_index, n_cp)
    own_seg = _sums(weighted, weight, tree.seg_index, n_seg)
    side = (weighted.sum(axis=0) + k_prior * prior) / (weight.sum() + k_prior)
    seg = (own_seg[0] + k_segment * side[None, :]) / (own_seg[1] + k_segment)[:, None]
    cp = (own_cp[0] + k_counterparty * seg[tree.cp_segment]) / (own_cp[1] + k_counterparty)[:, None]
    return np.vstack([cp, seg, side[None, :]])


def pooled_category_shares(category: npt.NDArray[np.int64], weight: npt.NDArray[np.float64], tree: Hierarchy,
                           prior: npt.NDArray[np.float64], k_prior: float, k_segment: float,
                           k_counterparty: float) -> npt.NDArray[np.float64]:
    """Return `pooled_shares` of one-hot values: observation i counts weight[i] in column category[i] (0 .. K - 1).

    The same sums to the bit without the [m, K] one-hot matrix: each cell's bincount adds the same weights in the
    same order, the zeros the matrix would add left out (x + 0.0 == x).
    """
    n_cp, n_seg, n_cat = tree.n_counterparties, tree.n_segments, len(prior)
    own_cp = _category_sums(category, weight, tree.cp_index, n_cp, n_cat)
    own_seg = _category_sums(category, weight, tree.seg_index, n_seg, n_cat)
    side = (np.bincount(category, weights=weight, minlength=n_cat) + k_prior * prior) / (weight.sum() + k_prior)
    seg = (own_seg[0] + k_segment * side[None, :]) / (own_seg[1] + k_segment)[:, None]
    cp = (own_cp[0] + k_counterparty * seg[tree.cp_segment]) / (own_cp[1] + k_counterparty)[:, None]
    return np.vstack([cp, seg, side[None, :]])


def pooled_votes(values: npt.NDArray[np.float64], weight: npt.NDArray[np.float64], tree: Hierarchy, prior: float,
                 k_prior: float, k_segment: float, k_counterparty: float) -> npt.NDArray[np.float64]:
    """Return the pooled share [n_cp + n_seg + 1] of a habit (values in [0, 1]) where each counterparty votes once.

    A counterparty's share is its weighted mean plus k_counterparty pseudo-observations following its segment's; a
    segment's (and the side's) is the mean of its counterparties' own shares, one vote each whatever their volume,
    plus k pseudo-counterparties following the side (the prior). What a counterparty with little history is pulled to
    is then what most of its segment's counterparties do, not what its few largest payers do.
    """
    n_cp, n_seg = tree.n_counterparties, tree.n_segments
    sums, totals = _sums((values * weight)[:, None], weight, tree.cp_index, n_cp)
    voters = totals > 0
    own = np.divide(sums[:, 0], totals, out=np.zeros(n_cp), where=voters)
    side = (own[voters].sum() + k_prior * prior) / (voters.sum() + k_prior)
    votes = np.bincount(tree.cp_segment[voters], weights=own[voters], minlength=n_seg).astype(float)
    n_votes = np.bincount(tree.cp_segment[voters], minlength=n_seg).astype(float)
    seg = (votes + k_segment * side) / (n_votes + k_segment)
    cp = (sums[:, 0] + k_counterparty * seg[tree.cp_segment]) / (totals + k_counterparty)
    return np.concatenate([cp, seg, [side]])


def _category_sums(category: npt.NDArray[np.int64], weight: npt.NDArray[np.float64], index: npt.NDArray[np.int64],
                   n_rows: int, n_cat: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the weight sums [n_rows, K] by row and category and [n_rows] by row (index -1 left out)."""
    mine = index >= 0
    cell = index[mine] * n_cat + category[mine]
    sums = np.bincount(cell, weights=weight[mine], minlength=n_rows * n_cat).astype(float).reshape(n_rows, n_cat)
    totals = np.bincount(index[mine], weights=weight[mine], minlength=n_rows).astype(float)
    return sums, totals


def _sums(weighted: npt.NDArray[np.float64], weight: npt.NDArray[np.float64], index: npt.NDArray[np.int64],
          n_rows: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the weighted value sums [n_rows, K] and weight sums [n_rows] by row (index -1 left out)."""
    mine = index >= 0
    sums = np.column_stack([np.bincount(index[mine], weights=column[mine], minlength=n_rows)
                            for column in weighted.T]).astype(float).reshape(n_rows, weighted.shape[1])
    totals = np.bincount(index[mine], weights=weight[mine], minlength=n_rows).astype(float)
    return sums, totals
