"""Figures of the receivables and payables pages, and the two payables tables they sit next to.

Pure: frames in, plotly figures or frames out (no streamlit), with the board-pack theme of `theme` (its
template and palette): what is not due yet is navy, what is overdue goes from amber to red as it ages, ratings from
green (A) to red (D).
- `payables_due_by_week`: open payables by the week their due date falls in once rolled to the next bank
  business day; an already overdue invoice is counted on the first business day after as_of (it is owed now).
- `supplier_terms`: one row per supplier, its terms (master data, else those of its latest invoice), the
  days they imply and whether they go beyond the French caps of Code de commerce L441-10 (net > 60 days
  from invoice date, or > 45 days end of month). Terms no parser reads are shown as unreadable, not flagged.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.terms import (
    EOM,
    LEGAL_CAP_EOM_DAYS,
    LEGAL_CAP_NET_DAYS,
    NET,
    BusinessCalendar,
    exceeds_french_legal_cap,
    max_days_from_invoice,
    parse_terms,
)
from forecasting.core.types import as_of_timestamp
from forecasting.i18n.formats import fmt_percent
from forecasting.i18n.translate import tr, trn
from forecasting.reports.charts import theme
from forecasting.reports.charts.outlook import localise, week_axis, weekly_x

NOT_DUE = "not due"

# columns of the payables tables
WEEK_START = "week_start"
INVOICES_DUE = "invoices_due"
DUE_EUR = "due_eur"  # contractual: open amounts by due date rolled to a business day
FORECAST_EUR = "forecast_eur"  # the projection's expected supplier payments of the week
TERMS_DAYS = "terms_days"
MAX_DAYS = "max_days_from_invoice"
LEGAL_CAP = "legal_cap"
BEYOND_CAP = "beyond_legal_cap"
TERMS_NOTE = "terms_note"


def _rgb(hex_colour: str) -> np.ndarray:
    """Return a '#rrggbb' colour as three floats."""
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _blend(a: str, b: str, weight: float) -> str:
    """Return the colour `weight` of the way from a to b."""
    start, end = _rgb(a), _rgb(b)
    return "#{:02x}{:02x}{:02x}".format(*np.rint(start + (end - start) * weight).astype(int))


def overdue_colours(n: int) -> list[str]:
    """Return n colours from amber (just overdue) to red (oldest), in the palette in force."""
    if n <= 0:
        return []
    pal = theme.palette()
    steps = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
    return [_blend(pal.warning, pal.alert, float(s)) for s in steps]


def bucket_colours(labels: list[str]) -> list[str]:
    """Return one colour per aging bucket: navy for 'not due', amber to red for the overdue ones."""
    overdue = iter(overdue_colours(sum(label != NOT_DUE for label in labels)))
    primary = theme.palette().primary
    return [primary if label == NOT_DUE else next(overdue) for label in labels]


def rating_colours() -> dict[str, str]:
    """Return the colour of each client rating in the palette in force: green (A) to red (D)."""
    pal = theme.palette()
    return {"A": pal.positive, "B": _blend(pal.positive, pal.warning, 0.5), "C": pal.warning, "D": pal.alert}


def _layout(fig: go.Figure, height: int, y_title: str | None, title: str, lang: str = "en",
            **extra: object) -> go.Figure:
    """Apply the house layout, the chart's title and the number separators of `lang`."""
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend=theme.legend_below(), yaxis={"title": y_title, "tickformat": ",.0f"})
    fig.update_layout(**extra)  # after the defaults, which it may change (a bar mode, an x axis, no legend)
    return localise(fig, lang, title)


def bucket_label(bucket: str, lang: str) -> str:
    """Return an aging bucket's label in `lang`: 'not due' is translated, day ranges read the same."""
    return tr(NOT_DUE, lang) if bucket == NOT_DUE else bucket


def aging_figure(aged: pd.DataFrame, currency: str = "€", lang: str = "en", side: str = C.RECEIVABLE) -> go.Figure:
    """Return the aged balance of one side: one bar per bucket (bucket, count, amount_eur, share), its share on top."""
    buckets = aged["bucket"].astype(str).tolist()
    labels = [bucket_label(b, lang) for b in buckets]
    fig = go.Figure(go.Bar(
        x=labels, y=aged["amount_eur"], marker_color=bucket_colours(buckets), name=tr("Open amount", lang),
        text=[fmt_percent(s, lang) for s in aged["share"]], textposition="outside", cliponaxis=False,
        customdata=aged["count"],
        hovertemplate="%{x}: %{y:,.0f} " + currency + " (%{customdata} " + tr("invoices", lang) + ")<extra></extra>",
    ))
    title = (tr("Receivables aging: open amount by days overdue ({currency})", lang, currency=currency)
             if side == C.RECEIVABLE else
             tr("Payables aging: open amount by days overdue ({currency})", lang, currency=currency))
    return _layout(fig, 340, tr("open amount ({currency})", lang, currency=currency), title, lang, showlegend=False,
                   xaxis={"title": tr("days overdue", lang), "type": "category"})


