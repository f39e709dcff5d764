"""The `cashpilot` command: load the demo, import files, show what is loaded, forecast, backtest.

Help texts and messages are written in English and translated with tr() into the language of `--lang`
(default $CASHPILOT_LANG); JSON keys, CSV columns and the `key value` lines of kpis and backtest stay as they are,
for scripts. Data-validation messages built by forecasting/ingest stay in English.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from forecasting.core.errors import CashpilotError, InputError
from forecasting.i18n.translate import (
    LANGUAGES,
    default_language,
    fmt_date,
    fmt_number,
    normalise_language,
    tr,
)
from forecasting.store.database import DEFAULT_DB_PATH, Store

IMPORT_KINDS = ("receivables", "payables", "payments", "bank-balances", "planned-flows", "counterparties",
                "fx-rates", "fec")


def default_db_path() -> Path:
    """Return the database path: $CASHPILOT_DB, else data/cashpilot.duckdb."""
    return Path(os.environ.get("CASHPILOT_DB") or DEFAULT_DB_PATH)


def argv_language(argv: Sequence[str]) -> str:
    """Return the language named by --lang in the arguments, else by $CASHPILOT_LANG, else English."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise_language(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return default_language()


def _date_parser(lang: str) -> Callable[[str], date]:
    """Return the argparse type reading an ISO date, its error message in `lang`."""
    def parse(text: str) -> date:
        """Return an ISO date given on the command line."""
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(tr("'{value}' is not a date: expected YYYY-MM-DD", lang,
                                                value=text)) from exc
    return parse


def _parse_date(text: str) -> date:
    """Return an ISO date given on the command line (its error message in $CASHPILOT_LANG)."""
    return _date_parser(default_language())(text)


def _n(value: float, lang: str, decimals: int = 0) -> str:
    """Return a count or amount for a message: as Python writes it in English (unchanged), '1 234' in French."""
    if lang == "en":
        return f"{value:,.{decimals}f}" if isinstance(value, float) else str(value)
    return fmt_number(value, lang, decimals)


