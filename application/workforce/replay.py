"""A member's workforce and CMR list as they stood on a day, as recorded at an instant, rebuilt
from the stored events alone (`registre audit replay`), for auditors to check the read models.

Nothing here reads a read model or a snapshot: the member's employees are found among the hires
of the notification log, their events are read from the event table, cut at the instant (each
employee's events in version order, up to the first one recorded after it), and folded into
`Employee` aggregates, whose own rules say what held on the day (`contract_on`, `follow_up_on`,
`determinants_on`, `exposures_on`). What the read models show is shown the same way: the names
are the current identity whatever the instant (None once erased), an employee who left keeps
their last contract without a category, the exposures are those in effect that day.

Whoever asks, the replay is a read of health data (categories, determinants, exposures): it is
written to the access log as the API writes its reads, with the employees it names.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import takewhile
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.application import project_aggregate
from eventsourcing.utils import get_topic

from application.accounts.access_store import AccessEvent, AccessStore
from application.base import RegistreApplication
from application.members.commands import MEMBER_NOT_FOUND
from application.topics import former_topics
from domain.members.member import Member
from domain.members.membership import check_member_code
from domain.search import search_key
from domain.workforce.employee import Employee
from domain.workforce.employment import Contract
from domain.workforce.health import Exposure
from storage import bulk

OPERATION = "auditReplay"
"""The operation the access log names for a replay."""
PAGE = 500
HIRED = Employee.Hired  # type: ignore[attr-defined]
HIRED_TOPICS = sorted(
    {get_topic(HIRED), *(topic for topic, cls in former_topics().items() if cls is HIRED)}
)


class ReplayedEmployee(msgspec.Struct, frozen=True, kw_only=True):
    """An employee on the day, as the WORKFORCE read model shows them (`WorkforceRow`)."""

    employee_id: UUID
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None
    sex: str | None
    active: bool
    contract_number: int | None
    contract_type: str | None
    job_title: str | None
    pcs_code: str | None
    branch_code: str | None
    hire_date: date | None
    last_day: date | None
    trial_end: date | None
    planned_end: date | None
    category: str | None
    visit_before_assignment: bool
    determinants: tuple[str, ...]
    """The follow-up determinants in effect (the work situations assigned, and CMR agents
    while an exposure runs), by code."""


class ReplayedExposure(msgspec.Struct, frozen=True, kw_only=True):
    """An exposure in effect on the day, as the CMR EXPOSURES read model shows it."""

    employee_id: UUID
    exposure_id: int
    agent_kind: str
    agent_name: str
    cas_number: str | None
    routes: tuple[str, ...]
    hours_per_week: Decimal | None
    degree: str | None
    comment: str | None
    valid_from: date
    valid_to: date | None
    known_from: datetime
    """When this version of the exposure was recorded (its recording, or its end)."""
    birth_name: str | None
    usage_name: str | None
    first_name: str | None
    birth_date: date | None


class Replay(msgspec.Struct, frozen=True, kw_only=True):
    member_code: str
    member_id: UUID
    legal_name: str | None
    """As recorded at the instant; None when the member was not registered yet."""
    as_of: date
    known_at: datetime
    events_read: int
    """The events folded: the member's and its employees', up to the instant."""
    employees: tuple[ReplayedEmployee, ...]
    """Everyone hired by the day, present or gone, by name (as the read model orders them)."""
    exposures: tuple[ReplayedExposure, ...]

    @property
    def present(self) -> tuple[ReplayedEmployee, ...]:
        return tuple(e for e in self.employees if e.active)

    @property
    def subjects(self) -> set[UUID]:
        """Whose health data the replay shows."""
        return {e.employee_id for e in self.employees} | {e.employee_id for e in self.exposures}


def replay(app: RegistreApplication, member_code: str, as_of: date, known_at: datetime) -> Replay:
    """The member's workforce and CMR exposures on `as_of`, as recorded at `known_at`."""
    code = check_member_code(member_code)
    member_id = Member.create_id(code)
    member_events = list(app.events.get(member_id))
    if not member_events:
        raise MEMBER_NOT_FOUND.fresh()
    known_member = _up_to(member_events, known_at)
    member = project_aggregate(None, known_member) if known_member else None
    employees: list[ReplayedEmployee] = []
    exposures: list[ReplayedExposure] = []
    events_read = len(known_member)
    for events in _employee_histories(app, member_id, known_at):
        known = _up_to(events, known_at)
        events_read += len(known)
        then, recorded_at = _folded(known)
        shown = _identity(_folded(events)[0])  # the identity as displayed: the current one
        employee = _employee_on(then, as_of, shown)
        if employee is not None:
            employees.append(employee)
        exposures += (
            _exposure(then.id, exposure, recorded_at[exposure.exposure_id], shown)
            for exposure in then.exposures_on(as_of)
        )
    return Replay(
        member_code=code,
        member_id=member_id,
        legal_name=None if member is None else member.legal_name,
        as_of=as_of,
        known_at=known_at,
        events_read=events_read,
        employees=tuple(sorted(employees, key=_employee_order)),
        exposures=tuple(sorted(exposures, key=_exposure_order)),
    )


