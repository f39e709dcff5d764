"""Payables page: DPO, open and overdue payables, payments due by week, the aged balance, supplier terms and legal caps."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from typing import Any

import streamlit as st
from streamlit import column_config as cc

from forecasting.core import columns as C
from forecasting.core.errors import CashpilotError, InputError
from forecasting.core.terms import LEGAL_CAP_EOM_DAYS, LEGAL_CAP_NET_DAYS
from forecasting.i18n.weeks import week_header
from forecasting.kpis.base import OPEN_EUR, open_items
from forecasting.kpis.clients import aging_by_counterparty_from, aging_from
from forecasting.kpis.ratios import dpo_from, payables_eur_from
from forecasting.kpis.summary import KpiSettings, kpi_basis
from forecasting.reports.charts.kpis import (
    BEYOND_CAP,
    DUE_EUR,
    FORECAST_EUR,
    INVOICES_DUE,
    LEGAL_CAP,
    MAX_DAYS,
    TERMS_DAYS,
    TERMS_NOTE,
    WEEK_START,
    aging_figure,
    debtors_figure,
    payables_due_by_week,
    payments_due_figure,
    supplier_terms,
)
from pages.widgets.chart import show_chart
from pages.widgets.common import (
    _,
    cached_projection,
    count_label,
    counted,
    current_as_of,
    data_key,
    date_format,
    days_text,
    ensure_app,
    known,
    lang,
    ledger_at,
    load_ledger,
    money,
    name_column,
    number,
    parse_days_list,
    styled,
    tiles,
)
from pages.widgets.downloads import chart_downloads, table_download

ensure_app()

HORIZON_WEEKS = 13
TOP_SUPPLIERS = 20
SUPPLIER_ROWS = 500  # rows of the terms table drawn on screen; the CSV download holds them all
DEFAULTS = KpiSettings()
AGING_COLUMNS = {"bucket": "Days overdue", "count": "Invoices", "amount_eur": "Open amount", "share": "Share"}
BEYOND_NOTE = " is beyond the legal cap"  # forecasting.reports.charts.kpis.terms_legal_flags: "<terms> is beyond the legal cap"


@st.cache_data(show_spinner=_("Computing the payables indicators…"), max_entries=16)
def payables_view(path: str, fingerprint: tuple[int, int, int], as_of: date, settings_key: tuple) -> dict[str, Any]:
    """Return every figure and frame of the page, the ledger settled once per data version, date and settings."""
    settings = KpiSettings(*settings_key)
    ledger = ledger_at(path, fingerprint)
    basis = kpi_basis(ledger, as_of, settings)
    open_ = open_items(basis.payables)
    aged = aging_from(basis, settings, side=C.PAYABLE)
    by_supplier = aging_by_counterparty_from(basis, settings, side=C.PAYABLE)
    # kpis_clients names counterparties from the clients only: name the suppliers here
    suppliers = ledger.counterparties[ledger.counterparties[C.KIND] == C.SUPPLIER]
    names = suppliers.assign(**{C.COUNTERPARTY_ID: suppliers[C.COUNTERPARTY_ID].astype(str)}).drop_duplicates(
        C.COUNTERPARTY_ID).set_index(C.COUNTERPARTY_ID)[C.NAME].dropna()
    by_supplier[C.NAME] = by_supplier[C.COUNTERPARTY_ID].map(names).fillna(by_supplier[C.NAME])
    open_by_supplier = open_.groupby(open_[C.COUNTERPARTY_ID].astype(str))[OPEN_EUR].sum()
    return {
        "dpo_days": dpo_from(basis, settings), "payables_eur": payables_eur_from(basis),
        "overdue_eur": float(aged.loc[aged["bucket"] != aged["bucket"].iloc[0], "amount_eur"].sum()),
        "n_open": len(open_), "aging": aged, "by_supplier": by_supplier,
        "due_weekly": payables_due_by_week(open_[[C.DUE_DATE, OPEN_EUR]], as_of, HORIZON_WEEKS),
        "terms": supplier_terms(ledger.counterparties, ledger.payables, open_by_supplier),
    }


def _terms_note(note: str) -> str:
    """Return a supplier-terms note of forecasting.reports.charts.kpis in the chosen language."""
    if note.endswith(BEYOND_NOTE):
        return _("{terms} is beyond the legal cap", terms=note[: -len(BEYOND_NOTE)])
    return known(note)


st.title(_("Payables"))
ledger = load_ledger()
if ledger.payables.empty:
    st.info(_("No payables loaded yet: import your supplier invoices on the **Data** page, or load the demo "
              "company with `cashpilot demo`."))
    st.stop()

as_of = current_as_of()
with st.expander(_("Settings"), icon=":material/tune:"):
    s1, s2, _unused = st.columns([1, 1, 2])
    buckets_text = s1.text_input(_("Aging buckets (days overdue)"),
                                 value=",".join(map(str, DEFAULTS.aging_buckets_days)), key="payables_aging_buckets",
                                 help=_("Upper limits of the overdue buckets, e.g. 30,60,90"))
    period_days = s2.selectbox(_("DPO period"), options=[91, 365], index=[91, 365].index(DEFAULTS.period_days),
                               key="dpo_period", format_func=count_label("{n} days"))
try:
    buckets = parse_days_list(buckets_text)
except InputError as exc:
    st.warning(_("{error}. Using the default buckets {buckets}.", error=exc,
                 buckets=",".join(map(str, DEFAULTS.aging_buckets_days))))
    buckets = DEFAULTS.aging_buckets_days
settings = KpiSettings(period_days=int(period_days), aging_buckets_days=buckets)
view = payables_view(*data_key(), as_of, astuple(settings))
terms = view["terms"]
due_weekly = view["due_weekly"]
try:
    forecast = cached_projection(as_of, HORIZON_WEEKS).weekly
    due_weekly = due_weekly.merge(forecast[[WEEK_START, "suppliers"]].rename(columns={"suppliers": FORECAST_EUR}),
                                  on=WEEK_START, how="left")
    forecast_note = None
except CashpilotError as exc:
    forecast_note = _("No payment forecast: {error}", error=exc)

c1, c2, c3, c4, c5 = tiles(5)
c1.metric(_("DPO"), days_text(view["dpo_days"]),
          help=_("Open payables / purchases TTC of the last {n} days × {n}", n=settings.period_days))
c2.metric(_("Open payables"), money(view["payables_eur"]),
          help=counted("{n} open supplier invoice TTC", "{n} open supplier invoices TTC", view["n_open"]))
c3.metric(_("Overdue payables"), money(view["overdue_eur"]), help=_("Open supplier invoices past their due date"))
c4.metric(_("Due in the next {n} weeks", n=HORIZON_WEEKS), money(due_weekly[DUE_EUR].sum()),
          help=_("Open supplier invoices by contractual due date, overdue ones included"))
c5.metric(_("Beyond legal terms"), number(terms[BEYOND_CAP].sum()),
          help=_("Suppliers whose terms are longer than the French caps: {net} days from invoice or {eom} days end "
                 "of month", net=LEGAL_CAP_NET_DAYS, eom=LEGAL_CAP_EOM_DAYS))

st.subheader(_("Payments due, next {n} weeks", n=HORIZON_WEEKS))
if forecast_note:
    st.caption(forecast_note)
due_chart = payments_due_figure(due_weekly, lang=lang())
show_chart(due_chart, key="payables_due_chart")
chart_downloads(due_chart, "payables-due")
st.dataframe(styled(due_weekly, (DUE_EUR, FORECAST_EUR)), hide_index=True, width="stretch", key="payables_due_table",
             column_config={WEEK_START: cc.DateColumn(week_header(lang()), format=date_format()),
                            INVOICES_DUE: cc.NumberColumn(_("Invoices due")),
                            DUE_EUR: cc.NumberColumn(_("Contractual due")),
                            FORECAST_EUR: cc.NumberColumn(_("Forecast payments"))})
st.caption(_("Contractual due: open supplier invoices by due date, moved to the next bank business day; invoices "
             "already overdue count in the first week. Forecast payments: the cash outlook's supplier payments, from "
             "how we actually pay each supplier, including invoices not received yet."))

st.subheader(_("Aging (balance âgée fournisseurs)"))
aged = view["aging"]
aging = aging_figure(aged, lang=lang(), side=C.PAYABLE)
show_chart(aging, key="payables_aging_chart")
chart_downloads(aging, "payables-aging")
# Under the chart, as wide as its columns: beside it, a 1024-px window left it too narrow for its four columns.
st.dataframe(styled(aged.assign(bucket=aged["bucket"].map(known)), ("amount_eur",), ("share",), ("count",)),
             hide_index=True, width="content", key="payables_aging_table",
             column_config={c: _(label) for c, label in AGING_COLUMNS.items()})
by_supplier = view["by_supplier"]
st.subheader(_("Largest suppliers"))
suppliers_chart = debtors_figure(by_supplier, top=10, lang=lang(), side=C.PAYABLE)
show_chart(suppliers_chart, key="suppliers_chart")
chart_downloads(suppliers_chart, "top-suppliers")
amount_columns = tuple(c for c in by_supplier.columns if c not in (C.COUNTERPARTY_ID, C.NAME))
st.dataframe(styled(by_supplier.head(TOP_SUPPLIERS), amount_columns), hide_index=True, width="stretch",
             key="suppliers_table",
             column_config={c: known(c) for c in amount_columns}
             | {C.COUNTERPARTY_ID: cc.TextColumn(_("Id")), C.NAME: name_column(_("Supplier"), by_supplier.head(TOP_SUPPLIERS)[C.NAME]),
                "total_eur": cc.NumberColumn(_("Total"))})
st.caption(_("The {shown} largest of {total} suppliers with open invoices.", shown=min(TOP_SUPPLIERS, len(by_supplier)),
             total=number(len(by_supplier))))

st.subheader(_("Supplier terms and French legal caps"))
n_beyond = int(terms[BEYOND_CAP].sum())
if n_beyond:
    st.warning(counted("{n} supplier has terms beyond the French legal caps ({net} days from invoice date, or {eom} "
                       "days end of month; Code de commerce L441-10).",
                       "{n} suppliers have terms beyond the French legal caps ({net} days from invoice date, or {eom} "
                       "days end of month; Code de commerce L441-10).", n_beyond, net=LEGAL_CAP_NET_DAYS,
                       eom=LEGAL_CAP_EOM_DAYS))
else:
    st.success(_("Every supplier's terms are within the French legal caps ({net} days from invoice date, or {eom} "
                 "days end of month).", net=LEGAL_CAP_NET_DAYS, eom=LEGAL_CAP_EOM_DAYS))
only_flagged = st.toggle(_("Only suppliers beyond the caps"), key="only_beyond_caps", disabled=not n_beyond)
shown = terms[terms[BEYOND_CAP]] if only_flagged else terms
shown = shown.assign(**{LEGAL_CAP: shown[LEGAL_CAP].map(known), TERMS_NOTE: shown[TERMS_NOTE].map(_terms_note)})
table = shown[[C.COUNTERPARTY_ID, C.NAME, C.TERMS, TERMS_DAYS, MAX_DAYS, LEGAL_CAP, BEYOND_CAP, TERMS_NOTE,
               "open_eur"]].sort_values("open_eur", ascending=False, kind="stable")
labels = {C.COUNTERPARTY_ID: _("Id"), C.NAME: _("Supplier"), C.TERMS: _("Terms"), TERMS_DAYS: _("Days"),
          MAX_DAYS: _("Max days from invoice"), LEGAL_CAP: _("Legal cap"), BEYOND_CAP: _("Beyond cap"),
          TERMS_NOTE: _("Notes"), "open_eur": _("Open payables")}
st.dataframe(styled(table.head(SUPPLIER_ROWS), ("open_eur",)),  # largest first; the CSV has every supplier
             hide_index=True, width="stretch", key="supplier_terms_table",
             column_config={C.COUNTERPARTY_ID: cc.TextColumn(labels[C.COUNTERPARTY_ID]),
                            C.NAME: name_column(labels[C.NAME], table.head(SUPPLIER_ROWS)[C.NAME]),
                            C.TERMS: cc.TextColumn(labels[C.TERMS]),
                            TERMS_DAYS: cc.NumberColumn(labels[TERMS_DAYS], format="%.0f"),
                            MAX_DAYS: cc.NumberColumn(labels[MAX_DAYS], format="%.0f",
                                                      help=_("N days end of month can reach N + 30 days")),
                            LEGAL_CAP: cc.TextColumn(labels[LEGAL_CAP]),
                            BEYOND_CAP: cc.CheckboxColumn(labels[BEYOND_CAP]),
                            TERMS_NOTE: cc.TextColumn(labels[TERMS_NOTE]),
                            "open_eur": cc.NumberColumn(labels["open_eur"])})
with st.container(horizontal=True, vertical_alignment="center"):
    if len(table) > SUPPLIER_ROWS:
        st.caption(_("The {rows} suppliers we owe most of {total}; the CSV has every one.",
                     rows=number(SUPPLIER_ROWS), total=number(len(table))))
    table_download(table, "supplier-terms", "supplier_terms_csv", labels)
st.caption(_("A warning, not a block: caps differ outside France. Terms come from the supplier's master data, "
             "else from its latest invoice."))
