"""Commands of the workforce context: employees, contracts, determinants, CMR exposures."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from msgspec.structs import force_setattr

from application.base import RegistreApplication, result_of
from application.catalogues.commands import CatalogueQueries
from application.commands import Change, Command, Decision
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from domain.catalogues.model import WorkSituation
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.members.member import Member
from domain.personal_data import DataCategory
from domain.workforce.employee import Employee, check_bulk_hire_size
from domain.workforce.employment import ContractTerms, ExitReason, Identity
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import CmrAgent, ExposureDegree, ExposureRoute

EMPLOYEE_NOT_FOUND = NotFound("Ce salarié n'existe pas.", code="EMPLOYEE_NOT_FOUND")


@dataclass(frozen=True, slots=True)
class NewHire:
    """One line of a bulk hire."""

    identity: Identity
    hire_date: date
    terms: ContractTerms


@dataclass(frozen=True, slots=True)
class SituationAssignment:
    """What a bulk assignment of a work situation did (step 9): the situation, as the catalogue
    had it then; the employees given its determinant, in the order received; those who already
    had it in force on that date, left as they were; and, among the first, those whose follow-up
    category on that date changed."""

    situation: WorkSituation
    declared: tuple[CommandResult, ...]
    already_in_force: tuple[UUID, ...]
    category_changed: tuple[UUID, ...]


class WorkforceQueries(RegistreApplication):
    def employee(self, employee_id: UUID) -> Employee:
        return self.load(Employee, employee_id, EMPLOYEE_NOT_FOUND)


# Hiring ------------------------------------------------------------------------------------------


class HireEmployee(Command[CommandResult], frozen=True, kw_only=True):
    member_id: UUID
    identity: Identity
    hire_date: date
    terms: ContractTerms

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        check_workplace(app, request, self.member_id, self.terms)
        employee = Employee.hire(
            member_id=self.member_id,
            identity=self.identity,
            hire_date=self.hire_date,
            terms=self.terms,
            actor=request.actor,
        )
        return [employee], result_of(employee)


class HireEmployees(Command[tuple[CommandResult, ...]], frozen=True, kw_only=True):
    """Bulk hire (an import): all the employees are recorded together, or none is."""

    result_type: ClassVar[type] = tuple[CommandResult, ...]
    member_id: UUID
    hires: Sequence[NewHire]

    def __post_init__(self) -> None:
        force_setattr(self, "hires", tuple(self.hires))

    def decide(
        self, app: RegistreApplication, request: Request
    ) -> Decision[tuple[CommandResult, ...]]:
        check_bulk_hire_size(len(self.hires))
        member = app.load(Member, self.member_id, MEMBER_NOT_FOUND, request.actor)
        member.check_accepts_changes()
        for branch_code in {h.terms.branch_code for h in self.hires} - {None}:
            member.check_open_branch_code(str(branch_code))
        employees = [
            Employee.hire(
                member_id=self.member_id,
                identity=hire.identity,
                hire_date=hire.hire_date,
                terms=hire.terms,
                actor=request.actor,
            )
            for hire in self.hires
        ]
        return employees, tuple(result_of(e) for e in employees)


class AssignWorkSituation(Command[SituationAssignment], frozen=True, kw_only=True):
    """Step 9: declare the determinant of the work situation `situation_code` from `started_on`
    for every listed employee of the member, in one save: all of them, or none. Those who
    already have it in force on that date are left as they are, so a retry, or a selection that
    includes them again, changes nothing for them. An employee of another member is not found,
    like an unknown one.

    The situation is the catalogue's in effect (`catalogue()`: one the service added can be
    assigned, one it retired cannot); a situation that only informs the service (psychosocial
    risks…) declares no determinant and is refused."""

    result_type: ClassVar[type] = SituationAssignment
    member_id: UUID
    situation_code: str
    employee_ids: Sequence[UUID]
    started_on: date
    note: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "employee_ids", tuple(dict.fromkeys(self.employee_ids)))

    def decide(self, app: RegistreApplication, request: Request) -> Decision[SituationAssignment]:
        situation, determinant = self.situation_in(app)
        if not self.employee_ids:
            raise InvalidValue(
                "Sélectionnez au moins un salarié.", code="NO_EMPLOYEE", field="employee_ids"
            )
        member = app.load(Member, self.member_id, MEMBER_NOT_FOUND, request.actor)
        member.check_accepts_changes()
        changed: list[Employee] = []
        already: list[UUID] = []
        moved: list[UUID] = []
        for employee_id in self.employee_ids:
            employee = app.load(Employee, employee_id, EMPLOYEE_NOT_FOUND, request.actor)
            if employee.member_id != self.member_id:
                raise EMPLOYEE_NOT_FOUND.fresh()
            if any(
                period.determinant is determinant and period.in_effect_on(self.started_on)
                for period in employee.determinants or ()
            ):
                already.append(employee_id)
                continue
            before = employee.follow_up_on(self.started_on).category
            try:
                employee.declare_determinant(determinant, self.started_on, request.actor, self.note)
            except DomainError as error:
                raise _naming(employee, error) from None
            if employee.follow_up_on(self.started_on).category is not before:
                moved.append(employee_id)
            changed.append(employee)
        declared = tuple(result_of(e) for e in changed)
        return changed, SituationAssignment(situation, declared, tuple(already), tuple(moved))

    def situation_in(self, app: RegistreApplication) -> tuple[WorkSituation, FollowUpDeterminant]:
        if not isinstance(app, CatalogueQueries):
            raise TypeError(f"{type(app).__name__} has no catalogues")
        situation = app.catalogue().work_situation(self.situation_code)
        if situation.determinant is None:
            raise RuleViolation(
                f"La situation « {situation.label} » informe seulement le service : elle"
                " n'entraîne aucun suivi individuel adapté ou renforcé et ne s'affecte pas aux"
                " salariés.",
                code="SITUATION_WITHOUT_DETERMINANT",
                field="situation_code",
            )
        return situation, situation.determinant


# Changes of one employee -------------------------------------------------------------------------


class EmployeeChange(Change[Employee], frozen=True, kw_only=True):
    aggregate = Employee
    not_found = EMPLOYEE_NOT_FOUND
    target = "employee_id"
    employee_id: UUID


class CorrectIdentity(EmployeeChange, frozen=True, kw_only=True):
    identity: Identity
    calls = Employee.correct_identity


class ContractChange(EmployeeChange, frozen=True, kw_only=True):
    """A change giving the employee new contract terms (its `terms`): their workplace must be
    one of the member's, open, and the membership not ended."""

    def apply(self, employee: Employee, app: RegistreApplication, request: Request) -> int | None:
        terms: ContractTerms = self.arguments()["terms"]
        check_workplace(app, request, employee.member_id, terms)
        return super().apply(employee, app, request)


