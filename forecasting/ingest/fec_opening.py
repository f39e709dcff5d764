"""A FEC's opening entries ("à-nouveaux"): the balances carried from the fiscal year before, told from new documents.

A FEC covers one fiscal year and opens with the balances still owed when the year began: one line per open invoice
(detailed, often with the invoice's own piece number) or one per counterparty (summarised), dated on the year's
first day. Read as documents, they used to do harm three ways:
- importing the year before too: the carried line, with the invoice's own piece number, overwrote the invoice's date
  and amount (issued on the opening day, for what was left of it); with another piece number it was a second debt,
  and the year before's invoice stayed open for ever, forecast to be paid again (and in the aging and dunning list);
- a carried line is no document of its own: delays and invoicing learned from its opening-day date were wrong;
- an opening entry that also opens the bank account (51*) made every carried line a "payment".

The rules (a treasurer's reading; the README's FEC section says the same):
- an opening entry is an entry of a journal named so ("A nouveaux", "Report à nouveau"...; code AN, RAN, ANO,
  ANX) or one with a line on the opening balance account 890 (`opening_lines`); it is never a payment;
- a carried line whose piece is an invoice the database already holds (from another source: the year before) is
  that invoice: its payments this year pay it, its date and amount are left as they were ("restated");
- a carried debt of a counterparty whose invoices from before the opening day are known (the year before was
  imported, under other piece numbers: a summarised opening entry) is those invoices: this year's payments of it
  go to them, oldest first, up to what each one still owes ("dissolved"; ids `<payment>>` + invoice);
- any other carried line is imported as an invoice marked carried forward (C.CARRIED_FORWARD): owed and
  forecast, dated on the opening day (or on its piece date when the software kept it), and nothing is learned
  from it;
- the year before imported after the year after: a carried invoice of a counterparty whose earlier invoices are now
  known is dissolved into them the same way, its payments moved (`dissolve_known`): the order of imports does not
  matter.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import pandas as pd

from forecasting.core import columns as C
from forecasting.ingest.fec_lettering import allocate
from forecasting.ingest.sqlexpr import quote_literal
from forecasting.ingest.upsert import refresh_status
from forecasting.store.transaction import Tx

_OPENING_CODES = {"AN", "RAN", "ANO", "ANX"}
_OPENING_NAME = re.compile(r"nouveau|ouverture")  # "A nouveaux", "Reports à nouveau", "Écritures d'ouverture"
_OPENING_ACCOUNT = r"^89"  # 890 bilan d'ouverture


def opening_lines(lines: pd.DataFrame) -> pd.Series:
    """Return which FEC lines belong to an opening entry (the balances carried from the year before)."""
    code = lines["JournalCode"].str.strip().str.upper()
    name = lines["JournalLib"].map(_plain)
    by_journal = code.isin(_OPENING_CODES) | name.str.contains(_OPENING_NAME)
    entry = lines["JournalCode"] + "|" + lines["EcritureNum"]
    on_890 = set(entry[lines["CompteNum"].str.match(_OPENING_ACCOUNT)])
    return by_journal | entry.isin(on_890)


def _plain(text: str) -> str:
    """Return text lower-cased without accents ("À nouveaux" -> "a nouveaux")."""
    return "".join(c for c in unicodedata.normalize("NFKD", str(text).lower()) if not unicodedata.combining(c))


class Resolved(NamedTuple):
    """A side's documents and payments once its carried lines are told from the invoices already known."""

    invoices: pd.DataFrame  # the documents to import (carried ones not known before, marked `carried`)
    payments: pd.DataFrame  # the payments, those of dissolved carried debts moved to the invoices they were
    replaced: list[str]  # invoices of the database whose FEC payments this file now gives (restated, dissolved into)
    restated: int  # carried lines that were an invoice already known
    dissolved: int  # carried debts read as invoices already known of the same counterparty


