"""`cashpilot reconcile run | list | accept | reject | undo | match | rules`: bank movements matched to invoices."""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable

import pandas as pd

from forecasting.cli.args import emit, lang_of, number_text
from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.i18n.translate import tr, trn
from forecasting.store.database import Store

STATUS_CHOICES = ("proposed", "auto", "accepted", "manual", "rejected", "applied", "all")


def add_reconcile_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], h: Callable[[str], str]) -> None:
    """Add `reconcile` and its actions to the `cashpilot` sub-commands."""
    rec = sub.add_parser("reconcile", help=h("match bank movements to invoices: run, list, accept, reject, by hand"))
    actions = rec.add_subparsers(dest="action", required=True)
    run = actions.add_parser("run", help=h("match the movements not matched yet: apply the sure matches, propose "
                                           "the others, categorise the rest"))
    run.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    listing = actions.add_parser("list", help=h("the matches (proposals by default) or the unmatched movements"))
    listing.add_argument("--status", choices=STATUS_CHOICES, default="proposed",
                         help=h("which matches (default proposed; applied = auto, accepted and manual)"))
    listing.add_argument("--unmatched", action="store_true", help=h("list the movements no match explains instead"))
    listing.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    for name, text in (("accept", h("accept proposals: their invoices are paid")),
                       ("reject", h("reject proposals: they are not proposed again")),
                       ("undo", h("undo applied matches: their invoices are open and forecast again"))):
        action = actions.add_parser(name, help=text)
        action.add_argument("match_ids", type=int, nargs="+", metavar="ID", help=h("match numbers (see list)"))
    hand = actions.add_parser("match", help=h("match a movement to invoices by hand"))
    hand.add_argument("account", help=h("the movement's account id"))
    hand.add_argument("movement", help=h("the movement's id (see list --unmatched)"))
    hand.add_argument("invoices", nargs="+", help=h("the invoice numbers it pays, oldest first"))
    rules = actions.add_parser("rules", help=h("list, add or delete the categorisation rules"))
    rule_actions = rules.add_subparsers(dest="rule_action", required=True)
    rule_list = rule_actions.add_parser("list", help=h("the rules, by priority"))
    rule_list.add_argument("--format", choices=("table", "json"), default="table", help=h("output format"))
    add = rule_actions.add_parser("add", help=h("add a rule (then run `reconcile run` to apply it)"))
    add.add_argument("--label", default=None, help=h("pattern of the label (plain words or a regular expression)"))
    add.add_argument("--counterparty", default=None, help=h("pattern of the counterparty's name"))
    add.add_argument("--direction", choices=("credit", "debit", "any"), default="any",
                     help=h("money in (credit), out (debit) or both (default any)"))
    add.add_argument("--category", required=True, choices=C.MOVEMENT_CATEGORIES, help=h("the category it gives"))
    add.add_argument("--priority", type=int, default=50, help=h("lower numbers are tried first (default 50)"))
    delete = rule_actions.add_parser("delete", help=h("delete a rule"))
    delete.add_argument("rule_id", type=int, help=h("the rule's number (see rules list)"))


def cmd_reconcile(store: Store, args: argparse.Namespace) -> int:
    """Run one reconcile action."""
    lang = lang_of(args)
    who = getpass.getuser()
    if args.action == "run":
        from forecasting.reconcile.run import auto_match

        summary = auto_match(store)
        if args.format == "json":
            emit(json.dumps({"movements": summary.movements, "auto": summary.auto, "proposed": summary.proposed,
                             "recorded": summary.recorded, "categories": summary.categories}, indent=2), None, lang)
        else:
            print(tr("{movements} movements looked at: {auto} matched automatically, {proposed} proposed, {recorded} "
                     "already recorded by the ledger", lang, movements=number_text(summary.movements, lang),
                     auto=number_text(summary.auto, lang), proposed=number_text(summary.proposed, lang),
                     recorded=number_text(summary.recorded, lang)))
    elif args.action == "list":
        _list(store, args, lang)
    elif args.action in ("accept", "reject", "undo"):
        from forecasting.store.reconciliation import decide

        for match_id in args.match_ids:
            status = decide(store, match_id, args.action, who)
            print(tr("match {id}: accepted, its invoices are paid", lang, id=match_id) if status == "accepted" else
                  tr("match {id}: rejected", lang, id=match_id) if args.action == "reject" else
                  tr("match {id}: undone, its invoices are open again", lang, id=match_id))
    elif args.action == "match":
        from forecasting.reconcile.run import hand_match

        match_id = hand_match(store, args.account, args.movement, list(args.invoices), who)
        print(trn("match {id}: movement {movement} pays {n} invoice", "match {id}: movement {movement} pays {n} invoices",
                  len(args.invoices), lang, id=match_id, movement=args.movement))
    else:
        _rules(store, args, lang)
    return 0


def _list(store: Store, args: argparse.Namespace, lang: str) -> None:
    """Print matches or unmatched movements."""
    from forecasting.reports.reconciliation import match_table, unmatched_movements

    if args.unmatched:
        table = unmatched_movements(store)
    else:
        statuses = {"applied": ("auto", "accepted", "manual"),
                    "all": ("proposed", "auto", "accepted", "manual", "rejected")}.get(args.status, (args.status,))
        table = match_table(store, lang, statuses)
    if args.format == "json":
        emit(table.to_json(orient="records", date_format="iso", force_ascii=False, indent=2), None, lang)
    elif not len(table):
        print(tr("nothing to list", lang))
    else:
        with pd.option_context("display.width", 200, "display.max_colwidth", 60, "display.max_rows", 500):
            print(table.to_string(index=False))


def _rules(store: Store, args: argparse.Namespace, lang: str) -> None:
    """List, add or delete categorisation rules."""
    from forecasting.reconcile.rules import RULE_COLUMNS, check_rules
    from forecasting.store.reconciliation import add_rule, delete_rule, read_rules

    if args.rule_action == "list":
        rules = read_rules(store)
        if args.format == "json":
            emit(rules.to_json(orient="records", force_ascii=False, indent=2), None, lang)
        else:
            with pd.option_context("display.width", 200, "display.max_colwidth", 80):
                print(rules.to_string(index=False))
        return
    if args.rule_action == "add":
        new = pd.DataFrame([{"priority": args.priority, "label_pattern": args.label,
                             "counterparty_pattern": args.counterparty, "direction": args.direction,
                             "category": args.category, "enabled": True}])
        checked = {str(k): v for k, v in check_rules(new[RULE_COLUMNS]).iloc[0].to_dict().items()}
        rule_id = add_rule(store, checked)
        print(tr("rule {id} added; run `cashpilot reconcile run` to apply it", lang, id=rule_id))
    elif not delete_rule(store, args.rule_id):
        raise InputError(tr("no rule number {id} (see `cashpilot reconcile rules list`)", lang, id=args.rule_id))
    else:
        print(tr("rule {id} deleted", lang, id=args.rule_id))