def replay_logged(
    app: RegistreApplication,
    access: AccessStore,
    member_code: str,
    as_of: date,
    known_at: datetime,
) -> Replay:
    """`replay`, recorded in the access log as a read of health data by the service itself (no
    account: the command runs on the service's own machine)."""
    replayed = replay(app, member_code, as_of, known_at)
    if replayed.subjects:
        access.log(
            AccessEvent.HEALTH_DATA_READ,
            at=app.clock.now(),
            account_id=None,
            member_id=replayed.member_id,
            operation=OPERATION,
            subjects=[str(s) for s in replayed.subjects],
        )
    return replayed


# Reading the events ------------------------------------------------------------------------------


def _up_to(events: Sequence[Any], known_at: datetime) -> list[Any]:
    """The events recorded by `known_at`: an aggregate's knowledge at an instant is a prefix of
    its history."""
    return list(takewhile(lambda event: event.timestamp <= known_at, events))


def _employee_histories(
    app: RegistreApplication, member_id: UUID, known_at: datetime
) -> Iterator[list[Any]]:
    """The whole history of each employee the member had hired by `known_at`, in the order of
    the log, read a page of employees at a time."""
    hired = _hired_by(app, member_id, known_at)
    for start in range(0, len(hired), PAGE):
        ids = hired[start : start + PAGE]
        app.subject_keys.prefetch(ids)
        stored = bulk.events_after(app.recorder, dict.fromkeys(ids, 0))
        for employee_id in ids:
            yield [app.mapper.to_domain_event(record) for record in stored.get(employee_id, ())]


def _hired_by(app: RegistreApplication, member_id: UUID, known_at: datetime) -> list[UUID]:
    """The member's employees whose hire was recorded by `known_at`: an employee belongs to the
    member named in their first event, for good."""
    found: list[UUID] = []
    start = 1
    while page := app.recorder.select_notifications(start, PAGE, topics=HIRED_TOPICS):
        app.prefetch_keys(page)
        for notification in page:
            hire = app.decode(notification)
            if hire.member_id == member_id and hire.timestamp <= known_at:
                found.append(hire.originator_id)
        start = page[-1].id + 1
    return found


def _folded(events: Iterable[Any]) -> tuple[Employee, dict[int, datetime]]:
    """The employee after `events`, and when each exposure's current version was recorded."""
    employee: Employee | None = None
    recorded_at: dict[int, datetime] = {}
    for event in events:
        employee = event.mutate(employee)
        assert employee is not None
        name = type(event).__name__
        if name == "CmrExposureRecorded":
            recorded_at[employee.exposures_recorded] = event.timestamp
        elif name == "CmrExposureEnded":
            recorded_at[event.exposure_id] = event.timestamp
    assert employee is not None, "an employee's history starts with their hire"
    return employee, recorded_at


