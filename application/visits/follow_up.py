"""Commands of an employee's follow-up record: visits recorded by the service, absences and
returns declared by the employer (or the service), each withdrawable when recorded by mistake."""

from collections.abc import Callable
from datetime import date
from typing import ClassVar
from uuid import UUID

from application.base import RegistreApplication, result_of
from application.commands import Command, Decision, fields_of
from application.requests import CommandResult, Request
from application.visits.organisation import PROFESSIONAL_NOT_FOUND
from application.workforce.commands import EMPLOYEE_NOT_FOUND
from domain.errors import InvalidValue, NotFound
from domain.visits.follow_up_file import AbsenceKind
from domain.visits.follow_up_record import FollowUpRecord, VisitDocument
from domain.visits.kinds import VisitKind
from domain.visits.organisation import HealthProfessional
from domain.workforce.employee import Employee


class RecordChange(Command[CommandResult], frozen=True, kw_only=True):
    """A change of an employee's follow-up record (opened by its first change): by default,
    the record's method it `calls`, given the message's fields (and today, when `dated`)."""

    calls: ClassVar[Callable[..., int | None]]
    dated: ClassVar[bool] = False
    employee_id: UUID

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        employee = app.load(Employee, self.employee_id, EMPLOYEE_NOT_FOUND, request.actor)
        record_id = FollowUpRecord.create_id(self.employee_id)
        try:
            record = app.load_for_change(FollowUpRecord, record_id, request, EMPLOYEE_NOT_FOUND)
        except NotFound:
            record = FollowUpRecord.open(employee.member_id, employee.id, request.actor)
        created = self.change(record, employee, app, request)
        return [record], result_of(record, created)

    def change(
        self,
        record: FollowUpRecord,
        employee: Employee,
        app: RegistreApplication,
        request: Request,
    ) -> int | None:
        today = {"today": app.today()} if self.dated else {}
        arguments = fields_of(self, leaving_out="employee_id")
        return type(self).calls(record, **arguments, **today, actor=request.actor)


class RecordVisit(RecordChange, frozen=True, kw_only=True):
    """A visit that took place, by whom, and the document the employer received."""

    kind: VisitKind
    held_on: date
    professional_id: UUID
    document: VisitDocument

    def change(
        self,
        record: FollowUpRecord,
        employee: Employee,
        app: RegistreApplication,
        request: Request,
    ) -> int | None:
        professional = app.load(HealthProfessional, self.professional_id, PROFESSIONAL_NOT_FOUND)
        born = None if employee.identity is None else employee.identity.birth_date
        if born is not None and self.held_on < born:
            raise InvalidValue(
                "Une visite ne peut avoir eu lieu avant la naissance du salarié.",
                code="DATE_OUT_OF_RANGE",
                field="held_on",
            )
        return record.record_visit(
            kind=self.kind,
            held_on=self.held_on,
            professional_id=professional.id,
            role=professional.details.role,
            document=self.document,
            today=app.today(),
            actor=request.actor,
        )


class WithdrawVisit(RecordChange, frozen=True, kw_only=True):
    calls = FollowUpRecord.withdraw_visit
    visit_id: int
    error_note: str


class DeclareAbsence(RecordChange, frozen=True, kw_only=True):
    """An absence that may call for a visit at the return (R4624-31), its return if known;
    within the employment."""

    calls = FollowUpRecord.declare_absence
    dated = True
    kind: AbsenceKind
    first_day: date
    returned_on: date | None = None

    def change(
        self,
        record: FollowUpRecord,
        employee: Employee,
        app: RegistreApplication,
        request: Request,
    ) -> int | None:
        contract = employee.contract
        closed_on = contract.closed_on
        if self.first_day < contract.hire_date or (
            closed_on is not None and self.first_day > closed_on
        ):
            raise InvalidValue(
                "Une absence se déclare pendant l'emploi du salarié : à partir de son embauche le"
                f" {contract.hire_date:%d/%m/%Y}"
                + ("" if closed_on is None else f", jusqu'à sa sortie le {closed_on:%d/%m/%Y}")
                + ".",
                code="ABSENCE_OUTSIDE_EMPLOYMENT",
                field="first_day",
            )
        return super().change(record, employee, app, request)


class DeclareReturn(RecordChange, frozen=True, kw_only=True):
    calls = FollowUpRecord.declare_return
    dated = True
    absence_id: int
    returned_on: date


class WithdrawAbsence(RecordChange, frozen=True, kw_only=True):
    calls = FollowUpRecord.withdraw_absence
    absence_id: int
    error_note: str


class SetConvocationNotes(RecordChange, frozen=True, kw_only=True):
    """The employee form's convocation constraints and comment (seed 004 §2.3)."""

    calls = FollowUpRecord.change_convocation_notes
    convocation_constraints: str | None = None
    comment: str | None = None
