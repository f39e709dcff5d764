"""Helpers shared by the pages: the store, the cached ledger, the as-of date, the language and its formats."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.i18n import formats
from forecasting.i18n import translate as i18n
from forecasting.i18n.glossary import glossary
from forecasting.projection.cache import cached_prepare, folder_for
from forecasting.projection.drilldown import PAY_P10, PAY_P50, PAY_P90
from forecasting.projection.forecast import aggregate
from forecasting.projection.types import CashItems, Projection
from forecasting.reports.deltas import GoodWhen, delta_look
from forecasting.reports.figures import EXPECTED_WORD, Figure
from forecasting.scenarios.compare import ScenarioContext, context_from_ledger
from forecasting.store.database import Store, default_db_path
from pages.widgets.identity import current_actor


@st.cache_resource
def shared_store() -> Store:
    """Return the store of the database named by $CASHPILOT_DB (default data/cashpilot.duckdb), for reads."""
    return Store(default_db_path())


def get_store() -> Store:
    """Return the store acting as this session's user: its writes are checked against their role and audited."""
    return shared_store().acting_as(current_actor())


@st.cache_data(show_spinner=False, max_entries=4)
def _ledger(path: str, fingerprint: tuple[int, int, int]) -> Ledger:
    """Return the ledger read once per version of the file (the fingerprint changes on every write)."""
    return Store(path).read_ledger()


def load_ledger() -> Ledger:
    """Return the current data, re-read only when the database file changed."""
    store = get_store()
    with st.spinner(_("Reading the database…")):
        return _ledger(str(store.path), store.fingerprint())


@st.cache_data(show_spinner=False, max_entries=4)
def holds_at(path: str, fingerprint: tuple[int, int, int]) -> tuple[bool, bool]:
    """Return whether one data version holds client invoices and bank balances."""
    ledger = _ledger(path, fingerprint)  # only on a new version: a cached ledger is a copy, 30-50 ms a call
    return not ledger.receivables.empty, not ledger.bank_balances.empty


def data_holds() -> tuple[bool, bool]:
    """Return whether the current data holds client invoices and bank balances (without copying the ledger)."""
    return holds_at(*data_key())


@st.cache_resource(max_entries=4, show_spinner=False)
def _prepared(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int
              ) -> tuple[CashItems, ScenarioContext]:
    """Return the sampled cash items and the what-if context: fitted once per data version, as-of and horizon.

    A resource, not data: shared by every page and session without copies, and never modified (a what-if
    works on its own copy).
    """
    ledger = _ledger(path, fingerprint)
    cash = cached_prepare(ledger, as_of, horizon_weeks, folder_for(path))  # a restart reads the last fit
    return cash, context_from_ledger(ledger, as_of)


def prepared_at(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int
                ) -> tuple[CashItems, ScenarioContext]:
    """Return the cached cash items and what-if context of one data version (for cached functions keyed by it)."""
    return _prepared(path, fingerprint, as_of, horizon_weeks)


def cached_cash(as_of: date, horizon_weeks: int) -> tuple[CashItems, ScenarioContext]:
    """Return the prepared cash items of the current data and the what-if context."""
    store = get_store()
    with st.spinner(_("Learning how clients and suppliers pay…")):
        return _prepared(str(store.path), store.fingerprint(), as_of, horizon_weeks)


@st.cache_data(show_spinner=False, max_entries=16)
def projection_at(path: str, fingerprint: tuple[int, int, int], as_of: date, horizon_weeks: int) -> Projection:
    """Return the projection of one data version, as-of date and horizon, computed once (the server's warm-up too)."""
    return aggregate(_prepared(path, fingerprint, as_of, horizon_weeks)[0])


def cached_projection(as_of: date, horizon_weeks: int) -> Projection:
    """Return the cash projection of the current data."""
    store = get_store()
    with st.spinner(_("Forecasting…")):
        return projection_at(str(store.path), store.fingerprint(), as_of, horizon_weeks)


