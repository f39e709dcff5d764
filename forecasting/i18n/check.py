"""`python -m forecasting.i18n.check`: the French catalog and the code agree; exit status 1, listing what is wrong.

It fails when
- a text the code marks for translation (babel.cfg: tr, _, h, trn, …) is not in the catalog, or is there with the
  other number of forms (counted in the code, not in the catalog, or the reverse): it would be shown in English;
- a text of the catalog has an empty or fuzzy translation (gettext shows the English);
- a translation's {placeholders} differ from its English text's (its .format() would fail or drop a value), or
  use a name tr() takes itself ('text', 'lang');
- the catalog holds a text twice (gettext keeps one of them silently);
- the catalog holds a text that the code no longer has. Failing rather than warning keeps the catalog from filling
  up with dead texts that translators keep maintaining. Texts that come from data (a lever's name, a field's help, a
  fixed note) are not marked: they count as used when they appear in the code as a string literal, match an
  f-string (f"{kind} inserted"), or are a snake_case literal read with spaces ('bank_balances' shown as 'bank
  balances'). Today this finds no false dead text; one it would find is kept by writing the text as a literal.

The missing texts are printed as .po entries to paste into the catalog and translate.
"""

from __future__ import annotations

import argparse
import ast
import re
import string
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import check_and_call_extract_file, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import denormalize, normalize

from forecasting.i18n.catalog import po_path, read_catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("forecasting", "pages", "app.py")
MAPPING = Path(__file__).resolve().with_name("babel.cfg")
RESERVED_FIELDS = frozenset({"text", "lang"})  # the parameter names of tr() and _()
_MIN_FSTRING_LETTERS = 8  # an f-string with less literal text than this would match almost any text
_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
_MSGID = re.compile(r'^msgid ((?:".*"\n)+)', re.MULTILINE)

Key = str | tuple[str, str]  # a text, or a counted text's (singular, plural)


@dataclass
class Report:
    """What the check found; ok() when nothing."""

    missing: dict[Key, list[str]] = field(default_factory=dict)  # marked text -> where it is marked
    untranslated: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

    def ok(self) -> bool:
        """Return True when the catalog and the code agree."""
        return not (self.missing or self.untranslated or self.placeholders or self.duplicates or self.unused)


def _files(root: Path, sources: Sequence[str]) -> list[Path]:
    """Return the Python files of `sources` (folders and files under root), sorted."""
    found: list[Path] = []
    for source in sources:
        path = root / source
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return found


def marked_texts(root: Path = ROOT, sources: Sequence[str] = SOURCES) -> dict[Key, list[str]]:
    """Return every text marked for translation in `sources`, with the places ('pages/data.py:102') it is marked."""
    with MAPPING.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, str(MAPPING))  # type: ignore[no-untyped-call]
    found: dict[Key, list[str]] = defaultdict(list)

    def add(where: Path, lineno: int, message: str | tuple[str | None, ...]) -> None:
        """Record one extracted message (a counted one as its singular and plural)."""
        key: Key | None = message if isinstance(message, str) else _counted(message)
        if key:
            found[key].append(f"{where.relative_to(root).as_posix()}:{lineno}")

    for source in sources:
        path = root / source
        if path.is_dir():
            for filename, lineno, message, _, _ in extract_from_dir(path, method_map, options_map, keywords={}):
                add(path / filename, lineno, message)
        else:
            for filename, lineno, message, _, _ in check_and_call_extract_file(
                    path.name, method_map, options_map, None, {}, (), False, dirpath=path.parent):
                add(path.parent / filename, lineno, message)
    return dict(found)


def _counted(message: tuple[str | None, ...]) -> tuple[str, str] | None:
    """Return a counted message's (singular, plural), None when either is not a literal."""
    singular, plural = message[0], message[1] if len(message) > 1 else None
    return (singular, plural) if singular and plural else None


def _key(message_id: str | Iterable[str]) -> Key:
    """Return the key of a catalog message: its text, or a counted one's (singular, plural)."""
    if isinstance(message_id, str):
        return message_id
    singular, plural = tuple(message_id)[:2]
    return (singular, plural)


