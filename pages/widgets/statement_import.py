"""The Data page's import summary line, and its bank statement import: the format detected, what the file holds, the import and its counts."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from forecasting.core import columns as C
from forecasting.ingest.bank.detect import read_statement_file
from forecasting.ingest.bank.types import StatementFile
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.pipeline import import_file
from forecasting.ingest.staging import ImportReport
from forecasting.store.database import Store
from pages.widgets.common import _, counted, date_text, lang


def import_summary(report: ImportReport) -> str:
    """Return the import counts as one line in the page's language, each count's words agreeing with its number."""
    return report.line(lang())


@st.cache_data(max_entries=4, show_spinner=False)
def _read(path: str, file_name: str, size: int) -> StatementFile:
    """Return the parsed file, read once per upload: every click on the page reruns it (`size` keys a new file)."""
    return read_statement_file(path, file_name)


def statement_import(store: Store, path: Path, file_name: str) -> None:
    """Show the statement file's format and contents, and import it on click (errors shown by the caller)."""
    parsed = _read(str(path), file_name, path.stat().st_size)
    st_, mv = parsed.statements, parsed.movements
    st.info(_("Format detected: {format}", format=parsed.format_name))
    st.caption(", ".join([
        counted("{n} statement", "{n} statements", len(st_)),
        counted("{n} account", "{n} accounts", st_[C.IBAN].nunique()),
        counted("{n} movement", "{n} movements", len(mv)),
    ]) + " " + _("from {first} to {last}; every statement balances from its opening to its closing balance.",
                 first=date_text(st_[C.CLOSING_DATE].min()), last=date_text(st_[C.CLOSING_DATE].max())))
    create = st.checkbox(_("Create the accounts this file names that the database does not know (under their IBAN)"),
                         key="import_create_accounts",
                         help=_("Otherwise declare each account first: a bank balances file with an iban column."))
    if st.button(_("Import"), type="primary", key="import_go"):
        report = import_file(store, path, ImportOptions(kind="bank-statement", create_accounts=create),
                             display_name=file_name)
        st.success(import_summary(report))
