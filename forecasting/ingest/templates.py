"""Import templates: one small CSV per kind of file, in English or French conventions, that imports as it is.

A treasurer whose accounting software has no export we recognise fills one of these in a spreadsheet. English:
comma-separated, ISO dates, 1234.56, field names as headers. French: semicolon-separated, DD/MM/YYYY,
1234,56, Oui/Non and French headers (each one a header the importer recognises), UTF-8 with a byte-order mark so
Excel shows the accents. The files in data/templates/ are written by `python -m forecasting.ingest.templates`.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path
from typing import cast

import pandas as pd

from forecasting.ingest.fields import BOOL, DATE, MONEY, NUMBER, fields_of

LANGUAGES = ("en", "fr")
# The order to import them in: invoices in another currency need its rates, payments the invoices they pay.
KINDS_IN_ORDER = ("fx-rates", "counterparties", "receivables", "payables", "payments", "bank-balances",
                  "planned-flows")

ExampleValue = str | float | bool | date | None  # a cell of an example row
# Example rows by kind, field -> value. Dates, amounts and flags are typed: each language writes them its way.
EXAMPLES: dict[str, list[dict[str, ExampleValue]]] = {
    "counterparties": [
        {"counterparty_id": "C001", "kind": "client", "counterparty_name": "Atelier Martin", "segment": "SME",
         "terms": "net 30", "credit_limit": 40000.0, "currency": "EUR", "entity": ""},
        {"counterparty_id": "C002", "kind": "client", "counterparty_name": "Hospices de Lyon", "segment": "Public",
         "terms": "net 60", "credit_limit": 60000.0, "currency": "EUR", "entity": ""},
        {"counterparty_id": "C003", "kind": "client", "counterparty_name": "Northwind Ltd", "segment": "Export",
         "terms": "net 30", "credit_limit": 25000.0, "currency": "USD", "entity": ""},
        {"counterparty_id": "S001", "kind": "supplier", "counterparty_name": "Transports Durand", "segment": "Logistics",
         "terms": "45 days end of month", "credit_limit": None, "currency": "EUR", "entity": ""},
    ],
    "receivables": [
        {"invoice_id": "FA-2026-0101", "counterparty_id": "C001", "counterparty_name": "Atelier Martin",
         "issue_date": date(2026, 9, 15), "due_date": date(2026, 10, 15), "amount": 12000.0, "currency": "EUR",
         "paid_date": date(2026, 10, 20), "paid_amount": 12000.0, "disputed": False, "segment": "SME",
         "entity": "", "terms": "net 30"},
        {"invoice_id": "FA-2026-0102", "counterparty_id": "C002", "counterparty_name": "Hospices de Lyon",
         "issue_date": date(2026, 10, 1), "due_date": None, "amount": 8450.5, "currency": "EUR",
         "paid_date": None, "paid_amount": None, "disputed": False, "segment": "Public", "entity": "",
         "terms": "net 60"},
        {"invoice_id": "FA-2026-0103", "counterparty_id": "C003", "counterparty_name": "Northwind Ltd",
         "issue_date": date(2026, 10, 26), "due_date": date(2026, 11, 25), "amount": 5300.0, "currency": "USD",
         "paid_date": None, "paid_amount": None, "disputed": True, "segment": "Export", "entity": "",
         "terms": "net 30"},
    ],
    "payables": [
        {"invoice_id": "FF-7781", "counterparty_id": "S001", "counterparty_name": "Transports Durand",
         "issue_date": date(2026, 10, 5), "due_date": date(2026, 12, 15), "amount": 3840.0, "currency": "EUR",
         "paid_date": None, "paid_amount": None, "disputed": False, "segment": "Logistics", "entity": "",
         "terms": "45 days end of month"},
        {"invoice_id": "FF-7802", "counterparty_id": "S001", "counterparty_name": "Transports Durand",
         "issue_date": date(2026, 8, 28), "due_date": date(2026, 10, 31), "amount": 2150.75, "currency": "EUR",
         "paid_date": date(2026, 10, 30), "paid_amount": 2150.75, "disputed": False, "segment": "Logistics",
         "entity": "", "terms": "45 days end of month"},
    ],
    "payments": [
        {"invoice_id": "FA-2026-0102", "paid_date": date(2026, 11, 10), "paid_amount": 4000.0,
         "payment_id": "RC-0001", "side": "receivable", "settled_by": "transfer"},
        {"invoice_id": "FA-2026-0102", "paid_date": date(2026, 11, 12), "paid_amount": 450.5,
         "payment_id": "AV-0001", "side": "receivable", "settled_by": "credit note"},
    ],
    "bank-balances": [
        {"account_id": "BNP-MAIN", "balance_date": date(2026, 11, 20), "balance": 245300.0,
         "account_name": "Compte courant", "bank": "BNP Paribas", "currency": "EUR", "overdraft_limit": 100000.0,
         "iban": "FR76 3000 4000 3100 0123 4567 865"},
        {"account_id": "CIC-OPS", "balance_date": date(2026, 11, 20), "balance": 48120.35,
         "account_name": "Compte d'exploitation", "bank": "CIC", "currency": "EUR", "overdraft_limit": 0.0,
         "iban": "FR76 3006 6100 2100 0109 8765 466"},
    ],
    "planned-flows": [
        {"label": "Net salaries", "amount": -85000.0, "first_date": date(2026, 11, 27), "category": "payroll",
         "account_id": "BNP-MAIN", "recurrence": "monthly", "end_date": None, "flow_id": "PAY", "currency": "EUR"},
        {"label": "VAT (CA3)", "amount": -21000.0, "first_date": date(2026, 12, 21), "category": "vat",
         "account_id": "BNP-MAIN", "recurrence": "monthly", "end_date": None, "flow_id": "VAT", "currency": "EUR"},
        {"label": "New delivery van", "amount": -38000.0, "first_date": date(2027, 1, 15), "category": "capex",
         "account_id": "BNP-MAIN", "recurrence": "none", "end_date": None, "flow_id": "VAN", "currency": "EUR"},
    ],
    "fx-rates": [
        {"currency": "USD", "rate_date": date(2026, 10, 1), "rate": 0.9187},
        {"currency": "USD", "rate_date": date(2026, 11, 20), "rate": 0.9214},
        {"currency": "GBP", "rate_date": date(2026, 11, 20), "rate": 1.1408},
    ],
}

# French headers (each normalises to a header the importer recognises) and French words for coded values.
FRENCH_HEADERS = {
    "invoice_id": "N° facture", "counterparty_id": "Code tiers", "counterparty_name": "Raison sociale",
    "issue_date": "Date facture", "due_date": "Échéance", "amount": "Montant TTC", "currency": "Devise",
    "paid_date": "Date de règlement", "paid_amount": "Montant réglé", "disputed": "Litige", "segment": "Segment",
    "entity": "Société", "terms": "Conditions de paiement", "payment_id": "Réf règlement", "side": "Sens",
    "account_id": "Compte", "balance_date": "Date de valeur", "balance": "Solde", "account_name": "Libellé compte",
    "bank": "Banque", "overdraft_limit": "Découvert autorisé", "label": "Libellé", "first_date": "Date de début",
    "category": "Catégorie", "recurrence": "Périodicité", "end_date": "Date de fin", "flow_id": "Référence",
    "kind": "Type", "credit_limit": "Plafond de crédit", "rate_date": "Date du cours", "rate": "Taux de change",
    "iban": "IBAN", "settled_by": "Mode de règlement", "carried_forward": "À nouveau",
}
FRENCH_HEADERS_BY_KIND = {  # where one kind needs another French header than the others
    ("planned-flows", "amount"): "Montant",
}
FRENCH_WORDS = {
    "client": "client", "supplier": "fournisseur", "receivable": "client", "payroll": "salaires", "vat": "TVA",
    "capex": "investissement", "monthly": "mensuelle", "none": "ponctuel", "net 30": "30 jours net",
    "net 60": "60 jours net", "45 days end of month": "45 jours fin de mois", "Net salaries": "Salaires nets",
    "VAT (CA3)": "TVA à décaisser (CA3)", "New delivery van": "Nouveau véhicule utilitaire",
    "transfer": "virement", "credit note": "avoir",
}


def _cell(value: ExampleValue, field_type: str, language: str) -> str:
    """Return one value written the language's way (empty for None)."""
    if value is None:
        return ""
    if field_type == DATE:
        return pd.Timestamp(str(value)).strftime("%d/%m/%Y" if language == "fr" else "%Y-%m-%d")
    if field_type in (MONEY, NUMBER):
        number = cast(float, value)  # every amount and number in EXAMPLES is a float
        text = f"{number:.2f}" if field_type == MONEY else f"{number:g}"
        return text.replace(".", ",") if language == "fr" else text
    if field_type == BOOL:
        return ("Oui" if value else "Non") if language == "fr" else ("Yes" if value else "No")
    return FRENCH_WORDS.get(str(value), str(value)) if language == "fr" else str(value)


def template_csv(kind: str, language: str = "en") -> bytes:
    """Return the template of one kind of file as CSV bytes in the language's conventions."""
    if kind not in EXAMPLES or language not in LANGUAGES:
        raise ValueError(f"no template for {kind!r} in {language!r}")
    fields = fields_of(kind)
    french = language == "fr"
    headers = [FRENCH_HEADERS_BY_KIND.get((kind, f.name), FRENCH_HEADERS[f.name]) if french else f.name
               for f in fields]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n")
    writer.writerow(headers)
    for row in EXAMPLES[kind]:
        writer.writerow([_cell(row.get(f.name), f.type, language) for f in fields])
    return out.getvalue().encode("utf-8-sig" if french else "utf-8")


def write_all(folder: Path) -> list[Path]:
    """Write every template into folder/<language>/<kind>.csv; return the paths."""
    paths = []
    for language in LANGUAGES:
        (folder / language).mkdir(parents=True, exist_ok=True)
        for kind in KINDS_IN_ORDER:
            path = folder / language / f"{kind}.csv"
            path.write_bytes(template_csv(kind, language))
            paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "data/templates")):
        print(written)
