"""CSV injection: a cell a spreadsheet would run as a formula is written as text; numbers never change."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from forecasting.core.cell_safety import safe_frame, safe_sql, safe_text

ATTACKS = ["=cmd|' /C calc'!A0", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://evil.example","clic")',
           "+A1*2", "-2+3"]
NUMBERS = ["-12,50", "+3.5e2", "1 234,56", "1\u00a0234,56", "-1'234.5", "12%", "+33 1 23 45 67 89"]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_formula_is_written_as_text(text: str) -> None:
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", [*NUMBERS, "Durand SA", "", "a=b", "Société @ Lyon"])
def test_numbers_and_ordinary_text_are_unchanged(text: str) -> None:
    assert safe_text(text) == text


@pytest.mark.parametrize("text", ATTACKS + NUMBERS + ["Durand SA"])
def test_the_sql_version_agrees_with_python(text: str) -> None:
    got = duckdb.connect().execute(f"SELECT {safe_sql('x')} FROM (SELECT ? AS x)", [text]).fetchall()[0][0]
    assert got == safe_text(text)


def test_a_frame_keeps_its_numbers_dates_and_missing_values() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "Martin", None], "amount": [-1.5, 2.0, 3.0],
                          "due": pd.to_datetime(["2026-12-31", "2027-01-15", "2027-02-01"])})
    safe = safe_frame(frame)
    assert safe["name"].iloc[:2].tolist() == ["'=1+1", "Martin"] and pd.isna(safe["name"].iloc[2])
    pd.testing.assert_series_equal(safe["amount"], frame["amount"])
    pd.testing.assert_series_equal(safe["due"], frame["due"])
