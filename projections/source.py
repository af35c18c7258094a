"""What the read side receives from the application: the event log, decoded, and nothing else.

Read models never reach into the application (its repository, mapper or key store): the runner
and the read models that fold aggregates are given an `EventSource`, a narrow interface that the
application satisfies (`application.base.RegistreApplication`) and a test can fake.
"""

from collections.abc import Iterable, Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Notification


class EventSource(Protocol):
    def select_notifications(self, start: int, limit: int) -> Sequence[Notification]:
        """The notifications from position `start` (included), `limit` at most."""
        ...

    def max_notification_id(self) -> int:
        """The position of the last event recorded (0 when there is none)."""
        ...

    def prefetch_keys(self, notifications: Sequence[Notification]) -> None:
        """Fetch in one query the personal-data keys `decode` will need for these."""
        ...

    def decode(self, notification: Notification) -> Any:
        """The domain event of a notification, personal data opened."""
        ...

    def aggregate_at(self, aggregate_id: UUID, version: int | None = None) -> Any:
        """The aggregate as it was at `version` (the last one when None)."""
        ...

    def events_of(self, aggregate_id: UUID, up_to_version: int) -> Iterable[Any]:
        """The aggregate's events, decoded, from its first up to `up_to_version` included."""
        ...
