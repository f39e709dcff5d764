"""FEC lettering turned into payments: each lettered bank line pays the invoices of its letter on its own date.

The rules (a treasurer's reading; the README's FEC section says the same):
- a bank line is a line of the 411/401 account in an entry that touches a bank or cash account (51*, 53*); the
  lines of one entry for one counterparty and letter are one movement, dated by the entry's `EcritureDate` (when
  the money moved), never by `DateLet` (when the accountant lettered, often weeks later);
- within a letter (a counterparty's lettering group), the money is allocated to the invoices oldest first, and the
  movements are taken in date order: the oldest invoice receives the earliest money. One bank line can pay several
  invoices and one invoice can be paid by several bank lines: each (bank line, invoice) share is one payment;
- a credit note lettered with invoices settles them without cash: its amount is taken, at its own date, like a
  movement (an invoice settled by a credit note dated before it is settled on its own date). The invoice receives
  that share as a settlement and the credit note the opposite one, on the same day, so the cash they add up to is
  zero. A refund (a bank line paying money back) settles the credit notes first. What a credit note still holds
  is settled on its own date (one not lettered yet: below). These three settlements are
  marked settled by a credit note (C.CREDIT_NOTE), the bank lines' shares cash: no money moved in the former, so
  the model learns no payment date from them;
- a letter without any bank line or credit note (lettered against an entry of another journal) moves no cash:
  no payment, the invoice stays open; money beyond the invoices of its letter (an overpayment) pays nothing;
- a bank line not lettered yet (accountants letter weeks or months after the money moved, so the last weeks of an
  export are mostly unlettered) is money the bank balance already holds: left aside, the invoices it paid would
  look open and be forecast to come in a second time. It pays the counterparty's unlettered invoices issued by its
  date: the oldest one of exactly its amount when there is one (a transfer of an invoice's amount paid that
  invoice), else the oldest first, as the Code civil imputes a payment without instructions (art. 1342-10). What
  is left (no such invoice: a deposit, money on account) pays nothing. Its payments are marked `fec:unlettered:`,
  and the FEC imported again once lettered replaces them with the lettering's;
- a credit note not lettered yet settles, on its date, the counterparty's unlettered invoices issued by then in the
  same way (the one of exactly its amount, else the oldest first), without cash and before that day's bank lines
  (a client pays what is left once the credit note is out): left aside, the invoice it cancels would be forecast
  to bring its whole amount. What it still holds is settled on its own date.
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd

from forecasting.core import columns as C

_GROUP = ["cp_id", "letter"]


def lettered_payments(mine: pd.DataFrame, inv: pd.DataFrame) -> pd.DataFrame:
    """Return the payments of the invoices `inv` of one side: invoice_id, paid_date, paid_amount, payment_id, _row and
    settled_by (C.CASH for a bank line's share, C.CREDIT_NOTE for the three credit settlements).

    `mine` holds the side's FEC lines with cp_id, letter, signed (the invoice-side amount), is_payment and
    entry; `inv` one row per document and letter (a document lettered two ways is two parts, fec._lettered_parts)
    with piece, cp_id, letter, issue_date, amount and _row.
    """
    bank = mine[mine["is_payment"] & (mine["letter"] != "")]
    moves = bank.groupby([*_GROUP, "entry"], as_index=False).agg(
        cash=("signed", lambda s: -s.sum()), date=("EcritureDate_d", "max"), _row=("_row", "min"))
    moves = moves[moves["cash"].abs() > 0.004]
    lettered = inv[inv["letter"] != ""]
    invoices = lettered[lettered["amount"] > 0]
    credits = inv[inv["amount"] < 0].assign(size=lambda f: -f["amount"])
    # 1. refunds (money paid back) settle the credit notes of their letter.
    refunds = moves[moves["cash"] < 0].assign(size=lambda f: -f["cash"], kind="bank")
    paid_back = _allocate(refunds, credits[credits["letter"] != ""])
    # 2. what the credit notes still hold settles invoices; then the bank receipts pay the rest.
    refunded = paid_back.groupby("target")["share"].sum()
    credits = credits.assign(size=credits["size"] - credits["piece"].map(refunded).astype(float).fillna(0.0))
    credit_sources = credits[(credits["letter"] != "") & (credits["size"] > 0.004)].assign(
        date=lambda f: f["issue_date"], kind="credit", entry=lambda f: f["piece"])
    receipts = moves[moves["cash"] > 0].assign(size=lambda f: f["cash"], kind="bank")
    sources = pd.concat([credit_sources[[*_GROUP, "entry", "size", "date", "kind", "_row"]],
                        receipts[[*_GROUP, "entry", "size", "date", "kind", "_row"]]], ignore_index=True)
    settled = _allocate(sources, invoices)
    by_credit = settled[settled["kind"] == "credit"]
    used = by_credit.groupby("entry")["share"].sum()
    leftover = credits.assign(size=credits["size"] - credits["piece"].map(used).astype(float).fillna(0.0))
    leftover = leftover[(leftover["size"] > 0.004) & (leftover["letter"] != "")]  # unlettered: unlettered_payments
    journal = _pieces(inv)
    bank_shares = settled[settled["kind"] == "bank"]
    on_later_date = by_credit.assign(date=np.maximum(by_credit["date"], by_credit["target_date"]))
    out = [
        _payments(paid_back, "target", -1.0, "fec:" + paid_back["entry"] + ":" + paid_back["target"], C.CASH),
        _payments(bank_shares, "target", 1.0, "fec:" + bank_shares["entry"] + ":" + bank_shares["target"], C.CASH),
        # The settlement between an invoice and a credit note: on the later of their dates, zero cash in all.
        _payments(on_later_date, "target", 1.0, "fec:credit:" + by_credit["entry"] + ":" + by_credit["target"],
                  C.CREDIT_NOTE),
        _payments(on_later_date.assign(_row=by_credit["entry"].map(journal)), "entry", -1.0,
                  "fec:applied:" + by_credit["entry"] + ":" + by_credit["target"], C.CREDIT_NOTE),
        pd.DataFrame({"invoice_id": leftover["piece"], "paid_date": leftover["issue_date"],
                      "paid_amount": -leftover["size"], "payment_id": "fec:credit-note:" + leftover["piece"],
                      "_row": leftover["_row"], C.SETTLED_BY: C.CREDIT_NOTE}),
    ]
    frames = [f for f in out if len(f)]
    if not frames:
        return pd.DataFrame(columns=["invoice_id", "paid_date", "paid_amount", "payment_id", "_row", C.SETTLED_BY])
    pays = pd.concat(frames, ignore_index=True)
    # One bank entry with two lines for one invoice (a transfer split in the books) is one payment.
    return pays.groupby("payment_id", as_index=False, sort=False).agg(
        invoice_id=("invoice_id", "first"), paid_date=("paid_date", "first"), paid_amount=("paid_amount", "sum"),
        _row=("_row", "min"), **{C.SETTLED_BY: (C.SETTLED_BY, "first")})


def _pieces(inv: pd.DataFrame) -> pd.Series:
    """Return each document's first FEC line, by piece."""
    return inv.groupby("piece")["_row"].min()


def _allocate(sources: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Return the shares of each source (by date) in each target (oldest first) of the same letter.

    Both sides are laid end to end within their letter; a source's share in a target is the overlap of their
    spans, so the earliest money goes to the oldest document and nothing is paid twice.
    """
    empty = pd.DataFrame({"entry": pd.Series(dtype=object), "target": pd.Series(dtype=object),
                          "share": pd.Series(dtype=float), "date": pd.Series(dtype="datetime64[ns]"),
                          "target_date": pd.Series(dtype="datetime64[ns]"), "kind": pd.Series(dtype=object),
                          "_row": pd.Series(dtype="int64")})
    if sources.empty or targets.empty:
        return empty
    src = sources.sort_values([*_GROUP, "date", "kind", "entry"]).copy()
    src["s_end"] = src.groupby(_GROUP)["size"].cumsum()
    src["s_start"] = src["s_end"] - src["size"]
    tgt = targets.sort_values([*_GROUP, "issue_date", "piece"]).copy()
    tgt["t_end"] = tgt.groupby(_GROUP)["size" if "size" in tgt else "amount"].cumsum()
    tgt["t_start"] = tgt["t_end"] - tgt["size" if "size" in tgt else "amount"]
    pairs = src.merge(tgt[[*_GROUP, "piece", "issue_date", "t_start", "t_end"]], on=_GROUP)
    pairs["share"] = (np.minimum(pairs["s_end"], pairs["t_end"]) - np.maximum(pairs["s_start"], pairs["t_start"]))
    pairs = pairs[pairs["share"] > 0.004]
    if pairs.empty:
        return empty
    return pd.DataFrame({"entry": pairs["entry"], "target": pairs["piece"], "share": pairs["share"].round(2),
                         "date": pairs["date"], "target_date": pairs["issue_date"], "kind": pairs["kind"],
                         "_row": pairs["_row"]})


def _payments(shares: pd.DataFrame, who: str, sign: float, ids: pd.Series, settled_by: str) -> pd.DataFrame:
    """Return shares as payments of the document named in column `who`, signed, settled by cash or a credit note."""
    return pd.DataFrame({"invoice_id": shares[who], "paid_date": shares["date"], "paid_amount": sign * shares["share"],
                         "payment_id": ids, "_row": shares["_row"], C.SETTLED_BY: settled_by})


def unlettered_payments(mine: pd.DataFrame, inv: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Return the settlements of the side's unlettered bank receipts and credit notes (the module's rules), and how
    many of those bank lines paid an invoice and how many found none.

    `mine` and `inv` are as for `lettered_payments`. Refunds (money paid back) unlettered are left aside.
    """
    bank = mine[mine["is_payment"] & (mine["letter"] == "")]
    moves = bank.groupby(["cp_id", "entry"], as_index=False).agg(
        size=("signed", lambda s: -s.sum()), date=("EcritureDate_d", "max"), line=("_row", "min"))
    moves = moves[moves["size"] > 0.004].assign(kind="bank")
    credits = inv[(inv["letter"] == "") & (inv["amount"] < -0.004)]
    credits = pd.DataFrame({"cp_id": credits["cp_id"], "entry": credits["piece"], "size": -credits["amount"],
                            "date": credits["issue_date"], "line": credits["_row"], "kind": "credit"})
    sources = pd.concat([moves, credits], ignore_index=True)
    targets = inv[(inv["letter"] == "") & (inv["amount"] > 0.004) & inv["cp_id"].isin(sources["cp_id"])]
    books = {cp: OpenInvoices(docs.sort_values(["issue_date", "piece"])) for cp, docs in targets.groupby("cp_id")}
    rows: list[tuple[str, str, pd.Timestamp, float, int, str]] = []
    unused = 0
    # Credit notes before bank lines of the same day: a client pays what is left once a credit note is out.
    ordered = sources.sort_values(["cp_id", "date", "kind", "entry"], ascending=[True, True, False, True])
    for cp, entry, size, day, line, kind in zip(*(ordered[c].tolist() for c in (
            "cp_id", "entry", "size", "date", "line", "kind")), strict=True):
        book, when = books.get(cp), pd.Timestamp(day)
        paid = book.pay(float(size), when) if book is not None else []
        if kind == "bank":
            unused += not paid
            rows.extend((f"fec:unlettered:{entry}:{piece}", piece, when, share, int(line), C.CASH)
                        for piece, share in paid)
            continue
        for piece, share in paid:  # the invoice's share of the credit note and the credit note's opposite one
            rows.append((f"fec:credit:{entry}:{piece}", piece, when, share, int(line), C.CREDIT_NOTE))
            rows.append((f"fec:applied:{entry}:{piece}", str(entry), when, -share, int(line), C.CREDIT_NOTE))
        left = round(float(size) - sum(share for _, share in paid), 2)
        if left > 0.004:  # what it still holds is settled on its own date
            rows.append((f"fec:credit-note:{entry}", str(entry), when, -left, int(line), C.CREDIT_NOTE))
    used = len(moves) - unused
    columns = ["payment_id", "invoice_id", "paid_date", "paid_amount", "_row", C.SETTLED_BY]
    return pd.DataFrame(rows, columns=columns), used, unused


class OpenInvoices:
    """One counterparty's unlettered invoices, oldest first, with what is left to pay on each (in cents)."""

    def __init__(self, docs: pd.DataFrame) -> None:
        """Index the invoices (sorted oldest first) by position and by the cents left on each."""
        self.pieces: list[str] = docs["piece"].astype(str).tolist()
        self.issued: list[pd.Timestamp] = [pd.Timestamp(d) for d in docs["issue_date"]]
        self.left: list[int] = [round(a * 100) for a in docs["amount"].tolist()]
        self.first_open = 0
        self.by_cents: dict[int, list[int]] = {}
        for i, cents in enumerate(self.left):
            self.by_cents.setdefault(cents, []).append(i)

    def pay(self, cash: float, day: pd.Timestamp) -> list[tuple[str, float]]:
        """Return (invoice, share) paid by `cash` received on `day`: the oldest invoice issued by then of exactly that
        amount, else the oldest ones first."""
        cents, issued_by = round(cash * 100), bisect.bisect_right(self.issued, day)
        same = [i for i in self.by_cents.get(cents, []) if i < issued_by]
        order = same[:1] or range(self.first_open, issued_by)
        paid: list[tuple[str, float]] = []
        for i in order:
            if cents <= 0:
                break
            share = min(cents, self.left[i])
            if share <= 0:
                continue
            self._set(i, self.left[i] - share)
            cents -= share
            paid.append((self.pieces[i], share / 100))
        while self.first_open < len(self.left) and self.left[self.first_open] <= 0:
            self.first_open += 1
        return paid

    def _set(self, i: int, cents: int) -> None:
        """Record what is left on invoice i, keeping the index by cents in step."""
        self.by_cents[self.left[i]].remove(i)
        self.left[i] = cents
        if cents > 0:
            bisect.insort(self.by_cents.setdefault(cents, []), i)
