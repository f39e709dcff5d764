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
- Bank holidays come from the `holidays` package: "FR" is France's public holidays, "FR-ALSACE-MOSELLE"
  adds Good Friday and 26 December (Alsace and Moselle), "TARGET" is the ECB's TARGET2 closing days
  (none before 1999, when TARGET opened). The package knows years up to 2100; later years have weekends only.
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
CALENDARS = ("FR", "FR-ALSACE-MOSELLE", "TARGET", "NONE")

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
    days: np.ndarray = converted.to_numpy().astype("datetime64[D]")  # pandas-stubs types to_numpy() as Any here
    return days


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
# The `holidays` package's calendar behind each of CALENDARS but "NONE"
_HOLIDAY_SOURCES: dict[str, tuple[str, str, str | None]] = {
    "FR": ("country", "FR", None),
    "FR-ALSACE-MOSELLE": ("country", "FR", "57"),  # Moselle; Bas-Rhin and Haut-Rhin ("6AE") have the same days
    "TARGET": ("financial", "XECB", None),  # the ECB's TARGET2 closing days
}


def _holiday_dates(country: str, start_year: int, end_year: int) -> list[date]:
    """Return the holidays of `country` (not "NONE") in the years start_year..end_year that the package knows."""
    import holidays  # here, not at the top: the package takes ~0.1 s to import, and most commands need no calendar

    kind, code, subdiv = _HOLIDAY_SOURCES[country]
    make = holidays.country_holidays if kind == "country" else holidays.financial_holidays
    known = make(code, subdiv=subdiv)  # no year yet: it tells the first and last years it knows
    # only those years: it would walk thousands of empty years for a mistyped 9999
    years = range(max(start_year, known.start_year), min(end_year, known.end_year) + 1)
    return sorted(make(code, subdiv=subdiv, years=years))


@functools.lru_cache(maxsize=64)
def _holidays(country: str, start_year: int, end_year: int) -> np.ndarray:
    """Return the sorted, read-only holidays of `country` for the years start_year..end_year."""
    dates = _holiday_dates(country, start_year, end_year) if country != "NONE" else []
    days = np.array(dates, dtype="datetime64[D]")
    days.flags.writeable = False  # shared by the cache
    return days


@functools.lru_cache(maxsize=64)
def _busday_calendar(country: str, start_year: int, end_year: int) -> np.busdaycalendar:
    """Return a numpy business-day calendar of `country` for the years start_year..end_year."""
    return np.busdaycalendar(weekmask="1111100", holidays=_holidays(country, start_year, end_year))


@dataclass(frozen=True)
class BusinessCalendar:
    """Bank business days: weekends and the holidays of `country` (one of CALENDARS; "NONE": none) are closed."""

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

    def is_month_end(self, dates: Any) -> np.ndarray:
        """Return True where a date is its month's last business day (a business day whose next one is in another month)."""
        days = _as_days(dates)
        next_day = self.roll_forward(days + 1)
        on_end: np.ndarray = self.is_business_day(days) & (next_day.astype("datetime64[M]")
                                                           != days.astype("datetime64[M]"))
        return on_end

    def is_business_day(self, dates: Any) -> np.ndarray:
        """Return True where a date is a business day (False for NaT)."""
        days = _as_days(dates)
        valid = ~np.isnat(days)
        result = np.zeros(days.shape, dtype=bool)
        if valid.any():
            result[valid] = np.is_busday(days[valid], busdaycal=self._calendar_for(days[valid]))
        return result
