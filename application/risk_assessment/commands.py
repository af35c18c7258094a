"""Commands of the risk assessment context: the DUERP tool of seed 000, steps 6 to 8.

A member has one risk assessment, started by its first change (a work unit, or the deposit of a
document made without the tool). A member's user reaches only its own member's assessment: the
member is loaded first, with the caller's reach, so another member's assessment is not found
whether it was started or not.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from application.base import RegistreApplication, result_of, stale_form
from application.commands import Decision
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from application.workforce.commands import EMPLOYEE_NOT_FOUND
from domain.actor import Actor
from domain.errors import NotFound
from domain.members.member import Member
from domain.risk_assessment.assessment import (
    ActionScope,
    PublishedVersion,
    RiskAssessment,
    risk_assessment_id,
)
from domain.workforce.employee import Employee

RISK_ASSESSMENT_NOT_FOUND = NotFound(
    "Aucune évaluation des risques n'a été commencée pour cet adhérent.",
    code="RISK_ASSESSMENT_NOT_FOUND",
)


class RiskAssessmentCommands(RegistreApplication):
    # Queries -----------------------------------------------------------------------------------

    def risk_assessment(self, member_id: UUID, actor: Actor | None = None) -> RiskAssessment:
        return self.load(
            RiskAssessment, risk_assessment_id(member_id), RISK_ASSESSMENT_NOT_FOUND, actor
        )

    def risk_assessment_version(
        self, member_id: UUID, number: int, actor: Actor | None = None
    ) -> PublishedVersion:
        return self.risk_assessment(member_id, actor).published_version(number)

    # Step 6: work units ------------------------------------------------------------------------

    def create_work_unit(
        self,
        request: Request,
        member_id: UUID,
        *,
        name: str,
        employee_ids: Iterable[UUID] = (),
        risk_codes: Iterable[str] = (),
    ) -> CommandResult:
        employee_ids, risk_codes = tuple(employee_ids), tuple(risk_codes)

        def create(assessment: RiskAssessment) -> int:
            self._check_employees(request, member_id, employee_ids)
            return assessment.create_work_unit(
                name, request.actor, employee_ids=employee_ids, risk_codes=risk_codes
            )

        arguments = {"name": name, "employee_ids": employee_ids, "risk_codes": risk_codes}
        return self._change_risk_assessment(
            request, "create_work_unit", member_id, arguments, create
        )

    def rename_work_unit(
        self, request: Request, member_id: UUID, unit_id: int, *, name: str
    ) -> CommandResult:
        return self._change_risk_assessment(
            request,
            "rename_work_unit",
            member_id,
            {"unit_id": unit_id, "name": name},
            lambda a: a.rename_work_unit(unit_id, name, request.actor),
        )

    def remove_work_unit(self, request: Request, member_id: UUID, unit_id: int) -> CommandResult:
        return self._change_risk_assessment(
            request,
            "remove_work_unit",
            member_id,
            {"unit_id": unit_id},
            lambda a: a.remove_work_unit(unit_id, request.actor),
        )

    def assign_employees_to_work_unit(
        self, request: Request, member_id: UUID, unit_id: int, *, employee_ids: Iterable[UUID]
    ) -> CommandResult:
        employee_ids = tuple(employee_ids)

        def assign(assessment: RiskAssessment) -> None:
            self._check_employees(request, member_id, employee_ids)
            assessment.assign_employees(unit_id, employee_ids, request.actor)

        arguments = {"unit_id": unit_id, "employee_ids": employee_ids}
        return self._change_risk_assessment(
            request, "assign_employees_to_work_unit", member_id, arguments, assign
        )

    def add_risk_to_work_unit(
        self, request: Request, member_id: UUID, unit_id: int, *, risk_code: str
    ) -> CommandResult:
        return self._change_risk_assessment(
            request,
            "add_risk_to_work_unit",
            member_id,
            {"unit_id": unit_id, "risk_code": risk_code},
            lambda a: a.add_risk(unit_id, risk_code, request.actor),
        )

    def remove_risk_from_work_unit(
        self, request: Request, member_id: UUID, unit_id: int, *, risk_code: str
    ) -> CommandResult:
        return self._change_risk_assessment(
            request,
            "remove_risk_from_work_unit",
            member_id,
            {"unit_id": unit_id, "risk_code": risk_code},
            lambda a: a.remove_risk(unit_id, risk_code, request.actor),
        )

    # Step 7: evaluations -----------------------------------------------------------------------

    def evaluate_risk(
        self,
        request: Request,
        member_id: UUID,
        unit_id: int,
        *,
        risk_code: str,
        severity: int,
        probability: int,
        description: str,
        existing_measures: str | None = None,
    ) -> CommandResult:
        arguments: dict[str, Any] = {
            "unit_id": unit_id,
            "risk_code": risk_code,
            "severity": severity,
            "probability": probability,
            "description": description,
            "existing_measures": existing_measures,
        }
        return self._change_risk_assessment(
            request,
            "evaluate_risk",
            member_id,
            arguments,
            lambda a: a.evaluate_risk(
                unit_id,
                risk_code,
                severity,
                probability,
                description,
                request.actor,
                existing_measures,
            ),
        )

    # Step 8: the action plan -------------------------------------------------------------------

    def plan_prevention_action(
        self,
        request: Request,
        member_id: UUID,
        *,
        scope: ActionScope,
        title: str,
        due_on: date,
        owner: str,
        risk_code: str | None = None,
        unit_ids: Iterable[int] = (),
        suggestion_code: str | None = None,
    ) -> CommandResult:
        unit_ids = tuple(unit_ids)
        arguments: dict[str, Any] = {
            "scope": scope,
            "title": title,
            "due_on": due_on,
            "owner": owner,
            "risk_code": risk_code,
            "unit_ids": unit_ids,
            "suggestion_code": suggestion_code,
        }
        return self._change_risk_assessment(
            request,
            "plan_prevention_action",
            member_id,
            arguments,
            lambda a: a.plan_action(
                scope,
                title,
                due_on,
                owner,
                request.actor,
                risk_code=risk_code,
                unit_ids=unit_ids,
                suggestion_code=suggestion_code,
            ),
        )

    def reschedule_prevention_action(
        self, request: Request, member_id: UUID, action_id: int, *, due_on: date
    ) -> CommandResult:
        return self._change_risk_assessment(
            request,
            "reschedule_prevention_action",
            member_id,
            {"action_id": action_id, "due_on": due_on},
            lambda a: a.reschedule_action(action_id, due_on, request.actor),
        )

    def mark_prevention_action_done(
        self, request: Request, member_id: UUID, action_id: int, *, done_on: date
    ) -> CommandResult:
        return self._change_risk_assessment(
            request,
            "mark_prevention_action_done",
            member_id,
            {"action_id": action_id, "done_on": done_on},
            lambda a: a.mark_action_done(action_id, done_on, request.actor),
        )

    def cancel_prevention_action(
        self, request: Request, member_id: UUID, action_id: int, *, reason: str
    ) -> CommandResult:
        return self._change_risk_assessment(
            request,
            "cancel_prevention_action",
            member_id,
            {"action_id": action_id, "reason": reason},
            lambda a: a.cancel_action(action_id, reason, request.actor),
        )

    # Versions of the document unique ---------------------------------------------------------

    def publish_risk_assessment(
        self, request: Request, member_id: UUID, *, published_on: date
    ) -> CommandResult:
        """The result's `created_id` is the number of the version published."""
        return self._change_risk_assessment(
            request,
            "publish_risk_assessment",
            member_id,
            {"published_on": published_on},
            lambda a: a.publish(published_on, request.actor),
        )

    def record_existing_risk_assessment_document(
        self,
        request: Request,
        member_id: UUID,
        *,
        file_name: str,
        media_type: str,
        size: int,
        sha256: str,
        recorded_on: date,
    ) -> CommandResult:
        """A document unique made without the tool; its bytes are stored elsewhere."""
        arguments: dict[str, Any] = {
            "file_name": file_name,
            "media_type": media_type,
            "size": size,
            "sha256": sha256,
            "recorded_on": recorded_on,
        }
        return self._change_risk_assessment(
            request,
            "record_existing_risk_assessment_document",
            member_id,
            arguments,
            lambda a: a.record_existing_document(
                file_name, media_type, size, sha256, recorded_on, request.actor
            ),
        )

    # Helpers -----------------------------------------------------------------------------------

    def _change_risk_assessment(
        self,
        request: Request,
        command: str,
        member_id: UUID,
        arguments: dict[str, Any],
        change: Callable[[RiskAssessment], int | None],
    ) -> CommandResult:
        """Load the member's assessment at the version the user saw (or start it), change, save.

        Two first changes racing both start the assessment: the second cannot be saved and is
        answered with a conflict, as any other race."""

        def decide() -> Decision[CommandResult]:
            assessment = self._risk_assessment_for_change(request, member_id)
            created_id = change(assessment)
            return [assessment], result_of(assessment, created_id)

        arguments = {"member_id": member_id, **arguments}
        return self.execute(request, command, arguments, decide, CommandResult)

    def _risk_assessment_for_change(self, request: Request, member_id: UUID) -> RiskAssessment:
        member = self.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)
        member.check_accepts_changes()
        try:
            return self.load_for_change(
                RiskAssessment,
                risk_assessment_id(member_id),
                request,
                RISK_ASSESSMENT_NOT_FOUND,
            )
        except NotFound:
            if request.expected_version not in {None, 0}:
                raise stale_form(0) from None
            return RiskAssessment.start(member_id=member_id, actor=request.actor)

    def _check_employees(
        self, request: Request, member_id: UUID, employee_ids: Iterable[UUID]
    ) -> None:
        """Only the member's own employees go in its work units."""
        for employee_id in set(employee_ids):
            employee = self.load(Employee, employee_id, EMPLOYEE_NOT_FOUND, request.actor)
            if employee.member_id != member_id:
                raise EMPLOYEE_NOT_FOUND.fresh()
