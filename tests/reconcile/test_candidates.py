"""Each matching rule on a few hand-made invoices and movements, the expected match worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.reconcile.run import match_frames
from forecasting.reconcile.settings import MatchSettings
from forecasting.store.reconciliation import MatchRun
from tests.fixtures.bank import movement, movements
from tests.fixtures.handmade import counterparty, invoice, make_ledger
from tests.fixtures.reconcile import EMPTY_ALLOCATIONS, EMPTY_MATCHES, default_rules


def _ledger(*rows: dict, fx: list[dict] | None = None) -> Ledger:
    """Return a ledger of these invoices, clients named 'Acme SAS' (acme) and 'Bolt SARL' (bolt)."""
    cps = [counterparty("acme") | {C.NAME: "Acme SAS"}, counterparty("bolt") | {C.NAME: "Bolt SARL"},
           counterparty("sup", kind=C.SUPPLIER) | {C.NAME: "Papeterie Martin"}]
    return make_ledger(receivables=[r for r in rows if r[C.SIDE] == C.RECEIVABLE],
                       payables=[r for r in rows if r[C.SIDE] == C.PAYABLE], counterparties=cps, fx_rates=fx or [])


def _run(ledger: Ledger, *rows: dict, matches: pd.DataFrame = EMPTY_MATCHES,
         allocations: pd.DataFrame = EMPTY_ALLOCATIONS) -> MatchRun:
    """Return the matching run of these movements."""
    return match_frames(ledger, movements(*rows), matches, allocations, default_rules(), MatchSettings())


def _found(run: MatchRun) -> list[tuple[str, str, float, str, tuple[str, ...], tuple[float, ...]]]:
    """Return (movement, status, confidence, reason, invoices, amounts) of each match, by movement then confidence."""
    out = []
    for row in run.matches.sort_values([C.MOVEMENT_ID, "confidence"], ascending=[True, False]).itertuples():
        mine = run.invoices[run.invoices["key"] == row.key].sort_values(C.INVOICE_ID)
        out.append((row.movement_id, row.status, row.confidence, row.reason, tuple(mine[C.INVOICE_ID]),
                    tuple(round(a, 2) for a in mine[C.AMOUNT])))
    return out


OPEN = [invoice("FA-1001", "acme", "2026-01-05", "2026-02-04", 500.0),
        invoice("FA-1002", "acme", "2026-01-06", "2026-02-05", 80.0),
        invoice("FA-1003", "bolt", "2026-01-07", "2026-02-06", 1000.0)]


@pytest.mark.parametrize("text", ["FA-1002", "facture fa 1002", "REF:INV/FA-1002 MERCI", "Fact. n° FA1002"])
def test_invoice_number_and_amount_is_applied_whatever_its_spelling(text: str) -> None:
    run = _run(_ledger(*OPEN), movement("M1", "2026-02-10", 80.0, "VIR SEPA RECU", text))

    assert _found(run) == [("M1", "auto", 1.0, "number_amount", ("FA-1002",), (80.0,))]
    assert run.categories.set_index(C.MOVEMENT_ID).loc["M1", C.CATEGORY] == "clients"


def test_a_receipt_short_of_a_bank_fee_pays_the_whole_invoice() -> None:
    # 1000.00 due, 985.00 received: 15.00 is within the 30.00 fee tolerance
    run = _run(_ledger(*OPEN), movement("M1", "2026-02-10", 985.0, "VIR FA-1003"))

    assert _found(run) == [("M1", "auto", 0.93, "number_short", ("FA-1003",), (1000.0,))]


def test_a_discount_within_three_percent_is_short_too_beyond_it_a_part_payment() -> None:
    ledger = _ledger(invoice("FA-5000", "acme", "2026-01-05", "2026-02-04", 10_000.0))
    # 2 % discount: 9800 received, 200 short <= 3 % of 10 000 = 300
    assert _found(_run(ledger, movement("M1", "2026-02-10", 9_800.0, "FA-5000")))[0][1:4] == (
        "auto", 0.93, "number_short")
    # 4000 received: a part payment, proposed for the user, paying 4000 of it
    assert _found(_run(ledger, movement("M2", "2026-02-10", 4_000.0, "FA-5000"))) == [
        ("M2", "proposed", 0.6, "number_partial", ("FA-5000",), (4000.0,))]


def test_several_numbers_whose_total_is_the_amount_are_paid_together() -> None:
    run = _run(_ledger(*OPEN), movement("M1", "2026-02-10", 580.0, "VIR ACME", "FA-1001 FA-1002"))

    assert _found(run)[0] == ("M1", "auto", 0.98, "numbers_total", ("FA-1001", "FA-1002"), (500.0, 80.0))


def test_a_named_party_and_a_unique_amount_is_applied_two_equal_invoices_are_proposed() -> None:
    run = _run(_ledger(*OPEN), movement("M1", "2026-02-10", 500.0, "VIR SEPA RECU /DE ACME SAS"))
    assert _found(run) == [("M1", "auto", 0.9, "party_amount", ("FA-1001",), (500.0,))]

    twice = [*OPEN, invoice("FA-1004", "acme", "2026-01-08", "2026-02-07", 500.0)]
    run = _run(_ledger(*twice), movement("M1", "2026-02-10", 500.0, "VIR", party="ACME"))
    assert [(m[1], m[4]) for m in _found(run)] == [("proposed", ("FA-1001",)), ("proposed", ("FA-1004",))]


def test_a_transfer_paying_the_oldest_open_invoices_of_its_party_is_proposed() -> None:
    rows = [invoice("FA-2001", "bolt", "2026-01-05", "2026-02-01", 100.0),
            invoice("FA-2002", "bolt", "2026-01-06", "2026-02-02", 200.0),
            invoice("FA-2003", "bolt", "2026-01-07", "2026-02-03", 450.0)]
    run = _run(_ledger(*rows), movement("M1", "2026-02-10", 300.0, "VIR BOLT", party="Bolt"))

    assert _found(run) == [("M1", "proposed", 0.85, "party_run_oldest", ("FA-2001", "FA-2002"), (100.0, 200.0)),
                           # or a part of the only invoice larger than the receipt, less likely
                           ("M1", "proposed", 0.42, "party_partial", ("FA-2003",), (300.0,))]


def test_two_invoices_not_next_to_each_other_are_proposed_as_a_pair() -> None:
    rows = [invoice("FA-2001", "bolt", "2026-01-05", "2026-02-01", 100.0),
            invoice("FA-2002", "bolt", "2026-01-06", "2026-02-02", 250.0),
            invoice("FA-2003", "bolt", "2026-01-07", "2026-02-03", 400.0)]
    run = _run(_ledger(*rows), movement("M1", "2026-02-10", 500.0, "VIR BOLT", party="Bolt"))

    assert _found(run) == [("M1", "proposed", 0.78, "party_pair", ("FA-2001", "FA-2003"), (100.0, 400.0))]


def test_an_iban_seen_on_an_applied_match_names_the_party_later() -> None:
    ledger = _ledger(*OPEN, invoice("FA-1005", "acme", "2026-02-01", "2026-03-01", 321.0))
    earlier = pd.DataFrame([{"match_id": 1, C.ACCOUNT_ID: "MAIN", C.MOVEMENT_ID: "M0", C.SIDE: C.RECEIVABLE,
                             "status": "accepted", "confidence": 1.0, "reason": "hand",
                             C.COUNTERPARTY_IBAN: "FR7630004000031234567890143"}])
    paid = pd.DataFrame([{"match_id": 1, C.SOURCE: "test", C.INVOICE_ID: "FA-1002", C.AMOUNT: 80.0}])
    run = _run(ledger, movement("M1", "2026-03-02", 321.0, "VIR SEPA RECU", iban="FR76 3000 4000 0312 3456 7890 143"),
               matches=earlier, allocations=paid)

    assert _found(run) == [("M1", "auto", 0.92, "party_amount", ("FA-1005",), (321.0,))]


def test_an_amount_alone_is_only_proposed_and_not_for_a_payroll_debit() -> None:
    rows = [*OPEN, invoice("FF-3001", "sup", "2026-01-05", "2026-02-04", 4_321.0, side=C.PAYABLE)]
    run = _run(_ledger(*rows), movement("M1", "2026-02-10", 1000.0, "VIR SEPA RECU /DE X"),
               movement("M2", "2026-02-10", -4_321.0, "VIR SEPA EMIS /MOTIF SALAIRES 02/2026"))

    assert _found(run) == [("M1", "proposed", 0.5, "amount_only", ("FA-1003",), (1000.0,))]
    assert run.categories.set_index(C.MOVEMENT_ID)[C.CATEGORY].to_dict() == {"M1": "clients", "M2": "payroll"}


def test_an_invoice_issued_after_the_booking_or_of_the_other_side_is_no_candidate() -> None:
    rows = [invoice("FA-9001", "acme", "2026-03-01", "2026-03-31", 80.0),
            invoice("FF-9002", "sup", "2026-01-01", "2026-01-31", 80.0, side=C.PAYABLE)]
    run = _run(_ledger(*rows), movement("M1", "2026-02-10", 80.0, "FA-9001 FF-9002"))

    assert _found(run) == []


def test_a_foreign_currency_invoice_is_compared_at_the_days_rate() -> None:
    usd = invoice("FA-7001", "acme", "2026-01-05", "2026-02-04", 1_000.0, currency="USD")
    fx = [{C.CURRENCY: "USD", C.RATE_DATE: pd.Timestamp("2026-02-09"), C.RATE: 0.9}]
    run = _run(_ledger(usd, fx=fx), movement("M1", "2026-02-10", 897.0, "VIR FA-7001"))  # 900 less 3.00 of fees

    assert _found(run) == [("M1", "auto", 0.9, "number_fx", ("FA-7001",), (1000.0,))]


def test_a_supplier_payment_is_matched_on_the_payable_side() -> None:
    rows = [*OPEN, invoice("FF-3001", "sup", "2026-01-05", "2026-02-04", 4_321.0, side=C.PAYABLE)]
    run = _run(_ledger(*rows), movement("M1", "2026-02-10", -4_321.0, "VIR SEPA EMIS /A PAPETERIE MARTIN", "FF-3001"))

    assert _found(run) == [("M1", "auto", 1.0, "number_amount", ("FF-3001",), (4321.0,))]
    assert run.matches[C.SIDE].tolist() == [C.PAYABLE]
    assert run.categories[C.CATEGORY].tolist() == ["suppliers"]


def test_a_movement_the_ledger_already_records_gets_no_proposal() -> None:
    paid = invoice("FA-1009", "acme", "2026-01-05", "2026-02-04", 80.0, paid="2026-02-09")
    run = _run(_ledger(*OPEN, paid), movement("M1", "2026-02-10", 80.0, "VIR SEPA RECU /DE ACME SAS"))

    # not FA-1002, also 80.00 and open: the ledger's payment of the 9th explains it, and pays nothing more
    assert _found(run) == [("M1", "auto", 1.0, "ledger", (), ())]
    assert run.categories[C.CATEGORY].tolist() == ["clients"]
