"""Bank statement files written from movements: CFONB 120 text and camt.053 XML, as a bank would send them.

Used by the demo (its accounts' statements in data/examples/) and by the round-trip tests and the benchmark.
Movements are a frame of BANK_MOVEMENT_COLUMNS (account, dates, signed amount, label, remittance, counterparty,
bank reference, operation code); accounts a frame of STATEMENT_ACCOUNT_COLUMNS: each account's IBAN and currency,
and its balance at the end of the day before its first movement. Every account and booking day with movements
is one statement, opened by the previous day's closing balance: the files balance by construction.

What each format cannot carry is dropped: CFONB 120 keeps 31 characters of label, 16 of bank reference, a
two-character operation code and no counterparty IBAN; camt.053 keeps everything.
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Iterator
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd

from forecasting.core import columns as C

Movement = dict[Hashable, Any]  # one row of a movements frame
STATEMENT_ACCOUNT_COLUMNS = [C.ACCOUNT_ID, C.IBAN, C.CURRENCY, C.OPENING_DATE, C.OPENING_BALANCE]
CAMT_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
_POSITIVE, _NEGATIVE = "{ABCDEFGHI", "}JKLMNOPQR"
CFONB_LABEL, CFONB_TEXT, CAMT_TEXT = 31, 70, 140  # characters a record or element holds


def cfonb_amount(value: float) -> str:
    """Return an amount in CFONB's 14 characters: 13 digits and a character for the last digit and the sign."""
    cents = round(abs(value) * 100)
    digits = f"{cents:014d}"
    if len(digits) > 14:
        raise ValueError(f"amount {value} too large for CFONB 120")
    return digits[:13] + (_POSITIVE if value >= 0 else _NEGATIVE)[int(digits[13])]


def _day_statements(movements: pd.DataFrame, accounts: pd.DataFrame
                    ) -> Iterator[tuple[pd.Series, date, date, float, float, pd.DataFrame]]:
    """Yield (account, opening date, day, opening balance, closing balance, that day's movements) in order."""
    for _, account in accounts.iterrows():
        mine = movements[movements[C.ACCOUNT_ID] == account[C.ACCOUNT_ID]]
        mine = mine.sort_values(C.BOOKING_DATE, kind="stable")
        opening_date = pd.Timestamp(account[C.OPENING_DATE]).date()
        balance = round(float(account[C.OPENING_BALANCE]), 2)
        for day, lines in mine.groupby(mine[C.BOOKING_DATE].dt.date, sort=True):
            closing = round(balance + float(lines[C.AMOUNT].sum()), 2)
            yield account, opening_date, day, balance, closing, lines
            opening_date, balance = day, closing


def _rib(iban: str) -> tuple[str, str, str]:
    """Return a French IBAN's bank code, desk code and account number."""
    compact = iban.replace(" ", "").upper()
    if compact[:2] not in ("FR", "MC") or len(compact) != 27:
        raise ValueError(f"{iban}: CFONB 120 needs a French (or Monaco) IBAN")
    return compact[4:9], compact[9:14], compact[14:25]


def _record(code: str, rib: tuple[str, str, str], currency: str, day: date, amount: str = "",
            middle: str = " " * 50, reference: str = "", operation: str = "  ") -> str:
    """Return one 120-character record (positions from the CFONB layout)."""
    bank, desk, account = rib
    text = (f"{code}{bank}    {desk}{currency:<3.3}2 {account}{operation:<2.2}{day:%d%m%y}{middle:<50.50}"
            f"{amount:<14.14}{reference:<16.16}")
    assert len(text) == 120, text
    return text


def cfonb120_text(movements: pd.DataFrame, accounts: pd.DataFrame) -> str:
    """Return the CFONB 120 file of the movements: 01, each 04 with its 05 complements, 07, per account and day."""
    out: list[str] = []
    for account, opening_date, day, opening, closing, lines in _day_statements(movements, accounts):
        rib, currency = _rib(str(account[C.IBAN])), str(account[C.CURRENCY])
        out.append(_record("01", rib, currency, opening_date, cfonb_amount(opening)))
        for m in lines.to_dict("records"):
            code = _text(m, C.OPERATION_CODE) or ""
            value_date = pd.Timestamp(m[C.VALUE_DATE]) if pd.notna(m[C.VALUE_DATE]) else None
            middle = f"  {value_date:%d%m%y}" if value_date is not None else " " * 8
            middle += f"{str(m[C.LABEL] or '')[:CFONB_LABEL]:<31}" + " " * 11
            reference = _text(m, C.BANK_REFERENCE) or ""
            out.append(_record("04", rib, currency, day, cfonb_amount(m[C.AMOUNT]), middle, reference,
                               code if len(code) <= 2 else "  "))
            complements: list[tuple[str, str]] = []
            if _text(m, C.COUNTERPARTY_NAME):
                complements.append(("NPY" if m[C.AMOUNT] > 0 else "NBE", str(m[C.COUNTERPARTY_NAME])[:CFONB_TEXT]))
            if _text(m, C.REMITTANCE):
                complements += [("LIB", part) for part in textwrap.wrap(str(m[C.REMITTANCE]), CFONB_TEXT)]
            out += [_complement(rib, currency, day, qualifier, text) for qualifier, text in complements]
        out.append(_record("07", rib, currency, day, cfonb_amount(closing)))
    return "\r\n".join(out) + "\r\n" if out else ""


