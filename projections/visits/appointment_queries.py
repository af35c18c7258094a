"""Queries of the APPOINTMENTS read model: a member's appointments (upcoming ones first of all,
seed 004 "Mes rendez-vous à venir"), one appointment, and the free slots staff book into."""

from datetime import date, time
from uuid import UUID

import msgspec

from domain.visits.appointment import AppointmentStatus, Requester
from domain.visits.kinds import VisitKind
from projections.model import Queries
from projections.rows import optional, struct_of
from projections.timeline import day
from projections.visits.appointments import APPOINTMENT_COLUMNS, SLOT_COLUMNS

OPEN = (AppointmentStatus.REQUESTED.value, AppointmentStatus.BOOKED.value)


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


class AppointmentView(msgspec.Struct, frozen=True, kw_only=True):
    appointment_id: UUID
    member_id: UUID
    employee_id: UUID
    kind: VisitKind
    requested_by: Requester
    status: AppointmentStatus
    requested_on: date
    preferred_from: date
    preferred_to: date
    slot_id: UUID | None
    professional_id: UUID | None
    centre_id: UUID | None
    on_day: date | None
    starts_at: time | None
    minutes: int | None


class SlotView(msgspec.Struct, frozen=True, kw_only=True):
    slot_id: UUID
    professional_id: UUID
    centre_id: UUID
    on_day: date
    starts_at: time
    minutes: int
    appointment_id: UUID | None


class AppointmentQueries(Queries):
    name = "appointments"

    def of_member(
        self, member_id: UUID, upcoming_from: date | None = None
    ) -> list[AppointmentView]:
        """Every appointment of the member, by day (requests not booked yet last); from
        `upcoming_from`, only those still to come: requested, or booked on that day or later."""
        where, params = "member_id = ?", list[object]([str(member_id)])
        if upcoming_from is not None:
            where += " AND status IN (?, ?) AND (on_day IS NULL OR on_day >= ?)"
            params += [*OPEN, day(upcoming_from)]
        return self._appointments(where, params)

    def appointment(self, appointment_id: UUID) -> AppointmentView | None:
        found = self._appointments("appointment_id = ?", [str(appointment_id)])
        return found[0] if found else None

    def free_slots(
        self,
        first_day: date,
        last_day: date,
        centre_id: UUID | None = None,
        professional_id: UUID | None = None,
    ) -> list[SlotView]:
        where = "appointment_id IS NULL AND on_day BETWEEN ? AND ?"
        params: list[object] = [day(first_day), day(last_day)]
        for column, value in (("centre_id", centre_id), ("professional_id", professional_id)):
            if value is not None:
                where += f" AND {column} = ?"
                params.append(str(value))
        rows = self.store.read(
            f"SELECT {', '.join(SLOT_COLUMNS)} FROM {self.table('slots')} WHERE {where}"
            " ORDER BY on_day, starts_at, professional_id",
            params,
        )
        return [struct_of(SlotView, row, starts_at=_time) for row in rows]

    def _appointments(self, where: str, params: list[object]) -> list[AppointmentView]:
        rows = self.store.read(
            f"SELECT {', '.join(APPOINTMENT_COLUMNS)} FROM {self.table('appointments')}"
            f" WHERE {where} ORDER BY on_day IS NULL, on_day, starts_at, requested_on",
            params,
        )
        return [struct_of(AppointmentView, row, starts_at=optional(_time)) for row in rows]