def debtors_figure(by_counterparty: pd.DataFrame, top: int = 10, currency: str = "€", lang: str = "en",
                   side: str = C.RECEIVABLE) -> go.Figure:
    """Return the `top` largest clients (or suppliers) as horizontal bars stacked by aging bucket, largest on top."""
    frame = by_counterparty.nlargest(top, "total_eur") if len(by_counterparty) else by_counterparty
    buckets = [c for c in frame.columns if c not in (C.COUNTERPARTY_ID, C.NAME, "total_eur")]
    fig = go.Figure()
    for bucket, colour in zip(buckets, bucket_colours(buckets), strict=True):
        label = bucket_label(bucket, lang)
        fig.add_trace(go.Bar(y=frame[C.NAME], x=frame[bucket], orientation="h", name=label, marker_color=colour,
                             hovertemplate="%{y}, " + label + ": %{x:,.0f} " + currency + "<extra></extra>"))
    title = (tr("Top {n} debtors: open amount by days overdue ({currency})", lang, n=top, currency=currency)
             if side == C.RECEIVABLE else
             tr("Top {n} suppliers: open amount by days overdue ({currency})", lang, n=top, currency=currency))
    fig = _layout(fig, 90 + 30 * max(len(frame), 3), None, title, lang, barmode="stack")
    fig.update_layout(yaxis={"autorange": "reversed", "title": None, "tickformat": None},
                      xaxis={"title": tr("open amount ({currency})", lang, currency=currency), "tickformat": ",.0f"},
                      legend={"traceorder": "normal"})  # merged into _layout's legend below: buckets in order
    return fig


def rating_figure(card: pd.DataFrame, ratings: tuple[str, ...] = ("A", "B", "C", "D"),
                  currency: str = "€", lang: str = "en") -> go.Figure:
    """Return the encours by client rating, the number of clients written on each bar."""
    grouped = card.groupby("rating")["encours_eur"].agg(["size", "sum"]).reindex(list(ratings), fill_value=0)
    fig = go.Figure(go.Bar(
        x=list(ratings), y=grouped["sum"], marker_color=[rating_colours().get(r, theme.palette().primary) for r in ratings],
        text=[trn("{n} client", "{n} clients", int(n), lang) for n in grouped["size"]], textposition="outside",
        cliponaxis=False, name=tr("Encours", lang),
        hovertemplate=tr("rating", lang) + " %{x}: %{y:,.0f} " + currency + " (%{text})<extra></extra>",
    ))
    return _layout(fig, 300, tr("encours ({currency})", lang, currency=currency),
                   tr("Encours by client rating ({currency})", lang, currency=currency), lang, showlegend=False,
                   xaxis={"title": tr("rating", lang), "type": "category"})


def payments_due_figure(weekly: pd.DataFrame, currency: str = "€", lang: str = "en") -> go.Figure:
    """Return supplier payments by week: contractual due (bars) and, when given, the forecast payments."""
    x, weeks = weekly_x(weekly[WEEK_START], lang)
    hover = "%{customdata}: %{y:,.0f} " + currency + "<extra></extra>"
    pal = theme.palette()
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=weekly[DUE_EUR], name=tr("Contractual due (open invoices)", lang),
                         marker_color=pal.warning, customdata=weeks, hovertemplate=hover))
    if FORECAST_EUR in weekly.columns:
        fig.add_trace(go.Bar(x=x, y=weekly[FORECAST_EUR],
                             name=tr("Forecast payments (incl. invoices not received yet)", lang),
                             marker_color=pal.primary, opacity=0.75, customdata=weeks, hovertemplate=hover))
    return _layout(fig, 340, tr("{currency} per week", lang, currency=currency),
                   tr("Supplier payments by week: contractual due and expected payments ({currency})", lang,
                      currency=currency), lang, barmode="group", xaxis=week_axis(lang))


# --- payables tables -----------------------------------------------------------------------------
def week_grid(as_of: date, horizon_weeks: int) -> pd.DatetimeIndex:
    """Return the Monday starting each week: week 1 holds as_of + 1 (the projection's weeks)."""
    first = np.datetime64(as_of_timestamp(as_of).date(), "D") + 1
    monday = first - ((first.astype(np.int64) + 3) % 7)  # 1970-01-01 was a Thursday
    return pd.DatetimeIndex(monday + 7 * np.arange(horizon_weeks))