def resolve_carried(inv: pd.DataFrame, payments: pd.DataFrame, known: pd.DataFrame,
                    known_settled: pd.Series) -> Resolved:
    """Return the side's documents and payments with its carried lines resolved against the invoices already known.

    `inv`: the file's documents (piece, cp_id, issue_date, amount, carried, opened: the opening entry's date);
    `payments`: their payments (invoice_id, paid_date, paid_amount, payment_id, settled_by, _row); `known`: the
    database's invoices of the side and source not carried forward (invoice_id, counterparty_id, issue_date,
    amount_ttc); `known_settled`: by invoice id, what settled them that this import does not give again.
    """
    carried = inv["carried"].to_numpy(dtype=bool)
    if not carried.any():
        return Resolved(inv, payments, [], 0, 0)
    restated = carried & inv["piece"].isin(set(known[C.INVOICE_ID])).to_numpy()
    # The year before's invoices, from the database and from the file itself (a FEC of two years).
    own = inv[~carried]
    before = pd.concat([
        pd.DataFrame({"piece": known[C.INVOICE_ID].astype(str), "cp_id": known[C.COUNTERPARTY_ID].astype(str),
                      "issue_date": pd.to_datetime(known[C.ISSUE_DATE]),
                      "amount": known[C.AMOUNT_TTC].astype(float)}),
        own[["piece", "cp_id", "issue_date", "amount"]],
    ], ignore_index=True)
    before = before[before["amount"] > 0]
    debts = inv[carried & ~restated & (inv["amount"] > 0).to_numpy()]
    first_opened = before["cp_id"].map(debts.groupby("cp_id")["opened"].min()) if len(debts) else pd.NaT
    targets = before[(before["issue_date"] < first_opened).to_numpy(dtype=bool)]
    dissolved = debts[debts["cp_id"].isin(set(targets["cp_id"]))]
    moved = payments["invoice_id"].isin(set(dissolved["piece"])) & (payments["paid_amount"] > 0)
    moved_to = _moved_payments(payments[moved], dissolved, targets, payments[~moved], known_settled)
    kept = inv[~(restated | inv["piece"].isin(set(dissolved["piece"])).to_numpy())]
    replaced = sorted(set(inv.loc[restated, "piece"]) | set(moved_to["invoice_id"]))
    return Resolved(kept, pd.concat([payments[~moved], moved_to], ignore_index=True), replaced,
                    int(restated.sum()), len(dissolved))


def _moved_payments(paid: pd.DataFrame, debts: pd.DataFrame, targets: pd.DataFrame, others: pd.DataFrame,
                    known_settled: pd.Series) -> pd.DataFrame:
    """Return the payments of carried debts laid on the counterparty's earlier invoices, oldest first.

    Each invoice takes what it still owes: its amount less what settled it already (known_settled) and less this
    file's other payments of it. Money beyond that pays nothing (the carried debt was more than the invoices known).
    """
    if paid.empty:
        return paid
    cp_of = debts.set_index("piece")["cp_id"]
    this_file = others.groupby("invoice_id")["paid_amount"].sum()
    owed = (targets["amount"] - targets["piece"].map(known_settled).fillna(0.0)
            - targets["piece"].map(this_file).fillna(0.0)).clip(lower=0.0)
    sources = pd.DataFrame({"cp_id": paid["invoice_id"].map(cp_of), "letter": "", "entry": paid["payment_id"],
                            "size": paid["paid_amount"], "date": paid["paid_date"], "kind": paid[C.SETTLED_BY],
                            "_row": paid["_row"]})
    shares = allocate(sources, targets.assign(letter="", size=owed.to_numpy())[owed.to_numpy() > 0.004])
    return pd.DataFrame({"invoice_id": shares["target"], "paid_date": shares["date"], "paid_amount": shares["share"],
                         "payment_id": shares["entry"] + ">" + shares["target"], "_row": shares["_row"],
                         C.SETTLED_BY: shares["kind"]})


