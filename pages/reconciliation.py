"""Reconciliation page: bank movements matched to invoices (proposals to accept or reject, matches by hand, undo),
the movements no invoice explains by category, and the categorisation rules."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit import column_config as cc

from forecasting.core import columns as C
from forecasting.core.access import RECONCILE_RUN
from forecasting.core.errors import CashpilotError
from forecasting.reconcile.rules import DIRECTIONS, RULE_COLUMNS, check_rules
from forecasting.reconcile.run import auto_match, hand_match, open_invoices
from forecasting.reports.reconciliation import by_category, match_table, unmatched_movements
from forecasting.store.database import Store
from forecasting.store.reconciliation import decide, read_rules, replace_rules
from pages.widgets.common import (
    _,
    counted,
    date_format,
    date_text,
    ensure_app,
    get_store,
    known,
    lang,
    load_ledger,
    money,
    name_column,
    number,
    tiles,
)
from pages.widgets.identity import can
from pages.widgets.login import read_only_notice

ensure_app()

SHOWN = 200  # rows of a table drawn on screen
CATEGORY_NAMES = {
    "clients": "Clients", "suppliers": "Suppliers", "payroll": "Payroll", "social": "Social charges",
    "vat": "VAT", "tax": "Taxes", "rent": "Rent", "loan": "Loans", "capex": "Capital expenditure",
    "financing": "Financing", "bank_fees": "Bank fees", "card_receipts": "Card receipts", "other": "Other",
}
DIRECTION_NAMES = {"credit": "Money in", "debit": "Money out", "any": "Both"}
STATUS_NAMES = {"auto": "Automatic", "accepted": "Accepted", "manual": "By hand", "proposed": "Proposed",
                "rejected": "Rejected"}
DONE_KEY = "reconcile_done"  # the message of the last action, shown after the rerun it causes


def _category(value: Any) -> str:
    """Return a movement category in the page's language."""
    return known(CATEGORY_NAMES.get(str(value), "Other"))


def _done(message: str) -> None:
    """Keep the message of an action for the next run, and rerun so every table shows its effect."""
    st.session_state[DONE_KEY] = message
    st.rerun()


def _match_columns(shown: pd.DataFrame) -> dict[str, Any]:
    """Return the column labels of a match table, the movements' and invoices' columns as wide as their longest."""
    return {
        "match_id": _("No."), "status": _("Status"), "confidence": cc.ProgressColumn(_("Confidence"), min_value=0.0,
                                                                                    max_value=1.0, format="percent"),
        C.BOOKING_DATE: cc.DateColumn(_("Booked"), format=date_format()), C.ACCOUNT_ID: _("Account"),
        C.MOVEMENT_ID: name_column(_("Movement"), shown[C.MOVEMENT_ID]),
        C.AMOUNT: cc.NumberColumn(_("Amount"), format="%.2f"), C.LABEL: _("Label"),
        "invoices": name_column(_("Invoices"), shown["invoices"]),
        "invoiced": cc.NumberColumn(_("Paid on the invoices"), format="%.2f"),
        "reason": _("Why"),
    }


def _match_label(table: pd.DataFrame) -> Any:
    """Return the format_func naming a match by its number, movement, amount and invoices."""
    rows = table.set_index("match_id")
    return lambda match_id: (f"{match_id} · {date_text(rows.at[match_id, C.BOOKING_DATE])} · "
                             f"{money(rows.at[match_id, C.AMOUNT])} · {rows.at[match_id, 'invoices']}")


