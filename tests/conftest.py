"""Shared fixtures (a demo database built once per test session) and the suites' markers by folder."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from forecasting.core.ledger import Ledger
from forecasting.demo import company as demo
from forecasting.store.database import Store
from tests.fixtures.demo import DEMO_TODAY, ROOT

# The dashboard's error boundary re-raises what it logs (pages/widgets/errors.py): the tests, and the servers the
# browser tests start, still see an unexpected exception as one. Its own tests unset it.
os.environ.setdefault("CASHPILOT_RAISE_ERRORS", "1")

# Hypothesis's profiles for the property-based suite (tests/ingest/test_properties.py). "ci", loaded by default: the
# same examples every run (derandomized), 12 per damaged file kind, ~0.1 s each on a quiet machine, so `make test`
# stays well under a minute. "deep" (--hypothesis-profile=deep): forty times as many, new ones each run, for a nightly
# job or before a release. Both keep the 30 s deadline an import must meet whatever the file.
settings.register_profile("ci", max_examples=12, deadline=timedelta(seconds=30), derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", settings.get_profile("ci"), max_examples=480, derandomize=False, print_blob=True)
settings.load_profile("ci")


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the dashboard's AppTest runs `app` and the real servers and browsers `e2e` (make test-fast skips both)."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        if parts[0] == "app":
            item.add_marker(pytest.mark.app)
        elif parts[0] == "e2e":
            item.add_marker(pytest.mark.e2e)
