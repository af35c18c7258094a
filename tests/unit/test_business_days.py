"""Business days and the cancellation notice (RULES.md §5 bis): Monday to Friday but French
public holidays, Alsace-Moselle adding Good Friday and 26 December; a cancellation is accepted
while N business days lie strictly between the day it is asked and the day of the appointment."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.address import Address
from domain.visits.business_days import BusinessCalendar, Region, long_french_date

FRANCE = BusinessCalendar()
ALSACE_MOSELLE = BusinessCalendar(Region.ALSACE_MOSELLE)


@pytest.mark.parametrize(
    ("day", "calendar", "business"),
    [
        (date(2026, 5, 13), FRANCE, True),  # a Wednesday
        (date(2026, 5, 16), FRANCE, False),  # a Saturday
        (date(2026, 5, 17), FRANCE, False),  # a Sunday
        (date(2026, 5, 1), FRANCE, False),  # Labour Day, a Friday
        (date(2026, 5, 14), FRANCE, False),  # Ascension
        (date(2026, 7, 14), FRANCE, False),  # National Day, a Tuesday
        (date(2025, 12, 25), FRANCE, False),  # Christmas, a Thursday
        (date(2025, 12, 26), FRANCE, True),
        (date(2025, 12, 26), ALSACE_MOSELLE, False),
        (date(2026, 4, 3), FRANCE, True),  # Good Friday
        (date(2026, 4, 3), ALSACE_MOSELLE, False),
        (date(2026, 4, 6), ALSACE_MOSELLE, False),  # Easter Monday, everywhere
    ],
)
def test_business_days_are_weekdays_but_public_holidays(
    day: date, calendar: BusinessCalendar, business: bool
) -> None:
    assert calendar.is_business_day(day) is business


@pytest.mark.parametrize(
    ("first", "last", "calendar", "between"),
    [
        (date(2026, 5, 11), date(2026, 5, 11), FRANCE, 0),
        (date(2026, 5, 11), date(2026, 5, 12), FRANCE, 0),
        (date(2026, 5, 12), date(2026, 5, 11), FRANCE, 0),
        (date(2026, 5, 11), date(2026, 5, 13), FRANCE, 1),
        (date(2026, 5, 11), date(2026, 5, 18), FRANCE, 3),  # 12, 13, 15: 14 is Ascension
        (date(2026, 4, 30), date(2026, 5, 4), FRANCE, 0),  # 1 May, then a weekend
        (date(2026, 4, 2), date(2026, 4, 7), FRANCE, 1),  # Good Friday only
        (date(2026, 4, 2), date(2026, 4, 7), ALSACE_MOSELLE, 0),
        (date(2025, 12, 31), date(2027, 1, 1), FRANCE, 252),  # 261 weekdays, 9 holidays on them
        (date(2025, 12, 31), date(2027, 1, 1), ALSACE_MOSELLE, 251),  # and Good Friday
    ],
)
def test_business_days_strictly_between_two_days(
    first: date, last: date, calendar: BusinessCalendar, between: int
) -> None:
    assert calendar.business_days_between(first, last) == between


@pytest.mark.parametrize(
    ("appointment_on", "calendar", "notice_days", "last_day"),
    [
        # An ordinary week: Monday and Tuesday lie between Sunday and Wednesday.
        (date(2026, 5, 20), FRANCE, 2, date(2026, 5, 17)),
        # A weekend: Friday and Monday lie between Thursday and Tuesday.
        (date(2026, 6, 9), FRANCE, 2, date(2026, 6, 4)),
        # Ascension (Thursday 14 May) does not count: Wednesday and Friday do.
        (date(2026, 5, 18), FRANCE, 2, date(2026, 5, 12)),
        (date(2026, 5, 18), FRANCE, 1, date(2026, 5, 14)),
        (date(2026, 5, 18), FRANCE, 3, date(2026, 5, 11)),
        # 1 May, a Friday, then the weekend.
        (date(2026, 5, 4), FRANCE, 2, date(2026, 4, 28)),
        # 14 July, a Tuesday.
        (date(2026, 7, 15), FRANCE, 2, date(2026, 7, 9)),
        # Christmas, a Friday.
        (date(2026, 12, 28), FRANCE, 2, date(2026, 12, 22)),
        # Good Friday counts in metropolitan France only; Easter Monday nowhere.
        (date(2026, 4, 7), FRANCE, 2, date(2026, 4, 1)),
        (date(2026, 4, 7), ALSACE_MOSELLE, 2, date(2026, 3, 31)),
        # 26 December, a Friday in 2025, counts in metropolitan France only.
        (date(2025, 12, 29), FRANCE, 2, date(2025, 12, 23)),
        (date(2025, 12, 29), ALSACE_MOSELLE, 2, date(2025, 12, 22)),
    ],
)
def test_the_last_day_a_cancellation_may_be_asked(
    appointment_on: date, calendar: BusinessCalendar, notice_days: int, last_day: date
) -> None:
    assert calendar.last_cancellation_day(appointment_on, notice_days) == last_day
    assert calendar.may_cancel(last_day, appointment_on, notice_days)
    assert calendar.business_days_between(last_day, appointment_on) == notice_days
    day_after = last_day + timedelta(days=1)
    assert not calendar.may_cancel(day_after, appointment_on, notice_days)
    assert calendar.business_days_between(day_after, appointment_on) == notice_days - 1


@pytest.mark.parametrize(
    ("asked_on", "appointment_on", "calendar", "accepted"),
    [
        (date(2026, 5, 12), date(2026, 5, 18), FRANCE, True),
        (date(2026, 5, 13), date(2026, 5, 18), FRANCE, False),
        (date(2026, 5, 18), date(2026, 5, 18), FRANCE, False),  # the day itself
        (date(2026, 5, 25), date(2026, 5, 18), FRANCE, False),  # after it
        (date(2026, 5, 16), date(2026, 5, 20), FRANCE, True),  # asked on a Saturday
        (date(2026, 4, 1), date(2026, 4, 7), ALSACE_MOSELLE, False),
        (date(2026, 4, 1), date(2026, 4, 7), FRANCE, True),
    ],
)
def test_a_cancellation_needs_two_business_days_strictly_between(
    asked_on: date, appointment_on: date, calendar: BusinessCalendar, accepted: bool
) -> None:
    assert calendar.may_cancel(asked_on, appointment_on, 2) is accepted


def test_a_notice_is_at_least_one_business_day() -> None:
    with pytest.raises(ValueError, match="at least one business day"):
        FRANCE.last_cancellation_day(date(2026, 5, 18), 0)


DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@given(first=DAYS, span=st.integers(min_value=0, max_value=60), notice_days=st.integers(1, 10))
def test_the_rule_is_the_count_of_business_days_between(
    first: date, span: int, notice_days: int
) -> None:
    last = first + timedelta(days=span)
    for calendar in (FRANCE, ALSACE_MOSELLE):
        counted = sum(
            1
            for offset in range(1, span)
            if calendar.is_business_day(first + timedelta(days=offset))
        )
        assert calendar.business_days_between(first, last) == counted
        assert calendar.may_cancel(first, last, notice_days) is (counted >= notice_days)


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("57", Region.ALSACE_MOSELLE),
        ("67", Region.ALSACE_MOSELLE),
        ("68", Region.ALSACE_MOSELLE),
        ("13", Region.METROPOLITAN),
        ("2A", Region.METROPOLITAN),
        ("57000", Region.ALSACE_MOSELLE),
        ("67000", Region.ALSACE_MOSELLE),
        ("68100", Region.ALSACE_MOSELLE),
        ("13001", Region.METROPOLITAN),
        ("20000", Region.METROPOLITAN),
    ],
)
def test_the_region_of_a_worksite(code: str, region: Region) -> None:
    found = Region.of_department(code) if len(code) == 2 else Region.of_postal_code(code)
    assert found is region


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 5, 1), "vendredi 1er mai 2026"),
        (date(2026, 5, 12), "mardi 12 mai 2026"),
        (date(2026, 8, 16), "dimanche 16 août 2026"),
        (date(2026, 12, 31), "jeudi 31 décembre 2026"),
    ],
)
def test_a_day_as_a_french_sentence_writes_it(day: date, text: str) -> None:
    assert long_french_date(day) == text


@pytest.mark.parametrize(
    ("address", "region"),
    [
        (Address(("1 rue de la Gare",), "67000", "Strasbourg"), Region.ALSACE_MOSELLE),
        (Address(("1 rue de la Gare",), "13001", "Marseille"), Region.METROPOLITAN),
        (Address(("Hauptstraße 1",), "67000", "Ludwigshafen", "DE"), Region.METROPOLITAN),
        (None, Region.METROPOLITAN),
    ],
    ids=["strasbourg", "marseille", "a-german-67000", "unknown"],
)
def test_a_worksite_abroad_never_takes_alsace_moselle_holidays(
    address: Address | None, region: Region
) -> None:
    assert Region.of_worksite(address) is region
