"""What each `cashpilot` sub-command does: demo, import, status, forecast, kpis, scenario, backtest, evaluate,
export."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from forecasting.cli.args import (
    check_weeks,
    emit,
    lang_of,
    load_scenario,
    loaded_ledger,
    number_text,
    parse_map,
    tr_known,
)
from forecasting.core.errors import InputError
from forecasting.core.tables import TABLE_LABELS
from forecasting.i18n.formats import fmt_date, fmt_number
from forecasting.i18n.translate import (
    localise,
    tr,
    trn,
)
from forecasting.store.database import Store

if TYPE_CHECKING:  # the sub-commands import their stages when they run: `cashpilot status` stays quick
    from forecasting.ingest.staging import ImportReport
    from forecasting.reports.payload import ForecastPayload, ScenarioPayload


def cmd_forecast(store: Store, args: argparse.Namespace) -> int:
    """Print the weekly outlook."""
    from forecasting.projection.cache import cached_prepare, folder_for
    from forecasting.projection.forecast import aggregate
    from forecasting.reports.payload import forecast_payload, weekly_table

    lang = lang_of(args)
    check_weeks(args.weeks, lang)
    as_of = args.as_of or date.today()
    scenario = load_scenario(store, args.scenario, lang) if args.scenario else None
    ledger = loaded_ledger(store, lang)
    cash = cached_prepare(ledger, as_of, args.weeks, folder_for(store.path))  # the last fit, when it still holds
    payload: ForecastPayload | ScenarioPayload
    if scenario is None:
        from forecasting.kpis.base import KpiSettings, kpi_basis
        from forecasting.reports.figures import ledger_figures

        projection = aggregate(cash)
        settings = KpiSettings()
        payload = forecast_payload(projection.weekly, projection.summary,
                                   ledger_figures(kpi_basis(ledger, as_of, settings), settings))
    else:
        from forecasting.reports.payload import scenario_payload
        from forecasting.scenarios.compare import compare, context_from_ledger

        result = compare(cash, scenario, context_from_ledger(ledger, as_of))
        projection = result.scenario
        payload = scenario_payload(result)
    if args.format == "json":
        emit(json.dumps(payload, indent=2, ensure_ascii=False), args.out, lang)
    elif args.format == "csv":
        emit(weekly_table(projection.weekly).to_csv(index=False).rstrip(), args.out, lang)
    else:
        emit("\n".join(_forecast_lines(weekly_table(projection.weekly), payload, lang)), args.out, lang)
    return 0


WEEK_HEADERS = {"week_start": "Week of", "receipts": "Receipts", "disbursements": "Disbursements", "net": "Net flow",
                "closing_p10": "Closing P10", "closing_p50": "Closing P50", "closing_p90": "Closing P90",
                "closing_expected": "Closing (expected)"}


def _forecast_lines(table: pd.DataFrame, payload: ForecastPayload | ScenarioPayload, lang: str) -> list[str]:
    """Return the table format of a forecast: the weeks, then the summary (and the scenario's deltas)."""
    s = payload["summary"]

    def day(value: str | None) -> str:
        """Return an ISO date of the payload in the language, or 'none'."""
        return (value if lang == "en" else fmt_date(value, lang)) if value else tr("none", lang)

    def amount(value: float | None) -> str:
        """Return an amount of the payload for a message, or 'none'."""
        return number_text(float(value), lang) if value is not None else tr("none", lang)

    def signed(value: float) -> str:
        """Return a difference with its sign."""
        return f"{value:+,.0f}" if lang == "en" else ("+" if value > 0 else "") + fmt_number(value, lang)

    if lang != "en":  # English keeps the machine column names and Python's numbers, as before
        table = table.assign(week_start=[fmt_date(d, lang) for d in table["week_start"]])
        for column in list(WEEK_HEADERS)[1:]:
            table[column] = [fmt_number(v, lang) for v in table[column]]
        table = table.rename(columns={c: tr(label, lang) for c, label in WEEK_HEADERS.items()})
    lines = [table.to_string(index=False), "",
             tr("opening balance {amount} ({day})", lang, amount=amount(s["opening_balance"]),
                day=day(s["opening_balance_date"])),
             tr("net cash at horizon (expected) {amount} (P10–P90 {low} to {high})", lang,
                amount=amount(s["net_cash_at_horizon"]), low=amount(s["net_cash_at_horizon_p10"]),
                high=amount(s["net_cash_at_horizon_p90"])),
             tr("lowest point (daily, expected) {amount} on {day}", lang, amount=amount(s["min_cash"]),
                day=day(s["min_cash_date"])),
             tr("first day below zero (expected) {shortfall}; beyond the overdraft {breach}", lang,
                shortfall=day(s["first_shortfall_date"]), breach=day(s["first_overdraft_breach_date"])),
             tr("expected bad debt {amount}", lang, amount=amount(s["expected_bad_debt"])),
             *[tr("note: {note}", lang, note=tr_known(n, lang)) for n in s["notes"]]]
    if "delta" in payload:  # a ScenarioPayload
        d = payload["delta"]
        lines += ["", tr("scenario '{name}' against the baseline:", lang, name=payload["scenario"]),
                  tr("  net cash at horizon {amount}", lang, amount=signed(d["net_cash_at_horizon"])),
                  tr("  BFR at horizon      {amount}", lang, amount=signed(d["bfr_at_horizon"])),
                  tr("  lowest point        {amount}", lang, amount=signed(d["min_cash"])),
                  tr("  financial effect    {amount}", lang, amount=signed(d["financial_effect"]["net"])),
                  *[tr("  warning: {warning}", lang, warning=tr_known(w, lang)) for w in payload["warnings"]]]
    return lines


def cmd_kpis(store: Store, args: argparse.Namespace) -> int:
    """Print the KPIs."""
    from forecasting.kpis.summary import KpiSettings, kpi_summary

    # The KPIs' JSON is unrounded: report.plain would round rates such as 0.0002 to 2 decimals.
    lang = lang_of(args)
    summary = kpi_summary(loaded_ledger(store, lang), args.as_of or date.today(), KpiSettings()).to_dict()
    if args.format == "json":
        emit(json.dumps(summary, indent=2, ensure_ascii=False), args.out, lang)
    else:  # `key value` lines: the keys are the JSON's, for scripts
        emit("\n".join(_flatten_lines(summary)), args.out, lang)
    return 0


def _flatten_lines(value: object, prefix: str = "") -> list[str]:
    """Return nested dict values as aligned `key  value` lines (figures as `_table_value` writes them)."""
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _flatten_lines(v, f"{prefix}{k}.")]
    key = prefix.rstrip(".")
    return [f"{key:<44} {_table_value(key, value)}"]


