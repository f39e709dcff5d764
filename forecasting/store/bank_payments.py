"""Payments seen at the bank: how an applied match pays invoices without ever being counted twice with the ledger.

A match that is applied (status auto, accepted or manual) pays its invoices at the movement's booking date. The
ledger stays the authority: per invoice, the bank's payments count only for what the ledger's own payments do not
already show, i.e. (in the invoice's sign)
  counted = clip(min(bank − ledger cash payments dated from (first bank date − LEDGER_CATCH_UP_DAYS),
                     amount_ttc − all ledger payments), 0, bank);
a credit note set against the invoice is no money the bank could have seen, but it lowers what is still owed.
When the next ledger export records the same payment, the bank's share falls to 0; an undone match (rejected) pays
nothing, and the invoice is open and forecast again. A FEC's guess for a bank line not lettered yet is not the
ledger's word: it gives way to a match for the same money (below).
"""

from __future__ import annotations

from forecasting.store.transaction import Tx

# A ledger payment dated up to this many days before the bank's booking is the same money (a ledger often dates a
# transfer on the day the client ordered it, a few days before it reached the account).
LEDGER_CATCH_UP_DAYS = 10
APPLIED = ("auto", "accepted", "manual")
MATCH_STATUSES = ("auto", "proposed", "accepted", "rejected", "manual")
APPLIED_SQL = "('auto', 'accepted', 'manual')"

# A FEC's bank line not lettered yet pays invoices by a rule (`fec:unlettered:`, ingest/fec_lettering.py): a guess.
# An applied match of the same counterparty for the same amount, booked within LEDGER_CATCH_UP_DAYS of it, is that
# same money allocated by the movement's own references (or by hand): the match wins, the guess is left out, so the
# money is counted once. Guesses and matches of one counterparty and amount pair in date order, one for one.
_LEDGER_PAYMENTS = f"""
    WITH parties AS (
        SELECT source, 'receivable' AS side, invoice_id, counterparty_id FROM receivables
        UNION ALL
        SELECT source, 'payable' AS side, invoice_id, counterparty_id FROM payables
    ), guesses AS (
        SELECT p.source, p.side, c.counterparty_id,
               left(p.payment_id, length(p.payment_id) - length(p.invoice_id) - 1) AS line,
               min(p.payment_date) AS day, round(sum(CAST(p.amount AS DOUBLE)), 2) AS cash
        FROM payments p JOIN parties c USING (source, side, invoice_id)
        WHERE starts_with(p.payment_id, 'fec:unlettered:') GROUP BY ALL
    ), matched AS (
        SELECT DISTINCT m.match_id, m.side, c.counterparty_id, b.booking_date AS day,
               round(abs(CAST(b.amount AS DOUBLE)), 2) AS cash
        FROM bank_matches m JOIN bank_match_invoices i USING (match_id)
        JOIN bank_movements b ON b.account_id = m.account_id AND b.movement_id = m.movement_id
        JOIN parties c ON c.source = i.source AND c.side = m.side AND c.invoice_id = i.invoice_id
        WHERE m.status IN {APPLIED_SQL}
    ), ranked_guesses AS (
        SELECT *, row_number() OVER (PARTITION BY side, counterparty_id, cash ORDER BY day, line) AS k FROM guesses
    ), ranked_matches AS (
        SELECT *, row_number() OVER (PARTITION BY side, counterparty_id, cash ORDER BY day, match_id) AS k
        FROM matched
    ), superseded AS (
        SELECT g.source, g.side, g.line FROM ranked_guesses g JOIN ranked_matches x USING (side, counterparty_id, cash, k)
        WHERE x.day BETWEEN g.day - INTERVAL {LEDGER_CATCH_UP_DAYS} DAY AND g.day + INTERVAL {LEDGER_CATCH_UP_DAYS} DAY
    )
    SELECT p.source, p.side, p.payment_id, p.invoice_id, p.payment_date, p.amount, p.settled_by FROM payments p
    WHERE NOT starts_with(p.payment_id, 'fec:unlettered:')
       OR (p.source, p.side, left(p.payment_id, length(p.payment_id) - length(p.invoice_id) - 1))
          NOT IN (SELECT (source, side, line) FROM superseded)
"""

