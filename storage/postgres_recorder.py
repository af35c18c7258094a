"""The PostgreSQL application recorder (`storage.recorders` for what it shares with SQLite's).

Writes go through a group commit (`storage.group_commit`): the commands that arrive while a
batch is being written share the next transaction — one table lock, one statement, one commit —
and the event log keeps its order. If the batch fails, each writer is written alone (a savepoint
each): a writer whose write is refused fails alone. The group commit keeps the end of the
chain (`storage.chain`) of its last commit, and its statement inserts nothing unless the log
still ends there (else the end is read and the batch written again): no extra round trip.

Its tables, and the snapshots', are set up one process at a time (`SetUpAlone`).
"""

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresFactory,
)
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.errors import DuplicateObject
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from storage import chain
from storage.chain import Link
from storage.group_commit import GroupCommit, PendingWrite
from storage.key_tables import postgres_keys_table
from storage.log_pages import PostgresLogPages
from storage.recorders import (
    COMMAND_RECORD,
    DESTROYED_KEYS,
    NEW_KEYS,
    CarriesNewKeys,
    CommandRecord,
)
from storage.sql import SET_UP_ALONE

PERSISTENCE_ERRORS: list[tuple[type[psycopg.Error], type[PersistenceError]]] = [
    (psycopg.InterfaceError, InterfaceError),
    (psycopg.OperationalError, OperationalError),
    (psycopg.DataError, DataError),
    (psycopg.IntegrityError, IntegrityError),
    (psycopg.InternalError, InternalError),
    (psycopg.ProgrammingError, ProgrammingError),
    (psycopg.NotSupportedError, NotSupportedError),
    (psycopg.DatabaseError, DatabaseError),
    (psycopg.Error, PersistenceError),
]


class SetUpAlone(PostgresAggregateRecorder):
    """A recorder whose tables are set up one process at a time: each process replaces the
    log's insert function and creates what is missing when it starts, and two doing it at once
    (API workers or projection processes started together) fail or deadlock."""

    def create_table(self) -> None:
        self._create_types_alone()
        super().create_table()

    def _create_types_alone(self) -> None:
        """The composite types first (eventsourcing creates each in a transaction of its own:
        two processes creating one at once fail)."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SET_UP_ALONE)
            for statement in self.sql_create_statements:
                if "CREATE TYPE" in statement.as_string():
                    with suppress(DuplicateObject), curs.connection.transaction():
                        curs.execute(statement, prepare=False)

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        curs.execute(SET_UP_ALONE)
        super()._create_table(curs)


class PostgresSnapshotRecorder(SetUpAlone):
    """The snapshots' recorder."""


class RegistrePostgresFactory(PostgresFactory):
    """eventsourcing's PostgreSQL infrastructure, with the snapshots' recorder set up alone."""

    aggregate_recorder_class = PostgresSnapshotRecorder


