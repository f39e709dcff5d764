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
    accented = ~np.asarray(pc.string_is_ascii(arrow_texts(upper)).to_numpy(zero_copy_only=False), dtype=bool)
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


_NOISE = pa.array(sorted(_NAME_NOISE), type=pa.large_string())
_DIGITS = np.zeros(256, dtype=bool)
_DIGITS[ord("0"): ord("9") + 1] = True
_LETTERS_DIGITS = _DIGITS.copy()
_LETTERS_DIGITS[ord("A"): ord("Z") + 1] = True


def _buffers(texts: Texts) -> tuple[Texts, np.ndarray, np.ndarray]:
    """Return (texts without nulls, their offsets from 0, their bytes) as NumPy views of Arrow's buffers."""
    texts = cast(Texts, pc.fill_null(texts, pa.scalar("", pa.large_string())))
    _, offset_buffer, data_buffer = texts.buffers()
    assert offset_buffer is not None
    offsets = np.frombuffer(memoryview(offset_buffer), dtype=np.int64)[texts.offset: texts.offset + len(texts) + 1]
    data = (np.frombuffer(memoryview(data_buffer), dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, dtype=np.uint8))
    return texts, offsets - offsets[0], data[offsets[0]: offsets[-1]]


def _from_buffers(offsets: np.ndarray, data: np.ndarray) -> Texts:
    """Return the texts of these offsets and bytes."""
    # NumPy arrays are Python buffers, which the stubs do not say
    starts: Any = np.ascontiguousarray(offsets, dtype=np.int64)
    content: Any = np.ascontiguousarray(data)
    texts = pa.Array.from_buffers(pa.large_string(), len(offsets) - 1, [None, pa.py_buffer(starts),
                                                                         pa.py_buffer(content)])
    return cast(Texts, texts)


def _bytes_kept(texts: Texts, keep: np.ndarray) -> Texts:
    """Return each ASCII text with only its bytes b where keep[b] (NumPy over Arrow's buffers: no regex)."""
    _, offsets, data = _buffers(texts)
    mask = keep[data]
    before = np.zeros(len(data) + 1, dtype=np.int64)  # bytes kept before each position
    np.cumsum(mask, out=before[1:])
    return _from_buffers(before[offsets], data[mask])


def _has_digit(texts: Texts) -> np.ndarray:
    """Return whether each ASCII text holds a digit."""
    _, offsets, data = _buffers(texts)
    seen = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(_DIGITS[data], out=seen[1:])
    has: np.ndarray = seen[offsets[1:]] > seen[offsets[:-1]]
    return has


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


def lengths(texts: Texts) -> np.ndarray:
    """Return each text's length in bytes (ASCII here: in characters)."""
    return np.asarray(pc.binary_length(texts).to_numpy(zero_copy_only=False))


def words(text: pd.Series) -> tuple[np.ndarray, Texts]:
    """Return (row label, word) of each run of letters and digits of each text, upper-case ASCII, in text order."""
    _, offsets, data = _buffers(arrow_texts(ascii_upper(text)))  # ASCII by now: one byte per character
    alnum = _LETTERS_DIGITS[data]
    starts = np.zeros(len(data), dtype=bool)
    starts[offsets[:-1][offsets[:-1] < len(data)]] = True  # a text's first byte
    begin = alnum & (starts | ~np.r_[False, alnum[:-1]])
    at = np.flatnonzero(begin)
    parent = np.searchsorted(offsets, at, side="right") - 1
    labels = text.index.to_numpy()[parent]
    word_offsets = np.r_[np.flatnonzero(begin[alnum]), int(alnum.sum())]
    return labels.astype(np.int64), _from_buffers(word_offsets, data[alnum])


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
    """Return (row, key) for every run of 1 to 3 consecutive words of each text that holds a digit (see text_keys).

    Each run's length and digit are known from its words': only the runs kept are joined into texts.
    """
    rows, word = words(text)
    n, size, digit = len(rows), lengths(word), _has_digit(word)
    out_rows, out_keys = [], []
    for k in range(3):  # all runs of one word, then of two, then of three, as grams orders them
        if n <= k:
            break
        same = rows[: n - k] == rows[k:]
        total, any_digit = size[: n - k].copy(), digit[: n - k].copy()
        for j in range(1, k + 1):
            total += size[j: n - k + j]
            any_digit |= digit[j: n - k + j]
        at = np.flatnonzero(same & (total >= MIN_KEY_LENGTH) & any_digit)
        parts = [take(word, at + j) for j in range(k + 1)]
        joined = parts[0] if k == 0 else pc.binary_join_element_wise(  # type: ignore[call-overload]
            *parts, pa.scalar("", pa.large_string()))
        out_rows.append(rows[at])
        out_keys.append(joined)
    if not out_rows:
        return np.zeros(0, dtype=np.int64), pa.array([], type=pa.large_string())
    rows, keys = np.concatenate(out_rows), pa.concat_arrays(out_keys)
    first = first_of_each(rows, keys)
    return rows[first], take(keys, first)


