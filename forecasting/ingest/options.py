"""The choices a user makes for one import."""

from __future__ import annotations

from dataclasses import dataclass, field

BANK_STATEMENT = "bank-statement"  # the kind of import that reads bank statements (forecasting/ingest/bank)


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose for one import."""

    kind: str
    mapping: dict[str, str] = field(default_factory=dict)  # field -> column header, overrides the guess
    date_format: str | None = None
    sheet: str | None = None
    skip_invalid: bool = False
    rejects_path: str | None = None
    source: str = "default"
    default_terms: str | None = None  # used when a row has neither due date nor terms (FEC: "net 30")
    create_accounts: bool = False  # bank statements: create the accounts the database does not know (id = IBAN)
