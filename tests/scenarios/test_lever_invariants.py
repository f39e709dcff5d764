"""Property-based: every What-if lever moves cash and BFR in the direction, and by the size, a treasurer expects.

A generated book holds 1-10 clients and 1-10 suppliers, each with eight paid monthly invoices (its learned delay),
0-3 open invoices (some overdue, some disputed, some part-settled in cash or by a credit note), sometimes a paid
credit note and an open one (negative, on receipt); it is projected over 13 weeks either deterministically (EXACT:
no future invoicing, no noise) or with 16 noisy paths and future invoicing. Levers get values anywhere in their
valid ranges, edges included (0 days, a year, 0 %, 100 %). Checked, on the same prepared items (built once per book):
1. Any scenario (1-4 levers): nothing raises; every day closes at opening + receipts − disbursements and opens at
   the day before's closing; P10 <= P50 <= P90 (daily closing, weekly closing and receipts); BFR = inventory +
   receivables − payables; the delta is scenario − baseline; the waterfall's bars add up from the baseline to the
   scenario, net cash and BFR, to the cent.
2. Neutral levers give the baseline to the cent (daily frame and weekly BFR): supplier delay 0 days, factoring of
   0 %, supplier discount taken by nobody, a sales change of 0 % (receipts untouched), any lever starting after the
   horizon (client terms, collection effort, factoring of future invoices only), a one-off flow outside the
   horizon. An early-payment discount nobody takes is exactly its net-N client terms (its non-takers' terms).
3. Direction and size, per draw and in expected cash by day. Credit notes apart: an open credit note is a negative
   receipt (payment), so a lever that pays it later RAISES cumulative receipts (lowers disbursements) as long as it
   waits; the cumulative checks therefore sum invoices (positive rows) only, and the per-draw checks say every row,
   credit notes included, moves the same way.
   - client terms: longer terms (net N2 >= N1) never pay any row earlier, so never raise cumulative receipts on any
     day; the net cash at the horizon falls with N (N1 <= N2 <= N3: monotone);
   - supplier terms: paying d2 >= d1 days later never pays any row earlier; cumulative disbursements never rise;
     d >= 0 against the baseline keeps at least as much cash on every day;
   - collection effort: more effort (delay more negative, larger lateness cut, same ramp) never pays a row later,
     and an effort that only shortens (delay <= 0) never pays a row later than the baseline;
   - client default: the defaulting clients' receipts never rise and fall by at most their open invoices (plus
     their future invoices when invoicing them stops); other clients' receipts are untouched; bad debt never falls
     (unless invoicing them stops: their future invoices' bad debt goes too). Their open credit notes stay owed and
     paid as forecast (no set-off assumed): a default never shows as a gain (it did once, found here: a client owed
     only a credit note of 600 lowered the expected bad debt by 600 and raised the receipts);
   - factoring: the reported fees are service_fee_rate × share × the assigned TTC (open client invoices not due and
     not disputed, future ones issued in the horizon, each on the paths where it is still unpaid on the assignment
     day: found here, an open invoice paid on 23 Dec was sold on 24 Dec when factoring started then, its money a
     day later and its fee charged) and the financing lies between 0 and rate × the advance ×
     horizon / 360 (never a credit note: it is owed to the client); net cash at the horizon is never below the baseline minus those costs, and equals it when every
     assigned invoice is paid inside the horizon on every path (the advance and the reserve add up to the invoice).
     Without costs, factoring never delays cash: cumulative receipts on every day >= the baseline's.
   - activity: sales × (1 + a) scales the future invoicing receipts by (1 + a) on every day and leaves open
     invoices, suppliers and planned flows alone (likewise purchases);
   - discounts: the cost of a discount offered (the gain of one taken) is d × take-up × what the takers pay inside
     the horizon (future invoices issued from the start, paid D days after issue), never below 0;
   - one-off flow inside the horizon: net cash at horizon moves by its amount, BFR by nothing (one dated on a
     weekend or holiday whose business day is after the horizon: nothing, and a warning says so).
4. BFR: longer client terms never lower receivables (so BFR) at any week end, longer supplier terms never lower
   payables (BFR never rises) - invoices only again (a credit note settled later does the opposite).
5. Order-free: a scenario's levers in any order give the same figures to the bit (apply_levers sorts them by
   ORDER, then broadest scope first, then their JSON text: two levers of one kind, even contradicting each other,
   give one result; it did not, found here: three client-terms levers for every client, net 0, 0 and 1, gave net
   1 in one order and net 0 in the other). Applied by hand in both orders, levers that touch different rows or commute on the same rows give the same
   figures to the cent: activity with any timing lever (scaling amounts and moving days commute), a client-side
   lever with a supplier-side one, a one-off flow with anything. Those that do NOT commute, hence the fixed ORDER:
   factoring and discounts after terms or activity (they split rows and price the fee, the financing and the
   discount on the amounts and days they find), collection effort and client terms on the same invoices (the
   lateness cut is measured from the due date terms move), collection effort and a client default (an effort that
   starts earlier pulls payments out of the defaulted period), two levers with starting dates that floor payments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.terms import NET, Terms
from forecasting.projection.forecast import aggregate, prepare
from forecasting.projection.items import KIND_FUTURE, KIND_OPEN
from forecasting.projection.types import CashItems, ProjectionSettings
from forecasting.scenarios.apply import apply_levers
from forecasting.scenarios.compare import Baseline, ScenarioSettings, baseline_of, bfr_weekly, compare
from forecasting.scenarios.compare import context_from_ledger as context_of
from forecasting.scenarios.financing import EarlyPaymentDiscount, Factoring, SupplierDiscount
from forecasting.scenarios.flows import FLOW_CATEGORIES, Activity, ClientDefault, OneOffFlow
from forecasting.scenarios.registry import Lever
from forecasting.scenarios.results import ScenarioResult
from forecasting.scenarios.scenario import Scenario
from forecasting.scenarios.scope import Scope
from forecasting.scenarios.timing import ClientTerms, CollectionEffort, SupplierTerms
from forecasting.scenarios.waterfall import waterfall
from forecasting.scenarios.work import SETTLED, ScenarioContext, Work, with_settlement
from tests.fixtures.handmade import AS_OF, EXACT, counterparty, invoice, make_ledger, monthly_history

CENT = 0.005
NOISY = ProjectionSettings(n_sims=16)
HORIZON_WEEKS = 13
Array = npt.NDArray[Any]


# --- generated books ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Open:
    """One open invoice: issued `age` days before as-of, due `terms` days later; part-settled or not."""

    age: int
    terms: int
    amount: int
    disputed: bool
    part: str  # "", "cash" or "credit": a third already settled that way


@dataclass(frozen=True)
class Party:
    """A client or supplier: its usual delay, invoice size, open invoices and credit notes."""

    delay: int
    jitter: int
    amount: int
    opens: tuple[Open, ...]
    paid_credit: bool
    open_credit: int  # 0: none; else the age in days of an open credit note
    credit_days: int = 0  # its terms: 0 on receipt (due on issue), or net 30 (due after as-of when recent)


@dataclass(frozen=True)
class Book:
    """A generated ledger (hashable: the prepared items are cached per book) and how it is projected."""

    clients: tuple[Party, ...]
    suppliers: tuple[Party, ...]
    noisy: bool


def _opens() -> st.SearchStrategy[Open]:
    """Return open invoices: up to four months old, overdue or not, disputed or not, part-settled or not."""
    return st.builds(Open, age=st.integers(0, 120), terms=st.sampled_from([0, 30, 45, 60]),
                     amount=st.sampled_from([250, 1000, 4000, 12_500]), disputed=st.booleans(),
                     part=st.sampled_from(["", "", "cash", "credit"]))


def _parties() -> st.SearchStrategy[Party]:
    """Return counterparties paying from 5 days early to 45 days late, with their open invoices and credit notes."""
    return st.builds(Party, delay=st.integers(-5, 45), jitter=st.integers(0, 6),
                     amount=st.sampled_from([500, 1000, 3000]), opens=st.lists(_opens(), max_size=3).map(tuple),
                     paid_credit=st.booleans(), open_credit=st.sampled_from([0, 0, 1, 20]),
                     credit_days=st.sampled_from([0, 30]))


books = st.builds(Book, clients=st.lists(_parties(), min_size=1, max_size=10).map(tuple),
                  suppliers=st.lists(_parties(), min_size=1, max_size=10).map(tuple), noisy=st.booleans())


def _party_rows(party: Party, cp: str, side: str) -> list[dict[str, Any]]:
    """Return a party's invoices: history, open ones and credit notes, on its side."""
    delays = [party.delay + (k * 5 % (2 * party.jitter + 1)) - party.jitter for k in range(4)]
    rows = monthly_history(cp, delays, 8, first_issue="2026-02-01", amount=float(party.amount))
    for k, o in enumerate(party.opens):
        issue = AS_OF - pd.Timedelta(days=o.age)
        due = issue + pd.Timedelta(days=o.terms)
        third = round(o.amount / 3, 2)
        parts = [] if not o.part else [(str(issue.date()), third, C.CASH if o.part == "cash" else C.CREDIT_NOTE)]
        rows.append(invoice(f"{cp}-o{k}", cp, str(issue.date()), str(due.date()), float(o.amount),
                            disputed=o.disputed, parts=parts, terms=f"net {o.terms}"))
    if party.paid_credit:
        day = str((AS_OF - pd.Timedelta(days=50)).date())
        rows.append(invoice(f"{cp}-cn", cp, day, day, -0.3 * party.amount, paid=day, terms="on receipt"))
    if party.open_credit:
        issued = AS_OF - pd.Timedelta(days=party.open_credit)
        due_day = str((issued + pd.Timedelta(days=party.credit_days)).date())
        rows.append(invoice(f"{cp}-ocn", cp, str(issued.date()), due_day, -0.2 * party.amount,
                            terms=f"net {party.credit_days}" if party.credit_days else "on receipt"))
    for row in rows:
        row[C.SIDE] = side
    return rows


