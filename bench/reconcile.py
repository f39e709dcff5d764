"""Benchmark: match 100,000 bank movements against 1,000,000 open invoices (issue 18's target: <= 10 s).

    python bench/reconcile.py                                  # 100,000 movements, 1,000,000 invoices
    python bench/reconcile.py --movements 10000 --invoices 100000   # quick smoke run

The ledger (10,000 clients, every invoice open) and the movements are generated with a fixed seed: half name one
invoice with its exact amount, a fifth name the client and pay one invoice (a few short of a bank fee), a tenth
pay the client's two oldest invoices at once, a tenth pay two invoices named in the label, the rest are noise
(payroll, fees, strays). Two timings: `match_frames` on frames in memory (the matching itself), and
`auto_match` on a database holding them (reading the ledger and the movements, matching, writing the result in
one transaction). Wall time around the work only; the data generation is not counted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.reconcile.run import auto_match, match_frames  # noqa: E402
from forecasting.reconcile.settings import MatchSettings  # noqa: E402
from forecasting.store.database import Store  # noqa: E402
from forecasting.store.reconciliation import read_matches, read_rules  # noqa: E402

TARGET_S = 10.0


def make_data(n_movements: int, n_invoices: int, seed: int = 42) -> tuple[Ledger, pd.DataFrame]:
    """Return a ledger of open invoices and bank movements paying some of them."""
    rng = np.random.default_rng(seed)
    n_clients = max(10, n_invoices // 100)
    clients = pd.DataFrame({C.COUNTERPARTY_ID: [f"C{i:05d}" for i in range(n_clients)], C.KIND: C.CLIENT,
                            C.NAME: [f"Client {i:05d} SAS" for i in range(n_clients)], C.SEGMENT: "PME",
                            C.TERMS: "net 30", C.CREDIT_LIMIT: 0.0, C.CURRENCY: "EUR", C.ENTITY: "FR01"})
    client = rng.integers(0, n_clients, n_invoices)
    issue = np.datetime64("2026-01-01") + rng.integers(0, 300, n_invoices).astype("timedelta64[D]")
    amount = np.round(rng.lognormal(7.5, 1.0, n_invoices), 2)
    ids = pd.Series(np.arange(1, n_invoices + 1)).astype(str).str.zfill(7).radd("INV")
    receivables = pd.DataFrame({
        C.SOURCE: "bench", C.SIDE: C.RECEIVABLE, C.INVOICE_ID: ids, C.COUNTERPARTY_ID: clients[C.COUNTERPARTY_ID].to_numpy()[client],
        C.ENTITY: "FR01", C.ISSUE_DATE: issue.astype("datetime64[us]"),
        C.DUE_DATE: (issue + np.timedelta64(30, "D")).astype("datetime64[us]"), C.AMOUNT_TTC: amount,
        C.CURRENCY: "EUR", C.DISPUTED: False, C.TERMS: "net 30", C.STATUS: "open", C.CARRIED_FORWARD: False})[C.INVOICE_COLUMNS]
    empty = Ledger.empty()
    ledger = Ledger(counterparties=clients, receivables=receivables, payables=empty.payables.iloc[:0],
                    payments=empty.payments, bank_accounts=empty.bank_accounts, bank_balances=empty.bank_balances,
                    planned_flows=empty.planned_flows, fx_rates=empty.fx_rates)
    # movements: each pays invoices chosen without repeats
    kind = rng.choice(5, n_movements, p=[0.5, 0.2, 0.1, 0.1, 0.1])
    picked = rng.choice(n_invoices, 2 * n_movements, replace=False).reshape(n_movements, 2)
    first, second = picked[:, 0], picked[:, 1]
    name = clients[C.NAME].to_numpy()[client[first]]
    paid = np.where(kind == 3, amount[first] + amount[second], amount[first])
    paid = np.where((kind == 1) & (rng.random(n_movements) < 0.1), paid - 12.0, paid)
    label = np.where(kind == 0, "VIR SEPA RECU /MOTIF FACTURE " + ids.to_numpy()[first],
                     np.where(kind == 3, "VIR SEPA RECU /MOTIF " + ids.to_numpy()[first] + " " + ids.to_numpy()[second],
                              "VIR SEPA RECU /DE " + pd.Series(name).str.upper().to_numpy()))
    label = np.where(kind == 4, "PRLV SEPA URSSAF /REF DUE", label)
    paid = np.where(kind == 4, -np.round(rng.lognormal(8, 1, n_movements), 2), paid)
    booking = (issue[first] + rng.integers(20, 60, n_movements).astype("timedelta64[D]")).astype("datetime64[us]")
    movements = pd.DataFrame({
        C.ACCOUNT_ID: "MAIN", C.MOVEMENT_ID: [f"M{i:07d}" for i in range(n_movements)], C.BOOKING_DATE: booking,
        C.VALUE_DATE: booking, C.AMOUNT: np.round(paid, 2), C.CURRENCY: "EUR", C.LABEL: label, C.REMITTANCE: None,
        C.COUNTERPARTY_NAME: np.where(kind == 1, name, None), C.COUNTERPARTY_IBAN: None, C.BANK_REFERENCE: None,
        C.OPERATION_CODE: None, C.CATEGORY: None, C.IMPORT_ID: pd.array([pd.NA] * n_movements, dtype="Int64")})
    return ledger, movements[C.BANK_MOVEMENT_COLUMNS]


def _load() -> str:
    """Return the machine's load averages (1, 5, 15 minutes): the CPUs are shared, wall times depend on them."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    """Run both timings and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    args = parser.parse_args()
    ledger, movements = make_data(args.movements, args.invoices)
    load = _load()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        store.replace_all(ledger, movements)
        matches, allocations = read_matches(store)
        rules = read_rules(store)
        start, cpu = time.perf_counter(), time.process_time()
        run = match_frames(ledger, movements, matches, allocations, rules, MatchSettings())
        in_memory, in_memory_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        summary = auto_match(store)
        end_to_end, end_to_end_cpu = time.perf_counter() - start, time.process_time() - cpu
    statuses = run.matches["status"].value_counts().to_dict()
    print(f"machine: {platform.machine()}, {platform.python_version()}; {args.movements:,} movements, "
          f"{args.invoices:,} open invoices")
    print(f"load average before: {load}; after: {_load()}; CPU seconds are the process's own (all its threads)")
    print("| step | seconds | CPU seconds | target |")
    print("|---|---:|---:|---:|")
    print(f"| match_frames (frames in memory) | {in_memory:.2f} | {in_memory_cpu:.2f} | {TARGET_S:.0f} |")
    print(f"| auto_match (read, match, write one transaction) | {end_to_end:.2f} | {end_to_end_cpu:.2f} | |")
    print(f"\nmatches: {statuses}; auto_match: {summary.auto:,} automatic, {summary.proposed:,} proposed")
    return 0 if in_memory <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