_BANK_PAYMENTS = f"""
    WITH alloc AS (
        SELECT i.source, m.side, 'bank:' || m.account_id || ':' || m.movement_id || ':' || i.invoice_id AS payment_id,
               i.invoice_id, b.booking_date AS payment_date, CAST(i.amount AS DOUBLE) AS amount
        FROM bank_matches m JOIN bank_match_invoices i USING (match_id)
        JOIN bank_movements b ON b.account_id = m.account_id AND b.movement_id = m.movement_id
        WHERE m.status IN {APPLIED_SQL}
    ), per_invoice AS (
        SELECT source, side, invoice_id, sum(amount) AS bank_paid, min(payment_date) AS first_date
        FROM alloc GROUP BY ALL
    ), ledger AS (
        SELECT p.source, p.side, p.invoice_id, sum(CAST(p.amount AS DOUBLE)) AS ledger_paid,
               sum(CAST(p.amount AS DOUBLE)) FILTER (
                   WHERE p.settled_by = 'cash'
                   AND p.payment_date >= b.first_date - INTERVAL {LEDGER_CATCH_UP_DAYS} DAY) AS ledger_since
        FROM ({_LEDGER_PAYMENTS}) p JOIN per_invoice b USING (source, side, invoice_id) GROUP BY ALL
    ), invoices AS (
        SELECT source, 'receivable' AS side, invoice_id, CAST(amount_ttc AS DOUBLE) AS amount_ttc FROM receivables
        UNION ALL
        SELECT source, 'payable' AS side, invoice_id, CAST(amount_ttc AS DOUBLE) AS amount_ttc FROM payables
    ), counted AS (
        SELECT b.source, b.side, b.invoice_id, s.sign * b.bank_paid AS bank,
               greatest(0, least(s.sign * (b.bank_paid - COALESCE(l.ledger_since, 0)),
                                 s.sign * (v.amount_ttc - COALESCE(l.ledger_paid, 0)))) AS kept
        FROM per_invoice b JOIN invoices v USING (source, side, invoice_id)
        LEFT JOIN ledger l USING (source, side, invoice_id),
        LATERAL (SELECT CASE WHEN v.amount_ttc < 0 THEN -1.0 ELSE 1.0 END AS sign) s
    )
    SELECT a.source, a.side, a.payment_id, a.invoice_id, a.payment_date,
           CAST(round(a.amount * least(c.kept / c.bank, 1.0), 2) AS DECIMAL(18,2)) AS amount, 'cash' AS settled_by
    FROM alloc a JOIN counted c USING (source, side, invoice_id)
    WHERE c.bank > 0 AND c.kept > 0.005
"""
# The payments the forecast sees: the ledger's, plus what the bank paid that the ledger does not show yet.
EFFECTIVE_PAYMENTS_SQL = f"({_LEDGER_PAYMENTS}) UNION ALL ({_BANK_PAYMENTS})"


def has_applied_matches(tx: Tx) -> bool:
    """Return True when some match pays invoices (the ledger's payments then need the bank's added)."""
    return bool(tx.scalar(f"SELECT EXISTS (SELECT 1 FROM bank_matches WHERE status IN {APPLIED_SQL})"))


def status_sql(paid: str, amount: str) -> str:
    """Return 'paid' or 'open' for an invoice of `amount` with `paid` received (NULL: nothing)."""
    return (f"CASE WHEN COALESCE({paid}, 0) >= {amount} - 0.005 AND {amount} > 0 "
            f"OR ({amount} <= 0 AND COALESCE({paid}, 0) <= {amount} + 0.005) THEN 'paid' ELSE 'open' END")


def refresh_status(tx: Tx, table: str, side: str) -> None:
    """Recompute open/paid from the ledger's and the bank's payments (written-off invoices keep their status)."""
    payments = f"({EFFECTIVE_PAYMENTS_SQL})" if has_applied_matches(tx) else "payments"
    tx.execute(
        f"UPDATE {table} AS t SET status = n.status FROM ("
        f"SELECT i.source, i.invoice_id, {status_sql('p.paid', 'i.amount_ttc')} AS status "
        f"FROM {table} i LEFT JOIN (SELECT source, invoice_id, sum(amount) AS paid FROM {payments} "
        f"WHERE side = '{side}' GROUP BY 1, 2) p USING (source, invoice_id) WHERE i.status <> 'written_off') n "
        f"WHERE t.source = n.source AND t.invoice_id = n.invoice_id AND t.status <> n.status"
    )