def ledger_of(book: Book) -> Ledger:
    """Return the book's ledger."""
    receivables = [r for i, p in enumerate(book.clients) for r in _party_rows(p, f"C{i}", C.RECEIVABLE)]
    payables = [r for i, p in enumerate(book.suppliers) for r in _party_rows(p, f"S{i}", C.PAYABLE)]
    cps = [counterparty(f"C{i}", segment="SME" if i % 2 else "KEY") for i in range(len(book.clients))]
    cps += [counterparty(f"S{i}", kind=C.SUPPLIER, terms="45 days end of month") for i in range(len(book.suppliers))]
    return make_ledger(receivables, payables=payables, counterparties=cps)


@dataclass(frozen=True, eq=False)
class Prepared:
    """A book's prepared items, scenario context and baseline (built once per book)."""

    book: Book
    cash: CashItems
    context: ScenarioContext
    baseline: Baseline

    @property
    def clients(self) -> list[str]:
        """Return the clients' ids."""
        return [f"C{i}" for i in range(len(self.book.clients))]


@functools.lru_cache(maxsize=64)
def prepared(book: Book) -> Prepared:
    """Return the book's prepared items and baseline (fitted once: every lever reuses them)."""
    ledger = ledger_of(book)
    cash = prepare(ledger, AS_OF, HORIZON_WEEKS, NOISY if book.noisy else EXACT)
    context = context_of(ledger, AS_OF)
    return Prepared(book, cash, context, baseline_of(cash, context))


