"""What each kind of import file may carry: canonical fields, their types, and the headers we recognise."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Field types: how a raw text cell is parsed.
TEXT, DATE, MONEY, NUMBER, BOOL, TERMS = "text", "date", "money", "number", "bool", "terms"


@dataclass(frozen=True)
class Field:
    """One canonical field of an import kind."""

    name: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


_INVOICE_ID = Field("invoice_id", TEXT, True, (
    "invoice", "invoice id", "invoice no", "invoice number", "invoice #", "inv no", "document no", "document number",
    "facture", "n facture", "no facture", "numero facture", "numero de facture", "num facture", "ref facture",
    "piece", "n piece", "numero piece", "reference", "invoice ref", "invoice reference", "document id", "doc no",
    "bill no", "bill number",
), "invoice number, unique within the source")
_CP_ID = Field("counterparty_id", TEXT, False, (
    "client id", "client code", "customer id", "customer code", "customer no", "account", "supplier id",
    "supplier code", "vendor id", "vendor code", "code client", "n client", "numero client", "compte client",
    "code fournisseur", "n fournisseur", "compte fournisseur", "tiers", "code tiers", "compte auxiliaire",
    "customer number", "client number", "client no", "supplier number", "supplier no", "vendor number", "vendor no",
), "client or supplier code (the name is used when no code is given)")
_CP_NAME = Field("counterparty_name", TEXT, False, (
    "client", "customer", "customer name", "client name", "supplier", "supplier name", "vendor", "vendor name",
    "nom client", "raison sociale", "fournisseur", "nom fournisseur", "nom du client", "nom du fournisseur",
    "counterparty", "name", "nom",
), "client or supplier name")
_ISSUE = Field("issue_date", DATE, True, (
    "invoice date", "issue date", "date", "document date", "date facture", "date de facture", "date d emission",
    "date emission", "date piece", "invoice issue date", "billing date", "bill date", "posting date",
), "invoice date")
_DUE = Field("due_date", DATE, False, (
    "due date", "due", "payment due", "maturity", "echeance", "date echeance", "date d echeance", "date de echeance",
    "date limite de paiement", "net due date", "payment due date", "due on", "date due",
), "due date; computed from the terms when missing")
_AMOUNT = Field("amount", MONEY, True, (
    "amount", "amount incl tax", "amount incl vat", "total", "total incl tax", "gross amount", "invoice amount",
    "amount ttc", "montant", "montant ttc", "total ttc", "ttc", "montant facture",
), "amount including VAT (TTC); credit notes negative")
_CURRENCY = Field("currency", TEXT, False, ("currency", "ccy", "devise", "monnaie"), "ISO code, EUR when missing")
_PAID_DATE = Field("paid_date", DATE, False, (
    "paid date", "payment date", "date paid", "paid on", "date de paiement", "date paiement", "date reglement",
    "date de reglement", "regle le", "date encaissement", "date d encaissement", "settled date", "settlement date",
    "date settled", "settled on", "cleared date", "clearing date", "date of payment",
), "date the invoice was paid")
_PAID_AMOUNT = Field("paid_amount", MONEY, False, (
    "paid amount", "amount paid", "paid", "payment amount", "montant paye", "montant regle", "montant reglement",
    "montant encaisse", "regle",
), "amount paid on that date (the whole amount when missing)")
_DISPUTED = Field("disputed", BOOL, False, ("disputed", "dispute", "in dispute", "litige", "en litige", "contested"),
                  "Yes/No, Oui/Non, True/False, 1/0")
_CARRIED = Field("carried_forward", BOOL, False, (
    "carried forward", "opening balance", "a nouveau", "a nouveaux", "report a nouveau", "solde d ouverture",
), "Yes for a balance carried from an earlier year, dated at the year's opening: no delay is learned from it")
_SEGMENT = Field("segment", TEXT, False, ("segment", "category", "client category", "categorie", "famille", "type client"))
_ENTITY = Field("entity", TEXT, False, ("entity", "company", "company code", "entite", "societe", "code societe"))
_TERMS = Field("terms", TERMS, False, (
    "terms", "payment terms", "conditions", "conditions de paiement", "delai de paiement", "delai", "mode de reglement",
), '"net 30", "45 days end of month", "60 jours net", "à réception"')

INVOICE_FIELDS = (
    _INVOICE_ID, _CP_ID, _CP_NAME, _ISSUE, _DUE, _AMOUNT, _CURRENCY, _PAID_DATE, _PAID_AMOUNT,
    _DISPUTED, _SEGMENT, _ENTITY, _TERMS, _CARRIED,
)

KIND_FIELDS: dict[str, tuple[Field, ...]] = {
    "receivables": INVOICE_FIELDS,
    "payables": INVOICE_FIELDS,
    "payments": (
        Field("invoice_id", TEXT, True, _INVOICE_ID.aliases, "invoice paid"),
        Field("paid_date", DATE, True, _PAID_DATE.aliases + ("date",), "payment date"),
        Field("paid_amount", MONEY, True, _PAID_AMOUNT.aliases + ("amount", "montant"), "amount paid"),
        Field("payment_id", TEXT, False, ("payment id", "payment ref", "payment reference", "ref reglement",
                                          "n reglement", "transaction id")),
        Field("side", TEXT, False, ("side", "type", "sens"),
              "receivable/client or payable/supplier; receivable when missing"),
        Field("settled_by", TEXT, False, ("payment method", "payment mode", "payment type", "settlement type",
                                          "mode de reglement", "mode reglement", "moyen de paiement",
                                          "moyen de reglement", "type de reglement", "nature reglement"),
              "a credit note (avoir) settles without cash; any other value (transfer, cheque...) is cash"),
    ),
    "bank-balances": (
        Field("account_id", TEXT, True, ("account", "account id", "account number", "iban", "compte",
                                         "compte bancaire", "banque compte", "rib")),
        Field("balance_date", DATE, True, ("date", "balance date", "value date", "date solde", "date de valeur")),
        Field("balance", MONEY, True, ("balance", "closing balance", "amount", "solde", "solde fin de journee",
                                       "montant")),
        Field("account_name", TEXT, False, ("account name", "libelle compte", "nom compte")),
        Field("bank", TEXT, False, ("bank", "banque", "bank name")),
        Field("currency", TEXT, False, _CURRENCY.aliases),
        Field("overdraft_limit", MONEY, False, ("overdraft", "overdraft limit", "credit line", "decouvert",
                                                "decouvert autorise", "autorisation de decouvert")),
        Field("iban", TEXT, False, ("iban", "account iban", "iban du compte", "numero iban"),
              "the account's IBAN, checked; bank statements are matched to the account by it"),
    ),
    "planned-flows": (
        Field("label", TEXT, True, ("label", "description", "libelle", "designation", "flow", "flux")),
        Field("amount", MONEY, True, ("amount", "montant"), "signed: negative for an outflow"),
        Field("first_date", DATE, True, ("date", "first date", "start date", "start", "date debut", "premiere date",
                                         "date de debut")),
        Field("category", TEXT, False, ("category", "categorie", "nature", "type"),
              "payroll, social, vat, tax, rent, loan, capex, financing, other"),
        Field("account_id", TEXT, False, ("account", "account id", "compte", "compte bancaire")),
        Field("recurrence", TEXT, False, ("recurrence", "frequency", "periodicite", "frequence"),
              "none, weekly, monthly, quarterly, yearly"),
        Field("end_date", DATE, False, ("end date", "end", "until", "date fin", "date de fin", "jusqu au")),
        Field("flow_id", TEXT, False, ("flow id", "id", "reference")),
        Field("currency", TEXT, False, _CURRENCY.aliases),
    ),
    "counterparties": (
        Field("counterparty_id", TEXT, True, _CP_ID.aliases + ("id", "code")),
        Field("kind", TEXT, True, ("kind", "type", "nature", "role"), "client or supplier (fournisseur)"),
        Field("counterparty_name", TEXT, False, _CP_NAME.aliases),
        Field("segment", TEXT, False, _SEGMENT.aliases),
        _TERMS,
        Field("credit_limit", MONEY, False, ("credit limit", "limit", "plafond", "encours autorise",
                                             "limite de credit", "plafond de credit")),
        _CURRENCY,
        _ENTITY,
    ),
    "fx-rates": (
        Field("currency", TEXT, True, _CURRENCY.aliases),
        Field("rate_date", DATE, True, ("date", "rate date", "date cours", "date du cours")),
        Field("rate", NUMBER, True, ("rate", "eur rate", "rate to eur", "cours", "taux", "taux de change"),
              "EUR for one unit of the currency"),
    ),
}
KINDS = (*KIND_FIELDS, "fec")

_CASE_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
BOOL_TRUE = ("yes", "y", "oui", "o", "true", "vrai", "1", "x")
BOOL_FALSE = ("no", "n", "non", "false", "faux", "0")


def normalise_header(text: str) -> str:
    """Return a header reduced to lowercase ascii words: "Date d'échéance" -> "date d echeance"."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    # ERP and database exports join words by case: "InvoiceDate", "customerID", "DueDateUTC" are three words each.
    ascii_text = _CASE_BOUNDARY.sub(" ", ascii_text)
    ascii_text = ascii_text.lower().replace("n°", "n ").replace("#", " # ")
    words = re.sub(r"[^a-z0-9#]+", " ", ascii_text).split()
    return " ".join(words)


def fields_of(kind: str) -> tuple[Field, ...]:
    """Return the fields of an import kind."""
    return KIND_FIELDS[kind]


def guess_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Return field -> header for the headers recognised automatically (exact names first, then aliases)."""
    normalised = {normalise_header(h): h for h in headers}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    fields = fields_of(kind)
    # Pass 1: the canonical name itself; pass 2: aliases in the order given (most specific first).
    for candidates in ([(f, (f.name.replace("_", " "),)) for f in fields], [(f, f.aliases) for f in fields]):
        for field, names in candidates:
            if field.name in mapping:
                continue
            for name in names:
                header = normalised.get(normalise_header(name))
                if header is not None and header not in used:
                    mapping[field.name] = header
                    used.add(header)
                    break
    # A required field rather shares a header with an optional one than goes missing: a bank-balances file
    # whose only account column is "IBAN" gives both the account id and its IBAN.
    for field in fields:
        if field.required and field.name not in mapping:
            header = next((normalised[n] for n in map(normalise_header, field.aliases) if n in normalised), None)
            if header is not None:
                mapping[field.name] = header
    return mapping
