"""The `cashpilot` command: load the demo, import files, show what is loaded, forecast, backtest."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from forecasting.errors import CashpilotError, InputError
from forecasting.store import DEFAULT_DB_PATH, Store

IMPORT_KINDS = ("receivables", "payables", "payments", "bank-balances", "planned-flows", "counterparties",
                "fx-rates", "fec")


def default_db_path() -> Path:
    """Return the database path: $CASHPILOT_DB, else data/cashpilot.duckdb."""
    return Path(os.environ.get("CASHPILOT_DB") or DEFAULT_DB_PATH)


def _parse_date(text: str) -> date:
    """Return an ISO date given on the command line."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: expected YYYY-MM-DD") from exc


def _parse_map(items: list[str] | None) -> dict[str, str]:
    """Return --map FIELD=COLUMN options as a dict."""
    mapping: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"--map {item}: expected FIELD=COLUMN, e.g. --map due_date=\"Date d'échéance\"")
        name, column = item.split("=", 1)
        mapping[name.strip()] = column.strip()
    return mapping


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="cashpilot", description="Treasury forecasting: imports, status, forecasts.")
    parser.add_argument("--db", type=Path, default=None, help="database file (default $CASHPILOT_DB or data/cashpilot.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="replace the data with the seeded demo company")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--scale", type=float, default=1.0, help="1 = ~300 clients and 12 M€ sales a year")
    demo.add_argument("--today", type=_parse_date, default=None, help="last day of the demo history (default today)")
    demo.add_argument("--if-empty", action="store_true", help="only when the database holds no data yet")

    imp = sub.add_parser("import", help="import a file (CSV, xlsx, Parquet, FEC)")
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file", type=Path)
    imp.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="say which column holds a field")
    imp.add_argument("--profile", help="use a saved mapping profile")
    imp.add_argument("--save-profile", metavar="NAME", help="save this import's mapping under NAME")
    imp.add_argument("--date-format", help="strptime format of the dates, e.g. %%m/%%d/%%Y")
    imp.add_argument("--sheet", help="sheet of an xlsx workbook (default: the first)")
    imp.add_argument("--source", default="default", help="ledger the file comes from; invoice ids are unique per source")
    imp.add_argument("--terms", help="payment terms for rows without due date nor terms (FEC default: net 30)")
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid rows, write the others to --rejects")
    imp.add_argument("--rejects", type=Path, help="CSV file receiving the rejected rows and their reasons")

    status = sub.add_parser("status", help="what is loaded: counts, date ranges, last imports")
    status.add_argument("--format", choices=("table", "json"), default="table")
    fc = sub.add_parser("forecast", help="the weekly cash outlook with its likely range")
    fc.add_argument("--as-of", type=_parse_date, default=None, help="forecast date (default today)")
    fc.add_argument("--weeks", type=int, default=13, help="horizon in weeks, 1 to 52 (default 13)")
    fc.add_argument("--format", choices=("table", "csv", "json"), default="table")
    fc.add_argument("--out", type=Path, help="write to this file instead of the screen")
    fc.add_argument("--scenario", help="a saved scenario's name or a scenario JSON file: adds a `delta` block")

    kp = sub.add_parser("kpis", help="working-capital and receivables KPIs (DSO, BFR, aging, penalties…)")
    kp.add_argument("--as-of", type=_parse_date, default=None)
    kp.add_argument("--format", choices=("table", "json"), default="table")
    kp.add_argument("--out", type=Path)

    sc = sub.add_parser("scenario", help="save, list, show or delete what-if scenarios")
    sc_sub = sc.add_subparsers(dest="action", required=True)
    sc_save = sc_sub.add_parser("save", help="check and save a scenario JSON file (replaces one of the same name)")
    sc_save.add_argument("file", type=Path)
    sc_sub.add_parser("list", help="the saved scenarios")
    sc_show = sc_sub.add_parser("show", help="a saved scenario as JSON")
    sc_show.add_argument("name")
    sc_del = sc_sub.add_parser("delete", help="delete a saved scenario")
    sc_del.add_argument("name")

    bt = sub.add_parser("backtest", help="forecast as of a past date and compare with what happened")
    bt.add_argument("--as-of", type=_parse_date, required=True)
    bt.add_argument("--weeks", type=int, default=13)
    bt.add_argument("--format", choices=("table", "json"), default="table")
    bt.add_argument("--out", type=Path)

    from forecasting.cli_export import add_export_parser

    add_export_parser(sub)
    return parser


def _emit(text: str, out: Path | None) -> None:
    """Print text, or write it to a file."""
    if out is None:
        print(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)


def _check_weeks(weeks: int) -> None:
    """Refuse a horizon outside 1..52 weeks."""
    if not 1 <= weeks <= 52:
        raise InputError(f"--weeks {weeks}: the horizon must be between 1 and 52 weeks")


