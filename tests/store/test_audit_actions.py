"""The audit line of every write of the bank side (forecasting/core/access.py names them): matching runs, decisions,
hand matches, categorisation rules and snapshots, each under its own action with the ids and counts it touched; a
viewer is refused each of them and nothing changes; and the one rule for a change that finds nothing to do (deleting
what is not there, saving what is already so): the database stays exactly as it was, with no audit line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.access import Actor, Role
from forecasting.core.errors import AccessDenied
from forecasting.ingest.edits import replace_planned_flows
from forecasting.reconcile.rules import RULE_COLUMNS
from forecasting.reconcile.run import auto_match, hand_match
from forecasting.store.database import Store
from forecasting.store.reconciliation import (
    MatchRun,
    add_rule,
    decide,
    delete_rule,
    read_matches,
    read_rules,
    replace_rules,
    save_run,
)
from forecasting.store.snapshots import delete_snapshot, save_snapshot
from tests.fixtures.bank import add_movements, movement
from tests.fixtures.ingest import INVOICE_HEADER, new_store

EDITOR = Actor("editor@example.com", Role.EDITOR, "dashboard")
VIEWER = Actor("viewer@example.com", Role.VIEWER, "dashboard")
LEDGER = INVOICE_HEADER + ("FA-1001,Acme,2026-01-05,2026-02-04,500.00,2026-02-10\n"
                           "FA-1002,Acme,2026-01-06,2026-02-05,80.00,\n")
RULE = {"priority": 5, "label_pattern": "MUTUELLE CADRES", "counterparty_pattern": None, "direction": "debit",
        "category": "social", "enabled": True}
FLOWS = pd.DataFrame({C.LABEL: ["Rent"], C.CATEGORY: ["rent"], C.AMOUNT: [-3000.0], C.FIRST_DATE: ["2026-12-01"],
                      C.RECURRENCE: ["monthly"]})
SNAPSHOT_FLOWS = pd.DataFrame({C.WEEK_START: pd.to_datetime(["2026-03-02"]), C.ACCOUNT_ID: ["MAIN"],
                               C.CATEGORY: ["clients"], "receipts": [80.0], "disbursements": [0.0]})
SNAPSHOT_CLOSINGS = pd.DataFrame({C.WEEK_START: pd.to_datetime(["2026-03-02"]), C.ACCOUNT_ID: [C.TOTAL_ACCOUNT],
                                  "closing_expected": [1080.0], "closing_p10": [900.0], "closing_p50": [1080.0],
                                  "closing_p90": [1200.0]})


@pytest.fixture
def bank(tmp_path: Path) -> Store:
    """Return a store, acting as an editor, with FA-1002 (80.00) open and two movements: its receipt (no reference
    in the label, so nothing sure) and a bank fee."""
    store = new_store(tmp_path / "bank.duckdb", ("ar.csv", "receivables", LEDGER))
    add_movements(store, movement("M1", "2026-03-02", 80.0, "VIR SEPA RECU"),
                  movement("M2", "2026-03-03", -12.5, "FRAIS TENUE DE COMPTE"))
    return store.acting_as(EDITOR)


def _actions(store: Store) -> list[tuple[str, str]]:
    """Return the audit lines after the fixture's (imports), oldest first: (action, details)."""
    log = store.audit_log().iloc[::-1]
    log = log[~log["action"].str.startswith("import.")]
    return list(log[["action", "details"]].itertuples(index=False, name=None))


def _proposal(store: Store) -> MatchRun:
    """Return a run proposing M1 for FA-1002 and filing M2 under bank fees (what the matcher would write)."""
    source = str(store.read_ledger().receivables.set_index(C.INVOICE_ID).at["FA-1002", C.SOURCE])
    return MatchRun(
        matches=pd.DataFrame({"key": [0], C.ACCOUNT_ID: ["MAIN"], C.MOVEMENT_ID: ["M1"], C.SIDE: [C.RECEIVABLE],
                              "status": ["proposed"], "confidence": [0.6], "reason": ["amount"]}),
        invoices=pd.DataFrame({"key": [0], C.SOURCE: [source], C.INVOICE_ID: ["FA-1002"], C.AMOUNT: [80.0]}),
        categories=pd.DataFrame({C.ACCOUNT_ID: ["MAIN"], C.MOVEMENT_ID: ["M2"], C.CATEGORY: ["bank_fees"]}),
        redone=pd.DataFrame({C.ACCOUNT_ID: ["MAIN", "MAIN"], C.MOVEMENT_ID: ["M1", "M2"]}))


def _last_match(store: Store) -> int:
    """Return the number of the latest match."""
    return int(read_matches(store)[0]["match_id"].max())


def test_each_reconciliation_write_is_audited_under_its_own_action(bank: Store) -> None:
    save_run(bank, _proposal(bank))
    first = _last_match(bank)
    decide(bank, first, "reject", bank.actor.who)
    save_run(bank, _proposal(bank))  # proposed again (a rejected match is not redone), then accepted
    second = _last_match(bank)
    decide(bank, second, "accept", bank.actor.who)
    decide(bank, second, "undo", bank.actor.who)
    third = hand_match(bank, "MAIN", "M1", ["FA-1002"], bank.actor.who)
    assert _actions(bank) == [
        ("reconcile.run", "2 movements looked at: 0 matched automatically, 1 proposed, 0 earlier proposals "
                          "replaced, 1 categories changed"),
        ("reconcile.reject", f"match {first}; movement M1 of MAIN (proposed), invoices FA-1002 (80.00)"),
        ("reconcile.run", "2 movements looked at: 0 matched automatically, 1 proposed, 0 earlier proposals "
                          "replaced, 0 categories changed"),
        ("reconcile.accept", f"match {second}; movement M1 of MAIN (proposed), invoices FA-1002 (80.00)"),
        ("reconcile.undo", f"match {second}; movement M1 of MAIN (accepted), invoices FA-1002 (80.00)"),
        ("reconcile.match", f"match {third}: movement M1 of MAIN, invoices FA-1002 (80.00)"),
    ]
    log = bank.audit_log()
    assert set(log.loc[log["action"].str.startswith("reconcile."), "who"]) == {"editor@example.com"}
    matches = read_matches(bank)[0].set_index("match_id")
    assert matches.at[third, "decided_by"] == "editor@example.com"  # the person, not the server's OS user


