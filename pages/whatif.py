"""What-if simulator: change client and supplier terms (and more), see cash and BFR move against the baseline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from streamlit import column_config as cc

from forecasting.core.access import SCENARIO_DELETE, SCENARIO_SAVE
from forecasting.core.errors import CashpilotError
from forecasting.i18n.translate import sentence
from forecasting.reports.charts.scenarios import (
    compare_cash_figure,
    scenario_bfr_figure,
    scenario_cash_figure,
)
from forecasting.reports.charts.waterfall import lever_waterfall_figure
from forecasting.reports.deltas import HIGHER_IS_BETTER, LOWER_IS_BETTER
from forecasting.reports.figures import cash_figures
from forecasting.reports.source import MIN_LEVERS_FOR_WATERFALL
from forecasting.reports.waterfall import (
    BFR,
    BFR_ALONE,
    KIND,
    NET_CASH,
    NET_CASH_ALONE,
    STEP,
    waterfall_frame,
)
from forecasting.scenarios.compare import (
    MAX_COMPARED,
    Baseline,
    Scenario,
    ScenarioResult,
    ScenarioSettings,
    baseline_of,
    compare,
)
from forecasting.scenarios.waterfall import Waterfall, waterfall
from forecasting.store.database import Store
from pages.widgets.chart import show_chart
from pages.widgets.common import (
    _,
    cached_cash,
    count_label,
    current_as_of,
    date_format,
    date_text,
    datetime_format,
    delta_metric,
    ensure_app,
    figure_metric,
    get_store,
    known,
    lang,
    load_ledger,
    money,
    name_column,
    number,
    percent,
    styled,
    tiles,
)
from pages.widgets.downloads import board_pack_download, chart_downloads, export_source, workbook_download
from pages.widgets.identity import can
from pages.widgets.login import read_only_notice
from pages.widgets.whatif_form import defaults, form_from_scenario, scenario_from_form
from pages.widgets.whatif_inputs import levers_form

ensure_app()
DataKey = tuple[str, tuple[int, int, int]]
WEEK_LABELS = {"week_start": "Week of", "closing_baseline": "Cash, baseline", "closing_scenario": "Cash, scenario",
               "closing_delta": "Δ cash", "scenario_p10": "Scenario P10", "scenario_p90": "Scenario P90",
               "bfr_baseline": "BFR, baseline", "bfr_scenario": "BFR, scenario", "bfr_delta": "Δ BFR"}
COMPARE_LABELS = {  # column of the comparison table (kept in English for scripts and tests) -> shown label
    "scenario": "Scenario", "Δ net cash at horizon": "Δ net cash at horizon", "Δ BFR at horizon": "Δ BFR at horizon",
    "Δ BFR (days of sales)": "Δ BFR (days of sales)", "Δ lowest point": "Δ lowest point",
    "lowest point on": "Lowest point on", "financial effect": "Financial effect", "warnings": "Warnings"}


@st.cache_resource(max_entries=8, show_spinner=False)
def _baseline(key: DataKey, as_of: date, horizon_weeks: int, settings: ScenarioSettings) -> Baseline:
    """Return the baseline projection and BFR."""
    cash, context = cached_cash(as_of, horizon_weeks)
    return baseline_of(cash, context, settings)


# A scenario is hashed by its repr, which names each lever's class: Streamlit's own hashing of a dataclass
# (its fields as a dict) would take two lever types with the same fields and values for one.
@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs={Scenario: repr})
def _result(key: DataKey, as_of: date, horizon_weeks: int, scenario: Scenario,
            settings: ScenarioSettings) -> ScenarioResult:
    """Return the scenario against the baseline (recomputed only when a lever or the data changes)."""
    cash, context = cached_cash(as_of, horizon_weeks)
    return compare(cash, scenario, context, settings, _baseline(key, as_of, horizon_weeks, settings))


def _simulated(key: DataKey, as_of: date, horizon_weeks: int, scenario: Scenario,
               settings: ScenarioSettings) -> ScenarioResult:
    """Return the scenario against the baseline, with a spinner in the chosen language while it is computed."""
    with st.spinner(_("Simulating…")):
        return _result(key, as_of, horizon_weeks, scenario, settings)


def _days(value: float, signed: bool = False) -> str:
    """Return a number of days with one decimal in the chosen language, with its sign when asked."""
    text = number(value, 1)
    return ("+" + text if signed and value > 0 else text)


def _signed(value: float, decimals: int = 0) -> str:
    """Return a difference with its sign in the chosen language: +1 234 or −56."""
    text = number(value, decimals)
    return "+" + text if value is not None and value > 0 and text != "—" else text


def _tiles(result: ScenarioResult) -> None:
    """Show the deltas and costs as tiles."""
    d, k = result.delta, result.kpis_scenario
    fin = d.financial_effect
    # Named and valued as on the Cash outlook page and in the exports (the baseline's are the outlook's figures).
    figures = cash_figures(result.scenario.summary)
    c1, c2, c3, c4 = tiles(4)
    delta_metric(c1, known(figures.net_cash_at_horizon.tile_name), money(figures.net_cash_at_horizon.value),
                 d.net_cash_at_horizon, HIGHER_IS_BETTER, help=known(figures.net_cash_at_horizon.help))
    delta_metric(c2, _("BFR at horizon"), money(k["bfr_at_horizon"]), d.bfr_at_horizon, LOWER_IS_BETTER,
                 help=_("{days} days of sales; {delta} days against the baseline",
                        days=_days(k["bfr_days_of_sales_at_horizon"]),
                        delta=_days(d.bfr_days_of_sales_at_horizon, signed=True)))
    delta_metric(c3, known(figures.lowest_point.tile_name), money(figures.lowest_point.value), d.min_cash,
                 HIGHER_IS_BETTER,
                 help=f"{known(figures.lowest_point.help)} ({_('baseline')}: {date_text(d.min_cash_date_baseline)})")
    c4.metric(_("Financial effect"), money(fin.net),
              help=_("discount cost {discount}, factoring fees {fees} and financing {financing}, supplier discounts "
                     "gained {gained}, interest on the cash difference at {rate}: {interest}",
                     discount=money(fin.discount_cost), fees=money(fin.factoring_fees),
                     financing=money(fin.factoring_financing), gained=money(fin.supplier_discount_gain),
                     rate=percent(fin.cost_of_funds_rate, 2), interest=money(fin.interest_on_cash_difference)))
    for warning in result.warnings:
        st.warning(known(warning), icon=":material/gavel:")
    if k["first_shortfall_date"] is not None:
        st.error(_("With this scenario cash goes below zero on {day}.", day=date_text(k["first_shortfall_date"])))


KPI_ROWS = [("Net cash at horizon (expected, €)", "net_cash_at_horizon"),
            ("Lowest point (daily, expected, €)", "min_cash"),
            ("BFR at horizon (€)", "bfr_at_horizon"), ("BFR (days of sales)", "bfr_days_of_sales_at_horizon"),
            ("Receivables at horizon (€)", "receivables_at_horizon"),
            ("Payables at horizon (€)", "payables_at_horizon"), ("DSO at horizon (days)", "dso_days_at_horizon"),
            ("DPO at horizon (days)", "dpo_days_at_horizon"), ("Receipts over the horizon (€)", "receipts"),
            ("Disbursements over the horizon (€)", "disbursements"), ("Expected bad debt (€)", "expected_bad_debt")]


def _kpi_table(result: ScenarioResult) -> pd.DataFrame:
    """Return the headline figures before and after, as text: euros whole, days with one decimal, the difference
    signed (each row has its own unit, which a column's format could not follow)."""
    b, s = result.kpis_baseline, result.kpis_scenario
    rows = []
    for label, key in KPI_ROWS:
        decimals = 1 if "(days" in label else 0
        diff = (s[key] - b[key]) if s[key] is not None and b[key] is not None else None
        rows.append({"figure": _(label), "baseline": number(b[key], decimals), "scenario": number(s[key], decimals),
                     "difference": ("+" if diff is not None and round(diff, decimals) > 0 else "")
                     + number(diff, decimals)})
    return pd.DataFrame(rows)


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs={Scenario: repr})
def _waterfall(key: DataKey, as_of: date, horizon_weeks: int, scenario: Scenario,
               settings: ScenarioSettings) -> Waterfall:
    """Return what each lever brings (each prefix of the levers applied once, then cached with the scenario)."""
    cash, context = cached_cash(as_of, horizon_weeks)
    return waterfall(cash, scenario, _result(key, as_of, horizon_weeks, scenario, settings), context, settings)


