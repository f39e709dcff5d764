"""The kinds of file the import knows, each with its parse, checks and upsert steps (SPECS, read by staging.py)."""

from __future__ import annotations

from forecasting.ingest import kinds_invoices, kinds_reference
from forecasting.ingest.fields import BOOL, DATE, MONEY, NUMBER, TERMS, TEXT, fields_of
from forecasting.ingest.parsing import KindSpec

SPECS: dict[str, KindSpec] = {**kinds_invoices.SPECS, **kinds_reference.SPECS}
assert all(f.type in (TEXT, DATE, MONEY, NUMBER, BOOL, TERMS) for k in SPECS for f in fields_of(k))
