"""A member's activity summary (synthèse d'activité, seed 004 §2.7): the actions the service
carried out at the member in a calendar year — visits of the workplace, awareness sessions,
studies, help with the risk assessment (actions en milieu de travail, AMT; Code du travail
R4624-1 lists them) —, each with its kind, day and subject, recorded by the service's staff and
corrected or withdrawn when recorded wrongly. The read side shows beside them the visits the
member's employees had that year, counted from their follow-up records (`follow_up_record.py`).

One record per member and year (its id follows from both): a year's summary is read and printed
whole, and stays a few dozen events long. An action stays in the summary of its year. Nothing
here names an employee: the summary is the company's.
"""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.labelled import LabelledEnum
from domain.text import required_text
from domain.visits.follow_up_record import HISTORY_LIMIT

SUMMARY_NAMESPACE = UUID("3b7e9d41-6c2a-5f08-8e1d-4a9c0b2f7e65")
SUBJECT_LIMIT = 200
NOTE_LIMIT = 500
MAX_DURATION_MINUTES = 100 * 60
MAX_PARTICIPANTS = 10_000
ACTION_NOT_FOUND = NotFound(
    "Cette action n'est pas enregistrée dans cette synthèse d'activité.", code="ACTION_NOT_FOUND"
)


class WorkplaceActionKind(LabelledEnum):
    """Kinds of actions en milieu de travail, as the summary groups them."""

    WORKPLACE_VISIT = "workplace_visit", "Visite des lieux de travail"
    AWARENESS_SESSION = "awareness_session", "Action de sensibilisation"
    STUDY = "study", "Étude de poste ou de risque"
    RISK_ASSESSMENT_HELP = "risk_assessment_help", "Aide à l'évaluation des risques (DUERP)"
    OTHER = "other", "Autre action en milieu de travail"


@dataclass(frozen=True, slots=True)
class WorkplaceActionDetails:
    """What the staff types of an action: its kind, day and subject; how long it took and how
    many people took part, when they are worth telling."""

    kind: WorkplaceActionKind
    held_on: date
    subject: str
    duration_minutes: int | None = None
    participants: int | None = None

    def validated(self, today: date) -> "WorkplaceActionDetails":
        if not today - HISTORY_LIMIT <= self.held_on <= today:
            raise InvalidValue(
                "La date de l'action doit se situer au plus tard aujourd'hui"
                f" ({today:%d/%m/%Y}), et moins de 50 ans avant.",
                code="DATE_OUT_OF_RANGE",
                field="held_on",
            )
        _check_within(
            self.duration_minutes,
            MAX_DURATION_MINUTES,
            "duration_minutes",
            "La durée doit être comprise entre 1 minute et 100 heures.",
        )
        _check_within(
            self.participants,
            MAX_PARTICIPANTS,
            "participants",
            "Le nombre de participants doit être compris entre 1 et 10 000.",
        )
        subject = required_text(self.subject, "subject", "L'objet de l'action", SUBJECT_LIMIT)
        return replace(self, subject=subject)


def _check_within(value: int | None, most: int, field: str, message: str) -> None:
    if value is not None and not 1 <= value <= most:
        raise InvalidValue(message, code="OUT_OF_RANGE", field=field)


@dataclass(frozen=True, slots=True)
class WorkplaceAction:
    action_id: int
    """Numbered from 1 in the summary of its year."""
    details: WorkplaceActionDetails


class ActivitySummary(RegistreAggregate):
    member_id: UUID
    year: int
    actions: tuple[WorkplaceAction, ...]
    """In the order of their days."""
    actions_recorded: int

    @staticmethod
    def create_id(member_id: UUID, year: int, **_: Any) -> UUID:
        return uuid5(SUMMARY_NAMESPACE, f"{member_id}/{year}")

    @classmethod
    def open(cls, member_id: UUID, year: int, actor: Actor) -> "ActivitySummary":
        return cls(member_id=member_id, year=year, actor=actor)

    @event("ActivitySummaryOpened")
    def __init__(self, member_id: UUID, year: int, actor: Actor) -> None:
        self.member_id = member_id
        self.year = year
        self.actions = ()
        self.actions_recorded = 0

    @property
    def owning_member(self) -> UUID:
        return self.member_id

    def record_action(self, details: WorkplaceActionDetails, today: date, actor: Actor) -> int:
        validated = self._checked(details, today, None)
        action = WorkplaceAction(self.actions_recorded + 1, validated)
        self._action_recorded(action=action, actor=actor)
        return action.action_id

    @event("WorkplaceActionRecorded")
    def _action_recorded(self, action: WorkplaceAction, actor: Actor) -> None:
        self.actions = _in_order((*self.actions, action))
        self.actions_recorded += 1

    def correct_action(
        self, action_id: int, details: WorkplaceActionDetails, today: date, actor: Actor
    ) -> None:
        """The action was recorded wrongly: this is what took place."""
        validated = self._checked(details, today, action_id)
        if validated == self._action(action_id).details:
            raise RuleViolation(
                "Cette correction ne change rien à l'action.", code="NOTHING_CORRECTED"
            )
        self._action_corrected(action=WorkplaceAction(action_id, validated), actor=actor)

    @event("WorkplaceActionCorrected")
    def _action_corrected(self, action: WorkplaceAction, actor: Actor) -> None:
        others = (a for a in self.actions if a.action_id != action.action_id)
        self.actions = _in_order((*others, action))

    def withdraw_action(self, action_id: int, error_note: str, actor: Actor) -> None:
        """An action recorded by mistake: history keeps it, the summary no longer shows it."""
        self._action(action_id)
        note = required_text(error_note, "error_note", "La raison", NOTE_LIMIT, multiline=True)
        self._action_withdrawn(action_id=action_id, error_note=note, actor=actor)

    @event("WorkplaceActionWithdrawn")
    def _action_withdrawn(self, action_id: int, error_note: str, actor: Actor) -> None:
        self.actions = tuple(a for a in self.actions if a.action_id != action_id)

    def _checked(
        self, details: WorkplaceActionDetails, today: date, action_id: int | None
    ) -> WorkplaceActionDetails:
        """The details validated, in this summary's year, and no other action's twin."""
        if action_id is not None:
            self._action(action_id)
        validated = details.validated(today)
        if validated.held_on.year != self.year:
            raise RuleViolation(
                f"Cette action appartient à la synthèse d'activité {self.year} : pour la dater"
                " d'une autre année, retirez-la, puis enregistrez-la à sa date.",
                code="ACTION_IN_ANOTHER_YEAR",
                field="held_on",
            )
        twin = (validated.kind, validated.held_on, validated.subject.casefold())
        for other in self.actions:
            seen = (other.details.kind, other.details.held_on, other.details.subject.casefold())
            if other.action_id != action_id and seen == twin:
                raise RuleViolation(
                    f"Une action « {validated.kind.label} » du {validated.held_on:%d/%m/%Y}"
                    " sur ce même objet est déjà enregistrée.",
                    code="ACTION_ALREADY_RECORDED",
                )
        return validated

    def _action(self, action_id: int) -> WorkplaceAction:
        for action in self.actions:
            if action.action_id == action_id:
                return action
        raise ACTION_NOT_FOUND.fresh()


def _in_order(actions: tuple[WorkplaceAction, ...]) -> tuple[WorkplaceAction, ...]:
    return tuple(sorted(actions, key=lambda a: (a.details.held_on, a.action_id)))
