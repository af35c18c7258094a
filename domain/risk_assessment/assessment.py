"""The RiskAssessment aggregate: a member's DUERP made with the optional tool (seed 000, steps 6–8).

Step 6 groups the employees exposed to the same risks in work units, each with the risks of the
catalogue found there; step 7 evaluates each risk of each unit; step 8 plans prevention actions.
Publishing fixes a version of the document unique: every published version stays retrievable
(kept 40 years, R4121-4, RULES.md §4), rebuilt from this aggregate's history with the hash it was
published with. Members who skip the tool record their own document instead: its bytes are stored
elsewhere, only its metadata and its SHA-256 are kept here.

Risk codes name entries of the risk catalogue, kept elsewhere: only their shape is checked here.
The domain never reads the clock: "late" and "overdue" take the day they are asked about.
"""

import enum
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid5

import msgspec
from eventsourcing.domain import Aggregate, event

from domain.actor import Actor
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.text import MAX_DESCRIPTION, optional_text, required_text, shown

RISK_ASSESSMENT_NAMESPACE = UUID("d3b1f0a4-6c2e-5f8b-9a71-3e5c2b8d4f60")
RISK_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,63}$")
MIN_LEVEL, MAX_LEVEL = 1, 4
MAX_TITLE = 200
MAX_FILE_NAME = 255
MAX_DOCUMENT_SIZE = 50 * 1024 * 1024
"""The service's limit for an uploaded document unique (50 Mio)."""
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DOCUMENT_MEDIA_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
YEARLY_UPDATE_HEADCOUNT = 11
"""From 11 employees the DUERP is updated at least once a year (R4121-2, RULES.md §4)."""


def risk_assessment_id(member_id: UUID) -> UUID:
    """One risk assessment per member: its id follows from the member's."""
    return uuid5(RISK_ASSESSMENT_NAMESPACE, str(member_id))


def check_risk_code(risk_code: str) -> str:
    """A code of the risk catalogue: a letter, then 1 to 63 letters, digits, `_`, `.` or `-`."""
    return _catalogue_code(risk_code, "risk_code", "Le code de risque")


def check_suggestion_code(suggestion_code: str) -> str:
    """A code of the catalogue's suggested actions, of the same shape as a risk code."""
    return _catalogue_code(suggestion_code, "suggestion_code", "Le code d'action suggérée")


def _catalogue_code(value: str, field: str, label: str) -> str:
    code = value.strip()
    if not RISK_CODE.match(code):
        raise InvalidValue(
            f"{label} « {shown(code, 40)} » n'est pas valide.",
            code=f"INVALID_{field.upper()}",
            field=field,
        )
    return code


# Priority ------------------------------------------------------------------------------------


class Priority(enum.Enum):
    """Priorité d'action d'un risque évalué : I la plus urgente, IV la moins urgente."""

    I = "I"  # noqa: E741 (a Roman numeral, as the portal shows it)
    II = "II"
    III = "III"
    IV = "IV"

    @property
    def is_major(self) -> bool:
        """Priorities I and II are the "risques majeurs" of the action plan."""
        return self in {Priority.I, Priority.II}


SEVERITY_LABELS = {
    1: "faible (sans arrêt de travail)",
    2: "moyenne (arrêt de travail)",
    3: "grave (incapacité permanente)",
    4: "très grave (dommage mortel)",
}
PROBABILITY_LABELS = {1: "très improbable", 2: "improbable", 3: "probable", 4: "très probable"}


