"""Payment terms to due dates, the bank business-day calendar, and French legal caps on terms.

Choices worth knowing:
- `parse_terms` normalises case, accents, punctuation and spaces, then matches English and French
  spellings; 0 days in any spelling ("0", "net 0", "0 jours") is `Terms("receipt", 0)`.
- "N days end of month" has two French practices (`EOM_METHODS`); the default `days_then_eom` is
  issue + N days, then the end of that month. `eom_then_days` is the end of the issue month, then + N.
- `max_days_from_invoice` of "N days end of month" is N + 30 under both practices: the worst case is
  an issue date (or issue + N) on the 1st of a 31-day month, whose month ends 30 days later.
- Due dates are never rolled to business days here: the due date is the contractual date; the day the
  cash lands is rolled separately with `BusinessCalendar.roll_forward`.
- The "FR" calendar holds the national bank holidays (no Good Friday / 26 Dec of Alsace-Moselle).
- Date inputs may be a scalar, list, ndarray, Series or Index; outputs are 1-D datetime64[D] arrays
  (NaT stays NaT).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from forecasting.core.errors import InputError

NET, EOM, RECEIPT = "net", "eom", "receipt"
KINDS = (NET, EOM, RECEIPT)
EOM_METHODS = ("days_then_eom", "eom_then_days")
CALENDARS = ("FR", "TARGET", "NONE")

# Code de commerce L441-10: 60 days from invoice date, or 45 days end of month if agreed.
LEGAL_CAP_NET_DAYS = 60
LEGAL_CAP_EOM_DAYS = 45

_MAX_TERM_DAYS = 3650  # beyond ten years a number is a typo (an amount or a date), not a term

_EXAMPLES = '"net 30", "45 days end of month", "on receipt"'


@dataclass(frozen=True)
class Terms:
    """Payment terms: `kind` is "net", "eom" (N days end of month) or "receipt"; `days` is N."""

    kind: str
    days: int

    def __post_init__(self) -> None:
        """Reject terms that no parser could have produced."""
        if self.kind not in KINDS:
            raise InputError(f'unknown kind of payment terms "{self.kind}": expected one of {", ".join(KINDS)}')
        if not isinstance(self.days, int | np.integer) or isinstance(self.days, bool):
            raise InputError(f"payment terms days must be a whole number, got {self.days!r}")
        if not 0 <= self.days <= _MAX_TERM_DAYS:
            raise InputError(f"payment terms days must be between 0 and {_MAX_TERM_DAYS}, got {self.days}")
        if self.kind == RECEIPT and self.days != 0:
            raise InputError(f"payment on receipt has no days, got {self.days}")
        object.__setattr__(self, "days", int(self.days))  # numpy ints would leak into labels and hashes

    def label(self) -> str:
        """Return the canonical text of these terms, e.g. "net 30", "45 days end of month", "on receipt"."""
        if self.kind == RECEIPT:
            return "on receipt"
        if self.kind == NET:
            return f"net {self.days}"
        return f"{self.days} {'day' if self.days == 1 else 'days'} end of month"


# --- parsing ---------------------------------------------------------------------------------
_UNIT = r"(?:days?|d|jours?|j)"
_EOM = r"(?:end of (?:the )?month|eom|fin de mois|fdm|fm)"
_FROM_INVOICE = r"(?: (?:from |after )?invoice(?: date)?| date (?:de )?facture)?"
_NET_RE = re.compile(rf"(?:net ?)?(\d+) ?{_UNIT}?(?: nets?)?{_FROM_INVOICE}")
_EOM_RES = (
    re.compile(rf"(?:net ?)?(\d+) ?{_UNIT}? ?{_EOM}(?: nets?)?"),
    re.compile(rf"{_EOM} (?:plus )?(\d+) ?{_UNIT}?"),
)
_RECEIPT_TEXTS = frozenset({
    "on receipt", "upon receipt", "due on receipt", "due upon receipt", "receipt", "payable on receipt",
    "immediate", "immediately", "due immediately", "cash", "comptant", "paiement comptant", "au comptant",
    "a reception", "reception", "des reception", "a reception de facture", "paiement a reception",
})


def _normalise(text: str) -> str:
    """Return `text` lower-cased, without accents, with punctuation turned into single spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


@functools.lru_cache(maxsize=4096)
def parse_terms(text: str) -> Terms:
    """Return the Terms written in `text` (English or French, any case); raise InputError otherwise."""
    if isinstance(text, float | np.floating) and float(text).is_integer():
        text = int(text)  # a spreadsheet column of bare numbers arrives as floats or ints
    if isinstance(text, int | np.integer) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise InputError(f"missing payment terms ({text!r}): expected e.g. {_EXAMPLES}")
    norm = _normalise(text)
    if re.search(r"(?:^|\s)-\s*\d", text):  # a negative number of days ("net -30"), not "net-30"
        norm = ""
    if norm in _RECEIPT_TEXTS:
        return Terms(RECEIPT, 0)
    for pattern in _EOM_RES:
        match = pattern.fullmatch(norm)
        if match:
            return _terms_from(EOM, int(match.group(1)), text)
    match = _NET_RE.fullmatch(norm)
    if match:
        return _terms_from(NET, int(match.group(1)), text)
    raise InputError(f'unknown payment terms "{text}": expected e.g. {_EXAMPLES}')