def _lever_effects(key: DataKey, as_of: date, horizon_weeks: int, scenario: Scenario,
                   settings: ScenarioSettings) -> None:
    """Show the waterfalls of net cash and BFR at the horizon, lever by lever, and what each lever does alone."""
    st.subheader(_("The effect of each lever"))
    with st.spinner(_("Simulating…")):
        fall = _waterfall(key, as_of, horizon_weeks, scenario, settings)
    # One under the other, each as wide as the page: side by side, half a 1024-px page cut their titles (what each
    # shows, its statistic and unit) and crowded the bars' amounts.
    for measure in ("net_cash", "bfr"):
        figure = lever_waterfall_figure(fall, measure, lang=lang())
        show_chart(figure, key=f"wi_waterfall_{measure}")
        chart_downloads(figure, f"scenario-levers-{measure}")
    frame = waterfall_frame(fall, lang())
    amounts = (NET_CASH, NET_CASH_ALONE, BFR, BFR_ALONE)
    shown = frame.drop(columns=KIND)
    for column in amounts:  # as text: Streamlit shows a Styler's empty cells as "None", whatever its na_rep
        shown[column] = ["—" if pd.isna(v) else _signed(v) for v in shown[column]]
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
                     # Short headings, the rest in their help: five columns fit a 1024-px page without a scroll
                     # in both languages (the labels browser test measures it).
                     STEP: _("Step"),
                     NET_CASH: cc.Column(_("Net cash at horizon"), alignment="right", help=_(
                         "Expected, on the horizon's last day: each lever's row is what it adds to the levers before "
                         "it")),
                     NET_CASH_ALONE: cc.Column(_("Alone"), alignment="right", help=_(
                         "What the lever alone would change in net cash at horizon")),
                     BFR: cc.Column(_("BFR at horizon"), alignment="right", help=_(
                         "Expected, on the horizon's last day: each lever's row is what it adds to the levers before "
                         "it")),
                     BFR_ALONE: cc.Column(_("Alone"), alignment="right", help=_("What the lever alone would change in BFR at horizon"))})
    st.caption(_("Levers apply in a fixed order (volumes, terms, collection, discounts, factoring, flows); each bar "
                 "is what a lever adds to those before it, so the bars add up to the scenario. Levers interact: the "
                 "interaction (total minus the levers alone) is {cash} on net cash and {bfr} on BFR.",
                 cash=_signed(fall.net_cash_interaction_eur), bfr=_signed(fall.bfr_interaction_eur)))


