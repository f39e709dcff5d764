"""Tests of forecasting.projection.forecast: cash by day and week, worked out on paper, plus a demo smoke test."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.i18n.translate import localise
from forecasting.model.settings import BehaviourSettings
from forecasting.projection.forecast import aggregate, prepare, project
from forecasting.projection.opening import opening_at
from forecasting.projection.types import ProjectionSettings
from tests.fixtures.handmade import AS_OF, EXACT, counterparty, invoice, make_ledger, monthly_history


def _three_invoices() -> list[dict]:
    """Return clients A, B, C paying exactly 0, 10 and 20 days late, each with one open invoice."""
    rows = monthly_history("A", 0, 12, first_issue="2025-10-01")
    rows += monthly_history("B", 10, 12, first_issue="2025-10-01")
    rows += monthly_history("C", 20, 12, first_issue="2025-10-01")
    rows += [
        invoice("A-open", "A", "2026-10-26", "2026-11-25", 1000.0),  # paid Wed 25 Nov: week 1
        invoice("B-open", "B", "2026-10-25", "2026-11-24", 2000.0),  # +10 = Fri 4 Dec: week 2
        invoice("C-open", "C", "2026-10-19", "2026-11-18", 3000.0),  # 5 days overdue, +20 = Tue 8 Dec: week 3
    ]
    return rows


def _balances(main: float = 5000.0, ops: float = 1000.0, day: str = "2026-11-23") -> tuple[list, list]:
    """Return bank accounts (overdraft 2000 + 1000) and their balances on a day."""
    accounts = [{C.ACCOUNT_ID: "MAIN", C.NAME: "Main", C.BANK: "B1", C.CURRENCY: "EUR", C.OVERDRAFT_LIMIT: 2000.0},
                {C.ACCOUNT_ID: "OPS", C.NAME: "Ops", C.BANK: "B2", C.CURRENCY: "EUR", C.OVERDRAFT_LIMIT: 1000.0}]
    balances = [{C.ACCOUNT_ID: "MAIN", C.BALANCE_DATE: pd.Timestamp(day), C.BALANCE: main},
                {C.ACCOUNT_ID: "OPS", C.BALANCE_DATE: pd.Timestamp(day), C.BALANCE: ops}]
    return accounts, balances


def _flow(flow_id: str, category: str, amount: float, first: str, recurrence: str = "none",
          account: str | None = "MAIN", end: str | None = None) -> dict:
    """Return one planned flow row."""
    return {C.FLOW_ID: flow_id, C.LABEL: flow_id, C.CATEGORY: category, C.ACCOUNT_ID: account, C.AMOUNT: amount,
            C.CURRENCY: "EUR", C.FIRST_DATE: pd.Timestamp(first), C.RECURRENCE: recurrence,
            C.END_DATE: pd.Timestamp(end) if end else pd.NaT}


def test_three_invoices_weekly_receipts_worked_out_on_paper():
    projection = project(make_ledger(_three_invoices()), AS_OF, 13, EXACT)
    weekly = projection.weekly
    assert list(weekly["week_start"][:4]) == [pd.Timestamp(d) for d in ("2026-11-23", "2026-11-30", "2026-12-07",
                                                                        "2026-12-14")]
    np.testing.assert_allclose(weekly["receipts"][:4], [1000.0, 2000.0, 3000.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(weekly["receipts_p10"][:4], [1000.0, 2000.0, 3000.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(weekly["receipts_p90"][:4], [1000.0, 2000.0, 3000.0, 0.0], atol=1e-6)
    daily = projection.daily.set_index("date")
    assert daily.loc["2026-11-25", "receipts_open_invoices"] == pytest.approx(1000.0)
    assert daily.loc["2026-12-04", "receipts_open_invoices"] == pytest.approx(2000.0)
    assert daily.loc["2026-12-08", "receipts_open_invoices"] == pytest.approx(3000.0)
    assert weekly["closing_p50"].iloc[-1] == pytest.approx(6000.0)  # receipts only: opening 0


def test_expected_payment_on_christmas_lands_on_the_next_business_day():
    # Always pays on the due date, or the next business day when it is not one.
    rows = monthly_history("P", 0, 12, first_issue="2025-10-01", business_days=True)
    rows.append(invoice("P-xmas", "P", "2026-11-20", "2026-12-25", 700.0))  # due Friday 25 December
    daily = project(make_ledger(rows), AS_OF, 13, EXACT).daily.set_index("date")
    assert daily.loc["2026-12-25", "receipts"] == 0.0
    assert daily.loc["2026-12-28", "receipts"] == pytest.approx(700.0)  # Monday 28 December


def _full_ledger() -> Ledger:
    """Return a ledger with receivables, a payable, two bank accounts and planned flows."""
    accounts, balances = _balances()
    supplier = [invoice("F1", "S1", "2026-10-30", "2026-11-30", 1500.0, side=C.PAYABLE)]
    supplier += [invoice(f"F-h{i}", "S1", str((pd.Timestamp("2025-11-01") + pd.Timedelta(days=30 * i)).date()),
                         str((pd.Timestamp("2025-12-01") + pd.Timedelta(days=30 * i)).date()), 800.0,
                         paid=str((pd.Timestamp("2025-12-01") + pd.Timedelta(days=30 * i)).date()), side=C.PAYABLE)
                 for i in range(10)]
    flows = [_flow("PAY", "payroll", -6000.0, "2026-01-28", "monthly"),
             _flow("RENT", "rent", -900.0, "2026-10-01", "quarterly", account="OPS"),
             _flow("GRANT", "other", 2500.0, "2026-12-15")]
    cps = [counterparty(c) for c in "ABC"] + [counterparty("S1", kind=C.SUPPLIER)]
    return make_ledger(_three_invoices(), supplier, counterparties=cps, bank_accounts=accounts,
                       bank_balances=balances, planned_flows=flows)


def test_every_day_closing_is_opening_plus_receipts_minus_disbursements():
    projection = project(_full_ledger(), AS_OF, 13, EXACT)
    d = projection.daily
    np.testing.assert_allclose(d["closing_expected"], d["opening"] + d["receipts"] - d["disbursements"], atol=1e-6)
    np.testing.assert_allclose(d["opening"].iloc[1:], d["closing_expected"].iloc[:-1], atol=1e-6)
    assert d["opening"].iloc[0] == pytest.approx(6000.0)
    kinds = ["suppliers", "payroll", "social", "vat", "tax", "rent", "loan", "capex", "other"]
    np.testing.assert_allclose(d[kinds].sum(axis=1), d["disbursements"], atol=1e-6)
    receipts = ["receipts_open_invoices", "receipts_future_invoices", "receipts_other"]
    np.testing.assert_allclose(d[receipts].sum(axis=1), d["receipts"], atol=1e-6)
    # Payroll: 28 Nov (Sat) -> Mon 30 Nov, Mon 28 Dec, Thu 28 Jan; 28 Feb is past the horizon (21 Feb).
    assert d.set_index("date").loc["2026-11-30", "payroll"] == pytest.approx(6000.0)
    assert d["payroll"].sum() == pytest.approx(18000.0)
    assert d["rent"].sum() == pytest.approx(900.0) and d["receipts_other"].sum() == pytest.approx(2500.0)
    assert d["suppliers"].sum() == pytest.approx(1500.0)  # paid on its due date, Mon 30 Nov
    w = projection.weekly
    assert w["closing_expected"].iloc[-1] == pytest.approx(d["closing_expected"].iloc[-1])
    assert w["receipts"].sum() == pytest.approx(d["receipts"].sum())


def test_accounts_shortfall_and_overdraft_in_the_summary():
    projection = project(_full_ledger(), AS_OF, 13, EXACT)
    s = projection.summary
    assert s.opening_balance == 6000.0 and s.overdraft_limit == 3000.0
    # 30 Nov: 6000 + 1000 (A) - 6000 payroll - 1500 supplier = -500: first shortfall; the overdraft holds.
    assert s.first_shortfall_date == pd.Timestamp("2026-11-30")
    # ... +2000 +3000 +2500 -6000 (28 Dec) -900 (rent, 1 Jan is a holiday: Mon 4 Jan) = 100, then the
    # 28 January payroll takes it to -5900, below -3000: the overdraft is breached.
    assert s.first_overdraft_breach_date == pd.Timestamp("2027-01-28")
    assert s.min_cash == pytest.approx(-5900.0)
    assert s.min_cash == pytest.approx(projection.daily["closing_expected"].min())
    assert set(s.covers) == {"receipts", "supplier_payments", "planned_flows", "bank_balances"}
    acc = projection.accounts_daily
    per_day = acc.groupby("date")["closing_expected"].sum().to_numpy()
    np.testing.assert_allclose(per_day, projection.daily["closing_expected"], atol=1e-6)
    ops = acc[acc[C.ACCOUNT_ID] == "OPS"]
    assert ops["closing_expected"].iloc[-1] == pytest.approx(1000.0 - 900.0)  # only the rent is booked there


def test_receipts_only_ledger_forecasts_and_says_it_covers_receipts_only():
    projection = project(make_ledger(_three_invoices()), AS_OF, 13, EXACT)
    s = projection.summary
    assert s.covers == ("receipts",)
    assert s.opening_balance == 0.0 and s.opening_balance_date is None
    assert any("opening cash is 0" in note for note in s.notes)
    assert any("supplier" in note for note in s.notes) and any("payroll" in note for note in s.notes)
    assert projection.accounts_daily.empty


def test_stale_bank_balance_is_rolled_forward_with_known_payments():
    accounts, balances = _balances(day="2026-11-20")  # Friday
    rows = _three_invoices() + [invoice("A-x", "A", "2026-10-20", "2026-11-19", 400.0, paid="2026-11-23")]
    cash = prepare(make_ledger(rows, bank_accounts=accounts, bank_balances=balances), AS_OF, 13, EXACT)
    assert cash.opening_balance == pytest.approx(6400.0)
    assert any("rolled forward" in note for note in cash.notes)


def test_a_balance_of_the_last_business_day_needs_no_note_on_a_weekend():
    """Friday's balance viewed on Sunday is the current one: no note; viewed on Monday it is a day old: noted."""
    accounts, balances = _balances(day="2026-11-20")  # Friday
    ledger = make_ledger(_three_invoices(), bank_accounts=accounts, bank_balances=balances)
    sunday = prepare(ledger, date(2026, 11, 22), 4, EXACT)
    monday = prepare(ledger, date(2026, 11, 23), 4, EXACT)
    assert not any("older than as-of" in note for note in sunday.notes)
    assert any("older than as-of (from 2026-11-20)" in note for note in monday.notes)


