"""AppTest of the Cash outlook's drill-down: the items behind a chosen week add up to that week's figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.i18n.translate import tr
from tests.fixtures.app import app_on, open_tab

pytestmark = pytest.mark.app


def _amount(text: str) -> float:
    """Return an amount of the week-by-week table as written in English ('1,234' or '−56')."""
    return float(text.replace(",", "").replace("−", "-"))


def _week_row(at, week: str) -> list[str]:
    """Return the cells of one week of the outlook's week-by-week table (a markdown table)."""
    table = next(m.value for m in at.markdown if m.value.startswith("| "))
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.splitlines()]
    return next(r for r in rows if r[0] == week)


def _items(at) -> object:
    """Return the drill-down's frame (the one with the expected amounts), unwrapped from its Styler."""
    frames = [getattr(d.value, "data", d.value) for d in at.dataframe]
    (items,) = [f for f in frames if "expected_in_week_eur" in f.columns]
    return items


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_items_of_a_chosen_week_add_up_to_its_receipts_and_disbursements(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    at = app_on(demo_db, monkeypatch, language).run()
    assert not at.exception, at.exception
    week = _week_row(at, "2026-12-07") if language == "en" else []  # the first tab: the week-by-week table
    assert tr("Week detail", language) in [t.label for t in at.tabs]
    assert not at.selectbox  # drawn on demand: the drill-down's tab is closed on the first run
    open_tab(at, "Week detail", language)
    at.selectbox(key="outlook_week").select_index(2).run()  # the week of Monday 7 December
    receipts = _items(at)["expected_in_week_eur"].sum()
    at.segmented_control(key="outlook_week_flow").set_value("disbursements").run()
    items = _items(at)
    assert not at.exception, at.exception
    assert items["kind"].isin([tr("Open invoice", language), tr("Forecast invoice", language),
                               tr("Planned flow", language)]).all()
    if language == "en":  # the table's amounts written the English way
        assert receipts == pytest.approx(_amount(week[1]), abs=1.0)
        assert items["expected_in_week_eur"].sum() == pytest.approx(_amount(week[2]), abs=1.0)
