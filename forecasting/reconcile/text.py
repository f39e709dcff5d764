"""Text keys of matching: invoice numbers as found in bank labels (spaces, case and prefixes aside), party names."""

from __future__ import annotations

import unicodedata
from typing import Any, TypeAlias, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    keys = _bytes_kept(arrow_texts(ascii_upper(ids)), _LETTERS_DIGITS)  # ASCII by now: one byte per character
    return _to_str(keys).set_axis(ids.index)


def digit_keys(keys: pd.Series) -> pd.Series:
    """Return the significant digits of each key ('FA0001234' -> '1234'); '' when fewer than MIN_DIGITS."""
    digits = pc.utf8_ltrim(_bytes_kept(arrow_texts(keys), _DIGITS), characters="0")
    short = pc.less(pc.binary_length(digits), pa.scalar(MIN_DIGITS, pa.int64()))
    return _to_str(pc.if_else(short, pa.scalar("", pa.large_string()), digits)).set_axis(keys.index)


_DIGITS = np.zeros(256, dtype=bool)
_DIGITS[ord("0"): ord("9") + 1] = True
_LETTERS_DIGITS = _DIGITS.copy()
_LETTERS_DIGITS[ord("A"): ord("Z") + 1] = True


def _bytes_kept(texts: Texts, keep: np.ndarray) -> Texts:
    """Return each ASCII text with only its bytes b where keep[b] (NumPy over Arrow's buffers: no regex)."""
    texts = cast(Texts, pc.fill_null(texts, pa.scalar("", pa.large_string())))
    _, offset_buffer, data_buffer = texts.buffers()
    assert offset_buffer is not None
    offsets = np.frombuffer(memoryview(offset_buffer), dtype=np.int64)[texts.offset: texts.offset + len(texts) + 1]
    data = (np.frombuffer(memoryview(data_buffer), dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, dtype=np.uint8))
    data = data[offsets[0]: offsets[-1]]
    mask = keep[data]
    before = np.r_[0, np.cumsum(mask)].astype(np.int64)  # bytes kept before each position
    new_offsets = before[offsets - offsets[0]]
    kept = pa.Array.from_buffers(pa.large_string(), len(texts), [None, pa.py_buffer(new_offsets),
                                                               pa.py_buffer(data[mask].copy())])
    return cast(Texts, kept)


Texts: TypeAlias = pa.LargeStringArray  # texts as Arrow holds them: one buffer, no Python object per text
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_texts(text: pd.Series) -> Texts:
    """Return texts as one Arrow array of large strings."""
    array = pa.array(text)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return cast(Texts, array.cast(pa.large_string()))


