"""The hash chain of the event log: every stored event carries, in two columns of its own row,
its rank in the chain (`chain_seq`: 1, 2, 3… with no gap, whatever gaps the notification ids
have) and a SHA-256 (`chain_hash`) over its content as stored — topic, originator id and
version, state bytes with the sealed fields as they are — its rank and the previous event's
hash. The recorders write both in the transaction of the event, under the log's write lock, so
the chain follows the log's order (notification id).

A row altered, deleted or moved no longer fits the chain: `storage.audit_log` names the first
one that does not. Signed checkpoints (`storage.checkpoints`) hold the chain at a position, so
that even a chain computed again from scratch after a change is refused.

A store written before the chain existed is chained when opened: the events after the last
chained one (all of them, the first time) are chained in one transaction under the lock. Only
that tail: an event without hash before a chained one is not chained again (it would hide a
change), verification names it.
"""

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from psycopg.sql import SQL, Composable, Composed, Identifier

VERSION_TAG = b"registre chain v1\x00"
CATCH_UP_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Link:
    """Where the chain stands after an event: its rank and its hash."""

    seq: int
    hash: bytes


START = Link(0, bytes(32))
"""Before the first event."""


class EventContent(Protocol):
    @property
    def originator_id(self) -> Any: ...
    @property
    def originator_version(self) -> int: ...
    @property
    def topic(self) -> str: ...
    @property
    def state(self) -> bytes: ...


def uuid_bytes(originator_id: UUID | str) -> bytes:
    return (originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))).bytes


def next_link(previous: Link, event: EventContent) -> Link:
    """The link of `event` after `previous` (each part length-prefixed: no two contents hash
    alike by moving bytes from one field to the next)."""
    seq = previous.seq + 1
    topic = event.topic.encode()
    state = bytes(event.state)
    digest = hashlib.sha256(VERSION_TAG)
    digest.update(previous.hash)
    digest.update(seq.to_bytes(8, "big"))
    digest.update(uuid_bytes(event.originator_id))
    digest.update(event.originator_version.to_bytes(8, "big", signed=True))
    digest.update(len(topic).to_bytes(4, "big") + topic)
    digest.update(len(state).to_bytes(8, "big") + state)
    return Link(seq, digest.digest())


def links_after(previous: Link, events: Iterable[EventContent]) -> list[Link]:
    links = []
    for event in events:
        previous = next_link(previous, event)
        links.append(previous)
    return links


@dataclass(frozen=True, slots=True)
class Row:
    """An event row as stored, with its chain columns (None where it has none)."""

    position: int
    originator_id: UUID | str
    """A UUID, but as found when a hand in the database made it something else."""
    originator_version: int
    topic: str
    state: bytes
    seq: int | None
    hash: bytes | None


# SQLite: the recorder's cursor (`eventsourcing.sqlite.SQLiteCursor`), rows by column name ------

_SQLITE = {
    "insert": "INSERT INTO {table} (originator_id, originator_version, topic, state, chain_seq,"
    " chain_hash) VALUES (?, ?, ?, ?, ?, ?)",
    "lock": "UPDATE {table} SET chain_seq = chain_seq WHERE 0",
    "end": "SELECT chain_seq, chain_hash FROM {table} ORDER BY rowid DESC LIMIT 1",
    "chained_end": "SELECT rowid, chain_seq, chain_hash FROM {table}"
    " WHERE chain_hash IS NOT NULL ORDER BY rowid DESC LIMIT 1",
    "update": "UPDATE {table} SET chain_seq = ?, chain_hash = ? WHERE rowid = ?",
    "rows": "SELECT rowid, originator_id, originator_version, topic, state, chain_seq,"
    " chain_hash FROM {table} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
}
"""The chain's statements on SQLite, the events table's name put in by `sqlite_sql`."""


def sqlite_sql(statement: str, table: str) -> str:
    return _SQLITE[statement].format(table=table)


def sqlite_add_columns(cursor: Any, table: str) -> None:
    cursor.execute(f"PRAGMA table_info({table})")
    columns = {row["name"] for row in cursor.fetchall()}
    for column, kind in (("chain_seq", "INTEGER"), ("chain_hash", "BLOB")):
        if column not in columns:
            cursor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def sqlite_last_link(cursor: Any, table: str) -> Link:
    """The chain's end, chaining first the events written without it. The store's write lock is
    taken first (a write that changes nothing takes it): no other process writes after the end
    is read."""
    cursor.execute(sqlite_sql("lock", table))
    cursor.execute(sqlite_sql("end", table))
    row = cursor.fetchone()
    if row is None:
        return START
    if row["chain_hash"] is None:
        return sqlite_catch_up(cursor, table)
    return Link(row["chain_seq"], bytes(row["chain_hash"]))


def sqlite_catch_up(cursor: Any, table: str) -> Link:
    cursor.execute(sqlite_sql("chained_end", table))
    row = cursor.fetchone()
    after, link = (0, START) if row is None else (row[0], Link(row[1], bytes(row[2])))
    while True:
        rows = sqlite_rows(cursor, table, after, None, CATCH_UP_BATCH)
        if not rows:
            return link
        links = links_after(link, rows)
        cursor.executemany(
            sqlite_sql("update", table),
            [(k.seq, k.hash, r.position) for k, r in zip(links, rows, strict=True)],
        )
        after, link = rows[-1].position, links[-1]


def sqlite_rows(cursor: Any, table: str, after: int, upto: int | None, limit: int) -> list[Row]:
    cursor.execute(sqlite_sql("rows", table), (after, (1 << 62) if upto is None else upto, limit))
    return [_row(r, r[0]) for r in cursor.fetchall()]


