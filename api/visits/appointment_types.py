"""GraphQL types of appointments: an appointment as the member's list shows it, a free slot."""

from typing import Self

import strawberry

from api.from_structs import converted, fields_of
from projections.visits import appointment_queries as views


@strawberry.type(description="Rendez-vous d'un salarié avec le service (jour et heure de Paris).")
@fields_of(views.AppointmentView, renamed={"appointment_id": "id"})
class Appointment:
    kind_label: str
    status_label: str

    @classmethod
    def of(cls, view: views.AppointmentView) -> Self:
        return converted(
            cls,
            view,
            id=view.appointment_id,
            kind_label=view.kind.label,
            status_label=view.status.label,
        )


@strawberry.type(description="Créneau libre d'un professionnel dans un centre.")
@fields_of(views.SlotView, renamed={"slot_id": "id"}, left_out=("appointment_id",))
class FreeSlot:
    @classmethod
    def of(cls, view: views.SlotView) -> Self:
        return converted(cls, view, id=view.slot_id)