def _terms_from(kind: str, days: int, text: str) -> Terms:
    """Return Terms of `kind` and `days`, with 0 days meaning on receipt."""
    if days > _MAX_TERM_DAYS:
        raise InputError(f'payment terms "{text}" exceed {_MAX_TERM_DAYS} days: expected e.g. {_EXAMPLES}')
    return Terms(RECEIPT, 0) if days == 0 else Terms(kind, days)


# --- due dates ---------------------------------------------------------------------------------
def _as_days(dates: Any) -> np.ndarray:
    """Return `dates` (scalar, list, ndarray, Series or Index) as a 1-D datetime64[D] array, NaT kept."""
    if isinstance(dates, pd.Series | pd.Index) and isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = pd.DatetimeIndex(dates).tz_localize(None)  # keep the wall-clock day
    values = dates.to_numpy() if isinstance(dates, pd.Series | pd.Index) else np.asarray(dates)
    if values.dtype.kind == "M":
        return values.astype("datetime64[D]").ravel()
    values = np.atleast_1d(values).ravel()
    if values.size == 0:
        return np.array([], dtype="datetime64[D]")
    try:
        converted = pd.to_datetime(pd.Index(values.astype(object)))
    except (ValueError, TypeError) as exc:
        raise InputError(f"expected dates, got values such as {values[:3].tolist()}: {exc}") from exc
    if converted.tz is not None:
        converted = converted.tz_localize(None)
    return converted.to_numpy().astype("datetime64[D]")


def _month_end(days: np.ndarray) -> np.ndarray:
    """Return the last day of the month of each date."""
    return (days.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1


def _check_eom_method(eom_method: str) -> None:
    """Raise InputError unless `eom_method` is one of EOM_METHODS."""
    if eom_method not in EOM_METHODS:
        raise InputError(f'unknown end-of-month method "{eom_method}": expected one of {", ".join(EOM_METHODS)}')


def _shift(issued: np.ndarray, days: np.ndarray | int, is_eom: np.ndarray | bool, eom_method: str) -> np.ndarray:
    """Return due dates from issue dates, days and an end-of-month mask (the vectorised core)."""
    plain = issued + days
    if not np.any(is_eom):
        return plain
    eom = _month_end(plain) if eom_method == "days_then_eom" else _month_end(issued) + days
    return np.where(is_eom, eom, plain)


def due_dates(issue_dates: Any, terms: Terms, eom_method: str = "days_then_eom") -> np.ndarray:
    """Return the due dates (datetime64[D]) of invoices issued on `issue_dates` under one set of terms."""
    _check_eom_method(eom_method)
    return _shift(_as_days(issue_dates), terms.days, terms.kind == EOM, eom_method)


def due_dates_for(issue_dates: Any, terms_texts: Any, eom_method: str = "days_then_eom") -> np.ndarray:
    """Return the due dates (datetime64[D]) of invoices with per-row terms texts, each text parsed once."""
    _check_eom_method(eom_method)
    issued = _as_days(issue_dates)
    if isinstance(terms_texts, str):
        terms = parse_terms(terms_texts)
        return _shift(issued, terms.days, terms.kind == EOM, eom_method)
    codes, uniques = pd.factorize(terms_texts if isinstance(terms_texts, pd.Series | pd.Categorical)
                                  else np.asarray(terms_texts, dtype=object).ravel())
    if len(codes) != len(issued):
        raise InputError(f"{len(issued)} issue dates but {len(codes)} payment terms: expected one terms per date")
    if (codes < 0).any():
        rows = np.flatnonzero(codes < 0)[:5].tolist()
        raise InputError(f"missing payment terms in rows {rows} (counted from 0): expected e.g. {_EXAMPLES}")
    parsed = [parse_terms(text) for text in uniques]
    days = np.array([t.days for t in parsed], dtype=np.int64)[codes]
    is_eom = np.array([t.kind == EOM for t in parsed], dtype=bool)[codes]
    return _shift(issued, days, is_eom, eom_method)


# --- legal caps ----------------------------------------------------------------------------------
def exceeds_french_legal_cap(terms: Terms) -> bool:
    """Return True when the terms are longer than French law allows (net > 60 days, or > 45 days EOM)."""
    if terms.kind == NET:
        return terms.days > LEGAL_CAP_NET_DAYS
    if terms.kind == EOM:
        return terms.days > LEGAL_CAP_EOM_DAYS
    return False


def max_days_from_invoice(terms: Terms) -> int:
    """Return the longest invoice-to-due-date span in days: N for net N, N + 30 for N days EOM, 0 on receipt."""
    if terms.kind == EOM:
        return terms.days + 30  # same worst case under both EOM_METHODS (see module docstring)
    return terms.days


# --- business days -------------------------------------------------------------------------------
def _easter_sundays(years: np.ndarray) -> np.ndarray:
    """Return Easter Sunday (datetime64[D]) of each Gregorian year (anonymous Gregorian algorithm)."""
    y = np.asarray(years, dtype=np.int64)
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return _ymd(y, month, day)


def _ymd(years: np.ndarray, months: np.ndarray | int, days: np.ndarray | int) -> np.ndarray:
    """Return datetime64[D] dates built from year, month and day arrays."""
    first_of_month = (np.asarray(years) - 1970) * 12 + (np.asarray(months) - 1)
    return first_of_month.astype("datetime64[M]").astype("datetime64[D]") + (np.asarray(days) - 1)


def easter_sunday(year: int) -> date:
    """Return the date of Easter Sunday in `year` (Gregorian calendar)."""
    return _easter_sundays(np.array([year]))[0].astype(date)


# (month, day) fixed holidays and offsets from Easter Sunday, by calendar
_FIXED = {
    "FR": ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)),
    "TARGET": ((1, 1), (5, 1), (12, 25), (12, 26)),
    "NONE": (),
}
_FROM_EASTER = {
    "FR": (1, 39, 50),  # Easter Monday, Ascension Thursday, Whit Monday
    "TARGET": (-2, 1),  # Good Friday, Easter Monday
    "NONE": (),
}


