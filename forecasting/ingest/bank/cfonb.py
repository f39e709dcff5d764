"""CFONB 120 statements (French banks' 'relevé de compte' file): fixed 120-character records, sliced column-wise.

Records: 01 old balance, 04 movement, 05 complement of the movement before it, 07 new balance; one 01…07 block is
one statement of one account for one day, and a file holds several accounts and days. Positions (1-based) come
from the CFONB layout: account 3–7 bank, 12–16 desk, 17–19 currency, 20 number of decimals, 22–32 account number;
01/07 35–40 balance date; 04 8–11 bank's operation code, 33–34 interbank operation code, 35–40 booking date,
43–48 value date, 49–79 label, 82–88 entry number, 105–120 reference; 05 46–48 qualifier, 49–118 text; 91–104
amount: 13 digits then a character giving the last digit and the sign ('{' 'A'…'I' = +0…+9, '}' 'J'…'R' = −0…−9).

No package is used: python-cfonb (the only one on PyPI with a statement reader) reads line by line into dicts,
raises on an unknown record without its line, decodes no signed amount and was last released in 2021. Here the
records are one byte matrix (a line a row, one byte a character) and every field and check is a column of it.
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
_SIGN = np.zeros(256, dtype="int64")  # by byte: +1, −1, or 0 for a character that is no sign
_DIGIT = np.zeros(256, dtype="int64")
for _char, (_digit, _sign) in SIGN_DIGIT.items():
    _SIGN[ord(_char)], _DIGIT[ord(_char)] = _sign, _digit
# 05 qualifiers naming the other party: the payer of a credit, the beneficiary of a debit.
PAYER, BENEFICIARY = "NPY", "NBE"
NAME_QUALIFIERS = (PAYER, BENEFICIARY)
MAX_LISTED = 50  # problems of one kind listed before the file is refused


def records(text: str) -> list[str]:
    """Return the records of a file: one a line, or 120-character slices of a file without line breaks."""
    lines = text.splitlines()
    if len(lines) == 1 and len(lines[0]) > RECORD_LENGTH and len(lines[0]) % RECORD_LENGTH == 0:
        one = lines[0]  # some banks send the records back to back
        lines = [one[i:i + RECORD_LENGTH] for i in range(0, len(one), RECORD_LENGTH)]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _field(m: np.ndarray, start: int, end: int) -> np.ndarray:
    """Return positions start+1..end of every record as fixed-width bytes (0-based slice)."""
    return np.ascontiguousarray(m[:, start:end]).view(f"S{end - start}")[:, 0]


def _one_byte_a_character(text: str) -> bytes:
    """Return the records' text as one byte a character: Latin-1 (C-fast), else cp1252 (€, œ…), else '?'."""
    # The fields are decoded as cp1252, which reads Latin-1's letters (bytes A0-FF) alike.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("cp1252", errors="replace")


def _texts(values: np.ndarray) -> list[str]:
    """Return fixed-width bytes as stripped text (the column decoded in one call, then cut)."""
    width = values.dtype.itemsize
    text = np.ascontiguousarray(values).tobytes().decode("cp1252", errors="replace")
    return [text[i:i + width].strip() for i in range(0, len(text), width)]