def _table_value(key: str, value: object) -> object:
    """Return a figure of the table as a reader wants it: euros to the cent, other figures to 6 significant digits.

    Binary floats print their noise (1504272.5300000005); the JSON keeps the unrounded values for scripts.
    """
    if not isinstance(value, float) or value != value or value in (float("inf"), float("-inf")):
        return value
    return f"{value:.2f}" if key.endswith("_eur") else f"{value:.6g}"


def cmd_scenario(store: Store, args: argparse.Namespace) -> int:
    """Save, list, show or delete scenarios."""
    from forecasting.scenarios.compare import Scenario

    lang = lang_of(args)
    if args.action == "save":
        if not args.file.exists():
            raise InputError(tr("scenario file not found: {path}", lang, path=args.file))
        scenario = Scenario.from_json(args.file.read_text(encoding="utf-8"))
        replaced = store.save_scenario(scenario.name, scenario.to_json())
        n = len(scenario.levers)
        print(trn("scenario '{name}' replaced ({n} lever)", "scenario '{name}' replaced ({n} levers)", n, lang,
                  name=scenario.name) if replaced else
              trn("scenario '{name}' saved ({n} lever)", "scenario '{name}' saved ({n} levers)", n, lang,
                  name=scenario.name))
    elif args.action == "list":
        saved = store.scenarios()
        if saved.empty:
            print(tr("no saved scenario", lang))
        for row in saved.itertuples(index=False):
            levers = json.loads(str(row.levers)).get("levers", [])
            print(f"{row.name:<40} " + trn("{n} lever: {types}", "{n} levers: {types}", len(levers), lang,
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
    """Print the backtest metrics: JSON, or the historical `key value` lines followed by the per-side report."""
    from forecasting.projection.backtest import SIDE_CHOICES, backtest
    from forecasting.reports.backtest import backtest_text
    from forecasting.reports.payload import plain

    lang = lang_of(args)
    check_weeks(args.weeks, lang)
    ledger = loaded_ledger(store, lang)
    sides = SIDE_CHOICES[args.side]
    if not any(len(ledger.invoices(side)) for side in sides):
        refusals = {"receivables": "no client invoices to backtest: import receivables, or choose --side payables",
                    "payables": "no supplier invoices to backtest: import payables, or choose --side receivables",
                    "both": "no invoices to backtest: import receivables or payables"}
        raise InputError(tr(refusals[args.side], lang))
    result = backtest(ledger, args.as_of, args.weeks, sides=sides)
    metrics = plain(result.metrics.to_dict())
    if args.format == "json":
        emit(json.dumps(metrics, indent=2, ensure_ascii=False), args.out, lang)
    else:  # `key value` lines first: the keys are the JSON's (nested ones dotted), for scripts; then the report
        lines = _flatten_lines({k: metrics[k] for k in (*LEGACY_TEXT_KEYS, "data_end")})
        emit("\n".join([*lines, "", backtest_text(result.metrics, lang)]), args.out, lang)
    return 0


def cmd_evaluate(store: Store, args: argparse.Namespace) -> int:
    """Print the self-evaluation: the verdict per side, the dates replayed, the settings chosen and why."""
    from forecasting.projection.backtest import SIDE_CHOICES
    from forecasting.projection.cache import folder_for
    from forecasting.projection.evaluate import MAX_DATES, cached_evaluate
    from forecasting.reports.evaluate import evaluation_json, evaluation_text

    lang = lang_of(args)
    check_weeks(args.weeks, lang)
    if not 1 <= args.dates <= MAX_DATES:
        raise InputError(tr("--dates {dates}: the number of past dates must be between 1 and {most}", lang,
                            dates=args.dates, most=MAX_DATES))
    ledger = loaded_ledger(store, lang)
    if not any(len(ledger.invoices(side)) for side in SIDE_CHOICES[args.side]):
        refusals = {"receivables": "no client invoices to evaluate: import receivables, or choose --side payables",
                    "payables": "no supplier invoices to evaluate: import payables, or choose --side receivables",
                    "both": "no invoices to evaluate: import receivables or payables"}
        raise InputError(tr(refusals[args.side], lang))
    evaluation = cached_evaluate(ledger, args.as_of or date.today(), args.weeks, args.dates, args.side,
                                 folder_for(store.path))
    if args.format == "json":
        emit(json.dumps(evaluation_json(evaluation, lang), indent=2, ensure_ascii=False), args.out, lang)
    else:
        emit(evaluation_text(evaluation, lang), args.out, lang)
    return 0


LEGACY_TEXT_KEYS = ("as_of", "horizon_weeks", "n_open_invoices", "n_later_invoices", "n_open_at_as_of_unpaid_in_horizon",
                    "payment_date_mae_days", "late_accuracy", "baseline_due_date_mae_days",
                    "baseline_client_median_mae_days", "baseline_due_date_late_accuracy",
                    "baseline_client_median_late_accuracy", "weekly_receipts_wape", "weekly_receipts_bias",
                    "interval_coverage_p10_p90", "open_at_as_of", "issued_after_as_of")


def cmd_demo(store: Store, args: argparse.Namespace) -> int:
    """Load the demo company."""
    from forecasting.core.ledger import Ledger
    from forecasting.demo import company as demo

    lang = lang_of(args)
    if args.if_empty and store.exists() and sum(store.status()["counts"].values()) > 0:
        print(tr("{path} already holds data; demo not loaded", lang, path=store.path))
        return 0
    if args.if_empty and store.exists() and store.emptied_at() is not None:  # the user chose to start from empty
        print(tr("{path} was emptied on purpose; demo not loaded (run `cashpilot demo` to load it)", lang,
                 path=store.path))
        return 0
    from forecasting.demo.movements import EXPORT_LAG_BDAYS
    from forecasting.reconcile.run import auto_match

    # the ledger a few days behind the bank, as exports are: the matching has the last receipts to apply
    data = demo.generate(seed=args.seed, scale=args.scale, today=args.today, export_lag_bdays=EXPORT_LAG_BDAYS)
    store.replace_all(Ledger.from_object(data), data.bank_movements, data.account_ibans)
    summary = auto_match(store)
    counts = store.status()["counts"]
    print(tr("demo company loaded into {path}: {counts}", lang, path=store.path,
             counts=", ".join(f"{number_text(v, lang)} {localise(TABLE_LABELS.get(k, k), lang).lower()}"
                              for k, v in counts.items())))
    print(tr("bank movements matched: {auto} automatically, {proposed} proposed on the Reconciliation page", lang,
             auto=number_text(summary.auto, lang), proposed=number_text(summary.proposed, lang)))
    return 0


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    """Import one file."""
    from forecasting.ingest.options import ImportOptions
    from forecasting.ingest.pipeline import import_file

    lang = lang_of(args)
    if args.kind == "bank-statement":
        return _import_statements(store, args, lang)
    if len(args.file) > 1:
        raise InputError(tr("one file at a time for {kind}: import the others one by one", lang, kind=args.kind))
    if args.create_accounts:
        raise InputError(tr("--create-accounts is for bank statements only (import bank-statement FILE)", lang))
    if args.skip_invalid and not args.rejects:
        raise InputError(tr("--skip-invalid needs --rejects FILE, so that no rejected row is lost", lang))
    mapping: dict[str, str] = {}
    if args.profile:
        found = store.mapping_profile(args.profile)
        if found is None:
            raise InputError(tr("no mapping profile named '{name}'", lang, name=args.profile))
        mapping.update(found[1])
    mapping.update(parse_map(args.map, lang))
    options = ImportOptions(
        kind=args.kind, mapping=mapping, date_format=args.date_format, sheet=args.sheet,
        skip_invalid=args.skip_invalid, rejects_path=str(args.rejects) if args.rejects else None,
        source=args.source, default_terms=args.terms,
    )
    report = import_file(store, args.file[0], options)
    print(_import_summary(report, lang))
    if report.rejected:
        print(trn("{n} rejected row written to {path}", "{n} rejected rows written to {path}", report.rejected, lang,
                  n=number_text(report.rejected, lang), path=args.rejects))
    if args.save_profile:
        store.save_mapping_profile(args.save_profile, args.kind, mapping)
        print(tr("mapping saved as profile '{name}'", lang, name=args.save_profile))
    return 0


def _import_statements(store: Store, args: argparse.Namespace, lang: str) -> int:
    """Import bank statement files (CFONB 120, camt.053, MT940) in one transaction; print one line per file."""
    from forecasting.ingest.bank.importer import import_statement_files

    given = [option for option, value in (("--map", args.map), ("--profile", args.profile),
                                          ("--save-profile", args.save_profile), ("--date-format", args.date_format),
                                          ("--sheet", args.sheet), ("--terms", args.terms),
                                          ("--skip-invalid", args.skip_invalid), ("--rejects", args.rejects)) if value]
    if given:
        raise InputError(tr("{options}: not used for bank statements (their layout is fixed by the format)", lang,
                            options=", ".join(given)))
    for report in import_statement_files(store, args.file, create_accounts=args.create_accounts):
        print(_import_summary(report, lang))
    return 0


def _import_summary(report: ImportReport, lang: str) -> str:
    """Return an import's counts as one line in `lang`, each count's words agreeing with its number."""
    return report.line(lang)


def cmd_status(store: Store, args: argparse.Namespace) -> int:
    """Print what is loaded."""
    from forecasting.ingest.staging import count_messages

    lang = lang_of(args)
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
        extra = ("" if opened is None else
                 trn("  ({n} open)", "  ({n} open)", opened, lang, n=number_text(opened, lang)))
        print(f"  {table:<15} {number_text(count, lang):>10}{extra}{span}")
    if status["last_imports"]:
        print(tr("last imports:", lang))
        for row in status["last_imports"]:
            counts = count_messages(row["rows_read"], row["rows_inserted"], row["rows_updated"], row["rows_rejected"])
            print(f"  {day(row['imported_at'])}  {row['kind']:<14} " + tr(
                "{file}: {counts}", lang, file=row["file_name"], counts=", ".join(m.in_language(lang) for m in counts)))
    return 0


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    """Write a board pack, a workbook or a chart image (forecasting/cli_export.py)."""
    from forecasting.cli.export import cmd_export as export

    return export(store, args)
