"""A seeded, realistic demo company: a French SME with clients, suppliers, banks, planned flows and FX.

`generate(seed, scale, today)` is deterministic for a given seed, scale and today. Scale 1 is ~300
clients, ~120 suppliers, ~22 000 client invoices over 3 years and 12 M€ TTC of sales in the last 12 months;
`scale` multiplies the counterparties, the invoices and every amount (planned flows, bank balances and
overdraft limits included), so ratios stay the same.

Choices the rest of the code relies on:
- Client behaviour is client-specific and stable: delay = client mean + drift × years from the middle of
  the history + noise. Classes: punctual (mean -3..1 days, some early payments), late (mean 10.5..18.5),
  erratic (mean 0..25, heavy-tailed spread 12..25), disputing (15–35 % of invoices DISPUTED, paid ~70 days
  later, 40 % of those only partly: the rest stays open), never_pays (≈2 %; each is invoiced for a few
  months, at a spread of times, and never pays). The truth is in `DemoData.client_profiles`.
- Suppliers: we pay them around the due date (supplier mean −3..2 days, spread 0.5..2.5), 1 % of their
  invoices are DISPUTED and withheld ~40 days. Purchases TTC = 57 % of sales TTC over the last 12 months.
- Ids: clients C0001.., suppliers S0001.., client invoices FA0000001.. and supplier invoices FF0000001..
  (numbered in issue-date order), client receipts RC0000001.. and supplier payments VF0000001.. (in
  payment-date order). Due dates use `terms.due_dates_for` with the default "days_then_eom".
- Credit notes (≈2 % of client invoices) are negative invoices with terms "on receipt", due on their
  issue date, and one payment row of the same negative amount on that date: the client nets them against
  what it pays, so the cash effect is right and their open amount is zero (status "paid").
- Payment dates are rolled forward to French bank business days and never after `today`; an invoice whose
  payment would land later is open. Written off = an invoice of a never-paying client issued more than one
  year before `today`.
- Amounts are in the invoice currency (USD and GBP for some Export clients, converted from EUR at the rate
  of the issue date), rounded to cents. CREDIT_LIMIT is in the client's currency, ~2 months of its sales.
- Planned-flow amounts (scale 1) are set so the company is viable: the brief's payroll 280 k€ + social
  120 k€ + VAT 90 k€ a month, with purchases at 57 % of sales, would spend more than the 12 M€ of sales.
  So: payroll −200 k€ on the 28th, social charges −90 k€ on the 15th, VAT −72 k€ on the 20th (≈ 20 % of
  sales HT − purchases HT), rent −40 k€ each quarter, a 600 k€ loan drawn before the history and repaid
  −10 915 € a month (end date ~17 months after today), four corporate-tax instalments (−22 k€ on
  15 Mar/Jun/Sep/Dec) and a balance (−15 k€ on 15 May) as "yearly" flows, and a capex of −150 k€ 40 days
  ahead. First dates are the first occurrence on or after the start of the history (the loan's is earlier).
- Bank balances: one row per account per French business day, from four months after the start of the
  history (receipts need that long to reach their steady pace) to today. The total is anchored at the end
  (900 k€ at scale 1, raised if needed so the history stays above 150 k€, but never above 1.5 M€) and
  moves back by the real daily flows (receipts at the rate of the payment date, supplier payments,
  planned flows). CIC-OPS is swept back to 150 k€ at the start of each week (an internal transfer);
  BNP-MAIN holds the rest.
- FX rates: one per TARGET business day and currency (USD, GBP), RATE = EUR for one unit, rounded to 6
  decimals; look them up "as of" a date (the last rate on or before it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import pandas as pd

from forecasting.core import columns as c
from forecasting.core.errors import InputError
from forecasting.core.terms import BusinessCalendar, due_dates_for

DEMO_SOURCE = "demo"
DEMO_ENTITY = "FR01"
HISTORY_YEARS = 3
SALES_TTC_PER_YEAR = 12_000_000.0  # last 12 months at scale 1, credit notes deducted
PURCHASE_SHARE = 0.57  # purchases TTC / sales TTC
GROWTH_PER_YEAR = 0.065
N_CLIENTS, N_SUPPLIERS = 300, 120
CLIENT_INVOICES_PER_YEAR = 24.0  # average per client
SUPPLIER_INVOICES_PER_YEAR = 12.0
CREDIT_NOTE_SHARE = 0.02
SPLIT_PAYMENT_SHARE = 0.04
# sales volume by calendar month: August dip, December peak
MONTH_WEIGHTS = np.array([0.95, 0.97, 1.05, 1.0, 0.95, 1.05, 0.95, 0.55, 1.05, 1.08, 1.05, 1.25])

BNP, CIC = "BNP-MAIN", "CIC-OPS"
_ACCOUNTS = (BNP, CIC)
_CIC_SWEEP_TARGET = 150_000.0
_END_CASH_TARGET = 900_000.0
_HISTORY_CASH_FLOOR = 150_000.0
_END_CASH_CAP = 1_500_000.0
_BANK_WARMUP_DAYS = 120

SEGMENTS = ("Grands comptes", "PME", "Public", "Export")
_SEG_SHARE = np.array([0.08, 0.62, 0.15, 0.15])
_SEG_SIZE = np.array([5.0, 1.0, 1.6, 1.5])
TERMS_TEXTS = ("net 30", "45 days end of month", "net 60", "on receipt")
_RECEIPT_CODE = 3
_SEG_TERMS_P = np.array([
    [0.10, 0.50, 0.40, 0.0],  # large accounts negotiate long terms
    [0.60, 0.30, 0.10, 0.0],
    [1.00, 0.00, 0.00, 0.0],  # French public buyers pay at 30 days by law
    [0.50, 0.00, 0.50, 0.0],
])
CURRENCIES = ("EUR", "USD", "GBP")
_EXPORT_CURRENCY_P = np.array([0.35, 0.40, 0.25])

SUPPLIER_SEGMENTS = ("Matières premières", "Sous-traitance", "Transport", "Frais généraux", "Énergie")
_SUP_SHARE = np.array([0.30, 0.20, 0.15, 0.30, 0.05])
_SUP_SIZE = np.array([3.0, 2.0, 0.8, 0.5, 1.5])
_SUP_TERMS_P = np.array([0.35, 0.40, 0.25, 0.0])

# --- ground truth of client behaviour (DemoData.client_profiles) ---------------------------------
BEHAVIOUR = "behaviour"
MEAN_DELAY_DAYS = "mean_delay_days"
DELAY_SD_DAYS = "delay_sd_days"
DRIFT_DAYS_PER_YEAR = "drift_days_per_year"
DISPUTE_RATE = "dispute_rate"
PROFILE_COLUMNS = [c.COUNTERPARTY_ID, c.SEGMENT, BEHAVIOUR, MEAN_DELAY_DAYS, DELAY_SD_DAYS, DRIFT_DAYS_PER_YEAR,
                   DISPUTE_RATE]

BEHAVIOURS = ("punctual", "late", "erratic", "disputing", "never_pays")
PUNCTUAL, LATE, ERRATIC, DISPUTING, NEVER = range(5)
_BEHAVIOUR_SHARE = {NEVER: 0.02, DISPUTING: 0.12, ERRATIC: 0.14, LATE: 0.30}  # the rest is punctual
_BEHAVIOUR_SEG_WEIGHT = {  # by SEGMENTS: large and public buyers stretch, public buyers always pay
    NEVER: np.array([0.3, 1.5, 0.0, 1.5]),
    DISPUTING: np.array([1.5, 1.0, 0.7, 1.0]),
    ERRATIC: np.array([0.6, 1.2, 0.8, 1.3]),
    LATE: np.array([1.8, 0.8, 2.0, 1.0]),
}
# by BEHAVIOURS: (mean delay low, high), (spread low, high), drift sd per year, dispute rate (low, high)
_MEAN_RANGE = np.array([[-3.0, 1.0], [10.5, 18.5], [0.0, 25.0], [3.0, 12.0], [np.nan, np.nan]])
_SD_RANGE = np.array([[1.0, 3.0], [3.0, 6.0], [12.0, 25.0], [3.0, 7.0], [np.nan, np.nan]])
_DRIFT_SD = np.array([0.5, 1.5, 2.0, 1.5, 0.0])
_DISPUTE_RANGE = np.array([[0.005, 0.005], [0.005, 0.005], [0.005, 0.005], [0.15, 0.35], [0.0, 0.0]])
_EARLY_SHARE = 0.12  # of a punctual client's invoices, paid 3–15 days early


@dataclass(frozen=True, eq=False)
class DemoData:
    """The demo company: one DataFrame per table with the columns of `columns.py`, plus the behaviour truth."""

    counterparties: pd.DataFrame
    receivables: pd.DataFrame
    payables: pd.DataFrame
    payments: pd.DataFrame
    bank_accounts: pd.DataFrame
    bank_balances: pd.DataFrame
    planned_flows: pd.DataFrame
    fx_rates: pd.DataFrame
    client_profiles: pd.DataFrame  # not a table of the store: what a behaviour model should rediscover

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the store tables by name (client_profiles excluded)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "client_profiles"}


@dataclass(frozen=True)
class _Clock:
    """The history window: all calendar facts that the generators share."""

    today: np.datetime64
    start: np.datetime64
    year_ago: np.datetime64
    bdays: np.ndarray  # French business days from start to today
    calendar: BusinessCalendar

    @property
    def years(self) -> float:
        """Length of the history in years."""
        return float((self.today - self.start).astype(np.int64) + 1) / 365.25

    @property
    def mid(self) -> np.datetime64:
        """Middle of the history, where client drift is zero."""
        return self.start + (self.today - self.start) // 2

    def day_weights(self, month_shift: int = 0) -> np.ndarray:
        """Return probabilities over business days: growth × monthly seasonality (shifted for purchases)."""
        years_back = (self.today - self.bdays).astype(np.int64) / 365.25
        months = (self.bdays.astype("datetime64[M]").astype(np.int64) + month_shift) % 12
        weights = np.exp(-np.log1p(GROWTH_PER_YEAR) * years_back) * MONTH_WEIGHTS[months]
        return weights / weights.sum()


@dataclass(frozen=True)
class _Cash:
    """Cash movements for the bank history: business day, signed EUR amount, account position."""

    days: np.ndarray
    eur: np.ndarray
    account: np.ndarray


@dataclass(frozen=True)
class _Parties:
    """Per-counterparty arrays that the invoice generators index by counterparty position."""

    ids: np.ndarray
    frame: pd.DataFrame  # COUNTERPARTY_COLUMNS, credit limits still to fill for clients
    invoices_per_year: np.ndarray
    mean_amount: np.ndarray  # EUR per invoice before calibration to the sales target
    terms_code: np.ndarray
    currency_code: np.ndarray
    account_code: np.ndarray
    behaviour: np.ndarray
    mean_delay: np.ndarray
    delay_sd: np.ndarray
    drift: np.ndarray
    dispute_rate: np.ndarray
    window: np.ndarray  # (n, 2) business-day positions [first, end) when the party is invoiced


def generate(seed: int = 42, scale: float = 1.0, today: date | None = None) -> DemoData:
    """Return a deterministic demo company for `seed`, sized by `scale`, with history up to `today`."""
    if not scale > 0:
        raise InputError(f"demo scale must be a positive number (1 = a 12 M€ company), got {scale}")
    rng = np.random.default_rng(seed)
    clock = _clock(today)
    fx_dates, fx_matrix, fx_rates = _fx_rates(rng, clock)
    clients = _clients(rng, clock, max(len(BEHAVIOURS), round(N_CLIENTS * scale)))
    suppliers = _suppliers(rng, clock, max(2, round(N_SUPPLIERS * scale)), frozenset(clients.frame[c.NAME]))

    receivables, receipts, client_annual_eur, cash_in = _receivables(rng, clock, clients, fx_dates, fx_matrix,
                                                                      scale)
    sales_last_year = SALES_TTC_PER_YEAR * scale
    payables, disbursements, cash_out = _payables(rng, clock, suppliers, sales_last_year * PURCHASE_SHARE)
    payments = pd.concat([receipts, disbursements], ignore_index=True)

    latest_rate = fx_matrix[-1][clients.currency_code]
    limits = np.maximum(5_000.0, np.round(client_annual_eur / 6.0 / latest_rate, -3))
    counterparties = pd.concat([clients.frame.assign(**{c.CREDIT_LIMIT: limits}), suppliers.frame],
                               ignore_index=True)[c.COUNTERPARTY_COLUMNS]

    planned = _planned_flows(clock, scale)
    bank_accounts = pd.DataFrame({
        c.ACCOUNT_ID: list(_ACCOUNTS),
        c.NAME: ["BNP Paribas - compte principal", "CIC - compte d'exploitation"],
        c.BANK: ["BNP Paribas", "CIC"],
        c.CURRENCY: [c.REPORTING_CURRENCY] * 2,
        c.OVERDRAFT_LIMIT: [round(300_000.0 * scale, 2), round(100_000.0 * scale, 2)],
    })
    balances = _bank_balances(clock, scale, [cash_in, cash_out], planned)
    profiles = pd.DataFrame({
        c.COUNTERPARTY_ID: clients.ids,
        c.SEGMENT: clients.frame[c.SEGMENT].to_numpy(),
        BEHAVIOUR: np.asarray(BEHAVIOURS)[clients.behaviour],
        MEAN_DELAY_DAYS: clients.mean_delay,
        DELAY_SD_DAYS: clients.delay_sd,
        DRIFT_DAYS_PER_YEAR: clients.drift,
        DISPUTE_RATE: clients.dispute_rate,
    })[PROFILE_COLUMNS]
    return DemoData(counterparties=counterparties, receivables=receivables, payables=payables, payments=payments,
                    bank_accounts=bank_accounts, bank_balances=balances, planned_flows=planned,
                    fx_rates=fx_rates, client_profiles=profiles)


# --- calendar and FX -----------------------------------------------------------------------------
def _clock(today: date | None) -> _Clock:
    """Return the history window ending on `today` (date.today() when None)."""
    end = pd.Timestamp(date.today() if today is None else today).normalize()
    start = end - pd.DateOffset(years=HISTORY_YEARS)
    calendar = BusinessCalendar("FR")
    days = np.arange(np.datetime64(start.date(), "D"), np.datetime64(end.date(), "D") + 1)
    return _Clock(today=np.datetime64(end.date(), "D"), start=days[0],
                  year_ago=np.datetime64((end - pd.DateOffset(years=1)).date(), "D"),
                  bdays=days[calendar.is_business_day(days)], calendar=calendar)


def _fx_rates(rng: np.random.Generator, clock: _Clock) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Return FX dates, a (dates × CURRENCIES) EUR-per-unit matrix and the FX_COLUMNS frame."""
    days = np.arange(clock.start, clock.today + 1)
    days = days[BusinessCalendar("TARGET").is_business_day(days)]
    levels = np.array([0.92, 1.16]) * np.exp(rng.normal(0.0, 0.03, 2))  # EUR per USD, per GBP
    daily_vol = np.array([0.07, 0.05]) / np.sqrt(252.0)
    shocks = rng.normal(0.0, 1.0, (len(days), 2)) * daily_vol
    shocks[0] = 0.0
    # log rates mean-revert to their level (half-life ~ a year), as an AR(1) in closed form:
    # x_t = sum_s phi^(t-s) e_s = phi^t * cumsum(e_s * phi^-s); phi^-t stays small over a few years
    phi = 1.0 - np.log(2.0) / 252.0
    powers = phi ** np.arange(len(days), dtype=np.float64)[:, None]
    log_gap = powers * np.cumsum(shocks / powers, axis=0)
    rates = np.round(levels * np.exp(log_gap), 6)
    matrix = np.column_stack([np.ones(len(days)), rates])
    frame = pd.DataFrame({
        c.CURRENCY: np.repeat(np.asarray(CURRENCIES[1:]), len(days)),
        c.RATE_DATE: _timestamps(np.tile(days, 2)),
        c.RATE: rates.T.ravel(),
    })
    return days, matrix, frame


