"""Tests of forecasting.core.terms: parsing, due dates, bank business days and French legal caps."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecasting.core.errors import InputError
from forecasting.core.terms import (
    EOM_METHODS,
    LEGAL_CAP_EOM_DAYS,
    LEGAL_CAP_NET_DAYS,
    BusinessCalendar,
    Terms,
    due_dates,
    due_dates_for,
    exceeds_french_legal_cap,
    max_days_from_invoice,
    parse_terms,
)

NET30, NET60, EOM45, RECEIPT = Terms("net", 30), Terms("net", 60), Terms("eom", 45), Terms("receipt", 0)


def days(*texts: str) -> np.ndarray:
    """Return ISO date texts as a datetime64[D] array (NaT for None)."""
    return np.array(["NaT" if t is None else t for t in texts], dtype="datetime64[D]")


# --- parsing ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("net 30", NET30), ("30 days net", NET30), ("30 days", NET30), ("30", NET30), ("30j", NET30),
    ("30 jours", NET30), ("30 jours net", NET30), ("NET 30", NET30), ("  Net   30 ", NET30), ("net30", NET30),
    ("30 jours nets", NET30), ("net-30", NET30), ("30 days from invoice date", NET30),
    ("net 60", NET60), ("60 jours date de facture", NET60),
    ("45 days end of month", EOM45), ("45 days EOM", EOM45), ("45 eom", EOM45), ("45 jours fin de mois", EOM45),
    ("45j FDM", EOM45), ("fin de mois 45", EOM45), ("45 days end-of-month", EOM45), ("45 JOURS FIN DE MOIS", EOM45),
    ("fin de mois + 45 jours", EOM45),
    ("on receipt", RECEIPT), ("upon receipt", RECEIPT), ("due on receipt", RECEIPT), ("immediate", RECEIPT),
    ("comptant", RECEIPT), ("à réception", RECEIPT), ("a reception", RECEIPT), ("À RÉCEPTION", RECEIPT),
    ("0", RECEIPT), ("net 0", RECEIPT), ("0 jours", RECEIPT),
])
def test_parse_terms_accepts_english_and_french_spellings(text: str, expected: Terms) -> None:
    assert parse_terms(text) == expected


def test_parse_terms_accepts_a_bare_number_from_a_spreadsheet() -> None:
    assert parse_terms(30) == NET30
    assert parse_terms(60.0) == NET60
    assert parse_terms(np.int64(0)) == RECEIPT


@pytest.mark.parametrize("terms", [NET30, NET60, EOM45, RECEIPT, Terms("eom", 30), Terms("net", 1), Terms("eom", 1)])
def test_label_is_canonical_and_parses_back(terms: Terms) -> None:
    assert parse_terms(terms.label()) == terms


def test_labels_read_as_a_treasurer_writes_them() -> None:
    assert [NET30.label(), EOM45.label(), RECEIPT.label()] == ["net 30", "45 days end of month", "on receipt"]


@pytest.mark.parametrize("text", ["xyz", "", "net", "30 months", "2/10 net 30", "net -30", "end of month"])
def test_parse_terms_rejects_unknown_text_with_examples(text: str) -> None:
    with pytest.raises(InputError) as error:
        parse_terms(text)
    message = str(error.value)
    assert f'unknown payment terms "{text}"' in message
    assert '"net 30", "45 days end of month", "on receipt"' in message


@pytest.mark.parametrize("value", [None, float("nan"), 30.5])
def test_parse_terms_rejects_missing_or_non_text_values(value: object) -> None:
    with pytest.raises(InputError):
        parse_terms(value)  # type: ignore[arg-type]


def test_parse_terms_is_cached() -> None:
    parse_terms("net 45")
    hits = parse_terms.cache_info().hits
    parse_terms("net 45")
    assert parse_terms.cache_info().hits == hits + 1


@pytest.mark.parametrize(("kind", "n_days"), [("weekly", 7), ("net", -1), ("receipt", 5), ("net", 10_000)])
def test_terms_reject_impossible_values(kind: str, n_days: int) -> None:
    with pytest.raises(InputError):
        Terms(kind, n_days)


# --- due dates ---------------------------------------------------------------------------------------
def test_net_30_is_issue_plus_30_days() -> None:
    # 2026-01-15 + 16 days = 31 Jan, + 14 more = 14 Feb
    assert due_dates(["2026-01-15"], NET30)[0] == np.datetime64("2026-02-14")


def test_net_45_crosses_a_leap_day() -> None:
    # 2024-01-15 + 16 = 31 Jan, + 29 = 29 Feb (2024 is a leap year)
    assert due_dates(["2024-01-15"], Terms("net", 45))[0] == np.datetime64("2024-02-29")


def test_45_days_end_of_month_days_then_eom_is_the_default() -> None:
    # 2026-01-15 + 45 days = 2026-03-01, then the end of March
    assert due_dates(["2026-01-15"], EOM45)[0] == np.datetime64("2026-03-31")
    assert due_dates(["2026-01-15"], EOM45, "days_then_eom")[0] == np.datetime64("2026-03-31")


def test_45_days_end_of_month_eom_then_days() -> None:
    # end of January (2026-01-31) + 45 days = 2026-03-17
    assert due_dates(["2026-01-15"], EOM45, "eom_then_days")[0] == np.datetime64("2026-03-17")


@pytest.mark.parametrize(("issued", "method", "expected"), [
    ("2026-01-31", "days_then_eom", "2026-03-31"),  # 31 Jan + 45 = 17 Mar -> 31 Mar
    ("2026-01-31", "eom_then_days", "2026-03-17"),  # already month end: + 45 = 17 Mar
    ("2026-02-14", "days_then_eom", "2026-03-31"),  # 14 Feb + 45 = 31 Mar, itself a month end
    ("2026-02-15", "days_then_eom", "2026-04-30"),  # 15 Feb + 45 = 1 Apr -> 30 Apr
    ("2026-02-15", "eom_then_days", "2026-04-14"),  # 28 Feb + 45 = 14 Apr
    ("2026-12-20", "days_then_eom", "2027-02-28"),  # 20 Dec + 45 = 3 Feb 2027 -> 28 Feb
])
def test_eom_examples(issued: str, method: str, expected: str) -> None:
    assert due_dates([issued], EOM45, method)[0] == np.datetime64(expected)


def test_on_receipt_is_due_the_same_day() -> None:
    assert due_dates(["2026-12-25"], RECEIPT)[0] == np.datetime64("2026-12-25")


def test_due_dates_accept_series_index_scalar_and_dates() -> None:
    expected = np.datetime64("2026-02-14")
    assert due_dates(pd.Series(pd.to_datetime(["2026-01-15"])), NET30)[0] == expected
    assert due_dates(pd.DatetimeIndex(["2026-01-15"]), NET30)[0] == expected
    assert due_dates(date(2026, 1, 15), NET30)[0] == expected
    assert due_dates(pd.Timestamp("2026-01-15 13:45"), NET30)[0] == expected
    assert due_dates(np.array(["2026-01-15"], dtype="datetime64[us]"), NET30).dtype == np.dtype("datetime64[D]")


def test_due_dates_keep_missing_issue_dates_missing() -> None:
    result = due_dates(days("2026-01-15", None), EOM45)
    assert result[0] == np.datetime64("2026-03-31")
    assert np.isnat(result[1])


def test_due_dates_reject_an_unknown_eom_method() -> None:
    with pytest.raises(InputError, match="end-of-month method"):
        due_dates(["2026-01-15"], EOM45, "eom_plus")


def test_due_dates_for_mixed_terms() -> None:
    issued = ["2026-01-15"] * 5
    texts = ["net 30", "45 days end of month", "comptant", "NET 30", "45j FDM"]
    expected = days("2026-02-14", "2026-03-31", "2026-01-15", "2026-02-14", "2026-03-31")
    np.testing.assert_array_equal(due_dates_for(issued, texts), expected)
    eom_then = days("2026-02-14", "2026-03-17", "2026-01-15", "2026-02-14", "2026-03-17")
    np.testing.assert_array_equal(due_dates_for(issued, texts, "eom_then_days"), eom_then)


def test_due_dates_for_accepts_series_categoricals_and_one_text() -> None:
    issued = pd.Series(pd.to_datetime(["2026-01-15", "2026-01-31"]))
    expected = days("2026-03-31", "2026-03-31")
    np.testing.assert_array_equal(due_dates_for(issued, pd.Series(["45 eom", "45 eom"])), expected)
    np.testing.assert_array_equal(due_dates_for(issued, pd.Categorical(["45 eom", "45 eom"])), expected)
    np.testing.assert_array_equal(due_dates_for(issued, "45 eom"), expected)


def test_due_dates_for_names_the_unknown_terms() -> None:
    with pytest.raises(InputError, match='unknown payment terms "90 days hopefully"'):
        due_dates_for(["2026-01-15", "2026-01-15"], ["net 30", "90 days hopefully"])


def test_due_dates_for_reports_missing_terms_and_length_mismatch() -> None:
    with pytest.raises(InputError, match=r"missing payment terms in rows \[1\]"):
        due_dates_for(["2026-01-15", "2026-01-15"], ["net 30", None])
    with pytest.raises(InputError, match="2 issue dates but 1 payment terms"):
        due_dates_for(["2026-01-15", "2026-01-15"], ["net 30"])


def test_unparseable_dates_raise_input_error() -> None:
    with pytest.raises(InputError, match="expected dates"):
        due_dates(["not a date"], NET30)


# --- legal caps ------------------------------------------------------------------------------------
def test_legal_cap_constants() -> None:
    assert (LEGAL_CAP_NET_DAYS, LEGAL_CAP_EOM_DAYS) == (60, 45)


@pytest.mark.parametrize(("text", "flagged"), [
    ("net 75", True), ("net 61", True), ("net 60", False), ("net 30", False),
    ("45 days end of month", False), ("46 days end of month", True), ("60 days end of month", True),
    ("on receipt", False),
])
def test_exceeds_french_legal_cap(text: str, flagged: bool) -> None:
    assert exceeds_french_legal_cap(parse_terms(text)) is flagged


def test_max_days_from_invoice() -> None:
    assert max_days_from_invoice(NET60) == 60
    assert max_days_from_invoice(EOM45) == 75
    assert max_days_from_invoice(RECEIPT) == 0


@pytest.mark.parametrize("method", EOM_METHODS)
def test_max_days_from_invoice_is_reached_and_never_exceeded(method: str) -> None:
    issued = np.arange(np.datetime64("2024-01-01"), np.datetime64("2028-01-01"))
    for terms in (EOM45, Terms("eom", 30), NET60):
        spans = (due_dates(issued, terms, method) - issued).astype(np.int64)
        assert spans.max() == max_days_from_invoice(terms)


# --- business days ----------------------------------------------------------------------------------
def test_french_bank_holidays_2026() -> None:
    expected = days("2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
                    "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25")
    np.testing.assert_array_equal(BusinessCalendar("FR").holidays(2026, 2026), expected)


def test_target_holidays_2026() -> None:
    expected = days("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25", "2026-12-26")
    np.testing.assert_array_equal(BusinessCalendar("TARGET").holidays(2026, 2026), expected)


def test_alsace_moselle_holidays_2026_add_good_friday_and_st_stephens_day() -> None:
    expected = days("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
                    "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25", "2026-12-26")
    np.testing.assert_array_equal(BusinessCalendar("FR-Alsace-Moselle").holidays(2026, 2026), expected)
    assert BusinessCalendar("FR-ALSACE-MOSELLE").roll_forward(["2026-04-03"])[0] == np.datetime64("2026-04-07")


def test_target_holidays_follow_the_ecb_history() -> None:
    assert len(BusinessCalendar("TARGET").holidays(1990, 1998)) == 0  # TARGET opened in 1999
    np.testing.assert_array_equal(BusinessCalendar("TARGET").holidays(1999, 1999),
                                  days("1999-01-01", "1999-12-25", "1999-12-31"))  # the euro changeover
    assert len(BusinessCalendar("TARGET").holidays(2002, 2030)) == 29 * 6


def test_years_the_holiday_package_does_not_know_have_weekends_only() -> None:
    assert len(BusinessCalendar("FR").holidays(2101, 2101)) == 0
    assert BusinessCalendar("FR").roll_forward(["2101-12-25"])[0] == np.datetime64("2101-12-26")  # a Sunday
    assert BusinessCalendar("FR").roll_forward(["9999-12-25", "2026-12-25"]).tolist() == \
        days("9999-12-27", "2026-12-28").tolist()  # a mistyped year costs no walk through thousands of years


def test_holidays_cover_every_year_asked_and_none_has_none() -> None:
    assert len(BusinessCalendar().holidays(2025, 2027)) == 33
    assert len(BusinessCalendar("NONE").holidays(2025, 2027)) == 0
    assert len(BusinessCalendar().holidays(2027, 2025)) == 0


@pytest.mark.parametrize(("day", "expected"), [
    ("2026-12-25", "2026-12-28"),  # Christmas, a Friday -> Monday
    ("2027-05-08", "2027-05-10"),  # Victoire 1945 on a Saturday -> Monday
    ("2026-05-14", "2026-05-15"),  # Ascension Thursday -> Friday
    ("2026-05-01", "2026-05-04"),  # Labour Day, a Friday -> Monday
    ("2026-04-03", "2026-04-03"),  # Good Friday is worked in France (outside Alsace-Moselle)
    ("2026-04-04", "2026-04-07"),  # Saturday, Sunday, Easter Monday -> Tuesday
    ("2023-12-31", "2024-01-02"),  # Sunday, then New Year's Day of the next year
    ("2026-12-31", "2026-12-31"),  # a Thursday stays
])
def test_french_roll_forward(day: str, expected: str) -> None:
    assert BusinessCalendar("FR").roll_forward([day])[0] == np.datetime64(expected)


def test_target_and_weekend_only_calendars_roll_differently() -> None:
    assert BusinessCalendar("TARGET").roll_forward(["2026-04-03"])[0] == np.datetime64("2026-04-07")
    assert BusinessCalendar("TARGET").roll_forward(["2026-05-08"])[0] == np.datetime64("2026-05-08")
    assert BusinessCalendar("NONE").roll_forward(["2026-12-25"])[0] == np.datetime64("2026-12-25")
    assert BusinessCalendar("NONE").roll_forward(["2026-12-26"])[0] == np.datetime64("2026-12-28")


def test_roll_forward_is_vectorised_and_keeps_nat() -> None:
    rolled = BusinessCalendar().roll_forward(pd.Series(pd.to_datetime(["2026-12-25", None, "2026-12-28"])))
    assert rolled.dtype == np.dtype("datetime64[D]")
    assert rolled[0] == np.datetime64("2026-12-28")
    assert np.isnat(rolled[1])
    assert rolled[2] == np.datetime64("2026-12-28")
    assert np.isnat(BusinessCalendar().roll_forward([None])).all()
    assert len(BusinessCalendar().roll_forward([])) == 0


def test_is_business_day() -> None:
    result = BusinessCalendar().is_business_day(days("2026-12-25", "2026-12-28", "2026-11-01", "2026-04-03", None))
    np.testing.assert_array_equal(result, [False, True, False, True, False])


def test_calendar_country_is_normalised_and_checked() -> None:
    assert BusinessCalendar("fr") == BusinessCalendar("FR")
    with pytest.raises(InputError, match="unknown business-day calendar"):
        BusinessCalendar("XX")
