"""The import templates in data/templates/ are current, import as they are, and mean the same in both languages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.core.ledger import Ledger
from forecasting.ingest.fields import fields_of, guess_mapping
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.pipeline import import_file
from forecasting.ingest.templates import KINDS_IN_ORDER, LANGUAGES, template_csv
from forecasting.store.database import Store
from tests.fixtures.demo import ROOT

TEMPLATES = ROOT / "data" / "templates"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS_IN_ORDER)
def test_committed_template_is_what_the_generator_writes(kind: str, language: str) -> None:
    assert (TEMPLATES / language / f"{kind}.csv").read_bytes() == template_csv(kind, language), (
        "run: python -m forecasting.ingest.templates data/templates")


@pytest.mark.parametrize("kind", KINDS_IN_ORDER)
def test_every_french_header_is_recognised_as_its_field(kind: str) -> None:
    headers = template_csv(kind, "fr").decode("utf-8-sig").splitlines()[0].split(";")
    assert sorted(guess_mapping(kind, headers)) == sorted(f.name for f in fields_of(kind))


def _imported(language: str, tmp_path: Path) -> Ledger:
    """Return the ledger after importing every template of the language in order; no row may be rejected."""
    store = Store(tmp_path / f"{language}.duckdb")
    for kind in KINDS_IN_ORDER:
        report = import_file(store, TEMPLATES / language / f"{kind}.csv", ImportOptions(kind=kind))
        assert report.rejected == 0 and report.inserted == report.rows_read > 0, report.summary()
    return store.read_ledger()


def test_the_templates_import_in_order_with_the_figures_they_show(tmp_path: Path) -> None:
    ledger = _imported("en", tmp_path)
    rec = ledger.receivables.set_index("invoice_id")
    assert rec.loc["FA-2026-0102", "due_date"] == pd.Timestamp("2026-11-30")  # no due date: 1 Oct + net 60
    assert list(rec["status"]) == ["paid", "open", "open"] and bool(rec.loc["FA-2026-0103", "disputed"])
    paid = ledger.payments.groupby("invoice_id")["amount"].sum()
    assert paid["FA-2026-0101"] == 12000.0 and paid["FA-2026-0102"] == 4450.5  # 4,000 € left open
    by = ledger.payments.set_index("payment_id")["settled_by"]
    assert by["RC-0001"] == "cash" and by["AV-0001"] == "credit_note"  # a transfer, a credit note of 450.50 €
    assert paid["FF-7802"] == 2150.75
    assert sorted(ledger.planned_flows["category"]) == ["capex", "payroll", "vat"]
    assert ledger.bank_balances["balance"].sum() == pytest.approx(293420.35)


def test_french_and_english_templates_store_the_same_data(tmp_path: Path) -> None:
    en, fr = _imported("en", tmp_path), _imported("fr", tmp_path)
    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        """Return the rows in one order: two payments of one file may be read back in either."""
        return frame.sort_values(sorted(frame.columns)).reset_index(drop=True)

    for table in ("counterparties", "receivables", "payables", "payments", "bank_balances", "fx_rates"):
        pd.testing.assert_frame_equal(ordered(getattr(fr, table)), ordered(getattr(en, table)), check_like=True,
                                      obj=table)
    flows = ["flow_id", "category", "account_id", "amount", "first_date", "recurrence", "end_date"]
    pd.testing.assert_frame_equal(fr.planned_flows[flows], en.planned_flows[flows])  # labels are translated
