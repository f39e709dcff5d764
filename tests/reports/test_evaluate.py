"""What `cashpilot evaluate` prints and the accuracy page shows: the verdict, the dates table, the settings and why,
the calibration, in English and French; the errors-by-date figure (built here: AppTest cannot see charts)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd

from forecasting.core import columns as C
from forecasting.projection.backtest_types import BacktestMetrics, InvoiceScores, SideMetrics, UnpaidInvoices
from forecasting.projection.baselines import BASELINES
from forecasting.projection.evaluate_types import (
    CalibrationCheck,
    ChosenSettings,
    EvaluatedDate,
    Evaluation,
    SkippedDate,
    TuningRow,
)
from forecasting.projection.scoring import DistributionScores, PointScores, WeeklyScores
from forecasting.reports.charts.accuracy import errors_by_date_figure
from forecasting.reports.evaluate import (
    calibration_texts,
    dates_table,
    evaluation_text,
    settings_table,
    settings_text,
    verdict_text,
)

DAYS = (date(2026, 5, 24), date(2026, 8, 23))


def _side(side: str, mae: float, median: float, scored: int = 100) -> SideMetrics:
    """Return a side's metrics: the model at `mae` days, the client-median rule at `median`, the others worse."""
    model = DistributionScores(mae, -0.5, 0.9, 0.81, 0.09, 0.10, mae * 0.8, mae * 0.3)
    baselines = {name: PointScores(median + k, 1.0, 0.5) for k, name in enumerate(
        ("client_median", "client_mean_dispute", "due_date", "side_median"))}
    assert set(baselines) == set(BASELINES)
    scores = InvoiceScores(scored, model, baselines)
    return SideMetrics(side, scored + 5, scored, 10, 3, UnpaidInvoices(5, 2500.0, 2, 3, 1), scores, scores, scores,
                       WeeklyScores(13, 100_000.0, 95_000.0, 0.12, -0.05, 0.77, 0.3, 0.0))


def _evaluation(pooled_mae: float = 6.1, pooled_median: float = 7.44) -> Evaluation:
    """Return an evaluation of the receivables at two dates, one date skipped, the settings chosen by the replay."""
    dates = tuple(EvaluatedDate(BacktestMetrics(day, 13, date(2026, 11, 23), {C.RECEIVABLE: _side(C.RECEIVABLE, mae,
                                                                                                    9.0)}, None),
                                pd.DataFrame()) for day, mae in zip(DAYS, (6.0, 6.2), strict=True))
    rows = (TuningRow(90.0, False, "forward", 6.5, True), TuningRow(365.0, False, "forward", 7.0, False),
            TuningRow(30.0, False, "forward", 9.25, False))
    chosen = ChosenSettings(C.RECEIVABLE, True, 90.0, False, "forward", 6.5, 812, 365.0, rows,
                            (CalibrationCheck("issued", 0.16, 0.06, 0.04, 0.93),))
    return Evaluation(date(2026, 11, 23), date(2026, 11, 23), 13, 3, (C.RECEIVABLE,), date(2026, 11, 23), dates,
                      (SkippedDate(date(2026, 2, 22), C.RECEIVABLE, "too little history"),),
                      {C.RECEIVABLE: _side(C.RECEIVABLE, pooled_mae, pooled_median, 200)}, {C.RECEIVABLE: chosen})


def test_the_verdict_says_it_as_a_cfo_reads_it() -> None:
    assert verdict_text(_evaluation(), C.RECEIVABLE, "en").replace("\xa0", " ") == (
        "Replayed at 2 past dates (2026-05-24 to 2026-08-23): client payment dates were forecast within 6.1 days on "
        "average, 18% closer than each client's usual delay (7.4 days); 81% of payments fell in the likely range "
        "(target 80%). Weekly receipts were off by 12% of the cash (WAPE), against 30% for the average of the 13 "
        "weeks before; 77% of the weeks fell in the likely range.")
    french = verdict_text(_evaluation(), C.RECEIVABLE, "fr").replace("\u202f", " ").replace("\xa0", " ")
    assert french.startswith("Rejouée à 2 dates passées (du 24/05/2026 au 23/08/2026) : les dates de paiement des "
                             "clients ont été prévues à 6,1 jours près en moyenne, 18 % plus près que le retard "
                             "habituel de chaque client (7,4 jours) ; 81 % des paiements")


