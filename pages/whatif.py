"""What-if simulator: change client and supplier terms (and more), see cash and BFR move against the baseline."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from forecasting.charts_scenarios import compare_cash_figure, scenario_bfr_figure, scenario_cash_figure
from forecasting.errors import CashpilotError
from forecasting.scenarios import (
    MAX_COMPARED,
    Baseline,
    Scenario,
    ScenarioResult,
    ScenarioSettings,
    baseline_of,
    compare,
)
from pages.common import cached_cash, current_as_of, ensure_app, get_store, load_ledger, money
from pages.whatif_form import (
    CATEGORIES,
    SCOPE_ALL,
    SCOPE_CHOSEN,
    SCOPE_SEGMENTS,
    SUPPLIER_MODES,
    TERMS_CHOICES,
    defaults,
    form_from_scenario,
    levers_from_form,
)

ensure_app()
DataKey = tuple[str, tuple[int, int, int]]
WEEK_LABELS = {"week_start": "week of", "closing_baseline": "cash, baseline", "closing_scenario": "cash, scenario",
               "closing_delta": "Δ cash", "scenario_p10": "scenario P10", "scenario_p90": "scenario P90",
               "bfr_baseline": "BFR, baseline", "bfr_scenario": "BFR, scenario", "bfr_delta": "Δ BFR"}


@st.cache_resource(max_entries=8, show_spinner=False)
def _baseline(key: DataKey, as_of: date, horizon_weeks: int, settings: ScenarioSettings) -> Baseline:
    """Return the baseline projection and BFR."""
    cash, context = cached_cash(as_of, horizon_weeks)
    return baseline_of(cash, context, settings)


@st.cache_resource(max_entries=32, show_spinner="Simulating…")
def _result(key: DataKey, as_of: date, horizon_weeks: int, scenario_json: str,
            settings: ScenarioSettings) -> ScenarioResult:
    """Return the scenario against the baseline (recomputed only when a lever or the data changes)."""
    cash, context = cached_cash(as_of, horizon_weeks)
    return compare(cash, Scenario.from_json(scenario_json), context, settings,
                   _baseline(key, as_of, horizon_weeks, settings))


def _delta_text(value: float | None) -> str | None:
    """Return a signed amount for st.metric's delta."""
    return None if value is None or pd.isna(value) else f"{value:+,.0f} €".replace(",", "\u202f")


def _scope_widgets(prefix: str, label: str, segments: list[str], names: dict[str, str]) -> None:
    """Draw one scope selector (all / segments / chosen counterparties)."""
    kind = st.radio(label, [SCOPE_ALL, SCOPE_SEGMENTS, SCOPE_CHOSEN], key=f"wi_{prefix}_scope", horizontal=True)
    if kind == SCOPE_SEGMENTS:
        st.multiselect("Segments", segments, key=f"wi_{prefix}_segments")
    elif kind == SCOPE_CHOSEN:
        st.multiselect("Counterparties", list(names), key=f"wi_{prefix}_ids", format_func=lambda i: names.get(i, i))


