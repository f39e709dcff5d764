"""AppTest of the Data page's editors: planned flows saved from the table, and starting from empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forecasting.i18n.translate import tr
from forecasting.store.database import Store
from tests.fixtures.app import app_on

pytestmark = pytest.mark.app


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_planned_flows_are_saved_from_the_table_and_the_data_can_be_emptied(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, db)
    store = Store(db)
    flows_before = store.read_ledger().planned_flows
    at = app_on(db, monkeypatch, language).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert tr("Planned flows", language) in [h.value for h in at.subheader]
    at.button(key="flows_save").click().run()  # saved as shown: the same flows, checked again
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    assert len(at.success) == 1, [s.value for s in at.success]
    assert store.read_ledger().planned_flows.equals(flows_before)
    assert at.button(key="empty_go").disabled  # not before the box is ticked
    at.checkbox(key="empty_keep_scenarios").uncheck()
    at.checkbox(key="empty_sure").check().run()
    at.button(key="empty_go").click().run()
    assert not at.exception, at.exception
    assert tr("The database is empty. Import your files above.", language) in [s.value for s in at.success]
    assert sum(store.status()["counts"].values()) == 0 and store.scenarios().empty
    assert not at.checkbox(key="empty_sure").value  # the next removal asks again