def _rate_on(fx_dates: np.ndarray, fx_matrix: np.ndarray, days: np.ndarray, currency_code: np.ndarray) -> np.ndarray:
    """Return EUR per unit of each row's currency on each day (the last rate on or before it)."""
    pos = np.clip(np.searchsorted(fx_dates, days, side="right") - 1, 0, len(fx_dates) - 1)
    return fx_matrix[pos, currency_code]


def _timestamps(days: np.ndarray) -> np.ndarray:
    """Return datetime64[D] days as the contract's midnight timestamps (datetime64[us])."""
    return days.astype("datetime64[us]")


# --- names ----------------------------------------------------------------------------------------
_SYL_FIRST = ("Ber", "Lan", "Mor", "Val", "Dum", "Gar", "Char", "Fon", "Ro", "Bel", "Mar", "Sau", "Vil",
              "Cour", "Mon", "Ler", "Gi", "Pel", "Tes", "Dor", "Bra", "Que", "Tal", "Sor", "Mer", "Cal")
_SYL_MID = ("a", "e", "i", "o", "an", "en", "on", "er", "al", "el", "ou", "y")
_SYL_LAST = ("mex", "tec", "lor", "vin", "ris", "gard", "ville", "net", "dis", "pro", "rand", "ier", "ault",
             "eau", "in", "ac", "ex", "ia", "ane", "oz")