def check_level(value: int, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_LEVEL <= value <= MAX_LEVEL:
        raise InvalidValue(
            f"{label} se note de {MIN_LEVEL} à {MAX_LEVEL}.", code="INVALID_RATING", field=field
        )
    return value


def priority(severity: int, probability: int) -> Priority:
    """The priority of a risk rated on gravité (severity) and probabilité, both 1 to 4.

    The service's convention (no text of the Code du travail fixes a method, R4121-1): the usual
    4 × 4 grid of DUERP tools, score = severity × probability; 12 and more → I, 8 → II, 4 → III,
    below → IV.

        severity \\ probability   1     2     3     4
        4                        III   II    I     I
        3                        IV    III   II    I
        2                        IV    III   III   II
        1                        IV    IV    IV    III
    """
    score = check_level(severity, "severity", "La gravité") * check_level(
        probability, "probability", "La probabilité"
    )
    if score >= 12:
        return Priority.I
    if score >= 8:
        return Priority.II
    if score >= 4:
        return Priority.III
    return Priority.IV


# Values ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """Unité de travail: employees exposed to the same risks."""

    unit_id: int
    name: str
    employee_ids: tuple[UUID, ...] = ()
    risk_codes: tuple[str, ...] = ()

    def validated(self) -> "WorkUnit":
        return replace(
            self,
            name=required_text(self.name, "name", "Le nom de l'unité de travail"),
            employee_ids=employee_ids_of(self.employee_ids),
            risk_codes=tuple(dict.fromkeys(check_risk_code(c) for c in self.risk_codes)),
        )

    def canonical(self) -> "WorkUnit":
        return replace(self, risk_codes=tuple(sorted(self.risk_codes)))


def employee_ids_of(employee_ids: Iterable[UUID]) -> tuple[UUID, ...]:
    """Each employee once, in one order whatever the order they were chosen in."""
    return tuple(sorted(set(employee_ids)))


@dataclass(frozen=True, slots=True)
class RiskEvaluation:
    """Évaluation d'un risque dans une unité de travail. The priority is the one the matrix gave
    when the risk was evaluated, so a published version reads the same if the matrix changes."""

    unit_id: int
    risk_code: str
    severity: int
    probability: int
    priority: Priority
    description: str
    existing_measures: str | None = None

    def validated(self) -> "RiskEvaluation":
        return replace(
            self,
            risk_code=check_risk_code(self.risk_code),
            priority=priority(self.severity, self.probability),
            description=required_text(
                self.description,
                "description",
                "La description du risque",
                MAX_DESCRIPTION,
                multiline=True,
            ),
            existing_measures=optional_text(
                self.existing_measures,
                "existing_measures",
                "Les mesures existantes",
                MAX_DESCRIPTION,
                multiline=True,
            ),
        )


class ActionScope(enum.Enum):
    """The three parts of the action plan."""

    GLOBAL = "GLOBAL"
    MAJOR_RISKS = "MAJOR_RISKS"
    OTHER_RISKS = "OTHER_RISKS"

    @property
    def label(self) -> str:
        return {
            ActionScope.GLOBAL: "globale à l'entreprise",
            ActionScope.MAJOR_RISKS: "ciblée sur les risques majeurs",
            ActionScope.OTHER_RISKS: "ciblée sur les autres risques",
        }[self]


class ActionStatus(enum.Enum):
    PLANNED = "PLANNED"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class PreventionAction:
    """Action de prévention du plan d'action. A global action may name no risk and no unit (the
    whole company); a targeted one names its risk and the units it is carried out in."""

    action_id: int
    scope: ActionScope
    title: str
    risk_code: str | None
    unit_ids: tuple[int, ...]
    due_on: date
    owner: str
    suggestion_code: str | None = None
    """The catalogue's suggested action it was added from ("Ajouter"), if any."""
    status: ActionStatus = ActionStatus.PLANNED
    done_on: date | None = None

    def validated(self) -> "PreventionAction":
        return replace(
            self,
            title=required_text(self.title, "title", "L'intitulé de l'action", MAX_TITLE),
            owner=required_text(self.owner, "owner", "Le responsable de l'action"),
            risk_code=None if self.risk_code is None else check_risk_code(self.risk_code),
            unit_ids=tuple(sorted(set(self.unit_ids))),
            suggestion_code=(
                None
                if self.suggestion_code is None
                else check_suggestion_code(self.suggestion_code)
            ),
        )

    @property
    def is_planned(self) -> bool:
        return self.status is ActionStatus.PLANNED

    def is_late_on(self, day: date) -> bool:
        """ "En retard": planned, not done, and due before `day`."""
        return self.is_planned and self.due_on < day


@dataclass(frozen=True, slots=True)
class AssessmentContent:
    """The canonical snapshot of a document unique: what a published version holds and hashes.
    Every tuple is in a fixed order; cancelled actions are left out."""

    units: tuple[WorkUnit, ...]
    evaluations: tuple[RiskEvaluation, ...]
    actions: tuple[PreventionAction, ...]


def content_hash(content: AssessmentContent) -> str:
    """SHA-256 of the content as msgspec JSON with sorted keys."""
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    number: int
    published_on: date
    content_hash: str
    content: AssessmentContent

    @property
    def is_intact(self) -> bool:
        """Whether the content rebuilt from the history still has the hash it was published
        with."""
        return content_hash(self.content) == self.content_hash


@dataclass(frozen=True, slots=True)
class ExistingDocument:
    """Un document unique déposé par l'adhérent, réalisé sans l'outil: the file itself is stored
    elsewhere, under its SHA-256."""

    document_id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    recorded_on: date

    def validated(self) -> "ExistingDocument":
        file_name = required_text(self.file_name, "file_name", "Le nom du fichier", MAX_FILE_NAME)
        if "/" in file_name or "\\" in file_name:
            raise InvalidValue(
                "Le nom du fichier ne peut contenir de chemin.",
                code="INVALID_FILE_NAME",
                field="file_name",
            )
        media_type = self.media_type.strip().lower()
        if media_type not in DOCUMENT_MEDIA_TYPES:
            raise InvalidValue(
                "Déposez votre document unique en PDF, Word, Excel ou OpenDocument.",
                code="UNSUPPORTED_MEDIA_TYPE",
                field="media_type",
            )
        if isinstance(self.size, bool) or not 0 < self.size <= MAX_DOCUMENT_SIZE:
            raise InvalidValue(
                "Le fichier est vide ou dépasse 50 Mo.", code="INVALID_FILE_SIZE", field="size"
            )
        sha256 = self.sha256.strip().lower()
        if not SHA256.match(sha256):
            raise InvalidValue(
                "L'empreinte SHA-256 du fichier n'est pas valide.",
                code="INVALID_SHA256",
                field="sha256",
            )
        return replace(self, file_name=file_name, media_type=media_type, sha256=sha256)


# The aggregate ---------------------------------------------------------------------------------


class RiskAssessment(Aggregate):
    """Évaluation des risques professionnels d'un adhérent (DUERP): the working state of the
    tool, its published versions, and the documents the member made without it."""

    member_id: UUID
    units: tuple[WorkUnit, ...]
    evaluations: tuple[RiskEvaluation, ...]
    actions: tuple[PreventionAction, ...]
    units_created: int
    actions_planned: int
    published_versions: tuple[PublishedVersion, ...]
    documents: tuple[ExistingDocument, ...]

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

    @property
    def owning_member(self) -> UUID:
        return self.member_id

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

    def work_unit(self, unit_id: int) -> WorkUnit:
        for unit in self.units:
            if unit.unit_id == unit_id:
                return unit
        raise NotFound("Cette unité de travail n'existe pas.", code="WORK_UNIT_NOT_FOUND")

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

    def evaluation(self, unit_id: int, risk_code: str) -> RiskEvaluation:
        found = self._evaluation_or_none(unit_id, risk_code)
        if found is None:
            raise NotFound("Ce risque n'est pas encore évalué.", code="EVALUATION_NOT_FOUND")
        return found

    def _evaluation_or_none(self, unit_id: int, risk_code: str) -> RiskEvaluation | None:
        return next(
            (e for e in self.evaluations if (e.unit_id, e.risk_code) == (unit_id, risk_code)),
            None,
        )

    @property
    def pending_evaluations(self) -> tuple[tuple[int, str], ...]:
        """ "Évaluations à réaliser": the (unit, risk) pairs not evaluated yet."""
        return tuple(
            (unit.unit_id, code)
            for unit in self.units
            for code in unit.risk_codes
            if self._evaluation_or_none(unit.unit_id, code) is None
        )

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

    def _replace_action(self, action: PreventionAction) -> None:
        self.actions = tuple(action if a.action_id == action.action_id else a for a in self.actions)

    # Published versions ----------------------------------------------------------------------

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
