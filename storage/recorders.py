"""Application recorders that also keep the log of handled commands, in the same transaction.

Every command carries a request id. The row recording it commits with the command's events, so a
retried command finds its first result instead of applying twice, and a crash between the two
writes cannot happen.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

COMMAND_RECORD = "command_record"


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """A handled command: what it was (name and fingerprint of its arguments) and its result."""

    request_id: str
    command: str
    fingerprint: str
    result: bytes


class SQLiteRegistreRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS command_requests ("
            " request_id TEXT PRIMARY KEY, command TEXT NOT NULL, fingerprint TEXT NOT NULL,"
            " result BLOB NOT NULL, recorded_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        record: CommandRecord | None = kwargs.get(COMMAND_RECORD)
        if record is not None:
            c.execute(
                "INSERT INTO command_requests (request_id, command, fingerprint, result)"
                " VALUES (?, ?, ?, ?)",
                (record.request_id, record.command, record.fingerprint, record.result),
            )
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


class PostgresRegistreRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.commands_table = SQL("{0}.command_requests").format(Identifier(self.datastore.schema))
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} ("
                " request_id text PRIMARY KEY, command text NOT NULL, fingerprint text NOT NULL,"
                " result bytea NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())"
            ).format(self.commands_table)
        )

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        record: CommandRecord | None = kwargs.get(COMMAND_RECORD)
        if record is not None:
            curs.execute(
                SQL(
                    "INSERT INTO {0} (request_id, command, fingerprint, result)"
                    " VALUES (%s, %s, %s, %s)"
                ).format(self.commands_table),
                (record.request_id, record.command, record.fingerprint, record.result),
                prepare=True,
            )

    def find_command(self, request_id: str) -> CommandRecord | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL("SELECT command, fingerprint, result FROM {0} WHERE request_id = %s").format(
                    self.commands_table
                ),
                (request_id,),
            )
            row = curs.fetchone()
        if row is None:
            return None
        return CommandRecord(request_id, row["command"], row["fingerprint"], bytes(row["result"]))