LANG_KEY = "lang"  # session-state key of the chosen language ('fr' or 'en')


def lang() -> str:
    """Return the language chosen in the sidebar (default: $CASHPILOT_LANG, else English)."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.default_language()
    return str(st.session_state[LANG_KEY])


def _(text: str, **values: Any) -> str:
    """Return a label in the chosen language (English source text), placeholders filled."""
    return i18n.tr(text, lang(), **values)


def counted(singular: str, plural: str, n: float, /, **values: Any) -> str:
    """Return a counted label in the chosen language, the form agreeing with `n` ('1 ligne', '2 lignes')."""
    return i18n.trn(singular, plural, n, lang(), **values)


def labeller() -> Callable[..., str]:
    """Return `_` with the current language fixed: a widget's format_func, which may be called outside the run."""
    language = lang()
    return lambda text, **values: i18n.tr(str(text), language, **values)


def count_label(template: str) -> Callable[[Any], str]:
    """Return a format_func writing a number through `template` ('{n} weeks'), language fixed now."""
    say = labeller()
    return lambda n: say(template, n=n)


def option_label(names: dict[str, str] | None = None) -> Callable[[Any], str]:
    """Return a format_func translating an option (or its English name in `names`), language fixed now."""
    say = labeller()
    return lambda option: say((names or {}).get(option, option))


def known(text: str) -> str:
    """Return a text computed by forecasting/ (a note, a bucket or level name) in French when the catalog has it.

    Unlike `_()`, a text the catalog lacks is shown as it is and not recorded as missing: such texts are built
    from data and are not all known in advance.
    """
    return i18n.localise(text, lang())


def language_selector() -> str:
    """Draw the language switch in the sidebar and return the chosen language."""
    lang()
    st.radio("Language / Langue", options=list(i18n.LANGUAGES), key=LANG_KEY, horizontal=True,
             format_func=lambda code: i18n.LANGUAGE_NAMES[code])
    return lang()


def glossary_panel() -> None:
    """Draw the glossary of treasury terms in the chosen language, in a sidebar expander."""
    with st.expander(_("Glossary"), icon=":material/menu_book:"):
        # One text, not one element a term: every page draws the sidebar, and each element costs the browser time.
        st.markdown("\n\n".join(f"**{term}**: {definition}" for term, definition in glossary(lang())))


IMPORT_KINDS = {  # what an imported file holds, as the Data and Overview pages name it
    "receivables": "Receivables (client invoices)",
    "payables": "Payables (supplier invoices)",
    "payments": "Payments",
    "bank-balances": "Bank balances",
    "planned-flows": "Planned flows",
    "counterparties": "Clients and suppliers",
    "fx-rates": "Exchange rates",
    "fec": "FEC (French accounting export)",
    "bank-statement": "Bank statement (CFONB 120, camt.053, MT940)",
}


def kind_label(kind: object) -> str:
    """Return the translated name of an import kind ('bank-balances' -> Bank balances / Soldes bancaires)."""
    text = IMPORT_KINDS.get(str(kind).replace("_", "-"))
    return _(text) if text else str(kind)


def datetime_format() -> str:
    """Return the st.column_config.DatetimeColumn format of the chosen language, to the minute."""
    return date_format() + " HH:mm"


COUNT_COLUMNS = ("rows_read", "rows_inserted", "rows_updated", "rows_unchanged", "rows_rejected")  # of the import log


def import_log_columns() -> dict[str, Any]:
    """Return the st.dataframe column labels of the import history, in the chosen language."""
    return {"import_id": st.column_config.NumberColumn("#"),
            "imported_at": st.column_config.DatetimeColumn(_("Imported at"), format=datetime_format()),
            "kind": _("Contents"), "file_name": _("File"), "source": _("Source"), "rows_read": _("Rows read"),
            "rows_inserted": _("Inserted"), "rows_updated": _("Updated"), "rows_unchanged": _("Unchanged"),
            "rows_rejected": _("Rejected")}


