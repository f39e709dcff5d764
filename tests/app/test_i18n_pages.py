"""AppTest: every page in French and in English, with no label left untranslated."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from forecasting.i18n import translate as i18n
from forecasting.i18n.catalog import catalog_ids, catalog_pairs
from forecasting.i18n.translate import Message as Note
from forecasting.i18n.translate import localise
from tests.fixtures.app import OUTLOOK_TABS, PAGES, open_tab, run_page

SKIPPED_PROTOS = {"plotly_chart", "bidi_component", "dataframe", "arrow_data_frame", "vega_lite_chart", "deck_gl_json_chart"}
SKIPPED_FIELDS = {"id", "form_id", "key", "icon", "spec", "config", "data", "format", "theme"}
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")


def _nodes(node: Any) -> Iterator[Any]:
    """Yield a node of the element tree and all its descendants."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _proto_texts(message: Message) -> Iterator[str]:
    """Yield every text a user can read in an element's proto (labels, help, bodies, options, placeholders)."""
    for descriptor, value in message.ListFields():
        if descriptor.name in SKIPPED_FIELDS:
            continue
        items = value if not isinstance(value, (str, bytes, Message)) and hasattr(value, "__len__") else [value]
        for item in items:
            if isinstance(item, str):
                yield item
            elif isinstance(item, Message):
                yield from _proto_texts(item)


def _table_headers(proto: Any, frame: Any) -> list[str]:
    """Return the column headers a table shows: each column's label, else its name."""
    config = json.loads(proto.columns) if proto.columns else {}
    shown = list(proto.column_order) or [str(c) for c in frame.columns]
    headers = []
    for name in shown:
        label = (config.get(name) or config.get(f"name:{name}") or {}).get("label")
        hidden = (config.get(name) or config.get(f"name:{name}") or {}).get("hidden")
        if not hidden:
            headers.append(label or name)
    return headers


def visible_texts(at: AppTest) -> tuple[list[str], list[str]]:
    """Return (texts, table headers) shown on the page and in the sidebar, charts aside."""
    texts: list[str] = []
    headers: list[str] = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or not isinstance(proto, Message):
            continue
        if kind == "dataframe":
            headers += _table_headers(proto, node.value)
            continue
        if kind in SKIPPED_PROTOS:
            continue
        texts += [t for t in _proto_texts(proto) if t.strip()]
    return texts, headers


def _variants(text: str) -> set[str]:
    """Return the text as shown and without markdown emphasis or surrounding spaces."""
    plain = text.strip()
    return {text, plain, plain.strip("*_ ").strip(), plain.replace("**", "")}


def _key_pattern(key: str) -> re.Pattern[str] | None:
    """Return a regex matching `key` with its placeholders filled, None when too little of it is literal."""
    parts = list(string.Formatter().parse(key))
    literal = "".join(p[0] for p in parts)
    if sum(c.isalpha() for c in literal) < 8:
        return None
    return re.compile("".join(re.escape(text) + (".+?" if field is not None else "") for text, field, _, _ in parts))


def untranslated(texts: list[str]) -> list[str]:
    """Return the texts that are an English catalog key whose French differs (written without _())."""
    english = {k for k, v in catalog_pairs() if k.strip() != v.strip()}
    patterns = [p for k in english if "{" in k and (p := _key_pattern(k)) is not None]
    found = []
    for text in texts:
        variants = _variants(text)
        if variants & english or any(p.fullmatch(v) for p in patterns for v in variants):
            found.append(text)
    return found


