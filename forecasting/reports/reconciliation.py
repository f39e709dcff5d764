"""What the Reconciliation page and `cashpilot reconcile` show: matches with their reasons, movements by category."""

from __future__ import annotations

import pandas as pd

from forecasting.core import columns as C
from forecasting.reconcile.reasons import reason_text
from forecasting.store.bank_payments import APPLIED
from forecasting.store.database import Store
from forecasting.store.reconciliation import read_matches, read_movements

MATCH_COLUMNS = ["match_id", "status", "confidence", C.BOOKING_DATE, C.ACCOUNT_ID, C.MOVEMENT_ID, C.AMOUNT, C.LABEL,
                 "invoices", "invoiced", "reason"]
MOVEMENT_COLUMNS = [C.BOOKING_DATE, C.ACCOUNT_ID, C.MOVEMENT_ID, C.AMOUNT, C.LABEL, C.REMITTANCE, C.COUNTERPARTY_NAME,
                    C.CATEGORY]


def match_table(store: Store, lang: str, statuses: tuple[str, ...] = ("proposed",),
                ledger_explained: bool = False) -> pd.DataFrame:
    """Return the matches of these statuses (MATCH_COLUMNS), best first: invoices listed, the reason in `lang`.

    The movements the ledger's payments explain (reason 'ledger', thousands on a statement history) are left out
    unless `ledger_explained`.
    """
    matches, allocations = read_matches(store)
    matches = matches[matches["status"].isin(statuses) & ((matches["reason"] == "ledger") == ledger_explained)]
    if not len(matches):
        return pd.DataFrame(columns=MATCH_COLUMNS)
    mine = allocations[allocations["match_id"].isin(matches["match_id"])]
    listed = mine.groupby("match_id").agg(invoices=(C.INVOICE_ID, lambda s: ", ".join(s)),
                                          invoiced=(C.AMOUNT, "sum"))
    table = matches.merge(listed, left_on="match_id", right_index=True, how="left")
    table["reason"] = table["reason"].map(lambda r: reason_text(str(r), lang))
    table = table.sort_values(["confidence", C.BOOKING_DATE, "match_id"], ascending=[False, False, True])
    return table[MATCH_COLUMNS].reset_index(drop=True)


def unmatched_movements(store: Store) -> pd.DataFrame:
    """Return the movements no applied match explains (MOVEMENT_COLUMNS), newest first."""
    movements = read_movements(store)
    matches, _ = read_matches(store)
    applied = matches[matches["status"].isin(APPLIED)]
    done = movements[C.ACCOUNT_ID].astype(str) + "\x1f" + movements[C.MOVEMENT_ID].astype(str)
    taken = applied[C.ACCOUNT_ID].astype(str) + "\x1f" + applied[C.MOVEMENT_ID].astype(str)
    left = movements[~done.isin(taken)]
    return left.sort_values([C.BOOKING_DATE, C.ACCOUNT_ID, C.MOVEMENT_ID], ascending=[False, True, True])[
        MOVEMENT_COLUMNS].reset_index(drop=True)


def by_category(movements: pd.DataFrame) -> pd.DataFrame:
    """Return per category: movements, money in, money out (categories in MOVEMENT_CATEGORIES order)."""
    category = movements[C.CATEGORY].fillna("other")
    amount = movements[C.AMOUNT].astype(float)
    table = pd.DataFrame({C.CATEGORY: category, "in": amount.clip(lower=0), "out": amount.clip(upper=0)})
    out = table.groupby(C.CATEGORY).agg(movements=("in", "size"), money_in=("in", "sum"), money_out=("out", "sum"))
    order = [c for c in C.MOVEMENT_CATEGORIES if c in out.index]
    return out.reindex(order).reset_index()