def test_a_model_worse_than_a_rule_is_said_plainly() -> None:
    text = verdict_text(_evaluation(pooled_mae=8.0, pooled_median=7.0), C.RECEIVABLE, "en").replace("\xa0", " ")
    assert "within 8.0 days on average, 14% further off than each client's usual delay (7.0 days)" in text
    assert text.endswith("Careful: a simple rule did better on these dates (Client's median delay: 7.0 days on "
                         "average).")


def test_the_dates_table_has_a_row_a_date_and_one_for_all_dates() -> None:
    table = dates_table(_evaluation(), C.RECEIVABLE, "en")
    assert list(table["Forecast made at"]) == ["2026-05-24", "2026-08-23", "All dates"]
    assert list(table.columns) == ["Forecast made at", "Scored", "cashpilot MAE", "Median-delay rule",
                                   "Mean + dispute rule", "Due-date rule", "Bias", "P10–P90 (before / after)",
                                   "CRPS", "Weekly WAPE", "Run-rate WAPE", "Unpaid"]
    first = table.iloc[0]
    assert (first["cashpilot MAE"], first["Median-delay rule"], first["Due-date rule"]) == (
        "6.0\xa0days", "9.0\xa0days", "11.0\xa0days")
    assert first["P10–P90 (before / after)"] == "81% (9% / 10%)"
    assert table.iloc[-1]["Scored"] == "200"
    french = dates_table(_evaluation(), C.RECEIVABLE, "fr")
    assert list(french.iloc[:, 0]) == ["24/05/2026", "23/08/2026", "Toutes les dates"]


def test_the_settings_say_what_was_chosen_and_against_what() -> None:
    assert settings_text(_evaluation().settings[C.RECEIVABLE], "en").replace("\xa0", " ") == (
        "Chosen by replaying 812 paid invoices at past dates: a half-life of 90 days, without drift, drawn days "
        "moved to the counterparty's next payment day. Error there: 6.5 days, against 7.0 days with the usual "
        "setting (a half-life of 365 days, without drift) and 9.2 days with the worst setting tried.")
    table = settings_table(_evaluation().settings[C.RECEIVABLE], "en")
    assert list(table["Half-life"]) == ["90 days", "365 days", "30 days"]  # best first
    assert list(table["Chosen"]) == ["yes", "", ""]
    [calibration] = calibration_texts(_evaluation().settings[C.RECEIVABLE], "en")
    assert calibration == ("Invoices already issued: in past forecasts 16% of payments came before the model's own "
                           "P10 and 6% after its P90 (78% inside); the range now shows its P4.0 as P10 and its P93.0 "
                           "as P90. The uncorrected range counts as 200 independent payments against the past ones "
                           "(chosen by forecasting each past date from the others).")


def test_the_prior_chosen_by_leaving_one_date_out_is_said_in_english_and_french() -> None:
    plain = _evaluation().settings[C.RECEIVABLE]
    trusted = replace(plain, calibration=(CalibrationCheck("issued", 0.16, 0.06, 0.04, 0.93, prior=0.0),))
    [text] = calibration_texts(trusted, "en")
    assert text.endswith("The uncorrected range counts as 0 independent payments against the past ones (chosen by "
                         "forecasting each past date from the others).")
    identity = CalibrationCheck("not_issued", float("nan"), float("nan"), 0.1, 0.9, prior=math.inf)
    [text] = calibration_texts(replace(plain, calibration=(identity,)), "en")
    assert text == ("Invoices not issued yet: the range is not corrected: forecasting each past date from the others, "
                    "the correction did worse than none.")
    [text] = calibration_texts(replace(plain, calibration=(identity,)), "fr")
    assert text.startswith("Factures pas encore émises : la fourchette n'est pas corrigée")


