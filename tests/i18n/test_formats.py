"""Numbers, money, percentages, days and dates written per language (forecasting/i18n/formats.py, by Babel)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from forecasting.i18n.formats import (
    DATE_FORMAT_WIDGET,
    PLOTLY_DATE,
    PLOTLY_SEPARATORS,
    fmt_date,
    fmt_days,
    fmt_money,
    fmt_number,
    fmt_percent,
)

NBSP, MINUS = "\u00a0", "\u2212"


def test_money_is_written_the_french_and_the_english_way() -> None:
    assert fmt_money(1234567.891, "fr", decimals=2) == f"1{NBSP}234{NBSP}567,89{NBSP}€"
    assert fmt_money(1234567.891, "en", decimals=2) == "€1,234,567.89"
    assert fmt_money(-1500, "en") == f"{MINUS}€1,500"
    assert fmt_money(-1500, "fr") == f"{MINUS}1{NBSP}500{NBSP}€"
    assert fmt_money(12.5, "en", currency="CHF", decimals=2) == f"CHF{NBSP}12.50"  # CLDR's currency spacing
    assert fmt_money(12.5, "fr", currency="CHF", decimals=2) == f"12,50{NBSP}CHF"
    assert fmt_money(None, "fr") == "—"
    assert fmt_money(float("nan"), "en") == "—"


@pytest.mark.parametrize("value", [float("inf"), -np.inf])
def test_an_infinite_amount_is_missing_not_half_written(value: float) -> None:
    # the hand-written formats gave '€—' and '—%'
    assert fmt_money(value, "en") == fmt_money(value, "fr") == fmt_number(value, "fr") == "—"
    assert fmt_percent(value, "en") == fmt_days(value, "fr") == "—"


def test_french_has_no_narrow_no_break_space_and_numbers_the_typographic_minus() -> None:
    text = fmt_number(-1234567.5, "fr", 1)
    assert text == f"{MINUS}1{NBSP}234{NBSP}567,5"
    assert "\u202f" not in text and "-" not in text  # the board pack's core fonts (windows-1252) lack U+202F


def test_numbers_percentages_and_days() -> None:
    assert fmt_number(-0.4, "en") == "0"  # no "−0"
    assert fmt_number(-0.04, "fr", 1) == "0,0"
    assert fmt_number(1234.5, "fr", 1) == f"1{NBSP}234,5"
    assert fmt_number(np.int64(1234567), "en") == "1,234,567"
    assert fmt_number(pd.NA, "en") == fmt_number(pd.NaT, "en") == "—"
    assert fmt_percent(0.2388, "fr") == f"23,9{NBSP}%"
    assert fmt_percent(0.2388, "en") == "23.9%"
    assert fmt_percent(-0.05, "fr", 0) == f"{MINUS}5{NBSP}%"
    assert fmt_days(57.68, "fr") == f"57,7{NBSP}jours"
    assert fmt_days(57.68, "en") == f"57.7{NBSP}days"


def test_rounding_is_the_one_python_gives_the_float() -> None:
    # 2.675 is stored as 2.67499999…: f"{2.675:.2f}" is '2.67', as it was before Babel (not '2.68')
    assert fmt_number(2.675, "en", 2) == "2.67"
    assert fmt_number(0.125, "en", 2) == "0.12"  # exactly half: to even
    assert fmt_number(1e15, "fr") == f"1{NBSP}000{NBSP}000{NBSP}000{NBSP}000{NBSP}000"


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (1.0, "en", "1.0 days"),  # English: one day, but 1.0 days (CLDR: a shown decimal takes the plural)
    (1.0, "fr", "1,0 jour"),  # French: singular below 2
    (1.5, "fr", "1,5 jour"),
    (0.0, "fr", "0,0 jour"),
    (2.0, "fr", "2,0 jours"),
    (1.96, "fr", "2,0 jours"),  # the form of the number shown, not of 1.96
])
def test_days_agree_with_the_number_shown(value: float, lang: str, expected: str) -> None:
    assert fmt_days(value, lang) == expected.replace(" ", NBSP)


def test_dates_are_day_first_in_french_and_iso_in_english() -> None:
    assert fmt_date(date(2026, 12, 31), "fr") == "31/12/2026"
    assert fmt_date(date(2026, 12, 31), "en") == "2026-12-31"
    assert fmt_date(datetime(2026, 1, 2, 23, 59), "fr") == "02/01/2026"
    assert fmt_date(pd.Timestamp("2026-03-04 10:00"), "en") == "2026-03-04"
    assert fmt_date("2026-05-06", "fr") == "06/05/2026"
    assert fmt_date(np.datetime64("2026-07-08"), "fr") == "08/07/2026"
    assert fmt_date(None, "en") == fmt_date(pd.NaT, "fr") == "—"


def test_a_language_we_do_not_write_is_written_the_english_way() -> None:
    assert fmt_money(-1500, "de") == fmt_money(-1500, "en")
    assert fmt_date(date(2026, 12, 31), "de") == "2026-12-31"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_widget_and_chart_formats_write_what_the_functions_write(lang: str) -> None:
    day = date(2026, 12, 31)
    assert day.strftime(PLOTLY_DATE[lang]) == fmt_date(day, lang)
    moment = DATE_FORMAT_WIDGET[lang].replace("YYYY", "%Y").replace("MM", "%m").replace("DD", "%d")
    assert day.strftime(moment) == fmt_date(day, lang)
    decimal, thousands = PLOTLY_SEPARATORS[lang]
    assert fmt_number(1234.5, lang, 1) == f"1{thousands}234{decimal}5"
