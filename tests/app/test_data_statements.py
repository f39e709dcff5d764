"""AppTest: the Data page imports a bank statement (format detected, accounts created on request), in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.app import app_on

FILES = Path(__file__).resolve().parents[1] / "ingest" / "bank" / "files"


def _uploaded(db: Path, monkeypatch: pytest.MonkeyPatch, name: str, language: str | None = None):  # noqa: ANN202
    """Return the Data page after choosing 'Bank statement' and uploading a hand-made statement file."""
    at = app_on(db, monkeypatch, language).run()
    at.switch_page("pages/data.py").run()
    at.selectbox(key="import_kind").set_value("bank-statement").run()
    at.file_uploader(key="import_file").upload(name, (FILES / name).read_bytes(), "application/octet-stream")
    return at.run()


def test_a_cfonb_file_is_detected_and_imported_with_its_accounts(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The format and contents are shown; an unknown account is refused until 'create' is ticked."""
    at = _uploaded(tmp_path / "st.duckdb", monkeypatch, "two_accounts.cfonb")
    assert not at.exception
    assert at.info[0].value == "Format detected: CFONB 120"
    assert at.caption[0].value.startswith("3 statements, 2 accounts, 4 movements from 2026-03-02 to 2026-03-03")
    at.button(key="import_go").click().run()
    assert "no account with IBAN FR7630006000011234567890189 in the database" in at.error[0].value
    at.checkbox(key="import_create_accounts").check().run()
    at.button(key="import_go").click().run()
    assert not at.exception
    assert at.success[0].value == ("two_accounts.cfonb: 4 rows read, 4 inserted, 0 updated, 0 unchanged, "
                                   "0 rejected; 3 statements read; 5 balances inserted; 2 accounts created")
    history = next(d.value for d in at.dataframe if "file_name" in d.value.columns)
    assert history["file_name"].iloc[0] == "two_accounts.cfonb" and history["source"].iloc[0] == "CFONB 120"


def test_the_page_speaks_french_and_names_a_bad_file_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """French labels; a statement that does not balance is refused with its line (the reason stays English)."""
    text = (FILES / "two_days.mt940").read_text(encoding="utf-8").replace("11167,55", "11267,55")
    at = app_on(tmp_path / "fr.duckdb", monkeypatch, "fr").run()
    at.switch_page("pages/data.py").run()
    at.selectbox(key="import_kind").set_value("bank-statement").run()
    at.file_uploader(key="import_file").upload("two_days.mt940", text.encode(), "application/octet-stream")
    at.run()
    assert not at.exception
    assert "line 18: the statement of account FR7630006000011234567890189 on 2026-03-03 does not balance" in \
        at.error[0].value
    good = _uploaded(tmp_path / "fr2.duckdb", monkeypatch, "two_days.camt053.001.02.xml", "fr")
    assert good.info[0].value == "Format reconnu : camt.053"
    assert good.caption[0].value.startswith("2 relevés, 1 compte, 3 mouvements du 02/03/2026 au 03/03/2026")
