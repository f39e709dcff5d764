"""Fitted forecasts kept on disk: a kept one equals a fresh one, and only a trusted, matching file is used."""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.cli.main import main
from forecasting.core.ledger import Ledger
from forecasting.projection import cache as fc
from forecasting.projection.forecast import aggregate, prepare
from forecasting.projection.types import DEFAULT_SETTINGS, CashItems

AS_OF = date(2026, 11, 23)


def kept_files(folder: Path) -> list[Path]:
    """Return the forecasts kept in the folder."""
    return sorted(folder.glob("*.pickle"))


def assert_same_forecast(a: CashItems, b: CashItems) -> None:
    """Assert two prepared forecasts are equal: sampled days, items, and the aggregated weeks."""
    np.testing.assert_array_equal(a.pay_day_offsets, b.pay_day_offsets)
    np.testing.assert_array_equal(a.amount_scales, b.amount_scales)
    pd.testing.assert_frame_equal(a.items, b.items)
    assert (a.as_of, a.horizon_weeks, a.opening_balance) == (b.as_of, b.horizon_weeks, b.opening_balance)
    pd.testing.assert_frame_equal(aggregate(a).weekly, aggregate(b).weekly)


@pytest.fixture(scope="module")
def fresh(demo_ledger: Ledger) -> CashItems:
    """Return the demo forecast computed without any cache."""
    return prepare(demo_ledger, AS_OF, 13)


def test_a_kept_forecast_is_the_one_prepare_returns(demo_ledger: Ledger, fresh: CashItems, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """First call computes and keeps one file; the second reads it without fitting, and both equal prepare's."""
    first = fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path)
    assert len(kept_files(tmp_path)) == 1
    monkeypatch.setattr(fc, "prepare", lambda *args, **kwargs: pytest.fail("fitted again"))

    second = fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path)

    assert_same_forecast(first, fresh)
    assert_same_forecast(second, fresh)
    assert second is not first


def test_the_key_changes_with_the_data_the_date_the_horizon_and_the_settings(demo_ledger: Ledger, fresh: CashItems
                                                                             ) -> None:
    """One changed amount, another as-of date or horizon or number of paths: another key."""
    base = fc.entry_key(demo_ledger, AS_OF, 13, fresh.settings)
    receivables = demo_ledger.receivables.copy()
    receivables.loc[receivables.index[0], "amount_ttc"] += 0.01
    changed = replace(demo_ledger, receivables=receivables)

    assert fc.entry_key(demo_ledger, pd.Timestamp(AS_OF), 13, fresh.settings) == base  # same day, other type
    assert fc.entry_key(changed, AS_OF, 13, fresh.settings) != base
    assert fc.entry_key(demo_ledger, date(2026, 11, 24), 13, fresh.settings) != base
    assert fc.entry_key(demo_ledger, AS_OF, 26, fresh.settings) != base
    assert fc.entry_key(demo_ledger, AS_OF, 13, replace(fresh.settings, n_sims=fresh.settings.n_sims + 1)) != base


def test_a_damaged_file_is_ignored_removed_and_computed_again(demo_ledger: Ledger, fresh: CashItems,
                                                              tmp_path: Path) -> None:
    """A truncated pickle is never an error: the forecast is computed again and kept afresh."""
    fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path)
    (path,) = kept_files(tmp_path)
    path.write_bytes(path.read_bytes()[:1000])

    again = fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path)

    assert_same_forecast(again, fresh)
    assert path.stat().st_size > 1000  # written again, whole


def test_a_file_that_is_not_the_forecast_its_name_says_is_ignored(demo_ledger: Ledger, fresh: CashItems,
                                                                  tmp_path: Path) -> None:
    """Another as-of date's forecast, or something else, under this key: not used, removed."""
    fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path)
    (path,) = kept_files(tmp_path)
    path.write_bytes(pickle.dumps({"not": "a forecast"}))

    assert_same_forecast(fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path), fresh)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_file_others_could_write_is_never_read(demo_ledger: Ledger, fresh: CashItems, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """A folder anyone can write could hold anyone's pickle: it is not loaded (loading a pickle runs code)."""
    fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path)
    (path,) = kept_files(tmp_path)
    path.write_bytes(pickle.dumps("planted"))
    tmp_path.chmod(0o777)

    with caplog.at_level(logging.WARNING, logger="cashpilot.forecast_cache"):
        again = fc.cached_prepare(demo_ledger, AS_OF, 13, tmp_path)

    assert_same_forecast(again, fresh)
    assert "another user" in caplog.text


def test_a_folder_that_cannot_be_written_only_means_nothing_is_kept(demo_ledger: Ledger, fresh: CashItems,
                                                                   tmp_path: Path) -> None:
    """The cache folder's place is a file (as unwritable as it gets, even for root): the forecast still comes."""
    blocker = tmp_path / "demo.duckdb.forecasts"
    blocker.write_text("not a folder")

    assert_same_forecast(fc.cached_prepare(demo_ledger, AS_OF, 13, blocker), fresh)
    assert blocker.read_text() == "not a folder"


def test_only_the_most_recently_used_forecasts_are_kept(demo_ledger: Ledger, tmp_path: Path) -> None:
    """Four horizons in turn: the oldest is dropped, MAX_ENTRIES files stay."""
    for weeks in (4, 5, 6, 7):
        fc.cached_prepare(demo_ledger, AS_OF, weeks, tmp_path)

    kept = kept_files(tmp_path)
    assert len(kept) == fc.MAX_ENTRIES
    oldest = fc.entry_key(demo_ledger, AS_OF, 4, DEFAULT_SETTINGS)
    assert tmp_path / f"{oldest}.pickle" not in kept


def test_the_switch_turns_keeping_off(demo_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CASHPILOT_FORECAST_CACHE=off: every forecast is computed and nothing is written."""
    monkeypatch.setenv(fc.SWITCH, "off")

    fc.cached_prepare(demo_ledger, AS_OF, 4, tmp_path)

    assert kept_files(tmp_path) == []


def test_the_folder_sits_beside_the_database() -> None:
    """`data/cashpilot.duckdb` keeps its forecasts in `data/cashpilot.duckdb.forecasts/`."""
    assert fc.folder_for(Path("data/cashpilot.duckdb")) == Path("data/cashpilot.duckdb.forecasts")


def test_the_command_keeps_its_forecast_beside_the_database_and_says_the_same_the_second_time(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`cashpilot forecast` twice on a copy of the demo: one kept file, the second run fits nothing, same JSON."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(demo_db.read_bytes())
    command = ["--db", str(db), "forecast", "--as-of", AS_OF.isoformat(), "--weeks", "4", "--format", "json"]
    assert main(command) == 0
    first = capsys.readouterr().out
    assert len(kept_files(fc.folder_for(db))) == 1
    monkeypatch.setattr(fc, "prepare", lambda *args, **kwargs: pytest.fail("fitted again"))

    assert main(command) == 0

    assert capsys.readouterr().out == first
