"""The demo's bank statements: every movement of its two accounts, from the very flows its daily balances add up.

- Client receipts: one transfer per client, day and account (a client paying several invoices the same day pays
  them at once); about half name the invoices in the label ('FA0001234', 'FACT FA0001234', 'FACTURE N FA-0001234',
  'fa 0001234'), the others only the client; the payer's IBAN on most. About one foreign-currency receipt in two
  and a few others arrive short of a bank fee (4.50 to 25 EUR), booked as a flow of its own in the balances.
- Supplier payments: one transfer per supplier, day and account (the weekly run), naming our invoice numbers;
  planned flows with the labels French banks print (VIR SEPA SALAIRES, PRLV URSSAF, DGFIP TVA, LOYER, ECHEANCE
  PRET, DGFIP IMPOT SOCIETES); account fees and card fees each month, card receipts (REMISE CB) each Friday and a
  few receipts no invoice explains (an insurance claim, a grant): these come on top of the ledger's flows.
- CIC-OPS's weekly sweep shows as a pair of internal transfers: each is what the balances move by beyond the day's
  other movements, so every statement day balances: previous balance + movements = balance.
- Export lag: the ledger is exported EXPORT_LAG_BDAYS business days behind the bank: the client payments of the
  last days are in the statements, not in the ledger (the invoices still show open).
The truth (which movement pays which invoices, and how much of each) is `DemoData.movement_truth`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core import columns as c
from forecasting.demo.bank import Cash, _occurrences
from forecasting.demo.clock import Clock, timestamps
from forecasting.demo.invoices import Drawn
from forecasting.demo.params import ACCOUNTS, BANK_WARMUP_DAYS, BNP, CIC

EXPORT_LAG_BDAYS = 3
TRUTH_COLUMNS = [c.ACCOUNT_ID, c.MOVEMENT_ID, c.SIDE, c.SOURCE, c.INVOICE_ID, c.AMOUNT]
FEE_COLUMNS = [c.ACCOUNT_ID, c.MOVEMENT_ID, c.BOOKING_DATE, "fee"]  # EUR a paying bank kept from a receipt
_FEES = np.array([4.5, 8.0, 12.0, 15.0, 25.0])


def iban(country: str, bban: str) -> str:
    """Return the IBAN of a national account number, with its ISO 13616 check digits (mod 97)."""
    digits = "".join(str(int(ch, 36)) for ch in (bban + country + "00").upper())
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


# Valid French RIBs (bank, branch, account, RIB key): a CFONB 120 statement carries the RIB, and its IBAN is
# rebuilt from it with the key computed, so the key must be the true one.
ACCOUNT_IBANS = {BNP: iban("FR", "30004008190001234567879"), CIC: iban("FR", "30066109780002098765433")}


@dataclass(frozen=True)
class BankExtras:
    """What the bank sees besides the ledger's payments and the planned flows: fees, card receipts, strays."""

    cash: list[Cash]  # for the balances
    receipt_fees: npt.NDArray[np.float64]  # per client payment row (sales.payments order): fee deducted, EUR
    others: pd.DataFrame  # day, account (position), eur, label, code


