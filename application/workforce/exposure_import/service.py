"""The CMR exposures import as the API calls it: the template of a member, the dry run of an
upload, and its application — each gathering what it needs of the records, and logging the
health data it shows.

The records are read through `ImportRecords`, which the read models answer (the API wires them:
the application does not import the read models); the health reads are logged through
`HealthReadLog` (the access log). The caller has already checked the caller's right
(READ_CMR for the template, MANAGE_WORKFORCE for the import); a member out of the caller's
reach is not found, as an unknown one.

Blocking (the event store, the read store, openpyxl): the API calls it from worker threads only.
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol
from uuid import UUID

from application.catalogues.commands import CatalogueQueries
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import Request
from application.workforce.exposure_import.applying import apply
from application.workforce.exposure_import.model import (
    ApplyOutcome,
    EmployeeFacts,
    ImportPlan,
    KnownExposure,
    digest_of,
)
from application.workforce.exposure_import.planning import plan
from application.workforce.exposure_import.reading import read
from application.workforce.exposure_import.writing import template
from domain.accounts.access import Principal

TEMPLATE_OPERATION = "cmrExposureTemplate"
IMPORT_OPERATION = "importCmrExposures"
"""The operations' names in the access log."""


class ImportRecords(Protocol):
    """What the import reads of the records."""

    def settle(self) -> None:
        """Wait until the records show every change recorded so far."""
        ...

    def employees(self, member_id: UUID, day: date) -> list[EmployeeFacts]:
        """Every employee of the member on that day (present or gone)."""
        ...

    def member_of(self, employee_id: UUID) -> UUID | None:
        """The member an employee belongs to (None: no such employee)."""
        ...

    def employee(self, employee_id: UUID) -> EmployeeFacts | None:
        """An employee as recorded now, whatever the date of hire."""
        ...

    def current_exposures(self, member_id: UUID, day: date) -> list[KnownExposure]:
        """The member's exposures running on that day."""
        ...

    def recorded_exposures(self, employee_id: UUID) -> list[KnownExposure]:
        """The employee's exposures as recorded now, any dates, withdrawn ones left out."""
        ...


class HealthReadLog(Protocol):
    def log_health_read(
        self, principal: Principal, operation: str, member_id: UUID | None, subjects: set[UUID]
    ) -> None: ...


class ExposureImport:
    def __init__(self, app: CatalogueQueries, records: ImportRecords, health_reads: HealthReadLog):
        self.app = app
        self.records = records
        self.health_reads = health_reads

    def template(self, principal: Principal, member_id: UUID) -> bytes:
        """The member's workbook to fill, as of today: its current exposures are health data
        shown to the caller."""
        _check_reach(principal, member_id)
        today = self.app.clock.today()
        employees = self.records.employees(member_id, today)
        exposures = self.records.current_exposures(member_id, today)
        self._log(principal, TEMPLATE_OPERATION, member_id, (e.employee_id for e in exposures))
        agents = tuple(entry.agent for entry in self.app.catalogue().cmr_agents)
        return template(employees, exposures, agents)

    def plan(self, principal: Principal, member_id: UUID, content: bytes) -> ImportPlan:
        """The dry run of an upload against the records as the caller's last change left them;
        the employees its rows name are health data shown to the caller. Raises
        `ImportFileError` for an upload that is not the expected workbook."""
        _check_reach(principal, member_id)
        rows = read(content)
        self.records.settle()
        today = self.app.clock.today()
        named = {
            employee_id
            for row in rows
            if row.has_exposure_data and (employee_id := _uuid(row.employee_id)) is not None
        }
        employees = {e.employee_id: e for e in self.records.employees(member_id, today)}
        for employee_id in named - employees.keys():
            found = self._elsewhere(principal, member_id, employee_id)
            if found is not None:
                employees[employee_id] = found
        exposures = [
            exposure
            for employee_id in named & employees.keys()
            if employees[employee_id].member_id == member_id
            for exposure in self.records.recorded_exposures(employee_id)
        ]
        planned = plan(
            rows,
            employees.values(),
            exposures,
            member_id=member_id,
            today=today,
            digest=digest_of(content),
        )
        subjects = (row.employee_id for row in planned.rows if row.employee_id is not None)
        self._log(principal, IMPORT_OPERATION, member_id, subjects)
        return planned

    def apply(self, planned: ImportPlan, request: Request) -> ApplyOutcome:
        """Records a plan without errors (see `applying.apply`); the records show it once this
        returns."""
        outcome = apply(planned, self.app, request)
        self.records.settle()
        return outcome

    def _elsewhere(
        self, principal: Principal, member_id: UUID, employee_id: UUID
    ) -> EmployeeFacts | None:
        """An employee the file names who is not among the member's today: hired later, or
        another member's — said so only to whom may see that member (else: an unknown id)."""
        owner = self.records.member_of(employee_id)
        if owner is None or not principal.reaches(owner):
            return None
        if owner != member_id:
            return EmployeeFacts(employee_id, owner, None, None, None)
        return self.records.employee(employee_id)

    def _log(
        self, principal: Principal, operation: str, member_id: UUID, subjects: Iterable[UUID]
    ) -> None:
        employees = set(subjects)
        if employees:
            self.health_reads.log_health_read(principal, operation, member_id, employees)


def _check_reach(principal: Principal, member_id: UUID) -> None:
    if not principal.reaches(member_id):
        raise MEMBER_NOT_FOUND.fresh()


def _uuid(text: str | None) -> UUID | None:
    try:
        return None if text is None else UUID(text)
    except ValueError:
        return None
