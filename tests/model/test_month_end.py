"""Month-end batch payers and thin counterparties' segments (session 17): hand-made ledgers, numbers checkable by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.model.behaviour import fit_behaviour
from forecasting.model.payment_days import settlement_days
from forecasting.model.settings import BehaviourSettings
from forecasting.model.tuning import learn_behaviour
from tests.fixtures.handmade import MID_MONTH, MONTH_ENDS, counterparty, invoice, make_ledger, monthly_history
from tests.fixtures.handmade import paid_on as _paid

AS_OF = pd.Timestamp("2026-11-23")  # a Monday
FLAT = BehaviourSettings(half_life_days=1e12)  # every invoice weighs 1


def test_month_end_payers_are_told_by_counterparties_votes_not_by_volume() -> None:
    # Segment A: four batch payers (4 payments each, all on month ends) and THIN (2 mid-month payments); B: DAILY
    # (6 mid-month); C: BIG (10 month-end payments) and three thin ones (2 mid-month each). NEW_A and NEW_C: one
    # open invoice, nothing paid.
    rows: list[dict] = []
    segment = {}
    for k in range(4):
        rows += _paid(f"BATCH{k}", MONTH_ENDS[k:k + 4])
        segment[f"BATCH{k}"] = "A"
    rows += _paid("THIN", MID_MONTH[:2]) + _paid("DAILY", MID_MONTH[:6]) + _paid("BIG", MONTH_ENDS)
    segment |= {"THIN": "A", "DAILY": "B", "BIG": "C", "NEW_A": "A", "NEW_C": "C"}
    for k in range(3):
        rows += _paid(f"SMALL{k}", MID_MONTH[k:k + 2])
        segment[f"SMALL{k}"] = "C"
    rows += [invoice("NA", "NEW_A", "2026-11-02", "2026-12-02", 100.0),
             invoice("NC", "NEW_C", "2026-11-02", "2026-12-02", 100.0)]
    ledger = make_ledger(rows, counterparties=[counterparty(cp, seg) for cp, seg in sorted(segment.items())])
    model = fit_behaviour(ledger, AS_OF, C.RECEIVABLE, FLAT)
    flags = {cp: bool(model.settle_month_end[row]) for cp, row in model.counterparty_rows.items()}
    # Voters: 4 batch payers + BIG vote 1, THIN, DAILY and the SMALLs 0: the side is (5 + 5 x 0) / (10 + 5) = 1/3.
    # A: (4 + 5/3) / (5 + 5) = 0.567 -> batches; B: (0 + 5/3) / (1 + 5) = 0.28; C: (1 + 5/3) / (4 + 5) = 0.30.
    # THIN: (0 + 2 x 0.567) / (2 + 2) = 0.28; NEW_A: A's 0.567; NEW_C: C's 0.30; BIG: (10 + 2 x 0.30) / 12 = 0.88.
    assert flags == {**{f"BATCH{k}": True for k in range(4)}, "THIN": False, "DAILY": False, "BIG": True,
                     **{f"SMALL{k}": False for k in range(3)}, "NEW_A": True, "NEW_C": False}
    segments = {seg: bool(model.settle_month_end[row]) for seg, row in model.segment_rows.items()}
    assert segments["A"] and not segments["B"] and not segments["C"]
    # Weighted by payments C would be (10 + 0) / (10 + 6) = 0.63: BIG would make its thin members batch payers.


def test_a_ledger_without_month_end_habits_has_no_batch_flags() -> None:
    ledger = make_ledger(_paid("DAILY", MID_MONTH) + _paid("OTHER", MID_MONTH[2:]))
    assert fit_behaviour(ledger, AS_OF, C.RECEIVABLE, FLAT).settle_month_end is None


def test_month_end_batches_take_the_nearest_month_end_after_what_is_known() -> None:
    # Class 0: Monday to Friday, forward; class 1: the same weekdays, paid in month-end batches.
    model = SimpleNamespace(settle_weekdays=np.array([[1, 1, 1, 1, 1, 0, 0]] * 2, bool),
                            avoid_holidays=np.array([True, True]), settle_month_end=np.array([False, True]),
                            settle_mode="forward", settings=SimpleNamespace(calendar_country="FR"))
    rows = np.array([0, 0, 1, 1, 1, 1])
    # Offsets from Monday 23 Nov 2026: 6 = Sun 29 Nov, 9 = Wed 2 Dec, 3 = Thu 26 Nov, 40 = Sat 2 Jan 2027.
    drawn = np.array([[6], [9], [3], [9], [9], [40]])
    through = np.array([[0], [0], [0], [0], [7], [0]])  # the fifth known unpaid through Mon 30 Nov
    got = settlement_days(model, rows, drawn, through, AS_OF)  # type: ignore[arg-type]
    # Weekday class: Sun 29 Nov -> Mon 30 Nov (7), Wed 2 Dec stays (9). Batches: Thu 26 Nov -> Mon 30 Nov (7, the
    # last business day of November); Wed 2 Dec -> 30 Nov (7, 2 days back against 29 forward to Thu 31 Dec = 38);
    # unpaid through 30 Nov -> 31 Dec (38); Sat 2 Jan -> Thu 31 Dec (38; Fri 29 Jan 2027 = 67 is 27 days on).
    assert got[:, 0].tolist() == [7, 9, 7, 7, 38, 38]


def test_a_segment_curve_gives_each_counterparty_at_most_five_invoices() -> None:
    # Segment S: BIG paid on its due date 20 times, six thin counterparties paid 30 days late once each; NEW has one
    # open invoice. No pull towards the side (segment_shrinkage_k 0, prior_k 0), every invoice weighs 1.
    rows = []
    for i in range(20):
        issue = pd.Timestamp("2025-01-06") + pd.Timedelta(days=14 * i)
        rows.append(invoice(f"B{i}", "BIG", str(issue.date()), str((issue + pd.Timedelta(days=30)).date()), 100.0,
                            paid=str((issue + pd.Timedelta(days=30)).date())))
    for k in range(6):
        issue = pd.Timestamp("2025-03-03") + pd.Timedelta(days=21 * k)
        rows.append(invoice(f"T{k}", f"THIN{k}", str(issue.date()), str((issue + pd.Timedelta(days=30)).date()),
                            100.0, paid=str((issue + pd.Timedelta(days=60)).date())))
    rows.append(invoice("N", "NEW", "2026-11-02", "2026-12-02", 100.0))
    ledger = make_ledger(rows)  # one segment for all
    flat = BehaviourSettings(half_life_days=1e12, segment_shrinkage_k=0.0, prior_k=0.0, segment_cap="on")
    model = fit_behaviour(ledger, AS_OF, C.RECEIVABLE, flat)
    new = model.rows_for(np.array(["NEW"], dtype=object), np.array(["SME"], dtype=object))
    # BIG counts 5 (not 20) and the thin ones 6: P(paid by the due date) = 5 / 11 < 1/2, the median is 30 days late.
    assert abs(model.survival(new)[0][0 - model.delay_grid_days[0]] - 6 / 11) < 1e-9  # P(later than due)
    assert model.quantile_days(new, 0.5)[0] == 30
    uncapped = fit_behaviour(ledger, AS_OF, C.RECEIVABLE,
                             BehaviourSettings(half_life_days=1e12, segment_shrinkage_k=0.0, prior_k=0.0,
                                               segment_cap="off"))
    assert uncapped.quantile_days(new, 0.5)[0] == 0  # 20 against 6: its one large supplier's habit


def test_the_replay_tries_the_segment_cap_once_at_its_best_setting_without_it() -> None:
    rows = []
    for k in range(10):  # ten clients invoiced monthly for three years, paid k days late
        rows += monthly_history(f"K{k}", k, 36, first_issue=f"2023-11-{1 + 2 * k:02d}")
    ledger = make_ledger(rows)
    settings = BehaviourSettings(half_life_candidates_days=(90.0, 365.0))
    model = learn_behaviour(ledger.receivables, ledger.payments_of(C.RECEIVABLE), ledger.counterparties, AS_OF,
                            C.RECEIVABLE, settings)
    report = model.tuning
    capped, plain = report[report["segment_cap"]], report[~report["segment_cap"]]
    assert len(plain) == 3 * 2 and len(capped) == 2  # (90, 365, 365 with drift) x 2 modes, then the cap x 2 modes
    best = plain.loc[plain["mae_days"].idxmin()]
    assert (capped["half_life_days"] == best["half_life_days"]).all() and (capped["drift"] == best["drift"]).all()
    chosen = report[report["chosen"]].iloc[0]
    assert chosen["mae_days"] == report["mae_days"].min() and model.segment_cap == bool(chosen["segment_cap"])
    off = learn_behaviour(ledger.receivables, ledger.payments_of(C.RECEIVABLE), ledger.counterparties, AS_OF,
                          C.RECEIVABLE, BehaviourSettings(half_life_candidates_days=(90.0, 365.0), segment_cap="off"))
    assert not off.tuning["segment_cap"].any() and len(off.tuning) == 6
    assert report["month_end_batches"].all()  # no batch payer at any origin: "without them" is not replayed


def test_the_replay_drops_month_end_batches_only_when_it_does_better_without() -> None:
    # Five clients invoiced on the 1st, net 30, paid on the last business day of the next month (batch payers).
    rows = []
    for k in range(5):
        for m in range(34):
            issue = pd.Timestamp("2024-01-01") + pd.DateOffset(months=m)
            paid = issue + pd.offsets.BMonthEnd(2)  # the next month's last weekday (no French holiday falls there)
            rows.append(invoice(f"M{k}-{m}", f"M{k}", str(issue.date()), str((issue + pd.Timedelta(days=30)).date()),
                                100.0 + k, paid=str(paid.date())))
    ledger = make_ledger(rows)
    model = learn_behaviour(ledger.receivables, ledger.payments_of(C.RECEIVABLE), ledger.counterparties, AS_OF,
                            C.RECEIVABLE, BehaviourSettings(half_life_candidates_days=(365.0,)))
    report = model.tuning
    without = report[~report["month_end_batches"]]
    assert len(without) == 2  # the best setting so far replayed without batches, under both settle modes
    before = report.iloc[:len(report) - 2]
    top = before.loc[before["mae_days"].idxmin()]
    assert (without[["half_life_days", "drift", "segment_cap"]] == top[["half_life_days", "drift", "segment_cap"]]
            ).all().all()
    # Every payment on a month end: the replay does better with batches than without.
    assert before["mae_days"].min() < without["mae_days"].min()
    assert bool(report[report["chosen"]]["month_end_batches"].iloc[0]) and model.settle_month_end is not None
    assert model.settle_month_end[[model.counterparty_rows[f"M{k}"] for k in range(5)]].all()
