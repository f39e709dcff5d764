"""Credit notes set against invoices in the receivables KPIs: they lower what is owed, but they are no cash received.

At 31 Mar 2026 (rate 12.15 %), every invoice due 30 days after issue:
- X (client k): 1 000 issued 1 Jan, due 31 Jan; credit note 300 on 10 Feb, cash 700 on 20 Feb (20 days late);
- Y (k): 500 issued 1 Jan, due 31 Jan; settled by a credit note of 500 on 2 Mar alone (no cash);
- Z (k): 1 000 issued 1 Feb, due 3 Mar; cash 800 on 3 Mar (on time), credit note 200 on 25 Mar;
- V (v): 1 000 issued 1 Jan, due 31 Jan; cash 600 on 15 Feb (15 days late), credit note 400 on 1 Mar;
- W (m): 1 000 issued 31 Jan, due 2 Mar; credit note 300 on 10 Mar, 700 open (29 days overdue).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.kpis import summary as K
from forecasting.kpis.collection import dunning_list_from, penalties_from
from forecasting.kpis.drilldown import CREDIT_NOTE_NETTED, client_payment_history
from forecasting.kpis.ratios import collection_rate_from, month_end_receivables_from
from tests.fixtures.handmade import make_ledger
from tests.fixtures.kpi_ledgers import MARCH_END, basis_at, inv

RATE = 0.1215
SETTINGS = K.KpiSettings(ecb_rate=0.0215, legal_interest_rate=0.0276)
PAID_LATE_TOO = K.KpiSettings(ecb_rate=0.0215, legal_interest_rate=0.0276, penalty_policy="open_and_paid_late")


def _credited_ledger() -> Ledger:
    """Return the five invoices of the module's docstring."""
    credit = C.CREDIT_NOTE
    return make_ledger([
        inv("X", "k", "2026-01-31", 1000, parts=[("2026-02-10", 300, credit), ("2026-02-20", 700)]),
        inv("Y", "k", "2026-01-31", 500, parts=[("2026-03-02", 500, credit)]),
        inv("Z", "k", "2026-03-03", 1000, parts=[("2026-03-03", 800), ("2026-03-25", 200, credit)]),
        inv("V", "v", "2026-01-31", 1000, parts=[("2026-02-15", 600), ("2026-03-01", 400, credit)]),
        inv("W", "m", "2026-03-02", 1000, parts=[("2026-03-10", 300, credit)]),
    ])


def test_receipts_are_the_cash_payments_alone() -> None:
    basis = basis_at(_credited_ledger, MARCH_END)
    assert sorted(zip(basis.receipts[C.INVOICE_ID], basis.receipts[C.AMOUNT], strict=True)) == [
        ("V", 600.0), ("X", 700.0), ("Z", 800.0)]
    assert sorted(zip(basis.credits[C.INVOICE_ID], basis.credits[C.AMOUNT], strict=True)) == [
        ("V", 400.0), ("W", 300.0), ("X", 300.0), ("Y", 500.0), ("Z", 200.0)]


def test_what_is_owed_still_counts_the_credit_notes() -> None:
    basis = basis_at(_credited_ledger, MARCH_END)
    # only W is open: 1 000 − 300 credited = 700, 29 days overdue
    assert K.dso_from(basis, SETTINGS).receivables_eur == pytest.approx(700)
    assert K.aging_from(basis, SETTINGS).set_index("bucket").loc["1–30", "amount_eur"] == pytest.approx(700)
    dunning = dunning_list_from(basis, SETTINGS)
    assert dunning[[C.INVOICE_ID, "open_eur"]].values.tolist() == [["W", 700.0]]
    # month-ends: 31 Jan X + Y + V + W = 3 500; 28 Feb Y 500 + V 400 + Z 1 000 + W 1 000 = 2 900 (X settled by its
    # credit note and cash, V by its cash in part); 31 Mar W's 700 (every credit note lowers what is owed)
    series = month_end_receivables_from(basis)
    assert series.iloc[-3:].tolist() == pytest.approx([3500, 2900, 700])


