"""What `cashpilot backtest` prints and the accuracy page shows: per-side table, sentences, closing cash, French."""

from __future__ import annotations

from datetime import date

import pandas as pd

from forecasting.core import columns as C
from forecasting.projection.backtest_types import (
    BacktestMetrics,
    ClosingCash,
    InvoiceScores,
    SideMetrics,
    UnpaidInvoices,
)
from forecasting.projection.baselines import BASELINES
from forecasting.projection.scoring import DistributionScores, PointScores, WeeklyScores
from forecasting.reports.backtest import backtest_text, closing_text, method_table, unpaid_text, weekly_table
from forecasting.reports.charts.outlook import backtest_figure


def _scores(mae: float) -> InvoiceScores:
    """Return a group's scores: the model at `mae` days, the baselines 1, 2, 3, 4 days worse."""
    model = DistributionScores(mae, -0.5, 0.9, 0.8, 0.12, 0.08, mae * 0.7, mae * 0.3)
    return InvoiceScores(10, model, {name: PointScores(mae + k + 1, 1.0, 0.5) for k, name in enumerate(BASELINES)})


def _metrics(closing: ClosingCash | None = None) -> BacktestMetrics:
    """Return metrics of a payables side: 12 invoices, 10 scored, 2 unpaid (1,500 EUR), one of them not yet due."""
    side = SideMetrics(C.PAYABLE, 12, 10, 3, 4, UnpaidInvoices(2, 1500.0, 1, 1, 1), _scores(2.0), _scores(3.0),
                       _scores(1.0), WeeklyScores(13, 1000.0, 1100.0, 0.2, 0.1, 0.77, 0.4, 0.0))
    return BacktestMetrics(date(2026, 5, 31), 13, date(2026, 11, 23), {C.PAYABLE: side}, closing)


def test_the_table_sets_the_model_against_every_baseline() -> None:
    table = method_table(_metrics().sides[C.PAYABLE], "en")
    assert list(table["Method"]) == ["cashpilot (learned delays)", "Paid on the due date", "Client's median delay",
                                     "Client's mean delay + dispute effect", "Everyone's median delay"]
    days = [text.replace("\xa0", " ") for text in table["MAE, all invoices"]]  # Babel writes a no-break space
    assert days == ["2.0 days", "3.0 days", "4.0 days", "5.0 days", "6.0 days"]
    assert table["MAE, open at the date"].iloc[1].replace("\xa0", " ") == "4.0 days"
    crps = [text.replace("\xa0", " ") for text in table["CRPS"]]
    assert crps[:2] == ["1.4 days", "3.0 days"]  # a baseline's CRPS is its MAE
    french = method_table(_metrics().sides[C.PAYABLE], "fr")
    assert "Méthode" in french.columns and french["Méthode"].iloc[1] == "Payé à l'échéance"


def test_unpaid_invoices_are_said_apart_with_their_amount() -> None:
    metrics = _metrics()
    assert unpaid_text(metrics.sides[C.PAYABLE], metrics, "en") == (
        "2 invoices still unpaid where the data ends (2026-11-23), €1,500: not scored, their date is unknown "
        "(1 not yet due).")


def test_closing_cash_is_said_or_its_absence_explained() -> None:
    assert closing_text(None, "en").startswith("Closing cash: not compared")
    closing = ClosingCash(date(2026, 8, 28), 1_000_000.0, 900_000.0, 800_000.0, 900_000.0, 1_100_000.0, -100_000.0,
                          True, 13, 0.5, 50_000.0)
    text = closing_text(closing, "en")
    assert text.startswith("Closing cash on 2026-08-28: forecast €900,000 (P10–P90 €800,000 to €1,100,000), actual "
                           "€1,000,000, error −€100,000, inside the P10–P90 range. Week by week, 50.0% of 13 balances")
    assert "28/08/2026" in closing_text(closing, "fr")


def test_the_report_shows_each_side_and_the_closing_cash() -> None:
    text = backtest_text(_metrics(), "en")
    assert "Payables: supplier payments" in text and "Receivables" not in text
    assert "12 invoices open at 2026-05-31 or issued within the horizon: 10 scored" in text
    assert "P10–P90 payment dates: 80.0% of the payments inside, 12.0% before P10, 8.0% after P90" in text
    assert "Weekly supplier payments: WAPE 20.0%" in text and "Closing cash: not compared" in text


def _weekly() -> pd.DataFrame:
    weeks = pd.date_range("2026-06-01", periods=2, freq="7D")
    return pd.DataFrame({"side": C.PAYABLE, "week_start": weeks, "forecast_p10": [80.0, 90.0],
                         "forecast_p50": [100.0, 110.0], "forecast_p90": [120.0, 130.0],
                         "forecast_expected": [101.0, 111.0], "actual": [95.0, 140.0], "baseline_run_rate": [99.0] * 2})


def test_weekly_table_and_figure_of_one_side() -> None:
    table = weekly_table(_weekly(), "en")
    assert list(table["Inside P10–P90"]) == ["yes", "no"] and list(table["Run-rate"]) == ["€99", "€99"]
    fig = backtest_figure(_weekly(), side=C.PAYABLE)
    names = [trace.name for trace in fig.data]
    assert "Trailing run-rate" in names and "Actual" in names and "Forecast range (P10–P90)" in names
    # The line is the expected week, the figure the WAPE scores and the table beside it lists, not the median.
    assert list(fig.data[names.index("Forecast (expected)")].y) == [101.0, 111.0]
    assert fig.layout.yaxis.title.text == "supplier payments (€)"
    assert backtest_figure(_weekly(), lang="fr").layout.yaxis.title.text.startswith("encaissements")
