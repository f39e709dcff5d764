"""Uploads on the Data page (pages/data.py): the temporary copy of an uploaded file never outlives the run that read
it, whether the import succeeds, is refused or fails; and the upload limit is the documented one."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import forecasting.ingest.pipeline
from forecasting.store.database import Store
from tests.fixtures.app import app_on
from tests.fixtures.demo import ROOT

STATEMENTS = ROOT / "tests" / "ingest" / "bank" / "files"
CSV = (b"invoice_id,counterparty_id,issue_date,due_date,amount_ttc\n"
       b"F001,C1,2026-01-15,2026-02-14,1234.56\n"
       b"F002,C1,2026-01-20,2026-03-19,2000.00\n")
BAD_ROW = CSV.replace(b"2026-02-14", b"2026-02-31")


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the folder the page writes its temporary copies to ($TMPDIR for the page's run)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _left(folder: Path) -> list[str]:
    """Return the page's temporary files left in `folder`."""
    return sorted(p.name for p in folder.glob("cashpilot-*"))


def _uploaded(db: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> AppTest:
    """Return the Data page after a file was chosen (the preview has read it)."""
    at = app_on(db, monkeypatch).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="import_file").upload("ar.csv", data, "text/csv")
    return at.run()


def test_the_copy_read_for_the_preview_is_deleted(tmp_path: Path, temp_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = _uploaded(tmp_path / "a.duckdb", monkeypatch, CSV)
    assert not at.exception and at.selectbox(key="map_receivables_amount").value == "amount_ttc"  # it was read
    assert _left(temp_dir) == []


def test_the_copy_is_deleted_after_an_import(tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _uploaded(tmp_path / "b.duckdb", monkeypatch, CSV)
    at.button(key="import_go").click().run()
    assert "2 rows read, 2 inserted" in at.success[0].value
    assert _left(temp_dir) == []


def test_the_copy_and_the_rejected_rows_are_deleted_after_a_refused_import(
        tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _uploaded(tmp_path / "c.duckdb", monkeypatch, BAD_ROW)
    at.button(key="import_go").click().run()
    assert "nothing was imported" in at.error[0].value
    assert _left(temp_dir) == []
    at.checkbox(key="import_skip").check().run()
    at.button(key="import_go").click().run()  # the valid row imported, the invalid one set aside in a rejects file
    assert "1 inserted" in at.success[0].value and at.get("download_button")
    assert _left(temp_dir) == []


def test_the_copy_is_deleted_when_the_import_fails_unexpectedly(
        tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError("out of memory")

    at = _uploaded(tmp_path / "d.duckdb", monkeypatch, CSV)
    monkeypatch.setattr(forecasting.ingest.pipeline, "import_file", broken)
    at.button(key="import_go").click().run()
    assert at.exception  # the suite re-raises (tests/conftest.py); a server shows the treasurer's message
    assert _left(temp_dir) == []


def test_the_upload_limit_is_the_one_the_readme_gives() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = config["server"]["maxUploadSize"]
    assert 50 <= limit <= 500  # above any real export, below what a server's memory takes twice over
    assert f"{limit} MB" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_bank_statements_copy_is_deleted_after_its_import_and_the_import_is_audited(
        tmp_path: Path, temp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "two_accounts.cfonb"
    at = app_on(tmp_path / "e.duckdb", monkeypatch).run()
    at.switch_page("pages/data.py").run()
    at.selectbox(key="import_kind").set_value("bank-statement").run()
    at.file_uploader(key="import_file").upload(name, (STATEMENTS / name).read_bytes(), "application/octet-stream")
    at.run()
    assert at.info[0].value == "Format detected: CFONB 120" and _left(temp_dir) == []
    at.checkbox(key="import_create_accounts").check().run()
    at.button(key="import_go").click().run()
    assert not at.exception and "4 inserted" in at.success[0].value
    assert _left(temp_dir) == []
    line = Store(tmp_path / "e.duckdb").audit_log().iloc[0]
    assert (line["action"], line["via"]) == ("import.bank-statement", "dashboard")
    assert line["details"].startswith("two_accounts.cfonb: 4 rows read")
