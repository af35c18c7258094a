"""The Registre application: every bounded context's commands over one event log."""

from typing import Any, ClassVar

from eventsourcing.domain import MutableOrImmutableAggregate

from application.members import MemberCommands
from application.workforce import WorkforceCommands
from domain.employee import Employee
from domain.member import Member

SNAPSHOT_INTERVAL = 50


class Registre(MemberCommands, WorkforceCommands):
    """One ordered log for members and employees, so read models and the audit trail follow a
    single sequence of events."""

    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        Member: SNAPSHOT_INTERVAL,
        Employee: SNAPSHOT_INTERVAL,
    }