def _pandas_type(arrow_type: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    """Return the pandas text type for Arrow strings (None: pandas' default)."""
    return _STR if arrow_type in (pa.large_string(), pa.string()) else None


def _to_str(array: Texts) -> pd.Series:
    """Return an Arrow string array as a pandas text column."""
    return pd.Series(array.to_pandas(types_mapper=_pandas_type))


def _mask(values: np.ndarray) -> pa.BooleanArray:
    """Return a NumPy mask as Arrow's."""
    return pa.array(values, type=pa.bool_())


def _lengths(texts: Texts) -> np.ndarray:
    """Return each text's length in bytes (ASCII here: in characters)."""
    return np.asarray(pc.binary_length(texts).to_numpy(zero_copy_only=False))


def words(text: pd.Series) -> tuple[np.ndarray, Texts]:
    """Return (row label, word) of each run of letters and digits of each text, upper-case ASCII, in text order."""
    upper = arrow_texts(ascii_upper(text))
    pieces = pc.split_pattern_regex(upper, r"[^A-Z0-9]+")  # Arrow's own loop: no Python list per text
    flat = cast(Texts, pc.list_flatten(pieces))
    parent = np.asarray(pc.list_parent_indices(pieces).to_numpy(zero_copy_only=False))
    keep = _lengths(flat) > 0
    labels = text.index.to_numpy()[parent[keep]]
    return labels.astype(np.int64), flat.filter(_mask(keep))


def grams(rows: np.ndarray, word: Texts, longest: int, sep: str) -> tuple[np.ndarray, Texts]:
    """Return (row, key) of every run of 1..`longest` consecutive words of a row joined by `sep`: all the single
    words first, then all the pairs, and so on (the order the matching's joins keep)."""
    out_rows, out_keys = [rows], [word]
    n = len(rows)
    for k in range(1, longest):
        if n <= k:
            break
        same = rows[: n - k] == rows[k:]  # rows are in order: the first and the last word in one row
        parts = [word.slice(j, n - k) for j in range(k + 1)]
        joined = cast(Texts, pc.binary_join_element_wise(*parts, pa.scalar(sep, pa.large_string())))  # type: ignore[call-overload]
        out_rows.append(rows[: n - k][same])
        out_keys.append(joined.filter(_mask(same)))
    return np.concatenate(out_rows), pa.concat_arrays(out_keys)


def codes_of(texts: Texts) -> tuple[np.ndarray, Texts]:
    """Return each text's code (the position of its first kind in the distinct texts) and the distinct texts."""
    encoded: Any = pc.dictionary_encode(texts)  # the stubs do not say it is a DictionaryArray
    return (np.asarray(encoded.indices.to_numpy(zero_copy_only=False)).astype(np.int64),
            cast(Texts, encoded.dictionary))


def first_of_each(rows: np.ndarray, keys: Texts) -> np.ndarray:
    """Return where each (row, key) is seen first (the rest are repeats)."""
    codes, _ = codes_of(keys)
    combined = rows.astype(np.int64) * (int(codes.max(initial=0)) + 1) + codes
    return np.flatnonzero(~pd.Series(combined).duplicated().to_numpy())


def take(texts: Texts, positions: np.ndarray) -> Texts:
    """Return the texts at these positions."""
    return texts.take(pa.array(positions, type=pa.int64()))


def text_key_arrays(text: pd.Series) -> tuple[np.ndarray, Texts]:
    """Return (row, key) for every run of 1 to 3 consecutive words of each text that holds a digit (see text_keys)."""
    rows, word = words(text)
    rows, keys = grams(rows, word, 3, "")
    digit = np.asarray(pc.match_substring_regex(keys, r"\d").to_numpy(zero_copy_only=False))
    keep = (_lengths(keys) >= MIN_KEY_LENGTH) & digit
    rows, keys = rows[keep], keys.filter(_mask(keep))
    first = first_of_each(rows, keys)
    return rows[first], take(keys, first)


def text_keys(text: pd.Series) -> pd.DataFrame:
    """Return (row, key) for every run of 1 to 3 consecutive words of each text that holds a digit.

    Words are runs of letters and digits, so 'FACT.FA-2024-0012', 'FA 2024 0012' and 'fa20240012' all give
    the key 'FA20240012'; a prefix glued to the number without a separator ('FACTFA...') is not undone.
    """
    rows, keys = text_key_arrays(text)
    return pd.DataFrame({"row": rows, "key": _to_str(keys)})


def name_keys(names: pd.Series) -> pd.Series:
    """Return each name normalised: upper-case ASCII words, legal forms and filler dropped ('' when nothing left)."""
    words = ascii_upper(names).str.replace(r"[^A-Z0-9]+", " ", regex=True).str.split()
    uniques = {tuple(w) for w in words if isinstance(w, list)}
    mapping = {w: " ".join(x for x in w if x not in _NAME_NOISE) for w in uniques}
    return words.map(lambda w: mapping[tuple(w)] if isinstance(w, list) else "")


def word_grams(text: pd.Series, longest: int = 4) -> pd.DataFrame:
    """Return (row, key) for every run of 1..`longest` consecutive words of each text, joined by one space."""
    rows, keys = word_gram_arrays(text, longest)
    return pd.DataFrame({"row": rows, "key": _to_str(keys)})


def word_gram_arrays(text: pd.Series, longest: int = 4) -> tuple[np.ndarray, Texts]:
    """Return word_grams as (row, key) arrays."""
    rows, keys = grams(*words(text), longest, " ")
    first = first_of_each(rows, keys)
    return rows[first], take(keys, first)
