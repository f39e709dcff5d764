"""AppTest: the receivables and payables pages on the demo company, on a hand-made one, and on an empty database."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.store.database import Store
from tests.fixtures.app import app_on
from tests.fixtures.demo import DEMO_TODAY
from tests.fixtures.handmade import counterparty, invoice, make_ledger

DAYS = re.compile(r"^\d+\.\d\u00a0days$")


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> AppTest:
    """Return the app switched to `page`, already run."""
    at = app_on(db, monkeypatch).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    """Return the value shown by the metric labelled `label`."""
    return next(m.value for m in at.metric if m.label == label)


def _table_with(at: AppTest, column: str) -> pd.DataFrame:
    """Return the first table of the page holding `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_receivables_page_shows_both_dso_in_days(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/receivables.py")
    assert at.title[0].value == "Receivables"
    simple, countback = _metric(at, "DSO (simple)"), _metric(at, "DSO (countback)")
    assert DAYS.match(simple) and DAYS.match(countback)
    assert 20 < float(simple.split()[0]) < 120  # the demo's clients pay in 30–60 days, often late
    assert _metric(at, "Open receivables").startswith("€")
    assert re.match(r"^\d+\.\d%$", _metric(at, "Overdue rate"))
    labels = {m.label for m in at.metric}
    assert {"Collection rate", "Doubtful rate", "Average encours per client", "Top-10 concentration"} <= labels


def test_changing_the_aging_buckets_changes_the_aging_table(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/receivables.py")
    before = _table_with(at, "bucket")
    assert before["bucket"].tolist() == ["not due", "1–30", "31–60", "61–90", ">90"]
    at.text_input(key="aging_buckets").set_value("15,45").run()
    assert not at.exception
    after = _table_with(at, "bucket")
    assert after["bucket"].tolist() == ["not due", "1–15", "16–45", ">45"]
    assert after["amount_eur"].sum() == pytest.approx(before["amount_eur"].sum())  # same money, other buckets
    assert after["amount_eur"].iloc[0] == pytest.approx(before["amount_eur"].iloc[0])
    top_debtors = _table_with(at, "total_eur")
    assert ">45" in top_debtors.columns


def test_unreadable_aging_buckets_warn_and_keep_the_default(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/receivables.py")
    at.text_input(key="aging_buckets").set_value("60,30").run()
    assert not at.exception
    assert "increasing" in at.warning[0].value
    assert _table_with(at, "bucket")["bucket"].tolist() == ["not due", "1–30", "31–60", "61–90", ">90"]


def test_penalty_rate_follows_the_ecb_and_legal_rates(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/receivables.py")
    assert _metric(at, "Penalty rate") == "12.2%"  # default ECB 2.15 % + 10 points
    at.number_input(key="ecb_rate_pct").set_value(3.0).run()
    assert _metric(at, "Penalty rate") == "13.0%"
    at.number_input(key="legal_rate_pct").set_value(5.0).run()  # floor 3 × 5 % beats 3 % + 10
    assert not at.exception
    assert _metric(at, "Penalty rate") == "15.0%"


def test_receivables_scorecard_filters_by_rating(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/receivables.py")
    assert set(_table_with(at, "credit_use")["rating"]) == {"A", "B", "C", "D"}
    at.session_state["rating_filter"] = ["D"]
    at.run()
    assert not at.exception
    assert set(_table_with(at, "credit_use")["rating"]) == {"D"}


def test_payables_page_shows_dpo_weeks_and_the_legal_cap_column(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "pages/payables.py")
    assert at.title[0].value == "Payables"
    assert DAYS.match(_metric(at, "DPO"))
    assert _metric(at, "Open payables").startswith("€")
    weeks = _table_with(at, "due_eur")
    assert len(weeks) == 13 and str(weeks["week_start"].iloc[0].date()) == "2026-11-23"
    assert weeks["forecast_eur"].notna().all()
    # the demo's suppliers have net 30, 45 days end of month or net 60: all within the French caps
    terms = _table_with(at, "beyond_legal_cap")
    assert set(terms[C.TERMS]) <= {"net 30", "45 days end of month", "net 60"}
    assert not terms["beyond_legal_cap"].any()
    assert _metric(at, "Beyond legal terms") == "0"


def test_payables_page_flags_a_supplier_beyond_the_legal_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "caps.duckdb"
    payables = [invoice("FF1", "S1", "2026-10-01", "2026-12-30", 1200.0, side=C.PAYABLE, terms="net 90"),
                invoice("FF2", "S2", "2026-10-15", "2026-11-14", 800.0, side=C.PAYABLE)]
    suppliers = [counterparty("S1", kind=C.SUPPLIER, terms="net 90"), counterparty("S2", kind=C.SUPPLIER)]
    Store(db).replace_all(make_ledger(payables=payables, counterparties=suppliers))
    at = _page(db, monkeypatch, "pages/payables.py")
    assert _metric(at, "Beyond legal terms") == "1"
    assert "beyond the French legal caps" in at.warning[0].value
    terms = _table_with(at, "beyond_legal_cap").set_index(C.COUNTERPARTY_ID)
    assert bool(terms.loc["S1", "beyond_legal_cap"]) and not bool(terms.loc["S2", "beyond_legal_cap"])
    assert _metric(at, "Overdue payables") == "€800"  # FF2 was due on 14/11/2026


@pytest.mark.parametrize("page", ["pages/receivables.py", "pages/payables.py"])
def test_kpi_pages_on_an_empty_database_say_how_to_load_data(page: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(tmp_path / "empty.duckdb", monkeypatch, page)
    assert "Data" in at.info[0].value and "cashpilot demo" in at.info[0].value
    assert not at.metric


def test_a_long_scorecard_shows_the_largest_500_and_offers_them_all(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "big.duckdb"  # scale 2: 600 clients, more than the 500 rows drawn
    Store(db).replace_all(Ledger.from_object(demo.generate(seed=7, scale=2.0, today=DEMO_TODAY)))
    at = app_on(db, monkeypatch).run()
    at.switch_page("pages/receivables.py").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "encours_eur" in d.value.columns and "rating" in d.value.columns)
    assert len(table) == 500 and table["encours_eur"].is_monotonic_decreasing
    [caption] = [c.value for c in at.caption if c.value.startswith("The 500 largest encours of the")]
    selected = int(re.search(r"of the ([\d,]+) clients", caption).group(1).replace(",", ""))
    assert selected > 500 and "the CSV has every one" in caption
    assert [b for b in at.get("download_button") if b.proto.label == "Full list (CSV)"]
