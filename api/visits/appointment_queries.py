"""Queries of appointments: a member's (every user of the member reads them; seed 004 "Mes
rendez-vous à venir"), and the free slots the service books into."""

from datetime import date, timedelta
from uuid import UUID

import strawberry

from api.authorization import Rule, Scope, query
from api.context import GraphQLInfo
from api.rules import SERVICE
from api.threads import blocking
from api.visits.appointment_types import Appointment, FreeSlot
from domain.accounts.access import Right
from domain.calendar import moved
from projections.visits.appointment_queries import AppointmentQueries

READS_APPOINTMENTS = Rule(Right.READ_APPOINTMENTS, scope=Scope(member="member_id"))
MAX_SLOT_RANGE = timedelta(days=92)


@strawberry.type
class AppointmentListQueries:
    @query(
        "Les rendez-vous d'un adhérent ; par défaut ceux à venir (demandés, ou programmés"
        " aujourd'hui ou plus tard).",
        READS_APPOINTMENTS,
    )
    async def appointments(
        self, info: GraphQLInfo, member_id: UUID, upcoming_only: bool = True
    ) -> list[Appointment]:
        services = info.context.services
        since = services.clock.today() if upcoming_only else None
        views = await blocking(
            lambda: services.read(AppointmentQueries).of_member(member_id, since)
        )
        return [Appointment.of(view) for view in views]

    @query("Les créneaux libres entre deux jours (trois mois au plus), pour le service.", SERVICE)
    async def free_slots(
        self,
        info: GraphQLInfo,
        first_day: date,
        last_day: date,
        centre_id: UUID | None = None,
        professional_id: UUID | None = None,
    ) -> list[FreeSlot]:
        last_day = min(last_day, moved(first_day, MAX_SLOT_RANGE))
        queries = info.context.services.read(AppointmentQueries)
        views = await blocking(
            lambda: queries.free_slots(first_day, last_day, centre_id, professional_id)
        )
        return [FreeSlot.of(view) for view in views]
