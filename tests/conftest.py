"""Shared fixtures: a demo database built once per test session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.store.database import Store

DEMO_TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of a database holding the demo company (seed 42, scale 1, today 2026-11-23)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    Store(path).replace_all(Ledger.from_object(demo.generate(seed=42, scale=1.0, today=DEMO_TODAY)))
    return path


@pytest.fixture(scope="session")
def demo_ledger() -> Ledger:
    """Return the demo company in memory (seed 42, scale 1, today 2026-11-23), generated once per session."""
    return Ledger.from_object(demo.generate(seed=42, scale=1.0, today=DEMO_TODAY))
