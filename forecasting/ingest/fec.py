"""FEC (Fichier des Écritures Comptables): receivables from 411*, payables from 401*, payments from lettering.

Choices (a careful treasurer's reading of a FEC):
- an entry (JournalCode + EcritureNum) that touches a bank or cash account (51*, 53*) is a payment;
  any other entry on 411/401 is a document: an invoice, or a credit note when its sign is reversed;
- one invoice = the document lines of one counterparty with the same PieceRef; amount TTC = the 411 debit
  minus credit (401: credit minus debit); its date is PieceDate (EcritureDate when empty);
- a FEC has no due dates: they follow the counterparty's terms when known, else --terms (default net 30,
  the French legal default without agreement);
- lettering (EcritureLet) ties documents to payments: the payments' total of a letter is allocated to its
  documents oldest first; the paid date is DateLet, else the latest payment date of the letter.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.core.access import IMPORT
from forecasting.core.errors import InputError
from forecasting.ingest.options import ImportOptions
from forecasting.ingest.parsing import Conventions
from forecasting.ingest.readers import RawFile, decode_text, file_sha256
from forecasting.ingest.staging import ImportReport, run_in_transaction
from forecasting.store.database import Store

FEC_COLUMNS = [
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise",
]
_SIDES = (("receivables", "411", 1.0), ("payables", "401", -1.0))
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
    lines = pd.read_csv(io.StringIO(text), sep=fmt.delimiter, dtype=str, keep_default_na=False)
    lines.columns = [c.strip() for c in lines.columns]
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


def fec_invoices(lines: pd.DataFrame, prefix: str, sign: float) -> pd.DataFrame:
    """Return one row per invoice or credit note of the 411 (sign 1) or 401 (sign -1) accounts, with payment."""
    entry = lines["JournalCode"] + "|" + lines["EcritureNum"]
    bank_entries = set(entry[lines["CompteNum"].str.match(r"^(51|53)")])
    mine = lines[lines["CompteNum"].str.startswith(prefix)].copy()
    mine["is_payment"] = entry[mine.index].isin(bank_entries)
    mine["cp_id"] = mine["CompAuxNum"].str.strip().where(mine["CompAuxNum"].str.strip() != "", mine["CompteNum"])
    mine["cp_name"] = mine["CompAuxLib"].str.strip().where(mine["CompAuxLib"].str.strip() != "", mine["CompteLib"])
    mine["signed"] = sign * (mine["Debit_n"] - mine["Credit_n"])
    mine["letter"] = mine["EcritureLet"].str.strip()
    docs = mine[~mine["is_payment"]].copy()
    docs["piece"] = docs["PieceRef"].str.strip().where(docs["PieceRef"].str.strip() != "",
                                                       docs["JournalCode"] + docs["EcritureNum"])
    docs["date"] = docs["PieceDate_d"].fillna(docs["EcritureDate_d"])
    inv = docs.groupby(["cp_id", "piece"], as_index=False).agg(
        cp_name=("cp_name", "first"), issue_date=("date", "min"), amount=("signed", "sum"),
        letter=("letter", "first"), _row=("_row", "min"),
    )
    inv = inv[inv["amount"].abs() > 0.004]
    pays = mine[mine["is_payment"] & (mine["letter"] != "")]
    paid = pays.groupby(["cp_id", "letter"]).agg(
        paid_total=("signed", lambda s: -s.sum()), last_date=("EcritureDate_d", "max"), date_let=("DateLet_d", "max"),
    )
    inv = inv.merge(paid, left_on=["cp_id", "letter"], right_index=True, how="left")
    # Allocate each letter's payments to its invoices, oldest first (partial lettering pays the oldest).
    inv = inv.sort_values(["cp_id", "letter", "issue_date", "piece"])
    before = inv.groupby(["cp_id", "letter"])["amount"].cumsum() - inv["amount"]
    available = (inv["paid_total"].fillna(0) - before).clip(lower=0)
    credit_note = inv["amount"] < 0
    inv["paid_amount"] = np.where(credit_note, inv["amount"], np.minimum(inv["amount"], available))
    inv["paid_date"] = inv["date_let"].fillna(inv["last_date"])
    inv.loc[credit_note, "paid_date"] = inv.loc[credit_note, "issue_date"]  # a credit note is settled when issued
    no_payment = (inv["paid_amount"] <= 0.004) & ~credit_note | inv["paid_date"].isna()
    inv.loc[no_payment, ["paid_amount"]] = np.nan
    inv.loc[no_payment, "paid_date"] = pd.NaT
    return inv.sort_values("_row").reset_index(drop=True)


def _as_raw(inv: pd.DataFrame, base: RawFile) -> RawFile:
    """Return invoices as a raw text table with canonical headers, ready for the invoice pipeline."""
    def iso(s: pd.Series) -> pd.Series:
        """Return dates as ISO text, NaT as None."""
        text: pd.Series = s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), None)
        return text

    def money(s: pd.Series) -> pd.Series:
        """Return amounts as text with two decimals, NaN as None."""
        return s.map(lambda x: None if pd.isna(x) else f"{x:.2f}").astype(object)

    frame = pd.DataFrame({
        "invoice_id": inv["piece"].astype(object), "counterparty_id": inv["cp_id"].astype(object),
        "counterparty_name": inv["cp_name"].astype(object), "issue_date": iso(inv["issue_date"]),
        "amount": money(inv["amount"]), "paid_date": iso(inv["paid_date"]), "paid_amount": money(inv["paid_amount"]),
    })
    frame.index = inv["_row"].to_numpy()  # an error names the FEC line of the invoice's first entry
    return RawFile(path=base.path, display_name=base.display_name, sha256=base.sha256, headers=list(frame.columns),
                   sample=frame.head(2000), frame=frame)


def import_fec(store: Store, path: str | Path, options: ImportOptions, display_name: str | None = None) -> ImportReport:
    """Import a FEC's receivables, payables and lettered payments in one transaction."""

    p = Path(path)
    name = display_name or p.name
    lines = read_fec(p, name)
    base = RawFile(path=p, display_name=name, sha256=file_sha256(p), headers=[], sample=pd.DataFrame())
    reports: list[ImportReport] = []
    conventions: Conventions = {"date_format": "%Y-%m-%d", "decimal_comma": {"amount": False, "paid_amount": False}}
    # A FEC may hold one side only: the other is an empty frame, skipped below.
    frames = [(kind, fec_invoices(lines, prefix, sign) if lines["CompteNum"].str.startswith(prefix).any()
               else pd.DataFrame()) for kind, prefix, sign in _SIDES]
    if not any(len(frame) for _, frame in frames):
        raise InputError(f"{name}: no client (411) or supplier (401) invoice line found: nothing to import")
    with store.transaction(IMPORT, f"fec: {name}") as tx:
        for kind, frame in frames:
            if not len(frame):  # a FEC with client invoices only (or supplier ones only)
                reports.append(ImportReport(f"{name} ({kind})", kind, 0, 0, 0, 0, 0))
                continue
            raw = _as_raw(frame, base)
            raw.display_name = f"{name} ({kind})"
            opts = replace(options, kind=kind, default_terms=options.default_terms or DEFAULT_FEC_TERMS, mapping={})
            mapping = {c: c for c in raw.headers}
            reports.append(run_in_transaction(tx, raw, opts, mapping, conventions))
        tx.note = "; ".join(r.summary() for r in reports)
    extra = {f"{r.kind} inserted": r.inserted for r in reports}
    for r in reports:
        for k, v in r.extra.items():
            extra[k] = extra.get(k, 0) + v
    return ImportReport(
        name, "fec", sum(r.rows_read for r in reports), sum(r.inserted for r in reports),
        sum(r.updated for r in reports), sum(r.unchanged for r in reports), sum(r.rejected for r in reports), extra,
    )
