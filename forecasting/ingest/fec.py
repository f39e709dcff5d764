"""FEC (Fichier des Écritures Comptables): receivables from 411/413/416, payables from 401/403, payments from lettering.

Choices (a careful treasurer's reading of a FEC):
- an entry (JournalCode + EcritureNum) that touches a bank or cash account (51*, 53*) is a payment (a bill of
  exchange handed to the bank for collection, 5113, is dated by that entry, a few days before it is paid);
- an entry that only moves a counterparty's balance between its accounts (411 to 413 for an accepted bill, 411 to
  416 for a doubtful client) is no document and settles nothing (`_without_transfers`);
  any other entry on those accounts is a document: an invoice, or a credit note when its sign is reversed;
- one invoice = the document lines of one counterparty with the same PieceRef; amount TTC = the 411 debit
  minus credit (401: credit minus debit); its date is PieceDate (EcritureDate when empty);
- a FEC has no due dates: they follow the counterparty's terms when known, else --terms (default net 30,
  the French legal default without agreement);
- lettering (EcritureLet) ties documents to payments: each lettered bank line pays the invoices of its letter,
  oldest first, on its own EcritureDate (one payment per bank line and invoice); credit notes lettered with
  invoices settle them without cash (fec_lettering.py has the rules);
- the opening entries ("à-nouveaux") carry the balances of the year before: they are no payment, and a carried
  line is the invoice already known when the year before was imported, else an invoice marked carried forward
  (fec_opening.py has the rules);
- a FEC speaks for the payments dated within its own entries' dates: importing it again replaces those alone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.access import import_action
from forecasting.core.errors import InputError
from forecasting.ingest.fec_lettering import lettered_payments, unlettered_payments
from forecasting.ingest.fec_opening import (
    Resolved,
    dissolve_known,
    opening_lines,
    period_of,
    resolve_carried,
    year_before_known_sql,
)
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.parsing import Conventions
from forecasting.ingest.readers import RawFile, decode_text, file_sha256
from forecasting.ingest.sqlexpr import quote_literal
from forecasting.ingest.staging import ImportReport, run_in_transaction
from forecasting.ingest.upsert import refresh_status
from forecasting.store.database import Store
from forecasting.store.transaction import Tx

FEC_COLUMNS = [
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise",
]
# The client accounts: 411 clients, 413 bills receivable (LCR accepted: the money comes when the bill is paid), 416
# doubtful clients; the supplier accounts: 401 suppliers, 403 bills payable. 418/408 (invoices to issue / not received
# yet) are accruals, not invoices; 419/409 advances.
_SIDES = (("receivables", r"^41[136]", 1.0), ("payables", r"^40[13]", -1.0))
DEFAULT_FEC_TERMS = "net 30"


def read_fec(path: str | Path, display_name: str | None = None) -> pd.DataFrame:
    """Return the FEC lines with parsed dates and amounts; raise InputError naming the bad lines."""
    p = Path(path)
    name = display_name or p.name
    if not p.exists():
        raise InputError(f"{name}: file not found")
    text, fmt = decode_text(p, name)
    if fmt.delimiter not in ("\t", "|"):
        raise InputError(f"{name}: a FEC is tab or pipe separated (found '{fmt.delimiter}')")
    lines = _split_fec(text, fmt.delimiter, name)
    if "Montant" in lines.columns and "Sens" in lines.columns and "Debit" not in lines.columns:
        # The variant with one amount and a D/C direction.
        sens = lines["Sens"].str.strip().str.upper()
        lines["Debit"] = np.where(sens.isin(["D", "+1"]), lines["Montant"], "0")
        lines["Credit"] = np.where(sens.isin(["C", "-1"]), lines["Montant"], "0")
    missing = [c for c in FEC_COLUMNS[:15] if c not in lines.columns]
    if missing:
        raise InputError(f"{name}: not a FEC: missing column(s) {', '.join(missing)}")
    lines["_row"] = np.arange(2, len(lines) + 2)
    errors: list[str] = []
    for col in ("EcritureDate", "PieceDate", "DateLet"):
        lines[col + "_d"] = _fec_dates(lines[col])
        bad = lines[(lines[col].str.strip() != "") & lines[col + "_d"].isna()]
        errors += [f"  row {r}, column '{col}', value '{v}': not a date (expected YYYYMMDD)"
                   for r, v in zip(bad["_row"], bad[col], strict=True)]
    for col in ("Debit", "Credit"):
        lines[col + "_n"] = _fec_amounts(lines[col])
        bad = lines[lines[col + "_n"].isna()]
        errors += [f"  row {r}, column '{col}', value '{v}': not an amount" for r, v in zip(bad["_row"], bad[col], strict=True)]
    bad = lines[lines["EcritureDate_d"].isna() & (lines["EcritureDate"].str.strip() == "")]
    errors += [f"  row {r}, column 'EcritureDate': missing entry date" for r in bad["_row"]]
    if errors:
        head = "\n".join(errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        raise InputError(f"{name}: {len(errors)} error(s) found, nothing was imported.\n{head}{more}")
    return lines


def _split_fec(text: str, delimiter: str, name: str) -> pd.DataFrame:
    """Return the FEC's lines as text columns; raise InputError naming the lines with more fields than the header.

    The FEC norm has no quoting: a double quote is text (a quote left open used to swallow the rest of the file,
    an internal error); a cell quoted whole by some software loses its quotes. Missing fields at the end of a line
    are empty; a field past the header's is refused (a delimiter closing every line closes the header too).
    """
    records = [line for line in re.split(r"\r?\n", text) if line.strip()]
    if not records:
        raise InputError(f"{name}: the file is empty")
    header = [_unquote(h).strip() for h in records[0].split(delimiter)]
    width, rows, errors = len(header), [], []
    for number, line in enumerate(records[1:], start=2):
        fields = [_unquote(f) for f in line.split(delimiter)]
        if len(fields) > width:  # even an empty extra field: a tab in a label shifts the columns after it
            errors.append(f"  row {number}: {len(fields)} fields where the header has {width} columns "
                          f"(a '{'tab' if delimiter == chr(9) else delimiter}' inside a label?)")
        rows.append((fields + [""] * width)[:width])
    if errors:
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        raise InputError(f"{name}: {len(errors)} error(s) found, nothing was imported.\n" + "\n".join(errors[:50])
                         + more)
    return pd.DataFrame(rows, columns=header, dtype=object)


def _unquote(field: str) -> str:
    """Return a field without the double quotes around it, if it has them (\"\" inside stands for one)."""
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field


def _fec_dates(values: pd.Series) -> pd.Series:
    """Return dates written YYYYMMDD (the FEC norm) or DD/MM/YYYY; NaT when empty or unreadable."""
    v = values.str.strip()
    compact = pd.to_datetime(v, format="%Y%m%d", errors="coerce")
    slashed = pd.to_datetime(v, format="%d/%m/%Y", errors="coerce")
    return compact.fillna(slashed)


def _fec_amounts(values: pd.Series) -> pd.Series:
    """Return amounts written with a decimal comma or dot; empty is zero."""
    v = values.str.strip().str.replace(r"[\s\u00a0]", "", regex=True)
    v = v.where(~v.str.contains(","), v.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return pd.to_numeric(v.replace("", "0"), errors="coerce")


class FecSide(NamedTuple):
    """One side of a FEC: its documents, their payments, and its unlettered bank lines that paid or did not."""

    invoices: pd.DataFrame
    payments: pd.DataFrame
    unlettered_used: int = 0  # unlettered bank lines that paid open invoices (fec_lettering.unlettered_payments)
    unlettered_unused: int = 0  # unlettered bank lines that found no open invoice to pay


def fec_invoices(lines: pd.DataFrame, accounts: str, sign: float) -> FecSide:
    """Return the invoices and credit notes of the client (sign 1) or supplier (sign -1) accounts (`accounts`: a
    pattern of account numbers, see _SIDES), and their payments."""
    entry = lines["JournalCode"] + "|" + lines["EcritureNum"]
    opening = opening_lines(lines, entry)
    # An opening entry opens the bank accounts' balances too: it is no payment.
    bank_entries = set(entry[lines["CompteNum"].str.match(r"^(51|53)") & ~opening])
    mine = lines[lines["CompteNum"].str.contains(accounts)].copy()
    if mine.empty:  # a FEC with client invoices only (or supplier ones only)
        return FecSide(pd.DataFrame(), pd.DataFrame())
    mine["entry"] = entry[mine.index].str.replace("|", ":", regex=False)
    mine["is_payment"] = entry[mine.index].isin(bank_entries)
    mine["cp_id"] = _counterparty_ids(mine, sign)
    mine["cp_name"] = mine["CompAuxLib"].str.strip().where(mine["CompAuxLib"].str.strip() != "", mine["CompteLib"])
    mine["signed"] = sign * (mine["Debit_n"] - mine["Credit_n"])
    mine["letter"] = mine["EcritureLet"].str.strip()
    mine["carried"] = opening[mine.index]
    mine = _without_transfers(mine)
    docs = mine[~mine["is_payment"]].copy()
    docs["piece"] = docs["PieceRef"].str.strip().where(docs["PieceRef"].str.strip() != "",
                                                       docs["JournalCode"] + docs["EcritureNum"])
    # One piece number for several counterparties (a summarised opening entry, a year-end write-off of bad debts):
    # one document each, `<piece>/<counterparty>` (invoice ids are unique within a source).
    shared = docs.groupby("piece")["cp_id"].transform("nunique") > 1
    docs.loc[shared, "piece"] = docs.loc[shared, "piece"] + "/" + docs.loc[shared, "cp_id"]
    docs["date"] = docs["PieceDate_d"].fillna(docs["EcritureDate_d"])
    inv = docs.groupby(["cp_id", "piece"], as_index=False).agg(
        cp_name=("cp_name", "first"), issue_date=("date", "min"), amount=("signed", "sum"),
        _row=("_row", "min"), carried=("carried", "all"), opened=("EcritureDate_d", "min"),
    )
    inv = inv[inv["amount"].abs() > 0.004]
    parts = _lettered_parts(docs, inv)
    lettered = lettered_payments(mine, parts)
    unlettered, used, unused = unlettered_payments(mine, parts)
    payments = pd.concat([lettered, unlettered], ignore_index=True) if len(unlettered) else lettered
    return FecSide(inv.sort_values("_row").reset_index(drop=True), payments, used, unused)


def _counterparty_ids(mine: pd.DataFrame, sign: float) -> pd.Series:
    """Return each line's counterparty: its auxiliary account, else its account (a FEC without auxiliary accounts).

    Without auxiliary accounts a client's bills (413) or doubtful balance (416) are accounts of their own, numbered
    like its 411 account but for the root (411MARTIN, 413MARTIN; 41100012, 41600012): they are the same client, or
    the move from one to the other would read as two documents and the bill's money pay nothing.
    """
    aux = mine["CompAuxNum"].str.strip()
    account = mine["CompteNum"].str.strip()
    main_root = "411" if sign > 0 else "401"
    root, suffix = account.str[:3], account.str[3:]
    no_aux = aux == ""
    main = no_aux & (root == main_root) & (suffix != "")
    main_of = account[main].groupby(suffix[main]).first()
    other = no_aux & (root != main_root)
    found = suffix[other].map(main_of)
    ids = aux.where(~no_aux, account)
    ids.loc[found[found.notna()].index] = found[found.notna()]
    return ids


def _lettered_parts(docs: pd.DataFrame, inv: pd.DataFrame) -> pd.DataFrame:
    """Return each document's parts by letter: what its lines of one letter (or of none) add up to.

    A document's lines may carry different letters (an invoice in two instalments, each lettered with its own
    transfer): each part is settled within its own letter, the document by them all. A document whose parts do not
    all have its sign (a correction lettered apart) cannot be split so without settling more than its amount: it is
    one part, in the letter of its largest part of its own sign (whatever the order of its lines).
    """
    parts = docs.groupby(["cp_id", "piece", "letter"], as_index=False).agg(amount=("signed", "sum"), _row=("_row", "min"))
    parts = parts.merge(inv[["cp_id", "piece", "issue_date", "amount"]].rename(columns={"amount": "total"}),
                        on=["cp_id", "piece"])
    parts = parts[parts["amount"].abs() > 0.004]
    mixed = (np.sign(parts["amount"]) != np.sign(parts["total"])).groupby([parts["cp_id"], parts["piece"]]).transform("any")
    if mixed.any():
        whole = parts[mixed].assign(size=lambda f: f["amount"] * np.sign(f["total"])).sort_values(
            ["cp_id", "piece", "size", "letter"], ascending=[True, True, False, True])
        whole = whole.groupby(["cp_id", "piece"], as_index=False).agg(
            letter=("letter", "first"), amount=("total", "first"), _row=("_row", "min"),
            issue_date=("issue_date", "first"))
        parts = pd.concat([parts[~mixed], whole], ignore_index=True)
    return parts.drop(columns="total").sort_values("_row", kind="stable").reset_index(drop=True)


def _without_transfers(mine: pd.DataFrame) -> pd.DataFrame:
    """Return the side's lines without its transfers between its own accounts, their letters undone.

    An entry with no bank line that moves a counterparty's balance from one of the side's accounts to another (411 to
    413 when a client accepts a bill of exchange, 411 to 416 when it becomes doubtful) settles nothing: the invoice is
    still owed, and the money comes when the bill, or the doubtful client, pays. Such an entry's lines add up to zero
    for the counterparty across two accounts or more; they are left out. The letters they were in (the invoice
    lettered with the transfer on 411, the transfer lettered with the bank line on 413) then no longer say which
    money paid which invoice: those lines count as not lettered (fec_lettering.py's rules for unlettered lines).
    """
    key = [mine["entry"], mine["cp_id"]]
    moved = ~mine["is_payment"] & (mine["signed"].groupby(key).transform("sum").abs() < 0.005) & (
        mine["CompteNum"].str[:3].groupby(key).transform("nunique") > 1)
    if not moved.any():
        return mine
    undone = mine.loc[moved & (mine["letter"] != ""), ["cp_id", "letter"]].drop_duplicates()
    kept = mine[~moved].copy()
    broken = pd.MultiIndex.from_frame(kept[["cp_id", "letter"]]).isin(pd.MultiIndex.from_frame(undone))
    kept.loc[broken, "letter"] = ""
    return kept


def _iso(s: pd.Series) -> pd.Series:
    """Return dates as ISO text, NaT as None."""
    text: pd.Series = s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), None)
    return text


