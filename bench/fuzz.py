"""Fuzz campaign: thousands of generated import files (valid and damaged) and SIGKILLs mid-import; outcomes counted.

    python bench/fuzz.py                          # 10,000 files and 50 kills, 2 workers
    python bench/fuzz.py --files 500 --kills 5    # a quick run

Each file is built from known invoices (tests/fixtures/fuzz.py: English/French CSV, xlsx, Parquet, FEC), one in
five left valid and the others damaged one way; it is imported through the CLI, in-process, by a worker process
into a fresh copy of a database holding one earlier import. A worker lives for the whole campaign (the interpreter,
pandas and DuckDB are loaded once, the CLI's argument parser built once) and calls the CLI's `main` with an argv, as
the `cashpilot` script does; a watchdog kills and replaces a worker that has not answered within 30 s. `--compare N`
runs N files both in-process and through a `cashpilot` subprocess each, and counts the files judged differently.
Outcomes:
- ok: exit 0 (for a valid file, the database must then hold exactly its rows, else "rows lost or altered");
- refused: exit 2 with a message, the database unchanged (else "database changed after a refusal");
- internal error: any other exit, or a traceback; hang: no answer within 30 s (the worker is killed).
Kills: a 20,000-row import killed with SIGKILL at a random moment; the database must hold the before- or the
after-state and open. Prints a markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import filecmp
import functools
import multiprocessing as mp
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from multiprocessing.connection import Connection, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.fuzz import (  # noqa: E402  (the project root is put on the path first)
    DAMAGE,
    KINDS,
    Outcome,
    damage,
    damage_xlsx_sheet,
    data_state,
    expected,
    imported,
    kill_import_after,
    random_invoices,
    run_cli,
    write_valid,
)
from tests.fixtures.ingest import new_store  # noqa: E402

HANG_S = 30.0
# What the `cashpilot` script runs (pyproject's [project.scripts]), for the subprocess path of --compare.
CLI_SCRIPT = "import sys; from forecasting.cli.main import main; sys.exit(main())"
# A subprocess also starts an interpreter and imports pandas and DuckDB: on the loaded 2-CPU machine that alone
# took over 30 s (85 of 100 files "hung" at 30 s in a first --compare), so it gets 30 s more than its start-up.
SUBPROCESS_TIMEOUT_S = 4 * HANG_S
Task = tuple[int, str, str, int, str]  # number, kind, damage, seed, how it is run ("in-process" / "subprocess")


def run_cli_subprocess(db: Path, kind: str, path: Path) -> Outcome:
    """Import `path` into `db` through a `cashpilot` process of its own; no answer in time is exit code -1."""
    try:
        done = subprocess.run([sys.executable, "-c", CLI_SCRIPT, "--db", str(db), "import", kind, str(path)],
                              cwd=ROOT, capture_output=True, text=True, errors="replace", timeout=SUBPROCESS_TIMEOUT_S,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        return Outcome(-1, "hang", False)
    return Outcome(done.returncode, done.stderr, False)


def _unchanged(db: Path, template: Path, before: dict) -> bool:  # type: ignore[type-arg]
    """Return True when the database holds the template's data: the same bytes, else the same checksums."""
    # Most refusals come before the write transaction: the file is then byte for byte the copy, and comparing
    # ~1 MB saves opening it with DuckDB. Any difference at all falls back to the data tables' checksums.
    wal = db.with_name(db.name + ".wal")
    if not wal.exists() and filecmp.cmp(db, template, shallow=False):
        return True
    return bool(data_state(db) == before)


def _one(task: Task, work: Path, template: Path, before: dict) -> str:  # type: ignore[type-arg]
    """Generate, damage and import one file; return its outcome."""
    number, kind, how, seed, via = task
    rng = random.Random(seed)
    invoices = random_invoices(rng, rng.randint(1, 60))
    folder = work / f"f{number}-{via}"
    folder.mkdir()
    try:
        path, import_kind = write_valid(folder / "file", kind, invoices, rng.choice(("utf-8", "cp1252")))
        if how != "none":
            if kind == "xlsx" and rng.random() < 0.7:
                damage_xlsx_sheet(path, rng, how)
            else:
                path.write_bytes(damage(path.read_bytes(), rng, how))
        db = folder / "db.duckdb"
        shutil.copy(template, db)
        if via == "subprocess":
            outcome = run_cli_subprocess(db, import_kind, path)
            if outcome.code == -1:  # no answer within SUBPROCESS_TIMEOUT_S, start-up included
                return "hang (subprocess)"
        else:
            outcome = run_cli(db, import_kind, path, compare=False)
        if outcome.code not in (0, 2) or "Traceback" in outcome.stderr or "internal error" in outcome.stderr:
            return f"internal error: {outcome.stderr.strip()[:300]}"
        if outcome.code == 2:
            return "refused" if _unchanged(db, template, before) else "database changed after a refusal"
        if how == "none":
            from forecasting.store.database import Store

            want = expected(invoices, kind)
            got = {k: v for k, v in imported(Store(db)).items() if k in want}
            if got != want:
                return "rows lost or altered"
        return "ok"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _judged(task: Task, work: Path, template: Path, before: dict) -> str:  # type: ignore[type-arg]
    """Return the file's outcome; for a "compare" task, both paths' outcomes, "same" or "differs"."""
    if task[4] != "compare":
        return _one(task, work, template, before)
    inproc = _one((*task[:4], "in-process"), work, template, before)
    sub = _one((*task[:4], "subprocess"), work, template, before)
    key = inproc.split(":")[0]
    verdict = f"same ({key})" if key == sub.split(":")[0] else "differs"
    return f"{verdict}: in-process {inproc[:150]!r} / subprocess {sub[:150]!r}"


def _worker(conn: Connection, work: str, template: str) -> None:
    """Answer tasks from the pipe with their outcomes until told to stop (None)."""
    import forecasting.cli.main as cli

    # The parser is the same for every file (same language, same argv shape): built once, not ~100 ms per file.
    cli.build_parser = functools.lru_cache(maxsize=4)(cli.build_parser)  # type: ignore[attr-defined]
    before = data_state(Path(template))
    conn.send("ready")  # the imports done: the 30 s of a file start counting only now
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            conn.send(_judged(task, Path(work), Path(template), before))
        except Exception as exc:  # the harness itself failed on this file: counted, never hidden
            conn.send(f"internal error: harness {exc!r}"[:300])


def _start(ctx: mp.context.SpawnContext, work: Path, template: Path) -> tuple[mp.process.BaseProcess, Connection]:
    """Start a worker; return it and the parent's end of its pipe."""
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_worker, args=(child, str(work), str(template)), daemon=True)
    proc.start()
    if not parent.poll(300) or parent.recv() != "ready":
        raise SystemExit("a fuzz worker did not start within 300 s")
    return proc, parent


def campaign(files: int, workers: int, seed: int, work: Path, template: Path,
             budget_s: float = float("inf"), via: str = "in-process") -> tuple[Counter[str], list[str]]:
    """Run the files over the workers (no new file after `budget_s`); return the outcome counts and failures."""
    deadline = time.monotonic() + budget_s
    rng = random.Random(seed)
    tasks = [(i, rng.choice(KINDS), "none" if rng.random() < 0.2 else rng.choice(DAMAGE), rng.randrange(2**32), via)
             for i in range(files)]
    hang_s = HANG_S if via == "in-process" else 2 * SUBPROCESS_TIMEOUT_S  # compare: the file twice, a start-up
    ctx = mp.get_context("spawn")
    pool = [_start(ctx, work, template) for _ in range(workers)]
    busy: dict[int, tuple[Task, float]] = {}
    counts: Counter[str] = Counter()
    examples: list[str] = []
    pending = list(reversed(tasks))
    while busy or (pending and time.monotonic() < deadline):
        for w, (_, conn) in enumerate(pool):
            if w not in busy and pending and time.monotonic() < deadline:
                task = pending.pop()
                conn.send(task)
                busy[w] = (task, time.monotonic())
        wait([pool[w][1] for w in busy], timeout=0.5)  # sleeps until a worker answers (no busy polling)
        for w in list(busy):
            proc, conn = pool[w]
            task, started = busy[w]
            if conn.poll():
                outcome = conn.recv()
                key = outcome.split(":")[0]
                counts[key] += 1
                if key not in ("ok", "refused", "same (ok)", "same (refused)") and len(examples) < 20:
                    examples.append(f"{task}: {outcome}")
                del busy[w]
            elif time.monotonic() - started > hang_s:
                proc.kill()
                counts["hang > 30 s"] += 1
                examples.append(f"{task}: hang")
                pool[w] = _start(ctx, work, template)
                del busy[w]
        done = sum(counts.values())
        if done and done % 250 == 0 and done != getattr(campaign, "shown", 0):
            campaign.shown = done  # type: ignore[attr-defined]
            print(f"{done} files: {dict(counts)}", file=sys.stderr, flush=True)
    for proc, conn in pool:
        conn.send(None)
        proc.join(timeout=10)
    return counts, examples


