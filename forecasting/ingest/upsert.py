"""The generic upsert by key with its counts; invoices' open/paid status is recomputed by the store's refresh_status
(from the ledger's payments and the bank's, see store/bank_payments.py)."""

from __future__ import annotations

from forecasting.core.errors import KeyRepeated
from forecasting.store.bank_payments import refresh_status, status_sql
from forecasting.store.schema import CODE_KEYS
from forecasting.store.transaction import Tx


def upsert(tx: Tx, target: str, staged_sql: str, keys: list[str], values: list[str],
           scope: str = "true") -> tuple[int, int, int]:
    """Write staged rows into `target` by key; return (inserted, updated, unchanged).

    `scope` is a condition that every target row a staged row could match satisfies (e.g. its source): when
    no target row satisfies it, every staged row is new and goes in by a plain insert, without the pass that
    compares them with the target (the first import of a big file). A table whose key the schema does not
    declare (CODE_KEYS) has it checked within `scope` once new rows are in: a repeated key fails the write.
    """
    cols = ", ".join([*keys, *values])
    if not tx.scalar(f"SELECT EXISTS (SELECT 1 FROM {target} WHERE {scope})"):
        select = f"SELECT {cols} FROM ({staged_sql}) s"
        if not tx.scalar(f"SELECT EXISTS (SELECT 1 FROM {target})"):
            inserted = tx.insert_into_empty(target, cols, select)
        else:
            inserted = int(tx.scalar(f"INSERT INTO {target} ({cols}) {select}"))
        if inserted and target in CODE_KEYS:
            tx.check_key(target, scope)
        return inserted, 0, 0
    on = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    differs = " OR ".join(f"s.{v} IS DISTINCT FROM t.{v}" for v in values) or "false"
    # One pass over the staged rows tells new, changed and unchanged ones apart.
    tx.execute(
        f"CREATE OR REPLACE TEMP TABLE changes AS SELECT s.*, t.{keys[0]} IS NULL AS _is_new, "
        f"t.{keys[0]} IS NOT NULL AND ({differs}) AS _is_updated FROM ({staged_sql}) s LEFT JOIN {target} t ON {on}"
    )
    counts = tx.row(
        "SELECT count(*), count(*) FILTER (WHERE _is_new), count(*) FILTER (WHERE _is_updated) FROM changes"
    )
    assert counts is not None  # an aggregate without GROUP BY returns one row
    total, inserted, updated = counts
    if inserted:
        tx.execute(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM changes WHERE _is_new")
    if updated:  # in place, by key: needs no primary key (nor pays INSERT OR REPLACE's delete and insert)
        # Two staged rows of one known key: the UPDATE would keep either, silently (and how DuckDB counts such
        # an UPDATE changed between releases), so they are looked for before it.
        key_list = ", ".join(keys)
        repeated = int(tx.scalar(f"SELECT count(*) FROM (SELECT 1 FROM changes WHERE NOT _is_new GROUP BY {key_list} "
                                 "HAVING count(*) > 1)"))
        if repeated:
            raise KeyRepeated(f"{target}: {repeated} staged key(s) update a row that another one updates "
                              "too (a key repeated); nothing was written")
        matched = " AND ".join(f"t.{k} = c.{k}" for k in keys)
        assigned = ", ".join(f"{v} = c.{v}" for v in values)
        tx.execute(f"UPDATE {target} AS t SET {assigned} FROM changes c WHERE {matched} AND c._is_updated")
    if inserted and target in CODE_KEYS:
        tx.check_key(target, scope)
    return int(inserted), int(updated), int(total - inserted - updated)

__all__ = ["refresh_status", "status_sql", "upsert"]
