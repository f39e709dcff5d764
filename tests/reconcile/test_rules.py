"""The default categorisation rules on French banks' labels, and the refusal of a bad rule."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.reconcile.rules import RULE_COLUMNS, categorise, check_rules
from tests.fixtures.bank import movement, movements
from tests.fixtures.reconcile import default_rules

LABELS = [
    ("VIR SEPA EMIS /MOTIF SALAIRES 11/2026", -200_000.0, "payroll"),
    ("PRLV SEPA URSSAF ILE DE FRANCE", -90_000.0, "social"),
    ("PRLV SEPA AGIRC-ARRCO RETRAITE", -12_000.0, "social"),
    ("PRLV SEPA DGFIP TVA CA3 10/2026", -72_000.0, "vat"),
    ("PRLV SEPA DGFIP IMPOT SOCIETES", -22_000.0, "tax"),
    ("PRLV DGFIP CFE 2026", -3_100.0, "tax"),
    ("VIR SEPA EMIS /A SCI DES TILLEULS /MOTIF LOYER T4", -40_000.0, "rent"),
    ("ECHEANCE PRET N 0012345678", -10_915.0, "loan"),
    ("FRAIS TENUE DE COMPTE", -32.5, "bank_fees"),
    ("COMMISSION D INTERVENTION", -8.0, "bank_fees"),
    ("COTIS CARTE AFFAIRES", -49.5, "bank_fees"),
    ("REMISE CB 2011 TPE 0482213", 1_234.56, "card_receipts"),
    ("CB CARREFOUR 12/11", 45.0, "card_receipts"),
    ("VIREMENT INTERNE EQUILIBRAGE CIC-OPS", 5_000.0, "other"),
    ("Échéance Prêt équipement", -900.0, "loan"),  # accents and case do not matter
]


def test_default_rules_give_the_expected_category_to_french_labels() -> None:
    frame = movements(*(movement(f"M{k}", "2026-11-20", amount, label) for k, (label, amount, _) in enumerate(LABELS)))

    assert categorise(frame, default_rules()).tolist() == [category for _, _, category in LABELS]


def test_direction_counts_and_an_unknown_label_gets_no_category() -> None:
    frame = movements(movement("M1", "2026-11-20", 80.0, "REMBOURSEMENT FRAIS"),  # a credit: not a fee we paid
                      movement("M2", "2026-11-20", 80.0, "VIR SEPA RECU /DE ACME"))

    assert categorise(frame, default_rules()).tolist() == [None, None]


def test_the_first_rule_by_priority_wins_and_a_counterparty_pattern_narrows_it() -> None:
    rules = pd.DataFrame([(5, "PRLV", "ORANGE", "debit", "other", True), (1, "PRLV", None, "debit", "tax", True),
                          (0, "PRLV", "EDF", "debit", "suppliers", False)], columns=RULE_COLUMNS)
    frame = movements(movement("M1", "2026-11-20", -50.0, "PRLV SEPA", party="Orange Business"),
                      movement("M2", "2026-11-20", -50.0, "PRLV SEPA", party="EDF"))

    assert categorise(frame, rules).tolist() == ["tax", "tax"]  # priority 1 first; the EDF rule is disabled


@pytest.mark.parametrize(("rule", "message"), [
    ((10, "", None, "debit", "payroll", True), "rule 1: give a label pattern or a counterparty pattern"),
    ((10, "SALAIRE(", None, "debit", "payroll", True), "rule 1: 'SALAIRE(' is not a valid pattern"),
    ((10, "SALAIRE", None, "out", "payroll", True), "rule 1: direction 'out' unknown"),
    ((10, "SALAIRE", None, "debit", "wages", True), "rule 1: category 'wages' unknown"),
    (("ten", "SALAIRE", None, "debit", "payroll", True), "rule 1: priority 'ten' is not a whole number"),
])
def test_a_bad_rule_is_refused_by_its_number_and_field(rule: tuple[object, ...], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        check_rules(pd.DataFrame([rule], columns=RULE_COLUMNS))


def test_check_rules_keeps_a_good_rule_with_blank_patterns_as_none() -> None:
    checked = check_rules(pd.DataFrame([("7", "LOYER", " ", "debit", "rent", None)], columns=RULE_COLUMNS))

    assert checked.iloc[0].tolist() == [7, "LOYER", None, "debit", "rent", True]
    assert C.MOVEMENT_CATEGORIES[0] == "clients"
