"""The RiskAssessment aggregate: a member's DUERP made with the optional tool (seed 000, steps 6–8).

Step 6 groups the employees exposed to the same risks in work units, each with the risks of the
catalogue found there (`work_units`); step 7 evaluates each risk of each unit (`rating`); step 8
plans prevention actions (`action_plan`). Publishing fixes a version of the document unique: every
published version stays retrievable (kept 40 years, R4121-4, RULES.md §4), rebuilt from this
aggregate's history with the hash it was published with. Members who skip the tool record their
own document instead: its bytes are stored elsewhere, only its metadata and its SHA-256 are kept
here (`publication`). What the aggregate holds and what is read from it is in `state`.

Risk codes name entries of the risk catalogue, kept elsewhere: only their shape is checked here.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.risk_assessment.action_plan import ActionScope, ActionStatus, PreventionAction
from domain.risk_assessment.publication import ExistingDocument, PublishedVersion, content_hash
from domain.risk_assessment.rating import check_risk_code, priority
from domain.risk_assessment.state import AssessmentState
from domain.risk_assessment.work_units import RiskEvaluation, WorkUnit, employee_ids_of
from domain.text import required_text

RISK_ASSESSMENT_NAMESPACE = UUID("d3b1f0a4-6c2e-5f8b-9a71-3e5c2b8d4f60")


def risk_assessment_id(member_id: UUID) -> UUID:
    """One risk assessment per member: its id follows from the member's."""
    return uuid5(RISK_ASSESSMENT_NAMESPACE, str(member_id))


