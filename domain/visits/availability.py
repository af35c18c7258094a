"""A health professional's availability on one day: the slots the service's staff publish, at
one visit centre or another, and the appointment that holds each.

One aggregate per (professional, day) holds every slot of that day, so that a booking saves the
appointment and this aggregate together: of two concurrent bookings of one slot, both load the
same version of the day and the event store refuses the second to save it (optimistic
concurrency), which is decided again and finds the slot taken. The same aggregate keeps a
professional's slots from overlapping, whichever centre each is at.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import RegistreAggregate
from domain.calendar import PARIS
from domain.errors import InvalidValue, NotFound, RuleViolation

AVAILABILITY_NAMESPACE = UUID("2f6b8d4e-1c3a-5b7d-9e0f-4a6c8e0b2d4f")
MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240


@dataclass(frozen=True, slots=True)
class Slot:
    """A time a professional receives at a visit centre: what a booked appointment copies."""

    id: UUID
    centre_id: UUID
    professional_id: UUID
    day: date
    starts_at: time
    minutes: int

    @property
    def ends_at(self) -> time:
        return (datetime.combine(self.day, self.starts_at) + timedelta(minutes=self.minutes)).time()

    def overlaps(self, other: "Slot") -> bool:
        start, other_start = _minute(self.starts_at), _minute(other.starts_at)
        return start < other_start + other.minutes and other_start < start + self.minutes

    def describe(self) -> str:
        return f"le {self.day:%d/%m/%Y} de {self.starts_at:%H:%M} à {self.ends_at:%H:%M}"


@dataclass(frozen=True, slots=True)
class Booking:
    slot_id: UUID
    appointment_id: UUID


class Availability(RegistreAggregate):
    professional_id: UUID
    day: date
    slots: tuple[Slot, ...]
    bookings: tuple[Booking, ...]

    @staticmethod
    def create_id(professional_id: UUID, day: date, **_: Any) -> UUID:
        return Availability.id_of(professional_id, day)

    @staticmethod
    def id_of(professional_id: UUID, day: date) -> UUID:
        return uuid5(AVAILABILITY_NAMESPACE, f"{professional_id}/{day.isoformat()}")

    @classmethod
    def open(cls, professional_id: UUID, day: date, actor: Actor) -> "Availability":
        return cls(professional_id=professional_id, day=day, actor=actor)

    @event("AvailabilityOpened")
    def __init__(self, professional_id: UUID, day: date, actor: Actor) -> None:
        self.professional_id = professional_id
        self.day = day
        self.slots = ()
        self.bookings = ()

    # Publishing -------------------------------------------------------------------------------

    def publish(self, centre_id: UUID, starts_at: time, minutes: int, actor: Actor) -> Slot:
        """A new slot of `minutes` from `starts_at`, at `centre_id`. Its id is derived from the
        professional, the day and the time, which no two slots held at once can share."""
        if starts_at.second or starts_at.microsecond or starts_at.tzinfo is not None:
            raise InvalidValue(
                "Un créneau commence à une heure et une minute, heure de Paris.",
                code="INVALID_SLOT_START",
                field="starts_at",
            )
        if not _exists_in_paris(self.day, starts_at):
            raise InvalidValue(
                f"{starts_at:%H:%M} n'existe pas le {self.day:%d/%m/%Y} à Paris : les horloges"
                " passent de 2 h à 3 h (heure d'été).",
                code="INVALID_SLOT_START",
                field="starts_at",
            )
        if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
            raise InvalidValue(
                f"Un créneau dure de {MIN_SLOT_MINUTES} à {MAX_SLOT_MINUTES} minutes.",
                code="INVALID_SLOT_DURATION",
                field="minutes",
            )
        if _minute(starts_at) + minutes > 24 * 60:
            raise InvalidValue(
                "Un créneau se termine le jour où il commence, à minuit au plus tard.",
                code="INVALID_SLOT_DURATION",
                field="minutes",
            )
        slot = Slot(
            id=uuid5(self.id, starts_at.isoformat()),
            centre_id=centre_id,
            professional_id=self.professional_id,
            day=self.day,
            starts_at=starts_at,
            minutes=minutes,
        )
        clash = next((other for other in self.slots if other.overlaps(slot)), None)
        if clash is not None:
            raise RuleViolation(
                f"Ce créneau chevauche celui du même professionnel {clash.describe()}.",
                code="SLOT_OVERLAP",
            )
        self._slot_published(slot=slot, actor=actor)
        return slot

    @event("SlotPublished")
    def _slot_published(self, slot: Slot, actor: Actor) -> None:
        self.slots = tuple(sorted((*self.slots, slot), key=lambda s: s.starts_at))

    def withdraw(self, slot_id: UUID, actor: Actor) -> None:
        slot = self.slot(slot_id)
        if self.holder_of(slot_id) is not None:
            raise RuleViolation(
                f"Le créneau {slot.describe()} est réservé : annulez ou déplacez d'abord le"
                " rendez-vous qui l'occupe.",
                code="SLOT_BOOKED",
            )
        self._slot_withdrawn(slot_id=slot_id, actor=actor)

    @event("SlotWithdrawn")
    def _slot_withdrawn(self, slot_id: UUID, actor: Actor) -> None:
        self.slots = tuple(slot for slot in self.slots if slot.id != slot_id)

    # Bookings ---------------------------------------------------------------------------------

    def slot(self, slot_id: UUID) -> Slot:
        found = next((slot for slot in self.slots if slot.id == slot_id), None)
        if found is None:
            raise NotFound("Ce créneau n'existe pas ou a été retiré.", code="SLOT_NOT_FOUND")
        return found

    def holder_of(self, slot_id: UUID) -> UUID | None:
        """The appointment booked into the slot, if any."""
        return next((b.appointment_id for b in self.bookings if b.slot_id == slot_id), None)

    @property
    def free_slots(self) -> tuple[Slot, ...]:
        return tuple(slot for slot in self.slots if self.holder_of(slot.id) is None)

    def check_free(self, slot_id: UUID) -> Slot:
        """The slot, refused when it is missing or another appointment holds it."""
        slot = self.slot(slot_id)
        if self.holder_of(slot_id) is not None:
            raise RuleViolation(
                f"Le créneau {slot.describe()} vient d'être réservé pour un autre rendez-vous :"
                " choisissez-en un autre.",
                code="SLOT_TAKEN",
            )
        return slot

    def hold(self, slot_id: UUID, appointment_id: UUID, actor: Actor) -> Slot:
        slot = self.check_free(slot_id)
        self._slot_booked(booking=Booking(slot_id, appointment_id), actor=actor)
        return slot

    @event("SlotBooked")
    def _slot_booked(self, booking: Booking, actor: Actor) -> None:
        self.bookings = (*self.bookings, booking)

    def free(self, slot_id: UUID, appointment_id: UUID, actor: Actor) -> None:
        """The slot is free again (the appointment holding it was cancelled or moved)."""
        if self.holder_of(slot_id) != appointment_id:
            raise RuleViolation(
                "Ce créneau n'est pas réservé pour ce rendez-vous.", code="SLOT_NOT_HELD"
            )
        self._slot_freed(booking=Booking(slot_id, appointment_id), actor=actor)

    @event("SlotFreed")
    def _slot_freed(self, booking: Booking, actor: Actor) -> None:
        self.bookings = tuple(b for b in self.bookings if b != booking)


def _exists_in_paris(day: date, moment: time) -> bool:
    """Whether the wall-clock time is one Paris lives (not one skipped at the change to
    summer time)."""
    local = datetime.combine(day, moment, tzinfo=PARIS)
    return local.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


def _minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute
