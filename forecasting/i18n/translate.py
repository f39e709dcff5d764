"""French and English: translation of labels and messages (numbers, money and dates: formats.py).

Labels are written in English in the code and translated with `tr(text, lang)`; the French texts live in the
catalog modules `i18n_fr_*` (one per area, so each can grow on its own). A label missing from the French
catalog is shown in English and recorded, so a test can walk every page and list what is not translated.
"""

from __future__ import annotations

import os
from typing import Any

from forecasting.i18n.formats import fmt_date, fmt_percent
from forecasting.i18n.fr_cli import FR_CLI
from forecasting.i18n.fr_exports import FR_EXPORTS
from forecasting.i18n.fr_lead import FR_LEAD
from forecasting.i18n.fr_pages import FR_PAGES

LANGUAGES: tuple[str, ...] = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"

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


def sentence(text: str) -> str:
    """Return `text` starting with a capital: notes are written lower-case to sit inside other sentences."""
    return text[:1].upper() + text[1:]


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
