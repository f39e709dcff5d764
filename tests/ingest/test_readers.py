"""Readers: repeated and blank column names made unique, in time linear in the number of columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.core.errors import InputError
from forecasting.ingest.readers import _unique_headers
from tests.fixtures.ingest import new_store, run_import, write_text


def test_repeated_and_blank_headers_get_suffixes_and_numbers() -> None:
    headers = ["Client", "Client", " ", "Client_2", "Client", "\ufeffMontant"]
    assert _unique_headers(headers) == ["Client", "Client_2", "column_3", "Client_2_2", "Client_3", "Montant"]


def test_twenty_thousand_copies_of_one_name_are_refused_with_a_message(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzz campaign's 80 KB file (one name 20,000 times) took hours; now a clear refusal, in linear time.

    Refused by the column limit (1,000); with the limit raised, the headers are still made unique quickly.
    """
    path = write_text(tmp_path / "wide.csv", ",".join(["a"] * 20_000) + "\n" + ",".join(["1"] * 20_000) + "\n")
    with pytest.raises(InputError, match=r"wide.csv: 20,000 columns, over the 1,000 an import accepts"):
        run_import(new_store(tmp_path / "db.duckdb"), path)
    monkeypatch.setenv("CASHPILOT_MAX_COLUMNS", "50000")
    with pytest.raises(InputError, match="no column found for"):
        run_import(new_store(tmp_path / "db.duckdb"), path)
