"""Benchmark: import 1 M receivable rows from CSV, against a bare DuckDB read of the same file.

    python bench/import_1m.py              # 1,000,000 rows, prints a markdown table
    python bench/import_1m.py --rows 20000 # quick smoke run

Each measurement runs in its own subprocess, so its peak memory (RSS high-water mark, from `os.wait4`)
is that of the measured work alone; wall time is measured inside the subprocess around the work
(interpreter start-up and imports excluded).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "invoice_id,client_code,client_name,issue_date,due_date,amount,currency,disputed,paid_date\n"
TARGET_RATIO = 3.0
TARGET_RSS_MB = 1536.0  # issue 16: the 10 M-row import peaks at most 1.5 GB


def generate_csv(path: Path, rows: int, seed: int = 42) -> None:
    """Write a deterministic receivables CSV: ~2,000 clients, 2 years of invoices, ~70 % paid."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    names = ["Durand", "Martin", "Bernard", "Petit", "Robert", "Richard", "Moreau", "Simon", "Laurent", "Lefebvre"]
    forms = ["SARL", "SAS", "SA", "EURL"]
    clients = [(f"C{i:05d}", f"{names[i % len(names)]} {forms[i % len(forms)]} {i}") for i in range(2000)]
    terms = (30, 45, 60)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        buf: list[str] = []
        for i in range(rows):
            code, name = clients[rng.randrange(len(clients))]
            issue = start + timedelta(days=rng.randrange(730))
            due = issue + timedelta(days=terms[rng.randrange(3)])
            amount = rng.randrange(5_000, 5_000_000) / 100
            disputed = "Yes" if rng.random() < 0.03 else "No"
            paid = (due + timedelta(days=rng.randrange(-10, 60))).isoformat() if rng.random() < 0.7 else ""
            buf.append(f"INV-{i + 1:07d},{code},{name},{issue.isoformat()},{due.isoformat()},{amount:.2f},EUR,"
                       f"{disputed},{paid}\n")
            if len(buf) >= 50_000:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))


def generate_csv_duckdb(path: Path, rows: int, seed: int = 42) -> None:
    """Write a receivables CSV like `generate_csv`'s (same columns, clients and proportions) with DuckDB's COPY.

    For the 32 M-row file: the Python generator takes ~1 hour of one loaded CPU for it, this one minutes. The
    pseudo-random draws are hashes of the row number, so the file is the same at every run (not the same rows as
    `generate_csv`'s, which draws from Python's generator).
    """
    import duckdb

    names = ["Durand", "Martin", "Bernard", "Petit", "Robert", "Richard", "Moreau", "Simon", "Laurent", "Lefebvre"]
    forms = ["SARL", "SAS", "SA", "EURL"]

    def draw(k: int, n: int) -> str:
        """Return SQL for a deterministic draw in 0..n-1, the k-th of the row (hash of seed, row, k)."""
        return f"CAST(hash({seed}, i, {k}) % {n} AS INTEGER)"

    client = draw(1, 2000)
    issue = f"(DATE '2025-01-01' + {draw(2, 730)})"
    due = f"({issue} + [30, 45, 60][{draw(3, 3)} + 1])"
    sql = (
        "COPY (SELECT printf('INV-%07d', i + 1) AS invoice_id, printf('C%05d', c) AS client_code, "
        f"{names!r}[c % 10 + 1] || ' ' || {forms!r}[c % 4 + 1] || ' ' || c AS client_name, "
        "CAST(issue AS VARCHAR) AS issue_date, CAST(due AS VARCHAR) AS due_date, "
        f"printf('%.2f', (5000 + {draw(4, 4_995_000)}) / 100) AS amount, 'EUR' AS currency, "
        f"CASE WHEN {draw(5, 100)} < 3 THEN 'Yes' ELSE 'No' END AS disputed, "
        f"CASE WHEN {draw(6, 10)} < 7 THEN CAST(due + ({draw(7, 70)} - 10) AS VARCHAR) END AS paid_date "
        f"FROM (SELECT i, {client} AS c, {issue} AS issue, {due} AS due FROM range({rows}) t(i))) "
        "TO '" + str(path).replace("'", "''") + "' (HEADER, DELIMITER ',', QUOTE '')"
    )
    duckdb.connect().execute(sql)


# --- the measured work, each run in a child process ---------------------------------------------
def work_duckdb_count(csv_path: str, db_path: str) -> dict[str, object]:
    """Count the rows of the CSV with DuckDB's auto-detecting, typed reader (in memory)."""
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    n = con.execute("SELECT count(*) FROM read_csv(?)", [csv_path]).fetchall()[0][0]
    return {"seconds": time.perf_counter() - t0, "rows": n}


def work_duckdb_create(csv_path: str, db_path: str) -> dict[str, object]:
    """Load the CSV into a table of a fresh database file (auto-detected types), and close it."""
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect(db_path)
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [csv_path])
    n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    con.close()
    return {"seconds": time.perf_counter() - t0, "rows": n}


