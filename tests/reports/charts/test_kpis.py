"""Receivables and payables figures and tables: bars carry the right amounts, legal-cap flags follow the law."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.terms import BusinessCalendar
from forecasting.reports.charts.kpis import (
    aging_figure,
    bucket_colours,
    debtors_figure,
    overdue_colours,
    payables_due_by_week,
    payments_due_figure,
    rating_figure,
    supplier_terms,
    terms_legal_flags,
    week_grid,
)
from forecasting.reports.charts.outlook import (
    ALERT_COLOUR,
    DISBURSEMENTS_COLOUR,
    LINE_COLOUR,
    RECEIPTS_COLOUR,
)

AS_OF = pd.Timestamp("2026-11-23")  # a Monday


def _aged() -> pd.DataFrame:
    return pd.DataFrame({"bucket": ["not due", "1–30", "31–60", ">60"], "count": [5, 3, 2, 1],
                         "amount_eur": [600.0, 250.0, 100.0, 50.0], "share": [0.6, 0.25, 0.1, 0.05]})


def test_aging_figure_has_one_bar_per_bucket_with_amounts_and_shares() -> None:
    fig = aging_figure(_aged())
    assert len(fig.data) == 1
    bars = fig.data[0]
    assert list(bars.x) == ["not due", "1–30", "31–60", ">60"]
    assert list(bars.y) == [600.0, 250.0, 100.0, 50.0]
    assert list(bars.text) == ["60.0%", "25.0%", "10.0%", "5.0%"]
    assert list(bars.customdata) == [5, 3, 2, 1]
    assert bars.marker.color[0] == LINE_COLOUR and bars.marker.color[-1] == ALERT_COLOUR
    assert fig.layout.template.layout.paper_bgcolor == "white"  # plotly_white


def test_overdue_colours_go_from_amber_to_red() -> None:
    assert overdue_colours(3)[0] == DISBURSEMENTS_COLOUR and overdue_colours(3)[-1] == ALERT_COLOUR
    assert len(overdue_colours(5)) == 5 and overdue_colours(0) == []
    assert bucket_colours(["not due", ">90"]) == [LINE_COLOUR, DISBURSEMENTS_COLOUR]


def test_debtors_figure_stacks_the_largest_counterparties_by_bucket() -> None:
    by_cp = pd.DataFrame({C.COUNTERPARTY_ID: ["C1", "C2", "C3"], C.NAME: ["Alpha", "Beta", "Gamma"],
                          "not due": [100.0, 10.0, 300.0], "1–30": [50.0, 0.0, 0.0],
                          "total_eur": [150.0, 10.0, 300.0]})
    fig = debtors_figure(by_cp, top=2)
    assert [t.name for t in fig.data] == ["not due", "1–30"]
    assert list(fig.data[0].y) == ["Gamma", "Alpha"]  # largest first, Beta left out
    assert list(fig.data[0].x) == [300.0, 100.0] and list(fig.data[1].x) == [0.0, 50.0]
    assert fig.layout.barmode == "stack"


def test_rating_figure_sums_encours_and_counts_clients_per_rating() -> None:
    card = pd.DataFrame({"rating": ["A", "C", "A", "D"], "encours_eur": [100.0, 50.0, 25.0, 10.0]})
    bars = rating_figure(card).data[0]
    assert list(bars.x) == ["A", "B", "C", "D"]
    assert list(bars.y) == [125.0, 0.0, 50.0, 10.0]
    assert list(bars.text) == ["2 clients", "0 clients", "1 client", "1 client"]
    assert bars.marker.color[0] == RECEIPTS_COLOUR and bars.marker.color[3] == ALERT_COLOUR


def test_week_grid_starts_on_the_monday_holding_the_day_after_as_of() -> None:
    assert list(week_grid(AS_OF, 2)) == [pd.Timestamp("2026-11-23"), pd.Timestamp("2026-11-30")]
    assert week_grid(pd.Timestamp("2026-11-29"), 1)[0] == pd.Timestamp("2026-11-30")  # Sunday as-of: next week


def test_payables_due_by_week_rolls_due_dates_to_business_days() -> None:
    open_payables = pd.DataFrame({
        C.DUE_DATE: pd.to_datetime(["2026-11-20", "2026-11-28", "2026-11-29", "2026-12-25", "2027-06-01", None]),
        "open_eur": [100.0, 200.0, 50.0, 300.0, 999.0, 7.0],
    })
    table = payables_due_by_week(open_payables, AS_OF, 6, BusinessCalendar("FR"))
    assert list(table["week_start"]) == list(pd.date_range("2026-11-23", periods=6, freq="7D"))
    # overdue -> first business day after as-of (week 1); Sat 28/11 and Sun 29/11 -> Mon 30/11 (week 2);
    # Christmas Friday 25/12 -> Mon 28/12 (week 6); June 2027 and no due date stay out
    assert table["due_eur"].tolist() == [100.0, 250.0, 0.0, 0.0, 0.0, 300.0]
    assert table["invoices_due"].tolist() == [1, 2, 0, 0, 0, 1]


def test_payables_due_by_week_takes_the_forecast_from_the_projection_weeks() -> None:
    weekly = pd.DataFrame({"week_start": pd.date_range("2026-11-23", periods=2, freq="7D"), "suppliers": [40.0, 60.0]})
    open_payables = pd.DataFrame({C.DUE_DATE: pd.to_datetime(["2026-12-01"]), "open_eur": [80.0]})
    table = payables_due_by_week(open_payables, AS_OF, 3, forecast_weekly=weekly)
    assert table["due_eur"].tolist() == [0.0, 80.0, 0.0]
    assert table["forecast_eur"].tolist()[:2] == [40.0, 60.0] and np.isnan(table["forecast_eur"].iloc[2])
    fig = payments_due_figure(table)
    assert [t.name for t in fig.data] == ["Contractual due (open invoices)",
                                          "Forecast payments (incl. invoices not received yet)"]
    assert list(fig.data[0].y) == [0.0, 80.0, 0.0]
    # issue 17: a week is named by its Monday, as on the outlook and in every table ("semaine du lundi 07/12")
    assert list(fig.data[0].x) == ["Nov 23", "Nov 30", "Dec 7"] and fig.layout.xaxis.type == "category"
    assert fig.data[0].customdata[2] == "week of Monday 2026-12-07"
    assert fig.layout.xaxis.title.text == "week of (Monday)"
    french = payments_due_figure(table, lang="fr")
    assert list(french.data[0].x) == ["23/11", "30/11", "07/12"]
    assert french.data[0].customdata[2] == "semaine du lundi 07/12/2026"
    assert french.layout.xaxis.title.text == "semaine du (lundi)"
    assert len(payments_due_figure(table.drop(columns="forecast_eur")).data) == 1


def test_terms_legal_flags_follow_the_french_caps() -> None:
    frame = pd.DataFrame({C.TERMS: ["net 90", "60 jours fin de mois", "net 60", "45 days end of month", "net 61",
                                    "on receipt", "whenever", None]})
    flags = terms_legal_flags(frame)
    assert flags["beyond_legal_cap"].tolist() == [True, True, False, False, True, False, False, False]
    assert flags["terms_days"].tolist()[:6] == [90.0, 60.0, 60.0, 45.0, 61.0, 0.0]
    assert flags["max_days_from_invoice"].tolist()[:6] == [90.0, 90.0, 60.0, 75.0, 61.0, 0.0]
    assert flags["legal_cap"].tolist()[:6] == ["60 days from invoice", "45 days end of month", "60 days from invoice",
                                               "45 days end of month", "60 days from invoice", ""]
    assert flags["terms_note"].iloc[0] == "net 90 is beyond the legal cap"
    assert flags["terms_note"].iloc[6] == "unreadable terms" and flags["terms_note"].iloc[7] == "no terms"
    assert np.isnan(flags["terms_days"].iloc[6])


def test_supplier_terms_take_master_data_then_the_latest_invoice_and_list_flagged_first() -> None:
    counterparties = pd.DataFrame({
        C.COUNTERPARTY_ID: ["C1", "S1", "S2"], C.KIND: ["client", "supplier", "supplier"],
        C.NAME: ["Client", "Acier SA", "Bois SARL"], C.TERMS: ["net 120", "net 30", None],
    })
    payables = pd.DataFrame({
        C.COUNTERPARTY_ID: ["S1", "S2", "S2", "S3"],
        C.ISSUE_DATE: pd.to_datetime(["2026-10-01", "2026-09-01", "2026-10-01", "2026-10-05"]),
        C.TERMS: ["net 30", "net 30", "net 75", "45 days end of month"],
    })
    table = supplier_terms(counterparties, payables, pd.Series({"S1": 500.0, "S3": 20.0}))
    assert table[C.COUNTERPARTY_ID].tolist() == ["S2", "S1", "S3"]  # the flagged one first, then by open amount
    row = table.set_index(C.COUNTERPARTY_ID)
    assert row.loc["S2", C.TERMS] == "net 75" and bool(row.loc["S2", "beyond_legal_cap"])
    assert row.loc["S1", C.TERMS] == "net 30" and not bool(row.loc["S1", "beyond_legal_cap"])
    assert row.loc["S3", C.NAME] == "S3" and row.loc["S3", "max_days_from_invoice"] == 75.0
    assert row["open_eur"].tolist() == pytest.approx([0.0, 500.0, 20.0])
    assert "C1" not in row.index  # clients' terms are not ours to pay


def test_french_kpi_figures_have_french_labels_and_percentages() -> None:
    fig = aging_figure(_aged(), lang="fr")
    bars = fig.data[0]
    assert list(bars.x)[0] == "non échu" and bars.marker.color[0] == LINE_COLOUR
    assert list(bars.text)[0] == "60,0\u00a0%"
    assert fig.layout.xaxis.title.text == "jours de retard" and fig.layout.yaxis.title.text == "solde ouvert (€)"
    card = pd.DataFrame({"rating": ["A"], "encours_eur": [100.0]})
    rating = rating_figure(card, lang="fr")
    assert rating.layout.xaxis.title.text == "note" and rating.layout.separators == ",\u00a0"
    table = pd.DataFrame({"week_start": pd.date_range("2026-11-23", periods=2, freq="7D"), "due_eur": [1.0, 2.0],
                          "forecast_eur": [1.0, 2.0]})
    assert [t.name for t in payments_due_figure(table, lang="fr").data] == [
        "Échéances contractuelles (factures ouvertes)", "Paiements prévus (y compris factures non encore reçues)"]


def test_french_scenario_figures_have_french_titles() -> None:
    from forecasting.reports.charts.scenarios import (
        compare_cash_figure,
        scenario_bfr_figure,
        scenario_cash_figure,
    )

    weeks = pd.date_range("2026-11-23", periods=2, freq="7D")
    comparison = pd.DataFrame({"week_start": weeks, "scenario_p10": [1.0, 2.0], "scenario_p90": [3.0, 4.0],
                               "closing_baseline": [2.0, 3.0], "closing_scenario": [2.5, 3.5],
                               "bfr_baseline": [5.0, 5.0], "bfr_scenario": [4.0, 4.0], "bfr_delta": [-1.0, -1.0]})
    cash = scenario_cash_figure(comparison, 100.0, "Affacturage", lang="fr")
    assert cash.layout.title.text == "Trésorerie de clôture par semaine, espérance : référence et scénario (€)"
    assert list(cash.data[2].x) == ["23/11", "30/11"]  # weeks named by their Monday, as on the outlook
    assert "Référence" in [t.name for t in cash.data]
    bfr = scenario_bfr_figure(comparison, "Affacturage", lang="fr")
    assert [t.name for t in bfr.data] == ["Écart", "BFR de référence", "BFR Affacturage"]
    compare = compare_cash_figure(comparison.assign(closing_expected=1.0), {"A": comparison.assign(closing_expected=2.0)},
                                  lang="fr")
    assert compare.layout.yaxis.title.text == "trésorerie (€)"
