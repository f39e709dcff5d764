"""CFONB 120 statements (French banks' 'relevé de compte' file): fixed 120-character records, sliced column-wise.

Records: 01 old balance, 04 movement, 05 complement of the movement before it, 07 new balance; one 01…07 block is
one statement of one account for one day, and a file holds several accounts and days. Positions (1-based) come
from the CFONB layout: account 3–7 bank, 12–16 desk, 17–19 currency, 20 number of decimals, 22–32 account number;
01/07 35–40 balance date; 04 8–11 bank's operation code, 33–34 interbank operation code, 35–40 booking date,
43–48 value date, 49–79 label, 82–88 entry number, 105–120 reference; 05 46–48 qualifier, 49–118 text; 91–104
amount: 13 digits then a character giving the last digit and the sign ('{' 'A'…'I' = +0…+9, '}' 'J'…'R' = −0…−9).

No package is used: python-cfonb (the only one on PyPI with a statement reader) reads line by line into dicts,
drops nothing it cannot read (an unknown record is an exception without its line), decodes no signed amount and
was last released in 2021. Here every check runs on whole columns (pandas' Arrow string slicing), not per line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.ingest.bank.types import (
    CFONB120,
    StatementFile,
    refuse,
    typed_movements,
    typed_statements,
)
from forecasting.ingest.iban import french_iban

RECORD_LENGTH = 120
RECORD_CODES = ("01", "04", "05", "07")
# The last character of an amount: its last digit and its sign.
SIGN_DIGIT = {**{c: (d, 1) for d, c in enumerate("{ABCDEFGHI")}, **{c: (d, -1) for d, c in enumerate("}JKLMNOPQR")}}
# 05 qualifiers naming the other party: the payer of a credit, the beneficiary of a debit.
PAYER, BENEFICIARY = "NPY", "NBE"
NAME_QUALIFIERS = (PAYER, BENEFICIARY)


def records(text: str) -> list[str]:
    """Return the records of a file: one a line, or 120-character slices of a file without line breaks."""
    lines = text.splitlines()
    if len(lines) == 1 and len(lines[0]) > RECORD_LENGTH and len(lines[0]) % RECORD_LENGTH == 0:
        one = lines[0]  # some banks send the records back to back
        lines = [one[i:i + RECORD_LENGTH] for i in range(0, len(one), RECORD_LENGTH)]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def parse_cfonb(text: str, file_name: str) -> StatementFile:
    """Return the statements of a CFONB 120 file; raise InputError listing its problems by line."""
    s = pd.Series(records(text), dtype="string[pyarrow]")
    line = np.arange(1, len(s) + 1)
    problems: list[str] = []
    lengths = s.str.len().to_numpy()
    for i in np.flatnonzero(lengths != RECORD_LENGTH)[:50]:
        problems.append(f"line {line[i]}: a record of {lengths[i]} characters, expected {RECORD_LENGTH} "
                        "(is the file cut, or were trailing spaces removed?)")
    if problems:
        raise refuse(file_name, problems)
    code = s.str.slice(0, 2).to_numpy(dtype=object)
    for i in np.flatnonzero(~np.isin(code, RECORD_CODES))[:50]:
        problems.append(f"line {line[i]}: unknown record code '{code[i]}' (expected 01 old balance, 04 movement, "
                        "05 complement, 07 new balance)")
    if problems:
        raise refuse(file_name, problems)
    problems += _order_problems(code, line)
    if problems:
        raise refuse(file_name, problems)
    amount, amount_problems = _amounts(s, line)
    problems += amount_problems
    is_balance = np.isin(code, ("01", "07"))
    is_move = code == "04"
    date = _dates(s.str.slice(34, 40), is_balance | is_move, line, "date", problems)
    value_date = _dates(s.str.slice(42, 48), is_move, line, "value date", problems, optional=True)
    bank, desk, account = s.str.slice(2, 7), s.str.slice(11, 16), s.str.slice(21, 32)
    currency = s.str.slice(16, 19).str.strip().to_numpy(dtype=object)
    statement = np.cumsum(code == "01") - 1
    ibans = _ibans(bank, desk, account, is_balance | is_move, line, problems)
    opening, closing = np.flatnonzero(code == "01"), np.flatnonzero(code == "07")
    for o, c in zip(opening, closing, strict=True):
        if ibans[o] != ibans[c] or currency[o] != currency[c]:
            problems.append(f"line {line[c]}: the new balance is for account {ibans[c]} {currency[c]}, but the "
                            f"old balance on line {line[o]} was for {ibans[o]} {currency[o]}")
    for i in np.flatnonzero(is_move):
        o = opening[statement[i]]
        if ibans[i] != ibans[o]:
            problems.append(f"line {line[i]}: a movement of account {ibans[i]} inside the statement of "
                            f"{ibans[o]} (old balance on line {line[o]})")
            if len(problems) > 50:
                break
    if problems:
        raise refuse(file_name, problems)
    statements = typed_statements(pd.DataFrame({
        C.STATEMENT: np.arange(len(opening)), C.IBAN: ibans[opening], C.CURRENCY: currency[opening],
        C.OPENING_DATE: date[opening], C.OPENING_BALANCE: amount[opening], C.CLOSING_DATE: date[closing],
        C.CLOSING_BALANCE: amount[closing], C.LINE: line[closing],
    }))
    movements = _movements(s, code, line, statement, amount, date, value_date, currency)
    return StatementFile(file_name, CFONB120, statements, movements)


def _order_problems(code: np.ndarray, line: np.ndarray) -> list[str]:
    """Return the records out of place: a statement is 01, then 04 each followed by its 05s, then 07."""
    problems = []
    previous = np.concatenate([["07"], code[:-1]])
    allowed_after = {"01": ("07",), "04": ("01", "04", "05"), "05": ("04", "05"), "07": ("01", "04", "05")}
    for c, before in allowed_after.items():
        for i in np.flatnonzero((code == c) & ~np.isin(previous, before))[:20]:
            problems.append(f"line {line[i]}: record {c} cannot follow record {previous[i]} "
                            "(a statement is 01, then each 04 movement with its 05 complements, then 07)")
    if len(code) and code[-1] != "07":
        problems.append(f"line {line[-1]}: the file ends inside a statement (no 07 new balance record): is it cut?")
    return sorted(problems, key=lambda p: int(p.split(":")[0].split()[1]))


def _amounts(s: pd.Series, line: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Return the signed amounts (NaN on 05 records) and the problems of those that cannot be read."""
    code = s.str.slice(0, 2).to_numpy(dtype=object)
    digits = s.str.slice(90, 103)
    last = s.str.slice(103, 104).to_numpy(dtype=object)
    decimals = s.str.slice(19, 20)
    has_amount = code != "05"
    good_digits = digits.str.fullmatch(r"\d{13}").to_numpy(dtype=bool, na_value=False)
    good_last = np.isin(last, list(SIGN_DIGIT))
    good_decimals = decimals.str.fullmatch(r"\d").to_numpy(dtype=bool, na_value=False)
    ok = good_digits & good_last & good_decimals
    problems = []
    for i in np.flatnonzero(has_amount & ~ok)[:50]:
        raw = s.iloc[i][90:104]
        what = (f"the number of decimals (position 20) is '{s.iloc[i][19]}', expected a digit" if not good_decimals[i]
                else f"amount '{raw}' (positions 91-104): expected 13 digits then one of {{ A-I (positive) or "
                     "} J-R (negative)")
        problems.append(f"line {line[i]}: {what}")
    amount = np.full(len(s), np.nan)
    idx = np.flatnonzero(has_amount & ok)
    if len(idx):
        sign_digit = np.array([SIGN_DIGIT[c] for c in last[idx]], dtype="int64").reshape(-1, 2)
        whole = digits.iloc[idx].astype("int64").to_numpy() * 10 + sign_digit[:, 0]
        scale = 10.0 ** decimals.iloc[idx].astype("int64").to_numpy()
        amount[idx] = sign_digit[:, 1] * whole / scale
    return amount, problems


