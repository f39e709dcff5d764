"""French late-payment penalties and the dunning list (forecasting.kpis.collection), to the cent on paper."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.kpis import summary as K
from forecasting.kpis.blocks import PenaltyTotals
from forecasting.kpis.collection import dunning_list_from, penalties_from
from tests.fixtures.handmade import make_ledger
from tests.fixtures.kpi_ledgers import MARCH_END, aged_ledger, basis_at, inv, written_off


# --- French late-payment penalties ------------------------------------------------------------------
def _penalty_ledger() -> Ledger:
    """Late, on-time, not-due, credit-note, old and written-off invoices at 31 Mar 2026."""
    return make_ledger([
        inv("P1", "a", "2026-01-30", 10_000),  # open, 1 + 28 + 31 = 60 days late
        inv("P2", "b", "2026-02-10", 3650, paid="2026-03-12"),  # paid 18 + 12 = 30 days late
        inv("P3", "c", "2026-03-01", 7300, parts=[("2026-03-11", 3650)]),  # half paid 10 d late, half open 30 d
        inv("P4", "d", "2026-03-15", 1000, paid="2026-03-14"),  # paid early
        inv("P5", "d", "2026-04-15", 2000),  # not due
        inv("P6", "a", "2026-01-01", -500),  # credit note
        inv("P7", "b", "2024-12-01", 1000, paid="2025-01-15"),  # paid late, but more than a year ago
        written_off(inv("P8", "e", "2025-06-01", 400)),  # written off on 31 Aug 2025
    ])


def test_penalty_rate_is_ecb_plus_ten_points_floored_at_three_legal_rates() -> None:
    assert K.penalty_rate(K.KpiSettings(ecb_rate=0.0215, legal_interest_rate=0.0276)) == pytest.approx(0.1215)
    # 3 × 4 % = 12 % > 0 % + 10 %
    assert K.penalty_rate(K.KpiSettings(ecb_rate=0.0, legal_interest_rate=0.04)) == pytest.approx(0.12)
    # 10 000 × 12.15 % × 60 / 365 = 199.726
    assert K.late_interest_eur(10_000, 60, 0.1215) == pytest.approx(72_900 / 365)


def test_penalties_to_the_cent_on_a_hand_made_ledger() -> None:
    settings = K.KpiSettings(ecb_rate=0.0215, legal_interest_rate=0.0276,  # rate 12.15 %
                             penalty_policy="open_and_paid_late")  # P2, paid late within the year, counts too
    table = penalties_from(basis_at(_penalty_ledger, MARCH_END), settings).set_index(C.INVOICE_ID)
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
    ledger = make_ledger([inv("X", "a", "2026-03-01", 1000, paid="2026-03-01"), inv("Y", "a", "2026-04-30", 500)])
    table = K.penalties(ledger, MARCH_END)
    assert table.empty
    assert K.penalty_totals(table) == PenaltyTotals(0, 0, 0, 0.0, 0.0, 0.0)
    # paid on the due date is on time; one day after is one day late: 1 000 × 0.1215 / 365 + 40
    late = make_ledger([inv("Z", "a", "2026-03-01", 1000, paid="2026-03-02")])
    assert K.penalties(late, MARCH_END).empty  # paid: not claimed by default
    row = K.penalties(late, MARCH_END, K.KpiSettings(penalty_policy="open_and_paid_late")).iloc[0]
    assert row["days_late"] == 1
    assert row["penalty_eur"] == pytest.approx(1000 * 0.1215 / 365 + 40)


def test_by_default_penalties_count_only_what_is_still_claimable_the_open_late_invoices() -> None:
    # issue 17: the demo counted 40 € on thousands of invoices paid late months ago, without any claim
    table = penalties_from(basis_at(_penalty_ledger, MARCH_END), K.KpiSettings()).set_index(C.INVOICE_ID)
    assert sorted(table.index) == ["P1", "P3"]  # P2, paid 30 days late on 12 Mar, was paid without them
    totals = K.penalty_totals(table.reset_index())
    # 199.726 (P1) + 48.60 (P3: its late-paid half and its open half) = 248.33; 2 × 40 = 80
    assert round(totals.interest_eur, 2) == 248.33 and totals.indemnity_eur == 80.0
    assert (totals.late_invoices, totals.late_open_invoices, totals.late_paid_invoices) == (2, 2, 0)


def test_paid_late_invoices_count_within_the_lookback_only() -> None:
    basis = basis_at(_penalty_ledger, MARCH_END)
    short = K.KpiSettings(penalty_policy="open_and_paid_late", penalty_lookback_days=19)  # P2 paid 19 days ago
    long = K.KpiSettings(penalty_policy="open_and_paid_late", penalty_lookback_days=20)
    assert "P2" not in set(penalties_from(basis, short)[C.INVOICE_ID])
    assert "P2" in set(penalties_from(basis, long)[C.INVOICE_ID])
    everything = K.KpiSettings(penalty_policy="open_and_paid_late", penalty_lookback_days=5 * 365 + 1)
    assert "P7" in set(penalties_from(basis, everything)[C.INVOICE_ID])  # paid 45 days late in January 2025


def test_a_claim_due_more_than_five_years_ago_is_time_barred() -> None:
    ledger = make_ledger([inv("old", "a", "2021-03-30", 1000),  # 1 827 days overdue on 31 Mar 2026: barred
                          inv("recent", "a", "2021-03-31", 1000)])  # 1 826 days: still claimable
    table = K.penalties(ledger, MARCH_END)
    assert table[C.INVOICE_ID].tolist() == ["recent"]
    assert table["interest_eur"].iloc[0] == pytest.approx(1000 * 0.1215 * 1826 / 365)


@pytest.mark.parametrize("changes", [{"penalty_policy": "everything"}, {"penalty_lookback_days": 0},
                                     {"penalty_lookback_days": 5 * 365 + 2}])
def test_impossible_penalty_settings_are_refused(changes: dict) -> None:
    with pytest.raises(InputError):
        K.KpiSettings(**changes)


def test_penalties_at_the_legal_floor() -> None:
    settings = K.KpiSettings(ecb_rate=0.0, legal_interest_rate=0.04, recovery_indemnity_eur=40.0,  # 12 %
                             penalty_policy="open_and_paid_late")
    table = penalties_from(basis_at(_penalty_ledger, MARCH_END), settings).set_index(C.INVOICE_ID)
    # P2: 3 650 × 0.12 × 30 / 365 = 36.00; P1: 10 000 × 0.12 × 60 / 365 = 197.26
    assert round(table.loc["P2", "interest_eur"], 2) == 36.00
    assert round(table.loc["P1", "interest_eur"], 2) == 197.26


# --- dunning list ------------------------------------------------------------------------------------
def test_dunning_list_order_by_amount_times_given_risk_and_levels() -> None:
    risk = pd.Series({"alpha": 0.5, "beta": 0.1, "gamma": 0.9, "delta": 0.2})
    table = dunning_list_from(basis_at(aged_ledger, MARCH_END), K.KpiSettings(), behaviour_risk=risk)
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
    table = K.dunning_list(aged_ledger(), MARCH_END).set_index(C.INVOICE_ID)
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
    ledger = make_ledger([inv("X", "a", "2025-06-01", 1000, disputed=True)])  # 303 days, D, disputed
    table = K.dunning_list(ledger, MARCH_END)
    assert table["risk"].tolist() == [1.0]
    assert table["priority_eur"].tolist() == pytest.approx([1000.0])
