"""`cashpilot evaluate`: the JSON's keys, the report in English and French, kept results, exit 2 on user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.ingest.templates import template_csv
from forecasting.projection.cache import folder_for
from tests.cli.test_backtest import _payables_only_db


def test_the_json_gives_each_date_the_pooled_figures_the_settings_and_a_verdict(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.duckdb"
    db.write_bytes(demo_db.read_bytes())
    command = ["--db", str(db), "evaluate", "--as-of", "2026-11-23", "--dates", "1", "--side", "payables",
               "--format", "json"]
    assert main(command) == 0
    first = capsys.readouterr().out
    out = json.loads(first)
    assert list(out) == ["as_of", "replayed_to", "horizon_weeks", "n_dates", "sides", "data_end", "pooled",
                         "chosen_settings", "dates", "skipped_dates", "notes", "verdicts"]
    assert (out["as_of"], out["horizon_weeks"], out["n_dates"], out["sides"]) == ("2026-11-23", 13, 1, ["payables"])
    assert [d["as_of"] for d in out["dates"]] == ["2026-08-23"]  # 13 weeks before, the Sunday on or before
    payables = out["pooled"]["payables"]
    assert payables["n_scored"] > 100 and payables["invoices"]["model"]["mae_days"] > 0
    assert payables == out["dates"][0]["sides"]["payables"]  # one date: the pooled figures are that date's
    assert out["chosen_settings"]["payables"]["tuned"] is True
    assert out["verdicts"]["payables"].startswith("Replayed at 1 past date (2026-08-23): supplier payment dates")
    kept = list(folder_for(db).glob("*.evaluation.pickle"))
    assert len(kept) == 1  # kept beside the database, like the forecasts
    assert main(command) == 0
    assert capsys.readouterr().out == first  # read back: the same figures


def test_the_report_is_written_in_the_chosen_language(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "--lang", "fr", "evaluate", "--as-of", "2026-11-23", "--dates", "1",
                 "--side", "payables"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Auto-évaluation au 23/11/2026 : la prévision rejouée à 1 date passée, sur 13 semaines")
    assert "Dettes fournisseurs : paiements fournisseurs" in text and "Réglages choisis au 23/11/2026" in text
    assert "Rejouée à 1 date passée (23/08/2026) : les dates de paiement des fournisseurs" in text
    assert "Règle du retard médian" in text  # the table's header


def test_a_short_payables_history_gives_notes_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _payables_only_db(tmp_path, capsys)  # 40 weekly supplier invoices from January 2026
    assert main(["--db", db, "evaluate", "--as-of", "2026-10-31"]) == 0
    text = capsys.readouterr().out
    assert "Payables: supplier payments" in text and "Receivables" not in text
    # the data's last day is the last invoice's, Monday 26 October: dates from Sunday 25 October back
    assert "2025-10-26, not replayed: supplier invoices start on 2026-01-05: less than 90 days" in text
    assert "Replayed at 2 past dates (2026-04-26 to 2026-07-26)" in text
    assert "Too little history to compare settings (6 paid invoices scored at past dates)" in text
    assert text.rstrip().endswith("The data end on 2026-10-26: the dates replayed count back from there")


@pytest.mark.parametrize(("arguments", "message"), [
    (["--side", "receivables"], "no client invoices to evaluate: import receivables, or choose --side payables"),
    (["--dates", "0"], "--dates 0: the number of past dates must be between 1 and 12"),
    (["--weeks", "60"], "--weeks 60: the horizon must be between 1 and 52 weeks"),
])
def test_user_errors_exit_2_with_a_plain_message(arguments: list[str], message: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = _payables_only_db(tmp_path, capsys)
    assert main(["--db", db, "evaluate", *arguments]) == 2
    assert capsys.readouterr().err.strip() == f"cashpilot: {message}"


def test_a_database_without_invoices_is_refused_in_the_chosen_language(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "empty.duckdb")
    assert main(["--db", db, "evaluate"]) == 2
    assert "no database at" in capsys.readouterr().err
    csv = tmp_path / "balances.csv"
    csv.write_bytes(template_csv("bank-balances", "en"))
    assert main(["--db", db, "import", "bank-balances", str(csv)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "evaluate"]) == 2
    assert "no invoices to evaluate: import receivables or payables" in capsys.readouterr().err
    assert main(["--db", db, "--lang", "fr", "evaluate"]) == 2
    assert "aucune facture à évaluer" in capsys.readouterr().err
