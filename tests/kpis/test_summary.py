"""Tests of the receivables and working-capital KPIs (forecasting.kpis.summary*), every figure worked out on paper.

Each hand-made ledger is small enough that the arithmetic fits in a comment next to the assertion.
Dates: invoices are due 30 days after issue unless stated; days overdue = as_of − due date.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.kpis import summary as K
from forecasting.kpis.base import KpiBasis, kpi_basis
from forecasting.kpis.blocks import PenaltyTotals
from forecasting.kpis.clients import (
    aging_from,
    average_encours_from,
    encours_from,
    scorecard_from,
    top10_concentration_from,
)
from forecasting.kpis.collection import dunning_list_from, penalties_from
from forecasting.kpis.ratios import (
    bad_debt_rate_from,
    cash_conversion_cycle_from,
    doubtful_rate_from,
    dpo_from,
    dso_from,
    overdue_rate_from,
)
from forecasting.store.database import Store
from tests.fixtures.handmade import counterparty, invoice, make_ledger

MARCH_END = date(2026, 3, 31)
JUNE_END = date(2026, 6, 30)


def _inv(inv_id: str, client: str, due: str, amount: float, paid: str | None = None, *, disputed: bool = False,
         issue: str | None = None, parts: list[tuple[str, float]] | None = None, side: str = C.RECEIVABLE) -> dict:
    """Return an invoice issued 30 days before its due date (unless `issue` is given)."""
    issue = issue or str((pd.Timestamp(due) - pd.Timedelta(days=30)).date())
    return invoice(inv_id, client, issue, due, amount, paid=paid, disputed=disputed, parts=parts, side=side)


_BASES: dict[tuple[str, date], KpiBasis] = {}


def _basis(ledger_factory: Callable[[], Ledger], as_of: date) -> KpiBasis:
    """Return the basis of a hand-made ledger at as_of, settled once per test session (the KPIs never modify it)."""
    key = (ledger_factory.__name__, as_of)
    if key not in _BASES:
        _BASES[key] = kpi_basis(ledger_factory(), as_of)
    return _BASES[key]


def _written_off(row: dict) -> dict:
    """Return the invoice row with the ledger status 'written_off'."""
    return {**row, C.STATUS: "written_off"}


# --- DSO: the pure formulas --------------------------------------------------------------------------
def test_dso_countback_gives_the_domain_example_73_7_days() -> None:
    # 212k − 100k (30 d) − 80k (30 d) = 32k left, 32/70 of the third month: 30 + 30 + 32/70 × 30 = 73.714
    days = K.dso_countback(212_000, [100_000, 80_000, 70_000], [30, 30, 30])
    assert days == pytest.approx(60 + 32 / 70 * 30)
    assert round(days, 1) == 73.7


def test_dso_countback_when_receivables_are_below_the_last_month_sales() -> None:
    # 50k < 100k of the last month: 50/100 × 30 = 15 days
    assert K.dso_countback(50_000, [100_000, 80_000, 70_000], [30, 30, 30]) == pytest.approx(15.0)
    # exactly two months of sales: 30 + 31
    assert K.dso_countback(180_000, [100_000, 80_000], [30, 31]) == pytest.approx(61.0)
    # nothing owed: 0 days
    assert K.dso_countback(0.0, [100_000], [30]) == 0.0


def test_dso_countback_beyond_the_history_extends_at_the_average_daily_sales() -> None:
    # 250k over 90 days walked, 50k left at 250k/90 per day = 18 more days: 108
    assert K.dso_countback(300_000, [100_000, 80_000, 70_000], [30, 30, 30]) == pytest.approx(108.0)


def test_dso_simple_on_hand_numbers() -> None:
    # 50 000 / 91 000 × 91 = 50 days; 120 000 / 1 460 000 × 365 = 30 days
    assert K.dso_simple(50_000, 91_000, 91) == pytest.approx(50.0)
    assert K.dso_simple(120_000, 1_460_000, 365) == pytest.approx(30.0)
    assert math.isnan(K.dso_simple(10_000, 0.0, 91))  # no sales: undefined


# --- DSO, DPO, DIO, CCC, BFR, turnover on a ledger -----------------------------------------------------
def _working_capital_ledger() -> Ledger:
    """Sales 9 100 a month Jan–Mar 2026 (two open at 31 Mar), purchases 4 550 a month (one open)."""
    receivables = [
        _inv("old", "alpha", "2026-01-29", 5000, paid="2026-01-29", issue="2025-12-30"),  # 91 d before as_of: out
        _inv("s1", "alpha", "2026-02-14", 9100, paid="2026-02-20", issue="2026-01-15"),
        _inv("s2", "beta", "2026-03-17", 9100, issue="2026-02-15"),  # open, 14 days overdue
        _inv("s3", "beta", "2026-04-14", 9100, issue="2026-03-15"),  # open, not due
    ]
    payables = [
        _inv("p0", "supp", "2025-12-31", 3000, paid="2025-12-31", issue="2025-12-01", side=C.PAYABLE),
        _inv("p1", "supp", "2026-02-09", 4550, paid="2026-02-09", issue="2026-01-10", side=C.PAYABLE),
        _inv("p2", "supp", "2026-03-12", 4550, paid="2026-03-12", issue="2026-02-10", side=C.PAYABLE),
        _inv("p3", "supp", "2026-04-09", 4550, issue="2026-03-10", side=C.PAYABLE),  # open
    ]
    return make_ledger(receivables, payables)


def test_dso_by_both_methods_on_a_ledger() -> None:
    out = K.dso(_working_capital_ledger(), MARCH_END)
    # receivables = s2 + s3 = 18 200; sales of the 91 days 31 Dec 2025–31 Mar 2026 = 3 × 9 100 = 27 300
    # ('old', issued 30 Dec, is 91 days back: outside)
    assert out.receivables_eur == pytest.approx(18_200)
    assert out.sales_ttc_period_eur == pytest.approx(27_300)
    assert out.dso_simple_days == pytest.approx(18_200 / 27_300 * 91)  # 60.67
    # countback: March (31 days) 9 100, then February (28 days) 9 100 exhausts the 18 200: 31 + 28 = 59
    assert out.dso_countback_days == pytest.approx(59.0)
    # over a year: sales 27 300 + 5 000 = 32 300; 18 200 / 32 300 × 365 = 205.67
    year = dso_from(_basis(_working_capital_ledger, MARCH_END), K.KpiSettings(period_days=365))
    assert year.dso_simple_days == pytest.approx(18_200 / 32_300 * 365)


def test_dpo_dio_and_cash_conversion_cycle() -> None:
    ledger = _working_capital_ledger()
    # open payables = p3 = 4 550; purchases of the 91 days = p1 + p2 + p3 = 13 650: 4 550 / 13 650 × 91 = 30.33
    assert K.dpo(ledger, MARCH_END) == pytest.approx(91 / 3)
    settings = K.KpiSettings(inventory_eur=6825.0)
    # DIO = 6 825 / 13 650 × 91 = 45.5; CCC = 60.667 + 45.5 − 30.333 = 75.833
    ccc = K.cash_conversion_cycle(ledger, MARCH_END, settings)
    assert ccc.dio_days == pytest.approx(45.5)
    assert ccc.dpo_days == pytest.approx(91 / 3)
    assert ccc.ccc_days == pytest.approx(182 / 3 + 45.5 - 91 / 3)
    basis = _basis(_working_capital_ledger, MARCH_END)  # the settings below change no input of the basis
    # cost of goods sold = half the purchases = 6 825: DIO = 6 825 / 6 825 × 91 = 91
    half = K.KpiSettings(inventory_eur=6825.0, cogs_share_of_purchases=0.5)
    assert K.cogs_eur(ledger, MARCH_END, half) == pytest.approx(6825.0)
    assert cash_conversion_cycle_from(basis, half).dio_days == pytest.approx(91.0)
    # no inventory entered: DIO 0, CCC = DSO − DPO
    assert cash_conversion_cycle_from(basis, K.KpiSettings()).dio_days == 0.0
    # over a year: purchases 13 650 + 3 000 = 16 650: 4 550 / 16 650 × 365
    assert dpo_from(basis, K.KpiSettings(period_days=365)) == pytest.approx(4550 / 16_650 * 365)


def test_bfr_is_inventory_plus_receivables_minus_payables() -> None:
    out = K.bfr(_working_capital_ledger(), MARCH_END, K.KpiSettings(inventory_eur=6825.0))
    # 6 825 + 18 200 − 4 550 = 20 475
    assert out.bfr_eur == pytest.approx(20_475)
    assert out.trade_receivables_eur == pytest.approx(18_200)
    assert out.trade_payables_eur == pytest.approx(4550)
    # daily sales TTC over 365 days = 32 300 / 365; in days of sales: 20 475 / (32 300 / 365) = 231.37
    assert out.daily_sales_ttc_eur == pytest.approx(32_300 / 365)
    assert out.bfr_days_of_sales == pytest.approx(20_475 * 365 / 32_300)


def test_month_end_receivables_and_turnover() -> None:
    series = K.month_end_receivables(_working_capital_ledger(), MARCH_END)
    # 12 month-ends Apr 2025..Mar 2026 (as_of is a month-end): 0 × 8, Dec 5 000 ('old' issued 30 Dec),
    # Jan 9 100 ('old' paid, s1 issued), Feb 9 100 (s1 paid, s2 issued), Mar 18 200 (s2 + s3)
    assert len(series) == 12
    assert series.iloc[-4:].tolist() == pytest.approx([5000, 9100, 9100, 18_200])
    assert series.iloc[:8].sum() == 0.0
    # turnover = sales of 365 days / mean = 32 300 / (41 400 / 12) = 9.36
    assert K.receivables_turnover(_working_capital_ledger(), MARCH_END) == pytest.approx(32_300 / 3450)


def test_overdue_rate_on_the_working_capital_ledger() -> None:
    # s2 (9 100) overdue, s3 (9 100) not due: 0.5
    assert overdue_rate_from(_basis(_working_capital_ledger, MARCH_END)) == pytest.approx(0.5)


# --- aging, encours, overdue and doubtful rates ----------------------------------------------------
def _aged_ledger() -> Ledger:
    """Open invoices at 31 Mar 2026 overdue by −9, 9, 30, 31, 45, 90, 91 and 120 days, one paid."""
    return make_ledger([
        _inv("N", "alpha", "2026-04-09", 3000),  # −9: not due
        _inv("A", "beta", "2026-03-22", 800),  # 9
        _inv("G", "delta", "2026-03-01", 1500),  # 30 (boundary of 1–30)
        _inv("H", "delta", "2026-02-28", 700),  # 31
        _inv("B", "alpha", "2026-02-14", 1200),  # 14 + 31 = 45
        _inv("C", "beta", "2025-12-31", 2000),  # 31 + 28 + 31 = 90 (boundary of 61–90)
        _inv("D", "gamma", "2025-12-30", 1000),  # 91
        _inv("E", "gamma", "2025-12-01", 500, disputed=True),  # 30 + 31 + 28 + 31 = 120
        _inv("F", "delta", "2026-02-04", 1000, paid="2026-03-06"),  # paid 30 days late: not open
    ])


def test_aging_buckets_default() -> None:
    table = aging_from(_basis(_aged_ledger, MARCH_END), K.KpiSettings()).set_index("bucket")
    assert list(table.index) == ["not due", "1–30", "31–60", "61–90", ">90"]
    # not due N 3 000 | 1–30 A + G = 2 300 | 31–60 H + B = 1 900 | 61–90 C 2 000 | >90 D + E = 1 500
    assert table["amount_eur"].tolist() == pytest.approx([3000, 2300, 1900, 2000, 1500])
    assert table["count"].tolist() == [1, 2, 2, 1, 2]
    # total 10 700
    assert table["share"].tolist() == pytest.approx([v / 10_700 for v in (3000, 2300, 1900, 2000, 1500)])
    assert table["share"].sum() == pytest.approx(1.0)


def test_aging_buckets_are_configurable() -> None:
    settings = K.KpiSettings(aging_buckets_days=(15, 45))
    table = K.aging(_aged_ledger(), MARCH_END, settings).set_index("bucket")
    assert list(table.index) == ["not due", "1–15", "16–45", ">45"]
    # 1–15: A 800 | 16–45: G 1 500 + H 700 + B 1 200 = 3 400 | >45: C + D + E = 3 500
    assert table["amount_eur"].tolist() == pytest.approx([3000, 800, 3400, 3500])


def test_aging_by_counterparty_and_payables_side() -> None:
    table = K.aging_by_counterparty(_aged_ledger(), MARCH_END).set_index(C.COUNTERPARTY_ID)
    # alpha: N 3 000 not due + B 1 200 in 31–60
    assert table.loc["alpha", "not due"] == pytest.approx(3000)
    assert table.loc["alpha", "31–60"] == pytest.approx(1200)
    assert table.loc["alpha", "total_eur"] == pytest.approx(4200)
    assert table.index[0] == "alpha"  # largest first
    payables = aging_from(_basis(_working_capital_ledger, MARCH_END), K.KpiSettings(), C.PAYABLE).set_index("bucket")
    assert payables.loc["not due", "amount_eur"] == pytest.approx(4550)  # p3, due 9 Apr
    assert payables["amount_eur"].sum() == pytest.approx(4550)


def test_encours_per_client_average_and_concentration() -> None:
    enc = encours_from(_basis(_aged_ledger, MARCH_END)).set_index(C.COUNTERPARTY_ID)
    # alpha 3 000 + 1 200 = 4 200 (1 200 overdue); beta 800 + 2 000 = 2 800; delta 1 500 + 700 = 2 200
    # (F paid); gamma 1 000 + 500 = 1 500
    assert enc["encours_eur"].to_dict() == pytest.approx({"alpha": 4200, "beta": 2800, "delta": 2200, "gamma": 1500})
    assert enc.loc["alpha", "overdue_eur"] == pytest.approx(1200)
    assert enc.loc["alpha", "not_due_eur"] == pytest.approx(3000)
    assert enc.loc["delta", "n_open"] == 2
    # 10 700 / 4 clients = 2 675; four clients: the top 10 hold everything
    assert average_encours_from(enc) == pytest.approx(2675)
    assert top10_concentration_from(enc) == pytest.approx(1.0)


def test_top10_concentration_with_twelve_clients() -> None:
    # client k owes 100 × k (k = 1..12): total 7 800, top 10 = 7 800 − 100 − 200 = 7 500
    rows = [_inv(f"I{k}", f"c{k:02d}", "2026-04-30", 100.0 * k) for k in range(1, 13)]
    ledger = make_ledger(rows)
    assert K.top10_concentration(ledger, MARCH_END) == pytest.approx(7500 / 7800)
    enc = K.encours(ledger, MARCH_END)
    assert enc[C.COUNTERPARTY_ID].tolist()[:2] == ["c12", "c11"]  # largest first
    assert average_encours_from(enc) == pytest.approx(650)


def test_overdue_and_doubtful_rates() -> None:
    ledger = _aged_ledger()
    # overdue = 10 700 − 3 000 not due = 7 700
    assert K.overdue_rate(ledger, MARCH_END) == pytest.approx(7700 / 10_700)
    # doubtful = overdue > 90 days (D 1 000) or disputed (E 500) = 1 500; C at exactly 90 days is not
    assert K.doubtful_rate(ledger, MARCH_END) == pytest.approx(1500 / 10_700)
    # with a 60-day threshold C (90 d) joins: 3 500
    basis = _basis(_aged_ledger, MARCH_END)
    assert doubtful_rate_from(basis, K.KpiSettings(doubtful_overdue_days=60)) == pytest.approx(3500 / 10_700)


def test_an_invoice_paid_after_as_of_is_open_at_as_of() -> None:
    ledger = make_ledger([_inv("X", "a", "2026-03-01", 1000, paid="2026-04-15")])
    assert K.dso(ledger, MARCH_END).receivables_eur == pytest.approx(1000)
    assert K.dso(ledger, date(2026, 4, 30)).receivables_eur == 0.0


def test_credit_notes_reduce_the_receivables() -> None:
    ledger = make_ledger([_inv("X", "a", "2026-03-01", 1000), _inv("CN", "a", "2026-03-10", -300)])
    basis, settings = kpi_basis(ledger, MARCH_END), K.KpiSettings()
    # 1 000 − 300 = 700, both overdue (30 and 21 days): all in 1–30
    assert dso_from(basis, settings).receivables_eur == pytest.approx(700)
    assert aging_from(basis, settings).set_index("bucket").loc["1–30", "amount_eur"] == pytest.approx(700)
    assert len(penalties_from(basis, settings)) == 1  # no penalty on a credit note


def test_foreign_currency_at_the_as_of_rate() -> None:
    fx = [{C.CURRENCY: "USD", C.RATE_DATE: pd.Timestamp("2026-01-01"), C.RATE: 0.90},
          {C.CURRENCY: "USD", C.RATE_DATE: pd.Timestamp("2026-04-15"), C.RATE: 0.80}]
    row = invoice("U", "us", "2026-02-01", "2026-03-03", 1000.0, currency="USD")
    ledger = make_ledger([row], fx_rates=fx)
    assert K.dso(ledger, MARCH_END).receivables_eur == pytest.approx(900)  # 1 000 × 0.90
    assert K.dso(ledger, date(2026, 4, 30)).receivables_eur == pytest.approx(800)  # 1 000 × 0.80


# --- collection and bad-debt rates -------------------------------------------------------------------
def test_collection_rate_over_the_invoices_that_fell_due_in_the_period() -> None:
    ledger = make_ledger([
        _inv("c1", "a", "2026-03-01", 1000, paid="2026-03-05"),  # fell due, collected 1 000
        _inv("c2", "a", "2026-02-01", 2000, parts=[("2026-03-01", 500)]),  # fell due, collected 500
        _inv("c3", "a", "2026-04-10", 1000, paid="2026-03-20"),  # not due yet: out
        _inv("c4", "a", "2025-12-01", 1000, paid="2026-03-10"),  # due 120 days ago: out
        _inv("c5", "a", "2026-03-15", -300),  # credit note: out
        _inv("c6", "a", "2026-03-31", 1000),  # due on as_of (0 days): in, nothing collected
        _inv("c7", "a", "2025-12-30", 1000, paid="2026-01-10"),  # due 91 days ago: out
        _inv("c8", "a", "2025-12-31", 1000, paid="2026-01-05"),  # due 90 days ago: in, collected 1 000
    ])
    # (1 000 + 500 + 0 + 1 000) / (1 000 + 2 000 + 1 000 + 1 000) = 2 500 / 5 000
    assert K.collection_rate(ledger, MARCH_END) == pytest.approx(0.5)


def _bad_debt_ledger() -> Ledger:
    """One written-off invoice (1 000, 200 paid), due 31 Jan 2026, and three sales."""
    return make_ledger([
        _written_off(_inv("w1", "bad", "2026-01-31", 1000, parts=[("2026-02-15", 200)], issue="2026-01-01")),
        _inv("s2", "good", "2026-07-15", 9000, issue="2026-06-15"),  # open
        _inv("s3", "good", "2025-10-01", 6000, paid="2025-10-01", issue="2025-09-01"),
        _inv("s4", "good", "2025-07-30", 5000, paid="2025-07-30", issue="2025-06-30"),  # 365 days back: out
    ])


def test_bad_debt_rate_counts_write_offs_of_the_last_year() -> None:
    ledger = _bad_debt_ledger()
    # the write-off is dated due + 91 = 2 May 2026; the loss is the unpaid 800
    # sales of the 365 days = 1 000 + 9 000 + 6 000 = 16 000: 800 / 16 000 = 0.05
    assert K.bad_debt_rate(ledger, JUNE_END) == pytest.approx(0.05)
    basis = _basis(_bad_debt_ledger, JUNE_END)
    assert basis.receivables.set_index(C.INVOICE_ID).loc["w1", "write_off_date"] == pd.Timestamp("2026-05-02")
    # written off: neither in the receivables (s2 only) nor doubtful
    assert dso_from(basis, K.KpiSettings()).receivables_eur == pytest.approx(9000)
    assert doubtful_rate_from(basis, K.KpiSettings()) == 0.0


def test_before_its_write_off_date_the_invoice_counts_as_open() -> None:
    basis = _basis(_bad_debt_ledger, date(2026, 4, 30))
    # 30 Apr 2026: w1 is 89 days overdue, open for 800; no write-off yet
    assert bad_debt_rate_from(basis) == 0.0
    assert dso_from(basis, K.KpiSettings()).receivables_eur == pytest.approx(800)
    assert aging_from(basis, K.KpiSettings()).set_index("bucket").loc["61–90", "amount_eur"] == pytest.approx(800)


# --- French late-payment penalties ------------------------------------------------------------------
def _penalty_ledger() -> Ledger:
    """Late, on-time, not-due, credit-note, old and written-off invoices at 31 Mar 2026."""
    return make_ledger([
        _inv("P1", "a", "2026-01-30", 10_000),  # open, 1 + 28 + 31 = 60 days late
        _inv("P2", "b", "2026-02-10", 3650, paid="2026-03-12"),  # paid 18 + 12 = 30 days late
        _inv("P3", "c", "2026-03-01", 7300, parts=[("2026-03-11", 3650)]),  # half paid 10 d late, half open 30 d
        _inv("P4", "d", "2026-03-15", 1000, paid="2026-03-14"),  # paid early
        _inv("P5", "d", "2026-04-15", 2000),  # not due
        _inv("P6", "a", "2026-01-01", -500),  # credit note
        _inv("P7", "b", "2024-12-01", 1000, paid="2025-01-15"),  # paid late, but more than a year ago
        _written_off(_inv("P8", "e", "2025-06-01", 400)),  # written off on 31 Aug 2025
    ])


def test_penalty_rate_is_ecb_plus_ten_points_floored_at_three_legal_rates() -> None:
    assert K.penalty_rate(K.KpiSettings(ecb_rate=0.0215, legal_interest_rate=0.0276)) == pytest.approx(0.1215)
    # 3 × 4 % = 12 % > 0 % + 10 %
    assert K.penalty_rate(K.KpiSettings(ecb_rate=0.0, legal_interest_rate=0.04)) == pytest.approx(0.12)
    # 10 000 × 12.15 % × 60 / 365 = 199.726
    assert K.late_interest_eur(10_000, 60, 0.1215) == pytest.approx(72_900 / 365)


def test_penalties_to_the_cent_on_a_hand_made_ledger() -> None:
    settings = K.KpiSettings(ecb_rate=0.0215, legal_interest_rate=0.0276)  # rate 12.15 %
    table = penalties_from(_basis(_penalty_ledger, MARCH_END), settings).set_index(C.INVOICE_ID)
    assert sorted(table.index) == ["P1", "P2", "P3"]
    # P1: 10 000 × 0.1215 × 60 / 365 = 199.73
    assert round(table.loc["P1", "interest_eur"], 2) == 199.73
    assert table.loc["P1", "days_late"] == 60
    # P2: 3 650 × 0.1215 × 30 / 365 = 36.45
    assert round(table.loc["P2", "interest_eur"], 2) == 36.45
    assert table.loc["P2", "days_late"] == 30
    # P3: 3 650 × 0.1215 × 10 / 365 (paid part) + 3 650 × 0.1215 × 30 / 365 (open part) = 12.15 + 36.45 = 48.60
    assert round(table.loc["P3", "interest_eur"], 2) == 48.60
    assert (table["indemnity_eur"] == 40.0).all()
    assert round(table.loc["P1", "penalty_eur"], 2) == 239.73
    assert list(table.index) == ["P1", "P3", "P2"]  # largest penalty first
    totals = K.penalty_totals(table.reset_index())
    # 199.726 + 36.45 + 48.60 = 284.78 interest; 3 × 40 = 120 indemnities; 404.78 in all
    assert round(totals.interest_eur, 2) == 284.78
    assert totals.indemnity_eur == 120.0
    assert round(totals.penalty_eur, 2) == 404.78
    assert (totals.late_invoices, totals.late_open_invoices, totals.late_paid_invoices) == (3, 2, 1)
    assert isinstance(totals.late_invoices, int)
    assert totals.to_dict() == {"late_invoices": 3, "late_open_invoices": 2, "late_paid_invoices": 1,
                                "interest_eur": totals.interest_eur, "indemnity_eur": 120.0,
                                "penalty_eur": totals.penalty_eur}


def test_no_late_invoice_no_penalty() -> None:
    ledger = make_ledger([_inv("X", "a", "2026-03-01", 1000, paid="2026-03-01"), _inv("Y", "a", "2026-04-30", 500)])
    table = K.penalties(ledger, MARCH_END)
    assert table.empty
    assert K.penalty_totals(table) == PenaltyTotals(0, 0, 0, 0.0, 0.0, 0.0)
    # paid on the due date is on time; one day after is one day late: 1 000 × 0.1215 / 365 + 40
    late = make_ledger([_inv("Z", "a", "2026-03-01", 1000, paid="2026-03-02")])
    row = K.penalties(late, MARCH_END).iloc[0]
    assert row["days_late"] == 1
    assert row["penalty_eur"] == pytest.approx(1000 * 0.1215 / 365 + 40)


def test_penalties_at_the_legal_floor() -> None:
    settings = K.KpiSettings(ecb_rate=0.0, legal_interest_rate=0.04, recovery_indemnity_eur=40.0)  # 12 %
    table = penalties_from(_basis(_penalty_ledger, MARCH_END), settings).set_index(C.INVOICE_ID)
    # P2: 3 650 × 0.12 × 30 / 365 = 36.00; P1: 10 000 × 0.12 × 60 / 365 = 197.26
    assert round(table.loc["P2", "interest_eur"], 2) == 36.00
    assert round(table.loc["P1", "interest_eur"], 2) == 197.26


# --- scorecard and ratings -------------------------------------------------------------------------
def _scorecard_ledger() -> Ledger:
    """Clients whose days from issue to payment, at 30 Jun 2026, give each rating."""
    receivables = [
        invoice("f1", "fast", "2026-01-01", "2026-01-31", 1000, paid="2026-01-21"),  # 20 days: A
        invoice("m1", "mid", "2026-01-01", "2026-01-31", 1000, paid="2026-02-10"),  # 40 days
        invoice("m2", "mid", "2026-02-01", "2026-03-03", 3000, paid="2026-04-02"),  # 27 + 31 + 2 = 60 days
        invoice("s1", "slow", "2026-01-10", "2026-02-09", 2000, paid="2026-04-10"),  # 21 + 28 + 31 + 10 = 90: C
        invoice("l1", "late", "2026-01-10", "2026-02-09", 1000, paid="2026-04-11"),  # 91: D
        invoice("n1", "new", "2026-06-15", "2026-07-15", 5000),  # open, not due, no history: B
        invoice("v1", "never", "2026-03-01", "2026-03-31", 1000),  # open, 91 days overdue (doubtful)
        invoice("w1", "owing", "2026-05-01", "2026-05-31", 1000),  # open, 30 days overdue, 60 days old: B
        invoice("d1", "fastdisp", "2026-01-01", "2026-01-31", 1000, paid="2026-01-21"),  # 20 days: A...
        invoice("d2", "fastdisp", "2026-06-01", "2026-07-01", 1000, disputed=True),  # ...disputed: B
        invoice("o1", "old", "2025-01-01", "2025-01-31", 1000, paid="2025-06-01"),  # paid > 365 days ago
    ]
    limits = {"new": 10_000.0, "never": 500.0}
    ids = sorted({r[C.COUNTERPARTY_ID] for r in receivables})
    cps = [{**counterparty(cp), C.CREDIT_LIMIT: limits.get(cp, 0.0)} for cp in ids]
    return make_ledger(receivables, counterparties=cps)


def test_scorecard_ratings_a_to_d() -> None:
    card = scorecard_from(_basis(_scorecard_ledger, JUNE_END), K.KpiSettings()).set_index(C.COUNTERPARTY_ID)
    # mid: (1 000 × 40 + 3 000 × 60) / 4 000 = 55 days: B
    assert card.loc["mid", "avg_days_to_pay"] == pytest.approx(55.0)
    # delays 10 and 30 days: (1 000 × 10 + 3 000 × 30) / 4 000 = 25; both late
    assert card.loc["mid", "avg_delay_days"] == pytest.approx(25.0)
    assert card.loc["mid", "share_paid_late"] == pytest.approx(1.0)
    # never: 121 days old (issue 1 Mar), 91 days overdue -> D (and downgraded)
    assert card.loc["never", "overdue_age_days"] == pytest.approx(121.0)
    assert bool(card.loc["never", "downgraded"])
    assert card.loc["owing", "overdue_age_days"] == pytest.approx(60.0)
    assert card["rating"].to_dict() == {
        "fast": "A", "mid": "B", "slow": "C", "late": "D", "new": "B", "never": "D", "owing": "B",
        "fastdisp": "B", "old": "B",
    }
    assert card.loc["old", "rating_basis"] == "no history"
    assert card.loc["owing", "rating_basis"] == "overdue open invoices"
    assert card.loc["fast", "rating_basis"] == "paid invoices"


def test_scorecard_rating_thresholds_are_settings() -> None:
    settings = K.KpiSettings(rating_thresholds_days=(10, 20, 30))
    card = scorecard_from(_basis(_scorecard_ledger, JUNE_END), settings).set_index(C.COUNTERPARTY_ID)
    assert card.loc["fast", "rating"] == "B"  # 20 days
    assert card.loc["mid", "rating"] == "D"  # 55 days


def test_scorecard_credit_limit_use() -> None:
    card = scorecard_from(_basis(_scorecard_ledger, JUNE_END), K.KpiSettings()).set_index(C.COUNTERPARTY_ID)
    # new: 5 000 / 10 000 = 0.5, within; never: 1 000 / 500 = 2, over; no limit (0): no use, never over
    assert card.loc["new", "credit_use"] == pytest.approx(0.5)
    assert not card.loc["new", "over_limit"]
    assert card.loc["never", "credit_use"] == pytest.approx(2.0)
    assert card.loc["never", "over_limit"]
    assert math.isnan(card.loc["owing", "credit_use"])
    assert not card.loc["owing", "over_limit"]
    assert card.index[0] == "new"  # largest encours first


def test_a_credit_limit_in_a_currency_without_rate_is_no_limit() -> None:
    # the client's limit is in CHF and no CHF rate is known: the KPIs still compute, the limit is unknown
    cps = [{**counterparty("a"), C.CURRENCY: "CHF", C.CREDIT_LIMIT: 500.0}]
    ledger = make_ledger([_inv("X", "a", "2026-03-01", 1000)], counterparties=cps)
    card = K.scorecard(ledger, MARCH_END)
    assert math.isnan(card.loc[0, "credit_limit_eur"])
    assert not card.loc[0, "over_limit"]
    assert K.kpi_summary(ledger, MARCH_END).dso.receivables_eur == pytest.approx(1000)


# --- dunning list ------------------------------------------------------------------------------------
def test_dunning_list_order_by_amount_times_given_risk_and_levels() -> None:
    risk = pd.Series({"alpha": 0.5, "beta": 0.1, "gamma": 0.9, "delta": 0.2})
    table = dunning_list_from(_basis(_aged_ledger, MARCH_END), K.KpiSettings(), behaviour_risk=risk)
    # priorities: D 1 000 × 0.9 = 900, B 1 200 × 0.5 = 600, E 500 × 0.9 = 450, G 1 500 × 0.2 = 300,
    # C 2 000 × 0.1 = 200, H 700 × 0.2 = 140, A 800 × 0.1 = 80 (N is not due, F is paid)
    assert table[C.INVOICE_ID].tolist() == ["D", "B", "E", "G", "C", "H", "A"]
    assert table["priority_eur"].tolist() == pytest.approx([900, 600, 450, 300, 200, 140, 80])
    assert table["rank"].tolist() == list(range(1, 8))
    assert (table["risk_source"] == "behaviour model").all()
    levels = dict(zip(table[C.INVOICE_ID], table["level"].str[0], strict=True))
    # levels (15, 45, 90): A 9 d -> 1; G 30, H 31, B 45 -> 2; C 90 -> 3; D 91 -> 4; E disputed -> 4
    assert levels == {"A": "1", "G": "2", "H": "2", "B": "2", "C": "3", "D": "4", "E": "4"}


def test_dunning_list_risk_heuristic_from_rating_and_days() -> None:
    table = K.dunning_list(_aged_ledger(), MARCH_END).set_index(C.INVOICE_ID)
    # ratings: beta D (overdue ages (800 × 39 + 2 000 × 120) / 2 800 = 96.9 d), gamma D, alpha C
    # (B is 75 days old), delta B (F paid in 60 days)
    assert table["rating"].to_dict() == {"C": "D", "D": "D", "E": "D", "B": "C", "A": "D", "G": "B", "H": "B"}
    # C: 0.40 + 90/365 = 0.6466 -> 1 293.15; E: 0.40 + 120/365 + 0.25 (disputed) = 0.9788 -> 489.38
    assert table.loc["C", "risk"] == pytest.approx(0.40 + 90 / 365)
    assert table.loc["E", "risk"] == pytest.approx(0.40 + 120 / 365 + 0.25)
    assert table.loc["G", "priority_eur"] == pytest.approx(1500 * (0.10 + 30 / 365))
    # order: C 1 293.15, D 649.32, E 489.38, B 387.95, A 339.73, G 273.29, H 129.45
    assert list(table.index) == ["C", "D", "E", "B", "A", "G", "H"]
    # the claimable penalty of each line is that of the penalties table: C 2 000 × 0.1215 × 90 / 365 + 40
    assert table.loc["C", "claimable_penalty_eur"] == pytest.approx(2000 * 0.1215 * 90 / 365 + 40)


def test_dunning_risk_is_capped_at_one() -> None:
    ledger = make_ledger([_inv("X", "a", "2025-06-01", 1000, disputed=True)])  # 303 days, D, disputed
    table = K.dunning_list(ledger, MARCH_END)
    assert table["risk"].tolist() == [1.0]
    assert table["priority_eur"].tolist() == pytest.approx([1000.0])


# --- settings -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    {"period_days": 0}, {"aging_buckets_days": (60, 30)}, {"aging_buckets_days": ()},
    {"rating_thresholds_days": (30, 60)}, {"dunning_levels_days": (0, 45, 90)}, {"inventory_eur": -1.0},
])
def test_settings_refuse_nonsense(kwargs: dict) -> None:
    with pytest.raises(InputError):
        K.KpiSettings(**kwargs)


# --- summary -----------------------------------------------------------------------------------------
def test_summary_on_a_hand_made_ledger() -> None:
    summary = K.kpi_summary(_aged_ledger(), MARCH_END).to_dict()
    json.dumps(summary, allow_nan=False)
    assert summary["receivables_eur"] == pytest.approx(10_700)
    assert summary["overdue_receivables_eur"] == pytest.approx(7700)
    assert summary["doubtful_receivables_eur"] == pytest.approx(1500)
    assert summary["dpo_days"] is None  # no purchases: undefined
    assert summary["ratings"] == {"A": 0, "B": 1, "C": 1, "D": 2}
    # 7 open late invoices + F paid late; 8 × 40 = 320
    assert summary["penalties"]["late_invoices"] == 8
    assert summary["penalties"]["indemnity_eur"] == pytest.approx(320)
    dunning = summary["dunning"]
    assert [v["invoices"] for v in dunning.values()] == [1, 3, 1, 2]
    assert [v["open_eur"] for v in dunning.values()] == pytest.approx([800, 3400, 2000, 1500])


def test_summary_on_the_demo_company_is_plausible(demo_db: Path) -> None:
    ledger = Store(demo_db).read_ledger()
    summary = K.kpi_summary(ledger, date(2026, 11, 23)).to_dict()
    json.dumps(summary, allow_nan=False)  # JSON-serialisable, no NaN
    assert summary["as_of"] == "2026-11-23"
    assert 30 < summary["dso_simple_days"] < 90
    assert 30 < summary["dso_countback_days"] < 90
    assert 20 < summary["dpo_days"] < 90
    assert sum(summary["aging_share"].values()) == pytest.approx(1.0)
    assert sum(summary["aging_eur"].values()) == pytest.approx(summary["receivables_eur"])
    assert summary["bfr_eur"] == pytest.approx(summary["receivables_eur"] - summary["payables_eur"])
    for key in ("overdue_rate", "collection_rate", "doubtful_rate", "bad_debt_rate", "top10_concentration"):
        assert 0.0 <= summary[key] <= 1.0, key
    assert summary["collection_rate"] > 0.5
    assert summary["bad_debt_rate"] < 0.05
    assert sum(summary["ratings"].values()) == len(ledger.counterparties.query("kind == 'client'"))
    penalties = summary["penalties"]
    assert penalties["penalty_eur"] == pytest.approx(penalties["interest_eur"] + penalties["indemnity_eur"])
    assert penalties["indemnity_eur"] == pytest.approx(40.0 * penalties["late_invoices"])
    overdue_invoices = sum(v["invoices"] for v in summary["dunning"].values())
    assert 0 < overdue_invoices == penalties["late_open_invoices"]
