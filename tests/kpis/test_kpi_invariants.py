"""Property-based: the receivables and payables KPIs on generated small but messy ledgers (what a CFO relies on).

A generated ledger holds 1-10 clients and 0-6 suppliers, 1-8 invoices each over 30 days to 6 years before as-of
(as-of a Tuesday quarter-end, a Saturday, a Sunday month-end, a Monday, the year's last day, or 29 Feb 2028).
Invoices (some without a due date: due on receipt; some balances carried forward, dated 1 Jan) are open, paid in
full (early, on time, late, before their issue date), paid in parts in whole cents (in full or at least 10 % short;
some parts after as-of, which must not count), settled in part or alone by credit notes (C.CREDIT_NOTE parts), credit notes as negative invoices (open or refunded), zero amounts, disputed, written
off (some partly paid first), issued after as-of, in EUR or USD (a rate 400 days before as-of, one 3 days before, one
3 days after that must not be read); clients have a credit limit (in their currency) or none, one may be missing
from the counterparty table; the penalty policy is "open" or "open_and_paid_late". Hypothesis draws each party's
shape and a seed; the invoices come from the seed (`party_rows`), as in tests/projection/test_engine_invariants.py.

The expected figures are worked out from the ledger alone (`expected`): an invoice issued by as-of is covered when
the payments dated by as-of (cash and credit notes) reach its amount within a cent; a 'written_off' one not covered
is written off at as-of when its proxy date (due + doubtful_overdue_days + 1, capped at the ledger's last date,
kpis/base.py) is on or before as-of, else open; amounts in EUR at the latest rate on or before as-of. Checked:
1. kpi_summary never raises; every figure of its JSON is a finite number or None, and None (NaN) only where its
   denominator is not positive: DSO and BFR days without sales, DPO without purchases, the rates without
   receivables or without anything to collect, the turnover without receivables, the concentration without
   encours; the countback DSO only when receivables exceed a history of sales that is not positive;
2. open receivables (and payables) = the open amounts worked out from the ledger, to the cent; the aging buckets
   hold each open item once, in the bucket of its days overdue, count and amount, and add up to them; the
   month-end receivables at as-of are the receivables, and at each past month-end those the KPIs give at that date
   (one USD rate: month-ends are converted at the as-of rate by design); the encours per client, doubtful
   receivables, write-offs of the last 365 days (at their proxy date) and the collection rate are those worked out
   from the ledger; so is the payables' aging;
3. DSO countback is 0 when nothing is open (or the balance is a credit), never negative, and at most the days of
   history it walks (first invoice's month to as-of) when the receivables do not exceed that history's sales;
   adding an invoice paid by as-of, issued within the months of sales the countback walks, leaves the receivables
   unchanged and raises neither DSO (one issued before them may raise an extrapolated countback: more history); every amount x 2 gives the same DSO, DPO, rates and ratings and twice every amount (penalties: twice the
   interest, the same indemnities). Amounts are at least 1 EUR and short payments at least 10 % short, so that the
   cent of tolerance (settlement.COVER_TOLERANCE) never decides a case one way and its double the other;
4. penalties: exactly the late invoices worked out from the ledger (positive, open and overdue, or paid in cash
   after their due date within the lookback under open_and_paid_late; none time-barred, written off or paid on
   time), each with one 40 EUR indemnity and interest = rate x (open EUR x days overdue + each cash part x its days
   late) / 365: credited parts accrue nothing; interest >= 0 and, on one invoice, monotone in days late;
5. the dunning list is exactly the open invoices with a positive open amount past due, ranked 1..n by priority
   (then days overdue), with the level their days overdue and dispute give; the summary's dunning totals add up
   to them;
6. the same rows in another order give the same summary (to the cent), and so do payments dated after as-of (no
   later than the ledger's last date: see below) and an exchange rate after as-of;
7. BFR = inventory + receivables - payables, each part equal to its own KPI; BFR in days = BFR / daily sales;
8. the scorecard has one row per client (counterparty table and unknown ids invoiced), ratings in A-D and counted
   by the summary, share paid late in [0, 1], credit use >= 0 where the encours is, over limit exactly when the
   encours exceeds a positive limit; days to pay and share paid late are the cash-weighted figures worked out from
   the ledger and the rating the one their thresholds give (a notch down for a doubtful open item); collection
   rate in [0, 1]; top-10 concentration in (0, 1].

Not asserted, by design (each a documented choice, see the report and the tests at the end):
- a payment dated after as-of that moves the ledger's last date may move a write-off's proxy date past as-of, so a
  written-off invoice counts as open at as-of (kpis/base.py caps the proxy at the ledger's last date so that
  today's view matches the ledger's status): property 6 dates its extra payments no later than that date;
- overdue, doubtful rates and aging shares are within [0, 1] only without open credit notes (net balances);
  simple DSO is negative when the open balance is a credit, where countback says 0.
Found while writing property 4 for the leap-day as-of, fixed since in kpis/collection.py: a claim was time-barred
after 1 826 days, so one due 1 Mar 2023 was barred on its fifth anniversary (two 29 Febs in between) and one due
31 Mar 2021 was not; now after five calendar years. Property 1 failed once the ledgers held balances carried forward
(a FEC's opening entries, dated at the year's opening): they counted as sales and purchases of the period (DSO, DPO,
countback, BFR in days, bad-debt rate, turnover), fixed since in kpis/base.py and kpis/ratios.py. Property 2's
month-ends failed on a written-off invoice with a part recovered after its write-off date: the month-ends between
counted the recovered part as still owed (demo: up to 8 596 EUR at a month-end; average receivables 1 743 788 ->
1 741 801), fixed since in month_end_receivables_from. Each is pinned down by a test at the end, and property 6's
cap by a strict xfail.
The examples come from the loaded Hypothesis profile (tests/conftest.py: "ci" by default, derandomized and bounded).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.kpis import summary as K
from forecasting.kpis.base import PENALTIES_OPEN, PENALTIES_PAID_LATE_TOO, KpiSettings, kpi_basis
from forecasting.kpis.clients import RATINGS, aging_from, aging_labels, bucket_index, scorecard_from
from forecasting.kpis.collection import DUNNING_LEVELS, dunning_level, dunning_list_from, penalties_from
from forecasting.kpis.ratios import month_end_receivables_from, monthly_sales_newest_first
from tests.fixtures.handmade import every_amount_times, in_other_row_order, invoice, make_ledger

# A Tuesday quarter-end, a Saturday, a Sunday month-end, a Monday, the year's last day (a Thursday), a leap day.
AS_OFS = ("2026-03-31", "2026-05-30", "2026-05-31", "2026-11-23", "2026-12-31", "2028-02-29")
AMOUNTS = (1.0, 37.5, 980.0, 12_500.0, 250_000.0)
STYLES = ("on_time", "late", "early", "before_issue", "mixed", "very_late")
SPANS = (30, 200, 800, 2200)  # days of history before as-of; 2200: past the five-year time bar
USD_RATE = 0.92  # EUR for one USD at as-of; a later rate (after as-of) must not be read
CENT = 0.005  # "to the cent": half a cent either way


@dataclass(frozen=True)
class Party:
    """One counterparty's invoicing, drawn by Hypothesis; its invoices come from `seed` (see `party_rows`)."""

    side: str
    cp: str
    n_invoices: int
    span_days: int
    base: float
    style: str
    currency: str
    credit_limit: float
    seed: int