def _money(s: pd.Series) -> pd.Series:
    """Return amounts as text with two decimals, NaN as None."""
    return s.map(lambda x: None if pd.isna(x) else f"{x:.2f}").astype(object)


def _as_raw(inv: pd.DataFrame, base: RawFile) -> RawFile:
    """Return invoices as a raw text table with canonical headers, ready for the invoice pipeline."""
    iso, money = _iso, _money
    frame = pd.DataFrame({
        "invoice_id": inv["piece"].astype(object), "counterparty_id": inv["cp_id"].astype(object),
        "counterparty_name": inv["cp_name"].astype(object), "issue_date": iso(inv["issue_date"]),
        "amount": money(inv["amount"]),
        # No paid date on the invoice rows: the payments are imported apart, one per bank line (an earlier
        # import's payment carried by the row, dated DateLet, is removed as superseded).
        "paid_date": pd.Series(None, index=inv.index, dtype=object),
        "paid_amount": pd.Series(None, index=inv.index, dtype=object),
        "carried_forward": inv["carried"].map({True: "yes", False: "no"}).astype(object),
    })
    frame.index = inv["_row"].to_numpy()  # an error names the FEC line of the invoice's first entry
    return RawFile(path=base.path, display_name=base.display_name, sha256=base.sha256, headers=list(frame.columns),
                   sample=frame.head(2000), frame=frame)


