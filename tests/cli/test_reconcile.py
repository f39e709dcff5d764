"""`cashpilot reconcile`: run, list, accept, reject, undo, match by hand, rules; bad input exits 2 and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.store.database import Store
from tests.fixtures.bank import add_movements, movement
from tests.fixtures.ingest import INVOICE_HEADER, invoices_by_id, new_store

LEDGER = INVOICE_HEADER + ("FA-1001,Acme,2026-01-05,2026-02-04,500.00,\n"
                           "FA-1002,Acme,2026-01-06,2026-02-05,80.00,\n"
                           "FA-1003,Acme,2026-01-07,2026-02-06,80.00,\n")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Return a database with three open Acme invoices and three movements: one sure, one ambiguous, URSSAF."""
    store = new_store(tmp_path / "rec.duckdb", ("ar.csv", "receivables", LEDGER))
    add_movements(store, movement("M1", "2026-02-10", 500.0, "VIR SEPA RECU /DE ACME", "FACTURE FA-1001"),
                  movement("M2", "2026-02-11", 80.0, "VIR SEPA RECU /DE ACME SAS"),
                  movement("M3", "2026-02-15", -1234.0, "PRLV SEPA URSSAF ILE DE FRANCE"))
    return store.path


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """Run `cashpilot --db db args...` in-process; return (exit code, stdout, stderr)."""
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_run_applies_the_sure_match_and_proposes_the_ambiguous_one(capsys: pytest.CaptureFixture[str],
                                                                    db: Path) -> None:
    code, out, err = cli(capsys, db, "reconcile", "run", "--format", "json")

    assert (code, err) == (0, "")
    assert json.loads(out) == {"movements": 3, "auto": 1, "proposed": 2, "recorded": 0,
                               "categories": {"clients": 2, "social": 1}}
    assert invoices_by_id(Store(db))["FA-1001"]["status"] == "paid"
    code, out, _ = cli(capsys, db, "reconcile", "list", "--format", "json")
    proposals = json.loads(out)
    assert sorted(p["invoices"] for p in proposals) == ["FA-1002", "FA-1003"]
    assert {p["reason"] for p in proposals} == {"same counterparty (name or IBAN), same amount"}


def test_accept_reject_and_undo_by_match_number(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    cli(capsys, db, "reconcile", "run")
    _, out, _ = cli(capsys, db, "reconcile", "list", "--format", "json")
    first, second = sorted((p["invoices"], p["match_id"]) for p in json.loads(out))

    assert cli(capsys, db, "reconcile", "accept", str(first[1]))[:2] == (
        0, f"match {first[1]}: accepted, its invoices are paid\n")
    assert invoices_by_id(Store(db))["FA-1002"]["status"] == "paid"
    assert json.loads(cli(capsys, db, "reconcile", "list", "--format", "json")[1]) == []  # the other one is dropped
    assert cli(capsys, db, "reconcile", "undo", str(first[1]))[0] == 0
    assert invoices_by_id(Store(db))["FA-1002"]["status"] == "open"
    _, out, _ = cli(capsys, db, "reconcile", "list", "--status", "rejected", "--format", "json")
    assert [p["match_id"] for p in json.loads(out)] == [first[1]]


def test_match_by_hand_then_list_the_unmatched_movements(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = cli(capsys, db, "reconcile", "match", "MAIN", "M2", "FA-1003")

    assert code == 0 and out.endswith("movement M2 pays 1 invoice\n")
    assert invoices_by_id(Store(db))["FA-1003"]["status"] == "paid"
    _, out, _ = cli(capsys, db, "reconcile", "list", "--unmatched", "--format", "json")
    assert sorted(m["movement_id"] for m in json.loads(out)) == ["M1", "M3"]


def test_rules_add_list_delete(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = cli(capsys, db, "reconcile", "rules", "add", "--label", "ASSURANCE", "--direction", "debit",
                       "--category", "other", "--priority", "5")
    assert code == 0 and "added" in out
    rules = json.loads(cli(capsys, db, "reconcile", "rules", "list", "--format", "json")[1])
    assert rules[0]["label_pattern"] == "ASSURANCE" and len(rules) == 11
    rule_id = rules[0]["rule_id"]
    assert cli(capsys, db, "reconcile", "rules", "delete", str(rule_id))[:2] == (0, f"rule {rule_id} deleted\n")
    assert len(json.loads(cli(capsys, db, "reconcile", "rules", "list", "--format", "json")[1])) == 10


@pytest.mark.parametrize(("args", "expected"), [
    (["reconcile", "accept", "99"], "cashpilot: no match number 99"),
    (["reconcile", "match", "MAIN", "M9", "FA-1001"], "cashpilot: no movement M9 on account MAIN"),
    (["reconcile", "match", "MAIN", "M2", "FA-9999"], "cashpilot: invoice FA-9999 is not an open client invoice"),
    (["reconcile", "match", "MAIN", "M3", "FA-1002"], "cashpilot: invoice FA-1002 is not an open supplier invoice"),
    (["reconcile", "rules", "add", "--label", "FRAIS(", "--category", "bank_fees"],
     "cashpilot: rule 1: 'FRAIS(' is not a valid pattern"),
    (["reconcile", "rules", "delete", "999"], "cashpilot: no rule number 999"),
])
def test_bad_input_exits_2_with_a_message_and_changes_nothing(capsys: pytest.CaptureFixture[str], db: Path,
                                                              args: list[str], expected: str) -> None:
    before = Store(db).table_checksums()

    code, out, err = cli(capsys, db, *args)

    assert (code, out) == (2, "")
    assert err.startswith(expected) and "Traceback" not in err
    assert Store(db).table_checksums() == before


def test_an_unknown_category_is_refused_by_the_parser_with_exit_2(capsys: pytest.CaptureFixture[str],
                                                                  db: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "reconcile", "rules", "add", "--label", "X", "--category", "wages"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'wages'" in capsys.readouterr().err
