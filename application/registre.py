"""The Registre application: every bounded context's commands over one event log."""

from typing import Any, ClassVar

from eventsourcing.domain import MutableOrImmutableAggregate

from application.accounts import AccountCommands
from application.workforce import WorkforceCommands
from domain.account import Account
from domain.employee import Employee
from domain.member import Member

SNAPSHOT_INTERVAL = 50


class Registre(AccountCommands, WorkforceCommands):
    """One ordered log for accounts, members and employees, so read models and the audit trail
    follow a single sequence of events."""

    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        Member: SNAPSHOT_INTERVAL,
        Employee: SNAPSHOT_INTERVAL,
        Account: SNAPSHOT_INTERVAL,
    }
