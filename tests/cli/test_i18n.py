"""`cashpilot` in French and English: help and messages follow --lang or $CASHPILOT_LANG; machine formats do not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forecasting.cli.main import argv_language, main
from forecasting.i18n.check import check, marked_texts


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Return the exit code, stdout and stderr of one command."""
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_cli_text_has_a_french_translation() -> None:
    cli = ("forecasting/cli",)
    assert len(marked_texts(sources=cli)) > 50  # tr(), trn() and the parser's h()
    assert check(sources=cli).missing == {}


def test_the_language_comes_from_lang_then_cashpilot_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASHPILOT_LANG", "fr_FR.UTF-8")
    assert argv_language(["forecast"]) == "fr"
    assert argv_language(["--lang", "en", "forecast"]) == "en"
    monkeypatch.delenv("CASHPILOT_LANG")
    assert argv_language(["forecast"]) == "en"
    assert argv_language(["--lang=fr", "status"]) == "fr"


def test_help_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "forecast", "--help"])
    out = capsys.readouterr().out
    assert "horizon en semaines, de 1 à 52" in out and "écrire dans ce fichier" in out


def test_forecast_table_in_french_and_json_unchanged(demo_db: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASHPILOT_LANG", "fr")
    code, out, _ = _run(capsys, "--db", str(demo_db), "forecast", "--as-of", "2026-11-23")
    assert code == 0
    assert "Semaine du" in out and "Encaissements" in out and "23/11/2026" in out
    assert re.search(r"solde d'ouverture \d{1,3}(\u00a0\d{3})+ \(23/11/2026\)", out)
    assert "point bas" in out and "opening balance" not in out
    code, french_json, _ = _run(capsys, "--db", str(demo_db), "forecast", "--as-of", "2026-11-23", "--format", "json")
    monkeypatch.setenv("CASHPILOT_LANG", "en")
    code, english_json, _ = _run(capsys, "--db", str(demo_db), "forecast", "--as-of", "2026-11-23", "--format", "json")
    assert json.loads(french_json) == json.loads(english_json)


def test_forecast_table_in_english_as_before(demo_db: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASHPILOT_LANG", raising=False)
    code, out, _ = _run(capsys, "--db", str(demo_db), "forecast", "--as-of", "2026-11-23")
    assert code == 0
    assert "week_start" in out and re.search(r"opening balance \d{1,3}(,\d{3})+ \(2026-11-23\)", out)


def test_errors_in_french_with_the_global_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "--lang", "fr", "--db", str(tmp_path / "x.duckdb"), "forecast", "--weeks", "60")
    assert code == 2 and "l'horizon doit être compris entre 1 et 52 semaines" in err
    code, _, err = _run(capsys, "--lang", "fr", "--db", str(tmp_path / "x.duckdb"), "scenario", "show", "Nope")
    assert code == 2 and "aucun scénario enregistré sous le nom « Nope »" in err


def test_status_in_french(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--lang", "fr", "--db", str(demo_db), "status")
    assert code == 0 and out.startswith("base de données : ") and "ouvertes)" in out


def test_a_scenario_of_one_lever_is_counted_in_the_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "collect.json"
    scenario.write_text('{"name": "Collect", "levers": [{"type": "collection_effort", "scope": {"kind": "all"}, '
                        '"delay_change_days": -10}]}', encoding="utf-8")
    db = str(tmp_path / "x.duckdb")
    code, out, _ = _run(capsys, "--lang", "fr", "--db", db, "scenario", "save", str(scenario))
    assert code == 0 and out.strip() == "scénario « Collect » enregistré (1 levier)"
    code, out, _ = _run(capsys, "--lang", "en", "--db", db, "scenario", "save", str(scenario))
    assert code == 0 and out.strip() == "scenario 'Collect' replaced (1 lever)"
    code, out, _ = _run(capsys, "--lang", "fr", "--db", db, "scenario", "list")
    assert code == 0 and out.split() == ["Collect", "1", "levier", ":", "collection_effort"]


def test_the_demo_says_what_it_loaded_in_words_of_the_language(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--db", str(tmp_path / "fr.duckdb"), "--lang", "fr", "demo", "--scale", "0.05")
    assert code == 0
    loaded = out.splitlines()[0]
    assert "clients et fournisseurs" in loaded and "factures clients" in loaded and "cours de change" in loaded
    assert not re.search(r"counterparties|receivables|payables|bank_|fx_rates|snapshot", loaded), loaded
    code, out, _ = _run(capsys, "--db", str(tmp_path / "en.duckdb"), "--lang", "en", "demo", "--scale", "0.05")
    assert code == 0 and "clients and suppliers" in out.splitlines()[0] and "_" not in out.splitlines()[0].split(":")[1]
