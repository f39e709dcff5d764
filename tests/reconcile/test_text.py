"""Invoice numbers and names normalised as matching compares them."""

from __future__ import annotations

import pandas as pd

from forecasting.reconcile.text import digit_keys, invoice_keys, name_keys, text_keys


def test_invoice_keys_drop_case_accents_and_separators() -> None:
    keys = invoice_keys(pd.Series(["fa-2024/0012", "FA 2024 0012", "Fé_12"]))

    assert keys.tolist() == ["FA20240012", "FA20240012", "FE12"]
    assert digit_keys(keys).tolist() == ["20240012", "20240012", ""]  # 12: too few digits to say anything


def test_text_keys_are_runs_of_one_to_three_words_holding_a_digit() -> None:
    keys = text_keys(pd.Series(["VIR FACT.FA-2024-0012 MERCI", "no digit here"]))

    assert sorted(keys[keys["row"] == 0]["key"]) == ["0012", "0012MERCI", "2024", "20240012", "20240012MERCI",
                                                      "FA2024", "FA20240012", "FACTFA2024"]
    assert (keys["row"] == 1).sum() == 0


def test_name_keys_drop_legal_forms_and_accents() -> None:
    assert name_keys(pd.Series(["Établissements Calia SARL", "ETS CALIA", None, "SAS"])).tolist() == [
        "CALIA", "CALIA", "", ""]
