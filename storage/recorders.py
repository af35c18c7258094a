"""Application recorders that write, in the transaction of a command's events:

- the command log (request id → result), so a retried command finds its first result instead
  of applying twice;
- the new personal-data keys the mapper made for those events (`storage.keys`).

This module holds what both stores share, and the SQLite recorder; the PostgreSQL one, with its
group commit, is `storage.postgres_recorder`. Every event is chained (`storage.chain`) in its
own insert, under the log's write lock: its rank and hash follow the chain's end (SQLite reads
that end in the transaction).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    StoredEvent,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from storage import chain
from storage.key_tables import SQLITE_DELETE_KEY, SQLITE_INSERT_KEY
from storage.keys import DestroyedKey, NewKey, SubjectKeys

COMMAND_RECORD = "command_record"
NEW_KEYS = "new_keys"
DESTROYED_KEYS = "destroyed_keys"


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """A handled command: what it was (name and fingerprint of its arguments) and its result."""

    request_id: str
    command: str
    fingerprint: str
    result: bytes


class CarriesNewKeys:
    """Hands the keys made and destroyed for a write to that write: it stores the new ones and
    deletes the destroyed ones with its events. If it fails, the new keys are forgotten and
    the destroyed ones stay (the command is decided again, or refused)."""

    subject_keys: SubjectKeys | None = None

    def with_new_keys(
        self,
        write: Callable[..., Sequence[int] | None],
        stored_events: Sequence[StoredEvent],
        options: dict[str, Any],
    ) -> Sequence[int] | None:
        keys = self.subject_keys
        new_keys = keys.take_new_keys() if keys else []
        destroyed = keys.take_destroyed_keys() if keys else []
        try:
            ids = write(stored_events, {**options, NEW_KEYS: new_keys, DESTROYED_KEYS: destroyed})
        except BaseException:
            if keys:
                keys.forget(new_keys)
            raise
        if keys:
            keys.destroyed(destroyed)
        return ids


class SQLiteRegistreRecorder(CarriesNewKeys, SQLiteApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.insert_events_statement = chain.sqlite_sql("insert", self.events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS command_requests ("
            " request_id TEXT PRIMARY KEY, command TEXT NOT NULL, fingerprint TEXT NOT NULL,"
            " result BLOB NOT NULL, recorded_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        ]

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        """A UUID; a text that is none (a hand-made row) is left as it is: the decoding of its
        event then fails alone, not the reading of the whole page of the log."""
        try:
            return super().convert_originator_id(originator_id)
        except ValueError:
            return originator_id

    def create_table(self) -> None:
        """The tables, the chain's columns, and the chain of the events written before it."""
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            chain.sqlite_add_columns(c, self.events_table_name)
            chain.sqlite_last_link(c, self.events_table_name)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        return self.with_new_keys(
            lambda events, options: super(SQLiteRegistreRecorder, self).insert_events(
                events, **options
            ),
            stored_events,
            kwargs,
        )

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        new_keys: list[NewKey] = kwargs.get(NEW_KEYS, [])
        if new_keys:
            c.executemany(
                SQLITE_INSERT_KEY,
                [(str(k.subject), k.category.value, k.wrapped) for k in new_keys],
            )
        destroyed: list[DestroyedKey] = kwargs.get(DESTROYED_KEYS, [])
        if destroyed:
            rows = [(str(k.subject), k.category.value) for k in destroyed]
            c.executemany(SQLITE_DELETE_KEY, rows)
        record: CommandRecord | None = kwargs.get(COMMAND_RECORD)
        if record is not None:
            c.execute(
                "INSERT INTO command_requests (request_id, command, fingerprint, result)"
                " VALUES (?, ?, ?, ?)",
                (record.request_id, record.command, record.fingerprint, record.result),
            )
        return self._insert_chained(c, stored_events)

    def _insert_chained(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> list[int]:
        """The events, chained after the log's end (read under the store's write lock)."""
        end = chain.sqlite_last_link(c, self.events_table_name)
        notification_ids = []
        for event, link in zip(stored_events, chain.links_after(end, stored_events), strict=True):
            c.execute(
                self.insert_events_statement,
                (
                    event.originator_id.hex
                    if isinstance(event.originator_id, UUID)
                    else event.originator_id,
                    event.originator_version,
                    event.topic,
                    event.state,
                    link.seq,
                    link.hash,
                ),
            )
            notification_ids.append(c.lastrowid)
        return notification_ids

    def find_command(self, request_id: str) -> CommandRecord | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT command, fingerprint, result FROM command_requests WHERE request_id = ?",
                (request_id,),
            )
            row = c.fetchone()
        if row is None:
            return None
        return CommandRecord(request_id, row[0], row[1], bytes(row[2]))
