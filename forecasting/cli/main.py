"""The `cashpilot` command: load the demo, import files, show what is loaded, forecast, backtest, evaluate.

Help texts and messages are written in English and translated with tr() into the language of `--lang`
(default $CASHPILOT_LANG); JSON keys, CSV columns and the `key value` lines of kpis and backtest stay as they are,
for scripts. Data-validation messages built by forecasting/ingest stay in English.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from forecasting.cli.args import argv_language
from forecasting.cli.commands import (
    cmd_backtest,
    cmd_demo,
    cmd_evaluate,
    cmd_export,
    cmd_forecast,
    cmd_import,
    cmd_kpis,
    cmd_scenario,
    cmd_status,
)
from forecasting.cli.parser import build_parser
from forecasting.cli.reconcile import cmd_reconcile
from forecasting.cli.snapshot import cmd_snapshot
from forecasting.core.errors import CashpilotError
from forecasting.i18n.translate import (
    tr,
)
from forecasting.store.database import Store, default_db_path


def _names_kept(arguments: list[str]) -> list[str]:
    """Return the arguments with a scenario name that starts with '-' ('-2+3') kept as a name, not read as an option.

    `scenario show -2+3` and `forecast --scenario -2+3` failed ("the following arguments are required") although
    `scenario save` accepts such a name; argparse takes any word starting with '-' for an option.
    """
    out: list[str] = []
    for i, word in enumerate(arguments):
        before = arguments[i - 1] if i else ""
        dashed = word.startswith("-") and word not in ("-h", "--help", "--")
        if dashed and before in ("show", "delete") and i >= 2 and arguments[i - 2] == "scenario":
            out += ["--", word]
        elif dashed and before == "--scenario":
            out[-1] = f"--scenario={word}"
        else:
            out.append(word)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the process exit code (0 ok, 2 user error, 1 internal error)."""
    arguments = _names_kept(list(sys.argv[1:] if argv is None else argv))
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












COMMANDS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    "demo": cmd_demo, "import": cmd_import, "status": cmd_status, "forecast": cmd_forecast, "backtest": cmd_backtest,
    "kpis": cmd_kpis, "scenario": cmd_scenario, "export": cmd_export, "evaluate": cmd_evaluate,
    "reconcile": cmd_reconcile,
    "snapshot": cmd_snapshot,
}

if __name__ == "__main__":
    sys.exit(main())
