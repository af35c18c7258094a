"""An employee's follow-up file (`FollowUpFile`) drawn from what is known of them: the latest
employment of the workforce's `Employee` (hire, apprenticeship, birth date, categories over
time, departure) and their `FollowUpRecord` (visits held, absences declared); and what the file
owes over time (`due_spans`), for the read side to answer "what is due on that day" by a lookup.

Categories are the workforce's own assessment (`Employee.follow_up_on`), taken on every day it
may change: the hire, each determinant's and each CMR exposure's first day and the day after
its last, the 18th birthday, and the dated switches of the rules.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise

from domain.visits.due import DueVisit, due_visits, posts_of
from domain.visits.follow_up_file import (
    CURRENT_VISIT_RULES,
    Absence,
    CategoryPeriod,
    FollowUpFile,
    VisitRules,
)
from domain.visits.follow_up_record import FollowUpRecord
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractType
from domain.workforce.follow_up import ADULT_AGE, CURRENT_RULES, FollowUpDeterminant

CAT_A = FollowUpDeterminant.IONISING_RADIATION_CAT_A
DAY = timedelta(days=1)
HORIZON = date(2200, 1, 1)
"""A file naming a day beyond it (a departure in 9999 typed by mistake) is not scheduled: the
rule counts years from its days, which the calendar would not hold."""


def follow_up_file(employee: Employee, record: FollowUpRecord | None) -> FollowUpFile:
    contract = employee.contract
    hire_date = contract.hire_date
    left_on = contract.closed_on
    birth_date = None if employee.identity is None else employee.identity.birth_date
    periods: list[CategoryPeriod] = []
    days = [
        day
        for day in sorted(_change_days(employee, birth_date))
        if day >= hire_date and (left_on is None or day <= left_on)
    ]
    for day, (determinants, assessment) in zip(days, employee.follow_ups_on(days), strict=True):
        period = CategoryPeriod(
            started_on=day,
            category=assessment.category,
            visit_before_assignment=assessment.visit_before_assignment,
            ionising_radiation_cat_a=CAT_A in determinants,
        )
        if not periods or _differs(periods[-1], period):
            periods.append(period)
    earlier_contracts_end = max(
        (c.closed_on for c in employee.contracts[:-1] if c.closed_on is not None), default=None
    )
    visits = () if record is None else record.visits
    absences = () if record is None else record.absences
    return FollowUpFile(
        hire_date=hire_date,
        apprentice=contract.terms_on(hire_date).contract_type is ContractType.APPRENTICESHIP,
        birth_date=birth_date,
        periods=tuple(periods),
        absences=tuple(
            _within(a.absence, left_on)
            for a in absences
            if a.first_day >= hire_date and (left_on is None or a.first_day <= left_on)
        ),
        visits=tuple(
            v.held
            for v in visits
            if earlier_contracts_end is None or v.held_on > earlier_contracts_end
        ),
        left_on=left_on,
    )


def _within(absence: Absence, left_on: date | None) -> Absence:
    """The absence as this employment saw it: a return after the departure did not happen in
    it."""
    if left_on is None or absence.returned_on is None or absence.returned_on <= left_on:
        return absence
    return replace(absence, returned_on=None)


def _change_days(employee: Employee, birth_date: date | None) -> set[date]:
    days = {employee.contract.hire_date, CURRENT_RULES.driving_and_electrical_leave_sir_on}
    for determinant in employee.determinants or ():
        if not determinant.retracted:
            days.add(determinant.started_on)
            if determinant.ended_on is not None:
                days.add(_day_after(determinant.ended_on))
    for exposure in employee.exposures or ():
        if not exposure.withdrawn:
            days.add(exposure.started_on)
            if exposure.ended_on is not None:
                days.add(_day_after(exposure.ended_on))
    if birth_date is not None and birth_date.year + ADULT_AGE < HORIZON.year:
        days.add(_birthday(birth_date, ADULT_AGE))
    return days


def _day_after(day: date) -> date:
    """The next day; the last day of the calendar has none, and stands for itself."""
    return day if day == date.max else day + DAY


def _birthday(birth_date: date, age: int) -> date:
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:  # born on 29 February
        return date(birth_date.year + age, 3, 1)


def _differs(before: CategoryPeriod, after: CategoryPeriod) -> bool:
    return (before.category, before.visit_before_assignment, before.ionising_radiation_cat_a) != (
        after.category,
        after.visit_before_assignment,
        after.ionising_radiation_cat_a,
    )


@dataclass(frozen=True, slots=True)
class DueSpan:
    """A visit owed on every day from `valid_from` to `valid_to` (both included; None: without
    bound), as the file says."""

    valid_from: date | None
    valid_to: date | None
    due: DueVisit


def due_spans(file: FollowUpFile, rules: VisitRules = CURRENT_VISIT_RULES) -> list[DueSpan]:
    """Every visit the file owes, and the days on which it is owed. What is owed changes only
    on the days the file names (a visit held, a post taken, an absence begun, the day after a
    departure, the new year of the mid-career birthday): the rule is asked once per such
    stretch of days."""
    starts = sorted(_turning_days(file, rules))
    if starts[-1] >= HORIZON or starts[0] == date.min:
        return []
    posts = posts_of(file)
    stretches: list[tuple[date | None, date | None]] = [(None, starts[0] - DAY)]
    stretches += [(start, end - DAY) for start, end in pairwise(starts)]
    stretches.append((starts[-1], None))
    spans: list[DueSpan] = []
    open_spans: dict[tuple[object, ...], DueSpan] = {}
    for first, last in stretches:
        owed = {_key(due): due for due in due_visits(file, first or starts[0] - DAY, rules, posts)}
        for key, span in list(open_spans.items()):
            if key not in owed:
                spans.append(span)
                del open_spans[key]
        for key, due in owed.items():
            already = open_spans.get(key)
            open_spans[key] = DueSpan(already.valid_from if already else first, last, due)
    spans.extend(open_spans.values())
    return sorted(spans, key=lambda span: (span.due.due_by, span.valid_from or date.min))


def _key(due: DueVisit) -> tuple[object, ...]:
    """What tells two visits owed apart, as a key hashed without the enum's own (Python)
    hash: the file's stretches compare every visit owed with the previous stretch's."""
    return (due.kind.value, due.due_by, due.article, due.reason)


def _turning_days(file: FollowUpFile, rules: VisitRules) -> set[date]:
    days = {file.hire_date, *(period.started_on for period in file.periods)}
    days |= {absence.first_day for absence in file.absences}
    days |= {visit.held_on for visit in file.visits}
    if file.left_on is not None:
        days.add(_day_after(file.left_on))
    if file.birth_date is not None:
        days.add(date(min(file.birth_date.year + rules.mid_career_age, HORIZON.year), 1, 1))
    return days
