"""Every page of the dashboard as a viewer and as an editor, with a login configured (tests/fixtures/app.py): a
viewer meets no write control on any page (no uploader, editable table, or button or form that changes data) and,
where the page has some, one caption saying the role is read-only; an editor meets the page's controls.
The store refuses a viewer's write anyway (tests/store/test_audit.py, tests/store/test_audit_actions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.app import EDITOR_EMAIL, PAGES, VIEWER_EMAIL, app_as, open_tab, signed_in
from tests.fixtures.bank_snapshots import demo_with_bank

# The buttons that change data, by key or (without a key) by label.
WRITE_KEYS = {"import_go", "flows_save", "empty_go", "admin_demo", "run_matching", "accept", "reject", "undo",
              "hand_match", "save_rules", "fva_delete"}
WRITE_LABELS = {"Save these levers", "Delete", "Freeze this forecast"}
# What an editor meets on each page that writes: a button's key or label, "uploader", or "editor" (an editable table).
EDITOR_CONTROLS = {
    "pages/data.py": {"uploader", "flows_save", "editor"},
    "pages/whatif.py": {"Save these levers"},
    "pages/outlook.py": {"Freeze this forecast"},
    "pages/reconciliation.py": {"run_matching", "hand_match", "save_rules", "editor"},
    "pages/forecast_vs_actual.py": {"Delete this snapshot"},
}
# Where a page draws its write controls in a tab drawn on demand: the tab, opened before looking.
TAB_OF_CONTROLS = {"pages/outlook.py": "Exports and snapshot"}


@pytest.fixture(scope="module")
def bank_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the demo with bank movements and a snapshot: every page has something to show."""
    path = tmp_path_factory.mktemp("roles") / "roles.duckdb"
    demo_with_bank(demo_db, path)
    return path


def _controls(at: object) -> set[str]:
    """Return the write controls drawn: button keys and labels, 'uploader', 'editor', and the expanders' labels."""
    found = {b.key for b in at.button if b.key in WRITE_KEYS} | {  # type: ignore[attr-defined]
        b.label for b in at.button if b.label in WRITE_LABELS}  # type: ignore[attr-defined]
    found |= {"uploader"} if at.file_uploader else set()  # type: ignore[attr-defined]
    found |= {"editor"} if at.data_editor else set()  # type: ignore[attr-defined]
    return found | {e.label for e in at.expander if e.label == "Delete this snapshot"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("page", PAGES)
def test_a_viewer_meets_no_write_control(bank_db: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_as(bank_db, monkeypatch, signed_in(VIEWER_EMAIL), page)
    if page in TAB_OF_CONTROLS:
        open_tab(at, TAB_OF_CONTROLS[page])
    assert not at.exception, at.exception
    assert at.title  # the page was drawn, for reading
    assert _controls(at) == set()
    notices = [c.value for c in at.caption if "is read-only (read and export)" in c.value]
    assert len(notices) == (1 if page in EDITOR_CONTROLS else 0), notices


@pytest.mark.parametrize("page", PAGES)
def test_an_editor_meets_the_page_s_controls(bank_db: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_as(bank_db, monkeypatch, signed_in(EDITOR_EMAIL), page)
    if page in TAB_OF_CONTROLS:
        open_tab(at, TAB_OF_CONTROLS[page])
    assert not at.exception, at.exception
    assert _controls(at) >= EDITOR_CONTROLS.get(page, set())
    assert not [c for c in at.caption if "is read-only" in c.value]