def _form(as_of: date, clients: dict[str, str], suppliers: dict[str, str], client_segments: list[str],
          supplier_segments: list[str]) -> None:
    """Draw the levers form (values live in st.session_state under wi_* keys)."""
    with st.form("levers"):
        st.date_input("Levers start on", key="wi_start", format="DD/MM/YYYY", min_value=as_of,
                      help="Terms apply to invoices issued from this day; collection effort to payments expected from it.")
        left, right = st.columns(2)
        with left:
            st.markdown("**Clients**")
            _scope_widgets("client", "Client levers apply to", client_segments, clients)
            with st.expander("Payment terms", expanded=True):
                st.checkbox("Change client terms", key="wi_ct_on")
                st.selectbox("New terms", TERMS_CHOICES, key="wi_ct_terms")
                st.checkbox("Also for open invoices", key="wi_ct_open")
            with st.expander("Collection effort", expanded=True):
                st.number_input("Payments earlier (−) or later (+), days", min_value=-60, max_value=60, step=1,
                                key="wi_ce_delay")
                st.slider("Lateness cut by (%)", 0, 100, step=5, key="wi_ce_lateness",
                          help="50 %: a client 20 days late pays 10 days late")
            with st.expander("Early-payment discount"):
                st.checkbox("Offer a discount (d/D net N)", key="wi_epd_on")
                c1, c2, c3 = st.columns(3)
                c1.number_input("d (%)", 0.1, 20.0, step=0.5, key="wi_epd_pct")
                c2.number_input("D (days)", 0, 60, key="wi_epd_days")
                c3.number_input("net N (days)", 1, 120, key="wi_epd_net")
                st.slider("Invoices taking it (%)", 0, 100, step=5, key="wi_epd_take")
            with st.expander("Factoring"):
                st.checkbox("Factor receivables", key="wi_fac_on")
                c1, c2 = st.columns(2)
                c1.slider("Share assigned (%)", 0, 100, step=5, key="wi_fac_share")
                c2.number_input("Advance rate (%)", 0.0, 100.0, step=1.0, key="wi_fac_adv")
                c1.number_input("Service fee (% of TTC)", 0.0, 10.0, step=0.05, key="wi_fac_fee")
                c2.number_input("Financing rate (% a year)", 0.0, 50.0, step=0.25, key="wi_fac_rate")
            with st.expander("Client default"):
                st.multiselect("Clients that default", list(clients), key="wi_def_ids",
                               format_func=lambda i: clients.get(i, i))
                st.checkbox("Stop invoicing them", key="wi_def_stop")
        with right:
            st.markdown("**Suppliers**")
            _scope_widgets("sup", "Supplier levers apply to", supplier_segments, suppliers)
            with st.expander("Payment terms", expanded=True):
                st.radio("Supplier payments", SUPPLIER_MODES, key="wi_st_mode")
                c1, c2 = st.columns(2)
                c1.number_input("Days later (+) or earlier (−)", -60, 120, key="wi_st_days")
                c2.selectbox("New terms", TERMS_CHOICES, key="wi_st_terms")
                st.checkbox("New terms also for open invoices", key="wi_st_open")
            with st.expander("Supplier discounts"):
                st.checkbox("Take supplier discounts (d/D)", key="wi_sd_on")
                c1, c2 = st.columns(2)
                c1.number_input("d (%) ", 0.1, 20.0, step=0.5, key="wi_sd_pct")
                c2.number_input("D (days) ", 0, 60, key="wi_sd_days")
                st.slider("Supplier invoices offering it (%)", 0, 100, step=5, key="wi_sd_take")
            st.markdown("**Activity and one-off flows**")
            c1, c2 = st.columns(2)
            c1.number_input("Sales (%)", -100.0, 200.0, step=5.0, key="wi_act_sales")
            c2.number_input("Purchases (%)", -100.0, 200.0, step=5.0, key="wi_act_purchases")
            with st.expander("One-off flow"):
                st.checkbox("Add a one-off flow", key="wi_oo_on")
                c1, c2 = st.columns(2)
                c1.date_input("Date", key="wi_oo_date", format="DD/MM/YYYY")
                c2.number_input("Amount (€, − = outflow)", step=10_000.0, key="wi_oo_amount")
                c1.text_input("Label", key="wi_oo_label")
                c2.selectbox("Category", CATEGORIES, key="wi_oo_category")
            st.markdown("**Settings**")
            c1, c2 = st.columns(2)
            c1.number_input("Inventory (€)", 0.0, step=10_000.0, key="wi_inventory",
                            help="Stock is not imported: it enters the BFR as given here")
            c2.number_input("Cost of funds (% a year)", 0.0, 30.0, step=0.25, key="wi_cof",
                            help="What a euro of cash earns, or an overdraft costs: prices the cash freed")
        st.form_submit_button("Simulate", type="primary", icon=":material/play_arrow:")


