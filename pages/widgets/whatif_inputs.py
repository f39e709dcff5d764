"""The What-if page's levers form, drawn from the registered levers' FORM data without knowing any lever.

Section by section: its heading and scope, then each lever's fields (forecasting/scenarios/form.py), in an
expander or not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from forecasting.scenarios.form import (
    CHOICE,
    CLIENTS,
    DATE,
    NUMBER,
    RADIO,
    SLIDER,
    SWITCH,
    TEXT,
    FormField,
    LeverForm,
    Section,
)
from pages.widgets.common import _, date_format, option_label
from pages.widgets.whatif_form import (
    SCOPE_ALL,
    SCOPE_CHOSEN,
    SCOPE_SEGMENTS,
    START,
    field_key,
    scope_key,
    sections,
)


def _scope_widgets(section: Section, segments: list[str], names: dict[str, str]) -> None:
    """Draw a section's scope selector (all / segments / chosen counterparties)."""
    kind = st.radio(_(section.scope_label), [SCOPE_ALL, SCOPE_SEGMENTS, SCOPE_CHOSEN],
                    key=scope_key(section, "scope"), horizontal=True, format_func=option_label())
    if kind == SCOPE_SEGMENTS:
        st.multiselect(_("Segments"), segments, key=scope_key(section, "segments"), placeholder=_("Choose segments"))
    elif kind == SCOPE_CHOSEN:
        st.multiselect(_("Counterparties"), list(names), key=scope_key(section, "ids"),
                       placeholder=_("Choose counterparties"), format_func=lambda i: names.get(i, i))


def _field(where: Any, form: LeverForm, field: FormField, clients: dict[str, str]) -> None:
    """Draw one field of a lever's form in `where` (the page, a column or an expander)."""
    key, label = field_key(form, field.key), _(field.label)
    helped: dict[str, Any] = {"key": key, "help": _(field.help) if field.help else None}
    if field.kind == SWITCH:
        where.checkbox(label, **helped)
    elif field.kind == NUMBER:
        # "%g": 2 and 0.5, not Streamlit's "2.00" and "0.50" (its inputs write a decimal point in any language)
        decimal = isinstance(field.step if field.step is not None else field.default, float)
        where.number_input(label, min_value=field.low, max_value=field.high, step=field.step,
                           format="%g" if decimal else None, **helped)
    elif field.kind == SLIDER:
        where.slider(label, field.low, field.high, step=field.step, **helped)
    elif field.kind in (CHOICE, RADIO):
        draw = where.selectbox if field.kind == CHOICE else where.radio
        draw(label, field.options, format_func=option_label(dict(field.option_names)), **helped)
    elif field.kind == DATE:
        where.date_input(label, format=date_format(), **helped)
    elif field.kind == TEXT:
        where.text_input(label, **helped)
    elif field.kind == CLIENTS:
        where.multiselect(label, list(clients), format_func=lambda i: clients.get(i, i), **helped)


def _lever_form(form: LeverForm, clients: dict[str, str]) -> None:
    """Draw a lever's fields, side by side where they share a row of columns."""
    columns: list[Any] = []
    for i, field in enumerate(form.fields):
        if field.columns == 1:
            _field(st, form, field, clients)
            continue
        if i == 0 or form.fields[i - 1].columns != field.columns:  # a new row of columns
            columns = st.columns(field.columns)
        _field(columns[field.column], form, field, clients)


def levers_form(as_of: date, names: dict[str, dict[str, str]], segments: dict[str, list[str]]) -> None:
    """Draw the levers form, section by section (values live in st.session_state under wi_* keys)."""
    with st.form("levers"):
        st.date_input(_("Levers start on"), key=START, format=date_format(), min_value=as_of,
                      help=_("Terms apply to invoices issued from this day; collection effort to payments expected "
                             "from it."))
        columns = st.columns(2)
        for section, levers in sections():
            with columns[section.column]:
                st.markdown(_(section.heading))
                if section.side is not None:
                    _scope_widgets(section, segments[section.side], names[section.side])
                for cls in levers:
                    if cls.FORM.title is None:
                        _lever_form(cls.FORM, names["client"])
                        continue
                    with st.expander(_(cls.FORM.title), expanded=cls.FORM.expanded):
                        _lever_form(cls.FORM, names["client"])
        with columns[1]:
            st.markdown(_("**Settings**"))
            c1, c2 = st.columns(2)
            c1.number_input(_("Inventory (€)"), 0.0, step=10_000.0, format="%.0f", key="wi_inventory",
                            help=_("Stock is not imported: it enters the BFR as given here"))
            c2.number_input(_("Cost of funds (% a year)"), 0.0, 30.0, step=0.25, format="%g", key="wi_cof",
                            help=_("What a euro of cash earns, or an overdraft costs: prices the cash freed"))
        st.form_submit_button(_("Simulate"), type="primary", icon=":material/play_arrow:")
