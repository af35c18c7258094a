"""What an employee's state over time is drawn from (`TimelineInputs`), the first day a change
of it may touch, and the days their follow-up may change on (`follow_up_days`): the read models
that draw an employee's timeline or follow-up file draw it on those days, and again only from
the first day an event touches, not the whole history at each event."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.workforce.employee import Employee
from domain.workforce.employment import Contract
from domain.workforce.follow_up import ADULT_AGE, CURRENT_RULES, FollowUpRules
from domain.workforce.health import DeterminantPeriod, Exposure


def follow_up_days(employee: Employee, rules: FollowUpRules = CURRENT_RULES) -> set[date]:
    """The days the employee's follow-up may change on: each determinant's and each CMR
    exposure's first day and the day after its last, the 18th birthday, and the dated switches
    of the rules."""
    days = {rules.driving_and_electrical_leave_sir_on}
    if rules.lead_threshold_abolished_on is not None:
        days.add(rules.lead_threshold_abolished_on)
    periods: list[DeterminantPeriod | Exposure] = [
        d for d in employee.determinants or () if not d.retracted
    ]
    periods += [e for e in employee.exposures or () if not e.withdrawn]
    for period in periods:
        days.add(period.started_on)
        if period.ended_on is not None:
            days.add(day_after(period.ended_on))
    if employee.identity is not None:
        adult_on = birthday(employee.identity.birth_date, ADULT_AGE)
        if adult_on is not None:
            days.add(adult_on)
    return days


def day_after(day: date) -> date:
    """The next day; the calendar's last day has none, and a period ending then never ends."""
    return day if day == date.max else day + timedelta(days=1)


def birthday(birth_date: date, age: int) -> date | None:
    """The day one turns `age` (1 March for one born on 29 February); None past the calendar."""
    year = birth_date.year + age
    if year > date.max.year:
        return None
    try:
        return birth_date.replace(year=year)
    except ValueError:  # born on 29 February
        return date(year, 3, 1)


@dataclass(frozen=True, slots=True)
class TimelineInputs:
    """What an employee's state over time is drawn from. The aggregate replaces what it
    changes, so what an event left alone is the very same object before and after it."""

    contracts: tuple[Contract, ...]
    birth_date: date | None
    periods: tuple[DeterminantPeriod | Exposure, ...]

    @classmethod
    def of(cls, employee: Employee) -> "TimelineInputs":
        identity = employee.identity
        return cls(
            employee.contracts,
            None if identity is None else identity.birth_date,
            (*(employee.determinants or ()), *(employee.exposures or ())),
        )

    def changed_from(self, after: "TimelineInputs") -> date | None:
        """The first day whose state the change to `after` may touch (None: none): a
        contract's from its hire, a determinant's or exposure's from its start, every day
        when the birth date changes."""
        if self.birth_date != after.birth_date:
            return date.min
        days = [c.hire_date for c in _replaced(self.contracts, after.contracts)]
        days += [p.started_on for p in _replaced(self.periods, after.periods)]
        return min(days, default=None)


UNDRAWN = TimelineInputs((), None, ())
"""What an employee not drawn yet was drawn from: nothing."""


def _replaced(before: tuple[Any, ...], after: tuple[Any, ...]) -> list[Any]:
    """What is in one and not the other, by identity."""
    if before is after:
        return []
    before_ids, after_ids = {id(x) for x in before}, {id(x) for x in after}
    return [x for x in before if id(x) not in after_ids] + [
        x for x in after if id(x) not in before_ids
    ]
