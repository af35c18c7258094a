"""Many aggregates' records read at once: the latest snapshot of each, then the events after it,
in one query per chunk of ids whatever their number (a command billing a thousand members loads
them together rather than in two thousand round trips).

Both functions read any recorder of the event store (events or snapshots), on SQLite or
PostgreSQL, from the table it names; rows come back as the recorder's own `select_events` gives
them.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

CHUNK = 400
"""Ids per query: SQLite binds each (two for bounds), far below its limit of parameters."""


def latest_of(recorder: AggregateRecorder, ids: Iterable[UUID]) -> dict[UUID, StoredEvent]:
    """The record of highest version of each id that has one (its latest snapshot)."""
    latest: dict[UUID, StoredEvent] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        for record in _select(recorder, (_LATEST, _LATEST_POSTGRES), [(i, 0) for i in chunk]):
            latest[UUID(str(record.originator_id))] = record
    return latest


def events_after(
    recorder: AggregateRecorder, after: Mapping[UUID, int]
) -> dict[UUID, list[StoredEvent]]:
    """The records of each id with a version above its bound, in version order."""
    found: dict[UUID, list[StoredEvent]] = defaultdict(list)
    for chunk in _chunks(list(after)):
        for record in _select(recorder, (_AFTER, _AFTER_POSTGRES), [(i, after[i]) for i in chunk]):
            found[UUID(str(record.originator_id))].append(record)
    return dict(found)


_AFTER = (
    "SELECT t.* FROM {table} t JOIN bounds b ON t.originator_id = b.id"
    " AND t.originator_version > b.after ORDER BY t.originator_id, t.originator_version"
)
_AFTER_POSTGRES = (
    "SELECT t.* FROM bounds b CROSS JOIN LATERAL (SELECT * FROM {table} s"
    " WHERE s.originator_id = b.id AND s.originator_version > b.after"
    " ORDER BY s.originator_version) t ORDER BY t.originator_id, t.originator_version"
)
_LATEST = (
    "SELECT t.* FROM {table} t JOIN bounds b ON t.originator_id = b.id"
    " WHERE t.originator_version ="
    " (SELECT MAX(originator_version) FROM {table} WHERE originator_id = b.id)"
)
_LATEST_POSTGRES = (
    "SELECT t.* FROM bounds b CROSS JOIN LATERAL (SELECT * FROM {table} s"
    " WHERE s.originator_id = b.id ORDER BY s.originator_version DESC LIMIT 1) t"
)
"""PostgreSQL may plan the joins of `_AFTER` and `_LATEST` as a hash join over the whole table,
and psycopg prepares a statement run five times: a generic plan made while the table was small
(a new schema) then reads every row at each call once it has grown. These forms walk the index
id by id whatever the plan."""


def _select(
    recorder: AggregateRecorder,
    queries: tuple[str, str],
    bounds: Sequence[tuple[UUID, int]],
) -> list[StoredEvent]:
    """`queries`: the query on SQLite, and on PostgreSQL."""
    sqlite_query, postgres_query = queries
    if isinstance(recorder, PostgresAggregateRecorder):
        return _select_postgres(recorder, postgres_query, bounds)
    if isinstance(recorder, SQLiteAggregateRecorder):
        return _select_sqlite(recorder, sqlite_query, bounds)
    raise TypeError(f"no bulk reading for {type(recorder).__name__}")


def _select_postgres(
    recorder: PostgresAggregateRecorder, query: str, bounds: Sequence[tuple[UUID, int]]
) -> list[StoredEvent]:
    datastore = recorder.datastore
    statement = _statement(
        query, datastore.originator_id_type, datastore.schema, recorder.events_table_name
    )
    ids = [i if datastore.originator_id_type == "uuid" else str(i) for i, _ in bounds]
    with datastore.get_connection() as connection, connection.cursor() as cursor:
        cursor.execute(statement, [ids, [after for _, after in bounds]])
        return [_stored(row, row["originator_id"], bytes(row["state"])) for row in cursor]


@cache
def _statement(query: str, id_type: str, schema: str, table: str) -> bytes:
    """The query composed once per table (a command reading its few marks calls it each time)."""
    bounds_table = (
        "WITH bounds (id, after) AS (SELECT * FROM unnest(%s::{id_type}[], %s::bigint[])) "
    )
    composed = SQL(bounds_table + query).format(
        id_type=Identifier(id_type),
        table=SQL("{schema}.{table}").format(schema=Identifier(schema), table=Identifier(table)),
    )
    return composed.as_bytes(None)


def _select_sqlite(
    recorder: SQLiteAggregateRecorder, query: str, bounds: Sequence[tuple[UUID, int]]
) -> list[StoredEvent]:
    values = ",".join("(?, ?)" for _ in bounds)
    table = recorder.events_table_name
    statement = f"WITH bounds (id, after) AS (VALUES {values}) " + query.format(table=table)
    parameters = [value for i, after in bounds for value in (i.hex, after)]
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, parameters)
        return [
            _stored(row, recorder.convert_originator_id(row["originator_id"]), row["state"])
            for row in cursor.fetchall()
        ]


def _stored(row: Any, originator_id: Any, state: bytes) -> StoredEvent:
    return StoredEvent(
        originator_id=originator_id,
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=state,
    )


def _chunks(ids: list[UUID]) -> Iterator[list[UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