def _proposals(store: Store, writes: bool) -> None:
    """Show the proposals, best first, with accept / reject for the one chosen (`writes`: for a role that may)."""
    st.subheader(_("Proposals to check"))
    table = match_table(store, lang(), ("proposed",))
    if not len(table):
        st.info(_("No proposal waits for a decision."))
        return
    shown = table.head(SHOWN).assign(status=lambda f: f["status"].map(lambda s: known(STATUS_NAMES[s])))
    st.dataframe(shown, hide_index=True, width="stretch", column_config=_match_columns(shown))
    if not writes:
        return
    chosen = st.selectbox(_("Proposal"), table["match_id"].tolist(), format_func=_match_label(table),
                          key="proposal")
    accept, reject = st.columns(2)
    if accept.button(_("Accept: the invoices are paid"), type="primary", key="accept"):
        decide(store, int(chosen), "accept", store.actor.who)
        _done(_("Match {id} accepted: its invoices are paid and no longer forecast.", id=chosen))
    if reject.button(_("Reject"), key="reject"):
        decide(store, int(chosen), "reject", store.actor.who)
        _done(_("Match {id} rejected: it will not be proposed again.", id=chosen))


def _applied(store: Store, writes: bool) -> None:
    """Show the applied matches, with undo (`writes`: for a role that may)."""
    table = match_table(store, lang(), ("auto", "accepted", "manual"))
    with st.expander(counted("{n} applied match", "{n} applied matches", len(table))):
        if not len(table):
            return
        shown = table.head(SHOWN).assign(status=lambda f: f["status"].map(lambda s: known(STATUS_NAMES[s])))
        st.dataframe(shown, hide_index=True, width="stretch", column_config=_match_columns(shown))
        if not writes:
            return
        chosen = st.selectbox(_("Match to undo"), table["match_id"].tolist(), format_func=_match_label(table),
                              key="undo_choice")
        if st.button(_("Undo: the invoices are open and forecast again"), key="undo"):
            decide(store, int(chosen), "undo", store.actor.who)
            _done(_("Match {id} undone: its invoices are open again.", id=chosen))


def _by_hand(store: Store, movements: pd.DataFrame) -> None:
    """Match a movement to invoices chosen by hand."""
    st.subheader(_("Match by hand"))
    candidates = movements[movements[C.CATEGORY].isin(["clients", "suppliers", "other"])].head(SHOWN)
    if not len(candidates):
        st.info(_("No movement left to match."))
        return
    rows = candidates.set_index(C.MOVEMENT_ID)
    movement = st.selectbox(_("Movement"), rows.index.tolist(), key="hand_movement", format_func=lambda m: (
        f"{date_text(rows.at[m, C.BOOKING_DATE])} · {money(rows.at[m, C.AMOUNT])} · {rows.at[m, C.LABEL]}"))
    amount = float(rows.at[movement, C.AMOUNT])
    side = C.RECEIVABLE if amount > 0 else C.PAYABLE
    invoices = open_invoices(load_ledger())
    invoices = invoices[invoices["side"] == side]
    # the invoices closest in amount first: the one paid is usually among them
    invoices = invoices.iloc[(invoices["open"] - abs(amount)).abs().argsort()].head(SHOWN)
    names = invoices.set_index(C.INVOICE_ID)
    picked = st.multiselect(_("Invoices it pays"), names.index.tolist(), key="hand_invoices",
                            placeholder=_("Choose invoices"), format_func=lambda i: (
        f"{i} · {names.at[i, C.COUNTERPARTY_ID]} · {money(names.at[i, 'open'], str(names.at[i, C.CURRENCY]))}"))
    if st.button(_("Match"), key="hand_match", disabled=not picked):
        match_id = hand_match(store, str(rows.at[movement, C.ACCOUNT_ID]), str(movement), list(picked), store.actor.who)
        _done(_("Match {id} recorded: the invoices are paid.", id=match_id))