def _parse_map(items: list[str] | None, lang: str = "en") -> dict[str, str]:
    """Return --map FIELD=COLUMN options as a dict."""
    mapping: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(tr("--map {item}: expected FIELD=COLUMN, e.g. --map due_date=\"Date d'échéance\"", lang,
                                item=item))
        name, column = item.split("=", 1)
        mapping[name.strip()] = column.strip()
    return mapping


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of every sub-command, its help in `lang` (default $CASHPILOT_LANG)."""
    lang = lang or default_language()

    def h(text: str) -> str:
        """Return a help text in the chosen language."""
        return tr(text, lang)

    parse_date = _date_parser(lang)
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

    imp = sub.add_parser("import", help=h("import a file (CSV, xlsx, Parquet, FEC)"))
    imp.add_argument("kind", choices=IMPORT_KINDS, help=h("what the file holds"))
    imp.add_argument("file", type=Path, help=h("the file to import"))
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
    bt.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    bt.add_argument("--out", type=Path, help=h("write to this file instead of the screen"))

    from forecasting.cli.export import add_export_parser

    add_export_parser(sub)
    return parser


def _lang(args: argparse.Namespace) -> str:
    """Return the language of the messages of this run (set by main from --lang or $CASHPILOT_LANG)."""
    return getattr(args, "cli_lang", None) or default_language()


def _emit(text: str, out: Path | None, lang: str | None = None) -> None:
    """Print text, or write it to a file."""
    if out is None:
        print(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        print(tr("written to {path}", lang or default_language(), path=out), file=sys.stderr)


def _check_weeks(weeks: int, lang: str | None = None) -> None:
    """Refuse a horizon outside 1..52 weeks."""
    if not 1 <= weeks <= 52:
        raise InputError(tr("--weeks {weeks}: the horizon must be between 1 and 52 weeks", lang or default_language(),
                            weeks=weeks))


def _loaded_ledger(store: Store, lang: str | None = None):  # noqa: ANN202
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


def cmd_forecast(store: Store, args: argparse.Namespace) -> int:
    """Print the weekly outlook."""
    from forecasting.projection.cache import cached_prepare, folder_for
    from forecasting.projection.forecast import aggregate
    from forecasting.reports.payload import forecast_payload, weekly_table

    lang = _lang(args)
    _check_weeks(args.weeks, lang)
    as_of = args.as_of or date.today()
    scenario = _load_scenario(store, args.scenario, lang) if args.scenario else None
    ledger = _loaded_ledger(store, lang)
    cash = cached_prepare(ledger, as_of, args.weeks, folder_for(store.path))  # the last fit, when it still holds
    if scenario is None:
        projection = aggregate(cash)
        payload = forecast_payload(projection.weekly, projection.summary)
    else:
        from forecasting.reports.payload import scenario_payload
        from forecasting.scenarios.compare import compare, context_from_ledger

        result = compare(cash, scenario, context_from_ledger(ledger, as_of))
        projection = result.scenario
        payload = scenario_payload(result)
    if args.format == "json":
        _emit(json.dumps(payload, indent=2, ensure_ascii=False), args.out, lang)
    elif args.format == "csv":
        _emit(weekly_table(projection.weekly).to_csv(index=False).rstrip(), args.out, lang)
    else:
        _emit("\n".join(_forecast_lines(weekly_table(projection.weekly), payload, lang)), args.out, lang)
    return 0


WEEK_HEADERS = {"week_start": "Week of", "receipts": "Receipts", "disbursements": "Disbursements", "net": "Net flow",
                "closing_p10": "Closing P10", "closing_p50": "Closing P50", "closing_p90": "Closing P90"}


def _forecast_lines(table: Any, payload: dict[str, Any], lang: str) -> list[str]:
    """Return the table format of a forecast: the weeks, then the summary (and the scenario's deltas)."""
    s = payload["summary"]

    def day(value: str | None) -> str:
        """Return an ISO date of the payload in the language, or 'none'."""
        return (value if lang == "en" else fmt_date(value, lang)) if value else tr("none", lang)

    def signed(value: float) -> str:
        """Return a difference with its sign."""
        return f"{value:+,.0f}" if lang == "en" else ("+" if value > 0 else "") + fmt_number(value, lang)

    if lang != "en":  # English keeps the machine column names and Python's numbers, as before
        table = table.assign(week_start=[fmt_date(d, lang) for d in table["week_start"]])
        for column in list(WEEK_HEADERS)[1:]:
            table[column] = [fmt_number(v, lang) for v in table[column]]
        table = table.rename(columns={c: tr(label, lang) for c, label in WEEK_HEADERS.items()})
    lines = [table.to_string(index=False), "",
             tr("opening balance {amount} ({day})", lang, amount=_n(float(s["opening_balance"]), lang),
                day=day(s["opening_balance_date"])),
             tr("lowest point    {amount} on {day}", lang, amount=_n(float(s["min_cash"]), lang),
                day=day(s["min_cash_date"])),
             tr("first shortfall {shortfall}; overdraft breach {breach}", lang, shortfall=day(s["first_shortfall_date"]),
                breach=day(s["first_overdraft_breach_date"])),
             tr("expected bad debt {amount}", lang, amount=_n(float(s["expected_bad_debt"]), lang)),
             *[tr("note: {note}", lang, note=tr_known(n, lang)) for n in s["notes"]]]
    if "delta" in payload:
        d = payload["delta"]
        lines += ["", tr("scenario '{name}' against the baseline:", lang, name=payload["scenario"]),
                  tr("  net cash at horizon {amount}", lang, amount=signed(d["net_cash_at_horizon"])),
                  tr("  BFR at horizon      {amount}", lang, amount=signed(d["bfr_at_horizon"])),
                  tr("  lowest point        {amount}", lang, amount=signed(d["min_cash"])),
                  tr("  financial effect    {amount}", lang, amount=signed(d["financial_effect"]["net"])),
                  *[tr("  warning: {warning}", lang, warning=tr_known(w, lang)) for w in payload["warnings"]]]
    return lines


def tr_known(text: str, lang: str) -> str:
    """Return a text built by the library (a note, a warning) in `lang` when a catalog has it, else as it is."""
    from forecasting.i18n.translate import FR

    return FR.get(text, text) if lang == "fr" else text


def _load_scenario(store: Store, ref: str, lang: str | None = None):  # noqa: ANN202
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


def cmd_kpis(store: Store, args: argparse.Namespace) -> int:
    """Print the KPIs."""
    from forecasting.kpis.summary import KpiSettings, kpi_summary

    # kpi_summary is JSON-ready already; report.plain would round rates such as 0.0002 to 2 decimals.
    lang = _lang(args)
    summary = kpi_summary(_loaded_ledger(store, lang), args.as_of or date.today(), KpiSettings())
    if args.format == "json":
        _emit(json.dumps(summary, indent=2, ensure_ascii=False), args.out, lang)
    else:  # `key value` lines: the keys are the JSON's, for scripts
        _emit("\n".join(_flatten_lines(summary)), args.out, lang)
    return 0


def _flatten_lines(value: Any, prefix: str = "") -> list[str]:
    """Return nested dict values as aligned `key  value` lines."""
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _flatten_lines(v, f"{prefix}{k}.")]
    return [f"{prefix.rstrip('.'):<44} {value}"]


