"""`cashpilot import` and `cashpilot status`: exit codes, messages on stderr, mapping options and profiles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forecasting.cli.main import main
from forecasting.store.database import Store
from tests.fixtures.demo import ROOT
from tests.fixtures.ingest import invoices_by_id, write_text

GOOD = ("invoice_id,customer,issue_date,due_date,amount,paid_date\n"
        "C-1,Acme,2026-03-02,2026-04-01,1200.00,2026-04-05\nC-2,Acme,2026-03-09,2026-04-08,300.00,\n")
ERP = "Ref,Customer,Date piece,Date,Amount\nE-1,Acme,2026-03-02,2026-04-15,99.00\n"


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """Run `cashpilot --db db args...` in-process; return (exit code, stdout, stderr)."""
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_ok_exits_0_and_prints_the_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A good file: exit 0 and one line a treasurer reads."""
    code, out, err = cli(capsys, tmp_path / "db.duckdb", "import", "receivables",
                         str(write_text(tmp_path / "ar.csv", GOOD)))

    assert (code, err) == (0, "")
    # every count agrees with its number, the extra ones too (issue 17: "1 counterparties added")
    assert out.strip() == ("ar.csv: 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 rejected; "
                           "1 payment inserted; 1 counterparty added")


def test_bad_file_exits_2_with_the_message_on_stderr_and_no_traceback(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path) -> None:
    """A bad amount: exit 2, 'cashpilot: <message>' on stderr naming row and column, nothing on stdout."""
    code, out, err = cli(capsys, tmp_path / "db.duckdb", "import", "receivables",
                         str(write_text(tmp_path / "ar.csv", GOOD.replace("300.00", "3OO"))))

    assert (code, out) == (2, "")
    assert err.startswith("cashpilot: ar.csv: 1 error found, nothing was imported.")
    assert "row 3, column 'amount', value '3OO': not an amount" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("args", "expected"), [
    (["import", "receivables", "missing.csv"], "cashpilot: missing.csv: file not found"),
    (["import", "receivables", "ar.csv", "--skip-invalid"], "cashpilot: --skip-invalid needs --rejects FILE"),
    (["import", "receivables", "ar.csv", "--map", "due"], "cashpilot: --map due: expected FIELD=COLUMN"),
    (["import", "receivables", "ar.csv", "--map", "echeance=due_date"],
     "cashpilot: --map echeance=due_date: unknown field 'echeance' for receivables; known: amount, carried_forward, counterparty_id"),
    (["import", "receivables", "ar.csv", "--map", "due_date=Pay by"],
     "cashpilot: ar.csv: --map due_date=Pay by: no column 'Pay by'; columns: invoice_id, customer"),
    (["import", "receivables", "ar.csv", "--profile", "nope"], "cashpilot: no mapping profile named 'nope'"),
    (["import", "receivables", "ar.csv", "--date-format", "%Q/%m/%Y"],
     "cashpilot: --date-format %Q/%m/%Y: unknown directive '%Q'; expected a format such as %d/%m/%Y"),
    (["import", "receivables", "ar.csv", "--date-format", "dd/mm/yyyy"],
     "cashpilot: --date-format dd/mm/yyyy: no directive; expected a format such as %d/%m/%Y"),
], ids=["missing-file", "skip-invalid-without-rejects", "map-syntax", "map-unknown-field", "map-unknown-column",
        "unknown-profile", "date-format-unknown-directive", "date-format-without-directive"])
def test_user_errors_exit_2_with_a_clear_message(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, args: list[str],
                                                 expected: str) -> None:
    """Each mistake on the command line: exit 2 and a one-line reason, data untouched."""
    monkeypatch.chdir(tmp_path)
    write_text(tmp_path / "ar.csv", GOOD)
    db = tmp_path / "db.duckdb"

    code, out, err = cli(capsys, db, *args)

    assert (code, out) == (2, "")
    assert err.startswith(expected)
    assert "Traceback" not in err
    assert Store(db).status()["counts"]["receivables"] == 0


def test_unknown_kind_is_an_argparse_error_with_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """'invoices' is not a kind: the usage error lists the kinds."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "db.duckdb"), "import", "invoices", "ar.csv"])

    assert exit_info.value.code == 2
    assert "invalid choice: 'invoices'" in capsys.readouterr().err


def test_map_overrides_a_wrong_guess(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """'Date' would be taken for the invoice date; --map says it is the due date and 'Date piece' the issue date."""
    db, path = tmp_path / "db.duckdb", write_text(tmp_path / "erp.csv", ERP)

    code, _, err = cli(capsys, db, "import", "receivables", str(path), "--map", "invoice_id=Ref",
                       "--map", "issue_date=Date piece", "--map", "due_date=Date")

    assert (code, err) == (0, "")
    inv = invoices_by_id(Store(db))["E-1"]
    assert (inv["issue_date"], inv["due_date"], inv["amount_ttc"]) == ("2026-03-02", "2026-04-15", 99.0)


def test_saved_profile_is_reused_on_the_next_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--save-profile erp keeps the --map choices; --profile erp applies them to next month's file."""
    db = tmp_path / "db.duckdb"
    code, out, _ = cli(capsys, db, "import", "receivables", str(write_text(tmp_path / "march.csv", ERP)),
                       "--map", "invoice_id=Ref", "--map", "issue_date=Date piece", "--map", "due_date=Date",
                       "--save-profile", "erp")
    assert code == 0 and "mapping saved as profile 'erp'" in out

    april = write_text(tmp_path / "april.csv", ERP.replace("E-1,Acme,2026-03-02,2026-04-15", "E-2,Acme,2026-04-01,2026-05-20"))
    code, _, err = cli(capsys, db, "import", "receivables", str(april), "--profile", "erp")

    assert (code, err) == (0, "")
    inv = invoices_by_id(Store(db))["E-2"]
    assert (inv["issue_date"], inv["due_date"]) == ("2026-04-01", "2026-05-20")


