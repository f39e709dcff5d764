"""`cashpilot export board-pack | xlsx | chart NAME`: the exports from the command line.

Kept apart from cli.py so that the export options and messages live next to each other; cli.py only
registers the sub-command. Messages go through tr() in the language of --lang (default $CASHPILOT_LANG).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from forecasting.cli.args import check_weeks, load_scenario, loaded_ledger, parse_date
from forecasting.core.errors import InputError
from forecasting.i18n.translate import LANGUAGES, default_language, normalise_language, tr
from forecasting.store.database import Store
from forecasting.store.snapshots import all_snapshots, read_movements

CHART_NAMES = ("outlook", "flows", "bfr", "aging", "debtors", "ratings", "payables-aging", "payables-due", "scenarios")
IMAGE_FORMATS = ("png", "svg", "pdf")


def add_export_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` and its three targets to the `cashpilot` sub-commands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", type=Path, required=True, help="file to write")
    common.add_argument("--scenario", action="append", default=[], metavar="NAME|FILE.json",
                        help="a saved scenario or a scenario file, compared with the baseline (repeat, up to 4)")
    common.add_argument("--as-of", type=parse_date, default=None, help="forecast date (default today)")
    common.add_argument("--weeks", type=int, default=13, help="horizon in weeks, 1 to 52 (default 13)")
    common.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the file and the messages (default $CASHPILOT_LANG, else en)")
    export = sub.add_parser("export", help="board-pack PDF, Excel workbook or a chart image",
                            description="Export the forecast, the KPIs and the scenario comparison.")
    targets = export.add_subparsers(dest="target", required=True)
    targets.add_parser("board-pack", parents=[common], help="the board-pack PDF (cover, outlook, BFR, KPIs, "
                       "scenarios, aging, notes)")
    targets.add_parser("xlsx", parents=[common], help="the Excel workbook (forecast, summary, KPIs, aging, "
                       "scenarios)")
    chart = targets.add_parser("chart", parents=[common], help="one chart as PNG, SVG or PDF",
                               epilog="charts: " + ", ".join(CHART_NAMES) + " (scenarios needs --scenario)")
    chart.add_argument("name", metavar="NAME", help="one of: " + ", ".join(CHART_NAMES))
    chart.add_argument("--format", choices=IMAGE_FORMATS, default=None,
                       help="image format (default: from the --out suffix, else png)")


def _check_out(out: Path, lang: str) -> None:
    """Refuse, before any computation, an output path that cannot be written."""
    if out.is_dir():
        raise InputError(tr("cannot write {path}: it is a folder", lang, path=out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(tr("cannot write {path}: part of its folder path is a file", lang, path=out)) from None
    except OSError as exc:
        raise InputError(tr("cannot write {path}: {reason}", lang, path=out, reason=exc.strerror or exc)) from None
    if not os.access(out.parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InputError(tr("cannot write {path}: permission denied", lang, path=out))


def write_file(out: Path, data: bytes, lang: str) -> None:
    """Write bytes to `out` whole or not at all (a temporary file in the same folder, then renamed)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out)
    except OSError as exc:
        if "tmp" in locals() and os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError(tr("cannot write {path}: {reason}", lang, path=out, reason=exc.strerror or exc)) from None


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    """Write the board pack, the workbook or one chart."""
    from forecasting.projection.cache import folder_for
    from forecasting.reports.source import ExportSource, last_import_of

    lang = normalise_language(args.lang) if args.lang else default_language()
    if args.target == "chart":
        if args.name not in CHART_NAMES:
            raise InputError(tr("unknown chart '{name}': the charts are {names}", lang, name=args.name,
                                names=", ".join(CHART_NAMES)))
        if args.name == "scenarios" and not args.scenario:
            raise InputError(tr("the 'scenarios' chart compares scenarios: give at least one --scenario NAME", lang))
        fmt = args.format or (args.out.suffix.lower().lstrip(".") if args.out.suffix.lower().lstrip(".")
                              in IMAGE_FORMATS else "png")
    check_weeks(args.weeks)
    if len(args.scenario) > 4:
        raise InputError(tr("compare at most 4 scenarios at once, got {count}", lang, count=len(args.scenario)))
    _check_out(args.out, lang)
    scenarios = [load_scenario(store, ref) for ref in args.scenario]
    ledger = loaded_ledger(store)
    source = ExportSource(ledger, args.as_of or date.today(), args.weeks, scenarios, lang=lang,
                          last_import=last_import_of(store), forecasts_folder=folder_for(store.path),
                          movements=read_movements(store), snapshots=all_snapshots(store))
    if args.target == "board-pack":
        from forecasting.reports.pdf import board_pack_bytes

        data, what = board_pack_bytes(source), tr("board pack", lang)
    elif args.target == "xlsx":
        from forecasting.reports.xlsx import workbook_bytes

        data, what = workbook_bytes(source), tr("workbook", lang)
    else:
        from forecasting.reports.images import chart_bytes

        data, what = chart_bytes(args.name, source, fmt), tr("chart '{name}'", lang, name=args.name)
    write_file(args.out, data, lang)
    print(tr("{what} written to {path} ({size} kB)", lang, what=what, path=args.out,
             size=max(1, round(len(data) / 1024))), file=sys.stdout)
    return 0