def test_penalties_accrue_on_late_cash_not_on_credited_parts() -> None:
    basis = basis_at(_credited_ledger, MARCH_END)
    table = penalties_from(basis, PAID_LATE_TOO).set_index(C.INVOICE_ID)
    # Y (credit note alone) was never paid late; Z's cash came on its due date (its credit note later is no payment)
    assert sorted(table.index) == ["V", "W", "X"]
    # X: 700 × 12.15 % × 20 / 365 (the 300 credited accrues nothing) = 4.66
    assert table.loc["X", "interest_eur"] == pytest.approx(700 * RATE * 20 / 365)
    assert table.loc["X", "days_late"] == 20
    assert table.loc["X", "paid_date"] == pd.Timestamp("2026-02-20")
    # V: its cash came 15 days late, its credit note 29 days late: 600 × 12.15 % × 15 / 365, paid on 15 Feb
    assert table.loc["V", "interest_eur"] == pytest.approx(600 * RATE * 15 / 365)
    assert table.loc["V", "days_late"] == 15
    assert table.loc["V", "paid_date"] == pd.Timestamp("2026-02-15")
    # W: open 700 × 29 days (the 300 credited 8 days after its due date accrues nothing)
    assert table.loc["W", "interest_eur"] == pytest.approx(700 * RATE * 29 / 365)
    assert (table["indemnity_eur"] == 40.0).all()


def test_by_default_only_the_open_part_of_a_credited_invoice_accrues() -> None:
    table = penalties_from(basis_at(_credited_ledger, MARCH_END), SETTINGS)
    assert table[C.INVOICE_ID].tolist() == ["W"]
    assert table["penalty_eur"].iloc[0] == pytest.approx(700 * RATE * 29 / 365 + 40)


def test_days_to_pay_are_read_on_the_cash_dates() -> None:
    card = K.scorecard_from(basis_at(_credited_ledger, MARCH_END), SETTINGS).set_index(C.COUNTERPARTY_ID)
    # k: X paid in cash 50 days after issue (20 late) on 700, Z 30 days (on time) on 800; Y (credit note alone)
    # was not paid: (700 × 50 + 800 × 30) / 1 500 = 39.33 days, delay 700 × 20 / 1 500 = 9.33, one of two late
    k = card.loc["k"]
    assert k["n_paid_invoices"] == 2
    assert k["avg_days_to_pay"] == pytest.approx(59_000 / 1500)
    assert k["avg_delay_days"] == pytest.approx(14_000 / 1500)
    assert k["share_paid_late"] == pytest.approx(0.5)
    assert (k["rating"], k["rating_basis"]) == ("B", "paid invoices")
    # v: 45 days, 15 late (its cash; its credit note came 59 days after issue) on the 600 paid in cash
    v = card.loc["v"]
    assert (v["avg_days_to_pay"], v["avg_delay_days"], v["rating"]) == (45.0, 15.0, "B")


def test_an_invoice_settled_by_credit_notes_alone_is_not_a_payment() -> None:
    ledger = make_ledger([inv("Y", "k", "2026-01-31", 500, parts=[("2026-03-02", 500, C.CREDIT_NOTE)])])
    card = K.scorecard(ledger, MARCH_END).set_index(C.COUNTERPARTY_ID)
    # nothing paid, nothing open: no history (B), neither paid on time nor late
    assert card.loc["k", "n_paid_invoices"] == 0
    assert card.loc["k", "rating_basis"] == "no history"
    assert K.penalties(ledger, MARCH_END, PAID_LATE_TOO).empty


def test_collection_rate_is_cash_over_what_was_to_be_collected() -> None:
    basis = basis_at(_credited_ledger, MARCH_END)
    # to be collected (amount − credit notes): X 700, Y 0, Z 800, V 600, W 700 = 2 800; cash: 700 + 800 + 600 = 2 100
    assert collection_rate_from(basis, SETTINGS) == pytest.approx(2100 / 2800)


