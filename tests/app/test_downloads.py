"""AppTest: download buttons under every chart, and the workbook and board-pack buttons on the outlook and what-if pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.fixtures.app import open_tab
from tests.fixtures.demo import DEMO_TODAY

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, lang: str = "en") -> AppTest:
    """Return the app run on one page of the demo company."""
    monkeypatch.setenv("CASHPILOT_DB", str(db))
    monkeypatch.setenv("CASHPILOT_LANG", lang)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["as_of"] = DEMO_TODAY
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _buttons(at: AppTest) -> dict[str, str]:
    """Return the download buttons of the page: key -> label."""
    return {b.key: b.proto.label for b in at.get("download_button")}


def test_outlook_page_offers_chart_images_workbook_and_board_pack(demo_db: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/outlook.py")
    buttons = _buttons(at)
    for chart in ("outlook", "flows"):  # under each chart, on the first run
        assert [buttons[f"dl_{chart}_{fmt}"] for fmt in ("png", "svg", "pdf")] == ["PNG", "SVG", "PDF"]
    assert "outlook_board_pack" not in buttons  # in their tab, drawn when it is opened
    buttons = _buttons(open_tab(at, "Exports and snapshot"))
    assert buttons["outlook_board_pack"] == "Board pack (PDF)" and buttons["outlook_workbook"] == "Excel workbook"


def test_receivables_page_offers_each_chart(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    buttons = _buttons(_page(demo_db, monkeypatch, "pages/receivables.py"))
    assert {"dl_receivables-aging_png", "dl_top-debtors_svg", "dl_client-ratings_pdf"} <= set(buttons)


def test_whatif_page_exports_in_french(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/whatif.py", lang="fr")
    buttons = _buttons(at)
    assert buttons["wi_board_pack"] == "Dossier du conseil (PDF)" and buttons["wi_workbook"] == "Classeur Excel"
    assert any("comparent la référence" in c.value for c in at.caption)


def test_chart_download_data_is_built_on_click(monkeypatch: pytest.MonkeyPatch) -> None:
    import pages.widgets.downloads as downloads

    calls: list[str] = []
    monkeypatch.setattr(downloads, "figure_bytes", lambda fig, fmt: calls.append(fmt) or b"x")
    make = downloads._image(object(), "svg")  # type: ignore[arg-type]
    assert calls == []  # nothing drawn while the page renders
    assert make() == b"x" and calls == ["svg"]
