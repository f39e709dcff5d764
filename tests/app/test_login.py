"""The optional login (pages/widgets/identity.py, login.py) under AppTest: an anonymous visitor sees the sign-in page
alone; a viewer reads but gets no import or save control, and a write from their session is refused by the store;
an editor imports and saves; without an [auth] section nothing changes (every visitor is the local admin)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from forecasting.core import access
from forecasting.core.errors import AccessDenied
from forecasting.store.database import Store
from pages.widgets import identity
from pages.widgets.common import get_store, shared_store
from tests.fixtures.app import AUTH, ROLES, app_as, app_on, navigation_only


def _as(db: Path, monkeypatch: pytest.MonkeyPatch, user: dict[str, object], page: str | None = None) -> AppTest:
    """Return the app on `db` with a login configured, run as `user` (on `page` when given)."""
    return app_as(db, monkeypatch, user, page)


def test_an_anonymous_visitor_sees_only_the_sign_in_page(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _as(demo_db, monkeypatch, {"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.dataframe and not at.sidebar.date_input  # no figure, no sidebar of the app
    assert not at.file_uploader  # a page's own address is checked in the browser (tests/e2e/test_login.py)


def test_a_viewer_gets_no_import_or_save_control(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _as(demo_db, monkeypatch, {"is_logged_in": True, "email": "Auditor@example.com"}, "pages/data.py")
    assert not at.exception
    assert not at.file_uploader
    assert not [b for b in at.button if b.key in ("flows_save", "empty_go", "admin_demo")]
    assert any("Your role (viewer) is read-only (read and export): importing files needs the editor role" in c.value
               for c in at.caption)
    assert "Signed in as Auditor@example.com (viewer)" in [c.value for c in at.sidebar.caption]
    at.switch_page("pages/whatif.py").run()
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "Save these levers" not in labels and "Delete" not in labels
    assert any("saving scenarios needs the editor role" in c.value for c in at.caption)


def test_a_write_from_a_viewers_session_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What a page's store does for a viewer, whatever control was drawn: the store refuses the change."""
    monkeypatch.setenv("CASHPILOT_DB", str(tmp_path / "v.duckdb"))
    monkeypatch.setattr(identity, "current_actor",
                        lambda: access.Actor("auditor@example.com", access.Role.VIEWER, "dashboard"))
    monkeypatch.setattr("pages.widgets.common.current_actor", identity.current_actor)
    shared_store.clear()
    store = get_store()
    with pytest.raises(AccessDenied, match="viewer"):
        store.save_scenario("Mine", "{}")
    assert store.audit_log().empty


def test_an_editor_imports_and_saves(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _as(demo_db, monkeypatch, {"is_logged_in": True, "email": "ed@example.com"}, "pages/data.py")
    assert not at.exception and at.file_uploader
    at.switch_page("pages/whatif.py").run()
    assert "Save these levers" in [b.label for b in at.button]


def test_a_person_without_a_role_is_told_so(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    navigation_only(monkeypatch)
    at = app_on(demo_db, monkeypatch)
    at.secrets["auth"] = AUTH
    at.secrets["cashpilot"] = {"roles": {**ROLES, "default": "none"}}
    at.user = {"is_logged_in": True, "email": "stranger@example.com"}
    at.run()
    assert any("stranger@example.com has no access" in w.value for w in at.warning)
    assert [b.label for b in at.button] == ["Sign out"] and not at.metric


def test_a_wrong_role_setting_is_named(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    navigation_only(monkeypatch)
    at = app_on(demo_db, monkeypatch)
    at.secrets["auth"] = AUTH
    at.secrets["cashpilot"] = {"roles": {"admins": "chief@example.com"}}
    at.user = {"is_logged_in": True, "email": "chief@example.com"}
    at.run()
    assert not at.exception
    assert "admins: expected a list of e-mail addresses" in at.error[0].value and not at.metric


def test_without_a_login_every_visitor_is_the_local_admin(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    navigation_only(monkeypatch)
    at = app_on(demo_db, monkeypatch).run()
    at.switch_page("pages/data.py").run()
    assert at.file_uploader and not at.info
    assert not [c for c in at.sidebar.caption if "Signed in" in c.value]


def test_an_admin_starts_from_empty_and_reads_the_audit_table(demo_db: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "admin.duckdb"
    db.write_bytes(demo_db.read_bytes())
    at = _as(db, monkeypatch, {"is_logged_in": True, "email": "chief@example.com"}, "pages/data.py")
    assert not at.exception
    at.checkbox(key="empty_sure").check().run()
    at.button(key="empty_go").click().run()
    assert not at.exception
    store = Store(db)
    assert store.status()["counts"]["receivables"] == 0
    latest = store.audit_log().iloc[0]
    assert (latest["who"], latest["role"], latest["via"], latest["action"], latest["details"]) == (
        "chief@example.com", "admin", "dashboard", "database.empty", latest["details"])
    assert latest["details"].startswith("scenarios kept; removed: ")
    audit = next(m.value for m in at.markdown if "| When (UTC) | Who |" in m.value)  # the administration's table
    assert "| chief@example.com | admin | dashboard | database.empty | scenarios kept; removed: " in audit.splitlines()[2]


def test_an_editor_has_no_administration(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _as(demo_db, monkeypatch, {"is_logged_in": True, "email": "ed@example.com"}, "pages/data.py")
    assert not at.exception
    assert not [b for b in at.button if b.key in ("empty_go", "admin_demo")]
    assert "Administration" not in [e.label for e in at.expander]
    assert at.button(key="flows_save")  # an editor edits the planned flows
