"""Invoice numbers and names normalised as matching compares them."""

from __future__ import annotations

import pandas as pd

from forecasting.reconcile.text import (
    digit_keys,
    invoice_keys,
    name_keys,
    names_in_texts,
    text_keys,
    word_grams,
)


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


def test_names_in_texts_are_found_as_runs_of_words_in_the_order_of_the_text_join() -> None:
    texts = pd.Series(["VIR ACME SAS", "de Bolt-Acme"], index=[10, 11])
    names = pd.Series(["ACME", "BOLT ACME", "ZED"])

    found = names_in_texts(texts, names)

    assert found is not None
    rows, at = found
    # single words first (ACME in both texts), then pairs (BOLT ACME in the second)
    assert rows.tolist() == [10, 11, 11] and at.tolist() == [0, 0, 1]
    by_text = word_grams(texts).merge(pd.DataFrame({"key": names, "name": range(3)}), on="key")
    assert by_text["row"].tolist() == rows.tolist() and by_text["name"].tolist() == at.tolist()
