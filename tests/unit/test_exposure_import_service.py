"""The CMR exposures import as an application service: what it reads of the records (through
`ImportRecords`, no read model), the day it works on (the clock's Paris date), who may learn that
an id is another member's employee, and the health reads it logs."""

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, cast
from uuid import UUID, uuid4

import openpyxl
import pytest

from application.catalogues.commands import CatalogueQueries
from application.requests import CommandResult, Request
from application.workforce.exposure_import import (
    IMPORT_OPERATION,
    SHEET,
    TEMPLATE_OPERATION,
    Action,
    Column,
    EmployeeFacts,
    ExposureImport,
    KnownExposure,
)
from application.workforce.xlsx_safety import ImportFileError
from domain.accounts.access import AccountKind, Principal, Role
from domain.actor import Actor
from domain.calendar import SetClock
from domain.errors import NotFound
from domain.identifiers import CasNumber
from domain.workforce.health import AgentKind, CmrAgent

MEMBER, OTHER_MEMBER = uuid4(), uuid4()
NEW_YEAR_IN_PARIS = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)
"""Still 31 December in UTC, already 1 January 2025 in Paris."""
MARIE = EmployeeFacts(uuid4(), MEMBER, "MARTIN", "Marie", date(1990, 5, 12), version=3)
LATE = EmployeeFacts(uuid4(), MEMBER, "TARDIF", "Léo", date(1992, 1, 1), version=1)
"""Hired after the day the import works on: not among the member's employees that day."""
STRANGER = EmployeeFacts(uuid4(), OTHER_MEMBER, "AUTRE", "Eve", date(1980, 1, 1))
BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))
RECORDED = KnownExposure(MARIE.employee_id, 1, BENZENE, date(2024, 3, 1))
STAFF = Principal(uuid4(), AccountKind.SERVICE_STAFF)
MEMBER_ADMIN = Principal(uuid4(), AccountKind.MEMBER_USER, MEMBER, frozenset({Role.ADMIN}))


@dataclass
class FakeRecords:
    calls: list[str] = field(default_factory=list)

    def settle(self) -> None:
        self.calls.append("settle")

    def employees(self, member_id: UUID, day: date) -> list[EmployeeFacts]:
        self.calls.append(f"employees on {day}")
        return [e for e in (MARIE, STRANGER) if e.member_id == member_id]

    def member_of(self, employee_id: UUID) -> UUID | None:
        found = {e.employee_id: e.member_id for e in (MARIE, LATE, STRANGER)}
        return found.get(employee_id)

    def employee(self, employee_id: UUID) -> EmployeeFacts | None:
        return {LATE.employee_id: LATE}.get(employee_id)

    def current_exposures(self, member_id: UUID, day: date) -> list[KnownExposure]:
        self.calls.append(f"exposures on {day}")
        return [RECORDED] if member_id == MEMBER else []

    def recorded_exposures(self, employee_id: UUID) -> list[KnownExposure]:
        return [RECORDED] if employee_id == MARIE.employee_id else []


@dataclass
class FakeLog:
    reads: list[tuple[str, UUID | None, set[UUID]]] = field(default_factory=list)

    def log_health_read(
        self, principal: Principal, operation: str, member_id: UUID | None, subjects: set[UUID]
    ) -> None:
        self.reads.append((operation, member_id, subjects))


@dataclass
class FakeApp:
    clock: SetClock = field(default_factory=lambda: SetClock(NEW_YEAR_IN_PARIS))
    commands: list[Any] = field(default_factory=list)

    def catalogue(self) -> Any:
        return SimpleNamespace(cmr_agents=(SimpleNamespace(agent=BENZENE),))

    def handle(self, request: Request, command: Any) -> CommandResult:
        self.commands.append(command)
        return CommandResult(command.employee_id, 10 + len(self.commands), len(self.commands))


@dataclass
class World:
    app: FakeApp = field(default_factory=FakeApp)
    records: FakeRecords = field(default_factory=FakeRecords)
    log: FakeLog = field(default_factory=FakeLog)

    @property
    def importer(self) -> ExposureImport:
        return ExposureImport(cast(CatalogueQueries, self.app), self.records, self.log)


