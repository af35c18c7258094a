"""Retention that ends by itself: the keys of data kept past its duration are destroyed.

`Retention.run` (`registre retention run`, and `DailyRetention` in the side-effect processes)
finds the employees whose 40 years are over and the closed accounts whose year is over
(`domain.retention`), and sends each the command that records why (`RetentionEnded` of the
employee, `Erased` of the account, by `system`) and destroys the keys: the employee's identity
and health keys, those of its follow-up record and appointments; the account's identity key and
its e-mail claim's. Each is its own command, under a request id of its subject: a run that
stops half-way is taken up again, and a second run finds nothing more to do.

It reads the whole event log's creations (employees, accounts, appointments) at each run: a
few seconds for a million events, once a day.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from application.accounts.commands import EndAccountRetention
from application.base import RegistreApplication, result_of
from application.commands import Decision
from application.requests import CommandResult, Request
from application.workforce.commands import EmployeeChange
from application.workforce.identity_marks import Marks
from domain.accounts.account import Account
from domain.errors import DomainError
from domain.personal_data import DataCategory
from domain.visits.appointment import Appointment
from domain.visits.follow_up_record import FollowUpRecord
from domain.workforce.employee import Employee
from domain.workforce.retention import retention_ends_on

if TYPE_CHECKING:
    from application.registre import Registre

log = logging.getLogger(__name__)
PAGE = 1000
R = TypeVar("R", Employee, Account)
_CREATIONS = {
    get_topic(Employee.Hired): Employee,  # type: ignore[attr-defined]
    get_topic(Account.Opened): Account,  # type: ignore[attr-defined]
    get_topic(Appointment.AppointmentRequested): Appointment,  # type: ignore[attr-defined]
}


class EndEmployeeRetention(EmployeeChange, frozen=True, kw_only=True):
    """An employee whose 40 years are over (sent by the retention run, never by a user): the
    event is decided first, then every key of the person is destroyed with its save, in its
    transaction (as `EraseIdentity`)."""

    appointment_ids: tuple[UUID, ...] = ()

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        """The identity's duplicate marks are released with it (`identity_marks`)."""
        employee = self.load(app, request)
        identity = employee.identity
        self.apply(employee, app, request)
        marks = Marks(app, employee.member_id, [identity])
        if identity is not None:
            marks.release(identity)
        return [employee, *marks.changed()], result_of(employee)

    def apply(self, employee: Employee, app: RegistreApplication, request: Request) -> None:
        employee.end_retention(app.today(), request.actor)
        keys = app.subject_keys
        keys.destroy(employee.id, DataCategory.IDENTITY)
        keys.destroy(employee.id, DataCategory.HEALTH)
        keys.destroy(FollowUpRecord.create_id(employee.id), DataCategory.HEALTH)
        for appointment_id in self.appointment_ids:
            keys.destroy(appointment_id, DataCategory.HEALTH)


@dataclass(frozen=True, slots=True)
class RetentionOutcome:
    """What a run destroyed: how many employees' and accounts' data."""

    employees: int
    accounts: int


class Retention:
    def __init__(self, app: "Registre"):
        self.app = app

    def run(self) -> RetentionOutcome:
        today = self.app.clock.today()
        employees, accounts, appointments = self._records()
        ended_employees = [
            e
            for e in self._loaded(Employee, employees)
            if not e.retention_ended and _over(retention_ends_on(e), today)
        ]
        ended_accounts = [
            a for a in self._loaded(Account, accounts) if _over(a.retention_ends_on(), today)
        ]
        done_employees = sum(
            self._send(
                f"retention-{e.id}",
                EndEmployeeRetention(
                    employee_id=e.id, appointment_ids=tuple(sorted(appointments[e.id], key=str))
                ),
            )
            for e in ended_employees
        )
        done_accounts = sum(
            self._send(f"retention-{a.id}", EndAccountRetention(account_id=a.id))
            for a in ended_accounts
        )
        return RetentionOutcome(done_employees, done_accounts)

    def _records(self) -> tuple[list[UUID], list[UUID], dict[UUID, list[UUID]]]:
        """The employees, the accounts, and each employee's appointments, from the log."""
        employees: list[UUID] = []
        accounts: list[UUID] = []
        appointments: dict[UUID, list[UUID]] = defaultdict(list)
        recorder = self.app.recorder
        start, topics = 1, sorted(_CREATIONS)
        while True:
            page = recorder.select_notifications(start=start, limit=PAGE, topics=topics)
            for notification in page:
                kind = _CREATIONS[notification.topic]
                record_id = UUID(str(notification.originator_id))
                if kind is Employee:
                    employees.append(record_id)
                elif kind is Account:
                    accounts.append(record_id)
                else:
                    employee_id = self.app.decode(notification).employee_id
                    appointments[employee_id].append(record_id)
            if len(page) < PAGE:
                return employees, accounts, appointments
            start = page[-1].id + 1

    def _loaded(self, kind: type[R], ids: list[UUID]) -> Iterator[R]:
        for chunk in _chunks(ids, PAGE):
            yield from self.app.load_many(kind, chunk).values()

    def _send(self, request_id: str, command: EndEmployeeRetention | EndAccountRetention) -> int:
        try:
            self.app.handle(Request(request_id), command)
        except DomainError as error:
            log.warning("retention not ended for one record: %s", error.code)
            return 0
        return 1


class DailyRetention:
    """`Retention.run` once a Paris day, in the side-effect processes (a `Sender` of the
    reaction runner: called with the mails' deliveries, it does nothing the rest of the day)."""

    def __init__(self, app: "Registre"):
        self.retention = Retention(app)
        self.clock = app.clock
        self._ran_on: date | None = None

    def deliver_due(self) -> int:
        today = self.clock.today()
        if self._ran_on == today:
            return 0
        outcome = self.retention.run()
        self._ran_on = today
        return outcome.employees + outcome.accounts


def _over(ends_on: date | None, today: date) -> bool:
    return ends_on is not None and ends_on <= today


def _chunks(ids: Iterable[UUID], size: int) -> Iterator[list[UUID]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk
