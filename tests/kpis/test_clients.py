"""Aged balance, encours, concentration and the client scorecard (forecasting.kpis.clients), worked out on paper."""

from __future__ import annotations

import math

import pytest

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.kpis import summary as K
from forecasting.kpis.clients import (
    aging_from,
    average_encours_from,
    encours_from,
    scorecard_from,
    top10_concentration_from,
)
from tests.fixtures.handmade import counterparty, invoice, make_ledger
from tests.fixtures.kpi_ledgers import JUNE_END, MARCH_END, aged_ledger, basis_at, inv, working_capital_ledger


def test_aging_buckets_default() -> None:
    table = aging_from(basis_at(aged_ledger, MARCH_END), K.KpiSettings()).set_index("bucket")
    assert list(table.index) == ["not due", "1–30", "31–60", "61–90", ">90"]
    # not due N 3 000 | 1–30 A + G = 2 300 | 31–60 H + B = 1 900 | 61–90 C 2 000 | >90 D + E = 1 500
    assert table["amount_eur"].tolist() == pytest.approx([3000, 2300, 1900, 2000, 1500])
    assert table["count"].tolist() == [1, 2, 2, 1, 2]
    # total 10 700
    assert table["share"].tolist() == pytest.approx([v / 10_700 for v in (3000, 2300, 1900, 2000, 1500)])
    assert table["share"].sum() == pytest.approx(1.0)


def test_aging_buckets_are_configurable() -> None:
    settings = K.KpiSettings(aging_buckets_days=(15, 45))
    table = K.aging(aged_ledger(), MARCH_END, settings).set_index("bucket")
    assert list(table.index) == ["not due", "1–15", "16–45", ">45"]
    # 1–15: A 800 | 16–45: G 1 500 + H 700 + B 1 200 = 3 400 | >45: C + D + E = 3 500
    assert table["amount_eur"].tolist() == pytest.approx([3000, 800, 3400, 3500])


def test_aging_by_counterparty_and_payables_side() -> None:
    table = K.aging_by_counterparty(aged_ledger(), MARCH_END).set_index(C.COUNTERPARTY_ID)
    # alpha: N 3 000 not due + B 1 200 in 31–60
    assert table.loc["alpha", "not due"] == pytest.approx(3000)
    assert table.loc["alpha", "31–60"] == pytest.approx(1200)
    assert table.loc["alpha", "total_eur"] == pytest.approx(4200)
    assert table.index[0] == "alpha"  # largest first
    payables = aging_from(basis_at(working_capital_ledger, MARCH_END), K.KpiSettings(), C.PAYABLE).set_index("bucket")
    assert payables.loc["not due", "amount_eur"] == pytest.approx(4550)  # p3, due 9 Apr
    assert payables["amount_eur"].sum() == pytest.approx(4550)


def test_encours_per_client_average_and_concentration() -> None:
    enc = encours_from(basis_at(aged_ledger, MARCH_END)).set_index(C.COUNTERPARTY_ID)
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
    rows = [inv(f"I{k}", f"c{k:02d}", "2026-04-30", 100.0 * k) for k in range(1, 13)]
    ledger = make_ledger(rows)
    assert K.top10_concentration(ledger, MARCH_END) == pytest.approx(7500 / 7800)
    enc = K.encours(ledger, MARCH_END)
    assert enc[C.COUNTERPARTY_ID].tolist()[:2] == ["c12", "c11"]  # largest first
    assert average_encours_from(enc) == pytest.approx(650)


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
    card = scorecard_from(basis_at(_scorecard_ledger, JUNE_END), K.KpiSettings()).set_index(C.COUNTERPARTY_ID)
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
    card = scorecard_from(basis_at(_scorecard_ledger, JUNE_END), settings).set_index(C.COUNTERPARTY_ID)
    assert card.loc["fast", "rating"] == "B"  # 20 days
    assert card.loc["mid", "rating"] == "D"  # 55 days


def test_scorecard_credit_limit_use() -> None:
    card = scorecard_from(basis_at(_scorecard_ledger, JUNE_END), K.KpiSettings()).set_index(C.COUNTERPARTY_ID)
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
    ledger = make_ledger([inv("X", "a", "2026-03-01", 1000)], counterparties=cps)
    card = K.scorecard(ledger, MARCH_END)
    assert math.isnan(card.loc[0, "credit_limit_eur"])
    assert not card.loc[0, "over_limit"]
    assert K.kpi_summary(ledger, MARCH_END).dso.receivables_eur == pytest.approx(1000)
