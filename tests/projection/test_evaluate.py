"""The self-evaluation (projection/evaluate.py): backtests at past dates a quarter apart, pooled per side over the
invoices, the settings chosen at the live date, kept on disk; bad inputs give notes, never an internal error."""

from __future__ import annotations

import json
import math
import pickle
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.model.payment_days import CALIBRATION_LEVELS
from forecasting.model.settings import BehaviourSettings
from forecasting.projection import evaluate as ev
from forecasting.projection.evaluate import cached_evaluate, calibration_check, evaluate, evaluation_dates
from forecasting.projection.types import ProjectionSettings
from forecasting.reports.evaluate import evaluation_json, evaluation_text, verdict_text
from tests.fixtures.handmade import invoice, make_ledger

DATA_END = date(2026, 11, 22)  # a Sunday: the last day of the hand-made data
QUICK = ProjectionSettings(n_sims=50, behaviour=BehaviourSettings(half_life_candidates_days=(90.0, 365.0)))


def _weekly(who: str, delay_days: int, first: str = "2024-11-04", weeks: int = 107, side: str = C.RECEIVABLE,
            amount: float = 1000.0) -> list[dict]:
    """Return invoices issued every Monday from `first` on 28-day terms, paid `delay_days` after the (Monday) due
    date; those whose payment would come after DATA_END are still open, as is one issued on DATA_END."""
    rows = []
    for week in range(weeks):
        issue = pd.Timestamp(first) + pd.Timedelta(weeks=week)
        if issue.date() > DATA_END:
            break
        due = issue + pd.Timedelta(days=28)
        paid = due + pd.Timedelta(days=delay_days)
        rows.append(invoice(f"{who}{week}", who, str(issue.date()), str(due.date()), amount,
                            paid=str(paid.date()) if paid.date() <= DATA_END else None, terms="net 28", side=side))
    return [*rows, invoice(f"{who}-last", who, str(DATA_END), "2026-12-20", amount, terms="net 28", side=side)]


@pytest.fixture(scope="module")
def ten_days_late() -> Ledger:
    """Return three clients always paying 10 days after the due date, and a supplier paid on its due date."""
    rows = [row for who in ("A", "B", "C") for row in _weekly(who, 10)]
    return make_ledger(rows, _weekly("S", 0, side=C.PAYABLE, amount=500.0))


@pytest.fixture(scope="module")
def evaluated(ten_days_late: Ledger) -> ev.Evaluation:
    """Return the evaluation of that ledger at DATA_END: four quarters, 13 weeks each."""
    return evaluate(ten_days_late, DATA_END, 13, 4, "both", QUICK)


def test_the_dates_count_back_by_the_horizon_then_a_quarter_each_moved_to_a_sunday() -> None:
    assert evaluation_dates(date(2026, 11, 23), 13, 4) == [  # a Monday: 13 weeks back is Monday 24 August
        date(2025, 11, 23), date(2026, 2, 22), date(2026, 5, 24), date(2026, 8, 23)]
    assert evaluation_dates(date(2026, 11, 22), 26, 2) == [date(2026, 2, 22), date(2026, 5, 24)]


def test_each_date_scores_the_model_and_the_rules_on_the_clients_real_delay(evaluated: ev.Evaluation) -> None:
    assert [d.as_of for d in evaluated.dates] == evaluation_dates(DATA_END, 13, 4)
    assert evaluated.replayed_to == DATA_END and evaluated.skipped == () and evaluated.notes == ()
    for day, side in evaluated.side_dates(C.RECEIVABLE):
        # 3 clients x (open at the date: the last 4-5 Mondays, paid 38 days after issue; issued within 13 weeks),
        # scored unless still unpaid where the data end (the last date's latest invoices)
        assert side.n_scored + side.unpaid_at_data_end.n_invoices == side.n_invoices, day
        assert side.n_scored >= 3 * 13
        # always 10 days late; 9 when the due date is a holiday Monday (rolled to the Tuesday)
        assert 9.8 <= side.invoices.baselines["due_date"].mae_days <= 10.0
        assert side.invoices.baselines["client_median"].mae_days <= 1.0  # a holiday may move a payment a day
        assert side.invoices.model.mae_days <= 1.5  # a draw around it (the first date has a year of history)
    for _, side in evaluated.side_dates(C.PAYABLE):
        assert side.invoices.baselines["due_date"].mae_days <= 1.0  # paid on the due date


