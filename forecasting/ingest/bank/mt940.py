"""MT940 statements (SWIFT customer statement), read by the `mt-940` package; lines, IBANs and balances checked here.

`mt-940` is kept up to date, typed, reads :20: :25: :28C: :60F:/:60M: :61: :86: :62F:/:62M: with the banks'
variants, and splits a file into its statements (parse_statements). Each :61:'s line is found here in the text,
so that a problem names it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import mt940
import pandas as pd

from forecasting.core import columns as C
from forecasting.ingest.bank.types import (
    MT940,
    StatementFile,
    empty_movements,
    refuse,
    typed_movements,
    typed_statements,
)
from forecasting.ingest.iban import checked_iban, french_iban

_TAG_LINE = re.compile(r"^:(20|61|62[FM]):", re.MULTILINE)
_RIB = re.compile(r"^(\d{5})\D?(\d{5})\D?(\w{11})(?:\D?\d{2})?$")


def account_iban(text: str) -> str | None:
    """Return the IBAN of a :25: account ('IBAN', 'BIC/IBAN' or a French 'bank/desk/account' RIB), else None."""
    for candidate in (text, text.rsplit("/", 1)[-1]):
        found = checked_iban(candidate)
        if found:
            return found
    rib = _RIB.match(text.replace(" ", ""))
    return french_iban(*rib.groups()) if rib else None


def parse_mt940(text: str, file_name: str) -> StatementFile:
    """Return the statements of an MT940 file; raise InputError naming the line at fault."""
    starts = {"20": [], "61": [], "62": []}  # type: dict[str, list[int]]
    for m in _TAG_LINE.finditer(text):
        starts[m.group(1)[:2]].append(text.count("\n", 0, m.start()) + 1)
    try:
        blocks = mt940.parse_statements(text)
    except Exception as exc:  # the package raises ValueError, KeyError, … on a field it cannot read
        raise refuse(file_name, [f"cannot read the MT940 file: {exc}"]) from exc
    problems: list[str] = []
    statements: list[dict[str, Any]] = []
    rows: list[tuple[Any, ...]] = []
    movement = 0
    for rank, block in enumerate(blocks):
        where = starts["62"][rank] if rank < len(starts["62"]) else starts["20"][rank]
        data = block.data
        account = str(data.get("account_identification") or "")
        iban = account_iban(account)
        if iban is None:
            problems.append(f"line {starts['20'][rank]}: account :25: '{account}' is not an IBAN (nor a French "
                            "bank/desk/account number); cashpilot matches statements to accounts by IBAN")
        opening = data.get("final_opening_balance") or data.get("intermediate_opening_balance")
        closing = data.get("final_closing_balance") or data.get("intermediate_closing_balance")
        if opening is None or closing is None:
            problems.append(f"line {starts['20'][rank]}: the statement has no "
                            f"{':60F: opening' if opening is None else ':62F: closing'} balance")
            continue
        opening_date: date = opening.date
        if opening_date >= closing.date:  # a bank that dates the opening balance with the statement's own day
            opening_date = closing.date - timedelta(days=1)
        currency = str(closing.amount.currency)
        statements.append({
            C.STATEMENT: rank, C.IBAN: iban, C.CURRENCY: currency, C.OPENING_DATE: opening_date,
            C.OPENING_BALANCE: float(opening.amount.amount), C.CLOSING_DATE: closing.date,
            C.CLOSING_BALANCE: float(closing.amount.amount), C.LINE: where,
        })
        for t in block:
            d = t.data
            line = starts["61"][movement] if movement < len(starts["61"]) else where
            movement += 1
            lines = [x.strip() for x in str(d.get("transaction_details") or "").splitlines() if x.strip()]
            details = " ".join(lines)
            reference = d.get("bank_reference") or (d.get("customer_reference")
                                                    if d.get("customer_reference") not in (None, "NONREF") else None)
            rows.append((
                rank, line, d.get("entry_date") or d.get("date"), d.get("date"), float(d["amount"].amount), currency,
                lines[0] if lines else str(d.get("extra_details") or ""), details or None, None, None, reference,
                d.get("id"),
            ))
    if problems:
        raise refuse(file_name, problems)
    if not statements:
        raise refuse(file_name, ["no statement found (a :20: reference, :25: account, :60F: and :62F: balances): "
                                 "is this an MT940 file?"])
    movements = (typed_movements(pd.DataFrame.from_records(rows, columns=C.STATEMENT_MOVEMENT_COLUMNS))
                 if rows else empty_movements())
    return StatementFile(file_name, MT940, typed_statements(pd.DataFrame(statements)), movements)
