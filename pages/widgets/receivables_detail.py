"""The Receivables page's drill-downs: the invoices of an aging bucket, and one client in detail with its forecast."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

import pandas as pd
import streamlit as st

from forecasting.core import columns as C
from forecasting.kpis.base import AMOUNT_EUR, DAYS_OVERDUE, OPEN_EUR, KpiBasis
from forecasting.kpis.clients import aging_labels
from forecasting.kpis.drilldown import (
    CREDIT_NOTE_NETTED,
    DELAY_DAYS,
    bucket_invoices,
    client_open_invoices,
    client_payment_history,
)
from forecasting.kpis.summary import KpiSettings, kpi_basis
from forecasting.model.explain import OWN, SEGMENT, explain
from forecasting.projection.drilldown import CHANCE_IN_HORIZON, PAY_P10, PAY_P50, PAY_P90, open_invoice_dates
from forecasting.reports.charts.client import client_history_figure
from pages.widgets.chart import show_chart
from pages.widgets.common import (
    _,
    cached_cash,
    counted,
    data_key,
    date_format,
    days_text,
    known,
    lang,
    ledger_at,
    money,
    name_column,
    paid_by_labels,
    percent,
    styled,
    tiles,
)
from pages.widgets.downloads import chart_downloads, table_download

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DRILL_HORIZON_WEEKS = 26  # an open invoice's likely dates: half a year covers all but the slowest payers


@st.cache_data(show_spinner=False, max_entries=8)
def _basis(path: str, fingerprint: tuple[int, int, int], as_of: date, settings_key: tuple) -> KpiBasis:
    """Return the ledger settled at as-of (the receivables figures' basis), once per data version and settings."""
    return kpi_basis(ledger_at(path, fingerprint), as_of, KpiSettings(*settings_key))


def _labels() -> dict[str, str]:
    """Return the shown names of the invoice columns in the chosen language."""
    return {C.NAME: _("Client"), C.INVOICE_ID: _("Invoice"), C.ISSUE_DATE: _("Issued"), C.DUE_DATE: _("Due"),
            DAYS_OVERDUE: _("Days overdue"), C.AMOUNT_TTC: _("Amount"), C.CURRENCY: _("Currency"),
            OPEN_EUR: _("Open (EUR)"), C.DISPUTED: _("Disputed"), **paid_by_labels(),
            CHANCE_IN_HORIZON: _("Paid within 26 weeks")}


def _table(frame: pd.DataFrame, key: str) -> None:
    """Draw invoices with dates and amounts written the page's way, and their CSV download."""
    shown = frame.drop(columns=[C.COUNTERPARTY_ID])
    dates = {c: st.column_config.DateColumn(_labels()[c], format=date_format())
             for c in (C.ISSUE_DATE, C.DUE_DATE, PAY_P10, PAY_P50, PAY_P90) if c in shown}
    st.dataframe(styled(shown, money_columns=(C.AMOUNT_TTC, OPEN_EUR), percent_columns=(CHANCE_IN_HORIZON,),
                        number_columns=(DAYS_OVERDUE,)),
                 hide_index=True, width="stretch", height=300, key=f"{key}_table",
                 column_config={c: label for c, label in _labels().items() if c in shown} | dates
                 | ({C.NAME: name_column(_labels()[C.NAME], shown[C.NAME])} if C.NAME in shown else {}))
    table_download(shown, key, key=f"{key}_csv", labels=_labels())


def _history_labels() -> dict[str, str]:
    """Return the shown names of the payment history's columns in the chosen language."""
    return {C.INVOICE_ID: _("Invoice"), C.ISSUE_DATE: _("Issued"), C.DUE_DATE: _("Due"),
            C.PAYMENT_DATE: _("Settled on"), AMOUNT_EUR: _("Amount (EUR)"), C.SETTLED_BY: _("Settled by"),
            DELAY_DAYS: _("Days after due date")}


def _history(history: pd.DataFrame, key: str) -> None:
    """Draw a client's cash payments and credit notes up to as-of, newest first, and its CSV download."""
    st.markdown(_("**Its payment history: cash payments and credit notes set against its invoices**"))
    credits = history[history[C.SETTLED_BY] == C.CREDIT_NOTE]
    if len(credits):
        # often credited, often disputed: worth saying, and why these rows have no delay
        st.caption(counted("{n} credit note set against its invoices, {amount}: no money came, so it has no delay.",
                           "{n} credit notes set against its invoices, {amount} in all: no money came, so they have "
                           "no delay.", len(credits), amount=money(float(credits[AMOUNT_EUR].sum()))))
    kinds = {C.CASH: _("cash"), C.CREDIT_NOTE: _("credit note"),
             CREDIT_NOTE_NETTED: _("its credit note, netted")}
    shown = history.assign(**{C.SETTLED_BY: history[C.SETTLED_BY].map(kinds)}).iloc[::-1].reset_index(drop=True)
    labels = _history_labels()
    dates = {c: st.column_config.DateColumn(labels[c], format=date_format())
             for c in (C.ISSUE_DATE, C.DUE_DATE, C.PAYMENT_DATE)}
    st.dataframe(styled(shown, money_columns=(AMOUNT_EUR,), number_columns=(DELAY_DAYS,)), hide_index=True,
                 width="stretch", height=300, key=f"{key}_table", column_config=labels | dates)
    table_download(shown, key, key=f"{key}_csv", labels=labels)


def _bucket(basis: KpiBasis, settings: KpiSettings) -> None:
    """Draw the bucket picker and the open invoices of the chosen bucket."""
    labels = aging_labels(settings.aging_buckets_days)
    shown = {known(label): label for label in labels}
    bucket = shown[str(st.selectbox(_("Days overdue"), list(shown), index=len(labels) - 1, key="drill_bucket"))]
    invoices = bucket_invoices(basis, settings, bucket)
    st.caption(counted("{n} open invoice, {amount}: the bucket's figure in the aging table.",
                       "{n} open invoices, {amount} in all: the bucket's figure in the aging table.",
                       len(invoices), amount=money(float(invoices[OPEN_EUR].sum()))))
    _table(invoices, "bucket-invoices")


def _why(behaviour_text: list[str]) -> None:
    """Write the reasons of a client's forecast as a short list."""
    st.markdown("\n".join(f"- {line}" for line in behaviour_text))


def _client(basis: KpiBasis, as_of: date, scorecard: pd.DataFrame) -> None:
    """Draw the client picker, its figures, why it is forecast as it is, its history and its open invoices."""
    card = scorecard.sort_values("encours_eur", ascending=False, kind="stable")
    options = {f"{row[C.NAME]} ({row[C.COUNTERPARTY_ID]})": str(row[C.COUNTERPARTY_ID])
               for row in card[[C.NAME, C.COUNTERPARTY_ID]].to_dict("records")}
    if not options:
        st.caption(_("No client yet."))
        return
    chosen = options[str(st.selectbox(_("Client"), list(options), key="drill_client"))]
    row = card[card[C.COUNTERPARTY_ID].astype(str) == chosen].iloc[0]
    cash, _context = cached_cash(as_of, DRILL_HORIZON_WEEKS)
    model = cash.models.get(C.RECEIVABLE)
    history = client_payment_history(basis, chosen)
    c1, c2, c3, c4 = tiles(4)
    c1.metric(_("Encours"), money(row["encours_eur"]))
    c2.metric(_("Overdue"), money(row["overdue_eur"]))
    c3.metric(_("Rating"), str(row["rating"]))
    if model is not None:
        b = explain(model, chosen, row.get(C.SEGMENT))
        c4.metric(_("Usual delay (median)"), days_text(b.median_delay_days),
                  help=_("Days after the due date; 8 chances in 10 between {low} and {high}",
                         low=days_text(b.p10_delay_days), high=days_text(b.p90_delay_days)))
        source = (counted("its own {n} paid invoice ({share} of its curve; the rest from its segment)",
                          "its own {n} paid invoices ({share} of its curve; the rest from its segment)", b.n_paid,
                          share=percent(b.own_weight, 0)) if b.rests_on == OWN
                  else _("its segment's clients (no payment of its own yet)") if b.rests_on == SEGMENT
                  else _("every client (no payment of its own or of its segment yet)"))
        lines = [_("Forecast from {source}, recent invoices weighing more (half-life {days} days).",
                   source=source, days=round(b.half_life_days)),
                 _("Paid {median} after the due date as a rule; 8 chances in 10 between {low} and {high}.",
                   median=days_text(b.median_delay_days), low=days_text(b.p10_delay_days),
                   high=days_text(b.p90_delay_days)),
                 _("Its money arrives in month-end batches, on the last business day of the month.")
                 if b.month_end_batches else
                 _("Its money arrives on: {days}.", days=", ".join(_(WEEKDAYS[d]) for d in b.settle_weekdays))]
        if b.drift_days_per_year:
            lines.append(_("Its delay moves by {days} a year (negative: it pays earlier and earlier); the forecast "
                           "uses its delay as it is now.", days=days_text(b.drift_days_per_year)))
        lines.append(_("Chance a new invoice is disputed: {rate}; a dispute delays payment by about {days} and "
                       "brings {share} of the amount on average (the rest is credited or lost).",
                       rate=percent(b.dispute_rate), days=days_text(b.dispute_extra_median_days),
                       share=percent(b.dispute_share, 0)))
        if b.p_never > 0.005:
            lines.append(_("Chance an invoice is never paid: {rate} (counted as expected bad debt, not as a "
                           "receipt).", rate=percent(b.p_never)))
        _why(lines)
        figure = client_history_figure(history, b, pd.Timestamp(as_of), lang=lang())
        show_chart(figure, key="client_history_chart")
        chart_downloads(figure, f"client-{chosen}-history")
    _history(history, f"client-{chosen}-history")
    invoices = client_open_invoices(basis, chosen)
    dates = open_invoice_dates(cash, invoices[C.INVOICE_ID].astype(str).tolist())
    st.markdown(_("**Its open invoices and when each is likely paid**"))
    _table(invoices.merge(dates, on=C.INVOICE_ID, how="left"), f"client-{chosen}-invoices")


def receivables_detail(as_of: date, settings: KpiSettings, scorecard: pd.DataFrame) -> None:
    """Draw the section: an aging bucket's invoices, and one client in detail."""
    st.subheader(_("Look behind the figures"))
    basis = _basis(*data_key(), as_of, astuple(settings))
    bucket_tab, client_tab = st.tabs([_("An aging bucket"), _("One client")])
    with bucket_tab:
        _bucket(basis, settings)
    with client_tab:
        _client(basis, as_of, scorecard)