def kills(count: int, seed: int, work: Path, template: Path) -> Counter[str]:
    """Kill imports at random moments until `count` were killed mid-way (at most 3 × `count` tries); return how many
    were killed, finished first, and left the before-state, the after-state, or neither."""
    rng = random.Random(seed)
    big, _ = write_valid(work / "big", "csv-fr", random_invoices(random.Random(seed), 20_000), "cp1252")
    after_db = work / "after.duckdb"
    shutil.copy(template, after_db)
    t0 = time.perf_counter()
    assert run_cli(after_db, "receivables", big).code == 0
    # The kill moment is drawn over the import's own duration on this machine, so that a quiet machine does not
    # finish most imports before a fixed window ends (12 of 50 did in a 0–3 s window).
    import_s = time.perf_counter() - t0
    before, after = data_state(template), data_state(after_db)
    found: Counter[str] = Counter()
    for i in range(3 * count):
        if found["killed"] >= count:
            break
        db = work / f"kill{i}.duckdb"
        shutil.copy(template, db)
        killed = kill_import_after(db, big, "receivables", rng.uniform(0.0, import_s), ROOT)
        state = data_state(db)
        found["killed" if killed else "finished before the kill"] += 1
        found["before-state" if state == before else "after-state" if state == after else "PARTIAL"] += 1
        for p in work.glob(f"kill{i}.duckdb*"):
            p.unlink()
    return found


def _template(work: Path) -> Path:
    """Create the database every file is imported into a copy of: one earlier 20-invoice import."""
    template = new_store(work / "template.duckdb").path
    small, _ = write_valid(work / "small", "csv-en", random_invoices(random.Random(0), 20))
    assert run_cli(template, "receivables", small).code == 0
    return template


def compare(files: int, workers: int, seed: int) -> int:
    """Judge `files` files both in-process and through a subprocess; print the counts; 1 if any differs."""
    work = Path(tempfile.mkdtemp(prefix="cashpilot-fuzz-"))
    try:
        template = _template(work)
        t0 = time.perf_counter()
        counts, examples = campaign(files, workers, seed, work, template, via="compare")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [f"`python bench/fuzz.py --compare {files} --workers {workers} --seed {seed}`: {sum(counts.values()):,} "
             f"files, each judged in-process and by a `cashpilot` subprocess, in {time.perf_counter() - t0:,.0f} s.",
             "", "| outcome | files |", "|---|---:|", *[f"| {k} | {v:,} |" for k, v in sorted(counts.items())]]
    if examples:
        lines += ["", "Differences and failures (first 20):", *[f"- {e}" for e in examples]]
    print("\n".join(lines))
    return 1 if set(counts) - {"same (ok)", "same (refused)"} else 0


def main(argv: list[str] | None = None) -> int:
    """Run the campaign and the kills; print the markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="stop starting new files after this long (the table says how many were tried)")
    parser.add_argument("--compare", type=int, default=0, metavar="N",
                        help="instead: N files each imported in-process and by a subprocess, the outcomes compared")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(args.compare, args.workers, args.seed)
    work = Path(tempfile.mkdtemp(prefix="cashpilot-fuzz-"))
    try:
        template = _template(work)
        t0 = time.perf_counter()
        budget = args.max_minutes * 60 if args.max_minutes else float("inf")
        counts, examples = campaign(args.files, args.workers, args.seed, work, template, budget)
        t1 = time.perf_counter()
        killed = kills(args.kills, args.seed, work, template)
        t2 = time.perf_counter()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    tried = sum(counts.values())
    lines = [f"`python bench/fuzz.py --files {args.files} --kills {args.kills} --workers {args.workers} "
             f"--seed {args.seed}" + (f" --max-minutes {args.max_minutes:g}" if args.max_minutes else "")
             + f"`: {tried:,} files tried in {t1 - t0:,.0f} s, {killed['killed']} imports killed mid-way in "
             f"{sum(killed[k] for k in ('killed', 'finished before the kill'))} tries, {t2 - t1:,.0f} s.",
             "", "| outcome | files |", "|---|---:|"]
    for key in ("ok", "refused", "internal error", "hang > 30 s", "database changed after a refusal",
                "rows lost or altered"):
        lines.append(f"| {key} | {counts.get(key, 0):,} |")
    lines += ["", "| kills | count |", "|---|---:|"]
    for key in ("killed", "finished before the kill", "before-state", "after-state", "PARTIAL"):
        lines.append(f"| {key} | {killed.get(key, 0)} |")
    if examples:
        lines += ["", "Failures (first 20):", *[f"- {e}" for e in examples]]
    print("\n".join(lines))
    bad = sum(counts.get(k, 0) for k in ("internal error", "hang > 30 s", "database changed after a refusal",
                                         "rows lost or altered")) + killed.get("PARTIAL", 0)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
