"""Fitted forecasts kept on disk between runs, keyed by the data's content and the code that fitted them.

Fitting the payment behaviour and sampling every item's payment days (`projection.prepare`) is the slow step of a
forecast: 1-2 s on the demo company, 6-16 s on a company a hundred times larger. Its result depends only on the
ledger, the as-of date, the horizon, the settings and the code (the sampling's seed is fixed), so it is kept in a
folder beside the database (`<database>.forecasts/`) and reused by the next server start, the CLI and exports.

A kept forecast is used only when everything it was computed from is the same: the key is a digest of every
ledger table's content (not the file's size or date, which a copy can keep while the data differs), the as-of
date, the horizon, the settings, the source of the `forecasting` package and the versions of the numerical
libraries. A file that cannot be read, is not what it should be, or could have been written by another user is
ignored and the forecast computed again; a folder that cannot be written only means no file is kept. Nothing
here can change a figure: a kept forecast is the one `prepare` would return. Other results computed from the
same inputs (the self-evaluation, projection/evaluate.py) are kept the same way by `kept`, with their own suffix.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import platform
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from forecasting.core.ledger import Ledger
from forecasting.core.types import as_of_timestamp
from forecasting.projection.forecast import prepare
from forecasting.projection.types import DEFAULT_SETTINGS, CashItems, ProjectionSettings

LOG = logging.getLogger("cashpilot.forecast_cache")
FOLDER_SUFFIX = ".forecasts"
FORECAST_SUFFIX = ".pickle"  # a kept forecast is <key>.pickle; other kinds of result have their own suffix
MAX_ENTRIES = 3  # results of each kind kept per database; one forecast is ~17 MB at the demo's size
T = TypeVar("T")
SWITCH = "CASHPILOT_FORECAST_CACHE"  # "off" (or 0, no, false) computes every forecast afresh
_LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels")  # their numbers feed the fit and the sampling
_PACKAGE = Path(__file__).resolve().parents[1]  # the whole forecasting package


def folder_for(db_path: Path | str) -> Path:
    """Return the folder that keeps the forecasts of the database at `db_path`."""
    path = Path(db_path)
    return path.with_name(path.name + FOLDER_SUFFIX)


def enabled() -> bool:
    """Return whether kept forecasts are used (not switched off by $CASHPILOT_FORECAST_CACHE)."""
    return os.environ.get(SWITCH, "on").strip().lower() not in {"off", "0", "no", "false"}


@cache
def code_version() -> str:
    """Return a digest of the forecasting package's source and the numerical libraries' versions."""
    digest = hashlib.sha256(platform.python_version().encode())
    for name in _LIBRARIES:
        digest.update(f"{name}={_version_of(name)}".encode())
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(_PACKAGE).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _version_of(name: str) -> str:
    """Return an installed distribution's version, or "-" when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def ledger_digest(ledger: Ledger) -> str:
    """Return a digest of every table of the ledger: names, column names and types, and every value in order."""
    digest = hashlib.sha256()
    for field in fields(ledger):
        frame: pd.DataFrame = getattr(ledger, field.name)
        digest.update(f"{field.name}:{len(frame)}:{list(frame.columns)}:{list(map(str, frame.dtypes))}".encode())
        for name in frame.columns:
            for part in _column_bytes(frame[name]):
                digest.update(part)
    return digest.hexdigest()


def _column_bytes(column: pd.Series) -> Iterator[bytes | memoryview]:
    """Yield the bytes that spell a column's values: its memory for numbers and dates, Arrow's buffers for text.

    Hashing memory directly is ~5x faster than pandas' per-value hash on text (0.6 s against 3.2 s on a
    five-million-row ledger), which matters since the digest is taken on every use of a kept forecast.
    """
    values = column.to_numpy() if not isinstance(column.dtype, pd.StringDtype) else None
    if values is not None and values.dtype != object:
        yield np.ascontiguousarray(values).view(np.uint8).data
        return
    if values is not None:  # Python objects: pandas' hash of each value
        yield pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes()
        return
    text = pa.array(column, type=pa.large_string())
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    _, offsets_buffer, data = text.buffers()
    if offsets_buffer is None:  # an Arrow string array always has one; the stubs cannot know it
        raise ValueError("text column without an offsets buffer")
    offsets = np.frombuffer(memoryview(offsets_buffer), dtype=np.int64, count=len(text) + 1, offset=8 * text.offset)
    yield (offsets - offsets[0]).tobytes()
    if data is not None:
        yield memoryview(data)[int(offsets[0]):int(offsets[-1])]
    if text.null_count:
        yield text.is_null().to_numpy(zero_copy_only=False).tobytes()


