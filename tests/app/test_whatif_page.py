"""AppTest of the what-if page: levers change the scenario figures; scenarios are saved, loaded and compared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from forecasting.i18n.translate import tr
from forecasting.store.database import Store
from tests.fixtures.demo import DEMO_TODAY
from tests.fixtures.toy_lever import toy_lever_registered

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def whatif(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """Return the app on a copy of the demo database, on the what-if page."""
    return _open_whatif(demo_db, tmp_path, monkeypatch)


def _open_whatif(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """Return the app on a copy of the demo database, on the what-if page."""
    db = tmp_path / "whatif.duckdb"
    db.write_bytes(demo_db.read_bytes())
    monkeypatch.setenv("CASHPILOT_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["as_of"] = DEMO_TODAY
    at.run()
    at.switch_page("pages/whatif.py").run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str):
    """Return the metric with this label."""
    return next(m for m in at.metric if m.label == label)


def _money(text: str) -> float:
    """Return '1 234 567 €' as a number."""
    return float(text.replace("\u202f", "").replace("€", "").replace(",", "").strip())


def test_without_levers_the_page_shows_the_baseline(whatif: AppTest):
    assert "Set one or more levers" in whatif.info[0].value
    assert _money(_metric(whatif, "Net cash at horizon").value) != 0


def test_collecting_ten_days_faster_raises_net_cash_and_lowers_bfr(whatif: AppTest):
    whatif.number_input(key="wi_ce_delay").set_value(-10)
    whatif.button[0].click()  # the form's Simulate button
    whatif.run()
    assert not whatif.exception, whatif.exception
    cash = _metric(whatif, "Net cash at horizon")
    bfr = _metric(whatif, "BFR at horizon")
    gained = _money(cash.delta.replace("+", ""))
    freed = _money(bfr.delta.replace("+", "").replace("−", "-"))
    assert 250_000 < gained < 450_000  # ≈ 10 days of sales TTC (12 M€ / 365 × 10)
    assert freed == pytest.approx(-gained, rel=1e-6)
    # Changing the lever again changes the figures.
    whatif.number_input(key="wi_ce_delay").set_value(-5)
    whatif.button[0].click()
    whatif.run()
    assert 0 < _money(_metric(whatif, "Net cash at horizon").delta.replace("+", "")) < gained


def _look(at: AppTest, label: str) -> tuple[str, str]:
    """Return the arrow and colour a tile's change is drawn with: ('down', 'red') …"""
    proto = _metric(at, label).proto
    return (MetricProto.MetricDirection.Name(proto.direction).lower(),
            MetricProto.MetricColor.Name(proto.color).lower())


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("days", "cash", "bfr", "low"), [
    (10, ("down", "red"), ("up", "red"), ("down", "red")),  # clients pay later: less cash, more BFR
    (-10, ("up", "green"), ("down", "green"), ("up", "green")),  # earlier: more cash, less BFR
])
def test_each_tiles_arrow_is_the_sign_of_its_change_and_its_colour_the_effect_on_cash(
        whatif: AppTest, language: str, days: int, cash: tuple[str, str], bfr: tuple[str, str],
        low: tuple[str, str]):
    whatif.session_state["lang"] = language
    whatif.number_input(key="wi_ce_delay").set_value(days)
    whatif.button[0].click()
    whatif.run()
    assert not whatif.exception, whatif.exception
    assert _metric(whatif, tr("Net cash at horizon", language)).delta[0] == ("+" if days < 0 else "−")
    assert _look(whatif, tr("Net cash at horizon", language)) == cash
    assert _look(whatif, tr("BFR at horizon", language)) == bfr
    assert _look(whatif, tr("Lowest point", language)) == low


def test_supplier_terms_beyond_the_legal_cap_show_a_warning(whatif: AppTest):
    whatif.radio(key="wi_st_mode").set_value("New terms")
    whatif.selectbox(key="wi_st_terms").set_value("net 75")
    whatif.button[0].click()
    whatif.run()
    assert not whatif.exception, whatif.exception
    assert any("legal cap" in w.value for w in whatif.warning)


