"""`cashpilot export`: files written from the demo database; clear refusals (exit 2, no traceback)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from PIL import Image

from forecasting.cli.main import main


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Return the exit code, stdout and stderr of one command."""
    capsys.readouterr()
    code = main(["--db", str(db), "export", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_chart_png_and_xlsx_in_french(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    png = tmp_path / "charts" / "aging.png"
    code, out, _ = _run(demo_db, capsys, "chart", "aging", "--out", str(png), "--as-of", "2026-11-23")
    assert code == 0 and "chart 'aging' written to" in out
    assert Image.open(png).size == (2000, 680)
    xlsx = tmp_path / "book.xlsx"
    code, out, _ = _run(demo_db, capsys, "xlsx", "--out", str(xlsx), "--as-of", "2026-11-23", "--weeks", "26",
                        "--lang", "fr")
    assert code == 0 and "classeur écrit dans" in out
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert wb.sheetnames == ["Prévision", "Synthèse", "Indicateurs", "Balance âgée", "Plan de trésorerie par semaine",
                             "Plan de trésorerie par mois", "Plan hebdo BNP-MAIN", "Plan hebdo CIC-OPS"]
    assert wb["Prévision"].max_row == 27


def test_export_board_pack(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "pack.pdf"
    code, out, _ = _run(demo_db, capsys, "board-pack", "--out", str(pdf), "--as-of", "2026-11-23")
    assert code == 0 and "board pack written to" in out
    assert len(pdfium.PdfDocument(pdf.read_bytes())) >= 5


@pytest.mark.parametrize(("args", "message"), [
    (["chart", "cashflow", "--out", "{tmp}/x.png"], "unknown chart 'cashflow': the charts are outlook, flows"),
    (["chart", "scenarios", "--out", "{tmp}/x.png"], "give at least one --scenario"),
    (["xlsx", "--out", "{tmp}/x.xlsx", "--scenario", "No such"], "no saved scenario named 'No such'"),
    (["xlsx", "--out", "{tmp}"], "it is a folder"),
    (["xlsx", "--out", "{tmp}/file.txt/x.xlsx"], "part of its folder path is a file"),
    (["board-pack", "--out", "{tmp}/x.pdf", "--weeks", "60"], "between 1 and 52 weeks"),
])
def test_export_refusals_are_messages(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      args: list[str], message: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    code, out, err = _run(demo_db, capsys, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.glob("x.*"))


def test_export_messages_follow_cashpilot_lang(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASHPILOT_LANG", "fr")
    code, _, err = _run(demo_db, capsys, "chart", "nope", "--out", str(tmp_path / "x.png"))
    assert code == 2 and "graphique inconnu « nope »" in err
