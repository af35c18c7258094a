"""How far ahead a date a user gives may lie: the bounds every command holding a date of the
future to them shares (a hire, a planned end, a change of situation), so that a typing slip
(9999 for 2025) never reaches the lists sent to regulators. Bounds of a person's life (birth,
age at hire) are the workforce's: `domain.workforce.plausible_dates`.

"Today" is the Paris day of the command being decided (`command_day`: the instant its events are
stamped with, taken from the application's clock), so a test that sets the clock sets it too.
"""

from datetime import date

from domain.calendar import event_stamp, paris_date
from domain.errors import InvalidValue

YEARS_AHEAD_FOR_A_START = 1
"""A hire, an amendment, a situation or an exposure starts at most one year after today."""
YEARS_AHEAD_FOR_AN_END = 5
"""A planned end, a trial end, an exit, the end of a situation or a change of the company's
situation at most five years after today (the longest fixed-term contracts and apprenticeships
last three years)."""


def command_day() -> date:
    """The Paris day of the command being decided (outside a command, the system's)."""
    return paris_date(event_stamp())


def years_after(day: date, years: int) -> date:
    """`day` moved `years` years (a 29 February lands on the 28th), held inside the calendar."""
    year = min(max(day.year + years, date.min.year), date.max.year)
    if (day.month, day.day) == (2, 29):
        return date(year, 2, 28)
    return day.replace(year=year)


def check_start(day: date, field: str, today: date | None = None) -> None:
    """A date something starts on: at most `YEARS_AHEAD_FOR_A_START` after today."""
    _check_ahead(day, field, YEARS_AHEAD_FOR_A_START, today)


def check_end(day: date | None, field: str, today: date | None = None) -> None:
    """A date something ends on (if any): at most `YEARS_AHEAD_FOR_AN_END` after today."""
    if day is not None:
        _check_ahead(day, field, YEARS_AHEAD_FOR_AN_END, today)


def _check_ahead(day: date, field: str, years: int, today: date | None) -> None:
    latest = years_after(today or command_day(), years)
    if day > latest:
        ahead = "un an" if years == 1 else f"{years} ans"
        raise InvalidValue(
            f"Cette date n'est pas plausible : elle doit se situer au plus tard le"
            f" {latest:%d/%m/%Y} ({ahead} après aujourd'hui).",
            code="DATE_TOO_FAR_AHEAD",
            field=field,
        )