def _loaded_ledger(store: Store):  # noqa: ANN202
    """Return the ledger, refusing clearly when nothing is loaded."""
    if not store.exists():
        raise InputError(f"no database at {store.path}: import files first, or run `cashpilot demo`")
    ledger = store.read_ledger()
    if ledger.receivables.empty and ledger.payables.empty and ledger.bank_balances.empty:
        raise InputError(f"{store.path} holds no receivables, payables nor bank balances: import files first")
    return ledger


def cmd_forecast(store: Store, args: argparse.Namespace) -> int:
    """Print the weekly outlook."""
    from forecasting.projection import project
    from forecasting.report import forecast_payload, weekly_table

    _check_weeks(args.weeks)
    as_of = args.as_of or date.today()
    scenario = _load_scenario(store, args.scenario) if args.scenario else None
    ledger = _loaded_ledger(store)
    if scenario is None:
        projection = project(ledger, as_of, args.weeks)
        payload = forecast_payload(projection.weekly, projection.summary)
    else:
        from forecasting.projection import prepare
        from forecasting.report import scenario_payload
        from forecasting.scenarios import compare, context_from_ledger

        result = compare(prepare(ledger, as_of, args.weeks), scenario, context_from_ledger(ledger, as_of))
        projection = result.scenario
        payload = scenario_payload(result)
    if args.format == "json":
        _emit(json.dumps(payload, indent=2, ensure_ascii=False), args.out)
    elif args.format == "csv":
        _emit(weekly_table(projection.weekly).to_csv(index=False).rstrip(), args.out)
    else:
        s = payload["summary"]
        lines = [weekly_table(projection.weekly).to_string(index=False), "",
                 f"opening balance {s['opening_balance']:,.0f} ({s['opening_balance_date']})",
                 f"lowest point    {s['min_cash']:,.0f} on {s['min_cash_date']}",
                 f"first shortfall {s['first_shortfall_date'] or 'none'}; overdraft breach "
                 f"{s['first_overdraft_breach_date'] or 'none'}",
                 f"expected bad debt {s['expected_bad_debt']:,.0f}", *[f"note: {n}" for n in s["notes"]]]
        if "delta" in payload:
            d = payload["delta"]
            lines += ["", f"scenario '{payload['scenario']}' against the baseline:",
                      f"  net cash at horizon {d['net_cash_at_horizon']:+,.0f}",
                      f"  BFR at horizon      {d['bfr_at_horizon']:+,.0f}",
                      f"  lowest point        {d['min_cash']:+,.0f}",
                      f"  financial effect    {d['financial_effect']['net']:+,.0f}",
                      *[f"  warning: {w}" for w in payload["warnings"]]]
        _emit("\n".join(lines), args.out)
    return 0


def _load_scenario(store: Store, ref: str):  # noqa: ANN202
    """Return a scenario from a JSON file path or a saved name."""
    from forecasting.scenarios import Scenario

    path = Path(ref)
    if path.suffix.lower() == ".json" or path.exists():
        if not path.exists():
            raise InputError(f"scenario file not found: {path}")
        return Scenario.from_json(path.read_text(encoding="utf-8"))
    text = store.scenario_json(ref) if store.exists() else None
    if text is None:
        names = store.scenarios()["name"].tolist() if store.exists() else []
        raise InputError(f"no saved scenario named '{ref}'" + (f"; saved: {', '.join(names)}" if names else ""))
    return Scenario.from_json(text)


def cmd_kpis(store: Store, args: argparse.Namespace) -> int:
    """Print the KPIs."""
    from forecasting.kpis import KpiSettings, kpi_summary

    # kpi_summary is JSON-ready already; report.plain would round rates such as 0.0002 to 2 decimals.
    summary = kpi_summary(_loaded_ledger(store), args.as_of or date.today(), KpiSettings())
    if args.format == "json":
        _emit(json.dumps(summary, indent=2, ensure_ascii=False), args.out)
    else:
        _emit("\n".join(_flatten_lines(summary)), args.out)
    return 0


def _flatten_lines(value: Any, prefix: str = "") -> list[str]:
    """Return nested dict values as aligned `key  value` lines."""
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _flatten_lines(v, f"{prefix}{k}.")]
    return [f"{prefix.rstrip('.'):<44} {value}"]


