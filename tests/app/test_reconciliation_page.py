"""AppTest of the Reconciliation page on the demo as `cashpilot demo` loads it: proposals, decisions, rules, French;
with a login, a viewer's read-only page and an editor's audited decision."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.demo.movements import EXPORT_LAG_BDAYS
from forecasting.reconcile.run import auto_match
from forecasting.store.database import Store
from forecasting.store.reconciliation import read_matches
from tests.fixtures.app import EDITOR_EMAIL, VIEWER_EMAIL, app_as, app_on, signed_in
from tests.fixtures.demo import DEMO_TODAY

PAGE = "pages/reconciliation.py"


@pytest.fixture(scope="module")
def bank_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a database holding the demo with its bank, matched as `cashpilot demo` leaves it."""
    path = tmp_path_factory.mktemp("bank") / "bank.duckdb"
    data = demo.generate(seed=42, scale=1.0, today=DEMO_TODAY, export_lag_bdays=EXPORT_LAG_BDAYS)
    store = Store(path)
    store.replace_all(Ledger.from_object(data), data.bank_movements, data.account_ibans)
    auto_match(store)
    return path


@pytest.fixture
def db(bank_db: Path, tmp_path: Path) -> Path:
    """Return a copy of the matched demo database that a test may change."""
    return Path(shutil.copy(bank_db, tmp_path / "bank.duckdb"))


def _by_category(at: object) -> pd.DataFrame:
    """Return the table of unmatched movements by category."""
    return next(d.value for d in at.dataframe if "movements" in d.value.columns)  # type: ignore[attr-defined]


def _proposals(db: Path) -> int:
    """Return how many proposals wait in the database."""
    matches, _ = read_matches(Store(db))
    return int((matches["status"] == "proposed").sum())


def test_the_page_shows_the_counts_proposals_and_categories(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(db, monkeypatch).run()
    at.switch_page(PAGE).run()

    assert not at.exception, at.exception
    assert at.title[0].value == "Reconciliation"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Movements"] == "20,828"
    assert int(metrics["Proposals"]) == _proposals(db) > 10
    proposals = at.dataframe[0].value
    assert proposals["confidence"].is_monotonic_decreasing and proposals["reason"].str.len().min() > 5
    categories = _by_category(at).set_index("category")
    assert {"Card receipts", "Bank fees"} <= set(categories.index)


def test_accepting_a_proposal_pays_its_invoices(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _proposals(db)
    at = app_on(db, monkeypatch).run()
    at.switch_page(PAGE).run()
    chosen = at.selectbox(key="proposal").value

    at.button(key="accept").click().run()

    assert not at.exception, at.exception
    assert at.success[0].value.startswith(f"Match {chosen} accepted")
    matches, allocations = read_matches(Store(db))
    assert matches.set_index("match_id").at[chosen, "status"] == "accepted"
    paid = allocations[allocations["match_id"] == chosen][C.INVOICE_ID]
    receivables = Store(db).read_ledger().receivables.set_index(C.INVOICE_ID)
    assert len(paid) and (receivables.loc[list(paid), C.STATUS] == "paid").all()
    assert _proposals(db) < before


def test_rejecting_then_a_bad_rule_is_refused_with_a_message(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(db, monkeypatch).run()
    at.switch_page(PAGE).run()
    chosen = at.selectbox(key="proposal").value
    at.button(key="reject").click().run()
    assert at.success[0].value.startswith(f"Match {chosen} rejected")

    before = Store(db).table_checksums()
    at.session_state["rules_editor"] = {"edited_rows": {0: {"label_pattern": "SALAIRE("}}, "added_rows": [],
                                        "deleted_rows": []}
    at.button(key="save_rules").click().run()
    assert at.error[0].value.startswith("rule 1: 'SALAIRE(' is not a valid pattern")
    assert Store(db).table_checksums() == before


def test_the_page_speaks_french(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(db, monkeypatch, "fr").run()
    at.switch_page(PAGE).run()

    assert not at.exception, at.exception
    assert at.title[0].value == "Rapprochement bancaire"
    assert "Propositions" in {m.label for m in at.metric}
    assert "Remises carte bancaire" in set(_by_category(at)["category"])


WRITE_KEYS = ("run_matching", "accept", "reject", "undo", "hand_match", "save_rules")


def test_a_viewer_reads_the_matches_and_rules_with_no_write_control(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_as(db, monkeypatch, signed_in(VIEWER_EMAIL), PAGE)
    assert not at.exception, at.exception
    assert int({m.label: m.value for m in at.metric}["Proposals"]) == _proposals(db)  # the same figures
    assert not [b for b in at.button if b.key in WRITE_KEYS]
    assert not at.data_editor and not at.selectbox(key="category_shown").disabled  # reading stays
    assert not [s for s in at.selectbox if s.key in ("proposal", "undo_choice", "hand_movement")]
    assert any("label_pattern" in d.value.columns for d in at.dataframe)  # the rules, as a table to read
    assert [c.value for c in at.caption if "read-only" in c.value] == [
        ":material/lock: Your role (viewer) is read-only (read and export): matching bank movements and editing the "
        "rules needs the editor role."]


def test_an_editor_decides_and_the_audit_table_names_them(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_as(db, monkeypatch, signed_in(EDITOR_EMAIL), PAGE)
    assert {b.key for b in at.button} >= set(WRITE_KEYS) - {"undo"} and at.data_editor
    assert not [c for c in at.caption if "read-only" in c.value]
    chosen = at.selectbox(key="proposal").value
    at.button(key="accept").click().run()
    assert not at.exception, at.exception
    line = Store(db).audit_log().iloc[0]
    assert (line["who"], line["role"], line["via"], line["action"]) == (
        EDITOR_EMAIL, "editor", "dashboard", "reconcile.accept")
    assert line["details"].startswith(f"match {chosen}; movement ") and "invoices " in line["details"]
    assert read_matches(Store(db))[0].set_index("match_id").at[chosen, "decided_by"] == EDITOR_EMAIL
