"""Categorisation rules: a movement no invoice explains gets the category of the first rule its label matches."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.reconcile.text import ascii_upper

DIRECTIONS = ("credit", "debit", "any")
RULE_COLUMNS = ["priority", "label_pattern", "counterparty_pattern", "direction", "category", "enabled"]
OTHER = "other"


def check_rules(rules: pd.DataFrame) -> pd.DataFrame:
    """Return the rules cleaned (blank patterns as None), or raise InputError naming the first bad one."""
    out = rules[RULE_COLUMNS].copy()
    cleaned: dict[str, list[str | None]] = {"label_pattern": [], "counterparty_pattern": []}
    for position, rule in enumerate(out.itertuples(index=False), start=1):  # a few dozen rules at most
        label, party = (None if pd.isna(p) or not str(p).strip() else str(p) for p in (rule[1], rule[2]))
        if label is None and party is None:
            raise InputError(f"rule {position}: give a label pattern or a counterparty pattern (or both)")
        for pattern in (label, party):
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise InputError(f"rule {position}: '{pattern}' is not a valid pattern ({exc}); write plain words "
                                     "(e.g. URSSAF) or a regular expression (e.g. LOYER|BAIL)") from exc
        if rule[3] not in DIRECTIONS:
            raise InputError(f"rule {position}: direction '{rule[3]}' unknown; expected one of {', '.join(DIRECTIONS)}")
        if rule[4] not in C.MOVEMENT_CATEGORIES:
            raise InputError(f"rule {position}: category '{rule[4]}' unknown; expected one of "
                             f"{', '.join(C.MOVEMENT_CATEGORIES)}")
        try:
            int(rule[0])
        except (TypeError, ValueError) as exc:
            raise InputError(f"rule {position}: priority '{rule[0]}' is not a whole number") from exc
        cleaned["label_pattern"].append(label)
        cleaned["counterparty_pattern"].append(party)
    for column, values in cleaned.items():
        out[column] = pd.Series(values, index=out.index, dtype=object)
    out["priority"] = out["priority"].astype("int64")
    out["enabled"] = out["enabled"].fillna(True).astype(bool)
    return out


def categorise(movements: pd.DataFrame, rules: pd.DataFrame) -> pd.Series:
    """Return each movement's category by the enabled rules in priority order; None where no rule matches."""
    text = ascii_upper(movements[C.LABEL].fillna("") + " " + movements[C.REMITTANCE].fillna(""))
    party = ascii_upper(movements[C.COUNTERPARTY_NAME])
    amount = movements[C.AMOUNT].to_numpy(dtype=float)
    category = np.full(len(movements), None, dtype=object)
    for rule in rules[rules["enabled"].astype(bool)].sort_values("priority", kind="stable").itertuples(index=False):
        todo = pd.isna(category)  # a dozen rules, each a vectorised regex over all the movements
        if rule.direction == "credit":
            todo &= amount > 0
        elif rule.direction == "debit":
            todo &= amount < 0
        for column, pattern in ((text, rule.label_pattern), (party, rule.counterparty_pattern)):
            if isinstance(pattern, str) and pattern:
                with warnings.catch_warnings():  # a user's pattern may hold groups: pandas warns, matching is right
                    warnings.simplefilter("ignore", UserWarning)
                    todo &= column.str.contains(pattern, case=False, regex=True).to_numpy()
        category[todo] = rule.category
    return pd.Series(category, index=movements.index, dtype=object)
