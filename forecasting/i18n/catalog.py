"""The gettext catalogs: each language's texts in locale/<lang>/LC_MESSAGES/cashpilot.po, keyed by the English text.

The .po file is the source, and the only file: it is read with Babel and compiled in memory, once per process, into
the standard library's gettext translations, so a fresh clone, an installed package, AppTest and the CLI all work
with nothing compiled and no binary .mo file committed. Reading the French catalog takes ~30 ms, compiling it ~10.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "cashpilot"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"  # shipped as package data (pyproject.toml)


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Return the path of the .po catalog of `lang`."""
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path) -> Catalog:
    """Return the Babel catalog read from a .po file."""
    with path.open("rb") as source:
        return read_po(source, domain=DOMAIN)


@functools.cache
def catalog(lang: str) -> Catalog | None:
    """Return the catalog of `lang` (read once; not to be modified), None for a language without one (English)."""
    path = po_path(lang)
    return read_catalog(path) if path.is_file() else None


def compile_catalog(source: Catalog) -> gettext.GNUTranslations:
    """Return gettext translations compiled in memory from a Babel catalog (fuzzy entries left out, as msgfmt does)."""
    buffer = io.BytesIO()
    write_mo(buffer, source)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalog_ids(lang: str = "fr") -> frozenset[str]:
    """Return the English texts the catalog of `lang` translates (both forms of a counted text)."""
    return frozenset(english for english, _ in catalog_pairs(lang))


def catalog_pairs(lang: str = "fr") -> list[tuple[str, str]]:
    """Return (English text, its translation) for every text and every form of a counted text, in catalog order.

    A counted text pairs its English singular with the first translated form and its English plural with each other
    form (French has two forms, as English).
    """
    found = catalog(lang)
    pairs: list[tuple[str, str]] = []
    for message in found or ():
        if not message.id:
            continue  # the header
        if isinstance(message.id, str):
            pairs.append((message.id, str(message.string)))
            continue
        singular, plural = message.id[0], message.id[1]
        forms = [message.string] if isinstance(message.string, str) else list(message.string or ())
        pairs.append((singular, forms[0]))
        pairs += [(plural, form) for form in forms[1:]]
    return pairs
