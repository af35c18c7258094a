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

from application.base import RegistreApplication, stale_form
from application.commands import Change
from application.members.commands import MEMBER_NOT_FOUND
from application.requests import Request
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


class RiskAssessmentChange(Change[RiskAssessment], frozen=True, kw_only=True):
    """A change of a member's assessment, loaded at the version the user saw (or started)."""

    aggregate = RiskAssessment
    not_found = RISK_ASSESSMENT_NOT_FOUND
    target = "member_id"
    member_id: UUID

    def load(self, app: RegistreApplication, request: Request) -> RiskAssessment:
        return _for_change(app, request, self.member_id)


# Step 6: work units ------------------------------------------------------------------------------


class CreateWorkUnit(RiskAssessmentChange, frozen=True, kw_only=True):
    """The result's `created_id` is the unit's number."""

    name: str
    employee_ids: Sequence[UUID] = ()
    risk_codes: Sequence[str] = ()
    calls = RiskAssessment.create_work_unit

    def __post_init__(self) -> None:
        force_setattr(self, "employee_ids", tuple(self.employee_ids))
        force_setattr(self, "risk_codes", tuple(self.risk_codes))

    def apply(
        self, assessment: RiskAssessment, app: RegistreApplication, request: Request
    ) -> int | None:
        _check_employees(app, request, self.member_id, self.employee_ids)
        return super().apply(assessment, app, request)


class WorkUnitChange(RiskAssessmentChange, frozen=True, kw_only=True):
    unit_id: int


class RenameWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    name: str
    calls = RiskAssessment.rename_work_unit


class RemoveWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    calls = RiskAssessment.remove_work_unit


class AssignEmployeesToWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    employee_ids: Sequence[UUID]
    calls = RiskAssessment.assign_employees

    def __post_init__(self) -> None:
        force_setattr(self, "employee_ids", tuple(self.employee_ids))

    def apply(
        self, assessment: RiskAssessment, app: RegistreApplication, request: Request
    ) -> int | None:
        _check_employees(app, request, self.member_id, self.employee_ids)
        return super().apply(assessment, app, request)


class AddRiskToWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    risk_code: str
    calls = RiskAssessment.add_risk


class RemoveRiskFromWorkUnit(WorkUnitChange, frozen=True, kw_only=True):
    risk_code: str
    calls = RiskAssessment.remove_risk


# Step 7: evaluations -----------------------------------------------------------------------------


class EvaluateRisk(WorkUnitChange, frozen=True, kw_only=True):
    risk_code: str
    severity: int
    probability: int
    description: str
    existing_measures: str | None = None
    calls = RiskAssessment.evaluate_risk


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
    calls = RiskAssessment.plan_action

    def __post_init__(self) -> None:
        force_setattr(self, "unit_ids", tuple(self.unit_ids))


class PreventionActionChange(RiskAssessmentChange, frozen=True, kw_only=True):
    action_id: int


class ReschedulePreventionAction(PreventionActionChange, frozen=True, kw_only=True):
    due_on: date
    calls = RiskAssessment.reschedule_action


class MarkPreventionActionDone(PreventionActionChange, frozen=True, kw_only=True):
    done_on: date
    calls = RiskAssessment.mark_action_done


class CancelPreventionAction(PreventionActionChange, frozen=True, kw_only=True):
    reason: str
    calls = RiskAssessment.cancel_action


# Versions of the document unique -----------------------------------------------------------------


class PublishRiskAssessment(RiskAssessmentChange, frozen=True, kw_only=True):
    """The result's `created_id` is the number of the version published."""

    published_on: date
    calls = RiskAssessment.publish


class RecordExistingRiskAssessmentDocument(RiskAssessmentChange, frozen=True, kw_only=True):
    """A document unique made without the tool, whose bytes are stored by digest beside the log
    (`application.risk_assessment.documents`); the result's `created_id` is its number."""

    file_name: str
    media_type: str
    size: int
    sha256: str
    recorded_on: date
    calls = RiskAssessment.record_existing_document


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