def entry_key(ledger: Ledger, as_of: date, horizon_weeks: int, settings: ProjectionSettings, *extra: str) -> str:
    """Return the key of the forecast of this ledger, as-of date, horizon and settings with this code.

    `extra` names what else a kept result depends on (another kind of result and its parameters).
    """
    as_of_day = as_of_timestamp(as_of).date()
    parts = (code_version(), ledger_digest(ledger), as_of_day.isoformat(), str(int(horizon_weeks)), repr(settings),
             *extra)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def kept(folder: Path | None, key: Callable[[], str], suffix: str, kind: type[T], matches: Callable[[T], bool],
         compute: Callable[[], T]) -> T:
    """Return `compute()`, read from `folder` when a result of `kind` that `matches` was kept there under `key()`.

    Each kind of result has its file suffix (FORECAST_SUFFIX, ...) and its own MAX_ENTRIES most recently used files.
    """
    if folder is None or not enabled():
        return compute()
    try:
        name = key()
    except (TypeError, ValueError) as error:  # a value pandas cannot hash: compute, keep nothing
        LOG.info("result not kept: %s", error)
        return compute()
    path = folder / f"{name}{suffix}"
    found = _read(path, kind, matches)
    if found is not None:
        return found
    result = compute()
    _write(folder, path, result, suffix)
    return result


def cached_prepare(ledger: Ledger, as_of: date, horizon_weeks: int = 13, folder: Path | None = None,
                   settings: ProjectionSettings = DEFAULT_SETTINGS) -> CashItems:
    """Return `prepare(ledger, as_of, horizon_weeks, settings)`, read from `folder` when it was kept there."""
    as_of_ts = as_of_timestamp(as_of)

    def matches(cash: CashItems) -> bool:
        """Return whether a kept forecast is the one its name says."""
        return bool(cash.as_of == as_of_ts and cash.horizon_weeks == int(horizon_weeks))

    return kept(folder, lambda: entry_key(ledger, as_of, horizon_weeks, settings), FORECAST_SUFFIX, CashItems,
                matches, lambda: prepare(ledger, as_of, horizon_weeks, settings))


def _read(path: Path, kind: type[T], matches: Callable[[T], bool]) -> T | None:
    """Return the result kept at `path`, or None when there is none we can trust."""
    try:
        if not _ours(path):
            return None
        with path.open("rb") as file:
            found = pickle.load(file)  # noqa: S301 - our own file, in a folder only this user can write (_ours)
    except FileNotFoundError:
        return None
    except Exception as error:  # truncated, from another version of a class, unreadable: compute again
        LOG.info("kept result %s ignored: %s", path.name, error)
        _remove(path)
        return None
    if not isinstance(found, kind) or not matches(found):
        LOG.info("kept result %s ignored: not the result its name says", path.name)
        _remove(path)
        return None
    _touch(path)  # the most recently used entries are the ones kept
    return found


def _ours(path: Path) -> bool:
    """Return whether the file and its folder belong to this user and nobody else can write them (POSIX)."""
    if not hasattr(os, "getuid"):
        return True
    for item in (path.parent, path):
        status = item.stat()
        if status.st_uid != os.getuid() or status.st_mode & 0o022:
            LOG.warning("kept result %s ignored: %s can be written by another user", path.name, item)
            return False
    return True


def _write(folder: Path, path: Path, result: object, suffix: str) -> None:
    """Keep `result` at `path` (written whole, then renamed: a reader never sees half a file); drop the oldest."""
    temporary: str | None = None
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
        _prune(folder, suffix)
    except OSError as error:  # a read-only or full disk: the result is computed again next time, nothing else
        LOG.info("result not kept in %s: %s", folder, error)
    finally:
        if temporary is not None:
            _remove(Path(temporary))


def _prune(folder: Path, suffix: str, keep: int = MAX_ENTRIES) -> None:
    """Remove all but the `keep` most recently used results of one kind (file suffix) in the folder."""
    name = re.compile(r"[0-9a-f]{40}" + re.escape(suffix))
    entries = sorted((p for p in folder.glob("*" + suffix) if name.fullmatch(p.name)),
                     key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        _remove(old)


def _touch(path: Path) -> None:
    """Mark the file as just used."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _remove(path: Path) -> None:
    """Remove a file if it is there and can be removed."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)