def test_payables_policies_due_date_and_payment_run():
    rows = [invoice("F1", "S1", "2026-10-25", "2026-11-25", 100.0, side=C.PAYABLE)]  # due Wednesday
    for policy, expected in (("due_date", "2026-11-25"), ("payment_run", "2026-11-26")):  # run on Thursdays
        settings = ProjectionSettings(future_invoicing=False, behaviour=BehaviourSettings(payables_policy=policy))
        daily = project(make_ledger(payables=rows), AS_OF, 4, settings).daily.set_index("date")
        assert daily.loc[expected, "suppliers"] == pytest.approx(100.0)


def test_foreign_currency_uses_the_latest_rate_and_a_missing_rate_is_named():
    rows = monthly_history("A", 0, 12, first_issue="2025-10-01")
    rows.append(invoice("A-usd", "A", "2026-10-26", "2026-11-25", 1000.0, currency="USD"))
    rates = [{C.CURRENCY: "USD", C.RATE_DATE: pd.Timestamp("2026-11-20"), C.RATE: 0.9},
             {C.CURRENCY: "USD", C.RATE_DATE: pd.Timestamp("2026-11-24"), C.RATE: 2.0}]  # after as-of: unknown
    daily = project(make_ledger(rows, fx_rates=rates), AS_OF, 2, EXACT).daily.set_index("date")
    assert daily.loc["2026-11-25", "receipts"] == pytest.approx(900.0)
    with pytest.raises(InputError, match="USD"):
        project(make_ledger(rows), AS_OF, 2, EXACT)


