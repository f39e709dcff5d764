"""DSO (simple and countback), DPO, DIO, cash conversion cycle, BFR, turnover and the receivable rates
(forecasting.kpis.ratios), every figure worked out on paper next to its assertion."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.kpis import summary as K
from forecasting.kpis.base import kpi_basis
from forecasting.kpis.clients import (
    aging_from,
)
from forecasting.kpis.collection import penalties_from
from forecasting.kpis.ratios import (
    bad_debt_rate_from,
    cash_conversion_cycle_from,
    doubtful_rate_from,
    dpo_from,
    dso_from,
    overdue_rate_from,
)
from tests.fixtures.handmade import invoice, make_ledger
from tests.fixtures.kpi_ledgers import (
    JUNE_END,
    MARCH_END,
    aged_ledger,
    basis_at,
    inv,
    working_capital_ledger,
    written_off,
)


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




def test_dso_by_both_methods_on_a_ledger() -> None:
    out = K.dso(working_capital_ledger(), MARCH_END)
    # receivables = s2 + s3 = 18 200; sales of the 91 days 31 Dec 2025–31 Mar 2026 = 3 × 9 100 = 27 300
    # ('old', issued 30 Dec, is 91 days back: outside)
    assert out.receivables_eur == pytest.approx(18_200)
    assert out.sales_ttc_period_eur == pytest.approx(27_300)
    assert out.dso_simple_days == pytest.approx(18_200 / 27_300 * 91)  # 60.67
    # countback: March (31 days) 9 100, then February (28 days) 9 100 exhausts the 18 200: 31 + 28 = 59
    assert out.dso_countback_days == pytest.approx(59.0)
    # over a year: sales 27 300 + 5 000 = 32 300; 18 200 / 32 300 × 365 = 205.67
    year = dso_from(basis_at(working_capital_ledger, MARCH_END), K.KpiSettings(period_days=365))
    assert year.dso_simple_days == pytest.approx(18_200 / 32_300 * 365)


def test_dpo_dio_and_cash_conversion_cycle() -> None:
    ledger = working_capital_ledger()
    # open payables = p3 = 4 550; purchases of the 91 days = p1 + p2 + p3 = 13 650: 4 550 / 13 650 × 91 = 30.33
    assert K.dpo(ledger, MARCH_END) == pytest.approx(91 / 3)
    settings = K.KpiSettings(inventory_eur=6825.0)
    # DIO = 6 825 / 13 650 × 91 = 45.5; CCC = 60.667 + 45.5 − 30.333 = 75.833
    ccc = K.cash_conversion_cycle(ledger, MARCH_END, settings)
    assert ccc.dio_days == pytest.approx(45.5)
    assert ccc.dpo_days == pytest.approx(91 / 3)
    assert ccc.ccc_days == pytest.approx(182 / 3 + 45.5 - 91 / 3)
    basis = basis_at(working_capital_ledger, MARCH_END)  # the settings below change no input of the basis
    # cost of goods sold = half the purchases = 6 825: DIO = 6 825 / 6 825 × 91 = 91
    half = K.KpiSettings(inventory_eur=6825.0, cogs_share_of_purchases=0.5)
    assert K.cogs_eur(ledger, MARCH_END, half) == pytest.approx(6825.0)
    assert cash_conversion_cycle_from(basis, half).dio_days == pytest.approx(91.0)
    # no inventory entered: DIO 0, CCC = DSO − DPO
    assert cash_conversion_cycle_from(basis, K.KpiSettings()).dio_days == 0.0
    # over a year: purchases 13 650 + 3 000 = 16 650: 4 550 / 16 650 × 365
    assert dpo_from(basis, K.KpiSettings(period_days=365)) == pytest.approx(4550 / 16_650 * 365)


def test_bfr_is_inventory_plus_receivables_minus_payables() -> None:
    out = K.bfr(working_capital_ledger(), MARCH_END, K.KpiSettings(inventory_eur=6825.0))
    # 6 825 + 18 200 − 4 550 = 20 475
    assert out.bfr_eur == pytest.approx(20_475)
    assert out.trade_receivables_eur == pytest.approx(18_200)
    assert out.trade_payables_eur == pytest.approx(4550)
    # daily sales TTC over 365 days = 32 300 / 365; in days of sales: 20 475 / (32 300 / 365) = 231.37
    assert out.daily_sales_ttc_eur == pytest.approx(32_300 / 365)
    assert out.bfr_days_of_sales == pytest.approx(20_475 * 365 / 32_300)


def test_month_end_receivables_and_turnover() -> None:
    series = K.month_end_receivables(working_capital_ledger(), MARCH_END)
    # 12 month-ends Apr 2025..Mar 2026 (as_of is a month-end): 0 × 8, Dec 5 000 ('old' issued 30 Dec),
    # Jan 9 100 ('old' paid, s1 issued), Feb 9 100 (s1 paid, s2 issued), Mar 18 200 (s2 + s3)
    assert len(series) == 12
    assert series.iloc[-4:].tolist() == pytest.approx([5000, 9100, 9100, 18_200])
    assert series.iloc[:8].sum() == 0.0
    # turnover = sales of 365 days / mean = 32 300 / (41 400 / 12) = 9.36
    assert K.receivables_turnover(working_capital_ledger(), MARCH_END) == pytest.approx(32_300 / 3450)


def test_overdue_rate_on_the_working_capital_ledger() -> None:
    # s2 (9 100) overdue, s3 (9 100) not due: 0.5
    assert overdue_rate_from(basis_at(working_capital_ledger, MARCH_END)) == pytest.approx(0.5)


def test_overdue_and_doubtful_rates() -> None:
    ledger = aged_ledger()
    # overdue = 10 700 − 3 000 not due = 7 700
    assert K.overdue_rate(ledger, MARCH_END) == pytest.approx(7700 / 10_700)
    # doubtful = overdue > 90 days (D 1 000) or disputed (E 500) = 1 500; C at exactly 90 days is not
    assert K.doubtful_rate(ledger, MARCH_END) == pytest.approx(1500 / 10_700)
    # with a 60-day threshold C (90 d) joins: 3 500
    basis = basis_at(aged_ledger, MARCH_END)
    assert doubtful_rate_from(basis, K.KpiSettings(doubtful_overdue_days=60)) == pytest.approx(3500 / 10_700)


def test_an_invoice_paid_after_as_of_is_open_at_as_of() -> None:
    ledger = make_ledger([inv("X", "a", "2026-03-01", 1000, paid="2026-04-15")])
    assert K.dso(ledger, MARCH_END).receivables_eur == pytest.approx(1000)
    assert K.dso(ledger, date(2026, 4, 30)).receivables_eur == 0.0


def test_credit_notes_reduce_the_receivables() -> None:
    ledger = make_ledger([inv("X", "a", "2026-03-01", 1000), inv("CN", "a", "2026-03-10", -300)])
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
        inv("c1", "a", "2026-03-01", 1000, paid="2026-03-05"),  # fell due, collected 1 000
        inv("c2", "a", "2026-02-01", 2000, parts=[("2026-03-01", 500)]),  # fell due, collected 500
        inv("c3", "a", "2026-04-10", 1000, paid="2026-03-20"),  # not due yet: out
        inv("c4", "a", "2025-12-01", 1000, paid="2026-03-10"),  # due 120 days ago: out
        inv("c5", "a", "2026-03-15", -300),  # credit note: out
        inv("c6", "a", "2026-03-31", 1000),  # due on as_of (0 days): in, nothing collected
        inv("c7", "a", "2025-12-30", 1000, paid="2026-01-10"),  # due 91 days ago: out
        inv("c8", "a", "2025-12-31", 1000, paid="2026-01-05"),  # due 90 days ago: in, collected 1 000
    ])
    # (1 000 + 500 + 0 + 1 000) / (1 000 + 2 000 + 1 000 + 1 000) = 2 500 / 5 000
    assert K.collection_rate(ledger, MARCH_END) == pytest.approx(0.5)


def _bad_debt_ledger() -> Ledger:
    """One written-off invoice (1 000, 200 paid), due 31 Jan 2026, and three sales."""
    return make_ledger([
        written_off(inv("w1", "bad", "2026-01-31", 1000, parts=[("2026-02-15", 200)], issue="2026-01-01")),
        inv("s2", "good", "2026-07-15", 9000, issue="2026-06-15"),  # open
        inv("s3", "good", "2025-10-01", 6000, paid="2025-10-01", issue="2025-09-01"),
        inv("s4", "good", "2025-07-30", 5000, paid="2025-07-30", issue="2025-06-30"),  # 365 days back: out
    ])


def test_bad_debt_rate_counts_write_offs_of_the_last_year() -> None:
    ledger = _bad_debt_ledger()
    # the write-off is dated due + 91 = 2 May 2026; the loss is the unpaid 800
    # sales of the 365 days = 1 000 + 9 000 + 6 000 = 16 000: 800 / 16 000 = 0.05
    assert K.bad_debt_rate(ledger, JUNE_END) == pytest.approx(0.05)
    basis = basis_at(_bad_debt_ledger, JUNE_END)
    assert basis.receivables.set_index(C.INVOICE_ID).loc["w1", "write_off_date"] == pd.Timestamp("2026-05-02")
    # written off: neither in the receivables (s2 only) nor doubtful
    assert dso_from(basis, K.KpiSettings()).receivables_eur == pytest.approx(9000)
    assert doubtful_rate_from(basis, K.KpiSettings()) == 0.0


def test_before_its_write_off_date_the_invoice_counts_as_open() -> None:
    basis = basis_at(_bad_debt_ledger, date(2026, 4, 30))
    # 30 Apr 2026: w1 is 89 days overdue, open for 800; no write-off yet
    assert bad_debt_rate_from(basis) == 0.0
    assert dso_from(basis, K.KpiSettings()).receivables_eur == pytest.approx(800)
    assert aging_from(basis, K.KpiSettings()).set_index("bucket").loc["61–90", "amount_eur"] == pytest.approx(800)