def _fields(text: str) -> set[str]:
    """Return the names of the {placeholders} of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def used_in_code(root: Path = ROOT, sources: Sequence[str] = SOURCES) -> tuple[set[str], list[re.Pattern[str]]]:
    """Return the string literals of the code (snake_case ones also with spaces) and its f-strings as patterns."""
    literals: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in _files(root, sources):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
                if _SNAKE_CASE.fullmatch(node.value):
                    literals.add(node.value.replace("_", " "))
            elif isinstance(node, ast.JoinedStr):
                parts = [p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else None
                         for p in node.values]
                if sum(c.isalpha() for p in parts if p for c in p) >= _MIN_FSTRING_LETTERS:
                    patterns.append(re.compile("".join(".+?" if p is None else re.escape(p) for p in parts)))
    return literals, patterns


def duplicated_ids(po_file: Path) -> list[str]:
    """Return the texts a .po file holds more than once (Babel's reader keeps the last one without a word)."""
    ids = Counter(denormalize(block) for block in _MSGID.findall(po_file.read_text(encoding="utf-8")))
    return sorted(text for text, count in ids.items() if count > 1 and text)


def check(po_file: Path | None = None, root: Path = ROOT, sources: Sequence[str] = SOURCES) -> Report:
    """Return what disagrees between the marked texts of `sources` and the catalog (the French one by default)."""
    po_file = po_file or po_path("fr")
    catalog = read_catalog(po_file)
    entries = {_key(m.id): m for m in catalog if m.id}
    marked = marked_texts(root, sources)
    report = Report(missing={key: where for key, where in marked.items() if key not in entries})
    for key, message in entries.items():
        forms = [message.string] if isinstance(message.string, str) else list(message.string or ())
        name = key if isinstance(key, str) else key[0]
        if message.fuzzy or not all(forms):
            report.untranslated.append(name)
        english = [key] if isinstance(key, str) else [key[0]] + [key[1]] * (len(forms) - 1)
        for source, form in zip(english, forms, strict=True):
            if form and (_fields(source) != _fields(form) or _fields(source) & RESERVED_FIELDS):
                report.placeholders.append(f"{source!r} -> {form!r}")
    report.duplicates = duplicated_ids(po_file)
    literals, patterns = used_in_code(root, sources)
    for key in entries:
        texts = [key] if isinstance(key, str) else list(key)
        if key not in marked and not any(t in literals or any(p.fullmatch(t) for p in patterns) for t in texts):
            report.unused.append(texts[0])
    return report


def po_entry(key: Key) -> str:
    """Return a catalog entry with an empty translation, ready to paste into the .po file and translate."""
    if isinstance(key, str):
        return f"msgid {normalize(key, width=110)}\nmsgstr \"\"\n"
    return (f"msgid {normalize(key[0], width=110)}\nmsgid_plural {normalize(key[1], width=110)}\n"
            'msgstr[0] ""\nmsgstr[1] ""\n')


def describe(report: Report, po_file: Path) -> str:
    """Return the report as text for a person: each problem, the places in the code, the entries to add."""
    lines: list[str] = []
    if report.missing:
        lines.append(f"{len(report.missing)} text(s) marked for translation but not in {po_file}:")
        for key, where in sorted(report.missing.items(), key=lambda item: item[1][0]):
            lines.append(f"  {key!r}  ({', '.join(where[:3])})")
        lines += ["", "Add them to the catalog and translate them:", ""]
        lines += [po_entry(key) for key in report.missing]
    sections = (("untranslated: empty or fuzzy translation", report.untranslated),
                ("placeholders that differ from the English text's, or named 'text' or 'lang'", report.placeholders),
                ("in the catalog twice", report.duplicates),
                ("in the catalog but nowhere in the code any more: remove them", report.unused))
    for title, texts in sections:
        if texts:
            lines.append(f"{len(texts)} {title}:")
            lines += [f"  {text!r}" if not text.startswith("'") else f"  {text}" for text in texts]
    return "\n".join(lines) if lines else f"{po_file}: every marked text is translated, and every text is used"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check on the French catalog (or --po FILE); return 1 when it found a problem."""
    parser = argparse.ArgumentParser(prog="python -m forecasting.i18n.check", description=__doc__.splitlines()[0])
    parser.add_argument("--po", type=Path, default=None, help="the catalog to check (default: the French one)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository holding forecasting/, pages/, app.py")
    args = parser.parse_args(argv)
    po_file = args.po or po_path("fr")
    report = check(po_file, args.root)
    print(describe(report, po_file), file=sys.stdout if report.ok() else sys.stderr)
    return 0 if report.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