class PostgresRegistreRecorder(
    CarriesNewKeys, PostgresLogPages, SetUpAlone, PostgresApplicationRecorder
):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        schema = Identifier(self.datastore.schema)
        self.commands_table = SQL("{0}.command_requests").format(schema)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} ("
                " request_id text PRIMARY KEY, command text NOT NULL, fingerprint text NOT NULL,"
                " result bytea NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())"
            ).format(self.commands_table)
        )
        self.chain_sql = chain.PostgresChainSql.of(self.datastore.schema, self.events_table_name)
        self.sql_create_statements.append(self.chain_sql.add_columns())
        self.write_statement = SQL(
            "WITH keys AS ("
            "  INSERT INTO {keys} (subject_id, category, wrapped_key)"
            "  SELECT * FROM unnest(%s::uuid[], %s::text[], %s::bytea[])"
            "), commands AS ("
            "  INSERT INTO {commands} (request_id, command, fingerprint, result)"
            "  SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::bytea[])"
            ") "
            "INSERT INTO {events}"
            " (originator_id, originator_version, topic, state, chain_seq, chain_hash)"
            " SELECT i, v, t, s, q, h FROM unnest(%s::uuid[], %s::bigint[], %s::text[],"
            " %s::bytea[], %s::bigint[], %s::bytea[]) WITH ORDINALITY AS e(i, v, t, s, q, h, n)"
            " WHERE {end_check} ORDER BY n"
            " RETURNING notification_id"
        ).format(
            keys=postgres_keys_table(self.datastore.schema),
            commands=self.commands_table,
            events=SQL("{0}.{1}").format(schema, Identifier(self.events_table_name)),
            end_check=self.chain_sql.end_check(),
        )
        self.destroy_statement = SQL(
            "DELETE FROM {0} WHERE (subject_id, category) IN"
            " (SELECT * FROM unnest(%s::uuid[], %s::text[]))"
        ).format(postgres_keys_table(self.datastore.schema))
        self.lock_statement = SQL(
            "SET LOCAL lock_timeout = '{0}s'; LOCK TABLE {1}.{2} IN EXCLUSIVE MODE; NOTIFY {3}"
        ).format(
            self.datastore.lock_timeout,
            schema,
            Identifier(self.events_table_name),
            Identifier(self.channel_name),
        )
        self.lock_and_end_statement = SQL("{0}; {1}").format(  # the chain's end, same round trip
            self.lock_statement, self.chain_sql.last_link_query()
        )
        self._group_commit = GroupCommit(self._write_batch)
        self._end: Link | None = None
        """The chain's end after this recorder's last commit: the next write checks it in its
        own statement instead of reading it first (if another process wrote, it is read)."""

    def create_table(self) -> None:
        """The tables, the chain's columns, and the chain of the events written before it."""
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            self._lock(curs)
        self._end = None

    def _lock(self, curs: Cursor[DictRow]) -> Link:
        """Takes the log's write lock; the chain's end (the log chained up to it first)."""
        curs.execute(self.lock_and_end_statement)
        chain.skip_to_rows(curs)
        return self.chain_sql.last_link(curs)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        return self.with_new_keys(self._group_commit.write, stored_events, kwargs)

    def _write_batch(self, batch: list[PendingWrite]) -> None:
        """The batch in one statement; if that fails, for whatever reason, each writer alone.

        A writer's events or command record may be refused for reasons nobody foresaw (a value
        the database cannot hold, a key too long for its index…): only that writer must fail.
        """
        try:
            ids = self._write_together(batch)
        except (InterfaceError, OperationalError):
            self._write_each_alone(batch)  # the connection or the lock, retried; or one writer
            return
        except Exception:
            if len(batch) == 1:
                raise
            self._write_each_alone(batch)
            return
        for pending in batch:
            pending.notification_ids, ids = ids[: len(pending.events)], ids[len(pending.events) :]

    def _write_together(self, batch: list[PendingWrite]) -> list[int]:
        known, self._end = self._end, None  # forgotten unless this write commits
        try:
            ids, end = self._write_once(batch, known)
        except chain.StaleChainEnd:
            ids, end = self._write_once(batch, None)
        self._end = end
        return ids

    def _write_once(self, batch: list[PendingWrite], known: Link | None) -> tuple[list[int], Link]:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            if known is None:
                return self._insert(curs, batch, self._lock(curs), checked=False)
            curs.execute(self.lock_statement)
            return self._insert(curs, batch, known, checked=True)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _write_each_alone(self, batch: list[PendingWrite]) -> None:
        """One transaction, a savepoint per writer: a writer whose write fails gets its own
        error and the others are written, in the order of the batch. A failure outside the
        savepoints (the connection, the lock, the commit) is retried for the whole batch."""
        for pending in batch:
            pending.notification_ids, pending.error = None, None
        self._end = None
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            end = self._lock(curs)
            for pending in batch:
                try:
                    with conn.transaction():
                        pending.notification_ids, end = self._insert(
                            curs, [pending], end, checked=False
                        )
                except Exception as error:
                    pending.error = persistence_error(error)
        self._end = end

    def _insert(
        self, curs: Cursor[DictRow], batch: list[PendingWrite], end: Link, *, checked: bool
    ) -> tuple[list[int], Link]:
        """Insert the batch's keys, command records and events at once (the log is locked),
        the events chained after `end` (`checked`: in the statement; StaleChainEnd if the log
        ends elsewhere); their ids and the chain's new end."""
        expected = chain.expected_end(end) if checked else None
        keys = [k for p in batch for k in p.options.get(NEW_KEYS, ())]
        destroyed = [k for p in batch for k in p.options.get(DESTROYED_KEYS, ())]
        if destroyed:  # rare (erasures): a statement of its own, in the same transaction
            curs.execute(
                self.destroy_statement,
                ([k.subject for k in destroyed], [k.category.value for k in destroyed]),
            )
        records = [p.options[COMMAND_RECORD] for p in batch if p.options.get(COMMAND_RECORD)]
        events = [e for p in batch for e in p.events]
        ranks, hashes, end = self._chain_columns(end, events)
        curs.execute(
            self.write_statement,
            (
                [k.subject for k in keys],
                [k.category.value for k in keys],
                [k.wrapped for k in keys],
                [r.request_id for r in records],
                [r.command for r in records],
                [r.fingerprint for r in records],
                [r.result for r in records],
                [e.originator_id for e in events],
                [e.originator_version for e in events],
                [e.topic for e in events],
                [e.state for e in events],
                ranks,
                hashes,
                expected,
                expected,
            ),
            prepare=True,
        )
        ids = [row["notification_id"] for row in curs.fetchall()]
        if len(ids) < len(events):
            raise chain.StaleChainEnd
        return ids, end

    def _chain_columns(
        self, end: Link, events: Sequence[StoredEvent]
    ) -> tuple[list[int | None], list[bytes | None], Link]:
        """The events' ranks and hashes in the chain after `end`, and its new end."""
        links = chain.links_after(end, events)
        return [k.seq for k in links], [k.hash for k in links], links[-1] if links else end

    def find_command(self, request_id: str) -> CommandRecord | None:
        with self.datastore.cursor() as curs:
            curs.execute(
                SQL("SELECT command, fingerprint, result FROM {0} WHERE request_id = %s").format(
                    self.commands_table
                ),
                (request_id,),
                prepare=True,
            )
            row = curs.fetchone()
        if row is None:
            return None
        return CommandRecord(request_id, row["command"], row["fingerprint"], bytes(row["result"]))


def persistence_error(error: Exception) -> Exception:
    """A writer's own error, of the class the event store gives its other errors (as
    `PostgresDatastore.get_connection` does: the application tells conflicts by it)."""
    for raw, translated in PERSISTENCE_ERRORS:
        if isinstance(error, raw):
            persistence = translated(str(error))
            persistence.__cause__ = error
            return persistence
    return error