def test_each_rule_write_is_audited_with_the_rule(bank: Store) -> None:
    rule_id = add_rule(bank, RULE)
    edited = read_rules(bank)[RULE_COLUMNS]
    edited.loc[edited["label_pattern"] == "MUTUELLE CADRES", "priority"] = 7  # one rule changed
    replace_rules(bank, edited)
    new_id = int(read_rules(bank).set_index("label_pattern").at["MUTUELLE CADRES", "rule_id"])
    assert delete_rule(bank, new_id) is True
    total = len(edited)
    assert _actions(bank) == [
        ("rules.add", f"rule {rule_id}: label ~ MUTUELLE CADRES, counterparty ~ -, debit -> social, priority 5, enabled"),
        ("rules.edit", f"{total} rules before, {total} after: 1 added, 1 removed (a changed rule counts as one of "
                       "each)"),
        ("rules.delete", f"rule {new_id}; label ~ MUTUELLE CADRES, counterparty ~ -, debit -> social, priority 7, enabled"),
    ]


def test_snapshots_are_audited_when_frozen_and_deleted(bank: Store) -> None:
    settings = {"as_of": "2026-03-01", "horizon_weeks": 13, "data_version": 1}
    first = save_snapshot(bank, date(2026, 3, 1), "board of March", settings, False, SNAPSHOT_FLOWS,
                          SNAPSHOT_CLOSINGS)
    second = save_snapshot(bank, date(2026, 3, 1), "", settings, True, SNAPSHOT_FLOWS, SNAPSHOT_CLOSINGS)
    delete_snapshot(bank, first)
    assert _actions(bank) == [
        ("snapshot.create", f"as of 2026-03-01, 13 weeks, by hand, 'board of March'; snapshot {first}: 1 flow "
                            "rows, 1 closing rows"),
        ("snapshot.create", f"as of 2026-03-01, 13 weeks, weekly; snapshot {second}: 1 flow rows, 1 closing rows"),
        ("snapshot.delete", f"snapshot {first}; as of 2026-03-01, by hand, 'board of March'"),
    ]


def test_a_viewer_is_refused_every_bank_side_write_and_nothing_changes(bank: Store) -> None:
    save_run(bank, _proposal(bank))
    proposal = _last_match(bank)
    snapshot_id = save_snapshot(bank, date(2026, 3, 1), "", {"horizon_weeks": 13}, False, SNAPSHOT_FLOWS,
                                SNAPSHOT_CLOSINGS)
    viewer = bank.acting_as(VIEWER)
    checksums = viewer.table_checksums()
    writes = {
        "run the bank matching": lambda: auto_match(viewer),
        "accept bank matches": lambda: decide(viewer, proposal, "accept", VIEWER.who),
        "reject bank matches": lambda: decide(viewer, proposal, "reject", VIEWER.who),
        "undo bank matches": lambda: decide(viewer, proposal, "undo", VIEWER.who),
        "match bank movements by hand": lambda: hand_match(viewer, "MAIN", "M1", ["FA-1002"], VIEWER.who),
        "add categorisation rules": lambda: add_rule(viewer, RULE),
        "change the categorisation rules": lambda: replace_rules(viewer, read_rules(viewer)[RULE_COLUMNS]),
        "delete categorisation rules": lambda: delete_rule(viewer, 1),
        "freeze the forecast": lambda: save_snapshot(viewer, date(2026, 3, 1), "", {}, False, SNAPSHOT_FLOWS,
                                                     SNAPSHOT_CLOSINGS),
        "delete snapshots": lambda: delete_snapshot(viewer, snapshot_id),
    }
    for words, write in writes.items():
        with pytest.raises(AccessDenied, match=rf"^viewer@example.com \(viewer\) may not {words}: this needs the "
                                               "editor role"):
            write()
    assert viewer.table_checksums() == checksums


def test_a_change_that_finds_nothing_to_do_writes_nothing(bank: Store) -> None:
    """The one rule (Store.transaction): nothing to do, nothing written, no audit line; the caller is told."""
    replace_planned_flows(bank, FLOWS)
    bank.save_scenario("Base", "{}")
    checksums = bank.table_checksums()
    assert bank.delete_scenario("Missing") is False
    assert delete_rule(bank, 999) is False
    replace_rules(bank, read_rules(bank)[RULE_COLUMNS])  # the rules saved as they are
    replace_planned_flows(bank, bank.read_ledger().planned_flows)  # the planned flows saved as they are
    save_run(bank, MatchRun(*(pd.DataFrame(columns=["key"]),) * 2,  # a run that finds nothing new
                            categories=pd.DataFrame(columns=[C.ACCOUNT_ID, C.MOVEMENT_ID, C.CATEGORY]),
                            redone=pd.DataFrame(columns=[C.ACCOUNT_ID, C.MOVEMENT_ID])))
    assert bank.table_checksums() == checksums  # audit_log, import_log and meta's data_version included
    assert [a for a, _ in _actions(bank)] == ["planned-flows.edit", "scenario.save"]
