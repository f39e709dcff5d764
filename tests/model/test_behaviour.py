"""Tests of forecasting.model.behaviour (delay model) and forecasting.model.settlement, on hand-made ledgers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.model.behaviour import fit_behaviour
from forecasting.model.settings import BehaviourSettings
from forecasting.model.settlement import OPEN_AMOUNT, PAID_AMOUNT, PAID_DATE, known_at, settle
from forecasting.projection.forecast import prepare
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import counterparty, invoice, make_ledger, monthly_history

AS_OF = pd.Timestamp("2026-11-23")  # a Monday
NO_FUTURE = ProjectionSettings(future_invoicing=False)


def _median_payment(ledger, invoice_id: str, settings: ProjectionSettings = NO_FUTURE) -> np.datetime64:
    """Return the median forecast payment date of one open invoice."""
    cash = prepare(ledger, AS_OF, 13, settings)
    row = np.flatnonzero(cash.items[C.INVOICE_ID].to_numpy() == invoice_id)[0]
    return cash.payment_dates()[row]


def test_kaplan_meier_matches_statsmodels_without_shrinkage_or_decay():
    delays = [3, 0, 12, 5, 5, 30, 7, 0, 2, 45, 12, 5, 9, 21, 1, 60, 14, 3]
    rows = monthly_history("A", delays, len(delays), first_issue="2025-01-05")
    rows += [invoice("A-o1", "A", "2026-08-01", "2026-08-31", 500.0),  # censored at 84 days
             invoice("A-o2", "A", "2026-10-01", "2026-10-31", 500.0)]  # censored at 23 days
    flat = BehaviourSettings(shrinkage_k=0.0, segment_shrinkage_k=0.0, half_life_days=1e12)
    model = fit_behaviour(make_ledger(rows), AS_OF, C.RECEIVABLE, flat)
    survival = model.survival([model.counterparty_rows["A"]])[0]
    settled = settle(make_ledger(rows).receivables, make_ledger(rows).payments, AS_OF)
    # AS_OF is a Monday (a business day): open invoices are censored at AS_OF - due.
    end = settled[PAID_DATE].fillna(AS_OF)
    reference = SurvfuncRight((end - settled[C.DUE_DATE]).dt.days.to_numpy(), settled[PAID_DATE].notna().astype(int))
    ours = survival[np.asarray(reference.surv_times, dtype=int) - model.delay_grid_days[0]]
    np.testing.assert_allclose(ours, reference.surv_prob, atol=1e-8)


def test_client_always_15_days_late_is_forecast_15_days_late():
    rows = monthly_history("LATE", 15, 12, first_issue="2025-10-01")
    rows += monthly_history("ONTIME", 0, 12, first_issue="2025-10-03")  # same segment: shrinkage has a pull
    rows.append(invoice("LATE-open", "LATE", "2026-11-02", "2026-12-02", 1000.0))  # due Wednesday
    predicted = _median_payment(make_ledger(rows), "LATE-open")
    expected = np.datetime64("2026-12-17")  # Thursday, a business day
    assert abs(np.busday_count(min(predicted, expected), max(predicted, expected))) <= 1


def test_invoice_40_days_overdue_is_forecast_after_as_of_not_at_the_mean():
    delays = list(range(0, 61, 5))  # 0..60 days, mean 30: the plain mean would be in the past
    rows = monthly_history("S", delays, 26, first_issue="2024-09-01")
    rows.append(invoice("S-open", "S", "2026-09-14", "2026-10-14", 1000.0))  # 40 days overdue at AS_OF
    cash = prepare(make_ledger(rows), AS_OF, 13, NO_FUTURE)
    row = np.flatnonzero(cash.items[C.INVOICE_ID].to_numpy() == "S-open")[0]
    draws = cash.pay_day_offsets[row]
    assert draws.min() >= 1  # no draw in the past (or on as-of itself)
    assert cash.payment_dates()[row] > np.datetime64(AS_OF.date())
    # Conditional on > 40 days, the remaining mass sits at 45..60 days late (with a thin tail beyond).
    median_delay = (cash.payment_dates()[row] - np.datetime64("2026-10-14")).astype(int)
    assert 45 <= median_delay <= 62


def test_client_whose_open_invoices_are_all_long_overdue_does_not_look_punctual():
    rows = [invoice(f"X-{i}", "X", f"2025-0{i + 1}-05", f"2025-0{i + 2}-04", 1000.0, paid=f"2025-0{i + 2}-04")
            for i in range(3)]  # three paid on the due date
    rows += [invoice(f"X-o{i}", "X", f"2026-0{i + 2}-10", f"2026-0{i + 3}-10", 1000.0) for i in range(6)]
    rows += monthly_history("P", 0, 12, first_issue="2025-09-01")  # a punctual neighbour
    model = fit_behaviour(make_ledger(rows), AS_OF)
    row = model.counterparty_rows["X"]
    paid_only_median = 0  # what ignoring the open invoices would say
    median = model.quantile_days([row], 0.5)[0]
    assert np.isnan(median) or median > 60 > paid_only_median
    assert model.survival([row])[0][60 - model.delay_grid_days[0]] > 0.5  # most likely still unpaid at 60 days


def test_new_client_gets_its_segment_behaviour():
    rows, cps = [], []
    for i in range(3):
        rows += monthly_history(f"PUB{i}", 30, 12, first_issue=f"2025-10-0{i + 1}")
        rows += monthly_history(f"SME{i}", 0, 12, first_issue=f"2025-10-0{i + 1}")
        cps += [counterparty(f"PUB{i}", "Public"), counterparty(f"SME{i}", "SME")]
    cps.append(counterparty("NEW", "Public"))
    rows.append(invoice("NEW-1", "NEW", "2026-11-16", "2026-12-16", 5000.0))  # first invoice, no history
    ledger = make_ledger(rows, counterparties=cps)
    model = fit_behaviour(ledger, AS_OF)
    unknown = model.rows_for(["NEVER-SEEN"], ["Public"])[0]
    assert unknown == model.segment_rows["Public"]
    assert model.quantile_days([unknown], 0.5)[0] == 30
    # NEW's only invoice is not due yet, so its profile is its segment's beyond that point.
    assert model.quantile_days(model.rows_for(["NEW"], ["Public"]), 0.5)[0] == 30
    assert model.quantile_days([model.segment_rows["SME"]], 0.5)[0] == 0
    predicted = _median_payment(ledger, "NEW-1")
    assert predicted == np.datetime64("2027-01-15")  # 16 Dec + 30 days, a Friday


def test_disputed_invoices_follow_their_own_longer_behaviour():
    rows = monthly_history("D", 0, 18, first_issue="2025-03-01")
    for i in range(8):  # disputed history: paid 60 days late
        issue = pd.Timestamp("2025-01-10") + pd.Timedelta(days=45 * i)
        due = issue + pd.Timedelta(days=30)
        rows.append(invoice(f"D-x{i}", "D", str(issue.date()), str(due.date()), 800.0,
                            paid=str((due + pd.Timedelta(days=60)).date()), disputed=True))
    rows.append(invoice("D-open", "D", "2026-11-02", "2026-12-02", 800.0, disputed=True))
    model = fit_behaviour(make_ledger(rows), AS_OF)
    assert model.dispute_extra.median_days() == 60  # learned from the disputed history
    assert model.quantile_days([model.counterparty_rows["D"]], 0.5)[0] == 0
    predicted = _median_payment(make_ledger(rows), "D-open")
    # Due 2 Dec + the client's usual 0 days + the disputes' 60: a Sunday, kept, since this hand-made history
    # pays on every day of the week (its dates are not rolled to business days).
    assert predicted == np.datetime64("2027-01-31")


def test_never_paying_client_is_expected_bad_debt_not_a_receipt():
    rows = [invoice(f"Z-{i}", "Z", f"2024-0{i + 1}-10", f"2024-0{i + 2}-10", 1000.0) for i in range(6)]
    rows += monthly_history("P", 0, 24, first_issue="2024-11-01")
    ledger = make_ledger(rows)
    model = fit_behaviour(ledger, AS_OF)
    # A new invoice of Z: 6 own invoices never paid against 5 pseudo-invoices of a punctual segment.
    assert model.p_never([model.counterparty_rows["Z"]])[0] > 0.5
    assert model.p_never([model.counterparty_rows["P"]])[0] < 0.05
    cash = prepare(ledger, AS_OF, 13, NO_FUTURE)
    z = cash.items[C.COUNTERPARTY_ID].to_numpy() == "Z"
    assert cash.never_paid_share()[z].min() == 1.0  # over a year overdue: never paid
    from forecasting.projection.forecast import aggregate
    projection = aggregate(cash)
    assert projection.summary.expected_bad_debt == pytest.approx(6000.0)
    assert projection.daily["receipts"].sum() == pytest.approx(0.0)


def test_recent_behaviour_weighs_more():
    rows = monthly_history("R", 30, 12, first_issue="2023-06-01", prefix="R-old")  # two years ago: 30 late
    rows += monthly_history("R", 0, 10, first_issue="2025-12-01", prefix="R-new")  # this year: on time
    short = fit_behaviour(make_ledger(rows), AS_OF, C.RECEIVABLE, BehaviourSettings(half_life_days=90))
    flat = fit_behaviour(make_ledger(rows), AS_OF, C.RECEIVABLE, BehaviourSettings(half_life_days=1e9))
    at_day_0 = -short.delay_grid_days[0]
    paid_on_time_short = 1 - short.survival([short.counterparty_rows["R"]])[0][at_day_0]
    paid_on_time_flat = 1 - flat.survival([flat.counterparty_rows["R"]])[0][at_day_0]
    assert paid_on_time_short > 0.85 > paid_on_time_flat


def test_partial_payments_leave_the_open_amount_and_pay_on_the_covering_date():
    rows = [invoice("I1", "A", "2026-09-01", "2026-10-01", 1000.0,
                    parts=[("2026-10-05", 400.0), ("2026-12-10", 600.0)])]
    ledger = make_ledger(rows)
    before = settle(ledger.receivables, ledger.payments, AS_OF).iloc[0]
    assert before[OPEN_AMOUNT] == pytest.approx(600.0) and before[C.STATUS] == "open"
    after = settle(ledger.receivables, ledger.payments, "2026-12-31").iloc[0]
    assert after[PAID_DATE] == pd.Timestamp("2026-12-10") and after[C.STATUS] == "paid"


def test_settling_arrow_text_ids_or_python_objects_gives_the_same_figures():
    # Two sources with the same invoice id, one invoice id twice in a source (paid together), a payment of an id no
    # invoice has, an invoice without an id: Arrow's lookup of the ids and pandas' factorising must agree.
    inv = pd.DataFrame({C.SOURCE: ["s1", "s2", "s1", "s1", "s1"], C.INVOICE_ID: ["I1", "I1", "I2", "I2", None],
                        C.COUNTERPARTY_ID: "A", C.ISSUE_DATE: pd.Timestamp("2026-09-01"),
                        C.DUE_DATE: pd.Timestamp("2026-10-01"), C.AMOUNT_TTC: [100.0, 200.0, 50.0, 50.0, 70.0],
                        C.DISPUTED: False, C.STATUS: "open"})
    pay = pd.DataFrame({C.SOURCE: ["s2", "s1", "s1", "s1", "s1", "s1"],
                        C.INVOICE_ID: ["I1", "I1", "I2", "I9", None, "I1"],
                        C.PAYMENT_DATE: pd.to_datetime(["2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05",
                                                        "2026-10-06", "2026-10-07"]),
                        C.AMOUNT: [200.0, 60.0, 50.0, 999.0, 70.0, 40.0]})
    text = [C.SOURCE, C.INVOICE_ID]
    arrow = settle(inv.astype({c: "str" for c in text}), pay.astype({c: "str" for c in text}), AS_OF)
    python = settle(inv.astype({c: object for c in text}), pay.astype({c: object for c in text}), AS_OF)
    assert isinstance(arrow[C.INVOICE_ID].dtype, pd.StringDtype)
    # s2/I1 paid on 2 Oct; s1/I1 covered by 60 + 40 on 7 Oct; the 50 paid on 4 Oct pairs with both s1/I2 rows, and
    # their key's sum counts it once per pair (main's figures: 100 each); the row without an id and the payment of
    # I9 match nothing.
    assert arrow[PAID_AMOUNT].tolist() == python[PAID_AMOUNT].tolist() == [100.0, 200.0, 100.0, 100.0, 0.0]
    expected = pd.to_datetime(["2026-10-07", "2026-10-02", "2026-10-04", "2026-10-04", None]).tolist()
    assert arrow[PAID_DATE].tolist() == python[PAID_DATE].tolist() == expected
    assert arrow[C.STATUS].tolist() == python[C.STATUS].tolist() == ["paid", "paid", "paid", "paid", "open"]


def test_known_at_hides_later_invoices_payments_and_write_offs():
    rows = [invoice("I1", "A", "2026-09-01", "2026-10-01", 1000.0, paid="2026-12-01"),
            invoice("I2", "A", "2026-12-01", "2026-12-31", 1000.0)]
    ledger = make_ledger(rows)
    ledger = type(ledger)(**{**ledger.__dict__, "receivables": ledger.receivables.assign(
        **{C.STATUS: ["paid", "written_off"]})})
    known = known_at(ledger, AS_OF)
    assert list(known.receivables[C.INVOICE_ID]) == ["I1"]
    assert list(known.receivables[C.STATUS]) == ["open"] and known.payments.empty


def test_settings_are_validated():
    with pytest.raises(InputError):
        BehaviourSettings(payables_policy="whenever")
