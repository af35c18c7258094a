"""Queries of the DUE_VISITS read model: what a member's employees owe on a day (overdue and
upcoming), and the service's overdue visits, as known at an instant."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import msgspec

from domain.calendar import moved
from domain.visits.follow_up_file import AbsenceKind
from domain.visits.follow_up_record import VisitDocument
from domain.visits.kinds import ProfessionalRole, VisitKind
from projections.model import Queries
from projections.rows import struct_of
from projections.timeline import NEVER, day

SHOWN = ("employee_id", "member_id", "kind", "due_by", "article", "reason")
"""The columns of `due` a view shows, in its order."""
MAX_PAGE = 500
DAY = timedelta(days=1)


class DueVisitView(msgspec.Struct, frozen=True, kw_only=True):
    employee_id: UUID
    member_id: UUID
    kind: VisitKind
    due_by: date
    article: str
    reason: str


class HeldVisitView(msgspec.Struct, frozen=True, kw_only=True):
    visit_id: int
    kind: VisitKind
    held_on: date
    role: ProfessionalRole
    document: VisitDocument


class AbsenceView(msgspec.Struct, frozen=True, kw_only=True):
    absence_id: int
    kind: AbsenceKind
    first_day: date
    returned_on: date | None


class RecordView(msgspec.Struct, frozen=True, kw_only=True):
    visits: list[HeldVisitView]
    absences: list[AbsenceView]
    convocation_constraints: str | None
    comment: str | None


_KINDS = {kind.value: kind for kind in VisitKind}


def _view(row: Sequence[Any]) -> DueVisitView:
    """A row as a view, field by field (a member's whole list is thousands of rows)."""
    employee_id, member_id, kind, due_by, article, reason = row
    return DueVisitView(
        employee_id=UUID(employee_id),
        member_id=UUID(member_id),
        kind=_KINDS[kind],
        due_by=date.fromordinal(due_by),
        article=article,
        reason=reason,
    )


class DueVisitQueries(Queries):
    name = "due_visits"

    def of_member(
        self,
        member_id: UUID,
        on: date,
        known_at: int,
        employee_id: UUID | None = None,
        *,
        limit: int | None = MAX_PAGE,
        offset: int = 0,
    ) -> list[DueVisitView]:
        """The visits owed on `on`, the earliest due first (overdue ones are due before `on`),
        a page at a time (`limit` None: all of them)."""
        where, params = "member_id = ?", list[object]([str(member_id)])
        if employee_id is not None:
            where, params = f"{where} AND employee_id = ?", [*params, str(employee_id)]
        limit = None if limit is None else min(limit, MAX_PAGE)
        return self._owed(where, params, on, known_at, limit=limit, offset=offset)

    def overdue(
        self,
        on: date,
        known_at: int,
        member_ids: list[UUID] | None = None,
        limit: int = MAX_PAGE,
        offset: int = 0,
    ) -> list[DueVisitView]:
        """The visits owed on `on` and due before it, service-wide (or of these members), the
        longest overdue first."""
        return self.due_by(
            None,
            moved(on, -DAY),
            on=on,
            known_at=known_at,
            member_ids=member_ids,
            limit=limit,
            offset=offset,
        )

    def due_by(
        self,
        first: date | None,
        last: date,
        *,
        on: date,
        known_at: int,
        member_ids: list[UUID] | None = None,
        limit: int = MAX_PAGE,
        offset: int = 0,
    ) -> list[DueVisitView]:
        """The visits owed on `on` whose due day falls from `first` (or ever) to `last`,
        service-wide (or of these members), the earliest due first: the service's planning."""
        where, params = "due_by <= ?", list[object]([day(last)])
        if first is not None:
            where, params = f"{where} AND due_by >= ?", [*params, day(first)]
        if member_ids is not None:
            marks = ", ".join("?" for _ in member_ids) or "NULL"
            where = f"{where} AND member_id IN ({marks})"
            params += [str(member_id) for member_id in member_ids]
        return self._owed(where, params, on, known_at, limit=min(limit, MAX_PAGE), offset=offset)

    def record(self, employee_id: UUID) -> RecordView:
        """The employee's visits held and absences, as the record stands, by day."""
        rows = self.store.read(
            "SELECT item, item_id, kind, on_day, until_day, role, document FROM"
            f" {self.table('record_items')} WHERE employee_id = ? ORDER BY on_day, item_id",
            [str(employee_id)],
        )
        visits = [
            struct_of(HeldVisitView, (item_id, kind, on, role, document))
            for item, item_id, kind, on, _, role, document in rows
            if item == "visit"
        ]
        absences = [
            struct_of(AbsenceView, (item_id, kind, on, until))
            for item, item_id, kind, on, until, _, _ in rows
            if item == "absence"
        ]
        notes = self.store.read(
            f"SELECT convocation_constraints, comment FROM {self.table('record_notes')}"
            " WHERE employee_id = ?",
            [str(employee_id)],
        )
        constraints, comment = notes[0] if notes else (None, None)
        return RecordView(
            visits=visits,
            absences=absences,
            convocation_constraints=constraints,
            comment=comment,
        )

    def _owed(
        self,
        where: str,
        params: list[object],
        on: date,
        known_at: int,
        *,
        limit: int | None,
        offset: int = 0,
    ) -> list[DueVisitView]:
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        if known_at >= NEVER - 1:  # as known now: the current rows, in the index's order
            known, known_params = f"known_to = {NEVER}", []
        else:
            known, known_params = "known_from <= ? AND known_to > ?", [known_at, known_at]
        rows = self.store.read(
            f"SELECT {', '.join(SHOWN)} FROM {self.table('due')} WHERE {where} AND {known}"
            " AND valid_from <= ? AND valid_to >= ?"
            f" ORDER BY due_by, employee_id, kind{page}",
            [*params, *known_params, day(on), day(on)],
        )
        return [_view(row) for row in rows]