def _digits(m: np.ndarray, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the number written at positions start+1..end of each record, and whether it is all digits."""
    block = m[:, start:end].astype("int64") - 48
    ok = np.asarray(((block >= 0) & (block <= 9)).all(axis=1))
    return block @ (10 ** np.arange(end - start - 1, -1, -1, dtype="int64")), ok


def parse_cfonb(text: str, file_name: str) -> StatementFile:
    """Return the statements of a CFONB 120 file; raise InputError listing its problems by line."""
    lines = records(text)
    lengths = np.fromiter(map(len, lines), dtype="int64", count=len(lines))
    line = np.arange(1, len(lines) + 1)
    problems = [f"line {line[i]}: a record of {lengths[i]} characters, expected {RECORD_LENGTH} "
                "(is the file cut, or were trailing spaces removed?)"
                for i in np.flatnonzero(lengths != RECORD_LENGTH)[:MAX_LISTED]]
    if problems:
        raise refuse(file_name, problems)
    m = np.frombuffer(_one_byte_a_character("".join(lines)), dtype=np.uint8).reshape(-1, RECORD_LENGTH)
    code = _field(m, 0, 2)
    known = np.isin(code, [c.encode() for c in RECORD_CODES])
    problems = [f"line {line[i]}: unknown record code '{code[i].decode('cp1252', 'replace')}' (expected 01 old "
                "balance, 04 movement, 05 complement, 07 new balance)" for i in np.flatnonzero(~known)[:MAX_LISTED]]
    if problems:
        raise refuse(file_name, problems)
    problems = _order_problems(code, line)
    if problems:
        raise refuse(file_name, problems)
    is_balance, is_move = (code == b"01") | (code == b"07"), code == b"04"
    amount = _amounts(m, is_balance | is_move, line, problems)
    date = _dates(m, 34, is_balance | is_move, line, "date", problems)
    value_date = _dates(m, 42, is_move, line, "value date", problems, optional=True)
    ibans = _ibans(m, is_balance | is_move, line, problems)
    codes, which = np.unique(_field(m, 16, 19), return_inverse=True)
    currency = np.array(_texts(codes), dtype=object)[which]
    statement = np.cumsum(code == b"01") - 1
    opening, closing = np.flatnonzero(code == b"01"), np.flatnonzero(code == b"07")
    for o, c in zip(opening, closing, strict=True):
        if ibans[o] != ibans[c] or currency[o] != currency[c]:
            problems.append(f"line {line[c]}: the new balance is for account {ibans[c]} {currency[c]}, but the "
                            f"old balance on line {line[o]} was for {ibans[o]} {currency[o]}")
    strangers = np.flatnonzero(is_move & (ibans != ibans[opening][statement]))
    problems += [f"line {line[i]}: a movement of account {ibans[i]} inside the statement of "
                 f"{ibans[opening[statement[i]]]} (old balance on line {line[opening[statement[i]]]})"
                 for i in strangers[:MAX_LISTED]]
    if problems:
        raise refuse(file_name, problems)
    statements = typed_statements(pd.DataFrame({
        C.STATEMENT: np.arange(len(opening)), C.IBAN: ibans[opening], C.CURRENCY: currency[opening],
        C.OPENING_DATE: date[opening], C.OPENING_BALANCE: amount[opening], C.CLOSING_DATE: date[closing],
        C.CLOSING_BALANCE: amount[closing], C.LINE: line[closing],
    }))
    movements = _movements(m, code, line, statement, amount, date, value_date, currency)
    return StatementFile(file_name, CFONB120, statements, movements)


def _order_problems(code: np.ndarray, line: np.ndarray) -> list[str]:
    """Return the records out of place: a statement is 01, then 04 each followed by its 05s, then 07."""
    problems: list[tuple[int, str]] = []
    previous = np.concatenate([np.array([b"07"], dtype="S2"), code[:-1]])
    allowed_after = {b"01": (b"07",), b"04": (b"01", b"04", b"05"), b"05": (b"04", b"05"), b"07": (b"01", b"04", b"05")}
    for c, before in allowed_after.items():
        for i in np.flatnonzero((code == c) & ~np.isin(previous, list(before)))[:20]:
            problems.append((int(line[i]), f"line {line[i]}: record {c.decode()} cannot follow record "
                                           f"{previous[i].decode()} (a statement is 01, then each 04 movement with "
                                           "its 05 complements, then 07)"))
    if len(code) and code[-1] != b"07":
        problems.append((int(line[-1]), f"line {line[-1]}: the file ends inside a statement (no 07 new balance "
                                        "record): is it cut?"))
    return [p for _, p in sorted(problems)]


def _amounts(m: np.ndarray, needed: np.ndarray, line: np.ndarray, problems: list[str]) -> np.ndarray:
    """Return the signed amounts (NaN where not needed); an amount that cannot be read is a problem."""
    digits, good_digits = _digits(m, 90, 103)
    last = m[:, 103]
    sign = _SIGN[last]
    decimals = m[:, 19].astype("int64") - 48
    good_decimals = (decimals >= 0) & (decimals <= 9)
    for i in np.flatnonzero(needed & ~(good_digits & (sign != 0) & good_decimals))[:MAX_LISTED]:
        raw = bytes(m[i, 90:104]).decode("cp1252", "replace")
        what = (f"the number of decimals (position 20) is '{chr(m[i, 19])}', expected a digit"
                if not good_decimals[i] else
                f"amount '{raw}' (positions 91-104): expected 13 digits then one of {{ A-I (positive) or "
                "} J-R (negative)")
        problems.append(f"line {line[i]}: {what}")
    amount = sign * (digits * 10 + _DIGIT[last]) / 10.0 ** np.clip(decimals, 0, 9)
    return np.where(needed, amount, np.nan)


def _dates(m: np.ndarray, start: int, needed: np.ndarray, line: np.ndarray, what: str, problems: list[str],
           optional: bool = False) -> np.ndarray:
    """Return the DDMMYY dates at positions start+1..start+6 (NaT where not needed); a bad needed one is a problem."""
    day, good_day = _digits(m, start, start + 2)
    month, good_month = _digits(m, start + 2, start + 4)
    year, good_year = _digits(m, start + 4, start + 6)
    ok = good_day & good_month & good_year
    parts = pd.DataFrame({"year": np.where(year < 69, 2000 + year, 1900 + year),  # as strptime's %y
                          "month": np.where(ok, month, 0), "day": np.where(ok, day, 0)})
    parsed = pd.to_datetime(parts, errors="coerce").to_numpy().copy()
    blank = (m[:, start:start + 6] == 32).all(axis=1)
    for i in np.flatnonzero(needed & pd.isna(parsed) & ~(optional & blank))[:MAX_LISTED]:
        raw = bytes(m[i, start:start + 6]).decode("cp1252", "replace")
        problems.append(f"line {line[i]}: {what} '{raw}' is not a date (expected DDMMYY)")
    parsed[~needed] = np.datetime64("NaT")
    return parsed


def _ibans(m: np.ndarray, needed: np.ndarray, line: np.ndarray, problems: list[str]) -> np.ndarray:
    """Return the French IBAN built from each record's bank, desk and account number (None where not needed)."""
    rib = _field(np.concatenate([m[:, 2:7], m[:, 11:16], m[:, 21:32]], axis=1), 0, 21)
    out = np.full(len(m), None, dtype=object)
    if not needed.any():
        return out
    unique, inverse = np.unique(rib[needed], return_inverse=True)
    found = np.array([french_iban(r[:5].decode("cp1252", "replace"), r[5:10].decode("cp1252", "replace"),
                                  r[10:].decode("cp1252", "replace").strip()) for r in unique.tolist()], dtype=object)
    out[needed] = found[inverse]
    for i in np.flatnonzero(needed & pd.isna(out))[:20]:
        b, d, a = (bytes(m[i, s:e]).decode("cp1252", "replace") for s, e in ((2, 7), (11, 16), (21, 32)))
        problems.append(f"line {line[i]}: bank code '{b}', desk code '{d}' and account number '{a}' do not "
                        "make a French IBAN (expected 5 digits, 5 digits and 11 letters or digits)")
    return out


def _movements(m: np.ndarray, code: np.ndarray, line: np.ndarray, statement: np.ndarray, amount: np.ndarray,
               date: np.ndarray, value_date: np.ndarray, currency: np.ndarray) -> pd.DataFrame:
    """Return the 04 movements with their 05 complements: names as counterparty, the rest as remittance."""
    move = np.flatnonzero(code == b"04")
    mm = m[move]
    reference, entry = _texts(_field(mm, 104, 120)), _texts(_field(mm, 81, 88))
    interbank, internal = _texts(_field(mm, 32, 34)), _texts(_field(mm, 7, 11))
    frame = pd.DataFrame({
        C.STATEMENT: statement[move], C.LINE: line[move], C.BOOKING_DATE: date[move],
        C.VALUE_DATE: value_date[move], C.AMOUNT: amount[move], C.CURRENCY: currency[move],
        C.LABEL: _texts(_field(mm, 48, 79)),
        # The reference (105-120) when given, else the bank's entry number (82-88).
        C.BANK_REFERENCE: [r or e or None for r, e in zip(reference, entry, strict=True)],
        C.OPERATION_CODE: [i or n or None for i, n in zip(interbank, internal, strict=True)],
    })
    comp = np.flatnonzero(code == b"05")
    number = (np.cumsum(code == b"04") - 1)[comp]  # the movement each 05 record completes
    qualifier, text = _texts(_field(m[comp], 45, 48)), _texts(_field(m[comp], 48, 118))
    remittance: dict[int, str] = {}
    names: dict[str, dict[int, str]] = {PAYER: {}, BENEFICIARY: {}}
    for movement, q, t in zip(number.tolist(), qualifier, text, strict=True):
        if not t:
            continue
        if q in names:
            names[q].setdefault(movement, t)
        else:  # every other complement (LIB, LCC, RCN, REF…) is remittance information, in file order
            remittance[movement] = f"{remittance[movement]} {t}" if movement in remittance else t
    rank = range(len(move))
    credit = frame[C.AMOUNT].to_numpy() > 0
    # The other party: who paid a credit, who received a debit; the other name when only it is given.
    frame[C.COUNTERPARTY_NAME] = [
        (names[PAYER].get(i) or names[BENEFICIARY].get(i)) if c else (names[BENEFICIARY].get(i) or names[PAYER].get(i))
        for i, c in zip(rank, credit, strict=True)]
    frame[C.REMITTANCE] = [remittance.get(i) for i in rank]
    frame[C.COUNTERPARTY_IBAN] = None  # CFONB 120 has no field for it
    return typed_movements(frame)