@pytest.mark.parametrize("weeks", [0, 53])
def test_horizon_outside_1_to_52_weeks_is_refused(weeks):
    with pytest.raises(InputError, match="horizon"):
        project(make_ledger(_three_invoices()), AS_OF, weeks, EXACT)


def test_a_what_if_reuses_the_samples_without_refitting():
    cash = prepare(make_ledger(_three_invoices()), AS_OF, 52, EXACT)
    assert len(aggregate(cash).weekly) == 52
    without_c = cash.select((cash.items[C.COUNTERPARTY_ID] != "C").to_numpy())
    assert aggregate(without_c).weekly["receipts"].sum() == pytest.approx(3000.0)


def test_demo_projection_smoke(demo_ledger):
    cash = prepare(demo_ledger, date(2026, 11, 23), 13)
    start = time.perf_counter()
    projection = aggregate(cash)
    assert time.perf_counter() - start < 2.0  # generous: timings belong to bench/, this only catches blow-ups
    w, d, s = projection.weekly, projection.daily, projection.summary
    assert len(w) == 13 and not w.isna().any().any()
    assert (w["receipts_p10"] <= w["receipts_p50"] + 1e-6).all() and (w["receipts_p50"] <= w["receipts_p90"] + 1e-6).all()
    assert (w["closing_p10"] <= w["closing_p90"]).all()
    np.testing.assert_allclose(d["closing_expected"], d["opening"] + d["receipts"] - d["disbursements"], atol=1e-4)
    assert set(s.covers) == {"receipts", "supplier_payments", "planned_flows", "bank_balances"}
    assert s.expected_bad_debt > 0 and s.invoicing_forecast["receivable"] == "ets_seasonal_damped"
    weekly_sales = w["receipts_open_invoices"] + w["receipts_future_invoices"]
    assert 100_000 < weekly_sales.iloc[1:].mean() < 400_000  # ~12 M EUR a year of sales
    assert (cash.pay_day_offsets[(cash.items["kind"] == "open_invoice").to_numpy()] >= 1).all()


def _weekly_invoices(cp: str, amounts: tuple[float, ...], side: str, weeks: int = 60) -> list[dict]:
    """Return a counterparty's invoices every Monday from 29 Sep 2025 (amounts in turn), net 30, paid when due."""
    rows = []
    for week in range(weeks):
        issue = pd.Timestamp("2025-09-29") + pd.Timedelta(weeks=week)
        due = issue + pd.Timedelta(days=30)
        rows.append(invoice(f"{cp}-{week}", cp, str(issue.date()), str(due.date()), amounts[week % len(amounts)],
                            paid=str(due.date()) if due < AS_OF else None, side=side))
    return rows


def test_one_off_invoices_are_named_in_a_note_per_side():
    """Aciéries X's FF0001234 of 50,000,000 (its median 1000): one supplier one-off, named with its amount. On the
    client side two one-offs, the largest (A-BIG2, 9,000,000 of Alpha) named, in English and in French."""
    suppliers = _weekly_invoices("S1", (800.0, 1000.0, 1200.0), C.PAYABLE)
    suppliers += _weekly_invoices("S2", (2000.0,), C.PAYABLE)
    suppliers.append(invoice("FF0001234", "S1", "2026-11-02", "2026-12-02", 50_000_000.0, side=C.PAYABLE))
    clients = _weekly_invoices("A", (900.0, 1100.0), C.RECEIVABLE) + _weekly_invoices("B", (300.0,), C.RECEIVABLE)
    clients += [invoice("A-BIG1", "A", "2026-06-01", "2026-07-01", 5_000_000.0, paid="2026-07-01"),
                invoice("A-BIG2", "A", "2026-10-05", "2026-11-04", 9_000_000.0, paid="2026-11-04")]
    cps = [dict(counterparty("S1", kind=C.SUPPLIER), **{C.NAME: "Aciéries X"}), counterparty("S2", kind=C.SUPPLIER),
           dict(counterparty("A"), **{C.NAME: "Alpha"}), counterparty("B")]
    cash = prepare(make_ledger(clients, suppliers, counterparties=cps), AS_OF, 13, ProjectionSettings(n_sims=50))
    notes = [note for note in cash.notes if "one-off" in note]
    assert notes == [
        "2 client invoices treated as one-offs and left out of future invoicing, the largest A-BIG2 of Alpha, "
        "€9,000,000",
        "1 supplier invoice treated as a one-off and left out of future invoicing: FF0001234 of Aciéries X, "
        "€50,000,000",
    ]
    french = [localise(note, "fr") for note in notes]
    assert french[1] == ("1 facture fournisseur traitée comme exceptionnelle et exclue de la facturation future : "
                         "FF0001234 (Aciéries X), 50\u00a0000\u00a0000\u00a0€")
    assert french[0].startswith("2 factures clients traitées comme exceptionnelles")
    assert project(make_ledger(clients[:-2], suppliers[:-1], counterparties=cps), AS_OF, 13,
                   ProjectionSettings(n_sims=50)).summary.notes == tuple(n for n in cash.notes if "one-off" not in n)


