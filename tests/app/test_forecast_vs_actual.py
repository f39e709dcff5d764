"""AppTest: the Forecast vs actual page in English and French, the Cash outlook's 13-week table and its snapshot
button, on the demo company with bank movements and a snapshot of 25 October (tests/fixtures/bank_snapshots.py); with
a login, a viewer can neither freeze nor delete a snapshot, an editor can, audited."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from forecasting.i18n import translate as i18n
from forecasting.store.database import Store
from forecasting.store.snapshots import list_snapshots
from tests.fixtures.app import EDITOR_EMAIL, VIEWER_EMAIL, app_as, open_tab, run_page, signed_in
from tests.fixtures.bank_snapshots import demo_with_bank

PAGE = "pages/forecast_vs_actual.py"


@pytest.fixture(scope="module")
def bank_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a database: the demo, its payments of 26 Oct - 22 Nov as bank movements, a snapshot of 25 Oct."""
    path = tmp_path_factory.mktemp("bank") / "bank.duckdb"
    demo_with_bank(demo_db, path)
    return path


def _numbers(cells: list[str]) -> list[float]:
    """Return the numbers written in English table cells ('−1,234' -> -1234.0; '—' -> nan)."""
    return [float("nan") if c.strip() in ("—", "") else float(c.replace(",", "").replace("−", "-")) for c in cells]


def _rows(markdown: str) -> dict[str, list[str]]:
    """Return a markdown table's rows by their first cell (bold marks removed), the header row under ''."""
    rows: dict[str, list[str]] = {}
    for k, line in enumerate(markdown.splitlines()):
        if k == 1:
            continue  # the alignment row
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        rows["" if k == 0 else cells[0].strip("*")] = cells[1:]
    return rows


def test_the_page_splits_each_week_s_variance(bank_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(bank_db, "en", PAGE, monkeypatch)
    assert not at.exception, at.exception
    assert at.title[0].value == "Forecast vs actual"
    assert [m.label for m in at.metric][:6] == ["Forecast net flow", "Actual net flow", "Variance", "Timing", "Amount",
                                                "Unforecast"]
    weeks = _rows(next(m.value for m in at.markdown if m.value.startswith("| Week of | Forecast")))
    assert list(weeks)[1:] == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]  # 4 weeks complete by 22 Nov
    for week, cells in list(weeks.items())[1:]:
        forecast, actual, variance, timing, amount, unforecast = _numbers(cells)
        assert abs(actual - forecast - variance) <= 1 and abs(timing + amount + unforecast - variance) <= 2, week
    categories = _rows(next(m.value for m in at.markdown if m.value.startswith("| Category |")))
    assert _numbers(categories["Bank fees"])[-1] == -45  # the fee nobody forecast
    assert _numbers(categories["Other"])[-1] == 380  # the uncategorised card receipt
    accuracy = _rows(next(m.value for m in at.markdown if m.value.startswith("| Forecast made |")))
    assert list(accuracy)[1:] == ["1 week ahead", "4 weeks ahead", "13 weeks ahead"]


