"""What is loaded, in a treasurer's terms: counts, dates, and what the headline figures are computed from.

The amounts the Overview shows (open receivables and payables, opening cash) are not computed here but by
reports/figures.py from the `basis` (the ledger settled at as-of, kpis/base.py) and the `opening` (the forecast's
opening balances, projection/opening.py) kept here, so they equal the Receivables and Cash outlook pages' figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.core.types import as_of_timestamp
from forecasting.kpis.base import KpiBasis, KpiSettings, kpi_basis
from forecasting.projection.opening import Opening, opening_at


@dataclass(frozen=True, eq=False)
class Overview:
    """What is loaded, and the ledger settled at as-of and the opening balances its figures come from."""

    n_clients: int
    n_suppliers: int
    first_invoice: date | None
    last_invoice: date | None
    basis: KpiBasis
    opening: Opening


def overview(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> Overview:
    """Return the counts and dates of the loaded data with its basis and opening balances at as-of."""
    issue = ledger.receivables[C.ISSUE_DATE]
    kinds = ledger.counterparties[C.KIND]
    return Overview(
        n_clients=int((kinds == C.CLIENT).sum()), n_suppliers=int((kinds == C.SUPPLIER).sum()),
        first_invoice=pd.Timestamp(issue.min()).date() if len(issue) else None,
        last_invoice=pd.Timestamp(issue.max()).date() if len(issue) else None,
        basis=kpi_basis(ledger, as_of, settings or KpiSettings()), opening=opening_at(ledger, as_of_timestamp(as_of)),
    )
