"""Applying a plan without errors: the new hires in parts of `MAX_HIRES_AT_ONCE` (each all or
nothing), then each changed employee's commands, row by row.

Every command runs under a request id derived from the file's hash, the member and the rows it
records: a retry, or the same file sent again, records nothing twice; after a failure, sending
the file again plans only what is left (what was recorded now matches) and resumes there.
"""

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from application.base import RegistreApplication
from application.commands import Command
from application.requests import Request
from application.workforce.commands import (
    AmendContract,
    CloseContract,
    CorrectContract,
    CorrectIdentity,
    HireEmployees,
    NewHire,
    RehireEmployee,
)
from application.workforce.exposure_import.model import RowFailure
from application.workforce.workforce_import.model import (
    Change,
    ImportOutcome,
    PlannedRow,
    WorkforcePlan,
)
from domain.batch import BatchRefused
from domain.errors import DomainError, RuleViolation
from domain.workforce.employee import MAX_HIRES_AT_ONCE, Employee
from domain.workforce.employment import ExitReason

PLAN_HAS_ERRORS = RuleViolation(
    "Le fichier comporte des erreurs : corrigez-les puis envoyez-le de nouveau, rien n'a été"
    " enregistré.",
    code="IMPORT_HAS_ERRORS",
)


def apply(
    plan: WorkforcePlan,
    app: RegistreApplication,
    request: Request,
    confirmed: frozenset[int] = frozenset(),
) -> ImportOutcome:
    """Records the plan as `request.actor`; the possible duplicates of the rows `confirmed` are
    hired, the others left out."""
    if not plan.can_apply:
        raise PLAN_HAS_ERRORS.fresh()
    new = [r for r in plan.rows if r.employee_id is None]
    hired = [r for r in new if Change.HIRE in r.changes or r.person.row in confirmed]
    hired_rows = {r.person.row for r in hired}
    left_out = tuple(r.person.row for r in new if r.person.row not in hired_rows)
    applying = _Applying(plan, app, request)
    try:
        for part in _parts(hired):
            applying.hire(part)
        for row in plan.rows:
            if row.employee_id is not None and row.changes:
                applying.change(row)
    except _RowFailed as failed:
        return ImportOutcome(tuple(applying.applied), left_out, failed.failure)
    return ImportOutcome(tuple(applying.applied), left_out)


class _RowFailed(Exception):
    def __init__(self, failure: RowFailure) -> None:
        self.failure = failure


def _parts(rows: Sequence[PlannedRow]) -> Iterator[Sequence[PlannedRow]]:
    for start in range(0, len(rows), MAX_HIRES_AT_ONCE):
        yield rows[start : start + MAX_HIRES_AT_ONCE]


class _Applying:
    def __init__(self, plan: WorkforcePlan, app: RegistreApplication, request: Request):
        self.plan = plan
        self.app = app
        self.request = request
        self.today = app.clock.today()
        self.applied: list[int] = []

    def _request(self, what: str) -> Request:
        plan = self.plan
        upload = hashlib.sha256(f"{plan.member_id}:{plan.digest}:{what}".encode()).hexdigest()
        return Request(f"workforce-import-{upload[:48]}", self.request.actor)

    def hire(self, part: Sequence[PlannedRow]) -> None:
        hires = [
            NewHire(
                r.person.identity,
                r.person.hire_date,
                r.person.terms,
                Change.POSSIBLE_DUPLICATE in r.changes,
            )
            for r in part
        ]
        rows = ",".join(str(r.person.row) for r in part)
        command = HireEmployees(member_id=self.plan.member_id, hires=hires)
        try:
            results = self.app.handle(self._request(f"hire:{rows}"), command)
        except BatchRefused as refused:
            first = refused.refusals[0]
            raise _failed(part[first.position - 1], first.code, first.message) from None
        except DomainError as error:
            raise _failed(part[0], error.code, error.message) from None
        for row, result in zip(part, results, strict=True):
            if row.person.exit_date is not None:
                self._run(row, "exit", _close(row, result.aggregate_id))
            self.applied.append(row.person.row)

    def change(self, row: PlannedRow) -> None:
        person, employee_id = row.person, row.employee_id
        assert employee_id is not None
        if Change.IDENTITY in row.changes:
            self._run(
                row, "identity", CorrectIdentity(employee_id=employee_id, identity=person.identity)
            )
        if Change.REHIRE in row.changes:
            rehire = RehireEmployee(
                employee_id=employee_id, hire_date=person.hire_date, terms=person.terms
            )
            self._run(row, "rehire", rehire)
        if Change.CONTRACT in row.changes:
            self._run(row, "contract", self._contract_change(row, employee_id))
        if Change.EXIT in row.changes:
            self._run(row, "exit", _close(row, employee_id))
        self.applied.append(person.row)

    def _contract_change(self, row: PlannedRow, employee_id: UUID) -> Command[Any]:
        """An amendment from today (or the hire) of the terms of the same open contract; a
        correction when the hire date differs or the contract is closed."""
        person = row.person
        employee: Employee = self.app.repository.get(employee_id)
        contract = employee.contract
        if contract.hire_date == person.hire_date and contract.closed_on is None:
            effective_on = max(person.hire_date, self.today)
            return AmendContract(
                employee_id=employee_id, terms=person.terms, effective_on=effective_on
            )
        return CorrectContract(
            employee_id=employee_id, hire_date=person.hire_date, terms=person.terms
        )

    def _run(self, row: PlannedRow, what: str, command: Command[Any]) -> None:
        try:
            self.app.handle(self._request(f"{what}:{row.person.row}"), command)
        except DomainError as error:
            raise _failed(row, error.code, error.message) from None


def _close(row: PlannedRow, employee_id: UUID) -> CloseContract:
    assert row.person.exit_date is not None
    return CloseContract(
        employee_id=employee_id,
        last_day=row.person.exit_date,
        reason=row.person.exit_reason or ExitReason.OTHER,
    )


def _failed(row: PlannedRow, code: str, message: str) -> _RowFailed:
    number = row.person.row
    return _RowFailed(RowFailure(number, code, f"Ligne {number} : {message}"))
