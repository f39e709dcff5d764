"""Small hand-made ledgers for the forecasting tests (numbers chosen so results can be checked on paper)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger


def invoice(inv_id: str, client: str, issue: str, due: str, amount: float, paid: str | None = None,
            disputed: bool = False, terms: str = "net 30", side: str = C.RECEIVABLE,
            parts: list[tuple[str, float]] | None = None, currency: str = "EUR") -> dict:
    """Return one invoice row: paid in full on `paid` (None = open), or by the (date, amount) `parts`."""
    return {
        C.SOURCE: "test", C.SIDE: side, C.INVOICE_ID: inv_id, C.COUNTERPARTY_ID: client, C.ENTITY: "E",
        C.ISSUE_DATE: pd.Timestamp(issue), C.DUE_DATE: pd.Timestamp(due), C.AMOUNT_TTC: float(amount),
        C.CURRENCY: currency, C.DISPUTED: disputed, C.TERMS: terms, C.STATUS: "paid" if paid else "open",
        "_parts": [(paid, float(amount))] if paid else list(parts or []),
    }


def make_ledger(receivables: Iterable[dict] = (), payables: Iterable[dict] = (),
                counterparties: Iterable[dict] = (), bank_balances: Iterable[dict] = (),
                bank_accounts: Iterable[dict] = (), planned_flows: Iterable[dict] = (),
                fx_rates: Iterable[dict] = ()) -> Ledger:
    """Return a Ledger from invoice rows (payments generated from each invoice's '_parts') and other rows."""
    empty = Ledger.empty()
    frames = {}
    payments = []
    for side, rows in ((C.RECEIVABLE, list(receivables)), (C.PAYABLE, list(payables))):
        for row in rows:
            for k, (day, amount) in enumerate(row["_parts"]):
                payments.append({C.SOURCE: "test", C.SIDE: side, C.PAYMENT_ID: f"p-{row[C.INVOICE_ID]}-{k}",
                                 C.INVOICE_ID: row[C.INVOICE_ID], C.PAYMENT_DATE: pd.Timestamp(day),
                                 C.AMOUNT: amount})
        cols = C.INVOICE_COLUMNS
        frames[side] = pd.DataFrame([{k: r[k] for k in cols} for r in rows], columns=cols)
    cps = list(counterparties)
    if not cps:  # every invoice's counterparty, in one segment
        ids = {(r[C.SIDE], r[C.COUNTERPARTY_ID]) for r in list(receivables) + list(payables)}
        cps = [counterparty(cp, kind=C.KIND_OF_SIDE[side]) for side, cp in sorted(ids)]

    def frame(rows: Iterable[dict], like: pd.DataFrame) -> pd.DataFrame:
        rows = list(rows)
        return pd.DataFrame(rows, columns=like.columns) if rows else like

    return Ledger(
        counterparties=frame(cps, empty.counterparties),
        receivables=frames[C.RECEIVABLE], payables=frames[C.PAYABLE],
        payments=frame(payments, empty.payments),
        bank_accounts=frame(bank_accounts, empty.bank_accounts),
        bank_balances=frame(bank_balances, empty.bank_balances),
        planned_flows=frame(planned_flows, empty.planned_flows),
        fx_rates=frame(fx_rates, empty.fx_rates),
    )


def counterparty(cp_id: str, segment: str = "SME", kind: str = C.CLIENT, terms: str = "net 30") -> dict:
    """Return one counterparty row."""
    return {C.COUNTERPARTY_ID: cp_id, C.KIND: kind, C.NAME: cp_id.title(), C.SEGMENT: segment,
            C.TERMS: terms, C.CREDIT_LIMIT: 0.0, C.CURRENCY: "EUR", C.ENTITY: "E"}


def monthly_history(client: str, delay_days: int | list[int], n: int, first_issue: str = "2025-01-05",
                    amount: float = 1000.0, prefix: str | None = None, terms_days: int = 30) -> list[dict]:
    """Return n paid invoices of a client, one every 30 days, each paid `delay_days` after its due date."""
    out = []
    delays = delay_days if isinstance(delay_days, list) else [delay_days] * n
    for i in range(n):
        issue = pd.Timestamp(first_issue) + pd.Timedelta(days=30 * i)
        due = issue + pd.Timedelta(days=terms_days)
        paid = due + pd.Timedelta(days=delays[i % len(delays)])
        out.append(invoice(f"{prefix or client}-{i}", client, str(issue.date()), str(due.date()), amount,
                           paid=str(paid.date())))
    return out
