"""An employee's timeline: the periods over which nothing about their status changes.

Computed from the Employee aggregate with the domain's own rules, so the read side never
re-implements them: status, contract and follow-up category are asked of the aggregate at the
first day of each period. A period boundary is any day on which something may change: a hire,
the day after a last day, a contract amendment, a determinant or exposure starting or ending,
the 18th birthday, or a dated change of the rules.
"""

from bisect import bisect_left
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from operator import attrgetter
from typing import Any
from uuid import UUID

from domain.workforce.employee import Employee
from domain.workforce.employment import Contract
from domain.workforce.follow_up import (
    CURRENT_RULES,
    FollowUpAssessment,
    FollowUpDeterminant,
    FollowUpRules,
)
from domain.workforce.timeline_inputs import day_after, follow_up_days
from projections.timeline import NEVER, OPEN_END, day

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Segment:
    valid_from: int
    valid_to: int
    active: bool
    contract_number: int | None = None
    contract_type: str | None = None
    job_title: str | None = None
    pcs_code: str | None = None
    branch_code: str | None = None
    hire_date: int | None = None
    last_day: int | None = None
    trial_end: int | None = None
    planned_end: int | None = None
    category: str | None = None
    visit_before_assignment: bool = False
    determinants: str = ""

    def same_state(self, other: "Segment") -> bool:
        return self._state() == other._state()

    def _state(self) -> tuple[object, ...]:
        return (
            self.active,
            self.contract_number,
            self.contract_type,
            self.job_title,
            self.pcs_code,
            self.branch_code,
            self.hire_date,
            self.last_day,
            self.trial_end,
            self.planned_end,
            self.category,
            self.visit_before_assignment,
            self.determinants,
        )


SEGMENT_FIELDS = tuple(f.name for f in fields(Segment))


def timeline(employee: Employee, rules: FollowUpRules = CURRENT_RULES) -> list[Segment]:
    return _extended([], employee, sorted(_boundaries(employee, rules)), rules)


def retimed(
    employee: Employee,
    before: list[Segment],
    changed_from: date | None,
    rules: FollowUpRules = CURRENT_RULES,
) -> tuple[int, list[Segment]]:
    """The timeline after a change that touches no day before `changed_from`, drawn again from
    the segment holding that day only, and how many segments of `before` it kept as they were
    (a long history is not drawn again at each event)."""
    if not before:
        return 0, timeline(employee, rules)
    if changed_from is None:
        return len(before), before
    index = bisect_left(before, day(changed_from), key=attrgetter("valid_to"))
    if index == 0:
        return 0, timeline(employee, rules)
    start = date.fromordinal(before[index].valid_from)
    days = sorted({start, *(d for d in _boundaries(employee, rules) if d > start)})
    return index - 1, _extended(before[:index], employee, days, rules)


def _extended(
    segments: list[Segment], employee: Employee, days: list[date], rules: FollowUpRules
) -> list[Segment]:
    """`segments` followed by those from each of `days` on, the same states merged."""
    ends = [*(d - ONE_DAY for d in days[1:]), None]
    follow_ups = employee.follow_ups_on(days, rules)
    for start, end, follow_up in zip(days, ends, follow_ups, strict=True):
        segment = _segment_on(employee, start, end, follow_up)
        if segments and segments[-1].same_state(segment):
            segments[-1] = replace(segments[-1], valid_to=segment.valid_to)
        else:
            segments.append(segment)
    return segments


def _boundaries(employee: Employee, rules: FollowUpRules) -> set[date]:
    """The days anything shown may change on: the follow-up's, and each contract's hire,
    amendments, planned end and departure."""
    first_day = employee.contracts[0].hire_date
    days = {first_day, *follow_up_days(employee, rules)}
    for contract in employee.contracts:
        days.add(contract.hire_date)
        for period in contract.terms_history:
            days.add(period.effective_on)
            if period.terms.planned_end is not None:
                days.add(day_after(period.terms.planned_end))
        if contract.closed_on is not None:
            days.add(day_after(contract.closed_on))
    return {d for d in days if d >= first_day}