def _payments_raw(payments: list[tuple[str, pd.DataFrame]], base: RawFile) -> RawFile:
    """Return both sides' payments as a raw text table for the payments pipeline, indexed by FEC line."""
    frame = pd.concat([pd.DataFrame({
        "payment_id": p["payment_id"].astype(object), "invoice_id": p["invoice_id"].astype(object),
        "paid_date": _iso(pd.to_datetime(p["paid_date"])), "paid_amount": _money(p["paid_amount"]),
        "side": side, "settled_by": p["settled_by"].astype(object), "_line": p["_row"].to_numpy(),
    }) for side, p in payments if len(p)], ignore_index=True).sort_values(["_line", "payment_id"])
    frame.index = frame.pop("_line").to_numpy()
    return RawFile(path=base.path, display_name=f"{base.display_name} (payments)", sha256=base.sha256,
                   headers=list(frame.columns), sample=frame.head(2000), frame=frame)


def _remove_stale_payments(tx: Tx, source: str, payments: list[tuple[str, pd.DataFrame]],
                           invoices: list[tuple[str, list[str]]], period: tuple[pd.Timestamp, pd.Timestamp]) -> int:
    """Delete the FEC payments of this file's invoices that the file no longer gives (a lettering corrected).

    Only those dated within the file's entries: the FEC of the year after pays some of the same invoices (those
    still open when it opened), and importing this one again must not take its payments away.
    """
    kept = pd.DataFrame({"side": [side for side, p in payments for _ in range(len(p))],
                         "payment_id": [i for _, p in payments for i in p["payment_id"]]}, dtype=object)
    docs = pd.DataFrame({"side": [side for side, ids in invoices for _ in range(len(ids))],
                         "invoice_id": [i for _, ids in invoices for i in ids]}, dtype=object)
    tx.register("fec_kept", kept)
    tx.register("fec_docs", docs)
    first, last = (quote_literal(day.date().isoformat()) for day in period)
    stale = (f"source = {quote_literal(source)} AND starts_with(payment_id, 'fec:') "
             f"AND payment_date BETWEEN DATE {first} AND DATE {last} "
             "AND (side, invoice_id) IN (SELECT (side, invoice_id) FROM fec_docs) "
             "AND (side, payment_id) NOT IN (SELECT (side, payment_id) FROM fec_kept)")
    removed = int(tx.scalar(f"SELECT count(*) FROM payments WHERE {stale}"))
    if removed:
        tx.execute(f"DELETE FROM payments WHERE {stale}")
        for side in C.SIDES:
            refresh_status(tx, C.INVOICES_OF_SIDE[side], side)
        tx.bump_data_version()
    return removed


