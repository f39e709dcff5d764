"""Column names of the frames that move between stages, defined once.

Every frame the store returns uses these names. Dates are pandas datetime64 (midnight, no time zone);
money is float64 in the document currency unless the name says otherwise.
"""

from __future__ import annotations

# --- shared keys ---------------------------------------------------------------------------
SOURCE = "source"  # the ledger or system a row came from; invoice ids are unique within a source
SIDE = "side"  # 'receivable' (client invoice) or 'payable' (supplier invoice)
INVOICE_ID = "invoice_id"
COUNTERPARTY_ID = "counterparty_id"
COUNTERPARTY_NAME = "counterparty_name"
ENTITY = "entity"
CURRENCY = "currency"

RECEIVABLE = "receivable"
PAYABLE = "payable"
SIDES = (RECEIVABLE, PAYABLE)

CLIENT = "client"
SUPPLIER = "supplier"
KIND_OF_SIDE = {RECEIVABLE: CLIENT, PAYABLE: SUPPLIER}
# Each side's invoices by their plural name: the database table, the import kind, the JSON key and --side's choice.
INVOICES_OF_SIDE = {RECEIVABLE: "receivables", PAYABLE: "payables"}

# --- invoices (receivables and payables share one shape) -----------------------------------
ISSUE_DATE = "issue_date"
DUE_DATE = "due_date"
AMOUNT_TTC = "amount_ttc"  # signed: credit notes are negative
DISPUTED = "disputed"
TERMS = "terms"
STATUS = "status"  # 'open' | 'paid' | 'written_off'
# A balance carried forward from an earlier fiscal year (a FEC's opening entries, "à-nouveaux"): what was still owed
# when the year opened. Its dates are the year's opening, not the invoice's: it is owed and forecast, but no payment
# delay or invoicing rate is learned from it.
CARRIED_FORWARD = "carried_forward"
INVOICE_COLUMNS = [
    SOURCE, SIDE, INVOICE_ID, COUNTERPARTY_ID, ENTITY, ISSUE_DATE, DUE_DATE,
    AMOUNT_TTC, CURRENCY, DISPUTED, TERMS, STATUS, CARRIED_FORWARD,
]

# --- payments ------------------------------------------------------------------------------
PAYMENT_ID = "payment_id"
PAYMENT_DATE = "payment_date"
AMOUNT = "amount"
# What settled: money that moved ('cash', a bank transfer, cheque, card...) or a credit note set against the invoice
# ('credit_note': no money moved). The model and the backtest learn and score payment dates from cash alone.
SETTLED_BY = "settled_by"
CASH = "cash"
CREDIT_NOTE = "credit_note"
SETTLEMENT_KINDS = (CASH, CREDIT_NOTE)
PAYMENT_COLUMNS = [SOURCE, SIDE, PAYMENT_ID, INVOICE_ID, PAYMENT_DATE, AMOUNT, SETTLED_BY]

# --- counterparties ------------------------------------------------------------------------
KIND = "kind"  # 'client' | 'supplier'
NAME = "name"
SEGMENT = "segment"
CREDIT_LIMIT = "credit_limit"
COUNTERPARTY_COLUMNS = [COUNTERPARTY_ID, KIND, NAME, SEGMENT, TERMS, CREDIT_LIMIT, CURRENCY, ENTITY]

# --- bank ----------------------------------------------------------------------------------
ACCOUNT_ID = "account_id"
BANK = "bank"
OVERDRAFT_LIMIT = "overdraft_limit"  # authorised overdraft, a positive amount (0 = none)
BANK_ACCOUNT_COLUMNS = [ACCOUNT_ID, NAME, BANK, CURRENCY, OVERDRAFT_LIMIT]
BALANCE_DATE = "balance_date"
BALANCE = "balance"
BANK_BALANCE_COLUMNS = [ACCOUNT_ID, BALANCE_DATE, BALANCE]
IBAN = "iban"


