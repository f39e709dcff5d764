"""`cashpilot snapshot`: freeze the forecast (by hand, or once a week with --weekly), list, show, delete, and compare
a snapshot with the bank's movements (`compare`) or the successive snapshots' accuracy (`accuracy`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime

import pandas as pd

from forecasting.cli.args import check_weeks, emit, lang_of, loaded_ledger, number_text
from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.snapshots import StoredSnapshot
from forecasting.i18n.formats import fmt_date
from forecasting.i18n.translate import tr
from forecasting.i18n.weeks import week_header
from forecasting.reports.bank_labels import category_label
from forecasting.store.database import Store
from forecasting.store.snapshots import (
    delete_snapshot,
    list_snapshots,
    read_movements,
    read_snapshot,
    save_snapshot,
    snapshot_in_week,
)


def add_snapshot_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], h: Callable[[str], str],
                        parse_date: Callable[[str], date]) -> None:
    """Add `snapshot` (take one) and its list, show, delete, compare and accuracy actions."""
    snap = sub.add_parser("snapshot", help=h("freeze today's forecast to compare it later with the bank"),
                          description=h("Without an action: freeze the forecast (weekly flows by category and "
                                        "account, closing range) for a later comparison with the bank's movements."))
    snap.add_argument("--label", default="", help=h("a name for the snapshot, e.g. 'board of March'"))
    snap.add_argument("--as-of", type=parse_date, default=None, help=h("forecast date (default today)"))
    snap.add_argument("--weeks", type=int, default=13, help=h("horizon in weeks, 1 to 52 (default 13)"))
    snap.add_argument("--weekly", action="store_true",
                      help=h("take it only if no weekly snapshot was taken this week (for a scheduled job)"))
    actions = snap.add_subparsers(dest="action", required=False)
    actions.add_parser("list", help=h("the snapshots taken"))
    show = actions.add_parser("show", help=h("a snapshot's weeks: receipts, disbursements, net and closing range"))
    delete = actions.add_parser("delete", help=h("delete a snapshot"))
    compare = actions.add_parser("compare", help=h("a snapshot against the bank's movements, the variance split "
                                                   "by category"))
    for action in (show, delete, compare):
        action.add_argument("snapshot_id", type=int, metavar="ID", help=h("the snapshot's number (see list)"))
    for action in (show, compare):
        action.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    compare.add_argument("--account", help=h("one bank account (default: all)"))
    accuracy = actions.add_parser("accuracy", help=h("the error of the forecast made 1, 4 and 13 weeks ahead"))
    accuracy.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))


def cmd_snapshot(store: Store, args: argparse.Namespace) -> int:
    """Take, list, show, delete or compare snapshots."""
    lang = lang_of(args)
    action = args.action or "take"
    if action == "take":
        return _take(store, args, lang)
    if action == "list":
        return _list(store, lang)
    if action == "accuracy":
        return _accuracy(store, args, lang)
    snapshot = _snapshot(store, args.snapshot_id, lang)
    if action == "delete":
        delete_snapshot(store, snapshot.snapshot_id)
        print(tr("snapshot {id} deleted", lang, id=snapshot.snapshot_id))
        return 0
    if action == "show":
        return _show(snapshot, args, lang)
    return _compare(store, snapshot, args, lang)


def _take(store: Store, args: argparse.Namespace, lang: str) -> int:
    """Freeze the forecast at as-of (once per ISO week with --weekly)."""
    from forecasting.projection.cache import cached_prepare, folder_for
    from forecasting.projection.snapshot import snapshot_of

    check_weeks(args.weeks, lang)
    now = datetime.now()
    monday = now.date() - pd.Timedelta(days=now.weekday())
    if args.weekly and store.exists():
        existing = snapshot_in_week(store, monday)
        if existing is not None:
            print(tr("this week's snapshot is already taken (number {id}): nothing written", lang, id=existing))
            return 0
    ledger = loaded_ledger(store, lang)
    as_of = args.as_of or date.today()
    cash = cached_prepare(ledger, as_of, args.weeks, folder_for(store.path))
    frames, settings = snapshot_of(cash, store.data_version())
    snapshot_id = save_snapshot(store, as_of, args.label, settings, bool(args.weekly), frames.flows,
                                frames.closings, created_at=now)
    print(tr("snapshot {id} taken: the forecast as of {day} over {weeks} weeks", lang, id=snapshot_id,
             day=_day(pd.Timestamp(as_of), lang), weeks=args.weeks))
    return 0


def _snapshot(store: Store, snapshot_id: int, lang: str) -> StoredSnapshot:
    """Return a snapshot, or refuse an unknown number saying which ones there are."""
    known = list_snapshots(store)[C.SNAPSHOT_ID].tolist() if store.exists() else []
    if snapshot_id not in known:
        raise InputError(tr("no snapshot number {id}", lang, id=snapshot_id) + "; " + (
            tr("the snapshots are {ids}", lang, ids=", ".join(map(str, known))) if known
            else tr("none was taken yet: run `cashpilot snapshot`", lang)))
    return read_snapshot(store, snapshot_id)


def _list(store: Store, lang: str) -> int:
    """Print the snapshots, oldest first."""
    frame = list_snapshots(store) if store.exists() else pd.DataFrame()
    if not len(frame):
        print(tr("no snapshot yet: run `cashpilot snapshot`", lang))
        return 0
    for row in frame.itertuples(index=False):
        kind = tr("weekly", lang) if row.auto else tr("by hand", lang)
        print(f"{row.snapshot_id:>4}  {_day(pd.Timestamp(str(row.as_of)), lang)}  {row.horizon_weeks:>2} {tr('weeks', lang)}  "
              f"{kind:<9} {row.created_at:%Y-%m-%d %H:%M}  {row.label}")
    return 0


def _show(snapshot: StoredSnapshot, args: argparse.Namespace, lang: str) -> int:
    """Print a snapshot's weeks (all accounts): receipts, disbursements, net, closing range."""
    flows = snapshot.flows.groupby(C.WEEK_START)[["receipts", "disbursements"]].sum()
    total = snapshot.closings[snapshot.closings[C.ACCOUNT_ID] == C.TOTAL_ACCOUNT].set_index(C.WEEK_START)
    weeks = total.join(flows, how="left").fillna({"receipts": 0.0, "disbursements": 0.0}).reset_index()
    weeks["net"] = weeks["receipts"] - weeks["disbursements"]
    columns = [C.WEEK_START, "receipts", "disbursements", "net", "closing_p10", "closing_p50", "closing_p90"]
    if args.format == "json":
        emit(json.dumps({"snapshot_id": snapshot.snapshot_id, "label": snapshot.label, "settings": snapshot.settings,
                         "created_at": snapshot.created_at.isoformat(timespec="seconds"),
                         "weeks": _records(weeks[columns]),
                         "flows": _records(snapshot.flows)}, indent=2, ensure_ascii=False), None, lang)
        return 0
    headers = [week_header(lang), tr("Receipts", lang), tr("Disbursements", lang), tr("Net flow", lang),
               tr("Closing P10", lang), tr("Closing P50", lang), tr("Closing P90", lang)]
    print(tr("snapshot {id} of {day} ({label})", lang, id=snapshot.snapshot_id, day=_day(snapshot.as_of, lang),
             label=snapshot.label or "-"))
    print(_table(weeks[columns], headers, lang))
    return 0


