"""The bank side's reads and writes: movements, matches and their invoices, categorisation rules."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from forecasting.core import access
from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.store.bank_payments import APPLIED, APPLIED_SQL, refresh_status
from forecasting.store.database import Store
from forecasting.store.transaction import Tx


def _refresh_all(tx: Tx) -> None:
    """Recompute both sides' statuses and mark the data changed (cached forecasts are redone)."""
    refresh_status(tx, "receivables", C.RECEIVABLE)
    refresh_status(tx, "payables", C.PAYABLE)
    tx.bump_data_version()


# --- reads ---------------------------------------------------------------------------------------
def read_movements(store: Store) -> pd.DataFrame:
    """Return every bank movement (BANK_MOVEMENT_COLUMNS), dates as datetime64 and amounts as float64."""
    with store.reading() as tx:
        frame = tx.df("SELECT * EXCLUDE (amount), CAST(amount AS DOUBLE) AS amount FROM bank_movements "
                      "ORDER BY booking_date, account_id, movement_id")
    for column in (C.BOOKING_DATE, C.VALUE_DATE):
        frame[column] = pd.to_datetime(frame[column])
    return frame[C.BANK_MOVEMENT_COLUMNS]


def read_matches(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (matches, their invoices): every match with its movement's date, amount and label."""
    with store.reading() as tx:
        matches = tx.df(
            "SELECT m.*, b.booking_date, CAST(b.amount AS DOUBLE) AS amount, b.label, b.remittance, "
            "b.counterparty_name, b.counterparty_iban FROM bank_matches m "
            "JOIN bank_movements b USING (account_id, movement_id) ORDER BY m.match_id")
        invoices = tx.df("SELECT match_id, source, invoice_id, CAST(amount AS DOUBLE) AS amount "
                         "FROM bank_match_invoices ORDER BY match_id, invoice_id")
    matches[C.BOOKING_DATE] = pd.to_datetime(matches[C.BOOKING_DATE])
    return matches, invoices


def read_rules(store: Store) -> pd.DataFrame:
    """Return the categorisation rules, by priority."""
    with store.reading() as tx:
        return tx.df("SELECT rule_id, priority, label_pattern, counterparty_pattern, direction, category, enabled "
                     "FROM category_rules ORDER BY priority, rule_id")


# --- writes --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MatchRun:
    """What one matching run writes: new matches (auto or proposed), their invoices, and every movement's category."""

    matches: pd.DataFrame  # key (0..n-1, local), account_id, movement_id, side, status, confidence, reason
    invoices: pd.DataFrame  # key, source, invoice_id, amount
    categories: pd.DataFrame  # account_id, movement_id, category
    redone: pd.DataFrame  # account_id, movement_id: movements whose pending proposals this run replaces


def save_run(store: Store, run: MatchRun, who: str = "auto") -> None:
    """Write a matching run in one transaction: the movements' old proposals replaced, new matches, categories."""
    now = datetime.now()
    with store.transaction(access.RECONCILE_RUN) as tx:
        tx.register("_redone", run.redone)
        tx.execute("CREATE TEMP TABLE _gone AS SELECT match_id FROM bank_matches m WHERE status = 'proposed' AND "
                   "EXISTS (SELECT 1 FROM _redone r WHERE r.account_id = m.account_id AND r.movement_id = m.movement_id)")
        replaced = int(tx.scalar("SELECT count(*) FROM _gone"))
        tx.execute("DELETE FROM bank_match_invoices WHERE match_id IN (SELECT match_id FROM _gone)")
        tx.execute("DELETE FROM bank_matches WHERE match_id IN (SELECT match_id FROM _gone)")
        if len(run.matches):
            base = int(tx.scalar("SELECT nextval('bank_match_seq')"))
            # ids base, base+1, ...: the sequence is moved past them so the next run or hand match starts after
            tx.scalar(f"SELECT setval('bank_match_seq', {base + len(run.matches)})")
            tx.register("_matches", run.matches)
            tx.execute(
                "INSERT INTO bank_matches (match_id, account_id, movement_id, side, status, confidence, reason, "
                f"created_at, decided_by, decided_at) SELECT {base} + key, account_id, movement_id, side, status, "
                "confidence, reason, ?, CASE WHEN status = 'auto' THEN ? END, CASE WHEN status = 'auto' THEN ? END "
                "FROM _matches", [now, who, now])
            tx.register("_invoices", run.invoices)
            tx.execute(f"INSERT INTO bank_match_invoices SELECT {base} + key, source, invoice_id, "
                       "CAST(round(amount, 2) AS DECIMAL(18,2)) FROM _invoices")
        tx.register("_categories", run.categories)
        categorised = int(tx.scalar(
            "UPDATE bank_movements AS b SET category = c.category FROM _categories c "
            "WHERE b.account_id = c.account_id AND b.movement_id = c.movement_id "
            "AND b.category IS DISTINCT FROM c.category"))
        _refresh_all(tx)
        statuses = run.matches["status"].value_counts() if len(run.matches) else pd.Series(dtype="int64")
        tx.note = (f"{len(run.redone)} movements looked at: {int(statuses.get('auto', 0))} matched automatically, "
                   f"{int(statuses.get('proposed', 0))} proposed, {replaced} earlier proposals replaced, "
                   f"{categorised} categories changed")
        tx.unchanged = not (replaced or len(run.matches) or categorised)


_DECISIONS = {"accept": access.RECONCILE_ACCEPT, "reject": access.RECONCILE_REJECT, "undo": access.RECONCILE_UNDO}


def decide(store: Store, match_id: int, decision: str, who: str) -> str:
    """Accept, reject or undo a match; return the new status. Raise InputError for an unknown or finished match."""
    now = datetime.now()
    with store.transaction(_DECISIONS[decision], f"match {match_id}") as tx:
        row = tx.row("SELECT status, account_id, movement_id, side FROM bank_matches WHERE match_id = ?", [match_id])
        if row is None:
            raise InputError(f"no match number {match_id} (see `cashpilot reconcile list`)")
        status, account, movement, side = row
        tx.note = f"movement {movement} of {account} ({status}), {_invoices_text(tx, match_id)}"
        allowed = {"accept": ("proposed",), "reject": ("proposed",), "undo": APPLIED}[decision]
        if status not in allowed:
            raise InputError(f"match {match_id} is {status}: it cannot be {_DONE[decision]} "
                             f"(only a match that is {' or '.join(allowed)} can)")
        if decision == "accept":
            _refuse_paid_twice(tx, f"SELECT source, invoice_id FROM bank_match_invoices WHERE match_id = {match_id}",
                               side, account, movement)
        new = {"accept": "accepted", "reject": "rejected", "undo": "rejected"}[decision]
        tx.execute("UPDATE bank_matches SET status = ?, decided_by = ?, decided_at = ? WHERE match_id = ?",
                   [new, who, now, match_id])
        if decision == "accept":  # the movement is settled: its other proposals are dropped
            tx.execute("CREATE TEMP TABLE _gone AS SELECT match_id FROM bank_matches WHERE account_id = ? AND "
                       "movement_id = ? AND status = 'proposed'", [account, movement])
            tx.execute("DELETE FROM bank_match_invoices WHERE match_id IN (SELECT match_id FROM _gone)")
            tx.execute("DELETE FROM bank_matches WHERE match_id IN (SELECT match_id FROM _gone)")
        category = "clients" if side == C.RECEIVABLE else "suppliers"
        tx.execute("UPDATE bank_movements SET category = CASE WHEN ? THEN ? ELSE NULL END "
                   "WHERE account_id = ? AND movement_id = ?", [decision == "accept", category, account, movement])
        _refresh_all(tx)
    return str(new)


_DONE = {"accept": "accepted", "reject": "rejected", "undo": "undone"}


def _invoices_text(tx: Tx, match_id: int) -> str:
    """Return a match's invoices for its audit line: 'invoices FA-1 (1200.00), FA-2 (300.00)'."""
    found = tx.con.execute("SELECT invoice_id, amount FROM bank_match_invoices WHERE match_id = ? ORDER BY invoice_id",
                           [match_id]).fetchall()
    return "invoices " + ", ".join(f"{invoice} ({amount})" for invoice, amount in found) if found else "no invoice"


def _refuse_paid_twice(tx: Tx, invoices_sql: str, side: str, account: str, movement: str) -> None:
    """Raise InputError when the movement is already matched or an invoice is already paid by another movement."""
    taken = tx.scalar(f"SELECT count(*) FROM bank_matches WHERE account_id = ? AND movement_id = ? "
                      f"AND status IN {APPLIED_SQL}", [account, movement])
    if taken:
        raise InputError(f"movement {movement} of {account} is already matched: undo that match first")
    other = tx.row(
        f"SELECT i.invoice_id, m.movement_id FROM bank_match_invoices i JOIN bank_matches m USING (match_id) "
        f"WHERE m.status IN {APPLIED_SQL} AND m.side = ? AND (i.source, i.invoice_id) IN ({invoices_sql}) LIMIT 1",
        [side])
    if other:
        raise InputError(f"invoice {other[0]} is already matched to movement {other[1]}: undo that match first")


def match_by_hand(store: Store, account: str, movement: str, side: str, invoices: pd.DataFrame, who: str) -> int:
    """Record a hand match of a movement to invoices (source, invoice_id, amount); return its match id."""
    now = datetime.now()
    with store.transaction(access.RECONCILE_MATCH) as tx:
        tx.register("_hand", invoices[[C.SOURCE, C.INVOICE_ID, C.AMOUNT]])
        _refuse_paid_twice(tx, "SELECT source, invoice_id FROM _hand", side, account, movement)
        match_id = int(tx.scalar("SELECT nextval('bank_match_seq')"))
        tx.execute("INSERT INTO bank_matches VALUES (?, ?, ?, ?, 'manual', 1.0, 'hand', ?, ?, ?)",
                   [match_id, account, movement, side, now, who, now])
        tx.execute(f"INSERT INTO bank_match_invoices SELECT {match_id}, source, invoice_id, "
                   "CAST(round(amount, 2) AS DECIMAL(18,2)) FROM _hand")
        tx.execute("CREATE TEMP TABLE _gone AS SELECT match_id FROM bank_matches WHERE account_id = ? AND "
                   "movement_id = ? AND status = 'proposed'", [account, movement])
        tx.execute("DELETE FROM bank_match_invoices WHERE match_id IN (SELECT match_id FROM _gone)")
        tx.execute("DELETE FROM bank_matches WHERE match_id IN (SELECT match_id FROM _gone)")
        tx.execute("UPDATE bank_movements SET category = ? WHERE account_id = ? AND movement_id = ?",
                   ["clients" if side == C.RECEIVABLE else "suppliers", account, movement])
        _refresh_all(tx)
        tx.note = f"match {match_id}: movement {movement} of {account}, {_invoices_text(tx, match_id)}"
    return match_id


def replace_rules(store: Store, rules: pd.DataFrame) -> None:
    """Replace every categorisation rule with `rules` (priority, label_pattern, counterparty_pattern, direction,
    category, enabled) in one transaction."""
    with store.transaction(access.RULES_EDIT) as tx:
        before = _rule_rows(tx)
        tx.execute("DELETE FROM category_rules")
        tx.register("_rules", rules)
        tx.execute("INSERT INTO category_rules (priority, label_pattern, counterparty_pattern, direction, category, "
                   "enabled) SELECT CAST(priority AS INTEGER), NULLIF(label_pattern, ''), "
                   "NULLIF(counterparty_pattern, ''), direction, category, CAST(enabled AS BOOLEAN) FROM _rules")
        tx.bump_data_version()
        after = _rule_rows(tx)
        added, removed = sum((after - before).values()), sum((before - after).values())
        tx.note = (f"{sum(before.values())} rules before, {sum(after.values())} after: {added} added, {removed} "
                   "removed (a changed rule counts as one of each)")
        tx.unchanged = not (added or removed)  # saved as it was: the rules keep their numbers


def _rule_rows(tx: Tx) -> Counter[tuple[object, ...]]:
    """Return the rules' contents (all but their numbers), counted: what an edit of the table compares."""
    return Counter(tx.con.execute("SELECT priority, label_pattern, counterparty_pattern, direction, category, enabled "
                                  "FROM category_rules").fetchall())


def add_rule(store: Store, rule: dict[str, object]) -> int:
    """Add one categorisation rule (RULE_COLUMNS keys, checked by the caller); return its number."""
    with store.transaction(access.RULES_ADD) as tx:
        rule_id = int(tx.scalar("SELECT nextval('category_rule_seq')"))
        tx.execute("INSERT INTO category_rules VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [rule_id, rule["priority"], rule["label_pattern"], rule["counterparty_pattern"], rule["direction"],
                    rule["category"], rule["enabled"]])
        tx.bump_data_version()
        tx.note = f"rule {rule_id}: {_rule_text(tx, rule_id)}"
    return rule_id


def _rule_text(tx: Tx, rule_id: int) -> str:
    """Return a rule for its audit line: 'label ~ URSSAF, counterparty ~ -, any -> social, priority 10, enabled'."""
    found = tx.row("SELECT label_pattern, counterparty_pattern, direction, category, priority, enabled "
                   "FROM category_rules WHERE rule_id = ?", [rule_id])
    if found is None:
        return "none"
    label, party, direction, category, priority, enabled = found
    return (f"label ~ {label or '-'}, counterparty ~ {party or '-'}, {direction} -> {category}, priority {priority}, "
            f"{'enabled' if enabled else 'disabled'}")


def delete_rule(store: Store, rule_id: int) -> bool:
    """Delete a categorisation rule; return False when there is none of that number."""
    with store.transaction(access.RULES_DELETE, f"rule {rule_id}") as tx:
        found = bool(tx.scalar("SELECT count(*) FROM category_rules WHERE rule_id = ?", [rule_id]))
        tx.note = _rule_text(tx, rule_id)
        tx.execute("DELETE FROM category_rules WHERE rule_id = ?", [rule_id])
        tx.bump_data_version()
        tx.unchanged = not found  # nothing to do: rolled back, no audit line (Store.transaction)
    return found