def paid_by_labels() -> dict[str, str]:
    """Return the names of an invoice's likely payment dates (P10, P50, P90), one wording for every drill-down."""
    return {PAY_P10: _("Paid by (P10)"), PAY_P50: _("Paid by (P50)"), PAY_P90: _("Paid by (P90)")}


def date_format() -> str:
    """Return the date format of st.date_input and st.column_config.DateColumn: DD/MM/YYYY or YYYY-MM-DD."""
    return formats.DATE_FORMAT_WIDGET[lang()]


def as_of_date() -> date:
    """Return the as-of date chosen in the sidebar (today by default)."""
    if "as_of" not in st.session_state:
        st.session_state["as_of"] = date.today()
    return st.date_input(_("As of"), key="as_of", format=date_format(),
                         help=_("Forecasts and KPIs use what was known at the end of this day."))


def current_as_of() -> date:
    """Return the as-of date without drawing the widget."""
    return st.session_state.get("as_of", date.today())


def sidebar_status(store: Store) -> None:
    """Show which database is open and how fresh it is."""
    if not store.exists():
        st.caption(_("No database yet at `{path}`: import files on the Data page, or run `cashpilot demo`.",
                     path=store.path))
        return
    st.caption(_("Database: `{path}`", path=store.path))


def money(value: float | None, currency: str = "EUR") -> str:
    """Return an amount as a treasurer reads it in the chosen language: 1 234 567 € or €1,234,567."""
    return formats.fmt_money(value, lang(), currency)


def signed_money(value: float | None) -> str | None:
    """Return an amount with its sign (+1 234 € / +€1,234) for st.metric's delta; None when missing."""
    if value is None or pd.isna(value):
        return None
    return ("+" if value > 0 else "") + money(value)


def delta_metric(column: Any, label: str, value: str, delta_eur: float | None, good_when: GoodWhen,
                 help: str | None = None) -> None:
    """Show a tile whose change in euros is drawn with the arrow of its sign and the colour of its effect on cash."""
    look = delta_look(delta_eur, good_when)
    column.metric(label, value, signed_money(delta_eur), delta_color=look.colour, delta_arrow=look.arrow, help=help)


def figure_metric(column: Any, figure: Figure, text: str | None = None, extra_help: str = "",
                  under: str | None = None) -> None:
    """Draw a headline figure (reports/figures.py) as a tile: its name, its value in euros (or `text`), its statistic
    in grey under the value when its name leaves it out (or `under`), and its help."""
    help_text = known(figure.help) + (f" ({extra_help})" if extra_help else "")
    note = under if under is not None else (known(EXPECTED_WORD) if figure.name is not None else None)
    column.metric(known(figure.tile_name), money(figure.value) if text is None else text, note, delta_color="off",
                  delta_arrow="off", help=help_text)


def tiles(n: int) -> list[Any]:
    """Return `n` places for metric tiles, in call order, in one row that wraps: each tile is at least as wide as its
    label and value, so a narrow window moves tiles to a second row instead of cutting their texts (st.columns
    would give each a fixed fifth of the page)."""
    row = st.container(horizontal=True, wrap=True, gap="medium")
    return [row] * n


NAME_PX_PER_CHAR, NAME_PX_MAX = 7, 420  # the grid's 14-px font averages under 7 px a character; cap a column


def text_width(texts: Iterable[object], label: str = "") -> int:
    """Return a grid column's width in px for the longest of `texts` (and its label): the grid sizes a column from
    its first rows only, and cut a longer text further down ("Communauté d'agglomération de Poi")."""
    longest = max((len(str(t)) for t in (*texts, label)), default=0)
    return min(NAME_PX_MAX, 24 + NAME_PX_PER_CHAR * longest)