def test_without_map_the_erp_file_is_refused_and_map_is_suggested(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    """'Ref' is not a recognised invoice header: the message lists the columns and suggests --map."""
    code, _, err = cli(capsys, tmp_path / "db.duckdb", "import", "receivables",
                       str(write_text(tmp_path / "erp.csv", ERP)))

    assert code == 2
    assert err.strip() == ("cashpilot: erp.csv: no column found for invoice_id. Columns in the file: Ref, Customer, "
                           "Date piece, Date, Amount. Name them with --map FIELD=COLUMN (fields are listed in the README).")


def test_date_format_option_reads_us_dates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--date-format %m/%d/%Y on the command line."""
    db = tmp_path / "db.duckdb"
    path = write_text(tmp_path / "us.csv", "invoice,customer,invoice date,due date,amount\nU-1,Acme,12/25/2026,1/24/2027,5\n")

    assert cli(capsys, db, "import", "receivables", str(path))[0] == 2
    code, _, _ = cli(capsys, db, "import", "receivables", str(path), "--date-format", "%m/%d/%Y")

    assert code == 0
    assert invoices_by_id(Store(db))["U-1"]["due_date"] == "2027-01-24"


def test_skip_invalid_with_rejects_reports_the_rejected_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """One bad row of two: exit 0, one imported, the rejects file named."""
    rejects = tmp_path / "rejects.csv"
    code, out, _ = cli(capsys, tmp_path / "db.duckdb", "import", "receivables",
                       str(write_text(tmp_path / "ar.csv", GOOD.replace("300.00", "3OO"))),
                       "--skip-invalid", "--rejects", str(rejects))

    assert code == 0
    assert "2 rows read, 1 inserted, 0 updated, 0 unchanged, 1 rejected" in out
    assert f"1 rejected row written to {rejects}" in out
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith("3,C-2,Acme")


def test_status_json_gives_counts_and_last_imports(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`status --format json` after one import: counts, open invoices and the import just made."""
    db = tmp_path / "db.duckdb"
    cli(capsys, db, "import", "receivables", str(write_text(tmp_path / "ar.csv", GOOD)))

    code, out, _ = cli(capsys, db, "status", "--format", "json")

    status = json.loads(out)
    assert code == 0
    assert status["counts"]["receivables"] == 2 and status["counts"]["payments"] == 1
    assert status["open_invoices"]["receivables"] == 1
    assert [(i["file_name"], i["rows_inserted"]) for i in status["last_imports"]] == [("ar.csv", 2)]


def test_cli_import_while_the_database_is_busy_exits_2(tmp_path: Path) -> None:
    """CASHPILOT_DB_TIMEOUT=1 and another process writing: 'database busy', exit 2, database intact."""
    # The holder keeps the file until it is killed below: a slow start of the import (a loaded machine) cannot
    # find the file free.
    db = tmp_path / "db.duckdb"
    path = write_text(tmp_path / "ar.csv", GOOD)
    assert main(["--db", str(db), "import", "receivables", str(path)]) == 0
    before = Store(db).table_checksums()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom forecasting.store.database import Store\n"
         "with Store(sys.argv[1]).transaction('import.test'):\n    print('holding', flush=True)\n    time.sleep(120)", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        run = subprocess.run([sys.executable, "-m", "forecasting.cli.main", "--db", str(db), "import", "receivables",
                              str(path)], cwd=ROOT, capture_output=True, text=True, timeout=30,
                             env={**os.environ, "CASHPILOT_DB_TIMEOUT": "1"})
    finally:
        holder.kill()
        holder.wait()

    assert run.returncode == 2
    assert run.stderr.startswith("cashpilot: database busy:") and "waited 1 s" in run.stderr
    assert "Traceback" not in run.stderr
    assert Store(db).table_checksums() == before


@pytest.mark.parametrize("text", [GOOD.splitlines()[0] + "\n", GOOD.splitlines()[0] + "\n\n , , , , ,\n"],
                         ids=["header-only", "header-and-blank-lines"])
def test_a_file_with_column_names_and_no_rows_says_so_and_exits_2(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, text: str) -> None:
    """An empty export (column names only) is a mistake to point out, not a silent '0 rows read'."""
    db = tmp_path / "db.duckdb"
    code, out, err = cli(capsys, db, "import", "receivables", str(write_text(tmp_path / "ar.csv", text)))

    assert (code, out) == (2, "")
    assert err.startswith("cashpilot: ar.csv: the file has column names but no rows under them: nothing to import")
    assert Store(db).status()["counts"]["receivables"] == 0
