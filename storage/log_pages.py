"""The event log read by pages, as the read side reads it, on PostgreSQL.

eventsourcing's `select_notifications` asks for every column (the chain's too), in text (the
state's `bytea` then parsed from hex), and builds a dict per row, which costs more than decoding
most events; a page here asks for the notification's columns only, in binary, as tuples. Other
selections (a stop, topics) go to eventsourcing.
"""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from eventsourcing.persistence import InterfaceError, Notification, OperationalError
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier


class PostgresLogPages:
    datastore: Any
    events_table_name: str

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        if start is None or stop is not None or topics or not inclusive_of_start:
            selected: Sequence[Notification] = super().select_notifications(  # type: ignore[misc]
                start, limit, stop, topics, inclusive_of_start=inclusive_of_start
            )
            return selected
        with (
            self.datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(self._page_statement, (start, limit), prepare=True, binary=True)
            return [
                Notification(
                    id=position,
                    originator_id=originator_id,
                    originator_version=version,
                    topic=topic,
                    state=bytes(state),
                )
                for position, originator_id, version, topic, state in cursor.fetchall()
            ]

    @cached_property
    def _page_statement(self) -> Composed:
        return SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {0}.{1}"
            " WHERE notification_id >= %s ORDER BY notification_id LIMIT %s"
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name))
