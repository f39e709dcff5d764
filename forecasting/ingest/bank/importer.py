"""Statement files into the store in one transaction: accounts matched by IBAN, movements added once, balances kept.

Idempotence: a movement's id is the bank's reference when the file gives one that no other movement of the same
account in the file shares; otherwise it is derived from what the statement says of it (booking date, amount,
label) and its rank among identical lines of that account and day. Statements list whole days, so re-importing
the same or an overlapping statement finds every movement under the same id and adds nothing.

Balances: each statement's closing balance is the account's balance at the end of its date (the bank's figure
replaces one imported before for that day). Its opening balance is the balance at the end of its opening date
(the day before the statement's first day, see each format) and is written only where no balance of that
account and day is known, from the database or from a closing balance of the same import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.access import import_action
from forecasting.core.errors import InputError
from forecasting.ingest.bank.detect import read_statement_file
from forecasting.ingest.bank.types import StatementFile, refuse
from forecasting.ingest.options import BANK_STATEMENT
from forecasting.ingest.readers import file_sha256
from forecasting.ingest.staging import ImportReport
from forecasting.ingest.upsert import upsert
from forecasting.store.database import Store
from forecasting.store.transaction import Tx

KIND = BANK_STATEMENT
VALUES = [C.BOOKING_DATE, C.VALUE_DATE, C.AMOUNT, C.CURRENCY, C.LABEL, C.REMITTANCE, C.COUNTERPARTY_NAME,
          C.COUNTERPARTY_IBAN, C.BANK_REFERENCE, C.OPERATION_CODE]


def import_statement_files(store: Store, paths: Sequence[str | Path], create_accounts: bool = False,
                           display_names: Sequence[str | None] | None = None) -> list[ImportReport]:
    """Import statement files in one transaction (all or nothing); every file is read and checked before it opens."""
    if not paths:
        raise InputError("no statement file given")
    names = list(display_names or [None] * len(paths))
    parsed = [read_statement_file(p, n) for p, n in zip(paths, names, strict=True)]
    digests = [file_sha256(Path(p)) for p in paths]
    with store.transaction(import_action("bank-statement")) as tx:  # the note names each file
        reports = [import_parsed(tx, f, digest, create_accounts) for f, digest in zip(parsed, digests, strict=True)]
        tx.note = "; ".join(r.summary() for r in reports)
        return reports


def import_parsed(tx: Tx, parsed: StatementFile, sha256: str, create_accounts: bool) -> ImportReport:
    """Write one parsed file's movements and balances; raise InputError (the caller rolls back) on any problem."""
    accounts, created = _accounts(tx, parsed, create_accounts)
    st = parsed.statements.assign(**{C.ACCOUNT_ID: parsed.statements[C.IBAN].map(accounts)})
    moves = parsed.movements.merge(st[[C.STATEMENT, C.ACCOUNT_ID]], on=C.STATEMENT, how="left")
    moves[C.MOVEMENT_ID] = movement_ids(moves)
    tx.register("statement_movements", moves[[C.ACCOUNT_ID, C.MOVEMENT_ID, *VALUES]])
    tx.execute("CREATE OR REPLACE TEMP TABLE staged_movements AS SELECT account_id, movement_id, "
               "CAST(booking_date AS DATE) AS booking_date, CAST(value_date AS DATE) AS value_date, "
               "CAST(amount AS DECIMAL(18,2)) AS amount, currency, label, remittance, counterparty_name, "
               "counterparty_iban, bank_reference, operation_code FROM statement_movements")
    tx.con.unregister("statement_movements")
    import_id = int(tx.scalar("SELECT nextval('import_log_seq')"))
    inserted, updated = _write_movements(tx, import_id)
    balances = _write_balances(tx, st)
    tx.execute(
        "INSERT INTO import_log (import_id, file_name, sha256, kind, source, rows_read, rows_inserted, rows_updated, "
        "rows_unchanged, rows_rejected, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        [import_id, parsed.file_name, sha256, KIND, parsed.format_name, len(moves), inserted, updated,
         len(moves) - inserted - updated, datetime.now()],
    )
    extra = {"statements read": len(st), "balances inserted": balances[0], "balances updated": balances[1],
             "accounts created": created}
    if inserted or updated or balances[0] or balances[1] or created:
        tx.bump_data_version()
    return ImportReport(parsed.file_name, KIND, len(moves), inserted, updated, len(moves) - inserted - updated, 0,
                        extra)


def movement_ids(moves: pd.DataFrame) -> pd.Series:
    """Return each movement's id: its bank reference when unique in the file for its account, else a derived one."""
    ref = moves[C.BANK_REFERENCE]
    has_ref = ref.notna() & (ref.astype(str).str.strip() != "")
    shared = moves.groupby([C.ACCOUNT_ID, ref.fillna("")], sort=False)[C.AMOUNT].transform("size") > 1
    day = pd.Series(moves[C.BOOKING_DATE].to_numpy().astype("datetime64[D]").astype(str), index=moves.index)
    amount = _cents_text(moves[C.AMOUNT])
    label = moves[C.LABEL].fillna("").astype(str)
    rank = moves.groupby([C.ACCOUNT_ID, day, amount, label], sort=False).cumcount() + 1
    derived = day + "|" + amount + "|" + label + "|" + rank.astype(str)
    return pd.Series(np.where(has_ref & ~shared, ref.astype(str).str.strip(), derived), index=moves.index,
                     dtype=object)


