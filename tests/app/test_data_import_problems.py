"""An import the Data page cannot run as it is says why in the page's language and names the page's own controls
("Dates in the file", the column choices), not the command line's flags (--date-format, --map)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from forecasting.i18n.translate import tr
from tests.fixtures.app import app_on

US_DATES = (b"invoice_id,counterparty_id,issue_date,due_date,amount_ttc\n"
            b"U-1,C1,12/25/2026,01/24/2027,100.00\nU-2,C1,11/02/2026,12/02/2026,50.00\n")
NO_AMOUNT = b"invoice_id,counterparty_id,issue_date\nF-1,C1,2026-01-15\n"


def _imported(db: Path, monkeypatch: pytest.MonkeyPatch, language: str, data: bytes) -> AppTest:
    """Return the Data page after `data` was uploaded as ar.csv and Import clicked."""
    at = app_on(db, monkeypatch, language).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="import_file").upload("ar.csv", data, "text/csv")
    at.run()
    at.button(key="import_go").click().run()
    return at


@pytest.mark.parametrize("language", ["en", "fr"])
def test_us_dates_are_explained_with_the_page_s_date_choice_and_import_once_it_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    at = _imported(tmp_path / "us.duckdb", monkeypatch, language, US_DATES)
    message = at.error[0].value
    assert tr("Dates in the file", language) in message and "12/31/2026" in message
    assert "--" not in message and not at.success
    at.selectbox(key="import_date_format").select("%m/%d/%Y").run()
    at.button(key="import_go").click().run()
    assert not at.error and at.success, [e.value for e in at.error]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_required_field_without_a_column_is_named_as_the_page_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    at = _imported(tmp_path / "cols.duckdb", monkeypatch, language, NO_AMOUNT)
    message = at.error[0].value
    assert tr("Amount", language) in message and "--map" not in message and not at.success