_PREFIX = {
    "Grands comptes": ("Groupe", "Compagnie", "Industries", "Holding"),
    "PME": ("", "", "Établissements", "Ateliers", "Menuiserie", "Imprimerie", "Laboratoires", "Garage",
            "Boulangerie", "Transports", "Cabinet", "Bureau d'études"),
    "Matières premières": ("Aciéries", "Métaux", "Plastiques", "Papeteries", "Bois"),
    "Sous-traitance": ("Usinage", "Ateliers", "Mécanique", "Électronique"),
    "Transport": ("Transports", "Logistique", "Messageries"),
    "Frais généraux": ("Bureautique", "Nettoyage", "Cabinet", "Informatique", "Assurances"),
    "Énergie": ("Énergies", "Gaz et Électricité", "Carburants"),
}
_FORMS = ("SAS", "SARL", "SA", "SAS", "SARL", "EURL", "SNC")
_PUBLIC = ("Mairie de", "Conseil départemental de", "Centre hospitalier de", "Communauté d'agglomération de",
           "Lycée professionnel de", "Syndicat des eaux de")
_TOWNS = ("Rennes", "Angers", "Tours", "Dijon", "Limoges", "Poitiers", "Nancy", "Metz", "Reims", "Amiens",
          "Rouen", "Caen", "Brest", "Nîmes", "Pau", "Bayonne", "Annecy", "Valence", "Chartres", "Niort",
          "Colmar", "Troyes", "Vannes", "Quimper", "Albi", "Agen", "Périgueux", "Laval", "Blois", "Bourges")
