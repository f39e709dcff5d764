"""Tests of forecasting.kpis.drilldown: a bucket's invoices, a client's open invoices and payment history."""

from __future__ import annotations

import pytest

from forecasting.kpis.drilldown import bucket_invoices, client_open_invoices, client_payment_history
from forecasting.kpis.summary import KpiSettings, kpi_basis
from tests.fixtures.handmade import AS_OF, counterparty, invoice, make_ledger


def _basis():
    """Return a ledger at 23 Nov 2026: two open invoices of A (one 100 days overdue), one of B not due, A's history."""
    rows = [invoice("A-old", "A", "2026-07-16", "2026-08-15", 900.0),  # 100 days overdue
            invoice("A-new", "A", "2026-11-01", "2026-12-01", 300.0),  # not due
            invoice("B-new", "B", "2026-11-10", "2026-12-10", 500.0),
            invoice("A-paid", "A", "2026-09-01", "2026-10-01", 200.0, paid="2026-10-06")]  # 5 days late
    cps = [{**counterparty("A"), "name": "Alpha SA"}, {**counterparty("B"), "name": "Beta SARL"}]
    return kpi_basis(make_ledger(rows, counterparties=cps), AS_OF, KpiSettings())


def test_a_bucket_lists_exactly_its_open_invoices_with_the_client_names():
    basis = _basis()
    oldest = bucket_invoices(basis, KpiSettings(), ">90")
    assert oldest[["invoice_id", "name", "days_overdue", "open_eur"]].values.tolist() == [
        ["A-old", "Alpha SA", 100, 900.0]]
    not_due = bucket_invoices(basis, KpiSettings(), "not due")
    assert not_due["invoice_id"].tolist() == ["B-new", "A-new"]  # largest open amount first
    with pytest.raises(ValueError, match="unknown aging bucket"):
        bucket_invoices(basis, KpiSettings(), "91–120")


def test_a_client_s_open_invoices_and_payments():
    basis = _basis()
    assert client_open_invoices(basis, "A")["invoice_id"].tolist() == ["A-old", "A-new"]  # most overdue first
    history = client_payment_history(basis, "A")
    assert history[["invoice_id", "delay_days", "amount_eur"]].values.tolist() == [["A-paid", 5, 200.0]]
