"""The import pipeline: open a file, guess its columns, and import it in one transaction (staging.py does the rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from forecasting.core.access import import_action
from forecasting.core.errors import ColumnsMissing, InputError, OutOfMemory
from forecasting.ingest.fec import import_fec
from forecasting.ingest.fields import KIND_FIELDS
from forecasting.ingest.options import BANK_STATEMENT, ImportOptions
from forecasting.ingest.readers import RawFile, open_raw
from forecasting.ingest.staging import (
    ImportReport,
    conventions_of,
    missing_required,
    resolve_mapping,
    run_in_transaction,
)
from forecasting.store.database import Store


@dataclass(frozen=True)
class Preview:
    """What the Data page shows before an import: the columns, the guessed mapping and the first rows."""

    headers: list[str]
    mapping: dict[str, str]
    sample: pd.DataFrame
    missing_required: list[str]


def preview(path: str | Path, kind: str, mapping: dict[str, str] | None = None, sheet: str | None = None,
            display_name: str | None = None) -> Preview:
    """Return the headers, the mapping that would be used and the first rows of a file."""
    raw = open_raw(path, sheet=sheet, display_name=display_name, sample_only=True)
    try:
        resolved = resolve_mapping(kind, raw.headers, mapping or {}, raw.display_name)
        return Preview(raw.headers, resolved, raw.sample.head(20), missing_required(kind, resolved))
    finally:
        raw.close()


def import_file(store: Store, path: str | Path, options: ImportOptions, display_name: str | None = None) -> ImportReport:
    """Import one file into the store in a single transaction; raise ImportRejected with every error found."""
    try:
        return _import_file(store, path, options, display_name)
    except MemoryError as exc:  # pandas or openpyxl, outside DuckDB's limit (the store translates DuckDB's own)
        raise OutOfMemory(f"{display_name or Path(path).name}: out of memory while reading the file; nothing was "
                          "changed. Close other programs, or import the file in parts") from exc


def _import_file(store: Store, path: str | Path, options: ImportOptions, display_name: str | None) -> ImportReport:
    """Import one file (see import_file)."""
    if options.kind == BANK_STATEMENT:  # CFONB 120, camt.053 or MT940: no columns to map
        # Imported here: mt-940 and schwifty take ~0.5 s to load, which a CSV import need not pay.
        from forecasting.ingest.bank.importer import import_statement_files

        return import_statement_files(store, [path], options.create_accounts, [display_name])[0]
    if options.kind == "fec":
        return import_fec(  # FEC builds two invoice tables and their payments
store, path, options, display_name)
    if options.kind not in KIND_FIELDS:
        raise InputError(f"unknown import kind '{options.kind}'; expected one of {', '.join(KIND_FIELDS)}, fec or "
                         f"{BANK_STATEMENT}")
    if options.skip_invalid and not options.rejects_path:
        raise InputError("--skip-invalid needs --rejects FILE, so that no rejected row is lost")
    raw = open_raw(path, sheet=options.sheet, display_name=display_name)
    try:
        return import_raw(store, raw, options)
    finally:
        raw.close()


def import_raw(store: Store, raw: RawFile, options: ImportOptions) -> ImportReport:
    """Run the pipeline on an opened file."""
    mapping = resolve_mapping(options.kind, raw.headers, options.mapping, raw.display_name)
    missing = missing_required(options.kind, mapping)
    if missing:
        raise ColumnsMissing(
            f"{raw.display_name}: no column found for {', '.join(missing)}. Columns in the file: "
            f"{', '.join(raw.headers)}. Name them with --map FIELD=COLUMN (fields are listed in the README).",
            raw.display_name, tuple(missing),
        )
    conventions = conventions_of(raw, options, mapping)
    with store.transaction(import_action(options.kind)) as tx:  # the note names the file
        report = run_in_transaction(tx, raw, options, mapping, conventions)
        tx.note = report.summary()
        if report.rows_read == 0:  # a header alone (an empty export, the wrong sheet): not a silent "0 rows read"
            raise InputError(f"{raw.display_name}: the file has column names but no rows under them: nothing to "
                             "import (was the export empty, or is it the wrong sheet?)")  # rolls the log back
    return report


