"""Helpers shared by the pages: the store, the cached ledger, the as-of date, money formatting."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from forecasting.cli import default_db_path
from forecasting.ledger import Ledger
from forecasting.projection import Projection, project
from forecasting.store import Store


@st.cache_resource
def get_store() -> Store:
    """Return the store of the database named by $CASHPILOT_DB (default data/cashpilot.duckdb)."""
    return Store(default_db_path())


@st.cache_data(show_spinner="Reading the database…", max_entries=4)
def _ledger(path: str, fingerprint: tuple[int, int, int]) -> Ledger:
    """Return the ledger read once per version of the file (the fingerprint changes on every write)."""
    return Store(path).read_ledger()


def load_ledger() -> Ledger:
    """Return the current data, re-read only when the database file changed."""
    store = get_store()
    return _ledger(str(store.path), store.fingerprint())


@st.cache_data(show_spinner="Forecasting…", max_entries=16)
def _projection(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int) -> Projection:
    """Return the projection, computed once per data version, as-of date and horizon."""
    return project(_ledger(path, fingerprint), as_of, horizon_weeks)


def cached_projection(as_of: date, horizon_weeks: int) -> Projection:
    """Return the cash projection of the current data."""
    store = get_store()
    return _projection(str(store.path), store.fingerprint(), as_of, horizon_weeks)


def as_of_date() -> date:
    """Return the as-of date chosen in the sidebar (today by default)."""
    if "as_of" not in st.session_state:
        st.session_state["as_of"] = date.today()
    return st.date_input("As of", key="as_of", format="DD/MM/YYYY", help="Forecasts and KPIs use what was known at the end of this day.")


def current_as_of() -> date:
    """Return the as-of date without drawing the widget."""
    return st.session_state.get("as_of", date.today())


def sidebar_status(store: Store) -> None:
    """Show which database is open and how fresh it is."""
    if not store.exists():
        st.caption(f"No database yet at `{store.path}`: import files on the Data page, or run `cashpilot demo`.")
        return
    st.caption(f"Database: `{store.path}`")


def money(value: float | None, currency: str = "€") -> str:
    """Return an amount as a treasurer reads it: 1 234 567 €."""
    if value is None or pd.isna(value):
        return "—"
    return f"{value:,.0f}".replace(",", "\u202f") + f" {currency}"
