"""Benchmark: a FEC whose last weeks are not lettered yet, imported and forecast, with and without the unlettered rule.

    python bench/fec_lettering_lag.py

Accountants letter bank lines weeks after the money moved, so a FEC exported today has its last weeks' receipts on
the client accounts but not lettered with the invoices they paid. The demo company's client invoices and receipts
(seed 42, as of 2026-11-23, EUR only) are written as a FEC: one sale entry per invoice (411 / 706) and one bank
entry per receipt (512 / 411), lettered with its invoice when the invoice was fully paid LAG days or more before
as-of (the lettering is done for what was settled before then), not lettered otherwise. Each FEC is imported into a
new database and the forecast is made from it (the demo's payables, bank balances and planned flows as they are).
Three readings per LAG:
- "lettered": the same FEC with everything lettered (LAG 0): the reference;
- "rule": the LAG FEC as imported: each unlettered bank line pays its client's unlettered invoices
  (ingest/fec_lettering.py: the one of its exact amount, else the oldest first);
- "ignored": the same database with those payments deleted, i.e. unlettered bank lines left aside, as before the rule.
The table gives the client invoices open at as-of (count, EUR), the 13-week expected receipts and the expected
closing cash at week 13, each minus the reference's.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forecasting.core import columns as C  # noqa: E402
from forecasting.core.access import import_action  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.ingest.options import ImportOptions  # noqa: E402
from forecasting.ingest.pipeline import import_file  # noqa: E402
from forecasting.ingest.upsert import refresh_status  # noqa: E402
from forecasting.projection.forecast import project  # noqa: E402
from forecasting.store.database import Store  # noqa: E402

AS_OF = pd.Timestamp("2026-11-23")
LAGS_DAYS = (0, 30, 60, 90)
HEADER = ("JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|"
          "PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise")


def _amount(value: float) -> str:
    """Return an amount the FEC way: decimal comma, two decimals."""
    return f"{value:.2f}".replace(".", ",")


def fec_text(ledger: Ledger, lag_days: int) -> str:
    """Return the demo's EUR client invoices and receipts as a FEC, lettered for invoices paid `lag_days` before as-of."""
    inv = ledger.receivables[(ledger.receivables[C.CURRENCY] == "EUR") & (ledger.receivables[C.AMOUNT_TTC] > 0)]
    pay = ledger.payments_of(C.RECEIVABLE)
    pay = pay[pay[C.INVOICE_ID].isin(inv[C.INVOICE_ID]) & (pay[C.PAYMENT_DATE] <= AS_OF) & (pay[C.AMOUNT] > 0)]
    totals = pay.groupby(C.INVOICE_ID).agg(paid=(C.AMOUNT, "sum"), last=(C.PAYMENT_DATE, "max"))
    inv = inv.join(totals, on=C.INVOICE_ID)
    cutoff = AS_OF - pd.Timedelta(days=lag_days)
    lettered = (inv["paid"] >= inv[C.AMOUNT_TTC] - 0.005) & (inv["last"] <= cutoff)
    letters = pd.Series(np.where(lettered, "L" + inv[C.INVOICE_ID].astype(str), ""), index=inv[C.INVOICE_ID])
    lines = [HEADER]
    for n, row in enumerate(inv[inv[C.ISSUE_DATE] <= AS_OF].itertuples(index=False), start=1):
        day, cp, piece = pd.Timestamp(row.issue_date).strftime("%Y%m%d"), row.counterparty_id, row.invoice_id
        letter = letters[piece]
        lines.append(f"VE|Ventes|{n}|{day}|41100000|Clients|{cp}|{cp}|{piece}|{day}|Facture|"
                     f"{_amount(row.amount_ttc)}|0,00|{letter}||||")
        lines.append(f"VE|Ventes|{n}|{day}|70600000|Ventes|||{piece}|{day}|Facture|0,00|{_amount(row.amount_ttc)}"
                     "|||||")
    cps = inv.set_index(C.INVOICE_ID)[C.COUNTERPARTY_ID]
    for n, row in enumerate(pay.itertuples(index=False), start=1):
        day, piece = pd.Timestamp(row.payment_date).strftime("%Y%m%d"), row.invoice_id
        letter, ref = letters[piece], f"VIR{n}"
        lines.append(f"BQ|Banque|{n}|{day}|51200000|Banque|||{ref}|{day}|Virement|{_amount(row.amount)}|0,00|||||")
        lines.append(f"BQ|Banque|{n}|{day}|41100000|Clients|{cps[piece]}|{cps[piece]}|{ref}|{day}|Virement|0,00|"
                     f"{_amount(row.amount)}|{letter}||||")
    return "\r\n".join(lines) + "\r\n"


