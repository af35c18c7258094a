"""What a risk assessment holds, and what is read from it: its work units, evaluations, actions,
published versions and documents. The aggregate (`assessment.RiskAssessment`) adds the commands
and the events that change it.

The domain never reads the clock: "late" and "overdue" take the day they are asked about.
"""

from datetime import date
from uuid import UUID

from domain.errors import NotFound, RuleViolation
from domain.risk_assessment.action_plan import ActionStatus, PreventionAction
from domain.risk_assessment.publication import (
    YEARLY_UPDATE_HEADCOUNT,
    AssessmentContent,
    ExistingDocument,
    PublishedVersion,
)
from domain.risk_assessment.rating import check_risk_code
from domain.risk_assessment.work_units import RiskEvaluation, WorkUnit


class AssessmentState:
    member_id: UUID
    units: tuple[WorkUnit, ...]
    evaluations: tuple[RiskEvaluation, ...]
    actions: tuple[PreventionAction, ...]
    units_created: int
    actions_planned: int
    published_versions: tuple[PublishedVersion, ...]
    documents: tuple[ExistingDocument, ...]

    @property
    def owning_member(self) -> UUID:
        return self.member_id

    # Work units and evaluations --------------------------------------------------------------

    def work_unit(self, unit_id: int) -> WorkUnit:
        for unit in self.units:
            if unit.unit_id == unit_id:
                return unit
        raise NotFound("Cette unité de travail n'existe pas.", code="WORK_UNIT_NOT_FOUND")

    def evaluation(self, unit_id: int, risk_code: str) -> RiskEvaluation:
        found = self._evaluation_or_none(unit_id, risk_code)
        if found is None:
            raise NotFound("Ce risque n'est pas encore évalué.", code="EVALUATION_NOT_FOUND")
        return found

    @property
    def pending_evaluations(self) -> tuple[tuple[int, str], ...]:
        """ "Évaluations à réaliser": the (unit, risk) pairs not evaluated yet."""
        return tuple(
            (unit.unit_id, code)
            for unit in self.units
            for code in unit.risk_codes
            if self._evaluation_or_none(unit.unit_id, code) is None
        )

    def _risk_of(self, unit_id: int, risk_code: str) -> str:
        unit = self.work_unit(unit_id)
        risk_code = check_risk_code(risk_code)
        if risk_code not in unit.risk_codes:
            raise NotFound(
                f"Le risque « {risk_code} » ne figure pas dans l'unité « {unit.name} ».",
                code="RISK_NOT_IN_WORK_UNIT",
                field="risk_code",
            )
        return risk_code

    def _evaluation_or_none(self, unit_id: int, risk_code: str) -> RiskEvaluation | None:
        return next(
            (e for e in self.evaluations if (e.unit_id, e.risk_code) == (unit_id, risk_code)),
            None,
        )

    # The action plan -------------------------------------------------------------------------

    def action(self, action_id: int) -> PreventionAction:
        for action in self.actions:
            if action.action_id == action_id:
                return action
        raise NotFound("Cette action de prévention n'existe pas.", code="ACTION_NOT_FOUND")

    def late_actions(self, day: date) -> tuple[PreventionAction, ...]:
        """ "En retard" on `day`: planned, not done, due before that day."""
        return tuple(a for a in self.actions if a.is_late_on(day))

    def _planned_action(self, action_id: int) -> PreventionAction:
        action = self.action(action_id)
        if not action.is_planned:
            raise RuleViolation(
                "Cette action est déjà réalisée ou annulée.", code="ACTION_NOT_PLANNED"
            )
        return action

    # Versions of the document unique ---------------------------------------------------------

    @property
    def content(self) -> AssessmentContent:
        """The working state as the canonical snapshot a publication would fix."""
        return AssessmentContent(
            units=tuple(u.canonical() for u in sorted(self.units, key=lambda u: u.unit_id)),
            evaluations=tuple(sorted(self.evaluations, key=lambda e: (e.unit_id, e.risk_code))),
            actions=tuple(
                a
                for a in sorted(self.actions, key=lambda a: a.action_id)
                if a.status is not ActionStatus.CANCELLED
            ),
        )

    def published_version(self, number: int) -> PublishedVersion:
        """Version `number` as it was published, rebuilt from the history."""
        for version in self.published_versions:
            if version.number == number:
                return version
        raise NotFound(
            f"La version {number} du document unique n'existe pas.", code="VERSION_NOT_FOUND"
        )

    @property
    def latest_version(self) -> PublishedVersion | None:
        return self.published_versions[-1] if self.published_versions else None

    # The yearly update -----------------------------------------------------------------------

    @property
    def last_updated_on(self) -> date | None:
        """The latest publication or deposit of a document unique."""
        days = [v.published_on for v in self.published_versions]
        days += [d.recorded_on for d in self.documents]
        return max(days, default=None)

    def is_update_overdue_on(self, day: date, headcount: int) -> bool:
        """From 11 employees, a year without a new version makes the update overdue."""
        if headcount < YEARLY_UPDATE_HEADCOUNT:
            return False
        last = self.last_updated_on
        return last is None or day > _one_year_after(last)


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
