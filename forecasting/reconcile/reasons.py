"""The reasons of matches as a treasurer reads them, in the user's language."""

from __future__ import annotations

from forecasting.i18n.translate import tr
from forecasting.reconcile import evidence as K


def reason_text(reason: str, lang: str) -> str:
    """Return why a movement was matched to its invoices, in `lang`."""
    texts = {
        K.NUMBER_AMOUNT: tr("invoice number in the label, same amount", lang),
        K.NUMBER_SHORT: tr("invoice number in the label, amount less a bank fee or discount", lang),
        K.NUMBER_PARTIAL: tr("invoice number in the label, partial payment", lang),
        K.NUMBER_OVER: tr("invoice number in the label, more than the amount due", lang),
        K.NUMBER_CURRENCY: tr("invoice number in the label, invoice in another currency", lang),
        K.DIGITS_AMOUNT: tr("invoice digits in the label, same amount", lang),
        K.DIGITS_SHORT: tr("invoice digits in the label, amount less a bank fee or discount", lang),
        K.DIGITS_PARTIAL: tr("invoice digits in the label, different amount", lang),
        K.NUMBERS_TOTAL: tr("invoice numbers in the label, same total", lang),
        K.NUMBERS_SHORT: tr("invoice numbers in the label, total less a bank fee or discount", lang),
        K.PARTY_AMOUNT: tr("same counterparty (name or IBAN), same amount", lang),
        K.PARTY_SHORT: tr("same counterparty, amount less a bank fee or discount", lang),
        K.PARTY_RUN_OLDEST: tr("same counterparty, total of its oldest open invoices", lang),
        K.PARTY_RUN: tr("same counterparty, total of consecutive open invoices", lang),
        K.PARTY_PAIR: tr("same counterparty, total of two of its open invoices", lang),
        K.PARTY_PARTIAL: tr("same counterparty, part of an open invoice", lang),
        K.NUMBER_FX: tr("invoice number in the label, amount at the day's exchange rate", lang),
        K.PARTY_FX: tr("same counterparty, amount at the day's exchange rate", lang),
        K.AMOUNT_ONLY: tr("same amount only", lang),
        "hand": tr("matched by hand", lang),
        "ledger": tr("the ledger already records this payment", lang),
    }
    return texts.get(reason, reason)
