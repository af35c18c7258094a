"""Business days (jours ouvrés) and the notice a member gives to cancel an appointment
(RULES.md §5 bis).

A business day is Monday to Friday, except French public holidays: those of metropolitan France,
plus Good Friday and 26 December where the member's worksite is in Alsace-Moselle (Moselle,
Bas-Rhin, Haut-Rhin: départements 57, 67, 68). A cancellation asked on day R for an appointment
on day A is accepted when at least N business days lie strictly between them (neither R nor A
counts); N is a setting of the service (`domain.visits.settings`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from domain.address import Address
from domain.labelled import LabelledEnum

ALSACE_MOSELLE_DEPARTMENTS = frozenset({"57", "67", "68"})
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


class Region(LabelledEnum):
    """Where a worksite is, as far as public holidays go."""

    METROPOLITAN = "metropolitan", "France métropolitaine"
    ALSACE_MOSELLE = "alsace_moselle", "Alsace-Moselle"

    @classmethod
    def of_department(cls, department: str) -> "Region":
        """The region of a département code ("57", "13", "2A"…)."""
        if department.strip() in ALSACE_MOSELLE_DEPARTMENTS:
            return cls.ALSACE_MOSELLE
        return cls.METROPOLITAN

    @classmethod
    def of_postal_code(cls, postal_code: str) -> "Region":
        """The region of a French postal code: its first two digits name the département in
        57, 67 and 68 (every code of those three départements starts with its number)."""
        return cls.of_department(postal_code.strip()[:2])

    @classmethod
    def of_worksite(cls, address: Address | None) -> "Region":
        """The region of a worksite: a French address by its postal code; abroad, or unknown,
        metropolitan France (the service's own calendar)."""
        if address is None or address.country != "FR":
            return cls.METROPOLITAN
        return cls.of_postal_code(address.postal_code)


# The `holidays` subdivision of each region: "57" (Moselle) and "6AE" (Alsace) share the same
# two extra days; None is metropolitan France.
_SUBDIVISIONS = {Region.METROPOLITAN: None, Region.ALSACE_MOSELLE: "57"}


@lru_cache(maxsize=256)
def _public_holidays(region: Region, year: int) -> frozenset[date]:
    return frozenset(
        holidays.country_holidays("FR", subdiv=_SUBDIVISIONS[region], years=year).keys()
    )


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    region: Region = Region.METROPOLITAN

    def is_public_holiday(self, day: date) -> bool:
        return day in _public_holidays(self.region, day.year)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_public_holiday(day)

    def business_days_between(self, first: date, last: date) -> int:
        """How many business days lie strictly between `first` and `last` (0 when `last` is
        not at least two days after `first`)."""
        start, end = first + timedelta(days=1), last  # the days of [start, end)
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum(
            1 for offset in range(rest) if (start + timedelta(days=offset)).weekday() < 5
        )
        holidays_on_weekdays = sum(
            1
            for year in range(start.year, end.year + 1)
            for day in _public_holidays(self.region, year)
            if start <= day < end and day.weekday() < 5
        )
        return weekdays - holidays_on_weekdays

    def last_cancellation_day(self, appointment_on: date, notice_days: int) -> date:
        """The last day on which a cancellation of an appointment on `appointment_on` may be
        asked: the day before the `notice_days`-th business day counted back from it."""
        if notice_days < 1:
            raise ValueError(f"a cancellation notice is at least one business day: {notice_days}")
        day, counted = appointment_on, 0
        while counted < notice_days:
            day -= timedelta(days=1)
            if self.is_business_day(day):
                counted += 1
        return day - timedelta(days=1)

    def may_cancel(self, asked_on: date, appointment_on: date, notice_days: int) -> bool:
        """Whether at least `notice_days` business days lie strictly between the day the
        cancellation is asked and the day of the appointment."""
        return asked_on <= self.last_cancellation_day(appointment_on, notice_days)


def long_french_date(day: date) -> str:
    """A day as a French sentence writes it: "vendredi 1er mai 2026", "mardi 12 mai 2026"."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"