def test_pooled_figures_sum_errors_over_invoices_and_weeks_not_ratios_over_dates(evaluated: ev.Evaluation) -> None:
    dates = evaluated.side_dates(C.RECEIVABLE)
    pooled = evaluated.pooled[C.RECEIVABLE]
    n = np.array([m.n_scored for _, m in dates])
    assert pooled.n_scored == n.sum() and pooled.n_invoices == sum(m.n_invoices for _, m in dates)
    mae = np.array([m.invoices.model.mae_days for _, m in dates])
    assert pooled.invoices.model.mae_days == pytest.approx((mae * n).sum() / n.sum())  # weighted by invoices
    assert pooled.invoices.baselines["due_date"].mae_days == pytest.approx(10.0, abs=0.1)
    cash = np.array([m.weekly.actual_eur for _, m in dates])
    wape = np.array([m.weekly.wape for _, m in dates])
    assert pooled.weekly.n_weeks == 4 * 13
    assert pooled.weekly.wape == pytest.approx((wape * cash).sum() / cash.sum())  # weighted by cash
    # invoices still open where the data end: counted apart, summed over the dates
    assert pooled.unpaid_at_data_end.n_invoices == sum(m.unpaid_at_data_end.n_invoices for _, m in dates) > 0


def test_the_settings_chosen_at_the_live_date_come_with_every_setting_tried(evaluated: ev.Evaluation) -> None:
    chosen = evaluated.settings[C.RECEIVABLE]
    assert chosen.tuned and chosen.n_scored > 60
    tried = {(row.half_life_days, row.drift, row.settle_mode) for row in chosen.alternatives}
    assert tried == {(h, d, m) for h, d in ((90.0, False), (365.0, False), (365.0, True))
                     for m in ("forward", "nearest")}
    best = min(chosen.alternatives, key=lambda row: row.mae_days)
    assert [row for row in chosen.alternatives if row.chosen] == [best]
    assert (chosen.half_life_days, chosen.drift, chosen.settle_mode) == (best.half_life_days, best.drift,
                                                                        best.settle_mode)
    assert chosen.usual() is not None and chosen.usual().half_life_days == 365.0


def test_a_calibration_table_says_what_the_models_own_p10_and_p90_were_worth() -> None:
    ideal = calibration_check("issued", CALIBRATION_LEVELS)
    assert (ideal.below_p10, ideal.above_p90, ideal.p10_level, ideal.p90_level) == pytest.approx((0.1, 0.1, 0.1, 0.9))
    # Past payments' transforms u with quantile function q(p) = p²: P(u < 0.1) = √0.1, P(u > 0.9) = 1 - √0.9:
    # the model's P10 was really its P31.6 (payments came early); the range now draws P10 at the model's P1.
    early = calibration_check("issued", CALIBRATION_LEVELS ** 2)
    assert early.below_p10 == pytest.approx(np.sqrt(0.1), abs=0.01)
    assert early.above_p90 == pytest.approx(1 - np.sqrt(0.9), abs=0.01)
    assert early.p10_level == pytest.approx(0.01, abs=0.001) and early.p90_level == pytest.approx(0.81, abs=0.001)


def test_the_prior_chosen_is_reported_and_an_identity_group_says_so(evaluated: ev.Evaluation) -> None:
    # A model whose issued map was trusted alone (prior 0) and whose future invoices got the identity (no map).
    model = SimpleNamespace(calibration={"issued": CALIBRATION_LEVELS ** 2},
                            calibration_priors={"issued": 0.0, "not_issued": math.inf})
    issued, not_issued = ev._calibration_checks(model)  # type: ignore[arg-type]
    assert (issued.group, issued.prior) == ("issued", 0.0)
    assert issued.p10_level == pytest.approx(0.01, abs=0.001)
    assert (not_issued.group, not_issued.prior, not_issued.p10_level, not_issued.p90_level) == (
        "not_issued", math.inf, 0.1, 0.9)
    assert np.isnan(not_issued.below_p10)
    chosen = replace(evaluated.settings[C.RECEIVABLE], calibration=(issued, not_issued))
    out = json.loads(json.dumps(evaluation_json(replace(evaluated, settings={C.RECEIVABLE: chosen}), "en")))
    calibration = out["chosen_settings"]["receivables"]["calibration"]
    assert calibration["issued"]["prior"] == 0.0
    assert calibration["not_issued"]["prior"] is None and calibration["not_issued"]["below_p10"] is None