def cmd_scenario(store: Store, args: argparse.Namespace) -> int:
    """Save, list, show or delete scenarios."""
    from forecasting.scenarios.compare import Scenario

    lang = _lang(args)
    if args.action == "save":
        if not args.file.exists():
            raise InputError(tr("scenario file not found: {path}", lang, path=args.file))
        scenario = Scenario.from_json(args.file.read_text(encoding="utf-8"))
        replaced = store.save_scenario(scenario.name, json.dumps(scenario.to_dict(), ensure_ascii=False))
        message = ("scenario '{name}' replaced ({n} levers)" if replaced else "scenario '{name}' saved ({n} levers)")
        print(tr(message, lang, name=scenario.name, n=len(scenario.levers)))
    elif args.action == "list":
        saved = store.scenarios()
        if saved.empty:
            print(tr("no saved scenario", lang))
        for row in saved.itertuples(index=False):
            levers = json.loads(row.levers).get("levers", [])
            print(f"{row.name:<40} " + tr("{n} lever(s): {types}", lang, n=len(levers),
                                          types=", ".join(lv.get("type", "?") for lv in levers)))
    elif args.action == "show":
        text = store.scenario_json(args.name)
        if text is None:
            raise InputError(tr("no saved scenario named '{name}'", lang, name=args.name))
        print(json.dumps(json.loads(text), indent=2, ensure_ascii=False))
    elif not store.delete_scenario(args.name):
        raise InputError(tr("no saved scenario named '{name}'", lang, name=args.name))
    else:
        print(tr("scenario '{name}' deleted", lang, name=args.name))
    return 0


