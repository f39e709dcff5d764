"""Helpers shared by the pages: the store, the cached ledger, the as-of date, money formatting."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from forecasting import i18n
from forecasting.cli import default_db_path
from forecasting.errors import InputError
from forecasting.ledger import Ledger
from forecasting.projection import CashItems, Projection, aggregate, prepare
from forecasting.scenarios import ScenarioContext, context_from_ledger
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


@st.cache_resource(max_entries=4, show_spinner="Learning how clients and suppliers pay…")
def _prepared(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int
              ) -> tuple[CashItems, ScenarioContext]:
    """Return the sampled cash items and the what-if context: fitted once per data version, as-of and horizon.

    A resource, not data: shared by every page and session without copies, and never modified (a what-if
    works on its own copy).
    """
    ledger = _ledger(path, fingerprint)
    return prepare(ledger, as_of, horizon_weeks), context_from_ledger(ledger, as_of)


def cached_cash(as_of: date, horizon_weeks: int) -> tuple[CashItems, ScenarioContext]:
    """Return the prepared cash items of the current data and the what-if context."""
    store = get_store()
    return _prepared(str(store.path), store.fingerprint(), as_of, horizon_weeks)


@st.cache_data(show_spinner="Forecasting…", max_entries=16)
def _projection(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int) -> Projection:
    """Return the projection, computed once per data version, as-of date and horizon."""
    return aggregate(_prepared(path, fingerprint, as_of, horizon_weeks)[0])


def cached_projection(as_of: date, horizon_weeks: int) -> Projection:
    """Return the cash projection of the current data."""
    store = get_store()
    return _projection(str(store.path), store.fingerprint(), as_of, horizon_weeks)


LANG_KEY = "lang"  # session-state key of the chosen language ('fr' or 'en')


def lang() -> str:
    """Return the language chosen in the sidebar (default: $CASHPILOT_LANG, else English)."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.default_language()
    return str(st.session_state[LANG_KEY])


def _(text: str, **values: Any) -> str:
    """Return a label in the chosen language (English source text), placeholders filled."""
    return i18n.tr(text, lang(), **values)


def language_selector() -> str:
    """Draw the language switch in the sidebar and return the chosen language."""
    lang()
    st.radio("Language / Langue", options=list(i18n.LANGUAGES), key=LANG_KEY, horizontal=True,
             format_func=lambda code: i18n.LANGUAGE_NAMES[code])
    return lang()


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


# --- shared by the KPI pages (receivables, payables) ----------------------------------------------
def data_key() -> tuple[str, tuple[int, int, int]]:
    """Return (database path, fingerprint): with the as-of date and the settings, the key of cached results."""
    store = get_store()
    return str(store.path), store.fingerprint()


def ledger_at(path: str, fingerprint: tuple[int, int, int]) -> Ledger:
    """Return the cached ledger of one data version (for cached functions keyed by `data_key()`)."""
    return _ledger(path, fingerprint)


def parse_days_list(text: str) -> tuple[int, ...]:
    """Return "30, 60, 90" as (30, 60, 90); raise InputError unless whole numbers of days, increasing, >= 1."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise InputError(f'"{text}" is not a list of days: expected whole numbers separated by commas, e.g. 30,60,90')
    days = tuple(int(p) for p in parts)
    if days[0] < 1 or any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise InputError(f'"{text}": the limits must be increasing and at least 1 day, e.g. 30,60,90')
    return days


def percent(value: float | None) -> str:
    """Return a fraction as a percentage with one decimal: 0.2388 -> 23.9 %."""
    if value is None or pd.isna(value):
        return "—"
    return f"{100 * value:.1f}\u202f%"


def days_text(value: float | None) -> str:
    """Return a number of days with one decimal: 57.68 -> 57.7 days."""
    if value is None or pd.isna(value):
        return "—"
    return f"{value:.1f} days"


PERCENT_COLUMN = "%.1f %%"  # st.column_config format of percentages given as values × 100 (progress bars)
DATE_COLUMN = "DD/MM/YYYY"  # st.column_config.DateColumn format


def styled(frame: pd.DataFrame, money_columns: tuple[str, ...] = (), percent_columns: tuple[str, ...] = ()) -> Any:
    """Return `frame` for st.dataframe with amounts shown by money() and fractions by percent(); cells keep
    their numbers, so columns still sort as numbers."""
    formats = {c: money for c in money_columns if c in frame.columns}
    formats.update({c: percent for c in percent_columns if c in frame.columns})
    return frame.style.format(formats)


APP_FLAG = "_cashpilot_app"  # set by app.py on every run: a page run without it was opened outside navigation


def ensure_app() -> None:
    """Send a page opened on its own through app.py (sidebar, as-of date, navigation).

    Right after the server starts, Streamlit can serve a link such as /receivables straight from the pages/
    folder before app.py has declared its navigation; the page would then run without the sidebar.
    """
    if not st.session_state.get(APP_FLAG):
        st.switch_page("app.py")
