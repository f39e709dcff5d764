"""AppTest: the Forecast accuracy page's self-evaluation, in English and French, and on a history too short for it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forecasting.cli.main import main
from tests.fixtures.app import app_on, run_page


def test_the_page_says_how_far_to_trust_the_forecast_on_the_last_quarters(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_db, monkeypatch).run()
    at.switch_page("pages/accuracy.py").run()
    assert not at.exception, at.exception
    trust = at.tabs[0]
    assert trust.label == "How far to trust it"
    assert [h.value for h in trust.subheader] == ["Receivables: client receipts", "Payables: supplier payments",
                                                  "What it would have forecast"]
    verdicts = [i.value for i in trust.info]
    assert verdicts[0].startswith("Replayed at 4 past dates (2025-11-23 to 2026-08-23): client payment dates were "
                                  "forecast within ")
    assert "of payments fell in the likely range (target 80%)" in verdicts[0]
    assert verdicts[1].startswith("Replayed at 4 past dates (2025-11-23 to 2026-08-23): supplier payment dates")
    receipts_dates, receipts_settings, supplier_dates, _ = (d.value for d in trust.dataframe)
    assert list(receipts_dates["Forecast made at"]) == ["2025-11-23", "2026-02-22", "2026-05-24", "2026-08-23",
                                                        "All dates"]
    assert list(supplier_dates.columns)[:4] == ["Forecast made at", "Scored", "cashpilot MAE", "Median-delay rule"]
    assert receipts_settings["Chosen"].tolist().count("yes") == 1  # every setting tried, the chosen one marked
    labels = [m.label for m in trust.metric]
    assert labels[:4] == ["Payment dates within", "vs each one's usual delay", "Payments in the likely range",
                          "Weekly error (WAPE)"]
    assert [e.label for e in trust.expander] == ["Settings chosen and why"] * 2
    assert any(m.value.startswith("Chosen by replaying") for m in trust.markdown)
    assert at.selectbox(key="evaluation_date").value == date(2026, 8, 23)  # the latest date replayed
    at.selectbox(key="evaluation_date").set_value(date(2025, 11, 23)).run()
    assert not at.exception


def test_the_self_evaluation_in_french(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(demo_db, "fr", "pages/accuracy.py", monkeypatch)
    assert not at.exception, at.exception
    trust, one_date = at.tabs
    assert (trust.label, one_date.label) == ("Quelle confiance lui accorder", "Une date en détail")
    verdict = trust.info[0].value
    assert verdict.startswith("Rejouée à 4 dates passées (du 23/11/2025 au 23/08/2026) : les dates de paiement des "
                              "clients ont été prévues à ")
    dates = trust.dataframe[0].value
    assert list(dates.iloc[:, 0]) == ["23/11/2025", "22/02/2026", "24/05/2026", "23/08/2026", "Toutes les dates"]
    assert [e.label for e in trust.expander] == ["Réglages choisis et pourquoi"] * 2


def test_a_history_too_short_to_replay_says_so_and_still_shows_the_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "receivables.csv"
    rows = ["Invoice No,Client,Invoice date,Due date,Amount,Paid date"]
    rows += [f"F{i},Client {i % 2},2026-10-{1 + i:02d},2026-10-{1 + i:02d},100.00,2026-10-{3 + i:02d}"
             for i in range(20)]  # three weeks of history before the demo's day
    csv.write_text("\n".join(rows) + "\n")
    db = tmp_path / "short.duckdb"
    assert main(["--db", str(db), "import", "receivables", str(csv)]) == 0
    capsys.readouterr()
    at = app_on(db, monkeypatch).run()
    at.switch_page("pages/accuracy.py").run()
    assert not at.exception, at.exception
    trust = at.tabs[0]
    infos = [i.value for i in trust.info]
    assert infos[0].startswith("Client payments could not be checked yet")
    # the data end on 22 October: four Sundays from 19 July back, none with 90 days of invoices before it
    skipped = [text for text in infos if ", not replayed: client invoices start on 2026-10-01" in text]
    assert [text[:10] for text in skipped] == ["2025-10-19", "2026-01-18", "2026-04-19", "2026-07-19"]
    assert any(text.startswith("No past date could be replayed") for text in infos)
    assert [e.label for e in trust.expander] == []  # nothing pooled: no figures, no table