class AmendContract(ContractChange, frozen=True, kw_only=True):
    terms: ContractTerms
    effective_on: date
    calls = Employee.amend_contract


class CorrectContract(ContractChange, frozen=True, kw_only=True):
    hire_date: date
    terms: ContractTerms
    calls = Employee.correct_contract


class CloseContract(EmployeeChange, frozen=True, kw_only=True):
    last_day: date
    reason: ExitReason
    calls = Employee.close_contract


class RehireEmployee(ContractChange, frozen=True, kw_only=True):
    hire_date: date
    terms: ContractTerms
    calls = Employee.rehire


class DeclareDeterminant(EmployeeChange, frozen=True, kw_only=True):
    determinant: FollowUpDeterminant
    started_on: date
    note: str | None = None
    calls = Employee.declare_determinant


class WithdrawDeterminant(EmployeeChange, frozen=True, kw_only=True):
    determinant_id: int
    last_day: date
    calls = Employee.withdraw_determinant


class RetractDeterminant(EmployeeChange, frozen=True, kw_only=True):
    determinant_id: int
    error_note: str
    calls = Employee.retract_determinant


class RecordExposure(EmployeeChange, frozen=True, kw_only=True):
    agent: CmrAgent
    started_on: date
    ended_on: date | None = None
    routes: Sequence[ExposureRoute] = ()
    hours_per_week: Decimal | None = None
    degree: ExposureDegree | None = None
    comment: str | None = None
    calls = Employee.record_exposure

    def __post_init__(self) -> None:
        force_setattr(self, "routes", tuple(self.routes))


class EndExposure(EmployeeChange, frozen=True, kw_only=True):
    exposure_id: int
    last_day: date
    calls = Employee.end_exposure


class WithdrawExposure(EmployeeChange, frozen=True, kw_only=True):
    exposure_id: int
    error_note: str
    calls = Employee.withdraw_exposure


class EraseIdentity(EmployeeChange, frozen=True, kw_only=True):
    """Right to erasure: the identity is destroyed everywhere it was written.

    Health data (determinants, CMR exposures) stays, pseudonymised, for its legal retention.
    The erasure is decided first (the aggregate may refuse it), then the key is destroyed, then
    `IdentityErased` is saved: no reader ever sees that event while the identity can still be
    read (a retry after a failed save finds the key gone and saves the event).
    """

    def apply(self, employee: Employee, app: RegistreApplication, request: Request) -> None:
        employee.record_identity_erasure(request.actor)
        app.subject_keys.destroy(self.employee_id, DataCategory.IDENTITY)


def check_workplace(
    app: RegistreApplication, request: Request, member_id: UUID, terms: ContractTerms
) -> None:
    member = app.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
    member.check_accepts_changes()
    if terms.branch_code is not None:
        member.check_open_branch_code(terms.branch_code)


def _naming(employee: Employee, error: DomainError) -> DomainError:
    """The refusal of one employee of a bulk change, naming them (the change is refused for all)."""
    identity = employee.identity
    who = (
        "Salarié à l'identité effacée"
        if identity is None
        else f"{identity.first_name} {identity.usage_name or identity.birth_name}"
    )
    named = error.fresh()
    named.message = f"{who} : {error.message}"
    named.args = (named.message,)
    return named