def test_the_json_holds_every_date_side_and_setting(evaluated: ev.Evaluation) -> None:
    out = json.loads(json.dumps(evaluation_json(evaluated, "en")))
    assert list(out) == ["as_of", "replayed_to", "horizon_weeks", "n_dates", "sides", "data_end", "pooled",
                         "chosen_settings", "dates", "skipped_dates", "notes", "verdicts"]
    assert out["sides"] == ["receivables", "payables"] and out["as_of"] == "2026-11-22"
    pooled = out["pooled"]["receivables"]
    assert set(pooled["invoices"]["baselines"]) == {"due_date", "client_median", "client_mean_dispute", "side_median"}
    assert {"mae_days", "bias_days", "coverage_p10_p90", "below_p10", "above_p90", "crps_days"} <= set(
        pooled["invoices"]["model"])
    assert {"wape", "coverage_p10_p90", "baseline_run_rate_wape"} <= set(pooled["weekly"])
    first = out["dates"][0]
    assert list(first) == ["as_of", "sides", "closing_cash", "weekly", "notes"]
    assert len(first["weekly"]["receivables"]) == 13
    assert list(first["weekly"]["receivables"][0]) == ["week_start", "forecast_p10", "forecast_p50", "forecast_p90",
                                                       "forecast_expected", "actual", "baseline_run_rate"]
    settings = out["chosen_settings"]["receivables"]
    assert list(settings) == ["tuned", "half_life_days", "drift", "settle_mode", "mae_days", "n_scored",
                              "usual_half_life_days", "quiet_days", "quiet_population", "quiet_gaps", "alternatives",
                              "calibration"]
    assert list(settings["calibration"]) == ["issued", "not_issued"]
    assert out["verdicts"]["receivables"].startswith("Replayed at 4 past dates (2025-11-23 to 2026-08-23): client")


def test_the_verdict_says_how_close_against_each_clients_usual_delay(evaluated: ev.Evaluation) -> None:
    text = verdict_text(evaluated, C.RECEIVABLE, "en")
    pooled = evaluated.pooled[C.RECEIVABLE]
    assert "client payment dates were forecast within" in text and "of payments fell in the likely range" in text
    assert "Weekly receipts were off by" in text
    assert f"within {pooled.invoices.model.mae_days:.1f}" in text.replace("\xa0", " ")
    french = verdict_text(evaluated, C.RECEIVABLE, "fr")
    assert french.startswith("Rejouée à 4 dates passées (du 23/11/2025 au 23/08/2026) : les dates de paiement des "
                             "clients ont été prévues à ")


def test_a_side_without_invoices_or_an_unknown_side_is_refused(ten_days_late: Ledger) -> None:
    receivables_only = make_ledger(_weekly("A", 10))
    with pytest.raises(InputError, match="no invoices of the side asked for"):
        evaluate(receivables_only, DATA_END, side="payables", settings=QUICK)
    with pytest.raises(InputError, match="unknown side"):
        evaluate(ten_days_late, DATA_END, side="clients", settings=QUICK)
    with pytest.raises(InputError, match="number of dates"):
        evaluate(ten_days_late, DATA_END, n_dates=0, settings=QUICK)
    with pytest.raises(InputError, match="no invoices"):
        evaluate(Ledger.empty(), DATA_END, settings=QUICK)


def test_one_side_asked_is_the_only_one_replayed(ten_days_late: Ledger) -> None:
    out = evaluate(ten_days_late, DATA_END, 13, 1, "payables", QUICK)
    assert out.sides == (C.PAYABLE,) and list(out.settings) == [C.PAYABLE] and list(out.pooled) == [C.PAYABLE]
    assert list(out.dates[0].metrics.sides) == [C.PAYABLE]


def test_dates_without_enough_history_are_skipped_and_said() -> None:
    # invoices from 4 May 2026: 111 days before the last date (23 August), less than 90 before the others
    ledger = make_ledger(_weekly("A", 10, first="2026-05-04"))
    out = evaluate(ledger, DATA_END, 13, 4, "both", QUICK)
    assert [d.as_of for d in out.dates] == [date(2026, 8, 23)]
    assert [s.as_of for s in out.skipped] == [date(2025, 11, 23), date(2026, 2, 22), date(2026, 5, 24)]
    assert str(out.skipped[0].reason) == ("client invoices start on 2026-05-04: less than 90 days of history before "
                                          "this date")
    assert "2025-11-23, not replayed: client invoices start on 2026-05-04" in evaluation_text(out, "en")
    assert verdict_text(out, C.RECEIVABLE, "en").startswith("Replayed at 1 past date (2026-08-23): client")


