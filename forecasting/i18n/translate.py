"""French and English texts: labels and messages are written in English in the code and translated by gettext.

`tr(text, lang)` returns a label in `lang`, `trn(singular, plural, n, lang)` a counted one ('1 ligne', '2 lignes');
the French texts live in the gettext catalog locale/fr/LC_MESSAGES/cashpilot.po (see catalog.py), keyed by the
English text. A text asked for in French that the catalog lacks is shown in English and recorded, so a test can walk
every page and list what is not translated; `python -m forecasting.i18n.check` lists, before any run, the texts of
the code that the catalog lacks. Numbers, money and dates are written by formats.py.
"""

from __future__ import annotations

import functools
import gettext
import os
from typing import Any

from forecasting.i18n.catalog import catalog, compile_catalog
from forecasting.i18n.formats import fmt_date, fmt_money, fmt_number, fmt_percent

LANGUAGES: tuple[str, ...] = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"

_missing: set[str] = set()


def default_language() -> str:
    """Return the language named by $CASHPILOT_LANG ('fr', 'fr_FR.UTF-8', 'en' …), English otherwise."""
    return normalise_language(os.environ.get("CASHPILOT_LANG", ""))


def normalise_language(value: str | None) -> str:
    """Return 'fr' or 'en' from a language tag such as 'FR', 'fr-FR' or 'en_GB'; English when unknown."""
    tag = (value or "").strip().lower()[:2]
    return tag if tag in LANGUAGES else DEFAULT_LANGUAGE


class _RecordMissing(gettext.NullTranslations):
    """The fallback of a catalog: a text it lacks is recorded, then shown in English."""

    def gettext(self, message: str) -> str:
        """Return `message` as it is, recorded as missing."""
        _missing.add(message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """Return the English form for `n`, the singular recorded as missing."""
        _missing.add(msgid1)
        return msgid1 if n == 1 else msgid2


@functools.cache
def _translations(lang: str, record: bool) -> gettext.NullTranslations:
    """Return the translations of `lang` (English for a language without a catalog), recording misses if asked."""
    found = catalog(lang) if lang != DEFAULT_LANGUAGE else None
    if found is None:
        return gettext.NullTranslations()
    translations = compile_catalog(found)
    if record:
        translations.add_fallback(_RecordMissing())
    return translations


def tr(text: str, lang: str, **values: Any) -> str:
    """Return `text` in `lang` (English source text as the key), with `{name}` placeholders filled."""
    out = _translations(lang, True).gettext(text) if text else text  # gettext("") is the catalog's header
    return out.format(**values) if values else out


def trn(singular: str, plural: str, n: float | None, lang: str, /, **values: Any) -> str:
    """Return the form of a counted text that `n` takes in `lang`, `{n}` written the language's way unless given.

    English takes the singular for 1 only, French for 0 and 1 (the catalog's Plural-Forms). A missing count
    (None, NaN) takes the plural and is written '—', as fmt_number writes it.
    """
    try:
        count: int | None = int(n)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        count = None
    out = _translations(lang, True).ngettext(singular, plural, 2 if count is None else count)
    return out.format(**{"n": fmt_number(count, lang), **values})


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


class Money(float):
    """An amount in euros in a message, without decimals (€1,250,000 / 1 250 000 €)."""

    def text(self, lang: str) -> str:
        """Return the amount in `lang`."""
        return fmt_money(float(self), lang)


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
        return _fill(_translations(lang, False).gettext(self.template), lang, self.values)


def _message(template: str, values: dict[str, Any]) -> Message:
    """Rebuild a pickled Message."""
    return Message(template, **values)


class Count(int):
    """A count in a message, written with the language's thousands separator (1,250 / 1 250)."""

    def text(self, lang: str) -> str:
        """Return the count in `lang`."""
        return fmt_number(int(self), lang)


class CountedMessage(Message):
    """A Message whose words agree with a count `{n}`: its singular and plural English texts, the catalog's forms
    in another language ('1 ligne a été écartée', '2 lignes ont été écartées'), as trn() does for a label."""

    plural: str

    def __new__(cls, singular: str, plural: str, n: int, /, **values: Any) -> CountedMessage:
        """Return the message in English, the form chosen by `n`, placeholders filled ({n} included)."""
        counted = {**values, "n": Count(n)}
        obj = str.__new__(cls, _fill(singular if n == 1 else plural, "en", counted))
        obj.template, obj.plural, obj.values = singular, plural, counted
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle (Streamlit caches) by its texts, count and values."""
        values = {k: v for k, v in self.values.items() if k != "n"}
        return (_counted_message, (self.template, self.plural, int(self.values["n"]), values))

    def in_language(self, lang: str) -> str:
        """Return the message in `lang`, in the form its count takes there (English when the catalog lacks it)."""
        text = _translations(lang, False).ngettext(self.template, self.plural, int(self.values["n"]))
        return _fill(text, lang, self.values)


def _counted_message(singular: str, plural: str, n: int, values: dict[str, Any]) -> CountedMessage:
    """Rebuild a pickled CountedMessage."""
    return CountedMessage(singular, plural, n, **values)


def _fill(template: str, lang: str, values: dict[str, Any]) -> str:
    """Return the template with its values, those that know how written for `lang`."""
    return template.format(**{k: v.text(lang) if hasattr(v, "text") else v for k, v in values.items()})


def localise(text: str, lang: str) -> str:
    """Return a text computed by forecasting/ in `lang`: a Message by its template, a fixed text by the catalog.

    Unlike tr(), a text the catalog lacks is not recorded: such texts come from data and are not all known in advance.
    """
    if isinstance(text, Message):
        return text.in_language(lang)
    return _translations(lang, False).gettext(text) if text else text


class Day(str):
    """A date in a message: ISO in English, 31/12/2026 in French."""

    def text(self, lang: str) -> str:
        """Return the date in `lang`."""
        return fmt_date(str(self), lang)