# PostgreSQL: a psycopg cursor with dict rows --------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostgresChainSql:
    """The chain's statements on one PostgreSQL events table."""

    table: Composable

    @classmethod
    def of(cls, schema: str, table: str) -> "PostgresChainSql":
        return cls(SQL("{0}.{1}").format(Identifier(schema), Identifier(table)))

    def add_columns(self) -> Composed:
        return SQL(
            "ALTER TABLE {0} ADD COLUMN IF NOT EXISTS chain_seq bigint,"
            " ADD COLUMN IF NOT EXISTS chain_hash bytea"
        ).format(self.table)

    def last_link_query(self) -> Composed:
        return SQL(
            "SELECT chain_seq, chain_hash, 1 AS found FROM {0} ORDER BY notification_id DESC"
            " LIMIT 1"
        ).format(self.table)

    def end_check(self) -> Composed:
        """A condition of the write statement: the log ends where the writer believes it does
        (two parameters, both `expected_end(end)`; NULL: not checked, the end was just read)."""
        return SQL(
            "(%s::bytea IS NULL OR coalesce((SELECT coalesce(chain_hash, '\\x00'::bytea) FROM {0}"
            " ORDER BY notification_id DESC LIMIT 1), ''::bytea) = %s::bytea)"
        ).format(self.table)

    def last_link(self, cursor: Any) -> Link:
        """The chain's end from the result of `last_link_query` (the cursor on it), chaining
        first the events written without it."""
        row = cursor.fetchone()
        if row is None:
            return START
        if row["chain_hash"] is None:
            return self.catch_up(cursor)
        return Link(row["chain_seq"], bytes(row["chain_hash"]))

    def catch_up(self, cursor: Any) -> Link:
        cursor.execute(
            SQL(
                "SELECT notification_id, chain_seq, chain_hash FROM {0}"
                " WHERE chain_hash IS NOT NULL ORDER BY notification_id DESC LIMIT 1"
            ).format(self.table)
        )
        row = cursor.fetchone()
        after, link = (
            (0, START)
            if row is None
            else (row["notification_id"], Link(row["chain_seq"], bytes(row["chain_hash"])))
        )
        while True:
            rows = self.rows(cursor, after, None, CATCH_UP_BATCH)
            if not rows:
                return link
            links = links_after(link, rows)
            cursor.execute(
                SQL(
                    "UPDATE {0} SET chain_seq = c.s, chain_hash = c.h"
                    " FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[]) AS c(n, s, h)"
                    " WHERE notification_id = c.n"
                ).format(self.table),
                ([r.position for r in rows], [k.seq for k in links], [k.hash for k in links]),
            )
            after, link = rows[-1].position, links[-1]

    def rows(self, cursor: Any, after: int, upto: int | None, limit: int) -> list[Row]:
        cursor.execute(
            SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state,"
                " chain_seq, chain_hash FROM {0} WHERE notification_id > %s"
                " AND (%s::bigint IS NULL OR notification_id <= %s::bigint)"
                " ORDER BY notification_id LIMIT %s"
            ).format(self.table),
            (after, upto, upto, limit),
        )
        return [_row(r, r["notification_id"]) for r in cursor.fetchall()]


class StaleChainEnd(Exception):
    """The log does not end where the writer believed (another process wrote since)."""


def expected_end(end: Link) -> bytes:
    """What `PostgresChainSql.end_check` compares the log's last hash with."""
    return b"" if end.seq == 0 else end.hash


def skip_to_rows(cursor: Any) -> None:
    """Moves a cursor that ran several statements to the first result with rows."""
    while cursor.description is None and cursor.nextset():
        pass


def _row(row: Any, position: int) -> Row:
    hash_ = row["chain_hash"]
    return Row(
        position=position,
        originator_id=_uuid(row["originator_id"]),
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=_bytes(row["state"]),
        seq=row["chain_seq"],
        hash=None if hash_ is None else _bytes(hash_),
    )


def _uuid(value: Any) -> UUID | str:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return str(value)


def _bytes(value: Any) -> bytes:
    """A column's bytes; SQLite gives text for a value written as text (by a hand in the
    database, say): its UTF-8, which no hash of the real bytes matches."""
    return value.encode() if isinstance(value, str) else bytes(value)


def batches(rows_after: Any, after: int, upto: int | None, size: int) -> Iterator[list[Row]]:
    """The rows after `after` up to `upto`, a batch at a time (`rows_after(after, upto, size)`
    reads one)."""
    while True:
        rows: Sequence[Row] = rows_after(after, upto, size)
        if not rows:
            return
        yield list(rows)
        after = rows[-1].position


class ChainReader:
    """Reads the chained log of an application recorder (SQLite or PostgreSQL), a batch at a
    time, each in a short read of its own."""

    def __init__(self, recorder: Any):
        self.recorder = recorder
        self.table: str = recorder.events_table_name
        self.postgres: PostgresChainSql | None = getattr(recorder, "chain_sql", None)

    def rows(self, after: int, upto: int | None, limit: int) -> list[Row]:
        with self.recorder.datastore.transaction(commit=False) as cursor:
            if self.postgres is not None:
                return self.postgres.rows(cursor, after, upto, limit)
            return sqlite_rows(cursor, self.table, after, upto, limit)

    def head(self) -> int:
        return int(self.recorder.max_notification_id() or 0)

    def end(self) -> tuple[int, Link] | None:
        """The last event's position and link, if it has one."""
        head = self.head()
        rows = self.rows(head - 1, head, 1) if head else []
        if not rows or rows[0].seq is None or rows[0].hash is None:
            return None
        return rows[0].position, Link(rows[0].seq, rows[0].hash)
