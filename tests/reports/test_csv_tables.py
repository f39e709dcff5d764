"""Full-list CSV downloads: the language's spreadsheet conventions, every decimal kept."""

from __future__ import annotations

import pandas as pd

from forecasting.reports.csv_tables import table_csv

FRAME = pd.DataFrame({"name": ["Atelier Martin", "Hôpital"], "encours_eur": [1234.5, 98765.4321],
                      "due_date": pd.to_datetime(["2026-12-31", "2027-01-15"])})


def test_french_csv_uses_semicolons_decimal_commas_day_first_dates_and_a_bom() -> None:
    data = table_csv(FRAME, "fr", {"name": "Client", "encours_eur": "Encours"})
    assert data.startswith(b"\xef\xbb\xbf")  # Excel then reads the accents right
    assert data.decode("utf-8-sig").splitlines() == [
        "Client;Encours;due_date", "Atelier Martin;1234,5;31/12/2026", "Hôpital;98765,4321;15/01/2027"]


def test_english_csv_is_plain_comma_separated_with_iso_dates() -> None:
    assert table_csv(FRAME, "en").decode().splitlines() == [
        "name,encours_eur,due_date", "Atelier Martin,1234.5,2026-12-31", "Hôpital,98765.4321,2027-01-15"]


def test_a_client_named_like_a_formula_downloads_as_text_and_amounts_stay_numbers() -> None:
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "@SUM(A1)"], "encours_eur": [-1234.5, 10.0]})
    assert table_csv(frame, "en").decode().splitlines() == [
        "name,encours_eur", "'=cmd|' /C calc'!A0,-1234.5", "'@SUM(A1),10.0"]
