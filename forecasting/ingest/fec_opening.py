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
  go to them, the one of exactly the payment's amount first, else the oldest first, up to what each one still owes
  ("dissolved"; ids `<payment>>` + invoice);
- the payments of a carried line have their ids dated by the opening (`@YYYYMMDD`): entry numbers start again each
  year, and the same invoice paid by entry BQ 5 in both years must keep both payments;
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
from forecasting.ingest.fec_lettering import OpenInvoices
from forecasting.ingest.sqlexpr import quote_literal
from forecasting.ingest.upsert import refresh_status
from forecasting.store.transaction import Tx

_OPENING_CODES = {"AN", "RAN", "ANO", "ANX"}
_OPENING_NAME = re.compile(r"nouveau|ouverture")  # "A nouveaux", "Reports à nouveau", "Écritures d'ouverture"
_OPENING_ACCOUNT = r"^89"  # 890 bilan d'ouverture
YEAR_DAYS = 366  # the year before an opening: its invoices known means that year was imported


def opening_lines(lines: pd.DataFrame, entry: pd.Series) -> pd.Series:
    """Return which FEC lines belong to an opening entry (the balances carried from the year before).

    `entry` is each line's entry (JournalCode | EcritureNum), as the caller keys them.
    """
    # A FEC has a handful of journals and up to millions of lines: each journal's code and name is read once.
    journals = lines[["JournalCode", "JournalLib"]].drop_duplicates()
    opening = journals["JournalCode"].str.strip().str.upper().isin(_OPENING_CODES) | journals["JournalLib"].map(
        _plain).str.contains(_OPENING_NAME)
    by_journal = pd.MultiIndex.from_frame(lines[["JournalCode", "JournalLib"]]).isin(
        pd.MultiIndex.from_frame(journals[opening.to_numpy()]))
    on_890 = set(entry[lines["CompteNum"].str.match(_OPENING_ACCOUNT)])
    return pd.Series(by_journal, index=lines.index) | entry.isin(on_890)


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


def resolve_carried(inv: pd.DataFrame, payments: pd.DataFrame, known: pd.DataFrame, known_settled: pd.Series,
                    year_before_known: bool) -> Resolved:
    """Return the side's documents and payments with its carried lines resolved against the invoices already known.

    `inv`: the file's documents (piece, cp_id, issue_date, amount, carried, opened: the opening entry's date);
    `payments`: their payments (invoice_id, paid_date, paid_amount, payment_id, settled_by, _row); `known`: the
    database's invoices of the side and source not carried forward (invoice_id, counterparty_id, issue_date,
    amount_ttc); `known_settled`: by invoice id, what settled them that this import does not give again;
    `year_before_known`: the database holds the side's invoices of the year before the opening.
    """
    carried = inv["carried"].to_numpy(dtype=bool)
    if not carried.any():
        return Resolved(inv, payments, [], 0, 0)
    opened = inv.loc[carried, "opened"].min()
    # Entry numbers start again each year: this year's BQ 5 paying a carried invoice must not take the id of last
    # year's BQ 5 paying the same invoice (the one would replace the other).
    on_carried = payments["invoice_id"].isin(set(inv.loc[carried, "piece"]))
    payments = payments.assign(payment_id=payments["payment_id"].where(
        ~on_carried, payments["payment_id"] + f"@{opened:%Y%m%d}"))
    restated = carried & inv["piece"].isin(set(known[C.INVOICE_ID])).to_numpy()
    # The year before's invoices, from the database and from the file itself (a FEC of two years).
    own = inv[~carried]
    year_before_known = year_before_known or bool(
        (own["issue_date"] >= opened - pd.Timedelta(days=YEAR_DAYS)).to_numpy().any())
    before = pd.concat([
        pd.DataFrame({"piece": known[C.INVOICE_ID].astype(str), "cp_id": known[C.COUNTERPARTY_ID].astype(str),
                      "issue_date": pd.to_datetime(known[C.ISSUE_DATE]),
                      "amount": known[C.AMOUNT_TTC].astype(float)}),
        own[["piece", "cp_id", "issue_date", "amount"]],
    ], ignore_index=True)
    debts = inv[carried & ~restated & (inv["amount"] > 0).to_numpy()]
    targets = before[(before["amount"] > 0) & (before["issue_date"] < opened)] if year_before_known else before[:0]
    dissolved = debts[debts["cp_id"].isin(set(targets["cp_id"]))]
    moved = payments["invoice_id"].isin(set(dissolved["piece"]))  # money paid back on a carried debt pays nothing
    this_file = payments[~moved].groupby("invoice_id")["paid_amount"].sum()
    owed = (targets["amount"] - targets["piece"].map(known_settled).astype(float).fillna(0.0)
            - targets["piece"].map(this_file).astype(float).fillna(0.0))
    moved_to = moved_payments(payments[moved], dissolved.set_index("piece")["cp_id"], targets.assign(amount=owed))
    kept = inv[~(restated | inv["piece"].isin(set(dissolved["piece"])).to_numpy())]
    replaced = sorted(set(inv.loc[restated, "piece"]) | set(moved_to["invoice_id"]))
    return Resolved(kept, pd.concat([payments[~moved], moved_to], ignore_index=True), replaced,
                    int(restated.sum()), len(dissolved))