def _dates(text: pd.Series, needed: np.ndarray, line: np.ndarray, what: str, problems: list[str],
           optional: bool = False) -> np.ndarray:
    """Return DDMMYY dates as datetime64 (NaT where not needed); a needed date that cannot be read is a problem."""
    parsed = pd.to_datetime(text.astype(object), format="%d%m%y", errors="coerce").to_numpy().copy()
    blank = text.str.strip().eq("").to_numpy(dtype=bool, na_value=True)
    bad = needed & pd.isna(parsed) & ~(optional & blank)
    for i in np.flatnonzero(bad)[:50]:
        problems.append(f"line {line[i]}: {what} '{text.iloc[i]}' is not a date (expected DDMMYY)")
    parsed[~needed] = np.datetime64("NaT")
    return parsed


def _ibans(bank: pd.Series, desk: pd.Series, account: pd.Series, needed: np.ndarray, line: np.ndarray,
           problems: list[str]) -> np.ndarray:
    """Return the French IBAN built from each record's bank, desk and account number (None where not needed)."""
    rib = (bank + "|" + desk + "|" + account).to_numpy(dtype=object)
    found: dict[str, str | None] = {}
    for key in pd.unique(rib[needed]):
        b, d, a = str(key).split("|")
        found[key] = french_iban(b, d, a.strip())
    out = np.array([found.get(k) if n else None for k, n in zip(rib, needed, strict=True)], dtype=object)
    for i in np.flatnonzero(needed & pd.isna(out))[:20]:
        b, d, a = str(rib[i]).split("|")
        problems.append(f"line {line[i]}: bank code '{b}', desk code '{d}' and account number '{a}' do not "
                        "make a French IBAN (expected 5 digits, 5 digits and 11 letters or digits)")
    return out