# --- planned flows -------------------------------------------------------------------------
FLOW_ID = "flow_id"
LABEL = "label"
CATEGORY = "category"  # payroll | social | vat | tax | rent | loan | capex | financing | other
FIRST_DATE = "first_date"
RECURRENCE = "recurrence"  # none | weekly | monthly | quarterly | yearly
END_DATE = "end_date"
PLANNED_FLOW_COLUMNS = [FLOW_ID, LABEL, CATEGORY, ACCOUNT_ID, AMOUNT, CURRENCY, FIRST_DATE, RECURRENCE, END_DATE]
RECURRENCES = ("none", "weekly", "monthly", "quarterly", "yearly")
FLOW_CATEGORIES = ("payroll", "social", "vat", "tax", "rent", "loan", "capex", "financing", "other")

# --- fx ------------------------------------------------------------------------------------
RATE_DATE = "rate_date"
RATE = "rate"  # units of the reporting currency for one unit of `currency`
FX_COLUMNS = [CURRENCY, RATE_DATE, RATE]

REPORTING_CURRENCY = "EUR"

# --- bank movements (statement lines) ------------------------------------------------------
MOVEMENT_ID = "movement_id"  # unique within an account: the bank's reference, else a key derived from the statement
BOOKING_DATE = "booking_date"
VALUE_DATE = "value_date"
# AMOUNT is signed in the movement's currency: positive = credit (money in), negative = debit (money out)
REMITTANCE = "remittance"  # remittance information: CFONB 05 complements, camt RmtInf, MT940 :86:
COUNTERPARTY_IBAN = "counterparty_iban"
BANK_REFERENCE = "bank_reference"
OPERATION_CODE = "operation_code"  # CFONB operation code, camt BkTxCd, MT940 transaction type
IMPORT_ID = "import_id"
# LABEL is the bank's text; CATEGORY (payroll, social, vat…; NULL until categorised) is set by the rules
BANK_MOVEMENT_COLUMNS = [
    ACCOUNT_ID, MOVEMENT_ID, BOOKING_DATE, VALUE_DATE, AMOUNT, CURRENCY, LABEL, REMITTANCE,
    COUNTERPARTY_NAME, COUNTERPARTY_IBAN, BANK_REFERENCE, OPERATION_CODE, CATEGORY, IMPORT_ID,
]
# What a movement is, set by matching (clients, suppliers) or by the editable rules (the rest); forecast flows
# use the same words, so a snapshot's week and the bank's week compare category by category.
MOVEMENT_CATEGORIES = (
    "clients", "suppliers", "payroll", "social", "vat", "tax", "rent", "loan", "capex", "financing",
    "bank_fees", "card_receipts", "other",
)

# --- parsed bank statements (what a statement file says, before it is matched to accounts and imported) ------
STATEMENT = "statement"  # rank of a statement in its file, from 0
LINE = "line"  # where a record is: its line (CFONB 120, MT940) or its entry's rank in the file (camt.053)
OPENING_DATE = "opening_date"  # the day at whose end the account held the opening balance
OPENING_BALANCE = "opening_balance"
CLOSING_DATE = "closing_date"  # the statement's date: the closing balance is the balance at the end of that day
CLOSING_BALANCE = "closing_balance"
STATEMENT_COLUMNS = [STATEMENT, IBAN, CURRENCY, OPENING_DATE, OPENING_BALANCE, CLOSING_DATE, CLOSING_BALANCE, LINE]
STATEMENT_MOVEMENT_COLUMNS = [
    STATEMENT, LINE, BOOKING_DATE, VALUE_DATE, AMOUNT, CURRENCY, LABEL, REMITTANCE, COUNTERPARTY_NAME,
    COUNTERPARTY_IBAN, BANK_REFERENCE, OPERATION_CODE,
]

# --- forecast snapshots (a frozen forecast, compared later with the bank's movements) -----------
SNAPSHOT_ID = "snapshot_id"
WEEK_START = "week_start"  # the Monday of a week (a forecast's first week starts the day after as-of)
TOTAL_ACCOUNT = "(total)"  # the account_id of a snapshot's closing range for all accounts together
