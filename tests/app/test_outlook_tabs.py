"""AppTest of the Cash outlook's tabs (issue 17): what is below the charts is computed and sent only when its tab is
opened; the open tab and a closed tab's choices outlive a rerun (horizon, language, another tab)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pages.widgets.downloads
import pages.widgets.treasury
import pages.widgets.week_detail
from forecasting.i18n.translate import tr
from tests.fixtures.app import OUTLOOK_TABS, app_on, navigation_only, open_tab

pytestmark = pytest.mark.app


def _counting(calls: list[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Return `function`, noting `name` in `calls` each time it is called."""
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return function(*args, **kwargs)
    return counted


def test_the_first_run_draws_the_week_table_and_computes_nothing_of_the_closed_tabs(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for module, name in ((pages.widgets.treasury, "treasury_table"), (pages.widgets.week_detail, "week_detail"),
                         (pages.widgets.downloads, "export_source"), (pages.widgets.treasury, "snapshot_button")):
        monkeypatch.setattr(module, name, _counting(calls, name, getattr(module, name)))
    at = app_on(demo_db, monkeypatch, "en").run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == list(OUTLOOK_TABS)
    assert at.session_state["outlook_tabs"] == "Week by week"
    assert any(m.value.startswith("| Week of | Receipts") for m in at.markdown)  # the week-by-week table, sent
    assert calls == []  # no treasury table computed, no drill-down, no export source, no snapshot form
    assert not [m for m in at.markdown if "| Status |" in m.value]  # and the treasury table not sent
    assert not at.selectbox and not at.text_input
    assert {b.key for b in at.get("download_button")} == {f"dl_{c}_{f}" for c in ("outlook", "flows")
                                                          for f in ("png", "svg", "pdf")}

    open_tab(at, "13-week treasury table")
    assert calls == ["treasury_table"]
    assert [m for m in at.markdown if "| Status |" in m.value]
    assert not any(m.value.startswith("| Week of | Receipts") for m in at.markdown)  # only the open tab is sent
    open_tab(at, "Week detail")
    open_tab(at, "Exports and snapshot")
    assert calls == ["treasury_table", "week_detail", "export_source", "snapshot_button"]
    assert not at.exception, at.exception


def test_the_open_tab_and_a_closed_tab_s_choices_outlive_a_rerun(demo_db: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    navigation_only(monkeypatch)  # through app.py, its sidebar's language switch included, as the server runs it
    at = app_on(demo_db, monkeypatch, "en").run()
    open_tab(at, "Week detail")
    at.selectbox(key="outlook_week").select_index(2).run()
    at.segmented_control(key="outlook_week_flow").set_value("disbursements").run()
    at.button_group(key="horizon_weeks").set_value(26).run()  # a rerun: the tab stays open
    assert at.session_state["outlook_tabs"] == "Week detail"
    assert at.selectbox(key="outlook_week").value == "2026-12-07"
    open_tab(at, "13-week treasury table")
    at.button_group(key="treasury_period").set_value("month").run()
    open_tab(at, "Week detail")  # its week and flow were kept while another tab was open
    assert at.selectbox(key="outlook_week").value == "2026-12-07"
    assert at.segmented_control(key="outlook_week_flow").value == "disbursements"
    assert len(at.dataframe) == 1  # the chosen week's list, drawn again
    open_tab(at, "13-week treasury table")
    assert at.button_group(key="treasury_period").value == "month"
    at.radio(key="lang").set_value("fr").run()  # the same tab, now labelled in French
    assert at.session_state["outlook_tabs"] == tr("13-week treasury table", "fr")
    assert at.button_group(key="treasury_period").value == "month"
    assert not at.exception, at.exception


def test_the_open_tab_is_still_open_after_a_visit_to_another_page(demo_db: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    navigation_only(monkeypatch)
    at = app_on(demo_db, monkeypatch, "en").run()
    open_tab(at, "13-week treasury table")
    at.switch_page("pages/receivables.py").run()
    assert not at.exception, at.exception
    at.switch_page("pages/outlook.py").run()
    assert not at.exception, at.exception
    assert at.session_state["outlook_tabs"] == "13-week treasury table"
    assert [m for m in at.markdown if "| Status |" in m.value]  # its content drawn, not the week-by-week table's