_TOWN_PATTERNS = ("Saint-{}", "{}-sur-Loire", "{}-les-Bains", "{}-en-Vallée", "{}-le-Château", "Sainte-{}")
_FOREIGN_FORMS = {"EUR": ("GmbH", "S.r.l.", "B.V.", "S.L.", "NV", "AG"), "USD": ("Inc.", "LLC", "Corp."),
                  "GBP": ("Ltd", "plc", "Ltd")}


def _name(picks: np.ndarray, segment: str, currency: str) -> str:
    """Return a plausible company name for a segment, built from five random integers."""
    a, b, d, e, f = (int(p) for p in picks)
    mid, last = _SYL_MID[b % len(_SYL_MID)], _SYL_LAST[d % len(_SYL_LAST)]
    if b % 2 or last[0] in "aeiouy":  # no middle syllable half the time, nor two vowels in a row
        mid = ""
    core = _SYL_FIRST[a % len(_SYL_FIRST)] + mid + last
    if segment == "Public":
        town = _TOWNS[f % len(_TOWNS)] if f % 2 else _TOWN_PATTERNS[(f // 2) % len(_TOWN_PATTERNS)].format(core)
        institution = _PUBLIC[e % len(_PUBLIC)]
        if town[0] in "AEIOUÉ" and institution.endswith(" de"):  # French elision: d'Amiens
            return f"{institution[:-3]} d'{town}"
        return f"{institution} {town}"
    if segment == "Export":
        forms = _FOREIGN_FORMS[currency]
        return f"{core} {forms[e % len(forms)]}"
    prefix = _PREFIX[segment][e % len(_PREFIX[segment])]
    forms = _FORMS[:3:2] if segment == "Grands comptes" else _FORMS  # large accounts are SA or SAS
    return f"{prefix} {core} {forms[f % len(forms)]}".strip()


def _names(rng: np.random.Generator, segments: np.ndarray, currencies: np.ndarray,
           taken: frozenset[str] = frozenset()) -> list[str]:
    """Return plausible company names, one per counterparty, distinct from each other and from `taken`."""
    picks = rng.integers(0, 1 << 30, size=(len(segments), 5))
    names: list[str] = []
    seen = set(taken)
    for row, segment, currency in zip(picks, segments, currencies, strict=True):
        name = _name(row, segment, currency)
        for _ in range(5):  # redraw a taken name a few times before numbering it
            if name not in seen:
                break
            name = _name(rng.integers(0, 1 << 30, size=5), segment, currency)
        unique, k = name, 2
        while unique in seen:
            unique, k = f"{name} ({k})", k + 1
        seen.add(unique)
        names.append(unique)
    return names


# --- counterparties ----------------------------------------------------------------------------------
def _assign_behaviours(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    """Return one behaviour class per client: exact shares, drawn with segment-dependent odds."""
    n = len(segment)
    behaviour = np.full(n, PUNCTUAL)
    free = np.ones(n, dtype=bool)
    for cls, share in _BEHAVIOUR_SHARE.items():
        weights = _BEHAVIOUR_SEG_WEIGHT[cls][segment] * free
        count = min(max(1, round(share * n)), int((weights > 0).sum()))
        if count == 0:  # a tiny demo may have no client of a segment that can behave so
            continue
        chosen = rng.choice(n, size=count, replace=False, p=weights / weights.sum())
        behaviour[chosen] = cls
        free[chosen] = False
    return behaviour


def _uniform(rng: np.random.Generator, ranges: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Return one uniform draw per row within ranges[class] (NaN ranges give NaN)."""
    low, high = ranges[classes, 0], ranges[classes, 1]
    return low + (high - low) * rng.random(len(classes))


def _clients(rng: np.random.Generator, clock: _Clock, n: int) -> _Parties:
    """Return n clients with segments, sizes, terms, currencies and payment behaviour."""
    segment = rng.choice(len(SEGMENTS), size=n, p=_SEG_SHARE)
    size = rng.lognormal(0.0, 1.0, n) * _SEG_SIZE[segment]
    per_year = np.clip(CLIENT_INVOICES_PER_YEAR * np.sqrt(size) / np.sqrt(size).mean(), 2.0, 250.0)
    terms_code = _pick_rows(rng, _SEG_TERMS_P[segment])
    currency_code = np.where(segment == SEGMENTS.index("Export"),
                             rng.choice(len(CURRENCIES), size=n, p=_EXPORT_CURRENCY_P), 0)
    behaviour = _assign_behaviours(rng, segment)
    mean_delay = _uniform(rng, _MEAN_RANGE, behaviour)
    delay_sd = _uniform(rng, _SD_RANGE, behaviour)
    drift = rng.normal(0.0, 1.0, n) * _DRIFT_SD[behaviour]
    dispute_rate = _uniform(rng, _DISPUTE_RANGE, behaviour)
    account_code = (rng.random(n) >= 0.8).astype(np.int64)  # 80 % of clients pay into the main account
    window = _never_payer_windows(rng, clock, behaviour == NEVER)
    ids = np.array([f"C{i:04d}" for i in range(1, n + 1)], dtype=object)
    segments = np.asarray(SEGMENTS, dtype=object)[segment]
    currencies = np.asarray(CURRENCIES, dtype=object)[currency_code]
    frame = pd.DataFrame({
        c.COUNTERPARTY_ID: ids,
        c.KIND: c.CLIENT,
        c.NAME: _names(rng, segments, currencies),
        c.SEGMENT: segments,
        c.TERMS: np.asarray(TERMS_TEXTS, dtype=object)[terms_code],
        c.CURRENCY: currencies,
        c.ENTITY: DEMO_ENTITY,
    })
    return _Parties(ids=ids, frame=frame, invoices_per_year=per_year, mean_amount=size / per_year,
                    terms_code=terms_code, currency_code=currency_code, account_code=account_code,
                    behaviour=behaviour, mean_delay=mean_delay, delay_sd=delay_sd, drift=drift,
                    dispute_rate=dispute_rate, window=window)


def _never_payer_windows(rng: np.random.Generator, clock: _Clock, never: np.ndarray) -> np.ndarray:
    """Return [first, end) business-day positions: all history, or a few months for never-payers."""
    n_days = len(clock.bdays)
    window = np.tile(np.array([0, n_days]), (len(never), 1))
    k = int(never.sum())
    if k:
        # spread their starts over the history so some are long written off and some still open
        latest_start = max(1, n_days - 40)
        starts = ((rng.permutation(k) + rng.random(k)) / k * latest_start).astype(np.int64)
        lengths = rng.integers(60, 170, k)  # 3 to 8 months of deliveries before we stop serving them
        window[never] = np.column_stack([starts, np.minimum(starts + lengths, n_days)])
    return window


def _suppliers(rng: np.random.Generator, clock: _Clock, n: int, taken: frozenset[str]) -> _Parties:
    """Return n suppliers (named apart from `taken`) with categories, sizes, terms and how we pay them."""
    segment = rng.choice(len(SUPPLIER_SEGMENTS), size=n, p=_SUP_SHARE)
    size = rng.lognormal(0.0, 1.2, n) * _SUP_SIZE[segment]
    per_year = np.clip(SUPPLIER_INVOICES_PER_YEAR * np.sqrt(size) / np.sqrt(size).mean(), 1.0, 150.0)
    terms_code = _pick_rows(rng, np.tile(_SUP_TERMS_P, (n, 1)))
    mean_delay = rng.uniform(-3.0, 2.0, n)  # we pay on time, sometimes a little early
    delay_sd = rng.uniform(0.5, 2.5, n)
    account_code = (rng.random(n) >= 0.7).astype(np.int64)  # CIC pays 30 % of suppliers
    ids = np.array([f"S{i:04d}" for i in range(1, n + 1)], dtype=object)
    segments = np.asarray(SUPPLIER_SEGMENTS, dtype=object)[segment]
    frame = pd.DataFrame({
        c.COUNTERPARTY_ID: ids,
        c.KIND: c.SUPPLIER,
        c.NAME: _names(rng, segments, np.full(n, "EUR", dtype=object), taken),
        c.SEGMENT: segments,
        c.TERMS: np.asarray(TERMS_TEXTS, dtype=object)[terms_code],
        c.CREDIT_LIMIT: np.nan,
        c.CURRENCY: "EUR",
        c.ENTITY: DEMO_ENTITY,
    })
    zeros = np.zeros(n)
    return _Parties(ids=ids, frame=frame, invoices_per_year=per_year, mean_amount=size / per_year,
                    terms_code=terms_code, currency_code=np.zeros(n, dtype=np.int64), account_code=account_code,
                    behaviour=np.full(n, PUNCTUAL), mean_delay=mean_delay, delay_sd=delay_sd, drift=zeros,
                    dispute_rate=np.full(n, 0.01), window=np.tile(np.array([0, len(clock.bdays)]), (n, 1)))


def _pick_rows(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """Return one category per row, row i drawn with probabilities[i] (vectorised inverse CDF)."""
    cumulative = np.cumsum(probabilities, axis=1)
    draws = rng.random(len(probabilities))[:, None] * cumulative[:, -1:]
    return (draws >= cumulative).sum(axis=1)


# --- invoices and payments ---------------------------------------------------------------------------
def _draw_invoices(rng: np.random.Generator, clock: _Clock, parties: _Parties,
                   weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (party position, business-day position) of every invoice, sorted chronologically."""
    n_days = len(clock.bdays)
    active = (parties.window[:, 1] - parties.window[:, 0]) / n_days
    counts = rng.poisson(parties.invoices_per_year * clock.years * active)
    party = np.repeat(np.arange(len(counts)), counts)
    day = rng.choice(n_days, size=party.size, p=weights)
    first, end = parties.window[party, 0], parties.window[party, 1]
    windowed = (first > 0) | (end < n_days)  # a uniform day inside a short window
    day = np.where(windowed, first + (rng.random(party.size) * (end - first)).astype(np.int64), day)
    order = np.lexsort((party, day))  # invoice numbers follow issue dates, as French law requires
    return party[order], day[order]


def _receivables(rng: np.random.Generator, clock: _Clock, clients: _Parties, fx_dates: np.ndarray,
                 fx_matrix: np.ndarray, scale: float) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, _Cash]:
    """Return client invoices, client payments, each client's expected yearly sales in EUR, and the receipts."""
    party, day = _draw_invoices(rng, clock, clients, clock.day_weights())
    n = party.size
    issue = clock.bdays[day]
    behaviour = clients.behaviour[party]
    never = behaviour == NEVER
    amount_eur = clients.mean_amount[party] * rng.lognormal(-0.245, 0.7, n)  # mean 1 multiplier
    credit = (rng.random(n) < CREDIT_NOTE_SHARE) & ~never
    amount_eur = np.where(credit, -amount_eur * rng.uniform(0.1, 0.5, n), amount_eur)
    last_year = issue > clock.year_ago
    factor = SALES_TTC_PER_YEAR * scale / max(amount_eur[last_year].sum(), 1.0)
    amount_eur *= factor
    rate = _rate_on(fx_dates, fx_matrix, issue, clients.currency_code[party])
    amount = np.round(amount_eur / rate, 2)

    terms_code = np.where(credit, _RECEIPT_CODE, clients.terms_code[party])
    terms = pd.Categorical.from_codes(terms_code, categories=list(TERMS_TEXTS))
    due = due_dates_for(issue, terms)
    disputed = (rng.random(n) < clients.dispute_rate[party]) & ~credit & ~never

    years_from_mid = (issue - clock.mid).astype(np.int64) / 365.25
    noise = rng.standard_normal(n)
    heavy = np.clip(rng.standard_t(3, n) / np.sqrt(3.0), -4.0, 4.0)  # erratic payers have fat tails
    noise = np.where(behaviour == ERRATIC, heavy, noise) * clients.delay_sd[party]
    early = (behaviour == PUNCTUAL) & (rng.random(n) < _EARLY_SHARE)
    noise = np.where(early, -rng.uniform(3.0, 15.0, n), noise)
    dispute_extra = np.where(disputed, rng.gamma(2.0, 35.0, n), 0.0)
    delay = clients.mean_delay[party] + clients.drift[party] * years_from_mid + noise + dispute_extra
    delay = np.rint(np.nan_to_num(delay)).astype(np.int64)
    paid_on = np.where(credit, issue, np.maximum(due + delay, issue))
    paid_on = clock.calendar.roll_forward(paid_on)

    partly = disputed & (rng.random(n) < 0.4)  # the disputed part is never paid
    split = ~credit & ~never & ~partly & (rng.random(n) < SPLIT_PAYMENT_SHARE)
    share = np.where(partly, rng.uniform(0.5, 0.9, n), rng.uniform(0.3, 0.7, n))
    first_amount = np.where(partly | split, np.round(amount * share, 2), amount)
    second_on = clock.calendar.roll_forward(paid_on + rng.integers(15, 61, n))

    ids = _ids("FA", n, 7)
    payments, paid_rows, paid_days, paid_amounts = _payment_rows(
        clock, c.RECEIVABLE, "RC", ids,
        rows=np.concatenate([np.flatnonzero(~never), np.flatnonzero(split)]),
        dates=np.concatenate([paid_on[~never], second_on[split]]),
        amounts=np.concatenate([first_amount[~never], (amount - first_amount)[split]]),
    )
    status = _status(n, paid_rows, paid_amounts, amount)
    status[never & (issue < clock.year_ago)] = "written_off"
    invoices = _invoice_frame(c.RECEIVABLE, ids, clients.ids[party], issue, due, amount,
                              np.asarray(CURRENCIES, dtype=object)[clients.currency_code[party]], disputed, terms,
                              status)
    annual_eur = clients.invoices_per_year * clients.mean_amount * factor
    payer = party[paid_rows]
    eur = paid_amounts * _rate_on(fx_dates, fx_matrix, paid_days, clients.currency_code[payer])
    return invoices, payments, annual_eur, _Cash(paid_days, eur, clients.account_code[payer])


def _payables(rng: np.random.Generator, clock: _Clock, suppliers: _Parties,
              purchases_last_year: float) -> tuple[pd.DataFrame, pd.DataFrame, _Cash]:
    """Return supplier invoices and our payments of them (around the due date, rarely withheld)."""
    party, day = _draw_invoices(rng, clock, suppliers, clock.day_weights(month_shift=1))  # buy before selling
    n = party.size
    issue = clock.bdays[day]
    amount_eur = suppliers.mean_amount[party] * rng.lognormal(-0.245, 0.7, n)
    amount = np.round(amount_eur * purchases_last_year / max(amount_eur[issue > clock.year_ago].sum(), 1.0), 2)
    terms = pd.Categorical.from_codes(suppliers.terms_code[party], categories=list(TERMS_TEXTS))
    due = due_dates_for(issue, terms)
    disputed = rng.random(n) < suppliers.dispute_rate[party]
    delay = suppliers.mean_delay[party] + rng.standard_normal(n) * suppliers.delay_sd[party]
    delay = np.rint(delay + np.where(disputed, rng.gamma(2.0, 20.0, n), 0.0)).astype(np.int64)
    paid_on = clock.calendar.roll_forward(np.maximum(due + delay, issue))
    ids = _ids("FF", n, 7)
    payments, paid_rows, paid_days, paid_amounts = _payment_rows(clock, c.PAYABLE, "VF", ids, rows=np.arange(n),
                                                                 dates=paid_on, amounts=amount)
    status = _status(n, paid_rows, paid_amounts, amount)
    invoices = _invoice_frame(c.PAYABLE, ids, suppliers.ids[party], issue, due, amount,
                              np.full(n, "EUR", dtype=object), disputed, terms, status)
    return invoices, payments, _Cash(paid_days, -paid_amounts, suppliers.account_code[party[paid_rows]])


def _ids(prefix: str, n: int, width: int) -> pd.Series:
    """Return ids prefix0000001.. as a string Series (pandas string ops: fast for millions)."""
    return prefix + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)


def _payment_rows(clock: _Clock, side: str, prefix: str, invoice_ids: pd.Series, rows: np.ndarray,
                  dates: np.ndarray, amounts: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Return PAYMENT_COLUMNS of the payments dated on or before today, with their rows, days and amounts."""
    keep = dates <= clock.today
    rows, dates, amounts = rows[keep], dates[keep], amounts[keep]
    order = np.lexsort((rows, dates))
    rows, dates, amounts = rows[order], dates[order], np.round(amounts[order], 2)
    frame = pd.DataFrame({
        c.SOURCE: DEMO_SOURCE,
        c.SIDE: side,
        c.PAYMENT_ID: _ids(prefix, len(rows), 7),
        c.INVOICE_ID: pd.Series(invoice_ids.array.take(rows)),  # stays an arrow string: no object detour
        c.PAYMENT_DATE: _timestamps(dates),
        c.AMOUNT: amounts,
    })
    return frame.astype({c.SOURCE: "str", c.SIDE: "str"}), rows, dates, amounts


def _status(n: int, paid_rows: np.ndarray, paid_amounts: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Return "paid" where payments cover the amount within a cent, else "open"."""
    paid = np.bincount(paid_rows, weights=paid_amounts, minlength=n)
    return np.where(np.abs(amount - paid) <= 0.01, "paid", "open").astype(object)


def _invoice_frame(side: str, ids: pd.Series, counterparty_ids: np.ndarray, issue: np.ndarray, due: np.ndarray,
                   amount: np.ndarray, currency: np.ndarray, disputed: np.ndarray, terms: pd.Categorical,
                   status: np.ndarray) -> pd.DataFrame:
    """Return invoices with exactly INVOICE_COLUMNS and the contract's dtypes."""
    frame = pd.DataFrame({
        c.SOURCE: DEMO_SOURCE,
        c.SIDE: side,
        c.INVOICE_ID: ids,
        c.COUNTERPARTY_ID: counterparty_ids,
        c.ENTITY: DEMO_ENTITY,
        c.ISSUE_DATE: _timestamps(issue),
        c.DUE_DATE: _timestamps(due),
        c.AMOUNT_TTC: amount.astype(np.float64),
        c.CURRENCY: currency,
        c.DISPUTED: disputed.astype(bool),
        c.TERMS: terms.astype(object),
        c.STATUS: status,
    })
    return frame.astype({c.COUNTERPARTY_ID: "str", c.CURRENCY: "str", c.TERMS: "str", c.STATUS: "str",
                         c.SOURCE: "str", c.SIDE: "str", c.ENTITY: "str"})[c.INVOICE_COLUMNS]


# --- planned flows and bank ----------------------------------------------------------------------------
def _month_day(month: np.datetime64, day: int) -> np.datetime64:
    """Return the `day` of `month` (datetime64[M]) as datetime64[D]."""
    return month.astype("datetime64[D]") + (day - 1)


def _first_on_or_after(start: np.datetime64, day: int, months: tuple[int, ...] = tuple(range(1, 13))) -> np.datetime64:
    """Return the first date on or after `start` that falls on `day` of one of `months`."""
    month = start.astype("datetime64[M]")
    while True:  # at most a year of months
        candidate = _month_day(month, day)
        if candidate >= start and int(month.astype(np.int64) % 12) + 1 in months:
            return candidate
        month += 1


def _planned_flows(clock: _Clock, scale: float) -> pd.DataFrame:
    """Return PLANNED_FLOW_COLUMNS: payroll, social, VAT, rent, a loan, tax instalments and a capex."""
    start, today = clock.start, clock.today
    loan_first = _month_day(today.astype("datetime64[M]") - 42, 5)  # a 600 k€ loan, 5 years at ~3.5 %
    loan_end = _month_day(loan_first.astype("datetime64[M]") + 59, 5)  # 60 monthly instalments
    capex_on = clock.calendar.roll_forward(today + 40)[0]
    rows = [
        ("Salaires nets", "payroll", BNP, -200_000.0, _first_on_or_after(start, 28), "monthly", None),
        ("Charges sociales (URSSAF, retraite)", "social", BNP, -90_000.0, _first_on_or_after(start, 15),
         "monthly", None),
        ("TVA à décaisser (CA3)", "vat", BNP, -72_000.0, _first_on_or_after(start, 20), "monthly", None),
        ("Loyer et charges des locaux", "rent", CIC, -40_000.0, _first_on_or_after(start, 1, (1, 4, 7, 10)),
         "quarterly", None),
        ("Échéance prêt BPI", "loan", BNP, -10_915.0, loan_first, "monthly", loan_end),
        *[(f"Acompte IS {label}", "tax", BNP, -22_000.0, _first_on_or_after(start, 15, (month,)), "yearly", None)
          for label, month in (("mars", 3), ("juin", 6), ("septembre", 9), ("décembre", 12))],
        ("Solde IS", "tax", BNP, -15_000.0, _first_on_or_after(start, 15, (5,)), "yearly", None),
        ("Renouvellement ligne de production", "capex", BNP, -150_000.0, capex_on, "none", None),
    ]
    return pd.DataFrame({
        c.FLOW_ID: [f"PF{i:02d}" for i in range(1, len(rows) + 1)],
        c.LABEL: [r[0] for r in rows],
        c.CATEGORY: [r[1] for r in rows],
        c.ACCOUNT_ID: [r[2] for r in rows],
        c.AMOUNT: [round(r[3] * scale, 2) for r in rows],
        c.CURRENCY: c.REPORTING_CURRENCY,
        c.FIRST_DATE: _timestamps(np.array([r[4] for r in rows], dtype="datetime64[D]")),
        c.RECURRENCE: [r[5] for r in rows],
        c.END_DATE: _timestamps(np.array([r[6] if r[6] is not None else "NaT" for r in rows],
                                         dtype="datetime64[D]")),
    })[c.PLANNED_FLOW_COLUMNS]


_MONTHS_PER_STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}


def _occurrences(first: np.datetime64, recurrence: str, last: np.datetime64) -> np.ndarray:
    """Return the dates (datetime64[D]) of a planned flow from `first` to `last` (unrolled)."""
    if recurrence == "none":
        return np.array([first] if first <= last else [], dtype="datetime64[D]")
    if recurrence == "weekly":
        return np.arange(first, last + 1, 7)
    step = _MONTHS_PER_STEP[recurrence]
    months = first.astype("datetime64[M]") + step * np.arange(0, 12 * 200 // step)
    day = int((first - first.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64))
    month_len = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64)
    dates = months.astype("datetime64[D]") + np.minimum(day, month_len - 1)
    return dates[dates <= last]


def _bank_balances(clock: _Clock, scale: float, cash: list[_Cash], planned: pd.DataFrame) -> pd.DataFrame:
    """Return BANK_BALANCE_COLUMNS: each account's end-of-day balance on every business day of the window."""
    for flow in planned.itertuples(index=False):  # a loop per planned flow (a dozen)
        first = np.datetime64(getattr(flow, c.FIRST_DATE), "D")
        end = getattr(flow, c.END_DATE)
        last = clock.today if pd.isna(end) else min(clock.today, np.datetime64(end, "D"))
        on = clock.calendar.roll_forward(_occurrences(first, getattr(flow, c.RECURRENCE), last))
        on = on[on <= clock.today]
        account = _ACCOUNTS.index(getattr(flow, c.ACCOUNT_ID))
        cash = [*cash, _Cash(on, np.full(len(on), getattr(flow, c.AMOUNT)), np.full(len(on), account))]
    all_days = np.concatenate([m.days for m in cash])
    all_eur = np.concatenate([m.eur for m in cash])
    all_account = np.concatenate([m.account for m in cash]).astype(np.int64)

    grid = clock.bdays[clock.bdays >= clock.start + _BANK_WARMUP_DAYS]
    pos = np.searchsorted(grid, all_days)  # every flow lands on a business day, so positions are exact
    inside = (all_days >= grid[0]) & (pos < len(grid))
    daily = np.zeros((len(_ACCOUNTS), len(grid)))
    np.add.at(daily, (all_account[inside], pos[inside]), all_eur[inside])

    total_flow = daily.sum(axis=0)
    relative = np.cumsum(total_flow) - total_flow.sum()  # balance minus today's balance
    # end near the target, higher if the history would otherwise dip below the floor, never above the cap
    end_total = min(max(_END_CASH_TARGET, _HISTORY_CASH_FLOOR - relative.min() / scale), _END_CASH_CAP) * scale
    total = end_total + relative
    weeks = (grid.astype(np.int64) + 3) // 7  # Monday-based week numbers (1970-01-01 was a Thursday)
    cic = _CIC_SWEEP_TARGET * scale + pd.Series(daily[1]).groupby(weeks).cumsum().to_numpy()
    balances = np.vstack([total - cic, cic])
    return pd.DataFrame({
        c.ACCOUNT_ID: np.repeat(np.asarray(_ACCOUNTS), len(grid)),
        c.BALANCE_DATE: _timestamps(np.tile(grid, len(_ACCOUNTS))),
        c.BALANCE: np.round(balances.ravel(), 2),
    })

