"""`python -m forecasting.demo.examples`: write the demo company's bank statements into data/examples/.

One CFONB 120 file (the main account) and one camt.053 file (the operations account), four weeks of movements
ending at the demo's day, written by the same writers the tests read back. Imported into the demo database of that
day (`cashpilot demo --today 2026-11-23`), they add nothing: the demo already holds those movements.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd

from forecasting.core import columns as C
from forecasting.demo import company
from forecasting.demo.params import BNP, CIC
from forecasting.demo.statement_files import camt053_xml, cfonb120_text

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
EXAMPLE_DAY = date(2026, 11, 23)  # fixed: the files are committed, and the tests' demo is of this day
WEEKS = 4


def example_files(today: date = EXAMPLE_DAY) -> dict[str, str]:
    """Return {file name: text} of the two example statements of the demo at `today`."""
    data = company.generate(today=today)
    moves = data.bank_movements
    first = pd.Timestamp(today) - pd.Timedelta(weeks=WEEKS)
    recent = moves[moves[C.BOOKING_DATE] > first]
    balances = data.bank_balances
    out = {}
    for account, name, writer in ((BNP, f"{BNP}-cfonb120.txt", cfonb120_text), (CIC, f"{CIC}-camt053.xml", camt053_xml)):
        mine = recent[recent[C.ACCOUNT_ID] == account]
        before = balances[(balances[C.ACCOUNT_ID] == account) & (balances[C.BALANCE_DATE] <= first)]
        opening = before.sort_values(C.BALANCE_DATE).iloc[-1]
        accounts = pd.DataFrame({C.ACCOUNT_ID: [account], C.IBAN: [data.account_ibans[account]],
                                 C.CURRENCY: [C.REPORTING_CURRENCY], C.OPENING_DATE: [opening[C.BALANCE_DATE]],
                                 C.OPENING_BALANCE: [float(opening[C.BALANCE])]})
        out[name] = writer(mine, accounts)
    return out


def main() -> int:
    """Write the example statements and say where."""
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    for name, text in example_files().items():
        (EXAMPLES / name).write_text(text, encoding="utf-8", newline="")
        print(EXAMPLES / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
