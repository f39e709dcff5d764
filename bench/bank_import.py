"""Benchmark: import a 100,000-movement camt.053 and CFONB 120 statement, against a bare parse into a DataFrame.

    python bench/bank_import.py                    # 100,000 movements, prints a markdown table
    python bench/bank_import.py --movements 5000   # quick smoke run

The files are written by forecasting/demo/statement_files.py from seeded random movements (two accounts, about
200 movements a day). For each format:
- bare parse: the file into a DataFrame with pandas and nothing checked (CFONB: the lines sliced column-wise;
  camt.053: pandas.read_xml of the Ntry elements, the flat ones only), the floor any reader pays;
- parse: forecasting's reader (every record checked, 05 complements joined, IBANs, the balance of each statement);
- import: parse + the transaction into a new database (accounts created, movements, balances, import log);
- re-import: the same file again (every movement found, nothing added).
Target (issue 18): import ≤ 3 × the bare parse. Each run is timed in this process, best of `--repeat`.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forecasting.core import columns as C  # noqa: E402
from forecasting.demo.statement_files import camt053_xml, cfonb120_text  # noqa: E402
from forecasting.ingest.bank.detect import read_statement_file  # noqa: E402
from forecasting.ingest.bank.importer import import_statement_files  # noqa: E402
from forecasting.store.database import Store  # noqa: E402

TARGET_RATIO = 3.0
IBANS = ("FR7630006000011234567890189", "FR7610278060300002012340194")
CLIENTS = [f"CLIENT {i:04d} SAS" for i in range(800)]


def movements(count: int, seed: int = 42) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return `count` seeded movements on two accounts (~200 a day) and the accounts' opening balances."""
    rng = random.Random(seed)
    days = pd.bdate_range("2025-01-02", periods=max(1, count // 200))
    rows = []
    for i in range(count):
        credit = rng.random() < 0.45
        client = rng.randrange(len(CLIENTS))
        rows.append({
            C.ACCOUNT_ID: f"A{i % 2}", C.MOVEMENT_ID: None, C.BOOKING_DATE: days[i * len(days) // count],
            C.VALUE_DATE: days[i * len(days) // count], C.AMOUNT: (1 if credit else -1) * rng.randrange(100, 2_000_000) / 100,
            C.CURRENCY: "EUR", C.LABEL: ("VIR SEPA " if credit else "PRLV SEPA ") + CLIENTS[client][:18],
            C.REMITTANCE: f"FACTURE F-{rng.randrange(10**6):06d}" if rng.random() < 0.8 else None,
            C.COUNTERPARTY_NAME: CLIENTS[client], C.COUNTERPARTY_IBAN: None,
            C.BANK_REFERENCE: f"R{i:09d}" if rng.random() < 0.9 else None, C.OPERATION_CODE: "05" if credit else "01",
            C.CATEGORY: None, C.IMPORT_ID: None,
        })
    accounts = pd.DataFrame({C.ACCOUNT_ID: ["A0", "A1"], C.IBAN: list(IBANS), C.CURRENCY: ["EUR", "EUR"],
                             C.OPENING_DATE: [days[0] - pd.Timedelta(days=1)] * 2,
                             C.OPENING_BALANCE: [1_000_000.0, 250_000.0]})
    return pd.DataFrame(rows)[C.BANK_MOVEMENT_COLUMNS], accounts


def bare_cfonb(path: Path) -> pd.DataFrame:
    """Return the CFONB lines cut into their fields with pandas, nothing checked or decoded."""
    lines = pd.Series(path.read_text(encoding="cp1252").splitlines(), dtype="string[pyarrow]")
    fields = {"code": (0, 2), "bank": (2, 7), "desk": (11, 16), "account": (21, 32), "date": (34, 40),
              "value_date": (42, 48), "label": (48, 79), "amount": (90, 104), "reference": (104, 120)}
    return pd.DataFrame({name: lines.str.slice(a, b) for name, (a, b) in fields.items()})


def bare_camt(path: Path) -> pd.DataFrame:
    """Return the camt.053 entries' flat children with pandas.read_xml (etree parser), nothing checked."""
    return pd.read_xml(path, xpath=".//doc:Ntry", namespaces={"doc": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"},
                       parser="etree")


def best(work: Callable[[], object], repeat: int) -> float:
    """Return the best wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    """Write both files, time the four steps for each, print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    moves, accounts = movements(args.movements)
    print(f"{len(moves):,} movements, {moves[C.BOOKING_DATE].nunique()} days, 2 accounts; "
          f"python {platform.python_version()}, pandas {pd.__version__}\n")
    print("| format | file MB | bare parse s | parse s | import s | re-import s | import / bare | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {"CFONB 120": (folder / "statement.cfonb", cfonb120_text, "cp1252", bare_cfonb),
                 "camt.053": (folder / "statement.xml", camt053_xml, "utf-8", bare_camt)}
        for name, (path, write, encoding, bare) in files.items():
            path.write_text(write(moves, accounts), encoding=encoding)
            t_bare = best(lambda p=path, b=bare: b(p), args.repeat)
            t_parse = best(lambda p=path: read_statement_file(p), args.repeat)
            runs = iter(range(args.repeat))

            def fresh_import(p: Path = path, runs: Iterator[int] = runs) -> None:
                """Import into a new database."""
                import_statement_files(Store(folder / f"{p.suffix[1:]}-{next(runs)}.duckdb"), [p],
                                       create_accounts=True)
            t_import = best(fresh_import, args.repeat)
            again = Store(folder / f"{path.suffix[1:]}-0.duckdb")
            t_again = best(lambda p=path, s=again: import_statement_files(s, [p]), args.repeat)
            ratio = t_import / t_bare
            worst = max(worst, ratio)
            print(f"| {name} | {path.stat().st_size / 1e6:.1f} | {t_bare:.2f} | {t_parse:.2f} | {t_import:.2f} | "
                  f"{t_again:.2f} | {ratio:.1f} | {'≤ 3 ✓' if ratio <= TARGET_RATIO else '≤ 3 ✗'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
