"""Payments seen at the bank: an invoice matched to a movement is paid once, before and after the ledger says so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.model.settlement import OPEN_AMOUNT, settle
from forecasting.reconcile.run import auto_match, hand_match
from forecasting.store.database import Store
from forecasting.store.reconciliation import decide, read_matches
from tests.fixtures.bank import add_movements, movement
from tests.fixtures.ingest import INVOICE_HEADER, invoices_by_id, new_store, run_import, write_text
from tests.ingest.test_fec import HEADER
from tests.ingest.test_fec_lettering import _sale, _transfer

LEDGER_OPEN = INVOICE_HEADER + ("FA-1001,Acme,2026-01-05,2026-02-04,500.00,2026-02-10\n"
                                "FA-1002,Acme,2026-01-06,2026-02-05,80.00,\n")
LEDGER_PAID = INVOICE_HEADER + ("FA-1001,Acme,2026-01-05,2026-02-04,500.00,2026-02-10\n"
                                "FA-1002,Acme,2026-01-06,2026-02-05,80.00,2026-03-02\n")


@pytest.fixture
def matched(tmp_path: Path) -> Store:
    """Return a store where the bank received FA-1002's 80.00 on 2 March, matched automatically."""
    store = new_store(tmp_path / "bank.duckdb", ("ar.csv", "receivables", LEDGER_OPEN))
    add_movements(store, movement("M1", "2026-03-02", 80.0, "VIR SEPA RECU /DE ACME", "/MOTIF FACTURE FA-1002",
                                  party="ACME SAS"))
    summary = auto_match(store)
    assert (summary.auto, summary.proposed) == (1, 0)
    return store


def _paid(store: Store, invoice_id: str) -> tuple[float, str]:
    """Return (total paid as the forecast sees it, status in the database) of a receivable."""
    payments = store.read_ledger().payments
    return (float(payments.loc[payments[C.INVOICE_ID] == invoice_id, C.AMOUNT].sum()),
            invoices_by_id(store)[invoice_id][C.STATUS])


def _open_amount(store: Store, invoice_id: str) -> float:
    """Return the open amount the projection starts from (settled at a late date)."""
    ledger = store.read_ledger()
    settled = settle(ledger.receivables, ledger.payments_of(C.RECEIVABLE), pd.Timestamp("2026-12-31").date())
    return float(settled.set_index(C.INVOICE_ID).loc[invoice_id, OPEN_AMOUNT])


def test_a_sure_match_pays_the_invoice_before_the_ledger_says_so(matched: Store) -> None:
    assert _paid(matched, "FA-1002") == (80.0, "paid")
    assert _open_amount(matched, "FA-1002") == 0.0
    assert matched.read_ledger().payments.set_index(C.INVOICE_ID).loc["FA-1002", C.PAYMENT_ID] == \
        "bank:MAIN:M1:FA-1002"
    categories = matched.status()["counts"]
    assert categories["bank_matches"] == 1


def test_a_later_export_still_saying_open_keeps_the_bank_payment(matched: Store, tmp_path: Path) -> None:
    run_import(matched, write_text(tmp_path / "ar2.csv", LEDGER_OPEN))

    assert _paid(matched, "FA-1002") == (80.0, "paid")
    assert _open_amount(matched, "FA-1002") == 0.0


def test_a_later_export_with_the_payment_counts_it_once(matched: Store, tmp_path: Path) -> None:
    run_import(matched, write_text(tmp_path / "ar2.csv", LEDGER_PAID))

    payments = matched.read_ledger().payments
    assert list(payments.loc[payments[C.INVOICE_ID] == "FA-1002", C.PAYMENT_ID]) == ["inv:FA-1002:2026-03-02"]
    assert _paid(matched, "FA-1002") == (80.0, "paid")


def test_undo_opens_the_invoice_again_and_the_next_run_does_not_reapply_it(matched: Store) -> None:
    matches, _ = read_matches(matched)

    assert decide(matched, int(matches["match_id"].iloc[0]), "undo", "tester") == "rejected"

    assert _paid(matched, "FA-1002") == (0.0, "open")
    assert _open_amount(matched, "FA-1002") == 80.0
    summary = auto_match(matched)
    assert (summary.auto, summary.proposed) == (0, 0)  # the same movement and invoice are not proposed again
    assert _paid(matched, "FA-1002") == (0.0, "open")


def test_a_part_payment_recorded_later_by_the_ledger_is_not_counted_twice(tmp_path: Path) -> None:
    # 100.00 due; the ledger has 30 of 1 Feb; the bank gets another 30 on 1 March, matched by hand: 40 left.
    store = new_store(tmp_path / "part.duckdb", ("ar.csv", "receivables", INVOICE_HEADER + (
        "FA-2001,Acme,2026-01-05,2026-02-04,100.00,\n")))
    run_import(store, write_text(tmp_path / "p1.csv", "invoice_id,paid_date,paid_amount\nFA-2001,2026-02-01,30\n"),
               "payments")
    add_movements(store, movement("M2", "2026-03-01", 30.0, "VIR ACME"))
    hand_match(store, "MAIN", "M2", ["FA-2001"], "tester")
    assert _open_amount(store, "FA-2001") == pytest.approx(40.0)

    # the next export records the bank's 30, dated 27 February (within the days a ledger may date it earlier)
    run_import(store, write_text(tmp_path / "p2.csv", "invoice_id,paid_date,paid_amount\nFA-2001,2026-02-27,30\n"),
               "payments")

    assert _open_amount(store, "FA-2001") == pytest.approx(40.0)
    assert invoices_by_id(store)["FA-2001"][C.STATUS] == "open"