class RiskAssessment(AssessmentState, RegistreAggregate):
    """Évaluation des risques professionnels d'un adhérent (DUERP): the working state of the
    tool, its published versions, and the documents the member made without it."""

    @staticmethod
    def create_id(member_id: UUID, **_: Any) -> UUID:
        return risk_assessment_id(member_id)

    @classmethod
    def start(cls, *, member_id: UUID, actor: Actor) -> "RiskAssessment":
        return cls(member_id=member_id, actor=actor)

    @event("RiskAssessmentStarted")
    def __init__(self, member_id: UUID, actor: Actor) -> None:
        self.member_id = member_id
        self.units = ()
        self.evaluations = ()
        self.actions = ()
        self.units_created = 0
        self.actions_planned = 0
        self.published_versions = ()
        self.documents = ()

    # Step 6: work units ----------------------------------------------------------------------

    def create_work_unit(
        self,
        name: str,
        actor: Actor,
        *,
        employee_ids: Iterable[UUID] = (),
        risk_codes: Iterable[str] = (),
    ) -> int:
        unit = WorkUnit(
            self.units_created + 1, name, tuple(employee_ids), tuple(risk_codes)
        ).validated()
        self._check_name_free(unit.name, unit.unit_id)
        self._work_unit_created(unit=unit, actor=actor)
        return unit.unit_id

    @event("WorkUnitCreated")
    def _work_unit_created(self, unit: WorkUnit, actor: Actor) -> None:
        self.units_created += 1
        self.units = (*self.units, unit)

    def rename_work_unit(self, unit_id: int, name: str, actor: Actor) -> None:
        current = self.work_unit(unit_id)
        name = required_text(name, "name", "Le nom de l'unité de travail")
        if name == current.name:
            return
        self._check_name_free(name, unit_id)
        self._work_unit_renamed(unit_id=unit_id, name=name, actor=actor)

    @event("WorkUnitRenamed")
    def _work_unit_renamed(self, unit_id: int, name: str, actor: Actor) -> None:
        self._replace_unit(replace(self.work_unit(unit_id), name=name))

    def remove_work_unit(self, unit_id: int, actor: Actor) -> None:
        """Its evaluations go with it. Actions done there keep naming it, as a record."""
        self.work_unit(unit_id)
        if any(a.is_planned and unit_id in a.unit_ids for a in self.actions):
            raise RuleViolation(
                "Des actions planifiées visent cette unité de travail : réalisez-les, annulez-les"
                " ou retirez-en l'unité avant de la supprimer.",
                code="WORK_UNIT_HAS_ACTIONS",
            )
        self._work_unit_removed(unit_id=unit_id, actor=actor)

    @event("WorkUnitRemoved")
    def _work_unit_removed(self, unit_id: int, actor: Actor) -> None:
        self.units = tuple(u for u in self.units if u.unit_id != unit_id)
        self.evaluations = tuple(e for e in self.evaluations if e.unit_id != unit_id)

    def assign_employees(self, unit_id: int, employee_ids: Iterable[UUID], actor: Actor) -> None:
        """The unit's employees become these (an employee may belong to several units)."""
        current = self.work_unit(unit_id)
        chosen = employee_ids_of(employee_ids)
        if chosen == current.employee_ids:
            return
        self._employees_assigned(unit_id=unit_id, employee_ids=chosen, actor=actor)

    @event("EmployeesAssignedToWorkUnit")
    def _employees_assigned(
        self, unit_id: int, employee_ids: tuple[UUID, ...], actor: Actor
    ) -> None:
        self._replace_unit(replace(self.work_unit(unit_id), employee_ids=employee_ids))

    def add_risk(self, unit_id: int, risk_code: str, actor: Actor) -> None:
        unit = self.work_unit(unit_id)
        risk_code = check_risk_code(risk_code)
        if risk_code in unit.risk_codes:
            raise RuleViolation(
                f"Le risque « {risk_code} » figure déjà dans l'unité « {unit.name} ».",
                code="RISK_ALREADY_IN_WORK_UNIT",
                field="risk_code",
            )
        self._risk_added(unit_id=unit_id, risk_code=risk_code, actor=actor)

    @event("RiskAddedToWorkUnit")
    def _risk_added(self, unit_id: int, risk_code: str, actor: Actor) -> None:
        unit = self.work_unit(unit_id)
        self._replace_unit(replace(unit, risk_codes=(*unit.risk_codes, risk_code)))

    def remove_risk(self, unit_id: int, risk_code: str, actor: Actor) -> None:
        """Its evaluation in the unit goes with it."""
        risk_code = self._risk_of(unit_id, risk_code)
        if any(
            a.is_planned and a.risk_code == risk_code and unit_id in a.unit_ids
            for a in self.actions
        ):
            raise RuleViolation(
                "Des actions planifiées visent ce risque dans cette unité : réalisez-les ou"
                " annulez-les avant de le retirer.",
                code="RISK_HAS_ACTIONS",
            )
        self._risk_removed(unit_id=unit_id, risk_code=risk_code, actor=actor)

    @event("RiskRemovedFromWorkUnit")
    def _risk_removed(self, unit_id: int, risk_code: str, actor: Actor) -> None:
        unit = self.work_unit(unit_id)
        self._replace_unit(
            replace(unit, risk_codes=tuple(c for c in unit.risk_codes if c != risk_code))
        )
        self.evaluations = tuple(
            e for e in self.evaluations if (e.unit_id, e.risk_code) != (unit_id, risk_code)
        )

    def _check_name_free(self, name: str, unit_id: int) -> None:
        if any(u.name.casefold() == name.casefold() for u in self.units if u.unit_id != unit_id):
            raise RuleViolation(
                f"Une unité de travail s'appelle déjà « {name} ».",
                code="WORK_UNIT_NAME_TAKEN",
                field="name",
            )

    def _replace_unit(self, unit: WorkUnit) -> None:
        self.units = tuple(unit if u.unit_id == unit.unit_id else u for u in self.units)

    # Step 7: evaluations ---------------------------------------------------------------------

    def evaluate_risk(  # noqa: PLR0917
        self,
        unit_id: int,
        risk_code: str,
        severity: int,
        probability: int,
        description: str,
        actor: Actor,
        existing_measures: str | None = None,
    ) -> None:
        """Evaluates, or evaluates again, a risk of a unit; the priority follows the matrix."""
        risk_code = self._risk_of(unit_id, risk_code)
        evaluation = RiskEvaluation(
            unit_id,
            risk_code,
            severity,
            probability,
            priority(severity, probability),
            description,
            existing_measures,
        ).validated()
        if evaluation == self._evaluation_or_none(unit_id, risk_code):
            return
        self._risk_evaluated(evaluation=evaluation, actor=actor)

    @event("RiskEvaluated")
    def _risk_evaluated(self, evaluation: RiskEvaluation, actor: Actor) -> None:
        key = (evaluation.unit_id, evaluation.risk_code)
        others = tuple(e for e in self.evaluations if (e.unit_id, e.risk_code) != key)
        self.evaluations = (*others, evaluation)

    # Step 8: the action plan -----------------------------------------------------------------

    def plan_action(
        self,
        scope: ActionScope,
        title: str,
        due_on: date,
        owner: str,
        actor: Actor,
        *,
        risk_code: str | None = None,
        unit_ids: Iterable[int] = (),
        suggestion_code: str | None = None,
    ) -> int:
        action = PreventionAction(
            self.actions_planned + 1,
            scope,
            title,
            risk_code,
            tuple(unit_ids),
            due_on,
            owner,
            suggestion_code,
        ).validated()
        for unit_id in action.unit_ids:
            self.work_unit(unit_id)
        if scope is ActionScope.GLOBAL:
            self._check_global_risk(action.risk_code)
        else:
            self._check_targeted(action)
        self._action_planned(action=action, actor=actor)
        return action.action_id

    @event("ActionPlanned")
    def _action_planned(self, action: PreventionAction, actor: Actor) -> None:
        self.actions_planned += 1
        self.actions = (*self.actions, action)

    def _check_global_risk(self, risk_code: str | None) -> None:
        if risk_code is not None and not any(risk_code in u.risk_codes for u in self.units):
            raise NotFound(
                f"Le risque « {risk_code} » ne figure dans aucune unité de travail.",
                code="RISK_NOT_FOUND",
                field="risk_code",
            )

    def _check_targeted(self, action: PreventionAction) -> None:
        """A targeted action names its risk and units where it is evaluated; one of them at least
        must rate it in the scope's priorities (I–II for major risks, III–IV for the others)."""
        if action.risk_code is None:
            raise InvalidValue(
                "Une action ciblée doit indiquer le risque qu'elle vise.",
                code="RISK_REQUIRED",
                field="risk_code",
            )
        if not action.unit_ids:
            raise InvalidValue(
                "Une action ciblée doit indiquer les unités de travail où la mener.",
                code="WORK_UNITS_REQUIRED",
                field="unit_ids",
            )
        for unit_id in action.unit_ids:
            self._risk_of(unit_id, action.risk_code)
        evaluations = [self.evaluation(u, action.risk_code) for u in action.unit_ids]
        major = action.scope is ActionScope.MAJOR_RISKS
        if not any(e.priority.is_major == major for e in evaluations):
            expected = "I ou II" if major else "III ou IV"
            raise RuleViolation(
                f"Une action {action.scope.label} doit viser un risque évalué en priorité"
                f" {expected} dans l'une de ses unités de travail.",
                code="ACTION_SCOPE_MISMATCH",
                field="scope",
            )

    def reschedule_action(self, action_id: int, due_on: date, actor: Actor) -> None:
        if self._planned_action(action_id).due_on == due_on:
            return
        self._action_rescheduled(action_id=action_id, due_on=due_on, actor=actor)

    @event("ActionRescheduled")
    def _action_rescheduled(self, action_id: int, due_on: date, actor: Actor) -> None:
        self._replace_action(replace(self.action(action_id), due_on=due_on))

    def mark_action_done(self, action_id: int, done_on: date, actor: Actor) -> None:
        self._planned_action(action_id)
        self._action_done(action_id=action_id, done_on=done_on, actor=actor)

    @event("ActionDone")
    def _action_done(self, action_id: int, done_on: date, actor: Actor) -> None:
        action = replace(self.action(action_id), status=ActionStatus.DONE, done_on=done_on)
        self._replace_action(action)

    def cancel_action(self, action_id: int, reason: str, actor: Actor) -> None:
        self._planned_action(action_id)
        reason = required_text(reason, "reason", "Le motif de l'annulation", 500)
        self._action_cancelled(action_id=action_id, reason=reason, actor=actor)

    @event("ActionCancelled")
    def _action_cancelled(self, action_id: int, reason: str, actor: Actor) -> None:
        self._replace_action(replace(self.action(action_id), status=ActionStatus.CANCELLED))

    def _replace_action(self, action: PreventionAction) -> None:
        self.actions = tuple(action if a.action_id == action.action_id else a for a in self.actions)

    # Published versions ----------------------------------------------------------------------

    def publish(self, published_on: date, actor: Actor) -> int:
        """Fixes a version of the document unique (sent to the service, L4121-3-1 VI). The same
        content may be published again: a yearly review with no change is an update too."""
        if not self.units:
            raise RuleViolation(
                "Créez au moins une unité de travail avant de publier le document unique.",
                code="NO_WORK_UNIT",
            )
        pending = len(self.pending_evaluations)
        if pending:
            raise RuleViolation(
                f"Évaluations à réaliser : {pending}. Évaluez chaque risque de chaque unité de"
                " travail avant de publier le document unique.",
                code="EVALUATIONS_PENDING",
            )
        latest = self.latest_version
        if latest is not None and published_on < latest.published_on:
            raise RuleViolation(
                "Une version ne peut être publiée à une date antérieure à la précédente.",
                code="PUBLISHED_BEFORE_LATEST_VERSION",
                field="published_on",
            )
        number = len(self.published_versions) + 1
        self._published(
            number=number,
            published_on=published_on,
            content_hash=content_hash(self.content),
            actor=actor,
        )
        return number

    @event("AssessmentPublished")
    def _published(self, number: int, published_on: date, content_hash: str, actor: Actor) -> None:
        version = PublishedVersion(number, published_on, content_hash, self.content)
        self.published_versions = (*self.published_versions, version)

    # A document made without the tool ----------------------------------------------------------

    def record_existing_document(  # noqa: PLR0917
        self,
        file_name: str,
        media_type: str,
        size: int,
        sha256: str,
        recorded_on: date,
        actor: Actor,
    ) -> int:
        document = ExistingDocument(
            len(self.documents) + 1, file_name, media_type, size, sha256, recorded_on
        ).validated()
        if any(d.sha256 == document.sha256 for d in self.documents):
            raise RuleViolation(
                "Ce fichier a déjà été déposé.", code="DOCUMENT_ALREADY_RECORDED", field="sha256"
            )
        self._existing_document_recorded(document=document, actor=actor)
        return document.document_id

    @event("ExistingDocumentRecorded")
    def _existing_document_recorded(self, document: ExistingDocument, actor: Actor) -> None:
        self.documents = (*self.documents, document)

    # The yearly update -------------------------------------------------------------------------