def _categories(movements: pd.DataFrame) -> None:
    """Show the movements no match explains, by category, and those of one category."""
    st.subheader(_("Unmatched movements by category"))
    if not len(movements):
        st.info(_("Every movement is matched."))
        return
    table = by_category(movements)
    table[C.CATEGORY] = table[C.CATEGORY].map(_category)
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        C.CATEGORY: _("Category"), "movements": _("Movements"),
        "money_in": cc.NumberColumn(_("Money in"), format="%.2f"),
        "money_out": cc.NumberColumn(_("Money out"), format="%.2f")})
    present = [c for c in C.MOVEMENT_CATEGORIES if c in set(movements[C.CATEGORY].fillna("other"))]
    category = st.selectbox(_("Category"), present, format_func=_category, key="category_shown")
    listed = movements[movements[C.CATEGORY].fillna("other") == category].head(SHOWN)
    st.dataframe(listed.drop(columns=[C.CATEGORY]), hide_index=True, width="stretch", column_config={
        C.BOOKING_DATE: cc.DateColumn(_("Booked"), format=date_format()), C.ACCOUNT_ID: _("Account"),
        C.MOVEMENT_ID: name_column(_("Movement"), listed[C.MOVEMENT_ID]),
        C.AMOUNT: cc.NumberColumn(_("Amount"), format="%.2f"), C.LABEL: _("Label"), C.REMITTANCE: _("Remittance"), C.COUNTERPARTY_NAME: _("Counterparty")})


def _rules(store: Store, writes: bool) -> None:
    """Show the categorisation rules, as a table to edit and save for a role that may (`writes`)."""
    with st.expander(_("Categorisation rules")):
        st.caption(_("A movement no invoice explains gets the category of the first enabled rule, by priority, "
                     "whose patterns match its label and counterparty (plain words or regular expressions, "
                     "case and accents ignored). Run the matching again to apply a change."))
        rules = read_rules(store)[RULE_COLUMNS]
        config: dict[str, Any] = {
            "priority": cc.NumberColumn(_("Priority"), step=1),
            "label_pattern": cc.TextColumn(_("Label pattern")),
            "counterparty_pattern": cc.TextColumn(_("Counterparty pattern")),
            "direction": cc.SelectboxColumn(_("Direction"), options=list(DIRECTIONS)),
            "category": cc.SelectboxColumn(_("Category"), options=list(C.MOVEMENT_CATEGORIES)),
            "enabled": cc.CheckboxColumn(_("Enabled"))}
        if writes:
            edited = st.data_editor(rules, num_rows="dynamic", hide_index=True, width="stretch", key="rules_editor",
                                    column_config=config)
        else:
            st.dataframe(rules, hide_index=True, width="stretch", column_config=config)
        st.caption(" · ".join(f"{d}: {known(DIRECTION_NAMES[d])}" for d in DIRECTIONS))
        if writes and st.button(_("Save the rules"), key="save_rules"):
            replace_rules(store, check_rules(edited.dropna(how="all")))
            _done(_("Rules saved."))


store = get_store()
writes = can(RECONCILE_RUN)  # every write of this page needs the same role (forecasting/core/access.py)
st.title(_("Reconciliation"))
st.caption(_("Bank movements matched to open invoices. A sure match is applied at once: its invoices count as paid "
             "and leave the forecast, even before the next ledger export; the others wait here for a decision."))
if not writes:  # no write control at all for this role (and the store refuses their writes anyway)
    read_only_notice(_("matching bank movements and editing the rules"))
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY))
try:
    movements = unmatched_movements(store)
    status = store.status()["counts"]
    total = int(status.get("bank_movements", 0))
    if not total:
        st.info(_("No bank movement yet: import a bank statement (CFONB 120, camt.053 or MT940), or load the "
                  "demo company with `cashpilot demo`."))
    else:
        proposals = match_table(store, lang(), ("proposed",))
        a, b, c, d = tiles(4)
        a.metric(_("Movements"), number(total))
        b.metric(_("Matched"), number(total - len(movements)))
        c.metric(_("Proposals"), number(len(proposals)))
        d.metric(_("Not matched"), number(len(movements)))
        if writes and st.button(_("Run the matching"), key="run_matching"):
            summary = auto_match(store)
            _done(_("{auto} matched automatically, {proposed} proposed.", auto=number(summary.auto),
                    proposed=number(summary.proposed)))
        _proposals(store, writes)
        _applied(store, writes)
        if writes:
            _by_hand(store, movements)
        _categories(movements)
    _rules(store, writes)
except CashpilotError as exc:
    st.error(str(exc))
