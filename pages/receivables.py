"""Receivables page: DSO and collection KPIs, the aged balance, top debtors, client scorecard, dunning list, penalties."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from typing import Any

import streamlit as st
from streamlit import column_config as cc

from forecasting import columns as C
from forecasting.charts_kpis import aging_figure, debtors_figure, rating_figure
from forecasting.errors import InputError
from forecasting.kpis import DUNNING_LEVELS, RATINGS, KpiSettings, kpi_basis, penalty_rate, penalty_totals
from forecasting.kpis_clients import (
    aging_by_counterparty_from,
    aging_from,
    average_encours_from,
    encours_from,
    scorecard_from,
    top10_concentration_from,
)
from forecasting.kpis_collection import dunning_list_from, penalties_from
from forecasting.kpis_ratios import collection_rate_from, doubtful_rate_from, dso_from, overdue_rate_from
from pages.common import (
    DATE_COLUMN,
    PERCENT_COLUMN,
    current_as_of,
    data_key,
    days_text,
    ensure_app,
    ledger_at,
    load_ledger,
    money,
    parse_days_list,
    percent,
    styled,
)

ensure_app()

TOP_DEBTORS = 20
DUNNING_ROWS = 100
PENALTY_ROWS = 50
DEFAULTS = KpiSettings()


def count(n: float) -> str:
    """Return a whole number with thin-space thousands: 5431 -> 5 431."""
    return f"{int(n):,}".replace(",", "\u202f")


@st.cache_data(show_spinner="Computing the receivables indicators…", max_entries=16)
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
        "overdue_eur": float(aged.loc[aged["bucket"] != aged["bucket"].iloc[0], "amount_eur"].sum()),
        "overdue_rate": overdue_rate_from(basis), "collection_rate": collection_rate_from(basis, settings),
        "doubtful_rate": doubtful_rate_from(basis, settings), "average_encours": average_encours_from(enc),
        "top10": top10_concentration_from(enc), "clients_with_encours": int((enc["encours_eur"] > 0).sum()),
        "by_client": aging_by_counterparty_from(basis, settings), "scorecard": card,
        "dunning": dunning_list_from(basis, settings, card=card), "penalties": late,
        "penalty_totals": penalty_totals(late), "penalty_rate": penalty_rate(settings),
    }


st.title("Receivables")
ledger = load_ledger()
if ledger.receivables.empty:
    st.info("No receivables loaded yet: import your client invoices on the **Data** page, or load the demo "
            "company with `cashpilot demo`.")
    st.stop()

as_of = current_as_of()
with st.expander("Settings", icon=":material/tune:"):
    s1, s2, s3, s4 = st.columns(4)
    buckets_text = s1.text_input("Aging buckets (days overdue)", value=",".join(map(str, DEFAULTS.aging_buckets_days)),
                                 key="aging_buckets", help="Upper limits of the overdue buckets, e.g. 30,60,90 gives "
                                 "not due, 1–30, 31–60, 61–90, >90")
    period_days = s2.selectbox("DSO period", options=[91, 365], index=[91, 365].index(DEFAULTS.period_days),
                               key="dso_period", format_func=lambda d: f"{d} days")
    ecb_pct = s3.number_input("ECB main refinancing rate (%)", min_value=0.0, max_value=20.0, step=0.05,
                              value=100 * DEFAULTS.ecb_rate, format="%.2f", key="ecb_rate_pct",
                              help="Rate in force on 1 January (first half-year) or 1 July (second half-year)")
    legal_pct = s4.number_input("Legal interest rate (%)", min_value=0.0, max_value=20.0, step=0.05,
                                value=100 * DEFAULTS.legal_interest_rate, format="%.2f", key="legal_rate_pct",
                                help="Taux d'intérêt légal: the penalty rate is never below 3 × this rate")
try:
    buckets = parse_days_list(buckets_text)
except InputError as exc:
    st.warning(f"{exc}. Using the default buckets {','.join(map(str, DEFAULTS.aging_buckets_days))}.")
    buckets = DEFAULTS.aging_buckets_days
settings = KpiSettings(period_days=int(period_days), aging_buckets_days=buckets, ecb_rate=ecb_pct / 100,
                       legal_interest_rate=legal_pct / 100)
view = receivables_view(*data_key(), as_of, astuple(settings))
dso = view["dso"]

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Open receivables", money(dso["receivables_eur"]),
          help=f"Open client invoices TTC at {as_of:%d/%m/%Y}, credit notes deducted, written-off excluded")
c2.metric("Overdue", money(view["overdue_eur"]), help="Open receivables past their due date")
c3.metric("DSO (simple)", days_text(dso["dso_simple_days"]),
          help=f"Receivables / sales TTC of the last {settings.period_days} days × {settings.period_days} "
               f"(sales {money(dso['sales_ttc_period_eur'])})")
c4.metric("DSO (countback)", days_text(dso["dso_countback_days"]),
          help="Months of sales, newest first, exhausted by the receivables")
c5.metric("Overdue rate", percent(view["overdue_rate"]),
          help="Overdue receivables / open receivables")
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Collection rate", percent(view["collection_rate"]),
          help=f"Collected / amount of the invoices that fell due in the last {settings.period_days} days")
c2.metric("Doubtful rate", percent(view["doubtful_rate"]),
          help=f"Open receivables disputed or overdue more than {settings.doubtful_overdue_days} days / encours")
c3.metric("Average encours per client", money(view["average_encours"]),
          help=f"Over the {view['clients_with_encours']} clients with an outstanding balance")
c4.metric("Top-10 concentration", percent(view["top10"]),
          help="Share of the 10 largest client balances in the total encours")
c5.metric("Clients over credit limit", count(view["scorecard"]["over_limit"].sum()),
          help="Clients whose encours exceeds their credit limit")

st.subheader("Aging (balance âgée)")
aged = view["aging"]
left, right = st.columns([3, 2])
left.plotly_chart(aging_figure(aged), width="stretch", key="aging_chart")
right.dataframe(styled(aged, ("amount_eur",), ("share",)), hide_index=True, width="stretch", key="aging_table",
                column_config={"bucket": cc.TextColumn("Days overdue"), "count": cc.NumberColumn("Invoices"),
                               "amount_eur": cc.NumberColumn("Open amount"), "share": cc.NumberColumn("Share")})
right.caption(f"{count(aged['count'].sum())} open invoices; buckets are set in the settings above.")

st.subheader("Top debtors")
by_client = view["by_client"]
st.plotly_chart(debtors_figure(by_client, top=10), width="stretch", key="debtors_chart")
amount_columns = tuple(c for c in by_client.columns if c not in (C.COUNTERPARTY_ID, C.NAME))
st.dataframe(styled(by_client.head(TOP_DEBTORS), amount_columns), hide_index=True, width="stretch",
             key="debtors_table",
             column_config={C.COUNTERPARTY_ID: cc.TextColumn("Id"), C.NAME: cc.TextColumn("Client"),
                            "total_eur": cc.NumberColumn("Total")})
st.caption(f"The {min(TOP_DEBTORS, len(by_client))} largest of {len(by_client)} clients with open invoices, "
           "by days overdue.")

st.subheader("Client scorecard")
card = view["scorecard"]
left, right = st.columns([3, 2])
with left:
    chosen = st.pills("Ratings", options=list(RATINGS), selection_mode="multi", default=list(RATINGS),
                      key="rating_filter")
    only_breaches = st.toggle("Only clients over their credit limit", key="only_breaches")
    low, mid, high = settings.rating_thresholds_days
    st.caption(f"Rating from how fast each client paid its invoices of the last 365 days, from issue to payment: "
               f"**A** within {low} days, **B** {mid}, **C** {high}, **D** beyond. Without payments, from the age "
               "of its overdue invoices; with neither, B. One notch lower with a disputed invoice or one overdue "
               f"more than {settings.doubtful_overdue_days} days.")
right.plotly_chart(rating_figure(card, RATINGS), width="stretch", key="rating_chart")
shown = card[card["rating"].isin(chosen or list(RATINGS)) & (card["over_limit"] | (not only_breaches))]
shown = shown[(shown["encours_eur"] != 0) | (shown["n_paid_invoices"] > 0)]
st.dataframe(
    styled(shown.assign(credit_use=100 * shown["credit_use"])[
        [C.NAME, C.SEGMENT, "rating", "encours_eur", "overdue_eur", "credit_limit_eur", "credit_use", "over_limit",
         "avg_days_to_pay", "avg_delay_days", "share_paid_late", "n_open", "rating_basis"]],
        ("encours_eur", "overdue_eur", "credit_limit_eur"), ("share_paid_late",)),
    hide_index=True, width="stretch", key="scorecard_table",
    column_config={C.NAME: cc.TextColumn("Client"), C.SEGMENT: cc.TextColumn("Segment"),
                   "rating": cc.TextColumn("Rating"), "encours_eur": cc.NumberColumn("Encours"),
                   "overdue_eur": cc.NumberColumn("Overdue"), "credit_limit_eur": cc.NumberColumn("Credit limit"),
                   "credit_use": cc.ProgressColumn("Limit used", format=PERCENT_COLUMN, min_value=0, max_value=100),
                   "over_limit": cc.CheckboxColumn("Over limit"),
                   "avg_days_to_pay": cc.NumberColumn("Days to pay", format="%.0f",
                                                      help="Amount-weighted days from issue to payment, last 365 days"),
                   "avg_delay_days": cc.NumberColumn("Days late", format="%.0f",
                                                     help="Amount-weighted days past due, last 365 days"),
                   "share_paid_late": cc.NumberColumn("Paid late", help="Share of its invoices paid after the due date"),
                   "n_open": cc.NumberColumn("Open invoices"), "rating_basis": cc.TextColumn("Rated on")})
st.caption(f"{len(shown)} of {len(card)} clients (those with an outstanding balance or recent payments).")

st.subheader("Dunning list")
dunning = view["dunning"]
levels = dunning.groupby("level")["open_eur"].agg(["size", "sum"]).reindex(list(DUNNING_LEVELS), fill_value=0)
for col, (level, row) in zip(st.columns(len(DUNNING_LEVELS)), levels.iterrows(), strict=True):
    col.metric(level, money(row["sum"]), f"{count(row['size'])} invoices", delta_color="off", delta_arrow="off")
st.dataframe(
    styled(dunning.head(DUNNING_ROWS)[
        ["rank", C.INVOICE_ID, C.NAME, "rating", C.DUE_DATE, "days_overdue", "open_eur", C.DISPUTED, "risk",
         "priority_eur", "level", "claimable_penalty_eur"]], ("open_eur", "priority_eur", "claimable_penalty_eur"),
        ("risk",)),
    hide_index=True, width="stretch", key="dunning_table",
    column_config={"rank": cc.NumberColumn("#"), C.INVOICE_ID: cc.TextColumn("Invoice"),
                   C.NAME: cc.TextColumn("Client"), "rating": cc.TextColumn("Rating"),
                   C.DUE_DATE: cc.DateColumn("Due", format=DATE_COLUMN),
                   "days_overdue": cc.NumberColumn("Days overdue"), "open_eur": cc.NumberColumn("Open"),
                   C.DISPUTED: cc.CheckboxColumn("Disputed"),
                   "risk": cc.NumberColumn("Risk", help="Ranking heuristic, not a probability: rating prior + days "
                                                        "overdue / 365 + 25 points if disputed"),
                   "priority_eur": cc.NumberColumn("Amount × risk"), "level": cc.TextColumn("Suggested reminder"),
                   "claimable_penalty_eur": cc.NumberColumn("Penalties claimable")})
st.caption(f"The {min(DUNNING_ROWS, len(dunning))} most urgent of {count(len(dunning))} overdue invoices, ranked by "
           "open amount × risk. Disputed invoices go straight to collection / litigation.")

st.subheader("Late-payment penalties owed to us")
totals = view["penalty_totals"]
p1, p2, p3, p4 = st.columns(4)
p1.metric("Penalty rate", percent(view["penalty_rate"]),
          help="ECB rate + 10 points, never below 3 × the legal interest rate (Code de commerce L441-10)")
p2.metric("Late invoices", count(totals["late_invoices"]),
          help=f"{count(totals['late_open_invoices'])} still open and overdue, {count(totals['late_paid_invoices'])} "
               "paid late in the last 365 days")
p3.metric("Late interest", money(totals["interest_eur"]),
          help="Open amount × rate × days late / 365, from the day after the due date")
p4.metric("Interest + recovery indemnities", money(totals["penalty_eur"]),
          help=f"Including {money(totals['indemnity_eur'])} of fixed indemnities "
               f"({money(settings.recovery_indemnity_eur)} per late invoice)")
late = view["penalties"]
top_late = late.head(PENALTY_ROWS)
top_late = top_late.assign(**{C.STATUS: top_late[C.STATUS].where(
    top_late["paid_date"].isna(), "paid " + top_late["paid_date"].dt.strftime("%d/%m/%Y"))})
st.dataframe(
    styled(top_late[[C.INVOICE_ID, C.NAME, C.DUE_DATE, C.STATUS, "days_late", "open_eur", "interest_eur",
                     "indemnity_eur", "penalty_eur"]], ("open_eur", "interest_eur", "indemnity_eur", "penalty_eur")),
    hide_index=True, width="stretch", key="penalties_table",
    column_config={C.INVOICE_ID: cc.TextColumn("Invoice"), C.NAME: cc.TextColumn("Client"),
                   C.DUE_DATE: cc.DateColumn("Due", format=DATE_COLUMN), C.STATUS: cc.TextColumn("Status"),
                   "days_late": cc.NumberColumn("Days late", format="%.0f"), "open_eur": cc.NumberColumn("Open"),
                   "interest_eur": cc.NumberColumn("Interest"), "indemnity_eur": cc.NumberColumn("Indemnity"),
                   "penalty_eur": cc.NumberColumn("Total")})
st.caption(f"The {min(PENALTY_ROWS, len(late))} largest of {count(len(late))} claims: open invoices overdue, and "
           "invoices paid late in the last 365 days. Set the ECB rate of the half-year being claimed in the "
           "settings above.")