def test_as_of_after_the_data_counts_back_from_the_datas_last_day(ten_days_late: Ledger) -> None:
    out = evaluate(ten_days_late, date(2026, 12, 6), 13, 1, "receivables", QUICK)
    assert out.as_of == date(2026, 12, 6) and out.replayed_to == DATA_END
    assert [d.as_of for d in out.dates] == [date(2026, 8, 23)]
    assert [str(n) for n in out.notes] == ["the data end on 2026-11-22: the dates replayed count back from there"]


BAD_LEDGERS = {
    "one invoice": [invoice("X1", "X", "2026-03-02", "2026-04-01", 100.0, paid="2026-04-03")],
    "one client": [row for row in _weekly("X", 5, first="2026-01-05")],
    "all open": [invoice(f"X{i}", "X", f"2026-0{1 + i % 8}-0{1 + i % 9}", "2026-10-01", 100.0) for i in range(20)],
    "all paid": [invoice(f"X{i}", f"X{i % 3}", "2025-06-02", "2025-07-02", 100.0, paid="2025-07-04")
                 for i in range(20)],
    "dates in one week": [invoice(f"X{i}", f"X{i % 2}", f"2026-08-{10 + i % 5}", f"2026-08-{10 + i % 5}", 100.0,
                                  paid=f"2026-08-{10 + i % 5}") for i in range(10)],
}


@pytest.mark.parametrize("case", list(BAD_LEDGERS))
def test_bad_inputs_give_notes_and_texts_never_an_internal_error(case: str) -> None:
    ledger = make_ledger(BAD_LEDGERS[case])
    out = evaluate(ledger, DATA_END, 13, 4, "both", QUICK)
    text = evaluation_text(out, "en")
    json.dumps(evaluation_json(out, "fr"))
    assert text.startswith("Self-evaluation at 2026-11-22")
    if not out.dates:
        assert "no past date could be replayed" in " ".join(map(str, out.notes))
        assert verdict_text(out, C.RECEIVABLE, "en").startswith("Client payments could not be checked yet")


def test_a_side_without_history_before_the_dates_is_said_apart() -> None:
    supplier = [invoice(f"S{i}", "S", "2026-11-02", "2026-12-02", 50.0, side=C.PAYABLE) for i in range(3)]
    out = evaluate(make_ledger(_weekly("A", 10), supplier), DATA_END, 13, 2, "both", QUICK)
    assert out.sides == (C.RECEIVABLE, C.PAYABLE) and C.PAYABLE not in out.pooled
    assert "supplier payments could not be replayed at any date: too little history" in map(str, out.notes)
    assert verdict_text(out, C.PAYABLE, "en").startswith("Supplier payments could not be checked yet")
    assert out.settings[C.PAYABLE].tuned is False  # no paid supplier invoice: the usual settings


def test_a_kept_evaluation_is_read_back_instead_of_replayed(ten_days_late: Ledger, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    first = cached_evaluate(ten_days_late, DATA_END, 13, 1, "receivables", tmp_path, QUICK)
    (kept,) = tmp_path.glob("*.evaluation.pickle")
    assert len(kept.name) == 40 + len(".evaluation.pickle")
    monkeypatch.setattr(ev, "evaluate", lambda *args, **kwargs: pytest.fail("replayed again"))
    second = cached_evaluate(ten_days_late, DATA_END, 13, 1, "receivables", tmp_path, QUICK)
    assert second.to_dict() == first.to_dict() and second is not first
    with pytest.raises(pytest.fail.Exception, match="replayed again"):  # another number of dates: another key
        cached_evaluate(ten_days_late, DATA_END, 13, 2, "receivables", tmp_path, QUICK)
    kept.write_bytes(pickle.dumps("planted"))  # not an evaluation: ignored, replayed
    with pytest.raises(pytest.fail.Exception, match="replayed again"):
        cached_evaluate(ten_days_late, DATA_END, 13, 1, "receivables", tmp_path, QUICK)


def test_every_key_of_the_json_is_in_the_readme(evaluated: ev.Evaluation) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### How `cashpilot evaluate` tells how far", 1)[1].split("\n## ", 1)[0]
    out = evaluation_json(evaluated, "en")
    settings = out["chosen_settings"]["receivables"]
    first = out["dates"][0]
    keys = {*out, *settings, *settings["alternatives"][0], *first, *first["weekly"]["receivables"][0],
            *out["pooled"]["receivables"], *out["pooled"]["receivables"]["invoices"]["model"],
            *out["pooled"]["receivables"]["weekly"]}
    keys |= {key for check in settings["calibration"].values() if check for key in check}
    assert sorted(key for key in keys if f"`{key}`" not in section) == []
