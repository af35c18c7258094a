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
from application.workforce.identity_marks import Marks
from domain.batch import BatchRefused, ItemRefusal
from domain.catalogues.catalogue import Catalogues
from domain.catalogues.model import WorkSituation
from domain.catalogues.substances import catalogued
from domain.errors import DomainError, InvalidValue, NotFound
from domain.members.member import Member
from domain.personal_data import DataCategory
from domain.workforce.employee import Employee, check_bulk_hire_size
from domain.workforce.employment import ContractTerms, ExitReason, Identity, TermsAmendment
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import CmrAgent, ExposureDegree, ExposureRoute

EMPLOYEE_NOT_FOUND = NotFound("Ce salarié n'existe pas.", code="EMPLOYEE_NOT_FOUND")


@dataclass(frozen=True, slots=True)
class NewHire:
    """One line of a bulk hire."""

    identity: Identity
    hire_date: date
    terms: ContractTerms
    confirm_homonym: bool = False


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
    """A hire; refused when the member already has an employee of this NIR, or of these names
    and birth date until `confirm_homonym` (`identity_marks`)."""

    decide_again_on_race: ClassVar[bool] = True
    member_id: UUID
    identity: Identity
    hire_date: date
    terms: ContractTerms
    confirm_homonym: bool = False

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        check_workplace(app, request, self.member_id, self.terms)
        employee = Employee.hire(
            member_id=self.member_id,
            identity=self.identity,
            hire_date=self.hire_date,
            terms=self.terms,
            actor=request.actor,
        )
        marks = Marks(app, self.member_id, [employee.identity])
        marks.hire(employee, self.confirm_homonym)
        return [employee, *marks.changed()], result_of(employee)


class HireEmployees(Command[tuple[CommandResult, ...]], frozen=True, kw_only=True):
    """Bulk hire (an import): all the employees are recorded together, or none is — and then
    every refused hire is named by its position (`BatchRefused`)."""

    result_type: ClassVar[type] = tuple[CommandResult, ...]
    decide_again_on_race: ClassVar[bool] = True
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
        marks = Marks(app, self.member_id, (hire.identity for hire in self.hires))
        employees: list[Employee] = []
        refusals: list[ItemRefusal] = []
        for position, hire in enumerate(self.hires, 1):
            try:
                if hire.terms.branch_code is not None:
                    member.check_open_branch_code(hire.terms.branch_code)
                employee = Employee.hire(
                    member_id=self.member_id,
                    identity=hire.identity,
                    hire_date=hire.hire_date,
                    terms=hire.terms,
                    actor=request.actor,
                )
                marks.hire(employee, hire.confirm_homonym)
            except DomainError as error:
                refusals.append(ItemRefusal.of(position, error))
                continue
            employees.append(employee)
        if refusals:
            raise BatchRefused(refusals, "embauche")
        return [*employees, *marks.changed()], tuple(result_of(e) for e in employees)


class AssignWorkSituation(Command[SituationAssignment], frozen=True, kw_only=True):
    """Step 9: declare the determinant of the work situation `situation_code` from `started_on`
    for every listed employee of the member, in one save: all of them, or none. Those who
    already have it in force on that date are left as they are, so a retry, or a selection that
    includes them again, changes nothing for them. An employee of another member is not found,
    like an unknown one.

    The situation is the catalogue's in effect (`catalogue()`: one the service added can be
    assigned, one it retired cannot); a situation that only informs the service (psychosocial
    risks…) is recorded as a `REPORTED_SITUATION` naming it, which changes no category."""

    result_type: ClassVar[type] = SituationAssignment
    member_id: UUID
    situation_code: str
    employee_ids: Sequence[UUID]
    started_on: date
    note: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "employee_ids", tuple(dict.fromkeys(self.employee_ids)))

    def decide(self, app: RegistreApplication, request: Request) -> Decision[SituationAssignment]:
        situation = catalogue_of(app).work_situation(self.situation_code)
        determinant, reported = situation.declares
        if not self.employee_ids:
            raise InvalidValue(
                "Sélectionnez au moins un salarié.", code="NO_EMPLOYEE", field="employee_ids"
            )
        member = app.load(Member, self.member_id, MEMBER_NOT_FOUND, request.actor)
        member.check_accepts_changes()
        changed: list[Employee] = []
        already: list[UUID] = []
        moved: list[UUID] = []
        refusals: list[ItemRefusal] = []
        for position, employee_id in enumerate(self.employee_ids, 1):
            try:
                employee = app.load(Employee, employee_id, EMPLOYEE_NOT_FOUND, request.actor)
                if employee.member_id != self.member_id:
                    raise EMPLOYEE_NOT_FOUND.fresh()
            except NotFound as error:
                refusals.append(ItemRefusal(position, error.code, error.message, "employee_ids"))
                continue
            if any(
                period.determinant is determinant
                and period.situation == reported
                and period.in_effect_on(self.started_on)
                for period in employee.determinants or ()
            ):
                already.append(employee_id)
                continue
            before = employee.follow_up_on(self.started_on).category
            try:
                employee.declare_determinant(
                    determinant, self.started_on, request.actor, self.note, reported
                )
            except DomainError as error:
                refusals.append(ItemRefusal.of(position, error))
                continue
            if employee.follow_up_on(self.started_on).category is not before:
                moved.append(employee_id)
            changed.append(employee)
        if refusals:
            raise BatchRefused(refusals, "salarié")
        declared = tuple(result_of(e) for e in changed)
        return changed, SituationAssignment(situation, declared, tuple(already), tuple(moved))