def _compare(store: Store, snapshot: StoredSnapshot, args: argparse.Namespace, lang: str) -> int:
    """Print a snapshot against the movements: by week, then by category, the variance split."""
    from forecasting.reports.forecast_vs_actual import forecast_vs_actual

    ledger = loaded_ledger(store, lang)
    result = forecast_vs_actual(snapshot, read_movements(store), ledger.fx_rates, args.account)
    if args.format == "json":
        emit(json.dumps({"snapshot_id": snapshot.snapshot_id, "account": args.account,
                         "through": None if result.through is None else result.through.date().isoformat(),
                         "weeks": _records(result.variance)}, indent=2, ensure_ascii=False), None, lang)
        return 0
    if not len(result.weeks):
        print(tr("no complete week of bank movements after {day} yet: nothing to compare", lang,
                 day=_day(snapshot.as_of, lang)))
        return 0
    headers = [tr("Forecast", lang), tr("Actual", lang), tr("Variance", lang), tr("Timing", lang),
               tr("Amount", lang), tr("Unforecast", lang)]
    print(tr("snapshot {id} of {day} against the bank's movements up to {through}", lang, id=snapshot.snapshot_id,
             day=_day(snapshot.as_of, lang), through=_day(result.through, lang)))
    print(_table(result.by_week, [week_header(lang), *headers], lang))
    print()
    print(_table(result.by_category, [tr("Category", lang), *headers], lang))
    return 0


def _accuracy(store: Store, args: argparse.Namespace, lang: str) -> int:
    """Print the error of the snapshots' weekly net flow by lead (1, 4 and 13 weeks)."""
    from forecasting.reports.forecast_vs_actual import accuracy

    ids = list_snapshots(store)[C.SNAPSHOT_ID].tolist() if store.exists() else []
    ledger = loaded_ledger(store, lang)
    result = accuracy([read_snapshot(store, i) for i in ids], read_movements(store), ledger.fx_rates)
    if args.format == "json":
        emit(json.dumps({"summary": _records(result.summary), "weeks": _records(result.errors)}, indent=2,
                        ensure_ascii=False), None, lang)
        return 0
    headers = [tr("Weeks ahead", lang), tr("Weeks scored", lang), tr("Mean absolute error", lang), tr("Bias", lang),
               tr("Mean absolute net flow", lang)]
    print(_table(result.summary, headers, lang))
    return 0


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Return a frame's rows for JSON: dates as ISO text, amounts to the cent, NaN as None."""
    out = []
    for row in frame.to_dict("records"):
        out.append({str(k): (v.date().isoformat() if isinstance(v, pd.Timestamp) else
                             None if isinstance(v, float) and pd.isna(v) else
                             round(v, 2) if isinstance(v, float) else v) for k, v in row.items()})
    return out


def _day(value: pd.Timestamp | None, lang: str) -> str:
    """Return a date as the language writes it."""
    return "-" if value is None else fmt_date(pd.Timestamp(value).date(), lang)


def _table(frame: pd.DataFrame, headers: list[str], lang: str) -> str:
    """Return a frame as aligned text: dates as the language writes them, amounts rounded to the euro."""
    def cell(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, pd.Timestamp):
            return _day(value, lang)
        if isinstance(value, float):
            return "-" if pd.isna(value) else number_text(float(round(value)), lang)
        return category_label(value, lang) if isinstance(value, str) else str(value)

    rows = [headers] + [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(headers))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths,
                                                                                                     strict=True)))
                     for r in rows)