def test_a_client_s_payment_history_lists_its_cash_and_its_credit_notes_marked() -> None:
    history = client_payment_history(basis_at(_credited_ledger, MARCH_END), "k")
    # by date; the delay on the cash rows alone (X 20 days late, Z on its due date)
    assert history[[C.INVOICE_ID, C.PAYMENT_DATE, "amount_eur", C.SETTLED_BY]].values.tolist() == [
        ["X", pd.Timestamp("2026-02-10"), 300.0, C.CREDIT_NOTE],
        ["X", pd.Timestamp("2026-02-20"), 700.0, C.CASH],
        ["Y", pd.Timestamp("2026-03-02"), 500.0, C.CREDIT_NOTE],
        ["Z", pd.Timestamp("2026-03-03"), 800.0, C.CASH],
        ["Z", pd.Timestamp("2026-03-25"), 200.0, C.CREDIT_NOTE]]
    assert history["delay_days"].isna().tolist() == [True, False, True, False, True]
    assert history.loc[history[C.SETTLED_BY] == C.CASH, "delay_days"].tolist() == [20, 0]
    assert history["delay_days"].mean() == pytest.approx(10)  # (20 + 0) / 2: the credit notes are not delays


def _netted_ledger() -> Ledger:
    """Return X (1 000 due 31 Jan, paid 20 Feb) and AV-1, k's own credit note of 200 netted on 20 Feb."""
    return make_ledger([inv("X", "k", "2026-01-31", 1000, parts=[("2026-02-20", 1000)]),
                        inv("AV-1", "k", "2026-02-20", -200, parts=[("2026-02-20", -200)])])


def test_a_client_s_own_credit_note_netted_from_its_payment_is_marked_as_such_without_delay() -> None:
    # AV-1 is a negative invoice settled by a payment of −200 (netted from what k paid that day): no cash payment
    # of an invoice, so marked, with no delay (the chart draws cash rows alone)
    history = client_payment_history(basis_at(_netted_ledger, MARCH_END), "k")
    assert history[[C.INVOICE_ID, "amount_eur", C.SETTLED_BY]].values.tolist() == [
        ["X", 1000.0, C.CASH], ["AV-1", -200.0, CREDIT_NOTE_NETTED]]
    assert history["delay_days"].tolist()[0] == 20 and pd.isna(history["delay_days"].iloc[1])


def _fa12_ledger() -> Ledger:
    """Return FA-12 of client k: 1 000 due 31 Jan, 700 in cash on 20 Feb, 300 credited on 12 Mar."""
    return make_ledger([inv("FA-12", "k", "2026-01-31", 1000,
                            parts=[("2026-02-20", 700), ("2026-03-12", 300, C.CREDIT_NOTE)])])


def test_an_invoice_paid_in_cash_and_credited_gives_two_rows_of_history() -> None:
    history = client_payment_history(basis_at(_fa12_ledger, MARCH_END), "k")
    rows = history[[C.INVOICE_ID, C.PAYMENT_DATE, "amount_eur", C.SETTLED_BY]].values.tolist()
    assert rows == [["FA-12", pd.Timestamp("2026-02-20"), 700.0, C.CASH],
                    ["FA-12", pd.Timestamp("2026-03-12"), 300.0, C.CREDIT_NOTE]]
    # the cash 20 days after the due date (31 Jan → 20 Feb); the credit note has no delay
    assert history["delay_days"].iloc[0] == 20
    assert pd.isna(history["delay_days"].iloc[1])


def test_a_credit_note_after_as_of_is_not_in_the_history() -> None:
    # at 28 Feb the 300 credited on 12 Mar is not known yet: the cash alone
    history = client_payment_history(basis_at(_fa12_ledger, date(2026, 2, 28)), "k")
    assert history[[C.INVOICE_ID, "amount_eur", C.SETTLED_BY, "delay_days"]].values.tolist() == [
        ["FA-12", 700.0, C.CASH, 20]]