def _load(scenario: Scenario, as_of: date) -> None:
    """Put a saved scenario's levers into the form (a callback: it runs before the widgets are drawn)."""
    values, left_out = form_from_scenario(scenario, as_of, say=_)
    for k, v in values.items():
        st.session_state[k] = v
    st.session_state["wi_loaded_note"] = _("Loaded '{name}'.", name=scenario.name) + (
        _(" Not shown in the form: {levers}.", levers=", ".join(left_out)) if left_out else "")


def _saved_scenarios(saved: pd.DataFrame) -> dict[str, Scenario]:
    """Return the saved scenarios by name, read from the JSON the database keeps."""
    return {str(row.name): Scenario.from_json(str(row.levers)) for row in saved.itertuples(index=False)}


def _save_control(store: Store, current: Scenario | None) -> None:
    """Draw the name field and the button that saves the current levers under that name."""
    row = st.container(horizontal=True, vertical_alignment="bottom")  # the button as wide as its text, the field the rest
    name = row.text_input(_("Name"), key="wi_save_name", placeholder=_("e.g. Clients at 45 days EOM"))
    if row.button(_("Save these levers"), icon=":material/save:", disabled=current is None) and current is not None:
        if not name.strip():
            st.error(_("Give the scenario a name first."))
        else:
            scenario = Scenario(name.strip(), current.levers)
            replaced = store.save_scenario(scenario.name, scenario.to_json())
            st.success(_("Scenario '{name}' replaced.", name=scenario.name) if replaced
                       else _("Scenario '{name}' saved.", name=scenario.name))