def page_texts(at: AppTest, page: str, language: str) -> tuple[list[str], list[str]]:
    """Return visible_texts of the page as run, and of each of its tabs drawn on demand (the Cash outlook's)."""
    texts, headers = visible_texts(at)
    for tab in OUTLOOK_TABS[1:] if page == "pages/outlook.py" else ():
        assert not open_tab(at, tab, language).exception, (tab, at.exception)
        more, more_headers = visible_texts(at)
        texts, headers = texts + more, headers + more_headers
    return texts, headers


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_french_has_no_untranslated_label(page: str, demo_db: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.reset_missing()
    at = run_page(demo_db, "fr", page, monkeypatch)
    assert not at.exception, at.exception
    texts, headers = page_texts(at, page, "fr")
    assert i18n.missing_translations() == set(), f"{page}: not in the French catalog"
    assert texts, "nothing read from the page"
    assert untranslated(texts + headers) == [], f"{page}: shown in English"
    assert [h for h in headers if SNAKE_CASE.fullmatch(h)] == [], f"{page}: raw column names shown"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_english_shows_english(page: str, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(demo_db, "en", page, monkeypatch)
    assert not at.exception, at.exception
    texts, headers = page_texts(at, page, "en")
    english = catalog_ids()
    french = {v for k, v in catalog_pairs() if v.strip() != k.strip() and v not in english}
    assert [t for t in texts + headers if _variants(t) & french] == [], f"{page}: shown in French"


@pytest.mark.parametrize(("language", "title", "money_label", "money", "date_label", "day", "date_format"), [
    ("fr", "Prévision de trésorerie", "Trésorerie d'ouverture", r"−?\d{1,3}(\u00a0\d{3})*\u00a0€",
     "Point bas", r"espérance, le \d\d/\d\d/\d{4}", "DD/MM/YYYY"),
    ("en", "Cash outlook", "Opening cash", r"−?€\d{1,3}(,\d{3})*", "Lowest point",
     r"expected, on \d{4}-\d\d-\d\d", "YYYY-MM-DD"),
])
def test_the_outlook_writes_money_and_dates_the_languages_way(
        language: str, title: str, money_label: str, money: str, date_label: str, day: str, date_format: str,
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(demo_db, language, PAGES[0], monkeypatch)
    assert at.title[0].value == title
    metrics = {m.label: m for m in at.metric}
    assert re.fullmatch(money, metrics[money_label].value)
    assert re.fullmatch(day, metrics[date_label].delta)  # the statistic and the date, under the amount
    assert at.date_input(key="as_of").proto.format == date_format


@pytest.mark.parametrize(("language", "label", "term"), [("fr", "Glossaire", "Affacturage"),
                                                         ("en", "Glossary", "Factoring")])
def test_the_glossary_is_in_the_sidebar_in_the_chosen_language(
        language: str, label: str, term: str, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(demo_db, language, PAGES[0], monkeypatch)
    glossary = next(e for e in at.sidebar.expander if e.label == label)
    assert len(glossary.markdown) == 1  # one text, not an element a term (each costs the browser time)
    assert re.search(rf"(^|\n\n)\*\*{term}\*\*: ", glossary.markdown[0].value)  # a term a paragraph


def test_the_factoring_note_of_the_what_if_is_written_in_french() -> None:
    from forecasting.scenarios.financing import RECOURSE_AFTER_DUE_DAYS

    # the placeholders of every French text, and every Message template being in the catalog, are checked by
    # python -m forecasting.i18n.check (tests/i18n/test_check.py)
    note = Note("factoring with recourse: a never-paid assigned invoice has its advance charged back {days} days "
                "after its due date", days=RECOURSE_AFTER_DUE_DAYS)
    assert localise(note, "fr") == ("affacturage avec recours : l'avance sur une facture cédée jamais payée est reprise "
                                    f"{RECOURSE_AFTER_DUE_DAYS} jours après son échéance")


def test_the_what_if_results_in_french_have_no_untranslated_label(demo_db: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.reset_missing()
    at = run_page(demo_db, "fr", "pages/whatif.py", monkeypatch)
    at.number_input(key="wi_ce_delay").set_value(-10)
    at.checkbox(key="wi_fac_on").check()
    at.button[0].click().run()  # Simulate
    assert not at.exception, at.exception
    assert any(m.label == "Trésorerie nette à l'horizon" for m in at.metric)
    assert i18n.missing_translations() == set()
    texts, headers = visible_texts(at)
    assert untranslated(texts + headers) == []
    assert [h for h in headers if SNAKE_CASE.fullmatch(h)] == []