def import_fec(store: Store, path: str | Path, options: ImportOptions, display_name: str | None = None) -> ImportReport:
    """Import a FEC's receivables, payables and lettered payments in one transaction."""

    p = Path(path)
    name = display_name or p.name
    lines = read_fec(p, name)
    base = RawFile(path=p, display_name=name, sha256=file_sha256(p), headers=[], sample=pd.DataFrame())
    reports: list[ImportReport] = []
    conventions: Conventions = {"date_format": "%Y-%m-%d", "decimal_comma": {"amount": False, "paid_amount": False}}
    # A FEC may hold one side only: the other is empty, skipped below.
    sides = [(kind, side, fec_invoices(lines, accounts, sign))
             for (kind, accounts, sign), side in zip(_SIDES, C.SIDES, strict=True)]
    if not any(len(found.invoices) for _, _, found in sides):
        raise InputError(f"{name}: no client (411) or supplier (401) invoice line found: nothing to import")
    period = period_of(lines)
    with store.transaction(import_action("fec")) as tx:  # the note names the file
        resolved = {side: _resolved(tx, options.source, side, found, period) for _, side, found in sides}
        sides = [(kind, side, found._replace(invoices=resolved[side].invoices, payments=resolved[side].payments))
                 for kind, side, found in sides]
        payments = [(side, found.payments) for _, side, found in sides if len(found.payments)]
        for kind, _, found in sides:
            frame = found.invoices
            if not len(frame):  # a FEC with client invoices only (or supplier ones only)
                reports.append(ImportReport(f"{name} ({kind})", kind, 0, 0, 0, 0, 0))
                continue
            raw = _as_raw(frame, base)
            raw.display_name = f"{name} ({kind})"
            opts = replace(options, kind=kind, default_terms=options.default_terms or DEFAULT_FEC_TERMS, mapping={})
            mapping = {c: c for c in raw.headers}
            reports.append(run_in_transaction(tx, raw, opts, mapping, conventions))
        paid = (0, 0)
        if payments:
            raw = _payments_raw(payments, base)
            opts = replace(options, kind="payments", mapping={}, skip_invalid=False)
            done = run_in_transaction(tx, raw, opts, {c: c for c in raw.headers}, conventions)
            paid = (done.inserted, done.updated)
        removed = _remove_stale_payments(
            tx, options.source, payments,
            [(s, [*found.invoices["piece"], *resolved[s].replaced]) for _, s, found in sides if len(found.invoices)
             or resolved[s].replaced], period)
        # The year before imported after the year after: its invoices are what the carried balances stood for.
        dissolved = sum(dissolve_known(tx, options.source, side) for side in C.SIDES)
        tx.note = "; ".join(r.summary() for r in reports) + (f"; payments {paid[0]} inserted, {paid[1]} updated, "
                                                             f"{removed} removed" if payments or removed else "")
    extra = {f"{r.kind} inserted": r.inserted for r in reports}
    for r in reports:
        for k, v in r.extra.items():
            extra[k] = extra.get(k, 0) + v
    extra["payments inserted"] = extra.get("payments inserted", 0) + paid[0]
    extra["payments updated"] = extra.get("payments updated", 0) + paid[1]
    extra["payments removed"] = extra.get("payments removed", 0) + removed
    extra["unlettered bank lines imputed"] = sum(found.unlettered_used for _, _, found in sides)
    extra["unlettered bank lines unused"] = sum(found.unlettered_unused for _, _, found in sides)
    extra["opening balances carried forward"] = sum(
        int(found.invoices["carried"].sum()) for _, _, found in sides if len(found.invoices))
    extra["opening balances already known"] = sum(r.restated + r.dissolved for r in resolved.values()) + dissolved
    return ImportReport(
        name, "fec", sum(r.rows_read for r in reports), sum(r.inserted for r in reports),
        sum(r.updated for r in reports), sum(r.unchanged for r in reports), sum(r.rejected for r in reports), extra,
    )


