"""Commands of the risk assessment context: the DUERP tool of seed 000, steps 6 to 8.

A member has one risk assessment, started by its first change (a work unit, or the deposit of a
document made without the tool). A member's user reaches only its own member's assessment: the
member is loaded first, with the caller's reach, so another member's assessment is not found
whether it was started or not. Two first changes racing both start the assessment: the second
cannot be saved and is answered with a conflict, as any other race.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID

from msgspec.structs import force_setattr

from application.base import RegistreApplication, result_of, stale_form
from application.commands import Command, Decision
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import CommandResult, Request
from application.workforce.commands import EMPLOYEE_NOT_FOUND
from domain.actor import Actor
from domain.errors import NotFound
from domain.members.member import Member
from domain.risk_assessment.action_plan import ActionScope
from domain.risk_assessment.assessment import RiskAssessment, risk_assessment_id
from domain.risk_assessment.publication import PublishedVersion
from domain.workforce.employee import Employee

RISK_ASSESSMENT_NOT_FOUND = NotFound(
    "Aucune évaluation des risques n'a été commencée pour cet adhérent.",
    code="RISK_ASSESSMENT_NOT_FOUND",
)


class RiskAssessmentQueries(RegistreApplication):
    def risk_assessment(self, member_id: UUID, actor: Actor | None = None) -> RiskAssessment:
        return self.load(
            RiskAssessment, risk_assessment_id(member_id), RISK_ASSESSMENT_NOT_FOUND, actor
        )

    def risk_assessment_version(
        self, member_id: UUID, number: int, actor: Actor | None = None
    ) -> PublishedVersion:
        return self.risk_assessment(member_id, actor).published_version(number)


class RiskAssessmentChange(Command[CommandResult], frozen=True, kw_only=True):
    """A change of a member's assessment, loaded at the version the user saw (or started)."""

    member_id: UUID

    def apply(
        self, assessment: RiskAssessment, app: RegistreApplication, request: Request
    ) -> int | None:
        raise NotImplementedError

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        assessment = _for_change(app, request, self.member_id)
        created_id = self.apply(assessment, app, request)
        return [assessment], result_of(assessment, created_id)


# Step 6: work units ------------------------------------------------------------------------------


class CreateWorkUnit(RiskAssessmentChange, frozen=True, kw_only=True):
    """The result's `created_id` is the unit's number."""

    name: str
    employee_ids: Sequence[UUID] = ()
    risk_codes: Sequence[str] = ()

    def __post_init__(self) -> None:
        force_setattr(self, "employee_ids", tuple(self.employee_ids))
        force_setattr(self, "risk_codes", tuple(self.risk_codes))

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> int:
        _check_employees(app, request, self.member_id, self.employee_ids)
        return assessment.create_work_unit(
            self.name, request.actor, employee_ids=self.employee_ids, risk_codes=self.risk_codes
        )


class WorkUnitChange(RiskAssessmentChange, frozen=True, kw_only=True):
    unit_id: int


class RenameWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    name: str

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.rename_work_unit(self.unit_id, self.name, request.actor)


class RemoveWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.remove_work_unit(self.unit_id, request.actor)


class AssignEmployeesToWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    employee_ids: Sequence[UUID]

    def __post_init__(self) -> None:
        force_setattr(self, "employee_ids", tuple(self.employee_ids))

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        _check_employees(app, request, self.member_id, self.employee_ids)
        assessment.assign_employees(self.unit_id, self.employee_ids, request.actor)


class AddRiskToWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    risk_code: str

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.add_risk(self.unit_id, self.risk_code, request.actor)


class RemoveRiskFromWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    risk_code: str

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.remove_risk(self.unit_id, self.risk_code, request.actor)


# Step 7: evaluations -----------------------------------------------------------------------------


class EvaluateRisk(WorkUnitChange, frozen=True, kw_only=True):
    risk_code: str
    severity: int
    probability: int
    description: str
    existing_measures: str | None = None

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.evaluate_risk(
            self.unit_id,
            self.risk_code,
            self.severity,
            self.probability,
            self.description,
            request.actor,
            self.existing_measures,
        )


# Step 8: the action plan -------------------------------------------------------------------------


class PlanPreventionAction(RiskAssessmentChange, frozen=True, kw_only=True):
    """The result's `created_id` is the action's number."""

    scope: ActionScope
    title: str
    due_on: date
    owner: str
    risk_code: str | None = None
    unit_ids: Sequence[int] = ()
    suggestion_code: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "unit_ids", tuple(self.unit_ids))

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> int:
        return assessment.plan_action(
            self.scope,
            self.title,
            self.due_on,
            self.owner,
            request.actor,
            risk_code=self.risk_code,
            unit_ids=self.unit_ids,
            suggestion_code=self.suggestion_code,
        )


class PreventionActionChange(RiskAssessmentChange, frozen=True, kw_only=True):
    action_id: int


class ReschedulePreventionAction(PreventionActionChange, frozen=True, kw_only=True):
    due_on: date

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.reschedule_action(self.action_id, self.due_on, request.actor)


class MarkPreventionActionDone(PreventionActionChange, frozen=True, kw_only=True):
    done_on: date

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.mark_action_done(self.action_id, self.done_on, request.actor)


class CancelPreventionAction(PreventionActionChange, frozen=True, kw_only=True):
    reason: str

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> None:
        assessment.cancel_action(self.action_id, self.reason, request.actor)


# Versions of the document unique -----------------------------------------------------------------


class PublishRiskAssessment(RiskAssessmentChange, frozen=True, kw_only=True):
    """The result's `created_id` is the number of the version published."""

    published_on: date

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> int:
        return assessment.publish(self.published_on, request.actor)


class RecordExistingRiskAssessmentDocument(RiskAssessmentChange, frozen=True, kw_only=True):
    """A document unique made without the tool, whose bytes are stored by digest beside the log
    (`application.risk_assessment.documents`); the result's `created_id` is its number."""

    file_name: str
    media_type: str
    size: int
    sha256: str
    recorded_on: date

    def apply(self, assessment: RiskAssessment, app: RegistreApplication, request: Request) -> int:
        return assessment.record_existing_document(
            self.file_name,
            self.media_type,
            self.size,
            self.sha256,
            self.recorded_on,
            request.actor,
        )


# Inside ------------------------------------------------------------------------------------------


def check_member_reach(app: RegistreApplication, request: Request, member_id: UUID) -> Member:
    """The member, with the caller's reach: another member's is not found."""
    return app.load(Member, member_id, MEMBER_NOT_FOUND, request.actor)


def _for_change(app: RegistreApplication, request: Request, member_id: UUID) -> RiskAssessment:
    check_member_reach(app, request, member_id).check_accepts_changes()
    try:
        return app.load_for_change(
            RiskAssessment, risk_assessment_id(member_id), request, RISK_ASSESSMENT_NOT_FOUND
        )
    except NotFound:
        if request.expected_version not in {None, 0}:
            raise stale_form(0) from None
        return RiskAssessment.start(member_id=member_id, actor=request.actor)


def _check_employees(
    app: RegistreApplication, request: Request, member_id: UUID, employee_ids: Iterable[UUID]
) -> None:
    """Only the member's own employees go in its work units."""
    for employee_id in set(employee_ids):
        employee = app.load(Employee, employee_id, EMPLOYEE_NOT_FOUND, request.actor)
        if employee.member_id != member_id:
            raise EMPLOYEE_NOT_FOUND.fresh()