def cmd_backtest(store: Store, args: argparse.Namespace) -> int:
    """Print the backtest metrics."""
    from forecasting.projection.backtest import backtest
    from forecasting.reports.payload import plain

    lang = _lang(args)
    _check_weeks(args.weeks, lang)
    result = backtest(_loaded_ledger(store, lang), args.as_of, args.weeks)
    metrics = plain(result.metrics)
    if args.format == "json":
        _emit(json.dumps(metrics, indent=2, ensure_ascii=False), args.out, lang)
    else:  # `key value` lines: the keys are the JSON's, for scripts
        _emit("\n".join(f"{k:<34} {v}" for k, v in metrics.items()), args.out, lang)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the process exit code (0 ok, 2 user error, 1 internal error)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = argv_language(arguments)
    parser = build_parser(lang)
    args = parser.parse_args(arguments)
    args.cli_lang = lang
    if getattr(args, "lang", "") is None:  # `cashpilot --lang fr export ...`: the export follows the global option
        args.lang = lang
    store = Store(args.db or default_db_path())
    try:
        return int(COMMANDS[args.command](store, args) or 0)
    except CashpilotError as exc:
        print(f"cashpilot: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("cashpilot: " + tr("interrupted; nothing was changed by the unfinished command", lang), file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: say so plainly, traceback only on request
        print("cashpilot: " + tr("internal error: {error}. Please report it (set CASHPILOT_DEBUG=1 for details).",
                                 lang, error=repr(exc)), file=sys.stderr)
        if os.environ.get("CASHPILOT_DEBUG"):
            traceback.print_exc()
        return 1


def cmd_demo(store: Store, args: argparse.Namespace) -> int:
    """Load the demo company."""
    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo

    lang = _lang(args)
    if args.if_empty and store.exists() and sum(store.status()["counts"].values()) > 0:
        print(tr("{path} already holds data; demo not loaded", lang, path=store.path))
        return 0
    data = demo.generate(seed=args.seed, scale=args.scale, today=args.today)
    store.replace_all(Ledger.from_object(data))
    counts = store.status()["counts"]
    print(tr("demo company loaded into {path}: {counts}", lang, path=store.path,
             counts=", ".join(f"{_n(v, lang)} {k}" for k, v in counts.items())))
    return 0


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    """Import one file."""
    from forecasting.ingest.options import ImportOptions
    from forecasting.ingest.pipeline import import_file

    lang = _lang(args)
    if args.skip_invalid and not args.rejects:
        raise InputError(tr("--skip-invalid needs --rejects FILE, so that no rejected row is lost", lang))
    mapping: dict[str, str] = {}
    if args.profile:
        found = store.mapping_profile(args.profile)
        if found is None:
            raise InputError(tr("no mapping profile named '{name}'", lang, name=args.profile))
        mapping.update(found[1])
    mapping.update(_parse_map(args.map, lang))
    options = ImportOptions(
        kind=args.kind, mapping=mapping, date_format=args.date_format, sheet=args.sheet,
        skip_invalid=args.skip_invalid, rejects_path=str(args.rejects) if args.rejects else None,
        source=args.source, default_terms=args.terms,
    )
    report = import_file(store, args.file, options)
    print(_import_summary(report, lang))
    if report.rejected:
        print(tr("{n} rejected rows written to {path}", lang, n=_n(report.rejected, lang), path=args.rejects))
    if args.save_profile:
        store.save_mapping_profile(args.save_profile, args.kind, mapping)
        print(tr("mapping saved as profile '{name}'", lang, name=args.save_profile))
    return 0


def _import_summary(report: Any, lang: str) -> str:
    """Return an import's counts as one line in `lang` (the English line is report.summary())."""
    if lang == "en":
        return str(report.summary())
    line = tr("{file}: {read} rows read, {inserted} inserted, {updated} updated, {unchanged} unchanged, "
              "{rejected} rejected", lang, file=report.file_name, read=_n(report.rows_read, lang),
              inserted=_n(report.inserted, lang), updated=_n(report.updated, lang),
              unchanged=_n(report.unchanged, lang), rejected=_n(report.rejected, lang))
    return "; ".join([line, *(f"{_n(v, lang)} {tr_known(k, lang)}" for k, v in report.extra.items() if v)])


def cmd_status(store: Store, args: argparse.Namespace) -> int:
    """Print what is loaded."""
    lang = _lang(args)
    status = store.status()
    if args.format == "json":
        print(json.dumps(status, indent=2, default=str))
        return 0

    def day(value: str | None) -> str:
        """Return an ISO date (or date-time) of the status in the language."""
        return str(value) if lang == "en" or not value else fmt_date(value, lang) + str(value)[10:].replace("T", " ")

    print(tr("database: {path} (schema {schema}, data version {version})", lang, path=status["database"],
             schema=status["schema_version"], version=status["data_version"]))
    for table, count in status["counts"].items():
        rng = status["date_ranges"].get(table)
        span = f"  {day(rng['from'])} → {day(rng['to'])}" if rng and rng["from"] else ""
        opened = status["open_invoices"].get(table)
        extra = tr("  ({n} open)", lang, n=_n(opened, lang)) if opened is not None else ""
        print(f"  {table:<15} {_n(count, lang):>10}{extra}{span}")
    if status["last_imports"]:
        print(tr("last imports:", lang))
        for row in status["last_imports"]:
            print(f"  {day(row['imported_at'])}  {row['kind']:<14} " + tr(
                "{file}: {read} read, {inserted} inserted, {updated} updated, {rejected} rejected", lang,
                file=row["file_name"], read=_n(row["rows_read"], lang), inserted=_n(row["rows_inserted"], lang),
                updated=_n(row["rows_updated"], lang), rejected=_n(row["rows_rejected"], lang)))
    return 0


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    """Write a board pack, a workbook or a chart image (forecasting/cli_export.py)."""
    from forecasting.cli.export import cmd_export as export

    return export(store, args)


COMMANDS: dict[str, Any] = {
    "demo": cmd_demo, "import": cmd_import, "status": cmd_status, "forecast": cmd_forecast, "backtest": cmd_backtest,
    "kpis": cmd_kpis, "scenario": cmd_scenario, "export": cmd_export,
}

if __name__ == "__main__":
    sys.exit(main())