def test_the_page_in_french(bank_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.reset_missing()
    at = run_page(bank_db, "fr", PAGE, monkeypatch)
    assert not at.exception, at.exception
    assert i18n.missing_translations() == set()
    assert at.title[0].value == "Prévision vs réalisé"
    assert [m.label for m in at.metric][2:6] == ["Écart", "Décalage", "Montant", "Non prévu"]
    assert re.fullmatch(r"−?\d{1,3}(\u00a0\d{3})*\u00a0€", at.metric[2].value)
    assert any(m.value.startswith("| Semaine du | Prévision | Réalisé | Écart |") for m in at.markdown)
    assert any("26/10/2026" in m.value for m in at.markdown)


def test_without_a_snapshot_the_page_says_how_to_take_one(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(demo_db, "en", PAGE, monkeypatch)
    assert not at.exception, at.exception
    assert "No snapshot yet" in at.info[-1].value


def test_the_outlook_s_13_week_table_agrees_with_its_weekly_table(bank_db: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(bank_db, "en", "pages/outlook.py", monkeypatch)
    assert not at.exception, at.exception
    weekly = _rows(next(m.value for m in at.markdown if m.value.startswith("| Week of | Receipts")))
    open_tab(at, "13-week treasury table")
    table = _rows(next(m.value for m in at.markdown if m.value.startswith("| Week of | 2026-10-26")))
    weeks = table[""]
    assert weeks[:5] == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert table["Status"][:6] == ["actual"] * 4 + ["actual + forecast", "forecast"]
    # The forecast weeks' closing and its range are the outlook's, figure for figure (the outlook's weekly table:
    # receipts, disbursements, net, closing expected, P10, P90).
    for k, week in enumerate(weeks[4:], start=4):
        assert [table["Closing balance (expected)"][k], table["Closing P10"][k], table["Closing P90"][k]] == \
            weekly[week][3:6]
    opening, net, closing = (_numbers(table[line]) for line in ("Opening balance", "Net flow",
                                                                 "Closing balance (expected)"))
    for k in range(len(weeks)):
        assert abs(opening[k] + net[k] - closing[k]) <= 1.5
        assert k == 0 or opening[k] == closing[k - 1]
    # Actual weeks show the bank's movements: the fee in the week of 2 November, the card receipt in that of the 9th.
    assert _numbers(table["Other disbursements"])[1] == 45 and _numbers(table["Other receipts"])[2] == 380


def test_the_outlook_freezes_its_forecast(bank_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(bank_db, path)
    at = open_tab(run_page(path, "en", "pages/outlook.py", monkeypatch), "Exports and snapshot")
    at.text_input(key="snapshot_label").input("board of November")
    next(b for b in at.button if b.label == "Freeze this forecast").click().run()
    assert not at.exception, at.exception
    assert any("Snapshot 2 taken" in s.value for s in at.success)
    snapshots = list_snapshots(Store(path))
    assert snapshots["label"].tolist() == ["October board", "board of November"]


def test_a_viewer_can_neither_freeze_nor_delete_a_snapshot(bank_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_as(bank_db, monkeypatch, signed_in(VIEWER_EMAIL), PAGE)
    assert not at.exception, at.exception
    assert at.metric  # the comparison is read as before
    assert "Delete this snapshot" not in [e.label for e in at.expander]
    assert not [b for b in at.button if b.key == "fva_delete"]
    assert any("deleting snapshots needs the editor role" in c.value for c in at.caption)
    open_tab(at.switch_page("pages/outlook.py").run(), "Exports and snapshot")
    assert not at.exception, at.exception
    assert "Freeze this forecast" not in [b.label for b in at.button] and not at.text_input
    assert any("freezing the forecast needs the editor role" in c.value for c in at.caption)


def test_an_editor_freezes_and_deletes_a_snapshot_audited(bank_db: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(shutil.copyfile(bank_db, tmp_path / "copy.duckdb"))
    at = open_tab(app_as(path, monkeypatch, signed_in(EDITOR_EMAIL), "pages/outlook.py"),
                  "Exports and snapshot")
    assert not [c for c in at.caption if "read-only" in c.value]
    next(b for b in at.button if b.label == "Freeze this forecast").click().run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    assert "Delete this snapshot" in [e.label for e in at.expander]
    at.selectbox(key="fva_snapshot_en").set_value(1).run()
    at.checkbox(key="fva_delete_sure_1").check().run()
    at.button(key="fva_delete").click().run()
    assert not at.exception, at.exception
    assert "Snapshot 1 deleted." in [s.value for s in at.success]
    assert list_snapshots(Store(path))["snapshot_id"].tolist() == [2]
    audit = Store(path).audit_log()
    assert list(audit["action"][:2]) == ["snapshot.delete", "snapshot.create"]
    assert set(audit["who"][:2]) == {EDITOR_EMAIL}
    assert audit["details"].iloc[0].startswith("snapshot 1; as of 2026-10-25")