def _saved_section(key: DataKey, as_of: date, horizon_weeks: int, settings: ScenarioSettings,
                   current: Scenario | None) -> None:
    """Save the current levers; list, load, delete and compare saved scenarios."""
    store = get_store()
    st.subheader(_("Saved scenarios"))
    if can(SCENARIO_SAVE):  # a viewer gets no save control (and the store refuses their save anyway)
        _save_control(store, current)
    else:
        read_only_notice(_("saving scenarios"))
    saved = store.scenarios() if store.exists() else pd.DataFrame(columns=["name", "levers", "updated_at"])
    if saved.empty:
        st.caption(_("No saved scenario yet. Save the levers above, or `cashpilot scenario save FILE.json`."))
        return
    scenarios = _saved_scenarios(saved)
    st.dataframe(pd.DataFrame({
        "scenario": list(scenarios),
        "levers": [", ".join(lever.display_name(lang()) for lever in s.levers) for s in scenarios.values()],
        "saved": pd.to_datetime(saved["updated_at"]).to_numpy(),
    }), hide_index=True, width="stretch",
        column_config={"scenario": _("Scenario"), "levers": _("Levers"),
                       "saved": st.column_config.DatetimeColumn(_("Saved"), format=datetime_format())})
    c1 = c2 = c3 = st.container(horizontal=True, vertical_alignment="bottom")
    chosen = str(c1.selectbox(_("Scenario"), list(scenarios), key="wi_saved_choice"))
    c2.button(_("Load into the levers"), icon=":material/upload:", on_click=_load, args=(scenarios[chosen], as_of))
    if can(SCENARIO_DELETE) and c3.button(_("Delete"), icon=":material/delete:"):
        store.delete_scenario(chosen)
        st.rerun()
    picked = st.multiselect(_("Compare side by side (up to {n})", n=MAX_COMPARED), list(scenarios), key="wi_compare",
                            max_selections=MAX_COMPARED, placeholder=_("Choose scenarios"))
    if picked:
        results = {n: _simulated(key, as_of, horizon_weeks, scenarios[n], settings) for n in picked}
        baseline = _baseline(key, as_of, horizon_weeks, settings)
        compared = compare_cash_figure(baseline.projection.weekly, {n: r.scenario.weekly for n, r in results.items()},
                                       lang=lang())
        show_chart(compared, key="wi_compare_chart")
        chart_downloads(compared, "scenarios-compared")
        table = pd.DataFrame([{
            "scenario": n, "Δ net cash at horizon": r.delta.net_cash_at_horizon,
            "Δ BFR at horizon": r.delta.bfr_at_horizon, "Δ BFR (days of sales)": r.delta.bfr_days_of_sales_at_horizon,
            "Δ lowest point": r.delta.min_cash, "lowest point on": r.kpis_scenario["min_cash_date"],
            "financial effect": r.delta.financial_effect.net, "warnings": len(r.warnings)}
            for n, r in results.items()])
        amounts = ("Δ net cash at horizon", "Δ BFR at horizon", "Δ lowest point", "financial effect")
        shown = table.style.format({c: _signed for c in amounts} | {"Δ BFR (days of sales)": lambda v: _signed(v, 1)})
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config={c: _(label) for c, label in COMPARE_LABELS.items()}
                     | {"lowest point on": st.column_config.DateColumn(_(COMPARE_LABELS["lowest point on"]),
                                                                       format=date_format())})


# --- the page ------------------------------------------------------------------------------------
st.title(_("What-if simulator"))
ledger = load_ledger()
if ledger.receivables.empty and ledger.payables.empty:
    st.info(_("No invoices loaded yet: import receivables and payables on the **Data** page, or run "
              "`cashpilot demo`."))
    st.stop()

as_of = current_as_of()
for k, v in defaults(as_of).items():
    st.session_state.setdefault(k, v)
st.session_state.setdefault("wi_inventory", 0.0)
st.session_state.setdefault("wi_cof", 5.0)
horizon_weeks = int(st.segmented_control(_("Horizon"), options=[13, 26, 52], default=13, key="wi_horizon",
                                         format_func=count_label("{n} weeks")) or 13)
cps = ledger.counterparties
# A counterparty without a name (a client first seen in an invoice file) is shown by its id: pandas 3 keeps a
# missing name missing through astype(str), and the clients' multiselect cannot show it.
names = {kind: dict(zip(cps.loc[cps["kind"] == kind, "counterparty_id"].astype(str),
                        cps.loc[cps["kind"] == kind, "name"].fillna(cps["counterparty_id"]).astype(str), strict=True))
         for kind in ("client", "supplier")}
segments = {kind: sorted(cps.loc[cps["kind"] == kind, "segment"].dropna().astype(str).unique().tolist())
            for kind in ("client", "supplier")}
