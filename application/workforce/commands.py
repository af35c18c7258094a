"""Commands of the workforce context: employees, contracts, determinants, CMR exposures."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.base import RegistreApplication, result_of
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from domain.errors import DomainError, InvalidValue, NotFound
from domain.members.member import Member
from domain.personal_data import DataCategory
from domain.workforce.employee import Employee, check_bulk_hire_size
from domain.workforce.employment import ContractTerms, ExitReason, Identity
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import CmrAgent, ExposureDegree, ExposureRoute


@dataclass(frozen=True, slots=True)
class NewHire:
    """One line of a bulk hire."""

    identity: Identity
    hire_date: date
    terms: ContractTerms


@dataclass(frozen=True, slots=True)
class SituationAssignment:
    """What a bulk assignment of a work situation did (step 9): the employees given the
    determinant, in the order received; those who already had it in force on that date, left
    as they were; and, among the first, those whose follow-up category on that date changed."""

    declared: tuple[CommandResult, ...]
    already_in_force: tuple[UUID, ...]
    category_changed: tuple[UUID, ...]


EMPLOYEE_NOT_FOUND = NotFound("Ce salarié n'existe pas.", code="EMPLOYEE_NOT_FOUND")


class WorkforceCommands(RegistreApplication):
    def hire_employee(
        self,
        request: Request,
        *,
        member_id: UUID,
        identity: Identity,
        hire_date: date,
        terms: ContractTerms,
    ) -> CommandResult:
        def decide() -> tuple[list[Employee], CommandResult]:
            self._check_workplace(request, member_id, terms)
            employee = Employee.hire(
                member_id=member_id,
                identity=identity,
                hire_date=hire_date,
                terms=terms,
                actor=request.actor,
            )
            return [employee], result_of(employee)

        arguments = {"member_id": member_id, "identity": identity, "hire_date": hire_date}
        return self.execute(
            request, "hire_employee", arguments | {"terms": terms}, decide, CommandResult
        )

    def hire_employees(
        self, request: Request, *, member_id: UUID, hires: Sequence[NewHire]
    ) -> tuple[CommandResult, ...]:
        """Bulk hire (an import): all the employees are recorded together, or none is."""

        def decide() -> tuple[list[Employee], tuple[CommandResult, ...]]:
            check_bulk_hire_size(len(hires))
            member = self.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
            member.check_accepts_changes()
            for branch_code in {h.terms.branch_code for h in hires} - {None}:
                member.check_open_branch_code(str(branch_code))
            employees = [
                Employee.hire(
                    member_id=member_id,
                    identity=hire.identity,
                    hire_date=hire.hire_date,
                    terms=hire.terms,
                    actor=request.actor,
                )
                for hire in hires
            ]
            return employees, tuple(result_of(e) for e in employees)

        arguments = {"member_id": member_id, "hires": tuple(hires)}
        return self.execute(request, "hire_employees", arguments, decide, tuple[CommandResult, ...])

    def assign_work_situation(
        self,
        request: Request,
        *,
        member_id: UUID,
        determinant: FollowUpDeterminant,
        employee_ids: Sequence[UUID],
        started_on: date,
        note: str | None = None,
    ) -> SituationAssignment:
        """Step 9: declare `determinant` from `started_on` for every listed employee of the
        member, in one save: all of them, or none. Those who already have it in force on that
        date are left as they are, so a retry, or a selection that includes them again, changes
        nothing for them. An employee of another member is not found, like an unknown one."""
        wanted = tuple(dict.fromkeys(employee_ids))

        def decide() -> tuple[list[Employee], SituationAssignment]:
            if not wanted:
                raise InvalidValue(
                    "Sélectionnez au moins un salarié.", code="NO_EMPLOYEE", field="employee_ids"
                )
            member = self.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
            member.check_accepts_changes()
            changed: list[Employee] = []
            already: list[UUID] = []
            moved: list[UUID] = []
            for employee_id in wanted:
                employee = self.load(Employee, employee_id, EMPLOYEE_NOT_FOUND, request.actor)
                if employee.member_id != member_id:
                    raise EMPLOYEE_NOT_FOUND.fresh()
                if any(
                    period.determinant is determinant and period.in_effect_on(started_on)
                    for period in employee.determinants or ()
                ):
                    already.append(employee_id)
                    continue
                before = employee.follow_up_on(started_on).category
                try:
                    employee.declare_determinant(determinant, started_on, request.actor, note)
                except DomainError as error:
                    raise _naming(employee, error) from None
                if employee.follow_up_on(started_on).category is not before:
                    moved.append(employee_id)
                changed.append(employee)
            declared = tuple(result_of(e) for e in changed)
            return changed, SituationAssignment(declared, tuple(already), tuple(moved))

        arguments = {
            "member_id": member_id,
            "determinant": determinant,
            "employee_ids": wanted,
            "started_on": started_on,
            "note": note,
        }
        return self.execute(
            request, "assign_work_situation", arguments, decide, SituationAssignment
        )

    def employee(self, employee_id: UUID) -> Employee:
        return self.load(Employee, employee_id, EMPLOYEE_NOT_FOUND)

    def correct_identity(
        self, request: Request, employee_id: UUID, identity: Identity
    ) -> CommandResult:
        return self._change_employee(
            request,
            "correct_identity",
            employee_id,
            {"identity": identity},
            lambda e: e.correct_identity(identity, request.actor),
        )

    def amend_contract(
        self, request: Request, employee_id: UUID, *, terms: ContractTerms, effective_on: date
    ) -> CommandResult:
        def amend(employee: Employee) -> None:
            self._check_workplace(request, employee.member_id, terms)
            employee.amend_contract(terms, effective_on, request.actor)

        arguments = {"terms": terms, "effective_on": effective_on}
        return self._change_employee(request, "amend_contract", employee_id, arguments, amend)

    def correct_contract(
        self, request: Request, employee_id: UUID, *, hire_date: date, terms: ContractTerms
    ) -> CommandResult:
        def correct(employee: Employee) -> None:
            self._check_workplace(request, employee.member_id, terms)
            employee.correct_contract(hire_date, terms, request.actor)

        arguments = {"terms": terms, "hire_date": hire_date}
        return self._change_employee(request, "correct_contract", employee_id, arguments, correct)

    def close_contract(
        self, request: Request, employee_id: UUID, *, last_day: date, reason: ExitReason
    ) -> CommandResult:
        return self._change_employee(
            request,
            "close_contract",
            employee_id,
            {"last_day": last_day, "reason": reason},
            lambda e: e.close_contract(last_day, reason, request.actor),
        )

    def rehire_employee(
        self, request: Request, employee_id: UUID, *, hire_date: date, terms: ContractTerms
    ) -> CommandResult:
        def rehire(employee: Employee) -> None:
            self._check_workplace(request, employee.member_id, terms)
            employee.rehire(hire_date, terms, request.actor)

        arguments = {"terms": terms, "hire_date": hire_date}
        return self._change_employee(request, "rehire_employee", employee_id, arguments, rehire)

    def declare_determinant(
        self,
        request: Request,
        employee_id: UUID,
        *,
        determinant: FollowUpDeterminant,
        started_on: date,
        note: str | None = None,
    ) -> CommandResult:
        return self._change_employee(
            request,
            "declare_determinant",
            employee_id,
            {"determinant": determinant, "started_on": started_on, "note": note},
            lambda e: e.declare_determinant(determinant, started_on, request.actor, note),
        )

    def withdraw_determinant(
        self, request: Request, employee_id: UUID, *, determinant_id: int, last_day: date
    ) -> CommandResult:
        return self._change_employee(
            request,
            "withdraw_determinant",
            employee_id,
            {"determinant_id": determinant_id, "last_day": last_day},
            lambda e: e.withdraw_determinant(determinant_id, last_day, request.actor),
        )

    def retract_determinant(
        self, request: Request, employee_id: UUID, *, determinant_id: int, error_note: str
    ) -> CommandResult:
        return self._change_employee(
            request,
            "retract_determinant",
            employee_id,
            {"determinant_id": determinant_id, "error_note": error_note},
            lambda e: e.retract_determinant(determinant_id, error_note, request.actor),
        )

    def record_exposure(
        self,
        request: Request,
        employee_id: UUID,
        *,
        agent: CmrAgent,
        started_on: date,
        ended_on: date | None = None,
        routes: Iterable[ExposureRoute] = (),
        hours_per_week: Decimal | None = None,
        degree: ExposureDegree | None = None,
        comment: str | None = None,
    ) -> CommandResult:
        details: dict[str, Any] = {
            "ended_on": ended_on,
            "routes": tuple(routes),
            "hours_per_week": hours_per_week,
            "degree": degree,
            "comment": comment,
        }
        return self._change_employee(
            request,
            "record_exposure",
            employee_id,
            {"agent": agent, "started_on": started_on, **details},
            lambda e: e.record_exposure(agent, started_on, request.actor, **details),
        )

    def end_exposure(
        self, request: Request, employee_id: UUID, *, exposure_id: int, last_day: date
    ) -> CommandResult:
        return self._change_employee(
            request,
            "end_exposure",
            employee_id,
            {"exposure_id": exposure_id, "last_day": last_day},
            lambda e: e.end_exposure(exposure_id, last_day, request.actor),
        )

    def withdraw_exposure(
        self, request: Request, employee_id: UUID, *, exposure_id: int, error_note: str
    ) -> CommandResult:
        return self._change_employee(
            request,
            "withdraw_exposure",
            employee_id,
            {"exposure_id": exposure_id, "error_note": error_note},
            lambda e: e.withdraw_exposure(exposure_id, error_note, request.actor),
        )

    def erase_identity(self, request: Request, employee_id: UUID) -> CommandResult:
        """Right to erasure: the identity is destroyed everywhere it was written.

        Health data (determinants, CMR exposures) stays, pseudonymised, for its legal retention.
        The key is destroyed before `IdentityErased` is recorded, so that no reader ever sees
        that event while the identity can still be read (a retry after a failed save finds the
        key gone and records the event).
        """

        def erase(employee: Employee) -> None:
            employee.record_identity_erasure(request.actor)
            self.subject_keys.destroy(employee_id, DataCategory.IDENTITY)

        return self._change_employee(request, "erase_identity", employee_id, {}, erase)

    def _change_employee(
        self,
        request: Request,
        command: str,
        employee_id: UUID,
        arguments: dict[str, Any],
        change: Callable[[Employee], int | None],
    ) -> CommandResult:
        arguments = {"employee_id": employee_id, **arguments}
        return self.change(
            request, command, Employee, employee_id, EMPLOYEE_NOT_FOUND, arguments, change
        )

    def _check_workplace(self, request: Request, member_id: UUID, terms: ContractTerms) -> None:
        member = self.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
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
