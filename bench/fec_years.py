"""Benchmark: the demo's receivables as one FEC per fiscal year, each opening with the year before's balances.

    python bench/fec_years.py
    CASHPILOT_ROOT=/path/to/an/older/checkout python bench/fec_years.py   # the same files through older code

A FEC covers one fiscal year and opens with the balances still owed when it began ("à-nouveaux", journal AN, against
890). The demo company's EUR client invoices and receipts (seed 42, as of 2026-11-23: 2023-11-23 to 2026-11-23) are
written as four calendar-year FECs, every receipt lettered with the invoice it paid; an invoice open at a year end is
carried into the next year's opening entry:
- "detailed": one carried line per open invoice, with its piece number and what it still owed, lettered with the
  receipts of the next year that paid it;
- "summarised": one carried line per client (piece AN<year>, its open invoices' total), lettered with all of them.
The files are imported into a new database, in year order or in reverse, and the forecast is made from it (the
demo's payables, bank balances and planned flows as they are). The reference is the same invoices and receipts in one
FEC spanning the three years (no opening entry). The table gives, minus the reference's: the client invoices in the
database, those open at as-of (count, EUR), the 13-week expected receipts and the expected closing cash at week 13;
and the mean days to pay of the invoices paid in the last 365 days that the model learns from (issue to last
payment, as the database dates them; balances carried forward left out where the code marks them).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd

ROOT = Path(os.environ.get("CASHPILOT_ROOT", Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(ROOT))

from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.ingest.options import ImportOptions  # noqa: E402
from forecasting.ingest.pipeline import import_file  # noqa: E402
from forecasting.model.settlement import settle  # noqa: E402
from forecasting.projection.forecast import project  # noqa: E402
from forecasting.store.database import Store  # noqa: E402

AS_OF = pd.Timestamp("2026-11-23")
YEARS = (2023, 2024, 2025, 2026)
HEADER = ("JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|"
          "PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise")


def _amount(value: float) -> str:
    """Return an amount the FEC way: decimal comma, two decimals."""
    return f"{value:.2f}".replace(".", ",")


def _day(value: pd.Timestamp) -> str:
    """Return a date the FEC way."""
    return pd.Timestamp(value).strftime("%Y%m%d")


def demo_receivables(ledger: Ledger) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the demo's EUR client invoices issued by as-of and their receipts by as-of."""
    inv = ledger.receivables
    inv = inv[(inv[C.CURRENCY] == "EUR") & (inv[C.AMOUNT_TTC] > 0) & (inv[C.ISSUE_DATE] <= AS_OF)]
    pay = ledger.payments_of(C.RECEIVABLE)
    pay = pay[pay[C.INVOICE_ID].isin(inv[C.INVOICE_ID]) & (pay[C.PAYMENT_DATE] <= AS_OF) & (pay[C.AMOUNT] > 0)]
    return inv, pay


def fec_text(inv: pd.DataFrame, pay: pd.DataFrame, year: int | None, carried: str) -> str:
    """Return the FEC of one calendar year (None: every year in one file) with its opening entry (`carried`)."""
    first = pd.Timestamp(f"{year}-01-01") if year else pd.Timestamp("1900-01-01")
    last = pd.Timestamp(f"{year}-12-31") if year else AS_OF
    cps = inv.set_index(C.INVOICE_ID)[C.COUNTERPARTY_ID]
    lines = [HEADER]
    paid_before = pay[pay[C.PAYMENT_DATE] < first].groupby(C.INVOICE_ID)[C.AMOUNT].sum()
    owed = inv[inv[C.ISSUE_DATE] < first].set_index(C.INVOICE_ID)[C.AMOUNT_TTC]
    owed = (owed - owed.index.map(paid_before).fillna(0.0).to_numpy()).round(2)
    owed = owed[owed > 0.005]
    summarised = carried == "summarised"
    letter_of = {piece: (f"A{cps[piece]}" if summarised else f"L{piece}") for piece in owed.index}
    if len(owed):
        day = _day(first)
        if summarised:
            for cp, total in owed.groupby(owed.index.map(cps)).sum().items():
                lines.append(f"AN|A nouveaux|1|{day}|41100000|Clients|{cp}|{cp}|AN{year}|{day}|A nouveau|"
                             f"{_amount(total)}|0,00|A{cp}||||")
        else:
            for piece, left in owed.items():
                lines.append(f"AN|A nouveaux|1|{day}|41100000|Clients|{cps[piece]}|{cps[piece]}|{piece}|{day}|"
                             f"A nouveau|{_amount(left)}|0,00|L{piece}||||")
        lines.append(f"AN|A nouveaux|1|{day}|89000000|Bilan d'ouverture|||AN{year}|{day}|A nouveau|0,00|"
                     f"{_amount(owed.sum())}|||||")
    issued = inv[(inv[C.ISSUE_DATE] >= first) & (inv[C.ISSUE_DATE] <= last)]
    for n, row in enumerate(issued.itertuples(index=False), start=1):
        day, cp, piece = _day(row.issue_date), row.counterparty_id, row.invoice_id
        lines.append(f"VE|Ventes|{n}|{day}|41100000|Clients|{cp}|{cp}|{piece}|{day}|Facture|"
                     f"{_amount(row.amount_ttc)}|0,00|L{piece}||||")
        lines.append(f"VE|Ventes|{n}|{day}|70600000|Ventes|||{piece}|{day}|Facture|0,00|{_amount(row.amount_ttc)}"
                     "|||||")
    received = pay[(pay[C.PAYMENT_DATE] >= first) & (pay[C.PAYMENT_DATE] <= last)]
    for n, row in enumerate(received.itertuples(index=False), start=1):
        day, piece, ref = _day(row.payment_date), row.invoice_id, f"VIR{n}"
        letter = letter_of.get(piece, f"L{piece}")
        lines.append(f"BQ|Banque|{n}|{day}|51200000|Banque|||{ref}|{day}|Virement|{_amount(row.amount)}|0,00|||||")
        lines.append(f"BQ|Banque|{n}|{day}|41100000|Clients|{cps[piece]}|{cps[piece]}|{ref}|{day}|Virement|0,00|"
                     f"{_amount(row.amount)}|{letter}||||")
    return "\r\n".join(lines) + "\r\n"