@functools.lru_cache(maxsize=64)
def _holidays(country: str, start_year: int, end_year: int) -> np.ndarray:
    """Return the sorted, read-only holidays of `country` for the years start_year..end_year."""
    years = np.arange(start_year, end_year + 1)
    parts = [_ymd(years, month, day) for month, day in _FIXED[country]]
    if _FROM_EASTER[country]:
        easter = _easter_sundays(years)
        parts += [easter + offset for offset in _FROM_EASTER[country]]
    holidays = np.unique(np.concatenate(parts)) if parts else np.array([], dtype="datetime64[D]")
    holidays.flags.writeable = False  # shared by the cache
    return holidays


@functools.lru_cache(maxsize=64)
def _busday_calendar(country: str, start_year: int, end_year: int) -> np.busdaycalendar:
    """Return a numpy business-day calendar of `country` for the years start_year..end_year."""
    return np.busdaycalendar(weekmask="1111100", holidays=_holidays(country, start_year, end_year))


@dataclass(frozen=True)
class BusinessCalendar:
    """Bank business days: weekends plus the holidays of `country` ("FR", "TARGET" or "NONE") are closed."""

    country: str = "FR"

    def __post_init__(self) -> None:
        """Normalise the country code and reject unknown calendars."""
        country = str(self.country).strip().upper()
        if country not in CALENDARS:
            raise InputError(f'unknown business-day calendar "{self.country}": expected one of {", ".join(CALENDARS)}')
        object.__setattr__(self, "country", country)

    def holidays(self, start_year: int, end_year: int) -> np.ndarray:
        """Return the sorted holidays (datetime64[D], weekends included) of the years start_year..end_year."""
        if end_year < start_year:
            return np.array([], dtype="datetime64[D]")
        return _holidays(self.country, int(start_year), int(end_year)).copy()

    def _calendar_for(self, days: np.ndarray) -> np.busdaycalendar:
        """Return a numpy calendar covering the years of `days` plus the next year (a roll may cross it)."""
        years = days.astype("datetime64[Y]").astype(np.int64) + 1970
        return _busday_calendar(self.country, int(years.min()), int(years.max()) + 1)

    def roll_forward(self, dates: Any) -> np.ndarray:
        """Return each date moved to the next business day when it is not one (datetime64[D], NaT kept)."""
        days = _as_days(dates)
        valid = ~np.isnat(days)
        if not valid.any():
            return days.copy()
        rolled = days.copy()
        rolled[valid] = np.busday_offset(days[valid], 0, roll="forward", busdaycal=self._calendar_for(days[valid]))
        return rolled

    def last_business_day(self, day: pd.Timestamp) -> pd.Timestamp:
        """Return the last business day on or before `day` (no calendar closes more than two weeks in a row)."""
        days = np.datetime64(pd.Timestamp(day).date(), "D") - np.arange(15)
        return pd.Timestamp(days[self.is_business_day(days)][0])

    def is_business_day(self, dates: Any) -> np.ndarray:
        """Return True where a date is a business day (False for NaT)."""
        days = _as_days(dates)
        valid = ~np.isnat(days)
        result = np.zeros(days.shape, dtype=bool)
        if valid.any():
            result[valid] = np.is_busday(days[valid], busdaycal=self._calendar_for(days[valid]))
        return result
