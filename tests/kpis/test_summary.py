"""The KPI summary (forecasting.kpis.summary) and its settings, on a hand-made ledger and on the demo company.

Each hand-made ledger is small enough that the arithmetic fits in a comment next to the assertion.
Dates: invoices are due 30 days after issue unless stated; days overdue = as_of − due date.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from forecasting.core.errors import InputError
from forecasting.kpis import summary as K
from forecasting.kpis.base import KpiBasis
from forecasting.store.database import Store
from tests.fixtures.kpi_ledgers import MARCH_END, aged_ledger

_BASES: dict[tuple[str, date], KpiBasis] = {}
















































































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
    summary = K.kpi_summary(aged_ledger(), MARCH_END).to_dict()
    json.dumps(summary, allow_nan=False)
    assert summary["receivables_eur"] == pytest.approx(10_700)
    assert summary["overdue_receivables_eur"] == pytest.approx(7700)
    assert summary["doubtful_receivables_eur"] == pytest.approx(1500)
    assert summary["dpo_days"] is None  # no purchases: undefined
    assert summary["ratings"] == {"A": 0, "B": 1, "C": 1, "D": 2}
    # 7 open late invoices (F, paid late, is not claimed by default); 7 × 40 = 280
    assert summary["penalties"]["late_invoices"] == 7
    assert summary["penalties"]["indemnity_eur"] == pytest.approx(280)
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