def _cents_text(amount: pd.Series) -> pd.Series:
    """Return amounts written as '%.2f' does ('-12.00'), built from integer cents without formatting each one."""
    cents = np.rint(amount.to_numpy(dtype="float64") * 100).astype("int64")
    whole, fraction = np.divmod(np.abs(cents), 100)
    sign = np.where(cents < 0, "-", "")
    text: pd.Series = pd.Series(sign, index=amount.index) + whole.astype(str) + "." + pd.Series(
        fraction.astype(str), index=amount.index).str.zfill(2)
    return text


def _accounts(tx: Tx, parsed: StatementFile, create: bool) -> tuple[dict[str, str], int]:
    """Return IBAN -> account id for the file's statements, creating unknown accounts when asked, and how many."""
    known = tx.df("SELECT account_id, upper(replace(iban, ' ', '')) AS iban, currency FROM bank_accounts")
    by_iban = known[known["iban"].notna()]
    st = parsed.statements.drop_duplicates(C.IBAN)
    found: dict[str, str] = {}
    problems, missing = [], []
    for row in st.itertuples(index=False):
        iban, currency, line = str(getattr(row, C.IBAN)), getattr(row, C.CURRENCY), getattr(row, C.LINE)
        match = by_iban[by_iban["iban"] == iban]
        if match.empty:  # an account whose id is the IBAN itself, declared before its IBAN was known
            match = known[known["account_id"].str.upper().str.replace(" ", "") == iban]
        if len(match) > 1:
            problems.append(f"{parsed.statement_where} {line}: IBAN {iban} is given to several accounts "
                            f"({', '.join(match['account_id'])}); keep it on one")
        elif match.empty:
            missing.append((iban, currency, line))
        else:
            account = match.iloc[0]
            found[iban] = str(account["account_id"])
            if account["currency"] and currency and account["currency"] != currency:
                problems.append(f"{parsed.statement_where} {line}: the statement of {iban} is in {currency} but "
                                f"account '{account['account_id']}' is in {account['currency']}")
    if missing and not create:
        problems += [f"{parsed.statement_where} {line}: no account with IBAN {iban} in the database. Declare it: "
                     "import a bank-balances file with an iban column (its account_id is your name for it), or "
                     "import the statement with --create-accounts (on the Data page: 'Create the accounts') to "
                     "create it under its IBAN" for iban, _, line in missing]
    if problems:
        raise refuse(parsed.file_name, problems)
    for iban, currency, _ in missing:
        tx.execute("INSERT INTO bank_accounts (account_id, currency, overdraft_limit, iban) VALUES (?, ?, 0, ?)",
                   [iban, currency or C.REPORTING_CURRENCY, iban])
        found[iban] = iban
    return found, len(missing)


def _write_movements(tx: Tx, import_id: int) -> tuple[int, int]:
    """Update the known movements the bank now describes differently, add the new ones; return both counts.

    The category (set by matching and rules) and the import that first brought a movement are kept, and so is
    what the new file leaves blank (an MT940 names no counterparty where the CFONB 120 of the same day did).
    """
    on = "t.account_id = s.account_id AND t.movement_id = s.movement_id"
    new = {v: f"COALESCE(s.{v}, t.{v})" for v in VALUES}
    differs = " OR ".join(f"t.{v} IS DISTINCT FROM {expr}" for v, expr in new.items())
    updated = int(tx.scalar(f"UPDATE bank_movements AS t SET {', '.join(f'{v} = {e}' for v, e in new.items())} "
                            f"FROM staged_movements s WHERE {on} AND ({differs})") or 0)
    columns = ", ".join([C.ACCOUNT_ID, C.MOVEMENT_ID, *VALUES])
    inserted = int(tx.scalar(
        f"INSERT INTO bank_movements ({columns}, import_id) SELECT {columns}, ? FROM staged_movements s "
        f"WHERE NOT EXISTS (SELECT 1 FROM bank_movements t WHERE {on})", [import_id]) or 0)
    return inserted, updated


def _write_balances(tx: Tx, st: pd.DataFrame) -> tuple[int, int]:
    """Write the closing balances (the last statement of an account and day wins) and the openings nobody knows."""
    closing = (st.sort_values(C.STATEMENT).drop_duplicates([C.ACCOUNT_ID, C.CLOSING_DATE], keep="last")
               [[C.ACCOUNT_ID, C.CLOSING_DATE, C.CLOSING_BALANCE]]
               .set_axis([C.ACCOUNT_ID, C.BALANCE_DATE, C.BALANCE], axis=1))
    opening = (st.sort_values(C.STATEMENT).drop_duplicates([C.ACCOUNT_ID, C.OPENING_DATE], keep="first")
               [[C.ACCOUNT_ID, C.OPENING_DATE, C.OPENING_BALANCE]]
               .set_axis([C.ACCOUNT_ID, C.BALANCE_DATE, C.BALANCE], axis=1))
    tx.register("statement_closings", closing)
    tx.register("statement_openings", opening)
    try:
        inserted, updated, _ = upsert(
            tx, "bank_balances", "SELECT account_id, CAST(balance_date AS DATE) AS balance_date, "
            "CAST(balance AS DECIMAL(18,2)) AS balance FROM statement_closings",
            [C.ACCOUNT_ID, C.BALANCE_DATE], [C.BALANCE])
        # After the closings: a closing balance of this import for that day is known, and wins.
        inserted += int(tx.scalar(
            "INSERT INTO bank_balances (account_id, balance_date, balance) SELECT o.account_id, "
            "CAST(o.balance_date AS DATE), CAST(o.balance AS DECIMAL(18,2)) FROM statement_openings o WHERE NOT EXISTS "
            "(SELECT 1 FROM bank_balances b WHERE b.account_id = o.account_id "
            "AND b.balance_date = CAST(o.balance_date AS DATE))") or 0)
    finally:
        tx.con.unregister("statement_closings")
        tx.con.unregister("statement_openings")
    return inserted, updated
