"""Queries of the ACTIVITY read model: a member's activity summary for a year — the service's
actions at the member, in the order of their days, and the visits its employees had, counted by
kind."""

from datetime import MAXYEAR, MINYEAR, date
from uuid import UUID

import msgspec

from domain.visits.activity import ActivitySummary, WorkplaceActionKind
from domain.visits.kinds import VisitKind
from projections.model import Queries
from projections.rows import struct_of
from projections.timeline import day
from projections.visits.activity import ACTION_COLUMNS


class WorkplaceActionView(msgspec.Struct, frozen=True, kw_only=True):
    action_id: int
    kind: WorkplaceActionKind
    held_on: date
    subject: str
    duration_minutes: int | None
    participants: int | None


class VisitCountView(msgspec.Struct, frozen=True, kw_only=True):
    kind: VisitKind
    count: int


class ActivitySummaryView(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    year: int
    version: int | None
    """The summary's version, for a correction's `expected_version`; None: nothing recorded."""
    actions: list[WorkplaceActionView]
    visits: list[VisitCountView]
    """The kinds of visits held in the year, in the order of the kinds."""

    @property
    def visits_total(self) -> int:
        return sum(count.count for count in self.visits)


class ActivityQueries(Queries):
    name = "activity"

    def summary(self, member_id: UUID, year: int) -> ActivitySummaryView | None:
        """The member's summary of `year` (empty when nothing was recorded); None for a year no
        calendar holds. Whether the member exists is the caller's to know."""
        if not MINYEAR <= year <= MAXYEAR:
            return None
        summary_id = str(ActivitySummary.create_id(member_id, year))
        versions = self.store.read(
            f"SELECT version FROM {self.table('summaries')} WHERE summary_id = ?", [summary_id]
        )
        rows = self.store.read(
            f"SELECT {', '.join(ACTION_COLUMNS[1:])} FROM {self.table('actions')}"
            " WHERE summary_id = ? ORDER BY held_on, action_id",
            [summary_id],
        )
        counts: dict[str, int] = dict(
            self.store.read(
                f"SELECT kind, COUNT(*) FROM {self.table('visits')}"
                " WHERE member_id = ? AND held_on BETWEEN ? AND ? GROUP BY kind",
                [str(member_id), day(date(year, 1, 1)), day(date(year, 12, 31))],
            )
        )
        return ActivitySummaryView(
            member_id=member_id,
            year=year,
            version=versions[0][0] if versions else None,
            actions=[struct_of(WorkplaceActionView, row) for row in rows],
            visits=[
                VisitCountView(kind=kind, count=int(counts[kind.value]))
                for kind in VisitKind
                if kind.value in counts
            ],
        )