def key_digits(keys: Texts) -> Texts:
    """Return the digits of each key, leading zeros dropped ('FACTURE 2024-0012' -> '20240012')."""
    return pc.utf8_ltrim(_bytes_kept(keys, _DIGITS), characters="0")


def text_keys(text: pd.Series) -> pd.DataFrame:
    """Return (row, key) for every run of 1 to 3 consecutive words of each text that holds a digit.

    Words are runs of letters and digits, so 'FACT.FA-2024-0012', 'FA 2024 0012' and 'fa20240012' all give
    the key 'FA20240012'; a prefix glued to the number without a separator ('FACTFA...') is not undone.
    """
    rows, keys = text_key_arrays(text)
    return pd.DataFrame({"row": rows, "key": _to_str(keys)})


def name_keys(names: pd.Series) -> pd.Series:
    """Return each name normalised: upper-case ASCII words, legal forms and filler dropped ('' when nothing left)."""
    rows, word = words(names.set_axis(pd.RangeIndex(len(names))))
    kept = ~np.asarray(pc.is_in(word, value_set=_NOISE).to_numpy(zero_copy_only=False), dtype=bool)
    offsets = np.r_[0, np.cumsum(np.bincount(rows[kept], minlength=len(names)))].astype(np.int64)
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), word.filter(_mask(kept)))
    joined = cast(Texts, pc.binary_join(lists, pa.scalar(" ", pa.large_string())))
    return _to_str(joined).set_axis(names.index)


def names_in_texts(text: pd.Series, names: pd.Series, longest: int = 4) -> tuple[np.ndarray, np.ndarray] | None:
    """Return (row label, name position) of each run of 1..`longest` consecutive words of a text that is one of the
    name keys `names`, in the order of word_grams(text) merged with the names (None: too many distinct words).

    The words are numbered over the names' vocabulary and a run is one integer of its words' numbers, so the
    join is on integers; a run holding a word no name has cannot be a name and is left out.
    """
    rows, word = words(text)
    name_pos, name_word = words(names.set_axis(pd.RangeIndex(len(names))))
    codes, vocabulary = codes_of(name_word)
    bits = max(len(vocabulary).bit_length(), 1)
    if bits * longest > 62:
        return None
    found = pc.index_in(word, value_set=vocabulary).fill_null(-1).to_numpy(zero_copy_only=False)
    code = np.asarray(found, dtype=np.int64) + 1  # 0: a word no name has
    n_words = np.bincount(name_pos, minlength=len(names))
    short = n_words[name_pos] <= longest
    first = np.r_[0, np.cumsum(n_words)[:-1]][name_pos]
    shift = (np.arange(len(name_pos)) - first) * bits
    name_key = np.zeros(len(names), dtype=np.int64)
    np.add.at(name_key, name_pos[short], (codes[short] + 1) << shift[short])
    name_key[(n_words == 0) | (n_words > longest)] = -1
    out_rows, out_keys = [], []
    n, key, alive = len(rows), code.copy(), code > 0
    for k in range(longest):  # all runs of one word, then of two, ... as word_grams orders them
        if k:
            if n <= k:
                break
            alive = alive[: n - k] & (code[k:] > 0) & (rows[: n - k] == rows[k:])
            key = key[: n - k] + (code[k:] << (bits * k))
        out_rows.append(rows[: n - k][alive])
        out_keys.append(key[alive])
    gram_rows, gram_keys = np.concatenate(out_rows), np.concatenate(out_keys)
    first_seen = np.flatnonzero(~pd.DataFrame({"r": gram_rows, "k": gram_keys}).duplicated().to_numpy())
    gram_rows, gram_keys = gram_rows[first_seen], gram_keys[first_seen]
    order = np.argsort(name_key, kind="stable")
    ranked = name_key[order]
    low = np.searchsorted(ranked, gram_keys, side="left")
    count = np.searchsorted(ranked, gram_keys, side="right") - low
    at = np.repeat(np.arange(len(gram_keys)), count)
    step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    return gram_rows[at], order[np.repeat(low, count) + step]


def word_grams(text: pd.Series, longest: int = 4) -> pd.DataFrame:
    """Return (row, key) for every run of 1..`longest` consecutive words of each text, joined by one space."""
    rows, keys = word_gram_arrays(text, longest)
    return pd.DataFrame({"row": rows, "key": _to_str(keys)})


def word_gram_arrays(text: pd.Series, longest: int = 4) -> tuple[np.ndarray, Texts]:
    """Return word_grams as (row, key) arrays."""
    rows, keys = grams(*words(text), longest, " ")
    first = first_of_each(rows, keys)
    return rows[first], take(keys, first)