def draw_extras(rng: np.random.Generator, clock: Clock, scale: float, sales: Drawn) -> BankExtras:
    """Return the fees, card receipts and stray movements the demo's bank adds to the ledger's flows."""
    foreign = sales.payments[c.INVOICE_ID].map(
        sales.invoices.set_index(c.INVOICE_ID)[c.CURRENCY]).to_numpy() != c.REPORTING_CURRENCY
    positive = sales.payments[c.AMOUNT].to_numpy() > 100
    chosen = positive & (rng.random(len(positive)) < np.where(foreign, 0.15, 0.004))
    # one fee per transfer: a client's receipts of one day and account are one movement (statement below)
    owner = sales.payments[c.INVOICE_ID].map(sales.invoices.set_index(c.INVOICE_ID)[c.COUNTERPARTY_ID])
    transfer = pd.DataFrame({"owner": owner.to_numpy(), "day": sales.cash.days, "account": sales.cash.account})
    chosen &= ~transfer[chosen].duplicated().reindex(transfer.index, fill_value=False).to_numpy()
    fees = np.where(chosen, rng.choice(_FEES, len(positive)), 0.0)
    grid = clock.bdays[clock.bdays >= clock.start + BANK_WARMUP_DAYS]
    months = np.unique(grid.astype("datetime64[M]"))
    first_days = grid[np.searchsorted(grid, months.astype("datetime64[D]"))]
    rows: list[tuple[np.datetime64, int, float, str, str]] = []
    for account in range(len(ACCOUNTS)):  # a few dozen months: the monthly fees
        amounts = -np.round(rng.uniform(18, 45, len(first_days)), 2)
        rows += [(d, account, a, "FRAIS TENUE DE COMPTE", "ACMT-MDOP-CHRG") for d, a in zip(first_days, amounts,
                                                                                         strict=True)]
    quarter = first_days[months.astype(np.int64) % 3 == 0]
    rows += [(d, 0, -49.5, "COTIS CARTE AFFAIRES VISA BUSINESS", "ACMT-MDOP-CHRG") for d in quarter]
    penalty = grid[rng.random(len(grid)) < 0.03]
    rows += [(d, 0, -8.0, "COMMISSION D INTERVENTION", "ACMT-MDOP-CHRG") for d in penalty]
    fridays = grid[(grid.astype(np.int64) + 3) % 7 == 4]
    card = np.round(rng.lognormal(np.log(1_400 * scale), 0.4, len(fridays)), 2)
    rows += [(d, 0, float(a), f"REMISE CB {str(d)[8:10]}{str(d)[5:7]} TPE 0482213", "PMNT-CCRD-POSD")
             for d, a in zip(fridays, card, strict=True)]
    strays = (("VIR SEPA RECU /DE AXA FRANCE IARD /MOTIF INDEMNITE SINISTRE 2026-0456", 4_800.0, 0),
              ("VIR SEPA RECU /DE REGION ILE DE FRANCE /MOTIF SUBVENTION INNOVUP", 15_000.0, 0),
              ("PRLV SEPA ORANGE BUSINESS SERVICES /REF ABO-LIGNES", -389.9, 1))
    for k, (label, eur, account) in enumerate(strays):
        day = grid[-(20 + 17 * k)]
        rows.append((day, account, round(eur * scale, 2), label, "PMNT-RCDT-ESCT" if eur > 0 else "PMNT-IDDT-ESDD"))
    others = pd.DataFrame(rows, columns=["day", "account", "eur", "label", "code"])
    on_receipt = Cash(sales.cash.days, -fees, sales.cash.account)
    mine = Cash(others["day"].to_numpy(dtype="datetime64[D]"), others["eur"].to_numpy(dtype=float),
                others["account"].to_numpy(dtype=np.int64))
    return BankExtras([on_receipt, mine], fees, others)