# --- lever strategies (valid ranges, edges included) --------------------------------------------------
starts = st.one_of(st.none(), st.integers(-10, 100).map(lambda d: (AS_OF + pd.Timedelta(days=d)).date()))
net_terms = st.one_of(st.integers(0, 120), st.sampled_from([0, 365, 3650])).map(lambda n: Terms(NET, n))
any_terms = st.one_of(net_terms, st.sampled_from([Terms("eom", 30), Terms("eom", 45), Terms("receipt", 0)]))
shares = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))
year_days = st.one_of(st.sampled_from([-365, 0, 365]), st.integers(-60, 120))


def _client_scope(draw: Callable[[st.SearchStrategy[Any]], Any], n_clients: int) -> Scope:
    """Return a scope of clients: all, a segment (maybe one nobody is in) or up to three of them."""
    kind = draw(st.sampled_from(["all", "segment", "counterparties"]))
    if kind == "segment":
        return Scope("segment", (draw(st.sampled_from(["SME", "KEY", "none"])),))
    if kind == "counterparties":
        ids = draw(st.lists(st.integers(0, n_clients - 1), min_size=1, max_size=3, unique=True))
        return Scope("counterparties", tuple(f"C{i}" for i in ids))
    return Scope()


KINDS = ("ct", "st", "ce", "epd", "sd", "fac", "act", "def", "one")


@st.composite
def levers(draw: st.DrawFn, n_clients: int, kinds: Sequence[str] = KINDS) -> Lever:
    """Return a lever of one of the kinds (ct: client terms, st: supplier terms, ... one: one-off flow), valid values."""
    kind = draw(st.sampled_from(kinds))
    start = draw(starts)
    if kind == "ct":
        return ClientTerms(scope=_client_scope(draw, n_clients), start=start, terms=draw(any_terms),
                           apply_to_open=draw(st.booleans()))
    if kind == "st":
        if draw(st.booleans()):
            return SupplierTerms(start=start, delay_change_days=draw(year_days))
        return SupplierTerms(start=start, terms=draw(any_terms), apply_to_open=draw(st.booleans()))
    if kind == "ce":
        delay, share = draw(year_days), draw(shares)
        if delay == 0 and share == 0:
            delay = -5
        return CollectionEffort(scope=_client_scope(draw, n_clients), start=start, delay_change_days=delay,
                                lateness_reduction_share=share, ramp_weeks=draw(st.sampled_from([0, 1, 8, 52])))
    if kind in ("epd", "sd"):
        rate = draw(st.sampled_from([0.001, 0.02, 0.5]))
        days = draw(st.sampled_from([0, 10, 364]))
        if kind == "sd":
            return SupplierDiscount(start=start, discount_rate=rate, discount_days=days, take_up_share=draw(shares))
        return EarlyPaymentDiscount(scope=_client_scope(draw, n_clients), start=start, discount_rate=rate,
                                    discount_days=days, net_days=draw(st.integers(days + 1, 365)),
                                    take_up_share=draw(shares))
    if kind == "fac":
        return Factoring(scope=_client_scope(draw, n_clients), start=start, share=draw(shares),
                         advance_rate=draw(shares), service_fee_rate=draw(st.sampled_from([0.0, 0.005, 0.1])),
                         financing_rate=draw(st.sampled_from([0.0, 0.05, 0.5])), include_open=draw(st.booleans()))
    if kind == "act":
        sales, purchases = draw(st.sampled_from([-100.0, 0.0, 25.0, 1000.0])), draw(st.sampled_from([-100.0, 0.0, 10.0]))
        return Activity(start=start, sales_change_pct=sales, purchases_change_pct=purchases or (0.0 if sales else 5.0))
    if kind == "def":
        scope = _client_scope(draw, n_clients)
        return ClientDefault(scope=scope if scope.kind != "all" else Scope("counterparties", ("C0",)), start=start,
                             stop_sales=draw(st.booleans()))
    day = (AS_OF + pd.Timedelta(days=draw(st.integers(-10, 120)))).date()
    return OneOffFlow(date=day, amount=draw(st.sampled_from([-1e6, -0.01, 250.0])),
                      category=draw(st.sampled_from(FLOW_CATEGORIES)))


# --- measuring ------------------------------------------------------------------------------------------
def _apply(p: Prepared, *chosen: Lever) -> CashItems:
    """Return the book's items with the levers applied (in ORDER)."""
    return apply_levers(p.cash, chosen, p.context).cash


def _compare(p: Prepared, *chosen: Lever) -> ScenarioResult:
    """Return the comparison of the levers with the book's baseline."""
    return compare(p.cash, Scenario("property", tuple(chosen)), p.context, baseline=p.baseline)


def _cumulative(cash: CashItems, rows: Array) -> Array:
    """Return the expected cumulative cash of the rows by day 1..n_days (signed: receipts +, payments −)."""
    n_days, n_sims = cash.n_days, cash.pay_day_offsets.shape[1]
    out = np.zeros(n_days + 2)
    if len(rows):
        pay = np.clip(cash.pay_day_offsets[rows], 0, n_days + 1)
        np.add.at(out, pay, cash.path_amounts(rows=rows))
    cumulative: Array = np.cumsum(out[1:n_days + 1]) / n_sims
    return cumulative


