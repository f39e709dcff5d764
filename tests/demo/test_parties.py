"""The demo's clients and suppliers: counts, segments, currencies, terms, credit limits, behaviour classes."""

from __future__ import annotations

from forecasting.core import columns as c
from forecasting.core.terms import parse_terms
from forecasting.demo import company as demo
from tests.fixtures.demo_company import in_eur, last_12_months


def test_about_300_clients_and_120_suppliers(data: demo.DemoData) -> None:
    kinds = data.counterparties[c.KIND].value_counts()
    assert kinds[c.CLIENT] == 300
    assert kinds[c.SUPPLIER] == 120
    ids = data.counterparties[c.COUNTERPARTY_ID]
    assert ids.is_unique
    assert ids[data.counterparties[c.KIND] == c.CLIENT].str.fullmatch(r"C\d{4}").all()
    assert ids[data.counterparties[c.KIND] == c.SUPPLIER].str.fullmatch(r"S\d{4}").all()
    assert data.counterparties[c.NAME].is_unique


def test_segments_currencies_and_terms(data: demo.DemoData) -> None:
    clients = data.counterparties[data.counterparties[c.KIND] == c.CLIENT]
    assert set(clients[c.SEGMENT]) == {"Grands comptes", "PME", "Public", "Export"}
    assert set(clients[c.CURRENCY]) == {"EUR", "USD", "GBP"}
    assert (clients.loc[clients[c.CURRENCY] != "EUR", c.SEGMENT] == "Export").all()
    assert set(data.counterparties[c.TERMS]) == {"net 30", "45 days end of month", "net 60"}
    assert set(data.receivables[c.TERMS]) == {"net 30", "45 days end of month", "net 60", "on receipt"}
    for text in set(data.counterparties[c.TERMS]):
        parse_terms(text)


def test_credit_limits_for_clients_only(data: demo.DemoData) -> None:
    cp = data.counterparties
    is_client = cp[c.KIND] == c.CLIENT
    assert (cp.loc[is_client, c.CREDIT_LIMIT] >= 5_000).all()
    assert cp.loc[~is_client, c.CREDIT_LIMIT].isna().all()
    # proportional to volume: the sales of its terms + usual lateness + 60 days, × 1.5 (about five months of sales
    # for a client at net 30 paying on time), 5 000 at least
    sales = in_eur(last_12_months(data.receivables), data.fx_rates, c.ISSUE_DATE, c.AMOUNT_TTC)
    by_client = sales.groupby(data.receivables[c.COUNTERPARTY_ID]).sum()
    limits = cp[is_client & (cp[c.CURRENCY] == "EUR")].set_index(c.COUNTERPARTY_ID)[c.CREDIT_LIMIT]
    above_floor = limits[limits > 5_000]
    ratio = above_floor / by_client.reindex(above_floor.index)
    assert len(above_floor) > 50
    assert 0.3 <= ratio.median() <= 0.55
    assert above_floor.corr(by_client.reindex(above_floor.index)) > 0.8


def test_behaviour_classes_have_the_planned_shares(data: demo.DemoData) -> None:
    counts = data.client_profiles[demo.BEHAVIOUR].value_counts()
    assert counts["never_pays"] == 6  # 2 % of 300
    assert set(counts.index) == set(demo.BEHAVIOURS)
    assert counts["punctual"] > counts["late"] > counts["erratic"] > counts["never_pays"]