def period_of(lines: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last entry dates of a FEC: the payments it can speak for."""
    dates = lines["EcritureDate_d"]
    return pd.Timestamp(dates.min()), pd.Timestamp(dates.max())


def dissolve_known(tx: Tx, source: str, side: str) -> int:
    """Dissolve the side's carried invoices whose counterparty's earlier invoices are now known; return how many.

    The year after was imported first: its summarised opening balance became an invoice marked carried forward, and
    the year before now brings the invoices it stood for. Its payments move to them (oldest first, as at import),
    and it is removed: otherwise the same debt is owed twice.
    """
    table = "receivables" if side == C.RECEIVABLE else "payables"
    src = quote_literal(source)
    carried = tx.df(f"SELECT invoice_id, counterparty_id, issue_date FROM {table} WHERE source = {src} "
                    "AND carried_forward AND amount_ttc > 0")
    if carried.empty:
        return 0
    tx.register("fec_carried_known", carried)
    before = tx.df(f"SELECT t.invoice_id, t.counterparty_id, t.issue_date, CAST(t.amount_ttc AS DOUBLE) AS amount "
                   f"FROM {table} t WHERE t.source = {src} AND NOT t.carried_forward AND t.amount_ttc > 0 "
                   "AND t.issue_date < (SELECT min(c.issue_date) FROM fec_carried_known c "
                   "WHERE c.counterparty_id = t.counterparty_id)")
    dissolved = carried[carried[C.COUNTERPARTY_ID].isin(set(before[C.COUNTERPARTY_ID]))]
    if dissolved.empty:
        return 0
    tx.register("fec_dissolved", dissolved[[C.INVOICE_ID]])
    tx.register("fec_before", before[[C.INVOICE_ID]])
    mine = f"source = {src} AND side = '{side}'"
    paid = tx.df(f"SELECT payment_id, invoice_id, payment_date AS paid_date, CAST(amount AS DOUBLE) AS paid_amount, "
                 f"settled_by FROM payments WHERE {mine} AND invoice_id IN (SELECT invoice_id FROM fec_dissolved) "
                 "AND amount > 0")
    settled = tx.df(f"SELECT invoice_id, CAST(sum(amount) AS DOUBLE) AS settled FROM payments WHERE {mine} "
                    "AND invoice_id IN (SELECT invoice_id FROM fec_before) GROUP BY invoice_id")
    debts = pd.DataFrame({"piece": dissolved[C.INVOICE_ID], "cp_id": dissolved[C.COUNTERPARTY_ID]})
    targets = pd.DataFrame({"piece": before[C.INVOICE_ID], "cp_id": before[C.COUNTERPARTY_ID],
                            "issue_date": pd.to_datetime(before[C.ISSUE_DATE]), "amount": before["amount"]})
    paid["paid_date"] = pd.to_datetime(paid["paid_date"])
    moved = _moved_payments(paid.assign(_row=0), debts, targets, paid.iloc[:0],
                            settled.set_index(C.INVOICE_ID)["settled"])
    tx.register("fec_moved", pd.DataFrame({
        "payment_id": moved["payment_id"].astype(object), "invoice_id": moved["invoice_id"].astype(object),
        "payment_date": moved["paid_date"].dt.date, "amount": moved["paid_amount"].astype(float),
        "settled_by": moved[C.SETTLED_BY].astype(object)}))
    tx.execute(f"DELETE FROM payments WHERE {mine} AND (invoice_id IN (SELECT invoice_id FROM fec_dissolved) "
               "OR payment_id IN (SELECT payment_id FROM fec_moved))")
    tx.execute(f"DELETE FROM {table} WHERE source = {src} AND invoice_id IN (SELECT invoice_id FROM fec_dissolved)")
    tx.execute(f"INSERT INTO payments (source, side, payment_id, invoice_id, payment_date, amount, settled_by) "
               f"SELECT {src}, '{side}', payment_id, invoice_id, payment_date, CAST(amount AS DECIMAL(18,2)), "
               "settled_by FROM fec_moved")
    tx.check_key("payments", mine)
    refresh_status(tx, table, side)
    tx.bump_data_version()
    return len(dissolved)