def _segment_on(
    employee: Employee,
    start: date,
    end: date | None,
    follow_up: tuple[frozenset[FollowUpDeterminant], FollowUpAssessment],
) -> Segment:
    """The segment from `start`, given the determinants in effect and the follow-up then."""
    valid_to = OPEN_END if end is None else day(end)
    contract = employee.contract_on(start)
    if contract is None:
        return _inactive(employee, start, valid_to)
    determinants, assessment = follow_up
    return Segment(
        valid_from=day(start),
        valid_to=valid_to,
        active=True,
        **_contract_fields(contract, start),
        category=assessment.category.value,
        visit_before_assignment=assessment.visit_before_assignment,
        determinants=",".join(sorted(d.value for d in determinants)),
    )


def _inactive(employee: Employee, start: date, valid_to: int) -> Segment:
    """Between or after contracts: the last contract ended stays visible (when and how the
    person left), without a follow-up category."""
    ended = [c for c in employee.contracts if c.hire_date <= start]
    if not ended:
        return Segment(day(start), valid_to, active=False)
    contract = ended[-1]
    terms_day = contract.last_day(start) or start
    return Segment(day(start), valid_to, active=False, **_contract_fields(contract, terms_day))


def _contract_fields(contract: Contract, on: date) -> dict[str, Any]:
    terms = contract.terms_on(on)
    return {
        "contract_number": contract.number,
        "contract_type": terms.contract_type.value,
        "job_title": terms.job_title,
        "pcs_code": terms.pcs_code,
        "branch_code": terms.branch_code,
        "hire_date": day(contract.hire_date),
        "last_day": _day_or_none(contract.last_day(on)),
        "trial_end": _day_or_none(terms.trial_end),
        "planned_end": _day_or_none(terms.planned_end),
    }


def _day_or_none(value: date | None) -> int | None:
    return None if value is None else day(value)


class SegmentChanges:
    """The rows a batch closes and opens. Only the periods an event changes get a new row: an
    unchanged period keeps its row and its knowledge interval, so the table grows with the
    changes, not with the length of each employee's history."""

    def __init__(self) -> None:
        self.closed_rows: list[tuple[int, str, int]] = []
        self._open: dict[tuple[str, int], list[Any]] = {}
        self._done: list[list[Any]] = []

    def record(
        self, employee: Employee, before: list[Segment], after: list[Segment], at: int
    ) -> None:
        employee_id = str(employee.id)
        kept = set(before) & set(after)
        for segment in before:
            if segment not in kept:
                self._close(employee_id, segment.valid_from, at)
        for segment in after:
            if segment not in kept:
                row = [employee_id, str(employee.member_id), at, NEVER, *_values(segment)]
                self._open[(employee_id, segment.valid_from)] = row

    def forget(self, employee_id: UUID) -> None:
        """Its rows are being rewritten from scratch."""
        key = str(employee_id)
        self.closed_rows = [c for c in self.closed_rows if c[1] != key]
        self._done = [row for row in self._done if row[0] != key]
        self._open = {k: row for k, row in self._open.items() if k[0] != key}

    def new_rows(self) -> list[list[Any]]:
        return [*self._done, *self._open.values()]

    def _close(self, employee_id: str, valid_from: int, at: int) -> None:
        row = self._open.pop((employee_id, valid_from), None)
        if row is None:  # a row already in the table
            self.closed_rows.append((at, employee_id, valid_from))
        else:  # opened earlier in this batch
            row[3] = at
            self._done.append(row)


def _values(segment: Segment) -> tuple[Any, ...]:
    values = (getattr(segment, name) for name in SEGMENT_FIELDS)
    return tuple(int(v) if isinstance(v, bool) else v for v in values)