def _rows(cash: CashItems, side: str, *, positive: bool | None = None, ids: Sequence[str] | None = None) -> Array:
    """Return the rows of a side's invoices (amount > 0 for receivables, < 0 for payables when positive)."""
    items = cash.items
    mask = (items[C.SIDE] == side).to_numpy() & items["kind"].isin([KIND_OPEN, KIND_FUTURE]).to_numpy()
    if positive is not None:
        invoice_sign = np.sign(items[C.AMOUNT].to_numpy(dtype=float)) * (1 if side == C.RECEIVABLE else -1)
        mask &= (invoice_sign > 0) if positive else (invoice_sign < 0)
    if ids is not None:
        mask &= items[C.COUNTERPARTY_ID].isin(list(ids)).to_numpy()
    return np.flatnonzero(mask)


def _open_credit_notes(cash: CashItems) -> Array:
    """Return the rows of open credit notes, both sides (negative receivables, positive payables)."""
    return np.sort(np.r_[_rows(cash, C.RECEIVABLE, positive=False), _rows(cash, C.PAYABLE, positive=False)])


def _same_days(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Assert two daily (or weekly) frames hold the same numbers to the cent."""
    numeric = [c for c in a.columns if pd.api.types.is_numeric_dtype(a[c])]
    np.testing.assert_allclose(a[numeric].to_numpy(dtype=float), b[numeric].to_numpy(dtype=float), rtol=0, atol=CENT)


def _same_as_baseline(p: Prepared, cash: CashItems) -> None:
    """Assert scenario items give the baseline's daily cash and weekly BFR to the cent."""
    _same_days(aggregate(cash).daily, p.baseline.projection.daily)
    _same_days(bfr_weekly(cash, p.context.daily_sales_ttc_eur), p.baseline.bfr)


def _no_earlier(later: Array, earlier: Array) -> None:
    """Assert no draw of `later` is paid before its draw in `earlier` (NEVER stays NEVER)."""
    bad = np.argwhere(later < earlier)
    assert not len(bad), f"{len(bad)} draws paid earlier, e.g. row {bad[0][0]}: {later[tuple(bad[0])]} < " \
                         f"{earlier[tuple(bad[0])]}"


# --- 1. any scenario; 7. waterfall ---------------------------------------------------------------------
@given(data=st.data(), book=books)
def test_any_scenario_keeps_its_books_and_its_waterfall_adds_up(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    chosen = data.draw(st.lists(levers(len(book.clients)), min_size=1, max_size=4))
    scenario = Scenario("property", tuple(chosen))
    settings = ScenarioSettings(inventory_eur=data.draw(st.sampled_from([0.0, 5000.0])))
    result = compare(p.cash, scenario, p.context, settings)
    for frame in (result.scenario.daily, result.scenario.weekly):
        np.testing.assert_allclose(frame["closing_expected"], frame["opening"] + frame["receipts"]
                                   - frame["disbursements"], rtol=0, atol=1e-6)
        assert (frame["closing_p10"] <= frame["closing_p50"] + 1e-6).all()
        assert (frame["closing_p50"] <= frame["closing_p90"] + 1e-6).all()
    daily = result.scenario.daily
    np.testing.assert_allclose(daily["opening"].iloc[1:], daily["closing_expected"].iloc[:-1], rtol=0, atol=1e-6)
    weekly = result.scenario.weekly
    assert (weekly["receipts_p10"] <= weekly["receipts_p50"] + 1e-6).all()
    assert (weekly["receipts_p50"] <= weekly["receipts_p90"] + 1e-6).all()
    bfr = result.bfr_scenario
    np.testing.assert_allclose(bfr["bfr_eur"], settings.inventory_eur + bfr["receivables_eur"] - bfr["payables_eur"],
                               rtol=0, atol=1e-6)
    assert result.delta.net_cash_at_horizon == pytest.approx(
        daily["closing_expected"].iloc[-1] - result.baseline.daily["closing_expected"].iloc[-1], abs=1e-6)
    # Any order of the file: the same figures, to the bit.
    shuffled = compare(p.cash, Scenario("property", tuple(reversed(chosen))), p.context, settings)
    assert shuffled.delta == result.delta
    fall = waterfall(p.cash, scenario, result, p.context, settings)
    assert fall.baseline_net_cash_eur + sum(s.net_cash_eur for s in fall.steps) == pytest.approx(
        fall.scenario_net_cash_eur, abs=CENT)
    assert fall.baseline_bfr_eur + sum(s.bfr_eur for s in fall.steps) == pytest.approx(fall.scenario_bfr_eur, abs=CENT)
    assert fall.scenario_net_cash_eur - fall.baseline_net_cash_eur == pytest.approx(result.delta.net_cash_at_horizon,
                                                                                    abs=CENT)
    assert fall.scenario_bfr_eur - fall.baseline_bfr_eur == pytest.approx(result.delta.bfr_at_horizon, abs=CENT)


# --- 2. neutral levers ------------------------------------------------------------------------------------
@given(data=st.data(), book=books)
def test_neutral_levers_give_the_baseline_to_the_cent(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    after = (AS_OF + pd.Timedelta(days=7 * HORIZON_WEEKS + 7)).date()
    scope = _client_scope(data.draw, len(book.clients))
    neutral: list[Lever] = [
        SupplierTerms(delay_change_days=0, start=data.draw(starts)),
        Factoring(scope=scope, share=0.0, advance_rate=data.draw(shares), service_fee_rate=0.1, financing_rate=0.5),
        SupplierDiscount(discount_rate=0.5, discount_days=0, take_up_share=0.0),
        ClientTerms(scope=scope, start=after, terms=data.draw(any_terms)),
        CollectionEffort(scope=scope, start=after, delay_change_days=-365, lateness_reduction_share=1.0, ramp_weeks=0),
        Factoring(scope=scope, start=after, share=1.0, include_open=False),
        OneOffFlow(date=after, amount=-1e6),
        OneOffFlow(date=AS_OF.date(), amount=1e6),  # as-of is the opening balance's day, not in the horizon
    ]
    for lever in neutral:
        _same_as_baseline(p, _apply(p, lever))
    # Sales unchanged: receipts exactly the baseline's (purchases change).
    cash = _apply(p, Activity(sales_change_pct=0.0, purchases_change_pct=data.draw(st.sampled_from([-100.0, 50.0]))))
    for column in ("receipts", "receipts_open_invoices", "receipts_future_invoices"):
        np.testing.assert_allclose(aggregate(cash).daily[column], p.baseline.projection.daily[column], rtol=0,
                                   atol=CENT)
    # An early-payment discount nobody takes: its non-takers' net-N terms, nothing else.
    net = data.draw(st.integers(1, 120))
    untaken = EarlyPaymentDiscount(scope=scope, discount_rate=0.02, discount_days=0, net_days=net, take_up_share=0.0)
    cash = _apply(p, untaken)
    _same_days(aggregate(cash).daily, aggregate(_apply(p, ClientTerms(scope=scope, terms=Terms(NET, net)))).daily)


# --- 3. direction and size -------------------------------------------------------------------------------
@given(data=st.data(), book=books)
def test_longer_client_terms_pay_later_and_hold_more_receivables(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    n1, step2, step3 = data.draw(st.integers(0, 120)), data.draw(st.integers(0, 30)), data.draw(st.integers(0, 30))
    scope, start, to_open = _client_scope(data.draw, len(book.clients)), data.draw(starts), data.draw(st.booleans())
    cashes = [_apply(p, ClientTerms(scope=scope, start=start, terms=Terms(NET, n), apply_to_open=to_open))
              for n in (n1, n1 + step2, n1 + step2 + step3)]
    for shorter, longer in itertools.pairwise(cashes):
        _no_earlier(longer.pay_day_offsets, shorter.pay_day_offsets)
    invoices = _rows(p.cash, C.RECEIVABLE, positive=True)
    cumulative = [_cumulative(c, invoices) for c in cashes]
    for fewer, more in itertools.pairwise(cumulative):
        assert (more <= fewer + CENT).all()  # never more receipts on any day ...
    # ... so at the horizon, 10 days longer moves at least as much out as 5 days longer.
    assert cumulative[0][-1] - cumulative[1][-1] <= cumulative[0][-1] - cumulative[2][-1] + CENT
    # BFR: receivables of invoices at each week end never fall with longer terms (credit notes apart).
    credit = _open_credit_notes(p.cash)
    receivables = [_invoices_owed(c, credit)[0] for c in cashes]
    for owed_before, owed_after in itertools.pairwise(receivables):
        assert (owed_after >= owed_before - CENT).all()


def _owed(cash: CashItems, rows: Array) -> Array:
    """Return what the rows still weigh on receivables (+) or payables (−) at each week end (as bfr_weekly signs)."""
    week_start = cash.dates - ((cash.dates.astype(np.int64) + 3) % 7)
    ends = np.r_[np.flatnonzero(week_start[1:] != week_start[:-1]), cash.n_days - 1]
    if not len(rows):
        return np.zeros(len(ends))
    settled = with_settlement(cash).items[SETTLED].to_numpy(dtype=float)[rows]
    n_days, n_sims = cash.n_days, cash.pay_day_offsets.shape[1]
    out = np.zeros(n_days + 2)
    np.add.at(out, np.clip(cash.pay_day_offsets[rows], 0, n_days + 1), np.repeat(settled[:, None], n_sims, axis=1))
    owed: Array = settled.sum() - np.cumsum(out[1:n_days + 1]) / n_sims
    return owed[ends]


def _invoices_owed(cash: CashItems, credit_notes: Array) -> tuple[Array, Array]:
    """Return (receivables, payables) at each week end, open credit notes (`credit_notes` rows) left out."""
    bfr = bfr_weekly(cash, 1.0)
    sides = cash.items[C.SIDE].to_numpy()[credit_notes]
    return (bfr["receivables_eur"].to_numpy() - _owed(cash, credit_notes[sides == C.RECEIVABLE]),
            bfr["payables_eur"].to_numpy() + _owed(cash, credit_notes[sides == C.PAYABLE]))


@given(data=st.data(), book=books)
def test_paying_suppliers_later_keeps_cash_longer(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    d1 = data.draw(st.integers(-365, 365))
    d2 = min(365, d1 + data.draw(st.integers(0, 60)))
    start = data.draw(starts)
    early, late = (_apply(p, SupplierTerms(start=start, delay_change_days=d)) for d in (d1, d2))
    _no_earlier(late.pay_day_offsets, early.pay_day_offsets)
    invoices = _rows(p.cash, C.PAYABLE, positive=True)
    assert (_cumulative(late, invoices) >= _cumulative(early, invoices) - CENT).all()  # payments are negative
    if d1 >= 0:
        _no_earlier(early.pay_day_offsets, p.cash.pay_day_offsets)
    # New terms: longer never pays earlier; payables at each week end never fall (BFR never rises).
    n1 = data.draw(st.integers(0, 120))
    n2 = n1 + data.draw(st.integers(0, 60))
    to_open = data.draw(st.booleans())
    short, long_ = (_apply(p, SupplierTerms(start=start, terms=Terms(NET, n), apply_to_open=to_open)) for n in (n1, n2))
    _no_earlier(long_.pay_day_offsets, short.pay_day_offsets)
    credit = _open_credit_notes(p.cash)
    assert (_invoices_owed(long_, credit)[1] >= _invoices_owed(short, credit)[1] - CENT).all()  # BFR never rises


@given(data=st.data(), book=books)
def test_more_collection_effort_never_delays_a_receipt(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    scope, start, ramp = _client_scope(data.draw, len(book.clients)), data.draw(starts), data.draw(
        st.sampled_from([0, 1, 8, 52]))
    d1, s1 = data.draw(st.integers(-120, 60)), data.draw(shares)
    d2, s2 = d1 - data.draw(st.integers(0, 60)), data.draw(st.floats(s1, 1.0))
    if d1 == 0 and s1 == 0:
        d1 = 1
    if d2 == 0 and s2 == 0:
        s2 = 0.5
    less, more = (_apply(p, CollectionEffort(scope=scope, start=start, delay_change_days=d, lateness_reduction_share=s,
                                             ramp_weeks=ramp)) for d, s in ((d1, s1), (d2, s2)))
    _no_earlier(less.pay_day_offsets, more.pay_day_offsets)
    invoices = _rows(p.cash, C.RECEIVABLE, positive=True)
    assert (_cumulative(more, invoices) >= _cumulative(less, invoices) - CENT).all()
    if d2 <= 0:
        _no_earlier(p.cash.pay_day_offsets, more.pay_day_offsets)


@given(data=st.data(), book=books)
def test_a_client_default_loses_at_most_its_open_invoices(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    ids = data.draw(st.lists(st.sampled_from(p.clients), min_size=1, max_size=3, unique=True))
    stop = data.draw(st.booleans())
    lever = ClientDefault(scope=Scope("counterparties", tuple(ids)), start=data.draw(starts), stop_sales=stop)
    cash = _apply(p, lever)
    theirs = _rows(p.cash, C.RECEIVABLE, positive=True, ids=ids)
    lost = _cumulative(p.cash, theirs) - _cumulative(cash, theirs)
    items = p.cash.items
    open_amount = float(items[C.AMOUNT].to_numpy(dtype=float)[theirs][items["kind"].to_numpy()[theirs] == KIND_OPEN]
                        .sum())
    future = theirs[items["kind"].to_numpy()[theirs] == KIND_FUTURE]
    bound = open_amount + (float(_cumulative(p.cash, future)[-1]) if stop else 0.0)
    assert (lost >= -CENT).all() and (lost <= bound + CENT).all()
    others = _rows(p.cash, C.RECEIVABLE, ids=sorted(set(p.clients) - set(ids)))
    np.testing.assert_array_equal(cash.pay_day_offsets[others], p.cash.pay_day_offsets[others])
    result = _compare(p, lever)
    if not stop:  # stopping sales also removes the bad debt its future invoices carried
        assert result.delta.expected_bad_debt >= -CENT
    assert result.delta.receipts <= CENT


@given(data=st.data(), book=books)
def test_factoring_brings_cash_forward_and_costs_its_fees(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    scope, start = _client_scope(data.draw, len(book.clients)), data.draw(starts)
    share, adv, include_open = data.draw(shares), data.draw(shares), data.draw(st.booleans())
    fee, rate = data.draw(st.sampled_from([0.0, 0.005, 0.1])), data.draw(st.sampled_from([0.0, 0.05, 0.5]))
    free = Factoring(scope=scope, start=start, share=share, advance_rate=adv, service_fee_rate=0.0,
                     financing_rate=0.0, include_open=include_open)
    paid = dataclasses.replace(free, service_fee_rate=fee, financing_rate=rate)
    free_cash = aggregate(_apply(p, free)).daily
    base = p.baseline.projection.daily
    # Without costs, cash only comes earlier (recourse charge-backs come no sooner than the collection they replace).
    assert (free_cash["closing_expected"] >= base["closing_expected"] - CENT).all()
    result = _compare(p, paid)
    effect = result.delta.financial_effect
    # What is assigned: client invoices in scope, not disputed; future ones issued from the start, open ones not due.
    work = Work(p.cash, p.context)
    start_day = work.start_offset(start)
    items = p.cash.items
    eligible = (work.in_scope(scope, C.RECEIVABLE) & ~items[C.DISPUTED].to_numpy(dtype=bool)
                & (items[C.AMOUNT].to_numpy(dtype=float) > 0))
    not_due = work.kind_is(KIND_OPEN) & (pd.to_datetime(items[C.DUE_DATE]) > AS_OF).to_numpy()
    rows = np.flatnonzero(eligible & (work.issued_from(start_day) | (include_open & not_due)))
    assign = work.roll(np.maximum(work.issue(rows), start_day))
    # ... on the paths where the client has not paid it before the assignment day (factoring starting later)
    in_horizon = (assign >= 1) & (assign <= p.cash.n_days) & (p.cash.pay_day_offsets[rows] >= assign)
    assigned = float((p.cash.path_amounts(rows=rows) * in_horizon).sum() / p.cash.pay_day_offsets.shape[1]) * share
    assert effect.factoring_fees == pytest.approx(fee * assigned, abs=CENT)
    assert -CENT <= effect.factoring_financing <= rate * adv * max(assigned, 0.0) * p.cash.n_days / 360 + CENT
    costs = effect.factoring_fees + effect.factoring_financing
    free_delta = free_cash["closing_expected"].iloc[-1] - base["closing_expected"].iloc[-1]
    assert result.delta.net_cash_at_horizon == pytest.approx(free_delta - costs, abs=CENT)
    assert result.delta.net_cash_at_horizon >= -costs - CENT
    collect = p.cash.pay_day_offsets[rows]
    if ((collect >= 1) & (collect <= p.cash.n_days)).all():
        assert result.delta.net_cash_at_horizon == pytest.approx(-costs, abs=CENT)


@given(data=st.data(), book=books)
def test_discounts_cost_d_on_what_the_takers_pay_inside_the_horizon(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    rate, days, share = data.draw(st.sampled_from([0.001, 0.02, 0.5])), data.draw(st.sampled_from([0, 10, 60])), \
        data.draw(shares)
    start = data.draw(starts)
    scope = _client_scope(data.draw, len(book.clients))
    work = Work(p.cash, p.context)
    n_sims = p.cash.pay_day_offsets.shape[1]

    def taken(side: str, chosen: Scope) -> float:
        """Return d × share × what the takers (future invoices issued from the start) pay inside the horizon."""
        rows = np.flatnonzero(work.in_scope(chosen, side) & work.issued_from(work.start_offset(start)))
        pay = work.roll(np.maximum(work.issue(rows).astype(np.int64) + days, 1))
        inside = (pay >= 1) & (pay <= p.cash.n_days)
        return float(abs((p.cash.path_amounts(rows=rows) * inside).sum()) / n_sims) * rate * share

    offered = _compare(p, EarlyPaymentDiscount(scope=scope, start=start, discount_rate=rate, discount_days=days,
                                               net_days=days + 20, take_up_share=share))
    assert offered.delta.financial_effect.discount_cost == pytest.approx(taken(C.RECEIVABLE, scope), abs=CENT)
    took = _compare(p, SupplierDiscount(start=start, discount_rate=rate, discount_days=days, take_up_share=share))
    assert took.delta.financial_effect.supplier_discount_gain == pytest.approx(taken(C.PAYABLE, Scope()), abs=CENT)
    for result in (offered, took):  # a cost and a gain, never the other way round
        assert result.delta.financial_effect.discount_cost >= 0
        assert result.delta.financial_effect.supplier_discount_gain >= 0


@given(data=st.data(), book=books)
def test_activity_scales_the_future_invoicing_only(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    sales, purchases = data.draw(st.sampled_from([-100.0, -50.0, 0.0, 30.0, 1000.0])), data.draw(
        st.sampled_from([-100.0, 0.0, 20.0]))
    if not sales and not purchases:
        sales = 10.0
    cash = _apply(p, Activity(sales_change_pct=sales, purchases_change_pct=purchases))
    np.testing.assert_allclose(aggregate(cash).daily["receipts_open_invoices"],
                               p.baseline.projection.daily["receipts_open_invoices"], rtol=0, atol=CENT)
    # Invoices issued from tomorrow on scale; the ones a stale export misses (issued by as-of) are issued already.
    coming = (p.cash.items["kind"].to_numpy() == KIND_FUTURE) & (pd.to_datetime(p.cash.items[C.ISSUE_DATE]) > AS_OF
                                                                  ).to_numpy()
    for side, pct in ((C.RECEIVABLE, sales), (C.PAYABLE, purchases)):
        rows = _rows(p.cash, side)
        scaled, kept = rows[coming[rows]], rows[~coming[rows]]
        np.testing.assert_allclose(_cumulative(cash, scaled), _cumulative(p.cash, scaled) * (1 + pct / 100),
                                   rtol=1e-9, atol=CENT)
        np.testing.assert_allclose(_cumulative(cash, kept), _cumulative(p.cash, kept), rtol=0, atol=CENT)


@given(data=st.data(), book=books)
def test_a_one_off_flow_moves_net_cash_by_its_amount_and_bfr_by_nothing(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    day = (AS_OF + pd.Timedelta(days=data.draw(st.integers(1, p.cash.n_days)))).date()
    amount = data.draw(st.sampled_from([-1e6, -0.01, 0.01, 123_456.78]))
    result = _compare(p, OneOffFlow(date=day, amount=amount, category=data.draw(st.sampled_from(FLOW_CATEGORIES))))
    assert result.delta.bfr_at_horizon == pytest.approx(0.0, abs=CENT)
    if Work(p.cash, p.context).paid_offset(day) <= p.cash.n_days:
        assert result.delta.net_cash_at_horizon == pytest.approx(amount, abs=CENT)
        assert not result.warnings
    else:  # a weekend or holiday at the horizon's end: paid after it, and the CFO is told
        assert result.delta.net_cash_at_horizon == 0.0
        assert "after the horizon's last day" in result.warnings[0]


# --- 6. order-free -----------------------------------------------------------------------------------
def _by_hand(p: Prepared, ordered: Sequence[Lever]) -> CashItems:
    """Return the items after the levers applied in exactly this order (not apply_levers' ORDER)."""
    work = Work(p.cash, p.context)
    for lever in ordered:
        lever.apply(work)
    return work.finish().cash


COMMUTING = (  # (kinds of the first lever, kinds of the second)
    (("ct", "ce", "def", "epd", "fac"), ("st", "sd")),  # a client lever and a supplier one: different rows
    (("act",), ("ct", "st", "ce", "def")),  # scaling amounts and moving days
    (("one",), KINDS),  # a dated flow touches no invoice
)


@st.composite
def commuting_pairs(draw: st.DrawFn, n_clients: int) -> tuple[Lever, Lever]:
    """Return two levers that commute (COMMUTING)."""
    first, second = draw(st.sampled_from(COMMUTING))
    return draw(levers(n_clients, first)), draw(levers(n_clients, second))


@given(data=st.data(), book=books)
def test_levers_that_commute_give_the_same_figures_in_either_order(data: st.DataObject, book: Book) -> None:
    p = prepared(book)
    a, b = data.draw(commuting_pairs(len(book.clients)))
    one, other = _by_hand(p, (a, b)), _by_hand(p, (b, a))
    _same_days(aggregate(one).daily, aggregate(other).daily)
    _same_days(bfr_weekly(one, 1.0), bfr_weekly(other, 1.0))


# --- minimal reproducers ---------------------------------------------------------------------------------
def _small_book() -> Prepared:
    """Return one client and one supplier with a paid history and nothing open (deterministic projection)."""
    party = Party(delay=0, jitter=0, amount=500, opens=(), paid_credit=False, open_credit=0)
    return prepared(Book(clients=(party,), suppliers=(party,), noisy=False))


def test_a_one_off_flow_on_the_horizons_last_saturday_is_paid_after_it_and_says_so() -> None:
    # The horizon runs Tue 24 Nov 2026 to Sun 21 Feb 2027; a flow dated Sat 20 Feb is paid Mon 22 Feb. It was left
    # out of net cash without a word (no "outside the horizon" warning: its date is inside).
    p = _small_book()
    result = _compare(p, OneOffFlow(date=dt.date(2027, 2, 20), amount=-50_000.0, label="machine"))
    assert result.delta.net_cash_at_horizon == 0.0
    assert result.warnings == ("One-off flow 'machine' on 2027-02-20 is paid on the next business day, 2027-02-22, "
                               "after the horizon's last day (2027-02-21)",)
    assert _compare(p, OneOffFlow(date=dt.date(2027, 2, 19), amount=-50_000.0)).delta.net_cash_at_horizon == -50_000


def test_factoring_never_assigns_a_credit_note() -> None:
    # An open credit note of 100 (net 30, issued yesterday) was "assigned": its advance of −100 left the bank on the
    # first day and its fee came back as a gain, so factoring without costs lowered the cash it should bring forward.
    credit = Party(delay=0, jitter=0, amount=500, opens=(), paid_credit=False, open_credit=1, credit_days=30)
    p = prepared(Book(clients=(credit,), suppliers=_small_book().book.suppliers, noisy=False))
    result = _compare(p, Factoring(share=1.0, advance_rate=1.0, service_fee_rate=0.01, financing_rate=0.0))
    assert result.delta.net_cash_at_horizon == 0.0
    assert result.delta.financial_effect.factoring_fees == 0.0
    _same_days(result.scenario.daily, p.baseline.projection.daily)


def test_a_default_of_a_client_owed_only_a_credit_note_changes_nothing() -> None:
    # C0 owes nothing and is owed an open credit note of 500 (net 30): its default "lost" the credit note, so the
    # refund was no longer paid (receipts up by 500) and the expected bad debt fell by 500: a default shown as a gain.
    credit = Party(delay=0, jitter=0, amount=500, opens=(), paid_credit=False, open_credit=1, credit_days=30)
    p = prepared(Book(clients=(credit,), suppliers=_small_book().book.suppliers, noisy=False))
    result = _compare(p, ClientDefault(scope=Scope("counterparties", ("C0",))))
    assert result.delta.receipts == 0.0 and result.delta.expected_bad_debt == 0.0
    _same_days(result.scenario.daily, p.baseline.projection.daily)


def test_every_client_at_45_days_and_one_at_30_gives_that_one_30_days_whichever_is_written_first() -> None:
    # Two client-terms levers: the narrower scope applies after the broader and overrides it. They applied in file
    # order, so written "C1 at 30, everyone at 45", C1 got 45 days (found by the order property: conflicting levers
    # of one kind gave another result in another order).
    party = Party(delay=0, jitter=0, amount=500, opens=(Open(age=5, terms=30, amount=900, disputed=False, part=""),),
                  paid_credit=False, open_credit=0)
    p = prepared(Book(clients=(party, party), suppliers=(party,), noisy=False))
    everyone = ClientTerms(terms=Terms(NET, 45), apply_to_open=True)
    one = ClientTerms(scope=Scope("counterparties", ("C1",)), terms=Terms(NET, 30), apply_to_open=True)
    both_orders = [_apply(p, everyone, one), _apply(p, one, everyone)]
    c0, c1 = (_rows(p.cash, C.RECEIVABLE, positive=True, ids=[c]) for c in ("C0", "C1"))
    for cash in both_orders:
        np.testing.assert_array_equal(cash.pay_day_offsets[c1], _apply(p, one).pay_day_offsets[c1])
        np.testing.assert_array_equal(cash.pay_day_offsets[c0], _apply(p, everyone).pay_day_offsets[c0])
    assert not np.array_equal(_apply(p, one).pay_day_offsets[c1], _apply(p, everyone).pay_day_offsets[c1])


def test_factoring_from_a_later_date_does_not_sell_an_invoice_the_client_paid_before_it() -> None:
    # An open invoice of 250 due (and paid) 23 Dec; factoring at no cost from 24 Dec with open invoices included:
    # it was "sold" on 24 Dec, so its 250 came a day later than without factoring (and a fee would be charged).
    party = Party(delay=0, jitter=0, amount=500, opens=(Open(age=0, terms=30, amount=250, disputed=False, part=""),),
                  paid_credit=False, open_credit=0)
    p = prepared(Book(clients=(party,), suppliers=(party,), noisy=False))
    lever = Factoring(start=dt.date(2026, 12, 24), share=1.0, advance_rate=1.0, service_fee_rate=0.01,
                      financing_rate=0.0, include_open=True)
    result = _compare(p, lever)
    _same_days(result.scenario.daily, p.baseline.projection.daily)
    assert result.delta.financial_effect.factoring_fees == 0.0