def work_cashpilot(csv_path: str, db_path: str) -> dict[str, object]:
    """Import the CSV as receivables into a fresh cashpilot database through the Python API."""
    sys.path.insert(0, str(ROOT))
    from forecasting.ingest.options import ImportOptions
    from forecasting.ingest.pipeline import import_file
    from forecasting.store.database import Store

    t0 = time.perf_counter()
    report = import_file(Store(db_path), csv_path, ImportOptions(kind="receivables"))
    return {"seconds": time.perf_counter() - t0, "rows": report.inserted, "summary": report.summary()}


WORK = {"duckdb-count": work_duckdb_count, "duckdb-create": work_duckdb_create, "cashpilot": work_cashpilot}


def measure(name: str, csv_path: Path, workdir: Path) -> dict[str, object]:
    """Run one measurement in a child process; return its result with the child's peak RSS in MB."""
    db_path = workdir / f"{name}.duckdb"
    for p in (db_path, db_path.with_name(db_path.name + ".wal")):
        p.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", name, str(csv_path), str(db_path)], stdout=subprocess.PIPE, text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed (exit {proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    return result


def machine() -> str:
    """Return a one-line description of the machine."""
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    import duckdb

    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {ram_gb:.0f} GB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, duckdb {duckdb.__version__}")


def main(argv: list[str] | None = None) -> int:
    """Generate the file, run the three measurements, print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best time is kept")
    parser.add_argument("--workdir", type=Path, default=None, help="where the CSV and databases go (default: a temp dir)")
    parser.add_argument("--generator", choices=("python", "duckdb"), default="python",
                        help="how the file is written: python (the reference file) or duckdb (fast, for 32 M rows)")
    parser.add_argument("--only", choices=tuple(WORK), default=None, help="run this measurement only")
    parser.add_argument("--child", nargs=3, metavar=("WORK", "CSV", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        name, csv_path, db_path = args.child
        print(json.dumps(WORK[name](csv_path, db_path)))
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cashpilot-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path = workdir / f"receivables_{args.rows}.csv"
    t0 = time.perf_counter()
    if args.generator == "duckdb":
        csv_path = csv_path.with_name(f"receivables_{args.rows}_duckdb.csv")
        generate_csv_duckdb(csv_path, args.rows)
    else:
        generate_csv(csv_path, args.rows)
    print(f"generated {csv_path} ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in ([args.only] if args.only else WORK)}
    for _ in range(args.repeat):  # interleaved, so that a busy spell of the machine hits every measurement
        for name in runs:
            runs[name].append(measure(name, csv_path, workdir))
            print(f"{name}: {runs[name][-1]}", file=sys.stderr)
    results: dict[str, dict[str, object]] = {}
    for name, found in runs.items():
        best = min(found, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
        best["peak_rss_mb"] = max(float(r["peak_rss_mb"]) for r in found)  # type: ignore[arg-type]
        results[name] = best
    if "cashpilot" in results and int(results["cashpilot"]["rows"]) != args.rows:  # type: ignore[arg-type]
        raise SystemExit(f"cashpilot imported {results['cashpilot']['rows']} rows, expected {args.rows}")

    ref = float(results["duckdb-create"]["seconds"]) if "duckdb-create" in results else float("nan")  # type: ignore[arg-type]
    ratio = float(results["cashpilot"]["seconds"]) / ref if "cashpilot" in results else float("nan")  # type: ignore[arg-type]
    rss = float(results["cashpilot"]["peak_rss_mb"]) if "cashpilot" in results else float("nan")  # type: ignore[arg-type]
    labels = {
        "duckdb-count": "DuckDB `SELECT count(*) FROM read_csv(f)` (in memory)",
        "duckdb-create": "DuckDB `CREATE TABLE t AS SELECT * FROM read_csv(f)` into a new file (reference)",
        "cashpilot": "`import_file(store, f, ImportOptions(kind=\"receivables\"))` into a new database",
    }
    lines = [
        f"Machine: {machine()}. Date: {date.today().isoformat()}. File: {args.rows:,} rows, "
        f"{csv_path.stat().st_size / 1e6:.0f} MB, `python bench/import_1m.py --rows {args.rows}"
        + (f" --generator {args.generator}" if args.generator != "python" else "")
        + (f" --only {args.only}" if args.only else "") + "`"
        + (f" (best of {args.repeat})" if args.repeat > 1 else "") + ".",
        "",
        "| measurement | wall time (s) | peak RSS (MB) | × reference |",
        "|---|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(f"| {labels[name]} | {float(r['seconds']):.2f} | {float(r['peak_rss_mb']):.0f} | "  # type: ignore[arg-type]
                     f"{float(r['seconds']) / ref:.2f} |")  # type: ignore[arg-type]
    if "cashpilot" in results and "duckdb-create" in results:
        ok = ratio <= TARGET_RATIO and rss < TARGET_RSS_MB
        lines += ["", f"Target: import ≤ {TARGET_RATIO:.0f}× the reference and peak RSS < {TARGET_RSS_MB / 1024:.1f} GB: "
                  f"{'met' if ok else 'MISSED'} ({ratio:.2f}×, {rss:.0f} MB)."]
    elif "cashpilot" in results:  # --only cashpilot: the memory alone
        lines += ["", f"Target: peak RSS < {TARGET_RSS_MB / 1024:.1f} GB: {'met' if rss < TARGET_RSS_MB else 'MISSED'} "
                  f"({rss:.0f} MB)."]
    print("\n".join(lines))
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
