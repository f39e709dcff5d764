"""When a dispute paid in part is over: the quiet period learned from the ledger's own gaps between instalments.

Session 16 counted a disputed invoice whose payments stopped short as settled once 90 days passed without a payment
(a definition). The period is now one day more than the 95 % quantile of the silences between two payments of one
invoice that ended in a payment (Kaplan-Meier, silences still running at as-of censored), 30..365 days; too few
silences (< 20 ended): 90 days and a note.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.i18n.translate import localise
from forecasting.model import tuning
from forecasting.model.behaviour import fit_behaviour, settled_short
from forecasting.model.disputes import (
    MIN_QUIET_GAPS,
    SETTLED_SHORT_QUIET_DAYS,
    QuietPeriod,
    learn_quiet_period,
)
from forecasting.model.settings import DEFAULT_BEHAVIOUR
from forecasting.model.settlement import InstalmentGaps, settle_with_gaps
from forecasting.projection.evaluate_types import ChosenSettings
from forecasting.projection.forecast import prepare
from forecasting.projection.types import ProjectionSettings
from forecasting.reports.evaluate import quiet_text
from tests.fixtures.handmade import invoice, make_ledger, monthly_history

AS_OF = pd.Timestamp("2026-11-23")  # a Monday
NO_FUTURE = ProjectionSettings(future_invoicing=False, n_sims=2000)


def _day(days_before: int) -> str:
    """Return the ISO date `days_before` days before AS_OF."""
    return str((AS_OF - pd.Timedelta(days=days_before)).date())


def _instalments(prefix: str, n: int, gaps: list[int], first_paid: str = "2025-03-03", amount: float = 900.0,
                 disputed: bool = True) -> list[dict[str, object]]:
    """Return n invoices (one a week), each paid in len(gaps) + 1 equal parts, part k + 1 gaps[k] days after part k."""
    rows = []
    for i in range(n):
        day = pd.Timestamp(first_paid) + pd.Timedelta(days=7 * i)
        issue = day - pd.Timedelta(days=45)
        days = [day]
        for gap in gaps:
            days.append(days[-1] + pd.Timedelta(days=gap))
        part = round(amount / len(days), 2)
        parts = [(str(d.date()), part) for d in days[:-1]] + [(str(days[-1].date()), amount - part * (len(days) - 1))]
        rows.append(invoice(f"{prefix}-{i}", "D", str(issue.date()), str((issue + pd.Timedelta(days=30)).date()),
                            amount, disputed=disputed, parts=parts))
    return rows


def test_the_quantile_is_of_the_gaps_that_end_in_a_payment_with_the_running_ones_censored() -> None:
    # 38 gaps of 30 days, 2 of 45, one silence still running at 50 days (a dispute that stopped, censored). At 30
    # days 41 are at risk and 38 end: F(30) = 38/41; at 45, 3 at risk, 2 end: F(45) = 40/41, and no more (the
    # running one never ends). The gaps that end do so by 30 days in (38/41) / (40/41) = 95 % of cases: the
    # quantile is 30, the quiet period 31 days.
    gaps = InstalmentGaps(np.array([30] * 38 + [45] * 2 + [50]), np.array([True] * 40 + [False]),
                          np.ones(41, bool))
    assert learn_quiet_period(gaps) == QuietPeriod(31, "disputed", 40, 1, 1)
    # One gap of 45 days more (38 of 41 ended by 30 days, 92.7 %): the quantile moves to 45, the period to 46.
    more = InstalmentGaps(np.array([30] * 38 + [45] * 3 + [50]), np.array([True] * 41 + [False]),
                          np.ones(42, bool))
    assert learn_quiet_period(more).days == 46
    # Censored at 40 days instead (before the 45-day gaps): it may still end at 45 like them. At 30 days 38 of 41
    # end, at 45 the last 2 at risk: F(45) = 1, F(30) = 38/41 = 92.7 % of it: the quantile is 45.
    early = InstalmentGaps(np.array([30] * 38 + [45] * 2 + [40]), np.array([True] * 40 + [False]),
                           np.ones(41, bool))
    assert learn_quiet_period(early).days == 46


def test_a_ledger_paying_instalments_every_30_days_settles_a_dispute_silent_for_50_days() -> None:
    # 19 disputes paid in 3 parts 30 days apart and 2 in 2 parts 45 days apart, long ago; one dispute paid 600 of
    # 1000 50 days before as-of, nothing since: the first test's numbers, a quiet period of 31 days.
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01")
    rows += _instalments("D-a", 19, [30, 30]) + _instalments("D-b", 2, [45], first_paid="2025-09-01")
    rows.append(invoice("D-stop", "D", _day(120), _day(90), 1000.0, disputed=True, parts=[(_day(50), 600.0)]))
    ledger = make_ledger(rows)
    settled, gaps = settle_with_gaps(ledger.receivables, ledger.payments_of(C.RECEIVABLE), AS_OF)
    quiet = learn_quiet_period(gaps)
    assert quiet == QuietPeriod(31, "disputed", 40, 1, 1)
    short, share = settled_short(settled, AS_OF, quiet.days)
    stop = (settled[C.INVOICE_ID] == "D-stop").to_numpy()
    assert short[stop].all() and share[stop][0] == pytest.approx(0.6)
    # The fit reads it as settled at 60 % (the 90 days of session 16 left it open: every dispute paid in full).
    model = fit_behaviour(ledger, AS_OF)
    assert model.dispute_quiet.days == 31
    assert model.dispute_extra.share_levels[0] == pytest.approx(0.6)


def test_a_ledger_paying_the_rest_120_days_later_does_not_cut_its_settlements_in_two() -> None:
    # 20 disputes paid half, then the rest 120 days later, long ago: the quantile is 120, the period 121 days. A
    # dispute paid half 100 days before as-of is still paying (90 days took it for settled at 50 %: its 500 lost).
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01") + _instalments("D-a", 20, [120], amount=1000.0)
    rows.append(invoice("D-wait", "D", _day(160), _day(130), 1000.0, disputed=True, parts=[(_day(100), 500.0)]))
    ledger = make_ledger(rows)
    model = fit_behaviour(ledger, AS_OF)
    assert model.dispute_quiet == QuietPeriod(121, "disputed", 20, 1, 1)
    assert model.dispute_extra.share_levels.tolist() == [1.0]  # every past dispute brought its whole amount
    cash = prepare(ledger, AS_OF, 13, NO_FUTURE)
    never = cash.never_paid_share()[(cash.items[C.INVOICE_ID] == "D-wait").to_numpy()][0]
    assert never < 0.5  # its 500 still open is expected (90 days: never paid, 1.0)


def test_too_few_gaps_keep_90_days_and_say_so() -> None:
    # 5 disputes paid in 2 parts 30 days apart: 5 gaps, fewer than 20; no undisputed invoice paid in parts.
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01") + _instalments("D-a", 5, [30])
    rows.append(invoice("D-stop", "D", _day(120), _day(90), 1000.0, disputed=True, parts=[(_day(50), 600.0)]))
    ledger = make_ledger(rows)
    model = fit_behaviour(ledger, AS_OF)
    assert MIN_QUIET_GAPS == 20
    assert model.dispute_quiet == QuietPeriod(SETTLED_SHORT_QUIET_DAYS, "none", 5, 1, 1)
    assert model.dispute_extra.share_levels.tolist() == [1.0]  # D-stop, 50 days quiet, is still open
    notes = [str(note) for note in prepare(ledger, AS_OF, 13, NO_FUTURE).notes]
    assert ("1 client dispute paid in part: it counts as settled short after 90 days without a payment, the usual "
            "setting (past gaps between two payments of one invoice: 5, 20 needed to learn it)") in notes
    chosen = ChosenSettings(C.RECEIVABLE, False, 365.0, False, "forward", float("nan"), 0, 365.0, (), (),
                            model.dispute_quiet.days, model.dispute_quiet.population, model.dispute_quiet.n_ended)
    assert quiet_text(chosen, "en") == ("A dispute paid in part counts as settled short after 90 days without a "
                                        "payment, the usual setting: 5 past gaps between two payments of one invoice, "
                                        "too few to learn it from (20 needed).")
    assert quiet_text(chosen, "fr").startswith("Un litige payé en partie est tenu pour soldé après 90 jours")


def test_too_few_disputed_gaps_learn_from_every_invoice_paid_in_parts() -> None:
    # 3 disputed gaps of 100 days, 30 undisputed ones of 40 days: the disputes alone are too few, the ledger's
    # habit of paying in parts says 41 days.
    rows = _instalments("D-a", 3, [100]) + _instalments("U", 30, [40], disputed=False)
    ledger = make_ledger(rows)
    _, gaps = settle_with_gaps(ledger.receivables, ledger.payments_of(C.RECEIVABLE), AS_OF)
    quiet = learn_quiet_period(gaps)
    assert quiet.population == "all" and quiet.n_ended == 33
    # 30 of 33 end by 40 days (90.9 %), 33 by 100: the quantile is 100.
    assert quiet.days == 101
    chosen = ChosenSettings(C.RECEIVABLE, True, 365.0, False, "forward", 1.0, 100, 365.0, (), (), quiet.days,
                            quiet.population, quiet.n_ended)
    assert "after the 33 past gaps between two payments of one invoice (disputed ones alone are too few)" in \
        quiet_text(chosen, "en")


def test_only_what_was_known_at_as_of_counts() -> None:
    # 20 disputes paid in 2 parts 30 days apart; at a date between the parts, each silence is still running.
    rows = _instalments("D-a", 20, [30], first_paid="2026-01-05")
    ledger = make_ledger(rows)
    between = pd.Timestamp("2026-01-15")  # 10 days after the first's first part, before the others' first parts
    _, gaps = settle_with_gaps(ledger.receivables, ledger.payments_of(C.RECEIVABLE), between)
    assert gaps.ended.sum() == 0 and gaps.days.tolist() == [10, 3]  # the first two, paid on Jan 5 and 12
    assert learn_quiet_period(gaps).days == SETTLED_SHORT_QUIET_DAYS
    _, later = settle_with_gaps(ledger.receivables, ledger.payments_of(C.RECEIVABLE), AS_OF)
    assert later.ended.sum() == 20 and learn_quiet_period(later).days == 31


def test_the_forecast_notes_the_learned_period_in_the_users_words() -> None:
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01")
    rows += _instalments("D-a", 19, [30, 30]) + _instalments("D-b", 2, [45], first_paid="2025-09-01")
    rows.append(invoice("D-stop", "D", _day(120), _day(90), 1000.0, disputed=True, parts=[(_day(50), 600.0)]))
    notes = prepare(make_ledger(rows), AS_OF, 13, NO_FUTURE).notes
    note = next(n for n in notes if "dispute paid in part" in str(n))
    assert str(note) == ("1 client dispute paid in part: it counts as settled short once 31 days pass without a "
                         "payment, learned from 40 past gaps between two payments of one invoice")
    assert localise(note, "fr").startswith("1 litige client payé en partie : il est tenu pour soldé une fois passés "
                                           "31 jours sans paiement")


def test_each_tuning_origin_reads_disputes_with_the_period_known_then() -> None:
    # 20 disputes paid in 2 parts 30 days apart, the first parts 260 to 241 days before as-of: none is known at the
    # first origin (273 days before as-of: 90 days, the definition), all 20 gaps at the next ones (31 days).
    rows = monthly_history("D", 0, 24, first_issue="2024-10-01")
    for i in range(20):
        first = AS_OF - pd.Timedelta(days=260 - i)
        rows.append(invoice(f"D-a-{i}", "D", str((first - pd.Timedelta(days=45)).date()),
                            str((first - pd.Timedelta(days=15)).date()), 900.0, disputed=True,
                            parts=[(str(first.date()), 450.0), (str((first + pd.Timedelta(days=30)).date()), 450.0)]))
    ledger = make_ledger(rows)
    cases = tuning._cases(ledger.receivables, ledger.payments_of(C.RECEIVABLE), ledger.counterparties, AS_OF,
                          C.RECEIVABLE, DEFAULT_BEHAVIOUR)
    assert [(case.origin, case.quiet.days) for case in cases] == [
        (AS_OF - pd.Timedelta(days=273), SETTLED_SHORT_QUIET_DAYS), (AS_OF - pd.Timedelta(days=182), 31),
        (AS_OF - pd.Timedelta(days=91), 31)]
