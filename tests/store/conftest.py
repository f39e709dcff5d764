"""The store tests' database: two invoices imported, one of them paid."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.store.database import Store
from tests.fixtures.ingest import INVOICE_HEADER, new_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Return a store holding two invoices, one of them paid."""
    return new_store(tmp_path / "cashpilot.duckdb", ("base.csv", "receivables", INVOICE_HEADER + (
        "B-1,Base Co,2026-01-05,2026-02-04,500.00,2026-02-10\nB-2,Base Co,2026-01-06,2026-02-05,80.00,\n")))