# Changes of one employee -------------------------------------------------------------------------


class EmployeeChange(Change[Employee], frozen=True, kw_only=True):
    aggregate = Employee
    not_found = EMPLOYEE_NOT_FOUND
    target = "employee_id"
    employee_id: UUID


class CorrectIdentity(EmployeeChange, frozen=True, kw_only=True):
    """A new NIR must not be another employee's of the member (`identity_marks`). Decided again
    when another command moved the same marks meanwhile (the version the user saw of the
    employee is checked again, a change of theirs still a conflict)."""

    identity: Identity
    calls = Employee.correct_identity
    decide_again_on_race: ClassVar[bool] = True

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        employee = self.load(app, request)
        before = employee.identity
        employee.correct_identity(self.identity, request.actor)
        marks = Marks(app, employee.member_id, [before, employee.identity])
        if employee.identity is not None and employee.identity != before:
            marks.move(before, employee.identity)
        return [employee, *marks.changed()], result_of(employee)


class ContractChange(EmployeeChange, frozen=True, kw_only=True):
    """A change giving the employee new contract terms (its `terms`): their workplace must be
    one of the member's, open, and the membership not ended."""

    def apply(self, employee: Employee, app: RegistreApplication, request: Request) -> int | None:
        terms: ContractTerms | TermsAmendment = self.arguments()["terms"]
        check_workplace(app, request, employee.member_id, terms)
        return super().apply(employee, app, request)


class AmendContract(ContractChange, frozen=True, kw_only=True):
    """New terms from `effective_on`: every term (`ContractTerms`), or only those an amendment
    gives (`TermsAmendment`: the others stay as they were)."""

    terms: ContractTerms | TermsAmendment
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

    def apply(self, employee: Employee, app: RegistreApplication, request: Request) -> int | None:
        """A substance is one of the catalogue's agents, named as the catalogue names it."""
        agent = catalogued(self.agent.validated(), catalogue_of(app).cmr_agents)
        arguments = self.arguments() | {"agent": agent}
        return Employee.record_exposure(employee, **arguments, actor=request.actor)


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
    The erasure is decided first (the aggregate may refuse it), then the key is destroyed with
    the save of `IdentityErased`, in its transaction (`storage.keys`): no reader ever sees that
    event while the identity can still be read, and a save that loses a race (another hire took
    one of the marks) destroys nothing, so the erasure decided again still reads the identity
    and releases its marks.
    """

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        employee = self.load(app, request)
        identity = employee.identity
        employee.record_identity_erasure(request.actor)
        marks = Marks(app, employee.member_id, [identity])
        if identity is not None:
            marks.release(identity)
        app.subject_keys.destroy(self.employee_id, DataCategory.IDENTITY)
        return [employee, *marks.changed()], result_of(employee)


def catalogue_of(app: RegistreApplication) -> Catalogues:
    """The catalogues in effect (the shipped ones with the service's edits)."""
    if not isinstance(app, CatalogueQueries):
        raise TypeError(f"{type(app).__name__} has no catalogues")
    return app.catalogue()


def check_workplace(
    app: RegistreApplication,
    request: Request,
    member_id: UUID,
    terms: ContractTerms | TermsAmendment,
) -> None:
    member = app.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
    member.check_accepts_changes()
    if terms.branch_code is not None:
        member.check_open_branch_code(terms.branch_code)