def test_save_load_compare_and_delete_a_scenario(whatif: AppTest):
    whatif.number_input(key="wi_ce_delay").set_value(-10)
    whatif.button[0].click()
    whatif.run()
    whatif.text_input(key="wi_save_name").set_value("Collect 10 days faster")
    next(b for b in whatif.button if b.label == "Save these levers").click()
    whatif.run()
    assert not whatif.exception, whatif.exception
    assert Store(_db()).scenario_json("Collect 10 days faster")
    # Back to neutral levers, then load the saved scenario into the form.
    whatif.number_input(key="wi_ce_delay").set_value(0)
    whatif.button[0].click()
    whatif.run()
    next(b for b in whatif.button if b.label == "Load into the levers").click()
    whatif.run()
    assert whatif.number_input(key="wi_ce_delay").value == -10
    whatif.multiselect(key="wi_compare").set_value(["Collect 10 days faster"])
    whatif.run()
    assert not whatif.exception, whatif.exception
    compared = whatif.dataframe[-1].value
    assert compared["Δ net cash at horizon"].iloc[0] > 250_000
    next(b for b in whatif.button if b.label == "Delete").click()
    whatif.run()
    assert Store(_db()).scenario_json("Collect 10 days faster") is None


def test_a_lever_type_written_as_one_class_is_drawn_and_simulated(demo_db: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    with toy_lever_registered():
        whatif = _open_whatif(demo_db, tmp_path, monkeypatch)
        assert "Delay suppliers" in [e.label for e in whatif.expander]  # its FORM, drawn by the generic page
        whatif.checkbox(key="wi_toy_on").check()
        whatif.number_input(key="wi_toy_days").set_value(10)
        whatif.button[0].click()
        whatif.run()
        assert not whatif.exception, whatif.exception
        gained = _money(_metric(whatif, "Net cash at horizon").delta.replace("+", ""))
        assert gained > 0  # suppliers paid 10 days later: more cash at the horizon
    st.cache_resource.clear()  # no result of the toy lever outlives the test


def _db() -> str:
    """Return the database the app uses."""
    return os.environ["CASHPILOT_DB"]


def test_two_levers_show_the_effect_of_each_lever_adding_up_to_the_tiles(whatif: AppTest):
    whatif.number_input(key="wi_ce_delay").set_value(-10)
    whatif.checkbox(key="wi_ct_on").check()  # clients at 45 days end of month, the form's default terms
    whatif.button[0].click()
    whatif.run()
    assert not whatif.exception, whatif.exception
    assert "The effect of each lever" in [h.value for h in whatif.subheader]
    (table,) = [d.value for d in whatif.dataframe if "step" in d.value.columns]
    assert table["step"].tolist() == ["Baseline", "Client terms", "Collection effort", "Scenario"]
    # the amounts are shown as signed whole euros; what a lever does alone is a dash on the first and last rows
    assert [table["net_cash_alone_eur"].iloc[i] for i in (0, -1)] == ["—", "—"]
    net_cash = table["net_cash_eur"].map(lambda t: _money(t.replace("−", "-").replace("+", "")))
    levers = net_cash.iloc[1:-1]
    assert net_cash.iloc[0] + levers.sum() == pytest.approx(net_cash.iloc[-1], abs=len(table))  # each rounded
    shown = _money(_metric(whatif, "Net cash at horizon").value)
    assert net_cash.iloc[-1] == pytest.approx(shown, abs=1.0)  # the tile, rounded to the euro
    assert levers.iloc[0] < 0 < levers.iloc[1]  # later terms cost cash; faster collection brings it


def test_a_client_without_a_name_is_offered_by_its_id(demo_db: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A client first seen in an invoice file has no name: the page used to fail drawing the clients' list
    (pandas 3 keeps a missing name missing through astype(str)); found by the login browser test (issue 16)."""
    db = tmp_path / "nameless.duckdb"
    db.write_bytes(demo_db.read_bytes())
    with Store(db).transaction("import.test") as tx:
        tx.execute("INSERT INTO counterparties (counterparty_id, kind, name) VALUES ('NEW-CLIENT', 'client', NULL)")
    monkeypatch.setenv("CASHPILOT_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["as_of"] = DEMO_TODAY
    at.run()
    at.switch_page("pages/whatif.py").run()
    assert not at.exception, at.exception
    clients = next(m for m in at.multiselect if "NEW-CLIENT" in m.options)
    assert "NEW-CLIENT" in clients.options
