"""One-off: write locale/fr/LC_MESSAGES/cashpilot.po from the French dicts fr_*.py (run once, then removed).

Each text keeps, as a translator comment, the catalog it came from and the section comment above it there.
"""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

HERE = Path(__file__).resolve().parent
AREAS = (("fr_pages.py", "page"), ("fr_exports.py", "export"), ("fr_cli.py", "cli"), ("fr_lead.py", ""))
# French has two forms, singular up to 1 (0 and 1 included): the gettext rule, not CLDR's three (its "many" is for
# "1 million de", which no text here needs)
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"
HEADER = """\
# French texts of cashpilot, keyed by their English source text.
# This file is distributed under the same license as the cashpilot project (MIT).
#"""
PO = HERE / "locale" / "fr" / "LC_MESSAGES" / "cashpilot.po"
SECTION = re.compile(r"^\s{4}# (.+)$")


def entries(path: Path) -> list[tuple[str, str, str]]:
    """Return (english, french, section comment) of one dict module, in file order."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                assert isinstance(key, ast.Constant) and isinstance(value, ast.Constant)
                section = ""
                for line in reversed(lines[:key.lineno - 1]):
                    if match := SECTION.match(line):
                        section = match.group(1)
                        break
                found.append((key.value, value.value, section))
    return found


def main() -> None:
    """Write the catalog."""
    when = datetime(2026, 12, 6, tzinfo=UTC)
    catalog = Catalog(locale="fr", domain="cashpilot", project="cashpilot", version="0.1.0",
                      copyright_holder="cashpilot contributors", creation_date=when, revision_date=when,
                      language_team="French", last_translator="cashpilot contributors", fuzzy=False, header_comment=HEADER)
    for file, area in AREAS:
        for english, french, section in entries(HERE / file):
            comment = ": ".join(part for part in (area, section) if part)
            if english in catalog:
                message = catalog[english]
                assert message.string == french, english
                if comment not in message.auto_comments:
                    message.auto_comments.append(comment)
                continue
            catalog.add(english, french, auto_comments=[comment])
    with PO.open("wb") as out:
        write_po(out, catalog, width=110, omit_header=False)
    text = PO.read_text(encoding="utf-8")
    text = re.sub(r'"Plural-Forms: [^"]*\\n"', f'"Plural-Forms: {PLURAL_FORMS}\\\\n"', text)
    text = re.sub(r'"Report-Msgid-Bugs-To: [^"]*\\n"\n', "", text)  # no address to give: issues go to the repository
    PO.write_text(text, encoding="utf-8")
    print(f"{len(catalog)} texts written to {PO.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
