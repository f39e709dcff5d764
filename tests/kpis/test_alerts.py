"""Alerts: cash below zero or beyond the overdraft (with date and amount), clients over their credit limit."""

from __future__ import annotations

import pandas as pd

from forecasting.i18n.formats import NBSP
from forecasting.kpis.alerts import (
    BELOW_ZERO,
    CREDIT_LIMIT,
    OVERDRAFT,
    RISK_BELOW_ZERO,
    alert_text,
    cash_alerts,
    credit_limit_alerts,
)


def daily(p50: list[float], p10: list[float] | None = None) -> pd.DataFrame:
    """Return a projection's daily frame from 1 Dec 2026 with the given expected = median (and P10) closings."""
    p10 = p10 if p10 is not None else p50
    return pd.DataFrame({"date": pd.date_range("2026-12-01", periods=len(p50)), "closing_p50": p50,
                         "closing_expected": p50, "closing_p10": p10})


def test_beyond_the_overdraft_gives_the_first_day_its_amount_and_the_lowest_point() -> None:
    [alert] = cash_alerts(daily([50_000, -20_000, -130_000, -160_000, -40_000]), overdraft_limit_eur=100_000)
    assert alert.kind == OVERDRAFT and alert.severity == "error"
    assert alert.day == pd.Timestamp("2026-12-03") and alert.amount_eur == -130_000
    assert (alert.low_eur, alert.low_day) == (-160_000, pd.Timestamp("2026-12-04"))
    assert alert_text(alert, "en") == ("Cash goes beyond the authorised overdraft of €100,000 on 2026-12-03 "
                                       "(−€130,000); lowest point −€160,000 on 2026-12-04.")
    assert alert_text(alert, "fr") == (f"La trésorerie dépasse le découvert autorisé de 100{NBSP}000{NBSP}€ le 03/12/2026 "
                                       f"(−130{NBSP}000{NBSP}€) ; point bas −160{NBSP}000{NBSP}€ le 04/12/2026.")


def test_below_zero_within_the_overdraft_is_a_warning() -> None:
    [alert] = cash_alerts(daily([10_000, -5_000, 2_000]), overdraft_limit_eur=100_000)
    assert (alert.kind, alert.severity, alert.day, alert.amount_eur) == (BELOW_ZERO, "warning",
                                                                        pd.Timestamp("2026-12-02"), -5_000)


def test_below_zero_without_an_overdraft_line_is_an_error() -> None:
    [alert] = cash_alerts(daily([10_000, -5_000]), overdraft_limit_eur=0)
    assert (alert.kind, alert.severity) == (BELOW_ZERO, "error")


def test_only_the_pessimistic_path_below_zero_is_a_risk_notice() -> None:
    [alert] = cash_alerts(daily([10_000, 8_000, 9_000], p10=[2_000, -3_000, -1_000]), overdraft_limit_eur=0)
    assert (alert.kind, alert.severity, alert.day, alert.amount_eur) == (RISK_BELOW_ZERO, "info",
                                                                        pd.Timestamp("2026-12-02"), -3_000)
    assert "1 chance in 10" in alert_text(alert, "en")


def test_positive_cash_gives_no_alert() -> None:
    assert cash_alerts(daily([10_000, 8_000], p10=[1_000, 0]), overdraft_limit_eur=0) == []
    assert cash_alerts(daily([]), overdraft_limit_eur=0) == []


def scorecard(rows: list[tuple[str, str | None, float, float | None]]) -> pd.DataFrame:
    """Return a scorecard with counterparty id, name, encours and credit limit (over_limit as the KPI computes it)."""
    card = pd.DataFrame(rows, columns=["counterparty_id", "name", "encours_eur", "credit_limit_eur"])
    card["over_limit"] = (card["encours_eur"] > card["credit_limit_eur"]).fillna(False)
    return card


def test_clients_over_their_limit_are_named_largest_excess_first() -> None:
    card = scorecard([("C1", "Alpha", 120_000, 100_000), ("C2", "Beta", 50_000, 60_000), ("C3", None, 90_000, 10_000),
                      ("C4", "Delta", 30_000, None), ("C5", "Echo", 41_000, 40_000), ("C6", "Fox", 70_000, 65_000)])
    [alert] = credit_limit_alerts(card)
    assert alert.kind == CREDIT_LIMIT and alert.n_clients == 4
    assert [c[0] for c in alert.clients] == ["C3", "Alpha", "Fox"]  # excess 80 000, 20 000, 5 000; C5 beyond the three
    assert alert_text(alert, "en") == ("4 clients over their credit limit: C3: €90,000 for a limit of €10,000; "
                                       "Alpha: €120,000 for a limit of €100,000; Fox: €70,000 for a limit of €65,000, "
                                       "and 1 more (see Receivables)")
    assert " pour une limite de 10\xa0000\xa0€ ; Alpha : " in alert_text(alert, "fr")  # French spaces before ';'


def test_one_client_over_its_limit_is_said_in_the_singular_in_both_languages() -> None:
    [alert] = credit_limit_alerts(scorecard([("C1", "Alpha", 120_000, 100_000), ("C2", "Beta", 10, 100)]))
    assert alert_text(alert, "en") == "1 client over its credit limit: Alpha: €120,000 for a limit of €100,000."
    assert alert_text(alert, "fr") == ("1 client au-delà de sa limite de crédit : Alpha : 120\xa0000\xa0€ pour une "
                                       "limite de 100\xa0000\xa0€.")  # no-break spaces: an amount never wraps


def test_no_client_over_its_limit_gives_no_alert() -> None:
    assert credit_limit_alerts(scorecard([("C1", "Alpha", 10, 100), ("C2", "Beta", 10, None)])) == []


def test_the_first_day_below_zero_and_the_lowest_point_are_both_of_the_expected_path() -> None:
    frame = daily([10_000, 5_000, -8_000])
    frame["closing_expected"] = [9_000, -9_500, -7_000]  # the projection summary's figures use this column
    [alert] = cash_alerts(frame, overdraft_limit_eur=100_000)
    # issue 17: the first day came from the median path (12-03, −8,000) and the lowest point from the expected one
    assert (alert.day, alert.amount_eur) == (pd.Timestamp("2026-12-02"), -9_500)
    assert (alert.low_eur, alert.low_day) == (-9_500, pd.Timestamp("2026-12-02"))


def test_a_median_path_below_zero_alone_is_no_shortfall_when_the_expected_path_stays_above() -> None:
    frame = daily([10_000, -1_000, 2_000], p10=[5_000, -6_000, -2_000])
    frame["closing_expected"] = [10_000, 500, 2_500]
    [alert] = cash_alerts(frame, overdraft_limit_eur=0)
    assert (alert.kind, alert.day, alert.amount_eur) == (RISK_BELOW_ZERO, pd.Timestamp("2026-12-02"), -6_000)
