"""The Appointment aggregate (convocation): a visit a member asks for one of its employees, booked
by the service's staff into a professional's slot, then moved, cancelled, attended or missed.

Booking, moving and cancelling change the professional's `Availability` of the day in the same
decision, so that a booked appointment always holds its slot and a slot is never held twice
(the two are saved together; see `domain.visits.availability`).

The reason and the constraints a member writes may tell of the employee's health, as may the
reason staff give for a cancellation: they are sealed as health data.
"""

from datetime import date, timedelta
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.labelled import LabelledEnum
from domain.money import Money
from domain.personal_data import DataCategory, PersonalData
from domain.text import optional_text, required_text
from domain.visits.availability import Availability, Slot
from domain.visits.business_days import BusinessCalendar, long_french_date
from domain.visits.kinds import VisitKind

TEXT_LIMIT = 500
PREFERRED_HORIZON = timedelta(days=366)
"""How far ahead a preferred period may end, from the day of the request."""


class Requester(LabelledEnum):
    """Who asks for the visit: the employer, or, for a pre-return visit, someone else."""

    EMPLOYER = "employer", "Employeur"
    EMPLOYEE = "employee", "Salarié"
    ATTENDING_DOCTOR = "attending_doctor", "Médecin traitant"
    MEDICAL_ADVISER = "medical_adviser", "Médecin conseil de l'assurance maladie"
    OCCUPATIONAL_DOCTOR = "occupational_doctor", "Médecin du travail"


class AppointmentStatus(LabelledEnum):
    REQUESTED = "requested", "Demandé"
    BOOKED = "booked", "Programmé"
    CANCELLED = "cancelled", "Annulé"
    ATTENDED = "attended", "Honoré"
    MISSED = "missed", "Manqué"


_WHY_NOT = {
    AppointmentStatus.REQUESTED: "il n'est pas encore programmé",
    AppointmentStatus.BOOKED: "il est déjà programmé (déplacez-le si besoin)",
    AppointmentStatus.CANCELLED: "il est annulé",
    AppointmentStatus.ATTENDED: "il a déjà eu lieu",
    AppointmentStatus.MISSED: "il a été noté comme manqué",
}
OPEN = frozenset({AppointmentStatus.REQUESTED, AppointmentStatus.BOOKED})
PRE_RETURN_BY_EMPLOYER = RuleViolation(
    "L'employeur ne peut pas demander une visite de pré-reprise (articles L4624-2-4 et R4624-29"
    " du Code du travail) : elle est demandée par le salarié, son médecin traitant, le médecin"
    " conseil de l'assurance maladie ou le médecin du travail.",
    code="PRE_RETURN_NOT_BY_EMPLOYER",
    field="kind",
)


