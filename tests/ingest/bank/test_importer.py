"""Statements into the store: accounts by IBAN, one transaction, nothing added twice, balances from statements."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from forecasting.core.errors import InputError
from forecasting.ingest.bank.importer import import_statement_files
from forecasting.store.database import Store
from tests.fixtures.ingest import new_store, run_import, write_text

FILES = Path(__file__).resolve().parent / "files"
CFONB = FILES / "two_accounts.cfonb"
CAMT = FILES / "two_days.camt053.001.02.xml"
A, B = "FR7630006000011234567890189", "FR7610278060300002012340194"
ACCOUNTS = ("accounts.csv", "bank-balances",
            "account_id,iban,balance_date,balance,bank\n"
            f"Main,FR76 3000 6000 0112 3456 7890 189,2026-02-27,9000.00,BNP\n"
            f"Cards,{B},2026-02-27,-100.00,Crédit Lyonnais\n")


def _movements(store: Store) -> list[dict[str, Any]]:
    """Return the bank_movements rows by account and booking date, amounts as floats, dates as ISO text."""
    with store.reading() as tx:
        frame = tx.df("SELECT account_id, movement_id, CAST(booking_date AS VARCHAR) AS booking_date, "
                      "CAST(amount AS DOUBLE) AS amount, label, category, import_id FROM bank_movements "
                      "ORDER BY account_id, booking_date, amount")
    return frame.to_dict("records")


def _balances(store: Store) -> list[tuple[str, str, float]]:
    """Return the bank_balances rows as (account, ISO date, balance)."""
    with store.reading() as tx:
        found = tx.con.execute("SELECT account_id, CAST(balance_date AS VARCHAR), CAST(balance AS DOUBLE) "
                               "FROM bank_balances ORDER BY ALL").fetchall()
    return [tuple(r) for r in found]


def test_accounts_are_found_by_iban_and_movements_and_balances_written(tmp_path: Path) -> None:
    """The IBAN declared with spaces in a bank-balances file matches; closings at each date, openings by day."""
    store = new_store(tmp_path / "db.duckdb", ACCOUNTS)
    [report] = import_statement_files(store, [CFONB])
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (4, 4, 0, 0)
    assert report.extra == {"statements read": 3, "balances inserted": 5, "balances updated": 0,
                            "accounts created": 0}
    moves = _movements(store)
    assert [(m["account_id"], m["booking_date"], m["amount"]) for m in moves] == [
        ("Cards", "2026-03-02", 400.00),
        ("Main", "2026-03-02", -320.45), ("Main", "2026-03-02", 1500.00), ("Main", "2026-03-03", -12.00)]
    assert [m["movement_id"] for m in moves] == ["CB280226", "0000123", "REF0001",
                                                 "2026-03-03|-12.00|FRAIS TENUE COMPTE|1"]
    assert {m["import_id"] for m in moves} == {2}  # the accounts file was import 1
    assert _balances(store) == [
        ("Cards", "2026-02-27", -100.00), ("Cards", "2026-02-28", -250.00), ("Cards", "2026-03-02", 150.00),
        ("Main", "2026-02-27", 9000.00), ("Main", "2026-03-01", 10000.00), ("Main", "2026-03-02", 11179.55),
        ("Main", "2026-03-03", 11167.55)]
    log = store.import_log().iloc[0]
    assert (log["kind"], log["source"], log["rows_read"], log["rows_inserted"]) == ("bank-statement", "CFONB 120", 4, 4)


def test_reimporting_the_same_or_an_overlapping_statement_adds_nothing(tmp_path: Path) -> None:
    """Same file: all unchanged; the first day alone then the whole file: only the new day's movements."""
    store = new_store(tmp_path / "db.duckdb", ACCOUNTS)
    first_day = write_text(tmp_path / "day1.cfonb", "\r\n".join(CFONB.read_text().splitlines()[:7]) + "\r\n")
    assert import_statement_files(store, [first_day])[0].inserted == 2
    again = import_statement_files(store, [CFONB])[0]
    assert (again.inserted, again.updated, again.unchanged) == (2, 0, 2)
    before = store.table_checksums()
    same = import_statement_files(store, [CFONB])[0]
    assert (same.inserted, same.updated, same.unchanged) == (0, 0, 4)
    after = store.table_checksums()
    logs = ("import_log", "audit_log", "meta")  # the import is logged and audited even when it adds nothing
    assert {t: v for t, v in after.items() if t not in logs} == {t: v for t, v in before.items() if t not in logs}
    assert len(_movements(store)) == 4


def test_identical_lines_without_reference_are_told_apart_by_their_rank(tmp_path: Path) -> None:
    """Two 12.00 fees the same day, no reference: both kept (ranks 1 and 2), and not doubled on re-import."""
    lines = CFONB.read_text().splitlines()
    fee = lines[8]
    close = lines[9][:90] + "0000000111555E" + lines[9][104:]  # 11,179.55 − 2 × 12.00 = 11,155.55
    path = write_text(tmp_path / "fees.cfonb", "\r\n".join([lines[7], fee, fee, close]) + "\r\n")
    store = new_store(tmp_path / "db.duckdb", ACCOUNTS)
    assert import_statement_files(store, [path])[0].inserted == 2
    assert import_statement_files(store, [path])[0].unchanged == 2
    assert [m["movement_id"] for m in _movements(store)] == ["2026-03-03|-12.00|FRAIS TENUE COMPTE|1",
                                                             "2026-03-03|-12.00|FRAIS TENUE COMPTE|2"]


def test_category_and_first_import_are_kept_when_the_bank_describes_a_movement_again(tmp_path: Path) -> None:
    """The matching's category survives a re-import; a label the bank changed is updated."""
    store = new_store(tmp_path / "db.duckdb", ACCOUNTS)
    import_statement_files(store, [CFONB])
    with store.transaction("import.test") as tx:
        tx.execute("UPDATE bank_movements SET category = 'social' WHERE movement_id = '0000123'")
    changed = write_text(tmp_path / "changed.cfonb", CFONB.read_text().replace("PRLV URSSAF    ", "PRLV URSSAF IDF"))
    report = import_statement_files(store, [changed])[0]
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 3)
    urssaf = next(m for m in _movements(store) if m["movement_id"] == "0000123")
    assert (urssaf["label"], urssaf["category"], urssaf["import_id"]) == ("PRLV URSSAF IDF", "social", 2)


def test_a_known_balance_at_the_opening_date_is_kept_and_a_closing_replaces_one(tmp_path: Path) -> None:
    """The bank's closing figure wins at its date; the opening fills a day only when nobody knows it."""
    store = new_store(tmp_path / "db.duckdb", ("accounts.csv", "bank-balances",
                                               f"account_id,iban,balance_date,balance\nMain,{A},2026-03-01,9999.00\n"
                                               f"Main,{A},2026-03-02,1.00\nCards,{B},2026-02-28,-250.00\n"))
    report = import_statement_files(store, [CFONB])[0]
    assert (report.extra["balances inserted"], report.extra["balances updated"]) == (2, 1)
    assert _balances(store) == [
        ("Cards", "2026-02-28", -250.00), ("Cards", "2026-03-02", 150.00),
        ("Main", "2026-03-01", 9999.00), ("Main", "2026-03-02", 11179.55), ("Main", "2026-03-03", 11167.55)]


def test_an_account_named_by_its_iban_is_found_without_an_iban_column(tmp_path: Path) -> None:
    """A bank-balances file whose account column holds the IBAN: that account is the statement's."""
    store = new_store(tmp_path / "db.duckdb", ("accounts.csv", "bank-balances",
                                               f"IBAN,date,balance\n{A},2026-03-01,10000\n"))
    report = import_statement_files(store, [CAMT])[0]
    assert report.inserted == 3 and {m["account_id"] for m in _movements(store)} == {A}


def test_an_unknown_account_is_refused_unless_asked_to_create_it(tmp_path: Path) -> None:
    """Refused naming the IBAN and how to declare it, nothing written; --create-accounts creates it under its IBAN."""
    store = new_store(tmp_path / "db.duckdb")
    before = store.table_checksums()
    with pytest.raises(InputError) as error:
        import_statement_files(store, [CFONB])
    assert f"line 7: no account with IBAN {A} in the database. Declare it: import a bank-balances file with an " \
           "iban column" in str(error.value)
    assert f"line 13: no account with IBAN {B}" in str(error.value)
    assert store.table_checksums() == before
    report = import_statement_files(store, [CFONB], create_accounts=True)[0]
    assert report.extra["accounts created"] == 2
    with store.reading() as tx:
        accounts = tx.con.execute("SELECT account_id, iban, currency FROM bank_accounts ORDER BY 1").fetchall()
    assert accounts == [(B, B, "EUR"), (A, A, "EUR")]


def test_a_statement_in_another_currency_than_its_account_is_refused(tmp_path: Path) -> None:
    """An account kept in USD cannot take a EUR statement."""
    store = new_store(tmp_path / "db.duckdb", ("fx.csv", "fx-rates", "currency,date,rate\nUSD,2026-02-01,0.9\n"),
                      ("accounts.csv", "bank-balances",
                       f"account_id,iban,balance_date,balance,currency\nUS,{A},2026-03-01,1,USD\n"))
    before = store.table_checksums()
    with pytest.raises(InputError, match=f"statement 1: the statement of {A} is in EUR but account 'US' is in USD"):
        import_statement_files(store, [CAMT])
    assert store.table_checksums() == before


def test_several_files_are_one_transaction(tmp_path: Path) -> None:
    """A good file and a bad one: nothing of either is written."""
    store = new_store(tmp_path / "db.duckdb", ACCOUNTS)
    bad = tmp_path / "bad.xml"
    shutil.copy(CAMT, bad)
    bad.write_text(CAMT.read_text().replace("<IBAN>FR7630006000011234567890189</IBAN>",
                                            "<IBAN>FR7699999000011234567890189</IBAN>"))
    before = store.table_checksums()
    with pytest.raises(InputError, match="bad.xml: 2 problems found"):
        import_statement_files(store, [CFONB, bad])
    assert store.table_checksums() == before


def test_the_bank_balances_import_checks_and_keeps_the_iban(tmp_path: Path) -> None:
    """The optional iban column is validated (schwifty) and stored compact."""
    store = new_store(tmp_path / "db.duckdb")
    bad = write_text(tmp_path / "bad.csv", "account_id,iban,date,balance\nMain,FR7630006000011234567890188,"
                                           "2026-03-01,1\n")
    with pytest.raises(InputError, match=r"row 2, column 'iban', value 'FR7630006000011234567890188': not a valid IBAN"):
        run_import(store, bad, kind="bank-balances")
    good = write_text(tmp_path / "good.csv", "account_id,iban,date,balance\nMain,fr76 3000 6000 0112 3456 7890 189,"
                                             "2026-03-01,1\nOther,,2026-03-01,2\n")
    run_import(store, good, kind="bank-balances")
    with store.reading() as tx:
        assert tx.con.execute("SELECT account_id, iban FROM bank_accounts ORDER BY 1").fetchall() == [
            ("Main", A), ("Other", None)]
