"""The error boundary (pages/widgets/errors.py): an unexpected error shows a treasurer's message, never a path or
a traceback, and the server's log keeps the detail under the reference the message gives."""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from forecasting.core.errors import InputError
from forecasting.store.database import Store
from pages.widgets import errors
from tests.fixtures.app import run_page
from tests.fixtures.demo import ROOT

SECRET_PATH = "/srv/cashpilot/forecasting/store/database.py"


def _texts(at: AppTest) -> str:
    """Return every text the page shows (alerts, markdown, captions, titles, exceptions)."""
    elements = [*at.error, *at.warning, *at.info, *at.success, *at.markdown, *at.caption, *at.title, *at.header,
                *at.subheader, *at.text]
    return "\n".join(str(e.value) for e in elements) + "\n".join(str(e.value) for e in at.exception)


def _failing_import_log(self: Store, limit: int = 100) -> None:
    raise RuntimeError(f"unexpected failure in {SECRET_PATH}, line 139")


def test_an_unexpected_error_shows_a_message_and_logs_the_traceback(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv(errors.RAISE_ENV, raising=False)  # as a deployed server runs
    monkeypatch.setattr(Store, "import_log", _failing_import_log)  # the Data page reads the import history
    with caplog.at_level(logging.ERROR, logger="cashpilot.pages"):
        at = run_page(demo_db, "en", "pages/data.py", monkeypatch)
    assert not at.exception  # Streamlit's own exception box is not used
    shown = _texts(at)
    assert SECRET_PATH not in shown and "Traceback" not in shown and "RuntimeError" not in shown
    message = next(e.value for e in at.error if "internal error" in e.value)
    reference = re.search(r"reference ([0-9a-f]{8})", message)
    assert reference, message
    logged = [r for r in caplog.records if r.name == "cashpilot.pages"]
    assert len(logged) == 1 and reference.group(1) in logged[0].getMessage()
    assert logged[0].exc_info and SECRET_PATH in str(logged[0].exc_info[1])  # the detail is in the server's log
    assert at.title[0].value == "Data"  # what the page drew before the error stays


def test_the_message_speaks_the_visitors_language(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(errors.RAISE_ENV, raising=False)
    monkeypatch.setattr(Store, "import_log", _failing_import_log)
    at = run_page(demo_db, "fr", "pages/data.py", monkeypatch)
    assert any("erreur interne" in e.value and SECRET_PATH not in e.value for e in at.error)


def test_a_user_error_shows_its_own_message(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(self: Store, limit: int = 100) -> None:
        raise InputError("the database is being written by another program: try again in a minute")

    monkeypatch.delenv(errors.RAISE_ENV, raising=False)
    monkeypatch.setattr(Store, "import_log", refused)
    at = run_page(demo_db, "en", "pages/data.py", monkeypatch)
    assert [e.value for e in at.error] == ["the database is being written by another program: try again in a minute"]


def test_the_test_suite_still_sees_unexpected_errors_as_exceptions(demo_db: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(errors.RAISE_ENV, "1")
    monkeypatch.setattr(Store, "import_log", _failing_import_log)
    at = run_page(demo_db, "en", "pages/data.py", monkeypatch)
    assert at.exception  # so `assert not at.exception` in the other page tests keeps its meaning


def test_streamlit_itself_never_sends_a_traceback_to_the_browser() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # "none": generic message only; "type" would send the exception's type, "stacktrace"/"full" the traceback
    assert config["client"]["showErrorDetails"] == "none"