def test_accepting_an_unknown_or_decided_match_is_refused_and_changes_nothing(matched: Store) -> None:
    before = matched.table_checksums()
    matches, _ = read_matches(matched)
    with pytest.raises(InputError, match="no match number 999"):
        decide(matched, 999, "accept", "tester")
    with pytest.raises(InputError, match="is auto: it cannot be accepted"):
        decide(matched, int(matches["match_id"].iloc[0]), "accept", "tester")
    assert matched.table_checksums() == before
    add_movements(matched, movement("M9", "2026-03-05", 80.0, "VIR ACME"))
    before = matched.table_checksums()
    with pytest.raises(InputError, match="invoice FA-1002 is not an open client invoice"):
        hand_match(matched, "MAIN", "M9", ["FA-1002"], "tester")
    assert matched.table_checksums() == before


def test_two_proposals_of_one_invoice_the_second_accepted_is_refused(tmp_path: Path) -> None:
    store = new_store(tmp_path / "two.duckdb", ("ar.csv", "receivables", LEDGER_OPEN))
    add_movements(store, movement("M1", "2026-03-02", 80.0, "VIR SEPA RECU /DE ACME", party="ACME"),
                  movement("M2", "2026-03-03", 80.0, "VIR SEPA RECU /DE ACME", party="ACME"))
    summary = auto_match(store)
    assert (summary.auto, summary.proposed) == (0, 2)  # both claim FA-1002: the user decides
    matches, _ = read_matches(store)
    first, second = (int(m) for m in matches.sort_values(C.MOVEMENT_ID)["match_id"])

    assert decide(store, first, "accept", "tester") == "accepted"
    before = store.table_checksums()
    with pytest.raises(InputError, match="invoice FA-1002 is already matched to movement M1"):
        decide(store, second, "accept", "tester")
    assert store.table_checksums() == before
    assert _paid(store, "FA-1002") == (80.0, "paid")


def _fec_with_an_unlettered_transfer(tmp_path: Path) -> Store:
    """Return a store with a FEC: FA-1 and FA-2 of 600 to Martin SARL, 600 received on 10 Oct 2026 not lettered."""
    lines = [*_sale("1", "20260901", "FA-1", "600,00"), *_sale("2", "20260915", "FA-2", "600,00"),
             *_transfer("3", "20261010", "600,00", "")]
    store = new_store(tmp_path / "fec.duckdb")
    run_import(store, write_text(tmp_path / "FEC.txt", "\r\n".join([HEADER, *lines]) + "\r\n", "cp1252"), kind="fec")
    assert _paid(store, "FA-1") == (600.0, "paid") and _paid(store, "FA-2") == (0.0, "open")  # the FEC's guess
    return store


def test_a_match_of_the_same_money_overrides_the_fecs_guess_for_an_unlettered_line(tmp_path: Path) -> None:
    """The bank's movement names FA-2: matched to it, the 600 is counted once, on FA-2; FA-1 is open again."""
    store = _fec_with_an_unlettered_transfer(tmp_path)
    add_movements(store, movement("M1", "2026-10-12", 600.0, "VIR MARTIN SARL FA-2"))

    hand_match(store, "MAIN", "M1", ["FA-2"], "tester")

    assert _paid(store, "FA-1") == (0.0, "open") and _paid(store, "FA-2") == (600.0, "paid")
    assert _open_amount(store, "FA-1") == 600.0 and _open_amount(store, "FA-2") == 0.0


def test_a_match_of_other_money_leaves_the_fecs_guess_alone(tmp_path: Path) -> None:
    """A movement of 600 a month later is other money: FA-1 keeps the guess, FA-2 is paid by the bank."""
    store = _fec_with_an_unlettered_transfer(tmp_path)
    add_movements(store, movement("M1", "2026-11-12", 600.0, "VIR MARTIN SARL"))

    hand_match(store, "MAIN", "M1", ["FA-2"], "tester")

    assert _paid(store, "FA-1") == (600.0, "paid") and _paid(store, "FA-2") == (600.0, "paid")


def test_a_credit_note_in_the_ledger_is_no_money_the_bank_already_saw(tmp_path: Path) -> None:
    """FA-2 (100.00) credited 20.00 on 1 March (a payments file's "avoir"); the bank receives the other 80.00 on
    2 March. The credit note, dated within the catch-up days, is not the bank's money: the bank's 80.00 counts in
    full (it used to count 60.00) and is cash; FA-2 is paid."""
    store = new_store(tmp_path / "bank.duckdb",
                      ("ar.csv", "receivables", INVOICE_HEADER + "FA-2,Acme,2026-01-05,2026-02-04,100.00,\n"))
    run_import(store, write_text(tmp_path / "credit.csv", "invoice_id,paid_date,paid_amount,payment type\n"
                                 "FA-2,2026-03-01,20.00,Avoir\n"), kind="payments")
    add_movements(store, movement("M2", "2026-03-02", 80.0, "VIR SEPA RECU /DE ACME", "/MOTIF FACTURE FA-2",
                                  party="ACME SAS"))
    assert auto_match(store).auto == 1

    payments = store.read_ledger().payments.set_index(C.PAYMENT_ID)
    assert payments.loc["bank:MAIN:M2:FA-2", [C.AMOUNT, C.SETTLED_BY]].tolist() == [80.0, C.CASH]
    assert _paid(store, "FA-2") == (100.0, "paid") and _open_amount(store, "FA-2") == 0.0
