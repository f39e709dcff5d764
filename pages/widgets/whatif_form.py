"""The what-if form's values <-> a scenario's JSON levers (pure functions: tested without Streamlit).

The form holds one lever of each type, a client scope shared by the client levers and a supplier scope
shared by the supplier levers, and one start date. A saved scenario that does not fit that shape is loaded
as far as it fits, and the levers left out are named.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from forecasting.scenarios.compare import Scenario
from forecasting.scenarios.levers import FLOW_CATEGORIES

SCOPE_ALL, SCOPE_SEGMENTS, SCOPE_CHOSEN = "All", "Segments", "Chosen"
SUPPLIER_MODES = ("No change", "Pay later or earlier", "New terms")
TERMS_CHOICES = ("net 30", "net 45", "net 60", "30 days end of month", "45 days end of month", "net 75", "net 90",
                 "on receipt")
CATEGORIES = FLOW_CATEGORIES
LEVER_NAMES = {  # how the page names each lever type (English source text, translated by the page)
    "client_terms": "client terms", "collection_effort": "collection effort",
    "early_payment_discount": "early-payment discount", "factoring": "factoring", "supplier_terms": "supplier terms",
    "supplier_discount": "supplier discounts", "activity": "activity", "client_default": "client default",
    "one_off_flow": "one-off flow",
}
SCOPE_NAMES = {"all": "all", "segment": "segment", "counterparties": "counterparties"}


def _plain(text: str, **values: Any) -> str:
    """Return `text` with its placeholders filled (the English default of form_from_scenario's `say`)."""
    return text.format(**values)


def defaults(as_of: date) -> dict[str, Any]:
    """Return the form's neutral values: a scenario equal to the baseline."""
    return {
        "wi_start": as_of + timedelta(days=1),
        "wi_client_scope": SCOPE_ALL, "wi_client_segments": [], "wi_client_ids": [],
        "wi_ct_on": False, "wi_ct_terms": "45 days end of month", "wi_ct_open": False,
        "wi_ce_delay": 0, "wi_ce_lateness": 0,
        "wi_epd_on": False, "wi_epd_pct": 2.0, "wi_epd_days": 10, "wi_epd_net": 30, "wi_epd_take": 50,
        "wi_fac_on": False, "wi_fac_share": 50, "wi_fac_adv": 90.0, "wi_fac_fee": 0.5, "wi_fac_rate": 5.0,
        "wi_sup_scope": SCOPE_ALL, "wi_sup_segments": [], "wi_sup_ids": [],
        "wi_st_mode": SUPPLIER_MODES[0], "wi_st_days": 15, "wi_st_terms": "net 60", "wi_st_open": False,
        "wi_sd_on": False, "wi_sd_pct": 2.0, "wi_sd_days": 10, "wi_sd_take": 100,
        "wi_act_sales": 0.0, "wi_act_purchases": 0.0,
        "wi_def_ids": [], "wi_def_stop": False,
        "wi_oo_on": False, "wi_oo_date": as_of + timedelta(days=30), "wi_oo_amount": -100_000.0,
        "wi_oo_label": "capex", "wi_oo_category": "capex",
    }


def _scope(values: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Return the JSON scope of the client ('client') or supplier ('sup') scope widgets."""
    kind = values[f"wi_{prefix}_scope"]
    if kind == SCOPE_SEGMENTS and values[f"wi_{prefix}_segments"]:
        return {"kind": "segment", "segments": list(values[f"wi_{prefix}_segments"])}
    if kind == SCOPE_CHOSEN and values[f"wi_{prefix}_ids"]:
        return {"kind": "counterparties", "ids": [str(v) for v in values[f"wi_{prefix}_ids"]]}
    return {"kind": "all"}


def levers_from_form(values: dict[str, Any], as_of: date) -> list[dict[str, Any]]:
    """Return the JSON levers the form's values describe (empty when every lever is neutral)."""
    start = values["wi_start"]
    common_c = {"scope": _scope(values, "client")}
    common_s = {"scope": _scope(values, "sup")}
    if start and start > as_of + timedelta(days=1):
        common_c["start"] = common_s["start"] = start.isoformat()
    levers: list[dict[str, Any]] = []
    if values["wi_act_sales"] or values["wi_act_purchases"]:
        levers.append({"type": "activity", "sales_change_pct": float(values["wi_act_sales"]),
                       "purchases_change_pct": float(values["wi_act_purchases"]), **{k: v for k, v in common_c.items()
                                                                                    if k == "start"}})
    if values["wi_def_ids"]:
        levers.append({"type": "client_default", "scope": {"kind": "counterparties", "ids": list(values["wi_def_ids"])},
                       "stop_sales": bool(values["wi_def_stop"]), **({"start": common_c["start"]} if "start" in common_c else {})})
    if values["wi_ct_on"]:
        levers.append({"type": "client_terms", **common_c, "terms": values["wi_ct_terms"],
                       "apply_to_open": bool(values["wi_ct_open"])})
    if values["wi_ce_delay"] or values["wi_ce_lateness"]:
        levers.append({"type": "collection_effort", **common_c, "delay_change_days": int(values["wi_ce_delay"]),
                       "lateness_reduction_share": values["wi_ce_lateness"] / 100})
    if values["wi_epd_on"]:
        levers.append({"type": "early_payment_discount", **common_c, "discount_rate": values["wi_epd_pct"] / 100,
                       "discount_days": int(values["wi_epd_days"]), "net_days": int(values["wi_epd_net"]),
                       "take_up_share": values["wi_epd_take"] / 100})
    if values["wi_fac_on"]:
        levers.append({"type": "factoring", **common_c, "share": values["wi_fac_share"] / 100,
                       "advance_rate": values["wi_fac_adv"] / 100, "service_fee_rate": values["wi_fac_fee"] / 100,
                       "financing_rate": values["wi_fac_rate"] / 100})
    if values["wi_st_mode"] == SUPPLIER_MODES[1] and values["wi_st_days"]:
        levers.append({"type": "supplier_terms", **common_s, "delay_change_days": int(values["wi_st_days"])})
    elif values["wi_st_mode"] == SUPPLIER_MODES[2]:
        levers.append({"type": "supplier_terms", **common_s, "terms": values["wi_st_terms"],
                       "apply_to_open": bool(values["wi_st_open"])})
    if values["wi_sd_on"]:
        levers.append({"type": "supplier_discount", **common_s, "discount_rate": values["wi_sd_pct"] / 100,
                       "discount_days": int(values["wi_sd_days"]), "take_up_share": values["wi_sd_take"] / 100})
    if values["wi_oo_on"] and values["wi_oo_amount"]:
        levers.append({"type": "one_off_flow", "date": values["wi_oo_date"].isoformat(),
                       "amount": float(values["wi_oo_amount"]), "label": values["wi_oo_label"] or "one-off flow",
                       "category": values["wi_oo_category"]})
    return levers


def form_from_scenario(scenario: Scenario, as_of: date, say: Callable[..., str] = _plain
                       ) -> tuple[dict[str, Any], list[str]]:
    """Return form values loading the scenario, and the levers the form could not hold (worded by `say`)."""
    values = defaults(as_of)
    left_out: list[str] = []
    seen: set[str] = set()
    for lever in scenario.levers:
        raw = lever.to_dict()
        kind = raw["type"]
        if kind in seen:
            left_out.append(say("a second {kind} lever", kind=say(LEVER_NAMES.get(kind, kind))))
            continue
        seen.add(kind)
        scope_kind = raw.get("scope", {}).get("kind", "all")
        if (kind == "client_default" and scope_kind != "counterparties") or (kind == "activity" and scope_kind != "all"):
            left_out.append(say("{kind} on a {scope} scope", kind=say(LEVER_NAMES.get(kind, kind)),
                                scope=say(SCOPE_NAMES.get(scope_kind, scope_kind))))
            continue
        prefix = "sup" if kind in ("supplier_terms", "supplier_discount") else "client"
        scope = raw.get("scope", {"kind": "all"})
        if kind not in ("client_default", "one_off_flow", "activity"):
            values[f"wi_{prefix}_scope"] = {"all": SCOPE_ALL, "segment": SCOPE_SEGMENTS}.get(scope["kind"], SCOPE_CHOSEN)
            values[f"wi_{prefix}_segments"] = scope.get("segments", [])
            values[f"wi_{prefix}_ids"] = scope.get("ids", [])
        if raw.get("start"):
            values["wi_start"] = date.fromisoformat(raw["start"])
        _load_lever(values, kind, raw)
    return values, left_out


def _load_lever(values: dict[str, Any], kind: str, raw: dict[str, Any]) -> None:
    """Set the form values of one lever."""
    if kind == "client_terms":
        values.update(wi_ct_on=True, wi_ct_terms=raw["terms"], wi_ct_open=raw["apply_to_open"])
    elif kind == "collection_effort":
        values.update(wi_ce_delay=raw["delay_change_days"], wi_ce_lateness=round(raw["lateness_reduction_share"] * 100))
    elif kind == "early_payment_discount":
        values.update(wi_epd_on=True, wi_epd_pct=raw["discount_rate"] * 100, wi_epd_days=raw["discount_days"],
                      wi_epd_net=raw["net_days"], wi_epd_take=round(raw["take_up_share"] * 100))
    elif kind == "factoring":
        values.update(wi_fac_on=True, wi_fac_share=round(raw["share"] * 100), wi_fac_adv=raw["advance_rate"] * 100,
                      wi_fac_fee=raw["service_fee_rate"] * 100, wi_fac_rate=raw["financing_rate"] * 100)
    elif kind == "supplier_terms":
        if raw.get("terms"):
            values.update(wi_st_mode=SUPPLIER_MODES[2], wi_st_terms=raw["terms"], wi_st_open=raw["apply_to_open"])
        else:
            values.update(wi_st_mode=SUPPLIER_MODES[1], wi_st_days=raw["delay_change_days"])
    elif kind == "supplier_discount":
        values.update(wi_sd_on=True, wi_sd_pct=raw["discount_rate"] * 100, wi_sd_days=raw["discount_days"],
                      wi_sd_take=round(raw["take_up_share"] * 100))
    elif kind == "activity":
        values.update(wi_act_sales=raw["sales_change_pct"], wi_act_purchases=raw["purchases_change_pct"])
    elif kind == "client_default":
        values.update(wi_def_ids=raw["scope"].get("ids", []), wi_def_stop=raw["stop_sales"])
    elif kind == "one_off_flow":
        values.update(wi_oo_on=True, wi_oo_date=date.fromisoformat(raw["date"]), wi_oo_amount=raw["amount"],
                      wi_oo_label=raw["label"], wi_oo_category=raw["category"])
