"""Every chart carries its title (what it shows, its statistic and unit) inside the figure, so that the page, the
PNG/SVG/PDF buttons and the board pack all show it, in English and in French (issue 17 item 7)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import pytest

from forecasting.core import columns as C
from forecasting.model.explain import OWN, CounterpartyBehaviour
from forecasting.reports.charts.client import client_history_figure
from forecasting.reports.charts.kpis import aging_figure, debtors_figure, payments_due_figure, rating_figure
from forecasting.reports.charts.outlook import (
    TITLE_TOP_PX,
    backtest_figure,
    bfr_figure,
    flows_figure,
    outlook_figure,
)
from forecasting.reports.charts.scenarios import (
    compare_cash_figure,
    scenario_bfr_figure,
    scenario_cash_figure,
)
from forecasting.reports.charts.variance import variance_figure
from tests.fixtures.summaries import projection_summary

WEEKS = pd.date_range("2026-11-23", periods=2, freq="7D")
WEEKLY = pd.DataFrame({"week_start": WEEKS, "receipts": [1.0, 2.0], "receipts_p10": [0.5, 1.0],
                       "receipts_p90": [2.0, 3.0], "disbursements": [1.0, 1.0], "closing_p10": [1.0, 1.0],
                       "closing_p50": [2.0, 2.0], "closing_p90": [3.0, 3.0], "closing_expected": [2.0, 2.0]})
BFR = pd.DataFrame({"week_start": WEEKS, "receivables_eur": [3.0, 3.0], "payables_eur": [1.0, 1.0],
                    "bfr_eur": [2.0, 2.0]})
BACKTEST = pd.DataFrame({"week_start": WEEKS, "forecast_p10": [1.0, 1.0], "forecast_expected": [2.0, 2.0],
                         "forecast_p90": [3.0, 3.0], "actual": [2.0, 1.0]})
AGED = pd.DataFrame({"bucket": ["not due", "1–30"], "count": [1, 1], "amount_eur": [1.0, 1.0], "share": [0.5, 0.5]})
BY_CP = pd.DataFrame({C.COUNTERPARTY_ID: ["C1"], C.NAME: ["Alpha"], "not due": [1.0], "total_eur": [1.0]})
DUE = pd.DataFrame({"week_start": WEEKS, "invoices_due": [1, 0], "due_eur": [1.0, 0.0]})
COMPARISON = pd.DataFrame({"week_start": WEEKS, "scenario_p10": [1.0, 2.0], "scenario_p90": [3.0, 4.0],
                           "closing_baseline": [2.0, 3.0], "closing_scenario": [2.5, 3.5], "bfr_baseline": [5.0, 5.0],
                           "bfr_scenario": [4.0, 4.0], "bfr_delta": [-1.0, -1.0]})
VARIANCE = pd.DataFrame({"week_start": WEEKS, "timing": [1.0, 0.0], "amount": [0.0, 1.0], "unforecast": [0.0, 0.0],
                         "variance": [1.0, 1.0]})
BEHAVIOUR = CounterpartyBehaviour("C1", OWN, 12, 1, 12 / 17, 3.0, -2.0, 10.0, 0.0, 0.0, (0, 1, 2, 3, 4), 0.1, 40.0,
                                  365.0)
HISTORY = pd.DataFrame({"invoice_id": ["F1"], "payment_date": pd.to_datetime(["2026-09-01"]), "delay_days": [2]})

# Every chart of the pages and exports, by what it is, built for a language.
CHARTS: dict[str, Callable[[str], go.Figure]] = {
    "outlook": lambda lang: outlook_figure(WEEKLY, projection_summary(), lang=lang),
    "flows": lambda lang: flows_figure(WEEKLY, lang=lang),
    "bfr": lambda lang: bfr_figure(BFR, lang=lang),
    "backtest receipts": lambda lang: backtest_figure(BACKTEST, lang=lang, side=C.RECEIVABLE),
    "backtest payments": lambda lang: backtest_figure(BACKTEST, lang=lang, side=C.PAYABLE),
    "receivables aging": lambda lang: aging_figure(AGED, lang=lang),
    "payables aging": lambda lang: aging_figure(AGED, lang=lang, side=C.PAYABLE),
    "top debtors": lambda lang: debtors_figure(BY_CP, lang=lang),
    "top suppliers": lambda lang: debtors_figure(BY_CP, lang=lang, side=C.PAYABLE),
    "ratings": lambda lang: rating_figure(pd.DataFrame({"rating": ["A"], "encours_eur": [1.0]}), lang=lang),
    "payables due": lambda lang: payments_due_figure(DUE, lang=lang),
    "what-if cash": lambda lang: scenario_cash_figure(COMPARISON, lang=lang),
    "what-if bfr": lambda lang: scenario_bfr_figure(COMPARISON, lang=lang),
    "scenarios compared": lambda lang: compare_cash_figure(WEEKLY, {"A": WEEKLY}, lang=lang),
    "forecast vs actual": lambda lang: variance_figure(VARIANCE, lang=lang),
    "client history": lambda lang: client_history_figure(HISTORY, BEHAVIOUR, pd.Timestamp("2026-11-23"), lang=lang),
}


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_has_a_title_with_its_unit_in_both_languages(name: str) -> None:
    english, french = CHARTS[name]("en"), CHARTS[name]("fr")
    for fig, unit in ((english, ("(€)", "(days)")), (french, ("(€)", "(jours)"))):
        title = fig.layout.title.text
        assert title and title.endswith(unit), title
        assert fig.layout.margin.t >= TITLE_TOP_PX  # the title has its room above the plot
        assert fig.layout.title.x == 0 and fig.layout.title.xanchor == "left"
    assert french.layout.title.text != english.layout.title.text  # translated


def test_the_titles_tell_apart_the_two_sides_of_a_shared_chart() -> None:
    assert CHARTS["receivables aging"]("en").layout.title.text == "Receivables aging: open amount by days overdue (€)"
    assert CHARTS["payables aging"]("fr").layout.title.text == (
        "Balance âgée fournisseurs : montant ouvert par jours de retard (€)")
    assert CHARTS["top debtors"]("en").layout.title.text == "Top 10 debtors: open amount by days overdue (€)"
    assert CHARTS["top suppliers"]("fr").layout.title.text == (
        "10 premiers fournisseurs : montant ouvert par jours de retard (€)")
