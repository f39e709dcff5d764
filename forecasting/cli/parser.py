"""The `cashpilot` argument parser: every sub-command and option, their help in the chosen language."""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.cli.args import IMPORT_KINDS, date_parser
from forecasting.cli.export import add_export_parser
from forecasting.cli.reconcile import add_reconcile_parser
from forecasting.cli.snapshot import add_snapshot_parser
from forecasting.i18n.translate import (
    LANGUAGES,
    default_language,
    tr,
)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of every sub-command, its help in `lang` (default $CASHPILOT_LANG)."""
    lang = lang or default_language()

    def h(text: str) -> str:
        """Return a help text in the chosen language."""
        return tr(text, lang)

    parse_date = date_parser(lang)
    parser = argparse.ArgumentParser(prog="cashpilot", description=h("Treasury forecasting: imports, status, forecasts."))
    parser.add_argument("--db", type=Path, default=None,
                        help=h("database file (default $CASHPILOT_DB or data/cashpilot.duckdb)"))
    parser.add_argument("--lang", dest="cli_lang", choices=LANGUAGES, default=None,
                        help=h("language of the messages: en or fr (default $CASHPILOT_LANG, else en)"))
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help=h("replace the data with the seeded demo company"))
    demo.add_argument("--seed", type=int, default=42, help=h("random seed (default 42)"))
    demo.add_argument("--scale", type=float, default=1.0, help=h("1 = ~300 clients and 12 M€ sales a year"))
    demo.add_argument("--today", type=parse_date, default=None, help=h("last day of the demo history (default today)"))
    demo.add_argument("--if-empty", action="store_true", help=h("only when the database holds no data yet"))

    imp = sub.add_parser("import", help=h("import a file (CSV, xlsx, Parquet, FEC, bank statements)"))
    imp.add_argument("kind", choices=IMPORT_KINDS, help=h("what the file holds"))
    imp.add_argument("file", type=Path, nargs="+",
                     help=h("the file to import (bank-statement: one or more, imported together or not at all)"))
    imp.add_argument("--map", action="append", metavar="FIELD=COLUMN", help=h("say which column holds a field"))
    imp.add_argument("--profile", help=h("use a saved mapping profile"))
    imp.add_argument("--save-profile", metavar="NAME", help=h("save this import's mapping under NAME"))
    imp.add_argument("--date-format", help=h("strptime format of the dates, e.g. %%m/%%d/%%Y"))
    imp.add_argument("--sheet", help=h("sheet of an xlsx workbook (default: the first)"))
    imp.add_argument("--source", default="default",
                     help=h("ledger the file comes from; invoice ids are unique per source"))
    imp.add_argument("--terms", help=h("payment terms for rows without due date nor terms (FEC default: net 30)"))
    imp.add_argument("--skip-invalid", action="store_true",
                     help=h("import the valid rows, write the others to --rejects"))
    imp.add_argument("--rejects", type=Path, help=h("CSV file receiving the rejected rows and their reasons"))
    imp.add_argument("--create-accounts", action="store_true",
                     help=h("bank-statement: create the accounts the database does not know, under their IBAN"))

    status = sub.add_parser("status", help=h("what is loaded: counts, date ranges, last imports"))
    status.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    fc = sub.add_parser("forecast", help=h("the weekly cash outlook with its likely range"))
    fc.add_argument("--as-of", type=parse_date, default=None, help=h("forecast date (default today)"))
    fc.add_argument("--weeks", type=int, default=13, help=h("horizon in weeks, 1 to 52 (default 13)"))
    fc.add_argument("--format", choices=("table", "csv", "json"), default="table", help=h("output format"))
    fc.add_argument("--out", type=Path, help=h("write to this file instead of the screen"))
    fc.add_argument("--scenario", help=h("a saved scenario's name or a scenario JSON file: adds a `delta` block"))

    kp = sub.add_parser("kpis", help=h("working-capital and receivables KPIs (DSO, BFR, aging, penalties…)"))
    kp.add_argument("--as-of", type=parse_date, default=None, help=h("date of the KPIs (default today)"))
    kp.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    kp.add_argument("--out", type=Path, help=h("write to this file instead of the screen"))

    sc = sub.add_parser("scenario", help=h("save, list, show or delete what-if scenarios"))
    sc_sub = sc.add_subparsers(dest="action", required=True)
    sc_save = sc_sub.add_parser("save", help=h("check and save a scenario JSON file (replaces one of the same name)"))
    sc_save.add_argument("file", type=Path, help=h("the scenario JSON file"))
    sc_sub.add_parser("list", help=h("the saved scenarios"))
    sc_show = sc_sub.add_parser("show", help=h("a saved scenario as JSON"))
    sc_show.add_argument("name", help=h("the scenario's name"))
    sc_del = sc_sub.add_parser("delete", help=h("delete a saved scenario"))
    sc_del.add_argument("name", help=h("the scenario's name"))

    bt = sub.add_parser("backtest", help=h("forecast as of a past date and compare with what happened"))
    bt.add_argument("--as-of", type=parse_date, required=True, help=h("the past date the forecast is made at"))
    bt.add_argument("--weeks", type=int, default=13, help=h("horizon in weeks, 1 to 52 (default 13)"))
    bt.add_argument("--side", choices=("receivables", "payables", "both"), default="both",
                    help=h("client receipts, supplier payments or both (default both)"))
    bt.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    bt.add_argument("--out", type=Path, help=h("write to this file instead of the screen"))

    ev = sub.add_parser("evaluate", help=h("how far to trust the forecast: replays at past dates against baselines"))
    ev.add_argument("--as-of", type=parse_date, default=None,
                    help=h("the date whose settings are explained; the dates replayed count back from it, or from "
                           "the data's last day when earlier (default today)"))
    ev.add_argument("--weeks", type=int, default=13, help=h("horizon in weeks, 1 to 52 (default 13)"))
    ev.add_argument("--dates", type=int, default=4, help=h("past dates replayed, a quarter apart, 1 to 12 (default 4)"))
    ev.add_argument("--side", choices=("receivables", "payables", "both"), default="both",
                    help=h("client receipts, supplier payments or both (default both)"))
    ev.add_argument("--format", choices=("text", "json"), default="text", help=h("output format"))
    ev.add_argument("--out", type=Path, help=h("write to this file instead of the screen"))

    add_reconcile_parser(sub, h)
    add_export_parser(sub)
    add_snapshot_parser(sub, h, parse_date)
    return parser