@dataclass(frozen=True)
class Spec:
    """A generated ledger: as-of, parties, whether one client is missing from the table, and the KPI settings."""

    as_of: pd.Timestamp
    parties: tuple[Party, ...]
    drop_counterparty: bool
    settings: KpiSettings


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    """Return a messy ledger's description: 1-10 clients and 0-6 suppliers, 1-8 invoices each."""
    as_of = pd.Timestamp(draw(st.sampled_from(AS_OFS)))
    parties = []
    for side, most in ((C.RECEIVABLE, 10), (C.PAYABLE, 6)):
        for k in range(draw(st.integers(1 if side == C.RECEIVABLE else 0, most))):
            base = draw(st.sampled_from(AMOUNTS))
            parties.append(Party(
                side=side, cp=f"{'C' if side == C.RECEIVABLE else 'S'}{k:02d}", n_invoices=draw(st.integers(1, 8)),
                span_days=draw(st.sampled_from(SPANS)), base=base, style=draw(st.sampled_from(STYLES)),
                currency=draw(st.sampled_from(["EUR", "EUR", "USD"])),
                credit_limit=draw(st.sampled_from([0.0, base, base * 5])), seed=draw(st.integers(0, 2**16))))
    settings = KpiSettings(
        penalty_policy=draw(st.sampled_from([PENALTIES_OPEN, PENALTIES_PAID_LATE_TOO])),
        inventory_eur=draw(st.sampled_from([0.0, 5_000.0])), period_days=draw(st.sampled_from([91, 365])))
    return Spec(as_of, tuple(parties), draw(st.integers(0, 4)) == 0, settings)


def _day(ts: pd.Timestamp) -> str:
    """Return a timestamp as an ISO day."""
    return str(ts.date())