def test_a_segment_cap_chosen_by_the_replay_is_said_and_shown_in_the_table() -> None:
    plain = _evaluation().settings[C.RECEIVABLE]
    rows = (TuningRow(90.0, False, "forward", 6.4, True, segment_cap=True),
            *(replace(row, chosen=False) for row in plain.alternatives))
    capped = replace(plain, mae_days=6.4, alternatives=rows, segment_cap=True)
    assert settings_text(capped, "en").replace("\xa0", " ").endswith(
        "9.2 days with the worst setting tried. In a segment's curve, the one new and thin counterparties borrow, "
        "each counterparty weighs at most 5 invoices: it stands for a typical counterparty, not for the largest.")
    table = settings_table(capped, "en")
    assert list(table.columns)[3] == "Segment curves"
    assert list(table["Segment curves"]) == ["a few invoices per counterparty"] + ["every invoice"] * 3
    assert list(table["Chosen"]) == ["yes", "", "", ""]
    assert "Segment curves" not in settings_table(plain, "en").columns  # not tried: no column


def test_a_side_too_short_to_tune_says_the_usual_settings_are_kept() -> None:
    untuned = ChosenSettings(C.PAYABLE, False, 365.0, False, "forward", float("nan"), 12, 365.0,
                             (TuningRow(365.0, False, "forward", float("nan"), True),), ())
    assert settings_text(untuned, "en").startswith("Too little history to compare settings (12 paid invoices scored")
    assert calibration_texts(untuned, "en") == []


def test_the_report_lists_skipped_dates_and_the_settings() -> None:
    text = evaluation_text(_evaluation(), "en")
    assert text.startswith("Self-evaluation at 2026-11-23: the forecast replayed at 2 past dates, 13 weeks each")
    assert "Settings chosen at 2026-11-23" in text
    assert text.rstrip().endswith("2026-02-22, not replayed: too little history")


def test_the_errors_figure_sets_the_model_beside_the_rules_at_each_date() -> None:
    fig = errors_by_date_figure(_evaluation(), C.RECEIVABLE, "en")
    assert [trace.name for trace in fig.data] == ["cashpilot (learned delays)", "Median-delay rule",
                                                  "Mean + dispute rule", "Due-date rule"]
    assert list(fig.data[0].x) == ["2026-05-24", "2026-08-23"]
    assert list(fig.data[0].y) == [6.0, 6.2] and list(fig.data[1].y) == [9.0, 9.0] and list(fig.data[3].y) == [
        11.0, 11.0]
    french = errors_by_date_figure(_evaluation(), C.RECEIVABLE, "fr")
    assert list(french.data[0].x) == ["24/05/2026", "23/08/2026"] and french.data[1].name == "Règle du retard médian"
    # issue 17: a title on screen and in the exports, with its statistic and unit
    assert fig.layout.title.text == "Client payment dates: mean error at each date replayed (days)"
    assert french.layout.title.text == "Dates de paiement clients : erreur moyenne par date rejouée (jours)"


def test_payments_on_few_days_get_the_fair_count_of_the_range_too() -> None:
    evaluation = _evaluation()
    side = evaluation.pooled[C.RECEIVABLE]
    lattice = replace(side.invoices.model, coverage_p10_p90=0.96, pit_coverage_p10_p90=0.81)
    scores = replace(side.invoices, model=lattice)
    evaluation = replace(evaluation, pooled={C.RECEIVABLE: replace(side, invoices=scores)})
    text = verdict_text(evaluation, C.RECEIVABLE, "en")
    assert "96% of payments fell in the likely range (target 80%). Payments fall on few days here: counting one on " \
           "the P10 or P90 day as inside only in proportion, 81% were in the range. Weekly receipts" in text
    assert "en ne comptant un paiement du jour du P10 ou du P90" in verdict_text(evaluation, C.RECEIVABLE, "fr")