def cmd_scenario(store: Store, args: argparse.Namespace) -> int:
    """Save, list, show or delete scenarios."""
    from forecasting.scenarios import Scenario

    if args.action == "save":
        if not args.file.exists():
            raise InputError(f"scenario file not found: {args.file}")
        scenario = Scenario.from_json(args.file.read_text(encoding="utf-8"))
        replaced = store.save_scenario(scenario.name, json.dumps(scenario.to_dict(), ensure_ascii=False))
        print(f"scenario '{scenario.name}' {'replaced' if replaced else 'saved'} ({len(scenario.levers)} levers)")
    elif args.action == "list":
        saved = store.scenarios()
        if saved.empty:
            print("no saved scenario")
        for row in saved.itertuples(index=False):
            levers = json.loads(row.levers).get("levers", [])
            print(f"{row.name:<40} {len(levers)} lever(s): {', '.join(lv.get('type', '?') for lv in levers)}")
    elif args.action == "show":
        text = store.scenario_json(args.name)
        if text is None:
            raise InputError(f"no saved scenario named '{args.name}'")
        print(json.dumps(json.loads(text), indent=2, ensure_ascii=False))
    elif not store.delete_scenario(args.name):
        raise InputError(f"no saved scenario named '{args.name}'")
    else:
        print(f"scenario '{args.name}' deleted")
    return 0


def cmd_backtest(store: Store, args: argparse.Namespace) -> int:
    """Print the backtest metrics."""
    from forecasting.backtest import backtest
    from forecasting.report import plain

    _check_weeks(args.weeks)
    result = backtest(_loaded_ledger(store), args.as_of, args.weeks)
    metrics = plain(result.metrics)
    if args.format == "json":
        _emit(json.dumps(metrics, indent=2, ensure_ascii=False), args.out)
    else:
        _emit("\n".join(f"{k:<34} {v}" for k, v in metrics.items()), args.out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the process exit code (0 ok, 2 user error, 1 internal error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
        print("cashpilot: interrupted; nothing was changed by the unfinished command", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: say so plainly, traceback only on request
        print(f"cashpilot: internal error: {exc!r}. Please report it (set CASHPILOT_DEBUG=1 for details).",
              file=sys.stderr)
        if os.environ.get("CASHPILOT_DEBUG"):
            traceback.print_exc()
        return 1


def cmd_demo(store: Store, args: argparse.Namespace) -> int:
    """Load the demo company."""
    from forecasting import demo
    from forecasting.ledger import Ledger

    if args.if_empty and store.exists() and sum(store.status()["counts"].values()) > 0:
        print(f"{store.path} already holds data; demo not loaded")
        return 0
    data = demo.generate(seed=args.seed, scale=args.scale, today=args.today)
    store.replace_all(Ledger.from_object(data))
    counts = store.status()["counts"]
    print(f"demo company loaded into {store.path}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    """Import one file."""
    from forecasting.ingest.options import ImportOptions
    from forecasting.ingest.pipeline import import_file

    if args.skip_invalid and not args.rejects:
        raise InputError("--skip-invalid needs --rejects FILE, so that no rejected row is lost")
    mapping: dict[str, str] = {}
    if args.profile:
        found = store.mapping_profile(args.profile)
        if found is None:
            raise InputError(f"no mapping profile named '{args.profile}'")
        mapping.update(found[1])
    mapping.update(_parse_map(args.map))
    options = ImportOptions(
        kind=args.kind, mapping=mapping, date_format=args.date_format, sheet=args.sheet,
        skip_invalid=args.skip_invalid, rejects_path=str(args.rejects) if args.rejects else None,
        source=args.source, default_terms=args.terms,
    )
    report = import_file(store, args.file, options)
    print(report.summary())
    if report.rejected:
        print(f"{report.rejected} rejected rows written to {args.rejects}")
    if args.save_profile:
        store.save_mapping_profile(args.save_profile, args.kind, mapping)
        print(f"mapping saved as profile '{args.save_profile}'")
    return 0


def cmd_status(store: Store, args: argparse.Namespace) -> int:
    """Print what is loaded."""
    status = store.status()
    if args.format == "json":
        print(json.dumps(status, indent=2, default=str))
        return 0
    print(f"database: {status['database']} (schema {status['schema_version']}, data version {status['data_version']})")
    for table, count in status["counts"].items():
        rng = status["date_ranges"].get(table)
        span = f"  {rng['from']} → {rng['to']}" if rng and rng["from"] else ""
        opened = status["open_invoices"].get(table)
        extra = f"  ({opened} open)" if opened is not None else ""
        print(f"  {table:<15} {count:>10}{extra}{span}")
    if status["last_imports"]:
        print("last imports:")
        for row in status["last_imports"]:
            print(f"  {row['imported_at']}  {row['kind']:<14} {row['file_name']}: {row['rows_read']} read, "
                  f"{row['rows_inserted']} inserted, {row['rows_updated']} updated, {row['rows_rejected']} rejected")
    return 0


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    """Write a board pack, a workbook or a chart image (forecasting/cli_export.py)."""
    from forecasting.cli_export import cmd_export as export

    return export(store, args)


COMMANDS: dict[str, Any] = {
    "demo": cmd_demo, "import": cmd_import, "status": cmd_status, "forecast": cmd_forecast, "backtest": cmd_backtest,
    "kpis": cmd_kpis, "scenario": cmd_scenario, "export": cmd_export,
}

if __name__ == "__main__":
    sys.exit(main())
