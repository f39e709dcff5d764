"""The Ledger: every table the forecast needs, as pandas frames, read once per data version."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from forecasting.core import columns as C

_EMPTY_SHAPES: dict[str, list[str]] = {
    "counterparties": C.COUNTERPARTY_COLUMNS,
    "receivables": C.INVOICE_COLUMNS,
    "payables": C.INVOICE_COLUMNS,
    "payments": C.PAYMENT_COLUMNS,
    "bank_accounts": C.BANK_ACCOUNT_COLUMNS,
    "bank_balances": C.BANK_BALANCE_COLUMNS,
    "planned_flows": C.PLANNED_FLOW_COLUMNS,
    "fx_rates": C.FX_COLUMNS,
}


@dataclass(frozen=True)
class Ledger:
    """All imported data: column names from `forecasting.core.columns`, dates as datetime64, money as float64."""

    counterparties: pd.DataFrame
    receivables: pd.DataFrame
    payables: pd.DataFrame
    payments: pd.DataFrame
    bank_accounts: pd.DataFrame
    bank_balances: pd.DataFrame
    planned_flows: pd.DataFrame
    fx_rates: pd.DataFrame

    @classmethod
    def from_object(cls, obj: Any) -> Ledger:
        """Return a Ledger built from any object with the same attribute names (e.g. demo.DemoData)."""
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})

    @classmethod
    def empty(cls) -> Ledger:
        """Return a Ledger with every table empty but correctly shaped."""
        return cls(**{name: pd.DataFrame(columns=cols) for name, cols in _EMPTY_SHAPES.items()})

    def invoices(self, side: str) -> pd.DataFrame:
        """Return the receivables or the payables frame."""
        return self.receivables if side == C.RECEIVABLE else self.payables

    def payments_of(self, side: str) -> pd.DataFrame:
        """Return the payments made against invoices of one side."""
        return self.payments[self.payments[C.SIDE] == side]