def name_column(label: str, names: Iterable[object]) -> Any:
    """Return a text column wide enough for the longest of `names` (see text_width)."""
    return st.column_config.TextColumn(label, width=text_width(names, label))


def money_column(label: str, amounts: Iterable[float]) -> Any:
    """Return a column of amounts (written by `styled`) wide enough for the longest of them as shown."""
    return st.column_config.NumberColumn(label, width=text_width((money(a) for a in amounts), label))


def number(value: float | None, decimals: int = 0) -> str:
    """Return a number in the chosen language: 5 431 or 5,431."""
    return formats.fmt_number(value, lang(), decimals)


def date_text(value: Any) -> str:
    """Return a date in the chosen language: 31/12/2026 or 2026-12-31."""
    return formats.fmt_date(value, lang())


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
        raise InputError(_('"{value}" is not a list of days: expected whole numbers separated by commas, e.g. 30,60,90',
                           value=text))
    days = tuple(int(p) for p in parts)
    if days[0] < 1 or any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise InputError(_('"{value}": the limits must be increasing and at least 1 day, e.g. 30,60,90', value=text))
    return days


def percent(value: float | None, decimals: int = 1) -> str:
    """Return a fraction as a percentage in the chosen language: 0.2388 -> 23,9 % or 23.9%."""
    return formats.fmt_percent(value, lang(), decimals)


def days_text(value: float | None) -> str:
    """Return a number of days with one decimal in the chosen language: 57,7 jours or 57.7 days."""
    return formats.fmt_days(value, lang())


PERCENT_COLUMN = "%.0f %%"  # progress bars (values × 100): whole percents, so no decimal point shows in French
DATE_COLUMN = "DD/MM/YYYY"  # kept for older callers; pages use date_format(), which follows the language


def styled(frame: pd.DataFrame, money_columns: tuple[str, ...] = (), percent_columns: tuple[str, ...] = (),
           number_columns: tuple[str, ...] = ()) -> Any:
    """Return `frame` for st.dataframe with amounts, fractions and numbers written in the chosen language.

    Cells keep their numbers, so columns still sort as numbers.
    """
    formats = {c: money for c in money_columns if c in frame.columns}
    formats.update({c: percent for c in percent_columns if c in frame.columns})
    formats.update({c: number for c in number_columns if c in frame.columns})
    return frame.style.format(formats)


def markdown_table(frame: pd.DataFrame, labels: Mapping[str, str], formats: Mapping[str, Callable[[Any], str]],
                   right: Collection[str] = ()) -> str:
    """Return the `labels` columns of `frame` as a markdown table: each cell written by its column's format (str
    when it has none), the `right` columns aligned right, '|' escaped and line breaks made spaces.

    For a short report table on a page that must open fast: it is drawn as text, without the data grid's scripts
    and canvas (st.dataframe costs the opening page 0.5 s before its chart shows; bench/RESULTS.md, "Browser").
    """
    def line(texts: Iterable[str]) -> str:  # one row; a '|' or a line break in a text cannot split it
        return "| " + " | ".join(t.replace("|", "\\|").replace("\n", " ") for t in texts) + " |"

    columns = list(labels)
    lines = [line(labels[c] for c in columns), "|" + "|".join("---:" if c in right else "---" for c in columns) + "|"]
    for row in frame[columns].itertuples(index=False):
        lines.append(line(formats[c](v) if c in formats else str(v) for c, v in zip(columns, row, strict=True)))
    return "\n".join(lines)


APP_FLAG = "_cashpilot_app"  # set by app.py on every run: a page run without it was opened outside navigation


def ensure_app() -> None:
    """Send a page opened on its own through app.py (sidebar, as-of date, navigation).

    Right after the server starts, Streamlit can serve a link such as /receivables straight from the pages/
    folder before app.py has declared its navigation; the page would then run without the sidebar.
    """
    if not st.session_state.get(APP_FLAG) or current_actor().role is None:  # nor by a visitor not signed in
        st.switch_page("app.py")