def _tiles(result: ScenarioResult) -> None:
    """Show the deltas and costs as tiles."""
    d, k = result.delta, result.kpis_scenario
    fin = d["financial_effect"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Net cash at horizon", money(k["net_cash_at_horizon"]), _delta_text(d["net_cash_at_horizon"]))
    c2.metric("BFR at horizon", money(k["bfr_at_horizon"]), _delta_text(d["bfr_at_horizon"]), delta_color="inverse",
              help=f"{k['bfr_days_of_sales_at_horizon']:.1f} days of sales; "
                   f"{d['bfr_days_of_sales_at_horizon']:+.1f} days against the baseline")
    c3.metric("Lowest point", money(k["min_cash"]), _delta_text(d["min_cash"]),
              help=f"on {k['min_cash_date']:%d/%m/%Y} (baseline {d['min_cash_date_baseline']:%d/%m/%Y})")
    c4.metric("Financial effect", money(fin["net"]),
              help=f"discount cost {money(fin['discount_cost'])}, factoring fees {money(fin['factoring_fees'])} and "
                   f"financing {money(fin['factoring_financing'])}, supplier discounts gained "
                   f"{money(fin['supplier_discount_gain'])}, interest on the cash difference at "
                   f"{fin['cost_of_funds_rate']:.2%}: {money(fin['interest_on_cash_difference'])}")
    for warning in result.warnings:
        st.warning(warning, icon=":material/gavel:")
    if k["first_shortfall_date"] is not None:
        st.error(f"With this scenario cash goes below zero on {k['first_shortfall_date']:%d/%m/%Y}.")


def _kpi_table(result: ScenarioResult) -> pd.DataFrame:
    """Return the headline figures before and after."""
    rows = [("Net cash at horizon (€)", "net_cash_at_horizon"), ("Lowest point (€)", "min_cash"),
            ("BFR at horizon (€)", "bfr_at_horizon"), ("BFR (days of sales)", "bfr_days_of_sales_at_horizon"),
            ("Receivables at horizon (€)", "receivables_at_horizon"), ("Payables at horizon (€)", "payables_at_horizon"),
            ("DSO at horizon (days)", "dso_days_at_horizon"), ("DPO at horizon (days)", "dpo_days_at_horizon"),
            ("Receipts over the horizon (€)", "receipts"), ("Disbursements over the horizon (€)", "disbursements"),
            ("Expected bad debt (€)", "expected_bad_debt")]
    b, s = result.kpis_baseline, result.kpis_scenario
    return pd.DataFrame([{"figure": label, "baseline": b[key], "scenario": s[key],
                          "difference": (s[key] - b[key]) if s[key] is not None and b[key] is not None else None}
                         for label, key in rows])


def _load(scenario: Scenario, as_of: date) -> None:
    """Put a saved scenario's levers into the form (a callback: it runs before the widgets are drawn)."""
    values, left_out = form_from_scenario(scenario, as_of)
    for k, v in values.items():
        st.session_state[k] = v
    st.session_state["wi_loaded_note"] = (f"Loaded '{scenario.name}'." + (
        f" Not shown in the form: {', '.join(left_out)}." if left_out else ""))


def _saved_section(key: DataKey, as_of: date, horizon_weeks: int, settings: ScenarioSettings,
                   current: Scenario | None) -> None:
    """Save the current levers; list, load, delete and compare saved scenarios."""
    store = get_store()
    st.subheader("Saved scenarios")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    name = c1.text_input("Name", key="wi_save_name", placeholder="e.g. Clients at 45 days EOM")
    if c2.button("Save these levers", icon=":material/save:", disabled=current is None):
        if not name.strip():
            st.error("Give the scenario a name first.")
        else:
            scenario = Scenario(name.strip(), current.levers)
            replaced = store.save_scenario(scenario.name, json.dumps(scenario.to_dict(), ensure_ascii=False))
            st.success(f"Scenario '{scenario.name}' {'replaced' if replaced else 'saved'}.")
    saved = store.scenarios() if store.exists() else pd.DataFrame(columns=["name", "levers", "updated_at"])
    if saved.empty:
        st.caption("No saved scenario yet. Save the levers above, or `cashpilot scenario save FILE.json`.")
        return
    scenarios = {row.name: Scenario.from_json(row.levers) for row in saved.itertuples(index=False)}
    st.dataframe(pd.DataFrame({
        "scenario": list(scenarios),
        "levers": [", ".join(lv.TYPE for lv in s.levers) for s in scenarios.values()],
        "saved": pd.to_datetime(saved["updated_at"]).dt.strftime("%d/%m/%Y %H:%M").to_numpy(),
    }), hide_index=True, width="stretch")
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    chosen = c1.selectbox("Scenario", list(scenarios), key="wi_saved_choice")
    c2.button("Load into the levers", icon=":material/upload:", on_click=_load, args=(scenarios[chosen], as_of))
    if c3.button("Delete", icon=":material/delete:"):
        store.delete_scenario(chosen)
        st.rerun()
    picked = st.multiselect(f"Compare side by side (up to {MAX_COMPARED})", list(scenarios), key="wi_compare",
                            max_selections=MAX_COMPARED)
    if picked:
        results = {n: _result(key, as_of, horizon_weeks, json.dumps(scenarios[n].to_dict()), settings) for n in picked}
        baseline = _baseline(key, as_of, horizon_weeks, settings)
        st.plotly_chart(compare_cash_figure(baseline.projection.weekly, {n: r.scenario.weekly for n, r in results.items()}),
                        width="stretch", key="wi_compare_chart")
        st.dataframe(pd.DataFrame([{
            "scenario": n, "Δ net cash at horizon": r.delta["net_cash_at_horizon"], "Δ BFR at horizon": r.delta["bfr_at_horizon"],
            "Δ BFR (days of sales)": r.delta["bfr_days_of_sales_at_horizon"], "Δ lowest point": r.delta["min_cash"],
            "lowest point on": r.kpis_scenario["min_cash_date"], "financial effect": r.delta["financial_effect"]["net"],
            "warnings": len(r.warnings)} for n, r in results.items()]), hide_index=True, width="stretch",
            column_config={c: st.column_config.NumberColumn(format="%+.0f") for c in
                           ["Δ net cash at horizon", "Δ BFR at horizon", "Δ lowest point", "financial effect"]}
            | {"Δ BFR (days of sales)": st.column_config.NumberColumn(format="%+.1f"),
               "lowest point on": st.column_config.DateColumn(format="DD/MM/YYYY")})


# --- the page ------------------------------------------------------------------------------------
st.title("What-if simulator")
ledger = load_ledger()
if ledger.receivables.empty and ledger.payables.empty:
    st.info("No invoices loaded yet: import receivables and payables on the **Data** page, or run `cashpilot demo`.")
    st.stop()

as_of = current_as_of()
for k, v in defaults(as_of).items():
    st.session_state.setdefault(k, v)
st.session_state.setdefault("wi_inventory", 0.0)
st.session_state.setdefault("wi_cof", 5.0)
horizon_weeks = int(st.segmented_control("Horizon", options=[13, 26, 52], default=13, key="wi_horizon",
                                         format_func=lambda w: f"{w} weeks") or 13)
cps = ledger.counterparties
clients = dict(zip(cps.loc[cps["kind"] == "client", "counterparty_id"].astype(str),
                   cps.loc[cps["kind"] == "client", "name"].astype(str), strict=True))
suppliers = dict(zip(cps.loc[cps["kind"] == "supplier", "counterparty_id"].astype(str),
                     cps.loc[cps["kind"] == "supplier", "name"].astype(str), strict=True))
segments = {kind: sorted(cps.loc[cps["kind"] == kind, "segment"].dropna().astype(str).unique().tolist())
            for kind in ("client", "supplier")}
if note := st.session_state.pop("wi_loaded_note", None):
    st.info(note)
_form(as_of, clients, suppliers, segments["client"], segments["supplier"])

store = get_store()
key: DataKey = (str(store.path), store.fingerprint())
settings = ScenarioSettings(inventory_eur=float(st.session_state["wi_inventory"]),
                            cost_of_funds_rate=float(st.session_state["wi_cof"]) / 100)
levers = levers_from_form(dict(st.session_state), as_of)
scenario: Scenario | None = None
try:
    scenario = Scenario.from_dict({"name": "Current levers", "levers": levers}) if levers else None
except CashpilotError as exc:
    st.error(str(exc))

if scenario is None:
    baseline = _baseline(key, as_of, horizon_weeks, settings)
    last = baseline.bfr.iloc[-1]
    st.info("Set one or more levers and press **Simulate** to see their effect against the baseline.")
    c1, c2, c3 = st.columns(3)
    c1.metric("Net cash at horizon (baseline)", money(baseline.projection.daily["closing_expected"].iloc[-1]))
    c2.metric("BFR at horizon (baseline)", money(last["bfr_eur"]), help=f"{last['bfr_days_of_sales']:.1f} days of sales")
    c3.metric("Lowest point (baseline)", money(baseline.projection.summary["min_cash"]))
else:
    result = _result(key, as_of, horizon_weeks, json.dumps(scenario.to_dict()), settings)
    _tiles(result)
    comparison = result.weekly_comparison()
    st.plotly_chart(scenario_cash_figure(comparison, result.scenario.summary["overdraft_limit"], "Scenario"),
                    width="stretch", key="wi_cash_chart")
    st.plotly_chart(scenario_bfr_figure(comparison, "Scenario"), width="stretch", key="wi_bfr_chart")
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Week by week**")
        table = comparison.assign(week_start=comparison["week_start"].dt.date).rename(columns=WEEK_LABELS)
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(format="%.0f") for c in table.columns[1:]}
                     | {WEEK_LABELS["week_start"]: st.column_config.DateColumn(format="DD/MM/YYYY")})
    with right:
        st.markdown("**Before and after**")
        st.dataframe(_kpi_table(result), hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(format="%.1f")
                                    for c in ("baseline", "scenario", "difference")})
    for note in result.notes:
        st.caption(note)
_saved_section(key, as_of, horizon_weeks, settings, scenario)