# What held on the day ----------------------------------------------------------------------------

Names = tuple[str | None, str | None, str | None, date | None, str | None]
"""Birth name, usage name, first name, birth date, sex: the current identity, as displayed."""


def _identity(employee: Employee) -> Names:
    identity = employee.identity
    if identity is None:
        return (None, None, None, None, None)
    names = (identity.birth_name, identity.usage_name, identity.first_name)
    return (*names, identity.birth_date, identity.sex.value)


def _employee_on(employee: Employee, day: date, names: Names) -> ReplayedEmployee | None:
    """The employee on `day`; None before their first hire."""
    if day < employee.contracts[0].hire_date:
        return None
    birth_name, usage_name, first_name, birth_date, sex = names
    contract = employee.contract_on(day)
    if contract is not None:
        assessment = employee.follow_up_on(day)
        category: str | None = assessment.category.value
        visit_before_assignment = assessment.visit_before_assignment
        determinants = tuple(sorted(d.value for d in employee.determinants_on(day)))
        terms_day = day
    else:  # between or after contracts: the last one ended stays visible, without a category
        contract = [c for c in employee.contracts if c.hire_date <= day][-1]
        category, visit_before_assignment, determinants = None, False, ()
        terms_day = contract.last_day(day) or day
    return ReplayedEmployee(
        employee_id=employee.id,
        birth_name=birth_name,
        usage_name=usage_name,
        first_name=first_name,
        birth_date=birth_date,
        sex=sex,
        active=employee.contract_on(day) is not None,
        category=category,
        visit_before_assignment=visit_before_assignment,
        determinants=determinants,
        **_contract_fields(contract, terms_day),
    )


def _contract_fields(contract: Contract, on: date) -> dict[str, Any]:
    terms = contract.terms_on(on)
    return {
        "contract_number": contract.number,
        "contract_type": terms.contract_type.value,
        "job_title": terms.job_title,
        "pcs_code": None if terms.pcs_code is None else str(terms.pcs_code),
        "branch_code": terms.branch_code,
        "hire_date": contract.hire_date,
        "last_day": contract.last_day(on),
        "trial_end": terms.trial_end,
        "planned_end": terms.planned_end,
    }


def _exposure(
    employee_id: UUID, exposure: Exposure, known_from: datetime, names: Names
) -> ReplayedExposure:
    agent = exposure.agent
    birth_name, usage_name, first_name, birth_date, _ = names
    return ReplayedExposure(
        employee_id=employee_id,
        exposure_id=exposure.exposure_id,
        agent_kind=agent.kind.value,
        agent_name=agent.name,
        cas_number=None if agent.cas_number is None else str(agent.cas_number),
        routes=tuple(route.value for route in exposure.routes),
        hours_per_week=exposure.hours_per_week,
        degree=None if exposure.degree is None else exposure.degree.value,
        comment=exposure.comment,
        valid_from=exposure.started_on,
        valid_to=exposure.ended_on,
        known_from=known_from,
        birth_name=birth_name,
        usage_name=usage_name,
        first_name=first_name,
        birth_date=birth_date,
    )


def _display(birth_name: str | None, usage_name: str | None, first_name: str | None) -> str:
    return " ".join(n for n in (usage_name or birth_name, first_name) if n)


def _employee_order(e: ReplayedEmployee) -> tuple[str, str]:
    return search_key(_display(e.birth_name, e.usage_name, e.first_name)), str(e.employee_id)


def _exposure_order(e: ReplayedExposure) -> tuple[object, ...]:
    return (
        search_key(e.usage_name or e.birth_name or ""),
        search_key(e.first_name or ""),
        str(e.employee_id),
        search_key(e.agent_name),
        e.exposure_id,
        e.known_from,
    )
