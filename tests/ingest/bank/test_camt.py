"""camt.053 read from hand-made files (versions 001.02 and 001.08, written from the ISO 20022 message layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.ingest.bank.camt import parse_camt

FILES = Path(__file__).resolve().parent / "files"
V02 = FILES / "two_days.camt053.001.02.xml"
V08 = FILES / "overdrawn.camt053.001.08.xml"


def _variant(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    """Return a copy of a file with one text replaced."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / source.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_balances_opbd_clbd_and_prcd() -> None:
    """OPBD dated 2 March opens the day: the balance at the end of 1 March; PRCD is the previous close as dated."""
    st = parse_camt(V02, V02.name).statements
    assert st[C.IBAN].tolist() == ["FR7630006000011234567890189"] * 2
    assert st[C.OPENING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-01", "2026-03-02"]
    assert st[C.OPENING_BALANCE].tolist() == [10000.00, 11179.55]
    assert st[C.CLOSING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-03"]
    assert st[C.CLOSING_BALANCE].tolist() == [11179.55, 11167.55]  # CLAV (available) is not the booked balance


def test_entries_signs_dates_references_and_details() -> None:
    """CRDT +, DBIT −; AddtlNtryInf as label, Ustrd/Strd as remittance, the debtor of a credit, the creditor of a
    debit; the pending entry is left out (it is not in the booked balance)."""
    mv = parse_camt(V02, V02.name).movements
    assert mv[C.AMOUNT].tolist() == [1500.00, -320.45, -12.00]
    assert mv[C.LINE].tolist() == [1, 2, 4]  # entry 3 is pending
    assert mv[C.BOOKING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-02", "2026-03-03"]
    assert mv[C.VALUE_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-03", "2026-03-03"]
    assert mv[C.LABEL].tolist() == ["VIR SEPA ACME", "PRLV URSSAF", "FRAIS TENUE COMPTE"]
    assert mv[C.REMITTANCE].tolist() == ["FACTURE F-2026-001", "RF18539007547034", None]
    assert mv[C.COUNTERPARTY_NAME].tolist() == ["ACME SA", "URSSAF ILE DE FRANCE", None]
    assert mv[C.COUNTERPARTY_IBAN].tolist() == ["FR1420041010050500013M02606", None, None]
    assert mv[C.BANK_REFERENCE].tolist() == ["REF0001", None, None]
    assert mv[C.OPERATION_CODE].tolist() == ["PMNT/RCDT/ESCT", "PRLV", None]


def test_version_08_debit_balance_date_times_and_party_names() -> None:
    """001.08: a DBIT opening balance is negative, DtTm dates, Sts/Cd, the party's name under Pty, two Ustrd."""
    parsed = parse_camt(V08, V08.name)
    st, mv = parsed.statements, parsed.movements
    assert st[C.OPENING_BALANCE].tolist() == [-250.0] and st[C.CLOSING_BALANCE].tolist() == [150.0]
    assert st[C.CLOSING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02"]
    assert mv[C.BOOKING_DATE].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02"]
    assert mv[C.COUNTERPARTY_NAME].tolist() == ["CARTES BANCAIRES"]
    assert mv[C.REMITTANCE].tolist() == ["REMISE CB 28/02 TERMINAL 0042"]
    assert mv[C.LABEL].tolist() == ["REMISE CB 28/02"]  # no AddtlNtryInf: the first Ustrd


def test_another_namespace_version_reads_alike(tmp_path: Path) -> None:
    """The namespace is the file's own: 001.04 (or any other) reads as 001.02 does."""
    path = _variant(tmp_path, V02, "camt.053.001.02", "camt.053.001.04")
    assert parse_camt(path, path.name).movements[C.AMOUNT].tolist() == [1500.00, -320.45, -12.00]


def test_a_truncated_file_is_refused_with_its_line(tmp_path: Path) -> None:
    """A file cut in the middle: refused, naming where the XML stops."""
    cut = tmp_path / "cut.xml"
    cut.write_bytes(V02.read_bytes()[:2000])
    with pytest.raises(InputError, match=r"cut\.xml: 1 problem found, nothing was imported\.\n  line \d+, column \d+: "
                                         r"the XML is cut short or malformed"):
        parse_camt(cut, cut.name)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("<IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>",
     "<IBAN>FR7630006000011234567890188</IBAN></Id><Ccy>EUR</Ccy></Acct>",
     "statement 1 (Id STMT-20260302): 'FR7630006000011234567890188' is not a valid IBAN"),
    ("<IBAN>FR1420041010050500013M02606</IBAN>", "<IBAN>FR1420041010050500013M02605</IBAN>",
     "entry 1 (IBAN): the other party's IBAN 'FR1420041010050500013M02605' is not valid"),
    ("<Amt Ccy=\"EUR\">1500.00</Amt>", "<Amt Ccy=\"EUR\">1,500.00</Amt>", "entry 1 (Amt): amount '1,500.00'"),
    ("<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>BOOK", "<CdtDbtInd>DEBIT</CdtDbtInd>\n        <Sts>BOOK",
     "entry 2 (CdtDbtInd): credit/debit indicator 'DEBIT': expected CRDT or DBIT"),
    ("<BookgDt><Dt>2026-03-03</Dt></BookgDt>\n        <ValDt>", "<BookgDt><Dt>2026-02-30</Dt></BookgDt>\n        <ValDt>",
     "entry 4 (BookgDt): booking date '2026-02-30' is not a date"),
    ("<Cd>CLBD</Cd>", "<Cd>CLAV</Cd>", "statement 1 (Id STMT-20260302): no closing (CLBD) booked balance"),
    ("<BkToCstmrStmt>", "<BkToCstmrAcctRpt><Rpt><Id>X</Id></Rpt></BkToCstmrAcctRpt><BkToCstmrStmt>",
     "this is camt.052 (an intraday account report), not a camt.053 statement"),
])
def test_bad_entries_and_statements_are_refused_by_place(tmp_path: Path, old: str, new: str, expected: str) -> None:
    """Invalid IBANs, an unreadable amount, sign or date, a missing closing balance, another message: refused."""
    path = _variant(tmp_path, V02, old, new)
    with pytest.raises(InputError) as error:
        parse_camt(path, path.name)
    assert expected in str(error.value)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
])
def test_a_dtd_is_refused_before_parsing(tmp_path: Path, doctype: str) -> None:
    """Entity expansion (billion laughs) and external entities need a DTD: a file declaring one is not parsed."""
    path = _variant(tmp_path, V02, '<Document xmlns=', doctype + '\n<Document xmlns=')
    with pytest.raises(InputError, match="declares a DTD"):
        parse_camt(path, path.name)