def payables_due_by_week(open_payables: pd.DataFrame, as_of: date, horizon_weeks: int = 13,
                         calendar: BusinessCalendar | None = None,
                         forecast_weekly: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return week_start, invoices_due, due_eur (open amounts by business-day due date) and forecast_eur if given.

    `open_payables` holds due_date and open_eur; `forecast_weekly` holds week_start and suppliers (a projection's
    weekly frame, payments as positive amounts).
    """
    calendar = calendar or BusinessCalendar("FR")
    weeks = week_grid(as_of, horizon_weeks)
    first = np.datetime64(as_of_timestamp(as_of).date(), "D") + 1
    due = open_payables[C.DUE_DATE].to_numpy("datetime64[D]")
    valid = ~np.isnat(due)
    pay_day = calendar.roll_forward(np.where(valid & (due < first), first, due))
    week = np.full(len(due), -1, dtype=np.int64)
    week[valid] = (pay_day[valid] - weeks[0].to_datetime64().astype("datetime64[D]")).astype(np.int64) // 7
    inside = valid & (week >= 0) & (week < horizon_weeks)
    amounts = open_payables["open_eur"].to_numpy(float)
    table = pd.DataFrame({
        WEEK_START: weeks,
        INVOICES_DUE: np.bincount(week[inside], minlength=horizon_weeks).astype(int),
        DUE_EUR: np.bincount(week[inside], weights=amounts[inside], minlength=horizon_weeks),
    })
    if forecast_weekly is not None:
        forecast = forecast_weekly.set_index(WEEK_START)["suppliers"]
        table[FORECAST_EUR] = forecast.reindex(weeks).to_numpy(float)
    return table


def terms_legal_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with terms_days, max_days_from_invoice, legal_cap, beyond_legal_cap and terms_note added.

    `frame` holds a `terms` text column; each distinct text is parsed once.
    """
    codes, uniques = pd.factorize(frame[C.TERMS].astype(object), use_na_sentinel=True)
    rows = []
    for text in uniques:
        try:
            terms = parse_terms(text)
        except InputError:
            rows.append((np.nan, np.nan, "", False, "unreadable terms"))
            continue
        cap = {NET: f"{LEGAL_CAP_NET_DAYS} days from invoice", EOM: f"{LEGAL_CAP_EOM_DAYS} days end of month"}
        beyond = exceeds_french_legal_cap(terms)
        note = f"{terms.label()} is beyond the legal cap" if beyond else "within the legal caps"
        rows.append((float(terms.days), float(max_days_from_invoice(terms)), cap.get(terms.kind, ""), beyond, note))
    missing = (np.nan, np.nan, "", False, "no terms")
    table = [rows[c] if c >= 0 else missing for c in codes]
    out = frame.copy()
    for k, col in enumerate((TERMS_DAYS, MAX_DAYS, LEGAL_CAP, BEYOND_CAP, TERMS_NOTE)):
        out[col] = [row[k] for row in table]
    out[BEYOND_CAP] = out[BEYOND_CAP].astype(bool)
    out[TERMS_DAYS] = out[TERMS_DAYS].astype(float)
    out[MAX_DAYS] = out[MAX_DAYS].astype(float)
    return out


def supplier_terms(counterparties: pd.DataFrame, payables: pd.DataFrame,
                   open_by_supplier: pd.Series | None = None) -> pd.DataFrame:
    """Return one row per supplier: id, name, terms, open_eur and the legal-cap columns, flagged ones first.

    Terms come from the supplier's master data, else from its latest invoice; suppliers seen only on invoices
    are listed under their id.
    """
    cps = counterparties
    if C.KIND in cps.columns:
        cps = cps[cps[C.KIND] == C.SUPPLIER]
    master = pd.DataFrame({
        C.COUNTERPARTY_ID: cps[C.COUNTERPARTY_ID].astype(str).to_numpy(),
        C.NAME: cps[C.NAME].astype(object).to_numpy(),
        C.TERMS: cps[C.TERMS].astype(object).to_numpy(),
    }).drop_duplicates(C.COUNTERPARTY_ID)
    latest = (payables.assign(**{C.COUNTERPARTY_ID: payables[C.COUNTERPARTY_ID].astype(str)})
              .sort_values(C.ISSUE_DATE, kind="stable").dropna(subset=[C.TERMS])
              .groupby(C.COUNTERPARTY_ID)[C.TERMS].last())
    only_invoiced = sorted(set(payables[C.COUNTERPARTY_ID].astype(str).unique()) - set(master[C.COUNTERPARTY_ID]))
    if only_invoiced:
        master = pd.concat([master, pd.DataFrame({C.COUNTERPARTY_ID: only_invoiced, C.NAME: only_invoiced,
                                                  C.TERMS: None})], ignore_index=True)
    blank = master[C.TERMS].isna() | (master[C.TERMS].astype(str).str.strip() == "")
    master[C.TERMS] = master[C.TERMS].where(~blank, master[C.COUNTERPARTY_ID].map(latest))
    master[C.NAME] = master[C.NAME].where(master[C.NAME].notna(), master[C.COUNTERPARTY_ID])
    open_eur = open_by_supplier if open_by_supplier is not None else pd.Series(dtype=float)
    master["open_eur"] = master[C.COUNTERPARTY_ID].map(open_eur.rename(index=str)).fillna(0.0).astype(float)
    table = terms_legal_flags(master)
    return table.sort_values([BEYOND_CAP, "open_eur"], ascending=False, kind="stable").reset_index(drop=True)