def _movements(s: pd.Series, code: np.ndarray, line: np.ndarray, statement: np.ndarray, amount: np.ndarray,
               date: np.ndarray, value_date: np.ndarray, currency: np.ndarray) -> pd.DataFrame:
    """Return the 04 movements with their 05 complements: names as counterparty, the rest as remittance."""
    move = np.flatnonzero(code == "04")
    number = np.cumsum(code == "04") - 1  # the movement each 04 or 05 record belongs to
    reference = s.str.slice(104, 120).str.strip().to_numpy(dtype=object)
    entry = s.str.slice(81, 88).str.strip().to_numpy(dtype=object)
    interbank = s.str.slice(32, 34).str.strip().to_numpy(dtype=object)
    internal = s.str.slice(7, 11).str.strip().to_numpy(dtype=object)
    frame = pd.DataFrame({
        C.STATEMENT: statement[move], C.LINE: line[move], C.BOOKING_DATE: date[move],
        C.VALUE_DATE: value_date[move], C.AMOUNT: amount[move], C.CURRENCY: currency[move],
        C.LABEL: s.str.slice(48, 79).str.strip().to_numpy(dtype=object)[move],
        # The reference (105-120) when given, else the bank's entry number (82-88).
        C.BANK_REFERENCE: np.where(reference[move] != "", reference[move], entry[move]),
        C.OPERATION_CODE: np.where(interbank[move] != "", interbank[move], internal[move]),
    })
    frame[C.BANK_REFERENCE] = frame[C.BANK_REFERENCE].replace("", None)
    frame[C.OPERATION_CODE] = frame[C.OPERATION_CODE].replace("", None)
    comp = np.flatnonzero(code == "05")
    extra = pd.DataFrame({
        "movement": number[comp],
        "qualifier": s.str.slice(45, 48).str.strip().to_numpy(dtype=object)[comp],
        "text": s.str.slice(48, 118).str.strip().to_numpy(dtype=object)[comp],
    })
    extra = extra[extra["text"] != ""]
    is_name = extra["qualifier"].isin(NAME_QUALIFIERS)
    remittance = extra[~is_name].groupby("movement")["text"].agg(" ".join)
    names = extra[is_name].drop_duplicates(["movement", "qualifier"]).pivot(
        index="movement", columns="qualifier", values="text")
    rank = pd.RangeIndex(len(move))
    frame[C.REMITTANCE] = remittance.reindex(rank).to_numpy(dtype=object)
    payer = names[PAYER].reindex(rank) if PAYER in names else pd.Series(None, index=rank, dtype=object)
    beneficiary = (names[BENEFICIARY].reindex(rank) if BENEFICIARY in names
                   else pd.Series(None, index=rank, dtype=object))
    # The other party: who paid a credit, who received a debit; the other name when only it is given.
    credit = frame[C.AMOUNT].to_numpy() > 0
    first = np.where(credit, payer.to_numpy(dtype=object), beneficiary.to_numpy(dtype=object))
    second = np.where(credit, beneficiary.to_numpy(dtype=object), payer.to_numpy(dtype=object))
    frame[C.COUNTERPARTY_NAME] = np.where(pd.isna(first), second, first)
    frame[C.COUNTERPARTY_NAME] = frame[C.COUNTERPARTY_NAME].where(frame[C.COUNTERPARTY_NAME].notna(), None)
    frame[C.REMITTANCE] = frame[C.REMITTANCE].where(frame[C.REMITTANCE].notna(), None)
    frame[C.COUNTERPARTY_IBAN] = None  # CFONB 120 has no field for it
    return typed_movements(frame)
