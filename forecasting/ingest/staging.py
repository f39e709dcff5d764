"""One file's rows through the import inside a transaction: stage, parse and check every row in SQL, upsert.

Shared by the plain pipeline (pipeline.py) and the FEC, which runs it once per invoice table it builds.
"""


from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import cast

import pandas as pd

from forecasting.core.cell_safety import safe_sql, safe_text
from forecasting.core.errors import InputError
from forecasting.i18n.translate import CountedMessage, tr
from forecasting.ingest import kinds
from forecasting.ingest.detect import detect_date_format, detect_decimal
from forecasting.ingest.fields import DATE, MONEY, NUMBER, fields_of, guess_mapping
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.parsing import AnyCheck, Conventions
from forecasting.ingest.readers import RawFile, count_lines, record_lines
from forecasting.ingest.sqlexpr import quote_ident, quote_literal, trimmed
from forecasting.store.transaction import Tx

MAX_ERRORS_SHOWN = 50


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the CLI, the Data page and the import log."""

    file_name: str
    kind: str
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    extra: dict[str, int] = field(default_factory=dict)  # e.g. payments inserted from a receivables file
    errors: pd.DataFrame | None = None  # rejected rows with their reason (skip-invalid mode)

    def summary(self) -> str:
        """Return one line a treasurer can read, in English (the import log's note)."""
        return self.line("en")

    def line(self, lang: str) -> str:
        """Return the import's counts as one line in `lang`, every count's words agreeing with its number
        ('ar.csv: 1 row read, …; 1 payment inserted; 2 counterparties added')."""
        head = tr("{file}: {counts}", lang, file=self.file_name,
                  counts=", ".join(m.in_language(lang) for m in self.counts()))
        return "; ".join([head, *(m.in_language(lang) for m in self.extra_counts())])

    def counts(self) -> tuple[CountedMessage, ...]:
        """Return the counts as messages whose words agree with each number ('1 ligne lue, 2 ajoutées'), to be
        joined with ', ' after the file's name in any language."""
        return count_messages(self.rows_read, self.inserted, self.updated, self.rejected, self.unchanged)

    def extra_counts(self) -> tuple[CountedMessage, ...]:
        """Return the extra counts that are not zero, in their order, as counted messages ('1 tiers ajouté')."""
        return tuple(extra_message(key, n) for key, n in self.extra.items() if n)


def count_messages(read: int, inserted: int, updated: int, rejected: int,
                   unchanged: int | None = None) -> tuple[CountedMessage, ...]:
    """Return an import's counts as counted messages (unchanged left out when not known, as in the import log)."""
    parts = [CountedMessage("{n} row read", "{n} rows read", read),
             CountedMessage("{n} inserted", "{n} inserted", inserted),
             CountedMessage("{n} updated", "{n} updated", updated)]
    if unchanged is not None:
        parts.append(CountedMessage("{n} unchanged", "{n} unchanged", unchanged))
    return (*parts, CountedMessage("{n} rejected", "{n} rejected", rejected))


# Each key of ImportReport.extra with the words of its count, written out so that each form is in the catalog.
_EXTRA_MESSAGES: dict[str, Callable[[int], CountedMessage]] = {
    "payments inserted": lambda n: CountedMessage("{n} payment inserted", "{n} payments inserted", n),
    "payments updated": lambda n: CountedMessage("{n} payment updated", "{n} payments updated", n),
    "payments removed": lambda n: CountedMessage("{n} payment removed", "{n} payments removed", n),
    "counterparties added": lambda n: CountedMessage("{n} counterparty added", "{n} counterparties added", n),
    "accounts inserted": lambda n: CountedMessage("{n} account inserted", "{n} accounts inserted", n),
    "accounts updated": lambda n: CountedMessage("{n} account updated", "{n} accounts updated", n),
    "accounts created": lambda n: CountedMessage("{n} account created", "{n} accounts created", n),
    "statements read": lambda n: CountedMessage("{n} statement read", "{n} statements read", n),
    "balances inserted": lambda n: CountedMessage("{n} balance inserted", "{n} balances inserted", n),
    "balances updated": lambda n: CountedMessage("{n} balance updated", "{n} balances updated", n),
    # a FEC's bank lines not lettered yet (forecasting/ingest/fec_lettering.py: unlettered_payments)
    "unlettered bank lines imputed": lambda n: CountedMessage(
        "{n} unlettered bank line paid open invoices (oldest first)",
        "{n} unlettered bank lines paid open invoices (oldest first)", n),
    "unlettered bank lines unused": lambda n: CountedMessage(
        "{n} unlettered bank line found no open invoice to pay", "{n} unlettered bank lines found no open invoice to pay",
        n),
    # a FEC's opening entries (forecasting/ingest/fec_opening.py)
    "opening balances carried forward": lambda n: CountedMessage(
        "{n} opening balance carried forward from the year before (owed; no delay learned from it)",
        "{n} opening balances carried forward from the year before (owed; no delay learned from them)", n),
    "opening balances already known": lambda n: CountedMessage(
        "{n} opening balance was an invoice already imported", "{n} opening balances were invoices already imported",
        n),
    # the FEC's invoice tables (forecasting/ingest/fec.py: f"{kind} inserted")
    "receivables inserted": lambda n: CountedMessage("{n} client invoice inserted", "{n} client invoices inserted", n),
    "payables inserted": lambda n: CountedMessage("{n} supplier invoice inserted", "{n} supplier invoices inserted", n),
}
EXTRA_KEYS: frozenset[str] = frozenset(_EXTRA_MESSAGES)


def extra_message(key: str, n: int) -> CountedMessage:
    """Return an extra count of an import (a key of ImportReport.extra) as a message whose words agree with `n`."""
    make = _EXTRA_MESSAGES.get(key)
    # A key not listed above still shows its number (its words unchanged): a test keeps the list complete.
    return make(n) if make is not None else CountedMessage("{n} {what}", "{n} {what}", n, what=key)


class ImportRejected(InputError):
    """The file has errors; nothing was imported. `errors` lists them (row, column, value, reason)."""

    def __init__(self, file_name: str, errors: pd.DataFrame, total: int) -> None:
        self.errors = errors
        self.total = total
        lines = [f"{file_name}: {total} error{'s' if total > 1 else ''} found, nothing was imported."]
        for e in errors.head(MAX_ERRORS_SHOWN).itertuples(index=False):
            cell = cast("str | None", e.value)  # row_errors.value is CAST(... AS VARCHAR): text or NULL
            value = "" if cell is None or pd.isna(cell) else f", value '{cell}'"
            lines.append(f"  row {e.row}, column '{e.column}'{value}: {e.reason}")
        if total > MAX_ERRORS_SHOWN:
            lines.append(f"  ... and {total - MAX_ERRORS_SHOWN} more (the first {MAX_ERRORS_SHOWN} are shown).")
        lines.append("Fix the file, or import the valid rows with --skip-invalid --rejects FILE.")
        super().__init__("\n".join(lines))


def resolve_mapping(kind: str, headers: list[str], overrides: dict[str, str], file_name: str) -> dict[str, str]:
    """Return field -> header: the automatic guess corrected by the user's choices, checked."""
    known = {f.name for f in fields_of(kind)}
    for name, header in overrides.items():
        if name not in known:
            raise InputError(f"--map {name}={header}: unknown field '{name}' for {kind}; known: {', '.join(sorted(known))}")
        if header and header not in headers:
            raise InputError(f"{file_name}: --map {name}={header}: no column '{header}'; columns: {', '.join(headers)}")
    mapping = guess_mapping(kind, headers)
    taken_by_override = {h for h in overrides.values() if h}
    mapping = {f: h for f, h in mapping.items() if h not in taken_by_override}
    mapping.update({f: h for f, h in overrides.items() if h})
    for name in [f for f, h in overrides.items() if not h]:
        mapping.pop(name, None)  # "--map paid_date=" means: do not use that column
    return mapping


def missing_required(kind: str, mapping: dict[str, str]) -> list[str]:
    """Return the required fields that no column provides."""
    missing = [f.name for f in fields_of(kind) if f.required and f.name not in mapping]
    if kind in ("receivables", "payables") and "counterparty_id" not in mapping and "counterparty_name" not in mapping:
        missing.append("counterparty_id (or counterparty_name)")
    return missing


def run_in_transaction(tx: Tx, raw: RawFile, options: ImportOptions, mapping: dict[str, str],
                       conventions: Conventions) -> ImportReport:
    """Stage, parse, check and upsert inside an open transaction (FEC calls this twice in one)."""
    spec = kinds.SPECS[options.kind]
    checks = spec.checks(mapping, options, str(conventions["date_format"]))
    # Rows without a single value (";;;;" lines of spreadsheet exports) are not data.
    blank = " AND ".join(f"COALESCE({trimmed(quote_ident(h))}, '') = ''" for h in raw.headers)
    failing: list[AnyCheck] | None = None
    if raw.frame is None and not raw.quoted and not spec.upsert_reads_row:
        # Fast path: parse straight from the file, read by both threads, without line numbers (numbering
        # the rows takes a single-threaded pass and a staged copy). No quote, so no cell spans lines and the
        # parallel reader splits the file as the single-threaded one does. If a row fails a check, its line
        # is needed after all: the file is staged again below, with line numbers, and checked again.
        tx.csv_view("csv_rows", str(raw.csv_path), raw.delimiter, raw.headers, f"NOT ({blank})")
        with tx.csv_errors(raw.display_name):
            spec.parse(tx, mapping, conventions, options, "csv_rows")
        tx.execute("DROP VIEW csv_rows")
        if not _failing_checks(tx, checks):
            failing = []
    if failing is None:
        tx.execute("DROP TABLE IF EXISTS raw_rows")
        if raw.frame is not None:
            tx.stage_frame("raw_rows", raw.frame)
        else:
            tx.stage_csv("raw_rows", str(raw.csv_path), raw.delimiter, raw.headers, raw.display_name)
            _renumber_if_shifted(tx, raw)
        tx.execute(f"DELETE FROM raw_rows WHERE {blank}")
        spec.parse(tx, mapping, conventions, options)
        failing = _failing_checks(tx, checks)
    rows_read = int(tx.scalar("SELECT count(*) FROM parsed"))
    total_errors = rejected_rows = 0
    errors = None
    if failing:
        rows = "\nUNION ALL\n".join(c.rows_sql() for c in failing)
        tx.execute(f"CREATE OR REPLACE TEMP TABLE row_errors AS {rows}")
        total_errors = int(tx.scalar("SELECT count(*) FROM row_errors"))
        rejected_rows = int(tx.scalar("SELECT count(DISTINCT row) FROM row_errors"))
        errors = tx.df("SELECT row, \"column\", value, reason FROM row_errors ORDER BY row, \"column\"")
        if not options.skip_invalid:
            raise ImportRejected(raw.display_name, errors.head(MAX_ERRORS_SHOWN), total_errors)
        _write_rejects(tx, raw, options)
        tx.execute("DELETE FROM parsed WHERE _row IN (SELECT row FROM row_errors)")
    counts, extra = spec.upsert(tx, options)
    log = dict(
        file_name=raw.display_name, sha256=raw.sha256, kind=options.kind, source=options.source, rows_read=rows_read,
        rows_inserted=counts[0], rows_updated=counts[1], rows_unchanged=counts[2], rows_rejected=rejected_rows,
    )
    tx.execute(
        "INSERT INTO import_log (file_name, sha256, kind, source, rows_read, rows_inserted, rows_updated, "
        "rows_unchanged, rows_rejected, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*log.values(), datetime.now()],
    )
    if counts[0] or counts[1] or any(extra.values()):
        tx.bump_data_version()
    return ImportReport(raw.display_name, options.kind, rows_read, counts[0], counts[1], counts[2],
                        rejected_rows, extra, errors)


def _failing_checks(tx: Tx, checks: list[AnyCheck]) -> list[AnyCheck]:
    """Return the checks that some row fails, found in one pass over `parsed` (most files fail none).

    Listing the error rows takes one scan per check; only the checks found failing pay for it.
    """
    if not checks:
        return []
    found = tx.row("SELECT " + ", ".join(c.found_sql() for c in checks) + " FROM parsed")
    return [c for c, n in zip(checks, found or (), strict=True) if n]


def _renumber_if_shifted(tx: Tx, raw: RawFile) -> None:
    """Give staged CSV rows their line in the file when blank lines or multi-line cells shifted them."""
    if int(tx.scalar("SELECT count(*) FROM raw_rows")) + 1 == count_lines(Path(str(raw.csv_path))):
        return  # one record per line: record number + 1 is the line number (the usual, fast case)
    lines = record_lines(Path(str(raw.csv_path)), raw.delimiter)
    if len(lines) != int(tx.scalar("SELECT count(*) FROM raw_rows")):
        return  # Python's csv module split the file differently: keep record numbers rather than guess
    tx.register("line_numbers", pd.DataFrame({"record": range(2, len(lines) + 2), "line": lines}))
    tx.execute("UPDATE raw_rows SET _row = n.line FROM line_numbers n WHERE raw_rows._row = n.record")


def conventions_of(raw: RawFile, options: ImportOptions, mapping: dict[str, str]) -> Conventions:
    """Return the date format and, per amount field, whether it uses a decimal comma."""
    fields = {f.name: f for f in fields_of(options.kind)}
    sample = raw.sample
    decimal_comma: dict[str, bool] = {}
    for name, header in mapping.items():
        if fields[name].type in (MONEY, NUMBER):
            decimal_comma[name] = detect_decimal(sample[header].dropna().astype(str), default_comma=raw.french)
    french = raw.french or any(decimal_comma.values())
    date_columns = {h: sample[h].dropna().astype(str).tolist() for n, h in mapping.items() if fields[n].type == DATE}
    if options.date_format:
        _check_date_format(options.date_format)
    date_format = options.date_format or detect_date_format(date_columns, raw.display_name, french)
    return {"date_format": date_format, "decimal_comma": decimal_comma}


# The strptime directives DuckDB reads (its docs' table); a letter outside it stopped the import with DuckDB's
# parser text under "cannot read the file as CSV".
_DATE_DIRECTIVES = set("aAwdbBmyYHIpMSfzZjUWcxXgGVu%")


def _check_date_format(date_format: str) -> None:
    """Raise InputError naming a --date-format directive that is not one (e.g. %Q), or a format without one."""
    unknown = [m.group(0) for m in re.finditer(r"%-?(.|$)", date_format) if m.group(1) not in _DATE_DIRECTIVES]
    if unknown or "%" not in date_format:
        found = f"unknown directive {unknown[0]!r}" if unknown else "no directive"
        raise InputError(f"--date-format {date_format}: {found}; expected a format such as %d/%m/%Y "
                         "(%d day, %m month, %Y year, %y two-digit year, %b month name)")


def _write_rejects(tx: Tx, raw: RawFile, options: ImportOptions) -> None:
    """Write the rejected rows, as they were in the file, with the reasons, to the rejects file.

    A cell a spreadsheet would run as a formula is written as text (prefixed with '); numbers are unchanged.
    """
    cols = ", ".join(f"{safe_sql('r.' + quote_ident(h))} AS {quote_ident(safe_text(h))}" for h in raw.headers)
    sql = (
        f"SELECT r._row AS row_number, {cols}, {safe_sql('e.reasons')} AS rejection_reason FROM raw_rows r JOIN ("
        "SELECT row, string_agg(\"column\" || ': ' || reason, ' | ' ORDER BY \"column\") AS reasons "
        "FROM row_errors GROUP BY row) e ON e.row = r._row ORDER BY r._row"
    )
    target = Path(str(options.rejects_path))
    target.parent.mkdir(parents=True, exist_ok=True)
    tx.copy_to_csv(sql, str(target), raw.delimiter if raw.frame is None else ",")


def literal_list(values: list[str]) -> str:
    """Return a SQL list literal of strings."""
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"
