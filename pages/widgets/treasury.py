"""The bank side's widgets: the 13-week treasury table and the snapshot button (Cash outlook), the cached
movements and snapshots (Forecast vs actual)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from forecasting.core.access import SNAPSHOT_CREATE
from forecasting.core.snapshots import StoredSnapshot
from forecasting.i18n.weeks import week_header
from forecasting.projection.breakdown import Breakdown, breakdown
from forecasting.projection.snapshot import snapshot_of
from forecasting.reports.bank_labels import line_label, status_label
from forecasting.reports.forecast_vs_actual import movements_eur
from forecasting.reports.treasury_table import LINES, TreasuryTable, treasury_table
from forecasting.store.database import Store
from forecasting.store.snapshots import list_snapshots, read_movements, read_snapshot, save_snapshot
from pages.widgets.common import (
    _,
    cached_cash,
    data_key,
    date_text,
    get_store,
    lang,
    ledger_at,
    markdown_table,
    number,
    prepared_at,
    projection_at,
)
from pages.widgets.identity import can
from pages.widgets.login import read_only_notice

ALL_ACCOUNTS = "__all__"


@st.cache_data(show_spinner=False, max_entries=4)
def movements_at(path: str, fingerprint: tuple[int, int, int]) -> pd.DataFrame:
    """Return the bank movements of one version of the database."""
    return read_movements(Store(path))


@st.cache_data(show_spinner=False, max_entries=4)
def snapshots_at(path: str, fingerprint: tuple[int, int, int]) -> pd.DataFrame:
    """Return the list of snapshots of one version of the database."""
    return list_snapshots(Store(path))


@st.cache_data(show_spinner=False, max_entries=16)
def snapshot_at(path: str, fingerprint: tuple[int, int, int], snapshot_id: int) -> StoredSnapshot:
    """Return one snapshot of one version of the database."""
    return read_snapshot(Store(path), snapshot_id)


@st.cache_resource(show_spinner=False, max_entries=4)
def breakdown_at(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int) -> Breakdown:
    """Return the forecast's flows by account and category (from the cached cash items: no refit)."""
    return breakdown(prepared_at(path, fingerprint, as_of, horizon_weeks)[0])


# Computed once per data version, date, horizon, period and account (0.2 s a run otherwise, on every page run of the
# Cash outlook: the table comes after the charts, and the browser draws them only once the run has ended).
# A resource, never modified: shared without a copy, as the cash items it is made from.
@st.cache_resource(show_spinner=False, max_entries=16)
def table_at(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int, period: str,
             account: str | None) -> TreasuryTable:
    """Return the treasury table of one data version, as-of date, horizon, period and account (None: all)."""
    moves = movements_at(path, fingerprint)
    eur = movements_eur(moves, ledger_at(path, fingerprint).fx_rates, as_of)
    return treasury_table(projection_at(path, fingerprint, as_of, horizon_weeks),
                          breakdown_at(path, fingerprint, as_of, horizon_weeks), moves, eur, as_of, period,
                          account=account)


@st.cache_data(show_spinner=False, max_entries=32)
def _table_text_at(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int, period: str,
                   account: str | None, language: str) -> str:
    """Return the treasury table as markdown in `language` (the page's: its texts and number formats)."""
    return _markdown(table_at(path, fingerprint, as_of, horizon_weeks, period, account))


def treasury_section(as_of: date, horizon_weeks: int) -> TreasuryTable:
    """Draw the 13-week treasury table (by week or month, all accounts or one) and return what it shows."""
    path, fingerprint = data_key()
    parts = breakdown_at(path, fingerprint, as_of, horizon_weeks)
    moves = movements_at(path, fingerprint)
    accounts = [ALL_ACCOUNTS, *parts.openings.index.astype(str).tolist()]
    names = {"week": _("By week"), "month": _("By month"), ALL_ACCOUNTS: _("All accounts")}
    with st.container(horizontal=True, gap="medium"):
        period = st.segmented_control(_("Period"), options=["week", "month"], default="week", key="treasury_period",
                                      format_func=lambda p: names[p])
        account = st.selectbox(_("Bank account"), accounts, key="treasury_account",
                               format_func=lambda a: names.get(a, str(a)))
    chosen = None if account == ALL_ACCOUNTS else str(account)
    table = table_at(path, fingerprint, as_of, horizon_weeks, period or "week", chosen)
    text = _table_text_at(path, fingerprint, as_of, horizon_weeks, period or "week", chosen, lang())
    st.container(key="treasury_table").markdown(text)
    if not len(moves):
        st.caption(_("No bank movement imported yet: the table starts the day after as-of, all forecast."))
    st.caption(_("Weeks up to as-of are the bank's movements (marked actual); the week holding as-of is actual up to "
                 "as-of and forecast after it; later weeks are forecast. Closing balance (expected) = opening + net "
                 "flow; P10–P90 is its likely range and P50 the median line of the chart above. Amounts in euros."))
    return table


def _markdown(table: TreasuryTable) -> str:
    """Return the table as markdown: one row per line, one column per period, a status row first."""
    periods = list(table.table.columns)
    keys = [f"p{i}" for i in range(len(periods))]
    language = lang()
    rows = [{"line": _("Status"), **{k: status_label(table.status[p], language) for k, p in
                                      zip(keys, periods, strict=True)}}]
    for line in LINES:
        values = table.table.loc[line]
        label = line_label(line, language)
        bold = line in ("opening", "net", "closing_expected")
        rows.append({"line": f"**{label}**" if bold else label,
                     **{k: number(None if pd.isna(v) else float(v)) for k, v in zip(keys, values, strict=True)}})
    frame = pd.DataFrame(rows)
    head = week_header(lang()) if table.period == "week" else _("Month")
    labels = {"line": head, **{k: _period_text(p, table.period) for k, p in zip(keys, periods, strict=True)}}
    return markdown_table(frame, labels, {}, right=keys)


def _period_text(start: pd.Timestamp, period: str) -> str:
    """Return a period's heading: its Monday, or its month as MM/YYYY."""
    return date_text(start) if period == "week" else f"{start.month:02d}/{start.year}"


def snapshot_button(as_of: date, horizon_weeks: int) -> None:
    """Draw the button freezing the forecast shown (with an optional label) and say which snapshot it made."""
    if not can(SNAPSHOT_CREATE):  # a viewer freezes nothing (and the store refuses it anyway)
        read_only_notice(_("freezing the forecast"))
        return
    with st.form("snapshot_form", border=False), st.container(horizontal=True, gap="small",
                                                              vertical_alignment="bottom"):
        label = st.text_input(_("Snapshot label"), key="snapshot_label", placeholder=_("e.g. board of March"))
        taken = st.form_submit_button(_("Freeze this forecast"), icon=":material/photo_camera:",
                                      help=_("Keep this forecast's weekly flows and closing range to compare them "
                                             "with the bank later (Forecast vs actual page)"))
    if taken:
        store = get_store()
        cash, _context = cached_cash(as_of, horizon_weeks)
        frames, settings = snapshot_of(cash, store.data_version())
        snapshot_id = save_snapshot(store, as_of, label.strip(), settings, False, frames.flows, frames.closings)
        st.success(_("Snapshot {id} taken: compare it with the bank on the Forecast vs actual page.", id=snapshot_id))

