"""`python -m forecasting.i18n.check`: the marked texts of the code against the French catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forecasting.i18n.catalog import po_path
from forecasting.i18n.check import check, main, marked_texts
from tests.fixtures.demo import ROOT


@pytest.fixture(scope="module")
def marked() -> dict[object, list[str]]:
    """Return the marked texts of the whole code, extracted once."""
    return dict(marked_texts())


def test_the_real_catalog_and_the_code_agree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0, capsys.readouterr().err
    assert "every marked text is translated" in capsys.readouterr().out


def test_the_extraction_finds_each_kind_of_mark(marked: dict[object, list[str]]) -> None:
    assert len(marked) > 500
    assert any(w.startswith("pages/") for w in marked["Cash outlook"])  # _() in a page
    assert any(w.startswith("app.py:") for where in marked.values() for w in where)
    assert "what is loaded: counts, date ranges, last imports" in marked  # h() in the CLI's parser
    assert ("{n} row was set aside.", "{n} rows were set aside.") in marked  # counted() in a page
    assert ("{n} client", "{n} clients") in marked  # trn() in the library
    assert "no client invoices: client receipts are not forecast" not in marked  # a data text: not marked…
    assert check().unused == []  # …yet counted as used, being a literal of the code


def _copy(tmp_path: Path) -> Path:
    """Return a temporary copy of the French catalog, for a test to break."""
    copy = tmp_path / "cashpilot.po"
    shutil.copy(po_path("fr"), copy)
    return copy


def _remove_entry(po: Path, msgid_line: str) -> None:
    """Remove the entry starting at `msgid_line` (and its comments) from a .po file."""
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    kept = [b for b in blocks if f"\n{msgid_line}\n" not in f"\n{b}\n"]
    assert len(kept) == len(blocks) - 1, msgid_line
    po.write_text("\n\n".join(kept), encoding="utf-8")


def test_a_text_missing_from_the_catalog_fails_and_is_listed_with_where_it_is_used(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = _copy(tmp_path)
    _remove_entry(po, 'msgid "Opening cash"')
    _remove_entry(po, 'msgid "{n} row was set aside."')
    report = check(po)
    assert set(report.missing) == {"Opening cash", ("{n} row was set aside.", "{n} rows were set aside.")}
    assert any(w.startswith("pages/data.py:") for w in report.missing[("{n} row was set aside.",
                                                                        "{n} rows were set aside.")])
    assert report.untranslated == report.unused == report.placeholders == report.duplicates == []
    assert main(["--po", str(po)]) == 1
    err = capsys.readouterr().err
    assert "2 text(s) marked for translation but not in" in err
    assert 'msgid "Opening cash"\nmsgstr ""' in err  # ready to paste and translate
    assert 'msgid_plural "{n} rows were set aside."\nmsgstr[0] ""\nmsgstr[1] ""' in err


def test_a_counted_text_written_once_in_the_catalog_is_missing(tmp_path: Path) -> None:
    po = _copy(tmp_path)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "{n} invoice"\nmsgid_plural "{n} invoices"\nmsgstr[0] "{n} facture"\n'
                               'msgstr[1] "{n} factures"', 'msgid "{n} invoices"\nmsgstr "{n} factures"'),
                  encoding="utf-8")
    report = check(po)
    assert list(report.missing) == [("{n} invoice", "{n} invoices")]  # gettext would not find it counted


def test_an_empty_or_fuzzy_translation_a_wrong_placeholder_and_a_duplicate_fail(tmp_path: Path) -> None:
    po = _copy(tmp_path)
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Opening cash"\nmsgstr "Trésorerie d\'ouverture"', 'msgid "Opening cash"\nmsgstr ""')
    text = text.replace('msgid "What-if"\n', '#, fuzzy\nmsgid "What-if"\n')
    text = text.replace('msgstr "Créances ouvertes échues au {as_of}"', 'msgstr "Créances échues au {date}"')
    text += '\nmsgid "Overview"\nmsgstr "Aperçu"\n'
    po.write_text(text, encoding="utf-8")
    report = check(po)
    assert sorted(report.untranslated) == ["Opening cash", "What-if"]
    assert report.placeholders == ["'Open receivables past their due date on {as_of}' -> 'Créances échues au {date}'"]
    assert report.duplicates == ["Overview"]
    assert report.missing == {} and not report.ok()


def test_a_text_the_code_no_longer_has_fails(tmp_path: Path) -> None:
    po = _copy(tmp_path)
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "A label nobody shows any more"\nmsgstr "Un libellé"\n',
                  encoding="utf-8")
    assert check(po).unused == ["A label nobody shows any more"]


def test_the_lint_target_runs_the_check() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(VENV)/bin/python -m forecasting.i18n.check" in lint
