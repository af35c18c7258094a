"""An employee's follow-up file (`FollowUpFile`) drawn from what is known of them: the latest
employment of the workforce's `Employee` (hire, apprenticeship, birth date, categories over
time, departure) and their `FollowUpRecord` (visits held, absences declared). What the file
owes over time is `domain.visits.due_spans`.

Categories are the workforce's own assessment (`Employee.follow_up_on`), taken on every day it
may change: the hire, each determinant's and each CMR exposure's first day and the day after
its last, the 18th birthday, and the dated switches of the rules.
"""

from dataclasses import replace
from datetime import date

from domain.visits.follow_up_file import (
    Absence,
    CategoryPeriod,
    FollowUpFile,
)
from domain.visits.follow_up_record import FollowUpRecord
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractType
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.timeline_inputs import follow_up_days

CAT_A = FollowUpDeterminant.IONISING_RADIATION_CAT_A


def follow_up_file(
    employee: Employee,
    record: FollowUpRecord | None,
    periods: tuple[CategoryPeriod, ...] | None = None,
) -> FollowUpFile:
    """`periods`: the employee's `category_periods`, when the caller drew them."""
    contract = employee.contract
    hire_date = contract.hire_date
    left_on = contract.closed_on
    birth_date = None if employee.identity is None else employee.identity.birth_date
    periods = category_periods(employee) if periods is None else periods
    earlier_contracts_end = max(
        (c.closed_on for c in employee.contracts[:-1] if c.closed_on is not None), default=None
    )
    visits = () if record is None else record.visits
    absences = () if record is None else record.absences
    return FollowUpFile(
        hire_date=hire_date,
        apprentice=contract.terms_on(hire_date).contract_type is ContractType.APPRENTICESHIP,
        birth_date=birth_date,
        periods=periods,
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


def category_periods(
    employee: Employee,
    previous: tuple[CategoryPeriod, ...] = (),
    changed_from: date | None = date.min,
) -> tuple[CategoryPeriod, ...]:
    """The categories of the latest employment over time. Given those drawn before a change
    that touches no day before `changed_from` (`TimelineInputs.changed_from`), drawn again from
    that day only: a long history is not assessed again at each event."""
    contract = employee.contract
    hire_date, left_on = contract.hire_date, contract.closed_on
    if changed_from is None and previous:
        return previous
    if changed_from is None or changed_from <= hire_date or not previous:
        changed_from, periods = hire_date, []
    else:
        periods = [period for period in previous if period.started_on < changed_from]
    later = (d for d in follow_up_days(employee) if d > changed_from)
    days = [d for d in sorted({changed_from, *later}) if left_on is None or d <= left_on]
    for day, (determinants, assessment) in zip(days, employee.follow_ups_on(days), strict=True):
        period = CategoryPeriod(
            started_on=day,
            category=assessment.category,
            visit_before_assignment=assessment.visit_before_assignment,
            ionising_radiation_cat_a=CAT_A in determinants,
        )
        if not periods or _differs(periods[-1], period):
            periods.append(period)
    return tuple(periods)


def _within(absence: Absence, left_on: date | None) -> Absence:
    """The absence as this employment saw it: a return after the departure did not happen in
    it."""
    if left_on is None or absence.returned_on is None or absence.returned_on <= left_on:
        return absence
    return replace(absence, returned_on=None)


def _differs(before: CategoryPeriod, after: CategoryPeriod) -> bool:
    return (before.category, before.visit_before_assignment, before.ionising_radiation_cat_a) != (
        after.category,
        after.visit_before_assignment,
        after.ionising_radiation_cat_a,
    )