def upload(*rows: dict[str, Any]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([column.label for column in Column])
    for cells in rows:
        sheet.append([cells.get(column.attribute) for column in Column])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def exposure_of(employee: EmployeeFacts, started_on: date = date(2024, 6, 1)) -> dict[str, Any]:
    return {
        "employee_id": str(employee.employee_id),
        "agent_name": "Formaldéhyde",
        "cas_number": "50-00-0",
        "started_on": started_on,
    }


def test_the_template_is_made_as_of_the_paris_date_and_its_exposures_logged() -> None:
    world = World()

    content = world.importer.template(MEMBER_ADMIN, MEMBER)

    sheet = openpyxl.load_workbook(io.BytesIO(content))[SHEET]
    assert sheet.cell(2, 5).value == "Benzène"
    assert world.records.calls == ["employees on 2025-01-01", "exposures on 2025-01-01"]
    assert world.log.reads == [(TEMPLATE_OPERATION, MEMBER, {MARIE.employee_id})]


def test_a_template_without_exposures_logs_no_health_read() -> None:
    world = World()

    world.importer.template(STAFF, OTHER_MEMBER)

    assert world.log.reads == []


def test_the_dry_run_reads_the_records_once_settled_and_logs_whom_the_rows_name() -> None:
    world = World()

    planned = world.importer.plan(MEMBER_ADMIN, MEMBER, upload(exposure_of(MARIE)))

    assert [(row.action, row.employee_id) for row in planned.rows] == [
        (Action.RECORD, MARIE.employee_id)
    ]
    assert world.records.calls == ["settle", "employees on 2025-01-01"]
    assert world.log.reads == [(IMPORT_OPERATION, MEMBER, {MARIE.employee_id})]


def test_an_employee_hired_after_the_day_is_found() -> None:
    planned = World().importer.plan(
        MEMBER_ADMIN, MEMBER, upload(exposure_of(LATE, started_on=date(2025, 1, 1)))
    )

    assert [(row.action, row.employee_id) for row in planned.rows] == [
        (Action.RECORD, LATE.employee_id)
    ]


@pytest.mark.parametrize(
    ("principal", "code"),
    [(STAFF, "EMPLOYEE_OF_ANOTHER_MEMBER"), (MEMBER_ADMIN, "UNKNOWN_EMPLOYEE")],
    ids=["the service", "the member's user"],
)
def test_another_members_employee_is_named_only_to_whom_may_see_that_member(
    principal: Principal, code: str
) -> None:
    world = World()

    planned = world.importer.plan(principal, MEMBER, upload(exposure_of(STRANGER)))

    assert [error.code for error in planned.errors] == [code]
    assert world.log.reads == [], "no row names an employee of the member"


def test_a_member_out_of_reach_is_not_found_and_nothing_is_read() -> None:
    world = World()
    other_admin = Principal(uuid4(), AccountKind.MEMBER_USER, OTHER_MEMBER, frozenset({Role.ADMIN}))

    with pytest.raises(NotFound) as refused:
        world.importer.plan(other_admin, MEMBER, upload(exposure_of(MARIE)))
    with pytest.raises(NotFound):
        world.importer.template(other_admin, MEMBER)

    assert refused.value.code == "MEMBER_NOT_FOUND"
    assert (world.records.calls, world.log.reads) == ([], [])


def test_an_upload_that_is_not_a_workbook_is_refused_before_anything_is_read() -> None:
    world = World()

    with pytest.raises(ImportFileError):
        world.importer.plan(MEMBER_ADMIN, MEMBER, b"Nom;Prenom\n")

    assert world.records.calls == []


def test_applying_records_the_plan_and_settles_the_records() -> None:
    world = World()
    planned = world.importer.plan(MEMBER_ADMIN, MEMBER, upload(exposure_of(MARIE)))
    world.records.calls.clear()

    outcome = world.importer.apply(planned, Request("r-1", Actor("account", MEMBER)))

    assert [(a.action, a.employee_id) for a in outcome.applied] == [
        (Action.RECORD, MARIE.employee_id)
    ]
    assert [type(c).__name__ for c in world.app.commands] == ["RecordExposure"]
    assert world.records.calls == ["settle"]