def _assert_same_cash(a, b) -> None:
    """Assert two prepared forecasts are equal to the bit: items, draws, scales, future days, notes, methods."""
    pd.testing.assert_frame_equal(a.items, b.items)
    for name in ("pay_day_offsets", "amount_scales"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for name in ("weekday", "issue_by_day", "due_by_day"):
        np.testing.assert_array_equal(getattr(a.future_days, name), getattr(b.future_days, name))
    assert a.notes == b.notes and a.invoicing_methods == b.invoicing_methods
    for side in a.models:
        np.testing.assert_array_equal(a.models[side].cum_hazard, b.models[side].cum_hazard)
        pd.testing.assert_frame_equal(a.models[side].tuning, b.models[side].tuning)


@pytest.mark.parametrize("late_side", [C.RECEIVABLE, C.PAYABLE])
def test_a_helper_thread_gives_the_same_forecast_whichever_side_finishes_first(demo_ledger, monkeypatch, late_side):
    """The payables are fitted on the helper thread while the receivables are on the caller's; a 0.5 s pause in
    one side's fit makes that side finish last. The forecast equals the one-thread forecast to the bit."""
    settings = ProjectionSettings(n_sims=40)
    alone = prepare(demo_ledger, date(2026, 11, 23), 13, settings, threads=1)
    from forecasting.projection import side_jobs as module

    fitted_on: dict[str, str] = {}
    learn = module.learn_behaviour

    def slow_learn(invoices, payments, counterparties, as_of, side, *args, **kwargs):
        fitted_on[side] = threading.current_thread().name
        if side == late_side:
            time.sleep(0.5)
        return learn(invoices, payments, counterparties, as_of, side, *args, **kwargs)

    monkeypatch.setattr(module, "learn_behaviour", slow_learn)
    shared = prepare(demo_ledger, date(2026, 11, 23), 13, settings, threads=2)
    assert fitted_on[C.RECEIVABLE] == threading.current_thread().name != fitted_on[C.PAYABLE]
    _assert_same_cash(alone, shared)


def test_path_amounts_scale_only_the_items_whose_amount_varies_by_path():
    # Three items over two paths: row 0 keeps its amount, the second and third read scale rows 1 and 2.
    cash = prepare(make_ledger([invoice("F1", "C1", "2026-11-02", "2026-12-02", 100.0)]), AS_OF, 2,
                   ProjectionSettings(n_sims=10, future_invoicing=False))
    items = pd.DataFrame({C.AMOUNT: [100.0, 50.0, 10.0], "scale_row": [0, 1, 2]})
    scales = np.array([[1.0, 1.0], [0.5, 2.0], [0.0, 0.7]])
    cash = replace(cash, items=items, pay_day_offsets=np.ones((3, 2), np.int32), amount_scales=scales)
    assert cash.path_amounts().tolist() == [[100.0, 100.0], [25.0, 100.0], [0.0, 7.0]]
    assert cash.path_amounts([1.0, 2.0], np.array([0, 2])).tolist() == [[1.0, 1.0], [0.0, 1.4]]


def test_a_stale_balance_rolls_forward_with_cash_not_with_credit_notes() -> None:
    """MAIN held 5,000 on 16 November. Since: X (1,000) paid 700 by transfer on 18 Nov and credited 300 on 19 Nov;
    AV (a credit note of -50) settled by nothing but itself on 20 Nov. The opening at as-of is 5,000 + 700 = 5,700
    (the credit settlements used to move it by +300 - 50); OPS keeps its 1,000."""
    accounts, balances = _balances(day="2026-11-16")
    ledger = make_ledger([
        invoice("X", "A", "2026-10-16", "2026-11-15", 1000.0,
                parts=[("2026-11-18", 700.0), ("2026-11-19", 300.0, C.CREDIT_NOTE)]),
        invoice("AV", "A", "2026-11-20", "2026-11-20", -50.0, parts=[("2026-11-20", -50.0, C.CREDIT_NOTE)]),
    ], bank_accounts=accounts, bank_balances=balances)

    opening = opening_at(ledger, AS_OF)

    assert opening.accounts.set_index(C.ACCOUNT_ID)["opening_balance"].to_dict() == pytest.approx(
        {"MAIN": 5700.0, "OPS": 1000.0})
    assert opening.total == pytest.approx(6700.0)
