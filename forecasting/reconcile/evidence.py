"""The matching's vocabulary as integer codes: kinds of evidence, how an amount fits, reasons and their confidences.

Pairs of movements and invoices are scored by the million: each carries small integer codes, looked up in the
tables below, and the reasons become text only for the candidates kept.
"""

from __future__ import annotations

import numpy as np

# Reasons, stored with each match and translated where shown (reconcile/reasons.py).
NUMBER_AMOUNT, NUMBER_SHORT, NUMBER_PARTIAL, NUMBER_OVER, NUMBER_CURRENCY = (
    "number_amount", "number_short", "number_partial", "number_over", "number_currency")
DIGITS_AMOUNT, DIGITS_SHORT, DIGITS_PARTIAL = "digits_amount", "digits_short", "digits_partial"
NUMBERS_TOTAL, NUMBERS_SHORT = "numbers_total", "numbers_short"
PARTY_AMOUNT, PARTY_SHORT, PARTY_RUN_OLDEST, PARTY_RUN = "party_amount", "party_short", "party_run_oldest", "party_run"
PARTY_PAIR, PARTY_PARTIAL, NUMBER_FX, PARTY_FX = "party_pair", "party_partial", "number_fx", "party_fx"
AMOUNT_ONLY = "amount_only"
REASONS = (NUMBER_AMOUNT, NUMBER_SHORT, NUMBER_PARTIAL, NUMBER_OVER, NUMBER_CURRENCY, DIGITS_AMOUNT, DIGITS_SHORT,
           DIGITS_PARTIAL, NUMBERS_TOTAL, NUMBERS_SHORT, PARTY_AMOUNT, PARTY_SHORT, PARTY_RUN_OLDEST, PARTY_RUN,
           PARTY_PAIR, PARTY_PARTIAL, NUMBER_FX, PARTY_FX, AMOUNT_ONLY)
REASON_CODE = {reason: code for code, reason in enumerate(REASONS)}

# What found the invoice (evidence) and how the movement's amount fits it: codes are positions in these tuples.
KINDS = ("number", "digits", "iban", "name", "amount")
NUMBER, DIGITS, IBAN, NAME, AMOUNT = range(len(KINDS))
FITS = ("exact", "short", "partial", "over", "fx", "far")
EXACT, SHORT, PARTIAL, OVER, FX, FAR = range(len(FITS))

# confidence of a single invoice found by (evidence, amount): exact, short by a fee or discount, partial, over
SINGLE = {
    "number": {"exact": (1.0, NUMBER_AMOUNT), "short": (0.93, NUMBER_SHORT), "partial": (0.6, NUMBER_PARTIAL),
               "over": (0.5, NUMBER_OVER), "fx": (0.9, NUMBER_FX)},
    "digits": {"exact": (0.9, DIGITS_AMOUNT), "short": (0.8, DIGITS_SHORT), "partial": (0.45, DIGITS_PARTIAL),
               "over": (0.4, DIGITS_PARTIAL), "fx": (0.8, NUMBER_FX)},
    "iban": {"exact": (0.92, PARTY_AMOUNT), "short": (0.72, PARTY_SHORT), "fx": (0.74, PARTY_FX),
             "partial": (0.42, PARTY_PARTIAL)},
    "name": {"exact": (0.9, PARTY_AMOUNT), "short": (0.7, PARTY_SHORT), "fx": (0.72, PARTY_FX),
             "partial": (0.42, PARTY_PARTIAL)},
    "amount": {"exact": (0.5, AMOUNT_ONLY)},
}


def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Return the confidence (NaN: no candidate) and the reason code (-1) of each (evidence, fit)."""
    conf = np.full((len(KINDS), len(FITS)), np.nan)
    reason = np.full((len(KINDS), len(FITS)), -1, dtype=np.int64)
    for k, kind in enumerate(KINDS):
        for how, (value, why) in SINGLE[kind].items():
            conf[k, FITS.index(how)], reason[k, FITS.index(how)] = value, REASON_CODE[why]
    return conf, reason


SINGLE_CONFIDENCE, SINGLE_REASON = _tables()


def reason_texts(codes: np.ndarray) -> np.ndarray:
    """Return the reasons of these codes as text."""
    texts: np.ndarray = np.asarray(REASONS, dtype=object)[codes]
    return texts
