"""Alerts a treasurer must see at a glance: cash below zero or beyond the overdraft, clients over their credit limit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.i18n.formats import fmt_date, fmt_money
from forecasting.i18n.translate import tr, trn

OVERDRAFT = "overdraft_breach"  # expected closing balance beyond the authorised overdraft
BELOW_ZERO = "below_zero"  # expected closing balance below zero (within the overdraft)
RISK_BELOW_ZERO = "risk_below_zero"  # only the pessimistic path (P10) goes below zero
CREDIT_LIMIT = "credit_limit"  # a client's encours exceeds its credit limit

SEVERITY = {OVERDRAFT: "error", BELOW_ZERO: "warning", RISK_BELOW_ZERO: "info", CREDIT_LIMIT: "warning"}
MAX_CLIENTS_NAMED = 3  # a banner names the largest excesses; the Receivables page lists them all


@dataclass(frozen=True)
class Alert:
    """One alert: what, when, how much, against which limit, and for whom."""

    kind: str
    day: pd.Timestamp | None = None
    amount_eur: float = 0.0  # closing balance that day, or the client's encours
    limit_eur: float | None = None  # overdraft limit or credit limit
    low_eur: float | None = None  # cash alerts: the lowest expected closing within the horizon
    low_day: pd.Timestamp | None = None
    clients: tuple[tuple[str, float, float], ...] = ()  # credit alerts: (name, encours, limit), largest excess first
    n_clients: int = 0

    @property
    def severity(self) -> str:
        """Return 'error', 'warning' or 'info' (how the banner is drawn); below zero without overdraft is an error."""
        if self.kind == BELOW_ZERO and not self.limit_eur:
            return "error"
        return SEVERITY[self.kind]


def cash_alerts(daily: pd.DataFrame, overdraft_limit_eur: float) -> list[Alert]:
    """Return the cash alert of a projection's daily frame: overdraft breach, else below zero, else P10 risk."""
    if daily.empty:
        return []
    dates = pd.to_datetime(daily["date"]).to_numpy()
    # One path for every cash figure, the expected one (reports/figures.py): the first day below zero, the amount
    # that day and the lowest point are those of the projection summary and the outlook's tiles.
    expected = daily["closing_expected"].to_numpy(float)
    low = int(np.argmin(expected))
    low_eur, low_day = float(expected[low]), pd.Timestamp(dates[low])
    limit = float(overdraft_limit_eur or 0.0)
    checks = [(OVERDRAFT, expected < -limit)] if limit > 0 else []
    for kind, mask in [*checks, (BELOW_ZERO, expected < 0)]:
        if mask.any():
            first = int(np.argmax(mask))
            return [Alert(kind, pd.Timestamp(dates[first]), float(expected[first]), limit, low_eur, low_day)]
    pessimistic = daily["closing_p10"].to_numpy(float)
    if (pessimistic < 0).any():
        first = int(np.argmax(pessimistic < 0))
        return [Alert(RISK_BELOW_ZERO, pd.Timestamp(dates[first]), float(pessimistic[first]), limit,
                      float(pessimistic.min()), pd.Timestamp(dates[int(np.argmin(pessimistic))]))]
    return []


def credit_limit_alerts(scorecard: pd.DataFrame) -> list[Alert]:
    """Return one alert naming the clients whose encours exceeds their credit limit (largest excess first)."""
    over = scorecard[scorecard["over_limit"]] if "over_limit" in scorecard else scorecard.iloc[0:0]
    if over.empty:
        return []
    excess = (over["encours_eur"] - over["credit_limit_eur"]).to_numpy(float)
    top = over.iloc[np.argsort(-excess, kind="stable")[:MAX_CLIENTS_NAMED]]
    names = top[C.NAME].where(top[C.NAME].notna(), top[C.COUNTERPARTY_ID]).astype(str)
    clients = tuple(zip(names, top["encours_eur"].astype(float), top["credit_limit_eur"].astype(float), strict=True))
    return [Alert(CREDIT_LIMIT, clients=clients, n_clients=len(over))]


def alert_text(alert: Alert, lang: str) -> str:
    """Return the banner text of an alert in `lang`, with its date and amounts."""
    def money(v: float | None) -> str:
        return fmt_money(v, lang)

    if alert.kind == CREDIT_LIMIT:
        separator = " ; " if lang == "fr" else "; "  # French sets a space before ';' as before ':'
        named = separator.join(tr("{name}: {encours} for a limit of {limit}", lang, name=n, encours=money(e),
                                  limit=money(li)) for n, e, li in alert.clients)
        more = alert.n_clients - len(alert.clients)
        text = trn("{n} client over its credit limit: {named}", "{n} clients over their credit limit: {named}",
                   alert.n_clients, lang, named=named)
        return text + (tr(", and {more} more (see Receivables)", lang, more=more) if more > 0 else ".")
    day, low_day = fmt_date(alert.day, lang), fmt_date(alert.low_day, lang)
    if alert.kind == OVERDRAFT:
        return tr("Cash goes beyond the authorised overdraft of {limit} on {day} ({amount}); lowest point "
                  "{low} on {low_day}.", lang, limit=money(alert.limit_eur), day=day, amount=money(alert.amount_eur),
                  low=money(alert.low_eur), low_day=low_day)
    if alert.kind == BELOW_ZERO:
        return tr("Cash goes below zero on {day} ({amount}); lowest point {low} on {low_day}.", lang, day=day,
                  amount=money(alert.amount_eur), low=money(alert.low_eur), low_day=low_day)
    return tr("Risk: 1 chance in 10 that cash goes below zero from {day} ({amount} on the pessimistic path P10).",
              lang, day=day, amount=money(alert.amount_eur))