def lagged(sales: Drawn, clock: Clock, lag_bdays: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return client payments and invoices as a ledger exported `lag_bdays` business days behind the bank."""
    if lag_bdays <= 0:
        return sales.payments, sales.invoices
    cutoff = np.datetime64(clock.bdays[-lag_bdays - 1], "D")
    pay = sales.payments
    late = (pay[c.PAYMENT_DATE].to_numpy().astype("datetime64[D]") > cutoff) & (pay[c.AMOUNT].to_numpy() > 0)
    reopened = sales.invoices[c.INVOICE_ID].isin(pay.loc[late, c.INVOICE_ID]).to_numpy()
    invoices = sales.invoices.copy()
    invoices.loc[reopened, c.STATUS] = "open"
    return pay[~late].reset_index(drop=True), invoices


def _flows(drawn: Drawn, sign: float, fees: npt.NDArray[np.float64] | None) -> pd.DataFrame:
    """Return one row per payment: invoice, counterparty, day, account, cents at the bank, invoice-currency amount."""
    pay = drawn.payments
    owner = pay[c.INVOICE_ID].map(drawn.invoices.set_index(c.INVOICE_ID)[c.COUNTERPARTY_ID])
    cents = np.rint(np.round(drawn.cash.eur, 2) * 100).astype(np.int64)
    fee_cents = np.zeros(len(pay), np.int64) if fees is None else np.rint(fees * 100).astype(np.int64)
    return pd.DataFrame({
        c.INVOICE_ID: pay[c.INVOICE_ID].to_numpy(), c.COUNTERPARTY_ID: owner.to_numpy(),
        "day": drawn.cash.days.astype("datetime64[D]"), "account": drawn.cash.account,
        "cents": cents * int(sign), "fee": fee_cents, c.AMOUNT: pay[c.AMOUNT].to_numpy(),
    })


def _invoice_text(ids: pd.Series, style: npt.NDArray[np.int64]) -> pd.Series:
    """Return invoice numbers as payers write them, by style: as is, 'FACT X', 'FACTURE N FA-…', lower with a space."""
    prefix, number = ids.str.slice(0, 2), ids.str.slice(2)
    forms = [ids, "FACT " + ids, "FACTURE N " + prefix + "-" + number, prefix.str.lower() + " " + number]
    out = forms[0].copy()
    for k in range(1, 4):
        out = out.where(style != k, forms[k])
    return out


def statement(rng: np.random.Generator, clock: Clock, sales: Drawn, purchases: Drawn, planned: pd.DataFrame,
              counterparties: pd.DataFrame, extras: BankExtras,
              balances: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the movements (BANK_MOVEMENT_COLUMNS) of both accounts, the truth (TRUTH_COLUMNS) and the bank fees
    deducted from receipts (FEE_COLUMNS)."""
    names = counterparties.set_index(c.COUNTERPARTY_ID)[c.NAME]
    party_iban = pd.Series([iban("FR", f"{10000 + k * 37:05d}{k % 100000:05d}{k * 7919:011d}{k % 97:02d}")
                            for k in range(len(names))], index=names.index)  # fictitious, valid check digits
    grid = clock.bdays[clock.bdays >= clock.start + BANK_WARMUP_DAYS]
    groups: list[pd.DataFrame] = []
    truth: list[pd.DataFrame] = []
    for side, drawn, sign, fees in ((c.RECEIVABLE, sales, 1, extras.receipt_fees), (c.PAYABLE, purchases, -1, None)):
        flows = _flows(drawn, sign, fees)
        key = ["account", "day", c.COUNTERPARTY_ID]
        flows["group"] = flows.groupby(key, sort=True).ngroup()
        n = int(flows["group"].max()) + 1 if len(flows) else 0
        style = rng.integers(0, 4, n)
        named = rng.random(n) < (0.5 if side == c.RECEIVABLE else 0.9)
        text = _invoice_text(flows[c.INVOICE_ID], style[flows["group"].to_numpy()])
        refs = text.groupby(flows["group"]).agg(" ".join)
        head = flows.groupby("group").agg(account=("account", "first"), day=("day", "first"),
                                          party=(c.COUNTERPARTY_ID, "first"), cents=("cents", "sum"),
                                          fee=("fee", "sum"))
        party_name = head["party"].map(names).str.upper()
        refs_text = ("/MOTIF " + refs).to_numpy(dtype=object)
        if side == c.RECEIVABLE:
            cents = (head["cents"] - head["fee"]).to_numpy()
            # a credit note alone on its day is money we give back
            label = np.where(cents > 0, "VIR SEPA RECU /DE ", "VIR SEPA EMIS /A ").astype(object) + party_name.to_numpy()
            remittance = np.where(named | (cents <= 0), refs_text, "/MOTIF REGLEMENT FACTURES")
            code = np.where(cents > 0, "PMNT-RCDT-ESCT", "PMNT-ICDT-ESCT")
        else:
            cents = -head["cents"].to_numpy()
            label = ("VIR SEPA EMIS /A " + party_name).to_numpy(dtype=object)
            remittance = np.where(named, refs_text, "/MOTIF PAIEMENT FOURNISSEUR")
            code = np.full(n, "PMNT-ICDT-ESCT")
        ibans = head["party"].map(party_iban).to_numpy(dtype=object)
        groups.append(pd.DataFrame({
            "account": head["account"].to_numpy(), "day": head["day"].to_numpy(), "cents": cents,
            c.LABEL: label, c.REMITTANCE: remittance, c.COUNTERPARTY_NAME: head["party"].map(names).to_numpy(),
            c.COUNTERPARTY_IBAN: np.where(rng.random(n) < 0.8, ibans, np.full(n, None, dtype=object)),
            c.OPERATION_CODE: code, "group": np.arange(n), c.SIDE: side, "fee": head["fee"].to_numpy() / 100.0,
        }))
        truth.append(pd.DataFrame({"group": flows["group"].to_numpy(), c.SIDE: side, c.SOURCE: "demo",
                                   c.INVOICE_ID: flows[c.INVOICE_ID].to_numpy(), c.AMOUNT: flows[c.AMOUNT].to_numpy()}))
    groups.append(_planned_movements(clock, planned))
    others = extras.others
    groups.append(pd.DataFrame({"account": others["account"], "day": others["day"].to_numpy(dtype="datetime64[D]"),
                                "cents": np.rint(others["eur"].to_numpy() * 100).astype(np.int64),
                                c.LABEL: others["label"], c.OPERATION_CODE: others["code"]}))
    moves = pd.concat(groups, ignore_index=True)
    pos = np.searchsorted(grid, moves["day"].to_numpy(dtype="datetime64[D]"))
    inside = (moves["day"].to_numpy(dtype="datetime64[D]") >= grid[0]) & (pos < len(grid)) & (moves["cents"] != 0)
    moves = moves[inside].assign(pos=pos[inside])
    moves = pd.concat([moves, _sweeps(moves, balances, grid)], ignore_index=True)
    return _finish(rng, moves, grid, truth)


def _planned_movements(clock: Clock, planned: pd.DataFrame) -> pd.DataFrame:
    """Return the planned flows' occurrences up to today with bank labels (as bank.bank_balances books them)."""
    words = {"payroll": ("VIR SEPA EMIS /MOTIF SALAIRES {m}", "PMNT-ICDT-SALA"),
             "social": ("PRLV SEPA URSSAF ILE DE FRANCE /REF DUE {m}", "PMNT-IDDT-ESDD"),
             "vat": ("PRLV SEPA DGFIP TVA CA3 {m}", "PMNT-IDDT-ESDD"),
             "rent": ("VIR SEPA EMIS /A SCI DES TILLEULS /MOTIF LOYER {m}", "PMNT-ICDT-ESCT"),
             "loan": ("ECHEANCE PRET N 0012345678 BPI {m}", "LDAS-CSLN-RPMT"),
             "tax": ("PRLV SEPA DGFIP IMPOT SOCIETES {m}", "PMNT-IDDT-ESDD"),
             "capex": ("VIR SEPA EMIS /MOTIF INVESTISSEMENT {m}", "PMNT-ICDT-ESCT")}
    rows = []
    for flow in planned.itertuples(index=False):  # a dozen planned flows
        first = np.datetime64(getattr(flow, c.FIRST_DATE), "D")
        end = getattr(flow, c.END_DATE)
        last = clock.today if pd.isna(end) else min(clock.today, np.datetime64(end, "D"))
        on = clock.calendar.roll_forward(_occurrences(first, getattr(flow, c.RECURRENCE), last))
        on = on[on <= clock.today]
        template, code = words.get(getattr(flow, c.CATEGORY), ("VIR SEPA EMIS /MOTIF {m}", "PMNT-ICDT-ESCT"))
        rows.append(pd.DataFrame({
            "account": ACCOUNTS.index(getattr(flow, c.ACCOUNT_ID)), "day": on,
            "cents": int(round(getattr(flow, c.AMOUNT) * 100)),
            c.LABEL: [template.format(m=str(d)[5:7] + "/" + str(d)[:4]) for d in on], c.OPERATION_CODE: code}))
    return pd.concat(rows, ignore_index=True)


def _sweeps(moves: pd.DataFrame, balances: pd.DataFrame, grid: npt.NDArray[np.datetime64]) -> pd.DataFrame:
    """Return the internal transfers: on each account and day, the balance's move beyond the other movements."""
    out = []
    for k, account in enumerate(ACCOUNTS):  # two accounts
        bal = balances[balances[c.ACCOUNT_ID] == account].sort_values(c.BALANCE_DATE)
        cents = np.rint(bal[c.BALANCE].to_numpy() * 100).astype(np.int64)
        mine = moves[moves["account"] == k]
        daily = np.bincount(mine["pos"].to_numpy(), weights=mine["cents"].to_numpy(), minlength=len(grid))
        residual = np.r_[0, np.diff(cents)] - np.rint(daily).astype(np.int64)
        residual[0] = 0  # the first day has no balance before it: the statement opens with that day's
        at = np.flatnonzero(residual)
        other = ACCOUNTS[1 - k]
        out.append(pd.DataFrame({"account": k, "day": grid[at], "pos": at, "cents": residual[at],
                                 c.LABEL: f"VIREMENT INTERNE EQUILIBRAGE {other}", c.OPERATION_CODE: "PMNT-ICDT-BOOK",
                                 c.COUNTERPARTY_NAME: "NOTRE SOCIETE", c.COUNTERPARTY_IBAN: ACCOUNT_IBANS[other]}))
    return pd.concat(out, ignore_index=True)


def _finish(rng: np.random.Generator, moves: pd.DataFrame, grid: npt.NDArray[np.datetime64],
            truth: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the movements with ids, dates and references, the truth keyed by movement and the fees deducted."""
    moves = moves.sort_values(["account", "pos", "cents"], kind="stable").reset_index(drop=True)
    booking = grid[moves["pos"].to_numpy()]
    account = np.asarray(ACCOUNTS, dtype=object)[moves["account"].to_numpy()]
    references = [f"{x:016X}" for x in rng.integers(0, 2**62, len(moves))]
    # A movement's id is its bank reference, as `import bank-statement` keys a movement with a reference of its
    # own: the demo's statement files (data/examples) then add nothing to the demo they were written from.
    movement_id = pd.Series(references)
    frame = pd.DataFrame({
        c.ACCOUNT_ID: account, c.MOVEMENT_ID: movement_id.to_numpy(),
        c.BOOKING_DATE: timestamps(booking), c.VALUE_DATE: timestamps(moves["day"].to_numpy(dtype="datetime64[D]")),
        c.AMOUNT: moves["cents"].to_numpy() / 100.0, c.CURRENCY: c.REPORTING_CURRENCY,
        c.LABEL: moves[c.LABEL].to_numpy(), c.REMITTANCE: moves[c.REMITTANCE].to_numpy(),
        c.COUNTERPARTY_NAME: moves[c.COUNTERPARTY_NAME].to_numpy(), c.COUNTERPARTY_IBAN: moves[c.COUNTERPARTY_IBAN].to_numpy(),
        c.BANK_REFERENCE: references,
        c.OPERATION_CODE: moves[c.OPERATION_CODE].to_numpy(), c.CATEGORY: None, c.IMPORT_ID: pd.NA,
    })[c.BANK_MOVEMENT_COLUMNS]
    frame = frame.astype({c.IMPORT_ID: "Int64"})
    keyed = moves[[c.SIDE, "group"]].assign(**{c.ACCOUNT_ID: account, c.MOVEMENT_ID: movement_id.to_numpy()})
    keyed = keyed[keyed["group"].notna()].astype({"group": "int64"})
    found = [t.merge(keyed[keyed[c.SIDE] == t[c.SIDE].iloc[0]][[c.ACCOUNT_ID, c.MOVEMENT_ID, "group"]], on="group")
             for t in truth if len(t)]
    fees = frame.loc[moves["fee"].fillna(0).to_numpy() > 0, [c.ACCOUNT_ID, c.MOVEMENT_ID, c.BOOKING_DATE]].assign(
        fee=moves["fee"].to_numpy()[moves["fee"].fillna(0).to_numpy() > 0])
    return frame, pd.concat(found, ignore_index=True)[TRUTH_COLUMNS], fees.reset_index(drop=True)[FEE_COLUMNS]
