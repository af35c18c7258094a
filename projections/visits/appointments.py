"""APPOINTMENTS read model: each appointment as it stands (never its reason nor constraints,
which are health data) and the service's slots with the appointment holding each.

Days are day ordinals, start times minutes after midnight (Paris time).
"""

from collections.abc import Sequence

from domain.visits.appointment import Appointment, AppointmentStatus
from domain.visits.availability import Availability, Slot
from projections.model import Envelope, ReadModel
from projections.store import Tx
from projections.timeline import day

APPOINTMENT_COLUMNS = (
    "appointment_id",
    "member_id",
    "employee_id",
    "kind",
    "requested_by",
    "status",
    "requested_on",
    "preferred_from",
    "preferred_to",
    "slot_id",
    "professional_id",
    "centre_id",
    "on_day",
    "starts_at",
    "minutes",
)
SLOT_COLUMNS = (
    "slot_id",
    "professional_id",
    "centre_id",
    "on_day",
    "starts_at",
    "minutes",
    "appointment_id",
)
ENDED = {
    "AppointmentCancelledByMember": AppointmentStatus.CANCELLED,
    "AppointmentCancelledByStaff": AppointmentStatus.CANCELLED,
    "AppointmentAttended": AppointmentStatus.ATTENDED,
    "AppointmentMissed": AppointmentStatus.MISSED,
}


class Appointments(ReadModel):
    name = "appointments"
    reads = (Appointment.Event, Availability.Event)
    tables = ("appointments", "slots")

    def create(self, tx: Tx) -> None:
        appointments, slots = self.table("appointments"), self.table("slots")
        tx.execute(
            f"CREATE TABLE {appointments} (appointment_id TEXT PRIMARY KEY,"
            " member_id TEXT NOT NULL, employee_id TEXT NOT NULL, kind TEXT NOT NULL,"
            " requested_by TEXT NOT NULL, status TEXT NOT NULL, requested_on INTEGER NOT NULL,"
            " preferred_from INTEGER NOT NULL, preferred_to INTEGER NOT NULL, slot_id TEXT,"
            " professional_id TEXT, centre_id TEXT, on_day INTEGER, starts_at INTEGER,"
            " minutes INTEGER)"
        )
        tx.execute(f"CREATE INDEX {appointments}_member ON {appointments} (member_id, on_day)")
        tx.execute(
            f"CREATE TABLE {slots} (slot_id TEXT PRIMARY KEY, professional_id TEXT NOT NULL,"
            " centre_id TEXT NOT NULL, on_day INTEGER NOT NULL, starts_at INTEGER NOT NULL,"
            " minutes INTEGER NOT NULL, appointment_id TEXT)"
        )
        tx.execute(f"CREATE INDEX {slots}_day ON {slots} (on_day, centre_id, professional_id)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        for envelope in envelopes:
            event = envelope.event
            if isinstance(event, Appointment.Event):
                self._appointment(tx, envelope)
            elif isinstance(event, Availability.Event):
                self._slot(tx, envelope)

    def _appointment(self, tx: Tx, envelope: Envelope) -> None:
        event, name, table = envelope.event, envelope.event_name, self.table("appointments")
        appointment_id = str(event.originator_id)
        if name == "AppointmentRequested":
            row = (
                appointment_id,
                str(event.member_id),
                str(event.employee_id),
                event.kind.value,
                event.requested_by.value,
                AppointmentStatus.REQUESTED.value,
                day(event.requested_on),
                day(event.preferred_from),
                day(event.preferred_to),
                *(None,) * 6,
            )
            tx.insert_rows(table, APPOINTMENT_COLUMNS, [row])
        elif name in {"AppointmentBooked", "AppointmentRescheduled"}:
            tx.execute(
                f"UPDATE {table} SET status = ?, slot_id = ?, professional_id = ?, centre_id = ?,"
                " on_day = ?, starts_at = ?, minutes = ? WHERE appointment_id = ?",
                (AppointmentStatus.BOOKED.value, *_slot_values(event.slot), appointment_id),
            )
        elif name in ENDED:
            tx.execute(
                f"UPDATE {table} SET status = ? WHERE appointment_id = ?",
                (ENDED[name].value, appointment_id),
            )

    def _slot(self, tx: Tx, envelope: Envelope) -> None:
        event, name, table = envelope.event, envelope.event_name, self.table("slots")
        if name == "SlotPublished":
            row = (*_slot_values(event.slot), None)
            tx.insert_rows(table, SLOT_COLUMNS, [row])
        elif name == "SlotWithdrawn":
            tx.execute(f"DELETE FROM {table} WHERE slot_id = ?", (str(event.slot_id),))
        elif name in {"SlotBooked", "SlotFreed"}:
            holder = str(event.booking.appointment_id) if name == "SlotBooked" else None
            tx.execute(
                f"UPDATE {table} SET appointment_id = ? WHERE slot_id = ?",
                (holder, str(event.booking.slot_id)),
            )


def _slot_values(slot: Slot) -> tuple[str, str, str, int, int, int]:
    return (
        str(slot.id),
        str(slot.professional_id),
        str(slot.centre_id),
        day(slot.day),
        slot.starts_at.hour * 60 + slot.starts_at.minute,
        slot.minutes,
    )