def party_rows(p: Party, as_of: pd.Timestamp) -> list[dict[str, Any]]:
    """Return a party's invoice rows (handmade.invoice), every odd shape drawn from its seed."""
    rng = random.Random(p.seed)
    rows: list[dict[str, Any]] = []
    for i in range(p.n_invoices):
        issue = as_of - pd.Timedelta(days=rng.randint(0, p.span_days))
        if rng.random() < 0.06:  # issued after as-of: the ledger is read as of as-of, it must not be seen
            issue = as_of + pd.Timedelta(days=rng.randint(1, 20))
        terms = rng.choice([0, 30, 45, 60])
        due = issue + pd.Timedelta(days=terms)
        amount = max(1.0, round(p.base * rng.uniform(0.5, 1.5), 2))
        roll = rng.random()
        if roll < 0.03:
            amount = 0.0
        elif roll < 0.15:
            amount = -amount  # a credit note issued as an invoice of its own
        delay = {"on_time": 0, "late": rng.randint(1, 60), "early": -rng.randint(1, 20),
                 "before_issue": -(terms + rng.randint(1, 10)), "mixed": rng.randint(-30, 120),
                 "very_late": rng.randint(100, 700)}[p.style]
        paid_day = due + pd.Timedelta(days=delay)
        carried = rng.random() < 0.06
        if carried:  # a balance carried forward (a FEC's opening entry): dated at the year's opening
            issue = due = pd.Timestamp(f"{as_of.year}-01-01")
        row = invoice(f"{p.cp}-{i}", p.cp, _day(issue), _day(due), amount, disputed=rng.random() < 0.1,
                      side=p.side, currency=p.currency, carried=carried)
        if rng.random() < 0.04:  # no due date: due on receipt (DOMAIN.md)
            row[C.DUE_DATE] = pd.NaT
        how = rng.choice(["open", "paid", "paid", "parts", "parts", "credited", "written_off"])
        sign, cents = (-1 if amount < 0 else 1), round(abs(amount) * 100)
        if how == "paid":
            row["_parts"] = [(_day(paid_day), amount)]
            row[C.STATUS] = "paid"
        elif how == "parts":  # in whole cents: what is left open is exact
            paid = cents if rng.random() < 0.6 else int(cents * rng.uniform(0.1, 0.9))  # in full, or >= 10 % short
            cuts = sorted(rng.randint(0, paid) for _ in range(rng.randint(1, 2)))
            bounds = [0, *cuts, paid]
            parts = []
            day = paid_day
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
                if hi > lo:
                    parts.append((_day(day), sign * (hi - lo) / 100, C.CREDIT_NOTE if rng.random() < 0.3 else C.CASH))
                day += pd.Timedelta(days=rng.randint(0, 60))  # some after as-of: not paid yet at as-of
            row["_parts"] = parts
        elif how == "credited":  # settled by a credit note alone: no cash, never paid late
            row["_parts"] = [(_day(paid_day), amount, C.CREDIT_NOTE)]
        elif how == "written_off":
            row[C.STATUS] = "written_off"
            if cents >= 10 and rng.random() < 0.4:  # a part paid before the loss was booked, or recovered after it
                row["_parts"] = [(_day(due + pd.Timedelta(days=rng.choice([0, 150]))), sign * (cents // 3) / 100)]
        rows.append(row)
    return rows


def fx_rows(as_of: pd.Timestamp) -> list[dict[str, Any]]:
    """Return USD rates 400 and 3 days before as-of and 3 days after it (never to be read at as-of)."""
    return [{C.CURRENCY: "USD", C.RATE_DATE: as_of - pd.Timedelta(days=400), C.RATE: 0.8},
            {C.CURRENCY: "USD", C.RATE_DATE: as_of - pd.Timedelta(days=3), C.RATE: USD_RATE},
            {C.CURRENCY: "USD", C.RATE_DATE: as_of + pd.Timedelta(days=3), C.RATE: 5.0}]


def build(spec: Spec, order_seed: int | None = None) -> Ledger:
    """Return the ledger of a spec, its rows shuffled by `order_seed` (None: as generated)."""
    rows = {side: [r for p in spec.parties if p.side == side for r in party_rows(p, spec.as_of)] for side in C.SIDES}
    cps = [{C.COUNTERPARTY_ID: p.cp, C.KIND: C.KIND_OF_SIDE[p.side], C.NAME: p.cp.title(), C.SEGMENT: "SME",
            C.TERMS: "net 30", C.CREDIT_LIMIT: p.credit_limit, C.CURRENCY: p.currency, C.ENTITY: "E"}
           for p in spec.parties]
    if spec.drop_counterparty:
        cps = cps[1:]  # a client invoiced but missing from the table
    ledger = make_ledger(rows[C.RECEIVABLE], rows[C.PAYABLE], cps, fx_rates=fx_rows(spec.as_of))
    return ledger if order_seed is None else in_other_row_order(ledger, order_seed)


# --- what a correct implementation must give, worked out from the ledger alone ------------------------------------
def last_date(ledger: Ledger) -> pd.Timestamp:
    """Return the latest issue or payment date of the ledger (its 'today', which caps a write-off's proxy date)."""
    return pd.Timestamp(pd.to_datetime(pd.concat([ledger.receivables[C.ISSUE_DATE], ledger.payables[C.ISSUE_DATE],
                                                  ledger.payments[C.PAYMENT_DATE]])).max())


def expected(ledger: Ledger, side: str, as_of: pd.Timestamp, settings: KpiSettings) -> pd.DataFrame:
    """Return per invoice issued by as-of: state (open/paid/written_off), amount and open EUR, days overdue, its
    cash date (the last cash part by the day it was covered; NaT: open or no cash) and the EUR x days late of its
    cash parts dated by as-of. Written from the ledger's definitions, not from the KPI code."""
    pay = ledger.payments_of(side)
    pay = pay[pd.to_datetime(pay[C.PAYMENT_DATE]) <= as_of]
    snapshot = last_date(ledger)
    out = []
    for d in ledger.invoices(side).to_dict("records"):
        issue, due = pd.Timestamp(d[C.ISSUE_DATE]), pd.Timestamp(d[C.DUE_DATE])
        due = issue if pd.isna(due) else due  # no due date: due on receipt
        if issue > as_of:
            continue
        rate = USD_RATE if d[C.CURRENCY] == "USD" else 1.0
        amount = float(d[C.AMOUNT_TTC])
        parts = pay[pay[C.INVOICE_ID] == d[C.INVOICE_ID]].sort_values(C.PAYMENT_DATE, kind="stable")
        sign = 1.0 if amount >= 0 else -1.0
        cumulative = parts[C.AMOUNT].astype(float).cumsum() * sign
        covering = parts[cumulative.to_numpy() >= abs(amount) - 0.01]
        covered = len(covering) > 0
        paid_on = pd.Timestamp(covering[C.PAYMENT_DATE].iloc[0]) if covered else pd.NaT
        cash = parts[parts[C.SETTLED_BY] != C.CREDIT_NOTE]
        credited = float(parts.loc[parts[C.SETTLED_BY] == C.CREDIT_NOTE, C.AMOUNT].astype(float).sum())
        cash_days = pd.to_datetime(cash[C.PAYMENT_DATE])
        cash_date = cash_days[cash_days <= paid_on].max() if covered and (cash_days <= paid_on).any() else pd.NaT
        late_days = (cash_days - due).dt.days.clip(lower=0).to_numpy(float)
        write_off_on = min(due + pd.Timedelta(days=settings.doubtful_overdue_days + 1), snapshot)
        if covered:
            state = "paid"
        elif d[C.STATUS] == "written_off" and write_off_on <= as_of:
            state = "written_off"
        else:
            state = "open"
        open_eur = 0.0 if covered else (amount - float(parts[C.AMOUNT].astype(float).sum())) * rate
        out.append({C.INVOICE_ID: d[C.INVOICE_ID], C.COUNTERPARTY_ID: d[C.COUNTERPARTY_ID], "state": state,
                    "issue": issue, "due": due, "amount_eur": amount * rate, "open_eur": open_eur,
                    "days_overdue": (as_of - due).days, "disputed": bool(d[C.DISPUTED]), "cash_date": cash_date,
                    "carried": bool(d[C.CARRIED_FORWARD]), "credited_eur": credited * rate,
                    "cash_eur_days": float((cash[C.AMOUNT].astype(float).to_numpy() * rate * late_days).sum())})
    columns = [C.INVOICE_ID, C.COUNTERPARTY_ID, "state", "issue", "due", "amount_eur", "open_eur", "days_overdue",
               "disputed", "cash_date", "carried", "credited_eur", "cash_eur_days"]
    return pd.DataFrame(out, columns=columns).set_index(C.INVOICE_ID, drop=False)


def open_items_of(exp: pd.DataFrame) -> pd.DataFrame:
    """Return the expected open items: open at as-of, more than half a cent open (credit notes included)."""
    return exp[(exp["state"] == "open") & (exp["open_eur"].abs() > CENT)]


def fifth_anniversary(due: pd.Timestamp) -> pd.Timestamp:
    """Return the last day a claim due on `due` is not time-barred: five years on (28 Feb for a 29 Feb)."""
    leap = due.month == 2 and due.day == 29
    return due.replace(year=due.year + 5, day=28 if leap else due.day)


def late_invoices(exp: pd.DataFrame, as_of: pd.Timestamp, settings: KpiSettings) -> pd.DataFrame:
    """Return the expected late invoices owed to us, with their interest (EUR)."""
    claimable = (exp["amount_eur"] > 0) & (exp["due"].map(fifth_anniversary) >= as_of)
    open_late = (exp["state"] == "open") & (exp["open_eur"] > CENT) & (exp["days_overdue"] > 0)
    lookback = as_of - pd.Timedelta(days=settings.penalty_lookback_days)
    paid_late = ((exp["state"] == "paid") & (exp["cash_date"] > exp["due"]) & (exp["cash_date"] > lookback)
                 & (settings.penalty_policy == PENALTIES_PAID_LATE_TOO))
    late = exp[claimable & (open_late | paid_late)].copy()
    open_days = np.where(late["state"] == "open", late["open_eur"] * late["days_overdue"], 0.0)
    late["interest_eur"] = K.penalty_rate(settings) * (late["cash_eur_days"] + open_days) / 365
    return late


def numbers(value: Any, path: str = "") -> dict[str, Any]:
    """Return every leaf of a JSON value by its path."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in numbers(item, f"{path}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in numbers(item, f"{path}/{i}").items()}
    return {path: value}


def assert_same_summary(got: dict[str, Any], want: dict[str, Any], why: str) -> None:
    """Assert two summaries' JSON hold the same leaves: numbers to the cent (1e-9 relative), the rest equal."""
    a, b = numbers(got), numbers(want)
    assert a.keys() == b.keys(), why
    for key, x in a.items():
        y = b[key]
        if isinstance(x, float) or isinstance(y, float):
            assert x is not None and y is not None, f"{why}: {key} {x} vs {y}"
            assert math.isclose(x, y, rel_tol=1e-9, abs_tol=CENT), f"{why}: {key} {x} vs {y}"
        else:
            assert x == y, f"{why}: {key} {x} vs {y}"


# --- the properties ------------------------------------------------------------------------------------------------
@given(specs())
def test_the_summary_is_finite_or_undefined_for_a_stated_reason_and_adds_up_to_the_ledger(spec: Spec) -> None:
    """Properties 1, 2, 3 (DSO bounds), 7 and 8 on one generated ledger."""
    ledger, as_of, settings = build(spec), spec.as_of, spec.settings
    summary = K.kpi_summary(ledger, as_of.date(), settings)
    js: dict[str, Any] = dict(summary.to_dict())
    for key, value in numbers(js).items():
        assert value is None or isinstance(value, (bool, str)) or math.isfinite(value), key
    rec, pay = expected(ledger, C.RECEIVABLE, as_of, settings), expected(ledger, C.PAYABLE, as_of, settings)
    open_rec, open_pay = open_items_of(rec), open_items_of(pay)
    receivables, payables = float(open_rec["open_eur"].sum()), float(open_pay["open_eur"].sum())
    # 2. open receivables and payables, from the ledger alone
    assert summary.dso.receivables_eur == pytest.approx(receivables, abs=CENT)
    assert summary.payables_eur == pytest.approx(payables, abs=CENT)
    # 2. aging: each open item once, in the bucket of its days overdue
    labels = aging_labels(settings.aging_buckets_days)
    bucket = np.asarray(labels, dtype=object)[bucket_index(open_rec["days_overdue"].to_numpy(),
                                                           settings.aging_buckets_days)]
    want = open_rec.assign(bucket=bucket).groupby("bucket")["open_eur"].agg(["size", "sum"]).reindex(labels,
                                                                                                      fill_value=0)
    basis = kpi_basis(ledger, as_of.date(), settings)
    aged = aging_from(basis, settings).set_index("bucket")
    assert aged["count"].tolist() == want["size"].astype(int).tolist()
    np.testing.assert_allclose(aged["amount_eur"], want["sum"].astype(float), atol=CENT)
    assert aged["count"].sum() == len(open_rec)
    assert sum(summary.aging.amount_eur.values()) == pytest.approx(receivables, abs=CENT)
    overdue = float(open_rec.loc[open_rec["days_overdue"] > 0, "open_eur"].sum())
    assert summary.aging.overdue_eur == pytest.approx(overdue, abs=CENT)
    assert month_end_receivables_from(basis).iloc[-1] == pytest.approx(receivables, abs=CENT)
    # 1. NaN only where the denominator is not positive
    # a balance carried forward (a FEC's opening entry) is no sale or purchase of the period
    sold, bought = rec[~rec["carried"].astype(bool)], pay[~pay["carried"].astype(bool)]
    sales_period = float(sold.loc[sold["issue"] > as_of - pd.Timedelta(days=settings.period_days), "amount_eur"].sum())
    sales_365 = float(sold.loc[sold["issue"] > as_of - pd.Timedelta(days=365), "amount_eur"].sum())
    purchases = float(bought.loc[bought["issue"] > as_of - pd.Timedelta(days=settings.period_days), "amount_eur"].sum())
    undefined = {"dso_simple_days": sales_period <= 0, "dpo_days": purchases <= 0, "bfr_days_of_sales": sales_365 <= 0,
                 "overdue_rate": receivables <= 0, "doubtful_rate": receivables <= 0, "bad_debt_rate": sales_365 <= 0,
                 "receivables_turnover": js["average_receivables_eur"] <= 0,
                 "top10_concentration": js["clients_with_encours"] == 0}
    undefined["cash_conversion_cycle_days"] = undefined["dso_simple_days"] or undefined["dpo_days"]
    for key, none in undefined.items():
        assert (js[key] is None) == none, f"{key}: {js[key]}"
    assert summary.dso.sales_ttc_period_eur == pytest.approx(sales_period, abs=CENT)
    # 3. countback: 0 without receivables, never negative, within the history walked when sales cover it
    countback = summary.dso.dso_countback_days
    history_days = (as_of - sold["issue"].min().to_period("M").to_timestamp()).days + 1 if len(sold) else as_of.day
    if receivables <= 0:
        assert countback == 0.0
    elif receivables <= float(sold["amount_eur"].sum()) + CENT:
        assert 0.0 <= countback <= history_days + 1e-9
    else:  # more owed than ever invoiced (refunded credit notes): extrapolated, undefined without sales
        assert countback >= 0.0 or (math.isnan(countback) and float(sold["amount_eur"].sum()) <= 0)
    # 7. BFR, each part its own KPI
    capital = summary.working_capital
    assert capital.trade_receivables_eur == summary.dso.receivables_eur
    assert capital.trade_payables_eur == summary.payables_eur
    assert capital.bfr_eur == pytest.approx(settings.inventory_eur + receivables - payables, abs=2 * CENT)
    if sales_365 > 0:
        assert capital.bfr_days_of_sales == pytest.approx(capital.bfr_eur / (sales_365 / 365), rel=1e-9, abs=1e-9)
    # 8. the scorecard
    card = scorecard_from(basis, settings)
    clients = {p.cp for p in spec.parties if p.side == C.RECEIVABLE}
    assert set(card[C.COUNTERPARTY_ID]) == clients and len(card) == len(clients)
    assert set(card["rating"]) <= set(RATINGS)
    assert sum(summary.ratings.counts.values()) == len(card)
    late_share = card["share_paid_late"].dropna()
    assert ((late_share >= 0) & (late_share <= 1)).all()
    use = card.loc[card["encours_eur"] >= 0, "credit_use"].dropna()
    assert (use >= 0).all()
    limit = card["credit_limit_eur"]
    assert card["over_limit"].tolist() == ((limit > 0) & (card["encours_eur"] > limit)).tolist()
    if js["collection_rate"] is not None:
        assert 0.0 <= js["collection_rate"] <= 1.0
    if js["top10_concentration"] is not None:
        assert 0.0 < js["top10_concentration"] <= 1.0 + 1e-12
    if not (open_rec["open_eur"] < 0).any() and receivables > 0:  # net balances: see the module's docstring
        assert 0.0 <= js["overdue_rate"] <= 1.0 + 1e-12
        assert 0.0 <= js["doubtful_rate"] <= 1.0 + 1e-12


@given(specs())
def test_penalties_and_the_dunning_list_are_exactly_the_late_invoices_worked_out_from_the_ledger(spec: Spec) -> None:
    """Properties 4 and 5."""
    ledger, as_of, settings = build(spec), spec.as_of, spec.settings
    basis = kpi_basis(ledger, as_of.date(), settings)
    rec = expected(ledger, C.RECEIVABLE, as_of, settings)
    late = late_invoices(rec, as_of, settings)
    got = penalties_from(basis, settings).set_index(C.INVOICE_ID)
    assert sorted(got.index) == sorted(late.index)
    assert (got["indemnity_eur"] == settings.recovery_indemnity_eur).all()
    assert (got["interest_eur"] >= 0).all() and (got["days_late"] > 0).all()
    np.testing.assert_allclose(got["interest_eur"].reindex(late.index), late["interest_eur"], rtol=1e-9, atol=1e-6)
    totals = K.kpi_summary(ledger, as_of.date(), settings).penalties
    assert totals.indemnity_eur == pytest.approx(settings.recovery_indemnity_eur * len(late))
    assert totals.penalty_eur == pytest.approx(totals.interest_eur + totals.indemnity_eur)
    # 5. the dunning list
    dunning = dunning_list_from(basis, settings)
    due = rec[(rec["state"] == "open") & (rec["open_eur"] > CENT) & (rec["days_overdue"] > 0)]
    assert sorted(dunning[C.INVOICE_ID]) == sorted(due.index)
    assert dunning["rank"].tolist() == list(range(1, len(dunning) + 1))
    order = list(zip(dunning["priority_eur"], dunning["days_overdue"], strict=True))
    assert order == sorted(order, reverse=True)
    rows = due.loc[dunning[C.INVOICE_ID]]
    np.testing.assert_allclose(dunning["open_eur"], rows["open_eur"], atol=CENT)
    assert dunning["level"].tolist() == dunning_level(rows["days_overdue"], rows["disputed"], settings).tolist()
    summary = K.kpi_summary(ledger, as_of.date(), settings)
    assert sum(t.invoices for t in summary.dunning.values()) == len(due)
    assert sum(t.open_eur for t in summary.dunning.values()) == pytest.approx(float(due["open_eur"].sum()), abs=CENT)
    assert list(summary.dunning) == list(DUNNING_LEVELS)


@given(specs(), st.integers(0, 1000))
def test_the_same_rows_in_another_order_give_the_same_summary(spec: Spec, order_seed: int) -> None:
    """Property 6: row order of invoices, payments, counterparties and rates changes nothing, to the cent."""
    want = K.kpi_summary(build(spec), spec.as_of.date(), spec.settings).to_dict()
    got = K.kpi_summary(build(spec, order_seed), spec.as_of.date(), spec.settings).to_dict()
    assert_same_summary(got, want, "rows reordered")


@given(specs(), st.data())
def test_payments_and_rates_dated_after_as_of_change_no_kpi_at_as_of(spec: Spec, data: st.DataObject) -> None:
    """Property 6: payments after as-of (no later than the ledger's last date) and a later rate change nothing."""
    ledger, as_of = build(spec), spec.as_of
    want = K.kpi_summary(ledger, as_of.date(), spec.settings).to_dict()
    latest = last_date(ledger)
    rec = ledger.receivables
    ids = rec[C.INVOICE_ID].tolist() + ledger.payables[C.INVOICE_ID].tolist()
    extra = []
    if latest > as_of:
        for k in range(data.draw(st.integers(1, 6))):
            inv_id = data.draw(st.sampled_from(ids))
            side = C.RECEIVABLE if inv_id in set(rec[C.INVOICE_ID]) else C.PAYABLE
            day = as_of + pd.Timedelta(days=data.draw(st.integers(1, (latest - as_of).days)))
            amount = float(ledger.invoices(side).set_index(C.INVOICE_ID).loc[inv_id, C.AMOUNT_TTC])
            extra.append({C.SOURCE: "test", C.SIDE: side, C.PAYMENT_ID: f"late-{k}", C.INVOICE_ID: inv_id,
                          C.PAYMENT_DATE: day, C.AMOUNT: amount,
                          C.SETTLED_BY: data.draw(st.sampled_from([C.CASH, C.CREDIT_NOTE]))})
    rate = {C.CURRENCY: "USD", C.RATE_DATE: as_of + pd.Timedelta(days=1), C.RATE: 7.0}
    later = replace(ledger, payments=pd.concat([ledger.payments, pd.DataFrame(extra, columns=ledger.payments.columns)],
                                               ignore_index=True) if extra else ledger.payments,
                    fx_rates=pd.concat([ledger.fx_rates, pd.DataFrame([rate])], ignore_index=True))
    assert_same_summary(K.kpi_summary(later, as_of.date(), spec.settings).to_dict(), want, "after as-of")


@given(specs(), st.data())
def test_an_invoice_paid_by_as_of_leaves_receivables_alone_and_raises_no_dso(spec: Spec, data: st.DataObject) -> None:
    """Property 3: a paid invoice issued within the history adds sales, never receivables or days."""
    ledger, as_of, settings = build(spec), spec.as_of, spec.settings
    before = K.kpi_summary(ledger, as_of.date(), settings).dso
    rec = ledger.receivables
    # within the months the countback walks (a carried balance is no sale: it starts none); one before them adds
    # months, and a countback extrapolated past a short history may then grow (46.5 -> 90 days on 3 EUR owed)
    sold = rec[(pd.to_datetime(rec[C.ISSUE_DATE]) <= as_of) & ~rec[C.CARRIED_FORWARD].astype(bool)]
    first = pd.to_datetime(sold[C.ISSUE_DATE]).min()
    if pd.isna(first):
        first = as_of
    issue = first + pd.Timedelta(days=data.draw(st.integers(0, (as_of - first).days)))
    paid = issue + pd.Timedelta(days=data.draw(st.integers(0, (as_of - issue).days)))
    amount = data.draw(st.sampled_from([1.0, 480.0, 90_000.0]))
    row = invoice("extra-paid", data.draw(st.sampled_from(sorted(set(rec[C.COUNTERPARTY_ID])))), _day(issue),
                  _day(issue + pd.Timedelta(days=30)), amount, paid=_day(paid))
    extra = make_ledger([row])
    more = replace(ledger, receivables=pd.concat([rec, extra.receivables], ignore_index=True),
                   payments=pd.concat([ledger.payments, extra.payments], ignore_index=True))
    after = K.kpi_summary(more, as_of.date(), settings).dso
    assert after.receivables_eur == pytest.approx(before.receivables_eur, abs=CENT)
    assert after.dso_countback_days <= before.dso_countback_days + 1e-9 or math.isnan(before.dso_countback_days)
    if before.receivables_eur >= 0 and before.sales_ttc_period_eur > 0:
        assert after.dso_simple_days <= before.dso_simple_days + 1e-9


@given(specs())
def test_every_amount_times_two_gives_the_same_days_and_ratios_and_twice_the_money(spec: Spec) -> None:
    """Property 3: DSO, DPO, rates, ratings are scale-free; amounts double; indemnities stay 40 EUR an invoice."""
    ledger, as_of, settings = build(spec), spec.as_of, spec.settings
    one = K.kpi_summary(ledger, as_of.date(), settings)
    doubled = replace(settings, inventory_eur=2 * settings.inventory_eur)  # the stock is money too
    two = K.kpi_summary(every_amount_times(ledger, 2.0), as_of.date(), doubled)
    a, b = numbers(one.to_dict()), numbers(two.to_dict())
    money = {k for k in a if k.endswith("_eur") and not k.startswith("/settings/")} | {
        k for k in a if k.startswith("/aging_eur") or (k.startswith("/dunning/") and k.endswith("open_eur"))}
    money -= {"/penalties/indemnity_eur", "/penalties/penalty_eur"}
    for key, x in a.items():
        y = b[key]
        if key in money and isinstance(x, float):
            assert y == pytest.approx(2 * x, rel=1e-9, abs=2 * CENT), key
        elif key == "/penalties/penalty_eur":
            assert y == pytest.approx(2 * one.penalties.interest_eur + one.penalties.indemnity_eur, rel=1e-9, abs=1e-6)
        elif key == "/settings/inventory_eur":
            assert y == 2 * x
        elif isinstance(x, float):
            assert y is not None and y == pytest.approx(x, rel=1e-9, abs=1e-9), key
        else:
            assert x == y, key


@given(st.sampled_from(AS_OFS), st.integers(1, 3_000), st.integers(1, 400), st.integers(1, 400),
       st.sampled_from([1.0, 733.33, 250_000.0]), st.booleans())
def test_the_interest_on_one_late_invoice_grows_with_its_days_late(as_of_text: str, days: int, more: int,
                                                                     paid_part_days: int, amount: float,
                                                                     part: bool) -> None:
    """Property 4: one invoice, as-of later: interest never falls; time-barred past five years from its due date."""
    as_of = pd.Timestamp(as_of_text)
    due = as_of - pd.Timedelta(days=days)
    parts = [(_day(due + pd.Timedelta(days=min(paid_part_days, days))), round(amount / 3, 2))] if part else []
    ledger = make_ledger([invoice("I", "c", _day(due - pd.Timedelta(days=30)), _day(due), amount, parts=parts)])
    settings = KpiSettings()
    rows = [penalties_from(kpi_basis(ledger, d.date(), settings), settings)
            for d in (as_of, as_of + pd.Timedelta(days=more))]
    for row, day in zip(rows, (as_of, as_of + pd.Timedelta(days=more)), strict=True):
        assert len(row) == (1 if day <= fifth_anniversary(due) else 0)
    if len(rows[1]):
        assert rows[1]["interest_eur"].iloc[0] >= rows[0]["interest_eur"].iloc[0] > 0


def test_month_sales_used_by_countback_cover_every_invoice() -> None:
    """The countback walks every month from the first invoice's to as-of's, the current one for its elapsed days."""
    ledger = make_ledger([invoice("a", "c", "2027-12-15", "2028-01-14", 100.0),
                          invoice("b", "c", "2028-02-29", "2028-03-30", 50.0)])
    sales, days = monthly_sales_newest_first(kpi_basis(ledger, date(2028, 2, 29)))
    assert sales.tolist() == [50.0, 0.0, 100.0]
    assert days.tolist() == [29, 31, 31]


@given(specs())
def test_the_receivables_at_each_past_month_end_are_those_the_kpis_give_at_that_date(spec: Spec) -> None:
    """Property 2: the month-end receivables rebuilt at as-of are the receivables kpi_basis gives at each month-end.

    One USD rate for all dates: the month-ends are converted at the as-of rate by design (kpis/base.py).
    """
    ledger, as_of, settings = build(spec), spec.as_of, spec.settings
    ledger = replace(ledger, fx_rates=pd.DataFrame([{C.CURRENCY: "USD", C.RATE_DATE: pd.Timestamp("2015-01-01"),
                                                     C.RATE: USD_RATE}]))
    series = month_end_receivables_from(kpi_basis(ledger, as_of.date(), settings))
    for day, value in zip(pd.DatetimeIndex(series.index), series.to_numpy(float), strict=True):
        at = kpi_basis(ledger, day.date(), settings)
        want = float(at.receivables.loc[(at.receivables[C.STATUS] == "open")
                                        & (at.receivables["open_eur"].abs() > CENT), "open_eur"].sum())
        assert value == pytest.approx(want, abs=CENT), f"{day.date()}: {value} vs {want}"


@pytest.mark.parametrize(("due", "anniversary"), [("2021-03-31", "2026-03-31"), ("2023-03-01", "2028-03-01")])
def test_a_claim_is_time_barred_the_day_after_its_fifth_anniversary_however_many_leap_days(due: str,
                                                                                          anniversary: str) -> None:
    """Found writing property 4 for the leap-day as-of: five years were 1 826 days, so a claim due 1 Mar 2023 (two
    29 Febs before 1 Mar 2028: 1 827 days) was barred on its fifth anniversary, one due 31 Mar 2021 (one: 1 826 days)
    not (collection.py's docstring: barred when due *more* than five years before as-of)."""
    ledger = make_ledger([invoice("I", "c", "2020-01-01", due, 1000.0)])
    settings = KpiSettings()
    on, after = pd.Timestamp(anniversary), pd.Timestamp(anniversary) + pd.Timedelta(days=1)
    assert len(penalties_from(kpi_basis(ledger, on.date(), settings), settings)) == 1  # five years: not more
    assert len(penalties_from(kpi_basis(ledger, after.date(), settings), settings)) == 0


@given(specs())
def test_encours_doubtful_write_offs_collection_and_the_payables_aging_add_up_to_the_ledger(spec: Spec) -> None:
    """Properties 2, 5 and 8, the rest of the summary: per-client encours, doubtful, written off, collection rate."""
    ledger, as_of, settings = build(spec), spec.as_of, spec.settings
    basis = kpi_basis(ledger, as_of.date(), settings)
    summary = K.kpi_summary(ledger, as_of.date(), settings)
    rec = expected(ledger, C.RECEIVABLE, as_of, settings)
    open_rec = open_items_of(rec)
    # encours per client: its open items; the scorecard shows the same
    per_client = open_rec.groupby(C.COUNTERPARTY_ID)["open_eur"].sum()
    card = scorecard_from(basis, settings).set_index(C.COUNTERPARTY_ID)
    np.testing.assert_allclose(card["encours_eur"].reindex(per_client.index), per_client, atol=CENT)
    assert (card.drop(index=per_client.index)["encours_eur"] == 0).all()
    positive = per_client[per_client > 0]
    assert summary.encours.clients_with_encours == len(positive)
    if len(positive):
        assert summary.encours.average_encours_per_client_eur == pytest.approx(positive.mean(), abs=CENT)
        assert summary.encours.top10_concentration == pytest.approx(positive.nlargest(10).sum() / positive.sum())
    # payment behaviour: invoices of positive amount settled with cash in the last 365 days (not carried balances),
    # weighted by their part to pay in cash; ratings from the days to pay, one notch down for a doubtful open item
    paid = rec[(rec["state"] == "paid") & (rec["amount_eur"] > 0) & ~rec["carried"].astype(bool)
               & (rec["cash_date"] > as_of - pd.Timedelta(days=365))]
    weight = paid["amount_eur"] - paid["credited_eur"]
    to_pay = (paid["cash_date"] - paid["issue"]).dt.days
    behaviour = pd.DataFrame({"w": weight, "wd": weight * to_pay, "late": (paid["cash_date"] > paid["due"]).astype(int),
                              "n": 1, C.COUNTERPARTY_ID: paid[C.COUNTERPARTY_ID]}).groupby(C.COUNTERPARTY_ID).sum()
    np.testing.assert_allclose(card.loc[behaviour.index, "avg_days_to_pay"], behaviour["wd"] / behaviour["w"],
                               rtol=1e-9)
    np.testing.assert_allclose(card.loc[behaviour.index, "share_paid_late"], behaviour["late"] / behaviour["n"])
    doubtful_any = open_rec[(open_rec["open_eur"] > 0) & (open_rec["disputed"] | (open_rec["days_overdue"]
                                                                                  > settings.doubtful_overdue_days))]
    ratings = card["rating"]
    for cp, days in zip(behaviour.index.astype(str), (behaviour["wd"] / behaviour["w"]).to_numpy(float), strict=True):
        notch = sum(days > limit for limit in settings.rating_thresholds_days)
        notch = min(notch + int(cp in set(doubtful_any[C.COUNTERPARTY_ID])), 3)
        assert ratings[cp] == "ABCD"[notch], cp
    # doubtful: open, positive, disputed or overdue more than doubtful_overdue_days
    doubtful = open_rec[(open_rec["open_eur"] > 0)
                        & (open_rec["disputed"] | (open_rec["days_overdue"] > settings.doubtful_overdue_days))]
    assert summary.rates.doubtful_receivables_eur == pytest.approx(float(doubtful["open_eur"].sum()), abs=CENT)
    # written off in the last 365 days: its proxy date (due + 91, capped at the ledger's last date) within them
    doubtful_from = rec["due"] + pd.Timedelta(days=settings.doubtful_overdue_days + 1)
    proxy = doubtful_from.where(doubtful_from <= last_date(ledger), last_date(ledger))
    lost = rec[(rec["state"] == "written_off") & (proxy > as_of - pd.Timedelta(days=365))]
    assert summary.rates.written_off_365d_eur == pytest.approx(float(lost["open_eur"].sum()), abs=CENT)
    # the dunning list's claimable penalties are the penalties of its invoices
    dunning = dunning_list_from(basis, settings).set_index(C.INVOICE_ID)
    claims = penalties_from(basis, settings).set_index(C.INVOICE_ID)["penalty_eur"]
    np.testing.assert_allclose(dunning["claimable_penalty_eur"], claims.reindex(dunning.index), atol=1e-9)
    # the payables' aging holds the open payables once each
    pay = open_items_of(expected(ledger, C.PAYABLE, as_of, settings))
    aged = aging_from(basis, settings, side=C.PAYABLE)
    assert aged["count"].sum() == len(pay)
    assert aged["amount_eur"].sum() == pytest.approx(float(pay["open_eur"].sum()), abs=CENT)
    # collection rate: of the positive invoices due in the period, cash by as-of (capped) / amount less credit notes
    due = rec[(rec["days_overdue"] >= 0) & (rec["days_overdue"] < settings.period_days) & (rec["amount_eur"] > 0)]
    pays = ledger.payments_of(C.RECEIVABLE)
    pays = pays[(pd.to_datetime(pays[C.PAYMENT_DATE]) <= as_of) & pays[C.INVOICE_ID].isin(due.index)]
    rate = due["amount_eur"] / ledger.receivables.set_index(C.INVOICE_ID).loc[due.index, C.AMOUNT_TTC].astype(float)
    by_kind = pays.assign(credit=pays[C.SETTLED_BY] == C.CREDIT_NOTE).groupby([C.INVOICE_ID, "credit"])[C.AMOUNT].sum()
    credited = by_kind.xs(True, level="credit").reindex(due.index, fill_value=0.0) if len(by_kind) and \
        True in by_kind.index.get_level_values("credit") else pd.Series(0.0, index=due.index)
    cash = by_kind.xs(False, level="credit").reindex(due.index, fill_value=0.0) if len(by_kind) and \
        False in by_kind.index.get_level_values("credit") else pd.Series(0.0, index=due.index)
    to_collect = (due["amount_eur"] - credited * rate).clip(lower=0)
    collected = np.minimum((cash * rate).clip(lower=0), to_collect)
    want = collected.sum() / to_collect.sum() if to_collect.sum() > 0 else float("nan")
    assert summary.rates.collection_rate == pytest.approx(want, rel=1e-9, abs=1e-12, nan_ok=True)


@pytest.mark.xfail(strict=True, reason="a write-off carries no date: kpis/base.py dates it due + 91 days capped at the "
                   "ledger's last date, so a payment after as-of that moves that date moves the write-off past as-of")
def test_a_payment_after_as_of_changes_no_write_off_at_as_of_when_the_ledger_ended_at_as_of() -> None:
    """Property 6 without its cap: on a ledger ending on 31 Mar 2026, W (due 1 Mar, written off) is written off at
    31 Mar (its proxy date, 31 May, capped at 31 Mar); a payment of another invoice on 10 Apr moves the cap to 10 Apr,
    and W is open at 31 Mar: receivables 1 000 -> 1 500, written off 500 -> 0. Which is right is not in the ledger
    (when was W written off?); fixing it needs a write-off date in the data, not a rule here."""
    rows = [written_off_row("W", "2026-02-01", "2026-03-01", 500.0), invoice("A", "c", "2026-03-01", "2026-03-31", 1000.0)]
    ledger = make_ledger(rows)
    later = make_ledger(rows[:1] + [invoice("A", "c", "2026-03-01", "2026-03-31", 1000.0, paid="2026-04-10")])
    assert_same_summary(K.kpi_summary(later, date(2026, 3, 31)).to_dict(),
                        K.kpi_summary(ledger, date(2026, 3, 31)).to_dict(), "payment after as-of")


def written_off_row(inv_id: str, issue: str, due: str, amount: float) -> dict[str, Any]:
    """Return an invoice row the ledger says is written off."""
    return {**invoice(inv_id, "c", issue, due, amount), C.STATUS: "written_off"}


def test_a_balance_carried_forward_is_no_sale_of_the_period() -> None:
    """Found by property 1 once the ledgers held balances carried forward: the 2 000 still owed when the year opened
    (a FEC's opening entry, dated 1 Jan) counted as sales of the quarter, so DSO at 31 Mar read 2 500 / 5 000 x 91 =
    45.5 days for 2 500 / 3 000 x 91 = 75.8, DPO 1 200 / 1 200 x 91 = 91 days for 273; the countback walked January as
    3 500 of sales."""
    ledger = make_ledger([
        invoice("AN", "c", "2026-01-01", "2026-01-01", 2000.0, carried=True, paid="2026-02-10"),
        invoice("F1", "c", "2026-01-20", "2026-02-19", 1000.0, paid="2026-03-01"),
        invoice("F2", "c", "2026-02-15", "2026-03-17", 1000.0),
        invoice("F3", "c", "2026-03-15", "2026-04-14", 1000.0),
        invoice("OLD", "c", "2026-01-01", "2026-01-01", 500.0, carried=True),
    ], [invoice("SAN", "s", "2026-01-01", "2026-01-01", 800.0, carried=True, side=C.PAYABLE),
        invoice("P1", "s", "2026-02-01", "2026-03-03", 400.0, side=C.PAYABLE)])
    figures = K.kpi_summary(ledger, date(2026, 3, 31)).to_dict()
    assert figures["receivables_eur"] == 2500.0  # still owed: F2, F3 and the carried 500
    assert figures["sales_ttc_period_eur"] == 3000.0
    assert figures["dso_simple_days"] == pytest.approx(2500 / 3000 * 91)
    assert figures["sales_ttc_365d_eur"] == pytest.approx(3000.0)
    assert figures["dpo_days"] == pytest.approx(1200 / 400 * 91)
    # countback: March 1 000 (31 d), February 1 000 (28 d), then 500 of January's 1 000 (was 500 of 3 500: 63.4 d)
    assert figures["dso_countback_days"] == pytest.approx(31 + 28 + 500 / 1000 * 31)


def test_a_part_recovered_after_a_write_off_does_not_bring_the_invoice_back_at_past_month_ends() -> None:
    """W (1 000, due 1 Jan 2026, written off: dated 2 Apr) recovered 300 on 1 May: at 30 Apr the month-end receivables
    read 1 000 - 700 (the loss at as-of) = 300 where the KPIs at 30 Apr say 0 (W written off); now the write-off
    removes what was open on its date and the recovery, after it, is no longer owed twice."""
    lost = {**invoice("W", "c", "2025-12-02", "2026-01-01", 1000.0, parts=[("2026-05-01", 300.0)]),
            C.STATUS: "written_off"}
    ledger = make_ledger([lost, invoice("A", "c", "2026-06-01", "2026-07-01", 100.0)])
    series = month_end_receivables_from(kpi_basis(ledger, date(2026, 6, 30)))
    assert series[pd.Timestamp("2026-03-31")] == 1000.0  # W not written off yet (due + 91 days = 2 Apr)
    assert series[pd.Timestamp("2026-04-30")] == 0.0
    assert series[pd.Timestamp("2026-05-31")] == 0.0
    assert series[pd.Timestamp("2026-06-30")] == 100.0
    assert K.kpi_summary(ledger, date(2026, 6, 30)).rates.written_off_365d_eur == 700.0  # the loss net of recovery