def moved_payments(paid: pd.DataFrame, cp_of: pd.Series, owed: pd.DataFrame) -> pd.DataFrame:
    """Return the payments of carried debts laid on the counterparty's earlier invoices as the Code civil imputes.

    `cp_of`: each carried debt's counterparty, by piece; `owed`: the earlier invoices (piece, cp_id, issue_date,
    amount: what each still owes). Each payment, in date order, pays the invoice of exactly its amount when there is
    one, else the oldest first (the rule of the bank lines not lettered yet, fec_lettering.py); the money beyond what
    they owe pays nothing (the carried debt was more than the invoices known).
    """
    columns = ["invoice_id", "paid_date", "paid_amount", "payment_id", "_row", C.SETTLED_BY]
    owed = owed[owed["amount"] > 0.004]
    books = {cp: OpenInvoices(docs.sort_values(["issue_date", "piece"])) for cp, docs in owed.groupby("cp_id")}
    ordered = paid.assign(cp_id=paid["invoice_id"].map(cp_of)).sort_values(["cp_id", "paid_date", "_row",
                                                                             "payment_id"])
    rows = []
    for payment_id, cp, day, amount, line, kind in zip(*(ordered[c].tolist() for c in (
            "payment_id", "cp_id", "paid_date", "paid_amount", "_row", C.SETTLED_BY)), strict=True):
        book = books.get(cp)
        for piece, share in book.pay(float(amount), pd.Timestamp(day)) if book is not None else []:
            rows.append((piece, pd.Timestamp(day), share, f"{payment_id}>{piece}", int(line), kind))
    return pd.DataFrame(rows, columns=columns)


def period_of(lines: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last entry dates of a FEC: the payments it can speak for."""
    dates = lines["EcritureDate_d"]
    return pd.Timestamp(dates.min()), pd.Timestamp(dates.max())


def dissolve_known(tx: Tx, source: str, side: str) -> int:
    """Dissolve the side's carried invoices whose counterparty's earlier invoices are now known; return how many.

    The year after was imported first: its summarised opening balance became an invoice marked carried forward, and
    the year before now brings the invoices it stood for. Its payments move to them (as at import), and it is
    removed: otherwise the same debt is owed twice. The oldest opening first: each takes what the invoices before it
    still owe once the earlier openings have taken theirs.
    """
    table = C.INVOICES_OF_SIDE[side]
    src = quote_literal(source)
    days = tx.df(f"SELECT DISTINCT issue_date FROM {table} WHERE source = {src} AND carried_forward "
                 "AND amount_ttc > 0 ORDER BY issue_date")[C.ISSUE_DATE]
    return sum(_dissolve_opened(tx, table, side, src, pd.Timestamp(day)) for day in days)


def year_before_known_sql(table: str, src: str, day: pd.Timestamp) -> str:
    """Return the SQL of whether the side's invoices of the year before `day` are known (not carried forward)."""
    first, last = (quote_literal(d.date().isoformat()) for d in (day - pd.Timedelta(days=YEAR_DAYS), day))
    return (f"SELECT EXISTS (SELECT 1 FROM {table} WHERE source = {src} AND NOT carried_forward "
            f"AND issue_date >= DATE {first} AND issue_date < DATE {last})")


def _dissolve_opened(tx: Tx, table: str, side: str, src: str, day: pd.Timestamp) -> int:
    """Dissolve the carried invoices dated `day` into their counterparties' invoices before it; return how many."""
    if not tx.scalar(year_before_known_sql(table, src, day)):
        return 0
    on = quote_literal(day.date().isoformat())
    carried = tx.df(f"SELECT invoice_id, counterparty_id FROM {table} WHERE source = {src} AND carried_forward "
                    f"AND amount_ttc > 0 AND issue_date = DATE {on}")
    tx.register("fec_carried_known", carried)
    mine = f"source = {src} AND side = '{side}'"
    before = tx.df(f"SELECT t.invoice_id AS piece, t.counterparty_id AS cp_id, t.issue_date, "
                   "CAST(t.amount_ttc AS DOUBLE) - COALESCE((SELECT CAST(sum(p.amount) AS DOUBLE) FROM payments p "
                   f"WHERE p.{mine.replace(' AND ', ' AND p.')} AND p.invoice_id = t.invoice_id), 0) AS amount "
                   f"FROM {table} t WHERE t.source = {src} AND NOT t.carried_forward AND t.amount_ttc > 0 "
                   f"AND t.issue_date < DATE {on} "
                   "AND t.counterparty_id IN (SELECT counterparty_id FROM fec_carried_known)")
    dissolved = carried[carried[C.COUNTERPARTY_ID].isin(set(before["cp_id"]))]
    if dissolved.empty:
        return 0
    tx.register("fec_dissolved", dissolved[[C.INVOICE_ID]])
    paid = tx.df(f"SELECT payment_id, invoice_id, payment_date AS paid_date, CAST(amount AS DOUBLE) AS paid_amount, "
                 f"settled_by, 0 AS _row FROM payments WHERE {mine} "
                 "AND invoice_id IN (SELECT invoice_id FROM fec_dissolved) AND amount > 0")
    before["issue_date"] = pd.to_datetime(before["issue_date"])
    moved = moved_payments(paid, dissolved.set_index(C.INVOICE_ID)[C.COUNTERPARTY_ID], before)
    tx.register("fec_moved", pd.DataFrame({
        "payment_id": moved["payment_id"].astype(object), "invoice_id": moved["invoice_id"].astype(object),
        "payment_date": pd.to_datetime(moved["paid_date"]).dt.date, "amount": moved["paid_amount"].astype(float),
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
