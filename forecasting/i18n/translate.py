"""French and English: translation of labels and messages, and numbers, money and dates written per language.

Labels are written in English in the code and translated with `tr(text, lang)`; the French texts live in the
catalog modules `i18n_fr_*` (one per area, so each can grow on its own). A label missing from the French
catalog is shown in English and recorded, so a test can walk every page and list what is not translated.
"""

from __future__ import annotations

import math
import os
from datetime import date, datetime
from typing import Any

import pandas as pd

from forecasting.i18n.fr_cli import FR_CLI
from forecasting.i18n.fr_exports import FR_EXPORTS
from forecasting.i18n.fr_lead import FR_LEAD
from forecasting.i18n.fr_pages import FR_PAGES

LANGUAGES: tuple[str, ...] = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"

NBSP = "\u00a0"  # French thousands separator and space before units; latin-1, so every PDF font has it

FR: dict[str, str] = {**FR_PAGES, **FR_EXPORTS, **FR_CLI, **FR_LEAD}

_missing: set[str] = set()


def default_language() -> str:
    """Return the language named by $CASHPILOT_LANG ('fr', 'fr_FR.UTF-8', 'en' …), English otherwise."""
    return normalise_language(os.environ.get("CASHPILOT_LANG", ""))


def normalise_language(value: str | None) -> str:
    """Return 'fr' or 'en' from a language tag such as 'FR', 'fr-FR' or 'en_GB'; English when unknown."""
    tag = (value or "").strip().lower()[:2]
    return tag if tag in LANGUAGES else DEFAULT_LANGUAGE


def tr(text: str, lang: str, **values: Any) -> str:
    """Return `text` in `lang` (English source text as the key), with `{name}` placeholders filled."""
    out = text
    if lang == "fr":
        found = FR.get(text)
        if found is None:
            _missing.add(text)
        else:
            out = found
    return out.format(**values) if values else out


def missing_translations() -> set[str]:
    """Return the English texts asked for in French since the last reset that the catalog lacks."""
    return set(_missing)


def reset_missing() -> None:
    """Forget the recorded missing translations (tests call it before walking the pages)."""
    _missing.clear()


# --- numbers, money and dates -------------------------------------------------------------------------
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "JPY": "¥"}


def _is_missing(value: Any) -> bool:
    """Return True for None, NaN and NaT."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def sentence(text: str) -> str:
    """Return `text` starting with a capital: notes are written lower-case to sit inside other sentences."""
    return text[:1].upper() + text[1:]


def fmt_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """Return 1234567.891 as '1 234 567,89' (fr) or '1,234,567.89' (en); '—' when missing."""
    if _is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return "—"
    text = f"{float(value):,.{decimals}f}"
    if text in {"-0", "-0." + "0" * decimals}:
        text = text[1:]
    if lang == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return text.replace("-", "−") if text.startswith("-") else text


def fmt_money(value: float | None, lang: str, currency: str = "EUR", decimals: int = 0) -> str:
    """Return an amount with its currency: '1 234 567,89 €' (fr), '€1,234,567.89' (en); '—' when missing."""
    if _is_missing(value):
        return "—"
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    number = fmt_number(value, lang, decimals)
    if lang == "fr":
        return f"{number}{NBSP}{symbol}"
    sign, digits = ("−", number[1:]) if number.startswith("−") else ("", number)
    return f"{sign}{symbol}{digits}" if len(symbol) == 1 else f"{sign}{symbol}{NBSP}{digits}"


def fmt_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """Return 0.2388 as '23,9 %' (fr) or '23.9%' (en); '—' when missing."""
    if _is_missing(fraction):
        return "—"
    number = fmt_number(100 * float(fraction), lang, decimals)
    return f"{number}{NBSP}%" if lang == "fr" else f"{number}%"


def fmt_days(value: float | None, lang: str, decimals: int = 1) -> str:
    """Return 57.68 as '57,7 jours' (fr) or '57.7 days' (en); '—' when missing."""
    if _is_missing(value):
        return "—"
    return f"{fmt_number(value, lang, decimals)}{NBSP}{'jours' if lang == 'fr' else 'days'}"


def fmt_date(value: date | datetime | pd.Timestamp | str | None, lang: str) -> str:
    """Return a date as '31/12/2026' (fr) or '2026-12-31' (en); '—' when missing."""
    if _is_missing(value):
        return "—"
    day = pd.Timestamp(value).date()
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


DATE_FORMAT_WIDGET = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}  # st.date_input / st.column_config formats
PLOTLY_SEPARATORS = {"fr": ",\u00a0", "en": ".,"}  # layout.separators: decimal then thousands
PLOTLY_DATE = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}


# --- messages built by the library, shown in either language ---------------------------------------------
class Percent(float):
    """A fraction written as a percentage with one decimal in a message (37.2% / 37,2 %)."""

    def text(self, lang: str) -> str:
        """Return the percentage in `lang`."""
        return fmt_percent(float(self), lang)


class Message(str):
    """A sentence built by forecasting/ (a warning, a note): its English text, and its template and values so a
    page or an export can write it in another language. Being a str, it goes into JSON and comparisons as is."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Message:
        """Return the message with `{name}` placeholders filled in English."""
        obj = super().__new__(cls, _fill(template, "en", values))
        obj.template, obj.values = template, values
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle (Streamlit caches) by template and values."""
        return (_message, (self.template, self.values))

    def in_language(self, lang: str) -> str:
        """Return the message in `lang` (English when the catalog lacks its template)."""
        return _fill(FR.get(self.template, self.template) if lang == "fr" else self.template, lang, self.values)


def _message(template: str, values: dict[str, Any]) -> Message:
    """Rebuild a pickled Message."""
    return Message(template, **values)


def _fill(template: str, lang: str, values: dict[str, Any]) -> str:
    """Return the template with its values, those that know how written for `lang`."""
    return template.format(**{k: v.text(lang) if hasattr(v, "text") else v for k, v in values.items()})


def localise(text: str, lang: str) -> str:
    """Return a text computed by forecasting/ in `lang`: a Message by its template, a fixed text by the catalog."""
    if isinstance(text, Message):
        return text.in_language(lang)
    return FR.get(text, text) if lang == "fr" else text


class Day(str):
    """A date in a message: ISO in English, 31/12/2026 in French."""

    def text(self, lang: str) -> str:
        """Return the date in `lang`."""
        return fmt_date(str(self), lang)
