"""Receivables page: DSO and collection KPIs, the aged balance, top debtors, client scorecard, dunning list, penalties."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit import column_config as cc

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.kpis.base import LIMITATION_DAYS, PENALTIES_OPEN, PENALTIES_PAID_LATE_TOO, PENALTY_POLICIES
from forecasting.kpis.clients import (
    aging_by_counterparty_from,
    aging_from,
    average_encours_from,
    encours_from,
    scorecard_from,
    top10_concentration_from,
)
from forecasting.kpis.collection import dunning_list_from, penalties_from
from forecasting.kpis.ratios import collection_rate_from, doubtful_rate_from, dso_from, overdue_rate_from
from forecasting.kpis.summary import (
    DUNNING_LEVELS,
    RATINGS,
    KpiSettings,
    kpi_basis,
    penalty_rate,
    penalty_totals,
)
from forecasting.reports.charts.kpis import aging_figure, debtors_figure, rating_figure
from forecasting.reports.figures import ledger_figures
from pages.widgets.chart import show_chart
from pages.widgets.common import (
    PERCENT_COLUMN,
    _,
    count_label,
    counted,
    current_as_of,
    data_key,
    date_format,
    date_text,
    days_text,
    ensure_app,
    figure_metric,
    known,
    lang,
    ledger_at,
    load_ledger,
    money,
    money_column,
    name_column,
    number,
    option_label,
    parse_days_list,
    percent,
    styled,
    tiles,
)
from pages.widgets.downloads import chart_downloads, table_download
from pages.widgets.receivables_detail import receivables_detail

ensure_app()

TOP_DEBTORS = 20
DUNNING_ROWS = 100
SCORECARD_ROWS = 500  # rows drawn on screen; the CSV download holds them all
PENALTY_ROWS = 50
DEFAULTS = KpiSettings()
POLICY_NAMES = {PENALTIES_OPEN: "Invoices still open and overdue",
                PENALTIES_PAID_LATE_TOO: "Also invoices paid late"}
AGING_COLUMNS = {"bucket": "Days overdue", "count": "Invoices", "amount_eur": "Open amount", "share": "Share"}


@st.cache_data(show_spinner=_("Computing the receivables indicators…"), max_entries=16)
def receivables_view(path: str, fingerprint: tuple[int, int, int], as_of: date,
                     settings_key: tuple) -> dict[str, Any]:
    """Return every figure and frame of the page, the ledger settled once per data version, date and settings."""
    settings = KpiSettings(*settings_key)
    basis = kpi_basis(ledger_at(path, fingerprint), as_of, settings)
    enc = encours_from(basis)
    card = scorecard_from(basis, settings)
    aged = aging_from(basis, settings)
    late = penalties_from(basis, settings)
    return {
        "dso": dso_from(basis, settings), "aging": aged,
        "overdue_rate": overdue_rate_from(basis), "collection_rate": collection_rate_from(basis, settings),
        "doubtful_rate": doubtful_rate_from(basis, settings), "average_encours": average_encours_from(enc),
        "top10": top10_concentration_from(enc), "clients_with_encours": int((enc["encours_eur"] > 0).sum()),
        "by_client": aging_by_counterparty_from(basis, settings), "scorecard": card,
        "dunning": dunning_list_from(basis, settings, card=card), "penalties": late,
        "penalty_totals": penalty_totals(late), "penalty_rate": penalty_rate(settings),
        "figures": ledger_figures(basis, settings),
    }


st.title(_("Receivables"))
ledger = load_ledger()
if ledger.receivables.empty:
    st.info(_("No receivables loaded yet: import your client invoices on the **Data** page, or load the demo "
              "company with `cashpilot demo`."))
    st.stop()

as_of = current_as_of()
with st.expander(_("Settings"), icon=":material/tune:"):
    s1, s2, s3, s4 = st.columns(4)
    buckets_text = s1.text_input(_("Aging buckets (days overdue)"),
                                 value=",".join(map(str, DEFAULTS.aging_buckets_days)), key="aging_buckets",
                                 help=_("Upper limits of the overdue buckets, e.g. 30,60,90 gives not due, 1–30, "
                                        "31–60, 61–90, >90"))
    period_days = s2.selectbox(_("DSO period"), options=[91, 365], index=[91, 365].index(DEFAULTS.period_days),
                               key="dso_period", format_func=count_label("{n} days"))
    ecb_pct = s3.number_input(_("ECB main refinancing rate (%)"), min_value=0.0, max_value=20.0, step=0.05,
                              value=100 * DEFAULTS.ecb_rate, format="%g", key="ecb_rate_pct",
                              help=_("Rate in force on 1 January (first half-year) or 1 July (second half-year)"))
    legal_pct = s4.number_input(_("Legal interest rate (%)"), min_value=0.0, max_value=20.0, step=0.05,
                                value=100 * DEFAULTS.legal_interest_rate, format="%g", key="legal_rate_pct",
                                help=_("Taux d'intérêt légal: the penalty rate is never below 3 × this rate"))
    s5, s6 = st.columns(2)
    penalty_policy = s5.selectbox(
        _("Penalties counted on"), options=list(PENALTY_POLICIES), key="penalty_policy",
        index=PENALTY_POLICIES.index(DEFAULTS.penalty_policy), format_func=option_label(POLICY_NAMES),
        help=_("Penalties are owed on every late payment but rarely claimed once an invoice is paid: by default "
               "only the invoices still open and overdue count. Claims are time-barred five years after the due "
               "date (Code de commerce L110-4)."))
    lookback_days = s6.number_input(_("Invoices paid late within (days)"), min_value=1, max_value=LIMITATION_DAYS,
                                    value=DEFAULTS.penalty_lookback_days, step=1, key="penalty_lookback",
                                    disabled=penalty_policy == PENALTIES_OPEN)
try:
    buckets = parse_days_list(buckets_text)
except InputError as exc:
    st.warning(_("{error}. Using the default buckets {buckets}.", error=exc,
                 buckets=",".join(map(str, DEFAULTS.aging_buckets_days))))
    buckets = DEFAULTS.aging_buckets_days
settings = KpiSettings(period_days=int(period_days), aging_buckets_days=buckets, ecb_rate=ecb_pct / 100,
                       legal_interest_rate=legal_pct / 100, penalty_policy=str(penalty_policy),
                       penalty_lookback_days=int(lookback_days))
view = receivables_view(*data_key(), as_of, astuple(settings))
dso = view["dso"]

c1, c2, c3, c4, c5 = tiles(5)
# Named and valued as on the Overview page and in the exports (forecasting/reports/figures.py).
figure_metric(c1, view["figures"].open_receivables)
figure_metric(c2, view["figures"].overdue_receivables)
c3.metric(_("DSO (simple)"), days_text(dso.dso_simple_days),
          help=_("Receivables / sales TTC of the last {n} days × {n} (sales {sales})", n=settings.period_days,
                 sales=money(dso.sales_ttc_period_eur)))
c4.metric(_("DSO (countback)"), days_text(dso.dso_countback_days),
          help=_("Months of sales, newest first, exhausted by the receivables"))
c5.metric(_("Overdue rate"), percent(view["overdue_rate"]),
          help=_("Overdue receivables / open receivables"))
c1, c2, c3, c4, c5 = tiles(5)
c1.metric(_("Collection rate"), percent(view["collection_rate"]),
          help=_("Cash collected / amount less the credit notes set against them, of the invoices that fell due "
                 "in the last {n} days", n=settings.period_days))
c2.metric(_("Doubtful rate"), percent(view["doubtful_rate"]),
          help=_("Open receivables disputed or overdue more than {n} days / encours",
                 n=settings.doubtful_overdue_days))
c3.metric(_("Average encours per client"), money(view["average_encours"]),
          help=counted("Over the {n} client with an outstanding balance", "Over the {n} clients with an outstanding balance",
                       view["clients_with_encours"]))
c4.metric(_("Top-10 concentration"), percent(view["top10"]),
          help=_("Share of the 10 largest client balances in the total encours"))
c5.metric(_("Clients over credit limit"), number(view["scorecard"]["over_limit"].sum()),
          help=_("Clients whose encours exceeds their credit limit"))

st.subheader(_("Aging (balance âgée)"))
aged = view["aging"]
aging = aging_figure(aged, lang=lang())
show_chart(aging, key="aging_chart")
chart_downloads(aging, "receivables-aging")
# Under the chart, as wide as its columns: beside it, a 1024-px window left it too narrow for its four columns.
st.dataframe(styled(aged.assign(bucket=aged["bucket"].map(known)), ("amount_eur",), ("share",), ("count",)),
             hide_index=True, width="content", key="aging_table",
             column_config={c: _(label) for c, label in AGING_COLUMNS.items()})
st.caption(counted("{n} open invoice; buckets are set in the settings above.",
                   "{n} open invoices; buckets are set in the settings above.", aged["count"].sum()))

st.subheader(_("Top debtors"))
by_client = view["by_client"]
debtors = debtors_figure(by_client, top=10, lang=lang())
show_chart(debtors, key="debtors_chart")
chart_downloads(debtors, "top-debtors")
amount_columns = tuple(c for c in by_client.columns if c not in (C.COUNTERPARTY_ID, C.NAME))
st.dataframe(styled(by_client.head(TOP_DEBTORS), amount_columns), hide_index=True, width="stretch",
             key="debtors_table",
             column_config={c: known(c) for c in amount_columns}
             | {C.COUNTERPARTY_ID: cc.TextColumn(_("Id")), C.NAME: name_column(_("Client"), by_client.head(TOP_DEBTORS)[C.NAME]),
                "total_eur": cc.NumberColumn(_("Total"))})
st.caption(_("The {shown} largest of {total} clients with open invoices, by days overdue.",
             shown=min(TOP_DEBTORS, len(by_client)), total=number(len(by_client))))

st.subheader(_("Client scorecard"))
card = view["scorecard"]
left, right = st.columns([3, 2])
with left:
    chosen = st.pills(_("Ratings"), options=list(RATINGS), selection_mode="multi", default=list(RATINGS),
                      key="rating_filter")
    only_breaches = st.toggle(_("Only clients over their credit limit"), key="only_breaches")
    low, mid, high = settings.rating_thresholds_days
    st.caption(_("Rating from how fast each client paid its invoices of the last 365 days, from issue to the "
                 "day its cash came (a credit note is no payment): "
                 "**A** within {low} days, **B** {mid}, **C** {high}, **D** beyond. Without payments, from the age "
                 "of its overdue invoices; with neither, B. One notch lower with a disputed invoice or one overdue "
                 "more than {doubtful} days.", low=low, mid=mid, high=high, doubtful=settings.doubtful_overdue_days))
ratings = rating_figure(card, RATINGS, lang=lang())
with right:
    show_chart(ratings, key="rating_chart")
    chart_downloads(ratings, "client-ratings")
shown = card[card["rating"].isin(chosen or list(RATINGS)) & (card["over_limit"] | (not only_breaches))]
shown = shown[(shown["encours_eur"] != 0) | (shown["n_paid_invoices"] > 0)]
table = shown.assign(credit_use=100 * shown["credit_use"], rating_basis=shown["rating_basis"].map(known))[
    [C.NAME, C.SEGMENT, "rating", "encours_eur", "overdue_eur", "credit_limit_eur", "credit_use", "over_limit",
     "avg_days_to_pay", "avg_delay_days", "share_paid_late", "n_open", "rating_basis"]]
labels = {C.NAME: _("Client"), C.SEGMENT: _("Segment"), "rating": _("Rating"), "encours_eur": _("Encours"),
          "overdue_eur": _("Overdue"), "credit_limit_eur": _("Credit limit"), "credit_use": _("Limit used"),
          "over_limit": _("Over limit"), "avg_days_to_pay": _("Days to pay"), "avg_delay_days": _("Days late"),
          "share_paid_late": _("Paid late"), "n_open": _("Open invoices"), "rating_basis": _("Rated on")}
st.dataframe(  # the largest rows only: thousands of clients would not help anyone on screen (the CSV has them all)
    styled(table.head(SCORECARD_ROWS), ("encours_eur", "overdue_eur", "credit_limit_eur"), ("share_paid_late",),
           ("avg_days_to_pay", "avg_delay_days")),
    hide_index=True, width="stretch", key="scorecard_table",
    column_config={C.NAME: name_column(labels[C.NAME], table.head(SCORECARD_ROWS)[C.NAME]), C.SEGMENT: cc.TextColumn(labels[C.SEGMENT]),
                   "rating": cc.TextColumn(labels["rating"]), "encours_eur": cc.NumberColumn(labels["encours_eur"]),
                   "overdue_eur": cc.NumberColumn(labels["overdue_eur"]),
                   "credit_limit_eur": cc.NumberColumn(labels["credit_limit_eur"]),
                   "credit_use": cc.ProgressColumn(labels["credit_use"], format=PERCENT_COLUMN, min_value=0,
                                                   max_value=100),
                   "over_limit": cc.CheckboxColumn(labels["over_limit"]),
                   "avg_days_to_pay": cc.NumberColumn(
                       labels["avg_days_to_pay"],
                       help=_("Amount-weighted days from issue to the cash payment, last 365 days "
                              "(a credit note is no payment)")),
                   "avg_delay_days": cc.NumberColumn(
                       labels["avg_delay_days"], help=_("Amount-weighted days past due, last 365 days")),
                   "share_paid_late": cc.NumberColumn(labels["share_paid_late"],
                                                      help=_("Share of its invoices paid after the due date")),
                   "n_open": cc.NumberColumn(labels["n_open"]), "rating_basis": cc.TextColumn(labels["rating_basis"])})
with st.container(horizontal=True, vertical_alignment="center"):
    if len(table) > SCORECARD_ROWS:
        st.caption(_("The {rows} largest encours of the {shown} clients selected ({total} in all); the CSV has "
                     "every one.", rows=number(SCORECARD_ROWS), shown=number(len(table)), total=number(len(card))))
    else:
        st.caption(counted("{n} of {total} clients (the one with an outstanding balance or recent payments).",
                           "{n} of {total} clients (those with an outstanding balance or recent payments).",
                           len(shown), total=number(len(card))))
    table_download(table, "client-scorecard", "scorecard_csv", labels | {"credit_use": _("Limit used (%)")})

st.subheader(_("Dunning list"))
dunning = view["dunning"]
levels = dunning.groupby("level")["open_eur"].agg(["size", "sum"]).reindex(list(DUNNING_LEVELS), fill_value=0)
for col, (level, row) in zip(tiles(len(DUNNING_LEVELS)), levels.iterrows(), strict=True):
    col.metric(known(level), money(row["sum"]), counted("{n} invoice", "{n} invoices", row["size"]), delta_color="off",
               delta_arrow="off")
st.dataframe(
    styled(dunning.head(DUNNING_ROWS).assign(level=lambda f: f["level"].map(known))[
        ["rank", C.INVOICE_ID, C.NAME, "rating", C.DUE_DATE, "days_overdue", "open_eur", C.DISPUTED, "risk",
         "priority_eur", "level", "claimable_penalty_eur"]], ("open_eur", "priority_eur", "claimable_penalty_eur"),
        ("risk",)),
    hide_index=True, width="stretch", key="dunning_table",
    column_config={"rank": cc.NumberColumn("#"), C.INVOICE_ID: cc.TextColumn(_("Invoice")),
                   C.NAME: name_column(_("Client"), dunning.head(DUNNING_ROWS)[C.NAME]),
                   "rating": cc.TextColumn(_("Rating")),
                   C.DUE_DATE: cc.DateColumn(_("Due"), format=date_format()),
                   "days_overdue": cc.NumberColumn(_("Days overdue")),
                   "open_eur": money_column(_("Open"), dunning.head(DUNNING_ROWS)["open_eur"]),
                   C.DISPUTED: cc.CheckboxColumn(_("Disputed")),
                   "risk": cc.NumberColumn(_("Risk"), help=_("Ranking heuristic, not a probability: rating prior + "
                                                             "days overdue / 365 + 25 points if disputed")),
                   "priority_eur": cc.NumberColumn(_("Amount × risk")),
                   "level": cc.TextColumn(_("Suggested reminder")),
                   "claimable_penalty_eur": cc.NumberColumn(_("Penalties claimable"))})
st.caption(_("The {shown} most urgent of {total} overdue invoices, ranked by open amount × risk. Disputed invoices "
             "go straight to collection / litigation.", shown=min(DUNNING_ROWS, len(dunning)),
             total=number(len(dunning))))

st.subheader(_("Late-payment penalties owed to us"))
totals = view["penalty_totals"]
p1, p2, p3, p4 = tiles(4)
p1.metric(_("Penalty rate"), percent(view["penalty_rate"]),
          help=_("ECB rate + 10 points, never below 3 × the legal interest rate (Code de commerce L441-10)"))
p2.metric(_("Late invoices"), number(totals.late_invoices),
          help=_("{open} still open and overdue, {paid} paid late in the last {days} days",
                 open=number(totals.late_open_invoices), paid=number(totals.late_paid_invoices),
                 days=number(settings.penalty_lookback_days)))
p3.metric(_("Late interest"), money(totals.interest_eur),
          help=_("Open amount × rate × days late / 365, from the day after the due date"))
p4.metric(_("Interest + indemnities"), money(totals.penalty_eur),
          help=_("Late interest plus the fixed recovery indemnities: {total} ({each} per late invoice)",
                 total=money(totals.indemnity_eur), each=money(settings.recovery_indemnity_eur)))
late = view["penalties"]
top_late = late.head(PENALTY_ROWS)
top_late = top_late.assign(**{C.STATUS: [
    _("paid {day}", day=date_text(paid)) if pd.notna(paid) else known(str(status))
    for paid, status in zip(top_late["paid_date"], top_late[C.STATUS], strict=True)]})
st.dataframe(
    styled(top_late[[C.INVOICE_ID, C.NAME, C.DUE_DATE, C.STATUS, "days_late", "open_eur", "interest_eur",
                     "indemnity_eur", "penalty_eur"]], ("open_eur", "interest_eur", "indemnity_eur", "penalty_eur")),
    hide_index=True, width="stretch", key="penalties_table",
    column_config={C.INVOICE_ID: cc.TextColumn(_("Invoice")), C.NAME: name_column(_("Client"), top_late[C.NAME]),
                   C.DUE_DATE: cc.DateColumn(_("Due"), format=date_format()), C.STATUS: cc.TextColumn(_("Status")),
                   "days_late": cc.NumberColumn(_("Days late"), format="%.0f"),
                   "open_eur": money_column(_("Open"), top_late["open_eur"]),
                   "interest_eur": cc.NumberColumn(_("Interest")), "indemnity_eur": cc.NumberColumn(_("Indemnity")),
                   "penalty_eur": cc.NumberColumn(_("Total"))})
st.caption(_("The {shown} largest of {total} claims, on the invoices the settings above count (claims due more than "
             "five years ago are time-barred). Set the ECB rate of the half-year being claimed there too.",
             shown=min(PENALTY_ROWS, len(late)), total=number(len(late))))

receivables_detail(as_of, settings, card)
