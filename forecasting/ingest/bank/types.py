"""What a parsed statement file holds, whatever its format; the checks every format shares (IBAN, balancing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError

CFONB120, CAMT053, MT940 = "cfonb120", "camt053", "mt940"
FORMAT_NAMES = {CFONB120: "CFONB 120", CAMT053: "camt.053", MT940: "MT940"}
MAX_PROBLEMS_SHOWN = 20
TEXT_COLUMNS = (C.CURRENCY, C.LABEL, C.REMITTANCE, C.COUNTERPARTY_NAME, C.COUNTERPARTY_IBAN, C.BANK_REFERENCE,
                C.OPERATION_CODE)


@dataclass(frozen=True)
class StatementFile:
    """One file's statements (STATEMENT_COLUMNS: one per account and date) and their movements."""

    file_name: str
    format: str  # CFONB120, CAMT053 or MT940
    statements: pd.DataFrame  # C.STATEMENT_COLUMNS
    movements: pd.DataFrame  # C.STATEMENT_MOVEMENT_COLUMNS, amounts signed (+ credit, − debit)
    where: str = "line"  # what a movement's LINE counts: 'line' (of the file) or 'entry' (camt.053's Ntry, from 1)
    statement_where: str = "line"  # what a statement's LINE counts: 'line' or 'statement' (camt.053's Stmt, from 1)

    @property
    def format_name(self) -> str:
        """Return the format as a treasurer names it (CFONB 120, camt.053, MT940)."""
        return FORMAT_NAMES[self.format]


def refuse(file_name: str, problems: Sequence[str]) -> InputError:
    """Return the error listing a file's problems (the first MAX_PROBLEMS_SHOWN), nothing imported."""
    lines = [f"{file_name}: {len(problems)} problem{'s' if len(problems) > 1 else ''} found, nothing was imported."]
    lines += [f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more.")
    return InputError("\n".join(lines))


def empty_movements() -> pd.DataFrame:
    """Return a movements frame with no row and the right columns."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in C.STATEMENT_MOVEMENT_COLUMNS})
    return typed_movements(frame)


def typed_movements(frame: pd.DataFrame) -> pd.DataFrame:
    """Return movements with their dtypes: dates datetime64, amount float64, statement and line int64."""
    out = frame[C.STATEMENT_MOVEMENT_COLUMNS].copy()
    for column in (C.BOOKING_DATE, C.VALUE_DATE):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    out[C.AMOUNT] = out[C.AMOUNT].astype("float64")
    out[C.STATEMENT] = out[C.STATEMENT].astype("int64")
    out[C.LINE] = out[C.LINE].astype("int64")
    for column in TEXT_COLUMNS:  # None, never NaN, where a text is missing: the store writes NULL
        values = out[column].astype(object)
        out[column] = values.where(values.notna(), None)
    return out.reset_index(drop=True)


def typed_statements(frame: pd.DataFrame) -> pd.DataFrame:
    """Return statements with their dtypes (see typed_movements)."""
    out = frame[C.STATEMENT_COLUMNS].copy()
    for column in (C.OPENING_DATE, C.CLOSING_DATE):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    for column in (C.OPENING_BALANCE, C.CLOSING_BALANCE):
        out[column] = out[column].astype("float64")
    out[C.STATEMENT] = out[C.STATEMENT].astype("int64")
    out[C.LINE] = out[C.LINE].astype("int64")
    return out.reset_index(drop=True)


def unbalanced(parsed: StatementFile) -> list[str]:
    """Return one problem per statement whose movements do not lead from its opening to its closing balance."""
    sums = parsed.movements.groupby(C.STATEMENT)[C.AMOUNT].sum()
    st = parsed.statements
    moved = st[C.STATEMENT].map(sums).fillna(0.0).to_numpy()
    # Cents compared as integers: float sums of two-decimal amounts are off by far less than half a cent.
    gap = np.rint((st[C.OPENING_BALANCE].to_numpy() + moved - st[C.CLOSING_BALANCE].to_numpy()) * 100)
    problems = []
    for i in np.flatnonzero(gap):
        row = st.iloc[i]
        problems.append(
            f"{parsed.statement_where} {row[C.LINE]}: the statement of account {row[C.IBAN]} on "
            f"{row[C.CLOSING_DATE]:%Y-%m-%d} does not balance: opening balance {row[C.OPENING_BALANCE]:,.2f} + "
            f"movements {moved[i]:,.2f} = {row[C.OPENING_BALANCE] + moved[i]:,.2f}, but the closing balance is "
            f"{row[C.CLOSING_BALANCE]:,.2f} (a difference of {-gap[i] / 100:,.2f}): is a movement missing?"
        )
    return problems
