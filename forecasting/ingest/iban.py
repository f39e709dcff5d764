"""IBANs checked by schwifty (country, length, check digits), and the French IBAN of a RIB."""

from __future__ import annotations

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def checked_iban(text: str) -> str | None:
    """Return an IBAN in its compact form, or None when `text` is not a valid IBAN (checksum, length, country)."""
    try:
        return str(IBAN(text).compact)
    except SchwiftyException:
        return None


def french_iban(bank_code: str, desk_code: str, account_number: str) -> str | None:
    """Return the French IBAN of a RIB (bank, desk, account number; the RIB key computed), None when impossible."""
    try:
        return str(IBAN.generate("FR", bank_code=bank_code, branch_code=desk_code, account_code=account_number).compact)
    except SchwiftyException:
        return None
