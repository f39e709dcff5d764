"""Numbers, money, percentages, days and dates written per language, by Babel from the CLDR locale data.

English is written with en_US's symbols and patterns ('€1,234,567.89', '−€1,500', '23.9%'): its currency symbols
are those a reader of either side of the Atlantic expects for EUR, USD, GBP, CHF and JPY (en_GB writes US$ and
JP¥), and en_GB's numbers are the same. English dates are ISO (2026-12-31), not en_US's 12/31/26 nor en_GB's
31/12/2026: the same report is read in London and New York, and ISO is unambiguous for both. French is fr_FR:
'1 234 567,89 €', '23,9 %', '31/12/2026'.

What we write differently from Babel, on purpose:
- French groups digits with U+00A0 NO-BREAK SPACE, not CLDR's U+202F NARROW NO-BREAK SPACE: the board pack's PDF
  core fonts (windows-1252, a superset of latin-1) have U+00A0 only. The space before units, € and % is U+00A0.
- Negative numbers take the typographic minus '−' (U+2212), not the hyphen-minus, in both languages; a number that
  rounds to zero has no sign ('0', not '−0').
- Missing values (None, NaN, NaT) and infinities are written '—'.
- A currency symbol ending with a letter is set apart from the digits by a no-break space ('CHF 12.50'): CLDR's
  currencySpacing rule, which Babel does not apply.

These run thousands of times a page (the Receivables page formats ~4,600 numbers), and Babel's formatter costs
about 7 µs a call against 1.5 µs for Python's own: the Locale and pattern objects are built once, and the text of
a (value, language, decimals) is remembered, so a page's rerun writes its numbers from the cache.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import DateTimePattern
from babel.dates import parse_pattern as parse_date_pattern
from babel.numbers import NumberPattern, get_currency_symbol, parse_pattern
from babel.units import format_unit

LOCALES = {"en": "en_US", "fr": "fr_FR"}  # any other language is written the English way
DATE_PATTERNS = {"en": "yyyy-MM-dd", "fr": "short"}  # "short" is fr_FR's own dd/MM/y
NBSP = "\u00a0"  # French thousands separator and space before units; in latin-1, so every PDF core font has it
MINUS = "\u2212"
MISSING = "—"
_CACHED_TEXTS = 1 << 16  # per kind: a page shows a few thousand numbers, a rerun shows them again

# Babel's characters that we write otherwise (see the module docstring); the hyphen is only ever a minus sign here
_OURS = str.maketrans({"\u202f": NBSP, "-": MINUS})
_DIGITS = re.compile(r"([#0,]*0)(?:\.[#0]+)?")  # the digits of a CLDR pattern, its fraction apart
_OURS_UNIT = str.maketrans({"\u202f": NBSP, "-": MINUS, " ": NBSP})  # "57.7 days" never breaks across lines


@functools.cache
def _locale(lang: str) -> Locale:
    """Return the Babel locale that writes `lang` (English's for a language we do not write)."""
    return Locale.parse(LOCALES.get(lang, LOCALES["en"]))


@functools.cache
def _pattern(lang: str, kind: str, decimals: int) -> NumberPattern:
    """Return the locale's decimal, percent or currency pattern with exactly `decimals` fraction digits."""
    locale = _locale(lang)
    formats = {"decimal": locale.decimal_formats, "percent": locale.percent_formats,
               "currency": locale.currency_formats}[kind]
    source = formats["standard" if kind == "currency" else None].pattern  # '#,##0.###', '#,##0\xa0%', '¤#,##0.00'
    fraction = "." + "0" * decimals if decimals else ""
    pattern = parse_pattern(_DIGITS.sub(lambda digits: digits.group(1) + fraction, source, count=1))
    if kind == "percent":
        pattern.scale = 0  # the fraction is scaled to a percentage by us, in float, as it always was
    return pattern


def _apply(pattern: NumberPattern, number: float, lang: str, decimals: int) -> str:
    """Return `number` written by `pattern`, rounded as Python rounds the float, with our spaces and minus."""
    if round(number, decimals) == 0:
        number = 0.0  # no "−0"
    # Decimal(float) is the float's exact value: rounding it gives what f"{number:.2f}" always gave
    text: str = pattern.apply(Decimal(number), _locale(lang))
    return text.translate(_OURS)


def _is_missing(value: Any) -> bool:
    """Return True for None, NaN and NaT."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN, without pandas' slower scalar check for the common case
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _finite(value: Any) -> float | None:
    """Return `value` as a float, None when missing or infinite."""
    if _is_missing(value):
        return None
    number = float(value)
    return None if math.isinf(number) else number


def fmt_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """Return 1234567.891 as '1 234 567,89' (fr) or '1,234,567.89' (en); '—' when missing."""
    number = _finite(value)
    return MISSING if number is None else _number(number, lang, decimals)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _number(number: float, lang: str, decimals: int) -> str:
    """Return a finite number written in `lang` (cached)."""
    return _apply(_pattern(lang, "decimal", decimals), number, lang, decimals)


def fmt_money(value: float | None, lang: str, currency: str = "EUR", decimals: int = 0) -> str:
    """Return an amount with its currency: '1 234 567,89 €' (fr), '€1,234,567.89' (en); '—' when missing."""
    number = _finite(value)
    return MISSING if number is None else _money(number, lang, currency, decimals)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _money(number: float, lang: str, currency: str, decimals: int) -> str:
    """Return a finite amount written in `lang` with the locale's symbol for `currency` (cached)."""
    return _apply(_currency_pattern(lang, currency, decimals), number, lang, decimals)


@functools.cache
def _currency_pattern(lang: str, currency: str, decimals: int) -> NumberPattern:
    """Return the locale's currency pattern with the symbol of `currency` written in (Babel looks it up each call)."""
    pattern = parse_pattern(_pattern(lang, "currency", decimals).pattern)  # our own copy to change
    symbol = get_currency_symbol(currency, _locale(lang))
    if symbol[-1:].isalpha():
        symbol_before, symbol_after = f"{symbol}{NBSP}", symbol  # CLDR currencySpacing: 'CHF 12.50'
    else:
        symbol_before = symbol_after = symbol
    positive, negative = pattern.prefix
    pattern.prefix = (positive.replace("¤", symbol_before), negative.replace("¤", symbol_before))
    positive, negative = pattern.suffix
    pattern.suffix = (positive.replace("¤", symbol_after), negative.replace("¤", symbol_after))
    return pattern


def fmt_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """Return 0.2388 as '23,9 %' (fr) or '23.9%' (en); '—' when missing."""
    number = _finite(fraction)
    return MISSING if number is None else _percent(100 * number, lang, decimals)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _percent(percentage: float, lang: str, decimals: int) -> str:
    """Return a finite percentage (23.88, not 0.2388) written in `lang` (cached)."""
    return _apply(_pattern(lang, "percent", decimals), percentage, lang, decimals)


def fmt_days(value: float | None, lang: str, decimals: int = 1) -> str:
    """Return 57.68 as '57,7 jours' (fr) or '57.7 days' (en), the unit agreeing with the number; '—' when missing."""
    number = _finite(value)
    if number is None:
        return MISSING
    if round(number, decimals) == 0:
        number = 0.0
    # The rounded Decimal, so the plural is the one of the number shown: '1.0 days' in English, '1,5 jour' in French
    return _days(round(Decimal(number), decimals), lang, decimals)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _days(shown: Decimal, lang: str, decimals: int) -> str:
    """Return a number of days, already rounded, with its unit in `lang` (cached: Babel's units take 60 µs)."""
    text: str = format_unit(shown, "duration-day", length="long", format=_pattern(lang, "decimal", decimals).pattern,
                            locale=_locale(lang))
    return text.translate(_OURS_UNIT)


@functools.cache
def _date_pattern(lang: str) -> DateTimePattern:
    """Return the date pattern of `lang`: the locale's own short date, or the one we chose (ISO in English)."""
    name = DATE_PATTERNS.get(lang, DATE_PATTERNS["en"])
    locale = _locale(lang)
    return locale.date_formats[name] if name in locale.date_formats else parse_date_pattern(name)


def fmt_date(value: date | datetime | pd.Timestamp | str | None, lang: str) -> str:
    """Return a date as '31/12/2026' (fr) or '2026-12-31' (en); '—' when missing."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, datetime):  # pd.Timestamp too
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        assert value is not None  # for mypy: missing values were written above
        day = pd.Timestamp(value).date()
    return _date(day, lang)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _date(day: date, lang: str) -> str:
    """Return a day written in `lang` (cached: a page writes the same few weeks' days again and again)."""
    text: str = _date_pattern(lang).apply(day, _locale(lang))
    return text


def _plotly_separators(lang: str) -> str:
    """Return Plotly's layout.separators of `lang`: its decimal then thousands symbol, written our way."""
    symbols = _locale(lang).number_symbols["latn"]
    return f"{symbols['decimal']}{symbols['group']}".translate(_OURS)


# Formats of the widgets and charts, which write dates and numbers themselves; tests/i18n checks they agree with the
# functions above.
DATE_FORMAT_WIDGET = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}  # st.date_input / st.column_config (moment.js tokens)
PLOTLY_DATE = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}  # d3-time-format
PLOTLY_SEPARATORS = {lang: _plotly_separators(lang) for lang in LOCALES}  # layout.separators: decimal then thousands