if note := st.session_state.pop("wi_loaded_note", None):
    st.info(note)
levers_form(as_of, names, segments)

store = get_store()
key: DataKey = (str(store.path), store.fingerprint())
settings = ScenarioSettings(inventory_eur=float(st.session_state["wi_inventory"]),
                            cost_of_funds_rate=float(st.session_state["wi_cof"]) / 100)
scenario: Scenario | None = None
try:
    scenario = scenario_from_form({str(k): v for k, v in st.session_state.items()}, as_of)
except CashpilotError as exc:
    st.error(str(exc))

if scenario is None:
    baseline = _baseline(key, as_of, horizon_weeks, settings)
    last = baseline.bfr.iloc[-1]
    st.info(_("Set one or more levers and press **Simulate** to see their effect against the baseline."))
    # The baseline is the Cash outlook's forecast: its figures by the same names and values (reports/figures.py).
    base_figures = cash_figures(baseline.projection.summary)
    c1, c2, c3 = tiles(3)
    figure_metric(c1, base_figures.net_cash_at_horizon, extra_help=_("baseline"))
    c2.metric(_("BFR at horizon"), money(last["bfr_eur"]),
              help=_("{days} days of sales", days=_days(last["bfr_days_of_sales"])) + f" ({_('baseline')})")
    figure_metric(c3, base_figures.lowest_point, extra_help=_("baseline"))
else:
    result = _simulated(key, as_of, horizon_weeks, scenario, settings)
    _tiles(result)
    comparison = result.weekly_comparison()
    cash_chart = scenario_cash_figure(comparison, result.scenario.summary.overdraft_limit, _("Scenario"),
                                      lang=lang())
    show_chart(cash_chart, key="wi_cash_chart")
    chart_downloads(cash_chart, "scenario-cash")
    bfr_chart = scenario_bfr_figure(comparison, _("Scenario"), lang=lang())
    show_chart(bfr_chart, key="wi_bfr_chart")
    chart_downloads(bfr_chart, "scenario-bfr")
    # One under the other, each as wide as the page allows: side by side, a 1400-px window cut the Difference
    # column of the first and hid the BFR columns of the second behind a scroll.
    st.markdown(_("**Before and after**"))
    right = st.column_config.TextColumn  # the figures are text (see _kpi_table), aligned as numbers
    kpis = _kpi_table(result)
    st.dataframe(kpis, hide_index=True, width="content", key="wi_before_after",
                 column_config={"figure": name_column(_("Figure"), kpis["figure"]),
                                "baseline": right(_("Baseline"), alignment="right"),
                                "scenario": right(_("Scenario"), alignment="right"),
                                "difference": right(_("Difference"), alignment="right")})
    st.markdown(_("**Week by week**"))
    table = comparison.assign(week_start=comparison["week_start"].dt.date)
    st.dataframe(styled(table, number_columns=tuple(table.columns[1:])), hide_index=True, width="stretch",
                 column_config={c: _(label) for c, label in WEEK_LABELS.items()}
                 | {"week_start": st.column_config.DateColumn(_(WEEK_LABELS["week_start"]), format=date_format())})
    if len(scenario.levers) >= MIN_LEVERS_FOR_WATERFALL:
        _lever_effects(key, as_of, horizon_weeks, scenario, settings)
    for note in result.notes:
        st.caption(sentence(known(note)))
_saved_section(key, as_of, horizon_weeks, settings, scenario)


def _export_scenarios(current: Scenario | None) -> list[Scenario]:
    """Return the scenarios the exports compare: the current levers, then the saved ones (those picked, else all)."""
    store = get_store()
    by_name = _saved_scenarios(store.scenarios() if store.exists() else pd.DataFrame(columns=["name", "levers"]))
    picked = [n for n in st.session_state.get("wi_compare", []) if n in by_name] or list(by_name)
    chosen = ([current] if current is not None else []) + [by_name[n] for n in picked]
    return chosen[:MAX_COMPARED]


st.subheader(_("Exports"))
exported = _export_scenarios(scenario)
st.caption(_("The workbook and the board pack compare the baseline with: {names}.",
             names=", ".join(s.name for s in exported) or _("no scenario")))
make_source = export_source(as_of, horizon_weeks, exported, settings)
with st.container(horizontal=True, gap="small"):
    board_pack_download(make_source, as_of, key="wi_board_pack")
    workbook_download(make_source, as_of, key="wi_workbook")
