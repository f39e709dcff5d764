"""What the `cashpilot` sub-commands share: the language, dates and maps read from the command line, the loaded
ledger or scenario, output to the screen or a file, and numbers written for messages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.i18n.formats import fmt_number
from forecasting.i18n.translate import (
    default_language,
    localise,
    normalise_language,
    tr,
)
from forecasting.store.database import Store

if TYPE_CHECKING:  # imported when a scenario is loaded: `cashpilot status` need not load the scenario stage
    from forecasting.scenarios.compare import Scenario

IMPORT_KINDS = ("receivables", "payables", "payments", "bank-balances", "planned-flows", "counterparties",
                "fx-rates", "fec", "bank-statement")


def argv_language(argv: Sequence[str]) -> str:
    """Return the language named by --lang in the arguments, else by $CASHPILOT_LANG, else English."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise_language(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return default_language()


def date_parser(lang: str) -> Callable[[str], date]:
    """Return the argparse type reading an ISO date, its error message in `lang`."""
    def parse(text: str) -> date:
        """Return an ISO date given on the command line."""
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(tr("'{value}' is not a date: expected YYYY-MM-DD", lang,
                                                value=text)) from exc
    return parse


def parse_date(text: str) -> date:
    """Return an ISO date given on the command line (its error message in $CASHPILOT_LANG)."""
    return date_parser(default_language())(text)


def number_text(value: float, lang: str, decimals: int = 0) -> str:
    """Return a count or amount for a message: as Python writes it in English (unchanged), '1 234' in French."""
    if lang == "en":
        return f"{value:,.{decimals}f}" if isinstance(value, float) else str(value)
    return fmt_number(value, lang, decimals)


def parse_map(items: list[str] | None, lang: str = "en") -> dict[str, str]:
    """Return --map FIELD=COLUMN options as a dict."""
    mapping: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(tr("--map {item}: expected FIELD=COLUMN, e.g. --map due_date=\"Date d'échéance\"", lang,
                                item=item))
        name, column = item.split("=", 1)
        mapping[name.strip()] = column.strip()
    return mapping


def lang_of(args: argparse.Namespace) -> str:
    """Return the language of the messages of this run (set by main from --lang or $CASHPILOT_LANG)."""
    return getattr(args, "cli_lang", None) or default_language()


def emit(text: str, out: Path | None, lang: str | None = None) -> None:
    """Print text, or write it to a file."""
    if out is None:
        print(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        print(tr("written to {path}", lang or default_language(), path=out), file=sys.stderr)


def check_weeks(weeks: int, lang: str | None = None) -> None:
    """Refuse a horizon outside 1..52 weeks."""
    if not 1 <= weeks <= 52:
        raise InputError(tr("--weeks {weeks}: the horizon must be between 1 and 52 weeks", lang or default_language(),
                            weeks=weeks))


def loaded_ledger(store: Store, lang: str | None = None) -> Ledger:
    """Return the ledger, refusing clearly when nothing is loaded."""
    lang = lang or default_language()
    if not store.exists():
        raise InputError(tr("no database at {path}: import files first, or run `cashpilot demo`", lang,
                            path=store.path))
    ledger = store.read_ledger()
    if ledger.receivables.empty and ledger.payables.empty and ledger.bank_balances.empty:
        raise InputError(tr("{path} holds no receivables, payables nor bank balances: import files first", lang,
                            path=store.path))
    return ledger


def tr_known(text: str, lang: str) -> str:
    """Return a text built by the library (a note, a warning) in `lang` when a catalog has it, else as it is."""
    return localise(text, lang)


def load_scenario(store: Store, ref: str, lang: str | None = None) -> Scenario:
    """Return a scenario from a JSON file path or a saved name."""
    from forecasting.scenarios.compare import Scenario

    lang = lang or default_language()
    path = Path(ref)
    if path.suffix.lower() == ".json" or path.exists():
        if not path.exists():
            raise InputError(tr("scenario file not found: {path}", lang, path=path))
        return Scenario.from_json(path.read_text(encoding="utf-8"))
    text = store.scenario_json(ref) if store.exists() else None
    if text is None:
        names = store.scenarios()["name"].tolist() if store.exists() else []
        raise InputError(tr("no saved scenario named '{name}'", lang, name=ref)
                         + (tr("; saved: {names}", lang, names=", ".join(names)) if names else ""))
    return Scenario.from_json(text)