def imported(texts: list[str], folder: Path, name: str) -> Store:
    """Return a new database holding the FEC texts, imported in the order given."""
    store = Store(folder / f"{name}.duckdb")
    for k, text in enumerate(texts):
        path = folder / f"{name}-{k}.txt"
        path.write_text(text, encoding="utf-8")
        import_file(store, path, ImportOptions(kind="fec"))
    return store


def reading(store: Store, demo_ledger: Ledger) -> dict[str, float]:
    """Return the client invoices known and open at as-of and the 13-week forecast made from the store."""
    fec = store.read_ledger()
    ledger = replace(demo_ledger, receivables=fec.receivables,
                     payments=pd.concat([fec.payments, demo_ledger.payments_of(C.PAYABLE)], ignore_index=True))
    settled = settle(fec.receivables, fec.payments_of(C.RECEIVABLE), AS_OF)
    open_eur = settled["open_amount"].clip(lower=0)
    cash = project(ledger, AS_OF, 13)
    weekly = cash.weekly
    # What the model learns from: a balance carried forward (when the code marks them) is left out.
    own = ~settled["carried_forward"].astype(bool) if "carried_forward" in settled else True
    recent = settled[own & settled["paid_date"].notna() & (settled["paid_date"] > AS_OF - pd.Timedelta(days=365))]
    days_to_pay = float((recent["paid_date"] - recent[C.ISSUE_DATE]).dt.days.mean())
    return {"invoices": float(len(fec.receivables)), "open invoices": float((open_eur > 0.005).sum()),
            "open EUR": float(open_eur.sum()), "receipts 13 w": float(weekly["receipts"].sum()),
            "closing week 13": float(weekly["closing_expected"].iloc[-1]), "days to pay": days_to_pay}


def main() -> int:
    """Print the table."""
    demo_ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=AS_OF.date()))
    inv, pay = demo_receivables(demo_ledger)
    print(f"code: {ROOT}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reference = reading(imported([fec_text(inv, pay, None, "none")], folder, "one"), demo_ledger)
        print(f"Reference (one FEC, no opening entry): {reference['invoices']:.0f} client invoices, "
              f"{reference['open invoices']:.0f} open at as-of ({reference['open EUR']:,.0f} EUR), 13-week receipts "
              f"{reference['receipts 13 w']:,.0f} EUR, closing cash at week 13 {reference['closing week 13']:,.0f} EUR "
              f"(expected), days to pay {reference['days to pay']:.1f}\n")
        print("| opening entries | imported | invoices | open invoices | open EUR | 13-week receipts EUR "
              "| closing week 13 EUR | days to pay |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for carried in ("detailed", "summarised"):
            texts = [fec_text(inv, pay, year, carried) for year in YEARS]
            for order, files in (("in year order", texts), ("newest first", texts[::-1])):
                try:
                    found = reading(imported(files, folder, f"{carried}-{order[:2]}"), demo_ledger)
                except Exception as error:  # an older importer may refuse the files: say so
                    print(f"| {carried} | {order} | refused: {str(error).splitlines()[0][:90]} |||||")
                    continue
                diff = {k: found[k] - reference[k] for k in found}
                print(f"| {carried} | {order} | {diff['invoices']:+,.0f} | {diff['open invoices']:+,.0f} "
                      f"| {diff['open EUR']:+,.0f} | {diff['receipts 13 w']:+,.0f} | {diff['closing week 13']:+,.0f} "
                      f"| {diff['days to pay']:+.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
