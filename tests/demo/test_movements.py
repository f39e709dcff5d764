"""The demo's bank statements: they add up to the demo's balances, and carry the phenomena matching must face."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.core import columns as c
from forecasting.demo import company as demo
from forecasting.demo.movements import ACCOUNT_IBANS, EXPORT_LAG_BDAYS, iban
from tests.fixtures.demo_company import TODAY


def _valid(code: str) -> bool:
    """Return True when an IBAN's check digits are right (ISO 13616: mod 97 = 1)."""
    moved = (code[4:] + code[:4]).upper()
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def test_every_statement_day_balances_from_the_previous_balance(data: demo.DemoData) -> None:
    moves = data.bank_movements
    for account in ("BNP-MAIN", "CIC-OPS"):
        balance = data.bank_balances[data.bank_balances[c.ACCOUNT_ID] == account].set_index(c.BALANCE_DATE)[c.BALANCE]
        day_sum = moves[moves[c.ACCOUNT_ID] == account].groupby(c.BOOKING_DATE)[c.AMOUNT].sum()
        change = balance.diff().iloc[1:]
        assert (change - day_sum.reindex(change.index, fill_value=0.0)).abs().max() < 0.005, account
    assert moves[c.BOOKING_DATE].min() == data.bank_balances[c.BALANCE_DATE].min()
    assert moves.groupby(c.ACCOUNT_ID)[c.MOVEMENT_ID].apply(lambda s: s.is_unique).all()


def test_ibans_are_valid_and_the_known_example_checks() -> None:
    assert iban("GB", "WEST12345698765432") == "GB82WEST12345698765432"  # ISO 13616's example
    assert all(_valid(code) for code in ACCOUNT_IBANS.values())


def test_counterparty_ibans_are_valid(data: demo.DemoData) -> None:
    ibans = data.bank_movements[c.COUNTERPARTY_IBAN].dropna().unique()
    assert len(ibans) > 100 and all(_valid(str(code)) for code in ibans)


def test_the_movements_show_what_matching_must_face(data: demo.DemoData) -> None:
    moves, truth = data.bank_movements, data.movement_truth
    receipts = truth[truth[c.SIDE] == c.RECEIVABLE]
    per_move = receipts.groupby(c.MOVEMENT_ID)[c.INVOICE_ID].agg(list)
    text = moves.set_index(c.MOVEMENT_ID)[c.REMITTANCE].reindex(per_move.index).fillna("")
    named = [any(i[2:] in t for i in ids) for ids, t in zip(per_move, text, strict=True)]
    assert 0.35 < pd.Series(named).mean() < 0.65  # about half name their invoices
    assert (per_move.str.len() > 1).mean() > 0.03  # some pay several invoices
    labels = moves[c.LABEL]
    for word in ("REMISE CB", "FRAIS TENUE DE COMPTE", "URSSAF", "DGFIP TVA", "SALAIRES", "LOYER", "ECHEANCE PRET",
                 "VIREMENT INTERNE", "INDEMNITE SINISTRE"):
        assert labels.str.contains(word).any(), word
    # a few receipts short of a bank fee: the movement is less than what the ledger says was paid
    fees = data.deducted_fees.merge(receipts, on=[c.ACCOUNT_ID, c.MOVEMENT_ID])
    assert fees[c.MOVEMENT_ID].nunique() >= 5 and fees["fee"].between(4.5, 25.0).all()
    eur = fees.merge(data.receivables[[c.INVOICE_ID, c.CURRENCY]], on=c.INVOICE_ID)
    eur = eur[eur[c.CURRENCY] == "EUR"].groupby(c.MOVEMENT_ID).agg(paid=(c.AMOUNT, "sum"), fee=("fee", "first"))
    amount = moves.set_index(c.MOVEMENT_ID)[c.AMOUNT].reindex(eur.index)
    assert len(eur) and ((eur["paid"] - eur["fee"] - amount).abs() < 0.005).all()

def test_internal_transfers_net_to_zero_each_day(data: demo.DemoData) -> None:
    sweeps = data.bank_movements[data.bank_movements[c.LABEL].str.startswith("VIREMENT INTERNE")]
    assert len(sweeps) > 50
    assert sweeps.groupby(c.BOOKING_DATE)[c.AMOUNT].sum().abs().max() < 0.005


def test_the_export_lag_leaves_the_last_days_receipts_to_the_bank() -> None:
    lagged = demo.generate(seed=42, scale=1.0, today=TODAY, export_lag_bdays=EXPORT_LAG_BDAYS)
    plain = demo.generate(seed=42, scale=1.0, today=TODAY)
    missing = plain.payments.merge(lagged.payments, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"]
    assert len(missing) > 20 and (missing[c.SIDE] == c.RECEIVABLE).all()
    assert missing[c.PAYMENT_DATE].min() > pd.Timestamp(TODAY) - pd.Timedelta(days=7)
    reopened = lagged.receivables.set_index(c.INVOICE_ID).loc[missing[c.INVOICE_ID].unique(), c.STATUS]
    assert (reopened == "open").all()
    in_bank = lagged.movement_truth[c.INVOICE_ID]
    assert missing[c.INVOICE_ID].isin(in_bank).mean() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(lagged.bank_movements, plain.bank_movements)
