"""Data page: upload a file, check the guessed columns, import it, see errors or counts, and the history."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from forecasting.core.access import IMPORT, PLANNED_FLOWS_EDIT, START_FROM_EMPTY
from forecasting.core.errors import CashpilotError, ColumnsMissing, DatesUnclear
from forecasting.ingest.fields import fields_of
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.pipeline import import_file, preview
from forecasting.ingest.staging import ImportRejected
from forecasting.ingest.templates import template_csv
from pages.widgets.admin import admin_section
from pages.widgets.common import (
    COUNT_COLUMNS,
    IMPORT_KINDS,
    _,
    counted,
    ensure_app,
    get_store,
    import_log_columns,
    kind_label,
    known,
    labeller,
    lang,
    option_label,
    styled,
)
from pages.widgets.data_edit import planned_flows_editor, start_from_empty
from pages.widgets.identity import can
from pages.widgets.login import read_only_notice
from pages.widgets.statement_import import import_summary, statement_import

ensure_app()

NOT_USED = "— not in the file —"
STATEMENT_SUFFIXES = ["xml", "sta", "mt940", "940", "dat", "cfonb", "120", "asc"]  # banks name statements freely
ERROR_COLUMNS = {"row": "Row", "column": "Column", "value": "Value", "reason": "Reason"}
ACCEPTED = ("csv", "txt", "tsv", "xlsx", "parquet", *STATEMENT_SUFFIXES)
# What each field of an import is called on screen (its id stays the English template's header).
FIELD_NAMES = {
    "invoice_id": "Invoice number", "counterparty_id": "Client or supplier code",
    "counterparty_name": "Client or supplier name", "issue_date": "Invoice date", "due_date": "Due date",
    "amount": "Amount", "currency": "Currency", "paid_date": "Payment date", "paid_amount": "Amount paid",
    "disputed": "Disputed", "segment": "Segment", "entity": "Entity", "terms": "Payment terms",
    "payment_id": "Payment reference", "side": "Client or supplier", "account_id": "Bank account",
    "balance_date": "Balance date", "balance": "Balance", "account_name": "Account name", "bank": "Bank",
    "overdraft_limit": "Authorised overdraft", "label": "Label", "first_date": "First date", "category": "Category",
    "recurrence": "Recurrence", "end_date": "End date", "flow_id": "Flow reference", "kind": "Client or supplier",
    "credit_limit": "Credit limit", "rate_date": "Rate date", "rate": "Exchange rate", "iban": "IBAN",
}
# The date formats a file may use, each shown by how it writes 31 December 2026 (None: told from the file).
DATE_FORMATS = (None, "%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%Y/%m/%d")
EXAMPLE_DAY = date(2026, 12, 31)


def _field_name(name: str) -> str:
    """Return a field's name on screen, in the page's language ('invoice_id' -> N° de facture)."""
    return known(FIELD_NAMES.get(name, name.replace("_", " ")))


def _date_format_label(fmt: str | None) -> str:
    """Return how a date format is offered: the example day it writes, or 'detect'."""
    return _("Detect (2026-12-31 or 31/12/2026)") if fmt is None else EXAMPLE_DAY.strftime(fmt)


def _problem(exc: CashpilotError) -> str:
    """Return why an import stopped, in the page's language and naming the page's controls (not the CLI's flags)."""
    if isinstance(exc, ColumnsMissing):
        return _("{file}: no column found for {fields}. Choose the column of each in the choices above (* required), "
                 "then import again.", file=exc.file_name, fields=", ".join(_field_name(f) for f in exc.fields))
    if not isinstance(exc, DatesUnclear):
        return str(exc)
    control = _("Dates in the file")
    if exc.why == DatesUnclear.MONTH_FIRST:
        return _("{file}: the dates look like month/day/year (US style). Choose {example} under “{control}”, then "
                 "import again.", file=exc.file_name, example=EXAMPLE_DAY.strftime("%m/%d/%Y"), control=control)
    if exc.why == DatesUnclear.AMBIGUOUS:
        return _("{file}, column {column}: the date {value} may be day/month or month/day, and no date in the file "
                 "tells which. Choose the order under “{control}”, then import again.", file=exc.file_name,
                 column=exc.column, value=exc.value, control=control)
    if exc.why == DatesUnclear.MIXED:
        return _("{file}: the dates mix day/month and month/day orders. Correct the file, or choose one order "
                 "under “{control}” (the dates it cannot read are then listed).", file=exc.file_name, control=control)
    return _("{file}, column {column}: cannot read the date {value}. Choose how the file writes its dates under "
             "“{control}”, then import again.", file=exc.file_name, column=exc.column, value=exc.value,
             control=control)


def _saved_upload(upload_file) -> Path:  # noqa: ANN001
    """Return the uploaded file written to a temporary path with its extension (readers go by it).

    The copy lives for one run of the page: it is deleted at the end of the run that wrote it, whatever happened
    (the upload itself stays in the session's memory, so the next run writes it again).
    """
    target = Path(tempfile.gettempdir()) / f"cashpilot-upload-{upload_file.file_id}{Path(upload_file.name).suffix}"
    target.write_bytes(upload_file.getvalue())
    return target


def _errors_table(errors: pd.DataFrame) -> None:
    """Show the rejected rows and their reasons (the reasons come from the importer, in English)."""
    st.dataframe(errors, hide_index=True, width="stretch",
                 column_config={c: _(label) for c, label in ERROR_COLUMNS.items()})


st.title(_("Data"))
store = get_store()

kind = st.selectbox(_("What does the file contain?"), list(IMPORT_KINDS),
                    format_func=option_label(IMPORT_KINDS), key="import_kind")
upload = None
if can(IMPORT):  # a viewer gets no uploader (and the store refuses their import anyway)
    # No `type=`: Streamlit would list every extension under the drop zone, in English and cut on a narrow window;
    # the label says what is read, and another file is refused below in the page's language.
    upload = st.file_uploader(_("File (CSV, xlsx, Parquet, FEC, bank statement)"), key="import_file",
                              help=_("Accepted: {types}", types=", ".join(f".{t}" for t in ACCEPTED)))
    if upload is not None and Path(upload.name).suffix.lower().lstrip(".") not in ACCEPTED:
        st.error(_("{file} is not a file cashpilot reads: expected one of {types}.", file=upload.name,
                   types=", ".join(f".{t}" for t in ACCEPTED)))
        upload = None
else:
    read_only_notice(_("importing files"))

if upload is not None and kind == "bank-statement":
    statement_copy = _saved_upload(upload)
    try:
        statement_import(store, statement_copy, upload.name)
    except CashpilotError as exc:
        st.error(str(exc))
    finally:
        statement_copy.unlink(missing_ok=True)  # read (its parse is cached) or refused: it does not outlive this run
elif upload is not None:
    path = _saved_upload(upload)
    try:
        sheet = None
        mapping: dict[str, str] = {}
        if kind != "fec":
            if path.suffix.lower() == ".xlsx":
                sheet = st.text_input(_("Sheet (empty = the first)"), key="import_sheet") or None
            pv = preview(path, kind, sheet=sheet, display_name=upload.name)
            st.markdown(_("**Columns**: check what each field is read from, and correct it if needed "
                          "(* required)."))
            options = [NOT_USED, *pv.headers]
            cols = st.columns(3)
            say = labeller()
            for i, f in enumerate(fields_of(kind)):
                guessed = pv.mapping.get(f.name)
                label = f"{_field_name(f.name)}{' *' if f.required else ''}"
                choice = cols[i % 3].selectbox(label, options, index=options.index(guessed) if guessed else 0,
                                               key=f"map_{kind}_{f.name}", help=known(f.help) if f.help else None,
                                               format_func=lambda o: say(o) if o == NOT_USED else o)
                if choice != NOT_USED:
                    mapping[f.name] = choice
                elif guessed:
                    mapping[f.name] = ""  # the user removed a guessed column
            st.markdown(_("**First rows of the file**"))
            st.dataframe(pv.sample, hide_index=True, width="stretch")
        date_format = st.selectbox(_("Dates in the file"), DATE_FORMATS, key="import_date_format",
                                   format_func=_date_format_label)
        skip_invalid = st.checkbox(_("Import the valid rows and set the invalid ones aside"), key="import_skip")
        if st.button(_("Import"), type="primary", key="import_go"):
            rejects = Path(tempfile.gettempdir()) / f"cashpilot-rejects-{upload.file_id}.csv"
            opts = ImportOptions(kind=kind, mapping=mapping, date_format=date_format, sheet=sheet,
                                 skip_invalid=skip_invalid, rejects_path=str(rejects) if skip_invalid else None)
            try:
                report = import_file(store, path, opts, display_name=upload.name)
            except ImportRejected as exc:
                st.error(counted("{n} error found in {file}: nothing was imported.",
                                 "{n} errors found in {file}: nothing was imported.", exc.total, file=upload.name))
                _errors_table(exc.errors)
            else:
                st.success(import_summary(report))
                if report.rejected and rejects.exists():
                    st.warning(counted("{n} row was set aside.", "{n} rows were set aside.", report.rejected))
                    _errors_table(report.errors)
                    st.download_button(_("Download the rejected rows"), rejects.read_bytes(), file_name="rejects.csv",
                                       mime="text/csv")
            finally:
                rejects.unlink(missing_ok=True)  # read into the button above: no copy of the rows stays on disk
    except CashpilotError as exc:
        st.error(_problem(exc))
    finally:
        path.unlink(missing_ok=True)  # read or refused, the uploaded copy does not outlive this run

if can(PLANNED_FLOWS_EDIT):  # a viewer reads them on the Cash outlook; the store refuses their save anyway
    planned_flows_editor()

admin_section(store)  # an admin only: load the demo company, the audit table

st.subheader(_("Import history"))
log = store.import_log(200)
if log.empty:
    st.caption(_("No import yet."))
else:
    st.dataframe(styled(log.drop(columns=["sha256"]).assign(kind=log["kind"].map(kind_label)),
                        number_columns=COUNT_COLUMNS), hide_index=True, width="stretch",
                 column_config=import_log_columns())

with st.expander(_("Accepted fields")):
    if kind == "bank-statement":
        st.caption(_("CFONB 120 (French banks' statement file: records 01, 04, 05, 07), camt.053 (ISO 20022 XML, "
                     "versions 001.02 and later) or MT940: the format is told from the file itself. Each account "
                     "is found by its IBAN; a statement whose movements do not lead from its opening to its "
                     "closing balance is refused, and importing a statement again adds nothing."))
    elif kind != "fec":
        language = lang()
        st.download_button(_("Download a template (CSV)"), data=lambda: template_csv(kind, language),
                           file_name=f"cashpilot-{kind}-template.csv", mime="text/csv", on_click="ignore",
                           icon=":material/download:", key="import_template")
        st.caption(_("A small example file with every field, in this language's conventions: fill it in a "
                     "spreadsheet and import it here. Import exchange rates first, then counterparties, invoices, "
                     "payments."))
    fields = () if kind == "bank-statement" else fields_of(kind if kind != "fec" else "receivables")
    rows = [{"field": _field_name(f.name), "required": _("yes") if f.required else "", "type": known(f.type),
             "notes": known(f.help), "recognised headers": ", ".join(f.aliases[:8])} for f in fields]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config={"field": _("Field"), "required": _("Required"), "type": _("Type"),
                                    "notes": _("Notes"), "recognised headers": _("Recognised headers")})

if can(START_FROM_EMPTY):  # an admin only (the store refuses anyone else)
    start_from_empty()
