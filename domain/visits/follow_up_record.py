"""An employee's follow-up record: the visits that took place (recorded by the service, or
imported) and the absences the employer declared, with their returns. What the due-visit rule
reads besides the workforce (`domain.visits.due`). No medical content: the kind of visit, its
day, who held it and the document the employer received — the portal is not the medical file.

One record per employee (its id follows from the employee's), so that two absences never
overlap and a withdrawal names what it withdraws, under optimistic concurrency.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.labelled import LabelledEnum
from domain.personal_data import DataCategory, PersonalData
from domain.text import optional_text, required_text
from domain.visits.follow_up_file import Absence, AbsenceKind, HeldVisit
from domain.visits.kinds import ProfessionalRole, VisitKind

RECORD_NAMESPACE = UUID("8e2c4a6b-0d1f-5e3a-9b7c-5d6e7f8a9b0c")
NOTE_LIMIT = 500
HISTORY_LIMIT = timedelta(days=366 * 50)
"""A visit or an absence is dated within a working life before the day it is recorded."""
AHEAD_LIMIT = timedelta(days=366)
"""An absence, or its return, is declared at most a year ahead."""


class VisitDocument(LabelledEnum):
    """What the employer receives after the visit (R4624-14, R4624-25)."""

    FOLLOW_UP_CERTIFICATE = "follow_up_certificate", "Attestation de suivi"
    APTITUDE_NOTICE = "aptitude_notice", "Avis d'aptitude"
    UNFITNESS_NOTICE = "unfitness_notice", "Avis d'inaptitude"
    NONE = "none", "Aucun document"


@dataclass(frozen=True, slots=True)
class RecordedVisit:
    visit_id: int
    kind: VisitKind
    held_on: date
    professional_id: UUID
    role: ProfessionalRole
    document: VisitDocument

    @property
    def held(self) -> HeldVisit:
        return HeldVisit(self.kind, self.held_on, self.role)


@dataclass(frozen=True, slots=True)
class DeclaredAbsence:
    absence_id: int
    kind: AbsenceKind
    first_day: date
    returned_on: date | None = None

    @property
    def absence(self) -> Absence:
        return Absence(self.kind, self.first_day, self.returned_on)


def _check_day(day: date, today: date, field: str, *, ahead: bool) -> None:
    latest = today + AHEAD_LIMIT if ahead else today
    if not today - HISTORY_LIMIT <= day <= latest:
        when = "dans l'année à venir au plus tard" if ahead else "au plus tard aujourd'hui"
        raise InvalidValue(
            f"Cette date n'est pas plausible : elle doit se situer {when}"
            f" ({today:%d/%m/%Y}), et moins de 50 ans avant.",
            code="DATE_OUT_OF_RANGE",
            field=field,
        )


class FollowUpRecord(RegistreAggregate):
    personal_data: ClassVar[PersonalData] = {
        "absence": DataCategory.HEALTH,
        "absences": DataCategory.HEALTH,
        "convocation_constraints": DataCategory.HEALTH,
        "comment": DataCategory.HEALTH,
    }
    """Why a worker was away (maternity, occupational disease…) is health data; so may be what
    the employer writes of the worker's convocations (a treatment in the morning…)."""

    member_id: UUID
    employee_id: UUID
    visits: tuple[RecordedVisit, ...]
    absences: tuple[DeclaredAbsence, ...]
    visits_recorded: int
    absences_declared: int
    convocation_constraints: str | None
    """What the employer asks of the worker's convocations (seed 004 §2.3)."""
    comment: str | None

    @staticmethod
    def create_id(employee_id: UUID, **_: Any) -> UUID:
        return uuid5(RECORD_NAMESPACE, str(employee_id))

    @classmethod
    def open(cls, member_id: UUID, employee_id: UUID, actor: Actor) -> "FollowUpRecord":
        return cls(member_id=member_id, employee_id=employee_id, actor=actor)

    @event("FollowUpRecordOpened")
    def __init__(self, member_id: UUID, employee_id: UUID, actor: Actor) -> None:
        self.member_id = member_id
        self.employee_id = employee_id
        self.visits = ()
        self.absences = ()
        self.visits_recorded = 0
        self.absences_declared = 0
        self.convocation_constraints = None
        self.comment = None

    @property
    def owning_member(self) -> UUID:
        return self.member_id

    # Visits -----------------------------------------------------------------------------------

    def record_visit(
        self,
        *,
        kind: VisitKind,
        held_on: date,
        professional_id: UUID,
        role: ProfessionalRole,
        document: VisitDocument,
        today: date,
        actor: Actor,
    ) -> int:
        _check_day(held_on, today, "held_on", ahead=False)
        visit = RecordedVisit(
            self.visits_recorded + 1, kind, held_on, professional_id, role, document
        )
        if any((v.kind, v.held_on) == (kind, held_on) for v in self.visits):
            raise RuleViolation(
                f"Une {kind.label.lower()} du {held_on:%d/%m/%Y} est déjà enregistrée.",
                code="VISIT_ALREADY_RECORDED",
            )
        self._visit_recorded(visit=visit, actor=actor)
        return visit.visit_id

    @event("VisitRecorded")
    def _visit_recorded(self, visit: RecordedVisit, actor: Actor) -> None:
        self.visits = tuple(sorted((*self.visits, visit), key=lambda v: v.held_on))
        self.visits_recorded += 1

    def withdraw_visit(self, visit_id: int, error_note: str, actor: Actor) -> None:
        """A visit recorded by mistake: history keeps it, the rules no longer count it."""
        if all(v.visit_id != visit_id for v in self.visits):
            raise NotFound("Cette visite n'est pas enregistrée.", code="VISIT_NOT_FOUND")
        note = required_text(error_note, "error_note", "La raison", NOTE_LIMIT, multiline=True)
        self._visit_withdrawn(visit_id=visit_id, error_note=note, actor=actor)

    @event("VisitWithdrawn")
    def _visit_withdrawn(self, visit_id: int, error_note: str, actor: Actor) -> None:
        self.visits = tuple(v for v in self.visits if v.visit_id != visit_id)

    # Absences ---------------------------------------------------------------------------------

    def declare_absence(
        self,
        *,
        kind: AbsenceKind,
        first_day: date,
        returned_on: date | None,
        today: date,
        actor: Actor,
    ) -> int:
        _check_day(first_day, today, "first_day", ahead=True)
        if returned_on is not None:
            _check_day(returned_on, today, "returned_on", ahead=True)
        declared = DeclaredAbsence(self.absences_declared + 1, kind, first_day, returned_on)
        declared.absence  # noqa: B018 - refuses a return on or before the first day
        self._check_no_overlap(declared)
        self._absence_declared(absence=declared, actor=actor)
        return declared.absence_id

    @event("AbsenceDeclared")
    def _absence_declared(self, absence: DeclaredAbsence, actor: Actor) -> None:
        self.absences = tuple(sorted((*self.absences, absence), key=lambda a: a.first_day))
        self.absences_declared += 1

    def declare_return(self, absence_id: int, returned_on: date, today: date, actor: Actor) -> None:
        """The day the worker comes back: a return-to-work visit may then be due (R4624-31)."""
        absence = self._absence(absence_id)
        _check_day(returned_on, today, "returned_on", ahead=True)
        changed = replace(absence, returned_on=returned_on)
        changed.absence  # noqa: B018 - refuses a return on or before the first day
        self._check_no_overlap(changed)
        self._return_declared(absence_id=absence_id, returned_on=returned_on, actor=actor)

    @event("ReturnDeclared")
    def _return_declared(self, absence_id: int, returned_on: date, actor: Actor) -> None:
        self.absences = tuple(
            replace(a, returned_on=returned_on) if a.absence_id == absence_id else a
            for a in self.absences
        )

    # The employee form's notes (seed 004 §2.3) ------------------------------------------------

    def change_convocation_notes(
        self, convocation_constraints: str | None, comment: str | None, actor: Actor
    ) -> None:
        constraints = optional_text(
            convocation_constraints,
            "convocation_constraints",
            "Les contraintes de convocation",
            NOTE_LIMIT,
            multiline=True,
        )
        said = optional_text(comment, "comment", "Le commentaire", NOTE_LIMIT, multiline=True)
        if (constraints, said) == (self.convocation_constraints, self.comment):
            raise RuleViolation("Ces notes sont déjà celles du salarié.", code="NOTHING_CHANGED")
        self._convocation_notes_changed(
            convocation_constraints=constraints, comment=said, actor=actor
        )

    @event("ConvocationNotesChanged")
    def _convocation_notes_changed(
        self, convocation_constraints: str | None, comment: str | None, actor: Actor
    ) -> None:
        self.convocation_constraints = convocation_constraints
        self.comment = comment

    def withdraw_absence(self, absence_id: int, error_note: str, actor: Actor) -> None:
        self._absence(absence_id)
        note = required_text(error_note, "error_note", "La raison", NOTE_LIMIT, multiline=True)
        self._absence_withdrawn(absence_id=absence_id, error_note=note, actor=actor)

    @event("AbsenceWithdrawn")
    def _absence_withdrawn(self, absence_id: int, error_note: str, actor: Actor) -> None:
        self.absences = tuple(a for a in self.absences if a.absence_id != absence_id)

    def _absence(self, absence_id: int) -> DeclaredAbsence:
        for absence in self.absences:
            if absence.absence_id == absence_id:
                return absence
        raise NotFound("Cette absence n'est pas déclarée.", code="ABSENCE_NOT_FOUND")

    def _check_no_overlap(self, declared: DeclaredAbsence) -> None:
        for other in self.absences:
            if other.absence_id == declared.absence_id:
                continue
            starts_before = other.first_day <= declared.first_day
            earlier, later = (other, declared) if starts_before else (declared, other)
            if earlier.returned_on is None or earlier.returned_on > later.first_day:
                raise RuleViolation(
                    f"Cette absence chevauche celle déclarée à partir du"
                    f" {other.first_day:%d/%m/%Y}.",
                    code="ABSENCE_OVERLAP",
                )