def _complement(rib: tuple[str, str, str], currency: str, day: date, qualifier: str, text: str) -> str:
    """Return a 05 record: the qualifier at positions 46-48, the text at 49-118."""
    head = _record("05", rib, currency, day)[:40]
    record = f"{head}{'':<5}{qualifier:<3.3}{text:<70.70}  "
    assert len(record) == 120, record
    return record


def _camt_balance(code: str, amount: float, currency: str, day: date) -> str:
    """Return a Bal element."""
    side = "CRDT" if amount >= 0 else "DBIT"
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{currency}\">{abs(amount):.2f}</Amt>"
            f"<CdtDbtInd>{side}</CdtDbtInd><Dt><Dt>{day:%Y-%m-%d}</Dt></Dt></Bal>")


def _text(m: Movement, column: str) -> str | None:
    """Return a movement's text in `column`, None when it is missing or empty."""
    value = m[column]
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else str(value)


def _camt_entry(m: Movement, currency: str) -> str:
    """Return an Ntry element for one movement."""
    amount = float(m[C.AMOUNT])
    credit = amount > 0
    parts = [f"<Ntry><Amt Ccy=\"{currency}\">{abs(amount):.2f}</Amt><CdtDbtInd>{'CRDT' if credit else 'DBIT'}"
             f"</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{pd.Timestamp(m[C.BOOKING_DATE]):%Y-%m-%d}</Dt></BookgDt>"]
    if pd.notna(m[C.VALUE_DATE]):
        parts.append(f"<ValDt><Dt>{pd.Timestamp(m[C.VALUE_DATE]):%Y-%m-%d}</Dt></ValDt>")
    if _text(m, C.BANK_REFERENCE):
        parts.append(f"<AcctSvcrRef>{escape(str(m[C.BANK_REFERENCE]))}</AcctSvcrRef>")
    if _text(m, C.OPERATION_CODE):
        parts.append(f"<BkTxCd><Prtry><Cd>{escape(str(m[C.OPERATION_CODE]))}</Cd></Prtry></BkTxCd>")
    party, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
    details = []
    if _text(m, C.COUNTERPARTY_NAME):
        details.append(f"<{party}><Nm>{escape(str(m[C.COUNTERPARTY_NAME]))}</Nm></{party}>")
    if _text(m, C.COUNTERPARTY_IBAN):
        details.append(f"<{account}><Id><IBAN>{escape(str(m[C.COUNTERPARTY_IBAN]))}</IBAN></Id></{account}>")
    remittance = (textwrap.wrap(str(m[C.REMITTANCE]), CAMT_TEXT)
                  if _text(m, C.REMITTANCE) else [])
    if details or remittance:
        parts.append("<NtryDtls><TxDtls>")
        if details:
            parts.append("<RltdPties>" + "".join(details) + "</RltdPties>")
        if remittance:
            parts.append("<RmtInf>" + "".join(f"<Ustrd>{escape(t)}</Ustrd>" for t in remittance) + "</RmtInf>")
        parts.append("</TxDtls></NtryDtls>")
    if _text(m, C.LABEL):
        parts.append(f"<AddtlNtryInf>{escape(str(m[C.LABEL]))}</AddtlNtryInf>")
    parts.append("</Ntry>")
    return "".join(parts)


def camt053_xml(movements: pd.DataFrame, accounts: pd.DataFrame, created: datetime | None = None) -> str:
    """Return the camt.053.001.02 file of the movements: one Stmt per account and day, OPBD and CLBD balances."""
    created = created or datetime(2000, 1, 1)  # fixed unless given: the demo's files are reproducible
    out = [f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"{CAMT_NAMESPACE}\"><BkToCstmrStmt>"
           f"<GrpHdr><MsgId>CASHPILOT-{created:%Y%m%d%H%M%S}</MsgId><CreDtTm>{created:%Y-%m-%dT%H:%M:%S}</CreDtTm>"
           "</GrpHdr>"]
    for account, _opening_date, day, opening, closing, lines in _day_statements(movements, accounts):
        currency = str(account[C.CURRENCY])
        out.append(f"\n<Stmt><Id>{escape(str(account[C.ACCOUNT_ID]))}-{day:%Y%m%d}</Id>"
                   f"<CreDtTm>{created:%Y-%m-%dT%H:%M:%S}</CreDtTm><Acct><Id><IBAN>{account[C.IBAN]}</IBAN></Id>"
                   f"<Ccy>{currency}</Ccy></Acct>")
        # OPBD dated the statement's day: the balance at its start, the previous day's close
        out.append(_camt_balance("OPBD", opening, currency, day) + _camt_balance("CLBD", closing, currency, day))
        out += ["\n" + _camt_entry(m, currency) for m in lines.to_dict("records")]
        out.append("</Stmt>")
    out.append("\n</BkToCstmrStmt></Document>\n")
    return "".join(out)