def _resolved(tx: Tx, source: str, side: str, found: FecSide, period: tuple[pd.Timestamp, pd.Timestamp]) -> Resolved:
    """Return the side's documents and payments with its opening entries' lines resolved against the database."""
    inv = found.invoices
    if not len(inv) or not inv["carried"].any():
        return Resolved(inv, found.payments, [], 0, 0)
    table = C.INVOICES_OF_SIDE[side]
    carried = inv[inv["carried"]]
    tx.register("fec_carried", pd.DataFrame({"piece": carried["piece"].astype(object),
                                             "cp_id": carried["cp_id"].astype(object)}))
    src = quote_literal(source)
    known = tx.df(f"SELECT invoice_id, counterparty_id, issue_date, CAST(amount_ttc AS DOUBLE) AS amount_ttc "
                  f"FROM {table} WHERE source = {src} AND NOT carried_forward "
                  "AND (invoice_id IN (SELECT piece FROM fec_carried) "
                  "OR counterparty_id IN (SELECT cp_id FROM fec_carried))")
    tx.register("fec_known", known[[C.INVOICE_ID]])
    first, last = (quote_literal(day.date().isoformat()) for day in period)
    # What settled them that this import does not give again (its own FEC payments it replaces).
    settled = tx.df(f"SELECT invoice_id, CAST(sum(amount) AS DOUBLE) AS settled FROM payments WHERE source = {src} "
                    f"AND side = '{side}' AND invoice_id IN (SELECT invoice_id FROM fec_known) "
                    f"AND NOT (starts_with(payment_id, 'fec:') AND payment_date BETWEEN DATE {first} AND DATE {last}) "
                    "GROUP BY invoice_id")
    opened = pd.Timestamp(carried["opened"].min())
    return resolve_carried(inv, found.payments, known, settled.set_index(C.INVOICE_ID)["settled"],
                           bool(tx.scalar(year_before_known_sql(table, src, opened))))