class Appointment(RegistreAggregate):
    personal_data: ClassVar[PersonalData] = {
        "reason": DataCategory.HEALTH,
        "constraints": DataCategory.HEALTH,
        "cancellation_reason": DataCategory.HEALTH,
    }

    member_id: UUID
    employee_id: UUID
    kind: VisitKind
    requested_by: Requester
    reason: str | None
    """None once the health key is erased."""
    constraints: str | None
    preferred_from: date
    preferred_to: date
    requested_on: date
    status: AppointmentStatus
    slot: Slot | None
    """The slot booked, kept after the appointment took place or was missed."""

    @classmethod
    def request(
        cls,
        *,
        member_id: UUID,
        employee_id: UUID,
        kind: VisitKind,
        requested_by: Requester,
        reason: str,
        constraints: str | None,
        preferred_from: date,
        preferred_to: date,
        requested_on: date,
        actor: Actor,
    ) -> "Appointment":
        if kind is VisitKind.PRE_RETURN and requested_by is Requester.EMPLOYER:
            raise PRE_RETURN_BY_EMPLOYER.fresh()
        _check_preferred_period(preferred_from, preferred_to, requested_on)
        return cls(
            member_id=member_id,
            employee_id=employee_id,
            kind=kind,
            requested_by=requested_by,
            reason=required_text(
                reason, "reason", "Le motif de la demande", TEXT_LIMIT, multiline=True
            ),
            constraints=optional_text(
                constraints, "constraints", "Les contraintes", TEXT_LIMIT, multiline=True
            ),
            preferred_from=preferred_from,
            preferred_to=preferred_to,
            requested_on=requested_on,
            actor=actor,
        )

    @event("AppointmentRequested")
    def __init__(
        self,
        *,
        member_id: UUID,
        employee_id: UUID,
        kind: VisitKind,
        requested_by: Requester,
        reason: str | None,
        constraints: str | None,
        preferred_from: date,
        preferred_to: date,
        requested_on: date,
        actor: Actor,
    ) -> None:
        self.member_id = member_id
        self.employee_id = employee_id
        self.kind = kind
        self.requested_by = requested_by
        self.reason = reason
        self.constraints = constraints
        self.preferred_from = preferred_from
        self.preferred_to = preferred_to
        self.requested_on = requested_on
        self.status = AppointmentStatus.REQUESTED
        self.slot = None

    @property
    def owning_member(self) -> UUID:
        return self.member_id

    # Booking ----------------------------------------------------------------------------------

    def book(self, availability: Availability, slot_id: UUID, actor: Actor) -> None:
        """Staff book the request into a free slot of `availability` (a convocation follows)."""
        self._require(frozenset({AppointmentStatus.REQUESTED}), "de programmer")
        slot = availability.hold(slot_id, self.id, actor)
        self._booked(slot=slot, actor=actor)

    @event("AppointmentBooked")
    def _booked(self, slot: Slot, actor: Actor) -> None:
        self.slot = slot
        self.status = AppointmentStatus.BOOKED

    def reschedule(
        self, current: Availability, target: Availability, slot_id: UUID, actor: Actor
    ) -> None:
        """Staff move the appointment from its slot (held in `current`) to a free slot of
        `target`; the same object when both slots are of one professional on one day."""
        self._require(frozenset({AppointmentStatus.BOOKED}), "de déplacer")
        previous = self._booked_slot()
        self._check_holds(current)
        if current.id == target.id and current is not target:
            raise ValueError("one professional's day is one object: pass it twice")
        if slot_id == previous.id:
            raise RuleViolation("Le rendez-vous est déjà sur ce créneau.", code="SAME_SLOT")
        target.check_free(slot_id)
        current.free(previous.id, self.id, actor)
        slot = target.hold(slot_id, self.id, actor)
        self._rescheduled(slot=slot, previous=previous, actor=actor)

    @event("AppointmentRescheduled")
    def _rescheduled(self, slot: Slot, previous: Slot, actor: Actor) -> None:
        self.slot = slot

    # Cancelling -------------------------------------------------------------------------------

    def cancel_by_member(
        self,
        asked_on: date,
        notice_days: int,
        calendar: BusinessCalendar,
        availability: Availability | None,
        actor: Actor,
    ) -> None:
        """The member cancels: a request not yet booked at any time, a booked appointment only
        while `notice_days` business days lie strictly between `asked_on` and its day
        (RULES.md §5 bis)."""
        self._require(OPEN, "d'annuler")
        last_day = None
        if self.slot is not None:
            last_day = calendar.last_cancellation_day(self.slot.day, notice_days)
            if asked_on > last_day:
                days = "jour ouvré" if notice_days == 1 else "jours ouvrés"
                raise RuleViolation(
                    f"Le rendez-vous du {long_french_date(self.slot.day)} ne peut plus être"
                    f" annulé en ligne : l'annulation se demande {notice_days} {days} à"
                    f" l'avance, au plus tard le {long_french_date(last_day)}. Contactez le"
                    " service.",
                    code="CANCELLATION_TOO_LATE",
                )
        freed = self._free_slot(availability, actor)
        self._cancelled_by_member(asked_on=asked_on, last_day=last_day, freed=freed, actor=actor)

    @event("AppointmentCancelledByMember")
    def _cancelled_by_member(
        self, asked_on: date, last_day: date | None, freed: Slot | None, actor: Actor
    ) -> None:
        self.status = AppointmentStatus.CANCELLED

    def cancel_by_staff(self, reason: str, availability: Availability | None, actor: Actor) -> None:
        self._require(OPEN, "d'annuler")
        reason = required_text(
            reason, "reason", "Le motif de l'annulation", TEXT_LIMIT, multiline=True
        )
        freed = self._free_slot(availability, actor)
        self._cancelled_by_staff(cancellation_reason=reason, freed=freed, actor=actor)

    @event("AppointmentCancelledByStaff")
    def _cancelled_by_staff(
        self, cancellation_reason: str | None, freed: Slot | None, actor: Actor
    ) -> None:
        self.status = AppointmentStatus.CANCELLED

    # After the day ----------------------------------------------------------------------------

    def record_attendance(self, recorded_on: date, actor: Actor) -> None:
        self._require(frozenset({AppointmentStatus.BOOKED}), "de noter la présence à")
        self._check_day_come(recorded_on, "La présence")
        self._attended(recorded_on=recorded_on, actor=actor)

    @event("AppointmentAttended")
    def _attended(self, recorded_on: date, actor: Actor) -> None:
        self.status = AppointmentStatus.ATTENDED

    def record_no_show(
        self,
        recorded_on: date,
        late_cancellation_asked_on: date | None,
        fee: Money | None,
        actor: Actor,
    ) -> None:
        """Staff record that the employee did not come, and whether a cancellation had been
        asked too late (by telephone, by mail…). `fee` is what the service's settings bill the
        employer for it now (`VisitSettings.no_show_fee_due`), never the employee."""
        self._require(frozenset({AppointmentStatus.BOOKED}), "de noter l'absence à")
        day = self._check_day_come(recorded_on, "L'absence")
        asked = late_cancellation_asked_on
        if asked is not None and not self.requested_on <= asked <= day:
            raise InvalidValue(
                "Une annulation tardive est demandée entre la demande de rendez-vous et le jour du"
                " rendez-vous.",
                code="INVALID_LATE_CANCELLATION",
                field="late_cancellation_asked_on",
            )
        self._missed(
            recorded_on=recorded_on,
            late_cancellation_asked_on=late_cancellation_asked_on,
            fee=fee,
            actor=actor,
        )

    @event("AppointmentMissed")
    def _missed(
        self,
        recorded_on: date,
        late_cancellation_asked_on: date | None,
        fee: Money | None,
        actor: Actor,
    ) -> None:
        self.status = AppointmentStatus.MISSED

    # Checks -----------------------------------------------------------------------------------

    def _require(self, allowed: frozenset[AppointmentStatus], action: str) -> None:
        if self.status not in allowed:
            raise RuleViolation(
                f"Impossible {action} ce rendez-vous : {_WHY_NOT[self.status]}.",
                code=f"APPOINTMENT_{self.status.name}",
            )

    def _booked_slot(self) -> Slot:
        if self.slot is None:
            raise ValueError("a booked appointment has its slot")
        return self.slot

    def _check_holds(self, availability: Availability | None) -> Availability:
        slot = self._booked_slot()
        if availability is None or availability.id != Availability.id_of(
            slot.professional_id, slot.day
        ):
            raise ValueError("the availability of the appointment's slot is needed")
        return availability

    def _free_slot(self, availability: Availability | None, actor: Actor) -> Slot | None:
        """The booked slot, freed in its availability; None when nothing was booked."""
        if self.slot is None:
            return None
        self._check_holds(availability).free(self.slot.id, self.id, actor)
        return self.slot

    def _check_day_come(self, recorded_on: date, what: str) -> date:
        day = self._booked_slot().day
        if recorded_on < day:
            raise RuleViolation(
                f"{what} ne se note qu'à partir du jour du rendez-vous, le"
                f" {long_french_date(day)}.",
                code="APPOINTMENT_NOT_YET",
            )
        return day


def _check_preferred_period(preferred_from: date, preferred_to: date, requested_on: date) -> None:
    for wrong, why in (
        (preferred_to < preferred_from, "se termine avant de commencer"),
        (preferred_to < requested_on, "est déjà passée"),
        (
            preferred_from < requested_on - PREFERRED_HORIZON,
            "commence plus d'un an avant la demande",
        ),
        (
            preferred_to > requested_on + PREFERRED_HORIZON,
            "se termine plus d'un an après la demande",
        ),
    ):
        if wrong:
            raise InvalidValue(
                f"La période souhaitée {why}.",
                code="INVALID_PREFERRED_PERIOD",
                field="preferred_to",
            )