def imported(text: str, folder: Path, name: str) -> Store:
    """Return a new database holding the FEC `text`."""
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    store = Store(folder / f"{name}.duckdb")
    import_file(store, path, ImportOptions(kind="fec"))
    return store


def without_guesses(store: Store) -> Store:
    """Return the store with the unlettered bank lines' payments deleted (the FEC read as before the rule)."""
    with store.transaction(import_action("payments")) as tx:
        tx.execute("DELETE FROM payments WHERE starts_with(payment_id, 'fec:unlettered:')")
        refresh_status(tx, "receivables", C.RECEIVABLE)
    return store


def reading(store: Store, demo_ledger: Ledger) -> dict[str, float]:
    """Return the open client invoices at as-of and the 13-week forecast made from the store's receivables."""
    fec = store.read_ledger()
    ledger = replace(demo_ledger, receivables=fec.receivables,
                     payments=pd.concat([fec.payments, demo_ledger.payments_of(C.PAYABLE)], ignore_index=True))
    paid = fec.payments.groupby(C.INVOICE_ID)[C.AMOUNT].sum()
    open_eur = (fec.receivables[C.AMOUNT_TTC] - fec.receivables[C.INVOICE_ID].map(paid).fillna(0)).clip(lower=0)
    weekly = project(ledger, AS_OF, 13).weekly
    return {"open invoices": float((open_eur > 0.005).sum()), "open EUR": float(open_eur.sum()),
            "receipts 13 w": float(weekly["receipts"].sum()), "closing week 13": float(weekly["closing_expected"].iloc[-1])}


def main() -> int:
    """Print the table."""
    demo_ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=AS_OF.date()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reference = reading(imported(fec_text(demo_ledger, 0), folder, "lag0"), demo_ledger)
        print(f"Reference (everything lettered): {reference['open invoices']:.0f} open client invoices, "
              f"{reference['open EUR']:,.0f} EUR open, 13-week receipts {reference['receipts 13 w']:,.0f} EUR, "
              f"closing cash at week 13 {reference['closing week 13']:,.0f} EUR (expected)\n")
        print("| lettering lag | unlettered bank lines | read as | open invoices | open EUR | 13-week receipts EUR "
              "| closing week 13 EUR |")
        print("|---|---:|---|---:|---:|---:|---:|")
        for lag in LAGS_DAYS[1:]:
            text = fec_text(demo_ledger, lag)
            unlettered = sum(1 for line in text.splitlines() if line.startswith("BQ|") and "|41100000|" in line
                             and line.split("|")[13] == "")
            store = imported(text, folder, f"lag{lag}")
            for label, found in (("rule", reading(store, demo_ledger)),
                                 ("ignored", reading(without_guesses(store), demo_ledger))):
                diff = {k: found[k] - reference[k] for k in found}
                print(f"| {lag} days | {unlettered} | {label} | {diff['open invoices']:+,.0f} | {diff['open EUR']:+,.0f} "
                      f"| {diff['receipts 13 w']:+,.0f} | {diff['closing week 13']:+,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
