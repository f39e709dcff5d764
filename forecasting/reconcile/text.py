"""Text keys of matching: invoice numbers as found in bank labels (spaces, case and prefixes aside), party names."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

MIN_KEY_LENGTH = 4  # shorter numbers ('12') are found in any label (dates, amounts): not evidence
MIN_DIGITS = 4  # a number known by its digits only needs at least this many significant ones
# Legal forms and filler words left out of names: "ACME SAS" and "Acme" are one party.
_NAME_NOISE = frozenset({
    "SA", "SAS", "SASU", "SARL", "EURL", "SCI", "SNC", "SCOP", "SELARL", "GIE", "STE", "SOCIETE", "ETS",
    "ETABLISSEMENTS", "GMBH", "AG", "LTD", "LIMITED", "INC", "LLC", "PLC", "BV", "NV", "SPA", "SRL", "CIE", "ET",
    "LA", "LE", "LES", "DE", "DU", "DES", "THE", "AND", "GROUPE", "GROUP",
})


def ascii_upper(text: pd.Series) -> pd.Series:
    """Return texts upper-cased with accents removed (missing texts as '')."""
    filled = text.fillna("").astype(str)
    upper = filled.str.upper()
    accented = upper.str.contains(r"[^\x00-\x7f]", regex=True).to_numpy(dtype=bool)
    if accented.any():  # the few texts with accents go through Unicode's decomposition, each distinct one once
        uniques = pd.unique(upper[accented])
        mapping = {u: unicodedata.normalize("NFKD", u).encode("ascii", "ignore").decode("ascii").upper()
                   for u in uniques}
        upper = upper.copy()
        upper[accented] = upper[accented].map(mapping)
    return upper


def invoice_keys(ids: pd.Series) -> pd.Series:
    """Return each invoice number upper-cased, letters and digits only ('fa-2024/0012' -> 'FA20240012')."""
    return ascii_upper(ids).str.replace(r"[^A-Z0-9]", "", regex=True)


def digit_keys(keys: pd.Series) -> pd.Series:
    """Return the significant digits of each key ('FA0001234' -> '1234'); '' when fewer than MIN_DIGITS."""
    digits = keys.str.replace(r"\D", "", regex=True).str.lstrip("0")
    return digits.where(digits.str.len() >= MIN_DIGITS, "")


def text_keys(text: pd.Series) -> pd.DataFrame:
    """Return (row, key) for every run of 1 to 3 consecutive words of each text that holds a digit.

    Words are runs of letters and digits, so 'FACT.FA-2024-0012', 'FA 2024 0012' and 'fa20240012' all give
    the key 'FA20240012'; a prefix glued to the number without a separator ('FACTFA...') is not undone.
    """
    words = ascii_upper(text).str.findall(r"[A-Z0-9]+").explode().dropna()
    if not len(words):
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "key": pd.Series(dtype="str")})
    frame = pd.DataFrame({"row": words.index.to_numpy(), "w0": words.to_numpy(dtype=object)})
    same1 = frame["row"].eq(frame["row"].shift(-1)).to_numpy()
    same2 = same1 & frame["row"].eq(frame["row"].shift(-2)).to_numpy()
    w1 = frame["w0"].shift(-1).fillna("")
    w2 = frame["w0"].shift(-2).fillna("")
    parts = [frame["w0"], (frame["w0"] + w1).where(same1), (frame["w0"] + w1 + w2).where(same2)]
    keys = pd.DataFrame({"row": pd.concat([frame["row"]] * 3, ignore_index=True),
                         "key": pd.concat(parts, ignore_index=True)}).dropna()
    keys = keys[(keys["key"].str.len() >= MIN_KEY_LENGTH) & keys["key"].str.contains(r"\d", regex=True)]
    return keys.drop_duplicates().reset_index(drop=True).astype({"row": "int64", "key": "str"})


def name_keys(names: pd.Series) -> pd.Series:
    """Return each name normalised: upper-case ASCII words, legal forms and filler dropped ('' when nothing left)."""
    words = ascii_upper(names).str.replace(r"[^A-Z0-9]+", " ", regex=True).str.split()
    uniques = {tuple(w) for w in words if isinstance(w, list)}
    mapping = {w: " ".join(x for x in w if x not in _NAME_NOISE) for w in uniques}
    return words.map(lambda w: mapping[tuple(w)] if isinstance(w, list) else "")


def word_grams(text: pd.Series, longest: int = 4) -> pd.DataFrame:
    """Return (row, key) for every run of 1..`longest` consecutive words of each text, joined by one space."""
    words = ascii_upper(text).str.findall(r"[A-Z0-9]+").explode().dropna()
    frame = pd.DataFrame({"row": words.index.to_numpy(), "w": words.to_numpy(dtype=object)})
    parts, gram, same = [], frame["w"].astype(str), np.ones(len(frame), dtype=bool)
    for k in range(longest):
        if k:
            same &= frame["row"].eq(frame["row"].shift(-k)).to_numpy()
            gram = gram + " " + frame["w"].shift(-k).fillna("").astype(str)
        parts.append(pd.DataFrame({"row": frame["row"].to_numpy()[same], "key": gram.to_numpy()[same]}))
    return pd.concat(parts, ignore_index=True).drop_duplicates().astype({"row": "int64", "key": "str"})
