"""The audit table (migration 4): every change is written with who, role, through what, when and what; a refused or
failed change writes nothing, not even its audit line; the role is checked in the function that writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import access
from forecasting.core.access import Actor, Role
from forecasting.core.errors import AccessDenied, InputError
from forecasting.core.ledger import Ledger
from forecasting.ingest.edits import replace_planned_flows
from forecasting.store.database import Store
from forecasting.store.schema import DATA_TABLES
from tests.fixtures.ingest import INVOICE_HEADER, run_import, write_text

VIEWER = Actor("viewer@example.com", Role.VIEWER, "dashboard")
EDITOR = Actor("editor@example.com", Role.EDITOR, "dashboard")
FLOWS = pd.DataFrame({"label": ["Rent"], "category": ["rent"], "amount": [-3000.0], "first_date": ["2026-12-01"],
                      "recurrence": ["monthly"]})
ROWS = "A-1,Client A,2026-01-05,2026-02-04,500.00,\nA-2,Client A,2026-01-06,2026-02-05,250.00,2026-02-01\n"


def _audit(store: Store) -> list[tuple[str, str, str, str, str]]:
    """Return the audit lines oldest first: (who, role, via, action, details)."""
    log = store.audit_log().iloc[::-1]
    return list(log[["who", "role", "via", "action", "details"]].itertuples(index=False, name=None))


def test_every_change_is_audited_with_who_and_what(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.duckdb").acting_as(EDITOR)
    before = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    run_import(store, write_text(tmp_path / "ar.csv", INVOICE_HEADER + ROWS))
    assert store.save_scenario("Cut DSO", '{"levers": []}') is False
    assert store.save_scenario("Cut DSO", '{"levers": [1]}') is True
    assert store.delete_scenario("Cut DSO") is True
    store.save_mapping_profile("erp", "receivables", {"amount_ttc": "Montant"})
    assert _audit(store) == [
        ("editor@example.com", "editor", "dashboard", "import.receivables",
         "ar.csv: 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 rejected; 1 payment inserted; 1 counterparty added"),
        ("editor@example.com", "editor", "dashboard", "scenario.save", "Cut DSO; new"),
        ("editor@example.com", "editor", "dashboard", "scenario.save", "Cut DSO; replaced"),
        ("editor@example.com", "editor", "dashboard", "scenario.delete", "Cut DSO"),
        ("editor@example.com", "editor", "dashboard", "mapping.save", "erp (receivables)"),
    ]
    when = store.audit_log()["changed_at"]
    assert (when >= before).all() and (when <= datetime.now(UTC).replace(tzinfo=None)).all()  # UTC


def test_a_viewer_is_refused_in_the_functions_that_write_and_nothing_changes(tmp_path: Path) -> None:
    owner = Store(tmp_path / "b.duckdb")
    owner.save_scenario("Base", '{"levers": []}')
    store = owner.acting_as(VIEWER)
    checksums = store.table_checksums()
    for write in (lambda: run_import(store, write_text(tmp_path / "ar.csv", INVOICE_HEADER + ROWS)),
                  lambda: store.save_scenario("Mine", "{}"),
                  lambda: store.delete_scenario("Base"),
                  lambda: store.save_mapping_profile("erp", "receivables", {}),
                  lambda: store.replace_all(Ledger.empty()),
                  lambda: store.start_from_empty(keep_scenarios=True),
                  lambda: replace_planned_flows(store, FLOWS)):
        with pytest.raises(AccessDenied, match=r"viewer@example.com \(viewer\) may not"):
            write()
    assert store.table_checksums() == checksums  # audit_log included: a refusal writes no line either
    assert list(store.scenarios()["name"]) == ["Base"]


def test_only_an_admin_replaces_the_whole_database(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.duckdb")
    with pytest.raises(AccessDenied, match=r"\(editor\) may not replace the whole database"):
        store.acting_as(EDITOR).replace_all(Ledger.empty())
    store.acting_as(Actor("chief@example.com", Role.ADMIN, "dashboard")).replace_all(Ledger.empty())
    assert _audit(store)[-1] == ("chief@example.com", "admin", "dashboard", "database.replace",
                                  "every data table replaced: " + ", ".join(f"0 {t.replace('_', ' ')}" for t in DATA_TABLES))


def test_emptying_is_for_an_admin_and_planned_flow_edits_for_an_editor(tmp_path: Path) -> None:
    store = Store(tmp_path / "f.duckdb")
    replace_planned_flows(store.acting_as(EDITOR), FLOWS)
    with pytest.raises(AccessDenied, match=r"\(editor\) may not empty the database: this needs the admin role"):
        store.acting_as(EDITOR).start_from_empty(keep_scenarios=False)
    store.acting_as(Actor("chief@example.com", Role.ADMIN, "dashboard")).start_from_empty(keep_scenarios=False)
    assert _audit(store) == [
        ("editor@example.com", "editor", "dashboard", "planned-flows.edit", "0 planned flows before, 1 saved"),
        ("chief@example.com", "admin", "dashboard", "database.empty", "scenarios removed; removed: 1 planned_flows, 10 category_rules, 1 import_log"),
    ]


def test_a_failed_change_leaves_no_audit_line(tmp_path: Path) -> None:
    store = Store(tmp_path / "d.duckdb").acting_as(EDITOR)
    store.status()
    checksums = store.table_checksums()
    with pytest.raises(InputError):
        run_import(store, write_text(tmp_path / "bad.csv", INVOICE_HEADER + ROWS.replace("2026-02-04", "2026-02-31")))
    with pytest.raises(RuntimeError), store.transaction(access.import_action("receivables"), "x"):
        raise RuntimeError("disk full")
    assert store.table_checksums() == checksums and _audit(store) == []


def test_the_command_line_is_audited_as_the_os_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access.getpass, "getuser", lambda: "marie")
    store = Store(tmp_path / "e.duckdb")  # what the CLI opens
    store.save_scenario("Plan B", "{}")
    assert _audit(store) == [("marie", "admin", "cli", "scenario.save", "Plan B; new")]
