"""AppTest of the Cash outlook's 13-week treasury table, cached per data version: each period and language its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import pages.widgets.treasury
from forecasting.i18n.translate import tr
from tests.fixtures.app import app_on, navigation_only, open_tab

pytestmark = pytest.mark.app


def _treasury_text(at, language: str) -> str:
    """Return the treasury table's markdown (the table whose first row is the status of each period)."""
    status = f"| {tr('Status', language)} |"
    return next(m.value for m in at.markdown if status in m.value)


def test_the_treasury_table_is_computed_once_and_follows_the_period_and_the_language(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    computed: list[str] = []
    original = pages.widgets.treasury.treasury_table

    def counting(*args: object, **kwargs: object) -> object:
        computed.append(str(args[5]))  # the period
        return original(*args, **kwargs)

    monkeypatch.setattr(pages.widgets.treasury, "treasury_table", counting)
    navigation_only(monkeypatch)  # every run through app.py, sidebar (language switch) included, as the server does
    at = app_on(demo_db, monkeypatch, "en").run()
    assert not at.exception, at.exception
    assert computed == []  # its tab is closed on the page's first run: nothing computed (tests/app/test_outlook_tabs.py)
    open_tab(at, "13-week treasury table")
    weekly_en = _treasury_text(at, "en")
    at.run()
    assert computed == ["week"]  # a second run reads it from the cache
    assert _treasury_text(at, "en") == weekly_en

    at.radio(key="lang").set_value("fr").run()  # the sidebar's language switch: the tab stays open, in French
    weekly_fr = _treasury_text(at, "fr")
    assert computed == ["week"]  # the same table, written in French
    assert tr("Week of", "fr") in weekly_fr and tr("Week of", "en") not in weekly_fr

    at.button_group(key="treasury_period").set_value("month").run()
    assert computed == ["week", "month"]
    monthly = _treasury_text(at, "fr")
    assert tr("Month", "fr") in monthly and monthly != weekly_fr
