"""The effect of each lever as a table: baseline, one row per lever in the order applied, scenario (EUR)."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from forecasting.i18n.translate import tr
from forecasting.scenarios.waterfall import Waterfall

# The frame's columns (the workbook writes them, the chart reads them): names a reader sees come from tr().
STEP, NET_CASH, NET_CASH_ALONE, BFR, BFR_ALONE, KIND = (
    "step", "net_cash_eur", "net_cash_alone_eur", "bfr_eur", "bfr_alone_eur", "kind")


def lever_labels(fall: Waterfall, lang: str) -> list[str]:
    """Return each step's lever name in `lang`, numbered when a lever type comes twice ("supplier terms (2)")."""
    names = [step.lever.display_name(lang) for step in fall.steps]
    counts, seen = Counter(names), Counter[str]()
    labels = []
    for name in names:
        seen[name] += 1
        text = f"{name} ({seen[name]})" if counts[name] > 1 else name
        labels.append(text[:1].upper() + text[1:])
    return labels


def waterfall_frame(fall: Waterfall, lang: str) -> pd.DataFrame:
    """Return baseline, levers and scenario rows: levels for the ends, each lever's effect in sequence and alone."""
    rows = [{STEP: tr("Baseline", lang), KIND: "total", NET_CASH: fall.baseline_net_cash_eur,
             NET_CASH_ALONE: None, BFR: fall.baseline_bfr_eur, BFR_ALONE: None}]
    for label, step in zip(lever_labels(fall, lang), fall.steps, strict=True):
        rows.append({STEP: label, KIND: "lever", NET_CASH: step.net_cash_eur, NET_CASH_ALONE: step.net_cash_alone_eur,
                     BFR: step.bfr_eur, BFR_ALONE: step.bfr_alone_eur})
    rows.append({STEP: tr("Scenario", lang), KIND: "total", NET_CASH: fall.scenario_net_cash_eur,
                 NET_CASH_ALONE: None, BFR: fall.scenario_bfr_eur, BFR_ALONE: None})
    return pd.DataFrame(rows)
