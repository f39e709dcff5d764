"""The Cash outlook's drill-down: pick a week, see the invoices and flows expected in it, each with its likely dates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from forecasting.core import columns as C
from forecasting.i18n.weeks import week_header
from forecasting.projection.drilldown import (
    CHANCE_IN_WEEK,
    DISBURSEMENTS,
    EXPECTED_IN_WEEK,
    PAY_P10,
    PAY_P50,
    PAY_P90,
    RECEIPTS,
    week_items,
    week_starts,
)
from pages.widgets.common import (
    _,
    cached_cash,
    counted,
    date_format,
    date_text,
    lang,
    load_ledger,
    money,
    name_column,
    paid_by_labels,
    styled,
)
from pages.widgets.downloads import table_download

LIKELY = "likely_paid"  # the shown P10–P90 dates, as one text
KIND_NAMES = {"open_invoice": "Open invoice", "future_invoice": "Forecast invoice",
              "planned_flow": "Planned flow"}
SHOWN = [C.COUNTERPARTY_NAME, "kind", C.INVOICE_ID, C.DUE_DATE, C.AMOUNT, EXPECTED_IN_WEEK, CHANCE_IN_WEEK,
         PAY_P10, PAY_P50, PAY_P90]


def _labels() -> dict[str, str]:
    """Return the shown name of each column in the chosen language."""
    return {C.COUNTERPARTY_NAME: _("Counterparty or flow"), "kind": _("Kind"), C.INVOICE_ID: _("Invoice"),
            C.DUE_DATE: _("Due"), C.AMOUNT: _("Amount"), EXPECTED_IN_WEEK: _("Expected this week"),
            CHANCE_IN_WEEK: _("Chance"), **paid_by_labels()}


def _named(items: pd.DataFrame) -> pd.DataFrame:
    """Return the items with their counterparty's name (a planned flow's label) and what they are, in words."""
    ledger = load_ledger()
    cps, planned = ledger.counterparties, ledger.planned_flows
    names = dict(zip(cps[C.COUNTERPARTY_ID].astype(str), cps[C.NAME].astype(str), strict=True))
    labels = dict(zip(planned[C.FLOW_ID].astype(str), planned[C.LABEL].astype(str), strict=True))
    out = items.copy()
    ids = out[C.COUNTERPARTY_ID].astype("string").fillna("")
    out[C.COUNTERPARTY_NAME] = [names.get(i, i) for i in ids]
    flows = (out["kind"] == "planned_flow").to_numpy()
    # A planned flow's item carries its flow id where an invoice has its number: show the flow's label.
    out.loc[flows, C.COUNTERPARTY_NAME] = [labels.get(str(f), str(f)) for f in out.loc[flows, C.INVOICE_ID]]
    out.loc[flows, C.INVOICE_ID] = ""
    out.loc[out["kind"] == "future_invoice", C.INVOICE_ID] = ""  # not a real invoice number yet
    out["kind"] = [_(KIND_NAMES.get(k, k)) for k in out["kind"]]
    return out[SHOWN]


def week_detail(as_of: date, horizon_weeks: int, weekly: pd.DataFrame) -> None:
    """Draw the week picker, the receipts/disbursements switch and the list behind the chosen week's figure."""
    # No heading: drawn in the Cash outlook's tab of that name.
    cash, _context = cached_cash(as_of, horizon_weeks)
    weeks = {date_text(w): w for w in week_starts(cash)}  # options as shown: a date is written the page's way
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    # No week until one is chosen: the list is a data grid, and a grid on the page's first run holds the charts
    # above back by half a second or more (bench/browser.py: the opening page's target is 3 s).
    chosen = left.selectbox(week_header(lang()), list(weeks), index=None, placeholder=_("Choose a week"), key="outlook_week")
    flow = right.segmented_control(_("Flows"), [RECEIPTS, DISBURSEMENTS], default=RECEIPTS, key="outlook_week_flow",
                                   format_func=lambda f: _("Receipts") if f == RECEIPTS else _("Disbursements"))
    flow = flow or RECEIPTS
    if chosen is None:
        st.caption(_("Choose a week to list the invoices and flows behind its receipts or disbursements, each with "
                     "its chance of being paid that week."))
        return
    week = weeks[str(chosen)]
    items = _named(week_items(cash, pd.Timestamp(week), flow))
    total = float(weekly.loc[weekly["week_start"] == pd.Timestamp(week), flow].sum())
    st.caption(counted("{n} item expected this week, {amount}: the week's figure in the week-by-week table.",
                       "{n} items expected this week, {amount} in all: the week's figure in the week-by-week table.",
                       len(items), amount=money(total))
               + " " + _("Each item counts for its amount times its chance of being paid that week; P10–P90: 8 "
                         "chances in 10 that it is paid between these dates (blank: after the horizon, or never)."))
    # On screen the likely dates are one column ("7 Dec – 21 Dec"); the CSV keeps the three dates as dates.
    shown = items.drop(columns=[PAY_P10, PAY_P50, PAY_P90]).assign(**{LIKELY: [
        f"{date_text(lo)} – {date_text(hi)}" if pd.notna(hi) else _("from {day}", day=date_text(lo))
        if pd.notna(lo) else "—" for lo, hi in zip(items[PAY_P10], items[PAY_P90], strict=True)]})
    st.dataframe(styled(shown, money_columns=(C.AMOUNT, EXPECTED_IN_WEEK), percent_columns=(CHANCE_IN_WEEK,)),
                 hide_index=True, width="stretch", height=360, key="outlook_week_items",
                 column_config=_labels() | {LIKELY: _("Likely paid (P10–P90)"),
                                            C.COUNTERPARTY_NAME: name_column(_labels()[C.COUNTERPARTY_NAME],
                                                                             shown[C.COUNTERPARTY_NAME]),
                                            C.DUE_DATE: st.column_config.DateColumn(_("Due"), format=date_format())})
    table_download(items, f"week-{pd.Timestamp(week):%Y-%m-%d}-{flow}", key="outlook_week_csv", labels=_labels())
